"""MATLAB ``.mat`` files: one numeric 2D variable, checked where it is read."""

import numpy as np

from ._common import check_finite_rows, file_error

__all__ = ["read_mat_array"]


def read_mat_array(path, key=None, *, n_channels=None, layout=None):
    """One numeric 2D variable of a MATLAB file, as float64 frames.

    Parameters
    ----------
    path : path-like
        The ``.mat`` file.
    key : str, default=None
        The variable; None means the only numeric 2D variable the file holds.
    n_channels : int, default=None
        The number of columns the variable must have; None accepts any.
    layout : str, default=None
        What the file should hold, quoted in errors; None describes any
        numeric array of shape (n_frames, n_channels).

    Returns
    -------
    data : ndarray of shape (n_frames, n_channels)
        Finite float64 frames.
    key : str
        The variable read.
    """
    from scipy.io import loadmat

    if layout is None:
        layout = "a MATLAB (.mat) file holding a numeric array of shape (n_frames, n_channels)"
    try:
        variables = loadmat(path)
    # A damaged file raises MatReadError or ValueError, but also zlib, struct or OS errors.
    except Exception as exc:
        raise file_error(path, f"not a readable .mat file ({exc})", layout) from None
    arrays = {
        name: value
        for name, value in variables.items()
        if not name.startswith("__")
        and isinstance(value, np.ndarray)
        and value.dtype.kind in "biuf"
        and value.ndim == 2
        and value.size
    }
    found = ", ".join(repr(name) for name in sorted(arrays)) or "none"
    if key is None:
        if len(arrays) != 1:
            raise file_error(
                path, f"{len(arrays) or 'no'} numeric 2D variables ({found}); pass key", layout
            )
        key = next(iter(arrays))
    elif key not in arrays:
        value = variables.get(key)
        if value is None:
            problem = f"no numeric 2D variable {key!r} (found: {found})"
        else:
            problem = f"{key!r} has shape {np.shape(value)} and dtype {np.asarray(value).dtype}"
        raise file_error(path, problem, layout)
    data = np.asarray(arrays[key], dtype=np.float64)
    if n_channels is not None and data.shape[1] != n_channels:
        raise file_error(path, f"{key!r} has shape {data.shape}", layout)
    check_finite_rows(path, data, None, layout)
    return data, key
