"""Plots of the decoder-state embedding, of training, of segmentations and of comparisons.

matplotlib is imported when a function is called; every function draws on
the ``ax``/``axes`` it is given (or a new figure) and returns them, without
calling ``plt.show()``.
"""

from importlib.util import find_spec as _find_spec

from ._colors import label_colors
from ._comparison import plot_comparison
from ._embedding import plot_embedding
from ._training import plot_training

__all__ = ["label_colors", "plot_comparison", "plot_embedding", "plot_training"]

if _find_spec(__name__ + "._segmentation") is not None:
    from ._segmentation import plot_segmentation  # noqa: F401

    __all__.append("plot_segmentation")
