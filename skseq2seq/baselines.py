"""Classical baselines, as estimators with the package's input layout.

What to beat before trusting a learned embedding: each baseline validates
its input as the seq2seq estimators do, takes ``random_state`` where it is
random, and offers ``fit``, ``fit_predict`` and ``labels_``, so that the
same data go to all of them (:func:`skseq2seq.compare` runs them side by
side).

Sequence clustering (``X`` of shape ``(n_samples, n_timesteps, n_features)``,
2D univariate, or a ragged list), beside :class:`~skseq2seq.Seq2SeqClusterer`:

- :class:`MeanStdKMeans`, :class:`MeanStdWard`: per-sequence mean and
  standard deviation of each channel (:func:`~skseq2seq.posture_statistics`);
- :class:`MeanStdSpectral`: the same statistics clustered by the package's
  spectral stage (:class:`~skseq2seq.EmbeddingClusterer`), the strongest
  classical pipeline on most motion capture measured;
- :class:`PCAKMeans`: whole sequences, flattened (resampled to one length);
- :class:`DTWKMeans`: dynamic time warping (needs tslearn).

Segmentation of recordings (``(n_frames, n_features)`` or a list of them),
beside :class:`~skseq2seq.TemporalSegmenter`:

- :class:`WindowStatsSegmenter`: windowed mean and spread of the frames,
  with TemporalSegmenter's temporal smoothing;
- :class:`FrameStatsSegmenter`: TemporalSegmenter's whole pipeline on the
  frames alone (no net), the bar its learned states must clear;
- :class:`GaussianHMMSegmenter`: a Gaussian hidden Markov model (needs hmmlearn).

The optional dependencies install with ``pip install 'skseq2seq[baselines]'``.
"""

from ._baseline_segmenters import FrameStatsSegmenter, GaussianHMMSegmenter, WindowStatsSegmenter
from ._baselines import DTWKMeans, MeanStdKMeans, MeanStdSpectral, MeanStdWard, PCAKMeans

__all__ = [
    "DTWKMeans",
    "FrameStatsSegmenter",
    "GaussianHMMSegmenter",
    "MeanStdKMeans",
    "MeanStdSpectral",
    "MeanStdWard",
    "PCAKMeans",
    "WindowStatsSegmenter",
]
