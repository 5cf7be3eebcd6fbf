"""Loader errors name the file (and line) and the layout expected."""

import re

import numpy as np
import pytest

from skseq2seq.datasets import fetch_cmu_actions, load_cmu_actions, load_cmu_subject86
from skseq2seq.datasets._cmu import _read_csv_frames

CSV_LAYOUT = "expected one frame per line, comma-separated numbers"
GROUND_TRUTH_LAYOUT = "expected the number of segments on the first line"


def write_recording(home, text, action="walk", index=1, mode="w"):
    """Write ``home/actions/<action>/<action>_<index>.txt``; return its path."""
    path = home / "actions" / action / f"{action}_{index}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


# -- CSV recordings -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", ": the file is empty"),
        ("\n  \n\n", ": the file is empty"),
        ("1,2,3\n4,5,6\n7,8\n", ", line 3: 2 values, but line 1 has 3"),
        ("1,2\n\n3,4,5\n", ", line 3: 3 values, but line 1 has 2"),  # blank lines count
        ("1,2\n3,abc\n", ", line 2: could not convert string to float: 'abc'"),
        ("1,2,\n", ", line 1: could not convert string to float: ''"),
        (b"1,2\n\xff\xfe,3\n", ": not a text file"),
    ],
    ids=["empty", "blank", "ragged", "ragged-after-blank", "not-a-number", "trailing-comma",
         "binary"],
)
def test_malformed_recording_names_file_and_line(tmp_path, text, problem):
    path = write_recording(tmp_path, text)
    with pytest.raises(ValueError, match=re.escape(f"{path}{problem}") + f".*{CSV_LAYOUT}"):
        load_cmu_actions(tmp_path)


def test_read_csv_frames_shapes(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("1\n2\r\n\n3\n")
    assert _read_csv_frames(path).shape == (3, 1)
    path.write_text(" 1.5, -0 ,2e3\n")
    np.testing.assert_array_equal(_read_csv_frames(path), [[1.5, 0.0, 2000.0]])


def test_recordings_with_different_channels(tmp_path):
    write_recording(tmp_path, "1,2,3\n", index=1)
    other = write_recording(tmp_path, "1,2\n", index=2)
    with pytest.raises(ValueError, match=re.escape(f"{other}: 2 values per line, but ")
                       + ".*walk_1.txt has 3.*same channels"):
        load_cmu_actions(tmp_path)


def test_action_folder_without_recordings(tmp_path):
    write_recording(tmp_path, "1,2\n", action="walk")
    empty = tmp_path / "actions" / "run"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a recording")
    message = f"No recordings in {empty}; expected files named 'run_<i>.txt'"
    with pytest.raises(FileNotFoundError, match=re.escape(message)):
        load_cmu_actions(tmp_path)


def test_actions_folder_without_action_folders(tmp_path):
    (tmp_path / "actions" / ".ipynb_checkpoints").mkdir(parents=True)  # hidden: not an action
    with pytest.raises(FileNotFoundError,
                       match=re.escape(f"No action folders in {tmp_path / 'actions'}")):
        load_cmu_actions(tmp_path)


def test_fetch_reports_a_bad_local_file(tmp_path, monkeypatch):
    """Files already present are read, not re-downloaded: a bad one is named."""
    from skseq2seq.datasets import _fetch

    path = write_recording(tmp_path / "cmu_mocap", "1,2\n3\n")
    monkeypatch.setattr(_fetch, "CMU_ACTIONS_FILES", (("walk/walk_1.txt", "0" * 64),))
    with pytest.raises(ValueError, match=re.escape(f"{path}, line 2: 1 values, but line 1 has 2")):
        fetch_cmu_actions(tmp_path, download_if_missing=False)


# -- subject 86 ----------------------------------------------------------------------


@pytest.fixture()
def subject86(tmp_path):
    """A valid trial 01 in ``tmp_path/subject86``; returns the folder."""
    from scipy.io import savemat

    folder = tmp_path / "subject86"
    folder.mkdir()
    savemat(folder / "01.mat", {"expmapchannels": np.zeros((100, 96))})
    (folder / "01_ground_truth.txt").write_text("2\n1 walk\n39 40 41\n2 punch\n100\n")
    return folder


def test_subject86_fixture_loads(subject86):
    X, y, names = load_cmu_subject86(1, data_home=subject86.parent)
    assert X.shape == (100, 96) and names == ["walk", "punch"] and y.tolist().count(0) == 40


@pytest.mark.parametrize(
    "variables, problem",
    [
        ({"frames": np.zeros((10, 96))}, "no variable 'expmapchannels' (found: 'frames')"),
        ({"expmapchannels": np.zeros((10, 95))}, "'expmapchannels' has shape (10, 95)"),
        ({"expmapchannels": np.array(["abc"])}, "'expmapchannels' has shape (1,)"),
    ],
    ids=["missing-key", "wrong-shape", "not-numeric"],
)
def test_mat_file_errors(subject86, variables, problem):
    from scipy.io import savemat

    path = subject86 / "01.mat"
    savemat(path, variables)
    with pytest.raises(ValueError, match=re.escape(f"{path}: {problem}")
                       + ".*expected a MATLAB file holding 'expmapchannels'.*\\(n_frames, 96\\)"):
        load_cmu_subject86(1, data_home=subject86.parent)


def test_mat_file_unreadable(subject86):
    path = subject86 / "01.mat"
    path.write_text("not a mat file")
    with pytest.raises(ValueError, match=re.escape(f"{path}: not a readable .mat file")):
        load_cmu_subject86(1, data_home=subject86.parent)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", ": the file is empty"),
        ("two\n1 walk\n100\n", ", line 1: found 'two', not the number of segments"),
        ("2\n1 walk\n40\n2 punch\n100\n",
         ", line 3: found '40', not '<earliest> <best> <latest>' frames"),
        ("1\nwalk\n100\n", ", line 2: found 'walk', not '<index> <name>'"),
        ("2\n1 walk\n39 40 41\n\n2 punch\n1OO\n",
         ", line 6: found '1OO', not '<earliest> <best> <latest>' frames"),
        ("3\n1 walk\n40 41 42\n", ": line 1 announces 3 segments (two lines each), but 2 lines"),
        ("0\n", ": line 1 announces 0 segments"),
    ],
    ids=["empty", "bad-count", "one-frame-not-last", "bad-name-line", "bad-frame",
         "too-few-lines", "no-segments"],
)
def test_ground_truth_errors(subject86, text, problem):
    path = subject86 / "01_ground_truth.txt"
    path.write_text(text)
    message = re.escape(f"{path}{problem}") + f".*{GROUND_TRUTH_LAYOUT}"
    with pytest.raises(ValueError, match=message):
        load_cmu_subject86(1, data_home=subject86.parent)


# -- the real data loads as before ------------------------------------------------------


def test_real_recordings_read_as_numpy_loadtxt(cmu_data_home):
    """The checking reader gives exactly what ``np.loadtxt`` gave on the real files."""
    data = load_cmu_actions(cmu_data_home)
    assert len(data.filenames) == 32
    for frames, name in zip(data.recordings, data.filenames):
        expected = np.loadtxt(name, delimiter=",", dtype=np.float64, ndmin=2)
        assert frames.dtype == np.float64
        np.testing.assert_array_equal(frames, expected, err_msg=name)


def test_real_subject86_reads_as_loadmat(cmu_data_home):
    from scipy.io import loadmat

    for trial in ("01", "03", "05"):
        X, y, names = load_cmu_subject86(trial, data_home=cmu_data_home)
        expected = loadmat(cmu_data_home / "subject86" / f"{trial}.mat")["expmapchannels"]
        np.testing.assert_array_equal(X, expected)
        assert len(y) == len(X) and y.max() == len(names) - 1
