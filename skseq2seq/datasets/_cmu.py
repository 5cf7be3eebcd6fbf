"""Loaders for the CMU motion-capture recordings used by Su & Shlizerman 2020.

The files are not downloaded: pass ``data_home``, the folder that holds
``subject86/`` (e.g. ``.../data/cmu_mocap``), or set the environment variable
``SKSEQ2SEQ_CMU_DATA``.
"""

import os
import re
from pathlib import Path

import numpy as np

__all__ = ["load_cmu_actions", "load_cmu_subject86"]

_ENV_DATA_HOME = "SKSEQ2SEQ_CMU_DATA"

# Spellings that name the same action in the subject-86 ground truth.
_ACTION_ALIASES = {
    "walking": "walk",
    "punching": "punch",
    "leg_kicking": "leg_kick",
}


def _resolve_data_home(data_home, subfolder):
    """The folder ``data_home/subfolder``, checked to exist.

    ``data_home=None`` reads the ``SKSEQ2SEQ_CMU_DATA`` environment variable.
    """
    if data_home is None:
        data_home = os.environ.get(_ENV_DATA_HOME)
        if data_home is None:
            raise ValueError(
                "data_home is required (the folder containing "
                f"'{subfolder}/'), or set the {_ENV_DATA_HOME} environment variable."
            )
    folder = Path(data_home).expanduser() / subfolder
    if not folder.is_dir():
        raise FileNotFoundError(
            f"No folder '{subfolder}' in data_home={str(data_home)!r}; data_home must be "
            f"the folder containing '{subfolder}/'."
        )
    return folder


def _normalise_action(name):
    name = name.strip().lower()
    return _ACTION_ALIASES.get(name, name)


def _parse_subject86_ground_truth(path):
    """[(action, end_frame)] from a subject-86 ground-truth file.

    The file gives the number of segments, then per segment a line
    ``index name`` and a line ``earliest best latest`` (1-based transition
    frames out of the segment); the last segment has one number, its end.
    """
    lines = [ln.strip() for ln in Path(path).read_text().splitlines() if ln.strip()]
    n_segments = int(lines[0])
    body = lines[1:]
    if len(body) < 2 * n_segments:
        raise ValueError(
            f"{path}: expected {n_segments} segments (two lines each), "
            f"found {len(body)} lines."
        )
    segments = []
    for i in range(n_segments):
        head = body[2 * i].split(maxsplit=1)
        if len(head) != 2:
            raise ValueError(f"{path}: malformed segment line {body[2 * i]!r}.")
        frames = [int(v) for v in re.split(r"\s+", body[2 * i + 1])]
        best = frames[1] if len(frames) >= 3 else frames[0]
        segments.append((_normalise_action(head[1]), best))
    return segments


def load_cmu_subject86(trial, data_home=None):
    """Load one subject-86 CMU recording with per-frame action labels.

    Subject 86's trials are long recordings in which one person performs a
    series of actions (walk, punch, jump, ...); the ground truth marks the
    transition frames between them. Each segment runs from the previous
    segment's *best* transition frame to its own; frames after the last
    transition belong to the last segment. Names spelled two ways
    (``walk``/``walking``, ``punch``/``punching``, ``leg_kick``/``leg_kicking``)
    are one action.

    Parameters
    ----------
    trial : int or str
        Trial number, e.g. ``1`` or ``"01"`` (files ``01.mat`` and
        ``01_ground_truth.txt``).
    data_home : str or path-like, default=None
        Folder containing ``subject86/``. None reads the
        ``SKSEQ2SEQ_CMU_DATA`` environment variable.

    Returns
    -------
    X : ndarray of shape (n_frames, 96)
        Exponential-map joint angles (key ``expmapchannels``), 120 frames per
        second; some channels are constant.
    y : ndarray of shape (n_frames,), dtype int64
        Action of each frame, an index into ``names``.
    names : list of str
        Distinct action names, in order of first appearance.

    Raises
    ------
    FileNotFoundError
        When ``data_home`` has no ``subject86/`` folder or the trial's files
        are missing.

    Examples
    --------
    >>> from skseq2seq.datasets import load_cmu_subject86
    >>> X, y, names = load_cmu_subject86(1, data_home="/data/cmu_mocap")  # doctest: +SKIP
    >>> X.shape, names  # doctest: +SKIP
    ((4579, 96), ['walk', 'jump_forward', 'punch', 'leg_kick'])
    """
    from scipy.io import loadmat

    folder = _resolve_data_home(data_home, "subject86")
    stem = f"{int(trial):02d}" if str(trial).isdigit() else str(trial)
    mat_path = folder / f"{stem}.mat"
    truth_path = folder / f"{stem}_ground_truth.txt"
    for path in (mat_path, truth_path):
        if not path.is_file():
            raise FileNotFoundError(f"Trial {trial!r}: file {path} not found.")
    X = np.asarray(loadmat(mat_path)["expmapchannels"], dtype=np.float64)
    segments = _parse_subject86_ground_truth(truth_path)

    names = []
    y = np.empty(len(X), dtype=np.int64)
    start = 0
    for i, (name, end) in enumerate(segments):
        if name not in names:
            names.append(name)
        # 1-based transition frame `end` -> 0-based frames [start, end).
        stop = len(X) if i == len(segments) - 1 else min(max(end, start), len(X))
        y[start:stop] = names.index(name)
        start = stop
    return X, y, names


def _natural_key(path):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.name)]


def load_cmu_actions(data_home=None, *, return_X_y=False):
    """Load the CMU action recordings (7 actions, 32 recordings, 117 channels).

    The layout is ``actions/<action>/<action>_<i>.txt``, each file a CSV with
    one frame per line (exponential-map joint angles and root position, as
    published by Li et al. 2018 and clustered by Su & Shlizerman 2020).
    Actions are sorted by name, recordings by their number.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The folder containing ``actions/`` (e.g. ``.../data/cmu_mocap``), as
        for :func:`load_cmu_subject86`; the ``actions`` folder itself is
        accepted too. None reads the ``SKSEQ2SEQ_CMU_DATA`` environment
        variable.
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
        When no ``actions/`` folder (with action subfolders) is found.

    Examples
    --------
    >>> from skseq2seq.datasets import load_cmu_actions
    >>> recordings, y = load_cmu_actions("/data/cmu_mocap", return_X_y=True)  # doctest: +SKIP
    >>> len(recordings), recordings[0].shape[1]  # doctest: +SKIP
    (32, 117)
    """
    from sklearn.utils import Bunch

    if data_home is not None and Path(data_home).name == "actions" and Path(data_home).is_dir():
        folder = Path(data_home)
    else:
        folder = _resolve_data_home(data_home, "actions")
    actions = sorted(p.name for p in folder.iterdir() if p.is_dir())
    if not actions:
        raise FileNotFoundError(f"No action folders in {folder}.")
    recordings, target, filenames = [], [], []
    for index, action in enumerate(actions):
        for path in sorted((folder / action).glob(f"{action}_*.txt"), key=_natural_key):
            recordings.append(np.loadtxt(path, delimiter=",", dtype=np.float64, ndmin=2))
            target.append(index)
            filenames.append(str(path))
    target = np.asarray(target, dtype=np.int64)
    if return_X_y:
        return recordings, target
    return Bunch(
        recordings=recordings, target=target, target_names=np.asarray(actions),
        filenames=filenames,
    )
