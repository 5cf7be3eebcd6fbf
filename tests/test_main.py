"""The command line: the demo's metrics table and plot, and user errors.

User errors print one line ``error: ...`` on stderr and exit with status 2
(``SystemExit(2)``, as argparse does for bad arguments), before any training.
"""

import functools
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import skseq2seq.__main__ as cli
from skseq2seq import Seq2SeqClusterer, Seq2SeqEmbedder


def use_small_net(monkeypatch):
    small = functools.partial(
        Seq2SeqClusterer, embedder=Seq2SeqEmbedder(hidden_size=8, max_epochs=1)
    )
    monkeypatch.setattr(cli, "Seq2SeqClusterer", small)


def test_demo_prints_metrics_and_saves_plot(tmp_path, monkeypatch, capsys):
    use_small_net(monkeypatch)
    assert cli.main(["demo", "--output", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Seq2SeqClusterer (defaults)" in out and "k-means on per-window mean/std" in out
    import matplotlib.image

    image = matplotlib.image.imread(tmp_path / "embedding.png")
    assert image.ndim == 3 and image.shape[0] > 200 and image.std() > 0  # a drawn figure


@pytest.mark.slow
def test_demo_on_cmu_action_folders(cmu_data_home, tmp_path, monkeypatch, capsys):
    use_small_net(monkeypatch)
    assert (
        cli.main(
            [
                "demo",
                "--data",
                str(cmu_data_home / "cmu_mocap" / "actions"),
                "--output",
                str(tmp_path),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "3237 sequences of 50 steps x 117 channels, 7 true classes" in out
    assert (tmp_path / "embedding.png").exists()


# -- user errors --------------------------------------------------------------


@pytest.fixture
def no_fitting(monkeypatch):
    """Fail the test if a command gets as far as building a model."""

    def fail(*args, **kwargs):
        pytest.fail("started training despite a user error")

    for name in ("Seq2SeqClusterer", "TemporalSegmenter", "compare"):
        monkeypatch.setattr(cli, name, fail)


def user_error(capsys, *argv):
    """``demo`` expecting a user error; its one stderr line."""
    return command_error(capsys, "demo", *argv)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.usefixtures("no_fitting")
def test_missing_data_folder(tmp_path, capsys):
    line = user_error(capsys, "--data", str(tmp_path / "missing"), "--output", str(tmp_path / "o"))
    assert "No folder 'actions'" in line and str(tmp_path / "missing") in line


@pytest.mark.usefixtures("no_fitting")
def test_empty_data_folders(tmp_path, capsys):
    line = user_error(capsys, "--data", str(tmp_path), "--output", "")
    assert "No folder 'actions'" in line
    (tmp_path / "actions").mkdir()
    line = user_error(capsys, "--data", str(tmp_path), "--output", "")
    assert f"No action folders in {tmp_path / 'actions'}" in line
    (tmp_path / "actions" / "walk").mkdir()
    line = user_error(capsys, "--data", str(tmp_path), "--output", "")
    assert f"No recordings in {tmp_path / 'actions' / 'walk'}" in line


@pytest.mark.usefixtures("no_fitting")
def test_malformed_file(tmp_path, capsys):
    path = write(tmp_path / "actions" / "walk" / "walk_1.txt", "1,2\n3,x\n")
    line = user_error(capsys, "--data", str(tmp_path / "actions"), "--output", "")
    assert f"{path}, line 2: could not convert string to float: 'x'" in line


@pytest.mark.usefixtures("no_fitting")
def test_recordings_shorter_than_the_window(tmp_path, capsys):
    frame = ",".join(["0"] * 3) + "\n"
    write(tmp_path / "actions" / "walk" / "walk_1.txt", frame * 60)
    short = write(tmp_path / "actions" / "walk" / "walk_2.txt", frame * 49)
    shorter = write(tmp_path / "actions" / "run" / "run_1.txt", frame * 7)
    line = user_error(capsys, "--data", str(tmp_path), "--output", "")
    assert "2 recording(s) shorter than the 50-frame window" in line
    assert f"{short} (49 frames)" in line and f"{shorter} (7 frames)" in line
    assert "walk_1.txt" not in line


@pytest.mark.usefixtures("no_fitting")
def test_output_is_checked_before_the_data(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "_load", lambda *a: pytest.fail("data loaded before --output"))
    existing = write(tmp_path / "plot.png", "")
    line = user_error(capsys, "--data", str(tmp_path / "missing"), "--output", str(existing))
    assert line == (
        f"error: --output {existing}: {existing} is an existing file; "
        "expected a folder, created if missing"
    )
    line = user_error(capsys, "--output", str(existing / "sub" / "plots"))
    assert line.startswith(f"error: --output {existing / 'sub' / 'plots'}: {existing} is an ")
    assert not (tmp_path / "missing").exists()


@pytest.mark.usefixtures("no_fitting")
def test_output_folder_not_created_on_a_user_error(tmp_path, capsys):
    user_error(capsys, "--data", str(tmp_path / "missing"), "--output", str(tmp_path / "a" / "b"))
    assert not (tmp_path / "a").exists()


@pytest.mark.usefixtures("no_fitting")
def test_training_errors_are_not_user_errors(tmp_path, monkeypatch):
    """Only input preparation is reported as a user error; a failing fit keeps its traceback."""

    class Broken:
        def __init__(self, **kwargs):
            pass

        def fit(self, X):
            raise ValueError("a bug in training")

    monkeypatch.setattr(cli, "Seq2SeqClusterer", Broken)
    with pytest.raises(ValueError, match="a bug in training"):
        cli.main(["demo", "--output", str(tmp_path)])


@pytest.mark.slow
@pytest.mark.usefixtures("no_fitting")
def test_subprocess_missing_data(tmp_path):
    repo = Path(cli.__file__).resolve().parents[1]
    path = os.pathsep.join([str(repo), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "skseq2seq",
            "demo",
            "--data",
            str(tmp_path / "missing"),
            "--output",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: No folder 'actions'"), result.stderr


# -- cluster and segment: the user's own files ---------------------------------

SMALL = ["--epochs", "1", "--hidden-size", "4"]


def command_error(capsys, *argv):
    """Run ``main(argv)`` expecting a user error; return its one stderr line."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main(list(argv))
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def write_recordings(folder, n_frames=(40, 30), n_channels=3):
    """Two wavy recordings as CSV tables, each in its own labelled folder."""
    paths = []
    for i, n in enumerate(n_frames):
        t = np.arange(n)[:, None] / 10
        frames = np.sin(t * (i + 1) + np.arange(n_channels))
        path = folder / f"action{i}" / f"take{i}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savetxt(path, frames, delimiter=",")
        paths.append(path)
    return paths


def read_csv(path):
    import csv

    with open(path, newline="") as handle:
        return list(csv.reader(handle))


def test_cluster_writes_one_row_per_window(tmp_path, capsys):
    first, second = write_recordings(tmp_path / "data")
    out = tmp_path / "out" / "labels.csv"
    argv = ["cluster", str(tmp_path / "data"), "--n-clusters", "2", "--window", "10"]
    argv += ["--stride", "5", "--out", str(out), *SMALL, "--save-model", str(tmp_path / "m.joblib")]
    assert cli.main(argv) == 0
    rows = read_csv(out)
    assert rows[0] == ["file", "start", "stop", "label"]
    # (40 - 10) // 5 + 1 = 7 windows, then (30 - 10) // 5 + 1 = 5.
    assert [r[:3] for r in rows[1:3]] == [[str(first), "0", "10"], [str(first), "5", "15"]]
    assert rows[8][:3] == [str(second), "0", "10"] and rows[-1][:3] == [str(second), "20", "30"]
    assert len(rows) == 1 + 7 + 5
    assert {r[3] for r in rows[1:]} <= {"0", "1"}
    assert "12 windows of 2 file(s)" in capsys.readouterr().out
    # A saved model labels the same windows without training.
    again = tmp_path / "again.csv"
    argv = ["cluster", str(first), str(second), "--n-clusters", "auto", "--window", "10"]
    argv += ["--stride", "5", "--out", str(again), "--model", str(tmp_path / "m.joblib")]
    assert cli.main(argv) == 0
    assert read_csv(again) == rows


def test_segment_writes_one_row_per_frame(tmp_path):
    path = tmp_path / "walk.npy"
    t = np.arange(90)[:, None] / 30
    np.save(path, np.sin(t * np.array([1.0, 2.0, 3.0])))
    out, plot = tmp_path / "frames.csv", tmp_path / "timeline.png"
    argv = ["segment", str(path), "--n-clusters", "2", "--fps", "30", "--out", str(out)]
    assert cli.main([*argv, "--plot", str(plot), *SMALL]) == 0
    rows = read_csv(out)
    assert rows[0] == ["frame", "time", "label"] and len(rows) == 91
    assert rows[1][:2] == ["0", "0.0"] and rows[31][:2] == ["30", "1.0"]
    assert {r[2] for r in rows[1:]} <= {"0", "1"}
    import matplotlib.image

    assert matplotlib.image.imread(plot).std() > 0


def test_segment_chooses_the_number_of_actions(tmp_path, capsys):
    # 20 s of a slow then 20 s of a fast, raised oscillation at 30 fps: two actions.
    t = np.arange(1200)[:, None] / 30
    slow, fast = np.sin(t * np.array([1.0, 2.0])), np.sin(t * np.array([6.0, 9.0])) + 2
    path = tmp_path / "two.npy"
    np.save(path, np.where(t < 20, slow, fast))
    out = tmp_path / "frames.csv"
    argv = ["segment", str(path), "--n-clusters", "auto", "--fps", "30", "--out", str(out)]
    assert cli.main([*argv, *SMALL]) == 0
    assert "n_clusters=auto chose" in capsys.readouterr().out
    labels = np.array([int(r[2]) for r in read_csv(out)[1:]])
    assert len(labels) == 1200 and 2 <= len(np.unique(labels)) <= 3


@pytest.mark.slow
def test_cluster_and_segment_real_bvh(formats_dir, tmp_path):
    out = tmp_path / "labels.csv"
    argv = ["cluster", str(formats_dir / "131_01.bvh"), str(formats_dir / "131_02.bvh")]
    argv += ["--n-clusters", "3", "--window", "60", "--stride", "30", "--out", str(out), *SMALL]
    assert cli.main([*argv, "--plot", str(tmp_path / "embedding.png")]) == 0
    rows = read_csv(out)
    # 994 frames: 32 windows of 60 every 30; 1247 frames: 40.
    assert len(rows) == 1 + 32 + 40
    assert rows[1][:3] == [str(formats_dir / "131_01.bvh"), "0", "60"]
    assert rows[-1][:3] == [str(formats_dir / "131_02.bvh"), "1170", "1230"]
    assert (tmp_path / "embedding.png").stat().st_size > 0
    frames = tmp_path / "frames.csv"
    argv = ["segment", str(formats_dir / "131_01.bvh"), "--n-clusters", "3", "--out", str(frames)]
    assert cli.main([*argv, *SMALL]) == 0
    rows = read_csv(frames)
    assert len(rows) == 1 + 994 and rows[121][:2] == ["120", "1.0"]  # the file's 120 fps


@pytest.mark.usefixtures("no_fitting")
def test_cluster_and_segment_user_errors(tmp_path, capsys):
    first, _ = write_recordings(tmp_path / "data")
    out = str(tmp_path / "labels.csv")
    base = ["cluster", str(first), "--n-clusters", "2", "--out", out]
    line = command_error(capsys, *base[:2], str(tmp_path / "missing.bvh"), *base[2:])
    assert line == f"error: No file or folder {tmp_path / 'missing.bvh'}"
    line = command_error(capsys, *base, "--window", "41")
    assert f"1 recording(s) shorter than the 41-frame window: {first} (40 frames)" in line
    line = command_error(capsys, *base[:4], "--out", str(tmp_path))
    assert "--out" in line and "is a folder" in line
    line = command_error(capsys, *base, "--model", str(tmp_path / "none.joblib"))
    assert "--model" in line and "no such file" in line
    (tmp_path / "bad.csv").write_text("1,2\n3\n")
    line = command_error(capsys, "cluster", str(tmp_path / "bad.csv"), *base[2:])
    assert "bad.csv, line 2: 1 values, but line 1 has 2" in line
    np.save(tmp_path / "other.npy", np.zeros((60, 2)))
    line = command_error(capsys, *base[:2], str(tmp_path / "other.npy"), *base[2:])
    assert "has 2 channels, but" in line and "same channels" in line
    line = command_error(capsys, *base, "--device", "tpu")
    assert "device='tpu'" in line
    np.save(tmp_path / "gap.npy", np.array([[0.0, 1.0, np.nan]] * 60))
    line = command_error(capsys, "cluster", str(tmp_path / "gap.npy"), *base[2:])
    assert "missing values (NaN" in line
    seg = ["segment", str(first), "--n-clusters", "2", "--out", out]
    assert "does not give its frame rate: pass --fps" in command_error(capsys, *seg)
    # argparse's own errors keep its usage line, and status 2.
    with pytest.raises(SystemExit) as info:
        cli.main([*base[:3], "zero", *base[4:]])
    assert info.value.code == 2
    assert "expected a positive integer or 'auto', got 'zero'" in capsys.readouterr().err
    assert not (tmp_path / "labels.csv").exists()
