"""C3D files (biomechanics labs' marker trajectories), read through ezc3d."""

from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

__all__ = ["read_c3d"]


def _ezc3d():
    try:
        import ezc3d
    except ImportError:
        raise ImportError(
            "read_c3d needs the ezc3d package: install it with pip install 'skseq2seq[c3d]' "
            "(or pip install ezc3d)."
        ) from None
    return ezc3d


def _parameter(group, name, default):
    value = group.get(name, {}).get("value", [])
    return list(value) if len(value) else default


def read_c3d(path):
    """Read the marker trajectories of a C3D file.

    C3D is the binary format of optical motion-capture systems (Vicon,
    Qualisys, Motion Analysis, ...): 3D positions of labelled markers per
    frame, and analog channels (force plates, EMG) at their own rate. The
    file is read with `ezc3d <https://github.com/pyomeca/ezc3d>`_, an
    optional dependency (``pip install 'skseq2seq[c3d]'``).

    Parameters
    ----------
    path : str or path-like
        The ``.c3d`` file.

    Returns
    -------
    recording : :class:`~sklearn.utils.Bunch`
        ``data``: ndarray of shape (n_frames, 3 * n_markers), float64, the
        x, y, z of each marker in turn (NaN where the system lost a marker:
        fill such gaps before fitting); ``channel_names``: ndarray of str,
        ``"<marker>_x"``, ``"_y"``, ``"_z"``; ``fps``: the point rate (None
        when the file gives no positive rate);
        ``filename``; and ``metadata``, a dict: ``format`` (``"c3d"``),
        ``marker_labels``, ``units`` (``POINT:UNITS``, e.g. ``"mm"``;
        ``""`` when the file does not say), ``residuals`` (ndarray
        (n_frames, n_markers), negative where a marker is missing),
        ``analogs`` (ndarray (n_analog_frames, n_analog_channels)),
        ``analog_labels`` and ``analog_rate``.

    Raises
    ------
    ImportError
        When ezc3d is not installed.
    FileNotFoundError
        When the file does not exist.
    ValueError
        When ezc3d cannot read the file; the message names it.

    Examples
    --------
    >>> from skseq2seq.io import read_c3d
    >>> motion = read_c3d("walk.c3d")  # doctest: +SKIP
    >>> motion.data.shape, motion.metadata["marker_labels"][:2]  # doctest: +SKIP
    ((1200, 117), ['LFHD', 'RFHD'])
    """
    path = Path(path)
    ezc3d = _ezc3d()
    if not path.is_file():
        raise FileNotFoundError(f"No file {path}.")
    try:
        c3d = ezc3d.c3d(str(path))
    except Exception as exc:  # ezc3d raises plain RuntimeErrors for any malformed file
        raise ValueError(f"{path}: not a readable C3D file ({exc}).") from None
    point = c3d["parameters"]["POINT"]
    points = np.asarray(c3d["data"]["points"], dtype=np.float64)  # (4, n_markers, n_frames)
    n_markers = points.shape[1]
    labels = [str(label).strip() for label in _parameter(point, "LABELS", [])]
    labels += [f"marker{i}" for i in range(len(labels), n_markers)]  # unlabelled markers
    labels = labels[:n_markers]
    residuals = np.asarray(c3d["data"]["meta_points"]["residuals"], dtype=np.float64)[0].T
    xyz = points[:3].transpose(2, 1, 0).copy()  # (n_frames, n_markers, 3)
    xyz[residuals < 0] = np.nan  # the C3D convention for a marker not seen in a frame
    analog = c3d["parameters"].get("ANALOG", {})
    analogs = np.asarray(c3d["data"]["analogs"], dtype=np.float64)
    metadata = {
        "format": "c3d",
        "marker_labels": labels,
        "units": str(_parameter(point, "UNITS", [""])[0]).strip(),
        "residuals": residuals,
        "analogs": analogs[0].T if analogs.size else np.empty((0, analogs.shape[1])),
        "analog_labels": [str(label).strip() for label in _parameter(analog, "LABELS", [])],
        "analog_rate": float(_parameter(analog, "RATE", [0.0])[0]),
    }
    rate = float(_parameter(point, "RATE", [np.nan])[0])
    return Bunch(
        data=xyz.reshape(len(xyz), -1),
        channel_names=np.array([f"{m}_{axis}" for m in labels for axis in "xyz"]),
        fps=rate if np.isfinite(rate) and rate > 0 else None,  # unknown, as for tables
        filename=str(path),
        metadata=metadata,
    )
