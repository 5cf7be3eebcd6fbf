"""Command line: ``python -m skseq2seq demo|cluster|segment|compare`` (or ``skseq2seq``).

``demo`` clusters sequences with :class:`Seq2SeqClusterer` defaults and
with classical baselines side by side, and saves a plot of the embedding;
with no ``--data`` it uses generated sequences (no files, no network).
``cluster`` cuts the user's motion files (BVH, C3D, ASF/AMC, CSV/TXT tables,
.npy; or folders of them) into windows and writes each window's cluster to a
CSV file; ``segment`` labels every frame of one recording with an action;
``compare`` clusters those windows with :class:`Seq2SeqClusterer` and the
classical baselines (:func:`skseq2seq.compare`) and tabulates their scores.
User errors (bad arguments, missing or malformed files, recordings shorter
than the window, an unwritable output) are reported before any training as
one line ``error: <message>`` on stderr, with exit status 2 (as argparse does)."""

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from . import Seq2SeqClusterer, TemporalSegmenter
from ._clusterer import Seq2SeqClusterer as _Clusterer
from ._segmenter import TemporalSegmenter as _Segmenter
from ._validation import check_device
from .baselines import MeanStdKMeans, PCAKMeans
from .datasets import sliding_windows
from .metrics import clustering_accuracy

_WIDTH, _STRIDE = 50, 10  # frames per window and between window starts


def _output_folder(output):
    """The plot folder (None for ``''``), checked to be a folder or creatable.

    Nothing is created yet, so that a failed run leaves no empty folder.
    """
    if not output:
        return None
    if importlib.util.find_spec("matplotlib") is None:
        raise OSError(
            f"--output {output}: the plot needs matplotlib; install it with "
            "pip install 'skseq2seq[plot]', or pass --output ''"
        )
    folder = Path(output)
    existing = next(p for p in (folder, *folder.absolute().parents) if p.exists())
    if not existing.is_dir():
        raise OSError(
            f"--output {output}: {existing} is an existing file; expected a "
            "folder, created if missing"
        )
    if not os.access(existing, os.W_OK):
        raise OSError(f"--output {output}: {existing} is not writable")
    return folder


def _check_long_enough(data):
    """Raise when a recording is shorter than a window, naming each such file."""
    short = [
        f"{name} ({len(frames)} frames)"
        for frames, name in zip(data.recordings, data.filenames)
        if len(frames) < _WIDTH
    ]
    if short:
        raise ValueError(
            f"{len(short)} recording(s) shorter than the {_WIDTH}-frame window: {', '.join(short)}"
        )


def _load(data, random_state):
    """(windows, labels, title) from the CMU action folders or generated sequences."""
    from . import datasets

    if data is None:
        X, y = datasets.make_motion_sequences(
            n_sequences=400, n_timesteps=40, n_features=6, n_regimes=4, random_state=random_state
        )
        return X, y, "generated sequences, 4 regimes differing only in dynamics"
    folder = Path(data) if Path(data).name == "actions" else Path(data) / "actions"
    actions = datasets.load_action_recordings(folder)
    _check_long_enough(actions)
    X, y = datasets.sliding_windows(actions.recordings, _WIDTH, _STRIDE, y=actions.target)
    return X, y, f"CMU actions from {data}: {_WIDTH}-frame windows, stride {_STRIDE}"


def _prepare(data, output, random_state):
    """Check and load the user's inputs, before any training.

    Returns
    -------
    X, y, title, folder
        Windows, their labels, a description, and the plot folder (or None).

    Raises
    ------
    OSError, ValueError
        On user errors: bad ``output`` or ``data`` folder, malformed files,
        recordings shorter than a window.
    """
    folder = _output_folder(output)  # first: a bad --output fails before data loading
    X, y, title = _load(data, random_state)
    return X, y, title, folder


def _baselines(n_clusters, random_state):
    """Classical methods a user would try first (:mod:`skseq2seq.baselines`)."""
    return {
        "k-means on per-window mean/std": MeanStdKMeans(n_clusters, random_state=random_state),
        "PCA(20) + k-means on flattened windows": PCAKMeans(
            n_clusters, n_components=20, random_state=random_state
        ),
    }


def _scores(y, labels, seconds):
    return (
        adjusted_rand_score(y, labels),
        normalized_mutual_info_score(y, labels),
        clustering_accuracy(y, labels),
        seconds,
    )


def demo(data=None, output="skseq2seq_demo", random_state=0):
    """Run the demo; return {method: (ARI, NMI, accuracy, seconds)}."""
    return _run(*_prepare(data, output, random_state), random_state=random_state)


def _run(X, y, title, folder, random_state):
    """Fit the model and baselines on prepared inputs, print the table, save the plot."""
    n_clusters = len(np.unique(y))
    print(
        f"Data: {title}\n{len(X)} sequences of {X.shape[1]} steps x {X.shape[2]} channels, "
        f"{n_clusters} true classes"
    )

    results = {}
    start = time.perf_counter()
    model = Seq2SeqClusterer(n_clusters=n_clusters, random_state=random_state).fit(X)
    results["Seq2SeqClusterer (defaults)"] = _scores(y, model.labels_, time.perf_counter() - start)
    for name, pipeline in _baselines(n_clusters, random_state).items():
        start = time.perf_counter()
        labels = pipeline.fit_predict(X)
        results[name] = _scores(y, labels, time.perf_counter() - start)

    print(f"\n{'method':<42} {'ARI':>6} {'NMI':>6} {'acc':>6} {'fit s':>7}")
    for name, (ari, nmi, acc, seconds) in results.items():
        print(f"{name:<42} {ari:6.3f} {nmi:6.3f} {acc:6.3f} {seconds:7.1f}")

    if folder is not None:
        path = _save_plot(model, X, folder)
        print(f"\nEmbedding plot (PCA of decoder states, coloured by cluster): {path}")
    return results


def _save_plot(model, X, folder):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plotting import plot_embedding

    folder.mkdir(parents=True, exist_ok=True)
    ax = plot_embedding(model.embedder_, X, labels=model.labels_, dim=3, kind="trajectories")
    ax.set_title("Decoder states (PCA), coloured by Seq2SeqClusterer cluster")
    path = folder / "embedding.png"
    ax.figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(ax.figure)
    return path


# -- cluster and segment: the user's own files --------------------------------
# (The classes are named as imported above, so that tests can replace them;
# saved models are checked against the real ones.)


def _n_clusters(text):
    """--n-clusters: a positive integer or "auto"."""
    return text if text == "auto" else _positive_int(text, "a positive integer or 'auto'")


def _positive_int(text, expected="a positive integer"):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
    return value


def _output_file(path, option):
    """``path`` checked to be writable (its folder created later), or None."""
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


def _check_plot(path, option):
    if path is not None and importlib.util.find_spec("matplotlib") is None:
        raise OSError(
            f"{option} {path}: the plot needs matplotlib; install it with "
            "pip install 'skseq2seq[plot]'"
        )
    return _output_file(path, option)


def _read_paths(paths):
    """(recordings, filenames, fps of each) of files and folders of motion files."""
    from .io import load_folder, read_motion

    recordings, filenames, fps = [], [], []
    for path in map(Path, paths):
        if path.is_dir():
            data = load_folder(path, rotations="expmap")
            recordings += data.recordings
            filenames += data.filenames
            fps += list(data.fps)
        elif path.exists():
            motion = read_motion(path, rotations="expmap")
            recordings.append(motion.data)
            filenames.append(str(path))
            fps.append(np.nan if motion.fps is None else motion.fps)
        else:
            raise FileNotFoundError(f"No file or folder {path}")
    for frames, name in zip(recordings, filenames):
        if frames.shape[1] != recordings[0].shape[1]:
            raise ValueError(
                f"{name} has {frames.shape[1]} channels, but {filenames[0]} has "
                f"{recordings[0].shape[1]}: all files must have the same channels"
            )
        if not np.isfinite(frames).all():
            raise ValueError(
                f"{name} has missing values (NaN, e.g. markers lost by the cameras); fill "
                "the gaps (e.g. interpolate) before clustering"
            )
    return recordings, filenames, fps


def _embedder(args):
    from . import Seq2SeqEmbedder

    params = {"device": args.device, "verbose": int(args.verbose)}
    if args.hidden_size is not None:
        params["hidden_size"] = args.hidden_size
    if args.epochs is not None:
        params["max_epochs"] = args.epochs
    return Seq2SeqEmbedder(**params)


def _load_model(path, kind):
    """A fitted estimator saved by --save-model, checked to be of ``kind``."""
    import joblib

    try:
        model = joblib.load(path)
    except FileNotFoundError:
        raise FileNotFoundError(f"--model {path}: no such file") from None
    except Exception as exc:  # unpickling reports anything from a wrong file
        raise ValueError(f"--model {path}: not a saved model ({exc})") from None
    if not isinstance(model, kind):
        raise ValueError(
            f"--model {path}: holds a {type(model).__name__}, expected a fitted {kind.__name__}"
        )
    return model


def _read_windows(args):
    """(windows, groups, recordings, filenames) of the files in ``args.paths``.

    ``groups`` gives each window's file, as an index into ``filenames``.
    """
    recordings, filenames, _ = _read_paths(args.paths)
    short = [
        f"{name} ({len(frames)} frames)"
        for frames, name in zip(recordings, filenames)
        if len(frames) < args.window
    ]
    if short:
        raise ValueError(
            f"{len(short)} recording(s) shorter than the {args.window}-frame window: "
            f"{', '.join(short)}; use a smaller --window"
        )
    windows, groups = sliding_windows(recordings, args.window, args.stride, return_groups=True)
    return windows, groups, recordings, filenames


def _prepare_cluster(args):
    """Check the arguments and read the files, before any training."""
    out = _output_file(args.out, "--out")
    plot = _check_plot(args.plot, "--plot")
    save = _output_file(args.save_model, "--save-model")
    model = _load_model(args.model, _Clusterer) if args.model else None
    check_device(args.device)
    windows, groups, recordings, filenames = _read_windows(args)
    if model is not None and windows.shape[2] != model.embedder_.n_features_in_:
        raise ValueError(
            f"--model {args.model}: fitted on {model.embedder_.n_features_in_} channels, "
            f"the files have {windows.shape[2]}"
        )
    if model is None and args.n_clusters != "auto" and args.n_clusters > len(windows):
        raise ValueError(
            f"--n-clusters {args.n_clusters} exceeds the {len(windows)} windows of the files"
        )
    starts = np.concatenate(
        [np.arange(0, len(r) - args.window + 1, args.stride) for r in recordings]
    )
    return windows, groups, starts, filenames, out, plot, save, model


def cluster(args, inputs):
    """Cluster the windows of the files; write file,start,stop,label rows to ``--out``.

    ``inputs`` are :func:`_prepare_cluster`'s; returns the rows written.
    """
    windows, groups, starts, filenames, out, plot, save, model = inputs
    if model is None:
        model = Seq2SeqClusterer(
            n_clusters=args.n_clusters, embedder=_embedder(args), random_state=args.random_state
        )
        labels = model.fit(windows).labels_
    else:
        labels = model.predict(windows)
    rows = [
        (filenames[g], int(start), int(start) + args.window, int(label))
        for g, start, label in zip(groups, starts, labels)
    ]
    _write_csv(out, ("file", "start", "stop", "label"), rows)
    print(
        f"{len(windows)} windows of {len(filenames)} file(s) in {len(set(labels))} clusters: {out}"
    )
    if save is not None:
        _save_model(model, save)
    if plot is not None:
        from .plotting import plot_embedding

        ax = plot_embedding(model.embedder_, windows, labels=labels, dim=2)
        ax.set_title("Windows' decoder states (PCA), coloured by cluster")
        _save_figure(ax.figure, plot)
    return rows


def _window_labels(filenames, groups, label_from):
    """Each window's label: its file's folder name or file name without extension."""
    if label_from == "none":
        return None
    names = [
        Path(name).parent.name if label_from == "parent" else Path(name).stem for name in filenames
    ]
    return np.asarray(names)[groups]


def _prepare_compare(args):
    """Check the arguments and read the files, before any training."""
    out = _output_file(args.out, "--out")
    plot = _check_plot(args.plot, "--plot")
    check_device(args.device)
    windows, groups, _, filenames = _read_windows(args)
    y = _window_labels(filenames, groups, args.labels_from)
    if y is None and args.n_clusters is None:
        raise ValueError("--n-clusters is required with --labels-from none (no labels to count)")
    if y is not None and len(np.unique(y)) < 2:
        raise ValueError(
            f"--labels-from {args.labels_from} gives every window the label {str(y[0])!r}: the "
            "scores would be meaningless; use another --labels-from (parent: the folder's "
            "name, stem: the file's), or none"
        )
    n_clusters = args.n_clusters or len(np.unique(y))
    if n_clusters > len(windows):
        raise ValueError(
            f"--n-clusters {n_clusters} exceeds the {len(windows)} windows of the files"
        )
    return windows, y, n_clusters, filenames, out, plot


def compare(args, inputs):
    """Cluster the windows with every method; print the table, write ``--out`` and ``--plot``.

    ``inputs`` are :func:`_prepare_compare`'s; returns :func:`skseq2seq.compare`'s table.
    """
    from ._compare import compare as compare_methods

    windows, y, n_clusters, filenames, out, plot = inputs
    labels = (
        "unsupervised scores" if y is None else f"{len(np.unique(y))} labels ({args.labels_from})"
    )
    print(
        f"{len(windows)} windows of {windows.shape[1]} frames x {windows.shape[2]} channels from "
        f"{len(filenames)} file(s), {labels}, {n_clusters} clusters, {args.n_seeds} seed(s)",
        flush=True,
    )
    model = Seq2SeqClusterer(embedder=_embedder(args))
    table = compare_methods(
        windows,
        y,
        task="cluster",
        estimators={"Seq2SeqClusterer": model},
        n_clusters=n_clusters,
        n_seeds=args.n_seeds,
        random_state=args.random_state,
        verbose=args.verbose,
    )
    columns, rows = _table_rows(table)
    print(_format_table(columns, rows))
    if out is not None:
        _write_csv(out, columns, rows)
        print(f"Table: {out}")
    if plot is not None:
        from .plotting import plot_comparison

        ax = plot_comparison(table)
        ax.set_title(f"{len(windows)} windows, {n_clusters} clusters")
        _save_figure(ax.figure, plot)
    return table


def _table_rows(table):
    """(column names, rows of Python values) of a DataFrame or a structured array."""
    if hasattr(table, "itertuples"):
        return list(table.columns), [tuple(row) for row in table.itertuples(index=False)]
    return list(table.dtype.names), table.tolist()


def _mean_sd(mean, sd, several, digits):
    return f"{mean:.{digits}f}" + (f" ± {sd:.{digits}f}" if several else "")


def _format_table(columns, rows):
    """Text table: one column per score, ``mean ± sd`` when several runs."""
    metrics = [c[: -len("_mean")] for c in columns if c.endswith("_mean")]
    head = ["estimator", *(m.replace("fit_seconds", "fit s") for m in metrics), "runs"]
    lines = []
    for row in rows:
        values = dict(zip(columns, row))
        several = values["n_runs"] > 1
        cells = [
            _mean_sd(
                values[m + "_mean"], values[m + "_sd"], several, 1 if m == "fit_seconds" else 3
            )
            for m in metrics
        ]
        lines.append([values["estimator"], *cells, str(values["n_runs"])])
    widths = [max(len(line[i]) for line in [head, *lines]) for i in range(len(head))]
    aligned = (
        [
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths))
        ]
        for line in [head, *lines]
    )
    return "\n".join("  ".join(line) for line in aligned)


def _prepare_segment(args):
    out = _output_file(args.out, "--out")
    plot = _check_plot(args.plot, "--plot")
    save = _output_file(args.save_model, "--save-model")
    model = _load_model(args.model, _Segmenter) if args.model else None
    check_device(args.device)
    if not Path(args.file).is_file():
        raise FileNotFoundError(f"No file {args.file}")
    recordings, _, fps = _read_paths([args.file])
    fps = args.fps or (None if np.isnan(fps[0]) else fps[0])
    if fps is None:
        raise ValueError(f"{args.file} does not give its frame rate: pass --fps")
    if model is not None and model.fps != fps:
        raise ValueError(
            f"--model {args.model}: fitted at {model.fps:g} fps, the file is at {fps:g}"
        )
    return recordings[0], fps, out, plot, save, model


def segment(args, inputs):
    """Label every frame of one recording; write frame,time,label rows to ``--out``.

    ``inputs`` are :func:`_prepare_segment`'s; returns the rows written.
    """
    frames, fps, out, plot, save, model = inputs
    if model is None:
        model = TemporalSegmenter(
            n_clusters=args.n_clusters,
            fps=fps,
            embedder=_embedder(args),
            random_state=args.random_state,
        )
        labels = model.fit_predict(frames)
    else:
        labels = model.predict(frames)
    rows = [(i, round(i / fps, 6), int(label)) for i, label in enumerate(labels)]
    _write_csv(out, ("frame", "time", "label"), rows)
    found = "" if args.n_clusters != "auto" else f" (n_clusters=auto chose {model.n_clusters_})"
    print(f"{len(frames)} frames at {fps:g} fps in {len(set(labels))} actions{found}: {out}")
    if save is not None:
        _save_model(model, save)
    if plot is not None:
        from .plotting import plot_segmentation

        ax = plot_segmentation(labels, fps=fps)
        ax.set_title(f"Actions of {Path(args.file).name}")
        _save_figure(ax.figure, plot)
    return rows


def _write_csv(path, header, rows):
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _save_model(model, path):
    import joblib

    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)
    print(f"Model saved: {path}")


def _save_figure(figure, path):
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(figure)
    print(f"Plot: {path}")


def _add_training_options(command):
    command.add_argument(
        "--n-clusters", type=_n_clusters, required=True, help="number of clusters, or 'auto'"
    )
    _add_net_options(command)
    command.add_argument("--save-model", help="save the fitted model (joblib) to this file")
    command.add_argument("--model", help="label with this saved model instead of training")


def _add_net_options(command):
    command.add_argument("--plot", help="save a figure to this PNG file")
    command.add_argument("--device", default="auto", help="torch device (default: %(default)s)")
    command.add_argument("--epochs", type=_positive_int, help="training epochs of the net")
    command.add_argument("--hidden-size", type=_positive_int, help="size of the GRU states")
    command.add_argument("--random-state", type=int, default=0)
    command.add_argument("--verbose", action="store_true", help="show training progress")


def _add_window_options(command):
    command.add_argument(
        "paths", nargs="+", metavar="PATH", help="motion files or folders (.bvh, .c3d, .amc, "
        ".csv, .txt, .npy); Euler rotations are converted to exponential maps",
    )  # fmt: skip
    command.add_argument("--window", type=_positive_int, default=_WIDTH, help="frames per window")
    command.add_argument(
        "--stride", type=_positive_int, default=_STRIDE, help="frames between window starts"
    )


def main(argv=None):
    """Run the command line; return 0 on success.

    Errors in the arguments or input data exit with status 2 (``SystemExit``)
    after printing one line ``error: <message>`` to stderr, as argparse does
    for bad arguments.
    """
    parser = argparse.ArgumentParser(prog="skseq2seq", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("demo", help="cluster sequences and compare with baselines")
    run.add_argument(
        "--data",
        help="folder holding actions/<action>/<action>_<i>.txt CMU "
        "recordings, or that actions/ folder; default: generated sequences",
    )
    run.add_argument(
        "--output",
        default="skseq2seq_demo",
        help="folder for the embedding plot (default: %(default)s); '' for none",
    )
    run.add_argument("--random-state", type=int, default=0)
    run = commands.add_parser(
        "cluster", help="cluster windows of motion files; write file,start,stop,label CSV rows"
    )
    _add_window_options(run)
    run.add_argument("--out", required=True, help="the CSV file written")
    _add_training_options(run)
    run = commands.add_parser(
        "segment", help="label every frame of a recording; write frame,time,label CSV rows"
    )
    run.add_argument("file", metavar="FILE", help="one motion file")
    run.add_argument("--fps", type=float, help="frames per second (default: the file's)")
    run.add_argument("--out", required=True, help="the CSV file written")
    _add_training_options(run)
    run = commands.add_parser(
        "compare",
        help="cluster windows of motion files with Seq2SeqClusterer and the baselines; "
        "print their scores",
    )
    _add_window_options(run)
    run.add_argument(
        "--n-clusters",
        type=_positive_int,
        help="number of clusters (default: the number of labels; required with --labels-from none)",
    )
    run.add_argument(
        "--labels-from",
        choices=("parent", "stem", "none"),
        default="parent",
        help="each file's label: its folder's name, its name without extension, or none "
        "(unsupervised scores: silhouette, Calinski-Harabasz); default: %(default)s",
    )
    run.add_argument("--n-seeds", type=_positive_int, default=1, help="fits per method")
    run.add_argument("--out", help="write the table to this CSV file")
    _add_net_options(run)
    args = parser.parse_args(argv)
    prepare = {
        "cluster": _prepare_cluster,
        "segment": _prepare_segment,
        "compare": _prepare_compare,
    }
    try:
        if args.command == "demo":
            inputs = _prepare(args.data, args.output, args.random_state)
        else:
            inputs = prepare[args.command](args)
    except (OSError, ValueError) as exc:
        # Only input preparation: an error during training is a bug and keeps its traceback.
        message = " ".join(str(exc).splitlines())
        parser.exit(2, f"error: {message}\n")
    if args.command == "demo":
        _run(*inputs, random_state=args.random_state)
    else:
        {"cluster": cluster, "segment": segment, "compare": compare}[args.command](args, inputs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
