"""Pickles that remember the skseq2seq and torch versions they were made with."""

import warnings

import torch

__all__ = ["VersionedPickleMixin"]


def _versions():
    from . import __version__  # here, not at import: the package imports this module

    # The local part ("+cu121", "+cpu") is dropped: a model trained on a CUDA
    # build and loaded on a CPU build of the same torch is the supported case.
    return {"skseq2seq": __version__, "torch": torch.__version__.split("+")[0]}


class VersionedPickleMixin:
    """Record skseq2seq's and torch's versions when pickled; warn when unpickled under others.

    As scikit-learn does for its own version (``_sklearn_version``, checked by
    ``BaseEstimator.__setstate__``): a model pickled under other versions may
    load, yet behave differently or fail later. Pickles made before versions
    were recorded load silently. Put it before ``BaseEstimator`` in the bases.
    """

    def __getstate__(self):
        state = super().__getstate__()
        state["_pickled_versions"] = _versions()
        return state

    def __setstate__(self, state):
        pickled = state.pop("_pickled_versions", None)
        current = _versions()
        if pickled is not None and pickled != current:
            # Whatever the entry holds (another layout, a future package's), it warns, never
            # raises: the model itself may still load.
            made = (
                " and ".join(f"{k} {v}" for k, v in pickled.items())
                if isinstance(pickled, dict)
                else f"an unrecognised version record {pickled!r:.80}"
            )
            warnings.warn(
                f"Unpickling {type(self).__name__} made with {made or 'no recorded versions'} "
                f"under skseq2seq {current['skseq2seq']} and torch {current['torch']}: it may "
                "fail or give other results. Refit it under the current versions, or load it "
                "under the versions it was made with.",
                UserWarning,
                stacklevel=2,
            )
        super().__setstate__(state)
