"""Loss and embedding-quality curves over training epochs."""

import numpy as np
from sklearn.exceptions import NotFittedError

__all__ = ["plot_training"]

_QUALITY = ("silhouette", "calinski_harabasz", "davies_bouldin", "ari", "nmi")
_TITLES = {
    "silhouette": "silhouette (k-means)",
    "calinski_harabasz": "Calinski-Harabasz (k-means)",
    "davies_bouldin": "Davies-Bouldin (k-means, lower is better)",
    "ari": "adjusted Rand index vs labels",
    "nmi": "normalized mutual information vs labels",
}


def _history_from(source):
    if isinstance(source, (list, tuple)):
        return source
    for attribute in ("history_", "history"):
        try:  # an unfitted embedder's history_ raises AttributeError
            return getattr(source, attribute)
        except AttributeError:
            pass
    if hasattr(source, "embedder_"):  # a fitted Seq2SeqClusterer or TemporalSegmenter
        if source.embedder_ is None:
            raise ValueError(
                f"This {type(source).__name__} trained no network (its features use none): "
                "it has no training history."
            )
        return source.embedder_.history_
    if hasattr(source, "get_params") and hasattr(source, "fit"):
        raise NotFittedError(
            f"This {type(source).__name__} instance is not fitted yet: it has no training "
            "history. Call fit before plot_training."
        )
    return source


def _column(rows, key):
    return np.array([np.nan if row.get(key) is None else float(row[key]) for row in rows])


def _log_ticks(ax, values):
    """Log y axis with a few ticks labelled as plain numbers (0.2, 1, 5, not 10^x).

    1, 2 and 5 times powers of ten over about a decade, 1 and 3 times over
    a few, powers of ten beyond: about three to six labels in a small panel.
    """
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    decades = np.log10(values.max() / values.min())
    subs = (1.0, 2.0, 5.0) if decades <= 1.2 else (1.0, 3.0) if decades <= 2.5 else (1.0,)
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=subs))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def plot_training(history, metrics=None, axes=None, loss="train_loss", loss_scale="auto"):
    """Plot the training loss and the embedding-quality scores per epoch.

    Scores are those :class:`skseq2seq.callbacks.EmbeddingQuality` records;
    each gets its own panel under the loss, with a dotted line at its best
    epoch (the loss panel marks the lowest loss), so one can see whether the
    embedding is best where the loss is lowest.

    Parameters
    ----------
    history : skorch History, list of dict, Seq2SeqEmbedder or Seq2SeqClusterer
        The per-epoch record (``embedder.history_``), or an estimator whose
        history to use.
    metrics : sequence of str, default=None
        History keys to plot under the loss. None means every recorded key
        that ends with an :class:`~skseq2seq.callbacks.EmbeddingQuality`
        score name (``silhouette``, ``calinski_harabasz``, ``davies_bouldin``,
        ``ari``, ``nmi``; prefixed keys included).
    axes : sequence of matplotlib Axes, default=None
        ``1 + len(metrics)`` axes to draw on; None creates a figure with one
        row per panel and a shared epoch axis.
    loss : str, default="train_loss"
        History key of the loss.
    loss_scale : {"auto", "linear", "log"}, default="auto"
        Scale of the loss axis. ``"auto"``: logarithmic when the (positive)
        losses span more than a factor of 10, as when the first epoch's
        loss dwarfs the rest; linear otherwise. A logarithmic axis has a few
        ticks labelled as plain numbers (e.g. 0.3, 1, 3).

    Returns
    -------
    axes : ndarray of matplotlib Axes
        The loss panel first, then one per metric.

    Examples
    --------
    >>> from skseq2seq.plotting import plot_training
    >>> history = [{"epoch": 1, "train_loss": 1.0, "silhouette": 0.2},
    ...            {"epoch": 2, "train_loss": 0.5, "silhouette": 0.4}]
    >>> axes = plot_training(history)
    >>> len(axes)
    2
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if loss_scale not in ("auto", "linear", "log"):
        raise ValueError(f'loss_scale must be "auto", "linear" or "log"; got {loss_scale!r}.')
    rows = list(_history_from(history))
    if not rows or not all(isinstance(row, dict) for row in rows):
        raise ValueError(
            "history must be a non-empty skorch History (or list of per-epoch dicts), "
            "or a fitted estimator with history_."
        )
    if not any(loss in row for row in rows):
        raise ValueError(f"history has no {loss!r} entries; keys are {sorted(rows[-1])}.")
    keys = set().union(*(row.keys() for row in rows))
    if metrics is None:
        metrics = sorted(k for k in keys if any(k == q or k.endswith("_" + q) for q in _QUALITY))
    else:
        metrics = [metrics] if isinstance(metrics, str) else list(metrics)
        missing = [m for m in metrics if m not in keys]
        if missing:
            raise ValueError(
                f"metric(s) {missing} not in history; recorded keys are {sorted(keys)}."
            )
    n_panels = 1 + len(metrics)
    if axes is None:
        fig, axes = plt.subplots(
            n_panels, 1, sharex=True, figsize=(6.4, 1.2 + 1.9 * n_panels), squeeze=False
        )
        axes = axes[:, 0]
        fig.subplots_adjust(hspace=0.35)
    else:
        axes = np.ravel(np.asarray(axes, dtype=object))
        if len(axes) != n_panels:
            raise ValueError(
                f"axes must hold {n_panels} axes (loss + {len(metrics)} metrics); got {len(axes)}."
            )
    epochs = np.array([row.get("epoch", i + 1) for i, row in enumerate(rows)])

    def draw(ax, key, title, lower_is_better):
        values = _column(rows, key)
        seen = ~np.isnan(values)
        ax.plot(
            epochs[seen],
            values[seen],
            marker="o" if seen.sum() <= 30 else None,
            markersize=3,
            label=key,
        )
        if seen.any():
            best = np.nanargmin(values) if lower_is_better else np.nanargmax(values)
            ax.axvline(epochs[best], color="0.5", linestyle=":", linewidth=1)
            ax.set_title(f"{title} (best: epoch {epochs[best]})", fontsize="medium")
        ax.grid(alpha=0.3)

    draw(axes[0], loss, loss.replace("_", " "), True)
    losses = _column(rows, loss)
    losses = losses[~np.isnan(losses)]
    # "auto": logarithmic when every loss is positive and they span over a decade.
    log = loss_scale == "log" or (
        loss_scale == "auto"
        and len(losses) > 0
        and losses.min() > 0
        and losses.max() > 10 * losses.min()
    )
    if log and (losses > 0).any():
        _log_ticks(axes[0], losses[losses > 0])
    for ax, key in zip(axes[1:], metrics):
        base = next((q for q in _QUALITY if key == q or key.endswith("_" + q)), None)
        draw(
            ax,
            key,
            key[: len(key) - len(base)] + _TITLES[base] if base else key,
            base == "davies_bouldin",
        )
    for ax in axes:  # epochs are whole numbers
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[-1].set_xlabel("epoch")
    return axes
