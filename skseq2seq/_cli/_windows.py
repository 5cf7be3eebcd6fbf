"""Windows of motion files, the samples of ``cluster`` and ``compare``."""

from dataclasses import dataclass

import numpy as np

from . import _preprocessing
from ._files import Recordings, read_recordings

WIDTH, STRIDE = 50, 10  # default frames per window and between window starts


@dataclass
class Windows:
    """Equal-length windows cut from ``recordings``."""

    windows: np.ndarray  # (n_windows, width, n_channels)
    groups: np.ndarray  # each window's file, an index into recordings.filenames
    starts: np.ndarray  # each window's first frame in its file
    recordings: Recordings
    width: int
    stride: int
    notes: list  # for the user, once every check has passed

    def times(self):
        """(start, stop) of each window in seconds, or None when a file's frame rate is unknown."""
        if any(rate is None for rate in self.recordings.fps):
            return None
        rates = np.asarray(self.recordings.fps, dtype=float)[self.groups]
        return self.starts / rates, (self.starts + self.width) / rates


def check_long_enough(frames, filenames, width, advice=""):
    """Raise, naming each file and its length, when a recording is shorter than a window."""
    short = [f"{name} ({len(f)} frames)" for f, name in zip(frames, filenames) if len(f) < width]
    if short:
        raise ValueError(
            f"{len(short)} recording(s) shorter than the {width}-frame window: "
            f"{', '.join(short)}{advice}"
        )


def _length(value, option, stored, default, fps):
    if value is None:
        return default if stored is None else stored
    frames = value.frames(fps, option)
    if stored is not None and frames != stored and option == "--window":
        raise ValueError(
            f"--window {value.text} is {frames} frames, but the saved model was trained on "
            f"{stored}-frame windows; leave --window out to use them"
        )
    return frames


def read_windows(args, saved=None):
    """The :class:`Windows` of ``args.paths`` (with a saved model's geometry and preprocessing)."""
    stored = saved.preprocessing if saved is not None else None
    recordings = read_recordings(args.paths, args.fps, _preprocessing.settings(args, stored))
    notes = []
    if saved is not None and saved.fps is not None:
        for name, rate in zip(recordings.filenames, recordings.fps):
            if rate is not None and rate != saved.fps:
                raise ValueError(
                    f"--model {args.model}: trained at {saved.fps:g} fps, but {name} is at "
                    f"{rate:g} fps"
                )
        if None in recordings.fps:
            notes.append(f"frame rate from the saved model: {saved.fps:g} fps")
            recordings.fps = [saved.fps] * len(recordings.fps)
    fps = recordings.common_fps()
    width = _length(args.window, "--window", saved and saved.window, WIDTH, fps)
    stride = _length(args.stride, "--stride", saved and saved.stride, STRIDE, fps)
    if saved is not None and saved.window is not None and args.window is None:
        notes.append(f"the saved model's windows: {width} frames, stride {stride}")
    check_long_enough(recordings.frames, recordings.filenames, width, "; use a smaller --window")
    from ..datasets import sliding_windows

    windows, groups = sliding_windows(recordings.frames, width, stride, return_groups=True)
    starts = np.concatenate([np.arange(0, len(r) - width + 1, stride) for r in recordings.frames])
    return Windows(windows, groups, starts, recordings, width, stride, notes)
