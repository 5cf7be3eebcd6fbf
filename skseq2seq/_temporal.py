"""Per-frame helpers shared by the segmenters: block averaging, context statistics, smoothing.

:class:`~skseq2seq.TemporalSegmenter` and the segmentation baselines of
:mod:`skseq2seq.baselines` describe frames and smooth labels the same way,
so that a comparison between them measures their features, not these steps.
"""

import numpy as np
from scipy.ndimage import uniform_filter1d
from sklearn.metrics.pairwise import euclidean_distances

from ._stats import class_means

__all__ = [
    "block_means",
    "check_within_recordings",
    "context_statistics",
    "refine_boundaries",
    "segmental_kmeans",
    "viterbi",
]


# Durations are refused beyond this many times the longest recording.
_MAX_RECORDINGS_SPANNED = 100


def check_within_recordings(name, value, frames, n_frames):
    """Refuse a duration (or block size) far longer than the longest recording.

    A context, window or block of more than ``_MAX_RECORDINGS_SPANNED``
    times the longest recording describes every frame by the whole
    recording, which tells no actions apart, and its buffers grow with its
    length: ``1e15`` seconds would exhaust memory instead of failing
    clearly. (Somewhat longer than a short recording is accepted: the edges
    repeat the first and last frames.)

    Parameters
    ----------
    name : str
        The parameter, named in the message.
    value : object
        Its value, quoted in the message.
    frames : int
        Its length in frames.
    n_frames : int
        Frames of the longest recording (in the same frame rate).
    """
    if frames > _MAX_RECORDINGS_SPANNED * n_frames:
        raise ValueError(
            f"{name}={value!r} spans {frames:.4g} frames, more than {_MAX_RECORDINGS_SPANNED} "
            f"times the longest recording ({n_frames} frames); pass a shorter duration."
        )


def block_means(frames, factor):
    """Frames averaged in blocks of ``factor`` (the last block padded with the last frame).

    Parameters
    ----------
    frames : ndarray of shape (n_frames, n_features)
        One recording.
    factor : int
        Frames per block; 1 returns the frames (as float64).

    Returns
    -------
    blocks : ndarray of shape (ceil(n_frames / factor), n_features)

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq._temporal import block_means
    >>> block_means(np.array([[0.0], [2.0], [4.0]]), 2)
    array([[1.],
           [4.]])
    """
    if factor == 1:
        return frames.astype(np.float64)
    n_blocks = -(-len(frames) // factor)
    pad = n_blocks * factor - len(frames)
    padded = np.concatenate([frames, np.repeat(frames[-1:], pad, axis=0)]) if pad else frames
    return padded.reshape(n_blocks, factor, frames.shape[1]).mean(1)


def context_statistics(frames, size):
    """Mean and spread of every channel over a centred context of ``size`` frames.

    Parameters
    ----------
    frames : ndarray of shape (n_frames, n_features)
        One recording (or per-frame features of it).
    size : int
        Frames in the context; edges repeat the first and last frame.

    Returns
    -------
    mean : ndarray of shape (n_frames, n_features)
    both : ndarray of shape (n_frames, 2 * n_features)
        The mean, then the standard deviation, of each channel.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq._temporal import context_statistics
    >>> context_statistics(np.array([[0.0], [2.0], [0.0], [2.0]]), 2)[1][1:]
    array([[1., 1.],
           [1., 1.],
           [1., 1.]])
    """
    mean = uniform_filter1d(frames, size, axis=0, mode="nearest")
    square = uniform_filter1d(frames**2, size, axis=0, mode="nearest")
    spread = np.sqrt(np.maximum(square - mean**2, 0.0))
    return mean, np.hstack([mean, spread])


def viterbi(cost, penalty):
    """Label path minimising summed cost plus ``penalty`` per label switch.

    Parameters
    ----------
    cost : ndarray of shape (n_frames, n_labels)
        Cost of giving each frame each label.
    penalty : float
        Cost of one switch between consecutive frames.

    Returns
    -------
    path : ndarray of shape (n_frames,), dtype int64

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq._temporal import viterbi
    >>> cost = np.array([[0, 2], [2, 0], [2, 0], [0, 2.0]])
    >>> viterbi(cost, 0.5).tolist(), viterbi(cost, 3.0).tolist()
    ([0, 1, 1, 0], [0, 0, 0, 0])
    """
    n, k = cost.shape
    total = cost[0].copy()
    back = np.empty((n, k), dtype=np.int64)
    back[0] = np.arange(k)
    stay_index = np.arange(k)
    for t in range(1, n):
        best = int(total.argmin())
        switch = total[best] + penalty
        stay = total <= switch
        back[t] = np.where(stay, stay_index, best)
        total = np.where(stay, total, switch) + cost[t]
    path = np.empty(n, dtype=np.int64)
    path[-1] = int(total.argmin())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def segmental_kmeans(features, labels, k, duration, pieces, n_iter=10):
    """Alternate centroids and switching-penalty Viterbi paths (per recording).

    Switching label costs as much as ``duration`` frames that fit another
    label better than their own by the median margin, so segments shorter
    than about ``duration`` frames are absorbed by their neighbours.

    Parameters
    ----------
    features : ndarray of shape (n_frames, n_features)
        Frames of all recordings, joined.
    labels : ndarray of shape (n_frames,)
        Initial labels in ``0..k-1``.
    k : int
        Number of labels.
    duration : float
        Strength of the smoothing, in frames; 0 returns ``labels`` unchanged.
    pieces : list of slice
        Frames of each recording in ``features`` (paths never cross them).
    n_iter : int, default=10
        Most alternations.

    Returns
    -------
    labels : ndarray of shape (n_frames,)
    centers : ndarray of shape (k, n_features)
        Mean features of each label (an emptied label keeps its previous centre).
    penalty : float
        Switching penalty of the last pass (0 without smoothing).
    """
    _, centers = class_means(features, labels, classes=np.arange(k))
    if duration <= 0:
        return labels, centers, 0.0
    penalty = 0.0
    for _ in range(n_iter):
        cost = euclidean_distances(features, centers, squared=True)
        if k > 1:
            ordered = np.sort(cost, axis=1)
            penalty = duration * float(np.median(ordered[:, 1] - ordered[:, 0]))
        else:
            penalty = 0.0
        new = np.concatenate([viterbi(cost[piece], penalty) for piece in pieces])
        if np.array_equal(new, labels):
            break
        labels = new
        # An action left empty keeps its previous centre.
        _, centers = class_means(features, labels, classes=np.arange(k), empty=centers)
    return labels, centers, penalty


def refine_boundaries(features, labels, radius, span=None, min_size=1, gamma=None):
    """Move each label boundary to the kernel change point near it.

    Context statistics and the switching penalty place a cut where the
    context's majority changes, which blurs it by up to a context length.
    Within ``radius`` frames of each cut (and never past the neighbouring
    cuts), the cut moves to the frame that splits the stretch into the two
    most homogeneous parts under a Gaussian kernel (the cost of ruptures'
    ``KernelCPD``): the frames' own distribution changes there.

    Parameters
    ----------
    features : ndarray of shape (n_frames, n_features)
        Per-frame features of one recording (e.g. standardised frames).
    labels : ndarray of shape (n_frames,)
        Labels of the frames; only their boundaries move.
    radius : int
        Largest move of a cut, in frames; 0 returns ``labels``.
    span : int or None, default=None
        Frames on either side of a cut that its two parts are judged on
        (at least ``radius``; None means ``radius``).
    min_size : int, default=1
        Fewest frames left on either side of a moved cut within the stretch.
    gamma : float or None, default=None
        Kernel bandwidth ``exp(-gamma * |x - y|^2)``; None: one over the
        median squared distance between frames (a subsample of them).

    Returns
    -------
    labels : ndarray of shape (n_frames,)

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq._temporal import refine_boundaries
    >>> x = np.r_[np.zeros(10), np.ones(10)][:, None]
    >>> refine_boundaries(x, np.r_[np.zeros(13), np.ones(7)].astype(int), 5).tolist()[8:14]
    [0, 0, 1, 1, 1, 1]
    """
    labels = np.array(labels, copy=True)
    cuts = np.flatnonzero(labels[1:] != labels[:-1]) + 1
    if radius <= 0 or len(cuts) == 0:
        return labels
    if gamma is None:
        sample = features[:: max(1, len(features) // 1000)]
        squared = euclidean_distances(sample, squared=True)
        median = np.median(squared[np.triu_indices(len(sample), 1)]) if len(sample) > 1 else 0
        gamma = 1.0 / median if median > 0 else 1.0
    span = max(radius, span or 0)
    edges = np.r_[0, cuts, len(labels)]
    for i in range(1, len(edges) - 1):
        lo = max(edges[i - 1], edges[i] - span)
        hi = min(edges[i + 1], edges[i] + span)
        first = max(min_size, edges[i] - radius - lo)  # splits within radius of the cut
        last = min(hi - lo - min_size, edges[i] + radius - lo)
        if first > last:
            continue
        kernel = np.exp(-gamma * euclidean_distances(features[lo:hi], squared=True))
        # Prefix sums of the kernel: the within-part sums of every split at once.
        prefix = np.zeros((hi - lo + 1, hi - lo + 1))
        prefix[1:, 1:] = kernel.cumsum(0).cumsum(1)
        split = np.arange(first, last + 1)
        n = hi - lo
        left = prefix[split, split] / split
        right = (prefix[n, n] - 2 * prefix[split, n] + prefix[split, split]) / (n - split)
        best = lo + int(split[np.argmax(left + right)])  # most similar within both parts
        before, after = labels[edges[i] - 1], labels[edges[i]]
        labels[lo:best] = np.where(np.arange(lo, best) < edges[i], labels[lo:best], before)
        labels[best:hi] = np.where(np.arange(best, hi) >= edges[i], labels[best:hi], after)
        edges[i] = best
    return labels
