"""The command line: the demo's metrics table and plot, and user errors.

User errors print one line ``error: ...`` on stderr and exit with status 2
(``SystemExit(2)``, as argparse does for bad arguments), before any training.
"""

import functools
import os
import subprocess
import sys
from pathlib import Path

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
def no_training(monkeypatch):
    """Fail the test if the demo gets as far as building the model."""

    def fail(*args, **kwargs):
        pytest.fail("the demo started training despite a user error")

    monkeypatch.setattr(cli, "Seq2SeqClusterer", fail)


def user_error(capsys, *argv):
    """Run ``main`` expecting a user error; return its one stderr line."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["demo", *argv])
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


@pytest.mark.usefixtures("no_training")
def test_missing_data_folder(tmp_path, capsys):
    line = user_error(capsys, "--data", str(tmp_path / "missing"), "--output", str(tmp_path / "o"))
    assert "No folder 'actions'" in line and str(tmp_path / "missing") in line


@pytest.mark.usefixtures("no_training")
def test_empty_data_folders(tmp_path, capsys):
    line = user_error(capsys, "--data", str(tmp_path), "--output", "")
    assert "No folder 'actions'" in line
    (tmp_path / "actions").mkdir()
    line = user_error(capsys, "--data", str(tmp_path), "--output", "")
    assert f"No action folders in {tmp_path / 'actions'}" in line
    (tmp_path / "actions" / "walk").mkdir()
    line = user_error(capsys, "--data", str(tmp_path), "--output", "")
    assert f"No recordings in {tmp_path / 'actions' / 'walk'}" in line


@pytest.mark.usefixtures("no_training")
def test_malformed_file(tmp_path, capsys):
    path = write(tmp_path / "actions" / "walk" / "walk_1.txt", "1,2\n3,x\n")
    line = user_error(capsys, "--data", str(tmp_path / "actions"), "--output", "")
    assert f"{path}, line 2: could not convert string to float: 'x'" in line


@pytest.mark.usefixtures("no_training")
def test_recordings_shorter_than_the_window(tmp_path, capsys):
    frame = ",".join(["0"] * 3) + "\n"
    write(tmp_path / "actions" / "walk" / "walk_1.txt", frame * 60)
    short = write(tmp_path / "actions" / "walk" / "walk_2.txt", frame * 49)
    shorter = write(tmp_path / "actions" / "run" / "run_1.txt", frame * 7)
    line = user_error(capsys, "--data", str(tmp_path), "--output", "")
    assert "2 recording(s) shorter than the 50-frame window" in line
    assert f"{short} (49 frames)" in line and f"{shorter} (7 frames)" in line
    assert "walk_1.txt" not in line


@pytest.mark.usefixtures("no_training")
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


@pytest.mark.usefixtures("no_training")
def test_output_folder_not_created_on_a_user_error(tmp_path, capsys):
    user_error(capsys, "--data", str(tmp_path / "missing"), "--output", str(tmp_path / "a" / "b"))
    assert not (tmp_path / "a").exists()


@pytest.mark.usefixtures("no_training")
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
@pytest.mark.usefixtures("no_training")
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
