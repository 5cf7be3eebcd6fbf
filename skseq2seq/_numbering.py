"""Canonical cluster numbering: the same labels on every machine.

Which number a clustering gives each cluster is arbitrary (it depends on an
eigen-solver, a random initialisation, a linkage's merge order), and can
differ between platforms for the same partition. Every estimator renumbers
its clusters here, in order of first appearance in the training data: the
cluster of the first training sample is 0, the next new cluster 1, and so on.
``predict`` maps its clustering's numbers the same way.
"""

import numpy as np

__all__ = ["canonical_numbering", "renumber", "renumber_rows"]


def canonical_numbering(labels, n_labels=0):
    """The new number of each original cluster number: clusters by first appearance.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Cluster numbers of the training samples, in training order. Negative
        numbers (noise, as DBSCAN gives) are not clusters: they keep theirs.
        Labels that are not integers are not renumbered (None is returned).
    n_labels : int, default=0
        Numbers ``0..n_labels-1`` the clustering can give, also those no
        training sample got (an emptied centroid, a Gaussian component that
        no sample prefers): they take the numbers after those seen, in
        increasing order, so that ``predict`` can still tell them apart.

    Returns
    -------
    new_of_old : ndarray of shape (n_numbers,), dtype int64, or None
        ``new_of_old[k]`` is the canonical number of original number ``k``:
        a permutation of ``0..n_numbers-1``, ``n_numbers`` the larger of
        ``n_labels`` and the largest label plus one.

    Examples
    --------
    >>> from skseq2seq._numbering import canonical_numbering, renumber
    >>> numbering = canonical_numbering([2, 2, 0, 1, 0])
    >>> numbering
    array([1, 2, 0])
    >>> renumber([2, 2, 0, 1, 0], numbering)
    array([0, 0, 1, 2, 1])
    """
    labels = np.asarray(labels).reshape(-1)
    if labels.dtype.kind not in "iu":
        return None
    clusters = labels[labels >= 0]
    n_numbers = max(int(n_labels), int(clusters.max()) + 1 if len(clusters) else 0)
    seen, first = np.unique(clusters, return_index=True)
    order = [int(k) for k in seen[np.argsort(first)]]  # original numbers by first appearance
    unseen = sorted(set(range(n_numbers)) - set(order))
    order += unseen
    new_of_old = np.empty(n_numbers, dtype=np.int64)
    new_of_old[np.asarray(order, dtype=np.int64)] = np.arange(n_numbers)
    return new_of_old


def renumber(labels, new_of_old):
    """``labels`` in the canonical numbering of :func:`canonical_numbering`.

    Numbers outside ``0..len(new_of_old)-1`` (noise) are kept; ``new_of_old``
    None returns the labels unchanged.
    """
    labels = np.asarray(labels)
    if new_of_old is None:
        return labels
    inside = (labels >= 0) & (labels < len(new_of_old))
    out = labels.astype(np.int64, copy=True)
    out[inside] = new_of_old[labels[inside]]
    return out


def renumber_rows(rows, new_of_old):
    """Per-cluster rows (centroids) indexed by original number, reordered to the canonical one."""
    if new_of_old is None or len(rows) != len(new_of_old):
        return rows
    return rows[np.argsort(new_of_old)]
