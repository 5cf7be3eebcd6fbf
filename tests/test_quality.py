"""Defaults, automatic k, velocity inputs and a small real-data quality smoke test."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from skseq2seq import Seq2SeqClusterer, Seq2SeqEmbedder
from skseq2seq._clusterer import _eigengaps, _posture_statistics, default_embedder
from skseq2seq.datasets import load_cmu_actions, make_motion_sequences, sliding_windows


def _blobs_on_sphere(n_per=40, k=4, dim=8, seed=0):
    rng = np.random.RandomState(seed)
    centres = rng.randn(k, dim) * 5
    X = np.concatenate([c + 0.3 * rng.randn(n_per, dim) for c in centres])
    return X, np.repeat(np.arange(k), n_per)


# -- with_velocity ------------------------------------------------------------------


def test_with_velocity_doubles_inputs_and_forecast_keeps_units():
    X, _ = make_motion_sequences(n_sequences=30, n_timesteps=12, n_features=3, random_state=0)
    embedder = Seq2SeqEmbedder(hidden_size=8, max_epochs=2, with_velocity=True, random_state=0)
    embedder.fit(X)
    assert embedder.n_features_in_ == 3
    assert embedder.features_kept_.shape == (6,)
    assert embedder.module_.readout.out_features == 6
    assert embedder.forecast(X).shape == (30, 6, 3)
    assert embedder.transform(X).shape == (30, 8)
    # The velocity channels are the standardised first differences.
    inputs = embedder._inputs(X)
    np.testing.assert_allclose(inputs[:, 1:, 3:], np.diff(X, axis=1))
    np.testing.assert_allclose(inputs[:, 0, 3:], X[:, 1] - X[:, 0])


def test_with_velocity_without_standardize():
    X, _ = make_motion_sequences(n_sequences=12, n_timesteps=10, n_features=2, random_state=1)
    embedder = Seq2SeqEmbedder(hidden_size=4, max_epochs=1, with_velocity=True,
                               standardize=False, random_state=0).fit(X)
    assert embedder.features_kept_.all() and embedder.features_kept_.shape == (4,)
    assert np.isfinite(embedder.forecast(X)).all()


# -- defaults ---------------------------------------------------------------------


def test_default_embedder_and_clustering():
    clusterer = Seq2SeqClusterer()
    assert clusterer.clustering == "spectral"
    params = default_embedder().get_params()
    assert params["decoder_strategy"] == "fixed_state"
    assert params["with_velocity"] and params["embedding"] == "both"


def test_defaults_fit_and_predict_small():
    X, y = make_motion_sequences(n_sequences=60, n_timesteps=16, n_regimes=3, random_state=0)
    clusterer = Seq2SeqClusterer(
        n_clusters=3, embedder=default_embedder().set_params(hidden_size=16, max_epochs=3),
        random_state=0,
    ).fit(X)
    assert clusterer.n_clusters_ == 3 and clusterer.k_scores_ == {}
    assert clusterer.embedding_.shape == (60, 32)  # decoder mean + encoder state
    assert len(np.unique(clusterer.labels_)) == 3
    # Nearest (cosine) centre: training sequences mostly keep their cluster.
    assert np.mean(clusterer.predict(X) == clusterer.labels_) > 0.7
    # Repeatable with an int random_state.
    again = Seq2SeqClusterer(
        n_clusters=3, embedder=default_embedder().set_params(hidden_size=16, max_epochs=3),
        random_state=0,
    ).fit(X)
    np.testing.assert_array_equal(clusterer.labels_, again.labels_)


# -- automatic k --------------------------------------------------------------------


def test_eigengaps_find_separated_groups():
    from sklearn.preprocessing import normalize

    X, _ = _blobs_on_sphere(k=4)
    gaps = _eigengaps(normalize(X), 10)
    assert set(gaps) == set(range(2, 11))
    assert max(gaps, key=gaps.get) == 4
    # The sparse eigensolver path (n > 500) agrees.
    X, _ = _blobs_on_sphere(n_per=150, k=5, seed=1)
    gaps = _eigengaps(normalize(X), 8)
    assert max(gaps, key=gaps.get) == 5


class FixedEmbedder(Seq2SeqEmbedder):
    """The net replaced by a fixed embedding: each univariate sequence's values."""

    def fit(self, X, y=None):
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        return np.asarray(X)[:, :, 0]


@pytest.mark.parametrize("clustering", ["spectral", "kmeans", "agglomerative"])
def test_auto_k_on_separated_embedding(clustering, monkeypatch):
    """With the net replaced by a fixed embedding, "auto" finds the 4 groups."""
    X, y = _blobs_on_sphere(k=4)

    clusterer = Seq2SeqClusterer(
        n_clusters="auto", embedder=FixedEmbedder(), clustering=clustering, random_state=0
    )
    clusterer.fit(X[:, :, None])
    assert clusterer.n_clusters_ == 4
    assert set(clusterer.k_scores_) <= set(range(2, 11))
    assert adjusted_rand_score(y, clusterer.labels_) == 1.0


def test_auto_k_respects_max_clusters_and_tiny_inputs():
    X, _ = make_motion_sequences(n_sequences=20, n_timesteps=10, random_state=0)
    small = default_embedder().set_params(hidden_size=4, max_epochs=1)
    clusterer = Seq2SeqClusterer(n_clusters="auto", max_clusters=3, embedder=small,
                                 random_state=0).fit(X)
    assert set(clusterer.k_scores_) == {2, 3}
    assert clusterer.n_clusters_ == max(clusterer.k_scores_, key=clusterer.k_scores_.get)
    tiny = Seq2SeqClusterer(n_clusters="auto", embedder=small, random_state=0).fit(X[:2])
    assert tiny.n_clusters_ == 1


def test_auto_k_validation():
    X, _ = make_motion_sequences(n_sequences=10, n_timesteps=10, random_state=0)
    with pytest.raises(ValueError, match="n_clusters"):
        Seq2SeqClusterer(n_clusters="many").fit(X)
    with pytest.raises(ValueError, match="max_clusters"):
        Seq2SeqClusterer(n_clusters="auto", max_clusters=1).fit(X)


@pytest.mark.slow
def test_auto_k_synthetic_default_embedder():
    X, _ = make_motion_sequences(n_sequences=200, random_state=0)
    model = Seq2SeqClusterer(
        n_clusters="auto", embedder=default_embedder().set_params(max_epochs=10), random_state=0
    ).fit(X)
    assert model.n_clusters_ == 4


# -- surplus spectral groups ---------------------------------------------------------


def _three_shapes_two_levels(n_per=30, n_timesteps=12, seed=0):
    """Three sequence shapes (three groups of the embedding); the first two share a level."""
    rng = np.random.RandomState(seed)
    t = np.arange(n_timesteps)
    shapes = [np.sin(t), np.cos(2 * t), np.sign(np.sin(3 * t))]
    levels = [5.0, 5.0, -5.0]
    X = np.concatenate([
        level + 3 * shape + 0.1 * rng.randn(n_per, n_timesteps)
        for shape, level in zip(shapes, levels)
    ])
    return X[:, :, None], np.repeat([0, 0, 1], n_per)


def test_surplus_groups_are_merged_by_posture():
    X, by_level = _three_shapes_two_levels()
    clusterer = Seq2SeqClusterer(2, embedder=FixedEmbedder(), random_state=0).fit(X)
    # The graph holds three groups: three are cut, the two at one level merged.
    assert clusterer.n_groups_ == 3 and clusterer.n_clusters_ == 2
    assert clusterer.clustering_.n_clusters == 3
    assert adjusted_rand_score(by_level, clusterer.labels_) == 1.0
    assert clusterer.cluster_centers_.shape == (2, 12)
    np.testing.assert_array_equal(clusterer.predict(X), clusterer.labels_)


@pytest.mark.parametrize("params", [dict(n_extra_clusters=0), dict(clustering="kmeans")])
def test_surplus_merging_off(params):
    X, _ = _three_shapes_two_levels()
    clusterer = Seq2SeqClusterer(2, embedder=FixedEmbedder(), random_state=0, **params).fit(X)
    assert clusterer.n_groups_ == clusterer.n_clusters_ == 2
    assert len(np.unique(clusterer.labels_)) == 2


def test_no_surplus_when_groups_match_k():
    X, y = _blobs_on_sphere(k=4)
    clusterer = Seq2SeqClusterer(4, embedder=FixedEmbedder(), random_state=0).fit(X[:, :, None])
    assert clusterer.n_groups_ == 4
    assert adjusted_rand_score(y, clusterer.labels_) == 1.0


def test_n_extra_clusters_validation():
    X, _ = _three_shapes_two_levels()
    with pytest.raises(ValueError, match="n_extra_clusters"):
        Seq2SeqClusterer(2, embedder=FixedEmbedder(), n_extra_clusters=-1).fit(X)


def test_posture_statistics_ignore_padding():
    from sklearn.preprocessing import StandardScaler

    rng = np.random.RandomState(0)
    seqs = [rng.randn(n, 3) + i for i, n in enumerate([5, 9, 7, 12])]
    expected = StandardScaler().fit_transform(
        np.array([np.concatenate([s.mean(0), s.std(0)]) for s in seqs])
    )
    np.testing.assert_allclose(_posture_statistics(seqs), expected, atol=1e-10)
    # Equal lengths as a 3D array: the same per-sequence statistics.
    same = np.stack([s[:5] for s in seqs])
    np.testing.assert_allclose(_posture_statistics(same), _posture_statistics(list(same)))


# -- real data ----------------------------------------------------------------------


@pytest.mark.slow
def test_cmu_small_net_beats_chance(cmu_data_home):
    """Smoke test: a small default-recipe net on a quarter of the CMU windows."""
    recordings, target = load_cmu_actions(cmu_data_home, return_X_y=True)
    W, y = sliding_windows(recordings, 50, 20, y=list(target))
    W, y = W[::3], y[::3]
    model = Seq2SeqClusterer(
        n_clusters=7, embedder=default_embedder().set_params(hidden_size=32, max_epochs=3),
        random_state=0,
    )
    labels = model.fit_predict(W)
    assert adjusted_rand_score(y, labels) > 0.2
