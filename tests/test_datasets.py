"""Datasets: CMU action loader, windowing, concatenation, fetch over loopback."""

import functools
import hashlib
import http.server
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skseq2seq.datasets import (
    SlidingWindows,
    fetch_cmu_actions,
    get_data_home,
    load_cmu_actions,
    load_cmu_subject86,
    make_concatenated_actions,
    make_motion_sequences,
    sliding_windows,
)
from skseq2seq.datasets import _fetch

# -- CMU actions (real data) ------------------------------------------------------


@pytest.fixture(scope="module")
def cmu_actions(cmu_data_home):
    return load_cmu_actions(cmu_data_home)


def test_load_cmu_actions(cmu_actions):
    data = cmu_actions
    assert len(data.recordings) == 32 == len(data.target) == len(data.filenames)
    assert data.target_names.tolist() == [
        "basketball", "basketball_signal", "directing_traffic", "jumping", "running",
        "soccer", "walking",
    ]
    assert all(r.ndim == 2 and r.shape[1] == 117 and r.dtype == np.float64 for r in data.recordings)
    assert sum(len(r) for r in data.recordings) == 33794
    assert np.all(np.isfinite(np.concatenate(data.recordings)))
    # Recordings are grouped by action, in label order.
    assert np.all(np.diff(data.target) >= 0)


def test_load_cmu_actions_accepts_actions_folder(cmu_data_home, cmu_actions):
    recordings, y = load_cmu_actions(cmu_data_home / "actions", return_X_y=True)
    assert np.array_equal(y, cmu_actions.target)
    assert np.array_equal(recordings[3], cmu_actions.recordings[3])


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
    X, y = make_motion_sequences(n_sequences=200, n_timesteps=30, n_features=4, n_regimes=4,
                                 random_state=0)
    assert X.shape == (200, 30, 4) and sorted(set(y)) == [0, 1, 2, 3]
    again, _ = make_motion_sequences(n_sequences=200, n_timesteps=30, n_features=4,
                                     n_regimes=4, random_state=0)
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


def test_cmu_loaders_need_a_data_home(monkeypatch):
    monkeypatch.delenv("SKSEQ2SEQ_CMU_DATA", raising=False)
    with pytest.raises(ValueError, match="data_home is required"):
        load_cmu_actions()
    with pytest.raises(ValueError, match="data_home is required"):
        load_cmu_subject86(1)


def test_load_cmu_subject86_from_env_and_malformed_ground_truth(tmp_path, monkeypatch):
    from scipy.io import savemat

    folder = tmp_path / "subject86"
    folder.mkdir()
    savemat(folder / "01.mat", {"expmapchannels": np.zeros((100, 96))})
    (folder / "01_ground_truth.txt").write_text("2\n1 walking\n39 40 41\n2 walk\n100\n")
    monkeypatch.setenv("SKSEQ2SEQ_CMU_DATA", str(tmp_path))
    X, y, names = load_cmu_subject86(1)
    assert X.shape == (100, 96) and names == ["walk"] and (y == 0).all()
    (folder / "01_ground_truth.txt").write_text("3\n1 walk\n40 41 42\n")
    with pytest.raises(ValueError, match="announces 3 segments"):
        load_cmu_subject86(1)


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
        digest = hashlib.sha256((cmu_data_home / "actions" / relative).read_bytes()).hexdigest()
        assert digest == sha256, relative
