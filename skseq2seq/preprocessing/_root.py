"""The root's global translation: dropped, or kept as velocity in the body's heading frame."""

import numpy as np

from .._sklearn_compat import StrOptions
from ._kinematics import root_rotation
from ._recordings import RecordingTransformer, joint_of, point_columns, replace, root_name, up_axis

__all__ = ["RootTransformer"]

_TRANSLATION = {"Xposition": 0, "Yposition": 1, "Zposition": 2, "tx": 0, "ty": 1, "tz": 2}


def _heading_velocity(recording, position, up):
    """(forward, lateral) velocity per second of ``position`` (n, 3), in the root's heading frame.

    The heading is where the root's rotation turns the horizontal axis after
    the vertical one (z for y up), projected on the floor: the velocity is
    then the same wherever the subject stands and whichever way it faces.
    """
    name = recording.filename or "The recording"
    if recording.fps is None:
        raise ValueError(
            f"{name} has no frame rate, which the root's velocity needs: pass fps to the reader."
        )
    rotation = root_rotation(recording)
    if rotation is None:
        raise ValueError(
            f"{name} has no root orientation to give a heading (markers, tables): use "
            "translation='drop' or 'keep'."
        )
    velocity = (
        np.gradient(position, axis=0) * recording.fps
        if len(position) > 1
        else np.zeros_like(position)
    )
    velocity[:, up] = 0.0
    reference = np.zeros(3)
    reference[(up + 1) % 3] = 1.0
    heading = rotation.apply(np.tile(reference, (len(position), 1)))
    heading[:, up] = 0.0
    norm = np.linalg.norm(heading, axis=1, keepdims=True)
    # Facing straight up or down: no heading; the reference direction stands in.
    heading = np.where(norm > 1e-9, heading / np.maximum(norm, 1e-12), reference)
    vertical = np.zeros(3)
    vertical[up] = 1.0
    lateral = np.cross(vertical, heading)
    return np.sum(velocity * heading, axis=1), np.sum(velocity * lateral, axis=1)


class RootTransformer(RecordingTransformer):
    """Drop the root's global translation, or keep it as velocity in the body's heading frame.

    Where the subject stands (the root's horizontal position) is a matter
    of the capture room, not of the movement: left in, it dominates the
    channels and the clusters. This transformer removes it, from either
    kind of recording:

    * rotations (BVH, ASF/AMC, raw or exp-maps): the root's position
      channels (``Hips_Xposition``, ``root_tx``, ...);
    * positions (:class:`ForwardKinematics`' output, C3D or TRC markers):
      every point is expressed relative to the root joint (markers: their
      centroid) on the floor plane, and the root's own horizontal channels,
      now zero, are dropped.

    Recordings with neither (tables, arrays) are returned unchanged. The
    vertical axis is y, z for C3D files (or ``metadata["up_axis"]``).

    Parameters
    ----------
    translation : {"drop", "velocity", "keep"}, default="drop"
        ``"drop"``: remove the horizontal translation; ``"velocity"``:
        replace it by two channels, ``<root>_forward_velocity`` and
        ``<root>_lateral_velocity`` (length units per second, in the frame
        of the root's heading: walking forward is the same whichever way the
        subject faces; needs the frame rate and the root's orientation);
        ``"keep"``: leave it (only ``keep_height`` applies).
    keep_height : bool, default=True
        Keep the root's height above the floor (crouching, jumping); False
        removes it too (positions become relative to the root in 3D).

    See Also
    --------
    ForwardKinematics : Joint positions from rotations, before this step.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.utils import Bunch
    >>> from skseq2seq.preprocessing import RootTransformer
    >>> walk = Bunch(  # the root moving along x, and one knee angle
    ...     data=np.array([[0.0, 0.9, 0.0, 5.0], [0.1, 0.9, 0.0, 7.0]]),
    ...     channel_names=np.array(["root_tx", "root_ty", "root_tz", "lknee_rx"]),
    ...     fps=120.0, filename=None, metadata={"format": "amc", "rotations": []})
    >>> moved = RootTransformer().fit_transform(walk)
    >>> moved.channel_names.tolist(), moved.data.tolist()
    (['root_ty', 'lknee_rx'], [[0.9, 5.0], [0.9, 7.0]])
    """

    _parameter_constraints = {
        "translation": [StrOptions({"drop", "velocity", "keep"})],
        "keep_height": ["boolean"],
    }

    def __init__(self, translation="drop", keep_height=True):
        self.translation = translation
        self.keep_height = keep_height

    def _transform_one(self, recording):
        up = up_axis(recording)
        points = point_columns(recording)
        if points is not None:
            return self._positions(recording, points, up)
        root = root_name(recording)
        if root is None:
            return recording
        columns = {}
        for c, name in enumerate(recording.channel_names):
            joint, kind = joint_of(name)
            if joint == root and kind in _TRANSLATION:
                columns[_TRANSLATION[kind]] = c
        if not columns:
            if self.translation == "velocity":
                raise ValueError(
                    f"{recording.filename or 'The recording'} has no root position channels "
                    f"(of joint {root!r}) to take the velocity of."
                )
            return recording
        horizontal = [columns[a] for a in sorted(columns) if a != up]
        drop = set(horizontal) if self.translation != "keep" else set()
        if not self.keep_height and up in columns:
            drop.add(columns[up])
        new = {}
        if self.translation == "velocity" and horizontal:
            position = np.zeros((len(recording.data), 3))
            for axis, c in columns.items():
                position[:, axis] = recording.data[:, c]
            new[horizontal[0]] = (root, _heading_velocity(recording, position, up))
        return self._rebuild(recording, drop, new)

    def _positions(self, recording, points, up):
        data = recording.data.copy()
        root = root_name(recording)
        xyz = np.stack([data[:, cols] for cols in points.values()], axis=1)  # (n, points, 3)
        if root in points:
            origin = xyz[:, list(points).index(root)].copy()
        else:
            root = None
            with np.errstate(all="ignore"):
                origin = np.nanmean(xyz, axis=1)
        shifted = [a for a in range(3) if a != up] if self.translation != "keep" else []
        if not self.keep_height:
            shifted.append(up)
        shift = np.zeros_like(origin)
        shift[:, shifted] = origin[:, shifted]
        xyz = xyz - shift[:, None, :]
        for i, cols in enumerate(points.values()):
            data[:, cols] = xyz[:, i]
        drop, new = set(), {}
        if root is not None:
            drop = {points[root][axis] for axis in shifted}  # now zero
        if self.translation == "velocity":
            velocity = _heading_velocity(recording, origin, up)
            new[data.shape[1]] = (root or "centroid", velocity)
        return self._rebuild(replace(recording, data=data), drop, new)

    def _rebuild(self, recording, drop, new):
        """The recording without the columns in ``drop``, with ``new`` velocity channels added."""
        columns, names = [], []
        n_channels = recording.data.shape[1]
        for c in range(n_channels + 1):
            if c in new:
                root, (forward, lateral) = new[c]
                columns += [forward, lateral]
                names += [f"{root}_forward_velocity", f"{root}_lateral_velocity"]
            if c < n_channels and c not in drop:
                columns.append(recording.data[:, c])
                names.append(recording.channel_names[c])
        keep = [c for c in range(n_channels) if c not in drop]
        # Euler rotations' columns move with the dropped channels (for to_expmap, FK).
        rotations = [
            {
                **rot,
                "columns": [keep.index(c) + sum(k <= c for k in new) * 2 for c in rot["columns"]],
            }
            for rot in recording.metadata.get("rotations", [])
        ]
        data = np.column_stack(columns) if columns else np.empty((len(recording.data), 0))
        return replace(
            recording,
            data=data,
            channel_names=np.array(names, dtype=str),
            metadata={"rotations": rotations, "root_translation": self.translation},
        )
