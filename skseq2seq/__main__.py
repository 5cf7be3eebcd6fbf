"""Command line: ``python -m skseq2seq demo`` (also the ``skseq2seq`` script).

The demo clusters sequences with :class:`Seq2SeqClusterer` defaults and
with classical baselines side by side, and saves a plot of the embedding.
With no ``--data`` it uses generated sequences (no files, no network).
User errors (a bad ``--output``, ``--data`` folder or file, recordings shorter
than the window) are reported before any training as one line
``error: <message>`` on stderr, with exit status 2 (as argparse does).
"""

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from . import Seq2SeqClusterer
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


def _mean_std(X):
    return np.concatenate([X.mean(axis=1), X.std(axis=1)], axis=1)


def _baselines(n_clusters, random_state):
    """Classical pipelines a user would try first."""
    kmeans = KMeans(n_clusters, n_init=10, random_state=random_state)
    flatten = FunctionTransformer(lambda X: X.reshape(len(X), -1))
    return {
        "k-means on per-window mean/std": make_pipeline(
            FunctionTransformer(_mean_std), StandardScaler(), kmeans
        ),
        "PCA(20) + k-means on flattened windows": make_pipeline(
            flatten, StandardScaler(), PCA(20, random_state=random_state), kmeans
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
    args = parser.parse_args(argv)
    try:
        inputs = _prepare(args.data, args.output, args.random_state)
    except (OSError, ValueError) as exc:
        # Only input preparation: an error during training is a bug and keeps its traceback.
        message = " ".join(str(exc).splitlines())
        parser.exit(2, f"error: {message}\n")
    _run(*inputs, random_state=args.random_state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
