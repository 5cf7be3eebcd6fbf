"""Clustering and segmentation metrics.

Durations (boundary tolerances) are in seconds, converted to frames with the
recording's ``fps``, as :class:`~skseq2seq.TemporalSegmenter` does.
"""

import numbers

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix

from ._sklearn_compat import Interval, validate_params
from ._validation import check_labels

__all__ = [
    "boundaries",
    "boundary_report",
    "clustering_accuracy",
    "match_labels",
    "segmentation_report",
]


def _hungarian(labels_true, labels_pred, unit):
    """Checked labels and the Hungarian matching of their contingency table.

    Returns (classes, clusters, counts, rows, cols): cluster ``clusters[cols[i]]``
    is matched with class ``classes[rows[i]]``, on ``counts[rows[i], cols[i]]``
    agreeing samples.
    """
    labels_true = check_labels(labels_true, name="labels_true", unit=unit, min_labels=1)
    labels_pred = check_labels(
        labels_pred, len(labels_true), name="labels_pred", unit=unit, reference="labels_true"
    )
    classes, true_idx = np.unique(labels_true, return_inverse=True)
    clusters, pred_idx = np.unique(labels_pred, return_inverse=True)
    counts = contingency_matrix(true_idx, pred_idx)
    rows, cols = linear_sum_assignment(counts, maximize=True)
    return classes, clusters, counts, rows, cols


def match_labels(labels_true, labels_pred):
    """Best one-to-one matching of predicted clusters to true classes.

    The Hungarian algorithm pairs each predicted cluster with at most one true
    class so that the number of samples whose cluster is paired with their
    class is largest (the matching :func:`clustering_accuracy` scores).

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        Ground-truth classes.
    labels_pred : array-like of shape (n_samples,)
        Cluster labels.

    Returns
    -------
    mapping : dict
        ``{cluster: class}`` for every matched cluster; when there are more
        clusters than classes, the unmatched clusters are absent.

    Examples
    --------
    >>> from skseq2seq.metrics import match_labels
    >>> match_labels(["walk", "walk", "run", "run"], [1, 1, 0, 2])
    {0: 'run', 1: 'walk'}
    """
    classes, clusters, _, rows, cols = _hungarian(labels_true, labels_pred, "sample")
    return dict(zip(clusters[cols].tolist(), classes[rows].tolist()))


def clustering_accuracy(labels_true, labels_pred):
    """Accuracy after the best one-to-one matching of clusters to classes.

    The Hungarian algorithm pairs each predicted cluster with at most one true
    class so that the number of agreeing samples is largest; samples in
    unmatched clusters count as errors.

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        Ground-truth classes.
    labels_pred : array-like of shape (n_samples,)
        Cluster labels.

    Returns
    -------
    accuracy : float
        In [0, 1]; 1 means the clustering equals the classes up to renaming.

    Examples
    --------
    >>> from skseq2seq.metrics import clustering_accuracy
    >>> clustering_accuracy([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    >>> clustering_accuracy([0, 0, 1, 1], [0, 0, 0, 1])
    0.75
    """
    _, _, counts, rows, cols = _hungarian(labels_true, labels_pred, "sample")
    return float(counts[rows, cols].sum() / counts.sum())


def boundaries(labels):
    """Frame indices where a label sequence changes value.

    Parameters
    ----------
    labels : array-like of shape (n_frames,)
        Per-frame labels.

    Returns
    -------
    indices : ndarray of shape (n_boundaries,), dtype int64
        Every ``i`` with ``labels[i] != labels[i - 1]`` (the first frame of
        each segment but the first).

    Examples
    --------
    >>> from skseq2seq.metrics import boundaries
    >>> boundaries([0, 0, 1, 1, 1, 0]).tolist()
    [2, 5]
    """
    labels = check_labels(labels, unit="frame")
    return (np.flatnonzero(labels[1:] != labels[:-1]) + 1).astype(np.int64)


def _matched_boundaries(true_b, pred_b, max_frames):
    """Largest one-to-one matching of boundaries at most ``max_frames`` apart."""
    if len(true_b) == 0 or len(pred_b) == 0:
        return 0
    distance = np.abs(true_b[:, None] - pred_b[None, :])
    close = distance <= max_frames
    if not close.any():
        return 0
    # Maximise matches first, then prefer closer pairs.
    weight = np.where(close, 1.0 + 1.0 / (2.0 + distance), 0.0)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return int(close[rows, cols].sum())


@validate_params(
    {
        "boundaries_true": ["array-like"],
        "boundaries_pred": ["array-like"],
        "tolerance": [Interval(numbers.Real, 0, None, closed="left")],
        "fps": [Interval(numbers.Real, 0, None, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def boundary_report(boundaries_true, boundaries_pred, *, tolerance=0.5, fps=120):
    """Precision, recall and F1 of predicted cuts against true ones.

    A predicted cut is correct when it is matched, one to one, with a true
    cut at most ``tolerance`` seconds (``tolerance * fps`` frames) away, so
    that two predictions near one true cut count once.

    Parameters
    ----------
    boundaries_true : array-like of int
        Frames of the true cuts (e.g. :func:`boundaries` of the annotation).
    boundaries_pred : array-like of int
        Frames of the predicted cuts (e.g. ``TemporalSegmenter.change_points_``).
    tolerance : float, default=0.5
        Largest time, in seconds, between a matched predicted and true cut.
    fps : float, default=120
        Frames per second, which turns ``tolerance`` into frames.

    Returns
    -------
    report : dict
        ``precision`` (matched / predicted; 1.0 when none is predicted),
        ``recall`` (matched / true; 1.0 when there is none), ``f1``,
        ``n_true``, ``n_pred``.

    Examples
    --------
    >>> from skseq2seq.metrics import boundary_report
    >>> report = boundary_report([100, 200], [95, 110, 400], tolerance=0.1, fps=100)
    >>> report["precision"], report["recall"]
    (0.3333333333333333, 0.5)
    """
    true_b = np.asarray(boundaries_true, dtype=np.int64).reshape(-1)
    pred_b = np.asarray(boundaries_pred, dtype=np.int64).reshape(-1)
    # Boundaries sit on whole frames; the margin keeps e.g. 0.29 s at 100 fps at 29 frames.
    max_frames = np.floor(tolerance * fps + 1e-9)
    matched = _matched_boundaries(true_b, pred_b, max_frames)
    precision = matched / len(pred_b) if len(pred_b) else 1.0
    recall = matched / len(true_b) if len(true_b) else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": float(precision),
        "recall": float(recall),
        "f1": float(f1),
        "n_true": int(len(true_b)),
        "n_pred": int(len(pred_b)),
    }


@validate_params(
    {
        "labels_true": ["array-like"],
        "labels_pred": ["array-like"],
        "tolerance": [Interval(numbers.Real, 0, None, closed="left")],
        "fps": [Interval(numbers.Real, 0, None, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def segmentation_report(labels_true, labels_pred, *, tolerance=0.5, fps=120):
    """Frame-level and boundary-level scores of a temporal segmentation.

    Frame scores compare the labels up to renaming (a segmentation's cluster
    ids are arbitrary): Hungarian accuracy (:func:`clustering_accuracy`),
    adjusted Rand index and normalised mutual information. Boundary scores
    compare the frames where the labels change: a predicted boundary is
    correct when it is matched, one to one, with a true boundary at most
    ``tolerance`` seconds (``tolerance * fps`` frames) away.

    Parameters
    ----------
    labels_true : array-like of shape (n_frames,)
        Ground-truth action of each frame.
    labels_pred : array-like of shape (n_frames,)
        Predicted segment/cluster label of each frame.
    tolerance : float, default=0.5
        Largest time, in seconds, between a matched predicted and true
        boundary. Half a second is about the spread of the "earliest" and
        "latest" acceptable transitions of the CMU subject-86 ground truth.
    fps : float, default=120
        Frames per second of the labels (120 for the CMU recordings), which
        turns ``tolerance`` into frames.

    Returns
    -------
    report : dict
        ``accuracy``, ``ari``, ``nmi`` (frame level); ``boundary_precision``
        (matched / predicted boundaries; 1.0 when none is predicted),
        ``boundary_recall`` (matched / true boundaries; 1.0 when there is
        none), ``boundary_f1``, ``n_boundaries_true``, ``n_boundaries_pred``.

    Examples
    --------
    >>> from skseq2seq.metrics import segmentation_report
    >>> true = [0] * 10 + [1] * 10
    >>> pred = [5] * 12 + [7] * 8
    >>> report = segmentation_report(true, pred, tolerance=0.2, fps=10)
    >>> report["accuracy"], report["boundary_precision"], report["boundary_recall"]
    (0.9, 1.0, 1.0)
    """
    labels_true = check_labels(labels_true, name="labels_true", unit="frame", min_labels=1)
    labels_pred = check_labels(
        labels_pred, len(labels_true), name="labels_pred", unit="frame", reference="labels_true"
    )
    accuracy = clustering_accuracy(labels_true, labels_pred)
    cuts = boundary_report(
        boundaries(labels_true), boundaries(labels_pred), tolerance=tolerance, fps=fps
    )
    return {
        "accuracy": accuracy,
        "ari": float(adjusted_rand_score(labels_true, labels_pred)),
        "nmi": float(normalized_mutual_info_score(labels_true, labels_pred)),
        "boundary_precision": cuts["precision"],
        "boundary_recall": cuts["recall"],
        "boundary_f1": cuts["f1"],
        "n_boundaries_true": cuts["n_true"],
        "n_boundaries_pred": cuts["n_pred"],
    }
