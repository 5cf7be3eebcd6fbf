"""TRC files (OpenSim / Vicon / Motion Analysis marker trajectories as tab-separated text)."""

from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ._common import file_error, read_text

__all__ = ["read_trc"]

_LAYOUT = (
    "a TRC file: 'PathFileType 4 (X/Y/Z) name', a line of header keys (DataRate CameraRate "
    "NumFrames NumMarkers Units ...) and one of their values, 'Frame# Time <marker> ...', "
    "'X1 Y1 Z1 ...', then per frame its number, its time and x y z per marker, tab-separated"
)


def _header(path, lines):
    """{key: value} of the two header lines, and the marker names."""
    if not lines[0][1].startswith("PathFileType"):
        raise file_error(
            path, f"found {lines[0][1][:40]!r}, not 'PathFileType'", _LAYOUT, lines[0][0]
        )
    if len(lines) < 5:
        raise file_error(path, "the header ends early", _LAYOUT)
    keys, values = lines[1][1].split(), lines[2][1].split()
    if len(values) < len(keys):
        raise file_error(
            path, f"{len(keys)} header keys but {len(values)} values", _LAYOUT, lines[2][0]
        )
    header = dict(zip(keys, values))
    for key in ("DataRate", "NumMarkers", "Units"):
        if key not in header:
            raise file_error(path, f"no {key!r} in the header", _LAYOUT, lines[1][0])
    columns = lines[3][1].split("\t")
    if columns[:2] != ["Frame#", "Time"]:
        raise file_error(
            path, f"found {lines[3][1][:40]!r}, expected 'Frame#<tab>Time'", _LAYOUT, lines[3][0]
        )
    markers = [name.strip() for name in columns[2:] if name.strip()]
    return header, markers


def read_trc(path):
    """Read the marker trajectories of a TRC file.

    TRC (track row column) is the text format of marker trajectories that
    OpenSim reads and Vicon, Cortex (Motion Analysis) and Qualisys export: a
    header with the frame rate and length unit, then one tab-separated line
    per frame with its number, its time and the x, y, z of every marker.
    Empty cells (a marker the cameras lost) are read as NaN.

    Parameters
    ----------
    path : str or path-like
        The ``.trc`` file.

    Returns
    -------
    recording : :class:`~sklearn.utils.Bunch`
        ``data``: ndarray of shape (n_frames, 3 * n_markers), float64, the
        x, y, z of each marker in turn (NaN where missing);
        ``channel_names``: ndarray of str, ``"<marker>_x"``, ``"_y"``,
        ``"_z"``; ``fps``: the ``DataRate``; ``filename``; and ``metadata``,
        a dict: ``format`` (``"trc"``), ``marker_labels``, ``units`` (the
        header's ``Units``, e.g. ``"mm"``), ``frame_numbers``, ``times``
        (seconds) and ``header`` (every header key and its value, as text).

    Raises
    ------
    ValueError
        When the file is not a TRC file as described, or a frame has more
        values than the markers; the message names the file, the line and
        the layout expected.
    FileNotFoundError
        When the file does not exist.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skseq2seq.io import read_trc
    >>> path = Path(tempfile.mkdtemp()) / "walk.trc"
    >>> _ = path.write_text(
    ...     "PathFileType\\t4\\t(X/Y/Z)\\twalk.trc\\n"
    ...     "DataRate\\tCameraRate\\tNumFrames\\tNumMarkers\\tUnits\\n"
    ...     "100.0\\t100.0\\t2\\t2\\tmm\\n"
    ...     "Frame#\\tTime\\tRASI\\t\\t\\tLASI\\n"
    ...     "\\t\\tX1\\tY1\\tZ1\\tX2\\tY2\\tZ2\\n"
    ...     "1\\t0.00\\t100\\t900\\t50\\t-100\\t900\\t50\\n"
    ...     "2\\t0.01\\t101\\t901\\t50\\t\\t\\t\\n")
    >>> motion = read_trc(path)
    >>> motion.data.shape, motion.fps, motion.metadata["units"]
    ((2, 6), 100.0, 'mm')
    >>> motion.channel_names[:3].tolist(), motion.data[1, 3:].tolist()
    (['RASI_x', 'RASI_y', 'RASI_z'], [nan, nan, nan])
    """
    path = Path(path)
    lines = read_text(path, _LAYOUT)
    header, markers = _header(path, lines)
    try:
        fps = float(header["DataRate"])
        n_markers = int(header["NumMarkers"])
    except ValueError:
        raise file_error(
            path, "DataRate or NumMarkers is not a number", _LAYOUT, lines[2][0]
        ) from None
    if not (np.isfinite(fps) and fps > 0):
        raise file_error(path, f"DataRate is {fps:g}", "a positive frame rate", lines[2][0])
    if n_markers != len(markers):
        raise file_error(
            path,
            f"NumMarkers is {n_markers} but {len(markers)} marker names follow",
            _LAYOUT,
            lines[3][0],
        )
    # The coordinate-label line ('X1 Y1 Z1 ...') starts with empty cells, so it is
    # the first line after the names whose first cell is not a frame number.
    rows = lines[5:] if not lines[4][1].split("\t")[0].strip().isdigit() else lines[4:]
    if not rows:
        raise file_error(path, "no frames", _LAYOUT)
    width = 2 + 3 * n_markers
    table = np.full((len(rows), width), np.nan)
    for i, (lineno, text) in enumerate(rows):
        cells = text.split("\t")  # trailing empty cells were stripped: missing markers
        if len(cells) > width:
            raise file_error(path, f"{len(cells)} values for {n_markers} markers", _LAYOUT, lineno)
        try:
            table[i, : len(cells)] = [float(c) if c.strip() else np.nan for c in cells]
        except ValueError as exc:
            raise file_error(path, str(exc), _LAYOUT, lineno) from None
    return Bunch(
        data=table[:, 2:],
        channel_names=np.array([f"{m}_{axis}" for m in markers for axis in "xyz"]),
        fps=fps,
        filename=str(path),
        metadata={
            "format": "trc",
            "marker_labels": markers,
            "units": header["Units"],
            "frame_numbers": table[:, 0],
            "times": table[:, 1],
            "header": header,
        },
    )
