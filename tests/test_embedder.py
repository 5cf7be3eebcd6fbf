"""Seq2SeqEmbedder: shapes, options, variable lengths, repeatability, bad input."""

import os
import pickle
import signal

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skseq2seq import Seq2SeqEmbedder
from skseq2seq.datasets import make_motion_sequences


def small(**params):
    defaults = dict(hidden_size=8, max_epochs=2, batch_size=16, random_state=0)
    return Seq2SeqEmbedder(**{**defaults, **params})


@pytest.fixture(scope="module")
def data():
    X, y = make_motion_sequences(n_sequences=48, n_timesteps=16, n_features=3, random_state=0)
    return X, y


@pytest.mark.parametrize(
    "params, n_steps",
    [
        ({}, 8),
        ({"decoder_input": "teacher"}, 8),
        ({"decoder_input": "zeros", "prediction_length": 5}, 5),
        ({"objective": "reconstruct", "decoder_input": "zeros"}, 16),
        ({"decoder_strategy": "fixed_state", "bidirectional_encoder": True}, 8),
        ({"decoder_strategy": "fixed_weights", "num_layers": 2}, 8),
    ],
)
def test_options_give_documented_shapes(data, params, n_steps):
    X, _ = data
    embedder = small(**params).fit(X)
    assert embedder.transform(X).shape == (48, 8)
    assert embedder.transform_states(X).shape == (48, n_steps, 8)
    assert embedder.forecast(X).shape == (48, n_steps, 3)
    assert embedder.score_samples(X).shape == (48,)
    assert embedder.n_features_in_ == 3


@pytest.mark.parametrize(
    "embedding, pooling, width",
    [
        ("decoder", "mean", 8),
        ("decoder", "last", 8),
        ("decoder", "concat", 16),
        ("encoder", "mean", 8),
        ("both", "mean", 16),
    ],
)
def test_embedding_choices(data, embedding, pooling, width):
    X, _ = data
    embedder = small(embedding=embedding, pooling=pooling).fit(X)
    Z = embedder.transform(X)
    assert Z.shape == (48, width) and Z.dtype == np.float32
    # Decoder embeddings are pooled from the per-step states transform_states gives.
    states = embedder.transform_states(X)
    pooled = {
        "mean": states.mean(1),
        "last": states[:, -1],
        "concat": np.hstack([states.mean(1), states[:, -1]]),
    }[pooling]
    if embedding == "decoder":
        np.testing.assert_allclose(Z, pooled, rtol=1e-5, atol=1e-6)
    elif embedding == "both":
        np.testing.assert_allclose(Z[:, :8], pooled, rtol=1e-5, atol=1e-6)


def test_bidirectional_encoder_embedding_has_both_directions(data):
    X, _ = data
    assert small(embedding="encoder", bidirectional_encoder=True).fit_transform(X).shape == (48, 16)


def test_fixed_weights_leaves_decoder_untrained(data):
    X, _ = data
    untrained = small(decoder_strategy="fixed_weights", max_epochs=0).fit(X)
    trained = small(decoder_strategy="fixed_weights", max_epochs=3).fit(X)
    # Same seed, same initial weights: training moved the encoder, not the decoder.
    for p0, p1 in zip(untrained.module_.decoder.parameters(), trained.module_.decoder.parameters()):
        torch.testing.assert_close(p0, p1)
    assert not torch.allclose(
        untrained.module_.encoder.weight_ih_l0, trained.module_.encoder.weight_ih_l0
    )


def test_training_lowers_the_loss(data):
    X, _ = data
    history = small(max_epochs=8, hidden_size=16).fit(X).history_
    losses = history[:, "train_loss"]
    assert losses[-1] < 0.8 * losses[0]


def test_same_random_state_same_embedding_and_different_seed_differs(data):
    X, _ = data
    a = small(random_state=3).fit_transform(X)
    b = small(random_state=3).fit_transform(X)
    c = small(random_state=4).fit_transform(X)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_fit_leaves_global_torch_rng_alone(data):
    X, _ = data
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    small().fit(X)
    torch.testing.assert_close(torch.rand(3), expected)


def test_clone_and_pickle_round_trip(data):
    X, _ = data
    embedder = small().fit(X)
    assert clone(embedder).get_params() == embedder.get_params()
    restored = pickle.loads(pickle.dumps(embedder))
    np.testing.assert_array_equal(restored.transform(X), embedder.transform(X))


def test_variable_length_padding_does_not_leak():
    rng = np.random.RandomState(0)
    seqs = [rng.randn(n, 2) for n in (12, 20, 15, 30, 12, 25)]
    embedder = small(prediction_length=4).fit(seqs)
    together = embedder.transform(seqs)
    alone = np.concatenate([embedder.transform([s]) for s in seqs])
    np.testing.assert_allclose(together, alone, rtol=1e-5, atol=1e-6)
    # The prediction objective reads each sequence's own last steps.
    assert embedder.forecast(seqs).shape == (6, 4, 2)


def test_reconstruct_variable_length_pads_states_with_nan():
    rng = np.random.RandomState(0)
    seqs = [rng.randn(n, 2) for n in (6, 10, 8)]
    embedder = small(objective="reconstruct", decoder_input="zeros").fit(seqs)
    states = embedder.transform_states(seqs)
    assert states.shape == (3, 10, 8)
    assert np.isnan(states[0, 6:]).all() and not np.isnan(states[0, :6]).any()
    assert not np.isnan(embedder.transform(seqs)).any()


def test_univariate_2d_and_list_inputs_agree(data):
    X, _ = data
    U = X[:, :, 0]
    embedder = small().fit(U)
    assert embedder.n_features_in_ == 1
    np.testing.assert_allclose(embedder.transform(U), embedder.transform(list(U)), rtol=1e-6)
    np.testing.assert_allclose(embedder.transform(U), embedder.transform(U[:, :, None]), rtol=1e-6)


def test_standardisation_drops_constant_channels_and_forecast_restores_units(data):
    X, _ = data
    X = np.concatenate([X * 50 + 7, np.full(X.shape[:2] + (1,), 3.5)], axis=2)
    embedder = small().fit(X)
    assert embedder.features_kept_.tolist() == [True, True, True, False]
    frames = embedder.forecast(X)
    np.testing.assert_allclose(frames[..., 3], 3.5)
    # The network sees standardised inputs: the same network trained on
    # pre-standardised data without the built-in scaler predicts the same
    # frames, in standardised units; forecast maps them back to X's units.
    mean, scale = X[..., :3].reshape(-1, 3).mean(0), X[..., :3].reshape(-1, 3).std(0)
    raw = small(standardize=False).fit((X[..., :3] - mean) / scale)
    expected = raw.forecast((X[..., :3] - mean) / scale) * scale + mean
    np.testing.assert_allclose(frames[..., :3], expected, rtol=1e-4, atol=1e-3 * scale.max())


def test_score_samples_flags_unfamiliar_dynamics():
    X, _ = make_motion_sequences(
        n_sequences=96, n_timesteps=20, n_features=3, noise=0.05, random_state=0
    )
    embedder = small(max_epochs=15, hidden_size=16, decoder_input="teacher").fit(X)
    noise = np.random.RandomState(1).randn(20, 20, 3) * X.std()
    assert np.median(embedder.score_samples(X)) > np.median(embedder.score_samples(noise))


def test_pipeline_with_scaler_and_kmeans(data):
    X, _ = data
    pipe = make_pipeline(small(), StandardScaler(), KMeans(3, n_init=2, random_state=0))
    labels = pipe.fit_predict(X)
    # The same as composing the steps by hand.
    Z = StandardScaler().fit_transform(small().fit_transform(X))
    np.testing.assert_array_equal(labels, KMeans(3, n_init=2, random_state=0).fit_predict(Z))


@pytest.mark.parametrize(
    "X, message",
    [
        (np.full((4, 10, 2), np.nan), "NaN"),
        (np.full((4, 10, 2), np.inf), "infinity"),
        (np.zeros((0, 10, 2)), "0 sample"),
        (np.zeros(10), r"X.reshape\(1, -1\)"),
        (np.zeros((2, 3, 4, 5)), "4 dimension"),
        (np.zeros((4, 1, 2)), "at least 2 time steps"),
        (np.array([["a", "b"], ["c", "d"]]), "could not convert"),
        (
            [np.zeros((5, 2)), np.zeros((5, 3))],
            "same number of channels: sequence 0 has 2 and sequence 1 has 3",
        ),
        ([np.zeros((5, 2)), np.zeros((5, 2, 2))], "Sequence 1 has 3 dimensions"),
    ],
)
def test_bad_input_raises_clear_value_error(X, message):
    with pytest.raises(ValueError, match=message):
        small().fit(X)


def test_sequences_too_short_for_prediction_length():
    with pytest.raises(ValueError, match="prediction_length \\+ 1 = 6"):
        small(prediction_length=5).fit(np.zeros((4, 5, 2)))


def test_transform_checks_features_and_length(data):
    X, _ = data
    embedder = small().fit(X)
    with pytest.raises(ValueError, match="X has 2 features per time step.*3"):
        embedder.transform(X[:, :, :2])
    with pytest.raises(ValueError, match="at least 9 time steps"):
        embedder.transform(X[:, :8])


def test_invalid_parameter_is_rejected(data):
    X, _ = data
    with pytest.raises(ValueError, match="objective"):
        small(objective="forecast").fit(X)


def test_verbose_shows_the_epoch_table(data, capsys):
    X, _ = data
    small(verbose=1, max_epochs=2).fit(X)
    out = capsys.readouterr().out
    assert "train_loss" in out and "epoch" in out
    small(verbose=0).fit(X)
    assert capsys.readouterr().out == ""


# -- reliability: parameters, devices, ranges, training stops -------------


def test_numpy_scalar_parameters_work(data):
    X, _ = data
    embedder = Seq2SeqEmbedder(
        hidden_size=np.int64(8),
        batch_size=np.int64(8),
        max_epochs=np.int32(2),
        num_layers=np.int64(1),
        prediction_length=np.int64(4),
        lr=np.float64(1e-3),
        gradient_clipping=np.float32(1.0),
        random_state=np.int64(0),
    )
    embedding = embedder.fit_transform(X)
    assert embedding.shape == (len(X), 8) and np.isfinite(embedding).all()
    assert embedder.n_epochs_ == 2
    np.testing.assert_array_equal(
        embedding, small(prediction_length=4, batch_size=8).fit_transform(X)
    )


@pytest.mark.parametrize(
    "device, match",
    [
        ("foo", "not a torch device"),
        pytest.param(
            "cuda",
            "CUDA is not available",
            marks=pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA present"),
        ),
    ],
)
def test_bad_device_fails_before_training(data, device, match, monkeypatch):
    _forbid_training(monkeypatch)
    with pytest.raises(ValueError, match=match):
        small(device=device).fit(data[0])


def test_bad_callbacks_fail_before_training(data, monkeypatch):
    _forbid_training(monkeypatch)
    with pytest.raises(TypeError, match=r"callbacks\[0\] is <object"):
        small(callbacks=[object()]).fit(data[0])


def _forbid_training(monkeypatch):
    from skseq2seq._net import Seq2SeqNet

    def train_step(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(Seq2SeqNet, "train_step", train_step)


@pytest.mark.parametrize("scale", [1e155, 1e300])
def test_huge_finite_input_trains_like_the_original(data, scale):
    X, _ = data
    embedder = small().fit(X * scale)
    reference = small().fit(X)
    np.testing.assert_allclose(
        embedder.history_[:, "train_loss"], reference.history_[:, "train_loss"], rtol=1e-4
    )
    assert np.isfinite(embedder.transform(X * scale)).all()


def test_one_huge_entry_keeps_its_channel_finite(data):
    X = data[0].copy()
    X[0, 0, 1] = 1e300
    embedder = small().fit(X)
    assert embedder.features_kept_.all()
    assert np.isfinite(embedder.scaler_.scale_).all() and np.isfinite(embedder.scaler_.mean_).all()
    for method in ("transform", "forecast", "score_samples", "transform_states"):
        assert np.isfinite(getattr(embedder, method)(X)).all(), method


@pytest.mark.parametrize("method", ["transform", "forecast", "score_samples", "transform_states"])
def test_out_of_range_input_after_fit_raises(data, method):
    X, _ = data
    embedder = small().fit(X)
    with pytest.raises(
        ValueError,
        match=r"sequence 0, step 0, channel 0 lies .* standard "
        r"deviations .*at most 1e\+06",
    ):
        getattr(embedder, method)(X * 1e30)


def test_out_of_range_error_names_the_sequence_in_X(data):
    """Batches are grouped by length; the message still counts sequences as X does."""
    X, _ = data
    embedder = small().fit(X)
    bad = X[1, :12] * 1e30  # shorter than X[0]: runs in an earlier batch than X[0]
    with pytest.raises(ValueError, match=r"sequence 1, step 0, channel 0 lies"):
        embedder.transform([X[0], bad])


@pytest.mark.parametrize("params", [{}, {"objective": "reconstruct", "with_velocity": True}])
def test_fit_transform_equals_fit_then_transform(data, params):
    X, _ = data
    ragged = [x[: 10 + i % 5] for i, x in enumerate(X)]
    for sequences in (X, ragged):
        embedding = small(**params).fit_transform(sequences)
        np.testing.assert_array_equal(
            embedding, small(**params).fit(sequences).transform(sequences)
        )


def test_unstandardised_huge_input_fails_before_training(data, monkeypatch):
    _forbid_training(monkeypatch)
    with pytest.raises(ValueError, match="out of range for standardize=False.*standardize=True"):
        small(standardize=False).fit(data[0] * 1e20)


def test_non_finite_training_loss_stops_with_the_epoch(data):
    X, _ = data
    with pytest.raises(
        ValueError, match=r"loss became (nan|inf) in epoch \d+, batch \d+.*lower lr"
    ):
        small(lr=1e30, gradient_clipping=None, max_epochs=5).fit(X * 1e4)


@pytest.fixture
def ctrl_c_raises():
    """Python's own SIGINT handler, as in a terminal: a shell that starts the suite in
    the background hands it SIGINT ignored, and then there is no Ctrl-C to record."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("ctrl_c_raises")
def test_keyboard_interrupt_warns_and_is_recorded(data, monkeypatch):
    from skseq2seq._net import Seq2SeqNet

    step = Seq2SeqNet.train_step
    calls = []

    def interrupted_step(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 5:  # third batch of epoch 2 (3 batches per epoch): Ctrl-C
            os.kill(os.getpid(), signal.SIGINT)
        return step(self, *args, **kwargs)

    monkeypatch.setattr(Seq2SeqNet, "train_step", interrupted_step)
    with pytest.warns(UserWarning, match=r"interrupted \(KeyboardInterrupt\) in epoch 2 of 5"):
        embedder = small(max_epochs=5).fit(data[0])
    assert embedder.interrupted_ and embedder.n_epochs_ == 1
    assert np.isfinite(embedder.transform(data[0])).all()


@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_while_a_callback_runs_is_an_interruption(data):
    """Ctrl-C is recorded by its signal, wherever it lands (here: inside a callback)."""
    from skorch.callbacks import Callback

    class SlowCallback(Callback):
        def on_epoch_end(self, net, **kwargs):
            if len(net.history) == 2:
                os.kill(os.getpid(), signal.SIGINT)

    with pytest.warns(UserWarning, match="interrupted"):
        embedder = small(max_epochs=5, callbacks=[SlowCallback()]).fit(data[0])
    assert embedder.interrupted_ and embedder.n_epochs_ == 2
    # the handler in place before fit is back
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_early_stopping_callback_is_not_an_interruption(data, recwarn):
    from skorch.callbacks import EarlyStopping

    embedder = small(
        max_epochs=30, callbacks=[EarlyStopping(monitor="train_loss", patience=1, threshold=10.0)]
    ).fit(data[0])
    assert embedder.n_epochs_ < 30 and not embedder.interrupted_
    assert not [w for w in recwarn if "interrupted" in str(w.message)]


@pytest.mark.slow
def test_inference_does_not_depend_on_the_batch(data):
    """Default size (hidden 128): each sequence alone gives what it gives in the full batch."""
    X, _ = data
    embedder = Seq2SeqEmbedder(max_epochs=1, random_state=0).fit(X)
    for method in ("transform", "score_samples", "forecast", "transform_states"):
        full = getattr(embedder, method)(X)
        alone = np.concatenate([getattr(embedder, method)(X[i : i + 1]) for i in range(len(X))])
        np.testing.assert_allclose(full, alone, rtol=1e-7, atol=1e-9, err_msg=method)


# -- extension points: the module class and skorch's prefixed parameters --


def test_skorch_parameters_are_estimator_parameters(data):
    X, _ = data
    embedder = small(optimizer__weight_decay=1e-3, callbacks__clip__gradient_clip_value=0.5)
    params = embedder.get_params()
    assert (
        params["optimizer__weight_decay"] == 1e-3
        and params["callbacks__clip__gradient_clip_value"] == 0.5
    )
    cloned = clone(embedder)
    assert cloned.get_params() == params
    assert "optimizer__weight_decay=0.001" in repr(embedder)
    cloned.set_params(optimizer__weight_decay=1e-2, hidden_size=4)
    assert cloned.optimizer__weight_decay == 1e-2 and cloned.hidden_size == 4
    fitted = embedder.fit(X)
    assert fitted.net_.optimizer_.param_groups[0]["weight_decay"] == 1e-3
    assert dict(fitted.net_.callbacks_)["clip"].gradient_clip_value == 0.5


def test_grid_search_over_optimizer_parameters(data):
    from sklearn.model_selection import GridSearchCV

    X, _ = data
    search = GridSearchCV(
        small(max_epochs=1),
        {"optimizer__weight_decay": [0.0, 1e-2]},
        cv=2,
        scoring=lambda estimator, X, y=None: estimator.score_samples(X).mean(),
    ).fit(X)
    assert [p["optimizer__weight_decay"] for p in search.cv_results_["params"]] == [0.0, 1e-2]
    decay = search.best_params_["optimizer__weight_decay"]
    assert search.best_estimator_.net_.optimizer_.param_groups[0]["weight_decay"] == decay


def test_unknown_and_clashing_skorch_parameters():
    X = np.zeros((4, 10, 2)) + np.arange(10)[:, None]
    # checked in fit (sklearn: __init__ and set_params only store)
    with pytest.raises(ValueError, match="unexpected parameter 'hiden_size'"):
        Seq2SeqEmbedder(hiden_size=8).fit(X)
    with pytest.raises(ValueError, match="unexpected parameter 'criterion__reduction'"):
        small().set_params(criterion__reduction="sum").fit(X)
    for key, own in [
        ("module__hidden_size", "hidden_size"),
        ("optimizer__lr", "lr"),
        ("iterator_train__batch_size", "batch_size"),
    ]:
        with pytest.raises(ValueError, match=f"{key} is set by the embedder.*'{own}'"):
            small(**{key: 3}).fit(X)


def test_custom_module_class_and_its_arguments(data):
    from skseq2seq._network import Seq2SeqModule

    class Scaled(Seq2SeqModule):
        """Seq2SeqModule with an extra constructor argument."""

        def __init__(self, *, input_scale=1.0, **kwargs):
            super().__init__(**kwargs)
            self.input_scale = input_scale

        def forward(self, X, lengths):
            return super().forward(X * self.input_scale, lengths)

    X, _ = data
    embedder = small(module=Scaled, module__input_scale=1.0).fit(X)
    assert type(embedder.module_) is Scaled and embedder.module_.input_scale == 1.0
    # the same computation as the default module: same seed, same results
    np.testing.assert_array_equal(embedder.transform(X), small().fit(X).transform(X))
    assert clone(embedder).get_params()["module"] is Scaled


def test_iterator_train_parameters_reach_the_loader(data):
    X, _ = data
    dropped = small(batch_size=20, iterator_train__drop_last=True).fit(X)
    assert dropped.history_[:, "train_batch_count"] == [2, 2]  # 48 sequences: 20 + 20
    plain = small().fit(X)
    workers = small(iterator_train__num_workers=1).fit(X)  # same batches, in a worker
    np.testing.assert_array_equal(
        plain.history_[:, "train_loss"], workers.history_[:, "train_loss"]
    )
    with pytest.raises(ValueError, match="iterator_train__collate_fn: the net builds its batches"):
        small(iterator_train__collate_fn=list).fit(X)


def test_fitted_network_has_one_owner(data):
    X, _ = data
    embedder = small().fit(X)
    assert embedder.module_ is embedder.net_.module_ and embedder.history_ is embedder.net_.history
    assert embedder.net_.embedder is embedder
    with pytest.raises(AttributeError):
        embedder.module_ = None
    assert "module_" not in vars(embedder) and "history_" not in vars(embedder)


def test_callbacks_transform_mid_training(data):
    from skorch.callbacks import Callback

    X, _ = data
    seen = []

    class Watch(Callback):
        def on_epoch_end(self, net, **kwargs):
            seen.append(net.embedder.transform(X[:5]))

    embedder = small(callbacks=[Watch()]).fit(X)
    assert len(seen) == 2 and not np.array_equal(seen[0], seen[1])
    np.testing.assert_array_equal(seen[-1], embedder.transform(X[:5]))
    # transforming did not change training
    np.testing.assert_array_equal(
        embedder.history_[:, "train_loss"], small().fit(X).history_[:, "train_loss"]
    )


def test_inference_returns_every_output_of_one_pass(data):
    X, _ = data
    embedder = small().fit(X)
    out = embedder.inference(X, embedding=True, states=True, frames=True, errors=True)
    np.testing.assert_array_equal(out.embedding, embedder.transform(X))
    np.testing.assert_array_equal(out.states, embedder.transform_states(X))
    np.testing.assert_allclose(-out.errors.mean(1), embedder.score_samples(X))
    # Predicted frames in standardised units, mapped back by forecast.
    kept = embedder.features_kept_
    scaler = embedder.scaler_
    np.testing.assert_allclose(
        out.frames * scaler.scale_[kept] + scaler.mean_[kept], embedder.forecast(X)[..., kept]
    )
    assert set(embedder.inference(X, errors=True)) == {"errors"}


def test_net_inputs_standardise_and_mark_padding(data):
    X, _ = data
    embedder = small().fit(X)
    inputs = embedder.net_inputs([X[0], X[1][:5]])
    np.testing.assert_allclose(inputs[0], (X[0] - embedder.scaler_.mean_) / embedder.scaler_.scale_)
    assert np.isnan(inputs[1, 5:]).all() and np.isfinite(inputs[1, :5]).all()


@pytest.mark.parametrize("method", ["inference", "net_inputs"])
def test_inference_and_net_inputs_bad_input(data, method):
    embedder = small().fit(data[0])
    with pytest.raises(ValueError, match="X has 2 features per time step"):
        getattr(embedder, method)(data[0][:, :, :2])
    with pytest.raises(TypeError, match="X is None"):
        getattr(embedder, method)(None)
