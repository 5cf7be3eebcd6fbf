"""Small statistics shared by the estimators."""

import numpy as np


def class_means(X, labels, classes=None, empty=None):
    """Mean row of ``X`` for each class.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Samples.
    labels : ndarray of shape (n_samples,)
        Class of each sample.
    classes : array-like of shape (n_classes,), default=None
        Classes whose means are returned, in this order; None means the
        classes present in ``labels`` (sorted).
    empty : ndarray of shape (n_classes, n_features), default=None
        Rows returned for classes without samples (e.g. the previous means of
        an iterative method); None means the mean of all of ``X``.

    Returns
    -------
    classes : ndarray of shape (n_classes,)
        The classes, in the order of ``means``.
    means : ndarray of shape (n_classes, n_features)
        Mean of the samples of each class, in the dtype of a mean of ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq._stats import class_means
    >>> X = np.array([[0.0], [2.0], [10.0]])
    >>> class_means(X, np.array([1, 1, 3]))
    (array([1, 3]), array([[ 1.],
           [10.]]))
    >>> class_means(X, np.array([0, 0, 0]), classes=[0, 1])[1]
    array([[4.],
           [4.]])
    """
    classes = np.unique(labels) if classes is None else np.asarray(classes)
    # The dtype of a mean of X's rows (float32 embeddings stay float32).
    means = np.empty((len(classes), X.shape[1]), dtype=np.mean(X[:1], axis=0).dtype)
    for i, k in enumerate(classes):
        members = labels == k
        if members.any():
            means[i] = X[members].mean(0)
        elif empty is not None:
            means[i] = empty[i]
        else:
            means[i] = X.mean(0)
    return classes, means
