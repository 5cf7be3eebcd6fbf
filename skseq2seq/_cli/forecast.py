"""forecast: train on one recording, write the frames that follow its end.

A :class:`~skseq2seq.Seq2SeqForecaster` (the library's defaults, with the
options given) is fitted on the recording cut into windows of ``--observed``
+ ``--horizon`` frames, then forecasts the ``--horizon`` frames after its end
from its last ``--observed`` frames.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import Seq2SeqForecaster
from .._forecaster import duration_frames
from . import _options, _preprocessing
from ._estimators import build
from ._files import (
    check_not_inputs,
    output_file,
    plot_file,
    read_recordings,
    save_figure,
    write_csv,
)

HELP = "train on one recording; write the frames forecast after its end (frame[,time],channels)"
N_PLOTTED = 3  # channels drawn by --plot: those that move most in the observed frames


def add_arguments(parser):
    parser.add_argument("file", metavar="FILE", help="one motion file")
    parser.add_argument(
        "--observed", type=_options.length, required=True, help="frames read before each "
        "forecast: frames (e.g. 50) or seconds (e.g. 2s)",
    )  # fmt: skip
    parser.add_argument(
        "--horizon", type=_options.length, help="frames forecast: frames or seconds (e.g. 1s; "
        "default: Seq2SeqForecaster's)",
    )  # fmt: skip
    parser.add_argument("--out", required=True, help="the CSV file written: the forecast frames")
    parser.add_argument(
        "--plot", help="save a PNG of the observed and forecast frames of a few channels"
    )
    parser.add_argument(
        "--stride", type=_options.length, help="between training windows: frames or seconds "
        "(default: Seq2SeqForecaster's, half the horizon)",
    )  # fmt: skip
    _options.add_fps(parser)
    _options.add_preprocessing(parser)
    _options.add_net(parser)


@dataclass
class Inputs:
    frames: np.ndarray  # (n_frames, n_channels)
    channel_names: list
    fps: float  # None when unknown
    observed: int  # frames
    horizon: int
    stride: int  # None: the forecaster's default
    out: Path
    plot: Path = None


def prepare(args):
    """Check the arguments and read the file, before any training."""
    outputs = {"--out": output_file(args.out, "--out"), "--plot": plot_file(args.plot)}
    if not Path(args.file).is_file():
        raise FileNotFoundError(f"No file {args.file}")
    check_not_inputs(outputs, [args.file])
    recording = read_recordings([args.file], args.fps, _preprocessing.settings(args))
    frames, fps = recording.frames[0], recording.fps[0]
    observed = args.observed.frames(fps, "--observed")
    if args.horizon is None:
        horizon = duration_frames(Seq2SeqForecaster().horizon, fps, "horizon")
    else:
        horizon = args.horizon.frames(fps, "--horizon")
    stride = None if args.stride is None else args.stride.frames(fps, "--stride")
    # A recording too short for two training windows: the forecaster's fit
    # says so before training (one rule, not repeated here).
    return Inputs(
        frames,
        recording.channel_names,
        fps,
        observed,
        horizon,
        stride,
        outputs["--out"],
        outputs["--plot"],
    )


def run(args, inputs, progress):
    """Train on the recording, forecast the frames after its end; return the rows written."""
    frames, fps = inputs.frames, inputs.fps
    window = {"observed": inputs.observed, "horizon": inputs.horizon, "fps": fps}
    if inputs.stride is not None:
        window["stride"] = inputs.stride
    model = build(Seq2SeqForecaster, args, progress, **window)
    model.fit([frames])
    future = model.predict(frames[None, -inputs.observed :])[0]
    n = len(frames)
    index = range(n, n + len(future))
    header = ["frame", *(["time"] if fps else []), *inputs.channel_names]
    rows = [
        [i, *([round(i / fps, 6)] if fps else []), *row.tolist()] for i, row in zip(index, future)
    ]
    write_csv(inputs.out, header, rows)
    print(
        f"{len(future)} frames forecast after the {n} frames of {args.file} (trained on "
        f"{model.n_windows_} windows, {model.n_epochs_} epochs): {inputs.out}"
    )
    if inputs.plot is not None:
        _plot(inputs, future, Path(args.file).name)
    return rows


def _plot(inputs, future, name):
    """Observed then forecast frames of the channels that move most, on one time axis."""
    import matplotlib.pyplot as plt

    seen = inputs.frames[-inputs.observed :]
    n, rate = len(inputs.frames), inputs.fps or 1.0
    before = np.arange(n - len(seen), n) / rate
    after = np.arange(n - 1, n + len(future)) / rate  # joined to the last observed frame
    figure, ax = plt.subplots(figsize=(8, 3.5))
    for k, channel in enumerate(np.argsort(seen.std(axis=0))[::-1][:N_PLOTTED]):
        label = inputs.channel_names[channel]
        ax.plot(before, seen[:, channel], color=f"C{k}", label=f"{label} (observed)")
        joined = np.concatenate([seen[-1:, channel], future[:, channel]])
        ax.plot(after, joined, color=f"C{k}", linestyle="--", label=f"{label} (forecast)")
    ax.axvline(before[-1], color="0.5", linewidth=0.8)
    ax.set_xlabel("time (s)" if inputs.fps else "frame")
    ax.set_title(f"Forecast after {name}")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    save_figure(figure, inputs.plot)
