"""demo: Seq2SeqClusterer's defaults and classical baselines side by side, and an embedding plot.

With no ``--data`` it clusters generated sequences (no files, no network).
"""

import importlib.util
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from .. import Seq2SeqClusterer
from ..baselines import MeanStdKMeans, MeanStdSpectral, PCAKMeans
from ..metrics import clustering_accuracy
from . import _options
from ._estimators import build
from ._windows import STRIDE, WIDTH, check_long_enough

HELP = "cluster sequences and compare with baselines"


def add_arguments(parser):
    parser.add_argument(
        "--data",
        help="folder holding actions/<action>/<action>_<i>.txt CMU "
        "recordings, or that actions/ folder; default: generated sequences",
    )
    parser.add_argument(
        "--output",
        default="skseq2seq_demo",
        help="folder for the embedding plot (default: %(default)s); '' for none",
    )
    _options.add_net(parser)


@dataclass
class Inputs:
    X: np.ndarray  # sequences (n_samples, n_timesteps, n_features)
    y: np.ndarray  # their true classes
    title: str
    folder: Path = None  # for the plot; None for none


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


def _load(data, random_state):
    """(windows, labels, title) from the CMU action folders or generated sequences."""
    from .. import datasets

    if data is None:
        X, y = datasets.make_motion_sequences(
            n_sequences=400, n_timesteps=40, n_features=6, n_regimes=4, random_state=random_state
        )
        return X, y, "generated sequences, 4 regimes differing only in dynamics"
    folder = Path(data) if Path(data).name == "actions" else Path(data) / "actions"
    actions = datasets.load_action_recordings(folder)
    check_long_enough(actions.recordings, actions.filenames, WIDTH)
    X, y = datasets.sliding_windows(actions.recordings, WIDTH, STRIDE, y=actions.target)
    return X, y, f"CMU actions from {data}: {WIDTH}-frame windows, stride {STRIDE}"


def prepare(args):
    """Check the plot folder (first), then load the data, before any training."""
    folder = _output_folder(args.output)
    return Inputs(*_load(args.data, args.random_state), folder)


def _scores(y, labels, seconds):
    return (
        adjusted_rand_score(y, labels),
        normalized_mutual_info_score(y, labels),
        clustering_accuracy(y, labels),
        seconds,
    )


def run(args, inputs, progress):
    """Fit the model and baselines; print the table, save the plot.

    Returns {method: (ARI, NMI, accuracy, seconds)}.
    """
    X, y = inputs.X, inputs.y
    n_clusters = len(np.unique(y))
    print(
        f"Data: {inputs.title}\n{len(X)} sequences of {X.shape[1]} steps x {X.shape[2]} "
        f"channels, {n_clusters} true classes",
        flush=True,
    )
    methods = {
        "Seq2SeqClusterer (defaults)": build(
            Seq2SeqClusterer, args, progress, n_clusters=n_clusters
        ),
        # The default joins learned states with posture statistics; the states alone
        # show what the net learned (they win where classes differ only in dynamics).
        "Seq2SeqClusterer, learned states alone": build(
            Seq2SeqClusterer, args, progress, n_clusters=n_clusters, features="states"
        ),
        "k-means on per-window mean/std": MeanStdKMeans(n_clusters, random_state=args.random_state),
        # The strongest classical pipeline: the same spectral stage on mean/std features.
        "spectral on per-window mean/std": MeanStdSpectral(
            n_clusters, random_state=args.random_state
        ),
        "PCA(20) + k-means on flattened windows": PCAKMeans(
            n_clusters, n_components=20, random_state=args.random_state
        ),
    }
    results = {}
    for name, method in methods.items():
        start = time.perf_counter()
        labels = method.fit_predict(X)
        results[name] = _scores(y, labels, time.perf_counter() - start)

    print(f"\n{'method':<42} {'ARI':>6} {'NMI':>6} {'acc':>6} {'fit s':>7}")
    for name, (ari, nmi, acc, seconds) in results.items():
        print(f"{name:<42} {ari:6.3f} {nmi:6.3f} {acc:6.3f} {seconds:7.1f}")

    if inputs.folder is not None:
        path = _save_plot(methods["Seq2SeqClusterer, learned states alone"], X, inputs.folder)
        print(f"\nEmbedding plot (PCA of decoder states, coloured by their cluster): {path}")
    return results


def _save_plot(model, X, folder):
    import matplotlib.pyplot as plt

    from ..plotting import plot_embedding

    folder.mkdir(parents=True, exist_ok=True)
    ax = plot_embedding(model.embedder_, X, labels=model.labels_, dim=3, kind="trajectories")
    ax.set_title("Decoder states (PCA), coloured by cluster of the learned states")
    path = folder / "embedding.png"
    ax.figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(ax.figure)
    return path
