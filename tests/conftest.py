"""Shared fixtures: the real CMU data beside the repository, when present."""

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

# ../shared/data next to the repository (CI and developers); a fresh clone
# without it skips the real-data tests.
_SHARED = Path(os.environ.get("SKSEQ2SEQ_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.fixture(scope="session")
def cmu_data_home():
    """Path of the ``cmu_mocap`` folder, or skip the test."""
    path = _SHARED / "cmu_mocap"
    if not path.is_dir():
        pytest.skip(f"real CMU data not found at {path}")
    return path
