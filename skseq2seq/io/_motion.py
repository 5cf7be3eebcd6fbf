"""Any supported file by its extension, numeric tables, and folders of recordings."""

from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ._amc import read_amc
from ._bvh import read_bvh
from ._c3d import read_c3d
from ._common import (
    check_finite_rows,
    check_fps,
    check_same_channels,
    file_error,
    is_number,
    natural_key,
    parse_frames,
    read_text,
)
from ._mat import read_mat_array
from ._rotations import to_expmap
from ._trc import read_trc

__all__ = ["load_folder", "read_motion"]

_TABLE_LAYOUT = (
    "one frame per line, numbers separated by commas, tabs or spaces, the same count on every "
    "line; optionally a first line of channel names"
)
EXTENSIONS = (".bvh", ".c3d", ".trc", ".amc", ".csv", ".txt", ".npy", ".mat")


def _read_table(path, fps):
    """A numeric table: one frame per line; a first line of names is the header."""
    lines = read_text(path, _TABLE_LAYOUT)
    first = lines[0][1]
    delimiter = "," if "," in first else ("\t" if "\t" in first else None)
    names = None
    # A header holds a name: a first line of numbers with an empty field is a frame (and refused).
    if any(v.strip() and not is_number(v) for v in first.split(delimiter)):
        names = [v.strip().strip('"') for v in first.split(delimiter)]
        lines = lines[1:]
        if not lines:
            raise file_error(path, "a header line and no frames", _TABLE_LAYOUT)
    data = parse_frames(path, lines, delimiter, _TABLE_LAYOUT)
    if names is not None and len(names) != data.shape[1]:
        raise file_error(
            path, f"{len(names)} names in the header for {data.shape[1]} values", _TABLE_LAYOUT
        )
    return data, names, {"format": "table"}


_NPY_LAYOUT = "a numeric .npy array of shape (n_frames, n_channels) or (n_frames,)"


def _read_npy(path, fps):
    try:
        data = np.load(path, allow_pickle=False)
    # Pickled objects, an empty or damaged file: numpy raises ValueError, EOFError,
    # OSError, tokenize or syntax errors from the header, BadZipFile...: all malformed files.
    except Exception as exc:
        raise file_error(path, f"not a numeric .npy array ({exc})", _NPY_LAYOUT) from None
    if not isinstance(data, np.ndarray):  # np.load opens an .npz archive whatever its name
        data.close()
        raise file_error(path, "an .npz archive of arrays, not one .npy array", _NPY_LAYOUT)
    if data.ndim not in (1, 2) or data.dtype.kind not in "biuf" or 0 in data.shape:
        raise file_error(
            path, f"an array of shape {data.shape} and dtype {data.dtype}", _NPY_LAYOUT
        )
    data = data.reshape(len(data), -1).astype(np.float64)
    check_finite_rows(path, data, None, _NPY_LAYOUT)
    return data, None, {"format": "npy"}


def _check_rotations(rotations):
    if not (isinstance(rotations, str) and rotations in ("raw", "expmap")):
        raise ValueError(f"rotations={rotations!r}; expected 'raw' or 'expmap'.")


def _find_asf(amc_path):
    """An AMC file's skeleton: CMU names it after the subject (``02.asf``), else the only one."""
    subject = amc_path.parent / f"{amc_path.stem.split('_')[0]}.asf"
    if subject.is_file():
        return subject
    found = sorted(amc_path.parent.glob("*.asf"))
    if len(found) == 1:
        return found[0]
    raise FileNotFoundError(
        f"{amc_path}: no skeleton for this AMC file: found "
        f"{len(found) or 'no'} .asf files beside it and no {subject.name}; pass asf_path."
    )


def read_motion(path, *, fps=None, rotations="raw", asf_path=None, key=None):
    """Read a motion recording, in the format of its file extension.

    ========================  ==============================================
    extension                 read as
    ========================  ==============================================
    ``.bvh``                  :func:`read_bvh`
    ``.c3d``                  :func:`read_c3d` (needs ezc3d)
    ``.trc``                  :func:`read_trc`
    ``.amc``                  :func:`read_amc`, with ``asf_path`` (default:
                              ``<subject>.asf`` beside it, as CMU names it,
                              or the only ``.asf`` file there)
    ``.csv``, ``.txt``        a numeric table: one frame per line, numbers
                              separated by commas, tabs or spaces (as the
                              CMU action recordings); a first line of names
                              is read as the channel names
    ``.npy``                  a numeric array (n_frames, n_channels)
    ``.mat``                  a MATLAB file's numeric array (n_frames,
                              n_channels): ``key``, or the only one (as
                              the CMU subject-86 recordings'
                              ``expmapchannels``)
    ========================  ==============================================

    Parameters
    ----------
    path : str or path-like
        The file.
    fps : float, default=None
        Frames per second. None means the file's (BVH, C3D, TRC), 120 for AMC
        (CMU's rate), and unknown (None) for tables, ``.npy`` arrays and ``.mat`` files.
        Given, it overrides the file's.
    rotations : {"raw", "expmap"}, default="raw"
        ``"expmap"`` replaces Euler-angle channels (BVH, AMC) by exponential
        maps with :func:`to_expmap`; other formats have none.
    asf_path : str or path-like, default=None
        The skeleton of an ``.amc`` file.
    key : str, default=None
        The variable of a ``.mat`` file to read; None means its only numeric
        2D array (an error names them when there are several).

    Returns
    -------
    recording : :class:`~sklearn.utils.Bunch`
        ``data`` (ndarray of shape (n_frames, n_channels), float64),
        ``channel_names``, ``fps``, ``filename`` and ``metadata`` (with
        ``format``), as the reader of the format returns them; table columns
        without a header are named ``"0"``, ``"1"``, ...

    Raises
    ------
    ValueError
        For an unsupported extension or a malformed file: one that does not
        follow its layout, has a header number out of range, a value that is
        not finite (NaN, infinity) or a name defined twice (the message names
        the file and the layout expected); or a bad ``fps`` or ``rotations``.
    FileNotFoundError
        When the file (or an AMC file's skeleton) is missing.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skseq2seq.io import read_motion
    >>> path = Path(tempfile.mkdtemp()) / "walk.csv"
    >>> _ = path.write_text("hip,knee\\n0.1,0.5\\n0.2,0.4\\n0.3,0.2\\n")
    >>> motion = read_motion(path, fps=30)
    >>> motion.data
    array([[0.1, 0.5],
           [0.2, 0.4],
           [0.3, 0.2]])
    >>> motion.channel_names.tolist(), motion.fps
    (['hip', 'knee'], 30.0)
    """
    _check_rotations(rotations)
    fps = check_fps(fps)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise ValueError(
            f"{path}: unsupported file extension {suffix or '(none)'!r}; supported: "
            f"{', '.join(EXTENSIONS)}."
        )
    if not path.is_file():
        raise FileNotFoundError(f"No file {path}.")
    if suffix in (".bvh", ".c3d", ".trc", ".amc"):
        if suffix == ".bvh":
            recording = read_bvh(path)
        elif suffix == ".c3d":
            recording = read_c3d(path)
        elif suffix == ".trc":
            recording = read_trc(path)
        else:
            recording = read_amc(path, asf_path or _find_asf(path))
        if fps is not None:
            recording.fps = fps
        return to_expmap(recording) if rotations == "expmap" else recording
    if suffix == ".mat":
        data, key = read_mat_array(path, key)
        names, metadata = None, {"format": "mat", "key": key}
    else:
        data, names, metadata = (_read_npy if suffix == ".npy" else _read_table)(path, fps)
    return Bunch(
        data=data,
        channel_names=np.asarray(names or [str(i) for i in range(data.shape[1])]),
        fps=fps,
        filename=str(path),
        metadata=metadata,
    )


def _label_of(path, root, label_from):
    if callable(label_from):
        return label_from(path)
    if label_from == "stem":
        return path.stem
    return path.parent.name if path.parent != root else root.name


def load_folder(path, pattern="**/*", *, label_from="parent", fps=None, rotations="raw"):
    """Read every motion file of a folder tree, with a label per file.

    Files are those matching ``pattern`` with an extension :func:`read_motion`
    reads (``.asf`` skeletons are read with their ``.amc`` motions), in
    natural order of their paths (``walk_2`` before ``walk_10``); hidden
    files and folders are skipped.

    Parameters
    ----------
    path : str or path-like
        The folder.
    pattern : str, optional
        Glob pattern, relative to ``path`` (as :meth:`pathlib.Path.glob`):
        the default, ``"**/*"``, reads the whole tree; ``"*.bvh"`` reads the
        BVH files at its top.
    label_from : {"parent", "stem"} or callable, default="parent"
        Each file's label: the name of its folder (``walk/01.bvh`` is
        ``"walk"``), its name without extension, or ``label_from(path)``
        for a :class:`pathlib.Path`.
    fps : float, default=None
        Frames per second, overriding the files' (see :func:`read_motion`).
    rotations : {"raw", "expmap"}, default="raw"
        ``"expmap"`` converts Euler-angle channels to exponential maps.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``recordings``: list of float64 arrays of shape (n_frames_i,
        n_channels), ready for :class:`~skseq2seq.TemporalSegmenter` or
        :func:`~skseq2seq.datasets.sliding_windows`; ``target``: ndarray of
        shape (n_recordings,), index of each file's label in
        ``target_names`` (sorted); ``target_names``; ``filenames``;
        ``channel_names`` (the first file's); ``fps``: ndarray of each
        file's frames per second (NaN where unknown); ``metadata``: list of
        each file's metadata.

    Raises
    ------
    FileNotFoundError
        When the folder does not exist or holds no supported file.
    ValueError
        When a file is malformed (the message names it) or the files differ
        in their number of channels.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skseq2seq.io import load_folder
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("walk/a.csv", "walk/b.csv", "run/c.csv"):
    ...     (folder / name).parent.mkdir(exist_ok=True)
    ...     _ = (folder / name).write_text("0.1,0.2\\n0.3,0.4\\n0.5,0.6\\n")
    >>> data = load_folder(folder)
    >>> data.target_names.tolist(), data.target.tolist(), data.recordings[0].shape
    (['run', 'walk'], [0, 1, 1], (3, 2))
    """
    root = Path(path).expanduser()
    if not root.is_dir():
        raise FileNotFoundError(f"No folder {root}.")
    if not (
        callable(label_from) or (isinstance(label_from, str) and label_from in ("parent", "stem"))
    ):
        raise ValueError(f"label_from={label_from!r}; expected 'parent', 'stem' or a callable.")
    _check_rotations(rotations)
    check_fps(fps)  # before reading any file
    try:
        matches = list(root.glob(pattern))
    except (TypeError, ValueError, NotImplementedError) as exc:  # empty, absolute, not a str
        raise ValueError(
            f"pattern={pattern!r} is not a glob pattern relative to {root} ({exc})."
        ) from None
    paths = sorted(
        (
            p
            for p in matches
            if p.suffix.lower() in EXTENSIONS
            and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(root).parts)
        ),
        key=lambda p: [natural_key(Path(part)) for part in p.relative_to(root).parts],
    )
    if not paths:
        raise FileNotFoundError(
            f"No motion files matching {pattern!r} in {root}; supported extensions: "
            f"{', '.join(EXTENSIONS)}."
        )
    read = [read_motion(p, fps=fps, rotations=rotations) for p in paths]
    recordings = [r.data for r in read]
    check_same_channels(recordings, [str(p) for p in paths])
    labels = [_label_of(p, root, label_from) for p in paths]
    names, target = np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)
    return Bunch(
        recordings=recordings,
        target=target.astype(np.int64),
        target_names=names,
        filenames=[str(p) for p in paths],
        channel_names=read[0].channel_names,
        fps=np.array([np.nan if r.fps is None else r.fps for r in read]),
        metadata=[r.metadata for r in read],
    )
