"""skseq2seq.io: motion-capture readers, Euler to exponential maps, folders."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.spatial.transform import Rotation

from skseq2seq import Seq2SeqClusterer, Seq2SeqEmbedder, TemporalSegmenter
from skseq2seq.io import (
    euler_to_expmap,
    from_aeon_dataset,
    from_dataframe,
    from_tslearn_dataset,
    load_folder,
    read_amc,
    read_bvh,
    read_c3d,
    read_motion,
    to_expmap,
)

# -- Euler angles to exponential maps -----------------------------------------


@pytest.mark.parametrize("order", ["ZYX", "ZXY", "XYZ", "xyz", "zyx", "yzx"])
def test_euler_to_expmap_is_scipys_rotation(order):
    rng = np.random.default_rng(0)
    angles = rng.uniform(-60, 60, size=(20, 3))
    expmap = euler_to_expmap(angles, order)
    assert_allclose(
        Rotation.from_rotvec(expmap).as_matrix(),
        Rotation.from_euler(order, angles, degrees=True).as_matrix(),
        atol=1e-12,
    )


def test_bvh_and_asf_orders_name_the_same_matrix():
    """BVH's Zrotation Yrotation Xrotation (intrinsic ZYX) is ASF's dof rx ry rz (extrinsic xyz)."""
    z, y, x = 30.0, -20.0, 10.0
    assert_allclose(
        euler_to_expmap([[z, y, x]], "ZYX"), euler_to_expmap([[x, y, z]], "xyz"), atol=1e-12
    )


def test_expmap_known_value_and_radians():
    assert_allclose(euler_to_expmap([[0, 90, 0]], "ZYX"), [[0, np.pi / 2, 0]], atol=1e-12)
    assert_allclose(euler_to_expmap([[np.pi / 2]], "x", degrees=False), [[np.pi / 2, 0, 0]])


def test_expmap_stays_continuous_through_half_turns():
    # A joint spinning about x for two full turns: Euler angles wrap at +-180,
    # scipy's vectors flip sign there; the continuous ones keep growing.
    spin = np.linspace(0, 720, 145)
    wrapped = (spin + 180) % 360 - 180
    angles = np.column_stack([np.zeros_like(spin), np.zeros_like(spin), wrapped])
    expmap = euler_to_expmap(angles, "ZYX")
    assert_allclose(expmap[:, 0], np.deg2rad(spin), atol=1e-9)
    assert_allclose(expmap[:, 1:], 0, atol=1e-12)
    raw = euler_to_expmap(angles, "ZYX", continuous=False)
    assert np.abs(np.diff(raw[:, 0])).max() > 6  # the jump continuity removes
    assert np.abs(np.diff(expmap[:, 0])).max() < 0.1
    # Both are the same rotations.
    assert_allclose(
        Rotation.from_rotvec(raw).as_matrix(),
        Rotation.from_rotvec(expmap).as_matrix(),
        atol=1e-9,
    )


def test_expmap_per_joint_shape():
    angles = np.zeros((5, 4, 3))
    angles[:, 2, 0] = 45
    expmap = euler_to_expmap(angles, "zyx")
    assert expmap.shape == (5, 4, 3)
    assert_allclose(expmap[:, 2], [[0, 0, np.pi / 4]] * 5, atol=1e-12)


@pytest.mark.parametrize(
    "order, angles, match",
    [
        ("ZYx", [[0, 0, 0]], "all upper case"),
        ("ZZ", [[0, 0]], "no axis twice"),
        ("ABC", [[0, 0, 0]], "not an Euler sequence"),
        ("ZYX", [[0, 0]], r"shape \(1, 2\); expected \(n_frames, 3\)"),
        ("ZYX", [[0, np.nan, 0]], "NaN"),
    ],
)
def test_expmap_bad_input(order, angles, match):
    with pytest.raises(ValueError, match=match):
        euler_to_expmap(angles, order)


# -- BVH ------------------------------------------------------------------------

TINY_BVH = """HIERARCHY
ROOT Hips
{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
  JOINT Knee
  {
    OFFSET 0 -4.5 0.5
    CHANNELS 1 Xrotation
    End Site
    {
      OFFSET 0 -4 0
    }
  }
}
MOTION
Frames: 3
Frame Time: 0.0333333
1 2 3 10 20 30 5
1.5 2 3 11 21 31 6
2 2 3 12 22 32 179
"""


def test_read_bvh_tiny(tmp_path):
    path = tmp_path / "tiny.bvh"
    path.write_text(TINY_BVH)
    motion = read_bvh(path)
    assert_array_equal(motion.data[1], [1.5, 2, 3, 11, 21, 31, 6])
    assert motion.fps == 30.0
    assert motion.channel_names.tolist() == [
        "Hips_Xposition",
        "Hips_Yposition",
        "Hips_Zposition",
        "Hips_Zrotation",
        "Hips_Xrotation",
        "Hips_Yrotation",
        "Knee_Xrotation",
    ]
    meta = motion.metadata
    assert meta["joints"] == ["Hips", "Knee"] and meta["parents"] == [-1, 0]
    assert_array_equal(meta["offsets"], [[0, 0, 0], [0, -4.5, 0.5]])
    assert_array_equal(meta["end_sites"]["Knee"], [0, -4, 0])
    assert meta["rotations"] == [
        {"joint": "Hips", "columns": [3, 4, 5], "order": "ZXY"},
        {"joint": "Knee", "columns": [6], "order": "X"},
    ]
    converted = to_expmap(motion)
    assert converted.data.shape == (3, 9)
    assert converted.channel_names[3:].tolist() == [
        f"{joint}_expmap_{axis}" for joint in ("Hips", "Knee") for axis in "xyz"
    ]
    assert_array_equal(converted.data[:, :3], motion.data[:, :3])
    assert_allclose(converted.data[:, 3:6], euler_to_expmap(motion.data[:, 3:6], "ZXY"))
    assert_allclose(converted.data[:, 6:], np.deg2rad([[5, 0, 0], [6, 0, 0], [179, 0, 0]]))
    assert converted.metadata["rotation_format"] == "expmap"
    assert to_expmap(converted) is converted  # nothing left to convert


@pytest.mark.parametrize(
    "edit, match",
    [
        (("HIERARCHY", "HIERARCHIE"), "line 1: found 'HIERARCHIE', not 'HIERARCHY'"),
        (("MOTION", "MOTIONS"), "no 'MOTION' line"),
        (("Frames: 3", "Frames: 4"), "'Frames: 4' but 3 frame lines follow"),
        (("Frame Time: 0.0333333", "Frame Time: x"), "line 18: 'Frame Time:' is 'x', not a number"),
        (("2 2 3 12 22 32 179", "2 2 3 12 22 32"), "line 21: 6 values, but the hierarchy has 7"),
        (("2 2 3 12 22 32 179", "2 2 3 12 22 32 z"), "line 21: could not convert"),
        (("CHANNELS 1 Xrotation", "CHANNELS 1 Wrotation"), "line 9: unknown channel 'Wrotation'"),
        (("OFFSET 0 -4.5 0.5", "OFFSET 0 -4.5"), "OFFSET is 'CHANNELS', not a number"),
        (("      OFFSET 0 -4 0\n    }\n  }\n}", "      OFFSET 0 -4 0\n    }\n  }\n"), "ends early"),
    ],
)
def test_read_bvh_malformed(tmp_path, edit, match):
    path = tmp_path / "bad.bvh"
    assert edit[0] in TINY_BVH
    path.write_text(TINY_BVH.replace(*edit, 1))
    with pytest.raises(ValueError, match=match) as info:
        read_bvh(path)
    assert str(path) in str(info.value) and "expected a BVH file" in str(info.value)


def test_read_bvh_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="No file"):
        read_bvh(tmp_path / "missing.bvh")


def test_read_bvh_real_files(formats_dir):
    motion = read_bvh(formats_dir / "131_01.bvh")
    assert motion.data.shape == (994, 96) and motion.fps == 120.0
    assert motion.metadata["frame_time"] == pytest.approx(0.0083333)
    assert len(motion.metadata["joints"]) == 31 and motion.metadata["joints"][0] == "Hips"
    # The first frame, as written in the file.
    assert_allclose(motion.data[0, :6], [5.2300, 16.9002, -33.8986, -5.4029, 9.8098, 10.4956])
    assert_allclose(motion.data[-1, :3], [2.2348, 16.0803, 11.9624])
    assert_allclose(motion.metadata["offsets"][2], [1.24777, -1.64261, 0.71711])
    orders = {rot["joint"]: rot["order"] for rot in motion.metadata["rotations"]}
    assert orders["Hips"] == "ZYX" and orders["LeftShoulder"] == "ZXY"
    assert sum(order == "ZXY" for order in orders.values()) == 12
    other = read_bvh(formats_dir / "131_02.bvh")
    assert other.data.shape == (1247, 96)
    assert_allclose(other.data[0, :3], [4.8105, 17.0973, -20.3817])
    assert_array_equal(other.channel_names, motion.channel_names)

    converted = to_expmap(motion)
    assert converted.data.shape == (994, 96)  # 31 joints of 3 rotations + root position
    # Each joint's vectors are the rotations of its Euler channels...
    for rot in motion.metadata["rotations"]:
        column = list(converted.channel_names).index(f"{rot['joint']}_expmap_x")
        assert_allclose(
            Rotation.from_rotvec(converted.data[:, column : column + 3]).as_matrix(),
            Rotation.from_euler(rot["order"], motion.data[:, rot["columns"]], True).as_matrix(),
            atol=1e-9,
        )
    # ...and continuous: no frame-to-frame jump of a half turn.
    assert np.abs(np.diff(converted.data[:, 3:], axis=0)).max() < np.pi


# -- ASF/AMC ----------------------------------------------------------------------

TINY_ASF = """# a two-bone skeleton
:version 1.10
:units
  mass 1.0
  length 0.45
  angle deg
:root
   order TX TY TZ RX RY RZ
   axis XYZ
   position 0 0 0
   orientation 0 0 0
:bonedata
  begin
     id 1
     name lfemur
     direction 0.34202 -0.939693 0
     length 5.95
     axis 0 0 20  XYZ
    dof rx ry rz
  end
  begin
     id 2
     name lhipjoint
     direction 1 0 0
     length 2.8
     axis 0 0 0 XYZ
  end
  begin
     id 3
     name ltibia
     direction 0.34202 -0.939693 0
     length 8.0
     axis 0 0 20  XYZ
    dof rx
  end
:hierarchy
  begin
    root lhipjoint
    lhipjoint lfemur
    lfemur ltibia
  end
"""
TINY_AMC = """#!OML:ASF tiny.asf
:FULLY-SPECIFIED
:DEGREES
1
root 1 2 3 10 20 30
lfemur 5 6 7
ltibia 40
2
root 1.5 2 3 11 21 31
ltibia 41
lfemur 5.5 6 7
"""


def write_tiny_amc(tmp_path, amc=TINY_AMC, asf=TINY_ASF):
    (tmp_path / "tiny.asf").write_text(asf)
    (tmp_path / "tiny_01.amc").write_text(amc)
    return tmp_path / "tiny_01.amc", tmp_path / "tiny.asf"


def test_read_amc_tiny(tmp_path):
    motion = read_amc(*write_tiny_amc(tmp_path))
    assert motion.channel_names.tolist() == [
        "root_tx", "root_ty", "root_tz", "root_rx", "root_ry", "root_rz",
        "lfemur_rx", "lfemur_ry", "lfemur_rz", "ltibia_rx",
    ]  # fmt: skip
    # Bones in any order within a frame land in the skeleton's columns.
    assert_array_equal(motion.data, [[1, 2, 3, 10, 20, 30, 5, 6, 7, 40],
                                     [1.5, 2, 3, 11, 21, 31, 5.5, 6, 7, 41]])  # fmt: skip
    assert motion.fps == 120.0 and read_amc(*write_tiny_amc(tmp_path), fps=60).fps == 60.0
    meta = motion.metadata
    assert meta["units"] == {"mass": 1.0, "length": 0.45, "angle": "deg"}
    assert meta["parents"] == {"lhipjoint": "root", "lfemur": "lhipjoint", "ltibia": "lfemur"}
    assert meta["bones"]["ltibia"] == {
        "dof": ["rx"], "direction": [0.34202, -0.939693, 0.0], "length": 8.0, "axis": [0, 0, 20],
        "axis_order": "XYZ",
    }  # fmt: skip
    assert meta["root"] == {"position": [0.0, 0.0, 0.0], "orientation": [0.0, 0.0, 0.0],
                            "axis": "XYZ"}  # fmt: skip
    assert_array_equal(meta["frame_numbers"], [1, 2])
    assert meta["rotations"] == [
        {"joint": "root", "columns": [3, 4, 5], "order": "xyz"},
        {"joint": "lfemur", "columns": [6, 7, 8], "order": "xyz"},
        {"joint": "ltibia", "columns": [9], "order": "x"},
    ]
    converted = to_expmap(motion)
    assert converted.data.shape == (2, 12)
    assert_allclose(converted.data[:, -3:], np.deg2rad([[40, 0, 0], [41, 0, 0]]))


@pytest.mark.parametrize(
    "edit, match",
    [
        (("ltibia 40", "ltibia 40 1"), "line 7: 2 values for bone 'ltibia', whose dof in tiny.asf"),
        (("ltibia 40\n", ""), "line 7: frame 1 has no line for bone 'ltibia'"),
        (("lfemur 5 6 7", "rfemur 5 6 7"), "line 6: bone 'rfemur' is not a bone with dof"),
        (("1\nroot", "root"), "found 'root 1 2 3 10 20 30' before a frame number"),
        (("ltibia 41", "ltibia x"), "line 10: could not convert"),
    ],
)
def test_read_amc_malformed(tmp_path, edit, match):
    assert edit[0] in TINY_AMC
    amc, asf = write_tiny_amc(tmp_path, amc=TINY_AMC.replace(*edit, 1))
    with pytest.raises(ValueError, match=match) as info:
        read_amc(amc, asf)
    assert str(amc) in str(info.value)


def test_read_asf_malformed(tmp_path):
    amc, asf = write_tiny_amc(tmp_path, asf=TINY_ASF.replace(":bonedata", ":bones"))
    with pytest.raises(ValueError, match=f"{asf}: no ':bonedata' section; expected an ASF"):
        read_amc(amc, asf)
    amc, asf = write_tiny_amc(tmp_path, asf=TINY_ASF.replace("dof rx\n", "dof rw\n"))
    with pytest.raises(ValueError, match="line 34: unknown dof in 'dof rw'"):
        read_amc(amc, asf)


def test_read_amc_real_files(formats_dir, cmu_data_home):
    motion = read_amc(formats_dir / "02_01.amc", formats_dir / "12.asf")
    assert motion.data.shape == (343, 62) and motion.fps == 120.0
    names = motion.channel_names.tolist()
    assert names[:6] == ["root_tx", "root_ty", "root_tz", "root_rx", "root_ry", "root_rz"]
    assert_allclose(motion.data[0, :6], [10.4194, 16.7048, -30.1003, -2.48972, -9.82194, -3.00914])
    lhumerus = names.index("lhumerus_rx")
    assert_allclose(motion.data[0, lhumerus : lhumerus + 3], [-51.9812, 32.3861, 64.939])
    assert_allclose(motion.data[-1, names.index("ltoes_rx")], -24.1466)
    assert motion.metadata["units"]["length"] == 0.45
    assert_array_equal(motion.metadata["frame_numbers"], np.arange(1, 344))
    # The CMU walking recording of the action dataset is this trial: its
    # root positions (after a first rest frame) are the AMC's.
    walking = np.loadtxt(
        cmu_data_home / "cmu_mocap" / "actions" / "walking" / "walking_1.txt", delimiter=","
    )
    assert_allclose(walking[1:, :3], motion.data[:, :3], atol=1e-4)

    converted = read_motion(formats_dir / "02_01.amc", rotations="expmap")
    assert converted.metadata["asf_filename"].endswith("12.asf")  # the only .asf there
    # The root's position, and 3 channels for each of 29 bones with rotations (root included).
    assert converted.data.shape == (343, 3 + 3 * 29)


# -- C3D -------------------------------------------------------------------------


def write_c3d(path, points, labels, rate, units="mm", residuals=None):
    ezc3d = pytest.importorskip("ezc3d")
    c3d = ezc3d.c3d()
    c3d["parameters"]["POINT"]["RATE"]["value"] = [rate]
    c3d["parameters"]["POINT"]["LABELS"]["value"] = tuple(labels)
    c3d["parameters"]["POINT"]["UNITS"]["value"] = [units]
    data = np.ones((4, *points.shape[1:]))
    data[:3] = points
    c3d["data"]["points"] = data
    if residuals is not None:
        c3d["data"]["meta_points"]["residuals"] = residuals
    c3d.write(str(path))
    return path


def test_read_c3d_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    points = rng.normal(scale=500, size=(3, 2, 50))  # x/y/z, markers, frames
    path = write_c3d(tmp_path / "walk.c3d", points, ["LASI", "RASI"], 100.0)
    motion = read_c3d(path)
    assert motion.data.shape == (50, 6) and motion.fps == 100.0
    assert motion.channel_names.tolist() == ["LASI_x", "LASI_y", "LASI_z", "RASI_x", "RASI_y",
                                             "RASI_z"]  # fmt: skip
    # C3D stores float32 points.
    assert_allclose(motion.data[7, :3], points[:, 0, 7], rtol=1e-6)
    assert_allclose(motion.data[:, 3:], points[:, 1].T, rtol=1e-6)
    assert motion.metadata["marker_labels"] == ["LASI", "RASI"]
    assert motion.metadata["units"] == "mm"
    assert read_motion(path).metadata["format"] == "c3d"


def test_read_c3d_missing_markers_are_nan(tmp_path):
    points = np.arange(3 * 2 * 4, dtype=float).reshape(3, 2, 4)
    residuals = np.zeros((1, 2, 4))
    residuals[0, 1, 2] = -1  # marker 1 not seen in frame 2
    motion = read_c3d(write_c3d(tmp_path / "gap.c3d", points, ["A", "B"], 50.0, "m", residuals))
    assert np.isnan(motion.data[2, 3:]).all()
    assert np.isfinite(np.delete(motion.data, 2, axis=0)).all()
    assert np.isfinite(motion.data[2, :3]).all()


def test_read_c3d_errors(tmp_path):
    pytest.importorskip("ezc3d")
    bad = tmp_path / "bad.c3d"
    bad.write_bytes(b"not a c3d file at all" * 30)
    with pytest.raises(ValueError, match=f"{bad}: not a readable C3D file"):
        read_c3d(bad)
    with pytest.raises(FileNotFoundError):
        read_c3d(tmp_path / "missing.c3d")


def test_read_c3d_without_ezc3d(monkeypatch, tmp_path):
    import builtins

    real_import = builtins.__import__

    def no_ezc3d(name, *args, **kwargs):
        if name == "ezc3d":
            raise ImportError("No module named 'ezc3d'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ezc3d)
    with pytest.raises(ImportError, match=r"pip install 'skseq2seq\[c3d\]'"):
        read_c3d(tmp_path / "walk.c3d")


# -- read_motion, tables, load_folder ---------------------------------------------


def test_read_motion_tables(tmp_path):
    (tmp_path / "a.txt").write_text("1 2 3\n4 5 6\n")
    (tmp_path / "b.csv").write_text("1\t2\n3\t4\n")
    (tmp_path / "c.csv").write_text("x, y\n1, 2\n")
    np.save(tmp_path / "d.npy", np.arange(6).reshape(3, 2))
    a = read_motion(tmp_path / "a.txt")
    assert_array_equal(a.data, [[1, 2, 3], [4, 5, 6]])
    assert a.channel_names.tolist() == ["0", "1", "2"] and a.fps is None
    assert_array_equal(read_motion(tmp_path / "b.csv").data, [[1, 2], [3, 4]])
    c = read_motion(tmp_path / "c.csv", fps=25)
    assert c.channel_names.tolist() == ["x", "y"] and c.fps == 25.0
    d = read_motion(tmp_path / "d.npy")
    assert d.data.dtype == np.float64
    assert_array_equal(d.data, [[0, 1], [2, 3], [4, 5]])


def test_read_motion_mat(tmp_path):
    from scipy.io import savemat

    frames = np.arange(12.0).reshape(6, 2)
    savemat(tmp_path / "one.mat", {"expmapchannels": frames, "note": "text"})
    motion = read_motion(tmp_path / "one.mat", fps=120)
    assert_array_equal(motion.data, frames)
    assert motion.fps == 120.0 and motion.metadata == {"format": "mat", "key": "expmapchannels"}
    assert read_motion(tmp_path / "one.mat").fps is None
    savemat(tmp_path / "two.mat", {"a": frames, "b": frames + 1})
    assert_array_equal(read_motion(tmp_path / "two.mat", key="b").data, frames + 1)
    with pytest.raises(ValueError, match=r"two.mat: 2 numeric 2D variables \('a', 'b'\); pass key"):
        read_motion(tmp_path / "two.mat")
    with pytest.raises(ValueError, match=r"no numeric 2D variable 'c' \(found: 'a', 'b'\)"):
        read_motion(tmp_path / "two.mat", key="c")
    (tmp_path / "bad.mat").write_text("not matlab")
    with pytest.raises(ValueError, match="bad.mat: not a readable .mat file"):
        read_motion(tmp_path / "bad.mat")


@pytest.mark.slow
def test_read_motion_subject86_mat(cmu_data_home):
    motion = read_motion(cmu_data_home / "cmu_mocap" / "subject86" / "01.mat")
    assert motion.data.shape == (4579, 96) and motion.metadata["key"] == "expmapchannels"


def test_read_motion_errors(tmp_path):
    (tmp_path / "a.csv").write_text("1,2\n3\n")
    with pytest.raises(ValueError, match=r"a.csv, line 2: 1 values, but line 1 has 2"):
        read_motion(tmp_path / "a.csv")
    (tmp_path / "h.csv").write_text("x,y,z\n1,2\n")
    with pytest.raises(ValueError, match="3 names in the header for 2 values"):
        read_motion(tmp_path / "h.csv")
    (tmp_path / "m.tsv").write_text("")
    with pytest.raises(ValueError, match=r"unsupported file extension '.tsv'; supported: .bvh"):
        read_motion(tmp_path / "m.tsv")
    np.save(tmp_path / "o.npy", np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"an array of shape \(2, 2, 2\)"):
        read_motion(tmp_path / "o.npy")
    with pytest.raises(FileNotFoundError, match="No file"):
        read_motion(tmp_path / "missing.bvh")
    with pytest.raises(ValueError, match="rotations='euler'"):
        read_motion(tmp_path / "a.csv", rotations="euler")
    (tmp_path / "x_01.amc").write_text(TINY_AMC)
    with pytest.raises(FileNotFoundError, match=r"found no .asf files beside it and no x.asf"):
        read_motion(tmp_path / "x_01.amc")


def test_read_motion_cmu_action_file(cmu_data_home):
    path = cmu_data_home / "cmu_mocap" / "actions" / "walking" / "walking_1.txt"
    motion = read_motion(path)
    assert motion.data.shape == (344, 117)
    assert_allclose(motion.data[1, :4], [10.4194, 16.7048, -30.1003, 0.0478370234])


def test_load_folder_labels(tmp_path):
    frames = "0.1,0.2\n0.3,0.4\n0.5,0.6\n"
    for name in ("walk/walk_10.csv", "walk/walk_2.csv", "run/r.txt", ".hidden/h.csv", "x.asf"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(frames)
    data = load_folder(tmp_path)
    assert [p[len(str(tmp_path)) + 1 :] for p in data.filenames] == [
        "run/r.txt",
        "walk/walk_2.csv",  # natural order
        "walk/walk_10.csv",
    ]
    assert data.target_names.tolist() == ["run", "walk"] and data.target.tolist() == [0, 1, 1]
    assert_array_equal(data.recordings[2], [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
    assert np.isnan(data.fps).all()
    stems = load_folder(tmp_path, label_from="stem")
    assert stems.target_names.tolist() == ["r", "walk_10", "walk_2"]
    assert stems.target.tolist() == [0, 2, 1]
    custom = load_folder(tmp_path, "walk/*.csv", label_from=lambda p: p.stem.split("_")[1], fps=30)
    assert custom.target_names.tolist() == ["10", "2"] and (custom.fps == 30).all()


def test_load_folder_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="No folder"):
        load_folder(tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match=r"No motion files matching '\*\*/\*'"):
        load_folder(tmp_path)
    (tmp_path / "a.csv").write_text("1,2\n")
    (tmp_path / "b.csv").write_text("1,2,3\n")
    with pytest.raises(ValueError, match=r"b.csv: 3 values per line, but .*a.csv has 2"):
        load_folder(tmp_path)
    with pytest.raises(ValueError, match="label_from='folder'"):
        load_folder(tmp_path, label_from="folder")


def test_load_folder_real_bvh(formats_dir):
    data = load_folder(formats_dir, "*.bvh", label_from="stem", rotations="expmap")
    assert [len(r) for r in data.recordings] == [994, 1247]
    assert data.target_names.tolist() == ["131_01", "131_02"]
    assert_array_equal(data.fps, [120.0, 120.0])
    assert data.channel_names[3] == "Hips_expmap_x"
    assert_allclose(data.recordings[0][0, :3], [5.2300, 16.9002, -33.8986])
    # The whole folder: two BVH files and an AMC motion with its ASF skeleton differ in channels.
    with pytest.raises(ValueError, match="values per line"):
        load_folder(formats_dir)


# -- interop: aeon, tslearn, pandas ---------------------------------------------


def test_from_aeon_dataset_layouts():
    X = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)  # cases, channels, time
    seqs = from_aeon_dataset(X)
    assert seqs.shape == (2, 4, 3)
    assert_array_equal(seqs[1, :, 2], X[1, 2])  # channel 2 of case 1 over time
    assert from_aeon_dataset(X[:, 0]).shape == (2, 4, 1)
    ragged = from_aeon_dataset([X[0], X[1, :, :2]])
    assert [r.shape for r in ragged] == [(4, 3), (2, 3)]
    assert_array_equal(ragged[1], X[1, :, :2].T)
    with pytest.raises(ValueError, match=r"shape \(2, 3, 4, 1\); expected aeon's numpy3D"):
        from_aeon_dataset(X[..., None])
    with pytest.raises(ValueError, match=r"Case 1 has shape \(2, 3, 4\)"):
        from_aeon_dataset([X[0], X])


def test_from_aeon_dataset_basic_motions():
    """aeon's own BasicMotions (shipped with aeon): (40, 6, 100) becomes 40 x 100 steps x 6."""
    datasets = pytest.importorskip("aeon.datasets")
    X, y = datasets.load_basic_motions(split="train")
    assert X.shape == (40, 6, 100)
    seqs = from_aeon_dataset(X)
    assert seqs.shape == (40, 100, 6)
    assert_array_equal(seqs[3, 17], X[3, :, 17])
    # Passed directly, the estimators would see 6-step sequences of 100
    # channels; converted, Seq2SeqEmbedder learns 6 channels.
    embedder = Seq2SeqEmbedder(hidden_size=4, max_epochs=1, random_state=0).fit(seqs)
    assert embedder.n_features_in_ == 6


def test_from_tslearn_dataset():
    tslearn_utils = pytest.importorskip("tslearn.utils")
    sequences = [[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [[7.0, 8.0]], [[9.0, 0.0], [1.0, 2.0]]]
    X = tslearn_utils.to_time_series_dataset(sequences)
    assert X.shape == (3, 3, 2) and np.isnan(X).any()
    out = from_tslearn_dataset(X)
    assert [x.shape for x in out] == [(3, 2), (1, 2), (2, 2)]
    for x, expected in zip(out, sequences):
        assert_array_equal(x, expected)
    # tslearn's own lengths agree.
    assert [len(x) for x in out] == [tslearn_utils.ts_size(x) for x in X]
    assert [len(x) for x in from_tslearn_dataset(X[:, :, 0])] == [3, 1, 2]
    X[0, 1, 0] = np.nan  # inside the sequence: missing, not padding
    with pytest.raises(ValueError, match="Sequence 0 has NaN at step 1, before its end"):
        from_tslearn_dataset(X)


def test_nan_padded_array_passed_directly_points_to_from_tslearn_dataset():
    X = np.ones((3, 6, 2))
    X[1, 4:] = np.nan
    X[2, 5:] = np.nan
    with pytest.raises(ValueError, match=r"NaN padding after the end of 2 sequence\(s\).*"
                       r"from_tslearn_dataset"):  # fmt: skip
        Seq2SeqEmbedder(hidden_size=4, max_epochs=1).fit(X)
    with pytest.raises(ValueError, match="from_tslearn_dataset"):
        Seq2SeqEmbedder(hidden_size=4, max_epochs=1).fit(X[:, :, 0])  # univariate
    # Other NaN keep scikit-learn's message.
    X[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN") as info:
        Seq2SeqEmbedder(hidden_size=4, max_epochs=1).fit(X)
    assert "tslearn" not in str(info.value)


def test_from_dataframe_long_and_wide():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(
        {
            "id": [2, 1, 1, 2, 1],
            "t": [0.5, 0.2, 0.0, 0.0, 0.1],
            "x": [1.0, 2.0, 3.0, 4.0, 5.0],
            "y": [10, 20, 30, 40, 50],
        }
    )
    X, ids = from_dataframe(df, "id", "t", return_ids=True)
    assert ids.tolist() == [1, 2]
    assert_array_equal(X[0], [[3, 30], [5, 50], [2, 20]])  # sorted by t
    assert_array_equal(X[1], [[4, 40], [1, 10]])
    only_y = from_dataframe(df, "id", value_columns=["y"])  # rows in table order
    assert_array_equal(only_y[0].ravel(), [20, 30, 50])
    wide = from_dataframe(df[["x", "y"]])
    assert_array_equal(wide, df[["x", "y"]].to_numpy())
    with pytest.raises(ValueError, match=r"Column 'z' is not in the table"):
        from_dataframe(df, "z")
    with pytest.raises(ValueError, match=r"Column 'name' \(.*\) is not numeric"):
        from_dataframe(df.assign(name="a"), "id", "t")
    with pytest.raises(ValueError, match="Row 1 has a missing value in column .x."):
        from_dataframe(df.assign(x=[1, np.nan, 1, 1, 1]), "id")
    with pytest.raises(TypeError, match="pandas DataFrame"):
        from_dataframe(np.zeros((2, 2)))


@pytest.mark.parametrize("make", ["embedder", "clusterer"])
def test_named_dataframe_passed_directly_is_refused(make):
    pd = pytest.importorskip("pandas")
    long = pd.DataFrame({"id": [0, 0, 1, 1], "t": [0, 1, 0, 1], "x": [0.1, 0.2, 0.3, 0.4]})
    small = Seq2SeqEmbedder(hidden_size=4, max_epochs=1)
    estimator = small if make == "embedder" else Seq2SeqClusterer(n_clusters=2, embedder=small)
    with pytest.raises(ValueError, match=r"DataFrame with named columns \(id, t, x\).*"
                       r"from_dataframe\(df, id_column, time_column\)"):  # fmt: skip
        estimator.fit(long)
    # Unnamed columns read as the array does (scikit-learn's own checks pass DataFrames so).
    rng = np.random.default_rng(0)
    unnamed = pd.DataFrame(rng.normal(size=(6, 5)))
    a = Seq2SeqEmbedder(hidden_size=4, max_epochs=1, random_state=0).fit_transform(unnamed)
    b = Seq2SeqEmbedder(hidden_size=4, max_epochs=1, random_state=0).fit_transform(
        unnamed.to_numpy()
    )
    assert_array_equal(a, b)


def test_segmenter_reads_a_dataframe_as_one_recording():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    frames = pd.DataFrame(rng.normal(size=(60, 3)), columns=["hip", "knee", "ankle"])
    segmenter = TemporalSegmenter(
        n_clusters=2, fps=30, working_fps=30, observed_seconds=0.2, predicted_seconds=0.2,
        context_seconds=(0.5,), embedder=Seq2SeqEmbedder(hidden_size=4, max_epochs=1),
        random_state=0,
    )  # fmt: skip
    labels = segmenter.fit_predict(frames)
    assert labels.shape == (60,) and segmenter.n_features_in_ == 3
