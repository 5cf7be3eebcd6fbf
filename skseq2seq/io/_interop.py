"""Other time-series libraries' layouts as the sequences the estimators take."""

import numpy as np

__all__ = ["from_aeon_dataset", "from_dataframe", "from_tslearn_dataset"]


def _float_array(X, name, *, allow_nan=False):
    """X as float64, refusing what the cast would change: complex values, infinity, NaN."""
    if np.iscomplexobj(X):  # the cast would drop the imaginary parts
        raise ValueError(f"{name} holds complex numbers; pass real values (e.g. np.abs or .real).")
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must hold numbers ({exc}).") from None
    bad = np.isinf(X) if allow_nan else ~np.isfinite(X)
    if bad.any():
        where = tuple(int(i[0]) for i in np.nonzero(bad))
        raise ValueError(
            f"{name} holds {X[where]} at index {where}; values must be finite (fill or drop "
            "missing values first)."
        )
    return X


def _refuse_multiindex(X):
    """aeon's "pd-multiindex" frame (rows indexed by case and time) is a long table."""
    index = getattr(X, "index", None)
    if getattr(index, "nlevels", 1) > 1:
        raise ValueError(
            f"X is a {type(X).__name__} indexed by {list(index.names)}: aeon's pd-multiindex "
            "layout, one row per (case, time point). Convert it with "
            "skseq2seq.io.from_dataframe(X.reset_index(), id_column=<case level>, "
            "time_column=<time level>)."
        )


def from_aeon_dataset(X):
    """Convert aeon's (or sktime's) channels-first layout to (time, channels) sequences.

    aeon stores a collection as a "numpy3D" array (n_cases, n_channels,
    n_timepoints), or, for unequal lengths, a list of (n_channels, T_i)
    arrays. The estimators of skseq2seq read the last axis as channels:
    passed directly, BasicMotions' (40, 6, 100) would be 40 sequences of 6
    steps with 100 channels.

    Parameters
    ----------
    X : ndarray of shape (n_cases, n_channels, n_timepoints) or (n_cases, n_timepoints), \
            or list of ndarray of shape (n_channels, T_i)
        A collection as aeon returns it (e.g. ``load_basic_motions()``); a
        2D array is univariate ("numpy2D").

    Returns
    -------
    X : ndarray of shape (n_cases, n_timepoints, n_channels), or list of \
            ndarray of shape (T_i, n_channels)
        The same values, time first: an array for an array, a list for a
        list. float64.

    Raises
    ------
    ValueError
        For values that are not finite or are complex, an empty collection,
        other shapes, or a pandas frame with a multi-index (aeon's
        "pd-multiindex": convert it with :func:`from_dataframe`).

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq.io import from_aeon_dataset
    >>> X = np.zeros((40, 6, 100))  # BasicMotions' shape
    >>> from_aeon_dataset(X).shape
    (40, 100, 6)
    >>> [x.shape for x in from_aeon_dataset([np.zeros((3, 50)), np.zeros((3, 70))])]
    [(50, 3), (70, 3)]
    """
    _refuse_multiindex(X)
    if isinstance(X, (list, tuple)):
        if not X:
            raise ValueError("X is an empty list; expected at least one case.")
        out = []
        for i, item in enumerate(X):
            item = _float_array(item, f"Case {i}")
            if item.ndim == 1:
                item = item[None]
            if item.ndim != 2:
                raise ValueError(
                    f"Case {i} has shape {item.shape}; expected (n_channels, T_i) as aeon "
                    "stores unequal-length collections."
                )
            out.append(item.T)
        return out
    X = _float_array(X, "X")
    if X.ndim in (2, 3) and 0 in X.shape:
        raise ValueError(f"X has shape {X.shape}; expected at least one case, channel and step.")
    if X.ndim == 2:
        return X[:, :, None]
    if X.ndim != 3:
        raise ValueError(
            f"X has shape {X.shape}; expected aeon's numpy3D (n_cases, n_channels, "
            "n_timepoints), numpy2D (n_cases, n_timepoints) or a list of (n_channels, T_i) arrays."
        )
    return X.transpose(0, 2, 1)


def from_tslearn_dataset(X):
    """Convert tslearn's NaN-padded dataset to a list of variable-length sequences.

    tslearn stores sequences of different lengths in one array (n_ts, sz, d),
    each padded with NaN after its end (``to_time_series_dataset``). The
    estimators take such data as a list of (T_i, d) arrays, and refuse NaN.

    Parameters
    ----------
    X : array-like of shape (n_ts, sz, d) or (n_ts, sz)
        A tslearn time-series dataset (2D: univariate).

    Returns
    -------
    X : list of ndarray of shape (T_i, d)
        Each sequence without its trailing padding, float64.

    Raises
    ------
    ValueError
        When a sequence has NaN before its end (missing values, not
        padding): fill them first; when a sequence is all NaN; or for
        infinite or complex values.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq.io import from_tslearn_dataset
    >>> X = np.array([[[1.0], [2.0], [3.0]], [[4.0], [5.0], [np.nan]]])
    >>> [x.ravel().tolist() for x in from_tslearn_dataset(X)]
    [[1.0, 2.0, 3.0], [4.0, 5.0]]
    """
    X = _float_array(X, "X", allow_nan=True)  # NaN is tslearn's padding
    if X.ndim == 2:
        X = X[:, :, None]
    if X.ndim != 3 or 0 in X.shape:
        raise ValueError(
            f"X has shape {X.shape}; expected tslearn's (n_ts, sz, d) or (n_ts, sz), not empty."
        )
    missing = np.isnan(X).any(axis=2)  # (n_ts, sz): steps with a NaN
    # tslearn's length: up to the last step with any value.
    observed = ~np.isnan(X).all(axis=2)
    lengths = np.where(observed.any(axis=1), X.shape[1] - np.argmax(observed[:, ::-1], axis=1), 0)
    inside = missing & (np.arange(X.shape[1])[None, :] < lengths[:, None])
    if inside.any():
        i, t = (int(v[0]) for v in np.nonzero(inside))
        raise ValueError(
            f"Sequence {i} has NaN at step {t}, before its end (step {lengths[i] - 1}): "
            "missing values, not tslearn's padding; fill or interpolate them first."
        )
    if (lengths == 0).any():
        raise ValueError(f"Sequence {int(np.argmin(lengths))} is all NaN: it has no time steps.")
    return [X[i, :n] for i, n in enumerate(lengths)]


def from_dataframe(df, id_column=None, time_column=None, value_columns=None, *, return_ids=False):
    """Convert a pandas table to sequences (long format) or to one recording (wide).

    A long table holds one row per time step of one sequence, e.g. columns
    ``id, t, x, y, z``: the rows of each ``id`` become one sequence, sorted
    by ``t``, with the value columns as channels. Without ``id_column`` the
    whole table is one recording of shape (n_rows, n_channels), for
    :class:`~skseq2seq.TemporalSegmenter`.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    id_column : str, default=None
        Column naming each row's sequence; None: the table is one recording.
    time_column : str, default=None
        Column to sort each sequence's rows by (stable: ties keep their
        order); None keeps the rows' order.
    value_columns : list of str, default=None
        The channels, in order; None means every other column.
    return_ids : bool, default=False
        Also return each sequence's id.

    Returns
    -------
    X : list of ndarray of shape (T_i, n_channels), or ndarray of shape (n_rows, n_channels)
        One sequence per id, in sorted order of the ids (float64); or the
        recording when ``id_column`` is None.
    ids : ndarray of shape (n_sequences,)
        The id of each sequence, when ``return_ids`` is True.

    Raises
    ------
    ValueError
        When a column is missing, a value column is not numeric (complex
        included), a value is not finite, an id or a time is missing (NaN),
        or the table has no rows.

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq2seq.io import from_dataframe
    >>> df = pd.DataFrame({"id": ["b", "a", "a", "b", "a"], "t": [1, 2, 0, 0, 1],
    ...                    "x": [0.4, 0.3, 0.1, 0.2, 0.2]})
    >>> X, ids = from_dataframe(df, "id", "t", return_ids=True)
    >>> ids.tolist(), [x.ravel().tolist() for x in X]
    (['a', 'b'], [[0.1, 0.2, 0.3], [0.2, 0.4]])
    """
    if not (hasattr(df, "columns") and hasattr(df, "groupby")):
        raise TypeError(f"df must be a pandas DataFrame; got {type(df).__name__}.")
    columns = list(df.columns)
    keys = [c for c in (id_column, time_column) if c is not None]
    for column in keys + list(value_columns or []):
        if column not in columns:
            raise ValueError(f"Column {column!r} is not in the table; its columns: {columns}.")
    values = (
        list(value_columns) if value_columns is not None else [c for c in columns if c not in keys]
    )
    if not values:
        raise ValueError("No value columns: the table has only the id and time columns.")
    not_numeric = [c for c in values if getattr(df[c].dtype, "kind", "O") not in "biuf"]
    if not_numeric:
        raise ValueError(
            f"Column {not_numeric[0]!r} ({df[not_numeric[0]].dtype}) is not numeric; pass the "
            "channel columns as value_columns."
        )
    if len(df) == 0:
        raise ValueError("The table has no rows.")
    # NaN ids or times would drop rows (groupby) or place them arbitrarily (sort): refused.
    for column in [*keys, *values]:
        missing = df[column].isna().to_numpy()
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise ValueError(
                f"Row {row} has a missing value in column {column!r}; fill or drop it first."
            )
    _float_array(df[values].to_numpy(), "The value columns")  # finite, not complex
    if time_column is not None:
        df = df.sort_values(time_column, kind="stable")
    if id_column is None:
        return df[values].to_numpy(dtype=np.float64)
    ids, X = [], []
    for key, group in df.groupby(id_column, sort=True):
        ids.append(key)
        X.append(group[values].to_numpy(dtype=np.float64))
    return (X, np.asarray(ids)) if return_ids else X
