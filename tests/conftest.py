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


@pytest.fixture(scope="session")
def cmu_data_home():
    """The data home holding the real ``cmu_mocap/`` folder (a loader's ``data_home``), or skip."""
    path = _SHARED / "cmu_mocap"
    if not path.is_dir():
        pytest.skip(f"real CMU data not found at {path}")
    return _SHARED


@pytest.fixture(scope="session")
def h36m_data_home():
    """The data home holding the real ``h36m/`` folder, or skip."""
    path = _SHARED / "h36m"
    if not path.is_dir():
        pytest.skip(f"real Human3.6M data not found at {path}")
    return _SHARED


@pytest.fixture(scope="session")
def formats_dir():
    """The real motion-capture files of ``../shared/data/formats`` (BVH, ASF/AMC), or skip."""
    path = _SHARED / "formats"
    if not path.is_dir():
        pytest.skip(f"real motion-capture files not found at {path}")
    return path
