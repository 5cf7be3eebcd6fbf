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
