"""Defaults, automatic k, velocity inputs and a small real-data quality smoke test.

The clustering stage on fixed embeddings is tested in test_embedding_clusterer.py.
"""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from skseq2seq import Seq2SeqClusterer, Seq2SeqEmbedder
from skseq2seq._clusterer import default_embedder
from skseq2seq.datasets import load_cmu_actions, make_motion_sequences, sliding_windows

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
    # The velocity channels are the first differences (standardised like the frames).
    raw = Seq2SeqEmbedder(
        hidden_size=4, max_epochs=1, with_velocity=True, standardize=False, random_state=0
    )
    inputs = raw.fit(X).net_inputs(X)
    np.testing.assert_allclose(inputs[:, 1:, 3:], np.diff(X, axis=1))
    np.testing.assert_allclose(inputs[:, 0, 3:], X[:, 1] - X[:, 0])


def test_with_velocity_without_standardize():
    X, _ = make_motion_sequences(n_sequences=12, n_timesteps=10, n_features=2, random_state=1)
    embedder = Seq2SeqEmbedder(
        hidden_size=4, max_epochs=1, with_velocity=True, standardize=False, random_state=0
    ).fit(X)
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
        n_clusters=3,
        embedder=default_embedder().set_params(hidden_size=16, max_epochs=3),
        random_state=0,
    ).fit(X)
    assert clusterer.n_clusters_ == 3 and clusterer.k_scores_ == {}
    # decoder mean + encoder state, joined with 2 x 6 posture statistics
    assert clusterer.embedding_.shape == (60, 32 + 12)
    assert len(np.unique(clusterer.labels_)) == 3
    # Nearest (cosine) centre: training sequences mostly keep their cluster.
    assert np.mean(clusterer.predict(X) == clusterer.labels_) > 0.7
    # Repeatable with an int random_state.
    again = Seq2SeqClusterer(
        n_clusters=3,
        embedder=default_embedder().set_params(hidden_size=16, max_epochs=3),
        random_state=0,
    ).fit(X)
    np.testing.assert_array_equal(clusterer.labels_, again.labels_)


# -- automatic k --------------------------------------------------------------------


def test_auto_k_respects_max_clusters_and_tiny_inputs():
    X, _ = make_motion_sequences(n_sequences=20, n_timesteps=10, random_state=0)
    small = default_embedder().set_params(hidden_size=4, max_epochs=1)
    clusterer = Seq2SeqClusterer(
        n_clusters="auto", max_clusters=3, embedder=small, random_state=0
    ).fit(X)
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
    # Regimes that differ only in dynamics: the eigengap of the learned states alone.
    model = Seq2SeqClusterer(
        n_clusters="auto",
        embedder=default_embedder().set_params(max_epochs=10),
        features="states",
        random_state=0,
    ).fit(X)
    assert model.n_clusters_ == 4


# -- real data ----------------------------------------------------------------------


@pytest.mark.slow
def test_cmu_small_net_beats_chance(cmu_data_home):
    """Smoke test: a small default-recipe net on a quarter of the CMU windows."""
    recordings, target = load_cmu_actions(cmu_data_home, return_X_y=True)
    W, y = sliding_windows(recordings, 50, 20, y=list(target))
    W, y = W[::3], y[::3]
    model = Seq2SeqClusterer(
        n_clusters=7,
        embedder=default_embedder().set_params(hidden_size=32, max_epochs=3),
        random_state=0,
    )
    labels = model.fit_predict(W)
    assert adjusted_rand_score(y, labels) > 0.2
