"""read_trc: OpenSim / Vicon marker trajectories, and bad files."""

import numpy as np
import pytest

from skseq2seq.io import load_folder, read_motion, read_trc
from skseq2seq.preprocessing import Mirror, RootTransformer, UnitNormalizer

# The layout of OpenSim's example data (subject01_walk1.trc): tab-separated, a blank line
# after the coordinate labels, a marker lost in frame 2 (empty cells).
_TRC = "\n".join(
    "\t".join(row)
    for row in [
        ["PathFileType", "4", "(X/Y/Z)", "subject01_walk1.trc"],
        "DataRate CameraRate NumFrames NumMarkers Units OrigDataRate OrigDataStartFrame "
        "OrigNumFrames".split(),
        ["60.00", "60.00", "3", "3", "mm", "60.00", "1", "3"],
        ["Frame#", "Time", "R.ASIS", "", "", "L.ASIS", "", "", "V.Sacral", "", ""],
        ["", ""] + [f"{a}{i}" for i in (1, 2, 3) for a in "XYZ"],
        [],
        ["1", "0.000", "1086.25", "979.78", "116.29", "856.91", "970.85", "367.93"]
        + ["784.91", "1001.31", "168.74"],
        ["2", "0.017", "1101.46", "979.47", "115.92", "", "", ""] + ["799.58", "1001.47", "168.21"],
        ["3", "0.033", "1116.52", "979.09", "115.55", "886.99", "970.35", "367.84"]
        + ["814.12", "1001.52", "167.59"],
    ]
)


@pytest.fixture
def trc_file(tmp_path):
    path = tmp_path / "subject01_walk1.trc"
    path.write_text(_TRC + "\n")
    return path


def test_read_trc(trc_file):
    motion = read_trc(trc_file)
    assert motion.data.shape == (3, 9)
    assert motion.fps == 60.0
    assert motion.channel_names[:4].tolist() == ["R.ASIS_x", "R.ASIS_y", "R.ASIS_z", "L.ASIS_x"]
    assert motion.metadata["marker_labels"] == ["R.ASIS", "L.ASIS", "V.Sacral"]
    assert motion.metadata["units"] == "mm"
    np.testing.assert_allclose(motion.metadata["times"], [0, 0.017, 0.033])
    np.testing.assert_allclose(motion.data[0, :3], [1086.25, 979.78, 116.29])
    assert np.isnan(motion.data[1, 3:6]).all() and not np.isnan(motion.data[1, 6:]).any()
    # read_motion and load_folder read it by its extension.
    np.testing.assert_array_equal(read_motion(trc_file).data, motion.data)
    assert load_folder(trc_file.parent).recordings[0].shape == (3, 9)


def test_trc_through_preprocessing(trc_file):
    motion = read_trc(trc_file)
    metres = UnitNormalizer().fit_transform(motion)
    np.testing.assert_allclose(metres.data, motion.data / 1000)
    original, mirrored = Mirror(axis="z").fit_transform(metres)  # OpenSim: x forward, z right
    np.testing.assert_allclose(mirrored.data[0, 3:6], metres.data[0, :3] * [1, 1, -1])
    centred = RootTransformer().fit_transform(metres)  # markers: on their centroid
    assert np.isfinite(centred.data[0]).all()


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda t: t.replace("PathFileType", "Path"), "not 'PathFileType'"),
        (lambda t: t.replace("NumMarkers", "Markers"), "no 'NumMarkers' in the header"),
        (lambda t: t.replace("60.00\t60.00\t3\t3", "60.00\t60.00\t3\t4"), "NumMarkers is 4 but 3"),
        (lambda t: t.replace("60.00\t60.00\t3", "0\t60.00\t3"), "DataRate is 0"),
        (lambda t: t.replace("60.00\t60.00\t3", "fast\t60.00\t3"), "not a number"),
        (lambda t: t.replace("Frame#", "Frame"), "expected 'Frame#<tab>Time'"),
        (lambda t: t.replace("1001.31", "1001.31\t5"), "line 7: 12 values for 3 markers"),
        (lambda t: t.replace("1001.31", "abc"), "line 7: could not convert"),
        (lambda t: t.split("\n1\t")[0], "no frames"),
    ],
)
def test_read_trc_bad_files(tmp_path, edit, match):
    path = tmp_path / "bad.trc"
    path.write_text(edit(_TRC) + "\n")
    with pytest.raises(ValueError, match=match):
        read_trc(path)


def test_read_trc_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="No file"):
        read_trc(tmp_path / "none.trc")
