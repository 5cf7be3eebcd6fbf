"""Helpers shared by the readers."""

from ..datasets._cmu import _read_lines

__all__ = ["fps_from_frame_time", "is_number", "read_text"]


def read_text(path, layout):
    """[(line number, stripped text)] of the non-blank lines of an existing text file."""
    if not path.is_file():
        raise FileNotFoundError(f"No file {path}.")
    return _read_lines(path, layout)


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
