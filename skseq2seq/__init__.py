"""skseq2seq: scikit-learn estimators built on sequence-to-sequence GRUs.

Cluster and segment spatiotemporal data by the dynamics a GRU
encoder-decoder learns from it, without labels (Su & Shlizerman 2020).
"""

from ._clusterer import Seq2SeqClusterer
from ._embedder import Seq2SeqEmbedder
from ._segmenter import TemporalSegmenter

__version__ = "0.1.0"

__all__ = ["Seq2SeqClusterer", "Seq2SeqEmbedder", "TemporalSegmenter", "__version__"]
