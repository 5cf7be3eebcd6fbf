"""scikit-learn's estimator checks over the sequence estimators, at small and default sizes."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skseq2seq import EmbeddingClusterer, Seq2SeqClusterer, Seq2SeqEmbedder

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


def _expected_failures(estimator):
    if isinstance(estimator, EmbeddingClusterer):  # an ordinary 2D embedding
        if estimator.clustering == "agglomerative":
            return {
                "check_estimators_dtypes": (
                    "cosine distance is undefined for the all-zero rows of its integer data"
                )
            }
        return {}
    return _SEQUENCE_AXIS


def _small_embedder():
    return Seq2SeqEmbedder(hidden_size=8, max_epochs=3, batch_size=16, random_state=0)


# The checks run at the sizes users get (hidden_size=128, 20 epochs, the
# default embedder) as well as at small test sizes: numerical problems such
# as batch-dependent inference show only at realistic sizes.
@parametrize_with_checks(
    [
        _small_embedder(),
        Seq2SeqClusterer(n_clusters=3, embedder=_small_embedder(), random_state=0),
        Seq2SeqEmbedder(random_state=0),
        Seq2SeqClusterer(random_state=0),
        EmbeddingClusterer(random_state=0),
        EmbeddingClusterer(n_clusters="auto", random_state=0),
        EmbeddingClusterer(n_clusters=3, clustering="kmeans", random_state=0),
        EmbeddingClusterer(n_clusters=3, clustering="agglomerative"),
    ],
    expected_failed_checks=_expected_failures,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
