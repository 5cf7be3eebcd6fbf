"""Speed and memory of skseq2seq, as ratios measured in one process.

One command::

    python benchmarks/bench_speed.py              # CPU, full (~10 min on 1 core)
    python benchmarks/bench_speed.py --quick      # CPU, ~2 min
    python benchmarks/bench_speed.py --device cuda --quick   # GPU, < 3 min on an H100

writes ``benchmarks/results/speed.{md,json}`` (CPU) or
``benchmarks/results/speed_cuda.{md,json}`` (``--device cuda``).

Claims are ratios between runs made in the same process with interleaved
repeats (median reported), so that a busy shared machine shifts both sides.
On CPU the time is the process's CPU time (``time.process_time``, robust to
other processes competing for the cores) with ``torch.set_num_threads(1)``;
wall-clock times are recorded too. On CUDA the time is wall-clock after
``torch.cuda.synchronize()``.

Sections
--------
overhead   Seq2SeqEmbedder.fit vs a bare PyTorch loop training the same
           Seq2SeqModule (paper configuration: predict, previous_output,
           hidden 128, 50-step windows, 30 features, batch 64, Adam, clipping).
reference  Seq2SeqEmbedder.fit vs the loop a user writes by hand with their
           own module (GRU + GRUCell decoder; and the clusterer's default
           fixed-state model with velocity inputs).
decoder    Fused decoder paths ("teacher", "zeros", fixed_state) vs the
           free-running step loop; unpacked vs packed encoder for equal
           lengths; length-sorted vs arbitrary order for variable lengths.
transform  Peak memory of transforming 100,000 windows of 50x30 (subprocess,
           peak RSS above the input), windows/s vs a bare no-grad forward.
scaling    fit (1 epoch) and transform time vs number of sequences and
           sequence length, next to tslearn's DTW k-means (subsampled).
amp        mixed_precision=True vs float32: fit and transform time, embedding
           difference (bfloat16 on CPU, float16 + GradScaler on CUDA).

``--only SECTION ...`` reruns some sections and keeps the others from the
existing results file.
"""

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import BatchSampler, RandomSampler

from skseq2seq import Seq2SeqEmbedder
from skseq2seq._network import MaskedMSELoss, Seq2SeqModule

RESULTS = Path(__file__).resolve().parent / "results"
T, F, H, BATCH = 50, 30, 128, 64  # the paper's configuration
# Spelled out, so that changes of the estimator's defaults do not change the benchmark.
PAPER = dict(
    hidden_size=H,
    num_layers=1,
    objective="predict",
    decoder_input="previous_output",
    decoder_strategy=None,
    bidirectional_encoder=False,
    embedding="decoder",
    pooling="mean",
    standardize=True,
    lr=1e-3,
    gradient_clipping=1.0,
)
MiB = 2**20


# -- helpers ----------------------------------------------------------------


def windows(n, length=T, features=F, seed=0):
    """Random-walk windows, float32, built without a float64 temporary."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, length, features), dtype=np.float32)
    np.cumsum(X, axis=1, out=X)
    return X


class Clock:
    """CPU time on CPU (robust to a shared machine), wall time on CUDA."""

    def __init__(self, device):
        self.cuda = torch.device(device).type == "cuda"

    def __call__(self, fn):
        if self.cuda:
            torch.cuda.synchronize()
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn()
        if self.cuda:
            torch.cuda.synchronize()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return (wall if self.cuda else cpu), wall, out


def interleaved(clock, fns, repeats):
    """Run fns round-robin (order rotated each repeat); per-fn lists of times."""
    names = list(fns)
    times = {name: [] for name in names}
    walls = {name: [] for name in names}
    for r in range(repeats):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            t, w, _ = clock(fns[name])
            times[name].append(t)
            walls[name].append(w)
    return times, walls


def med(values):
    return float(statistics.median(values))


# -- overhead ---------------------------------------------------------------


def bare_fit(X, epochs, device, seed=0):
    """What a user would write by hand: standardise, then Adam + clipping."""
    flat = X.reshape(-1, X.shape[2])
    Xt = torch.from_numpy((X - flat.mean(0)) / flat.std(0)).to(device)
    lengths = torch.full((len(X),), X.shape[1], dtype=torch.long, device=device)
    torch.manual_seed(seed)
    module = Seq2SeqModule(X.shape[2], H, prediction_length=X.shape[1] // 2).to(device)
    optimizer = torch.optim.Adam(module.parameters(), lr=1e-3)
    criterion = MaskedMSELoss()
    for _ in range(epochs):
        for index in BatchSampler(RandomSampler(range(len(X))), BATCH, drop_last=False):
            index = torch.as_tensor(index, device=device)
            output = module(Xt[index], lengths[index])
            loss = criterion(*output[:3])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(module.parameters(), 1.0)
            optimizer.step()
    return module


def bench_overhead(args, clock):
    n, epochs, repeats = (1024, 2, 5) if args.quick else (1024, 2, 15)
    X = windows(n)
    fit = lambda: Seq2SeqEmbedder(
        **PAPER,
        max_epochs=epochs,
        batch_size=BATCH,
        random_state=0,
        device=args.device,
    ).fit(X)
    setup = lambda: Seq2SeqEmbedder(**PAPER, max_epochs=0, random_state=0, device=args.device).fit(
        X
    )
    fns = {
        "bare": lambda: bare_fit(X, epochs, args.device),
        "fit": fit,
        "fit_setup_only": setup,
        "bare_again": lambda: bare_fit(X, epochs, args.device),
    }
    fns["bare"](), fns["fit"]()  # warm-up
    times, walls = interleaved(clock, fns, repeats)
    ratios = [f / b for f, b in zip(times["fit"], times["bare"])]
    wall_ratios = [f / b for f, b in zip(walls["fit"], walls["bare"])]
    # A/A: the same bare loop twice, to show the noise floor of these ratios.
    noise = [a / b for a, b in zip(times["bare_again"], times["bare"])]
    return {
        "config": dict(
            n_windows=n,
            n_timesteps=T,
            n_features=F,
            hidden_size=H,
            batch_size=BATCH,
            epochs=epochs,
            repeats=repeats,
            objective="predict",
            decoder_input="previous_output",
            prediction_length=T // 2,
        ),
        "bare_s": med(times["bare"]),
        "fit_s": med(times["fit"]),
        "fit_setup_only_s": med(times["fit_setup_only"]),
        "ratio_median": med(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "wall_ratio_median": med(wall_ratios),
        "ratios": ratios,
        "ratio_of_minima": min(times["fit"]) / min(times["bare"]),
        "aa_ratio_median": med(noise),
        "aa_ratio_min": min(noise),
        "aa_ratio_max": max(noise),
    }


# -- reference: the loop a user writes by hand ----------------------------------


class ReferenceGRU(torch.nn.Module):
    """The paper's model as a user writes it (issue 17): GRU encoder, GRUCell decoder."""

    def __init__(self, n_features, hidden_size):
        super().__init__()
        self.enc = torch.nn.GRU(n_features, hidden_size, batch_first=True)
        self.cell = torch.nn.GRUCell(n_features, hidden_size)
        self.out = torch.nn.Linear(hidden_size, n_features)

    def forward(self, x, observed):
        _, h = self.enc(x[:, :observed])
        h, frame, frames = h[0], x[:, observed - 1], []
        for _ in range(x.shape[1] - observed):
            h = self.cell(frame, h)
            frame = frame + self.out(h)  # residual, free-running
            frames.append(frame)
        return torch.stack(frames, 1)


class ReferenceEmbedding(ReferenceGRU):
    """ReferenceGRU's forward returning what an embedding needs: the mean decoder state."""

    def forward(self, x, observed):
        _, h = self.enc(x[:, :observed])
        h, frame, total = h[0], x[:, observed - 1], 0
        for _ in range(x.shape[1] - observed):
            h = self.cell(frame, h)
            frame = frame + self.out(h)
            total = total + h
        return total / (x.shape[1] - observed)

    @classmethod
    def like(cls, module):
        """A copy of a one-layer ``Seq2SeqModule``'s weights (paper configuration)."""
        reference = cls(module.readout.out_features, module.hidden_size)
        gru = module.decoder
        reference.enc.load_state_dict(module.encoder.state_dict())
        reference.cell.load_state_dict(
            {
                "weight_ih": gru.weight_ih_l0,
                "weight_hh": gru.weight_hh_l0,
                "bias_ih": gru.bias_ih_l0,
                "bias_hh": gru.bias_hh_l0,
            }
        )
        reference.out.load_state_dict(module.readout.state_dict())
        return reference.to(next(module.parameters()).device).eval()


class ReferenceFixedState(torch.nn.Module):
    """Seq2SeqClusterer's default model by hand: fixed-state decoder, frames + differences."""

    def __init__(self, n_features, hidden_size):
        super().__init__()
        self.enc = torch.nn.GRU(n_features, hidden_size, batch_first=True)
        self.dec = torch.nn.GRU(hidden_size, hidden_size, batch_first=True)
        self.out = torch.nn.Linear(hidden_size, n_features)

    def forward(self, x, observed):
        _, h = self.enc(x[:, :observed])
        states, _ = self.dec(h[0][:, None].expand(-1, x.shape[1] - observed, -1), h)
        return self.out(states)


def reference_fit(X, epochs, device, model_class, with_velocity=False, seed=0):
    """Standardise (frames and, if asked, their differences), then Adam + clipping."""
    if with_velocity:
        velocity = np.diff(X, axis=1)
        X = np.concatenate([X, np.concatenate([velocity[:, :1], velocity], axis=1)], axis=2)
    flat = X.reshape(-1, X.shape[2])
    Xt = torch.from_numpy(((X - flat.mean(0)) / flat.std(0)).astype(np.float32)).to(device)
    observed = X.shape[1] // 2
    torch.manual_seed(seed)
    model = model_class(X.shape[2], H).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        for index in torch.randperm(len(X)).split(BATCH):
            xb = Xt[index.to(device)]
            loss = ((model(xb, observed) - xb[:, observed:]) ** 2).mean()
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
    return model


def bench_reference(args, clock):
    """fit / the hand-written loop, for the paper's and the clusterer's default model."""
    n, epochs, pairs = (1024, 2, 3) if args.quick else (4096, 3, 7)
    X = windows(n)
    configs = {
        "paper (predict, previous_output)": (
            dict(PAPER, prediction_length=T // 2),
            lambda: reference_fit(X, epochs, args.device, ReferenceGRU),
        ),
        "Seq2SeqClusterer default (fixed_state, velocity)": (
            dict(
                hidden_size=H,
                decoder_strategy="fixed_state",
                with_velocity=True,
                embedding="both",
                prediction_length=T // 2,
            ),
            lambda: reference_fit(X, epochs, args.device, ReferenceFixedState, with_velocity=True),
        ),
    }
    rows = []
    for name, (params, reference) in configs.items():
        fns = {
            "reference": reference,
            "fit": lambda params=params: Seq2SeqEmbedder(
                **params,
                max_epochs=epochs,
                batch_size=BATCH,
                random_state=0,
                device=args.device,
            ).fit(X),
        }
        fns["reference"](), fns["fit"]()  # warm-up
        times, walls = interleaved(clock, fns, pairs)
        ratios = [f / r for f, r in zip(times["fit"], times["reference"])]
        wall_ratios = [f / r for f, r in zip(walls["fit"], walls["reference"])]
        q1, q2, q3 = (float(q) for q in np.quantile(ratios, [0.25, 0.5, 0.75]))
        rows.append(
            {
                "config": name,
                "reference_s": med(times["reference"]),
                "fit_s": med(times["fit"]),
                "ratio_median": q2,
                "ratio_q1": q1,
                "ratio_q3": q3,
                "ratios": ratios,
                "wall_ratio_median": med(wall_ratios),
            }
        )
    return {
        "config": dict(
            n_windows=n,
            n_timesteps=T,
            n_features=F,
            hidden_size=H,
            batch_size=BATCH,
            epochs=epochs,
            pairs=pairs,
            threads=torch.get_num_threads(),
        ),
        "rows": rows,
    }


# -- decoder / encoder paths --------------------------------------------------


def bench_decoder(args, clock):
    device = args.device
    repeats = 3 if args.quick else 7
    n_steps = 10 if args.quick else 20
    torch.manual_seed(0)
    Xb = torch.from_numpy(windows(BATCH)).to(device)
    Xi = torch.from_numpy(windows(1024)).to(device)
    Lb = torch.full((BATCH,), T, device=device)
    Li = torch.full((1024,), T, device=device)
    variants = {
        "previous_output (step loop)": dict(decoder_input="previous_output"),
        "teacher (fused)": dict(decoder_input="teacher"),
        "zeros (fused)": dict(decoder_input="zeros"),
        "fixed_state (fused)": dict(decoder_input="zeros", decoder_strategy="fixed_state"),
    }
    modules = {
        k: Seq2SeqModule(F, H, prediction_length=T // 2, **v).to(device)
        for k, v in variants.items()
    }
    criterion = MaskedMSELoss()

    def train_steps(module):
        def run():
            for _ in range(n_steps):
                criterion(*module(Xb, Lb)[:3]).backward()

        return run

    def infer(module):
        def run():
            with torch.inference_mode():
                module(Xi, Li)

        return run

    rows = []
    train_t, _ = interleaved(clock, {k: train_steps(m) for k, m in modules.items()}, repeats)
    infer_t, _ = interleaved(clock, {k: infer(m) for k, m in modules.items()}, repeats)
    loop = "previous_output (step loop)"
    for k in variants:
        rows.append(
            {
                "decoder": k,
                "train_ms_per_batch64": 1000 * med(train_t[k]) / n_steps,
                "train_speedup_vs_loop": med(train_t[loop]) / med(train_t[k]),
                "infer_ms_per_1024": 1000 * med(infer_t[k]),
                "infer_speedup_vs_loop": med(infer_t[loop]) / med(infer_t[k]),
            }
        )

    # Encoder: equal lengths run unpacked (fast path) vs the packed call.
    from torch.nn.utils.rnn import pack_padded_sequence

    enc = modules[loop].encoder
    obs = torch.full((BATCH,), T // 2)

    def packed():
        for _ in range(n_steps):
            p = pack_padded_sequence(Xb, obs, batch_first=True, enforce_sorted=False)
            enc(p)[1].sum().backward()

    def unpacked():
        for _ in range(n_steps):
            enc(Xb[:, : T // 2])[1].sum().backward()

    enc_t, _ = interleaved(clock, {"packed": packed, "unpacked": unpacked}, repeats)
    encoder = {
        "train_ms_per_batch64_packed": 1000 * med(enc_t["packed"]) / n_steps,
        "train_ms_per_batch64_unpacked": 1000 * med(enc_t["unpacked"]) / n_steps,
        "speedup": med(enc_t["packed"]) / med(enc_t["unpacked"]),
    }

    # Variable lengths: transform in arbitrary vs length-sorted order.
    n_var = 2048 if args.quick else 4096
    rng = np.random.default_rng(0)
    lengths = rng.integers(25, 201, n_var)
    long = windows(n_var, 200)
    seqs = [x[:n] for x, n in zip(long, lengths)]
    order = np.argsort(lengths, kind="stable")
    inverse = np.argsort(order)
    sorting = {}
    for objective in ("predict", "reconstruct"):
        emb = Seq2SeqEmbedder(
            **{**PAPER, "objective": objective},
            max_epochs=0,
            prediction_length=10,
            random_state=0,
            device=device,
        ).fit(seqs[:64])
        as_is = lambda: emb.transform(seqs)
        by_length = lambda: emb.transform([seqs[i] for i in order])[inverse]
        diff = float(np.abs(as_is() - by_length()).max())
        t, _ = interleaved(clock, {"as_is": as_is, "sorted": by_length}, repeats)
        sorting[objective] = {
            "as_is_s": med(t["as_is"]),
            "sorted_s": med(t["sorted"]),
            "speedup": med(t["as_is"]) / med(t["sorted"]),
            "max_abs_diff": diff,
        }
    return {
        "rows": rows,
        "encoder_equal_lengths": encoder,
        "variable_length_sorting": {"n_sequences": n_var, "lengths": "uniform 25..200", **sorting},
    }


# -- transform memory and throughput -----------------------------------------


def _proc_status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return None


def memory_child(n, device, threads):
    """Run in a subprocess: peak RSS growth while transforming n windows."""
    import tracemalloc

    torch.set_num_threads(threads)
    X = windows(n)
    embedder = Seq2SeqEmbedder(**PAPER, max_epochs=1, random_state=0, device=device).fit(X[:512])
    embedder.transform(X[:8])  # warm-up: lazy allocations, thread pools
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset the peak-RSS counter (VmHWM)
        reset = True
    except OSError:
        reset = False
    before = _proc_status("VmRSS")
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    tracemalloc.start()
    start = time.perf_counter()
    Z = embedder.transform(X)
    seconds = time.perf_counter() - start
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    peak = _proc_status("VmHWM") if reset else None
    out = {
        "n_windows": n,
        "input_mib": X.nbytes / MiB,
        "output_mib": Z.nbytes / MiB,
        "rss_before_mib": before / MiB,
        "rss_peak_mib": peak / MiB if peak else None,
        "peak_growth_beyond_output_mib": (peak - before - Z.nbytes) / MiB if peak else None,
        "tracemalloc_peak_mib": traced_peak / MiB,
        "seconds": seconds,
        "windows_per_s": n / seconds,
    }
    if device == "cuda":
        out["cuda_peak_allocated_mib"] = torch.cuda.max_memory_allocated() / MiB
    print(json.dumps(out))


def bench_transform(args, clock):
    n_mem = 20_000 if args.quick else 100_000
    cmd = [
        sys.executable,
        __file__,
        "--memory-child",
        str(n_mem),
        "--device",
        args.device,
        "--threads",
        str(args.threads),
    ]
    child = subprocess.run(cmd, capture_output=True, text=True, check=True)
    memory = json.loads(child.stdout.strip().splitlines()[-1])

    # Throughput: transform vs a bare no-grad forward of the same module.
    n = 4096 if args.quick else 10240
    X = windows(n)
    embedder = Seq2SeqEmbedder(**PAPER, max_epochs=1, random_state=0, device=args.device).fit(
        X[:512]
    )
    module = embedder.module_
    kept = embedder.features_kept_
    Xs = torch.from_numpy(
        ((X[..., kept] - embedder.scaler_.mean_[kept]) / embedder.scaler_.scale_[kept]).astype(
            np.float32
        )
    )
    lengths = torch.full((1024,), T, device=args.device)

    def bare():
        module.eval()
        parts = []
        with torch.no_grad():
            for start in range(0, n, 1024):
                batch = Xs[start : start + 1024].to(args.device)
                states = module(batch, lengths[: len(batch)])[3]
                parts.append(states.mean(1).cpu())
        return torch.cat(parts).numpy()

    reference_module = ReferenceEmbedding.like(module)

    def reference():
        parts = []
        with torch.no_grad():
            for start in range(0, n, 1024):
                batch = Xs[start : start + 1024].to(args.device)
                parts.append(reference_module(batch, T - embedder.prediction_length_).cpu())
        return torch.cat(parts).numpy()

    transform = lambda: embedder.transform(X)
    diff = float(np.abs(bare() - transform()).max())
    reference_diff = float(np.abs(reference() - transform()).max())
    t, _ = interleaved(
        clock,
        {"bare": bare, "reference": reference, "transform": transform},
        3 if args.quick else 5,
    )
    return {
        "memory": memory,
        "throughput": {
            "n_windows": n,
            "transform_windows_per_s": n / med(t["transform"]),
            "bare_windows_per_s": n / med(t["bare"]),
            "transform_over_bare_time": med(t["transform"]) / med(t["bare"]),
            "max_abs_diff": diff,
            "reference_windows_per_s": n / med(t["reference"]),
            "transform_over_reference_time": med(t["transform"]) / med(t["reference"]),
            "reference_max_abs_diff": reference_diff,
        },
    }


# -- scaling ------------------------------------------------------------------


def bench_scaling(args, clock):
    ns = [1000, 4000] if args.quick else [1000, 3000, 10_000, 30_000, 100_000]
    lengths = [25, 100] if args.quick else [25, 50, 100, 200, 400]
    dtw_ns = [100] if args.quick else [100, 200, 400]
    dtw_lengths = [25, 50] if args.quick else [25, 50, 100, 200]
    rows = []

    def seq2seq(n, length):
        X = windows(n, length)
        emb = Seq2SeqEmbedder(
            **PAPER, max_epochs=1, prediction_length=length // 2, random_state=0, device=args.device
        )
        fit_t, _, _ = clock(lambda: emb.fit(X))
        tr_t, _, _ = clock(lambda: emb.transform(X))
        return {
            "method": "seq2seq (1 epoch)",
            "n": n,
            "T": length,
            "fit_s": fit_t,
            "transform_s": tr_t,
        }

    for n in ns:
        rows.append(seq2seq(n, T))
    for length in lengths:
        if length != T:
            rows.append(seq2seq(1000, length))
    try:
        from tslearn.clustering import TimeSeriesKMeans
    except ImportError:
        rows.append({"method": "tslearn DTW k-means", "note": "tslearn not installed"})
        return {"rows": rows}

    def dtw(n, length):
        X = windows(n, length)
        km = TimeSeriesKMeans(n_clusters=8, metric="dtw", max_iter=5, n_init=1, random_state=0)
        t, _, _ = clock(lambda: km.fit(X))
        return {
            "method": "tslearn DTW k-means (5 iter)",
            "n": n,
            "T": length,
            "fit_s": t,
            "transform_s": None,
        }

    dtw(20, 10)  # numba compilation
    for n in dtw_ns:
        rows.append(dtw(n, T))
    for length in dtw_lengths:
        if length != T:
            rows.append(dtw(dtw_ns[0], length))
    return {"rows": rows}


# -- report -------------------------------------------------------------------


def fmt(x, digits=3):
    return "—" if x is None else f"{x:.{digits}g}" if isinstance(x, float) else str(x)


def markdown(res):
    meta, lines = res["meta"], []
    gpu = meta["device"] == "cuda"
    lines += [
        f"# skseq2seq speed ({meta['device']})",
        "",
        f"`{meta['command']}` — {meta['date']} — torch {meta['torch']}, "
        f"{meta['cpu_threads']} CPU thread(s), device: {meta['device_name']}. "
        f"Times: {'wall-clock (synchronised)' if gpu else 'process CPU time'}; "
        "ratios are medians of interleaved repeats in one process."
        + "".join(f" Rerun: `{r}`." for r in meta.get("rerun", [])),
        "",
    ]
    if "overhead" in res:
        o = res["overhead"]
        c = o["config"]
        lines += [
            "## Training overhead vs a bare PyTorch loop",
            "",
            f"{c['n_windows']} windows of {c['n_timesteps']}x{c['n_features']}, hidden "
            f"{c['hidden_size']}, batch {c['batch_size']}, {c['epochs']} epochs, predict "
            f"{c['prediction_length']} steps, decoder_input=previous_output; "
            f"{c['repeats']} interleaved repeats.",
            "",
            "| | seconds (median) |",
            "|---|---|",
            f"| bare PyTorch loop (incl. standardising) | {fmt(o['bare_s'])} |",
            f"| `Seq2SeqEmbedder.fit` (incl. validation, scaler, skorch) | {fmt(o['fit_s'])} |",
            f"| of which setup (`max_epochs=0`) | {fmt(o['fit_setup_only_s'])} |",
            "",
            f"**fit / bare = {o['ratio_median']:.3f}** (median; min {o['ratio_min']:.3f}, "
            f"max {o['ratio_max']:.3f}; wall-clock median {o['wall_ratio_median']:.3f}; "
            f"ratio of the fastest runs {o['ratio_of_minima']:.3f}).",
            "",
            f"Noise floor (A/A: the bare loop against itself, same schedule): median "
            f"{o['aa_ratio_median']:.3f}, range {o['aa_ratio_min']:.3f}-"
            f"{o['aa_ratio_max']:.3f}.",
            "",
        ]
    if "reference" in res:
        r, c = res["reference"], res["reference"]["config"]
        lines += [
            "## Training vs the loop a user writes by hand",
            "",
            f"{c['n_windows']} windows of {c['n_timesteps']}x{c['n_features']}, hidden "
            f"{c['hidden_size']}, batch {c['batch_size']}, {c['epochs']} epochs, "
            f"{c['threads']} thread(s); {c['pairs']} interleaved pairs. The reference is "
            "`ReferenceGRU` / `ReferenceFixedState` in this script trained by a plain loop "
            "(standardising, `randperm` batches, Adam, clipping), as in issue 17.",
            "",
            "| model | reference s | fit s | fit / reference (median) | quartiles | wall |",
            "|---|---|---|---|---|---|",
        ]
        for row in r["rows"]:
            lines.append(
                f"| {row['config']} | {fmt(row['reference_s'])} | {fmt(row['fit_s'])} | "
                f"**{row['ratio_median']:.3f}** | {row['ratio_q1']:.3f}-{row['ratio_q3']:.3f} | "
                f"{row['wall_ratio_median']:.3f} |"
            )
        lines.append("")
    if "decoder" in res:
        d = res["decoder"]
        lines += [
            "## Decoder paths (fused GRU call vs step loop)",
            "",
            f"Module only; training step = forward + backward on a batch of {BATCH}; "
            "inference = forward of 1024 windows; 25 decoded steps.",
            "",
            "| decoder | train ms/batch | train speed-up | infer ms/1024 | infer speed-up |",
            "|---|---|---|---|---|",
        ]
        for r in d["rows"]:
            lines.append(
                f"| {r['decoder']} | {fmt(r['train_ms_per_batch64'])} | "
                f"{r['train_speedup_vs_loop']:.2f}x | {fmt(r['infer_ms_per_1024'])} | "
                f"{r['infer_speedup_vs_loop']:.2f}x |"
            )
        e = d["encoder_equal_lengths"]
        lines += [
            "",
            f"Encoder, equal lengths (fixed windows), forward+backward per batch: "
            f"packed {fmt(e['train_ms_per_batch64_packed'])} ms vs unpacked "
            f"{fmt(e['train_ms_per_batch64_unpacked'])} ms: **{e['speedup']:.2f}x** "
            "(skseq2seq runs equal-length batches unpacked).",
            "",
        ]
        s = d["variable_length_sorting"]
        lines += [
            f"Variable lengths ({s['n_sequences']} sequences, {s['lengths']}), transform "
            "in arbitrary vs length-sorted order (sorting + unsorting included):",
            "",
            "| objective | as is (s) | sorted (s) | speed-up |",
            "|---|---|---|---|",
        ]
        for objective in ("predict", "reconstruct"):
            r = s[objective]
            lines.append(
                f"| {objective} | {fmt(r['as_is_s'])} | {fmt(r['sorted_s'])} | "
                f"{r['speedup']:.2f}x |"
            )
        lines.append("")
    if "transform" in res:
        m, t = res["transform"]["memory"], res["transform"]["throughput"]
        lines += [
            "## Transform: memory and throughput",
            "",
            f"{m['n_windows']} windows of {T}x{F} float32 (input {m['input_mib']:.0f} MiB, "
            f"output {m['output_mib']:.1f} MiB), fresh subprocess:",
            "",
            f"- peak RSS growth beyond input and output: "
            f"**{fmt(m['peak_growth_beyond_output_mib'])} MiB** (limit 512 MiB; VmHWM "
            f"reset before transform); numpy allocations (tracemalloc) peak "
            f"{m['tracemalloc_peak_mib']:.1f} MiB"
            + (
                f"; CUDA peak allocated {m['cuda_peak_allocated_mib']:.0f} MiB"
                if "cuda_peak_allocated_mib" in m
                else ""
            ),
            f"- {m['windows_per_s']:.0f} windows/s (wall) in that run",
            "",
            f"Throughput on {t['n_windows']} windows: `transform` "
            f"{t['transform_windows_per_s']:.0f} windows/s vs bare no-grad forward "
            f"{t['bare_windows_per_s']:.0f} windows/s (time ratio "
            f"{t['transform_over_bare_time']:.3f})"
            + (
                f"; vs the reference module's (`ReferenceEmbedding`, the hand-written model "
                f"with the same weights) no-grad forward {t['reference_windows_per_s']:.0f} "
                f"windows/s (time ratio {t['transform_over_reference_time']:.3f}, largest "
                f"difference {t['reference_max_abs_diff']:.2g})."
                if "reference_windows_per_s" in t
                else "."
            ),
            "",
        ]
    if "scaling" in res:
        lines += [
            "## Scaling",
            "",
            "seq2seq: 1 training epoch (batch 64, hidden 128, predict T/2 steps) + transform; "
            "DTW k-means: tslearn `TimeSeriesKMeans(metric='dtw', n_clusters=8, max_iter=5)` "
            "on a subsample (its cost is ~ n x T^2 per iteration, plus DBA barycentres).",
            "",
            "| method | n | T | fit s | transform s | ms per sequence |",
            "|---|---|---|---|---|---|",
        ]
        for r in res["scaling"]["rows"]:
            if "note" in r:
                lines.append(f"| {r['method']} | {r['note']} | | | | |")
                continue
            per = 1000 * (r["fit_s"] + (r["transform_s"] or 0)) / r["n"]
            lines.append(
                f"| {r['method']} | {r['n']} | {r['T']} | {fmt(r['fit_s'])} | "
                f"{fmt(r['transform_s'])} | {per:.3g} |"
            )
        lines.append("")
    if not gpu:
        lines += [
            "## GPU",
            "",
            "not measured here: run "
            "`python benchmarks/bench_speed.py --device cuda --quick` on a CUDA machine "
            "(results go to `speed_cuda.md`/`.json`).",
            "",
        ]
    if "amp" in res:
        a = res["amp"]
        kind = "float16 + GradScaler" if gpu else "bfloat16"
        lines += [
            f"## Mixed precision (`mixed_precision=True`: {kind} autocast)",
            "",
            f"batch 256, 1 epoch on {a['n_fit']} windows; "
            f"fit: float32 {fmt(a['fit_fp32_s'])} s, mixed {fmt(a['fit_amp_s'])} s "
            f"({a['fit_speedup']:.2f}x); transform of {a['n_transform']} windows: float32 "
            f"{fmt(a['transform_fp32_s'])} s, mixed {fmt(a['transform_amp_s'])} s "
            f"({a['transform_speedup']:.2f}x); max |embedding difference| "
            f"{a['max_abs_diff']:.3g}.",
            "",
        ]
    if "compile" in res:
        c = res["compile"]
        lines += [
            "## torch.compile",
            "",
            f"Module training step (forward, backward, Adam) on a batch of {c['batch']}, "
            "median of 7 interleaved repeats; first call's compile time apart.",
            "",
            "| model | eager ms/step | compiled ms/step | compiled / eager | compile s |",
            "|---|---|---|---|---|",
        ]
        for row in c["rows"]:
            lines.append(
                f"| {row['config']} | {fmt(row['eager_ms'])} | {fmt(row['compiled_ms'])} | "
                f"{row['compiled_ms'] / row['eager_ms']:.3f} | {fmt(row['compile_s'])} |"
            )
        lines.append("")
    return "\n".join(lines)


def bench_amp(args, clock):
    n = 4096 if args.quick else 16384
    X = windows(n)
    kw = dict(max_epochs=1, batch_size=256, random_state=0, device=args.device)
    emb32 = Seq2SeqEmbedder(**PAPER, **kw).fit(X[:512])
    emb16 = Seq2SeqEmbedder(**PAPER, mixed_precision=True, **kw).fit(X[:512])
    fits = {
        "fp32": lambda: Seq2SeqEmbedder(**PAPER, **kw).fit(X),
        "amp": lambda: Seq2SeqEmbedder(**PAPER, mixed_precision=True, **kw).fit(X),
    }
    fit_t, _ = interleaved(clock, fits, 2 if args.quick else 3)
    emb16.module_.load_state_dict(emb32.module_.state_dict())
    tr = {"fp32": lambda: emb32.transform(X), "amp": lambda: emb16.transform(X)}
    tr_t, _ = interleaved(clock, tr, 3)
    return {
        "n_fit": n,
        "n_transform": n,
        "fit_fp32_s": med(fit_t["fp32"]),
        "fit_amp_s": med(fit_t["amp"]),
        "fit_speedup": med(fit_t["fp32"]) / med(fit_t["amp"]),
        "transform_fp32_s": med(tr_t["fp32"]),
        "transform_amp_s": med(tr_t["amp"]),
        "transform_speedup": med(tr_t["fp32"]) / med(tr_t["amp"]),
        "amp_dtype": "float16" if args.device == "cuda" else "bfloat16",
        "max_abs_diff": float(np.abs(tr["fp32"]() - tr["amp"]()).max()),
    }


def bench_compile(args, clock):
    """torch.compile of the module: training step time and the one-off compile time."""
    rows = []
    X = torch.from_numpy(windows(BATCH)).to(args.device)
    lengths = torch.full((BATCH,), T, device=args.device)
    for name, strategy in [("paper (previous_output)", None), ("fixed_state", "fixed_state")]:
        torch.manual_seed(0)
        module = Seq2SeqModule(F, H, prediction_length=T // 2, decoder_strategy=strategy)
        module = module.to(args.device)
        compiled = torch.compile(module)
        optimizer = torch.optim.Adam(module.parameters())
        criterion = MaskedMSELoss()

        def step(net):
            def run():
                for _ in range(5):
                    output, target, mask = net(X, lengths)[:3]
                    optimizer.zero_grad()
                    criterion(output, target, mask).backward()
                    optimizer.step()

            return run

        start = time.perf_counter()
        step(compiled)()
        compile_s = time.perf_counter() - start
        times, _ = interleaved(clock, {"eager": step(module), "compiled": step(compiled)}, 7)
        rows.append(
            {
                "config": name,
                "eager_ms": 1000 * med(times["eager"]) / 5,
                "compiled_ms": 1000 * med(times["compiled"]) / 5,
                "compile_s": compile_s,
            }
        )
    return {"batch": BATCH, "rows": rows}


SECTIONS = {
    "overhead": bench_overhead,
    "reference": bench_reference,
    "decoder": bench_decoder,
    "transform": bench_transform,
    "scaling": bench_scaling,
    "amp": bench_amp,
    "compile": bench_compile,
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument(
        "--only",
        nargs="*",
        choices=list(SECTIONS),
        help="sections to run; the others are kept from an existing results file",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="results stem (default: benchmarks/results/speed or speed_cuda)",
    )
    parser.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child is not None:
        return memory_child(args.memory_child, args.device, args.threads)
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda: CUDA is not available")
    torch.set_num_threads(args.threads)
    gpu = args.device == "cuda"
    sections = args.only or list(SECTIONS)
    clock = Clock(args.device)
    res = {
        "meta": {
            "command": "python benchmarks/bench_speed.py "
            + " ".join(sys.argv[1:] if argv is None else argv),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "torch": torch.__version__,
            "device": args.device,
            "cpu_threads": torch.get_num_threads(),
            "quick": args.quick,
            "device_name": torch.cuda.get_device_name()
            if gpu
            else platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(),
            "timer": "wall (cuda-synchronised)" if gpu else "process_time",
        }
    }
    stem = args.out or RESULTS / ("speed_cuda" if gpu else "speed")
    if args.only and stem.with_suffix(".json").exists():  # rerun some sections, keep the rest
        old = json.loads(stem.with_suffix(".json").read_text())
        rerun = old["meta"].get("rerun", []) + [f"{res['meta']['command']} ({res['meta']['date']})"]
        res = {**old, "meta": {**old["meta"], "rerun": rerun}}
    for name in sections:
        start = time.perf_counter()
        print(f"[{name}] ...", flush=True)
        res[name] = SECTIONS[name](args, clock)
        print(f"[{name}] {time.perf_counter() - start:.0f} s", flush=True)
    stem.parent.mkdir(parents=True, exist_ok=True)
    stem.with_suffix(".json").write_text(json.dumps(res, indent=2))
    stem.with_suffix(".md").write_text(markdown(res))
    print(markdown(res))


if __name__ == "__main__":
    main()
