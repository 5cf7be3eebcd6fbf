"""The commands' files: motion files read, outputs checked before training and written after."""

import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Key of the dict a saved model file holds (beside the estimator: the window
# geometry, frame rate and preprocessing it was trained with).
_MODEL_KEY = "skseq2seq_command_line_model"


def note(message):
    """One line for the user on stderr (stdout holds the results)."""
    print(f"note: {message}", file=sys.stderr, flush=True)


@dataclass
class Recordings:
    """Motion files read: ``frames[i]`` of shape (n_frames, n_channels) from ``filenames[i]``."""

    frames: list
    filenames: list
    fps: list  # each file's frames per second, None where unknown
    read_lengths: list = None  # each file's number of frames as read, before resampling
    preprocessing: dict = None  # make_motion_preprocessor's parameters they went through
    channel_names: list = None  # the first file's channels, as prepared

    def common_fps(self):
        """The frame rate of every file, or None when unknown or they differ."""
        rates = set(self.fps)
        return rates.pop() if len(rates) == 1 else None


def read_recordings(paths, fps=None, preprocessing=None):
    """Read motion files and folders of them (the one place the commands read motion).

    ``fps`` overrides the files' frame rates. Euler rotations become
    exponential maps, then every file goes through
    :func:`~skseq2seq.preprocessing.make_motion_preprocessor` with
    ``preprocessing`` (its parameters; None: its defaults): files with a
    skeleton or markers are prepared, tables and arrays pass unchanged.
    Raises, naming the file, for a missing or malformed file, channels that
    differ between files, or missing values.
    """
    from ..io import load_folder, read_motion
    from ..preprocessing import make_motion_preprocessor

    preprocessing = preprocessing or {}
    preprocess = make_motion_preprocessor(**preprocessing)
    # its last step (to arrays) drops the channel names: kept from the step before
    prepare, to_arrays = preprocess[:-1], preprocess[-1]
    frames, filenames, rates, read_lengths, channel_names = [], [], [], [], None
    for path in map(Path, paths):
        if path.is_dir():
            data = load_folder(path, fps=fps, rotations="expmap")
            read = [len(x) for x in data.recordings]
            filenames += data.filenames
            rates += [None if np.isnan(rate) else float(rate) for rate in data.fps]
            prepared = prepare.fit_transform(data)
            names = prepared.channel_names
        elif path.exists():
            motion = read_motion(path, fps=fps, rotations="expmap")
            read = [len(motion.data)]
            filenames.append(str(path))
            rates.append(motion.fps)
            prepared = prepare.fit_transform([motion])
            names = prepared[0].channel_names
        else:
            raise FileNotFoundError(f"No file or folder {path}")
        frames += to_arrays.transform(prepared)
        read_lengths += read
        if channel_names is None:
            channel_names = [str(name) for name in names]
    if preprocessing.get("fps") is not None:  # resampled: every file is at the new rate
        rates = [float(preprocessing["fps"])] * len(frames)
    for data, name in zip(frames, filenames):
        if data.shape[1] != frames[0].shape[1]:
            raise ValueError(
                f"{name} has {data.shape[1]} channels, but {filenames[0]} has "
                f"{frames[0].shape[1]}: all files must have the same channels"
            )
        if not np.isfinite(data).all():
            raise ValueError(
                f"{name} has missing values (NaN, e.g. markers lost by the cameras); fill "
                "the gaps (e.g. interpolate) first"
            )
    return Recordings(frames, filenames, rates, read_lengths, preprocessing, channel_names)


def output_file(path, option):
    """``path`` checked to be writable (its folder is created later), or None."""
    if path is None:
        return None
    path = Path(path)
    if path.is_dir():
        raise OSError(f"{option} {path}: is a folder; expected a file name")
    existing = next(p for p in path.absolute().parents if p.exists())
    if not existing.is_dir():
        raise OSError(f"{option} {path}: {existing} is an existing file, not a folder")
    if not os.access(existing, os.W_OK):
        raise OSError(f"{option} {path}: {existing} is not writable")
    return path


def plot_file(path, option="--plot"):
    """An output file for a figure, checked as :func:`output_file`, with matplotlib installed."""
    if path is not None and importlib.util.find_spec("matplotlib") is None:
        raise OSError(
            f"{option} {path}: the plot needs matplotlib; install it with "
            "pip install 'skseq2seq[plot]'"
        )
    return output_file(path, option)


def check_not_inputs(outputs, inputs):
    """Raise when an output (``{option: path}``) would overwrite an input or another output."""
    seen = {}
    for name in inputs:
        seen.setdefault(os.path.realpath(name), f"the input {name}")
    for option, path in outputs.items():
        if path is None:
            continue
        real = os.path.realpath(path)
        if real in seen:
            raise ValueError(f"{option} {path} would overwrite {seen[real]}; name another file")
        seen[real] = option


def write_csv(path, header, rows):
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def save_figure(figure, path):
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(figure)
    print(f"Plot: {path}")


@dataclass
class SavedModel:
    """A fitted estimator and the inputs it was trained on (None where unknown)."""

    estimator: object
    fps: float = None
    window: int = None
    stride: int = None
    preprocessing: dict = None  # make_motion_preprocessor's parameters


def save_model(saved, path):
    import joblib

    path.parent.mkdir(parents=True, exist_ok=True)
    # A dict of plain values, so the file does not depend on this module's classes.
    joblib.dump({_MODEL_KEY: 1, **vars(saved)}, path)
    print(f"Model saved: {path}")


def load_model(path, kind):
    """The :class:`SavedModel` of ``--model`` (or of a bare fitted estimator), checked."""
    import joblib
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    try:
        content = joblib.load(path)
    except FileNotFoundError:
        raise FileNotFoundError(f"--model {path}: no such file") from None
    except Exception as exc:  # unpickling reports anything from a wrong file
        raise ValueError(f"--model {path}: not a saved model ({exc})") from None
    if isinstance(content, dict) and _MODEL_KEY in content:
        fields = {name: content.get(name) for name in SavedModel.__dataclass_fields__}
        saved = SavedModel(**fields)
    else:  # an estimator saved from Python
        saved = SavedModel(content)
    if not isinstance(saved.estimator, kind):
        raise ValueError(
            f"--model {path}: holds a {type(saved.estimator).__name__}, expected a fitted "
            f"{kind.__name__}"
        )
    try:
        check_is_fitted(saved.estimator)
    except NotFittedError:
        raise ValueError(f"--model {path}: the {kind.__name__} was never fitted") from None
    return saved
