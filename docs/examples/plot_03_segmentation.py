"""
Segmenting a long recording into actions
========================================

CMU subject 86 performs a series of actions in one take (walk, jump,
punch, kick, ...). :class:`~skseq2seq.TemporalSegmenter` slides windows
over the recording, trains a sequence-to-sequence GRU to predict each
window's end, gives every frame the decoder states that predicted it and
clusters the frames into actions, with temporal smoothing. The
ground-truth transitions give a reference.

Without the data (``cmu_mocap/subject86`` in the data home, ``$SKSEQ2SEQ_DATA``
or ``../../../shared/data`` from this folder), generated regimes joined end to
end stand in.
"""

# %%
# The recording
# -------------
import os
from pathlib import Path

import numpy as np

from skseq2seq.datasets import load_cmu_subject86, make_motion_sequences

data_home = Path(os.environ.get("SKSEQ2SEQ_DATA", "../../../shared/data"))
if (data_home / "cmu_mocap" / "subject86").is_dir():
    trial = load_cmu_subject86(1, data_home=data_home)
    frames, frame_labels, names, fps = trial.data, trial.target, list(trial.target_names), trial.fps
else:
    parts, regimes = make_motion_sequences(
        n_sequences=8, n_timesteps=150, n_features=6, n_regimes=4, random_state=0
    )
    frames = np.concatenate(parts)
    frame_labels = np.repeat(regimes, 150)
    names = [f"regime {i}" for i in range(4)]
    fps = 30
print(
    f"{len(frames)} frames ({len(frames) / fps:.0f} s) x {frames.shape[1]} channels; "
    f"actions: {names}"
)

# %%
# Segmentation
# ------------
# The number of actions is given; everything else is learned without
# labels. A small net (hidden size 64) keeps this example fast.
from skseq2seq import Seq2SeqEmbedder, TemporalSegmenter
from skseq2seq.metrics import segmentation_report

segmenter = TemporalSegmenter(
    n_clusters=len(names),
    fps=fps,
    working_fps=min(fps, 30),
    embedder=Seq2SeqEmbedder(hidden_size=64, max_epochs=10),
    random_state=0,
)
segments = segmenter.fit_predict(frames)
report = segmentation_report(frame_labels, segments, tolerance=0.5, fps=fps)
print({key: round(float(value), 2) for key, value in report.items()})

# %%
# Ground truth against the actions found (clusters take the colour of the
# action they are matched with), the net's prediction error over time
# (it peaks where the dynamics change), and the recording's path through
# the per-frame decoder-state embedding.
import matplotlib.pyplot as plt

from skseq2seq.plotting import plot_embedding, plot_segmentation

fig = plt.figure(figsize=(10, 7.5))
ax = fig.add_subplot(3, 1, 1)
plot_segmentation(frame_labels, segments, fps=fps, label_names=names, ax=ax)
ax = fig.add_subplot(3, 1, 2)
ax.plot(np.arange(len(frames)) / fps, segmenter.prediction_error_, linewidth=0.8)
for cut in segmenter.error_peaks_:
    ax.axvline(cut / fps, color="0.5", linestyle=":", linewidth=1)
ax.set_ylabel("prediction error")
ax.set_xlabel("time (s)")
ax = fig.add_subplot(3, 2, 5)
plot_embedding(segmenter.frame_embedding_[None], kind="trajectories", ax=ax, color="0.5")
ax.set_title("path through the embedding", fontsize="medium")
ax = fig.add_subplot(3, 2, 6)
step = segmenter.downsample_
working_labels = frame_labels[::step][: len(segmenter.frame_embedding_)]
plot_embedding(
    segmenter.frame_embedding_[: len(working_labels)],
    labels=working_labels,
    label_names=names,
    ax=ax,
    s=3,
)
ax.set_title("frames, by true action", fontsize="medium")
fig.tight_layout()
