"""skseq2seq.preprocessing: the transformers on real files, known frames, and bad input."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.utils import Bunch
from sklearn.utils.estimator_checks import parametrize_with_checks

from skseq2seq.datasets import SlidingWindows
from skseq2seq.io import load_folder, read_amc, read_bvh, read_motion, to_expmap
from skseq2seq.preprocessing import (
    ForwardKinematics,
    JointSelector,
    Mirror,
    Resampler,
    RootTransformer,
    ToArrays,
    UnitNormalizer,
    make_motion_preprocessor,
)

# --- scikit-learn's checks --------------------------------------------------------------------
# The checks pass 2D arrays: for these transformers, one recording of n_samples frames without
# names, frame rate or skeleton. On such arrays UnitNormalizer, ForwardKinematics,
# RootTransformer and ToArrays have nothing to act on and return them unchanged; JointSelector
# selects by index; Resampler resamples (with fps_from); Mirror needs named 3D points.
_STATELESS = {
    "check_n_features_in": "stateless: recordings may differ in channels, none is learned",
    "check_n_features_in_after_fitting": (
        "stateless: recordings may differ in channels (skeletons, marker sets), none is learned"
    ),
    "check_transformer_data_not_an_array": (
        "a list is a list of recordings, not the rows of one (the check passes X.tolist())"
    ),
}
_RESAMPLED = {
    check: "resampling changes the number of frames, which the check takes for samples"
    for check in (
        "check_transformer_general",
        "check_transformers_unfitted_stateless",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
    )
}
_NEEDS_POINTS = {
    check: "Mirror needs named 3D points (<point>_x, _y, _z) with left/right pairs"
    for check in (
        "check_fit_score_takes_y",
        "check_estimators_dtypes",
        "check_dtype_object",
        "check_pipeline_consistency",
        "check_estimators_pickle",
        "check_f_contiguous_array_estimator",
        "check_transformer_general",
        "check_transformer_preserve_dtypes",
        "check_transformers_unfitted_stateless",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_dict_unchanged",
        "check_fit_idempotent",
    )
}


def _expected_failures(estimator):
    if isinstance(estimator, Resampler):
        return {**_STATELESS, **_RESAMPLED}
    if isinstance(estimator, Mirror):
        return {**_STATELESS, **_NEEDS_POINTS}
    return _STATELESS


@parametrize_with_checks(
    [
        UnitNormalizer(),
        Resampler(fps=30, fps_from=60),
        ForwardKinematics(),
        RootTransformer(),
        JointSelector([0]),
        Mirror(),
        ToArrays(),
    ],
    expected_failed_checks=_expected_failures,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


# --- small recordings ------------------------------------------------------------------------


def _bvh_text(offset_scale=1.0, frames=((0, 90, 0, 10, 20, 30, 0, 0, 45, 0, 0, -45),)):
    s = offset_scale
    rows = "\n".join(" ".join(str(v) for v in frame) for frame in frames)
    return f"""HIERARCHY
ROOT Hips
{{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Yrotation Xrotation
  JOINT LeftLeg
  {{
    OFFSET {10 * s} {-40 * s} 0
    CHANNELS 3 Zrotation Yrotation Xrotation
    End Site
    {{
      OFFSET 0 {-45 * s} {5 * s}
    }}
  }}
  JOINT RightLeg
  {{
    OFFSET {-10 * s} {-40 * s} 0
    CHANNELS 3 Zrotation Yrotation Xrotation
    End Site
    {{
      OFFSET 0 {-45 * s} {5 * s}
    }}
  }}
  JOINT Head
  {{
    OFFSET 0 {80 * s} 0
    End Site
    {{
      OFFSET 0 {10 * s} 0
    }}
  }}
}}
MOTION
Frames: {len(frames)}
Frame Time: 0.0083333
{rows}
"""


@pytest.fixture
def tiny_bvh(tmp_path):
    path = tmp_path / "tiny.bvh"
    rng = np.random.default_rng(0)
    frames = np.column_stack(
        [
            np.linspace(0, 120, 60),  # walks 120 units along x
            np.full(60, 90.0),
            np.zeros(60),
            rng.uniform(-40, 40, (60, 9)),
        ]
    )
    frames[:, 3:6] = [0, 30, 0]  # the root faces 30 degrees about y, upright
    path.write_text(_bvh_text(frames=frames.round(4).tolist()))
    return read_bvh(path)


def _markers(units="mm"):
    data = np.array(
        [[150.0, 900, 0, -150, 900, 0, 0, 1700, 0], [160, 900, 10, -140, 910, 10, 0, 1700, 0]]
    )
    return Bunch(
        data=data,
        channel_names=np.array([f"{m}_{a}" for m in ("LASI", "RASI", "HEAD") for a in "xyz"]),
        fps=100.0,
        filename="walk.trc",
        metadata={"format": "trc", "units": units},
    )


def _independent_bvh_positions(recording, frame):
    """Joint positions of one frame by a recursion over 4x4 matrices built channel by channel."""
    metadata = recording.metadata
    values = dict(zip(recording.channel_names, recording.data[frame]))
    elementary = {
        "X": lambda a: Rotation.from_rotvec([np.radians(a), 0, 0]).as_matrix(),
        "Y": lambda a: Rotation.from_rotvec([0, np.radians(a), 0]).as_matrix(),
        "Z": lambda a: Rotation.from_rotvec([0, 0, np.radians(a)]).as_matrix(),
    }
    world = {}
    for j, joint in enumerate(metadata["joints"]):
        local = np.eye(4)
        local[:3, 3] = metadata["offsets"][j]
        for channel in metadata["channels"][joint]:  # in the file's order: M = M1 M2 M3
            value = values[f"{joint}_{channel}"]
            step = np.eye(4)
            if channel.endswith("position"):
                local[:3, 3]["XYZ".index(channel[0])] = value
            else:
                step[:3, :3] = elementary[channel[0]](value)
            local = local @ step
        parent = metadata["parents"][j]
        world[joint] = local if parent < 0 else world[metadata["joints"][parent]] @ local
    return np.array([world[joint][:3, 3] for joint in metadata["joints"]])


# --- forward kinematics ------------------------------------------------------------------------


def test_forward_kinematics_rest_pose_is_the_cumulative_offsets(tiny_bvh):
    still = Bunch(**{**tiny_bvh, "data": np.zeros_like(tiny_bvh.data[:1])})
    positions = ForwardKinematics(end_sites=True).fit_transform(still)
    points = positions.data.reshape(-1, 3)
    assert positions.channel_names[:3].tolist() == ["Hips_x", "Hips_y", "Hips_z"]
    expected = [[0, 0, 0], [10, -40, 0], [-10, -40, 0], [0, 80, 0]]
    expected += [[10, -85, 5], [-10, -85, 5], [0, 90, 0]]  # the end sites
    np.testing.assert_allclose(points, expected, atol=1e-12)


def test_forward_kinematics_real_bvh_against_an_independent_computation(formats_dir):
    motion = read_bvh(formats_dir / "131_01.bvh")
    # Frame 0 with every channel zero: the cumulative offsets of the file.
    zero = Bunch(**{**motion, "data": np.zeros_like(motion.data[:1])})
    offsets = np.asarray(motion.metadata["offsets"])
    cumulative = offsets.copy()
    for j, parent in enumerate(motion.metadata["parents"]):
        if parent >= 0:
            cumulative[j] += cumulative[parent]
    np.testing.assert_allclose(
        ForwardKinematics().fit_transform(zero).data.reshape(-1, 3), cumulative, atol=1e-12
    )
    # Real frames: an independent composition of elementary rotations in channel order.
    positions = ForwardKinematics().fit_transform(motion).data
    for frame in (0, 500):
        np.testing.assert_allclose(
            positions[frame].reshape(-1, 3),
            _independent_bvh_positions(motion, frame),
            atol=1e-9,
        )
    # From exp-maps, the same positions.
    np.testing.assert_allclose(
        ForwardKinematics().fit_transform(to_expmap(motion)).data, positions, atol=1e-9
    )


def test_forward_kinematics_amc_keeps_bone_lengths(formats_dir):
    motion = read_amc(formats_dir / "02_01.amc", formats_dir / "12.asf")
    positions = ForwardKinematics().fit_transform(motion)
    names = [n[:-2] for n in positions.channel_names[::3]]
    points = positions.data.reshape(len(positions.data), -1, 3)
    bones, parents = motion.metadata["bones"], motion.metadata["parents"]
    for bone in ("lfemur", "rtibia", "lowerback", "lhumerus"):
        end, start = points[:, names.index(bone)], points[:, names.index(parents[bone])]
        np.testing.assert_allclose(
            np.linalg.norm(end - start, axis=1), bones[bone]["length"], rtol=1e-5
        )
    # The root is where the AMC puts it.
    np.testing.assert_allclose(points[:, 0], motion.data[:, :3], atol=1e-12)
    # Standing: the head is above the feet, a human's height apart (CMU: inches x 0.45).
    metres = UnitNormalizer().fit_transform(motion)
    height = ForwardKinematics().fit_transform(metres).data[0].reshape(-1, 3)[:, 1]
    assert 1.3 < height.max() - height.min() < 2.0


def test_forward_kinematics_needs_every_joint(tiny_bvh):
    selected = JointSelector(["Hips", "LeftLeg"]).fit_transform(tiny_bvh)
    with pytest.raises(ValueError, match="'RightLeg' has no rotation.*JointSelector after"):
        ForwardKinematics().fit_transform(selected)


def test_forward_kinematics_leaves_markers_and_tables():
    markers = _markers()
    assert ForwardKinematics().fit_transform(markers) is not None
    np.testing.assert_array_equal(ForwardKinematics().fit_transform(markers).data, markers.data)
    table = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(ForwardKinematics().fit_transform(table), table)


# --- units ------------------------------------------------------------------------------------


def test_unit_normalizer_same_take_in_cm_and_m(tmp_path):
    frames = [[5, 90, 3, 10, 20, 30, 5, 6, 7, -5, 2, 1]]
    cm, m = tmp_path / "cm.bvh", tmp_path / "m.bvh"
    cm.write_text(_bvh_text(1.0, frames))
    m.write_text(_bvh_text(0.01, [[0.05, 0.9, 0.03, *frames[0][3:]]]))
    out = [UnitNormalizer().fit_transform(read_bvh(p)) for p in (cm, m)]
    np.testing.assert_allclose(out[0].data, out[1].data, atol=1e-12)
    np.testing.assert_allclose(out[0].metadata["offsets"], out[1].metadata["offsets"])
    # The rest pose (feet to head) is body_height tall.
    assert out[0].metadata["offsets"][3][1] == pytest.approx(1.7 * 80 / 175)
    rotations = out[0].data[:, 3:]
    np.testing.assert_array_equal(rotations, np.asarray(frames, float)[:, 3:])


@pytest.mark.parametrize(("units", "scale"), [("mm", 0.001), ("cm", 0.01), ("m", 1.0)])
def test_unit_normalizer_uses_the_files_unit(units, scale):
    out = UnitNormalizer().fit_transform(_markers(units))
    np.testing.assert_allclose(out.data, _markers().data * scale)
    assert out.metadata["length_unit"] == "m"
    # Applied twice, nothing more changes.
    np.testing.assert_allclose(UnitNormalizer().fit_transform(out).data, out.data)


def test_unit_normalizer_explicit_unit_and_size():
    np.testing.assert_allclose(UnitNormalizer(unit="cm").fit_transform(_markers()).data[0, 1], 9.0)
    sized = UnitNormalizer(unit="size", body_height=1.0).fit_transform(_markers())
    assert sized.data[0, 7] - sized.data[0, 1] == pytest.approx(1.0)


def test_unit_normalizer_flat_skeleton(tmp_path):
    path = tmp_path / "flat.bvh"
    path.write_text(_bvh_text(0.0))
    with pytest.raises(ValueError, match="flat.bvh: its skeleton has no height.*unit="):
        UnitNormalizer().fit_transform(read_bvh(path))
    assert UnitNormalizer(unit="cm").fit_transform(read_bvh(path)).data[0, 1] == 0.9


def test_unit_normalizer_asf_unit(formats_dir):
    motion = read_amc(formats_dir / "02_01.amc", formats_dir / "12.asf")
    out = UnitNormalizer().fit_transform(motion)
    assert out.metadata["metres_per_file_unit"] == pytest.approx(0.0254 / 0.45)
    np.testing.assert_allclose(out.data[:, :3], motion.data[:, :3] * 0.0254 / 0.45)
    np.testing.assert_array_equal(out.data[:, 3:], motion.data[:, 3:])


# --- root ------------------------------------------------------------------------------------


def test_root_drop_on_rotations_and_positions(tiny_bvh):
    dropped = RootTransformer().fit_transform(tiny_bvh)
    assert "Hips_Xposition" not in dropped.channel_names
    assert "Hips_Yposition" in dropped.channel_names  # the height stays
    no_height = RootTransformer(keep_height=False).fit_transform(tiny_bvh)
    assert no_height.data.shape[1] == tiny_bvh.data.shape[1] - 3
    # Euler columns follow the dropped channels.
    rot = no_height.metadata["rotations"][0]
    assert no_height.channel_names[rot["columns"]].tolist() == [
        "Hips_Zrotation",
        "Hips_Yrotation",
        "Hips_Xrotation",
    ]
    positions = ForwardKinematics().fit_transform(tiny_bvh)
    centred = RootTransformer().fit_transform(positions)
    assert centred.channel_names[:1].tolist() == ["Hips_y"]
    points = positions.data.reshape(len(positions.data), -1, 3)
    left = centred.data[:, 1:4]
    np.testing.assert_allclose(left[:, [0, 2]], points[:, 1, [0, 2]] - points[:, 0, [0, 2]])
    np.testing.assert_allclose(left[:, 1], points[:, 1, 1])


def test_root_velocity_is_in_the_heading_frame(tiny_bvh):
    # The root walks 120 units along x in 60 frames at 120 fps while facing 30 degrees
    # about y (its forward axis z turned toward x): forward speed 244 * sin 30,
    # lateral 244 * cos 30.
    moved = RootTransformer(translation="velocity").fit_transform(tiny_bvh)
    forward = moved.data[:, list(moved.channel_names).index("Hips_forward_velocity")]
    lateral = moved.data[:, list(moved.channel_names).index("Hips_lateral_velocity")]
    speed = 120 / 59 * 120
    np.testing.assert_allclose(forward, speed * np.sin(np.radians(30)), rtol=1e-3)
    np.testing.assert_allclose(lateral, speed * np.cos(np.radians(30)), rtol=1e-3)
    # The same on positions, and wherever the subject stands.
    positions = ForwardKinematics().fit_transform(tiny_bvh)
    moved_positions = RootTransformer(translation="velocity").fit_transform(positions)
    np.testing.assert_allclose(moved_positions.data[:, -2], forward, rtol=1e-9)
    shifted = Bunch(**{**tiny_bvh, "data": tiny_bvh.data + np.r_[500.0, 0, -300, [0] * 9]})
    np.testing.assert_allclose(
        make_motion_preprocessor().fit_transform(shifted),
        make_motion_preprocessor().fit_transform(tiny_bvh),
        atol=1e-12,
    )


def test_root_real_bvh_invariant_to_place_and_facing(formats_dir):
    """The same CMU take moved and turned about the vertical: the same root velocity."""
    motion = to_expmap(read_bvh(formats_dir / "131_01.bvh"))
    names = list(motion.channel_names)
    position = [names.index(f"Hips_{a}position") for a in "XYZ"]
    rotation = [names.index(f"Hips_expmap_{a}") for a in "xyz"]
    yaw = Rotation.from_euler("y", 70, degrees=True)
    turned = motion.data.copy()
    turned[:, position] = yaw.apply(motion.data[:, position]) + [300.0, 0, -120]
    turned[:, rotation] = (yaw * Rotation.from_rotvec(motion.data[:, rotation])).as_rotvec()
    turned = Bunch(**{**motion, "data": turned})
    velocity = RootTransformer(translation="velocity")
    for recording in (motion, turned):
        out = velocity.fit_transform(recording)
        assert out.channel_names[:2].tolist() == ["Hips_forward_velocity", "Hips_lateral_velocity"]
        assert "Hips_Xposition" not in out.channel_names
    np.testing.assert_allclose(
        velocity.fit_transform(turned).data[:, :3],
        velocity.fit_transform(motion).data[:, :3],
        atol=1e-8,
    )
    # Positions relative to the root: the same up to the turn about the vertical.
    centred = [
        make_motion_preprocessor().fit_transform(r).reshape(len(r.data), -1)
        for r in (motion, turned)
    ]
    np.testing.assert_allclose(centred[1][:, 0], centred[0][:, 0])  # the root's height
    points = [c[:, 1:].reshape(len(c), -1, 3) for c in centred]
    np.testing.assert_allclose(
        points[1], yaw.apply(points[0].reshape(-1, 3)).reshape(points[0].shape), atol=1e-8
    )


def test_root_markers_centred_on_their_centroid():
    out = RootTransformer().fit_transform(_markers())
    centroid = _markers().data.reshape(2, 3, 3).mean(axis=1)
    np.testing.assert_allclose(
        out.data.reshape(2, 3, 3)[:, :, [0, 2]],
        _markers().data.reshape(2, 3, 3)[:, :, [0, 2]] - centroid[:, None, [0, 2]],
    )
    with pytest.raises(ValueError, match="no root orientation"):
        RootTransformer(translation="velocity").fit_transform(_markers())


# --- joints, frame rate, mirror --------------------------------------------------------------


def test_joint_selector_by_names(formats_dir):
    motion = read_bvh(formats_dir / "131_01.bvh")
    out = JointSelector(["LeftHip", "Hips_Xposition"]).fit_transform(motion)
    assert out.channel_names.tolist() == [
        "Hips_Xposition",
        "LeftHip_Zrotation",
        "LeftHip_Yrotation",
        "LeftHip_Xrotation",
    ]
    assert out.metadata["rotations"] == [{"joint": "LeftHip", "columns": [1, 2, 3], "order": "ZYX"}]
    amc = read_amc(formats_dir / "02_01.amc", formats_dir / "12.asf")
    assert JointSelector(["lfemur"]).fit_transform(amc).channel_names.tolist() == [
        "lfemur_rx",
        "lfemur_ry",
        "lfemur_rz",
    ]
    with pytest.raises(ValueError, match="no joint, marker or channel 'LeftWing'.*Hips"):
        JointSelector(["LeftWing"]).fit_transform(motion)


def test_resampler_real_bvh(formats_dir):
    motion = read_bvh(formats_dir / "131_01.bvh")
    expmap = to_expmap(motion)
    half = Resampler(fps=60).fit_transform(expmap)
    assert half.fps == 60.0 and len(half.data) == len(motion.data) // 2
    # Rotations at the kept frames are the original ones (Slerp at the samples).
    columns = [i for i, n in enumerate(expmap.channel_names) if "expmap" in n]
    np.testing.assert_allclose(half.data[:, columns], expmap.data[::2, columns], atol=1e-9)
    assert np.abs(np.diff(half.data[:, columns], axis=0)).max() < np.pi  # continuous
    # Euler channels give the same rotations.
    euler = Resampler(fps=60).fit_transform(motion)
    np.testing.assert_allclose(
        ForwardKinematics().fit_transform(euler).data,
        ForwardKinematics().fit_transform(half).data,
        atol=1e-6,
    )
    up = Resampler(fps=240).fit_transform(expmap)
    assert len(up.data) == 2 * len(motion.data)
    assert np.abs(np.diff(up.data[:, columns], axis=0)).max() < np.pi


def test_resampler_needs_a_frame_rate():
    with pytest.raises(ValueError, match="no frame rate.*fps_from"):
        Resampler(fps=30).fit_transform(np.zeros((10, 2)))
    with pytest.raises(ValueError, match="'fps' parameter of Resampler"):
        Resampler(fps=-1, fps_from=10).fit_transform(np.zeros((10, 2)))


def test_mirror_real_bvh(formats_dir):
    positions = ForwardKinematics().fit_transform(read_bvh(formats_dir / "131_01.bvh"))
    original, mirrored = Mirror().fit_transform(positions)
    names = list(positions.channel_names)
    left, right = names.index("LeftWrist_x"), names.index("RightWrist_x")
    np.testing.assert_allclose(mirrored.data[:, left], -positions.data[:, right])
    np.testing.assert_allclose(mirrored.data[:, left + 1], positions.data[:, right + 1])
    twice = Mirror(append=False).fit_transform(mirrored)
    np.testing.assert_allclose(twice.data, positions.data)
    assert original is not mirrored
    with pytest.raises(ValueError, match="3D positions.*after ForwardKinematics"):
        Mirror().fit_transform(read_bvh(formats_dir / "131_01.bvh"))


def test_mirror_on_a_folder_repeats_the_labels(tmp_path):
    for name in ("a", "b"):
        (tmp_path / "walk").mkdir(exist_ok=True)
        (tmp_path / "walk" / f"{name}.bvh").write_text(_bvh_text())
    data = load_folder(tmp_path)
    out = make_pipeline(ForwardKinematics(), Mirror()).fit_transform(data)
    assert len(out.recordings) == 4 and out.target.tolist() == [0, 0, 0, 0]
    assert out.metadata[2]["mirrored"] and "mirrored" not in out.metadata[0]


def test_mirror_needs_pairs():
    single = Bunch(
        **{**_markers(), "channel_names": np.array([f"P{i}_{a}" for i in range(3) for a in "xyz"])}
    )
    with pytest.raises(ValueError, match="no left/right pairs"):
        Mirror().fit_transform(single)
    with pytest.raises(ValueError, match="vertical axis"):
        Mirror(axis="y").fit_transform(_markers())


# --- the default pipeline ---------------------------------------------------------------------


def test_default_pipeline_on_the_formats_folder(formats_dir):
    data = load_folder(formats_dir, "*.bvh", rotations="expmap")
    arrays = make_motion_preprocessor().fit_transform(data)
    assert len(arrays) == 2 and arrays[0].shape == (len(data.recordings[0]), 31 * 3 - 2)
    windows = make_pipeline(make_motion_preprocessor(fps=30), SlidingWindows(30, 10)).fit_transform(
        data
    )
    assert windows.shape[1:] == (30, 91)
    amc = read_motion(formats_dir / "02_01.amc", asf_path=formats_dir / "12.asf")
    chosen = make_motion_preprocessor(joints=["lfemur", "rfemur"]).fit_transform(amc)
    assert chosen.shape == (len(amc.data), 6)
    with_root = make_motion_preprocessor(keep_root=True).fit_transform(amc)
    assert with_root.shape[1] == 31 * 3 - 2 + 2


def test_default_pipeline_passes_tables_through(tmp_path):
    table = tmp_path / "take.csv"
    table.write_text("a,b\n0.1,0.2\n0.3,0.4\n")
    out = make_motion_preprocessor().fit_transform([read_motion(table)])
    np.testing.assert_array_equal(out[0], [[0.1, 0.2], [0.3, 0.4]])


def test_to_arrays_needs_the_same_channels(tiny_bvh):
    other = _markers()
    with pytest.raises(ValueError, match="walk.trc has channels 9.*same channels"):
        ToArrays().fit_transform([ForwardKinematics().fit_transform(tiny_bvh), other])


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("transformer", "match"),
    [
        (UnitNormalizer(unit="furlong"), "'unit' parameter"),
        (UnitNormalizer(body_height=0), "'body_height' parameter"),
        (RootTransformer(translation="hide"), "'translation' parameter"),
        (JointSelector("Hips"), "'joints' parameter"),
        (Mirror(axis="w"), "'axis' parameter"),
        (ForwardKinematics(end_sites="yes"), "'end_sites' parameter"),
    ],
)
def test_bad_parameters(transformer, match):
    with pytest.raises(ValueError, match=match):
        transformer.fit_transform(np.zeros((3, 3)))


@pytest.mark.parametrize(
    ("X", "match"),
    [
        ([], "No recordings"),
        ({"frames": [1, 2]}, "without 'data'"),
        ([np.zeros((3, 2)), Bunch(data=np.zeros((3, 2)))], "mixes recordings and arrays"),
        (Bunch(data=np.zeros((3, 2)), metadata={}), "no 'channel_names'"),
        (
            Bunch(data=np.zeros((3, 2)), channel_names=["a"], metadata={}, filename="x.csv"),
            "x.csv has 1 channel names for 2 channels",
        ),
        (np.array([[1.0, np.inf]]), "infinity"),
        (np.zeros(4), "Expected 2D array"),
        (np.zeros((0, 3)), "0 sample"),
    ],
)
def test_bad_recordings(X, match):
    with pytest.raises(ValueError, match=match):
        RootTransformer().fit_transform(X)


def test_joint_selector_bad_joints():
    with pytest.raises(ValueError, match="joints is empty"):
        JointSelector([]).fit_transform(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="index 5 is out of range.*2 channels"):
        JointSelector([5]).fit_transform(np.zeros((3, 2)))


def test_clone_and_params():
    pipeline = make_motion_preprocessor(fps=30, joints=["Hips"])
    copy = clone(pipeline)
    assert copy.get_params()["fps__fps"] == 30
    assert copy.named_steps["joints"].joints == ["Hips"]
    with pytest.raises(ValueError, match="'representation' parameter"):
        make_motion_preprocessor(representation="quaternions")
