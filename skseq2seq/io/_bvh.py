"""BVH (Biovision hierarchy) files: a joint tree, then one line of channels per frame."""

from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ._common import (
    check_finite_rows,
    check_unique,
    file_count,
    file_error,
    file_number,
    fps_from_frame_time,
    read_text,
)

__all__ = ["read_bvh"]

_LAYOUT = (
    "a BVH file: 'HIERARCHY', a 'ROOT name { OFFSET x y z CHANNELS n ... JOINT ... }' tree, "
    "then 'MOTION', 'Frames: n', 'Frame Time: seconds' and one line of numbers per frame"
)
_CHANNELS = {f"{axis}{kind}" for axis in "XYZ" for kind in ("position", "rotation")}


class _Tokens:
    """The hierarchy's words with their line numbers, read one at a time."""

    def __init__(self, path, lines):
        self.path = path
        self.words = [(n, w) for n, line in lines for w in line.split()]
        self.i = 0

    def next(self, expected="more of the hierarchy"):
        if self.i >= len(self.words):
            raise file_error(self.path, f"the hierarchy ends early, expected {expected}", _LAYOUT)
        self.i += 1
        return self.words[self.i - 1]

    def expect(self, word):
        lineno, found = self.next(repr(word))
        if found != word:
            raise file_error(self.path, f"found {found!r}, expected {word!r}", _LAYOUT, lineno)

    def numbers(self, count, what):
        values = []
        for _ in range(count):
            lineno, word = self.next(what)
            values.append(file_number(self.path, word, f"a value of {what}", _LAYOUT, lineno))
        return values

    def count(self, what, maximum):
        lineno, word = self.next(what)
        return file_count(self.path, word, what, _LAYOUT, lineno, maximum=maximum)


def _parse_joint(tokens, name, parent, joints):
    """Read one joint's block (after its name), and its children's, into ``joints``."""
    tokens.expect("{")
    tokens.expect("OFFSET")
    joint = {"name": name, "parent": parent, "offset": tokens.numbers(3, "OFFSET"), "channels": []}
    index = len(joints)
    joints.append(joint)
    while True:
        lineno, word = tokens.next("'}'")
        if word == "}":
            return
        if word == "CHANNELS":
            count = tokens.count(f"the CHANNELS count of joint {name!r}", len(_CHANNELS))
            for _ in range(count):
                lineno, channel = tokens.next("a channel name")
                if channel not in _CHANNELS:
                    raise file_error(
                        tokens.path,
                        f"unknown channel {channel!r} of joint {name!r}",
                        _LAYOUT,
                        lineno,
                    )
                joint["channels"].append(channel)
            check_unique(
                tokens.path, joint["channels"], f"in joint {name!r}, channel", _LAYOUT, lineno
            )
        elif word == "JOINT":
            _parse_joint(tokens, tokens.next("a joint name")[1], index, joints)
        elif word == "End":
            tokens.expect("Site")
            tokens.expect("{")
            tokens.expect("OFFSET")
            joint["end_site"] = tokens.numbers(3, "End Site OFFSET")
            tokens.expect("}")
        else:
            raise file_error(tokens.path, f"found {word!r} in joint {name!r}", _LAYOUT, lineno)


def _header_value(path, line, key):
    """(text of the number, what it is, layout, line number) of a 'key: number' line."""
    lineno, text = line
    label, _, value = text.partition(":")
    if label.strip().lower() != key.lower():
        raise file_error(path, f"found {text!r}, expected '{key}: <number>'", _LAYOUT, lineno)
    return value.strip(), f"'{key}:'", _LAYOUT, lineno


def read_bvh(path):
    """Read a BVH motion-capture file.

    BVH files (Biovision hierarchy; exported by most motion-capture and
    animation software, and by CMU's converted database) describe a skeleton
    as a tree of joints, each with an offset from its parent and channels
    (positions and Euler rotations, in degrees, in the order listed), then
    one line of channel values per frame.

    Parameters
    ----------
    path : str or path-like
        The ``.bvh`` file.

    Returns
    -------
    recording : :class:`~sklearn.utils.Bunch`
        ``data``: ndarray of shape (n_frames, n_channels), float64, the
        channels in file order (rotations in degrees, as in the file);
        ``channel_names``: ndarray of str, ``"<joint>_<channel>"`` (e.g.
        ``"Hips_Xposition"``, ``"Hips_Zrotation"``); ``fps``: frames per
        second, ``1 / Frame Time`` (rounded to an integer when within 0.1%
        of it: Frame Time is written with few digits); ``filename``; and
        ``metadata``, a dict: ``format`` (``"bvh"``), ``joints`` (names,
        in file order), ``parents`` (index of each joint's parent, -1 for
        the root), ``offsets`` (ndarray (n_joints, 3)), ``channels`` (each
        joint's channel list), ``end_sites`` (joint name to end-site
        offset), ``frame_time`` (seconds), ``angle_unit`` (``"deg"``) and
        ``rotations`` (per joint with rotation channels: ``joint``,
        ``columns`` of ``data`` and the intrinsic Euler ``order``, e.g.
        ``"ZYX"``, for :func:`to_expmap`).

    Raises
    ------
    ValueError
        When the file is not a BVH file as described: a header number out
        of range (``Frames`` not a whole number, ``Frame Time`` not positive
        and finite), a value that is not finite, no frames, or a joint or a
        joint's channel defined twice; the message names the file, the line
        and the layout expected.

    See Also
    --------
    to_expmap : Replace the Euler rotations by exponential maps.
    read_motion : Read any supported format, by file extension.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skseq2seq.io import read_bvh
    >>> path = Path(tempfile.mkdtemp()) / "tiny.bvh"
    >>> _ = path.write_text('''HIERARCHY
    ... ROOT Hips
    ... {
    ...   OFFSET 0 0 0
    ...   CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
    ...   End Site
    ...   {
    ...     OFFSET 0 1 0
    ...   }
    ... }
    ... MOTION
    ... Frames: 2
    ... Frame Time: 0.033333
    ... 0 90 0 10 20 30
    ... 1 90 0 11 21 31
    ... ''')
    >>> motion = read_bvh(path)
    >>> motion.data.shape, motion.fps
    ((2, 6), 30.0)
    >>> str(motion.channel_names[3]), motion.metadata["rotations"][0]["order"]
    ('Hips_Zrotation', 'ZXY')
    """
    path = Path(path)
    lines = read_text(path, _LAYOUT)
    try:
        motion_at = next(i for i, (_, text) in enumerate(lines) if text.upper() == "MOTION")
    except StopIteration:
        raise file_error(path, "no 'MOTION' line", _LAYOUT) from None
    if lines[0][1].upper() != "HIERARCHY":
        raise file_error(path, f"found {lines[0][1][:40]!r}, not 'HIERARCHY'", _LAYOUT, lines[0][0])
    tokens = _Tokens(path, lines[1:motion_at])
    tokens.expect("ROOT")
    joints = []
    _parse_joint(tokens, tokens.next("the root's name")[1], -1, joints)
    if tokens.i < len(tokens.words):
        lineno, word = tokens.words[tokens.i]
        raise file_error(path, f"found {word!r} after the root's block", _LAYOUT, lineno)
    # Two joints of one name would share channel names and contradict each other.
    check_unique(path, [j["name"] for j in joints], "joint", _LAYOUT)

    if len(lines) < motion_at + 3:
        raise file_error(path, "'MOTION' is not followed by 'Frames:' and 'Frame Time:'", _LAYOUT)
    n_frames = file_count(path, *_header_value(path, lines[motion_at + 1], "Frames"))
    frame_time = file_number(
        path, *_header_value(path, lines[motion_at + 2], "Frame Time"), positive=True
    )
    if not np.isfinite(1.0 / frame_time):  # a subnormal duration: no finite rate
        raise file_error(
            path,
            f"Frame Time is {frame_time!r}",
            "a positive number of seconds",
            lines[motion_at + 2][0],
        )
    names, rotations = [], []
    for joint in joints:
        rotation = [c for c in joint["channels"] if c.endswith("rotation")]
        if rotation:
            columns = [len(names) + joint["channels"].index(c) for c in rotation]
            order = "".join(c[0] for c in rotation)
            rotations.append({"joint": joint["name"], "columns": columns, "order": order})
        names.extend(f"{joint['name']}_{c}" for c in joint["channels"])

    rows = lines[motion_at + 3 :]
    if len(rows) != n_frames:
        raise file_error(path, f"'Frames: {n_frames}' but {len(rows)} frame lines follow", _LAYOUT)
    if not rows:
        raise file_error(path, "no frames", _LAYOUT)
    data = np.empty((len(rows), len(names)))
    for i, (lineno, text) in enumerate(rows):
        values = text.split()
        if len(values) != len(names):
            raise file_error(
                path,
                f"{len(values)} values, but the hierarchy has {len(names)} channels",
                _LAYOUT,
                lineno,
            )
        try:
            data[i] = np.array(values, dtype=np.float64)
        except ValueError as exc:
            raise file_error(path, str(exc), _LAYOUT, lineno) from None
    check_finite_rows(path, data, [lineno for lineno, _ in rows], _LAYOUT)
    metadata = {
        "format": "bvh",
        "joints": [j["name"] for j in joints],
        "parents": [j["parent"] for j in joints],
        "offsets": np.array([j["offset"] for j in joints]),
        "channels": {j["name"]: list(j["channels"]) for j in joints},
        "end_sites": {j["name"]: np.array(j["end_site"]) for j in joints if "end_site" in j},
        "frame_time": frame_time,
        "angle_unit": "deg",
        "rotations": rotations,
    }
    return Bunch(
        data=data,
        channel_names=np.asarray(names),
        fps=fps_from_frame_time(frame_time),
        filename=str(path),
        metadata=metadata,
    )
