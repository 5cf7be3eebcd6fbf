"""Preparing motion-capture recordings: root, joints, units, frame rate, positions.

scikit-learn transformers over recordings as :mod:`skseq2seq.io` reads them
(a Bunch with ``data``, ``channel_names``, ``fps`` and ``metadata``, a list
of them, or :func:`~skseq2seq.io.load_folder`'s result) that compose in a
:class:`~sklearn.pipeline.Pipeline` before the estimators, as pymo's
``preprocessing`` does for its own data: :class:`UnitNormalizer`,
:class:`Resampler`, :class:`ForwardKinematics`, :class:`RootTransformer`,
:class:`JointSelector`, :class:`Mirror`, then :class:`ToArrays` for the
estimators. :func:`make_motion_preprocessor` is the default pipeline of the
command line. Plain arrays are accepted as recordings without names, frame
rate or skeleton.
"""

from ._kinematics import ForwardKinematics
from ._mirror import Mirror
from ._pipeline import ToArrays, make_motion_preprocessor
from ._resample import Resampler
from ._root import RootTransformer
from ._selection import JointSelector
from ._units import UnitNormalizer

__all__ = [
    "ForwardKinematics",
    "JointSelector",
    "Mirror",
    "Resampler",
    "RootTransformer",
    "ToArrays",
    "UnitNormalizer",
    "make_motion_preprocessor",
]
