"""Helpers shared by the readers: text, and the checks every number read from a file passes.

A file's numbers are checked where they are read, with the file (and line)
in the message: header numbers (frame counts, frame times, channel counts)
must be finite and in range, values finite, names defined once. Readers
return finite data of the documented shape or raise a ValueError naming the
file.
"""

import math
import re
from pathlib import Path

import numpy as np

from .._validation import check_fps

__all__ = [
    "check_finite_rows",
    "check_fps",
    "check_same_channels",
    "check_unique",
    "file_count",
    "file_error",
    "file_number",
    "fps_from_frame_time",
    "is_number",
    "natural_key",
    "parse_frames",
    "read_lines",
    "read_text",
]


def file_error(path, problem, expected, lineno=None):
    """A ValueError naming the file (and line) and the layout expected."""
    where = str(path) if lineno is None else f"{path}, line {lineno}"
    return ValueError(f"{where}: {problem}; expected {expected}.")


def read_lines(path, expected):
    """[(line number, text)] of the non-blank lines of a text file, 1-based."""
    try:
        # utf-8-sig: a byte-order mark (as Windows editors write) is not part of the first line.
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise file_error(path, f"not a text file ({exc.reason})", expected) from exc
    lines = [(i, line.strip()) for i, line in enumerate(text.splitlines(), start=1)]
    lines = [(i, line) for i, line in lines if line]
    if not lines:
        raise file_error(path, "the file is empty or blank", expected)
    return lines


def check_finite_rows(path, data, linenos, layout):
    """Raise, naming the file and line, at the first row of ``data`` with NaN or infinity."""
    bad = ~np.isfinite(data).all(axis=1)
    if bad.any():
        row = int(np.argmax(bad))
        value = data[row][~np.isfinite(data[row])][0]
        raise file_error(
            path,
            f"missing values (NaN) or infinities: the value {value} in frame {row + 1} is not "
            "finite; fill or drop them first",
            layout,
            None if linenos is None else linenos[row],
        )


def parse_frames(path, lines, delimiter, layout):
    """(n_frames, n_channels) float64 array of [(line number, text)] lines of numbers.

    ``delimiter`` separates the values (None: runs of whitespace); errors
    name the file, the line and ``layout``.
    """
    first, width = lines[0][0], len(lines[0][1].split(delimiter))
    frames = []
    for lineno, line in lines:
        values = line.split(delimiter)
        if len(values) != width:
            raise file_error(
                path, f"{len(values)} values, but line {first} has {width}", layout, lineno
            )
        try:
            frames.append(np.array(values, dtype=np.float64))
        except ValueError as exc:  # numpy's message quotes the bad value
            raise file_error(path, str(exc), layout, lineno) from None
    frames = np.stack(frames)
    check_finite_rows(path, frames, [lineno for lineno, _ in lines], layout)
    return frames


def natural_key(path):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.name)]


def check_same_channels(recordings, filenames):
    """Raise, naming the file, when a recording's channels differ from the first's."""
    for frames, name in zip(recordings, filenames):
        if frames.shape[1] != recordings[0].shape[1]:
            raise file_error(
                name,
                f"{frames.shape[1]} values per line, but {filenames[0]} has "
                f"{recordings[0].shape[1]}",
                "the same channels in every recording",
            )


def read_text(path, layout):
    """[(line number, stripped text)] of the non-blank lines of an existing text file."""
    if not path.is_file():
        raise FileNotFoundError(f"No file {path}.")
    return read_lines(path, layout)


def file_number(path, text, what, layout, lineno=None, *, minimum=None, positive=False):
    """``text`` as a finite float (>= ``minimum``; > 0 if ``positive``), or a file error."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise file_error(path, f"{what} is {text!r}, not a number", layout, lineno) from None
    if not math.isfinite(value):
        raise file_error(path, f"{what} is {text!r}, not a finite number", layout, lineno)
    if (minimum is not None and value < minimum) or (positive and value <= 0):
        bound = "positive" if positive else f">= {minimum:g}"
        raise file_error(path, f"{what} is {text!r}, not {bound}", layout, lineno)
    return value


def file_count(path, text, what, layout, lineno=None, *, maximum=None):
    """``text`` as a non-negative integer (at most ``maximum``), or an error naming the file."""
    value = file_number(path, text, what, layout, lineno, minimum=0)
    if value != int(value) or (maximum is not None and value > maximum):
        limit = "" if maximum is None else f" at most {maximum}"
        raise file_error(path, f"{what} is {text!r}, not a whole number{limit}", layout, lineno)
    return int(value)


def check_unique(path, names, what, layout, lineno=None):
    """Raise, naming the file, when a name is defined twice (the definitions would contradict)."""
    seen = set()
    for name in names:
        if name in seen:
            raise file_error(path, f"{what} {name!r} is defined twice", layout, lineno)
        seen.add(name)


def fps_from_frame_time(frame_time):
    """Frames per second of a frame duration, rounded when it is an integer but for rounding.

    Files write the duration with few digits (``.0083333`` for 120 fps): the
    inverse is rounded to the nearest integer when within 0.1% of it.
    """
    fps = 1.0 / frame_time
    return float(round(fps)) if abs(fps - round(fps)) <= 1e-3 * fps else fps


def is_number(text):
    """Whether ``text`` parses as a float."""
    try:
        float(text)
    except ValueError:
        return False
    return True
