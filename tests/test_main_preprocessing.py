"""The command line's preprocessing of motion files: the library's default pipeline, its options.

Motion files with a skeleton go through ``make_motion_preprocessor()``, so the
same take stored in centimetres or in metres, anywhere in the room, gives the
same inputs; ``--keep-root``, ``--joints``, ``--fps-to``, ``--representation``
and ``--unit`` set its parameters, and a saved model keeps them.
"""

import argparse

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from skseq2seq import Seq2SeqClusterer, TemporalSegmenter
from skseq2seq.__main__ import main
from skseq2seq._cli._files import read_recordings
from skseq2seq._cli._preprocessing import settings
from skseq2seq._net import Seq2SeqNet
from skseq2seq.io import read_motion
from skseq2seq.preprocessing import make_motion_preprocessor

SMALL = ["--epochs", "1", "--hidden-size", "4", "--quiet"]
_SKELETON = """HIERARCHY
ROOT Hips
{{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Yrotation Xrotation
  JOINT Spine
  {{
    OFFSET 0 {spine} 0
    CHANNELS 3 Zrotation Yrotation Xrotation
    End Site
    {{
      OFFSET 0 {head} 0
    }}
  }}
  JOINT LeftUpLeg
  {{
    OFFSET {hip} 0 0
    CHANNELS 3 Zrotation Yrotation Xrotation
    JOINT LeftLeg
    {{
      OFFSET 0 {thigh} 0
      CHANNELS 3 Zrotation Yrotation Xrotation
      End Site
      {{
        OFFSET 0 {thigh} 0
      }}
    }}
  }}
  JOINT RightUpLeg
  {{
    OFFSET -{hip} 0 0
    CHANNELS 3 Zrotation Yrotation Xrotation
    End Site
    {{
      OFFSET 0 {leg} 0
    }}
  }}
}}
MOTION
Frames: {n_frames}
Frame Time: {frame_time}
"""


def write_bvh(path, scale=1.0, shift=(0.0, 0.0, 0.0), n_frames=80, fps=30):
    """A small walking BVH take in centimetres, times ``scale``, the root moved by ``shift``."""
    lengths = {"spine": 50, "head": 40, "hip": 10, "thigh": -45, "leg": -90}
    text = _SKELETON.format(
        **{name: value * scale for name, value in lengths.items()},
        n_frames=n_frames,
        frame_time=1 / fps,
    )
    t = np.arange(n_frames) / fps
    swing = 30 * np.sin(2 * np.pi * t)
    root = np.column_stack([20 * t, 90 + 2 * np.sin(4 * np.pi * t), 5 * t]) * scale + shift
    zeros = np.zeros_like(t)
    rotations = [10 * t, zeros, zeros]  # the root turns slowly
    rotations += [zeros, zeros, 5 * np.cos(2 * np.pi * t)]
    rotations += [zeros, zeros, swing, zeros, zeros, np.abs(swing)]
    rotations += [zeros, zeros, -swing]
    frames = np.column_stack([root, *rotations])
    rows = "\n".join(" ".join(f"{v:.9g}" for v in frame) for frame in frames)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + rows + "\n")
    return path


def scaled_bvh(source, path, scale, shift):
    """A copy of a BVH file with its lengths times ``scale`` and its root moved by ``shift``."""
    lines, motion = [], False
    for line in source.read_text().splitlines():
        words = line.split()
        if words[:1] == ["OFFSET"]:
            line = "OFFSET " + " ".join(repr(float(v) * scale) for v in words[1:])
        elif words[:1] == ["MOTION"]:
            motion = True
        elif motion and words and words[0] not in ("Frames:", "Frame"):
            root = [float(v) * scale + d for v, d in zip(words[:3], shift)]
            line = " ".join([*map(repr, root), *words[3:]])
        lines.append(line)
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def takes(tmp_path):
    """The same take in centimetres, and in metres moved 2 m."""
    return (
        write_bvh(tmp_path / "cm" / "take.bvh"),
        write_bvh(tmp_path / "m" / "take.bvh", scale=0.01, shift=(2.0, 0.0, 2.0)),
    )


@pytest.fixture
def no_fitting(monkeypatch):
    def fail(*args, **kwargs):
        pytest.fail("started training despite a user error")

    monkeypatch.setattr(Seq2SeqNet, "partial_fit", fail)


class Captured(Exception):
    pass


@pytest.fixture
def capture_inputs(monkeypatch):
    """Replace training by raising :class:`Captured` with the estimator's inputs."""

    def capture(self, X, y=None):
        raise Captured(X)

    for estimator in (Seq2SeqClusterer, TemporalSegmenter):
        monkeypatch.setattr(estimator, "fit", capture)
        monkeypatch.setattr(estimator, "fit_predict", capture)


def inputs_of(*argv):
    with pytest.raises(Captured) as info:
        main(list(argv))
    return np.asarray(info.value.args[0])


def command_error(capsys, *argv):
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    assert exit_info.value.code == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    return lines[0]


def options(**given):
    """The namespace of a command with the preprocessing options ``given``."""
    names = ("keep_root", "joints", "fps_to", "representation", "unit")
    return argparse.Namespace(**{name: given.get(name) for name in names})


# --- the default: the library's preprocessor -----------------------------------------------


def test_the_default_is_the_library_default_preprocessor(takes):
    recordings = read_recordings([takes[0]], preprocessing=settings(options()))
    expected = make_motion_preprocessor().fit_transform([read_motion(takes[0], rotations="expmap")])
    np.testing.assert_array_equal(recordings.frames[0], expected[0])
    assert settings(options()) == {
        "keep_root": False,
        "joints": None,
        "fps": None,
        "representation": "positions",
        "unit": "auto",
    }


def test_centimetres_and_metres_moved_give_the_same_inputs(takes):
    recordings = read_recordings(takes)
    np.testing.assert_allclose(recordings.frames[0], recordings.frames[1], atol=1e-9)
    raw = read_recordings(takes, preprocessing=settings(options(representation="rotations")))
    assert raw.frames[0].shape == raw.frames[1].shape


def test_real_take_in_metres_moved_gives_the_same_inputs(formats_dir, tmp_path):
    take = formats_dir / "131_01.bvh"
    # CMU's BVH lengths are inches / 0.45: the copy in metres, moved 2 m.
    metres = scaled_bvh(take, tmp_path / "131_01_m.bvh", 0.0254 / 0.45, (2.0, 0.0, 2.0))
    recordings = read_recordings([take, metres])
    np.testing.assert_allclose(recordings.frames[0], recordings.frames[1], atol=1e-9)


def test_tables_pass_unchanged(tmp_path):
    table = np.random.default_rng(0).normal(size=(30, 4))
    path = tmp_path / "table.csv"
    np.savetxt(path, table, delimiter=",")
    np.testing.assert_allclose(read_recordings([path]).frames[0], table)
    np.save(tmp_path / "array.npy", table)
    np.testing.assert_array_equal(read_recordings([tmp_path / "array.npy"]).frames[0], table)


# --- each option ---------------------------------------------------------------------------


@pytest.mark.usefixtures("capture_inputs")
def test_each_option_sets_the_preprocessor(takes, tmp_path):
    argv = ["cluster", str(takes[0]), "--window", "10", "--out", str(tmp_path / "o.csv")]
    default = inputs_of(*argv)
    expected = make_motion_preprocessor().fit_transform([read_motion(takes[0], rotations="expmap")])
    assert default.shape[2] == expected[0].shape[1]
    # --keep-root: the root's velocity (forward, lateral) beside the positions.
    assert inputs_of(*argv, "--keep-root").shape[2] == default.shape[2] + 2
    # --joints: the chosen joints' channels only.
    chosen = inputs_of(*argv, "--joints", "LeftUpLeg", "LeftLeg")
    assert 0 < chosen.shape[2] < default.shape[2]
    # --representation rotations: exponential maps, not positions.
    rotations = inputs_of(*argv, "--representation", "rotations")
    assert rotations.shape[2] != default.shape[2]
    # --unit: the file's lengths in another unit (here: metres, not centimetres).
    in_metres, in_centimetres = (inputs_of(*argv, "--unit", unit) for unit in ("m", "cm"))
    np.testing.assert_allclose(in_metres, 100 * in_centimetres, atol=1e-9)
    assert inputs_of(*argv, "--unit", "0.01").shape == default.shape


@pytest.mark.usefixtures("capture_inputs")
def test_fps_to_resamples_and_windows_in_seconds_use_it(takes, tmp_path):
    argv = ["cluster", str(takes[0]), "--window", "1s", "--stride", "0.5s"]
    argv += ["--out", str(tmp_path / "o.csv")]
    assert inputs_of(*argv).shape[1] == 30  # the file's 30 fps
    windows = inputs_of(*argv, "--fps-to", "15")
    assert windows.shape[1] == 15  # 80 frames at 30 fps: 40 frames at 15 fps
    assert len(windows) == (40 - 15) // 8 + 1


def test_fps_to_times_written_use_the_new_rate(takes, tmp_path):
    out = tmp_path / "o.csv"
    argv = ["cluster", str(takes[0]), "--fps-to", "15", "--window", "10", "--stride", "5"]
    assert main([*argv, "--n-clusters", "2", "--out", str(out), *SMALL]) == 0
    rows = [line.split(",") for line in out.read_text().splitlines()]
    assert rows[0] == ["file", "start", "stop", "start_time", "stop_time", "label"]
    assert rows[2][1:5] == ["5", "15", str(5 / 15)[:8], "1.0"]
    assert len(rows) == 1 + (40 - 10) // 5 + 1
    frames = tmp_path / "frames.csv"
    truth = tmp_path / "truth.txt"
    truth.write_text("\n".join(["a"] * 40 + ["b"] * 40) + "\n")  # per frame at 30 fps
    argv = ["segment", str(takes[0]), "--fps-to", "15", "--n-clusters", "2"]
    assert main([*argv, "--truth", str(truth), "--out", str(frames), "--quiet"]) == 0
    rows = [line.split(",") for line in frames.read_text().splitlines()]
    assert len(rows) == 1 + 40 and rows[2][:2] == ["1", str(round(1 / 15, 6))]


# --- errors: before training, one line, exit 2 ----------------------------------------------


@pytest.mark.usefixtures("no_fitting")
def test_bad_values_are_user_errors(takes, tmp_path, capsys):
    base = ["cluster", str(takes[0]), "--window", "10", "--out", str(tmp_path / "o.csv")]
    line = command_error(capsys, *base, "--joints", "LeftUpLeg", "LeftWing")
    assert "no joint, marker or channel 'LeftWing'" in line and "LeftUpLeg" in line
    line = command_error(capsys, *base, "--unit", "furlong")
    assert line.startswith("error: --unit furlong: ") and "'cm'" in line
    assert "--unit" in command_error(capsys, *base, "--unit", "-1")
    assert "--fps-to" in command_error(capsys, *base, "--fps-to", "0")
    assert "--representation" in command_error(capsys, *base, "--representation", "angles")
    segment = ["segment", str(takes[0]), "--out", str(tmp_path / "o.csv")]
    assert "'Wing'" in command_error(capsys, *segment, "--joints", "Wing")
    table = tmp_path / "table.npy"
    np.save(table, np.zeros((40, 3)))
    line = command_error(capsys, "cluster", str(table), "--fps-to", "10", *base[2:])
    assert "fps" in line


# --- a saved model keeps its preprocessing -------------------------------------------------


def test_saved_model_keeps_its_preprocessing(takes, tmp_path, capsys):
    out, again, model = tmp_path / "o.csv", tmp_path / "again.csv", tmp_path / "m.joblib"
    argv = ["cluster", str(takes[0]), "--window", "10", "--stride", "5", "--n-clusters", "2"]
    argv += ["--keep-root", "--joints", "LeftUpLeg", "LeftLeg", "--fps-to", "15"]
    assert main([*argv, "--out", str(out), *SMALL, "--save-model", str(model)]) == 0
    # Without the options, the model's preprocessing: the same windows, the same labels.
    use = ["cluster", str(takes[0]), "--out", str(again), "--model", str(model)]
    assert main(use) == 0
    assert again.read_text() == out.read_text()
    # The same value again is not a conflict; another is, before anything is read.
    assert main([*use, "--fps-to", "15", "--keep-root"]) == 0
    capsys.readouterr()
    line = command_error(capsys, *use, "--fps-to", "30")
    assert line.startswith("error: --fps-to 30.0: the saved model was trained with fps=15.0")
    line = command_error(capsys, *use, "--joints", "LeftLeg")
    assert "--joints LeftLeg" in line and "['LeftUpLeg', 'LeftLeg']" in line
    line = command_error(capsys, *use, "--representation", "rotations")
    assert "representation='positions'" in line
    assert "unit='auto'" in command_error(capsys, *use, "--unit", "m")
    segment_model = tmp_path / "s.joblib"
    argv = ["segment", str(takes[0]), "--n-clusters", "2", "--representation", "rotations"]
    assert main([*argv, "--out", str(out), "--quiet", "--save-model", str(segment_model)]) == 0
    use = ["segment", str(takes[0]), "--out", str(again), "--model", str(segment_model)]
    assert main(use) == 0 and again.read_text() == out.read_text()
    capsys.readouterr()
    assert "unit='auto'" in command_error(capsys, *use, "--unit", "cm")
    line = command_error(capsys, *use, "--representation", "positions")
    assert "representation='rotations'" in line


# --- the same take in centimetres and metres, moved: the same clusters ----------------------


@pytest.mark.slow
def test_cluster_labels_the_same_take_in_cm_and_m_alike(formats_dir, tmp_path):
    take = formats_dir / "131_01.bvh"
    metres = scaled_bvh(take, tmp_path / "131_01_m.bvh", 0.0254 / 0.45, (2.0, 0.0, 2.0))
    out = tmp_path / "labels.csv"
    argv = ["cluster", str(take), str(metres), "--n-clusters", "4", "--fps-to", "30"]
    assert main([*argv, "--epochs", "3", "--hidden-size", "8", "--quiet", "--out", str(out)]) == 0
    rows = [line.split(",") for line in out.read_text().splitlines()[1:]]
    first = [row[-1] for row in rows if row[0] == str(take)]
    second = [row[-1] for row in rows if row[0] == str(metres)]
    assert len(first) == len(second) > 10
    assert adjusted_rand_score(first, second) >= 0.95
