"""PCA views of the decoder-state embedding (Su & Shlizerman 2020, Fig. 3-5)."""

import numpy as np
from sklearn.decomposition import PCA

from .._validation import check_labels
from ._colors import _palette

__all__ = ["plot_embedding"]


def _states_from(embedder_or_states, X):
    """(states, is_sequence): (n, steps, h) decoder states or (n, h) embedding."""
    source = embedder_or_states
    if hasattr(source, "transform_states"):
        if X is None:
            raise ValueError("X is required when passing a fitted embedder.")
        return np.asarray(source.transform_states(X), dtype=np.float64)
    if getattr(source, "embedder_", False) is None:
        raise ValueError(
            f"This {type(source).__name__} trained no network (its features use none): it has "
            "no states to plot; pass its embedding_ to plot the features it clustered."
        )
    if hasattr(source, "embedder_") and hasattr(source.embedder_, "transform_states"):
        if X is None:
            raise ValueError("X is required when passing a fitted clusterer.")
        return np.asarray(source.embedder_.transform_states(X), dtype=np.float64)
    if X is not None:
        raise ValueError("X is only used with a fitted embedder; got an array of states and X.")
    try:
        states = np.asarray(source, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            "embedder_or_states must be a fitted Seq2SeqEmbedder (or Seq2SeqClusterer) "
            "or an array of states of shape (n_sequences, n_steps, n_hidden) or "
            f"(n_samples, n_hidden); got {type(source).__name__}."
        ) from exc
    if states.ndim not in (2, 3):
        raise ValueError(
            "states must have shape (n_sequences, n_steps, n_hidden) or "
            f"(n_samples, n_hidden); got {states.ndim}D array of shape {states.shape}."
        )
    return states


def _has_name(label_names, value):
    """Whether ``label_names[value]`` names the label (a key of a dict, an index of a list)."""
    try:
        label_names[value]
    except (KeyError, IndexError, TypeError):
        return False
    return not (isinstance(label_names, (list, tuple, np.ndarray)) and value < 0)


def plot_embedding(
    embedder_or_states,
    X=None,
    labels=None,
    dim=2,
    kind="points",
    ax=None,
    label_names=None,
    cmap=None,
    colors=None,
    **kwargs,
):
    """Plot decoder states projected on their first principal components.

    The paper's view of the embedding: every decoded step of every sequence
    gives a hidden state; PCA (fitted on all of them) projects them to 2 or 3
    dimensions, where sequences with the same dynamics trace nearby paths.

    Parameters
    ----------
    embedder_or_states : Seq2SeqEmbedder, Seq2SeqClusterer or array-like
        A fitted embedder (or clusterer, whose ``embedder_`` is used) together
        with ``X``; or decoder states of shape ``(n_sequences, n_steps,
        n_hidden)`` as returned by
        :meth:`~skseq2seq.Seq2SeqEmbedder.transform_states` (NaN steps, past a
        sequence's end, are skipped); or a pooled embedding of shape
        ``(n_samples, n_hidden)`` as returned by
        :meth:`~skseq2seq.Seq2SeqEmbedder.transform` (``kind="points"`` only).
    X : array-like or list of arrays, default=None
        Sequences to embed when an estimator is passed.
    labels : array-like of shape (n_sequences,), default=None
        Class or cluster of each sequence; colours points and trajectories and
        fills the legend. None draws everything in one colour.
    dim : {2, 3}, default=2
        Number of principal components shown.
    kind : {"points", "trajectories"}, default="points"
        ``"points"``: one marker per decoder state (per row for a 2D array).
        ``"trajectories"``: one line per sequence through its successive
        states, with a dot at the first step.
    ax : matplotlib Axes, default=None
        Where to draw (a 3D axes when ``dim=3``); None creates a figure.
    label_names : dict or sequence, default=None
        Legend text for each label value (``label_names[label]``); None uses
        the label values.
    cmap : str or Colormap, default=None
        Colours of the labels, the i-th sorted label value taking the i-th
        colour. None: the palette of :func:`label_colors` (tab10's colours,
        then their light shades), the one :func:`plot_segmentation` uses.
    colors : dict, default=None
        ``{label: colour}``, e.g. from :func:`label_colors`, to give each
        label the same colour in several panels even when a panel lacks some
        labels; overrides ``cmap``.
    **kwargs
        Passed to ``ax.scatter`` (points) or ``ax.plot`` (trajectories).

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on, with the explained-variance ratio in the axis
        labels.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq.plotting import plot_embedding
    >>> states = np.random.RandomState(0).normal(size=(6, 5, 8))
    >>> ax = plot_embedding(states, labels=[0, 0, 0, 1, 1, 1], kind="trajectories")
    >>> len(ax.lines)
    6
    """
    import matplotlib.pyplot as plt

    if dim not in (2, 3) or isinstance(dim, bool):
        raise ValueError(f"dim must be 2 or 3; got {dim!r}.")
    if kind not in ("points", "trajectories"):
        raise ValueError(f'kind must be "points" or "trajectories"; got {kind!r}.')
    states = _states_from(embedder_or_states, X)
    if kind == "trajectories" and states.ndim != 3:
        raise ValueError(
            'kind="trajectories" needs per-step states of shape (n_sequences, n_steps, '
            f"n_hidden), e.g. from transform_states; got shape {states.shape}."
        )
    if states.ndim == 2:
        states = states[:, None, :]
    n_sequences, _, n_hidden = states.shape
    if np.isinf(states).any():
        where = tuple(int(i[0]) for i in np.nonzero(np.isinf(states)))
        raise ValueError(f"states hold infinity (at index {where}); expected finite states.")
    valid = ~np.isnan(states).any(axis=2)  # NaN: steps after a sequence's end
    empty = np.flatnonzero(~valid.any(axis=1))
    if len(empty) and len(empty) < n_sequences:
        raise ValueError(
            f"Sequence {int(empty[0])} has no state without NaN ({len(empty)} of {n_sequences} "
            "are all NaN); drop them, there is nothing to draw."
        )
    flat = states[valid]
    if len(flat) < dim or n_hidden < dim:
        raise ValueError(
            f"Need at least {dim} states of at least {dim} dimensions for a "
            f"{dim}D projection; got {len(flat)} states of {n_hidden} dimensions."
        )
    if labels is not None:
        labels = check_labels(labels, n_sequences, unit="sequence")
    pca = PCA(n_components=dim).fit(flat)
    projected = np.full(states.shape[:2] + (dim,), np.nan)
    projected[valid] = pca.transform(flat)

    if ax is None:
        fig = plt.figure()
        ax = fig.add_subplot(projection="3d" if dim == 3 else None)
    elif dim == 3 and getattr(ax, "name", "") != "3d":
        raise ValueError('dim=3 needs a 3D axes, e.g. fig.add_subplot(projection="3d").')

    if labels is None:
        groups = [(None, np.ones(n_sequences, dtype=bool))]
    else:
        groups = [(value, labels == value) for value in np.unique(labels)]
    if label_names is not None and labels is not None:
        missing = [value for value, _ in groups if not _has_name(label_names, value)]
        if missing:
            raise ValueError(f"label_names has no name for label(s) {missing}.")
    palette = _palette(cmap, len(groups))
    if colors is not None and labels is not None:
        missing = [value for value, _ in groups if value not in colors]
        if missing:
            raise ValueError(f"colors has no colour for label(s) {missing}.")
    for i, (value, members) in enumerate(groups):
        colour = colors[value] if colors is not None and value is not None else palette[i]
        name = None
        if value is not None:
            name = str(label_names[value] if label_names is not None else value)
        if kind == "points":
            points = projected[members][valid[members]]
            ax.scatter(*points.T, label=name, **{"color": colour, "s": 8, **kwargs})
            continue
        for j, path in enumerate(projected[members]):
            path = path[~np.isnan(path[:, 0])]
            style = {"color": colour, "linewidth": 0.8, "alpha": 0.8, **kwargs}
            ax.plot(*path.T, label=name if j == 0 else None, **style)
        starts = np.array([path[~np.isnan(path[:, 0])][0] for path in projected[members]])
        ax.scatter(*starts.T, color=kwargs.get("color", colour), s=10)
    ratio = pca.explained_variance_ratio_
    ax.set_xlabel(f"PC1 ({ratio[0]:.0%})")
    ax.set_ylabel(f"PC2 ({ratio[1]:.0%})")
    if dim == 3:
        ax.set_zlabel(f"PC3 ({ratio[2]:.0%})")
    if labels is not None:
        ax.legend(fontsize="small", markerscale=2)
    return ax
