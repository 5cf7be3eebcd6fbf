"""Timeline view of a temporal segmentation (Su & Shlizerman 2020, Fig. 6)."""

import numpy as np

from .._validation import check_fps, check_labels
from ..metrics import boundaries, match_labels
from ._colors import _palette

__all__ = ["plot_segmentation"]


def _runs(labels):
    """(start, length, label) of each run of equal labels."""
    starts = np.r_[0, boundaries(labels)]
    stops = np.r_[starts[1:], len(labels)]
    return starts, stops - starts, labels[starts]


def _match_colors(labels_true, labels_pred):
    """(colour index of each predicted label, sorted true classes).

    A predicted label takes the index of its Hungarian-matched true class
    (:func:`~skseq2seq.metrics.match_labels`); unmatched ones get their own.
    """
    classes = np.unique(labels_true)
    index = {c: i for i, c in enumerate(classes.tolist())}
    colour = {c: index[t] for c, t in match_labels(labels_true, labels_pred).items()}
    spare = len(classes)
    for cluster in np.unique(labels_pred).tolist():  # unmatched: colours of their own
        if cluster not in colour:
            colour[cluster] = spare
            spare += 1
    return colour, classes


def plot_segmentation(
    labels_true,
    labels_pred=None,
    *,
    fps=None,
    label_names=None,
    ax=None,
    cmap=None,
    match=True,
    colors=None,
):
    """Draw ground-truth and predicted segmentations as coloured timeline bars.

    Each row is a recording's frames in time order, coloured by label (the
    paper's comparison of annotated and recovered actions). With
    ``match=True`` every predicted cluster takes the colour of the true
    action it is matched with by the Hungarian algorithm, so agreeing rows
    look alike; unmatched clusters get colours of their own.

    Parameters
    ----------
    labels_true : array-like of shape (n_frames,)
        Ground-truth action of each frame (or, with ``labels_pred=None``, the
        only segmentation to draw).
    labels_pred : array-like of shape (n_frames,), default=None
        Predicted labels, drawn as a second row.
    fps : float, default=None
        Frames per second; the time axis is in seconds when given, in frames
        otherwise.
    label_names : list of str, default=None
        Names of the true labels, shown in a legend: ``label_names[label]``
        when the labels are integers that index it (as for
        :func:`plot_embedding`, so that a label missing from the frames does
        not shift the names), else the i-th name for the i-th sorted label.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure when None.
    cmap : str or Colormap, default=None
        Colours of the labels, the i-th sorted true label taking the i-th
        colour (unmatched clusters the next ones). None: the palette of
        :func:`label_colors` (tab10's colours, then their light shades), the
        one :func:`plot_embedding` uses, so that the same labels have the
        same colours in both.
    match : bool, default=True
        Colour predicted clusters by their matched true action.
    colors : dict, default=None
        ``{true label: colour}``, e.g. from :func:`label_colors`, shared with
        other panels; overrides ``cmap`` for the true labels (and for the
        clusters matched with them).

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skseq2seq.plotting import plot_segmentation
    >>> ax = plot_segmentation([0] * 50 + [1] * 50, [1] * 45 + [0] * 55, fps=10)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['true', 'predicted']
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    fps = check_fps(fps)
    labels_true = check_labels(labels_true, name="labels_true", unit="frame", min_labels=1)
    rows = [("true", labels_true)]
    if labels_pred is not None:
        labels_pred = check_labels(
            labels_pred,
            len(labels_true),
            name="labels_pred",
            unit="frame",
            reference="labels_true",
        )
        rows.append(("predicted", labels_pred))

    pred_colour, classes = _match_colors(
        labels_true, labels_pred if labels_pred is not None else labels_true
    )
    true_colour = {label: i for i, label in enumerate(classes)}
    if labels_pred is not None and not match:
        pred_colour = {c: i for i, c in enumerate(np.unique(labels_pred))}
    n_needed = max([len(classes), *(i + 1 for i in pred_colour.values())])
    palette = _palette(cmap, n_needed)
    if colors is not None:
        missing = [c for c in classes.tolist() if c not in colors]
        if missing:
            raise ValueError(f"colors has no colour for true label(s) {missing}.")
        for c, i in true_colour.items():
            palette[i] = colors[c]

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 0.6 + 0.5 * len(rows)))
    scale = 1.0 / fps if fps else 1.0
    for row, (name, labels) in enumerate(rows):
        mapping = true_colour if name == "true" else pred_colour
        starts, lengths, values = _runs(labels)
        ax.broken_barh(
            [(s * scale, n * scale) for s, n in zip(starts, lengths)],
            (row - 0.4, 0.8),
            facecolors=[palette[mapping[v]] for v in values],
        )
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([name for name, _ in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, len(labels_true) * scale)
    ax.set_xlabel("time (s)" if fps else "frame")
    if label_names is not None:
        by_value = np.issubdtype(classes.dtype, np.integer) and (
            classes.min() >= 0 and classes.max() < len(label_names)
        )
        if not by_value and len(label_names) < len(classes):
            raise ValueError(
                f"label_names has {len(label_names)} names for {len(classes)} true labels."
            )
        handles = [
            Patch(color=palette[true_colour[c]], label=str(label_names[c if by_value else i]))
            for i, c in enumerate(classes)
        ]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    return ax
