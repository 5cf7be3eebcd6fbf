"""The command line: the demo, cluster and segment, their estimators, progress and user errors.

User errors print one line ``error: ...`` on stderr and exit with status 2
(``SystemExit(2)``, as argparse does for bad arguments), before any training.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from skseq2seq import Seq2SeqClusterer, Seq2SeqForecaster, TemporalSegmenter
from skseq2seq.__main__ import main
from skseq2seq._cli import demo
from skseq2seq._net import Seq2SeqNet

SMALL = ["--epochs", "1", "--hidden-size", "4", "--quiet"]


@pytest.fixture
def no_fitting(monkeypatch):
    """Fail the test if a command gets as far as training a net (past the embedder's checks)."""

    def fail(*args, **kwargs):
        pytest.fail("started training despite a user error")

    monkeypatch.setattr(Seq2SeqNet, "partial_fit", fail)


def command_error(capsys, *argv):
    """Run ``main(argv)`` expecting a user error; return its one stderr line."""
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


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


def two_actions(path, n_frames=1200, fps=30):
    """A slow then a fast, raised oscillation, saved as .npy: two actions."""
    t = np.arange(n_frames)[:, None] / fps
    slow, fast = np.sin(t * np.array([1.0, 2.0])), np.sin(t * np.array([6.0, 9.0])) + 2
    np.save(path, np.where(t < n_frames / fps / 2, slow, fast))
    return path


def read_csv(path):
    import csv

    with open(path, newline="") as handle:
        return list(csv.reader(handle))


# -- demo ------------------------------------------------------------------------


def test_demo_prints_metrics_and_saves_plot(tmp_path, capsys):
    assert main(["demo", "--output", str(tmp_path), "--epochs", "1", "--hidden-size", "8"]) == 0
    out, err = capsys.readouterr()
    assert "Seq2SeqClusterer (defaults)" in out and "k-means on per-window mean/std" in out
    assert "spectral on per-window mean/std" in out  # the strongest classical pipeline
    assert "Seq2SeqClusterer, learned states alone" in out
    assert "[training] net 1/1  epoch 1/1" in err  # progress on stderr by default
    import matplotlib.image

    image = matplotlib.image.imread(tmp_path / "embedding.png")
    assert image.ndim == 3 and image.shape[0] > 200 and image.std() > 0  # a drawn figure


@pytest.mark.slow
def test_demo_on_cmu_action_folders(cmu_data_home, tmp_path, capsys):
    data = str(cmu_data_home / "cmu_mocap" / "actions")
    assert main(["demo", "--data", data, "--output", str(tmp_path), *SMALL]) == 0
    out = capsys.readouterr().out
    assert "3237 sequences of 50 steps x 117 channels, 7 true classes" in out
    assert (tmp_path / "embedding.png").exists()


def user_error(capsys, *argv):
    """``demo`` expecting a user error; its one stderr line."""
    return command_error(capsys, "demo", *argv)


@pytest.mark.usefixtures("no_fitting")
def test_demo_data_errors(tmp_path, capsys):
    line = user_error(capsys, "--data", str(tmp_path / "missing"), "--output", str(tmp_path / "o"))
    assert "No folder 'actions'" in line and str(tmp_path / "missing") in line
    (tmp_path / "actions").mkdir()
    line = user_error(capsys, "--data", str(tmp_path), "--output", "")
    assert f"No action folders in {tmp_path / 'actions'}" in line
    (tmp_path / "actions" / "walk").mkdir()
    line = user_error(capsys, "--data", str(tmp_path), "--output", "")
    assert f"No recordings in {tmp_path / 'actions' / 'walk'}" in line
    path = write(tmp_path / "actions" / "walk" / "walk_1.txt", "1,2\n3,x\n")
    line = user_error(capsys, "--data", str(tmp_path / "actions"), "--output", "")
    assert f"{path}, line 2: could not convert string to float: 'x'" in line


@pytest.mark.usefixtures("no_fitting")
def test_demo_recordings_shorter_than_the_window(tmp_path, capsys):
    frame = ",".join(["0"] * 3) + "\n"
    write(tmp_path / "actions" / "walk" / "walk_1.txt", frame * 60)
    short = write(tmp_path / "actions" / "walk" / "walk_2.txt", frame * 49)
    shorter = write(tmp_path / "actions" / "run" / "run_1.txt", frame * 7)
    line = user_error(capsys, "--data", str(tmp_path), "--output", "")
    assert "2 recording(s) shorter than the 50-frame window" in line
    assert f"{short} (49 frames)" in line and f"{shorter} (7 frames)" in line
    assert "walk_1.txt" not in line


@pytest.mark.usefixtures("no_fitting")
def test_demo_output_is_checked_before_the_data(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(demo, "_load", lambda *a: pytest.fail("data loaded before --output"))
    existing = write(tmp_path / "plot.png", "")
    line = user_error(capsys, "--data", str(tmp_path / "missing"), "--output", str(existing))
    assert line == (
        f"error: --output {existing}: {existing} is an existing file; "
        "expected a folder, created if missing"
    )
    line = user_error(capsys, "--output", str(existing / "sub" / "plots"))
    assert line.startswith(f"error: --output {existing / 'sub' / 'plots'}: {existing} is an ")


@pytest.mark.usefixtures("no_fitting")
def test_demo_output_folder_not_created_on_a_user_error(tmp_path, capsys):
    user_error(capsys, "--data", str(tmp_path / "missing"), "--output", str(tmp_path / "a" / "b"))
    assert not (tmp_path / "a").exists()


def test_errors_once_training_started_keep_their_traceback(tmp_path, monkeypatch):
    """Only errors before any net trains are the user's; a failure after is a bug."""
    from skseq2seq import _embedding_clusterer

    def broken(self, *args, **kwargs):
        raise ValueError("a bug after training")

    monkeypatch.setattr(_embedding_clusterer.EmbeddingClusterer, "fit", broken)
    with pytest.raises(ValueError, match="a bug after training"):
        main(["demo", "--output", "", *SMALL])


@pytest.mark.slow
def test_subprocess_missing_data(tmp_path):
    result = run_subprocess(tmp_path, "demo", "--data", str(tmp_path / "missing"))
    assert result.returncode == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: No folder 'actions'"), result.stderr


def run_subprocess(folder, *argv):
    """``python -m skseq2seq *argv`` run in ``folder``, with this checkout importable."""
    repo = Path(demo.__file__).resolve().parents[2]
    path = os.pathsep.join([str(repo), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path, "OMP_NUM_THREADS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "skseq2seq", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        timeout=300,
    )


# -- the estimators are the library's -------------------------------------------


class Captured(Exception):
    """Raised in place of training: the estimator as the command built it."""


@pytest.fixture
def capture_fit(monkeypatch):
    """Replace training by raising :class:`Captured` with the estimator's parameters."""

    def capture(self, X, y=None):
        raise Captured(self.get_params(deep=True))

    for estimator in (Seq2SeqClusterer, TemporalSegmenter, Seq2SeqForecaster):
        monkeypatch.setattr(estimator, "fit", capture)
        if hasattr(estimator, "fit_predict"):
            monkeypatch.setattr(estimator, "fit_predict", capture)


def trained_params(*argv):
    with pytest.raises(Captured) as info:
        main(list(argv))
    return info.value.args[0]


def without_command_line_plumbing(params):
    """Parameters, less the embedder instance and the net's callbacks (the progress lines)."""
    return {
        name: value
        for name, value in params.items()
        if name not in ("embedder", "embedder__callbacks", "callbacks")
    }


@pytest.mark.usefixtures("capture_fit")
def test_command_line_estimators_have_the_library_defaults(tmp_path):
    """Every parameter the user does not set is the library's default."""
    first, second = write_recordings(tmp_path / "data", n_frames=(60, 60))
    out = str(tmp_path / "out.csv")
    library = Seq2SeqClusterer(n_clusters=2, random_state=0).get_params(deep=True)
    for command in ("cluster", "compare"):
        params = trained_params(command, str(first), str(second), "--n-clusters", "2", "--out", out)
        if command == "compare":  # compare() sets the seed drawn from --random-state
            params["random_state"] = 0
        assert without_command_line_plumbing(params) == without_command_line_plumbing(library)
    library = TemporalSegmenter(fps=30, random_state=0).get_params(deep=True)
    params = trained_params("segment", str(first), "--fps", "30", "--out", out)
    assert without_command_line_plumbing(params) == without_command_line_plumbing(library)
    assert params["embedder__max_epochs"] == 10  # not a command-line default of its own
    # forecast: the window's frames and the frame rate come from the options and the file
    library = Seq2SeqForecaster(observed=20, horizon=25, fps=30.0, random_state=0).get_params()
    params = trained_params("forecast", str(first), "--fps", "30", "--observed", "20", "--out", out)
    assert without_command_line_plumbing(params) == without_command_line_plumbing(library)
    assert params["max_epochs"] == Seq2SeqForecaster().max_epochs
    default = Seq2SeqClusterer().get_params(deep=True)
    params = trained_params("demo", "--output", "")
    assert params["embedder__decoder_strategy"] == default["embedder__decoder_strategy"]


@pytest.mark.usefixtures("capture_fit")
def test_options_set_the_estimator_parameters(tmp_path):
    first, _ = write_recordings(tmp_path / "data", n_frames=(60, 60))
    argv = ["segment", str(first), "--fps", "30", "--out", str(tmp_path / "o.csv")]
    argv += ["--n-clusters", "auto", "--n-nets", "2", "--min-action-seconds", "1.5"]
    argv += ["--split-windows", "--features", "states"]
    argv += ["--max-clusters", "5", "--memory", str(tmp_path / "cache"), "--epochs", "3"]
    argv += ["--hidden-size", "16", "--device", "cpu", "--random-state", "7"]
    params = trained_params(*argv)
    expected = {
        "n_clusters": "auto",
        "n_nets": 2,
        "split_windows": True,
        "features": "states",
        "min_action_seconds": 1.5,
        "max_clusters": 5,
        "memory": str(tmp_path / "cache"),
        "embedder__max_epochs": 3,
        "embedder__hidden_size": 16,
        "embedder__device": "cpu",
        "random_state": 7,
        "fps": 30.0,
    }
    assert {name: params[name] for name in expected} == expected
    argv = ["cluster", str(first), "--fps", "30", "--out", str(tmp_path / "o.csv"), "--verbose"]
    params = trained_params(*argv, "--memory", str(tmp_path / "cache"), "--features", "states")
    assert params["memory"] == str(tmp_path / "cache") and params["embedder__verbose"] == 1
    assert params["features"] == "states"
    argv = ["forecast", str(first), "--fps", "30", "--observed", "0.5s", "--horizon", "10"]
    argv += ["--stride", "3", "--epochs", "3", "--hidden-size", "16", "--device", "cpu"]
    params = trained_params(*argv, "--random-state", "7", "--verbose", "--out", str(tmp_path / "o"))
    expected = {"observed": 15, "horizon": 10, "stride": 3, "fps": 30.0, "max_epochs": 3}
    expected.update(hidden_size=16, device="cpu", random_state=7, verbose=1)
    assert {name: params[name] for name in expected} == expected


# -- cluster ----------------------------------------------------------------------


def test_cluster_writes_one_row_per_window(tmp_path, capsys):
    first, second = write_recordings(tmp_path / "data")
    out = tmp_path / "out" / "labels.csv"
    model = tmp_path / "m.joblib"
    argv = ["cluster", str(tmp_path / "data"), "--n-clusters", "2", "--window", "10"]
    argv += ["--stride", "5", "--out", str(out), *SMALL, "--save-model", str(model)]
    assert main(argv) == 0
    rows = read_csv(out)
    assert rows[0] == ["file", "start", "stop", "label"]  # no frame rate: no times
    # (40 - 10) // 5 + 1 = 7 windows, then (30 - 10) // 5 + 1 = 5.
    assert [r[:3] for r in rows[1:3]] == [[str(first), "0", "10"], [str(first), "5", "15"]]
    assert rows[8][:3] == [str(second), "0", "10"] and rows[-1][:3] == [str(second), "20", "30"]
    assert len(rows) == 1 + 7 + 5
    assert {r[3] for r in rows[1:]} <= {"0", "1"}
    assert "12 windows of 2 file(s)" in capsys.readouterr().out
    # A saved model labels the same windows without training, in its own geometry.
    again = tmp_path / "again.csv"
    argv = ["cluster", str(first), str(second), "--out", str(again), "--model", str(model)]
    assert main(argv) == 0
    assert read_csv(again) == rows
    assert "note: the saved model's windows: 10 frames, stride 5" in capsys.readouterr().err


def test_cluster_windows_in_seconds_and_times(tmp_path, capsys):
    first, second = write_recordings(tmp_path / "data")
    out, model = tmp_path / "labels.csv", tmp_path / "m.joblib"
    argv = ["cluster", str(first), str(second), "--fps", "10", "--window", "1s"]
    argv += ["--stride", "0.5s", "--n-clusters", "2", "--out", str(out), *SMALL]
    assert main([*argv, "--save-model", str(model)]) == 0
    rows = read_csv(out)
    assert rows[0] == ["file", "start", "stop", "start_time", "stop_time", "label"]
    assert rows[2][1:5] == ["5", "15", "0.5", "1.5"]
    assert len(rows) == 1 + 7 + 5
    capsys.readouterr()
    # The model keeps its 10 fps and 10-frame windows; a conflicting window is an error.
    argv = ["cluster", str(first), "--out", str(tmp_path / "again.csv"), "--model", str(model)]
    line = command_error(capsys, *argv, "--window", "2s")
    assert "--window 2s is 20 frames, but the saved model was trained on 10-frame" in line
    line = command_error(capsys, *argv, "--fps", "20")
    assert "trained at 10 fps, but" in line and "is at 20 fps" in line
    assert main([*argv, "--window", "10", "--stride", "1s"]) == 0
    assert read_csv(tmp_path / "again.csv")[2][3:5] == ["1.0", "2.0"]
    assert "note: frame rate from the saved model: 10 fps" in capsys.readouterr().err


@pytest.mark.usefixtures("no_fitting")
def test_cluster_user_errors(tmp_path, capsys):
    first, _ = write_recordings(tmp_path / "data")
    out = str(tmp_path / "labels.csv")
    base = ["cluster", str(first), "--n-clusters", "2", "--out", out]
    line = command_error(capsys, *base[:2], str(tmp_path / "missing.bvh"), *base[2:])
    assert line == f"error: No file or folder {tmp_path / 'missing.bvh'}"
    line = command_error(capsys, *base, "--window", "41")
    assert f"1 recording(s) shorter than the 41-frame window: {first} (40 frames)" in line
    line = command_error(capsys, *base, "--window", "1s")
    assert "--window 1s: seconds need the frame rate" in line and "--fps" in line
    line = command_error(capsys, *base[:4], "--out", str(tmp_path))
    assert "--out" in line and "is a folder" in line
    line = command_error(capsys, *base, "--model", str(tmp_path / "none.joblib"))
    assert "--model" in line and "--n-clusters cannot apply" in line
    line = command_error(capsys, *base[:2], "--out", out, "--model", str(tmp_path / "none"))
    assert line == f"error: --model {tmp_path / 'none'}: no such file"
    (tmp_path / "bad.csv").write_text("1,2\n3\n")
    line = command_error(capsys, "cluster", str(tmp_path / "bad.csv"), *base[2:])
    assert "bad.csv, line 2: 1 values, but line 1 has 2" in line
    np.save(tmp_path / "other.npy", np.zeros((60, 2)))
    line = command_error(capsys, *base[:2], str(tmp_path / "other.npy"), *base[2:])
    assert "has 2 channels, but" in line and "same channels" in line
    np.save(tmp_path / "gap.npy", np.array([[0.0, 1.0, np.nan]] * 60))
    line = command_error(capsys, "cluster", str(tmp_path / "gap.npy"), *base[2:])
    assert "missing values (NaN" in line
    line = command_error(capsys, *base, "--window", "10", "--device", "tpu")
    assert "device='tpu'" in line
    line = command_error(capsys, *base[:4], "--window", "10", "--out", str(first))
    assert line == f"error: --out {first} would overwrite the input {first}; name another file"
    line = command_error(capsys, *base, "--window", "10", "--plot", out)
    assert "--plot" in line and "would overwrite --out" in line
    line = command_error(capsys, *base, "--features", "statistics", "--plot", out + ".png")
    assert "--plot draws the learned states" in line and "no net" in line
    line = command_error(capsys, *base, "--features", "statistics", "--epochs", "2")
    assert "features='statistics' trains no net, so --epochs cannot apply" in line
    line = command_error(capsys, *base[:3], "zero", *base[4:])  # argparse's own, on one line
    assert "expected a positive integer or 'auto', got 'zero'" in line
    assert not (tmp_path / "labels.csv").exists()


@pytest.mark.usefixtures("no_fitting")
def test_model_file_errors(tmp_path, capsys):
    import joblib

    first, _ = write_recordings(tmp_path / "data")
    argv = ["cluster", str(first), "--out", str(tmp_path / "o.csv"), "--model"]
    joblib.dump(Seq2SeqClusterer(), tmp_path / "unfitted.joblib")
    line = command_error(capsys, *argv, str(tmp_path / "unfitted.joblib"))
    assert "the Seq2SeqClusterer was never fitted" in line
    joblib.dump(TemporalSegmenter(), tmp_path / "segmenter.joblib")
    line = command_error(capsys, *argv, str(tmp_path / "segmenter.joblib"))
    assert "holds a TemporalSegmenter, expected a fitted Seq2SeqClusterer" in line
    (tmp_path / "text.joblib").write_text("hello")
    line = command_error(capsys, *argv, str(tmp_path / "text.joblib"))
    assert "not a saved model" in line


# -- segment ----------------------------------------------------------------------


def test_segment_writes_frames_segments_and_plot(tmp_path, capsys):
    path = two_actions(tmp_path / "walk.npy", n_frames=90)
    out, plot, segments = tmp_path / "frames.csv", tmp_path / "timeline.png", tmp_path / "s.csv"
    argv = ["segment", str(path), "--n-clusters", "2", "--fps", "30", "--out", str(out)]
    argv += [
        "--plot",
        str(plot),
        "--segments",
        str(segments),
        "--n-nets",
        "1",
        "--features",
        "states+frames",
    ]
    assert main([*argv, "--epochs", "2", "--hidden-size", "4"]) == 0
    rows = read_csv(out)
    assert rows[0] == ["frame", "time", "label"] and len(rows) == 91
    assert rows[1][:2] == ["0", "0.0"] and rows[31][:2] == ["30", "1.0"]
    labels = [r[2] for r in rows[1:]]
    assert set(labels) <= {"0", "1"}
    runs = read_csv(segments)
    assert runs[0] == ["start", "stop", "start_time", "stop_time", "label"]
    assert runs[1][0] == "0" and runs[-1][1] == "90"
    assert sum(int(stop) - int(start) for start, stop, *_ in runs[1:]) == 90
    for start, stop, start_time, _, label in runs[1:]:
        assert set(labels[int(start) : int(stop)]) == {label}
        assert float(start_time) == pytest.approx(int(start) / 30, abs=1e-6)
    err = capsys.readouterr().err
    assert "[training] net 1/1  epoch 2/2" in err and "elapsed" in err and "left ~" in err
    import matplotlib.image

    assert matplotlib.image.imread(plot).std() > 0


def test_segment_scores_against_the_truth(tmp_path, capsys, monkeypatch):
    import matplotlib.axes

    titles = []
    monkeypatch.setattr(
        matplotlib.axes.Axes,
        "set_yticklabels",
        lambda self, labels, **kw: titles.append(list(labels)),
    )
    path = two_actions(tmp_path / "two.npy", n_frames=600)
    truth = write(tmp_path / "truth.txt", "2\n1 slow\n299 300 301\n2 fast\n600\n")
    argv = [
        "segment",
        str(path),
        "--n-clusters",
        "2",
        "--fps",
        "30",
        "--n-nets",
        "1",
        "--features",
        "states+frames",
    ]
    argv += ["--out", str(tmp_path / "f.csv"), "--truth", str(truth), *SMALL]
    assert main([*argv, "--plot", str(tmp_path / "p.png")]) == 0
    out = capsys.readouterr().out
    assert f"Against {truth}: accuracy " in out and "ARI" in out and "boundary F1" in out
    assert titles[-1] == ["truth", "found"]
    # A frame-label CSV: segment's own output format.
    frames = tmp_path / "labels.csv"
    frames.write_text("frame,time,label\n" + "".join(f"{i},0,{i // 300}\n" for i in range(600)))
    argv[argv.index(str(truth))] = str(frames)
    assert main(argv) == 0
    assert "1 true)" in capsys.readouterr().out


@pytest.mark.usefixtures("no_fitting")
def test_segment_user_errors(tmp_path, capsys):
    first, _ = write_recordings(tmp_path / "data")
    out = str(tmp_path / "frames.csv")
    seg = ["segment", str(first), "--fps", "30", "--out", out]
    np.save(tmp_path / "short.npy", np.random.default_rng(0).normal(size=(20, 3)))
    line = command_error(capsys, "segment", str(tmp_path / "short.npy"), *seg[2:])
    assert "20 frames" in line  # shorter than a window of 0.8 s (24 frames at 30 fps)
    line = command_error(capsys, *seg[:2], "--fps", "-30", "--out", out)
    assert line.startswith("error: argument --fps: expected a positive number, got '-30'")
    for bad in ("nan", "inf", "0"):
        assert "expected a positive number" in command_error(capsys, *seg[:3], bad, *seg[4:])
    line = command_error(capsys, *seg, "--truth", str(first))
    assert line.startswith(f"error: --truth {first}: several values per line and no 'label'")
    write(tmp_path / "t.txt", "a\nb\n")
    line = command_error(capsys, *seg, "--truth", str(tmp_path / "t.txt"))
    assert line.startswith(f"error: --truth {tmp_path / 't.txt'}: 2 labels for the 40 frames")
    line = command_error(capsys, *seg, "--segments", str(first))
    assert "--segments" in line and "would overwrite the input" in line
    line = command_error(capsys, *seg, "--max-clusters", "1")
    assert "expected an integer of 2 or more" in line
    line = command_error(capsys, *seg, "--min-action-seconds", "-1")
    assert "expected a number of seconds, 0 or more" in line
    line = command_error(capsys, "segment", str(tmp_path / "data"), "--out", out)
    assert line == f"error: No file {tmp_path / 'data'}"
    assert not Path(out).exists()


def test_segment_without_frame_rate_uses_the_library_default(tmp_path, capsys):
    path = two_actions(tmp_path / "two.npy", n_frames=240, fps=120)
    argv = [
        "segment",
        str(path),
        "--n-clusters",
        "2",
        "--n-nets",
        "1",
        "--features",
        "states+frames",
    ]
    argv += ["--out", str(tmp_path / "f.csv"), "--save-model", str(tmp_path / "m.joblib")]
    assert main([*argv, *SMALL]) == 0
    assert "assuming 120 fps (pass --fps)" in capsys.readouterr().err
    rows = read_csv(tmp_path / "f.csv")
    assert rows[121][:2] == ["120", "1.0"]
    # A saved model: no --n-clusters needed; its frame rate is used; another is an error.
    again = ["segment", str(path), "--out", str(tmp_path / "g.csv")]
    again += ["--model", str(tmp_path / "m.joblib")]
    assert main(again) == 0
    assert read_csv(tmp_path / "g.csv") == rows
    capsys.readouterr()
    line = command_error(capsys, *again, "--fps", "60")
    assert "fitted at 120 fps, the file is at 60" in line
    line = command_error(capsys, *again, "--n-nets", "2", "--n-clusters", "3")
    assert "--n-clusters, --n-nets cannot apply" in line
    # The default features (the frames alone) train no net: net options are refused.
    plain = ["segment", str(path), "--n-clusters", "2", "--n-nets", "1", "--epochs", "2"]
    line = command_error(capsys, *plain, "--out", str(tmp_path / "h.csv"))
    assert "features='frames' trains no net, so --epochs, --n-nets cannot apply" in line
    assert not (tmp_path / "h.csv").exists()


def test_segment_chooses_the_number_of_actions(tmp_path, capsys):
    path = two_actions(tmp_path / "two.npy")  # 20 s slow, 20 s fast, at 30 fps
    out = tmp_path / "frames.csv"
    argv = ["segment", str(path), "--n-clusters", "auto", "--fps", "30", "--out", str(out)]
    assert main([*argv, "--n-nets", "1", "--features", "states+frames", *SMALL]) == 0
    captured = capsys.readouterr()
    assert "n_clusters=auto chose" in captured.out and captured.err == ""  # --quiet
    labels = np.array([int(r[2]) for r in read_csv(out)[1:]])
    assert len(labels) == 1200 and 2 <= len(np.unique(labels)) <= 3


@pytest.mark.slow
def test_cluster_and_segment_real_bvh(formats_dir, tmp_path):
    out = tmp_path / "labels.csv"
    argv = ["cluster", str(formats_dir / "131_01.bvh"), str(formats_dir / "131_02.bvh")]
    argv += ["--n-clusters", "3", "--window", "0.5s", "--stride", "0.25s", "--out", str(out)]
    assert main([*argv, *SMALL, "--plot", str(tmp_path / "embedding.png")]) == 0
    rows = read_csv(out)
    # 994 frames: 32 windows of 60 every 30; 1247 frames: 40.
    assert len(rows) == 1 + 32 + 40
    assert rows[1][:5] == [str(formats_dir / "131_01.bvh"), "0", "60", "0.0", "0.5"]
    assert rows[-1][:3] == [str(formats_dir / "131_02.bvh"), "1170", "1230"]
    assert (tmp_path / "embedding.png").stat().st_size > 0
    frames = tmp_path / "frames.csv"
    argv = ["segment", str(formats_dir / "131_01.bvh"), "--n-clusters", "3", "--out", str(frames)]
    assert main([*argv, "--n-nets", "1", "--features", "states+frames", *SMALL]) == 0
    rows = read_csv(frames)
    assert len(rows) == 1 + 994 and rows[121][:2] == ["120", "1.0"]  # the file's 120 fps


@pytest.mark.slow
def test_segment_subject86_mat_with_its_ground_truth(cmu_data_home, tmp_path, capsys):
    folder = cmu_data_home / "cmu_mocap" / "subject86"
    argv = [
        "segment",
        str(folder / "03.mat"),
        "--n-clusters",
        "4",
        "--n-nets",
        "1",
        "--features",
        "states+frames",
    ]
    argv += ["--truth", str(folder / "03_ground_truth.txt"), "--out", str(tmp_path / "f.csv")]
    assert main([*argv, *SMALL]) == 0
    out = capsys.readouterr().out
    assert "at 120 fps" in out and "accuracy" in out
