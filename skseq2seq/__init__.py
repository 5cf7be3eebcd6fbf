"""skseq2seq: scikit-learn estimators built on sequence-to-sequence GRUs.

Cluster and segment spatiotemporal data by the dynamics a GRU
encoder-decoder learns from it, without labels (Su & Shlizerman 2020).
"""

from ._clusterer import Seq2SeqClusterer, posture_statistics
from ._compare import compare
from ._contrastive import ContrastiveModule
from ._embedder import Seq2SeqEmbedder
from ._embedding_clusterer import EmbeddingClusterer
from ._forecaster import Seq2SeqForecaster
from ._network import Seq2SeqModule
from ._segmenter import TemporalSegmenter

__version__ = "0.1.0"

__all__ = [
    "ContrastiveModule",
    "EmbeddingClusterer",
    "Seq2SeqClusterer",
    "Seq2SeqEmbedder",
    "Seq2SeqForecaster",
    "Seq2SeqModule",
    "TemporalSegmenter",
    "__version__",
    "compare",
    "posture_statistics",
]
