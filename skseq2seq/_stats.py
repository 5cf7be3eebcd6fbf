"""Small statistics shared by the estimators."""

import numpy as np
from sklearn.preprocessing import StandardScaler


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


# Squares of values above about 1.3e154 overflow float64; columns reaching 2**500
# (3.3e150) are divided by a power of two first, which is exact in floating point.
_HUGE = 2.0**500


def overflow_scale(X):
    """Per-column power of two that brings huge columns of ``X`` to at most 1 (past 2**1023: 2).

    1 for columns below 2**500 (about 3e150), so that ordinary data is
    untouched; dividing by a power of two is exact, so statistics computed
    on ``X / scale`` and multiplied back equal those of ``X`` where those
    do not overflow.

    Parameters
    ----------
    X : ndarray of shape (..., n_features)
        Values; the scale is taken over every axis but the last.

    Returns
    -------
    scale : ndarray of shape (n_features,)

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq._stats import overflow_scale
    >>> overflow_scale(np.array([[1e300, 5.0], [-2e300, 1.0]])) == [2.0**998, 1.0]
    array([ True,  True])
    """
    peak = np.abs(X).reshape(-1, X.shape[-1]).max(axis=0, initial=0.0).astype(np.float64)
    huge = peak >= _HUGE
    # At most 2**1023, the largest power of two (values up to float64's limit stay below 2).
    exponent = np.minimum(np.ceil(np.log2(np.where(huge, peak, 1.0))), 1023)
    return np.where(huge, np.exp2(exponent), 1.0)


# Channels whose spread is at most this (relative to max(1, |mean|)) barely
# move: Seq2SeqEmbedder drops them, and the baselines zero them.
CHANNEL_TOLERANCE = 1e-8


def fit_channel_scaler(frames):
    """A StandardScaler of ``frames``' columns, safe from overflow.

    Ordinary data gets exactly ``StandardScaler().fit(frames)``. Columns of
    huge values (see :func:`overflow_scale`) are divided by
    a power of two first, which is exact, and the statistics multiplied back,
    so they stay finite where squaring the values would overflow.

    Parameters
    ----------
    frames : ndarray of shape (n_frames, n_channels)

    Returns
    -------
    scaler : StandardScaler
        Fitted; ``var_`` is inf for columns past about 1e154 (a documented
        statistic only: ``mean_`` and ``scale_`` stay finite).
    """
    unit = overflow_scale(frames)
    if (unit == 1).all():
        return StandardScaler().fit(frames)
    scaler = StandardScaler().fit(frames / unit)
    scaler.mean_ = scaler.mean_ * unit
    scaler.scale_ = scaler.scale_ * unit
    with np.errstate(over="ignore"):  # twice by unit: a zero variance stays 0, not NaN
        scaler.var_ = scaler.var_ * unit * unit
    return scaler


def constant_columns(scaler, tolerance=CHANNEL_TOLERANCE):
    """Columns whose spread is at most ``tolerance * max(1, |mean|)``, by a fitted scaler.

    Parameters
    ----------
    scaler : StandardScaler
        Fitted (as :func:`fit_channel_scaler` returns it).
    tolerance : float, default=CHANNEL_TOLERANCE

    Returns
    -------
    constant : ndarray of shape (n_features,), dtype bool
    """
    spread = np.sqrt(scaler.var_)  # inf only past 1e154: moving either way
    return spread <= tolerance * np.maximum(1.0, np.abs(scaler.mean_))


def standardise(X, tolerance=1e-9):
    """Columns of ``X`` at zero mean and unit variance; constant columns zeroed.

    The statistics of :func:`fit_channel_scaler`; for padded sequences, see
    :class:`~skseq2seq._scaling.SequenceScaler`.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Samples.
    tolerance : float, default=1e-9
        A column is constant when its standard deviation is at most
        ``tolerance * max(1, |mean|)`` (rounding noise, or a channel that
        barely moves, as :class:`~skseq2seq.Seq2SeqEmbedder` drops at 1e-8).

    Returns
    -------
    Z : ndarray of shape (n_samples, n_features)
        ``(X - center) / scale``, with the constant columns set to 0.
    center, scale : ndarray of shape (n_features,)
        Column means and standard deviations (1 for constant columns), to
        standardise new samples as ``(X_new - center) / scale``.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq._stats import standardise
    >>> standardise(np.array([[0.0, 5.0], [2.0, 5.0]]))[0]
    array([[-1.,  0.],
           [ 1.,  0.]])
    """
    scaler = fit_channel_scaler(X)
    # Constant columns (up to rounding) carry nothing: zero them rather than
    # blow their rounding noise up to unit spread.
    constant = constant_columns(scaler, tolerance)
    scale = np.where(constant, 1.0, scaler.scale_)
    Z = np.where(constant, 0.0, (X - scaler.mean_) / scale)
    return Z, scaler.mean_, scale


def sequence_mean_std(data, lengths, batch_size=256):
    """Mean and standard deviation of each channel over each sequence's frames.

    Parameters
    ----------
    data : ndarray of shape (n_samples, max_length, n_features)
        Sequences padded after their ends (as :func:`check_sequences` returns them).
    lengths : ndarray of shape (n_samples,)
        Frames of each sequence; padding is ignored.
    batch_size : int, default=256
        Sequences converted to float64 at a time (bounded copies).

    Returns
    -------
    statistics : ndarray of shape (n_samples, 2 * n_features)
        Per sequence, the mean of each channel then its standard deviation.
    """
    steps = np.arange(data.shape[1])
    unit = overflow_scale(data)  # huge channels scaled down exactly: squares would overflow
    stats = []
    for start in range(0, len(data), batch_size):
        stop = start + batch_size
        chunk = data[start:stop].astype(np.float64) / unit
        mask = (steps[None, :] < lengths[start:stop, None])[:, :, None]
        n = lengths[start:stop, None]
        mean = chunk.sum(1) / n  # zero padding adds nothing
        var = (((chunk - mean[:, None]) * mask) ** 2).sum(1) / n
        stats.append(np.hstack([mean * unit, np.sqrt(var) * unit]))
    return np.vstack(stats) if stats else np.empty((0, 2 * data.shape[2]))


class MeanStdFeatures:
    """Per-sequence mean/std of each channel, standardised over the training sequences.

    What :func:`~skseq2seq.posture_statistics` returns for the training
    sequences, kept fitted so that new sequences are put on the same scale
    (the baselines' and :class:`~skseq2seq.Seq2SeqClusterer`'s ``predict``).
    """

    def fit_transform(self, data, lengths):
        """Standardised statistics of the training sequences (``data``, ``lengths``)."""
        statistics = sequence_mean_std(data, lengths)
        self.scaler_ = fit_channel_scaler(statistics)  # safe from overflow
        return self.scaler_.transform(statistics)

    def transform(self, data, lengths):
        """Statistics of new sequences, standardised as the training ones were."""
        return self.scaler_.transform(sequence_mean_std(data, lengths))
