"""Lengths in metres: from the unit a file states, or from the size of its skeleton."""

import numbers

import numpy as np

from .._sklearn_compat import Interval, StrOptions
from ._kinematics import rest_pose
from ._recordings import RecordingTransformer, joint_of, point_columns, replace, up_axis

__all__ = ["UnitNormalizer", "metres_per_unit"]

UNITS = {"m": 1.0, "cm": 0.01, "mm": 0.001, "in": 0.0254, "ft": 0.3048}
# ASF ':units length L' (CMU: 0.45): the file's lengths are inches times L.
_INCH = UNITS["in"]
_LENGTH_KINDS = {"Xposition", "Yposition", "Zposition", "tx", "ty", "tz", "l", "x", "y", "z"}


def _stated_unit(recording):
    """Metres per unit the file states (C3D, TRC, ASF), or None."""
    metadata = recording.metadata
    if metadata.get("length_unit") == "m":  # already normalised
        return 1.0
    fmt = metadata.get("format")
    if fmt in ("c3d", "trc"):
        return UNITS.get(str(metadata.get("units", "")).strip().lower())
    if fmt == "amc":
        length = metadata.get("units", {}).get("length")
        if isinstance(length, float) and length > 0:
            return _INCH / length
    return None


def _height(recording):
    """The body's height in file units: the rest pose's, or the markers' median extent."""
    axis = up_axis(recording)
    rest = rest_pose(recording)
    if rest is not None:
        heights = rest[1][:, axis]
        return float(heights.max() - heights.min())
    points = point_columns(recording)
    if points is None:
        return None
    vertical = recording.data[:, [cols[axis] for cols in points.values()]]
    with np.errstate(all="ignore"):
        extent = np.nanmax(vertical, axis=1) - np.nanmin(vertical, axis=1)
    extent = extent[np.isfinite(extent)]
    return float(np.median(extent)) if len(extent) else None


def metres_per_unit(recording, unit="auto", body_height=1.7):
    """Metres per length unit of a recording (see :class:`UnitNormalizer`), None without lengths."""
    if isinstance(unit, numbers.Real):
        return float(unit)
    if unit in UNITS:
        return UNITS[unit]
    stated = _stated_unit(recording) if unit == "auto" else None
    if stated is not None:
        return stated
    height = _height(recording)
    if height is None:
        return None
    if not height > 0:
        raise ValueError(
            f"{recording.filename or 'The recording'}: its skeleton has no height (all joints "
            "at the same height in the rest pose); pass unit= explicitly."
        )
    return body_height / height


class UnitNormalizer(RecordingTransformer):
    """Express lengths in metres: root translations, offsets, bones and marker positions.

    The scale comes from the unit the file states (C3D's ``POINT:UNITS``,
    TRC's ``Units``, ASF's ``:units length``: CMU's files are in inches
    times 0.45) or, when it states none (BVH), from the skeleton's size:
    the lengths are scaled so that the rest pose is ``body_height`` metres
    tall, which makes the same take stored in centimetres or in metres
    identical. Rotations are not lengths and are kept as they are.

    Recordings without lengths (tables, arrays) are returned unchanged.

    Parameters
    ----------
    unit : {"auto", "size", "m", "cm", "mm", "in", "ft"} or float, default="auto"
        The files' length unit: ``"auto"``, the unit the file states, else
        the skeleton's size; ``"size"``, always the skeleton's size (every
        subject ``body_height`` tall: the body's proportions stay, its size
        goes); a unit's name, or a number of metres per unit, for every
        recording.
    body_height : float, default=1.7
        The height in metres of the body in its rest pose (BVH: every
        rotation zero; markers: their median vertical extent) when the
        size sets the scale.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.utils import Bunch
    >>> from skseq2seq.preprocessing import UnitNormalizer
    >>> markers = Bunch(data=np.array([[100.0, 1700.0, 20.0]]),
    ...                 channel_names=np.array(["HEAD_x", "HEAD_y", "HEAD_z"]), fps=100.0,
    ...                 filename=None, metadata={"format": "trc", "units": "mm"})
    >>> UnitNormalizer().fit_transform(markers).data
    array([[0.1 , 1.7 , 0.02]])
    """

    _parameter_constraints = {
        "unit": [
            StrOptions({"auto", "size", *UNITS}),
            Interval(numbers.Real, 0, None, closed="neither"),
        ],
        "body_height": [Interval(numbers.Real, 0, None, closed="neither")],
    }

    def __init__(self, unit="auto", body_height=1.7):
        self.unit = unit
        self.body_height = body_height

    def _transform_one(self, recording):
        scale = metres_per_unit(recording, self.unit, self.body_height)
        if scale is None:
            return recording
        metadata = recording.metadata
        lengths = [
            c
            for c, name in enumerate(recording.channel_names)
            if joint_of(name)[1] in _LENGTH_KINDS
        ]
        if point_columns(recording) is None and metadata.get("format") not in ("bvh", "amc"):
            lengths = []
        data = recording.data.copy()
        data[:, lengths] *= scale
        changes = {"length_unit": "m", "metres_per_file_unit": scale}
        if "offsets" in metadata:
            changes["offsets"] = np.asarray(metadata["offsets"]) * scale
            changes["end_sites"] = {j: o * scale for j, o in metadata["end_sites"].items()}
        if "bones" in metadata:
            changes["bones"] = {
                name: {**bone, "length": bone["length"] * scale} if "length" in bone else bone
                for name, bone in metadata["bones"].items()
            }
            root = metadata.get("root")
            if root is not None:
                changes["root"] = {**root, "position": list(np.multiply(root["position"], scale))}
        return replace(recording, data=data, metadata=changes)
