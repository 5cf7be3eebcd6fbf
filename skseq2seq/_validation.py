"""Input validation for batches of sequences.

scikit-learn's ``validate_data`` counts ``X.shape[1]`` as the number of
features; for sequences that axis is time, so the channel count is checked
here instead and ``n_features_in_`` means channels.
"""

import numbers

import numpy as np
from sklearn.utils import check_array

__all__ = ["check_sequences"]

_FLOATS = [np.float64, np.float32]


def _as_2d_sequence(seq, index):
    """One sequence of a list as a (T, n_features) float array."""
    try:
        seq = check_array(
            seq, ensure_2d=False, dtype=_FLOATS, ensure_all_finite=True,
            ensure_min_samples=0, input_name=f"sequence {index}",
        )
    except ValueError as exc:
        raise ValueError(f"Sequence {index}: {exc}") from exc
    # check_array has refused other dimensions already.
    return seq[:, None] if seq.ndim == 1 else seq


def check_sequences(X, *, min_length=2, n_features=None, min_samples=1):
    """Validate a batch of sequences and return it padded, with lengths.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_timesteps, n_features) or \
            (n_samples, n_timesteps), or list of arrays of shape (T_i, n_features)
        A 2D array holds univariate sequences; a list holds sequences of
        possibly different lengths (1D items are univariate).
    min_length : int, default=2
        Shortest sequence accepted.
    n_features : int, default=None
        Expected number of channels (features per time step), or None.
    min_samples : int, default=1
        Smallest number of sequences accepted.

    Returns
    -------
    data : ndarray of shape (n_samples, max_length, n_features)
        float32 or float64; padded with zeros after each sequence's end. A
        3D float array is returned without a copy.
    lengths : ndarray of shape (n_samples,), dtype int64
    """
    if isinstance(X, (list, tuple)) and len(X) and not _is_scalar_row(X[0]):
        seqs = [_as_2d_sequence(s, i) for i, s in enumerate(X)]
        widths = {s.shape[1] for s in seqs}
        if len(widths) > 1:
            raise ValueError(
                f"All sequences must have the same number of features; got {sorted(widths)}."
            )
        lengths = np.array([len(s) for s in seqs], dtype=np.int64)
        shape = (len(seqs), "T_i", widths.copy().pop())
        dtype = np.result_type(*[s.dtype for s in seqs])
        data = np.zeros((len(seqs), lengths.max(initial=0), widths.pop()), dtype=dtype)
        for i, s in enumerate(seqs):  # padding a ragged list needs one copy each
            data[i, : len(s)] = s
    else:
        data = check_array(
            X, ensure_2d=False, allow_nd=True, dtype=_FLOATS, ensure_all_finite=True,
            ensure_min_samples=0, ensure_min_features=0, input_name="X",
        )
        shape = data.shape
        if data.ndim == 2:  # univariate sequences
            data = data[:, :, None]
        elif data.ndim != 3:
            raise ValueError(
                f"Expected a 3D array (n_samples, n_timesteps, n_features), a 2D array of "
                f"univariate sequences (n_samples, n_timesteps) or a list of 2D sequences; "
                f"got an array with {data.ndim} dimension(s) and shape {data.shape}. "
                "Reshape your data: one sequence as X[None] (3D) or X.reshape(1, -1) (univariate)."
            )
        lengths = np.full(data.shape[0], data.shape[1], dtype=np.int64)

    if data.shape[0] < min_samples:
        raise ValueError(
            f"Found array with {data.shape[0]} sample(s) (shape={data.shape}) while a "
            f"minimum of {min_samples} is required."
        )
    if data.shape[2] == 0:
        raise ValueError("Sequences have 0 feature(s); at least one channel is required.")
    if len(lengths) and lengths.min() < min_length:
        shortest = int(lengths.min())
        raise ValueError(
            f"Found array with {shortest} feature(s) (shape={shape}) while a minimum of "
            f"{min_length} is required: sequences need at least {min_length} time steps and "
            f"the shortest has {shortest} (a 2D array holds univariate sequences, its second "
            "axis is time)."
        )
    if n_features is not None and data.shape[2] != n_features:
        raise ValueError(
            f"X has {data.shape[2]} features per time step, but the estimator was fitted "
            f"with {n_features} features per time step."
        )
    return data, lengths


def _is_scalar_row(item):
    """True when a list item is a number, i.e. the list is one univariate sequence row."""
    return isinstance(item, numbers.Number) or (np.ndim(item) == 0 and not isinstance(item, str))
