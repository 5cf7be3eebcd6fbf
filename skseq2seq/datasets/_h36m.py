"""Loader for Human3.6M motion capture in exponential-map text files.

The layout is the one of the usual human-motion-prediction release:
``<data_home>/h36m/S<n>/<action>_<trial>.txt``, one frame per line, 99
comma-separated values (root position, then exponential-map joint angles),
25 frames per second (every other frame of the 50 fps capture).
"""

import re

import numpy as np
from sklearn.utils import Bunch

from ..io._common import check_same_channels
from ._base import _data_home_path
from ._cmu import _read_csv_frames

__all__ = ["H36M_ACTIONS", "load_h36m"]

H36M_ACTIONS = (
    "directions",
    "discussion",
    "eating",
    "greeting",
    "phoning",
    "posing",
    "purchases",
    "sitting",
    "sittingdown",
    "smoking",
    "takingphoto",
    "waiting",
    "walking",
    "walkingdog",
    "walkingtogether",
)
_H36M_FPS = 25
_FILE = re.compile(r"^([a-z]+)_(\d+)\.txt$")


def _subject_names(folder, subjects):
    """Subject folders to read, as ``S<n>`` names, checked to exist."""
    found = sorted(
        (p.name for p in folder.iterdir() if p.is_dir() and re.fullmatch(r"S\d+", p.name)),
        key=lambda name: int(name[1:]),
    )
    if subjects is None:
        if not found:
            raise FileNotFoundError(f"No subject folders S<n> in {folder}.")
        return found
    names = [f"S{s}" if str(s).isdigit() else str(s) for s in subjects]
    missing = [name for name in names if name not in found]
    if missing:
        raise FileNotFoundError(
            f"No folder {folder / missing[0]}; subjects here: {', '.join(found) or 'none'}."
        )
    return names


def load_h36m(subjects=None, actions=None, data_home=None, *, return_X_y=False):
    """Load Human3.6M recordings (exponential maps, 25 fps) with their actions.

    Different people perform 15 loosely defined everyday actions (walking,
    eating, phoning, ...), two trials each: the hardest of the package's
    datasets to cluster by action. The files are read from
    ``<data_home>/h36m/S<n>/<action>_<trial>.txt`` (they are not
    downloaded); a missing file (a few trials of S7) is skipped.

    Parameters
    ----------
    subjects : list of int or str, default=None
        Subjects to load, e.g. ``[1, 6]`` or ``["S1", "S6"]``; None loads
        every ``S<n>`` folder.
    actions : list of str, default=None
        Actions to load, a subset of ``H36M_ACTIONS``; None loads all.
    data_home : str or path-like, default=None
        The data home, the folder holding ``h36m/``. None means the
        ``SKSEQ2SEQ_DATA`` environment variable if set, else
        ``~/skseq2seq_data`` (see :func:`get_data_home`).
    return_X_y : bool, default=False
        Return ``(recordings, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``recordings``: list of float64 arrays of shape (n_frames_i, 99);
        ``target``: ndarray of shape (n_recordings,), the action of each
        recording, an index into ``target_names``; ``target_names``: the
        actions loaded, in ``H36M_ACTIONS`` order; ``subjects``: ndarray
        of the subject (``"S1"``, ...) of each recording; ``trials``: the
        trial number of each recording; ``fps``: 25; ``filenames``.
    (recordings, target) : tuple
        When ``return_X_y`` is True.

    Raises
    ------
    FileNotFoundError
        When ``data_home`` has no ``h36m/`` folder, a subject asked for has
        no folder, or nothing was found to load.
    ValueError
        When an action is unknown, or a file is not one frame per line of
        comma-separated numbers (the message names the file and line).

    Examples
    --------
    >>> from skseq2seq.datasets import load_h36m
    >>> h36m = load_h36m(subjects=[1], actions=["walking"])  # doctest: +SKIP
    >>> len(h36m.recordings), h36m.recordings[0].shape[1], h36m.fps  # doctest: +SKIP
    (2, 99, 25)
    """
    unknown = sorted(set(actions or ()) - set(H36M_ACTIONS))
    if unknown:
        raise ValueError(
            f"Unknown Human3.6M action {unknown[0]!r}; the actions are {', '.join(H36M_ACTIONS)}."
        )
    folder = _data_home_path(data_home) / "h36m"
    if not folder.is_dir():
        raise FileNotFoundError(
            f"No folder {folder}; expected h36m/S<n>/<action>_<trial>.txt files in the data "
            "home (data_home or the SKSEQ2SEQ_DATA environment variable)."
        )
    wanted = [a for a in H36M_ACTIONS if actions is None or a in actions]
    recordings, target, subject_of, trials, filenames = [], [], [], [], []
    for subject in _subject_names(folder, subjects):
        files = {}
        for path in (folder / subject).iterdir():
            match = _FILE.match(path.name)
            if not match:
                continue
            action, trial = match.group(1), int(match.group(2))
            if action not in H36M_ACTIONS:
                raise ValueError(
                    f"{path}: {action!r} is not a Human3.6M action; expected "
                    f"<action>_<trial>.txt with one of {', '.join(H36M_ACTIONS)}."
                )
            if action in wanted:
                files[wanted.index(action), trial] = path
        for (index, trial), path in sorted(files.items()):
            recordings.append(_read_csv_frames(path))
            target.append(index)
            subject_of.append(subject)
            trials.append(trial)
            filenames.append(str(path))
    if not recordings:
        raise FileNotFoundError(f"No <action>_<trial>.txt recordings to load in {folder}.")
    check_same_channels(recordings, filenames)
    # Only the actions present are named, so that target indexes target_names.
    present = sorted(set(target))
    target = np.searchsorted(present, target).astype(np.int64)
    if return_X_y:
        return recordings, target
    return Bunch(
        recordings=recordings,
        target=target,
        target_names=np.asarray([wanted[i] for i in present]),
        subjects=np.asarray(subject_of),
        trials=np.asarray(trials, dtype=np.int64),
        fps=_H36M_FPS,
        filenames=filenames,
    )
