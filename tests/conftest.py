"""Shared fixtures: the real CMU data beside the repository, when present."""

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

# ../shared/data next to the repository (CI and developers); a fresh clone
# without it skips the real-data tests.
_SHARED = Path(
    os.environ.get("SKSEQ2SEQ_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


def _shared_folder(name, what):
    """``../shared/data/<name>``, or skip the test (a user's fresh clone has no data)."""
    path = _SHARED / name
    if not path.is_dir():
        pytest.skip(f"real {what} not found at {path}")
    return path


@pytest.fixture(scope="session")
def cmu_data_home():
    """The data home holding the real ``cmu_mocap/`` folder (a loader's ``data_home``), or skip."""
    return _shared_folder("cmu_mocap", "CMU data").parent


@pytest.fixture(scope="session")
def h36m_data_home():
    """The data home holding the real ``h36m/`` folder, or skip."""
    return _shared_folder("h36m", "Human3.6M data").parent


@pytest.fixture(scope="session")
def formats_dir():
    """The real motion-capture files of ``../shared/data/formats`` (BVH, ASF/AMC), or skip."""
    return _shared_folder("formats", "motion-capture files")
