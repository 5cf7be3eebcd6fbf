"""
Forecasting motion
==================

:class:`~skseq2seq.Seq2SeqForecaster` reads two seconds of motion and
forecasts the next second. Here it is trained on four Human3.6M actions
(walking, eating, smoking, discussion: those Martinez et al. (2017) report
first) of subjects S1, S6 and S7, on the 93 joint-angle channels (global
position and orientation dropped, as in the usual protocol), forecasts one
take of subject S8, whom it never saw, and is compared with the
zero-velocity forecast (repeat the last frame), a famously hard baseline for
human motion. The full comparison, all 15 actions, per horizon and over
seeds, is :doc:`/benchmarks/forecast`.

The recordings are read from the data home (``$SKSEQ2SEQ_DATA``, or
``../shared/data`` relative to the repository, holding ``h36m/``). Without
them, this page runs on generated sequences and says so in its output; every
number below is printed by the run, for the data it ran on.
"""

# %%
# The data
# --------
import os
from pathlib import Path

import numpy as np

from skseq2seq.datasets import load_h36m, make_motion_sequences

FPS = 25
data_home = os.environ.get("SKSEQ2SEQ_DATA")
if data_home is None and Path("../../../shared/data").is_dir():
    data_home = "../../../shared/data"
try:
    h36m = load_h36m(
        subjects=[1, 6, 7, 8],
        actions=["walking", "eating", "smoking", "discussion"],
        data_home=data_home,
    )
except FileNotFoundError:
    h36m = None
if h36m is not None:
    joints = [rec[:, 6:] for rec in h36m.recordings]  # global translation/rotation dropped
    train = [rec for rec, s in zip(joints, h36m.subjects) if s != "S8"]
    test = [rec for rec, s in zip(joints, h36m.subjects) if s == "S8"]
    names = [h36m.target_names[t] for t, s in zip(h36m.target, h36m.subjects) if s == "S8"]
    take = names.index("walking")
    print("Data: Human3.6M, trained on S1/S6/S7, tested on S8")
else:
    X, _ = make_motion_sequences(
        n_sequences=40, n_timesteps=300, n_features=12, n_regimes=4, random_state=0
    )
    train, test = list(X[:30]), list(X[30:])
    names, take = ["generated"] * len(test), 0
    print(
        "Data: GENERATED sequences, not motion capture: no Human3.6M recordings were\n"
        "found in the data home."
    )
print(f"{len(train)} training recordings, {sum(map(len, train))} frames at {FPS} fps")

# %%
# Training
# --------
# The forecaster cuts the recordings into windows of ``observed + horizon``
# frames (3 s), one every ``horizon`` frames, holds a tenth of them out for
# early stopping, and trains. Durations are given in seconds with ``fps``.
import time

from skseq2seq import Seq2SeqForecaster

forecaster = Seq2SeqForecaster(observed="2s", horizon="1s", fps=FPS, random_state=0)
start = time.perf_counter()
forecaster.fit(train)
print(
    f"{forecaster.n_windows_} windows, {forecaster.n_epochs_} epochs, "
    f"{time.perf_counter() - start:.0f} s"
)

# %%
# One forecast
# ------------
# Two seconds of one S8 take are read, and the next second is forecast. The
# three channels that move most are drawn on one time axis: observed
# (solid), forecast (dashed) and what really happened (dotted).
import matplotlib.pyplot as plt

observed, horizon = forecaster.observed_, forecaster.horizon_
recording = test[take]
start_frame = len(recording) // 2
seen = recording[start_frame : start_frame + observed]
truth = recording[start_frame + observed : start_frame + observed + horizon]
future = forecaster.predict(seen[None])[0]

channels = np.argsort(seen.std(axis=0))[::-1][:3]
t_seen = np.arange(observed) / FPS
t_future = np.arange(observed - 1, observed + horizon) / FPS
fig, ax = plt.subplots(figsize=(8, 3.5))
for k, c in enumerate(channels):
    ax.plot(t_seen, seen[:, c], color=f"C{k}", label=f"channel {c}")
    ax.plot(t_future, np.r_[seen[-1, c], future[:, c]], color=f"C{k}", linestyle="--")
    ax.plot(t_future, np.r_[seen[-1, c], truth[:, c]], color=f"C{k}", linestyle=":")
ax.axvline(t_seen[-1], color="0.5", linewidth=0.8)
ax.set_xlabel("time (s)")
ax.set_title(f"S8 {names[take]}: observed, forecast (dashed), truth (dotted)")
ax.legend(fontsize="small")
fig.tight_layout()

# %%
# Error against zero-velocity
# ---------------------------
# Every 3-second window of the S8 takes (one every second), all four actions
# together: the root mean
# squared error over the channels, at each forecast step, for the
# forecaster and for repeating the last observed frame.
windows = np.stack(
    [
        rec[s : s + observed + horizon]
        for rec in test
        for s in range(0, len(rec) - observed - horizon + 1, FPS)
    ]
)
seen, truth = windows[:, :observed], windows[:, observed:]
ours = np.sqrt(((forecaster.predict(seen) - truth) ** 2).mean(axis=(0, 2)))
zero = np.sqrt(((seen[:, -1:] - truth) ** 2).mean(axis=(0, 2)))
for ms in (80, 160, 320, 400, 560, 1000):
    step = round(ms * FPS / 1000) - 1
    print(
        f"{ms:5d} ms  forecaster {ours[step]:.4f}  zero-velocity {zero[step]:.4f}  "
        f"({100 * (ours[step] / zero[step] - 1):+.0f} %)"
    )

fig, ax = plt.subplots(figsize=(6, 3))
steps_ms = 1000 * np.arange(1, horizon + 1) / FPS
ax.plot(steps_ms, zero, label="zero-velocity")
ax.plot(steps_ms, ours, label="Seq2SeqForecaster")
ax.set_xlabel("forecast horizon (ms)")
ax.set_ylabel("RMS error")
ax.legend()
fig.tight_layout()
plt.show()
