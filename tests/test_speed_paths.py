"""Correctness of the fast paths: fused decoder, unpacked encoder, mixed
precision, device-mapped pickling, thread-safe seeding, chunked transform,
the Accelerate route. Nothing here is timed (see benchmarks/bench_speed.py)."""

import os
import pickle
import subprocess
import sys
import threading
import warnings

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback
from torch.nn.utils.rnn import pack_padded_sequence

from skseq2seq import Seq2SeqEmbedder
from skseq2seq._net import AcceleratedSeq2SeqNet, Seq2SeqNet
from skseq2seq._network import Seq2SeqModule
from skseq2seq.datasets import make_motion_sequences


def small(**params):
    defaults = dict(hidden_size=8, max_epochs=2, batch_size=16, random_state=0, device="cpu")
    return Seq2SeqEmbedder(**{**defaults, **params})


@pytest.fixture(scope="module")
def X():
    return make_motion_sequences(n_sequences=48, n_timesteps=16, n_features=3, random_state=0)[0]


def _step_loop(module, X, lengths):
    """Reference decoder: one GRU step at a time, inputs as the fused path defines them."""
    observed, target, mask, first = module._split(X, lengths)
    h, _ = module.encode(X, observed)
    n_steps = target.shape[1]
    outputs, states = [], []
    for t in range(n_steps):
        if module.decoder_strategy == "fixed_state":
            step_in = module.encode(X, observed)[0][-1][:, None]
        elif module.decoder_input == "zeros":
            step_in = torch.zeros_like(target[:, :1])
        else:  # teacher
            step_in = first[:, None] if t == 0 else target[:, t - 1 : t]
        state, h = module.decoder(step_in, h)
        out = module.readout(state)
        outputs.append(out if module.decoder_strategy == "fixed_state" else step_in + out)
        states.append(state)
    return torch.cat(outputs, 1), torch.cat(states, 1)


@pytest.mark.parametrize(
    "params",
    [
        dict(decoder_input="teacher"),
        dict(decoder_input="zeros"),
        dict(decoder_strategy="fixed_state"),
        dict(decoder_input="teacher", objective="reconstruct"),
        dict(decoder_input="zeros", num_layers=2, bidirectional_encoder=True),
    ],
)
def test_fused_decoder_equals_step_loop(params):
    torch.manual_seed(0)
    module = Seq2SeqModule(4, hidden_size=16, prediction_length=5, **params).eval()
    X = torch.randn(6, 12, 4)
    lengths = torch.tensor([12, 12, 9, 12, 7, 12])
    if params.get("objective") == "reconstruct":
        X = X * (torch.arange(12)[None, :, None] < lengths[:, None, None])
    with torch.no_grad():
        output, _, mask, states, _ = module(X, lengths)
        ref_output, ref_states = _step_loop(module, X, lengths)
    m = mask[:, :, None]
    torch.testing.assert_close(states * m, ref_states * m, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(output * m, ref_output * m, atol=1e-5, rtol=1e-5)


def test_unpacked_encoder_equals_packed_for_equal_lengths():
    torch.manual_seed(0)
    module = Seq2SeqModule(3, hidden_size=16, prediction_length=4)
    X = torch.randn(5, 10, 3)
    lengths = torch.full((5,), 6)
    h_fast, _ = module.encode(X, lengths)
    packed = pack_padded_sequence(X, lengths, batch_first=True, enforce_sorted=False)
    _, h_ref = module.encoder(packed)
    torch.testing.assert_close(h_fast, h_ref, atol=1e-6, rtol=1e-6)
    # and gradients flow the same way
    h_fast.sum().backward()
    grads = [p.grad.clone() for p in module.encoder.parameters()]
    module.zero_grad()
    module.encoder(packed)[1].sum().backward()
    for g, p in zip(grads, module.encoder.parameters()):
        torch.testing.assert_close(g, p.grad, atol=1e-5, rtol=1e-5)


def test_variable_length_embedding_does_not_depend_on_batch_mates(X):
    embedder = small().fit(X)
    rng = np.random.default_rng(0)
    seqs = [x[: rng.integers(10, 17)] for x in X[:12]]
    together = embedder.transform(seqs)
    alone = np.concatenate([embedder.transform([s]) for s in seqs])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_mixed_precision_flag_on_cpu(X):
    embedder = small(mixed_precision=True, max_epochs=4).fit(X)
    assert isinstance(embedder.net_, Seq2SeqNet) and embedder.net_.mixed_precision
    losses = embedder.history_[:, "train_loss"]
    assert np.isfinite(losses).all() and losses[-1] < losses[0]
    Z = embedder.transform(X)
    assert Z.dtype == np.float32 and np.isfinite(Z).all()
    assert embedder.transform_states(X).dtype == np.float32
    assert np.isfinite(embedder.score_samples(X)).all()
    # the net's forward really runs under bfloat16 autocast
    seen = []
    hook = embedder.module_.readout.register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    try:
        embedder.transform(X[:2])
    finally:
        hook.remove()
    assert seen and set(seen) == {torch.bfloat16}
    # close to the float32 forward of the same weights
    embedder.set_params(mixed_precision=False)
    np.testing.assert_allclose(Z, embedder.transform(X), atol=0.02)  # observed <= 0.003


def test_pickle_maps_cuda_trained_net_to_cpu(X, monkeypatch):
    embedder = small().fit(X)
    expected = embedder.transform(X)
    # As if trained on a GPU: skorch pickles the net with its device and maps
    # it on load; the embedder's module_ is not pickled a second time.
    embedder.net_.device = "cuda"
    state = embedder.__getstate__()
    assert "module_" not in state and "net_" in state
    blob = pickle.dumps(embedder)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # skorch: "cuda not available"
        loaded = pickle.loads(blob)
    assert str(loaded.net_.device) == "cpu"
    assert loaded.module_ is loaded.net_.module_
    assert next(loaded.module_.parameters()).device.type == "cpu"
    assert loaded.history_ is loaded.net_.history
    np.testing.assert_array_equal(loaded.transform(X), expected)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_trained_model_transforms_in_cpu_only_process(X, tmp_path):
    embedder = small(device="cuda", mixed_precision=True).fit(X)
    assert next(embedder.module_.parameters()).device.type == "cuda"
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "Z.npy", embedder.set_params(mixed_precision=False).transform(X))
    (tmp_path / "model.pkl").write_bytes(pickle.dumps(embedder))
    code = (
        "import pickle, sys, numpy as np, torch\n"
        "assert not torch.cuda.is_available()\n"
        "e = pickle.loads(open(sys.argv[1] + '/model.pkl', 'rb').read())\n"
        "Z = e.transform(np.load(sys.argv[1] + '/X.npy'))\n"
        "assert next(e.module_.parameters()).device.type == 'cpu'\n"
        "print(float(np.abs(Z - np.load(sys.argv[1] + '/Z.npy')).max()))\n"
    )
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert float(out.stdout.split()[-1]) < 1e-3


def test_fits_in_parallel_threads_are_reproducible(X):
    expected = [small(random_state=s).fit_transform(X) for s in (0, 1, 2, 3)]
    results = {}

    def work(seed):
        results[seed] = small(random_state=seed).fit_transform(X)

    threads = [threading.Thread(target=work, args=(s,)) for s in (0, 1, 2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for seed in (0, 1, 2, 3):
        np.testing.assert_array_equal(results[seed], expected[seed])


def test_transform_iter_over_memmap_equals_transform(X, tmp_path):
    embedder = small().fit(X)
    path = tmp_path / "X.npy"
    np.save(path, X.astype(np.float32))
    big = np.load(path, mmap_mode="r")
    chunks = (big[i : i + 10] for i in range(0, len(big), 10))
    lazy = np.concatenate(list(embedder.transform_iter(chunks)))
    # equal up to float32 rounding (BLAS results depend on the chunk size)
    np.testing.assert_allclose(lazy, embedder.transform(X.astype(np.float32)), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(embedder.transform(big), embedder.transform(np.asarray(big)))


def test_accelerate_route_single_process_cpu(X):
    pytest.importorskip("accelerate")
    embedder = small(accelerate=True).fit(X)
    assert isinstance(embedder.net_, AcceleratedSeq2SeqNet)
    # unwrapped after training: a plain module, on the CPU
    assert type(embedder.module_) is Seq2SeqModule
    assert embedder.module_ is embedder.net_.module_
    assert next(embedder.module_.parameters()).device.type == "cpu"
    losses = embedder.history_[:, "train_loss"]
    assert np.isfinite(losses).all()
    Z = embedder.transform(X)
    assert Z.shape == (len(X), 8) and np.isfinite(Z).all()
    again = pickle.loads(pickle.dumps(embedder))
    np.testing.assert_array_equal(again.transform(X), Z)


def test_float16_autocast_uses_loss_scaling_and_trains():
    """The CUDA recipe (float16 + GradScaler), exercised on the CPU."""
    from skorch.callbacks import GradientNormClipping

    from skseq2seq._net import SequenceBatches
    from skseq2seq._network import MaskedMSELoss

    rng = np.random.default_rng(0)
    X = torch.from_numpy(rng.standard_normal((64, 16, 3)).cumsum(1).astype(np.float32))
    X = (X - X.mean()) / X.std()
    torch.manual_seed(0)
    net = Seq2SeqNet(
        Seq2SeqModule,
        module__n_features=3,
        module__hidden_size=8,
        module__prediction_length=4,
        criterion=MaskedMSELoss,
        optimizer=torch.optim.Adam,
        lr=1e-2,
        max_epochs=5,
        batch_size=16,
        train_split=None,
        callbacks=[("clip", GradientNormClipping(1.0))],
        device="cpu",
        mixed_precision=True,
        amp_dtype="float16",
    ).initialize()
    assert net.grad_scaler_ is not None
    seen = []
    hook = net.module_.readout.register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    net.partial_fit(SequenceBatches(X, torch.full((64,), 16)), None)
    hook.remove()
    assert set(seen) == {torch.float16}
    losses = net.history[:, "train_loss"]
    assert np.isfinite(losses).all() and losses[-1] < 0.7 * losses[0]
    assert all(torch.isfinite(p).all() for p in net.module_.parameters())
    # bfloat16 (the CPU default) needs no scaler
    bf16 = Seq2SeqNet(
        Seq2SeqModule,
        module__n_features=3,
        criterion=MaskedMSELoss,
        device="cpu",
        mixed_precision=True,
    ).initialize()
    assert bf16.grad_scaler_ is None


def test_transform_over_several_inference_chunks():
    """More sequences than one inference chunk (1024): filled in order, nothing lost."""
    from skseq2seq._net import INFERENCE_BATCH as _INFERENCE_BATCH

    n = 2 * _INFERENCE_BATCH + 37
    X = np.random.default_rng(0).standard_normal((n, 6, 2)).cumsum(1)
    embedder = small(hidden_size=4, max_epochs=0).fit(X[:64])
    Z = embedder.transform(X)
    assert Z.shape == (n, 4) and Z.dtype == np.float32
    parts = [embedder.transform(X[i : i + _INFERENCE_BATCH]) for i in range(0, n, _INFERENCE_BATCH)]
    np.testing.assert_array_equal(Z, np.concatenate(parts))


class _Recorder(Callback):
    """Initial weights and the input of every training batch."""

    def on_train_begin(self, net, **kwargs):
        self.initial = {k: v.detach().clone() for k, v in net.module_.state_dict().items()}
        self.batches = []

    def on_batch_begin(self, net, batch=None, training=None, **kwargs):
        self.batches.append(batch[0]["X"].clone())


def _reference_gru():
    """Issue 17's hand-written model, as benchmarks/bench_speed.py defines it (one copy)."""
    from _scripts import load_script

    return load_script("benchmarks/bench_speed.py").ReferenceGRU


def test_training_equals_hand_written_loop(X):
    """Same weights, same batches: fit's losses are the plain loop's (Adam + clipping)."""
    recorder = _Recorder()
    embedder = small(prediction_length=8, max_epochs=2, callbacks=[("recorder", recorder)]).fit(X)
    losses = [b["train_loss"] for epoch in embedder.history_ for b in epoch["batches"]]

    model = _reference_gru()(X.shape[2], 8)
    w = recorder.initial
    renamed = {
        "enc.weight_ih_l0": w["encoder.weight_ih_l0"],
        "enc.weight_hh_l0": w["encoder.weight_hh_l0"],
        "enc.bias_ih_l0": w["encoder.bias_ih_l0"],
        "enc.bias_hh_l0": w["encoder.bias_hh_l0"],
        "cell.weight_ih": w["decoder.weight_ih_l0"],
        "cell.weight_hh": w["decoder.weight_hh_l0"],
        "cell.bias_ih": w["decoder.bias_ih_l0"],
        "cell.bias_hh": w["decoder.bias_hh_l0"],
        "out.weight": w["readout.weight"],
        "out.bias": w["readout.bias"],
    }
    model.load_state_dict(renamed)
    optimizer = torch.optim.Adam(model.parameters(), lr=embedder.lr)
    expected = []
    for xb in recorder.batches:
        loss = ((model(xb, 8) - xb[:, 8:]) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        expected.append(loss.item())
    assert len(expected) == len(losses) == 6
    np.testing.assert_allclose(losses, expected, rtol=1e-6)
