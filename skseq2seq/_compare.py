"""compare: the seq2seq estimators and the classical baselines on the same data."""

import numbers
import time
from importlib.util import find_spec

import numpy as np
from sklearn.base import clone, is_clusterer
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    normalized_mutual_info_score,
    silhouette_score,
)
from sklearn.utils import check_array, check_random_state

from ._baseline_segmenters import FrameStatsSegmenter, GaussianHMMSegmenter, WindowStatsSegmenter
from ._baselines import DTWKMeans, MeanStdKMeans, MeanStdSpectral, MeanStdWard, PCAKMeans
from ._clusterer import Seq2SeqClusterer, posture_statistics
from ._segmenter import TemporalSegmenter
from ._sklearn_compat import Interval, StrOptions, validate_params
from ._stats import standardise
from ._validation import check_labels, check_recordings, check_sequences
from .metrics import clustering_accuracy

__all__ = ["compare"]

_SUPERVISED = ("ari", "nmi", "accuracy")
_INTERNAL = ("silhouette", "calinski_harabasz")
_SILHOUETTE_SAMPLES = 2000  # silhouette's cost grows with the square of the samples


def _default_estimators(task, n_clusters):
    """The rows ``estimators="default"`` runs, in table order."""
    if task == "cluster":
        defaults = {
            "Seq2SeqClusterer": Seq2SeqClusterer(n_clusters),
            "MeanStdKMeans": MeanStdKMeans(n_clusters),
            "MeanStdWard": MeanStdWard(n_clusters),
            "PCAKMeans": PCAKMeans(n_clusters),
            # The honest bar: the package's spectral stage without a network,
            # and the default network left untrained (the gain of training).
            "MeanStdSpectral": MeanStdSpectral(n_clusters),
            "MeanStdSpectral(no merge)": MeanStdSpectral(n_clusters, n_extra_clusters=0),
            "Seq2SeqClusterer(untrained)": Seq2SeqClusterer(n_clusters).set_params(
                embedder__max_epochs=0
            ),
        }
        if find_spec("tslearn") is not None:
            # Centroids from 200 sequences at half the frame rate: DTW's cost
            # grows with n_samples * n_timesteps**2.
            defaults["DTWKMeans"] = DTWKMeans(n_clusters, downsample=2, max_fit_samples=200)
        return defaults
    defaults = {
        "TemporalSegmenter": TemporalSegmenter(n_clusters),
        # The default segments from the frames alone: what the learned states give.
        "TemporalSegmenter(states+frames)": TemporalSegmenter(n_clusters, features="states+frames"),
        "WindowStatsSegmenter": WindowStatsSegmenter(n_clusters),
        "WindowStatsSegmenter(kmeans)": WindowStatsSegmenter(n_clusters, clustering="kmeans"),
        "FrameStatsSegmenter": FrameStatsSegmenter(n_clusters),
    }
    if find_spec("hmmlearn") is not None:
        defaults["GaussianHMMSegmenter"] = GaussianHMMSegmenter(n_clusters)
    return defaults


def _estimators(estimators, task, n_clusters):
    """Name -> estimator: the defaults, with ``estimators``'s entries added or dropped."""
    rows = _default_estimators(task, n_clusters)
    if isinstance(estimators, str):
        return rows
    for name, estimator in estimators.items():
        if isinstance(estimator, str) and estimator == "drop":
            if name not in rows:
                raise ValueError(
                    f"estimators[{name!r}]='drop' names no default estimator; the defaults "
                    f"for task={task!r} are {sorted(rows)}."
                )
            del rows[name]
        elif isinstance(estimator, type) or not (
            hasattr(estimator, "fit")
            and (hasattr(estimator, "fit_predict") or is_clusterer(estimator))
        ):
            # Checked before any fit: a regressor or a transformer would fail after the others.
            raise TypeError(
                f"estimators[{name!r}] must be a clusterer instance, with fit and fit_predict "
                f"(or 'drop'); got {estimator!r:.200}."
            )
        else:
            rows[str(name)] = estimator
    if not rows:
        raise ValueError("estimators drops every default estimator and adds none.")
    return rows


def _frame_labels(y, recordings, is_list):
    """One label per frame of all recordings, joined (y: an array, or a list per recording)."""
    n_frames = sum(len(rec) for rec in recordings)
    if is_list and isinstance(y, (list, tuple)) and len(y) == len(recordings):
        if all(np.ndim(part) == 1 for part in y):
            for i, (part, rec) in enumerate(zip(y, recordings)):
                if len(part) != len(rec):
                    raise ValueError(
                        f"y[{i}] has {len(part)} labels for the {len(rec)} frames of recording "
                        f"{i}; expected one label per frame."
                    )
            y = np.concatenate([np.asarray(part) for part in y])
    return check_labels(y, n_frames, name="y", unit="frame", reference="X")


def _scores(labels, y, features, seed):
    """Each score of one run: against y when given, else internal (on ``features``)."""
    if y is not None:
        return {
            "ari": adjusted_rand_score(y, labels),
            "nmi": normalized_mutual_info_score(y, labels),
            "accuracy": clustering_accuracy(y, labels),
        }
    if not 1 < len(np.unique(labels)) < len(labels):  # undefined for one or n clusters
        return {"silhouette": np.nan, "calinski_harabasz": np.nan}
    sample = min(len(labels), _SILHOUETTE_SAMPLES)
    return {
        "silhouette": silhouette_score(features, labels, sample_size=sample, random_state=seed),
        "calinski_harabasz": calinski_harabasz_score(features, labels),
    }


def _table(rows, columns):
    """A pandas DataFrame when pandas is installed, else a numpy structured array."""
    if find_spec("pandas") is not None:
        import pandas as pd

        return pd.DataFrame(rows, columns=columns)
    width = max(len(row[0]) for row in rows)
    dtype = [("estimator", f"U{width}")] + [(c, np.float64) for c in columns[1:-1]]
    return np.array([tuple(row) for row in rows], dtype=dtype + [("n_runs", np.int64)])


@validate_params(
    {
        "X": ["array-like"],
        "y": ["array-like", None],
        "task": [StrOptions({"cluster", "segment"})],
        "estimators": [StrOptions({"default"}), dict],
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "n_seeds": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "fps": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "score_features": ["array-like", None],
        "verbose": ["boolean"],
    },
    prefer_skip_nested_validation=False,  # the estimators validate their own parameters
)
def compare(
    X,
    y=None,
    *,
    task="cluster",
    estimators="default",
    n_clusters=None,
    n_seeds=1,
    random_state=0,
    fps=None,
    score_features=None,
    verbose=False,
):
    """Run the seq2seq estimator and the classical baselines on the same data; tabulate scores.

    With ``task="cluster"`` the rows are :class:`Seq2SeqClusterer` and the
    sequence baselines of :mod:`skseq2seq.baselines`; with
    ``task="segment"``, :class:`TemporalSegmenter` and the segmentation
    baselines. Every estimator is fitted once per seed (estimators without a
    ``random_state`` once) and timed.

    With labels ``y``, the scores say how well each clustering matches them:
    adjusted Rand index, normalised mutual information and Hungarian
    accuracy (:func:`~skseq2seq.metrics.clustering_accuracy`). Without, they
    are internal: silhouette (on at most 2000 samples drawn at random) and
    Calinski–Harabasz, both computed in one feature space for every row,
    ``score_features``. They measure how compact and separated the clusters
    are *in that space*, not whether they are right: they favour methods
    that cluster in that space (by default, the mean/std baselines for
    sequences) and can rank a correct clustering below a wrong one. Read
    them to spot degenerate results, and compare methods on labelled data.

    Parameters
    ----------
    X : array-like
        ``task="cluster"``: sequences, as for :class:`Seq2SeqClusterer` (3D
        array, 2D array of univariate sequences or list of (T_i, n_features)
        arrays). ``task="segment"``: one recording of shape (n_frames,
        n_features) or a list of recordings, as for
        :class:`TemporalSegmenter`.
    y : array-like, default=None
        True label of each sequence, or of each frame (for a list of
        recordings: a list of per-recording label arrays, or one array for
        all frames in order). None scores without labels.
    task : {"cluster", "segment"}, default="cluster"
        Cluster sequences, or segment recordings (a 2D array would be
        ambiguous, so the task is named rather than guessed).
    estimators : "default" or dict, default="default"
        ``"default"``: for ``"cluster"``, ``Seq2SeqClusterer``,
        ``MeanStdKMeans``, ``MeanStdWard``, ``PCAKMeans``, ``MeanStdSpectral``
        (with and without merging), the untrained control
        ``Seq2SeqClusterer(untrained)`` (its embedder with ``max_epochs=0``)
        and, when tslearn is installed,
        ``DTWKMeans(downsample=2, max_fit_samples=200)``; for
        ``"segment"``, ``TemporalSegmenter`` (whose default is the frames
        alone), ``TemporalSegmenter(states+frames)`` (with the learned
        states of its nets), ``WindowStatsSegmenter`` (Ward and k-means),
        ``FrameStatsSegmenter`` and, when hmmlearn is installed,
        ``GaussianHMMSegmenter``, all at their defaults otherwise. A dict
        ``{name: estimator}`` adds its rows to the defaults: an estimator
        under a default's name replaces it (e.g. a ``Seq2SeqClusterer`` with
        a smaller network) and ``"drop"`` removes that default. An estimator
        must be a clusterer (``fit`` and ``fit_predict``, or scikit-learn's
        clusterer tag, giving ``labels_``)
        taking X's layout; this is checked before any fit.
    n_clusters : int, default=None
        Number of clusters, set on every estimator with an ``n_clusters``
        parameter; None means the number of distinct labels in ``y``
        (required without ``y``).
    n_seeds : int, default=1
        Fits per estimator, each with its own ``random_state``; the table
        gives the mean and standard deviation over them.
    random_state : int, RandomState instance or None, default=0
        Draws the seeds, set as ``random_state`` on every estimator that has
        one (and used to sample the silhouette).
    fps : float, default=None
        ``task="segment"``: frame rate of the recordings, set on every
        estimator with an ``fps`` parameter; None leaves theirs (120 by
        default).
    score_features : array-like of shape (n_samples, n_score_features), default=None
        Without ``y``: the space of the internal scores, one row per sequence
        (per frame for ``task="segment"``). None means the standardised
        per-sequence mean and standard deviation of each channel
        (:func:`posture_statistics`), or the standardised frames.
    verbose : bool, default=False
        Print one line per fit: estimator, seed, scores and seconds.

    Returns
    -------
    table : pandas.DataFrame or numpy structured array
        One row per estimator (a DataFrame when pandas is installed): column
        ``estimator`` (its name), then ``<score>_mean`` and ``<score>_sd``
        for each score (``ari``, ``nmi``, ``accuracy`` with ``y``;
        ``silhouette``, ``calinski_harabasz`` without) and for
        ``fit_seconds`` (wall-clock time of ``fit``), and ``n_runs`` (fits
        averaged). ``_sd`` is the sample standard deviation (0 for one run).

    See Also
    --------
    skseq2seq.plotting.plot_comparison : Draws the table.

    Examples
    --------
    >>> from skseq2seq import Seq2SeqClusterer, Seq2SeqEmbedder, compare
    >>> from skseq2seq.datasets import make_motion_sequences
    >>> X, y = make_motion_sequences(n_sequences=60, n_timesteps=20, n_regimes=3,
    ...                              random_state=0)
    >>> small = Seq2SeqClusterer(embedder=Seq2SeqEmbedder(hidden_size=16, max_epochs=3))
    >>> table = compare(X, y, estimators={"Seq2SeqClusterer": small})
    >>> list(table["estimator"])[:4]  # then MeanStdSpectral, ...
    ['Seq2SeqClusterer', 'MeanStdKMeans', 'MeanStdWard', 'PCAKMeans']
    >>> bool((table["ari_mean"] <= 1).all())
    True
    """
    if task == "cluster":
        n_samples = len(check_sequences(X, min_length=1)[1])
        if y is not None:
            y = check_labels(y, n_samples, name="y", unit="sequence", reference="X")
    else:
        recordings, is_list = check_recordings(X)
        n_samples = sum(len(rec) for rec in recordings)
        if y is not None:
            y = _frame_labels(y, recordings, is_list)
    if y is not None and y.dtype.kind == "f" and np.isnan(y).any():
        # Every NaN would count as a class of its own in the scores.
        raise ValueError(f"y has missing labels (NaN) at index {int(np.argmax(np.isnan(y)))}.")
    if n_clusters is None:
        if y is None:
            raise ValueError("n_clusters is required when y is None (no labels to count).")
        n_clusters = len(np.unique(y))
    n_clusters = int(n_clusters)
    if n_clusters > n_samples:  # before any fit: every estimator would refuse it
        unit = "sequences" if task == "cluster" else "frames"
        raise ValueError(
            f"n_clusters={n_clusters} is larger than the number of {unit} (n_samples={n_samples})."
        )
    features = None
    if y is None:
        if score_features is not None:
            features = check_array(score_features, input_name="score_features")  # finite
            if len(features) != n_samples:
                raise ValueError(
                    f"score_features must have shape ({n_samples}, n_score_features), one row "
                    f"per {'sequence' if task == 'cluster' else 'frame'}; got {features.shape}."
                )
        elif task == "cluster":
            features = posture_statistics(X)
        else:
            features = standardise(np.concatenate(recordings).astype(np.float64))[0]
    rows = _estimators(estimators, task, n_clusters)
    seeds = check_random_state(random_state).randint(np.iinfo(np.int32).max, size=n_seeds)
    metrics = _SUPERVISED if y is not None else _INTERNAL

    table = []
    for name, estimator in rows.items():
        params = estimator.get_params(deep=False)
        overrides = {"n_clusters": n_clusters} if "n_clusters" in params else {}
        if task == "segment" and fps is not None and "fps" in params:
            overrides["fps"] = fps
        seeded = "random_state" in params
        runs = {metric: [] for metric in (*metrics, "fit_seconds")}
        for seed in seeds if seeded else seeds[:1]:
            model = clone(estimator).set_params(
                **overrides, **({"random_state": int(seed)} if seeded else {})
            )
            start = time.perf_counter()
            if hasattr(model, "fit_predict"):
                labels = model.fit_predict(X)
            else:
                labels = model.fit(X).labels_
            seconds = time.perf_counter() - start
            if task == "segment" and isinstance(labels, list):
                labels = np.concatenate(labels)
            if np.shape(labels) != (n_samples,):
                raise ValueError(
                    f"estimators[{name!r}] gave labels of shape {np.shape(labels)}; expected one "
                    f"label per {'sequence' if task == 'cluster' else 'frame'}, ({n_samples},)."
                )
            scores = _scores(np.asarray(labels), y, features, int(seed))
            for metric, value in scores.items():
                runs[metric].append(float(value))
            runs["fit_seconds"].append(seconds)
            if verbose:
                shown = "  ".join(f"{m} {v:.3f}" for m, v in scores.items())
                seed_text = f"seed {seed}" if seeded else "no seed"
                print(f"[compare] {name} ({seed_text}): {shown}  fit {seconds:.1f} s", flush=True)
        row = [name]
        for values in runs.values():
            sd = np.std(values, ddof=1) if len(values) > 1 else 0.0
            row += [float(np.mean(values)), float(sd)]
        table.append(row + [len(runs["fit_seconds"])])
    columns = ["estimator"]
    for metric in (*metrics, "fit_seconds"):
        columns += [f"{metric}_mean", f"{metric}_sd"]
    return _table(table, columns + ["n_runs"])


# Default rows that need an optional package, and that package (see _default_estimators).
_OPTIONAL_DEFAULTS = {
    "cluster": {"DTWKMeans": "tslearn"},
    "segment": {"GaussianHMMSegmenter": "hmmlearn"},
}


def skipped_defaults(task):
    """``{name: reason}`` of the default rows ``compare`` leaves out on this machine."""
    return {
        name: f"needs {package}: pip install {package}"
        for name, package in _OPTIONAL_DEFAULTS[task].items()
        if find_spec(package) is None
    }


def table_rows(table):
    """(column names, rows of Python values) of :func:`compare`'s DataFrame or structured array."""
    if hasattr(table, "itertuples"):
        return list(table.columns), [tuple(row) for row in table.itertuples(index=False)]
    return list(table.dtype.names), table.tolist()


def _mean_sd(mean, sd, several, digits):
    return f"{mean:.{digits}f}" + (f" ± {sd:.{digits}f}" if several else "")


def format_table(table):
    """:func:`compare`'s table as text: one column per score, ``mean ± sd`` over several runs."""
    columns, rows = table_rows(table)
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
