"""Data loaders, generators and windowing for sequence clustering."""

from ._base import get_data_home
from ._cmu import load_action_recordings, load_cmu_actions, load_cmu_subject86
from ._fetch import fetch_cmu_actions
from ._h36m import H36M_ACTIONS, load_h36m
from ._synthetic import make_motion_sequences
from ._windows import SlidingWindows, make_concatenated_actions, sliding_windows

__all__ = [
    "H36M_ACTIONS",
    "SlidingWindows",
    "fetch_cmu_actions",
    "get_data_home",
    "load_action_recordings",
    "load_cmu_actions",
    "load_cmu_subject86",
    "load_h36m",
    "make_concatenated_actions",
    "make_motion_sequences",
    "sliding_windows",
]
