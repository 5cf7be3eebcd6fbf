"""Left/right mirroring of positions, as data augmentation."""

import numpy as np
from scipy.spatial.transform import Rotation
from sklearn.utils import Bunch

from .._sklearn_compat import StrOptions
from ._recordings import RecordingTransformer, point_columns, replace, up_axis

__all__ = ["Mirror"]


def _other_side(name, names):
    """``name``'s counterpart on the other side among ``names`` (LeftArm, lfemur, LASI, hip_l)."""
    candidates = [
        name.replace(a, b, 1)
        for left, right in (("Left", "Right"), ("left", "right"))
        for a, b in ((left, right), (right, left))
        if a in name
    ]
    for a, b in (("L", "R"), ("R", "L"), ("l", "r"), ("r", "l")):
        if name.startswith(a):
            candidates.append(b + name[1:])
        if name.endswith((f"_{a}", f".{a}")):
            candidates.append(name[:-1] + b)
    return next((c for c in candidates if c != name and c in names), None)


class Mirror(RecordingTransformer):
    """Mirror positions left to right, to augment the data with the other side's movements.

    Each point's coordinate along ``axis`` changes sign, and the channels of
    left and right points swap (``LeftHand`` and ``RightHand``, ``lfemur``
    and ``rfemur``, ``LASI`` and ``RASI``, ``hip_l`` and ``hip_r``): a
    right-handed wave becomes a left-handed one. Works on positions
    (:class:`ForwardKinematics`' output, C3D or TRC markers): put it after
    ``ForwardKinematics`` for BVH and ASF/AMC files, and before
    :class:`RootTransformer`. As augmentation (``append=True``) the output
    holds every recording then every mirrored one: repeat the labels,
    ``np.concatenate([y, y])``.

    Parameters
    ----------
    axis : {"x", "y", "z"}, default="x"
        The axis across the body (BVH and CMU skeletons: x); not the
        vertical one.
    append : bool, default=True
        Return the recordings and their mirror images (augmentation); False
        returns only the mirror images.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.utils import Bunch
    >>> from skseq2seq.preprocessing import Mirror
    >>> hands = Bunch(data=np.array([[0.3, 1.0, 0.2, -0.3, 1.5, 0.0]]),
    ...               channel_names=np.array(["LeftHand_x", "LeftHand_y", "LeftHand_z",
    ...                                       "RightHand_x", "RightHand_y", "RightHand_z"]),
    ...               fps=30.0, filename=None, metadata={"format": "bvh"})
    >>> original, mirrored = Mirror().fit_transform([hands])
    >>> mirrored.data.tolist()  # the right hand is now up, at x = 0.3 on the left side
    [[0.3, 1.5, 0.0, -0.3, 1.0, 0.2]]
    """

    _parameter_constraints = {"axis": [StrOptions({"x", "y", "z"})], "append": ["boolean"]}

    def __init__(self, axis="x", append=True):
        self.axis = axis
        self.append = append

    def _transform_one(self, recording):
        name = recording.filename or "The recording"
        axis = "xyz".index(self.axis)
        if axis == up_axis(recording):
            raise ValueError(
                f"axis={self.axis!r} is the vertical axis: mirroring needs one across the body."
            )
        points = point_columns(recording)
        if points is None:
            raise ValueError(
                f"{name} does not hold 3D positions (channels <point>_x, _y, _z): mirror "
                "positions, after ForwardKinematics for BVH and ASF/AMC files."
            )
        pairs = {p: _other_side(p, points) for p in points}
        if not any(pairs.values()):
            raise ValueError(
                f"{name} has no left/right pairs of points (such as LeftHand/RightHand, "
                f"lfemur/rfemur, LASI/RASI, hip_l/hip_r) among {', '.join(list(points)[:20])}: "
                "mirroring would leave the sides' names wrong."
            )
        data = np.empty_like(recording.data)
        for point, columns in points.items():
            source = points[pairs[point] or point]
            data[:, columns] = recording.data[:, source]
        flips = [columns[axis] for columns in points.values()]
        data[:, flips] *= -1
        changes = {"mirrored": not recording.metadata.get("mirrored", False)}
        if "root_rotation" in recording.metadata:
            # Reflected through a plane, a rotation vector keeps its component along the
            # plane's normal and flips the others.
            rotvec = Rotation.from_rotvec(recording.metadata["root_rotation"]).as_rotvec()
            rotvec[:, [a for a in range(3) if a != axis]] *= -1
            changes["root_rotation"] = rotvec
        mirrored = replace(recording, data=data, metadata=changes)
        return [recording, mirrored] if self.append else mirrored

    def transform(self, X):
        """Mirror every recording; with ``append``, the originals come first.

        Parameters
        ----------
        X : recording or list of recordings
            Positions, as :class:`ForwardKinematics` or the marker readers
            give them.

        Returns
        -------
        X_new : list of recordings
            With ``append``, every recording then every mirrored one;
            otherwise the mirrored ones.
        """
        out = super().transform(X)
        if not self.append:
            return out
        # _transform_one gives (original, mirrored) pairs: originals first, then mirrors.
        if isinstance(out, list):
            return out[0::2] + out[1::2]
        order = [*range(0, len(out.recordings), 2), *range(1, len(out.recordings), 2)]
        return Bunch(  # load_folder's result: its targets repeated with the recordings
            **{
                **out,
                **{
                    key: [out[key][i] for i in order]
                    for key in ("recordings", "filenames", "metadata")
                },
                "fps": out.fps[order],
                "target": np.concatenate([out.target, out.target]),
            }
        )
