"""Seq2SeqForecaster: forecasting behaviour, units, persistence, bad input."""

import pickle

import joblib
import numpy as np
import pytest

from skseq2seq import Seq2SeqEmbedder, Seq2SeqForecaster
from skseq2seq._forecaster import duration_frames


def small(**params):
    return Seq2SeqForecaster(
        **{"hidden_size": 8, "max_epochs": 2, "batch_size": 16, "random_state": 0, **params}
    )


def sines(n=60, length=30, rng=0):
    """Sines of random phase and frequency, two channels (sin and cos), one per row."""
    rng = np.random.default_rng(rng)
    t = np.arange(length)[None, :] * rng.uniform(0.2, 0.4, (n, 1)) + rng.uniform(0, 6, (n, 1))
    return np.stack([np.sin(t), np.cos(t)], axis=2)


@pytest.fixture(scope="module")
def fitted():
    return small(horizon=5).fit(sines())


def test_sine_is_continued_better_than_zero_velocity():
    X = sines(n=200, length=25)
    model = Seq2SeqForecaster(
        horizon=5, hidden_size=32, max_epochs=40, early_stopping=False, random_state=0
    ).fit(X)
    test = sines(n=50, length=25, rng=1)
    forecast = model.predict(test[:, :20])
    truth = test[:, 20:]
    zero = np.repeat(test[:, 19:20], 5, axis=1)
    assert np.mean((forecast - truth) ** 2) < 0.5 * np.mean((zero - truth) ** 2)


def test_shapes_units_and_ragged(fitted):
    X = sines(n=4, length=12, rng=2)
    assert fitted.predict(X).shape == (4, 5, 2)
    ragged = [X[0, :3], X[1], X[2, :1]]
    out = fitted.predict(ragged)
    assert out.shape == (3, 5, 2) and np.isfinite(out).all()
    # A sequence's forecast depends on its own frames only, whatever the batch.
    np.testing.assert_allclose(out[1], fitted.predict(X[1:2])[0], atol=1e-6)
    # Units of X: shifting a channel shifts its forecast.
    shifted = small(horizon=5).fit(sines() + [100.0, 0.0])
    assert abs(shifted.predict(X + [100.0, 0.0])[..., 0].mean() - 100) < 2


def test_univariate_2d_input_gives_2d_forecast():
    X = sines()[:, :, 0]
    model = small(horizon=3).fit(X)
    assert model.n_features_in_ == 1
    assert model.predict(X[:5, :10]).shape == (5, 3)


def test_horizon_and_observed_in_seconds_cut_recordings():
    recordings = [sines(n=1, length=100)[0], sines(n=1, length=64, rng=3)[0]]
    model = small(horizon="0.5s", observed="1s", fps=10, stride=4).fit(recordings)
    assert (model.horizon_, model.observed_) == (5, 10)
    assert model.n_windows_ == len(range(0, 86, 4)) + len(range(0, 50, 4))
    assert model.embedder_.prediction_length_ == 5


def test_duration_frames():
    assert duration_frames("1s", fps=25) == 25
    assert duration_frames("400ms", fps=25) == 10
    assert duration_frames(" 12 ") == 12
    for value, message in [
        ("1s", "fps"),
        ("2 minutes", "duration such as"),
        ("1.5", "whole number"),
        ("10ms", "at least 1"),
        (2.5, "duration such as"),
    ]:
        with pytest.raises(ValueError, match=message):
            duration_frames(value, fps=25 if message == "at least 1" else None)


def test_forecast_is_the_embedders(fitted):
    """One implementation: the forecast is the embedder's, past the observed frames."""
    X = sines(n=3, length=12, rng=4)
    slots = np.repeat(X[:, -1:], 5, axis=1)
    np.testing.assert_array_equal(
        fitted.predict(X), fitted.embedder_.forecast(np.concatenate([X, slots], axis=1))
    )
    assert isinstance(fitted.embedder_, Seq2SeqEmbedder)


def test_early_stopping_keeps_a_validation_loss():
    model = small(horizon=4, max_epochs=30, n_iter_no_change=1, lr=0.05).fit(sines())
    history = model.embedder_.history_
    assert "valid_loss" in history[-1]
    assert model.n_epochs_ == len(history) <= 30
    no_stop = small(horizon=4, early_stopping=False).fit(sines())
    assert "valid_loss" not in no_stop.embedder_.history_[-1]


def test_score_is_negative_standardised_error(fitted):
    X = sines(n=10, length=15, rng=5)
    score = fitted.score(X)
    assert score < 0
    assert np.isclose(fitted.score(X * [1.0, 1.0]), score)


def test_pickle_and_memory(fitted, tmp_path):
    X = sines(n=3, length=10, rng=6)
    copy = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(copy.predict(X), fitted.predict(X))
    memory = joblib.Memory(tmp_path, verbose=0)
    first = small(horizon=5, memory=memory).fit(sines())
    second = small(horizon=5, memory=memory).fit(sines())
    np.testing.assert_array_equal(first.predict(X), second.predict(X))
    assert any(tmp_path.rglob("output.pkl"))


@pytest.mark.parametrize(
    "params, X, message",
    [
        ({"horizon": 30}, sines(length=20), "at least 31 time steps"),
        ({"horizon": "1s"}, sines(), "give the frame rate"),
        ({"observed": 40, "horizon": 5}, sines(length=20), "as long as a training window"),
        ({"horizon": 0}, sines(), "horizon"),
        ({"horizon": "soon"}, sines(), "duration such as"),
        ({"device": "tpu"}, sines(), "tpu"),
        ({"callbacks": ["nope"]}, sines(), "skorch Callback"),
        ({}, sines(n=1), "minimum of 2"),
        ({}, np.full((5, 30, 2), np.nan), "NaN"),
        ({}, [np.zeros((30, 2)), np.zeros((30, 3))], "channel|feature"),
    ],
)
def test_bad_fit_input(params, X, message):
    with pytest.raises((ValueError, TypeError), match=message):
        small(**params).fit(X)


def test_bad_predict_input(fitted):
    with pytest.raises(ValueError, match="2 features per time step"):
        fitted.predict(np.zeros((2, 10, 3)))
    with pytest.raises(ValueError, match="NaN"):
        fitted.predict(np.full((2, 10, 2), np.nan))
    with pytest.raises(ValueError, match="at least 1 time step"):
        fitted.predict([np.zeros((0, 2))])
    with pytest.raises(ValueError, match="at least 6 time steps"):
        fitted.score(np.zeros((2, 5, 2)))
    with pytest.raises(Exception, match="not fitted"):
        small().predict(np.zeros((2, 10, 2)))


def test_untrained_net_is_the_zero_velocity_forecast():
    X = sines(n=20, length=12)
    untrained = small(horizon=4, max_epochs=0, early_stopping=False).fit(X)
    np.testing.assert_allclose(untrained.predict(X), np.repeat(X[:, -1:], 4, axis=1), atol=1e-5)
    # The plain module (the embedder's) starts elsewhere.
    from skseq2seq import Seq2SeqModule

    plain = small(horizon=4, max_epochs=0, early_stopping=False, module=Seq2SeqModule).fit(X)
    assert not np.allclose(plain.predict(X), np.repeat(X[:, -1:], 4, axis=1), atol=1e-3)
