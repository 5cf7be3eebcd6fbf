"""
A folder of BVH files: clusters, a CSV file and a plot
=======================================================

The workflow for your own recordings: read every motion file of a folder
with :func:`skseq2seq.io.load_folder`, cut the recordings into windows,
cluster the windows with :class:`~skseq2seq.Seq2SeqClusterer`, and save
which cluster each stretch of each file falls in as a CSV table, with a
timeline per file. The command line does the same in one line: ``python -m
skseq2seq cluster FOLDER --n-clusters 3 --window 120 --stride 30 --out
labels.csv --plot embedding.png``.

The files are the two CMU BVH recordings of ``formats/`` in the data home
(``$SKSEQ2SEQ_DATA`` or ``../../../shared/data`` from this folder; subject
131, 120 frames per second, 31 joints). Without them, two recordings of
generated movements, saved as CSV tables in a temporary folder, stand in:
the steps are the same, and the printed output says which data ran and
what the clusters look like there.
"""

# %%
# Reading the folder
# ------------------
# ``load_folder`` reads every file with an extension it knows (BVH, C3D,
# ASF/AMC, CSV/TXT tables, .npy) in natural order; ``pattern="*.bvh"`` keeps
# the BVH files (the folder also holds an ASF/AMC recording, whose skeleton
# has other channels). ``rotations="expmap"`` turns the joints' Euler angles
# into exponential maps, which have no jumps at +-180 degrees.
import os
import tempfile
from pathlib import Path

import numpy as np

from skseq2seq.datasets import make_motion_sequences, sliding_windows
from skseq2seq.io import load_folder

# $SKSEQ2SEQ_DATA, else the repository's ../shared/data (the docs build), else
# ~/skseq2seq_data.
data_home = os.environ.get("SKSEQ2SEQ_DATA")
if data_home is None:
    shared = Path("../../../shared/data")
    data_home = shared if shared.is_dir() else Path("~/skseq2seq_data").expanduser()
data_home = Path(data_home)
folder = data_home / "formats"
if sorted(folder.glob("*.bvh")):
    data = load_folder(folder, "*.bvh", label_from="stem", rotations="expmap")
    source = f"BVH files of {folder}"
else:
    # Two recordings, each switching between regimes of movement every 200 frames.
    folder = Path(tempfile.mkdtemp())
    for i in range(2):
        parts, _ = make_motion_sequences(
            n_sequences=5, n_timesteps=200, n_features=6, n_regimes=3, random_state=i
        )
        np.savetxt(folder / f"take_{i + 1}.csv", np.concatenate(parts), delimiter=",")
    data = load_folder(folder, "*.csv", label_from="stem", fps=120)
    source = f"GENERATED stand-in recordings (no BVH files found in {data_home / 'formats'})"
print(f"Data: {source}")
for name, frames, fps in zip(data.filenames, data.recordings, data.fps):
    print(f"  {Path(name).name}: {len(frames)} frames x {frames.shape[1]} channels at {fps:g} fps")

# %%
# Windows
# -------
# One-second windows (120 frames), a new one every quarter second: long
# enough to hold a step or a gesture, short enough to tell the stretches of
# a recording apart. ``groups`` says which file each window comes from.
width, stride = 120, 30
X, groups = sliding_windows(data.recordings, width, stride, return_groups=True)
starts = np.concatenate([np.arange(0, len(rec) - width + 1, stride) for rec in data.recordings])
print(f"{len(X)} windows of {width} frames x {X.shape[2]} channels")

# %%
# Clustering
# ----------
# No labels: the network learns the windows' dynamics and the clustering
# groups them. A small network trained for a few epochs keeps this page
# fast; use the defaults (or more epochs) on your data.
from skseq2seq import Seq2SeqClusterer

clusterer = Seq2SeqClusterer(n_clusters=3, random_state=0).set_params(
    embedder__hidden_size=16, embedder__max_epochs=3
)
labels = clusterer.fit_predict(X)
print("windows per cluster:", np.bincount(labels))

# %%
# The CSV table
# -------------
# One row per window: its file, first and last frame (the stop is
# exclusive), its time in seconds and its cluster. Any spreadsheet or
# ``pandas.read_csv`` reads it back.
import pandas as pd

fps = data.fps[groups]
table = pd.DataFrame(
    {
        "file": [Path(data.filenames[g]).name for g in groups],
        "start": starts,
        "stop": starts + width,
        "start_s": np.round(starts / fps, 3),
        "label": labels,
    }
)
csv_path = Path(tempfile.mkdtemp()) / "labels.csv"
table.to_csv(csv_path, index=False)
print(f"Written: {csv_path.name}, {len(table)} rows")
print(table.head(8).to_string(index=False))

# %%
# Timelines and the embedding
# ---------------------------
# Each file's windows in time order (one bar per window step, placed at the
# window's start), coloured by cluster, and the decoder states of the
# windows projected on their first two principal components. The network
# never saw where one movement ends; a network this small (16 units, 3
# epochs) draws rough boundaries. Which movement each cluster is, the files
# do not say: look at the frames of a stretch (``start``/``stop`` in the
# table) to name them. How many clusters each file passes through, and how
# long its stretches last, is printed from this run's table:
for g, name in enumerate(data.filenames):
    file_labels = labels[groups == g]
    runs = np.diff(np.flatnonzero(np.r_[True, file_labels[1:] != file_labels[:-1], True]))
    seconds = runs * stride / data.fps[g]  # one window step per label
    print(
        f"{Path(name).name}: clusters {sorted(set(file_labels.tolist()))}, "
        f"{len(runs)} stretches of {seconds.min():.2f} s to {seconds.max():.2f} s"
    )

import matplotlib.pyplot as plt

from skseq2seq.plotting import label_colors, plot_embedding, plot_segmentation

colors = label_colors(labels)  # a cluster keeps its colour in every panel
n_files = len(data.filenames)
fig, axes = plt.subplots(n_files + 1, 1, figsize=(8, 2 + 1.2 * n_files),
                         gridspec_kw={"height_ratios": [1] * n_files + [4]})  # fmt: skip
for g, ax in enumerate(axes[:-1]):
    # One "frame" per window: at fps / stride windows per second the axis is in seconds.
    plot_segmentation(labels[groups == g], fps=data.fps[g] / stride, ax=ax, colors=colors)
    if g:
        ax.sharex(axes[0])  # one time scale for every file
    ax.set_yticklabels(["cluster"])
    ax.set_xlabel("time (s)" if g == n_files - 1 else "")
    ax.set_title(Path(data.filenames[g]).name, fontsize=9)
axes[0].set_xlim(0, max(np.sum(groups == g) * stride / data.fps[g] for g in range(n_files)))
plot_embedding(clusterer.embedder_, X, labels=labels, dim=2, ax=axes[-1], colors=colors)
axes[-1].legend(title="cluster", loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
axes[-1].set_title("Decoder states of the windows (PCA), coloured by cluster")
fig.tight_layout()
