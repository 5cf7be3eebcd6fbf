"""compare: cluster windows of motion files with Seq2SeqClusterer and the baselines; score them."""

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import Seq2SeqClusterer
from .._compare import compare, format_table, skipped_defaults, table_rows
from . import _options
from ._estimators import build
from ._files import check_not_inputs, output_file, plot_file, save_figure, write_csv
from ._windows import STRIDE, WIDTH, Windows, read_windows

HELP = "cluster windows of motion files with Seq2SeqClusterer and the baselines; print scores"


def add_arguments(parser):
    _options.add_paths(parser)
    parser.add_argument(
        "--n-clusters",
        type=_options.positive_int,
        help="number of clusters (default: the number of labels; required with --labels-from none)",
    )
    parser.add_argument(
        "--labels-from",
        choices=("parent", "stem", "none"),
        default="parent",
        help="each file's label: its folder's name, its name without extension, or none "
        "(unsupervised scores: silhouette, Calinski-Harabasz); default: %(default)s",
    )
    parser.add_argument("--n-seeds", type=_options.positive_int, default=1, help="fits per method")
    _options.add_windows(parser, WIDTH, STRIDE)
    _options.add_fps(parser)
    _options.add_preprocessing(parser)
    _options.add_memory(parser)
    parser.add_argument("--out", help="write the table to this CSV file")
    parser.add_argument("--plot", help="save a figure of the scores and fit times to this PNG")
    _options.add_net(parser)


@dataclass
class Inputs:
    data: Windows
    y: np.ndarray  # each window's label, or None
    out: Path = None
    plot: Path = None


def _window_labels(data, label_from):
    """Each window's label: its file's folder name or file name without extension."""
    if label_from == "none":
        return None
    names = [
        Path(name).parent.name if label_from == "parent" else Path(name).stem
        for name in data.recordings.filenames
    ]
    return np.asarray(names)[data.groups]


def prepare(args):
    """Check the arguments and read the files, before any training."""
    out, plot = output_file(args.out, "--out"), plot_file(args.plot)
    data = read_windows(args)
    check_not_inputs({"--out": out, "--plot": plot}, data.recordings.filenames)
    y = _window_labels(data, args.labels_from)
    if y is None and args.n_clusters is None:
        raise ValueError("--n-clusters is required with --labels-from none (no labels to count)")
    if y is not None and len(np.unique(y)) < 2:
        raise ValueError(
            f"--labels-from {args.labels_from} gives every window the label {str(y[0])!r}: the "
            "scores would be meaningless; use another --labels-from (parent: the folder's "
            "name, stem: the file's), or none"
        )
    return Inputs(data, y, out, plot)


def _one_recording_per_label(inputs):
    """Whether every label's windows all come from one recording."""
    return inputs.y is not None and all(
        len(np.unique(inputs.data.groups[inputs.y == label])) == 1 for label in np.unique(inputs.y)
    )


def run(args, inputs, progress):
    """Cluster the windows with every method; print the table, write ``--out`` and ``--plot``."""
    data, y = inputs.data, inputs.y
    labels = (
        "unsupervised scores" if y is None else f"{len(np.unique(y))} labels ({args.labels_from})"
    )
    n_clusters = args.n_clusters or (None if y is None else len(np.unique(y)))
    print(
        f"{len(data.windows)} windows of {data.width} frames x {data.windows.shape[2]} channels "
        f"from {len(data.recordings.filenames)} file(s), {labels}, {n_clusters} clusters, "
        f"{args.n_seeds} seed(s)",
        flush=True,
    )
    if _one_recording_per_label(inputs):
        print(
            "warning: every label's windows come from a single recording: the scores measure "
            "how well each method tells recordings apart (which any embedding of a take's own "
            "posture does), not actions; give each label several recordings",
            file=sys.stderr,
            flush=True,
        )
    progress.expect(args.n_seeds)
    table = compare(
        data.windows,
        y,
        task="cluster",
        estimators={"Seq2SeqClusterer": build(Seq2SeqClusterer, args, progress)},
        n_clusters=args.n_clusters,
        n_seeds=args.n_seeds,
        random_state=args.random_state,
        verbose=args.verbose,
    )
    print(format_table(table))
    for name, reason in skipped_defaults("cluster").items():
        print(f"Skipped {name}: {reason}")
    if inputs.out is not None:
        write_csv(inputs.out, *table_rows(table))
        print(f"Table: {inputs.out}")
    if inputs.plot is not None:
        _plot(table, inputs.plot, f"{len(data.windows)} windows, {n_clusters} clusters")
    return table


def _plot(table, path, title):
    """Scores and fit times side by side (they have different scales)."""
    import matplotlib.pyplot as plt

    from ..plotting import plot_comparison

    n_rows = len(table_rows(table)[1])
    figure, (scores, seconds) = plt.subplots(
        1, 2, figsize=(11, 1 + 0.6 * n_rows), sharey=True, width_ratios=(3, 1)
    )
    plot_comparison(table, ax=scores)
    plot_comparison(table, metrics="fit_seconds", ax=seconds)
    scores.set_title(title)
    seconds.set_title("fit time")
    seconds.set_xlabel("seconds")
    save_figure(figure, path)
