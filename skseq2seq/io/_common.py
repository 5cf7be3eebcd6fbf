"""Helpers shared by the readers: text, and the checks every number read from a file passes.

A file's numbers are checked where they are read, with the file (and line)
in the message: header numbers (frame counts, frame times, channel counts)
must be finite and in range, values finite, names defined once. Readers
return finite data of the documented shape or raise a ValueError naming the
file.
"""

import math

from .._validation import check_fps
from ..datasets._cmu import _check_finite_frames as check_finite_rows
from ..datasets._cmu import _file_error, _read_lines

__all__ = [
    "check_finite_rows",
    "check_fps",
    "check_unique",
    "file_count",
    "file_number",
    "fps_from_frame_time",
    "is_number",
    "read_text",
]


def read_text(path, layout):
    """[(line number, stripped text)] of the non-blank lines of an existing text file."""
    if not path.is_file():
        raise FileNotFoundError(f"No file {path}.")
    return _read_lines(path, layout)


def file_number(path, text, what, layout, lineno=None, *, minimum=None, positive=False):
    """``text`` as a finite float (>= ``minimum``; > 0 if ``positive``), or a file error."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise _file_error(path, f"{what} is {text!r}, not a number", layout, lineno) from None
    if not math.isfinite(value):
        raise _file_error(path, f"{what} is {text!r}, not a finite number", layout, lineno)
    if (minimum is not None and value < minimum) or (positive and value <= 0):
        bound = "positive" if positive else f">= {minimum:g}"
        raise _file_error(path, f"{what} is {text!r}, not {bound}", layout, lineno)
    return value


def file_count(path, text, what, layout, lineno=None, *, maximum=None):
    """``text`` as a non-negative integer (at most ``maximum``), or an error naming the file."""
    value = file_number(path, text, what, layout, lineno, minimum=0)
    if value != int(value) or (maximum is not None and value > maximum):
        limit = "" if maximum is None else f" at most {maximum}"
        raise _file_error(path, f"{what} is {text!r}, not a whole number{limit}", layout, lineno)
    return int(value)


def check_unique(path, names, what, layout, lineno=None):
    """Raise, naming the file, when a name is defined twice (the definitions would contradict)."""
    seen = set()
    for name in names:
        if name in seen:
            raise _file_error(path, f"{what} {name!r} is defined twice", layout, lineno)
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
