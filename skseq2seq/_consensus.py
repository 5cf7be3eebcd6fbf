"""Consensus clustering of per-frame views, then the switching-penalty smoothing.

The segmenter's steps 4 and 5 (:class:`~skseq2seq.TemporalSegmenter`): each
view of the frames (a net's states, the frames) is summarised over contexts
of a few seconds; hierarchical clusterings of every view, context and
linkage are combined into one co-association clustering, which segmental
k-means smooths in time. :func:`consensus_segmentation` returns the labels
and a :class:`Smoothing` that labels new frames the same way.
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist, squareform
from sklearn.metrics.pairwise import euclidean_distances

from ._stats import standardise
from ._temporal import context_statistics, segmental_kmeans, viterbi

__all__ = ["Consensus", "Smoothing", "consensus_segmentation", "longest_runs"]

# Linkages of the consensus: cosine average linkage (the paper's choice for
# decoder states) and Ward on standardised features; both see each context.
_LINKAGES = (("average", "cosine"), ("ward", "euclidean"))


@dataclass(frozen=True)
class Smoothing:
    """The feature space and switching penalty of the Viterbi pass, as fitted.

    The features of a frame are the mean and spread of every view over the
    middle context, standardised as in the fit and scaled so that each view
    weighs its ``weight`` whatever its width.

    Attributes
    ----------
    context : int
        Frames of the middle context.
    scaling : tuple of (float, ndarray, ndarray)
        Per view: its weight, and the centre and scale of its statistics.
    penalty : float
        Cost of one switch of label between consecutive frames.
    """

    context: int
    scaling: tuple
    penalty: float

    def features(self, views):
        """Features of one recording's frames from its views (one array per view)."""
        parts = []
        for view, (weight, center, scale) in zip(views, self.scaling):
            _, both = context_statistics(view, self.context)
            parts.append((both - center) / scale * np.sqrt(weight / both.shape[1]))
        return np.hstack(parts)

    def labels(self, views, centers):
        """Viterbi path of one recording between the action ``centers``."""
        cost = euclidean_distances(self.features(views), centers, squared=True)
        return viterbi(cost, self.penalty)


class Consensus(NamedTuple):
    """What :func:`consensus_segmentation` found.

    Attributes
    ----------
    labels : list of ndarray
        Per recording, the action of every frame.
    centers : ndarray of shape (n_clusters, n_features)
        Action centroids in the features of the Viterbi pass.
    smoothing : Smoothing
        Labels new frames as the fit did.
    shortest : dict or None
        Only when the number of actions was chosen: for every number tried,
        the longest uninterrupted run (frames) of the action whose longest
        run is shortest.
    """

    labels: list
    centers: np.ndarray
    smoothing: Smoothing
    shortest: dict


def consensus_segmentation(
    views,
    contexts,
    n_clusters,
    *,
    duration,
    max_samples,
    max_clusters=None,
    min_action=None,
):
    """Consensus clustering of the frames of all recordings, smoothed per recording.

    Parameters
    ----------
    views : list of (float, list of ndarray)
        Per view, its weight and its per-recording features of shape
        ``(n_frames, d)``.
    contexts : list of int
        Context lengths, in frames.
    n_clusters : int or None
        Number of actions; None picks the largest in ``2..max_clusters``
        whose every action holds a run of ``min_action`` frames.
    duration : float
        Strength of the smoothing, in frames (:func:`segmental_kmeans`).
    max_samples : int
        Frames subsampled (evenly) for the hierarchical clusterings.
    max_clusters : int, default=None
        Largest number of actions tried when ``n_clusters`` is None.
    min_action : float, default=None
        Frames every action holds: in all, for the consensus (smaller
        clusters of its tree are transitions, see :func:`_consensus_labels`),
        and, when ``n_clusters`` is None, in one uninterrupted run.

    Returns
    -------
    consensus : Consensus
    """
    lengths = [len(s) for s in views[0][1]]
    n_total = sum(lengths)
    step = max(1, -(-n_total // int(max_samples)))
    min_size = 0.0 if min_action is None else min_action / step  # in sampled frames
    trees, weights, features, smoothing_space = _context_trees(views, contexts, step)
    n_sample = len(trees[0]) + 1
    bounds = np.cumsum([0] + lengths)
    pieces = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]

    def segment(k):
        sample_labels = _consensus_labels(trees, weights, k, n_sample, min_size)
        labels = np.repeat(sample_labels, step)[:n_total]
        labels = np.unique(labels, return_inverse=True)[1].reshape(-1)
        return segmental_kmeans(features, labels, k, duration, pieces)

    shortest = None
    if n_clusters is not None:
        labels, centers, penalty = segment(n_clusters)
    else:
        # The largest k whose every action holds min_action frames in one go:
        # beyond the number of actions, extra clusters split off transitions
        # or phases of a movement, short each time they occur.
        labels, centers, penalty = (
            np.zeros(n_total, dtype=np.int64),
            features.mean(0, keepdims=True),
            0.0,
        )
        shortest = {}
        for k in range(2, min(int(max_clusters), n_sample - 1) + 1):
            found = segment(k)
            shortest[k] = longest_runs(found[0], pieces, k).min()
            if shortest[k] >= min_action:
                labels, centers, penalty = found
    smoothing = Smoothing(*smoothing_space, penalty)
    return Consensus([labels[piece] for piece in pieces], centers, smoothing, shortest)


def _context_trees(views, contexts, step):
    """Linkage trees of every view, context, statistic and linkage (sampled frames).

    Also returns the features of the Viterbi pass: the standardised mean
    and spread over the middle context of every view, joined (each view
    scaled to unit total variance, so that none dominates by its width),
    and the middle context with each view's (weight, centre, scale).
    """
    middle = sorted(contexts)[len(contexts) // 2]
    trees, weights, refine, scaling = [], [], [], []
    for weight, view in views:
        for context in contexts:
            means, both = zip(*(context_statistics(s, context) for s in view))
            for kind, feats in (
                ("mean", np.concatenate(means)),
                ("both", np.concatenate(both)),
            ):
                feats, center, scale = standardise(feats)
                sample = feats[::step]
                for method, metric in _LINKAGES:
                    trees.append(linkage(_distances(sample, metric), method))
                    weights.append(weight)
                if context == middle and kind == "both":
                    refine.append(feats * np.sqrt(weight / feats.shape[1]))
                    scaling.append((weight, center, scale))
    return trees, np.asarray(weights), np.hstack(refine), (middle, tuple(scaling))


def longest_runs(labels, pieces, k):
    """Longest uninterrupted run of each label ``0..k-1`` (frames; 0 if absent), over pieces."""
    longest = np.zeros(k, dtype=np.int64)
    for piece in pieces:
        lab = labels[piece]
        if len(lab) == 0:
            continue
        starts = np.flatnonzero(np.r_[True, lab[1:] != lab[:-1]])
        lengths = np.diff(np.r_[starts, len(lab)])
        np.maximum.at(longest, lab[starts], lengths)
    return longest


def _distances(features, metric):
    """Condensed distances between rows, finite for cosine too."""
    distances = pdist(features, metric)
    if metric == "cosine" and np.isnan(distances).any():
        # A zero row (a context exactly at the mean, e.g. of constant input)
        # has no direction: orthogonal to every other row, equal to zero rows.
        zero = np.linalg.norm(features, axis=1) == 0
        square = np.nan_to_num(squareform(distances, checks=False), nan=1.0)
        square[np.ix_(zero, zero)] = 0.0
        np.fill_diagonal(square, 0.0)
        distances = squareform(square, checks=False)
    return distances


def _consensus_labels(trees, weights, k, n_sample, min_size=0.0):
    """Average-linkage clustering into ``k`` of the co-association of the trees cut at ``k``.

    Two sampled frames are close when many (view, context, linkage)
    clusterings put them together; labels are ``0..k-1`` per sampled frame.

    Frames that few clusterings agree on (transitions between actions, a
    stumble) form small clusters of their own near the root of the average
    linkage tree; cut at ``k`` clusters, one of them would take the place of
    an action, and the smoothing would then leave it empty (on CMU subject
    86, every lost action came from this). So the tree is cut at the
    fewest clusters of which ``k`` hold at least ``min_size`` frames each,
    and the frames of the smaller ones join the cluster they are closest to
    on average. When no cut has ``k`` such clusters, the tree is cut at ``k``.
    """
    if n_sample <= k:
        return np.arange(n_sample) % k
    distance = _coassociation_distance(trees, weights, [k])
    tree = linkage(distance, "average")
    labels = fcluster(tree, k, "maxclust") - 1
    if min_size <= 0:
        return labels
    for n_cut in range(k, n_sample + 1):
        cut = fcluster(tree, n_cut, "maxclust") - 1
        large = np.flatnonzero(np.bincount(cut) >= min_size)
        # Each deeper cut splits one cluster, so the count of large clusters
        # moves by at most one a step and meets k before it passes it.
        if len(large) >= k:
            break
    if len(large) != k:
        return labels
    members = cut[:, None] == large[None, :]
    mean_distance = squareform(distance) @ members / members.sum(0)
    return np.where(members.any(1), members.argmax(1), mean_distance.argmin(1))


def _coassociation_distance(trees, weights, ks):
    """Condensed 1 - weighted fraction of the trees (cut at each k in ``ks``) joining two frames."""
    n_sample = len(trees[0]) + 1
    agree = np.zeros((n_sample, n_sample))
    for tree, weight in zip(trees, weights):
        for k in ks:
            part = fcluster(tree, k, "maxclust")
            agree += weight * (part[:, None] == part[None, :])
    # Clipped: fractional weights can leave -1e-16 where every tree agrees.
    distance = np.clip(1.0 - agree / (np.sum(weights) * len(ks)), 0.0, 1.0)
    return squareform(distance, checks=False)
