"""
Segmenting a long recording into actions
========================================

CMU subject 86 performs a series of actions in one take (walk, jump,
punch, kick, ...). Sliding a window over the recording, embedding every
window with the decoder states and clustering the windows assigns an action
cluster to every moment; the ground-truth transitions give a reference.

Without the data (``$SKSEQ2SEQ_CMU_DATA`` or ``../../shared/data/cmu_mocap``
from this folder), generated regimes joined end to end stand in.
"""

# %%
# The recording
# -------------
import os
from pathlib import Path

import numpy as np

from skseq2seq.datasets import load_cmu_subject86, make_motion_sequences, sliding_windows

data_home = Path(os.environ.get("SKSEQ2SEQ_CMU_DATA", "../../shared/data/cmu_mocap"))
if (data_home / "subject86").is_dir():
    frames, frame_labels, names = load_cmu_subject86(1, data_home=data_home)
    frames, frame_labels = frames[::4], frame_labels[::4]  # 120 -> 30 frames per second
else:
    parts, regimes = make_motion_sequences(n_sequences=8, n_timesteps=150, n_features=6,
                                           n_regimes=4, random_state=0)
    frames = np.concatenate(parts)
    frame_labels = np.repeat(regimes, 150)
    names = [f"regime {i}" for i in range(4)]
print(f"{len(frames)} frames x {frames.shape[1]} channels; actions: {names}")

# %%
# Windows, embedding, clusters
# ----------------------------
# One-second windows every 3 frames; each window's cluster is given to the
# frames nearest its centre.
from sklearn.metrics import adjusted_rand_score

from skseq2seq import Seq2SeqClusterer, Seq2SeqEmbedder
from skseq2seq.metrics import clustering_accuracy

width, stride = 30, 3
windows, window_labels = sliding_windows(frames, width, stride, y=frame_labels,
                                         label="center")
clusterer = Seq2SeqClusterer(
    n_clusters=len(names),
    embedder=Seq2SeqEmbedder(hidden_size=64, max_epochs=15, random_state=0),
    random_state=0,
).fit(windows)

centres = np.arange(len(windows)) * stride + width // 2
nearest = np.abs(np.arange(len(frames))[:, None] - centres[None, :]).argmin(axis=1)
segments = clusterer.labels_[nearest]
print(f"frame accuracy {clustering_accuracy(frame_labels, segments):.2f}, "
      f"ARI {adjusted_rand_score(frame_labels, segments):.2f}")

# %%
# Ground truth against the clusters found (colours of the clusters are
# arbitrary; accuracy matches them to actions), and the path the recording
# takes through the embedding, coloured by true action.
import matplotlib.pyplot as plt

from skseq2seq.plotting import plot_embedding

fig = plt.figure(figsize=(10, 6))
top = fig.add_subplot(2, 1, 1)
top.imshow(np.vstack([frame_labels, segments]), aspect="auto", cmap="tab10",
           interpolation="nearest", vmin=0, vmax=9)
top.set_yticks([0, 1], ["ground truth", "clusters"])
top.set_xlabel("frame (30 per second)")
left = fig.add_subplot(2, 2, 3)
embedding = clusterer.embedding_[None]  # one trajectory through time
plot_embedding(embedding, kind="trajectories", ax=left, color="0.6")
left.set_title("the recording's path through the embedding")
right = fig.add_subplot(2, 2, 4)
plot_embedding(clusterer.embedding_, labels=window_labels, label_names=names, ax=right)
right.set_title("windows, by true action")
fig.tight_layout()
