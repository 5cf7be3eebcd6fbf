"""Keeping some joints, markers or channels, by the names the readers give them."""

import numbers

import numpy as np

from ._recordings import RecordingTransformer, joint_of, replace

__all__ = ["JointSelector"]


class JointSelector(RecordingTransformer):
    """Keep the channels of some joints, markers or columns, by name.

    A name selects a joint's or marker's channels (BVH joints such as
    ``"LeftArm"``: ``LeftArm_Zrotation``, ... or, after
    :class:`ForwardKinematics`, ``LeftArm_x``, ...; ASF bones such as
    ``"lfemur"``; C3D or TRC marker labels), or one channel by its full
    name (a CSV header, ``"Hips_Xposition"``). An integer selects a column
    by index (for arrays, which have no names). Channels keep their order in
    the recording.

    Parameters
    ----------
    joints : list of str or int
        The joints, markers, channel names or column indices to keep.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.utils import Bunch
    >>> from skseq2seq.preprocessing import JointSelector
    >>> markers = Bunch(data=np.arange(9.0).reshape(1, 9),
    ...                 channel_names=np.array(["LASI_x", "LASI_y", "LASI_z", "RASI_x",
    ...                                         "RASI_y", "RASI_z", "HEAD_x", "HEAD_y",
    ...                                         "HEAD_z"]),
    ...                 fps=100.0, filename=None, metadata={"format": "trc"})
    >>> JointSelector(["HEAD", "LASI"]).fit_transform(markers).channel_names.tolist()
    ['LASI_x', 'LASI_y', 'LASI_z', 'HEAD_x', 'HEAD_y', 'HEAD_z']
    >>> JointSelector([0, 2]).fit_transform(np.zeros((5, 4))).shape
    (5, 2)
    """

    _parameter_constraints = {"joints": [list, tuple]}

    def __init__(self, joints):
        self.joints = joints

    def _transform_one(self, recording):
        if not len(self.joints):
            raise ValueError("joints is empty: name at least one joint, marker or channel.")
        names = list(recording.channel_names)
        owners = [joint_of(name)[0] for name in names]
        keep = set()
        for wanted in self.joints:
            if isinstance(wanted, numbers.Integral) and not isinstance(wanted, bool):
                if not -len(names) <= wanted < len(names):
                    raise ValueError(
                        f"Channel index {wanted} is out of range: the recording has "
                        f"{len(names)} channels."
                    )
                keep.add(int(wanted) % len(names))
                continue
            wanted = str(wanted)
            found = {
                c for c, (name, owner) in enumerate(zip(names, owners)) if wanted in (name, owner)
            }
            if not found:
                known = list(dict.fromkeys(owners))
                raise ValueError(
                    f"{recording.filename or 'The recording'} has no joint, marker or channel "
                    f"{wanted!r}; it has {len(known)}: {', '.join(known[:40])}"
                    f"{', ...' if len(known) > 40 else ''}."
                )
            keep |= found
        columns = sorted(keep)
        position = {c: i for i, c in enumerate(columns)}
        # Euler rotations that survive whole keep their (renumbered) columns.
        rotations = [
            {**rot, "columns": [position[c] for c in rot["columns"]]}
            for rot in recording.metadata.get("rotations", [])
            if all(c in position for c in rot["columns"])
        ]
        return replace(
            recording,
            data=recording.data[:, columns],
            channel_names=np.asarray(recording.channel_names)[columns],
            metadata={"rotations": rotations, "selected_joints": list(self.joints)},
        )
