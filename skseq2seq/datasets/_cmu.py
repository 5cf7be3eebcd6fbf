"""Loaders for the CMU motion-capture recordings used by Su & Shlizerman 2020.

The files live in ``<data_home>/cmu_mocap/`` (``actions/`` and
``subject86/``), ``data_home`` being the data home of
:func:`~skseq2seq.datasets.get_data_home`; the action recordings can be
downloaded with :func:`~skseq2seq.datasets.fetch_cmu_actions`, the
subject-86 trials cannot.
"""

from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ..io._common import (
    check_same_channels,
    file_error,
    natural_key,
    parse_frames,
    read_lines,
)
from ..io._mat import read_mat_array
from ._base import _cmu_folder

__all__ = ["load_action_recordings", "load_cmu_actions", "load_cmu_subject86"]

# Frames per second of the CMU subject-86 recordings.
_SUBJECT86_FPS = 120

# Spellings that name the same action in the subject-86 ground truth.
_ACTION_ALIASES = {
    "walking": "walk",
    "punching": "punch",
    "leg_kicking": "leg_kick",
}


def _normalise_action(name):
    name = name.strip().lower()
    return _ACTION_ALIASES.get(name, name)


# Layouts, quoted in the errors so that a user can fix the file.
_CSV_LAYOUT = "one frame per line, comma-separated numbers, the same count on every line"
_GROUND_TRUTH_LAYOUT = (
    "the number of segments on the first line, then per segment a line '<index> <name>' "
    "and a line '<earliest> <best> <latest>' of transition frames ('<end frame>' alone "
    "for the last segment)"
)
_EXPMAP_KEY = "expmapchannels"
_N_EXPMAP_CHANNELS = 96
_MAT_LAYOUT = (
    f"a MATLAB file holding {_EXPMAP_KEY!r}, a numeric array of shape "
    f"(n_frames, {_N_EXPMAP_CHANNELS})"
)


def _read_csv_frames(path):
    """Read a recording: one frame per line, comma-separated numbers.

    Parameters
    ----------
    path : path-like
        The text file. Blank lines are skipped; line numbers in errors count
        them.

    Returns
    -------
    frames : ndarray of shape (n_frames, n_channels), dtype float64
        At least one frame.

    Raises
    ------
    ValueError
        When the file is empty, a line has another number of values than the
        first, or a value is not a finite number; the message names the file
        and line.
    """
    return parse_frames(path, read_lines(path, _CSV_LAYOUT), ",", _CSV_LAYOUT)


def _ground_truth_ints(path, lineno, text, counts, what):
    """The integers on a ground-truth line, checked to number one of ``counts``."""
    try:
        values = [int(v) for v in text.split()]
    except ValueError:
        values = []
    if len(values) not in counts:
        raise file_error(path, f"found {text!r}, not {what}", _GROUND_TRUTH_LAYOUT, lineno)
    return values


def _parse_subject86_ground_truth(path):
    """[(action, end_frame, (earliest, latest) or None)] from a subject-86 ground-truth file.

    The file gives the number of segments, then per segment a line
    ``index name`` and a line ``earliest best latest`` (1-based transition
    frames out of the segment); the last segment has one number, its end
    (its window is then None). Errors name the file, the line and this layout.
    """
    (first, head), *body = read_lines(path, _GROUND_TRUTH_LAYOUT)
    (n_segments,) = _ground_truth_ints(path, first, head, (1,), "the number of segments")
    if n_segments < 1 or len(body) != 2 * n_segments:
        raise file_error(
            path,
            f"line {first} announces {n_segments} segments (two lines each), but "
            f"{len(body)} lines follow",
            _GROUND_TRUTH_LAYOUT,
        )
    segments = []
    for i in range(n_segments):
        (name_lineno, name_line), (frames_lineno, frames_line) = body[2 * i : 2 * i + 2]
        index, _, name = name_line.partition(" ")
        if not (index.isdigit() and name.strip()):
            raise file_error(
                path,
                f"found {name_line!r}, not '<index> <name>'",
                _GROUND_TRUTH_LAYOUT,
                name_lineno,
            )
        # Only the last segment may give its end frame alone.
        counts = (1, 3) if i == n_segments - 1 else (3,)
        frames = _ground_truth_ints(
            path, frames_lineno, frames_line, counts, "'<earliest> <best> <latest>' frames"
        )
        best = frames[1] if len(frames) == 3 else frames[0]
        previous = segments[-1][1] if segments else 1
        if best < previous:  # segments would overlap, or start before the recording
            raise file_error(
                path,
                f"transition frame {best} comes before {previous}",
                "transition frames >= 1, in increasing order",
                frames_lineno,
            )
        window = (frames[0], frames[2]) if len(frames) == 3 else None
        segments.append((_normalise_action(name), best, window))
    return segments


def _segment_labels(segments, n_frames):
    """(label index of each frame, action names) of parsed subject-86 ``segments``.

    Each segment runs from the previous one's best transition frame to its
    own; frames after the last transition belong to the last segment.
    """
    names = []
    y = np.empty(n_frames, dtype=np.int64)
    start = 0
    for i, (name, end, _) in enumerate(segments):
        if name not in names:
            names.append(name)
        # 1-based transition frame `end` -> 0-based frames [start, end).
        stop = n_frames if i == len(segments) - 1 else min(max(end, start), n_frames)
        y[start:stop] = names.index(name)
        start = stop
    return y, names


def _transition_windows(segments, n_frames):
    """Frames ``[start, stop)`` around each transition where either action is accepted."""
    # Every segment but the last (which ends the recording) gives its window,
    # 1-based and inclusive.
    windows = [
        (min(earliest - 1, n_frames), min(latest, n_frames))
        for _, _, (earliest, latest) in segments[:-1]
    ]
    return np.asarray(windows, dtype=np.int64).reshape(-1, 2)


def _read_expmap(path):
    """The ``expmapchannels`` array, (n_frames, 96), of a subject-86 ``.mat`` file."""
    X, _ = read_mat_array(path, _EXPMAP_KEY, n_channels=_N_EXPMAP_CHANNELS, layout=_MAT_LAYOUT)
    return X


def load_cmu_subject86(trial, data_home=None, *, return_X_y=False):
    """Load one subject-86 CMU recording with per-frame action labels.

    Subject 86's trials are long recordings in which one person performs a
    series of actions (walk, punch, jump, ...); the ground truth marks the
    transition frames between them. Each segment runs from the previous
    segment's *best* transition frame to its own; frames after the last
    transition belong to the last segment. Names spelled two ways
    (``walk``/``walking``, ``punch``/``punching``, ``leg_kick``/``leg_kicking``)
    are one action. The files are read from
    ``<data_home>/cmu_mocap/subject86/`` (they are not downloaded).

    Parameters
    ----------
    trial : int or str
        Trial number, e.g. ``1`` or ``"01"`` (files ``01.mat`` and
        ``01_ground_truth.txt``).
    data_home : str or path-like, default=None
        The data home, the folder holding ``cmu_mocap/``. None means the
        ``SKSEQ2SEQ_DATA`` environment variable if set, else
        ``~/skseq2seq_data`` (see :func:`get_data_home`).
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data``: ndarray of shape (n_frames, 96), exponential-map joint
        angles (key ``expmapchannels``; some channels are constant);
        ``target``: ndarray of shape (n_frames,), dtype int64, the action of
        each frame, an index into ``target_names``; ``target_names``: ndarray
        of the distinct action names, in order of first appearance; ``fps``:
        frames per second (120); ``transition_windows``: ndarray of shape
        (n_transitions, 2), per transition the frames ``[start, stop)`` from
        its earliest to its latest acceptable frame, where the annotators
        accept either action (the labels cut at the best frame, inside);
        ``filenames``: the ``.mat`` and ground-truth files read.
    (data, target) : tuple
        When ``return_X_y`` is True.

    Raises
    ------
    FileNotFoundError
        When ``data_home`` has no ``cmu_mocap/subject86/`` folder or the
        trial's files are missing.
    ValueError
        When the ``.mat`` file has no numeric ``expmapchannels`` array of
        shape (n_frames, 96), or the ground-truth file is malformed; the
        message names the file (and line) and the layout expected.

    Examples
    --------
    >>> from skseq2seq.datasets import load_cmu_subject86
    >>> trial = load_cmu_subject86(1, data_home="/data")  # doctest: +SKIP
    >>> trial.data.shape, trial.target_names.tolist(), trial.fps  # doctest: +SKIP
    ((4579, 96), ['walk', 'jump_forward', 'punch', 'leg_kick'], 120)
    """
    folder = _cmu_folder(data_home, "subject86")
    stem = f"{int(trial):02d}" if str(trial).isdigit() else str(trial)
    mat_path = folder / f"{stem}.mat"
    truth_path = folder / f"{stem}_ground_truth.txt"
    for path in (mat_path, truth_path):
        if not path.is_file():
            raise FileNotFoundError(f"Trial {trial!r}: file {path} not found.")
    X = _read_expmap(mat_path)
    segments = _parse_subject86_ground_truth(truth_path)
    y, names = _segment_labels(segments, len(X))
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        target_names=np.asarray(names),
        fps=_SUBJECT86_FPS,
        transition_windows=_transition_windows(segments, len(X)),
        filenames=[str(mat_path), str(truth_path)],
    )


def _action_files(folder):
    """The recordings ``<action>_<i>.txt`` of one action folder, by number; not none."""
    paths = sorted(folder.glob(f"{folder.name}_*.txt"), key=natural_key)
    if not paths:
        raise FileNotFoundError(
            f"No recordings in {folder}; expected files named '{folder.name}_<i>.txt' "
            f"({_CSV_LAYOUT})."
        )
    return paths


def load_action_recordings(folder, *, return_X_y=False):
    """Load recordings laid out as ``<folder>/<action>/<action>_<i>.txt``.

    The layout of the CMU action recordings (:func:`load_cmu_actions`), for
    data of one's own: one subfolder per action, each file a CSV with one
    frame per line. Actions are sorted by name, recordings by their number;
    hidden subfolders are skipped.

    Parameters
    ----------
    folder : str or path-like
        The folder holding one subfolder per action.
    return_X_y : bool, default=False
        Return ``(recordings, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``recordings``: list of float64 arrays of shape (n_frames_i,
        n_channels); ``target``: ndarray of shape (n_recordings,), action
        index of each recording; ``target_names``: action names, in index
        order; ``filenames``: path of each recording.
    (recordings, target) : tuple
        When ``return_X_y`` is True.

    Raises
    ------
    FileNotFoundError
        When ``folder`` does not exist, has no action subfolders, or an
        action subfolder has no ``<action>_<i>.txt`` recordings.
    ValueError
        When a recording is not one frame per line of comma-separated numbers
        (the message names the file and line), or recordings differ in their
        number of channels.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skseq2seq.datasets import load_action_recordings
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "wave").mkdir()
    >>> _ = (folder / "wave" / "wave_1.txt").write_text("0.1,0.2\\n0.3,0.4\\n")
    >>> data = load_action_recordings(folder)
    >>> data.recordings[0].shape, data.target_names.tolist()
    ((2, 2), ['wave'])
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(
            f"No folder '{folder.name}' in {folder.parent}; expected "
            f"{folder}/<action>/<action>_<i>.txt files."
        )
    # Hidden folders (.ipynb_checkpoints, ...) are not actions.
    actions = sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not actions:
        raise FileNotFoundError(
            f"No action folders in {folder}; expected <action>/<action>_<i>.txt files there."
        )
    recordings, target, filenames = [], [], []
    for index, action in enumerate(actions):
        for path in _action_files(folder / action):
            recordings.append(_read_csv_frames(path))
            target.append(index)
            filenames.append(str(path))
    check_same_channels(recordings, filenames)
    target = np.asarray(target, dtype=np.int64)
    if return_X_y:
        return recordings, target
    return Bunch(
        recordings=recordings,
        target=target,
        target_names=np.asarray(actions),
        filenames=filenames,
    )


def load_cmu_actions(data_home=None, *, return_X_y=False):
    """Load the CMU action recordings (7 actions, 32 recordings, 117 channels).

    The files are read from ``<data_home>/cmu_mocap/actions/<action>/<action>_<i>.txt``
    (where :func:`fetch_cmu_actions` downloads them), each a CSV with one
    frame per line (exponential-map joint angles and root position, as
    published by Li et al. 2018 and clustered by Su & Shlizerman 2020).
    Actions are sorted by name, recordings by their number.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The data home, the folder holding ``cmu_mocap/``. None means the
        ``SKSEQ2SEQ_DATA`` environment variable if set, else
        ``~/skseq2seq_data`` (see :func:`get_data_home`).
    return_X_y : bool, default=False
        Return ``(recordings, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``recordings``: list of float64 arrays of shape (T_i, 117);
        ``target``: ndarray of shape (n_recordings,), action index of each
        recording; ``target_names``: action names, in index order;
        ``filenames``: path of each recording.
    (recordings, target) : tuple
        When ``return_X_y`` is True.

    Raises
    ------
    FileNotFoundError
        When ``data_home`` has no ``cmu_mocap/actions/`` folder, it has no
        action subfolders, or an action subfolder has no
        ``<action>_<i>.txt`` recordings.
    ValueError
        When a recording is not one frame per line of comma-separated numbers
        (the message names the file and line), or recordings differ in their
        number of channels.

    See Also
    --------
    load_action_recordings : The same layout, in any folder.

    Examples
    --------
    >>> from skseq2seq.datasets import load_cmu_actions
    >>> recordings, y = load_cmu_actions("/data", return_X_y=True)  # doctest: +SKIP
    >>> len(recordings), recordings[0].shape[1]  # doctest: +SKIP
    (32, 117)
    """
    hint = " fetch_cmu_actions(data_home) downloads the recordings there."
    folder = _cmu_folder(data_home, "actions", hint)
    return load_action_recordings(folder, return_X_y=return_X_y)
