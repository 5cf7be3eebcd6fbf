"""Forward kinematics: joint positions from a skeleton's offsets and its joints' rotations."""

from typing import NamedTuple

import numpy as np
from scipy.spatial.transform import Rotation

from ._recordings import RecordingTransformer, joint_of, replace, root_name

__all__ = ["ForwardKinematics", "local_rotations", "rest_pose", "root_rotation"]


class _Link(NamedTuple):
    """One joint of a kinematic chain, its parent's index and its motion relative to it."""

    name: str
    parent: int
    translation: np.ndarray  # (n, 3) or (3,), in the parent's frame (BVH) or the bone's (ASF)
    rotation: object  # scipy Rotation of each frame, or None for none
    bone: bool = False  # ASF: the translation turns with the joint's own rotation
    end: bool = False  # a BVH end site


def local_rotations(recording):
    """{joint: Rotation per frame} of the Euler channels (``metadata["rotations"]``) or exp-maps."""
    data, metadata = recording.data, recording.metadata
    degrees = metadata.get("angle_unit", "deg") == "deg"
    rotations = {
        rot["joint"]: Rotation.from_euler(rot["order"], data[:, rot["columns"]], degrees=degrees)
        for rot in metadata.get("rotations", [])
    }
    columns = {name: c for c, name in enumerate(recording.channel_names)}
    for name in recording.channel_names:
        joint, kind = joint_of(name)
        if kind == "expmap_x" and joint not in rotations:
            xyz = [columns.get(f"{joint}_expmap_{axis}") for axis in "xyz"]
            if None not in xyz:
                rotations[joint] = Rotation.from_rotvec(data[:, xyz])
    return rotations


def _missing(recording, joint, what):
    return ValueError(
        f"{recording.filename or 'The recording'}: joint {joint!r} has no {what} among its "
        "channels, which forward kinematics needs for every joint of the skeleton: keep all "
        "channels (put JointSelector after ForwardKinematics)."
    )


def _bvh_chain(recording, rest):
    """The kinematic chain (list of _Link) of a BVH skeleton."""
    metadata, data = recording.metadata, recording.data
    n = 1 if rest else len(data)
    rotations = {} if rest else local_rotations(recording)
    columns = {name: c for c, name in enumerate(recording.channel_names)}
    chain = []
    for j, joint in enumerate(metadata["joints"]):
        translation = np.repeat(np.asarray(metadata["offsets"][j], float)[None], n, axis=0)
        channels = metadata["channels"][joint]
        if not rest:
            for axis, letter in enumerate("XYZ"):
                if f"{letter}position" in channels:
                    # A position channel sets the joint's place in its parent (pymo's reading).
                    column = columns.get(f"{joint}_{letter}position")
                    if column is None:
                        raise _missing(recording, joint, f"{letter}position")
                    translation[:, axis] = data[:, column]
            if any(c.endswith("rotation") for c in channels) and joint not in rotations:
                raise _missing(recording, joint, "rotation")
        chain.append(_Link(joint, metadata["parents"][j], translation, rotations.get(joint)))
    for j, joint in enumerate(metadata["joints"]):
        if joint in metadata.get("end_sites", {}):
            site = np.repeat(np.asarray(metadata["end_sites"][joint], float)[None], n, axis=0)
            chain.append(_Link(f"{joint}_end", j, site, None, end=True))
    return chain


def _asf_axis(values, order, degrees):
    return Rotation.from_euler(order.lower(), values, degrees=degrees)


def _amc_chain(recording, rest):
    """The same chain for an ASF/AMC skeleton: bones rotate about their ASF axis frames."""
    metadata, data = recording.metadata, recording.data
    n = 1 if rest else len(data)
    degrees = str(metadata.get("units", {}).get("angle", "deg")).lower().startswith("deg")
    rotations = {} if rest else local_rotations(recording)
    identity = Rotation.identity(n)
    columns = {name: c for c, name in enumerate(recording.channel_names)}
    root = metadata.get("root", {"position": [0, 0, 0], "orientation": [0, 0, 0], "axis": "XYZ"})
    translation = np.repeat(np.asarray(root["position"], float)[None], n, axis=0)
    if not rest:
        for axis, letter in enumerate("xyz"):
            if f"root_t{letter}" in columns:
                translation[:, axis] = translation[:, axis] + data[:, columns[f"root_t{letter}"]]
    frame = _asf_axis(root["orientation"], root["axis"], degrees)
    motion = rotations.get("root", identity)
    chain = [_Link("root", -1, translation, frame * motion * frame.inv())]
    index = {"root": 0}
    children = {}
    for bone, parent in metadata["parents"].items():
        children.setdefault(parent, []).append(bone)
    queue = list(children.get("root", []))
    while queue:  # breadth-first: a parent before its children
        bone = queue.pop(0)
        spec = metadata["bones"][bone]
        if spec.get("dof") and not rest and bone not in rotations:
            raise _missing(recording, bone, "rotation")
        frame = _asf_axis(spec.get("axis", [0, 0, 0]), spec.get("axis_order", "XYZ"), degrees)
        motion = rotations.get(bone, identity)
        local = frame * motion * frame.inv()
        # The bone's end lies along its direction, rotated by its own motion.
        end = np.asarray(spec["direction"], float) * spec["length"]
        chain.append(_Link(bone, index[metadata["parents"][bone]], end, local, bone=True))
        index[bone] = len(chain) - 1
        queue.extend(children.get(bone, []))
    return chain


def root_rotation(recording):
    """The root's orientation in the world, a Rotation of each frame; None when unknown."""
    metadata = recording.metadata
    if "root_rotation" in metadata:
        return Rotation.from_rotvec(metadata["root_rotation"])
    root = root_name(recording)
    rotation = local_rotations(recording).get(root) if root is not None else None
    if rotation is None or metadata.get("format") != "amc" or "root" not in metadata:
        return rotation
    degrees = str(metadata.get("units", {}).get("angle", "deg")).lower().startswith("deg")
    frame = _asf_axis(metadata["root"]["orientation"], metadata["root"]["axis"], degrees)
    return frame * rotation * frame.inv()


def _positions(chain, n):
    """(n_frames, n_joints, 3) world positions and each joint's world Rotation along a chain."""
    positions = np.zeros((n, len(chain), 3))
    world = []
    for j, link in enumerate(chain):
        local = Rotation.identity(n) if link.rotation is None else link.rotation
        translation = np.array(np.broadcast_to(link.translation, (n, 3)))
        if link.parent < 0:
            positions[:, j] = translation
            world.append(local)
            continue
        rotation = world[link.parent] * local
        # BVH: the offset is in the parent's frame; ASF: the bone's end moves with the bone.
        frame = rotation if link.bone else world[link.parent]
        positions[:, j] = positions[:, link.parent] + frame.apply(translation)
        world.append(rotation)
    return positions, world


def _chain(recording, rest=False):
    fmt = recording.metadata.get("format")
    if fmt == "bvh":
        return _bvh_chain(recording, rest)
    if fmt == "amc":
        return _amc_chain(recording, rest)
    return None


def rest_pose(recording):
    """(joint names, (n_joints, 3) positions) of the skeleton with every rotation zero, or None."""
    chain = _chain(recording, rest=True)
    if chain is None:
        return None
    positions, _ = _positions(chain, 1)
    return [link.name for link in chain], positions[0]


class ForwardKinematics(RecordingTransformer):
    """Joint positions from a skeleton's rotations and offsets (BVH, ASF/AMC).

    Each joint's place is its parent's, plus the joint's offset (BVH) or
    bone (ASF: direction times length, about the bone's axis frame) turned
    by the rotations of the joints above it, as the file's Euler channels
    (or the exp-maps of :func:`~skseq2seq.io.to_expmap`) give them: the
    pymo ``MocapParameterizer("position")`` of scikit-learn pipelines.
    Positions are in the world frame of the file, in its length unit (put
    :class:`UnitNormalizer` first for metres, and :class:`RootTransformer`
    after for body-centred positions).

    Recordings that have no skeleton (markers from C3D or TRC files,
    tables, arrays) are returned unchanged: they already are positions, or
    have nothing to compute them from.

    Parameters
    ----------
    end_sites : bool, default=False
        Also give the BVH end sites' positions (``<joint>_end``: the tips
        of the head, hands and feet).

    See Also
    --------
    RootTransformer : Centre the positions on the root.

    Notes
    -----
    The output's channels are ``<joint>_x``, ``_y``, ``_z`` per joint, in
    the skeleton's order (BVH: file order; ASF: ``root`` then the bones,
    parents first, each at its far end: ``lfemur`` is the knee);
    ``metadata["representation"]`` is ``"positions"``,
    ``metadata["root_joint"]`` names the root, ``metadata["root_rotation"]``
    holds its orientation per frame as rotation vectors (for
    :class:`RootTransformer`'s heading).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.utils import Bunch
    >>> from skseq2seq.preprocessing import ForwardKinematics
    >>> arm = Bunch(  # a root at (0, 1, 0) and a joint 1 along x, turned 90 degrees about z
    ...     data=np.array([[0.0, 1.0, 0.0, 90.0, 0.0, 0.0]]),
    ...     channel_names=np.array(["Hips_Xposition", "Hips_Yposition", "Hips_Zposition",
    ...                             "Hips_Zrotation", "Hips_Yrotation", "Hips_Xrotation"]),
    ...     fps=30.0, filename=None,
    ...     metadata={"format": "bvh", "joints": ["Hips", "Hand"], "parents": [-1, 0],
    ...               "offsets": np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]),
    ...               "channels": {"Hips": ["Xposition", "Yposition", "Zposition",
    ...                                     "Zrotation", "Yrotation", "Xrotation"],
    ...                            "Hand": []},
    ...               "end_sites": {}, "angle_unit": "deg",
    ...               "rotations": [{"joint": "Hips", "columns": [3, 4, 5], "order": "ZYX"}]})
    >>> positions = ForwardKinematics().fit_transform(arm)
    >>> positions.channel_names.tolist()
    ['Hips_x', 'Hips_y', 'Hips_z', 'Hand_x', 'Hand_y', 'Hand_z']
    >>> positions.data.round(6) + 0.0
    array([[0., 1., 0., 0., 2., 0.]])
    """

    _parameter_constraints = {"end_sites": ["boolean"]}

    def __init__(self, end_sites=False):
        self.end_sites = end_sites

    def _transform_one(self, recording):
        if recording.metadata.get("representation") == "positions":
            return recording
        chain = _chain(recording)
        if chain is None:
            return recording
        if not self.end_sites:
            chain = [link for link in chain if not link.end]
        n = len(recording.data)
        positions, world = _positions(chain, n)
        names = [link.name for link in chain]
        return replace(
            recording,
            data=positions.reshape(n, -1),
            channel_names=np.array([f"{j}_{axis}" for j in names for axis in "xyz"]),
            metadata={
                "representation": "positions",
                "root_joint": root_name(recording),
                "root_rotation": world[0].as_rotvec(),
                "rotations": [],
            },
        )
