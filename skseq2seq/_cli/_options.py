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
        "paths", nargs="+", metavar="PATH", help="motion files or folders (.bvh, .amc, .c3d, "
        ".trc, .csv, .txt, .npy, .mat); Euler rotations are converted to exponential maps",
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


def unit(text):
    """--unit: a unit's name (checked by the preprocessing) or metres per unit."""
    try:
        return _number(text, 0, "metres per unit, a positive number")
    except argparse.ArgumentTypeError:
        if text[:1].isdigit() or text[:1] in "+-.":
            raise
        return text


def add_preprocessing(parser):
    """Options of the motion files' preprocessing (``make_motion_preprocessor``'s parameters)."""
    group = parser.add_argument_group(
        "preprocessing",
        "motion files with a skeleton or markers (BVH, ASF/AMC, C3D, TRC) go through "
        "skseq2seq.preprocessing.make_motion_preprocessor: lengths in metres, joint positions "
        "relative to the root, the root's horizontal position dropped (where the subject stands "
        "and the length unit do not matter); tables and arrays pass unchanged; a saved model's "
        "settings are used with --model",
    )
    group.add_argument(
        "--keep-root", action="store_const", const=True, help="keep the root's horizontal "
        "movement, as velocity in the body's heading frame (default: drop it)",
    )  # fmt: skip
    group.add_argument(
        "--joints", nargs="+", metavar="NAME", help="keep only these joints or markers (names "
        "as the files give them; default: all)",
    )  # fmt: skip
    group.add_argument(
        "--fps-to", type=positive_float, metavar="FPS", help="resample to this frame rate; "
        "windows in seconds and the times written use it (default: the files' rate)",
    )  # fmt: skip
    group.add_argument(
        "--representation", choices=("positions", "rotations"), help="joint positions "
        "(forward kinematics) or the rotations as read, as exponential maps (default: positions)",
    )  # fmt: skip
    group.add_argument(
        "--unit", type=unit, help="the files' length unit (m, cm, mm, in, ft), metres per "
        "unit, 'size' (from the skeleton's height) or 'auto' (the file's stated unit, else size; "
        "the default)",
    )  # fmt: skip


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
