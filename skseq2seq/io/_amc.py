"""Acclaim ASF (skeleton) and AMC (motion) files, CMU's native motion-capture format."""

from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ._common import (
    check_finite_rows,
    check_fps,
    check_unique,
    file_error,
    file_number,
    is_number,
    read_text,
)

__all__ = ["read_amc"]

# The CMU database is recorded at 120 frames per second; AMC files do not say.
CMU_FPS = 120.0

_ASF_LAYOUT = (
    "an ASF skeleton: ':units', ':root' (with 'order TX TY TZ RX RY RZ'), ':bonedata' of "
    "'begin ... name <bone> ... dof rx ry rz ... end' blocks and ':hierarchy'"
)
_AMC_LAYOUT = (
    "an AMC motion: header lines starting with '#' or ':', then per frame its number on a "
    "line and one line '<bone> <values>' per bone with degrees of freedom"
)
_DOFS = {"tx", "ty", "tz", "rx", "ry", "rz", "l"}


def _sections(lines):
    """{':keyword': [(line number, text), ...]} of an ASF file; comments dropped."""
    sections, current = {}, None
    for lineno, text in lines:
        if text.startswith("#"):
            continue
        if text.startswith(":"):
            keyword, _, rest = text.partition(" ")
            current = sections.setdefault(keyword.lower(), [])
            if rest.strip():
                current.append((lineno, rest.strip()))
        elif current is not None:
            current.append((lineno, text))
    return sections


def _read_asf(path):
    """The skeleton: units, root order, bones (name, dof, direction, length, axis), hierarchy, root.

    ``root`` holds the ':root' section's entries as text (``axis``, ``position``,
    ``orientation``), for forward kinematics.
    """
    sections = _sections(read_text(path, _ASF_LAYOUT))
    for keyword in (":root", ":bonedata"):
        if keyword not in sections:
            raise file_error(path, f"no '{keyword}' section", _ASF_LAYOUT)
    units = {}
    for lineno, text in sections.get(":units", []):
        key, _, value = text.partition(" ")
        value = value.strip()
        # A numeric unit (mass, length) scales the file's values: finite and positive.
        units[key] = (
            file_number(path, value, f"unit {key!r}", _ASF_LAYOUT, lineno, positive=True)
            if is_number(value)
            else value
        )
    root = {}
    for _, text in sections[":root"]:
        key, *values = text.split()
        root[key.lower()] = values
    order = [v.lower() for v in root.get("order", [])]
    if not order or not set(order) <= _DOFS:
        raise file_error(path, f"the root's order is {order or 'missing'}", _ASF_LAYOUT)
    check_unique(path, order, "the root's degree of freedom", _ASF_LAYOUT)

    bones, bone = [], None
    for lineno, text in sections[":bonedata"]:
        key, *values = text.split()
        key = key.lower()
        if key == "begin":
            bone = {"dof": [], "line": lineno}
        elif key == "end":
            if bone is None or "name" not in bone:
                raise file_error(
                    path, "a bone block without 'begin' or 'name'", _ASF_LAYOUT, lineno
                )
            bones.append(bone)
            bone = None
        elif bone is None:
            raise file_error(path, f"found {text!r} outside 'begin ... end'", _ASF_LAYOUT, lineno)
        elif key == "name":
            if len(values) != 1:
                raise file_error(path, f"found {text!r}, not 'name <bone>'", _ASF_LAYOUT, lineno)
            bone["name"] = values[0]
        elif key == "dof":
            dof = [v.lower() for v in values]
            if not set(dof) <= _DOFS:
                raise file_error(path, f"unknown dof in {text!r}", _ASF_LAYOUT, lineno)
            check_unique(path, dof, "the degree of freedom", _ASF_LAYOUT, lineno)
            bone["dof"] = dof
        elif key in ("direction", "length", "axis"):
            numbers = [
                file_number(
                    path, v, key, _ASF_LAYOUT, lineno, minimum=0 if key == "length" else None
                )
                for v in values
                if is_number(v)
            ]
            bone[key] = numbers[0] if key == "length" and numbers else numbers
            if key == "axis":
                bone["axis_order"] = next((v for v in values if not is_number(v)), "XYZ")
    if bone is not None:
        raise file_error(path, "a bone block without 'end'", _ASF_LAYOUT, bone["line"])
    # A bone defined twice would leave one of its definitions' channels empty.
    check_unique(path, ["root"] + [b["name"] for b in bones], "bone", _ASF_LAYOUT)
    hierarchy = {}
    for lineno, text in sections.get(":hierarchy", []):
        parent, *children = text.split()
        if parent.lower() not in ("begin", "end"):
            for child in children:
                if child in hierarchy and hierarchy[child] != parent:
                    raise file_error(
                        path,
                        f"bone {child!r} has two parents, {hierarchy[child]!r} and {parent!r}",
                        _ASF_LAYOUT,
                        lineno,
                    )
                hierarchy[child] = parent
    return units, order, bones, hierarchy, root


def _root_frame(root):
    """The root's ``position``, ``orientation`` (numbers) and ``axis`` (Euler order) of the ASF."""
    numbers = {
        key: [float(v) for v in root.get(key, []) if is_number(v)] or [0.0, 0.0, 0.0]
        for key in ("position", "orientation")
    }
    return {**numbers, "axis": "".join(root.get("axis", ["XYZ"])).upper()}


def read_amc(amc_path, asf_path, *, fps=CMU_FPS):
    """Read an Acclaim AMC motion with its ASF skeleton (CMU's native format).

    The ASF file describes the skeleton (bones, their degrees of freedom and
    axes); the AMC file holds, per frame, the values of each bone's degrees
    of freedom. The channels are the root's (``order`` in the ASF, e.g.
    ``TX TY TZ RX RY RZ``) then each bone's ``dof``, in the order of the
    ASF's bone data. AMC files do not store their frame rate: CMU's are 120
    frames per second.

    Parameters
    ----------
    amc_path : str or path-like
        The ``.amc`` motion file.
    asf_path : str or path-like
        The ``.asf`` skeleton file of the same subject (CMU: the subject
        number, e.g. ``02.asf`` for ``02_01.amc``).
    fps : float, default=120
        Frames per second of the recording.

    Returns
    -------
    recording : :class:`~sklearn.utils.Bunch`
        ``data``: ndarray of shape (n_frames, n_channels), float64, values
        as in the file (root translation in the ASF's length unit, angles in
        degrees unless the file says ``:RADIANS``); ``channel_names``:
        ndarray of str, ``"<bone>_<dof>"`` (e.g. ``"root_tx"``,
        ``"lfemur_rx"``); ``fps``; ``filename`` (the AMC file); and
        ``metadata``, a dict: ``format`` (``"amc"``), ``asf_filename``,
        ``bones`` (name to ``dof``, ``direction``, ``length``, ``axis``
        and its Euler ``axis_order``),
        ``parents`` (bone to parent bone, from the ASF's hierarchy), ``root``
        (the ASF root's ``position``, ``orientation`` and ``axis`` order),
        ``units`` (the ASF's ``:units``, e.g. ``length`` 0.45: inches /
        0.45), ``angle_unit`` (``"deg"`` or ``"rad"``), ``frame_numbers``
        and ``rotations`` (per bone with rotations: ``joint``, ``columns``
        and the extrinsic Euler ``order`` of its dof, e.g. ``"xyz"``, for
        :func:`to_expmap`; the angles are relative to the bone's ``axis``
        frame, as in the file).

    Raises
    ------
    ValueError
        When either file does not follow its layout (a number that is not
        finite, a bone, a degree of freedom or a bone's parent defined twice),
        or a frame lacks a bone of the skeleton, has two lines for one, or
        another number of values than its dof; the message names the file,
        the line and the layout expected. Also for an ``fps`` that is not a
        finite positive number.

    Examples
    --------
    >>> from skseq2seq.io import read_amc
    >>> motion = read_amc("02_01.amc", "02.asf")  # doctest: +SKIP
    >>> motion.data.shape, motion.fps, motion.channel_names[:3].tolist()  # doctest: +SKIP
    ((343, 62), 120.0, ['root_tx', 'root_ty', 'root_tz'])
    """
    fps = check_fps(fps)
    if fps is None:
        raise ValueError("fps=None; AMC files do not store their frame rate, pass it.")
    amc_path, asf_path = Path(amc_path), Path(asf_path)
    units, root_order, bones, hierarchy, root = _read_asf(asf_path)
    skeleton = [("root", root_order)] + [(b["name"], b["dof"]) for b in bones if b["dof"]]
    names = [f"{bone}_{dof}" for bone, dofs in skeleton for dof in dofs]
    offsets = np.cumsum([0] + [len(dofs) for _, dofs in skeleton])
    start = {bone: int(offset) for (bone, _), offset in zip(skeleton, offsets)}

    lines = read_text(amc_path, _AMC_LAYOUT)
    angle_unit = "deg"
    body = []
    for lineno, text in lines:
        if text.startswith("#"):
            continue
        if text.startswith(":"):
            if text.upper() == ":RADIANS":
                angle_unit = "rad"
            continue
        body.append((lineno, text))
    frames, numbers, current, seen = [], [], None, set()

    def close(lineno):
        missing = [bone for bone, _ in skeleton if bone not in seen]
        if missing:
            raise file_error(
                amc_path,
                f"frame {numbers[-1]} has no line for bone {missing[0]!r} of {asf_path.name}",
                _AMC_LAYOUT,
                lineno,
            )

    for lineno, text in body:
        if text.isdigit():
            if current is not None:
                close(lineno)
            current = np.full(len(names), np.nan)
            frames.append(current)
            numbers.append(int(text))
            seen = set()
            continue
        bone, *values = text.split()
        if current is None:
            raise file_error(
                amc_path, f"found {text[:40]!r} before a frame number", _AMC_LAYOUT, lineno
            )
        dofs = dict(skeleton).get(bone)
        if dofs is None:
            raise file_error(
                amc_path,
                f"bone {bone!r} is not a bone with dof in {asf_path.name}",
                _AMC_LAYOUT,
                lineno,
            )
        if len(values) != len(dofs):
            raise file_error(
                amc_path,
                f"{len(values)} values for bone {bone!r}, whose dof in {asf_path.name} are "
                f"{' '.join(dofs)}",
                _AMC_LAYOUT,
                lineno,
            )
        if bone in seen:  # two lines of one bone in a frame contradict each other
            raise file_error(
                amc_path,
                f"frame {numbers[-1]} has two lines for bone {bone!r}",
                _AMC_LAYOUT,
                lineno,
            )
        try:
            row = np.array(values, dtype=np.float64)
        except ValueError as exc:
            raise file_error(amc_path, str(exc), _AMC_LAYOUT, lineno) from None
        check_finite_rows(amc_path, row[None], [lineno], _AMC_LAYOUT)
        current[start[bone] : start[bone] + len(dofs)] = row
        seen.add(bone)
    if current is None:
        raise file_error(amc_path, "no frames", _AMC_LAYOUT)
    close(body[-1][0])

    rotations = []
    for bone, dofs in skeleton:
        columns = [start[bone] + i for i, d in enumerate(dofs) if d.startswith("r")]
        if columns:
            order = "".join(dofs[c - start[bone]][1] for c in columns)
            rotations.append({"joint": bone, "columns": columns, "order": order})
    metadata = {
        "format": "amc",
        "asf_filename": str(asf_path),
        "bones": {
            b["name"]: {
                k: b[k] for k in ("dof", "direction", "length", "axis", "axis_order") if k in b
            }
            for b in bones
        },
        "parents": hierarchy,
        "root": _root_frame(root),
        "units": units,
        "angle_unit": angle_unit,
        "frame_numbers": np.asarray(numbers),
        "rotations": rotations,
    }
    return Bunch(
        data=np.stack(frames),
        channel_names=np.asarray(names),
        fps=float(fps),
        filename=str(amc_path),
        metadata=metadata,
    )
