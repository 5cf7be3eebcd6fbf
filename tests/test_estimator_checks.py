"""scikit-learn's estimator checks over the sequence estimators, at small and default sizes."""

from importlib.util import find_spec

from sklearn.utils.estimator_checks import parametrize_with_checks

from skseq2seq import EmbeddingClusterer, Seq2SeqClusterer, Seq2SeqEmbedder, Seq2SeqForecaster
from skseq2seq.baselines import (
    DTWKMeans,
    FrameStatsSegmenter,
    GaussianHMMSegmenter,
    MeanStdKMeans,
    MeanStdSpectral,
    MeanStdWard,
    PCAKMeans,
    WindowStatsSegmenter,
)

# A 2D array is a batch of univariate sequences: its second axis is time, so
# n_features_in_ (channels) is 1, not X.shape[1], and sequences of another
# length are valid input rather than a feature mismatch.
_SEQUENCE_AXIS_REASON = (
    "2D input holds univariate sequences: n_features_in_ counts channels (1), not "
    "X.shape[1] (time steps), and sequences of another length are valid input."
)
_SEQUENCE_AXIS = {
    check: _SEQUENCE_AXIS_REASON
    for check in (
        "check_n_features_in",
        "check_n_features_in_after_fitting",
        "check_transformer_general",  # only its final feature-count assertion
    )
}


# The baseline segmenters' samples are the frames of one recording, in time
# order (as for TemporalSegmenter in test_segmenter.py, whose predict also
# fails the sample-order and subset checks).
_TEMPORAL_REASON = "frames are ordered in time: labels depend on their order and neighbours"
_TEMPORAL = {"check_clustering": _TEMPORAL_REASON + " (i.i.d. blobs have no temporal structure)"}


def _expected_failures(estimator):
    if isinstance(estimator, FrameStatsSegmenter):  # a predict that reads neighbours too
        return {
            **_TEMPORAL,
            "check_methods_sample_order_invariance": _TEMPORAL_REASON,
            "check_methods_subset_invariance": _TEMPORAL_REASON,
        }
    if isinstance(estimator, (WindowStatsSegmenter, GaussianHMMSegmenter)):
        return _TEMPORAL
    if isinstance(estimator, EmbeddingClusterer):  # an ordinary 2D embedding
        if estimator.clustering == "agglomerative":
            return {
                "check_estimators_dtypes": (
                    "cosine distance is undefined for the all-zero rows of its integer data"
                )
            }
        return {}
    if getattr(estimator, "objective", None) == "contrastive":
        no_decoder = "score_samples needs a decoder: a ValueError for objective='contrastive'"
        return {
            **_SEQUENCE_AXIS,
            "check_methods_sample_order_invariance": no_decoder,
            "check_methods_subset_invariance": no_decoder,
        }
    return _SEQUENCE_AXIS


def _small_embedder():
    return Seq2SeqEmbedder(hidden_size=8, max_epochs=3, batch_size=16, random_state=0)


# The checks run at the sizes users get (hidden_size=128, 20 epochs, the
# default embedder) as well as at small test sizes: numerical problems such
# as batch-dependent inference show only at realistic sizes.
@parametrize_with_checks(
    [
        _small_embedder(),
        _small_embedder().set_params(objective="contrastive"),
        Seq2SeqClusterer(n_clusters=3, embedder=_small_embedder(), random_state=0),
        Seq2SeqEmbedder(random_state=0),
        Seq2SeqClusterer(random_state=0),
        EmbeddingClusterer(random_state=0),
        Seq2SeqForecaster(horizon=1, hidden_size=8, max_epochs=3, batch_size=16, random_state=0),
        EmbeddingClusterer(n_clusters="auto", random_state=0),
        EmbeddingClusterer(n_clusters=3, clustering="kmeans", random_state=0),
        EmbeddingClusterer(n_clusters=3, clustering="agglomerative"),
        # Baselines (skseq2seq.baselines); the optional ones need their extras.
        MeanStdKMeans(n_clusters=3, random_state=0),
        MeanStdWard(n_clusters=3),
        MeanStdSpectral(n_clusters=3, random_state=0),
        PCAKMeans(n_clusters=3, random_state=0),
        PCAKMeans(n_clusters=3, n_components=None, n_timesteps=4, random_state=0),
        WindowStatsSegmenter(n_clusters=2, fps=10, random_state=0),
        WindowStatsSegmenter(n_clusters=3, fps=10, clustering="kmeans", random_state=0),
        FrameStatsSegmenter(n_clusters=2, fps=10, working_fps=10, context_seconds=(0.5,)),
        *([DTWKMeans(n_clusters=3, random_state=0)] if find_spec("tslearn") else []),
        *([GaussianHMMSegmenter(n_clusters=2, random_state=0)] if find_spec("hmmlearn") else []),
    ],
    expected_failed_checks=_expected_failures,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
