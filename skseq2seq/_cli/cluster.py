"""cluster: cluster windows of motion files; write one CSV row per window."""

from dataclasses import dataclass
from pathlib import Path

from .. import Seq2SeqClusterer
from . import _options
from ._estimators import build, reject_net_options, reject_training_options
from ._files import (
    SavedModel,
    check_not_inputs,
    load_model,
    note,
    output_file,
    plot_file,
    save_figure,
    save_model,
    write_csv,
)
from ._windows import STRIDE, WIDTH, Windows, read_windows

HELP = "cluster windows of motion files; write file,start,stop[,start_time,stop_time],label rows"


def add_arguments(parser):
    _options.add_paths(parser)
    parser.add_argument("--out", required=True, help="the CSV file written")
    parser.add_argument(
        "--n-clusters",
        type=_options.n_clusters,
        help="number of clusters, or 'auto' (default: Seq2SeqClusterer's)",
    )
    _options.add_windows(parser, WIDTH, STRIDE)
    _options.add_fps(parser)
    _options.add_preprocessing(parser)
    parser.add_argument(
        "--features",
        choices=["states", "statistics", "states+statistics"],
        help="what is clustered: the learned states, the windows' mean/std statistics (no "
        "net), or both (default: Seq2SeqClusterer's); 'states' for classes that differ "
        "only in dynamics",
    )
    _options.add_memory(parser)
    parser.add_argument("--plot", help="save a figure of the learned states to this PNG file")
    _options.add_model_files(parser)
    _options.add_net(parser)


@dataclass
class Inputs:
    data: Windows
    out: Path
    plot: Path = None
    save: Path = None
    saved: SavedModel = None


def prepare(args):
    """Check the arguments and read the files, before any training."""
    out, plot = output_file(args.out, "--out"), plot_file(args.plot)
    save = output_file(args.save_model, "--save-model")
    saved = None
    if args.model:
        reject_training_options(args)
        saved = load_model(args.model, Seq2SeqClusterer)
    elif (args.features or Seq2SeqClusterer().features) == "statistics":
        reject_net_options(args, "statistics")
    features = getattr(saved.estimator, "features", None) if saved else args.features
    if plot is not None and features == "statistics":
        raise ValueError(
            "--plot draws the learned states; with --features statistics no net is trained"
        )
    data = read_windows(args, saved)
    outputs = {"--out": out, "--plot": plot, "--save-model": save}
    check_not_inputs(outputs, data.recordings.filenames + ([args.model] if args.model else []))
    return Inputs(data, out, plot, save, saved)


def run(args, inputs, progress):
    """Cluster the windows (or label them with the saved model); return the rows written."""
    data = inputs.data
    for line in data.notes:
        note(line)
    if inputs.saved is None:
        model = build(Seq2SeqClusterer, args, progress)
        labels = model.fit(data.windows).labels_
    else:
        model = inputs.saved.estimator
        labels = model.predict(data.windows)
    names = data.recordings.filenames
    header = ["file", "start", "stop"]
    columns = [[names[g] for g in data.groups], data.starts.tolist()]
    columns.append((data.starts + data.width).tolist())
    times = data.times()
    if times is not None:
        header += ["start_time", "stop_time"]
        columns += [[round(float(t), 6) for t in column] for column in times]
    rows = list(zip(*columns, labels.tolist()))
    write_csv(inputs.out, [*header, "label"], rows)
    print(
        f"{len(data.windows)} windows of {len(names)} file(s) in {len(set(labels))} clusters: "
        f"{inputs.out}"
    )
    if inputs.save is not None:
        fps = data.recordings.common_fps()
        preprocessing = data.recordings.preprocessing
        save_model(SavedModel(model, fps, data.width, data.stride, preprocessing), inputs.save)
    if inputs.plot is not None:
        from ..plotting import plot_embedding

        ax = plot_embedding(model.embedder_, data.windows, labels=labels, dim=2)
        ax.set_title("Windows' decoder states (PCA), coloured by found cluster")
        save_figure(ax.figure, inputs.plot)
    return rows
