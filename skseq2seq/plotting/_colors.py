"""One colour per label, the same in every panel of a figure."""

import numpy as np

__all__ = ["label_colors"]


def _palette(cmap, n):
    """``n`` colours: of ``cmap``, or (None) tab10's then tab20's light shades.

    With ``cmap=None`` colour ``i`` does not depend on ``n``: the 10 distinct
    tab10 colours come first (tab20's even entries), then their light shades,
    so up to 10 labels never share a hue and the i-th label has the same
    colour whichever panel draws it.
    """
    import matplotlib.pyplot as plt

    if cmap is None:
        tab20 = plt.get_cmap("tab20")
        base = [tab20(i) for i in range(0, 20, 2)] + [tab20(i) for i in range(1, 20, 2)]
        return [base[i % len(base)] for i in range(n)]
    colours = plt.get_cmap(cmap)
    n_colours = getattr(colours, "N", 256)
    if n_colours < 256:  # a listed (qualitative) colormap: its colours in order
        return [colours(i % n_colours) for i in range(n)]
    return [colours(i / max(1, n - 1)) for i in range(n)]


def label_colors(labels, cmap=None):
    """Colour of each label value, to colour several panels alike.

    :func:`plot_embedding` and :func:`plot_segmentation` give the i-th
    label value (in sorted order) the i-th colour of the same palette, so
    panels that see the same labels agree; when a panel sees only some of
    them (a subset of the frames), pass this mapping as ``colors=`` to every
    panel.

    Parameters
    ----------
    labels : array-like
        Label values (repeats allowed); every distinct value gets a colour.
    cmap : str or Colormap, default=None
        None: tab10's ten colours, then their light shades (tab20), so that
        up to ten labels have distinct hues. A listed colormap gives its
        colours in order; a continuous one is sampled evenly.

    Returns
    -------
    colors : dict
        ``{label: RGBA tuple}`` for each distinct value, in sorted order.

    Examples
    --------
    >>> from skseq2seq.plotting import label_colors
    >>> colors = label_colors(["walk", "run", "walk"])
    >>> list(colors)
    ['run', 'walk']
    >>> colors["run"] != colors["walk"]
    True
    """
    message = "labels must be a flat sequence of label values, one per sample."
    try:
        labels = np.asarray(labels)
    except ValueError:  # ragged nesting
        raise ValueError(message) from None
    if labels.ndim != 1:
        raise ValueError(message)
    values = np.unique(labels).tolist()
    return dict(zip(values, _palette(cmap, len(values))))
