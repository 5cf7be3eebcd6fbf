"""The ``forecast`` command (skseq2seq._forecast_cli), called through its parser."""

import argparse
import csv

import numpy as np
import pytest

from skseq2seq import _forecast_cli

SMALL = ["--epochs", "2", "--hidden-size", "8", "--device", "cpu"]


def parse(argv):
    parser = argparse.ArgumentParser()
    _forecast_cli.add_arguments(parser)
    return parser.parse_args(argv)


@pytest.fixture
def recording(tmp_path):
    path = tmp_path / "walk.npy"
    t = np.arange(150)[:, None] / 30
    np.save(path, np.sin(t * np.array([1.0, 2.0, 3.0])))
    return path


def test_forecast_writes_the_frames_after_the_file(recording, tmp_path):
    out, plot = tmp_path / "future.csv", tmp_path / "forecast.png"
    args = parse([str(recording), "--fps", "30", "--observed", "1s", "--horizon", "0.5s",
                  "--out", str(out), "--plot", str(plot), *SMALL])  # fmt: skip
    future = _forecast_cli.run(args)
    assert future.shape == (15, 3) and np.isfinite(future).all()
    with open(out) as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["frame", "time", "0", "1", "2"] and len(rows) == 16
    assert rows[1][:2] == ["150", "5.0"] and rows[-1][:2] == ["164", "5.466667"]
    np.testing.assert_allclose(np.array(rows[1:], dtype=float)[:, 2:], future)
    import matplotlib.image

    assert matplotlib.image.imread(plot).std() > 0


def test_frames_without_fps(recording, tmp_path):
    args = parse([str(recording), "--observed", "20", "--horizon", "5", "--out",
                  str(tmp_path / "f.csv"), *SMALL])  # fmt: skip
    assert _forecast_cli.run(args).shape == (5, 3)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--observed", "2s"], "frame rate"),
        (["--fps", "30", "--observed", "5s"], "training needs at least"),
        (["--fps", "30", "--horizon", "soon"], "duration such as"),
        (["--fps", "30", "--stride", "0"], "--stride 0"),
        (["--fps", "30", "--device", "tpu"], "tpu"),
    ],
)
def test_bad_arguments_are_refused_before_training(recording, tmp_path, argv, message):
    args = parse([str(recording), "--out", str(tmp_path / "f.csv"), *argv])
    with pytest.raises((ValueError, OSError), match=message):
        _forecast_cli.prepare(args)


def test_missing_file_and_unwritable_out(tmp_path, recording):
    with pytest.raises(FileNotFoundError, match="No file"):
        _forecast_cli.prepare(parse([str(tmp_path / "none.npy"), "--out", str(tmp_path / "f")]))
    with pytest.raises(OSError, match="is a folder"):
        _forecast_cli.prepare(parse([str(recording), "--out", str(tmp_path)]))
