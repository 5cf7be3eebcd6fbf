"""Bar chart of the table :func:`skseq2seq.compare` returns."""

import numpy as np

__all__ = ["plot_comparison"]

_LABELS = {
    "ari": "ARI",
    "nmi": "NMI",
    "accuracy": "accuracy",
    "silhouette": "silhouette",
    "calinski_harabasz": "Calinski-Harabasz",
    "fit_seconds": "fit seconds",
}


def _column_names(table):
    names = getattr(table, "columns", None)  # a DataFrame
    if names is None:
        names = getattr(getattr(table, "dtype", None), "names", None)  # a structured array
    if names is None or "estimator" not in names:
        raise TypeError(
            "table must be what skseq2seq.compare returns (a DataFrame or a structured array "
            f"with an 'estimator' column); got {type(table).__name__}."
        )
    return list(names)


def plot_comparison(table, metrics=None, ax=None):
    """Draw the scores of :func:`skseq2seq.compare` as bars with standard-deviation error bars.

    One group of horizontal bars per estimator (the table's order, top
    down), one bar per metric, each with its mean over the runs and an error
    bar of one standard deviation either side.

    Parameters
    ----------
    table : pandas.DataFrame or numpy structured array
        The table :func:`skseq2seq.compare` returns.
    metrics : list of str, default=None
        Metrics drawn, by their column prefix (``"ari"`` draws ``ari_mean``
        and ``ari_sd``). None means ``ari``, ``nmi`` and ``accuracy`` when the
        table has them, else ``silhouette`` (Calinski–Harabasz and
        ``fit_seconds`` have other scales: draw them on their own axes).
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure when None.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skseq2seq.plotting import plot_comparison
    >>> table = np.array(
    ...     [("seq2seq", 0.6, 0.05, 8.0, 1.0), ("baseline", 0.5, 0.0, 0.1, 0.0)],
    ...     dtype=[("estimator", "U8"), ("ari_mean", float), ("ari_sd", float),
    ...            ("fit_seconds_mean", float), ("fit_seconds_sd", float)])
    >>> ax = plot_comparison(table)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['seq2seq', 'baseline']
    """
    import matplotlib.pyplot as plt

    columns = _column_names(table)
    available = [c[: -len("_mean")] for c in columns if c.endswith("_mean")]
    if metrics is None:
        metrics = [m for m in ("ari", "nmi", "accuracy") if m in available] or [
            m for m in ("silhouette",) if m in available
        ]
    elif isinstance(metrics, str):
        metrics = [metrics]
    missing = [m for m in metrics if m not in available]
    if missing or not metrics:
        raise ValueError(f"metrics {missing or metrics} not in the table; it has {available}.")
    names = [str(name) for name in np.asarray(table["estimator"])]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.4 + 0.25 * len(names) * (len(metrics) + 1)))
    height = 0.8 / len(metrics)
    rows = np.arange(len(names))
    for i, metric in enumerate(metrics):
        ax.barh(
            rows - 0.4 + height * (i + 0.5),
            np.asarray(table[f"{metric}_mean"], dtype=float),
            height,
            xerr=np.nan_to_num(np.asarray(table[f"{metric}_sd"], dtype=float)),
            capsize=2,
            label=_LABELS.get(metric, metric),
        )
    ax.set_yticks(rows)
    ax.set_yticklabels(names)
    ax.set_ylim(len(names) - 0.5, -0.5)  # the table's first row on top
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(", ".join(_LABELS.get(m, m) for m in metrics) + " (mean ± sd)")
    if len(metrics) > 1:
        ax.legend(loc="best", fontsize="small")
    return ax
