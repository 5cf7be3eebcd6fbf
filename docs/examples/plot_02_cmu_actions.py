"""
Clustering motion-capture actions
=================================

The CMU motion-capture recordings used by Su & Shlizerman (2020): 7 actions
(basketball, basketball signals, directing traffic, jumping, running,
soccer, walking) in 32 recordings of 117 channels (joint angles and root
position). Every recording is cut into 50-frame windows, a new one every 10
frames (the windows of the package's benchmark, :doc:`/benchmarks`).
:class:`~skseq2seq.Seq2SeqClusterer`, with its defaults, groups the windows
without labels; the groups are compared with the actions, next to the
classical baselines of :mod:`skseq2seq.baselines`. Then some options are
changed, to show what each one does.

The recordings are downloaded once with
:func:`~skseq2seq.datasets.fetch_cmu_actions` (into ``~/skseq2seq_data``, or
the folder ``$SKSEQ2SEQ_DATA`` names). Without them, this page runs on
generated sequences with 7 regimes and says so in its output; every number
and every verdict below is printed by the run, for the data it ran on.
"""

# %%
# The windows
# -----------
import os
from pathlib import Path

import numpy as np

from skseq2seq.datasets import load_cmu_actions, make_motion_sequences, sliding_windows

# $SKSEQ2SEQ_DATA, else the repository's ../shared/data (the docs build), else
# ~/skseq2seq_data, where fetch_cmu_actions() puts the files.
data_home = os.environ.get("SKSEQ2SEQ_DATA")
if data_home is None and Path("../../../shared/data").is_dir():
    data_home = "../../../shared/data"
try:
    actions = load_cmu_actions(data_home)
except FileNotFoundError:
    actions = None
if actions is not None:
    X, y = sliding_windows(actions.recordings, width=50, stride=10, y=actions.target)
    names = list(actions.target_names)
    print("Data: the CMU action recordings")
else:
    X, y = make_motion_sequences(
        n_sequences=400, n_timesteps=50, n_features=12, n_regimes=7, random_state=0
    )
    names = [f"regime {i}" for i in range(7)]
    print(
        "Data: GENERATED sequences (7 regimes), not motion capture: no CMU recordings\n"
        "were found. skseq2seq.datasets.fetch_cmu_actions() downloads them."
    )
print(f"{len(X)} windows of {X.shape[1]} frames x {X.shape[2]} channels")
print("windows per class:")
for name, count in zip(names, np.bincount(y)):
    print(f"  {name:<20} {count:5d}")

# %%
# The defaults against the baselines
# ----------------------------------
# Only the number of clusters is given; labels are used to score, never to
# fit. The baselines cluster what a window looks like without a network:
# each channel's mean and standard deviation over the window (``MeanStd*``,
# static statistics that ignore the order of the frames) or the whole
# window, flattened and reduced by PCA.
import time

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from skseq2seq import Seq2SeqClusterer
from skseq2seq.baselines import MeanStdKMeans, MeanStdWard, PCAKMeans
from skseq2seq.metrics import clustering_accuracy

k = len(names)
estimators = {
    "Seq2SeqClusterer": Seq2SeqClusterer(n_clusters=k, random_state=0),
    "MeanStdKMeans": MeanStdKMeans(n_clusters=k, random_state=0),
    "MeanStdWard": MeanStdWard(n_clusters=k),
    "PCAKMeans": PCAKMeans(n_clusters=k, random_state=0),
}


def scores(labels):
    """ARI, NMI and Hungarian accuracy of a clustering against the actions."""
    return {
        "ARI": adjusted_rand_score(y, labels),
        "NMI": normalized_mutual_info_score(y, labels),
        "accuracy": clustering_accuracy(y, labels),
    }


def show(name, result, seconds):
    print(
        f"{name:<42} ARI {result['ARI']:.3f}  NMI {result['NMI']:.3f}  "
        f"accuracy {result['accuracy']:.3f}  fit {seconds:5.1f} s"
    )


results, labels = {}, {}
for name, estimator in estimators.items():
    start = time.perf_counter()
    labels[name] = estimator.fit_predict(X)
    seconds = time.perf_counter() - start
    results[name] = scores(labels[name])
    show(name, results[name], seconds)

clusterer = estimators["Seq2SeqClusterer"]
ours = results["Seq2SeqClusterer"]["ARI"]
baselines = [name for name in results if name != "Seq2SeqClusterer"]
best = max(baselines, key=lambda name: results[name]["ARI"])
verdict = "seq2seq wins" if ours > results[best]["ARI"] else "seq2seq LOSES"
print(
    f"\nSeq2SeqClusterer ARI {ours:.2f} vs best baseline ({best}) "
    f"{results[best]['ARI']:.2f}: {verdict}."
)

# %%
# One seed per estimator: a gap smaller than the seed-to-seed spread is
# noise. :ref:`sphx_glr_auto_examples_plot_06_compare.py` repeats such a
# comparison over seeds with :func:`skseq2seq.compare`.
#
# What the embedding separates
# ----------------------------
# The embedding of every window on its first two principal components,
# coloured by the true action. PCA shows only the directions of largest
# variance; the clustering works on the nearest-neighbour graph of the full
# embedding.
import matplotlib.pyplot as plt

from skseq2seq.plotting import plot_embedding

fig, ax = plt.subplots(figsize=(8, 5.5), layout="constrained")
plot_embedding(clusterer.embedding_, labels=y, label_names=names, ax=ax, s=4)
ax.set_title("Seq2SeqClusterer embedding, by true action", fontsize="medium")
legend = ax.legend(fontsize="small", markerscale=2.5, loc="center left", bbox_to_anchor=(1.01, 0.5))
legend.set_title("true action")

# %%
# Which clusters each action's windows fall into, for the network and for
# the best baseline: each row is an action (the share of its windows in each
# cluster, with the count), and the clusters are ordered so that each
# action's matched cluster is on the diagonal. Off-diagonal cells are the
# confusions.
from skseq2seq.metrics import match_labels


def plot_confusion(labels_pred, ax, title):
    """Share of each action's windows in each cluster, clusters matched to actions."""
    mapping = match_labels(y, labels_pred)  # {cluster: matched action}
    clusters = np.unique(labels_pred)
    order = sorted(clusters, key=lambda c: mapping.get(c, len(names) + c))
    counts = np.array([[np.sum((y == a) & (labels_pred == c)) for c in order] for a in range(k)])
    share = counts / counts.sum(axis=1, keepdims=True)
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for (i, j), n in np.ndenumerate(counts):
        if n:
            ax.text(j, i, n, ha="center", va="center", fontsize=8,
                    color="w" if share[i, j] > 0.6 else "k")  # fmt: skip
    ax.set_xticks(range(len(order)), [names[mapping[c]] if c in mapping else "-" for c in order],
                  rotation=45, ha="right", fontsize=9)  # fmt: skip
    ax.set_yticks(range(k), names, fontsize=9)
    ax.set_title(f"{title}\nrows: actions; columns: clusters, by matched action", fontsize=10)


fig, axes = plt.subplots(1, 2, figsize=(11, 5.6), layout="constrained")
plot_confusion(labels["Seq2SeqClusterer"], axes[0], f"Seq2SeqClusterer (ARI {ours:.2f})")
plot_confusion(labels[best], axes[1], f"{best} (ARI {results[best]['ARI']:.2f})")
axes[1].tick_params(labelleft=False)

# %%
# What the options change
# -----------------------
# The defaults are three choices, made on the benchmark's data: the network
# (``embedder=None`` trains Predict & Cluster's ``fixed_state`` decoder on the
# frames and their differences, and embeds each window by its decoder states
# and the encoder's final state), what is clustered
# (``features="states+statistics"``: that embedding joined at equal weight
# with each window's posture statistics) and the clustering (spectral
# clustering of the neighbour graph; when the graph holds a few more groups
# than asked for, as when single recordings form their own group, the
# surplus groups are merged by posture, ``n_extra_clusters=2``).
#
# The clustering alone can be changed without training again:
# :class:`~skseq2seq.EmbeddingClusterer` is the clustering stage of
# :class:`~skseq2seq.Seq2SeqClusterer`, and runs on the trained embedding.
# Su & Shlizerman's own recipe, the plain
# :class:`~skseq2seq.Seq2SeqEmbedder` (a free-running decoder, decoder states
# only) with cosine average linkage, needs a second network.
from skseq2seq import EmbeddingClusterer, Seq2SeqEmbedder, posture_statistics

options = {
    "same net, clustering='kmeans'": dict(clustering="kmeans"),
    "same net, clustering='agglomerative'": dict(clustering="agglomerative"),
    "same net, spectral, n_extra_clusters=0": dict(n_extra_clusters=0),
}
option_results = {}
for name, params in options.items():
    start = time.perf_counter()
    stage = EmbeddingClusterer(n_clusters=k, random_state=0, **params)
    option_labels = stage.fit_predict(
        clusterer.embedding_, merge_features=lambda: posture_statistics(X)
    )
    option_results[name] = scores(option_labels)
    show(name, option_results[name], time.perf_counter() - start)

# The learned states alone, as features="states" clusters them.
start = time.perf_counter()
name = "same net, features='states'"
states_labels = EmbeddingClusterer(n_clusters=k, random_state=0).fit_predict(
    clusterer.embedder_.transform(X), merge_features=lambda: posture_statistics(X)
)
option_results[name] = scores(states_labels)
show(name, option_results[name], time.perf_counter() - start)

paper = Seq2SeqClusterer(
    n_clusters=k, embedder=Seq2SeqEmbedder(), clustering="agglomerative", random_state=0
)
start = time.perf_counter()
name = "paper: Seq2SeqEmbedder(), 'agglomerative'"
option_results[name] = scores(paper.fit_predict(X))
show(name, option_results[name], time.perf_counter() - start)

print()
baseline_ari = results[best]["ARI"]
for name, result in option_results.items():
    gap = result["ARI"] - ours
    if abs(gap) < 0.005:
        against_defaults = "level with the defaults"
    else:
        against_defaults = f"{abs(gap):.2f} {'better' if gap > 0 else 'WORSE'} than the defaults"
    against_baseline = "above" if result["ARI"] > baseline_ari else "BELOW"
    print(
        f"{name:<42} {against_defaults}, {against_baseline} the best baseline ({baseline_ari:.2f})"
    )

# %%
# The same network clustered four ways shows how much of the result the
# clustering stage and the posture statistics decide, and the last row how
# much the network does. The
# options are not wrong in general: on other data another choice can win
# (:doc:`/benchmarks` reports them on several datasets). To choose on your
# data, label a sample of windows and compare, as above, or search the
# parameters with :class:`~sklearn.model_selection.GridSearchCV`
# (:ref:`sphx_glr_auto_examples_plot_04_grid_search.py`).
