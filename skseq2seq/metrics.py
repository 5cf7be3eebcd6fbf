"""Clustering and segmentation metrics."""

import numbers

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix
from sklearn.utils.validation import check_consistent_length, column_or_1d

__all__ = ["boundaries", "clustering_accuracy", "segmentation_report"]


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
    labels_true = column_or_1d(labels_true)
    labels_pred = column_or_1d(labels_pred)
    check_consistent_length(labels_true, labels_pred)
    if len(labels_true) == 0:
        raise ValueError("clustering_accuracy needs at least one sample; got 0.")
    counts = contingency_matrix(labels_true, labels_pred)
    rows, cols = linear_sum_assignment(counts, maximize=True)
    return float(counts[rows, cols].sum() / len(labels_true))


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
    labels = column_or_1d(labels)
    return (np.flatnonzero(labels[1:] != labels[:-1]) + 1).astype(np.int64)


def _matched_boundaries(true_b, pred_b, tolerance):
    """Largest one-to-one matching of boundaries at most ``tolerance`` apart."""
    if len(true_b) == 0 or len(pred_b) == 0:
        return 0
    distance = np.abs(true_b[:, None] - pred_b[None, :])
    close = distance <= tolerance
    if not close.any():
        return 0
    # Maximise matches first, then prefer closer pairs.
    weight = np.where(close, 1.0 + 1.0 / (2.0 + distance), 0.0)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return int(close[rows, cols].sum())


def segmentation_report(labels_true, labels_pred, tolerance=60):
    """Frame-level and boundary-level scores of a temporal segmentation.

    Frame scores compare the labels up to renaming (a segmentation's cluster
    ids are arbitrary): Hungarian accuracy (:func:`clustering_accuracy`),
    adjusted Rand index and normalised mutual information. Boundary scores
    compare the frames where the labels change: a predicted boundary is
    correct when it is matched, one to one, with a true boundary at most
    ``tolerance`` frames away.

    Parameters
    ----------
    labels_true : array-like of shape (n_frames,)
        Ground-truth action of each frame.
    labels_pred : array-like of shape (n_frames,)
        Predicted segment/cluster label of each frame.
    tolerance : int, default=60
        Largest distance, in frames, between a matched predicted and true
        boundary (60 frames is half a second at 120 fps, about the spread of
        the "earliest"/"latest" acceptable transitions of the CMU ground
        truth).

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
    >>> report = segmentation_report(true, pred, tolerance=2)
    >>> report["accuracy"], report["boundary_precision"], report["boundary_recall"]
    (0.9, 1.0, 1.0)
    """
    labels_true = column_or_1d(labels_true)
    labels_pred = column_or_1d(labels_pred)
    check_consistent_length(labels_true, labels_pred)
    if not isinstance(tolerance, numbers.Integral) or isinstance(tolerance, bool) or tolerance < 0:
        raise ValueError(f"tolerance must be a non-negative integer; got {tolerance!r}.")
    accuracy = clustering_accuracy(labels_true, labels_pred)
    true_b = boundaries(labels_true)
    pred_b = boundaries(labels_pred)
    matched = _matched_boundaries(true_b, pred_b, int(tolerance))
    precision = matched / len(pred_b) if len(pred_b) else 1.0
    recall = matched / len(true_b) if len(true_b) else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "accuracy": accuracy,
        "ari": float(adjusted_rand_score(labels_true, labels_pred)),
        "nmi": float(normalized_mutual_info_score(labels_true, labels_pred)),
        "boundary_precision": float(precision),
        "boundary_recall": float(recall),
        "boundary_f1": float(f1),
        "n_boundaries_true": int(len(true_b)),
        "n_boundaries_pred": int(len(pred_b)),
    }
