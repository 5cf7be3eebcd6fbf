"""segment: label every frame of one recording with an action; write one CSV row per frame."""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import TemporalSegmenter
from . import _options, _preprocessing
from ._estimators import build, reject_net_options, reject_training_options
from ._files import (
    SavedModel,
    check_not_inputs,
    load_model,
    note,
    output_file,
    plot_file,
    read_recordings,
    save_figure,
    save_model,
    write_csv,
)
from ._truth import read_truth

HELP = "label every frame of a recording with an action; write frame,time,label rows"


def add_arguments(parser):
    parser.add_argument("file", metavar="FILE", help="one motion file")
    parser.add_argument("--out", required=True, help="the CSV file written, one row per frame")
    parser.add_argument(
        "--n-clusters",
        type=_options.n_clusters,
        help="number of actions, or 'auto' (default: TemporalSegmenter's)",
    )
    _options.add_fps(parser)
    _options.add_preprocessing(parser)
    parser.add_argument(
        "--n-nets", type=_options.positive_int, help="nets trained (default: TemporalSegmenter's)"
    )
    parser.add_argument(
        "--features",
        choices=["states", "states+frames", "frames"],
        help="what describes each frame: the nets' states, the frames, or both (default: "
        "TemporalSegmenter's); 'frames' trains no net",
    )
    parser.add_argument(
        "--split-windows",
        action="store_true",
        default=None,
        help="the nets share out the training windows: about one net's time, less accurate "
        "(TemporalSegmenter(split_windows=True))",
    )
    parser.add_argument(
        "--min-action-seconds",
        type=_options.seconds,
        help="with --n-clusters auto: shortest stretch every action must hold",
    )
    parser.add_argument(
        "--max-clusters",
        type=_options.two_or_more,
        help="with --n-clusters auto: the most actions tried",
    )
    _options.add_memory(parser)
    parser.add_argument(
        "--truth",
        help="ground truth to score against: one label per frame (a label per line, or a CSV "
        "with a 'label' column), or CMU subject 86's ground-truth format",
    )
    parser.add_argument(
        "--segments", help="also write one row per segment (start,stop,start_time,stop_time,label)"
    )
    parser.add_argument("--plot", help="save a figure of the found actions to this PNG file")
    _options.add_model_files(parser)
    _options.add_net(parser)


@dataclass
class Inputs:
    frames: np.ndarray
    fps: float
    fps_note: str  # how the frame rate was chosen, when the file does not say (or None)
    preprocessing: dict  # make_motion_preprocessor's parameters the frames went through
    out: Path
    truth: tuple = None  # (label of each frame, label names)
    segments: Path = None
    plot: Path = None
    save: Path = None
    saved: SavedModel = None


def _frame_rate(args, file_fps, saved):
    """(frames per second, note or None): --fps, the file's, the model's or the default."""
    if saved is not None:
        model_fps = saved.estimator.fps
        if file_fps is not None and file_fps != model_fps:
            raise ValueError(
                f"--model {args.model}: fitted at {model_fps:g} fps, the file is at {file_fps:g}"
            )
        if file_fps is None:
            return model_fps, f"frame rate from the saved model: {model_fps:g} fps"
        return model_fps, None
    if file_fps is None:
        default = TemporalSegmenter().fps
        return (
            default,
            f"{args.file} does not give its frame rate: assuming {default:g} fps (pass --fps)",
        )
    return file_fps, None


def prepare(args):
    """Check the arguments and read the files, before any training."""
    outputs = {
        "--out": output_file(args.out, "--out"),
        "--segments": output_file(args.segments, "--segments"),
        "--plot": plot_file(args.plot),
        "--save-model": output_file(args.save_model, "--save-model"),
    }
    saved = None
    if args.model:
        reject_training_options(args)
        saved = load_model(args.model, TemporalSegmenter)
    elif (args.features or TemporalSegmenter().features) == "frames":
        reject_net_options(args, "frames")
    if not Path(args.file).is_file():
        raise FileNotFoundError(f"No file {args.file}")
    stored = saved.preprocessing if saved is not None else None
    recording = read_recordings([args.file], args.fps, _preprocessing.settings(args, stored))
    frames = recording.frames[0]
    fps, fps_note = _frame_rate(args, recording.fps[0], saved)
    truth = None
    if args.truth is not None:
        truth = read_truth(args.truth, recording.read_lengths[0])
        truth = (_resampled(truth[0], len(frames)), truth[1])
    inputs = [args.file] + [path for path in (args.truth, args.model) if path]
    check_not_inputs(outputs, inputs)
    return Inputs(
        frames,
        fps,
        fps_note,
        recording.preprocessing,
        outputs["--out"],
        truth,
        outputs["--segments"],
        outputs["--plot"],
        outputs["--save-model"],
        saved,
    )


def _resampled(labels, n_frames):
    """Per-frame ``labels`` at another frame rate (``n_frames`` frames): the nearest frame's."""
    if len(labels) == n_frames:
        return labels
    nearest = np.round((np.arange(n_frames) + 0.5) * len(labels) / n_frames - 0.5)
    return np.asarray(labels)[np.clip(nearest.astype(int), 0, len(labels) - 1)]


def _segment_rows(labels, fps):
    """(start, stop, start_time, stop_time, label) of each run of equal labels."""
    from ..metrics import boundaries

    starts = [0, *boundaries(labels).tolist()]
    stops = [*starts[1:], len(labels)]
    return [
        (start, stop, round(start / fps, 6), round(stop / fps, 6), int(labels[start]))
        for start, stop in zip(starts, stops)
    ]


def run(args, inputs, progress):
    """Segment the recording (or label it with the saved model); return the frame rows."""
    frames, fps = inputs.frames, inputs.fps
    if inputs.fps_note:
        note(inputs.fps_note)
    if inputs.saved is None:
        model = build(TemporalSegmenter, args, progress, fps=fps)
        progress.expect(0 if model.features == "frames" else model.n_nets)
        labels = model.fit_predict(frames)
    else:
        model = inputs.saved.estimator
        labels = model.predict(frames)
    rows = [(i, round(i / fps, 6), int(label)) for i, label in enumerate(labels)]
    write_csv(inputs.out, ("frame", "time", "label"), rows)
    chose = f" (n_clusters=auto chose {model.n_clusters_})" if model.n_clusters == "auto" else ""
    print(f"{len(frames)} frames at {fps:g} fps in {len(set(labels))} actions{chose}: {inputs.out}")
    if inputs.segments is not None:
        segments = _segment_rows(labels, fps)
        write_csv(inputs.segments, ("start", "stop", "start_time", "stop_time", "label"), segments)
        print(f"{len(segments)} segments: {inputs.segments}")
    if inputs.truth is not None:
        from ..metrics import segmentation_report

        report = segmentation_report(inputs.truth[0], labels, fps=fps)
        print(
            f"Against {args.truth}: accuracy {report['accuracy']:.3f}  ARI {report['ari']:.3f}  "
            f"boundary F1 {report['boundary_f1']:.3f} (within 0.5 s; "
            f"{report['n_boundaries_pred']} found, {report['n_boundaries_true']} true)"
        )
    if inputs.save is not None:
        save_model(SavedModel(model, fps, preprocessing=inputs.preprocessing), inputs.save)
    if inputs.plot is not None:
        _plot(labels, inputs, Path(args.file).name)
    return rows


def _plot(labels, inputs, name):
    from ..plotting import plot_segmentation

    if inputs.truth is None:
        ax = plot_segmentation(labels, fps=inputs.fps)
        ax.set_yticklabels(["found"])
    else:
        truth, names = inputs.truth
        ax = plot_segmentation(truth, labels, fps=inputs.fps, label_names=names)
        ax.set_yticklabels(["truth", "found"])
    ax.set_title(f"Actions of {name}")
    save_figure(ax.figure, inputs.plot)
