"""Euler angles to exponential maps, continuous across frames."""

import numpy as np
from sklearn.utils import Bunch

__all__ = ["euler_to_expmap", "to_expmap"]

_AXES = set("xyzXYZ")


def _check_order(order):
    if (
        not isinstance(order, str)
        or not 1 <= len(order) <= 3
        or not set(order) <= _AXES
        or not (order.isupper() or order.islower())
        or any(a == b for a, b in zip(order, order[1:]))
    ):
        raise ValueError(
            f"order={order!r} is not an Euler sequence: expected 1 to 3 of the axes x, y, z, "
            "all upper case (intrinsic, as BVH channels) or all lower case (extrinsic, as "
            "ASF/AMC dof), no axis twice in a row, e.g. 'ZYX' or 'xyz'."
        )


def _continuous(rotvec):
    """Rotation vectors (n_frames, ..., 3), each frame's chosen closest to the previous one.

    A rotation by angle ``a`` about axis ``u`` is also ``(a + 2 pi k) u`` for
    every integer k; scipy returns the one with ``a`` in [0, pi], whose axis
    flips where a joint turns past half a turn. Choosing k frame by frame
    keeps the channels continuous, as a network needs.
    """
    out = rotvec.copy()
    angle = np.linalg.norm(rotvec, axis=-1, keepdims=True)
    axis = np.divide(rotvec, angle, out=np.zeros_like(rotvec), where=angle > 1e-12)
    for t in range(1, len(out)):
        # The identity has no axis of its own: a full turn keeps the previous one.
        previous = np.linalg.norm(out[t - 1], axis=-1, keepdims=True)
        still = angle[t] <= 1e-12
        if still.any():
            carried = np.divide(
                out[t - 1], previous, out=np.zeros_like(out[t - 1]), where=previous > 0
            )
            axis[t] = np.where(still, carried, axis[t])
        along = np.sum(axis[t] * out[t - 1], axis=-1, keepdims=True)
        k = np.round((along - angle[t]) / (2 * np.pi))
        out[t] = (angle[t] + 2 * np.pi * k) * axis[t]
    return out


def euler_to_expmap(angles, order, *, degrees=True, continuous=True):
    """Convert Euler angles to exponential maps (rotation vectors).

    The exponential map of a rotation is its axis scaled by its angle in
    radians: three numbers without the gimbal lock and the 360-degree jumps
    of Euler angles, the representation the CMU sequence models are trained
    on. The conversion is that of :meth:`scipy.spatial.transform.Rotation.from_euler`.

    Parameters
    ----------
    angles : array-like of shape (n_frames, len(order)) or (n_frames, n_joints, len(order))
        Angles per frame, in the order of ``order``.
    order : str
        The Euler sequence, as scipy names it: upper case for intrinsic
        rotations (a BVH joint's channels ``Zrotation Yrotation Xrotation``
        are ``"ZYX"``), lower case for extrinsic ones (an ASF bone's
        ``dof rx ry rz`` is ``"xyz"``; both give the matrix Rz Ry Rx).
        One or two axes are accepted (a knee's ``dof rx`` is ``"x"``).
    degrees : bool, default=True
        Whether ``angles`` are in degrees (BVH, and AMC files marked
        ``:DEGREES``) rather than radians.
    continuous : bool, default=True
        Choose, frame by frame, the equivalent rotation vector (angle plus a
        multiple of 2 pi along the same axis) closest to the previous frame's,
        so that the channels do not jump where a joint turns past 180 degrees.
        False returns scipy's vectors, with angles in [0, pi].

    Returns
    -------
    expmap : ndarray of shape (n_frames, 3) or (n_frames, n_joints, 3)
        Rotation vectors, in radians.

    See Also
    --------
    to_expmap : Convert every rotation of a recording read by :mod:`skseq2seq.io`.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq.io import euler_to_expmap
    >>> euler_to_expmap([[90, 0, 0]], "ZYX").round(4)  # 90 degrees about z
    array([[0.    , 0.    , 1.5708]])

    A joint turning steadily about x through 180 degrees stays continuous:

    >>> turn = np.column_stack([np.zeros(3), np.zeros(3), [170, 180, 190]])
    >>> euler_to_expmap(turn, "ZYX")[:, 0].round(3)
    array([2.967, 3.142, 3.316])
    >>> euler_to_expmap(turn, "ZYX", continuous=False)[:, 0].round(3)
    array([ 2.967,  3.142, -2.967])
    """
    from scipy.spatial.transform import Rotation

    _check_order(order)
    angles = np.asarray(angles, dtype=np.float64)
    if angles.ndim not in (2, 3) or angles.shape[-1] != len(order):
        raise ValueError(
            f"angles has shape {angles.shape}; expected (n_frames, {len(order)}) or "
            f"(n_frames, n_joints, {len(order)}) for order={order!r}."
        )
    if not np.isfinite(angles).all():
        raise ValueError("angles contains NaN or infinity; fill the gaps before converting.")
    flat = angles.reshape(-1, len(order))
    rotvec = Rotation.from_euler(order, flat, degrees=degrees).as_rotvec()
    rotvec = rotvec.reshape(*angles.shape[:-1], 3)
    return _continuous(rotvec) if continuous else rotvec


def to_expmap(recording, *, continuous=True):
    """Replace a recording's Euler-angle channels by exponential maps.

    Each joint's rotation channels (three, or fewer for an ASF bone with
    fewer degrees of freedom) become three channels ``<joint>_expmap_x``,
    ``_y``, ``_z`` at the place of the first; positions and other channels
    are kept as they are. The joints and their Euler orders come from
    ``recording.metadata["rotations"]``, as :func:`read_bvh` and
    :func:`read_amc` set it.

    Parameters
    ----------
    recording : :class:`~sklearn.utils.Bunch`
        A recording read by :func:`read_bvh`, :func:`read_amc` or
        :func:`read_motion`. A recording without rotations (C3D markers,
        tables) is returned unchanged.
    continuous : bool, default=True
        Keep each joint's vectors continuous across frames (see
        :func:`euler_to_expmap`).

    Returns
    -------
    recording : :class:`~sklearn.utils.Bunch`
        A new Bunch: ``data`` and ``channel_names`` converted, ``metadata``
        with ``"rotations"`` now ``[]`` and ``"rotation_format"`` ``"expmap"``.

    Examples
    --------
    >>> from skseq2seq.io import read_bvh, to_expmap
    >>> motion = read_bvh("131_01.bvh")  # doctest: +SKIP
    >>> motion.data.shape, to_expmap(motion).data.shape  # doctest: +SKIP
    ((994, 96), (994, 96))
    """
    rotations = recording.metadata.get("rotations", [])
    if not rotations:
        return recording
    degrees = recording.metadata.get("angle_unit", "deg") == "deg"
    data, names = recording.data, list(recording.channel_names)
    columns, column_names = [], []
    firsts = {rot["columns"][0]: rot for rot in rotations}
    converted = {c for rot in rotations for c in rot["columns"]}
    for c in range(data.shape[1]):
        if c in firsts:
            rot = firsts[c]
            expmap = euler_to_expmap(
                data[:, rot["columns"]], rot["order"], degrees=degrees, continuous=continuous
            )
            columns.extend(expmap.T)
            column_names.extend(f"{rot['joint']}_expmap_{axis}" for axis in "xyz")
        elif c not in converted:
            columns.append(data[:, c])
            column_names.append(names[c])
    metadata = {**recording.metadata, "rotations": [], "rotation_format": "expmap"}
    return Bunch(
        **{
            **recording,
            "data": np.column_stack(columns),
            "channel_names": np.asarray(column_names),
            "metadata": metadata,
        }
    )
