"""Resampling recordings to another frame rate, rotations along the shortest arc."""

import numbers
from fractions import Fraction

import numpy as np
from scipy.signal import resample_poly
from scipy.spatial.transform import Rotation, Slerp

from .._sklearn_compat import Interval
from ..io._rotations import _continuous
from ._kinematics import local_rotations
from ._recordings import RecordingTransformer, joint_of, replace

__all__ = ["Resampler"]

# Per-frame metadata of the readers: AMC frame numbers, C3D residuals, TRC frame numbers.
_PER_FRAME = ("frame_numbers", "residuals")


def _slerp(rotation, times, n):
    """``rotation`` (one per frame 0..n-1) at fractional frames ``times``, spherically."""
    if n == 1:
        return Rotation.from_quat(np.repeat(rotation.as_quat(), len(times), axis=0))
    return Slerp(np.arange(n), rotation)(np.clip(times, 0, n - 1))


class Resampler(RecordingTransformer):
    """Resample recordings to a target frame rate.

    Recordings made at different rates (CMU's 120 fps, Human3.6M's 50,
    a lab's 100 or 200) become comparable once they share one, and a lower
    rate makes long recordings cheaper to cluster. Channels are filtered
    and resampled with :func:`scipy.signal.resample_poly` (a polyphase
    low-pass filter, so that downsampling does not alias); rotations are
    interpolated as rotations, along the shortest arc between frames
    (:class:`scipy.spatial.transform.Slerp`), and given back in their
    representation: Euler angles in the file's order, or exp-maps kept
    continuous (no jumps of 2 pi) as :func:`~skseq2seq.io.to_expmap`
    gives them. Per-frame metadata (AMC frame numbers, C3D residuals) take
    the nearest frame's value.

    Parameters
    ----------
    fps : float
        The target frames per second.
    fps_from : float, default=None
        The recordings' frame rate, when they do not say it (arrays, tables
        read without ``fps``); None uses each recording's ``fps``.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq.preprocessing import Resampler
    >>> frames = np.column_stack([np.linspace(0, 1, 120), np.ones(120)])
    >>> Resampler(fps=30, fps_from=120).fit_transform(frames).shape
    (30, 2)
    """

    _parameter_constraints = {
        "fps": [Interval(numbers.Real, 0, None, closed="neither")],
        "fps_from": [Interval(numbers.Real, 0, None, closed="neither"), None],
    }

    def __init__(self, fps, fps_from=None):
        self.fps = fps
        self.fps_from = fps_from

    def _transform_one(self, recording):
        source = self.fps_from if self.fps_from is not None else recording.fps
        if source is None or not np.isfinite(source) or source <= 0:
            raise ValueError(
                f"{recording.filename or 'The recording'} has no frame rate (fps={source}): "
                "pass fps_from, or fps to the reader."
            )
        ratio = Fraction(float(self.fps) / float(source)).limit_denominator(1000)
        if ratio == 1:
            return replace(recording, fps=float(self.fps))
        data = recording.data
        n = len(data)
        n_out = max(1, -(-n * ratio.numerator // ratio.denominator))  # ceil, as resample_poly
        times = np.arange(n_out) / float(ratio)  # in frames of the recording
        out = np.empty((n_out, data.shape[1]))
        done = set()
        metadata = recording.metadata
        degrees = metadata.get("angle_unit", "deg") == "deg"
        rotations = local_rotations(recording)
        for rot in metadata.get("rotations", []):
            columns = rot["columns"]
            if len(rot["order"]) == 3:
                angles = _slerp(rotations[rot["joint"]], times, n).as_euler(rot["order"], degrees)
            else:  # one or two angles (an ASF knee): interpolated as angles, unwrapped
                period = 360.0 if degrees else 2 * np.pi
                unwrapped = np.unwrap(data[:, columns], axis=0, period=period)
                angles = np.column_stack(
                    [np.interp(times, np.arange(n), unwrapped[:, i]) for i in range(len(columns))]
                )
            out[:, columns] = angles
            done.update(columns)
        columns = {name: c for c, name in enumerate(recording.channel_names)}
        for name in recording.channel_names:
            joint, kind = joint_of(name)
            if kind == "expmap_x" and joint in rotations:
                xyz = [columns.get(f"{joint}_expmap_{axis}") for axis in "xyz"]
                if None in xyz or set(xyz) & done:
                    continue
                out[:, xyz] = _continuous(_slerp(rotations[joint], times, n).as_rotvec())
                done.update(xyz)
        rest = [c for c in range(data.shape[1]) if c not in done]
        if rest:
            if n > 1:
                filtered = resample_poly(
                    data[:, rest], ratio.numerator, ratio.denominator, axis=0, padtype="line"
                )
                out[:, rest] = filtered[:n_out]
            else:
                out[:, rest] = data[:, rest]
        nearest = np.minimum(np.round(times).astype(int), n - 1)
        changes = {key: metadata[key][nearest] for key in _PER_FRAME if key in metadata}
        if "root_rotation" in metadata:  # ForwardKinematics' output
            root = Rotation.from_rotvec(metadata["root_rotation"])
            changes["root_rotation"] = _slerp(root, times, n).as_rotvec()
        if "times" in metadata:
            changes["times"] = metadata["times"][0] + times / source
        if "frame_time" in metadata:
            changes["frame_time"] = 1.0 / float(self.fps)
        return replace(recording, data=out, fps=float(self.fps), metadata=changes)
