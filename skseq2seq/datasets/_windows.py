"""Cutting recordings into windows, and concatenating recordings."""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import check_random_state

from .._sklearn_compat import Interval, StrOptions, validate_params
from .._validation import check_labels, split_recordings

__all__ = ["sliding_windows", "SlidingWindows", "make_concatenated_actions"]


def _frame_labels(y, recordings, single):
    """Per-frame labels of each recording (per-recording labels are broadcast)."""
    if single:
        y = [np.asarray(y)]
    else:
        y = list(y)
        if len(y) != len(recordings):
            raise ValueError(f"y has {len(y)} entries for {len(recordings)} recordings.")
    labels = []
    for i, (lab, rec) in enumerate(zip(y, recordings)):
        if np.ndim(lab) == 0 and not single:  # one label for the whole recording
            lab = np.full(len(rec), lab)
        name = "y" if single else f"Labels of recording {i}"
        labels.append(check_labels(lab, len(rec), name=name, unit="frame"))
    return labels


def _window_label(frame_labels, label):
    """Label of each window from its (n_windows, width) frame labels."""
    width = frame_labels.shape[1]
    if label == "center":
        return frame_labels[:, width // 2]
    if label == "last":
        return frame_labels[:, -1]
    # majority; ties go to the label that appears first in the window
    out = np.empty(len(frame_labels), dtype=frame_labels.dtype)
    for i, row in enumerate(frame_labels):
        values, first, counts = np.unique(row, return_index=True, return_counts=True)
        best = counts == counts.max()
        out[i] = values[best][np.argmin(first[best])]
    return out


@validate_params(
    {
        "X": ["array-like", list],
        "width": [Interval(numbers.Integral, 1, None, closed="left")],
        "stride": [Interval(numbers.Integral, 1, None, closed="left")],
        "y": ["array-like", list, None],
        "label": [StrOptions({"majority", "center", "last"})],
        "return_groups": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def sliding_windows(X, width, stride=1, *, y=None, label="majority", return_groups=False):
    """Cut recordings into fixed-length, possibly overlapping windows.

    Windows start at frames ``0, stride, 2 * stride, ...`` of each recording
    and never cross from one recording into the next; a recording shorter
    than ``width`` gives no window. A recording of ``T`` frames gives
    ``(T - width) // stride + 1`` windows.

    Parameters
    ----------
    X : array-like of shape (n_frames, n_features) or (n_frames,), or list of such arrays
        One recording, or several (of any lengths, same number of features).
    width : int
        Frames per window.
    stride : int, default=1
        Frames between the starts of consecutive windows.
    y : array-like or list, default=None
        Frame labels: shape (n_frames,) for one recording; for a list of
        recordings, one entry per recording, either an array of per-frame
        labels or a scalar (the recording's label).
    label : {"majority", "center", "last"}, default="majority"
        A window's label: its most frequent frame label (ties: the earliest
        in the window), its centre frame's (``width // 2``) or its last
        frame's.
    return_groups : bool, default=False
        Also return the index of the recording each window comes from (for
        splitting by recording, e.g. :class:`~sklearn.model_selection.GroupKFold`).

    Returns
    -------
    windows : ndarray of shape (n_windows, width, n_features)
        The windows (a copy), in recording then time order.
    y_windows : ndarray of shape (n_windows,)
        Window labels; only when ``y`` is given.
    groups : ndarray of shape (n_windows,)
        Recording index of each window; only when ``return_groups`` is True.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq.datasets import sliding_windows
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> sliding_windows(X, width=4, stride=3).shape
    (3, 4, 2)
    >>> frames = [0, 0, 0, 1, 1, 1, 1, 1, 2, 2]
    >>> windows, labels = sliding_windows(X, 4, 3, y=frames)
    >>> labels
    array([0, 1, 1])
    >>> _, labels, groups = sliding_windows([X, X[:5]], 4, 3, y=["a", "b"],
    ...                                     return_groups=True)
    >>> labels.tolist(), groups.tolist()
    (['a', 'a', 'a', 'b'], [0, 0, 0, 1])
    """
    recordings, single = split_recordings(X)
    n_features = recordings[0].shape[1] if recordings else 0
    frame_labels = _frame_labels(y, recordings, single) if y is not None else None

    windows, labels, groups = [], [], []
    for i, rec in enumerate(recordings):
        if len(rec) < width:
            continue
        starts = np.arange(0, len(rec) - width + 1, stride)
        index = starts[:, None] + np.arange(width)[None, :]
        windows.append(rec[index])
        groups.append(np.full(len(starts), i))
        if frame_labels is not None:
            labels.append(_window_label(frame_labels[i][index], label))
    if windows:
        out = [np.concatenate(windows)]
    else:
        dtype = np.result_type(*[rec.dtype for rec in recordings]) if recordings else float
        out = [np.empty((0, width, n_features), dtype=dtype)]
    if frame_labels is not None:
        out.append(
            np.concatenate(labels) if labels else np.empty(0, dtype=np.result_type(*frame_labels))
        )
    if return_groups:
        out.append(np.concatenate(groups) if groups else np.empty(0, dtype=np.int64))
    return out[0] if len(out) == 1 else tuple(out)


class SlidingWindows(TransformerMixin, BaseEstimator):
    """Transformer form of :func:`sliding_windows` (stateless).

    ``transform`` takes one recording or a list of recordings and returns
    their windows, ready for :class:`~skseq2seq.Seq2SeqClusterer` in a
    pipeline. Labels are not transformed: use :func:`sliding_windows` with
    ``y`` for those.

    Parameters
    ----------
    width : int, default=50
        Frames per window.
    stride : int, default=10
        Frames between the starts of consecutive windows.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq.datasets import SlidingWindows
    >>> SlidingWindows(width=5, stride=5).fit_transform(np.zeros((20, 3))).shape
    (4, 5, 3)
    """

    _parameter_constraints = {
        "width": [Interval(numbers.Integral, 1, None, closed="left")],
        "stride": [Interval(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(self, width=50, stride=10):
        self.width = width
        self.stride = stride

    def fit(self, X, y=None):
        """Validate parameters; nothing is learned.

        Parameters
        ----------
        X : array-like or list of array-like
            Recordings (unused).
        y : None
            Ignored.

        Returns
        -------
        self : SlidingWindows
        """
        self._validate_params()
        return self

    def transform(self, X):
        """Windows of every recording.

        Parameters
        ----------
        X : array-like of shape (n_frames, n_features), or list of such arrays
            Recordings.

        Returns
        -------
        windows : ndarray of shape (n_windows, width, n_features)
        """
        return sliding_windows(X, self.width, self.stride)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags


@validate_params(
    {
        "recordings": [list, tuple],
        "labels": ["array-like"],
        "n_segments": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_actions": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "max_segment_length": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_concatenated_actions(
    recordings,
    labels,
    n_segments=8,
    *,
    n_actions=None,
    max_segment_length=None,
    random_state=None,
):
    """Join randomly drawn recordings into one long recording with frame labels.

    Draws ``n_segments`` recordings with replacement (the same recording or
    action may come back), optionally crops each to a random span of at most
    ``max_segment_length`` frames, and concatenates them: a test bed for
    temporal segmentation, and for window clustering where windows straddle
    action changes.

    Parameters
    ----------
    recordings : list of ndarray of shape (T_i, n_features)
        Source recordings (e.g. from :func:`load_cmu_actions`).
    labels : array-like of shape (n_recordings,)
        Action of each recording.
    n_segments : int, default=8
        Recordings joined.
    n_actions : int, default=None
        Draw only from this many distinct actions, chosen at random (all
        actions when None). Each segment's action is drawn uniformly among
        them, then a recording of that action uniformly.
    max_segment_length : int, default=None
        Crop each segment to a random contiguous span of at most this many
        frames (no cropping when None).
    random_state : int, RandomState instance or None, default=None
        Seed.

    Returns
    -------
    X : ndarray of shape (n_frames, n_features)
        The concatenated recording.
    y : ndarray of shape (n_frames,)
        Action label of each frame.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq.datasets import make_concatenated_actions
    >>> recordings = [np.zeros((30, 2)), np.ones((20, 2)), np.full((25, 2), 2.0)]
    >>> X, y = make_concatenated_actions(recordings, [0, 1, 2], n_segments=4,
    ...                                  max_segment_length=10, random_state=0)
    >>> X.shape, y.shape
    ((40, 2), (40,))
    >>> bool(np.all(X[:, 0] == y))
    True
    """
    labels = check_labels(labels, len(recordings), unit="recording", min_labels=1)
    rng = check_random_state(random_state)
    actions = np.unique(labels)
    if n_actions is not None:
        if n_actions > len(actions):
            raise ValueError(f"n_actions={n_actions} but only {len(actions)} actions are given.")
        actions = rng.choice(actions, size=n_actions, replace=False)
    pieces, frame_labels = [], []
    for _ in range(n_segments):
        action = actions[rng.randint(len(actions))]
        candidates = np.flatnonzero(labels == action)
        rec = np.asarray(recordings[candidates[rng.randint(len(candidates))]])
        if max_segment_length is not None and len(rec) > max_segment_length:
            start = rng.randint(len(rec) - max_segment_length + 1)
            rec = rec[start : start + max_segment_length]
        pieces.append(rec)
        frame_labels.append(np.full(len(rec), action))
    return np.concatenate(pieces), np.concatenate(frame_labels)
