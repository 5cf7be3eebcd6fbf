"""Clustering and segmentation metrics."""

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics.cluster import contingency_matrix
from sklearn.utils.validation import check_consistent_length, column_or_1d

__all__ = ["clustering_accuracy"]


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
