"""The ``forecast`` command: train on one recording, write the frames that follow it.

``python -m skseq2seq forecast FILE --observed 2s --horizon 1s --out future.csv
[--plot forecast.png]`` fits a :class:`~skseq2seq.Seq2SeqForecaster` on
windows of ``observed + horizon`` frames of FILE, then forecasts the
``horizon`` frames after its end from its last ``observed`` frames.

``add_arguments`` fills the command's parser; ``prepare`` checks the
arguments and reads the file (errors: ``ValueError``/``OSError``, before any
training); ``run`` trains, forecasts and writes.
"""

import csv
import importlib.util
import os
from pathlib import Path

import numpy as np

from ._forecaster import Seq2SeqForecaster, duration_frames
from ._validation import check_device

__all__ = ["add_arguments", "prepare", "run"]

# Channels drawn by --plot: those that move most in the observed frames.
N_PLOTTED = 3


def add_arguments(parser):
    """Add the ``forecast`` command's arguments to an ``argparse`` parser."""
    parser.add_argument("file", metavar="FILE", help="one motion file (.bvh, .csv, .npy, ...)")
    parser.add_argument(
        "--observed", default="2s", help="frames read before each forecast: frames or a "
        "duration such as 2s (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--horizon", default="1s", help="frames forecast: frames or a duration such as "
        "400ms (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument("--fps", type=float, help="frames per second (default: the file's)")
    parser.add_argument("--out", required=True, help="the CSV file written: the forecast frames")
    parser.add_argument(
        "--plot", help="save a PNG of observed and forecast frames of a few channels"
    )
    parser.add_argument(
        "--stride", type=int, help="frames between training windows (default: the horizon)"
    )
    parser.add_argument("--device", default="auto", help="torch device (default: %(default)s)")
    parser.add_argument("--epochs", type=int, help="most training epochs (default: 30)")
    parser.add_argument("--hidden-size", type=int, help="size of the GRU states (default: 128)")
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--verbose", action="store_true", help="show training progress")


def _writable(path, option):
    """``path`` as a Path whose folder exists or can be made, or an OSError."""
    path = Path(path)
    if path.is_dir():
        raise OSError(f"{option} {path}: is a folder; expected a file name")
    existing = next(p for p in path.absolute().parents if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK):
        raise OSError(f"{option} {path}: cannot write in {existing}")
    return path


def prepare(args):
    """Check the arguments and read the file, before any training.

    Returns
    -------
    inputs : dict
        ``frames``, ``channel_names``, ``fps``, ``observed``, ``horizon``
        (frames), ``out``, ``plot`` (Paths or None) and ``model`` (the
        unfitted forecaster).
    """
    from .io import read_motion

    out = _writable(args.out, "--out")
    plot = None if args.plot is None else _writable(args.plot, "--plot")
    if plot is not None and importlib.util.find_spec("matplotlib") is None:
        raise OSError(f"--plot {plot}: the plot needs matplotlib (pip install matplotlib)")
    check_device(args.device)
    for option in ("stride", "epochs", "hidden_size"):
        value = getattr(args, option)
        if value is not None and value < 1:
            raise ValueError(f"--{option.replace('_', '-')} {value}: must be at least 1")
    if not Path(args.file).is_file():
        raise FileNotFoundError(f"No file {args.file}")
    motion = read_motion(args.file, rotations="expmap")
    fps = args.fps or motion.fps
    observed = duration_frames(args.observed, fps, "--observed")
    horizon = duration_frames(args.horizon, fps, "--horizon")
    frames = motion.data
    if not np.isfinite(frames).all():
        raise ValueError(f"{args.file} has missing values (NaN); fill the gaps first")
    if len(frames) < observed + horizon:
        raise ValueError(
            f"{args.file} has {len(frames)} frames; training needs at least --observed + "
            f"--horizon = {observed + horizon}"
        )
    params = {"device": args.device, "verbose": int(args.verbose)}
    if args.epochs is not None:
        params["max_epochs"] = args.epochs
    if args.hidden_size is not None:
        params["hidden_size"] = args.hidden_size
    model = Seq2SeqForecaster(
        horizon=horizon,
        observed=observed,
        stride=args.stride,
        random_state=args.random_state,
        **params,
    )
    return {
        "frames": frames,
        "channel_names": [str(name) for name in motion.channel_names],
        "fps": fps,
        "observed": observed,
        "horizon": horizon,
        "out": out,
        "plot": plot,
        "model": model,
    }


def run(args, inputs=None):
    """Train on the file, forecast the frames after its end, write them (and the plot).

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments (see :func:`add_arguments`).
    inputs : dict, default=None
        :func:`prepare`'s result; None prepares here.

    Returns
    -------
    future : ndarray of shape (horizon, n_channels)
        The forecast frames, as written to ``--out``.
    """
    if inputs is None:
        inputs = prepare(args)
    frames, fps, n = inputs["frames"], inputs["fps"], len(inputs["frames"])
    model = inputs["model"].fit([frames])
    future = model.predict(frames[None, -inputs["observed"] :])[0]
    index = np.arange(n, n + inputs["horizon"])
    inputs["out"].parent.mkdir(parents=True, exist_ok=True)
    with open(inputs["out"], "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["frame", "time", *inputs["channel_names"]])
        for i, row in zip(index, future):
            time = "" if fps is None else round(i / fps, 6)
            writer.writerow([i, time, *(float(v) for v in row)])
    print(
        f"{inputs['horizon']} frames forecast after the {n} of {args.file} "
        f"(trained on {model.n_windows_} windows, {model.n_epochs_} epochs): {inputs['out']}"
    )
    if inputs["plot"] is not None:
        _plot(inputs, future, args.file)
    return future


def _plot(inputs, future, name):
    import matplotlib.pyplot as plt

    seen = inputs["frames"][-inputs["observed"] :]
    n, fps = len(inputs["frames"]), inputs["fps"] or 1.0
    channels = np.argsort(seen.std(axis=0))[::-1][:N_PLOTTED]
    before = np.arange(n - len(seen), n) / fps
    after = np.arange(n - 1, n + len(future)) / fps  # joined to the last observed frame
    figure, ax = plt.subplots(figsize=(8, 3.5))
    for k, channel in enumerate(channels):
        color = f"C{k}"
        label = inputs["channel_names"][channel]
        ax.plot(before, seen[:, channel], color=color, label=f"{label} (observed)")
        joined = np.concatenate([seen[-1:, channel], future[:, channel]])
        ax.plot(after, joined, color=color, linestyle="--", label=f"{label} (forecast)")
    ax.axvline(before[-1], color="0.5", linewidth=0.8)
    ax.set_xlabel("time (s)" if inputs["fps"] else "frame")
    ax.set_title(f"Forecast after {Path(name).name}")
    ax.legend(fontsize="small", ncol=2)
    inputs["plot"].parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(inputs["plot"], dpi=110, bbox_inches="tight")
    plt.close(figure)
    print(f"Plot: {inputs['plot']}")
