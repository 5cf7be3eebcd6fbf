"""Input and parameter validation shared by every estimator.

scikit-learn's ``validate_data`` counts ``X.shape[1]`` as the number of
features; for sequences that axis is time, so the channel count is checked
here instead and ``n_features_in_`` means channels. Everything a fit can
know before its first training step is checked here, so that bad input
fails with a message naming the problem rather than inside torch.
"""

import math
import numbers

import numpy as np
import torch
from sklearn.utils import check_array
from sklearn.utils.validation import column_or_1d

__all__ = [
    "check_device",
    "check_fps",
    "check_labels",
    "check_recordings",
    "check_sequences",
    "python_scalars",
    "split_recordings",
]

_FLOATS = [np.float64, np.float32]

_LAYOUT = (
    "a 3D array (n_samples, n_timesteps, n_features), a 2D array of univariate sequences "
    "(n_samples, n_timesteps), or a list of (T_i, n_features) or (T_i,) arrays"
)
_RECORDING_LAYOUT = (
    "one recording, a 2D array (n_frames, n_features), or a list of recordings "
    "((n_frames_i, n_features) or (n_frames_i,) arrays)"
)


def python_scalars(params):
    """``params`` with numpy scalars replaced by the Python int, float or bool they hold.

    torch and skorch test ``isinstance(value, int)``, which ``np.int64``
    fails; estimators cast their parameters once, here, before using them.
    """
    return {k: v.item() if isinstance(v, np.generic) else v for k, v in params.items()}


def check_fps(fps, name="fps"):
    """A frame-rate parameter of a reader or a plot: None, or a finite positive number (a float)."""
    number = isinstance(fps, numbers.Real) and not isinstance(fps, (bool, np.bool_))
    if fps is not None and not (number and math.isfinite(fps) and fps > 0):
        raise ValueError(
            f"{name}={fps!r}; expected a finite positive number of frames per second, or None."
        )
    return None if fps is None else float(fps)


def check_device(device):
    """The torch device for ``device`` ("auto", a device string or a torch.device).

    Raises a ValueError before any training when the string is not a device,
    or names a device this machine does not have.
    """
    if isinstance(device, str) and device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device={device!r} is not a torch device ({exc}); use 'auto', 'cpu' or 'cuda'."
        ) from None
    available = {
        "cpu": True,
        "cuda": torch.cuda.is_available(),
        "mps": getattr(torch.backends, "mps", None) is not None
        and torch.backends.mps.is_available(),
    }
    if resolved.type not in available:
        raise ValueError(f"device={device!r} is not supported; use 'auto', 'cpu', 'cuda' or 'mps'.")
    if not available[resolved.type]:
        raise ValueError(
            f"device={device!r} was requested but {resolved.type.upper()} is not available on "
            f"this machine (torch {torch.__version__}); use device='auto' (CUDA when "
            "available, else the CPU) or device='cpu'."
        )
    if (
        resolved.type == "cuda"
        and resolved.index is not None
        and resolved.index >= torch.cuda.device_count()
    ):
        raise ValueError(
            f"device={device!r}: this machine has {torch.cuda.device_count()} CUDA device(s)."
        )
    return resolved


def _check_container(X, layout):
    """Refuse what is not a collection of numbers at all, with the layout expected."""
    if X is None:
        raise TypeError(f"X is None; expected {layout}.")
    if isinstance(X, (str, bytes, dict, numbers.Number)) or (
        isinstance(X, np.ndarray) and X.ndim == 0
    ):
        raise TypeError(f"X must be {layout}; got {type(X).__name__} {X!r:.60}.")


def _refuse_none(array, name):
    """check_array reads None in an object array as NaN: name it as what it is."""
    if getattr(array, "dtype", None) is not None and array.dtype == object:
        missing = np.equal(array, None)
        if missing.any():
            where = tuple(int(i[0]) for i in np.nonzero(missing))
            raise TypeError(f"{name} contains None (at index {where}); expected numbers.")


def _is_scalar(item):
    return isinstance(item, numbers.Number) or (
        item is not None and not isinstance(item, str) and np.ndim(item) == 0
    )


def _as_item_list(X):
    """X as a list of items when it is a list of sequences (ragged input), else None."""
    if isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 1:
        X = list(X)  # an object array of arrays is a ragged list
    if not isinstance(X, (list, tuple)) or not len(X):
        return None
    scalar = [_is_scalar(item) for item in X]
    if all(scalar):
        return None  # one row of numbers: checked (and refused) as a 1D array
    if any(scalar):
        i = scalar.index(True)
        raise ValueError(
            f"Item {i} of the list is a scalar ({X[i]!r}) while item {scalar.index(False)} is a "
            "sequence; each item of a list must be one sequence, a (T_i, n_features) or "
            "(T_i,) array."
        )
    return list(X)


def _check_item(item, name, kind):
    """One sequence or recording as a (T, n_features) float array; ``name`` says which."""
    if item is None or isinstance(item, (str, bytes, dict)):
        raise TypeError(
            f"{name} is {type(item).__name__}; expected a (T_i, n_features) or (T_i,) array "
            "of numbers."
        )
    if np.ndim(item) > 2:
        raise ValueError(
            f"{name} has {np.ndim(item)} dimensions (shape {np.shape(item)}); each {kind} "
            "must be a (T_i, n_features) or (T_i,) array."
        )
    _refuse_none(item, name)
    try:
        item = check_array(
            item,
            ensure_2d=False,
            dtype=_FLOATS,
            ensure_all_finite=True,
            ensure_min_samples=0,
            ensure_min_features=0,
            input_name=name,
        )
    except ValueError as exc:
        message = str(exc)
        raise ValueError(message if name in message else f"{name}: {message}") from None
    return item[:, None] if item.ndim == 1 else item


def _check_widths(items, kind):
    widths = np.array([item.shape[1] for item in items])
    if (widths != widths[0]).any():
        other = int(np.flatnonzero(widths != widths[0])[0])
        raise ValueError(
            f"All {kind}s must have the same number of channels: {kind} 0 has "
            f"{widths[0]} and {kind} {other} has {widths[other]}."
        )
    if widths[0] == 0:
        shape = items[0].shape
        raise ValueError(
            f"Found array with 0 feature(s) (shape={shape}) while a minimum of 1 is "
            f"required: {kind}s need at least one channel."
        )
    return int(widths[0])


def _is_dataframe(X):
    return type(X).__module__.partition(".")[0] in ("pandas", "polars") and hasattr(X, "columns")


def _refuse_named_columns(X):
    """A sequence estimator's 2D input has time along its columns, which have no names.

    A table whose columns are named (channels, or keys of a long table such as
    ``id, t, x``) would otherwise be read silently as univariate sequences,
    one per row. Unnamed columns (``pd.DataFrame(array)``: 0, 1, ...) read as
    the array does, as scikit-learn's estimator checks expect.
    """
    columns = list(X.columns)
    if columns == list(range(len(columns))):
        return
    raise ValueError(
        f"X is a {type(X).__name__} with named columns ({', '.join(map(str, columns[:5]))}"
        f"{', ...' if len(columns) > 5 else ''}); a sequence estimator would read each row as a "
        "univariate sequence and each column as a time step. Convert it: a long table (one row "
        "per time step, an id column) with skseq2seq.io.from_dataframe(df, id_column, "
        "time_column); one recording (rows are frames, columns channels) with "
        "skseq2seq.datasets.sliding_windows(df.to_numpy(), width, stride); rows that really are "
        "univariate sequences with df.to_numpy()."
    )


def _nan_padding_error(X):
    """The error for tslearn's NaN-padded variable-length layout, or None for other NaN."""
    X = np.asarray(X)
    if X.dtype.kind != "f" or X.ndim not in (2, 3) or not len(X):
        return None
    steps = np.isnan(X) if X.ndim == 2 else np.isnan(X).any(axis=2)
    # Padding: from some step to the end, every value NaN, and no NaN before.
    padded = np.isnan(X) if X.ndim == 2 else np.isnan(X).all(axis=2)
    first = np.where(steps.any(axis=1), np.argmax(steps, axis=1), X.shape[1])
    after = np.arange(X.shape[1])[None, :] >= first[:, None]
    if not (padded == after).all() or (first == 0).any():
        return None
    return ValueError(
        f"X contains NaN padding after the end of {int((first < X.shape[1]).sum())} "
        "sequence(s), as tslearn stores sequences of different lengths; convert it with "
        "skseq2seq.io.from_tslearn_dataset(X), a list of variable-length sequences."
    )


def check_sequences(X, *, min_length=2, n_features=None, min_samples=1):
    """Validate a batch of sequences and return it padded, with lengths.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_timesteps, n_features) or \
            (n_samples, n_timesteps), or list of arrays of shape (T_i, n_features)
        A 2D array holds univariate sequences; a list holds sequences of
        possibly different lengths (1D items are univariate); so does a 1D
        object array of arrays. A DataFrame with named columns is refused
        (see ``_refuse_named_columns``), as is tslearn's NaN padding, with a
        message naming the :mod:`skseq2seq.io` function that converts it.
    min_length : int, default=2
        Shortest sequence accepted, in time steps.
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
    _check_container(X, _LAYOUT)
    items = _as_item_list(X)
    if items is not None:
        seqs = [_check_item(s, f"Sequence {i}", "sequence") for i, s in enumerate(items)]
        width = _check_widths(seqs, "sequence")
        lengths = np.array([len(s) for s in seqs], dtype=np.int64)
        short = np.flatnonzero(lengths < min_length)
        if len(short):
            i = int(short[0])
            raise ValueError(
                f"Sequence {i} has {lengths[i]} time step(s); sequences need at least "
                f"{min_length} time steps ({len(short)} of {len(seqs)} are shorter)."
            )
        dtype = np.result_type(*[s.dtype for s in seqs])
        data = np.zeros((len(seqs), lengths.max(initial=0), width), dtype=dtype)
        for i, s in enumerate(seqs):  # padding a ragged list needs one copy each
            data[i, : len(s)] = s
    else:
        if _is_dataframe(X):
            _refuse_named_columns(X)
        _refuse_none(X, "X")
        try:
            data = check_array(
                X,
                ensure_2d=False,
                allow_nd=True,
                dtype=_FLOATS,
                ensure_all_finite=True,
                ensure_min_samples=0,
                ensure_min_features=0,
                input_name="X",
            )
        except ValueError as exc:
            padding = "NaN" in str(exc) and _nan_padding_error(X)
            if padding:
                raise padding from None
            raise
        if data.ndim not in (2, 3):
            raise ValueError(
                f"Expected {_LAYOUT}; got an array with {data.ndim} dimension(s) and shape "
                f"{data.shape}. Reshape your data: one sequence of shape (T, n_features) is "
                "X[None]; one univariate sequence of shape (T,) is X.reshape(1, -1)."
            )
        shape = data.shape
        if data.ndim == 2:  # univariate sequences
            data = data[:, :, None]
        lengths = np.full(data.shape[0], data.shape[1], dtype=np.int64)
        if data.shape[0] and data.shape[1] < min_length:
            # "feature(s)": the wording sklearn's common checks look for, where a
            # 2D X's second axis (features for sklearn) is time.
            where = (
                f"a 2D X holds univariate sequences along its second axis; in scikit-learn's "
                f"terms: found array with {data.shape[1]} feature(s) (shape={shape}) while a "
                f"minimum of {min_length} is required"
                if len(shape) == 2
                else f"X of shape {shape}"
            )
            raise ValueError(
                f"Sequences have {data.shape[1]} time step(s); they need at least "
                f"{min_length} time steps ({where})."
            )
        if data.shape[0] and data.shape[2] == 0:
            raise ValueError(
                f"Found array with 0 feature(s) (shape={shape}) while a minimum of 1 is "
                "required: sequences need at least one channel."
            )

    if data.shape[0] < min_samples:
        raise ValueError(
            f"Found array with {data.shape[0]} sample(s) (shape={data.shape}) while a "
            f"minimum of {min_samples} is required."
        )
    if n_features is not None and data.shape[2] != n_features:
        raise ValueError(
            f"X has {data.shape[2]} features per time step, but the estimator was fitted "
            f"with {n_features} features per time step."
        )
    return data, lengths


def check_recordings(X, *, n_features=None, estimator_name="the estimator"):
    """Validate one recording or a list of recordings (frames in time order).

    Parameters
    ----------
    X : array-like of shape (n_frames, n_features), or list of such arrays
        One recording, or several with the same channels; in a list, a 1D
        array is a univariate recording.
    n_features : int, default=None
        Expected number of channels, or None.
    estimator_name : str, default="the estimator"
        Named in the message when the channels differ from ``n_features``.

    Returns
    -------
    recordings : list of ndarray of shape (n_frames_i, n_features)
    is_list : bool
        Whether X was a list of recordings (results are then lists too).
    """
    _check_container(X, _RECORDING_LAYOUT)
    items = _as_item_list(X)
    is_list = items is not None
    if is_list:
        recordings = [_check_item(r, f"Recording {i}", "recording") for i, r in enumerate(items)]
    else:
        if not hasattr(X, "shape"):  # array-likes (lists, __array__); sparse stays sparse
            X = np.asarray(X)
        if X.ndim == 1:  # scikit-learn's convention: a 1D X is refused
            raise ValueError(
                f"X must be one recording of shape (n_frames, n_features) or a list of "
                f"recordings; got a 1D array of shape {X.shape}. Reshape your data: one "
                "univariate recording is X.reshape(-1, 1) (or [X])."
            )
        if X.ndim > 2:
            raise ValueError(
                f"X must be one recording of shape (n_frames, n_features) or a list of "
                f"recordings; got an array with {X.ndim} dimensions and shape "
                f"{X.shape}. Several recordings of equal length: pass list(X)."
            )
        recordings = [_check_item(X, "X", "recording")]
    _check_widths(recordings, "recording")
    for i, rec in enumerate(recordings):
        if len(rec) == 0:
            raise ValueError(
                f"{f'Recording {i}' if is_list else 'X'} has 0 frames (0 sample(s)); at "
                "least 1 is required."
            )
    if n_features is not None and recordings[0].shape[1] != n_features:
        # scikit-learn's wording: for recordings, X.shape[1] is the features axis.
        raise ValueError(
            f"X has {recordings[0].shape[1]} features, but {estimator_name} is expecting "
            f"{n_features} features as input (channels per frame)."
        )
    return recordings, is_list


def check_labels(labels, n=None, *, name="labels", unit="sample", reference=None, min_labels=0):
    """Validate labels, one per sample, frame (time step) or sequence.

    Parameters
    ----------
    labels : array-like of shape (n_labels,)
        The labels (any values); a column vector of shape (n_labels, 1) is
        accepted, as by :func:`sklearn.utils.validation.column_or_1d`.
    n : int, default=None
        Number of labels expected, or None.
    name : str, default="labels"
        Named in the messages.
    unit : str, default="sample"
        What one label belongs to (``"sample"``, ``"frame"``, ``"sequence"``,
        ``"recording"``), named in the messages.
    reference : str, default=None
        Where ``n`` comes from (e.g. ``"labels_true"``), named in the messages.
    min_labels : int, default=0
        Fewest labels accepted.

    Returns
    -------
    labels : ndarray of shape (n_labels,)
    """
    if labels is None or isinstance(labels, (str, bytes, dict)):
        raise TypeError(
            f"{name} must be an array-like with one label per {unit}; got {type(labels).__name__}."
        )
    try:
        labels = column_or_1d(labels)
    except ValueError:
        raise ValueError(
            f"{name} must be a 1d array with one label per {unit}; got shape {np.shape(labels)}."
        ) from None
    if n is not None and len(labels) != n:
        source = f" in {reference}" if reference else ""
        raise ValueError(
            f"{name} has {len(labels)} entries for {n} {unit}s{source}: inconsistent numbers "
            f"of {unit}s; expected one label per {unit}."
        )
    if len(labels) < min_labels:
        least = "one" if min_labels == 1 else min_labels
        raise ValueError(f"{name} has {len(labels)} entries; at least {least} {unit} is required.")
    return labels


def split_recordings(X):
    """One recording or a list of recordings as a list of (n_frames, n_features) arrays.

    Unlike :func:`check_recordings`, values are not converted nor checked:
    dtypes, non-finite values and recordings of 0 frames are kept (windowing
    copies frames as they are, and a short recording gives no window).

    Parameters
    ----------
    X : array-like of shape (n_frames, n_features) or (n_frames,), or list of such arrays
        One recording (an array; 1D is univariate) or several with the same
        channels.

    Returns
    -------
    recordings : list of ndarray of shape (n_frames_i, n_features)
    is_single : bool
        Whether X was one recording.
    """
    _check_container(X, _RECORDING_LAYOUT)
    if isinstance(X, np.ndarray) and X.dtype != object and X.ndim in (1, 2):
        recordings, single = [X], True
    else:
        recordings, single = [np.asarray(rec) for rec in X], False
    for i, rec in enumerate(recordings):
        if rec.ndim not in (1, 2):
            raise ValueError(
                f"Recording {i} has {rec.ndim} dimensions (shape {rec.shape}); expected "
                "(n_frames, n_features) or (n_frames,)."
            )
    recordings = [rec[:, None] if rec.ndim == 1 else rec for rec in recordings]
    widths = sorted({rec.shape[1] for rec in recordings})
    if len(widths) > 1:
        raise ValueError(
            f"All recordings must have the same number of features (channels per frame); "
            f"got {widths}."
        )
    return recordings, single
