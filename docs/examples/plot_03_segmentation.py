"""
Segmenting a long recording into actions
========================================

CMU subject 86 performs a series of actions in one take (walk, jump,
punch, kick, ...). :class:`~skseq2seq.TemporalSegmenter` describes every
frame by the frames around it and clusters the frames into actions, with
temporal smoothing; by default from the frames alone, and with
``features="states+frames"`` also from the states of sequence-to-sequence
GRUs (three) trained to predict each sliding window's end, which gives
every frame the decoder states that predicted it and a prediction error.
The ground-truth transitions give a reference.

The recording is read from ``cmu_mocap/subject86`` in the data home
(``$SKSEQ2SEQ_DATA``, else ``~/skseq2seq_data``; the documentation build
reads ``../shared/data``). Without it, generated regimes joined end to end
stand in, and the output says so: the scores printed below are those of the
data the page ran on. The generated recording joins a new 5-second sequence
every 5 seconds, sometimes of the same regime, so its prediction error peaks
at every join, within a regime as well as between two.
"""

# %%
# The recording
# -------------
import os
from pathlib import Path

import numpy as np

from skseq2seq.datasets import load_cmu_subject86, make_motion_sequences

# $SKSEQ2SEQ_DATA, else the repository's ../shared/data (the docs build), else
# ~/skseq2seq_data.
data_home = os.environ.get("SKSEQ2SEQ_DATA")
if data_home is None and Path("../../../shared/data").is_dir():
    data_home = "../../../shared/data"
try:
    trial = load_cmu_subject86(1, data_home=data_home)
except FileNotFoundError:
    trial = None
if trial is not None:
    frames, frame_labels, fps = trial.data, trial.target, trial.fps
    names = [str(name) for name in trial.target_names]
    source = "CMU subject 86, trial 1"
    print(f"Data: {source}")
else:
    parts, regimes = make_motion_sequences(
        n_sequences=8, n_timesteps=150, n_features=6, n_regimes=4, random_state=0
    )
    frames = np.concatenate(parts)
    # Regimes numbered 0, 1, ... in the order of their values (a regime may not be drawn).
    present, frame_labels = np.unique(np.repeat(regimes, 150), return_inverse=True)
    names = [f"regime {i}" for i in present]
    fps = 30
    source = "GENERATED regimes joined end to end"
    print(f"Data: {source} (no subject-86 recording was found)")
print(
    f"{len(frames)} frames ({len(frames) / fps:.0f} s) x {frames.shape[1]} channels; "
    f"actions: {names}"
)

# %%
# Segmentation
# ------------
# The number of actions is given (``n_clusters="auto"`` would choose it);
# everything else is found without labels. First the default: the frames
# alone, no net trained. Then the same pipeline with the states of three
# nets (hidden size 128, 10 epochs each, from different seeds) as well,
# which takes 10 to 30 seconds or so on one CPU core; the times this page
# took are printed below.
from time import perf_counter

from skseq2seq import TemporalSegmenter
from skseq2seq.metrics import segmentation_report

for features in ("frames", "states+frames"):
    segmenter = TemporalSegmenter(n_clusters=len(names), fps=fps, features=features, random_state=0)
    start = perf_counter()
    segments = segmenter.fit_predict(frames)
    seconds = perf_counter() - start
    report = segmentation_report(frame_labels, segments, tolerance=0.5, fps=fps)
    print(
        f"features={features!r:<16} fit in {seconds:3.0f} s: accuracy {report['accuracy']:.2f}  "
        f"ARI {report['ari']:.2f}  NMI {report['nmi']:.2f}"
    )

# %%
# Where the actions change
# ------------------------
# From here on, the second fit (with the nets): it has a prediction error
# and per-frame states. It gives two kinds of cut. ``change_points_`` are the
# boundaries of its labels: where the action it assigns changes.
# ``error_peaks_`` are the frames where the net's prediction error peaks:
# the motion is hard to predict there, which happens at a change of action
# but also within one (a turn, a single jump). Both are scored against the
# annotated transitions, within one second.
from skseq2seq.metrics import boundaries, boundary_report

true_cuts = boundaries(frame_labels)
cut_scores = {}
for name in ("change_points_", "error_peaks_"):
    cut_scores[name] = boundary_report(true_cuts, getattr(segmenter, name), tolerance=1.0, fps=fps)
    r = cut_scores[name]
    print(
        f"{name:<15} {r['n_pred']:3d} cuts for {r['n_true']} true ones: "
        f"precision {r['precision']:.2f}  recall {r['recall']:.2f}  F1 {r['f1']:.2f}"
    )
f1 = {name: r["f1"] for name, r in cut_scores.items()}
if abs(f1["change_points_"] - f1["error_peaks_"]) < 0.05:
    print("On this recording, both match the annotated transitions about as well (F1 within 1 s).")
else:
    better = max(f1, key=f1.get)
    print(f"On this recording, {better} match the annotated transitions better (F1 within 1 s).")

# %%
# From top to bottom, on one time axis: the annotated actions against the
# actions found (each cluster takes the colour of the action it is matched
# with); the annotated transitions against both kinds of cut; the net's
# prediction error, with the annotated transitions as dashed lines and the
# error peaks as triangles.
import matplotlib.pyplot as plt

from skseq2seq.plotting import label_colors, plot_embedding, plot_segmentation

colors = label_colors(frame_labels)  # one colour per action, in every panel
time_s = np.arange(len(frames)) / fps
fig, axes = plt.subplots(3, 1, sharex=True, figsize=(10, 6.5),
                         gridspec_kw={"height_ratios": [1.1, 1, 1.6]})  # fmt: skip
plot_segmentation(frame_labels, segments, fps=fps, label_names=names, ax=axes[0], colors=colors)
axes[0].set_xlabel("")
rows = [
    ("annotated", true_cuts, "k"),
    ("change_points_", segmenter.change_points_, "0.3"),
    ("error_peaks_", segmenter.error_peaks_, "0.55"),
]  # greys: the action colours are taken
for row, (_, cuts, colour) in enumerate(rows):
    axes[1].vlines(np.asarray(cuts) / fps, row - 0.35, row + 0.35, color=colour, linewidth=1.5)
axes[1].set_yticks(range(len(rows)), [name for name, _, _ in rows])
axes[1].set_ylim(len(rows) - 0.5, -0.5)
axes[1].set_title("cuts (F1 within 1 s: change_points_ "
                  f"{cut_scores['change_points_']['f1']:.2f}, error_peaks_ "
                  f"{cut_scores['error_peaks_']['f1']:.2f})", fontsize="medium")  # fmt: skip
axes[2].plot(time_s, segmenter.prediction_error_, linewidth=0.8, color="0.2")
for i, cut in enumerate(true_cuts):
    axes[2].axvline(cut / fps, color="k", linestyle="--", linewidth=1,
                    label="annotated transition" if i == 0 else None)  # fmt: skip
axes[2].plot(np.asarray(segmenter.error_peaks_) / fps,
             segmenter.prediction_error_[segmenter.error_peaks_], "v", color="0.55",
             markersize=5, label="error_peaks_")  # fmt: skip
axes[2].legend(loc="upper right", fontsize="small")
axes[2].set_ylabel("prediction error")
axes[2].set_xlabel("time (s)")
axes[2].set_xlim(0, len(frames) / fps)
fig.suptitle(f"TemporalSegmenter on {source}", fontsize="medium")
fig.tight_layout()

# %%
# The frames in the per-frame decoder-state embedding, on its first two
# principal components, coloured by annotated action (same colours as
# above): successive frames trace paths, and those of one action tend to lie
# near each other. Where two actions overlap in this view, the segmenter
# still has the other principal components, context statistics and temporal
# smoothing, which the view does not show.
step = segmenter.downsample_
working_labels = frame_labels[::step][: len(segmenter.frame_embedding_)]
ax = plot_embedding(
    segmenter.frame_embedding_[: len(working_labels)],
    labels=working_labels,
    label_names=names,
    colors=colors,
    s=3,
)
ax.set_title("frames at the working rate, by annotated action", fontsize="medium")
ax.figure.set_size_inches(6, 4.5)
ax.figure.tight_layout()
