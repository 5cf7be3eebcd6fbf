"""Argument types and the options several commands share."""

import argparse
import math
from dataclasses import dataclass


def positive_int(text, expected="a positive integer"):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
    return value


def two_or_more(text):
    value = positive_int(text, "an integer of 2 or more")
    if value < 2:
        raise argparse.ArgumentTypeError(f"expected an integer of 2 or more, got {text!r}")
    return value


def n_clusters(text):
    """--n-clusters: a positive integer or "auto"."""
    return text if text == "auto" else positive_int(text, "a positive integer or 'auto'")


def _number(text, minimum, expected, inclusive=False):
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and (value >= minimum if inclusive else value > minimum)):
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
    return value


def positive_float(text):
    return _number(text, 0, "a positive number")


def seconds(text):
    """A duration in seconds, 0 or more."""
    return _number(text, 0, "a number of seconds, 0 or more", inclusive=True)


@dataclass(frozen=True)
class Length:
    """A ``--window`` or ``--stride``: frames, or seconds when written with an ``s``."""

    value: float
    in_seconds: bool
    text: str

    def frames(self, fps, option):
        """The length in frames at ``fps`` (None: unknown, an error for seconds)."""
        if not self.in_seconds:
            return int(self.value)
        if fps is None:
            raise ValueError(
                f"{option} {self.text}: seconds need the frame rate, which the files do not "
                "give (or they differ); pass --fps, or give the length in frames"
            )
        frames = int(round(self.value * fps))
        if frames < 1:
            raise ValueError(f"{option} {self.text}: less than one frame at {fps:g} fps")
        return frames


def length(text):
    """--window/--stride: ``50`` (frames) or ``1s``, ``0.5s`` (seconds)."""
    if text.strip().lower().endswith("s"):
        value = _number(text.strip()[:-1], 0, "frames (e.g. 50) or seconds (e.g. 1s, 0.5s)")
        return Length(value, True, text)
    return Length(positive_int(text, "frames (e.g. 50) or seconds (e.g. 1s, 0.5s)"), False, text)


def add_paths(parser):
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="motion files or folders (.bvh, .c3d, .amc, "
        ".csv, .txt, .npy, .mat); Euler rotations are converted to exponential maps",
    )  # fmt: skip


def add_windows(parser, width, stride):
    parser.add_argument(
        "--window",
        type=length,
        help=f"window length: frames (e.g. 50) or seconds (e.g. 1s); default: {width} frames, "
        "or a saved model's",
    )
    parser.add_argument(
        "--stride",
        type=length,
        help=f"between window starts: frames or seconds; default: {stride} frames, or a saved "
        "model's",
    )


def add_fps(parser):
    parser.add_argument(
        "--fps", type=positive_float, help="frames per second (default: the files', if they say)"
    )


def add_net(parser):
    """Options of the nets trained, the seed, and how training reports."""
    parser.add_argument("--epochs", type=positive_int, help="training epochs of each net")
    parser.add_argument("--hidden-size", type=positive_int, help="size of the GRU states")
    parser.add_argument("--device", help="torch device, e.g. cpu or cuda (default: auto)")
    parser.add_argument("--random-state", type=int, default=0, help="seed (default: 0)")
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--quiet", action="store_true", help="print no training progress")
    shown.add_argument(
        "--verbose", action="store_true", help="also show skorch's per-batch progress bar"
    )


def add_model_files(parser):
    parser.add_argument("--save-model", help="save the fitted model (joblib) to this file")
    parser.add_argument("--model", help="label with this saved model instead of training")


def add_memory(parser):
    parser.add_argument(
        "--memory", help="cache folder for trained nets: a rerun with other clustering options "
        "reuses them",
    )  # fmt: skip
