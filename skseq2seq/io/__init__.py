"""Reading users' data: motion-capture files and other time-series libraries' layouts.

Every reader returns a :class:`~sklearn.utils.Bunch` with ``data``, an
ndarray of shape (n_frames, n_channels), ``channel_names``, ``fps`` and
format-specific ``metadata``; :func:`load_folder` reads a folder tree of
them with a label per file. The ``from_*`` functions convert aeon, tslearn
and pandas layouts to the sequences the estimators take.
"""

from ._amc import read_amc
from ._bvh import read_bvh
from ._c3d import read_c3d
from ._interop import from_aeon_dataset, from_dataframe, from_tslearn_dataset
from ._motion import load_folder, read_motion
from ._rotations import euler_to_expmap, to_expmap
from ._trc import read_trc

__all__ = [
    "euler_to_expmap",
    "from_aeon_dataset",
    "from_dataframe",
    "from_tslearn_dataset",
    "load_folder",
    "read_amc",
    "read_bvh",
    "read_c3d",
    "read_motion",
    "read_trc",
    "to_expmap",
]
