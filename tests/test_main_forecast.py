"""The ``forecast`` command: train on one recording, write the frames that follow it."""

import numpy as np
import pytest
from test_main import SMALL, command_error, no_fitting, read_csv, write  # noqa: F401

from skseq2seq.__main__ import main


@pytest.fixture
def recording(tmp_path):
    """150 frames of three named channels, as a CSV table with a header."""
    t = np.arange(150)[:, None] / 30
    path = tmp_path / "walk.csv"
    np.savetxt(path, np.sin(t * np.array([1.0, 2.0, 3.0])), delimiter=",", header="a,b,c",
               comments="")  # fmt: skip
    return path


def test_forecast_writes_the_frames_after_the_recording(recording, tmp_path, capsys):
    out, plot = tmp_path / "out" / "future.csv", tmp_path / "forecast.png"
    argv = ["forecast", str(recording), "--fps", "30", "--observed", "1s", "--horizon", "0.5s"]
    assert main([*argv, "--out", str(out), "--plot", str(plot), *SMALL]) == 0
    printed = capsys.readouterr().out
    assert (
        f"15 frames forecast after the 150 frames of {recording}" in printed
        and f"Plot: {plot}" in printed
    )
    rows = read_csv(out)
    assert rows[0] == ["frame", "time", "a", "b", "c"] and len(rows) == 1 + 15
    assert rows[1][:2] == ["150", "5.0"] and rows[-1][:2] == ["164", "5.466667"]
    future = np.array(rows[1:], dtype=float)[:, 2:]
    assert np.isfinite(future).all() and np.abs(future).max() < 2
    import matplotlib.image

    assert matplotlib.image.imread(plot).std() > 0  # a drawn figure


def test_forecast_in_frames_without_a_frame_rate(tmp_path):
    path = tmp_path / "walk.npy"
    np.save(path, np.sin(np.arange(100)[:, None] / 5 + np.arange(2)))
    out = tmp_path / "future.csv"
    argv = ["forecast", str(path), "--observed", "20", "--horizon", "5", "--out", str(out)]
    assert main([*argv, "--stride", "4", *SMALL]) == 0
    rows = read_csv(out)
    # No time column: the frame rate is unknown.
    assert rows[0] == ["frame", "0", "1"] and [row[0] for row in rows[1:]] == [
        str(i) for i in range(100, 105)
    ]


@pytest.mark.usefixtures("no_fitting")
def test_forecast_user_errors(recording, tmp_path, capsys):
    def error(*argv, out=str(tmp_path / "f.csv")):
        return command_error(capsys, "forecast", str(recording), "--out", out, *argv)

    assert "the following arguments are required: --observed" in error()
    assert "--observed 2s: seconds need the frame rate" in error("--observed", "2s")
    line = error("--fps", "30", "--observed", "5s", "--horizon", "0.5s")
    assert "observed + horizon = 165 frames; the longest has 150" in line
    line = error("--observed", "130", "--horizon", "15", "--stride", "10")
    assert "Found 1 training window(s)" in line and "minimum of 2" in line
    assert "argument --horizon: expected frames" in error("--observed", "9", "--horizon", "soon")
    assert "argument --observed: expected frames" in error("--observed", "0")
    assert "argument --fps: expected a positive number" in error("--observed", "9", "--fps", "0")
    assert "device='tpu'" in error("--observed", "9", "--device", "tpu")
    line = error("--observed", "9", out=str(recording))
    assert (
        line == f"error: --out {recording} would overwrite the input {recording}; name another file"
    )
    assert "is a folder" in error("--observed", "9", out=str(tmp_path))
    line = command_error(capsys, "forecast", str(tmp_path / "none.csv"), "--observed", "9",
                         "--out", str(tmp_path / "f.csv"))  # fmt: skip
    assert f"No file {tmp_path / 'none.csv'}" in line
    assert not (tmp_path / "f.csv").exists()


@pytest.mark.slow
def test_forecast_real_bvh_names_its_channels(formats_dir, tmp_path):
    out = tmp_path / "future.csv"
    argv = ["forecast", str(formats_dir / "131_01.bvh"), "--observed", "0.5s", "--horizon", "0.25s"]
    assert main([*argv, "--out", str(out), *SMALL]) == 0
    rows = read_csv(out)
    # 994 frames at the file's 120 fps; joint positions from the default preprocessing.
    assert len(rows) == 1 + 30 and rows[1][:2] == ["994", str(round(994 / 120, 6))]
    assert rows[0][2].endswith(("_x", "_y", "_z")) and len(rows[0]) == len(rows[1])
