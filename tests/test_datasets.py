"""skseq2seq.datasets: loaders (and their errors), windowing, concatenation, fetch over loopback."""

import functools
import hashlib
import http.server
import re
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skseq2seq.datasets import (
    SlidingWindows,
    _fetch,
    fetch_cmu_actions,
    get_data_home,
    load_action_recordings,
    load_cmu_actions,
    load_cmu_subject86,
    make_concatenated_actions,
    make_motion_sequences,
    sliding_windows,
)
from skseq2seq.datasets._cmu import _read_csv_frames

# -- CMU actions (real data) ------------------------------------------------------


@pytest.fixture(scope="module")
def cmu_actions(cmu_data_home):
    return load_cmu_actions(cmu_data_home)


def test_load_cmu_actions(cmu_actions):
    data = cmu_actions
    assert len(data.recordings) == 32 == len(data.target) == len(data.filenames)
    assert data.target_names.tolist() == [
        "basketball",
        "basketball_signal",
        "directing_traffic",
        "jumping",
        "running",
        "soccer",
        "walking",
    ]
    assert all(r.ndim == 2 and r.shape[1] == 117 and r.dtype == np.float64 for r in data.recordings)
    assert sum(len(r) for r in data.recordings) == 33794
    assert np.all(np.isfinite(np.concatenate(data.recordings)))
    # Recordings are grouped by action, in label order.
    assert np.all(np.diff(data.target) >= 0)


def test_load_cmu_actions_reads_former_data_home_with_a_warning(cmu_data_home, cmu_actions):
    """data_home once named the cmu_mocap folder (or the actions folder itself)."""
    for former in (cmu_data_home / "cmu_mocap", cmu_data_home / "cmu_mocap" / "actions"):
        with pytest.warns(FutureWarning, match="former meaning.*holding 'cmu_mocap/actions/'"):
            recordings, y = load_cmu_actions(former, return_X_y=True)
        assert np.array_equal(y, cmu_actions.target)
        assert np.array_equal(recordings[3], cmu_actions.recordings[3])


def test_load_action_recordings_reads_any_folder(cmu_data_home, cmu_actions):
    data = load_action_recordings(cmu_data_home / "cmu_mocap" / "actions")
    assert data.filenames == cmu_actions.filenames
    assert np.array_equal(data.recordings[3], cmu_actions.recordings[3])


def test_load_cmu_actions_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="actions"):
        load_cmu_actions(tmp_path)


def test_cmu_window_set(cmu_actions):
    """The benchmark's window set: 50 frames, stride 10, within recordings."""
    W, y, groups = sliding_windows(
        cmu_actions.recordings, 50, 10, y=list(cmu_actions.target), return_groups=True
    )
    assert W.shape == (3237, 50, 117)
    assert np.bincount(y).tolist() == [221, 1568, 664, 281, 62, 255, 186]
    assert np.array_equal(np.unique(groups), np.arange(32))
    assert np.array_equal(W[0], cmu_actions.recordings[0][:50])


CSV_LAYOUT = "expected one frame per line, comma-separated numbers"
GROUND_TRUTH_LAYOUT = "expected the number of segments on the first line"


def write_recording(home, text, action="walk", index=1):
    """Write ``home/cmu_mocap/actions/<action>/<action>_<index>.txt``; return its path."""
    path = home / "cmu_mocap" / "actions" / action / f"{action}_{index}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


# -- loader errors name the file (and line) and the layout: CSV recordings ------------


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
    ids=[
        "empty",
        "blank",
        "ragged",
        "ragged-after-blank",
        "not-a-number",
        "trailing-comma",
        "binary",
    ],
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
    with pytest.raises(
        ValueError,
        match=re.escape(f"{other}: 2 values per line, but ") + ".*walk_1.txt has 3.*same channels",
    ):
        load_cmu_actions(tmp_path)


def test_action_folder_without_recordings(tmp_path):
    write_recording(tmp_path, "1,2\n", action="walk")
    empty = tmp_path / "cmu_mocap" / "actions" / "run"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a recording")
    message = f"No recordings in {empty}; expected files named 'run_<i>.txt'"
    with pytest.raises(FileNotFoundError, match=re.escape(message)):
        load_cmu_actions(tmp_path)


def test_actions_folder_without_action_folders(tmp_path):
    actions = tmp_path / "cmu_mocap" / "actions"
    (actions / ".ipynb_checkpoints").mkdir(parents=True)  # hidden: not an action
    with pytest.raises(FileNotFoundError, match=re.escape(f"No action folders in {actions}")):
        load_cmu_actions(tmp_path)


def test_fetch_reports_a_bad_local_file(tmp_path, monkeypatch):
    """Files already present are read, not re-downloaded: a bad one is named."""
    path = write_recording(tmp_path, "1,2\n3\n")
    monkeypatch.setattr(_fetch, "CMU_ACTIONS_FILES", (("walk/walk_1.txt", "0" * 64),))
    with pytest.raises(ValueError, match=re.escape(f"{path}, line 2: 1 values, but line 1 has 2")):
        fetch_cmu_actions(tmp_path, download_if_missing=False)


# -- subject 86 ----------------------------------------------------------------------


@pytest.fixture()
def subject86(tmp_path):
    """A valid trial 01 in ``tmp_path/cmu_mocap/subject86``; returns the folder."""
    from scipy.io import savemat

    folder = tmp_path / "cmu_mocap" / "subject86"
    folder.mkdir(parents=True)
    savemat(folder / "01.mat", {"expmapchannels": np.zeros((100, 96))})
    (folder / "01_ground_truth.txt").write_text("2\n1 walk\n39 40 41\n2 punch\n100\n")
    return folder


def test_subject86_fixture_loads(subject86):
    trial = load_cmu_subject86(1, data_home=subject86.parents[1])
    assert trial.data.shape == (100, 96) and trial.target_names.tolist() == ["walk", "punch"]
    assert trial.target.tolist().count(0) == 40
    # Frames 39 to 41 (1-based) around the cut after frame 40: either action is right there.
    assert trial.transition_windows.tolist() == [[38, 41]]
    assert (trial.target[38:41] == [0, 0, 1]).all()


@pytest.mark.parametrize(
    "variables, problem",
    [
        (
            {"frames": np.zeros((10, 96))},
            "no numeric 2D variable 'expmapchannels' (found: 'frames')",
        ),
        ({"expmapchannels": np.zeros((10, 95))}, "'expmapchannels' has shape (10, 95)"),
        ({"expmapchannels": np.array(["abc"])}, "'expmapchannels' has shape (1,)"),
    ],
    ids=["missing-key", "wrong-shape", "not-numeric"],
)
def test_mat_file_errors(subject86, variables, problem):
    from scipy.io import savemat

    path = subject86 / "01.mat"
    savemat(path, variables)
    with pytest.raises(
        ValueError,
        match=re.escape(f"{path}: {problem}")
        + ".*expected a MATLAB file holding 'expmapchannels'.*\\(n_frames, 96\\)",
    ):
        load_cmu_subject86(1, data_home=subject86.parents[1])


def test_mat_file_unreadable(subject86):
    path = subject86 / "01.mat"
    path.write_text("not a mat file")
    with pytest.raises(ValueError, match=re.escape(f"{path}: not a readable .mat file")):
        load_cmu_subject86(1, data_home=subject86.parents[1])


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", ": the file is empty"),
        ("two\n1 walk\n100\n", ", line 1: found 'two', not the number of segments"),
        (
            "2\n1 walk\n40\n2 punch\n100\n",
            ", line 3: found '40', not '<earliest> <best> <latest>' frames",
        ),
        ("1\nwalk\n100\n", ", line 2: found 'walk', not '<index> <name>'"),
        (
            "2\n1 walk\n39 40 41\n\n2 punch\n1OO\n",
            ", line 6: found '1OO', not '<earliest> <best> <latest>' frames",
        ),
        ("3\n1 walk\n40 41 42\n", ": line 1 announces 3 segments (two lines each), but 2 lines"),
        ("0\n", ": line 1 announces 0 segments"),
    ],
    ids=[
        "empty",
        "bad-count",
        "one-frame-not-last",
        "bad-name-line",
        "bad-frame",
        "too-few-lines",
        "no-segments",
    ],
)
def test_ground_truth_errors(subject86, text, problem):
    path = subject86 / "01_ground_truth.txt"
    path.write_text(text)
    message = re.escape(f"{path}{problem}") + f".*{GROUND_TRUTH_LAYOUT}"
    with pytest.raises(ValueError, match=message):
        load_cmu_subject86(1, data_home=subject86.parents[1])


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
        data = load_cmu_subject86(trial, data_home=cmu_data_home)
        path = cmu_data_home / "cmu_mocap" / "subject86" / f"{trial}.mat"
        np.testing.assert_array_equal(data.data, loadmat(path)["expmapchannels"])
        assert len(data.target) == len(data.data)
        assert data.target.max() == len(data.target_names) - 1


# -- sliding_windows ---------------------------------------------------------------


def test_sliding_windows_basic():
    X = np.arange(20.0).reshape(10, 2)
    W = sliding_windows(X, 4, 3)
    assert W.shape == (3, 4, 2)
    assert np.array_equal(W[1], X[3:7])
    W[0, 0, 0] = -1  # a copy, not a view
    assert X[0, 0] == 0


def test_sliding_windows_labels_modes():
    X = np.zeros((6, 1))
    y = np.array([0, 1, 1, 2, 2, 2])
    assert sliding_windows(X, 3, 3, y=y)[1].tolist() == [1, 2]
    assert sliding_windows(X, 3, 3, y=y, label="center")[1].tolist() == [1, 2]
    assert sliding_windows(X, 3, 3, y=y, label="last")[1].tolist() == [1, 2]
    # Tie: the earliest label in the window wins.
    assert sliding_windows(X, 2, 1, y=[5, 3, 3, 3, 3, 3])[1][0] == 5


def test_sliding_windows_short_and_univariate():
    W, y, g = sliding_windows([np.zeros(3), np.ones(7)], 5, 2, y=[0, 1], return_groups=True)
    assert W.shape == (2, 5, 1) and y.tolist() == [1, 1] and g.tolist() == [1, 1]
    assert sliding_windows(np.zeros((3, 2)), 5).shape == (0, 5, 2)


def test_sliding_windows_errors():
    with pytest.raises(ValueError, match="same number of features"):
        sliding_windows([np.zeros((5, 2)), np.zeros((5, 3))], 2)
    with pytest.raises(ValueError, match="expected"):
        sliding_windows(np.zeros((5, 2)), 2, y=np.zeros(4))
    with pytest.raises(ValueError, match="entries"):
        sliding_windows([np.zeros((5, 2))], 2, y=[0, 1])
    with pytest.raises(ValueError, match="'width' parameter of sliding_windows"):
        sliding_windows(np.zeros((5, 2)), 0)
    with pytest.raises(ValueError, match="'stride' parameter of SlidingWindows"):
        SlidingWindows(stride=0).fit_transform(np.zeros((5, 2)))


def test_make_motion_sequences_regimes_differ_only_in_dynamics():
    X, y = make_motion_sequences(
        n_sequences=200, n_timesteps=30, n_features=4, n_regimes=4, random_state=0
    )
    assert X.shape == (200, 30, 4) and sorted(set(y)) == [0, 1, 2, 3]
    again, _ = make_motion_sequences(
        n_sequences=200, n_timesteps=30, n_features=4, n_regimes=4, random_state=0
    )
    np.testing.assert_array_equal(X, again)
    # Per-regime mean and spread are alike (a mean/std baseline can't separate
    # them); their frame-to-frame changes are not.
    means = np.array([X[y == r].mean() for r in range(4)])
    stds = np.array([X[y == r].std() for r in range(4)])
    steps = np.array([np.abs(np.diff(X[y == r], axis=1)).mean() for r in range(4)])
    assert np.ptp(means) < 0.2 * stds.mean() and np.ptp(stds) < 0.3 * stds.mean()
    assert steps.max() > 1.5 * steps.min()
    with pytest.raises(ValueError, match="'n_timesteps' parameter of make_motion_sequences"):
        make_motion_sequences(n_timesteps=1)


def test_cmu_loaders_default_to_the_data_home(tmp_path, monkeypatch):
    monkeypatch.delenv("SKSEQ2SEQ_CMU_DATA", raising=False)
    monkeypatch.setenv("SKSEQ2SEQ_DATA", str(tmp_path))
    where = re.escape(
        f"No folder 'actions' in {tmp_path / 'cmu_mocap'}: data_home=None (the "
        "SKSEQ2SEQ_DATA environment variable"
    )
    with pytest.raises(FileNotFoundError, match=where + ".*fetch_cmu_actions"):
        load_cmu_actions()
    with pytest.raises(FileNotFoundError, match="holding 'cmu_mocap/subject86/'"):
        load_cmu_subject86(1)


def test_load_cmu_subject86_from_env_and_malformed_ground_truth(tmp_path, monkeypatch):
    from scipy.io import savemat

    folder = tmp_path / "cmu_mocap" / "subject86"
    folder.mkdir(parents=True)
    savemat(folder / "01.mat", {"expmapchannels": np.zeros((100, 96))})
    (folder / "01_ground_truth.txt").write_text("2\n1 walking\n39 40 41\n2 walk\n100\n")
    monkeypatch.setenv("SKSEQ2SEQ_DATA", str(tmp_path))
    trial = load_cmu_subject86(1)
    assert trial.data.shape == (100, 96) and trial.target_names.tolist() == ["walk"]
    assert (trial.target == 0).all() and trial.fps == 120
    assert trial.filenames == [str(folder / "01.mat"), str(folder / "01_ground_truth.txt")]
    X, y = load_cmu_subject86(1, return_X_y=True)
    assert np.array_equal(X, trial.data) and np.array_equal(y, trial.target)
    (folder / "01_ground_truth.txt").write_text("3\n1 walk\n40 41 42\n")
    with pytest.raises(ValueError, match="announces 3 segments"):
        load_cmu_subject86(1)


def test_former_environment_variable_is_read_with_a_warning(tmp_path, monkeypatch):
    """SKSEQ2SEQ_CMU_DATA named the cmu_mocap folder; SKSEQ2SEQ_DATA wins when both are set."""
    write_recording(tmp_path, "1,2\n")
    monkeypatch.delenv("SKSEQ2SEQ_DATA", raising=False)
    monkeypatch.setenv("SKSEQ2SEQ_CMU_DATA", str(tmp_path / "cmu_mocap"))
    with pytest.warns(FutureWarning, match="SKSEQ2SEQ_CMU_DATA.*deprecated.*SKSEQ2SEQ_DATA"):
        assert load_cmu_actions().target_names.tolist() == ["walk"]
    monkeypatch.setenv("SKSEQ2SEQ_DATA", str(tmp_path / "elsewhere"))
    with pytest.raises(FileNotFoundError, match="elsewhere"):
        load_cmu_actions()


@settings(max_examples=60, deadline=None)
@given(
    lengths=st.lists(st.integers(0, 40), min_size=1, max_size=5),
    width=st.integers(1, 12),
    stride=st.integers(1, 7),
    n_features=st.integers(1, 3),
)
def test_sliding_windows_properties(lengths, width, stride, n_features):
    rng = np.random.RandomState(0)
    recordings = [rng.randn(n, n_features) for n in lengths]
    frame_labels = [rng.randint(3, size=n) for n in lengths]
    W, y, groups = sliding_windows(
        recordings, width, stride, y=frame_labels, label="center", return_groups=True
    )
    expected = [max(0, (n - width) // stride + 1) for n in lengths]
    assert W.shape == (sum(expected), width, n_features)
    assert len(y) == len(groups) == len(W)
    assert np.bincount(groups, minlength=len(lengths)).tolist() == expected
    # Each window is the recording's frames from its start, with the centre label.
    position = 0
    for i, count in enumerate(expected):
        for j in range(count):
            start = j * stride
            assert np.array_equal(W[position], recordings[i][start : start + width])
            assert y[position] == frame_labels[i][start + width // 2]
            position += 1
    # The transformer gives the same windows.
    assert np.array_equal(SlidingWindows(width, stride).fit_transform(recordings), W)


@settings(max_examples=40, deadline=None)
@given(labels=st.lists(st.integers(0, 3), min_size=1, max_size=30), width=st.integers(1, 8))
def test_majority_label_is_a_most_frequent_label(labels, width):
    labels = np.array(labels)
    _, y = sliding_windows(np.zeros((len(labels), 1)), width, 1, y=labels)
    for start, lab in enumerate(y):
        counts = np.bincount(labels[start : start + width], minlength=4)
        assert counts[lab] == counts.max()


# -- make_concatenated_actions ------------------------------------------------------


def _toy_recordings():
    return [np.full((10 + 5 * i, 2), float(i % 3)) for i in range(6)], np.arange(6) % 3


def test_make_concatenated_actions_labels_match_frames():
    recordings, labels = _toy_recordings()
    X, y = make_concatenated_actions(recordings, labels, n_segments=7, random_state=0)
    assert X.shape[1] == 2 and len(X) == len(y)
    assert np.array_equal(X[:, 0], y)  # each toy recording holds its label
    X2, y2 = make_concatenated_actions(recordings, labels, n_segments=7, random_state=0)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)


def test_make_concatenated_actions_options():
    recordings, labels = _toy_recordings()
    X, y = make_concatenated_actions(
        recordings, labels, n_segments=20, n_actions=2, max_segment_length=8, random_state=1
    )
    assert len(X) == 20 * 8  # every toy recording is at least 10 frames long
    assert len(np.unique(y)) <= 2
    with pytest.raises(ValueError, match="n_actions"):
        make_concatenated_actions(recordings, labels, n_actions=4)
    with pytest.raises(ValueError, match="one label per recording"):
        make_concatenated_actions(recordings, labels[:3])


# -- fetch_cmu_actions over a loopback server -------------------------------------


@pytest.fixture()
def loopback_server(tmp_path):
    """Serve tmp_path/'remote' on 127.0.0.1 (never the internet)."""
    root = tmp_path / "remote"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _publish(root, files):
    manifest = []
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        manifest.append((relative, hashlib.sha256(text.encode()).hexdigest()))
    return tuple(manifest)


def test_fetch_cmu_actions_loopback(loopback_server, tmp_path, monkeypatch):
    root, url = loopback_server
    files = {
        "jump/jump_1.txt": "1,2,3\n4,5,6\n",
        "jump/jump_2.txt": "0,0,0\n",
        "walk/walk_1.txt": "7,8,9\n1,1,1\n2,2,2\n",
    }
    monkeypatch.setattr(_fetch, "CMU_ACTIONS_BASE_URL", url)
    monkeypatch.setattr(_fetch, "CMU_ACTIONS_FILES", _publish(root, files))
    home = tmp_path / "home"

    with pytest.raises(OSError, match="download_if_missing"):
        fetch_cmu_actions(home, download_if_missing=False)
    data = fetch_cmu_actions(home)
    assert data.target_names.tolist() == ["jump", "walk"]
    assert data.target.tolist() == [0, 0, 1]
    assert [r.shape for r in data.recordings] == [(2, 3), (1, 3), (3, 3)]
    assert (home / "cmu_mocap" / "actions" / "walk" / "walk_1.txt").is_file()

    # Present files are not fetched again: works with the server's files gone.
    for relative in files:
        (root / relative).unlink()
    recordings, y = fetch_cmu_actions(home, download_if_missing=False, return_X_y=True)
    assert y.tolist() == [0, 0, 1]


def test_fetch_cmu_actions_bad_checksum(loopback_server, tmp_path, monkeypatch):
    root, url = loopback_server
    manifest = _publish(root, {"jump/jump_1.txt": "1,2\n"})
    monkeypatch.setattr(_fetch, "CMU_ACTIONS_BASE_URL", url)
    monkeypatch.setattr(_fetch, "CMU_ACTIONS_FILES", ((manifest[0][0], "0" * 64),))
    with pytest.raises(OSError, match="sha256"):
        fetch_cmu_actions(tmp_path / "home")
    # Nothing (not even a partial file) is left behind.
    folder = tmp_path / "home" / "cmu_mocap" / "actions" / "jump"
    assert not any(folder.iterdir())


def test_fetch_missing_remote_file(loopback_server, tmp_path, monkeypatch):
    _, url = loopback_server
    monkeypatch.setattr(_fetch, "CMU_ACTIONS_BASE_URL", url)
    monkeypatch.setattr(_fetch, "CMU_ACTIONS_FILES", (("a/a_1.txt", "0" * 64),))
    with pytest.raises(OSError):  # urllib's HTTPError is an OSError
        fetch_cmu_actions(tmp_path / "home")
    assert not any((tmp_path / "home" / "cmu_mocap" / "actions" / "a").iterdir())


def test_get_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SKSEQ2SEQ_DATA", str(tmp_path / "env"))
    assert get_data_home() == tmp_path / "env" and (tmp_path / "env").is_dir()
    assert get_data_home(tmp_path / "x") == tmp_path / "x"


def test_manifest_matches_local_copies(cmu_data_home):
    """The shipped checksums are those of the data the package was developed on."""
    for relative, sha256 in _fetch.CMU_ACTIONS_FILES:
        path = cmu_data_home / "cmu_mocap" / "actions" / relative
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == sha256, relative
