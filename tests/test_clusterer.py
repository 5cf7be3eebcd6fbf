"""Seq2SeqClusterer: clustering options, prediction, caching in grid search."""

import numpy as np
import pytest
from sklearn.cluster import AgglomerativeClustering, KMeans, SpectralClustering
from sklearn.decomposition import PCA
from sklearn.model_selection import GridSearchCV

from skseq2seq import EmbeddingClusterer, Seq2SeqClusterer, Seq2SeqEmbedder
from skseq2seq.datasets import make_motion_sequences


def small_embedder(**params):
    return Seq2SeqEmbedder(**{"hidden_size": 8, "max_epochs": 2, "batch_size": 16, **params})


@pytest.fixture(scope="module")
def data():
    return make_motion_sequences(
        n_sequences=60, n_timesteps=16, n_features=3, n_regimes=3, random_state=0
    )


@pytest.mark.parametrize(
    "clustering",
    [
        "kmeans",
        "agglomerative",
        AgglomerativeClustering(linkage="ward"),
        SpectralClustering(n_neighbors=5, affinity="nearest_neighbors"),
    ],
)
def test_clustering_options_label_every_sequence(data, clustering):
    X, _ = data
    model = Seq2SeqClusterer(3, embedder=small_embedder(), clustering=clustering, random_state=0)
    labels = model.fit_predict(X)
    assert labels.shape == (60,) and len(np.unique(labels)) == 3
    # The default joins the 8 learned states and the 2 x 3 posture statistics.
    assert model.embedding_.shape == (60, 8 + 6)
    assert model.cluster_centers_.shape == (3, 8 + 6)
    # Training sequences mostly get their own clusters back from predict
    # (exactly for k-means, whose predict is the nearest centre it fitted).
    predicted = model.predict(X)
    if clustering == "kmeans":
        np.testing.assert_array_equal(predicted, labels)
    assert np.mean(predicted == labels) > 0.7


def test_predict_without_clusterer_predict_uses_nearest_centre(data):
    X, _ = data
    model = Seq2SeqClusterer(
        3, embedder=small_embedder(), clustering="agglomerative", random_state=0
    ).fit(X)
    agreement = np.mean(model.predict(X) == model.labels_)
    assert agreement > 0.8


def test_default_embedder_and_random_state_propagate(data):
    X, _ = data
    model = Seq2SeqClusterer(3, embedder=small_embedder(), random_state=5).fit(X)
    assert model.embedder_.random_state == 5
    assert Seq2SeqClusterer().get_params()["embedder"] is None
    again = Seq2SeqClusterer(3, embedder=small_embedder(), random_state=5).fit(X)
    np.testing.assert_array_equal(model.labels_, again.labels_)


def test_clustering_stage_is_an_embedding_clusterer(data):
    X, _ = data
    model = Seq2SeqClusterer(3, embedder=small_embedder(), n_extra_clusters=1, random_state=0).fit(
        X
    )
    stage = model.embedding_clusterer_
    assert isinstance(stage, EmbeddingClusterer)
    assert stage.get_params() == dict(
        n_clusters=3, clustering="spectral", max_clusters=10, n_extra_clusters=1, random_state=0
    )
    for name in (
        "labels_",
        "n_clusters_",
        "n_groups_",
        "k_scores_",
        "cluster_centers_",
        "clustering_",
    ):
        assert getattr(model, name) is getattr(stage, name)
    np.testing.assert_array_equal(model.predict(X), stage.predict(model.embedding_))


def test_too_many_clusters(data):
    X, _ = data
    with pytest.raises(ValueError, match="n_samples=60 should be >= n_clusters=70"):
        Seq2SeqClusterer(70, embedder=small_embedder()).fit(X)


def test_grid_search_trains_once_per_embedder_setting_and_fold(data, tmp_path, monkeypatch):
    X, y = data
    calls = []
    original_fit = Seq2SeqEmbedder.fit

    def counting_fit(self, X, y=None):
        calls.append(self.hidden_size)
        return original_fit(self, X, y)

    monkeypatch.setattr(Seq2SeqEmbedder, "fit", counting_fit)
    search = GridSearchCV(
        Seq2SeqClusterer(embedder=small_embedder(), memory=str(tmp_path), random_state=0),
        {"embedder__hidden_size": [4, 8], "n_clusters": [2, 3, 4]},
        cv=2,
        scoring="adjusted_rand_score",
    ).fit(X, y)
    # 2 hidden sizes x 2 folds + the refit: k never retrains the network.
    assert len(calls) == 5
    # The refit is the best setting, trained on all of X.
    assert (
        search.best_estimator_.get_params()["embedder__hidden_size"]
        == search.best_params_["embedder__hidden_size"]
    )
    assert len(search.best_estimator_.labels_) == len(X)


# -- reliability: the default embedder is searchable; checks before training --


def test_default_embedder_params_are_listed_and_settable():
    model = Seq2SeqClusterer()
    params = model.get_params(deep=True)
    assert params["embedder"] is None
    assert params["embedder__hidden_size"] == 128
    assert params["embedder__decoder_strategy"] == "fixed_state"
    assert Seq2SeqClusterer().get_params(deep=False)["embedder"] is None
    model.set_params(embedder__hidden_size=32)
    assert model.embedder.hidden_size == 32
    defaults = {
        k[len("embedder__") :]: v
        for k, v in Seq2SeqClusterer().get_params().items()
        if k.startswith("embedder__")
    }
    assert model.embedder.get_params() == {**defaults, "hidden_size": 32}
    # The default of a fresh estimator is untouched.
    assert Seq2SeqClusterer().get_params()["embedder__hidden_size"] == 128


def test_grid_search_over_default_embedder_with_numpy_values(data):
    X, y = data
    search = GridSearchCV(
        Seq2SeqClusterer(random_state=0, embedder=None).set_params(
            embedder__max_epochs=1, embedder__batch_size=32
        ),
        {"embedder__hidden_size": np.arange(4, 9, 4), "n_clusters": np.array([2, 3])},
        scoring="adjusted_rand_score",
        cv=2,
    ).fit(X, y)
    assert search.best_params_["embedder__hidden_size"] in (4, 8)
    assert search.best_estimator_.embedder_.module_.hidden_size in (4, 8)


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"n_clusters": 61}, ValueError, "n_samples=60 should be >= n_clusters=61"),
        (
            {"n_clusters": 60},
            ValueError,
            "clustering='spectral' needs more sequences than clusters",
        ),
        ({"n_clusters": 3, "clustering": KMeans}, TypeError, "clustering=KMeans is a class"),
        ({"n_clusters": 3, "clustering": PCA()}, ValueError, "fit_predict"),
        (
            {"n_clusters": 3, "embedder": Seq2SeqEmbedder(callbacks=[object()])},
            TypeError,
            r"callbacks\[0\]",
        ),
        (
            {"n_clusters": 3, "embedder": Seq2SeqEmbedder(device="foo")},
            ValueError,
            "not a torch device",
        ),
    ],
)
def test_known_problems_fail_before_training(data, params, error, match, monkeypatch):
    from skseq2seq._net import Seq2SeqNet

    def train_step(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(Seq2SeqNet, "train_step", train_step)
    with pytest.raises(error, match=match):
        Seq2SeqClusterer(**params).fit(data[0])


def test_features_statistics_is_the_mean_std_spectral_baseline_without_a_net(data, monkeypatch):
    from skseq2seq import posture_statistics
    from skseq2seq._net import Seq2SeqNet
    from skseq2seq.baselines import MeanStdSpectral

    def train_step(*args, **kwargs):
        raise AssertionError("features='statistics' trained a net")

    monkeypatch.setattr(Seq2SeqNet, "train_step", train_step)
    X, _ = data
    model = Seq2SeqClusterer(3, features="statistics", random_state=0).fit(X)
    baseline = MeanStdSpectral(3, random_state=0).fit(X)
    assert model.embedder_ is None and model.n_features_in_ == 3
    np.testing.assert_array_equal(model.labels_, baseline.labels_)
    np.testing.assert_allclose(model.embedding_, posture_statistics(X))
    np.testing.assert_array_equal(model.predict(X[:10]), baseline.predict(X[:10]))


def test_features_joined_weights_the_views_squared_distances(data):
    from sklearn.metrics import euclidean_distances
    from sklearn.preprocessing import normalize

    from skseq2seq import posture_statistics

    X, _ = data
    states = Seq2SeqClusterer(3, embedder=small_embedder(), features="states", random_state=0).fit(
        X
    )
    joined = Seq2SeqClusterer(
        3,
        embedder=small_embedder(),
        features="states+statistics",
        states_weight=0.25,
        random_state=0,
    ).fit(X)
    # The same net (same seed) under both; the joined rows are of unit norm and their
    # squared distances are 0.25 x the states' plus 0.75 x the statistics' (normalised).
    E, P = normalize(states.embedding_), normalize(posture_statistics(X))
    np.testing.assert_allclose(np.linalg.norm(joined.embedding_, axis=1), 1.0, rtol=1e-6)
    expected = 0.25 * euclidean_distances(E, squared=True) + 0.75 * euclidean_distances(
        P, squared=True
    )
    np.testing.assert_allclose(
        euclidean_distances(joined.embedding_, squared=True), expected, atol=1e-5
    )
    assert joined.embedding_.shape == (60, 8 + 6)
    assert np.mean(joined.predict(X) == joined.labels_) > 0.8


def test_features_states_is_unchanged_by_states_weight(data):
    X, _ = data
    a = Seq2SeqClusterer(3, embedder=small_embedder(), features="states", random_state=0).fit(X)
    b = Seq2SeqClusterer(
        3, embedder=small_embedder(), features="states", states_weight=0.9, random_state=0
    ).fit(X)
    np.testing.assert_array_equal(a.labels_, b.labels_)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"features": "frames"}, "'features' parameter"),
        ({"features": "states+statistics", "states_weight": 0.0}, "'states_weight' parameter"),
        ({"features": "states+statistics", "states_weight": 1}, "'states_weight' parameter"),
        ({"states_weight": 1.5}, "'states_weight' parameter"),
    ],
)
def test_bad_features_settings_fail_before_training(data, params, match, monkeypatch):
    from skseq2seq._net import Seq2SeqNet

    def train_step(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(Seq2SeqNet, "train_step", train_step)
    with pytest.raises(ValueError, match=match):
        Seq2SeqClusterer(3, **params).fit(data[0])


def test_features_statistics_predict_checks_the_channels(data):
    X, _ = data
    model = Seq2SeqClusterer(3, features="statistics", random_state=0).fit(X)
    with pytest.raises(ValueError, match="3"):
        model.predict(X[:, :, :2])
