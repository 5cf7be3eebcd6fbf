"""Data loaders, generators and windowing for sequence clustering."""

from ._synthetic import make_motion_sequences

__all__ = ["make_motion_sequences"]
