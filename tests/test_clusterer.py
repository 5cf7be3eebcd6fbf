"""Seq2SeqClusterer: clustering options, prediction, caching in grid search."""

import numpy as np
import pytest
from sklearn.cluster import AgglomerativeClustering, SpectralClustering
from sklearn.model_selection import GridSearchCV

from skseq2seq import Seq2SeqClusterer, Seq2SeqEmbedder
from skseq2seq.datasets import make_motion_sequences


def small_embedder(**params):
    return Seq2SeqEmbedder(**{"hidden_size": 8, "max_epochs": 2, "batch_size": 16, **params})


@pytest.fixture(scope="module")
def data():
    return make_motion_sequences(n_sequences=60, n_timesteps=16, n_features=3, n_regimes=3,
                                 random_state=0)


@pytest.mark.parametrize(
    "clustering",
    ["kmeans", "agglomerative", AgglomerativeClustering(linkage="ward"),
     SpectralClustering(n_neighbors=5, affinity="nearest_neighbors")],
)
def test_clustering_options_label_every_sequence(data, clustering):
    X, _ = data
    model = Seq2SeqClusterer(3, embedder=small_embedder(), clustering=clustering, random_state=0)
    labels = model.fit_predict(X)
    assert labels.shape == (60,) and len(np.unique(labels)) == 3
    assert model.embedding_.shape == (60, 8)
    assert model.cluster_centers_.shape == (3, 8)
    # Training sequences mostly get their own clusters back from predict
    # (exactly for k-means, whose predict is the nearest centre it fitted).
    predicted = model.predict(X)
    if clustering == "kmeans":
        np.testing.assert_array_equal(predicted, labels)
    assert np.mean(predicted == labels) > 0.7


def test_predict_without_clusterer_predict_uses_nearest_centre(data):
    X, _ = data
    model = Seq2SeqClusterer(3, embedder=small_embedder(), clustering="agglomerative",
                             random_state=0).fit(X)
    agreement = np.mean(model.predict(X) == model.labels_)
    assert agreement > 0.8


def test_default_embedder_and_random_state_propagate(data):
    X, _ = data
    model = Seq2SeqClusterer(3, embedder=small_embedder(), random_state=5).fit(X)
    assert model.embedder_.random_state == 5
    assert Seq2SeqClusterer().get_params()["embedder"] is None
    again = Seq2SeqClusterer(3, embedder=small_embedder(), random_state=5).fit(X)
    np.testing.assert_array_equal(model.labels_, again.labels_)


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
        cv=2, scoring="adjusted_rand_score",
    ).fit(X, y)
    # 2 hidden sizes x 2 folds + the refit: k never retrains the network.
    assert len(calls) == 5
    # The refit is the best setting, trained on all of X.
    assert search.best_estimator_.get_params()["embedder__hidden_size"] == \
        search.best_params_["embedder__hidden_size"]
    assert len(search.best_estimator_.labels_) == len(X)
