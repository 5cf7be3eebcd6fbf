"""EmbeddingClusterer on fixed embeddings: k, surplus merging, prediction, exactness."""

import warnings

import numpy as np
import pytest
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans, SpectralClustering
from sklearn.metrics import adjusted_rand_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler, normalize

from skseq2seq import EmbeddingClusterer, Seq2SeqClusterer, Seq2SeqEmbedder, posture_statistics
from skseq2seq._numbering import canonical_numbering, renumber
from skseq2seq.datasets import make_motion_sequences


def _blobs_on_sphere(n_per=40, k=4, dim=8, seed=0):
    rng = np.random.RandomState(seed)
    centres = rng.randn(k, dim) * 5
    X = np.concatenate([c + 0.3 * rng.randn(n_per, dim) for c in centres])
    return X, np.repeat(np.arange(k), n_per)


def _three_shapes_two_levels(n_per=30, n_timesteps=12, seed=0):
    """Three sequence shapes (three groups of the embedding); the first two share a level.

    Returns univariate sequences (n, n_timesteps, 1) and their level classes;
    the sequences' values serve as their embedding.
    """
    rng = np.random.RandomState(seed)
    t = np.arange(n_timesteps)
    shapes = [np.sin(t), np.cos(2 * t), np.sign(np.sin(3 * t))]
    levels = [5.0, 5.0, -5.0]
    X = np.concatenate(
        [
            level + 3 * shape + 0.1 * rng.randn(n_per, n_timesteps)
            for shape, level in zip(shapes, levels)
        ]
    )
    return X[:, :, None], np.repeat([0, 0, 1], n_per)


def _labels(string):
    """The labels of a digit string, clusters renumbered by first appearance."""
    labels = np.array([int(c) for c in string])
    return renumber(labels, canonical_numbering(labels))


# -- the same labels as before the clustering stage was its own estimator -----------

# Seq2SeqClusterer(random_state=0, **params)._cluster_embedding(E, X).labels_ of
# the code before the refactor (the same partitions; numbers now canonical), on
# E = RandomState(3).randn(50, 6) as float32 and X = the same values as 50 univariate
# sequences (posture statistics).
_BEFORE = [
    (dict(n_clusters=3), 4, "21210201020000210200010100002122112020020200001021"),
    (dict(n_clusters="auto"), 2, "10100100011011101110000001001011001111110111110110"),
    (
        dict(n_clusters=3, clustering="kmeans"),
        3,
        "10100100210022100100220022001011201200012110100012",
    ),
    (
        dict(n_clusters=3, clustering="agglomerative"),
        3,
        "01011011200120001011111120010100210000102001011102",
    ),
    (
        dict(n_clusters="auto", clustering="kmeans"),
        10,
        "01231213406769537891991349118308438605706296273784",
    ),
]


@pytest.mark.parametrize("params, n_groups, expected", _BEFORE)
def test_labels_as_before_refactor(params, n_groups, expected):
    values = np.random.RandomState(3).randn(50, 6)
    clusterer = EmbeddingClusterer(random_state=0, **params).fit(
        values.astype(np.float32), merge_features=posture_statistics(values[:, :, None])
    )
    assert clusterer.n_groups_ == n_groups
    np.testing.assert_array_equal(clusterer.labels_, _labels(expected))


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_spectral_is_sklearn_nearest_neighbors_spectral(seed, dtype):
    """The precomputed graph gives SpectralClustering(affinity="nearest_neighbors")'s labels."""
    rng = np.random.RandomState(seed)
    E = np.concatenate([rng.randn(60, 5) + 2 * rng.randn(5) for _ in range(4)]).astype(dtype)
    clusterer = EmbeddingClusterer(4, n_extra_clusters=0, random_state=seed).fit(E)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = SpectralClustering(
            4,
            affinity="nearest_neighbors",
            n_neighbors=10,
            assign_labels="cluster_qr",
            random_state=seed,
        ).fit_predict(normalize(E))
    # The same partition; clusters numbered by first appearance.
    np.testing.assert_array_equal(
        clusterer.labels_, renumber(expected, canonical_numbering(expected))
    )
    assert clusterer.clustering_.affinity == "precomputed"


# -- automatic k --------------------------------------------------------------------


def test_eigengaps_find_separated_groups():
    X, _ = _blobs_on_sphere(k=4)
    clusterer = EmbeddingClusterer("auto", random_state=0).fit(X)
    assert set(clusterer.k_scores_) == set(range(2, 11))
    assert clusterer.n_clusters_ == 4
    # The sparse eigensolver path (n > 500) agrees.
    X, _ = _blobs_on_sphere(n_per=150, k=5, seed=1)
    clusterer = EmbeddingClusterer("auto", max_clusters=8, random_state=0).fit(X)
    assert set(clusterer.k_scores_) == set(range(2, 9))
    assert clusterer.n_clusters_ == 5


@pytest.mark.parametrize("clustering", ["spectral", "kmeans", "agglomerative"])
def test_auto_k_on_separated_embedding(clustering):
    X, y = _blobs_on_sphere(k=4)
    clusterer = EmbeddingClusterer("auto", clustering=clustering, random_state=0).fit(X)
    assert clusterer.n_clusters_ == 4
    assert set(clusterer.k_scores_) <= set(range(2, 11))
    assert adjusted_rand_score(y, clusterer.labels_) == 1.0


def test_auto_k_tiny_inputs():
    X, _ = _blobs_on_sphere(n_per=1, k=2)
    clusterer = EmbeddingClusterer("auto", clustering="kmeans", random_state=0).fit(X)
    assert clusterer.n_clusters_ == 1 and clusterer.k_scores_ == {}


# -- surplus spectral groups ---------------------------------------------------------


def test_surplus_groups_are_merged_by_posture():
    X, by_level = _three_shapes_two_levels()
    clusterer = EmbeddingClusterer(2, random_state=0).fit(
        X[:, :, 0], merge_features=posture_statistics(X)
    )
    # The graph holds three groups: three are cut, the two at one level merged.
    assert clusterer.n_groups_ == 3 and clusterer.n_clusters_ == 2
    assert clusterer.clustering_.n_clusters == 3
    assert adjusted_rand_score(by_level, clusterer.labels_) == 1.0
    assert clusterer.cluster_centers_.shape == (2, 12)
    np.testing.assert_array_equal(clusterer.predict(X[:, :, 0]), clusterer.labels_)


def test_merge_features_default_to_the_embedding():
    X, _ = _three_shapes_two_levels()
    E = X[:, :, 0]
    clusterer = EmbeddingClusterer(2, random_state=0).fit(E)
    assert clusterer.n_groups_ == 3
    # The clustered embedding is L2-normalised: merging by it is merging by normalize(E).
    by_embedding = EmbeddingClusterer(2, random_state=0).fit(E, merge_features=normalize(E))
    np.testing.assert_array_equal(clusterer.labels_, by_embedding.labels_)


def test_merge_features_callable_only_called_to_merge():
    X, _ = _three_shapes_two_levels()
    calls = []

    def features():
        calls.append(1)
        return posture_statistics(X)

    merged = EmbeddingClusterer(2, random_state=0).fit(X[:, :, 0], merge_features=features)
    assert calls == [1]
    expected = EmbeddingClusterer(2, random_state=0).fit(
        X[:, :, 0], merge_features=posture_statistics(X)
    )
    np.testing.assert_array_equal(merged.labels_, expected.labels_)
    EmbeddingClusterer(2, n_extra_clusters=0, random_state=0).fit(
        X[:, :, 0], merge_features=features
    )
    assert calls == [1]


@pytest.mark.parametrize("params", [dict(n_extra_clusters=0), dict(clustering="kmeans")])
def test_surplus_merging_off(params):
    X, _ = _three_shapes_two_levels()
    clusterer = EmbeddingClusterer(2, random_state=0, **params).fit(X[:, :, 0])
    assert clusterer.n_groups_ == clusterer.n_clusters_ == 2
    assert len(np.unique(clusterer.labels_)) == 2


def test_no_surplus_when_groups_match_k():
    X, y = _blobs_on_sphere(k=4)
    clusterer = EmbeddingClusterer(4, random_state=0).fit(X)
    assert clusterer.n_groups_ == 4
    assert adjusted_rand_score(y, clusterer.labels_) == 1.0


@pytest.mark.parametrize(
    "params, merge_features, match",
    [
        (dict(n_extra_clusters=-1), None, "n_extra_clusters"),
        (dict(n_clusters="many"), None, "n_clusters"),
        (dict(max_clusters=1), None, "max_clusters"),
        (dict(n_clusters=91), None, "n_samples=90 should be >= n_clusters=91"),
        (dict(n_clusters=90), None, "clustering='spectral' needs more sequences than clusters"),
        (dict(), np.ones((89, 2)), "inconsistent numbers of samples"),
    ],
)
def test_validation(params, merge_features, match):
    X, _ = _three_shapes_two_levels()
    with pytest.raises(ValueError, match=match):
        EmbeddingClusterer(**{"n_clusters": 2, **params}).fit(
            X[:, :, 0], merge_features=merge_features
        )


def test_clustering_class_is_refused():
    with pytest.raises(TypeError, match="clustering=KMeans is a class"):
        EmbeddingClusterer(3, clustering=KMeans).fit(np.eye(5))


# -- clustering options and prediction ------------------------------------------------


@pytest.mark.parametrize(
    "clustering",
    [
        "kmeans",
        "agglomerative",
        AgglomerativeClustering(linkage="ward"),
        SpectralClustering(n_neighbors=5, affinity="nearest_neighbors"),
    ],
)
def test_clustering_options(clustering):
    X, y = _blobs_on_sphere(k=3)
    clusterer = EmbeddingClusterer(3, clustering=clustering, random_state=0).fit(X)
    assert adjusted_rand_score(y, clusterer.labels_) == 1.0
    assert clusterer.cluster_centers_.shape == (3, 8)
    np.testing.assert_array_equal(clusterer.predict(X), clusterer.labels_)


def test_clustering_without_n_clusters_sets_it():
    X, _ = _blobs_on_sphere(k=3)
    clusterer = EmbeddingClusterer(clustering=DBSCAN(eps=2.0)).fit(X)
    assert clusterer.n_clusters_ == clusterer.n_groups_ == 3


def test_predict_nearest_cosine_centre():
    X, _ = _blobs_on_sphere(k=3)
    clusterer = EmbeddingClusterer(3, clustering="agglomerative").fit(X)
    # Scaling a row keeps its direction, hence its cluster.
    np.testing.assert_array_equal(clusterer.predict(7 * X), clusterer.labels_)
    centres = np.stack([normalize(X)[clusterer.labels_ == k].mean(0) for k in range(3)])
    np.testing.assert_array_equal(
        clusterer.predict(X), np.argmin(((normalize(X)[:, None] - centres) ** 2).sum(-1), 1)
    )


def test_kmeans_predict_is_its_own():
    X, _ = _blobs_on_sphere(k=3)
    clusterer = EmbeddingClusterer(3, clustering="kmeans", random_state=0).fit(X)
    assert isinstance(clusterer.clustering_, KMeans)
    kmeans = clusterer.clustering_
    numbering = canonical_numbering(kmeans.labels_)
    np.testing.assert_array_equal(clusterer.labels_, renumber(kmeans.labels_, numbering))
    np.testing.assert_array_equal(clusterer.predict(X), renumber(kmeans.predict(X), numbering))


@pytest.mark.parametrize("clustering", ["spectral", "kmeans", "agglomerative"])
def test_clusters_numbered_by_first_appearance(clustering):
    """Canonical numbering: the same labels on every machine, whatever the solver's numbers."""
    X, _ = _blobs_on_sphere(k=4)
    clusterer = EmbeddingClusterer(4, clustering=clustering, random_state=0).fit(X)
    labels = clusterer.labels_
    firsts = [int(np.flatnonzero(labels == k)[0]) for k in range(4)]
    assert labels[0] == 0 and firsts == sorted(firsts)
    np.testing.assert_array_equal(clusterer.predict(X), labels)
    # A permutation of the samples permutes the labels' numbers, not the partition.
    order = np.random.RandomState(0).permutation(len(X))
    other = EmbeddingClusterer(4, clustering=clustering, random_state=0).fit(X[order]).labels_
    assert other[0] == 0 and adjusted_rand_score(labels[order], other) == 1.0


# -- posture statistics and the pipeline ------------------------------------------------


def test_posture_statistics_ignore_padding():
    rng = np.random.RandomState(0)
    seqs = [rng.randn(n, 3) + i for i, n in enumerate([5, 9, 7, 12])]
    expected = StandardScaler().fit_transform(
        np.array([np.concatenate([s.mean(0), s.std(0)]) for s in seqs])
    )
    np.testing.assert_allclose(posture_statistics(seqs), expected, atol=1e-10)
    # Equal lengths as a 3D array: the same per-sequence statistics.
    same = np.stack([s[:5] for s in seqs])
    np.testing.assert_allclose(posture_statistics(same), posture_statistics(list(same)))


def test_pipeline_reproduces_seq2seq_clusterer():
    X, _ = make_motion_sequences(
        n_sequences=60, n_timesteps=16, n_features=3, n_regimes=3, random_state=0
    )
    embedder = Seq2SeqEmbedder(hidden_size=8, max_epochs=2, batch_size=16)
    clusterer = Seq2SeqClusterer(3, embedder=embedder, features="states", random_state=0).fit(X)
    assert clusterer.n_groups_ > clusterer.n_clusters_  # merging is exercised
    pipeline = make_pipeline(
        embedder.set_params(random_state=0), EmbeddingClusterer(3, random_state=0)
    )
    labels = pipeline.fit_predict(X, embeddingclusterer__merge_features=posture_statistics(X))
    np.testing.assert_array_equal(labels, clusterer.labels_)
    np.testing.assert_array_equal(pipeline.predict(X), clusterer.predict(X))
    stage = pipeline[-1]
    assert stage.n_groups_ == clusterer.n_groups_
    np.testing.assert_array_equal(stage.cluster_centers_, clusterer.cluster_centers_)
