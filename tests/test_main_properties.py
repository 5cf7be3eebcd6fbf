"""Property-based checks of the command line: any arguments, any damaged input file.

Each example either stops with a user error (exit status 2, one line
``error: ...`` on stderr, no traceback, nothing written) or reaches the
training of a net (for the segmenter's default, which trains none, its
consensus), which is replaced by an exception so that the suite is fast;
input files are never modified. A few real subprocesses check the same from
outside.
"""

import hashlib
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_main import run_subprocess

from skseq2seq.__main__ import main
from skseq2seq._net import Seq2SeqNet

QUICK = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE = ["-30", "0", "nan", "inf", "-inf", "1e400", "abc", "", " ", "1s", "0.5s", "-1s", "0s"]
HOSTILE += ["10", "3", "1", "2", "2.5", "auto", "1e-9", "30", "120", "1000000"]
OPTIONS = {
    "cluster": ["--fps", "--window", "--stride", "--n-clusters", "--epochs", "--hidden-size"],
    "segment": [
        "--fps", "--n-clusters", "--n-nets", "--min-action-seconds", "--max-clusters", "--epochs",
        "--hidden-size",
    ],
    "forecast": ["--observed", "--horizon", "--stride", "--fps", "--epochs", "--hidden-size"],
}  # fmt: skip


class Reached(Exception):
    """Raised instead of training a net: the arguments passed every check."""


@pytest.fixture
def reach_training(monkeypatch):
    def stop(*args, **kwargs):
        raise Reached

    monkeypatch.setattr(Seq2SeqNet, "partial_fit", stop)
    # The segmenter's default (the frames alone) trains no net: its first step after
    # the checks, the consensus, stands for the training.
    monkeypatch.setattr("skseq2seq._segmenter.consensus_segmentation", stop)


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def outcome(capsys, argv):
    """'trained' or 'error', checking the user-error contract on the way."""
    capsys.readouterr()
    try:
        main(argv)
    except Reached:
        return "trained"
    except SystemExit as exc:
        assert exc.code == 2, argv
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert err.splitlines()[-1].startswith("error: "), (argv, err)
        assert all(line.startswith(("error: ", "warning: ", "note: ")) for line in err.splitlines())
        return "error"
    return "done"


def recording(n_frames=60, n_channels=3):
    t = np.arange(n_frames)[:, None] / 10
    return np.sin(t * np.arange(1, n_channels + 1))


@pytest.mark.usefixtures("reach_training")
@QUICK
@given(
    command=st.sampled_from(sorted(OPTIONS)),
    data=st.data(),
)
def test_any_arguments_give_a_user_error_or_train(command, data, capsys):
    folder = Path(tempfile.mkdtemp())
    path = folder / "take.csv"
    np.savetxt(path, recording(), delimiter=",")
    options = data.draw(st.lists(st.sampled_from(OPTIONS[command]), unique=True, max_size=4))
    argv = [command, str(path), "--out", str(folder / "out.csv"), "--quiet"]
    for option in options:
        argv += [option, data.draw(st.sampled_from(HOSTILE))]
    before = digest(folder)
    result = outcome(capsys, argv)
    assert digest(folder) == before  # the input untouched, nothing written
    assert result in ("trained", "error")


def _mutate(text, kind, where, value):
    lines = text.splitlines(keepends=True)
    i = where % len(lines)
    if kind == "truncate":
        return text[: where % len(text)]
    if kind == "drop":
        return "".join(lines[:i] + lines[i + 1 :])
    if kind == "duplicate":
        return "".join(lines[: i + 1] + lines[i:])
    if kind == "number":
        cells = lines[i].rstrip("\n").split(",")
        cells[where % len(cells)] = value
        return "".join(lines[:i] + [",".join(cells) + "\n"] + lines[i + 1 :])
    if kind == "bom":
        return "\ufeff" + text
    if kind == "crlf":
        return text.replace("\n", "\r\n")
    if kind == "tabs":
        return text.replace(",", "\t")
    return "naïve,名前,x\n" + text  # unicode header


@pytest.mark.usefixtures("reach_training")
@QUICK
@given(
    kind=st.sampled_from(
        ["truncate", "drop", "duplicate", "number", "bom", "crlf", "tabs", "header"]
    ),
    where=st.integers(0, 10_000),
    value=st.sampled_from(["nan", "inf", "-inf", "1e308", "-1e308", "", "x", "1e400"]),
    command=st.sampled_from(["cluster", "segment", "forecast"]),
)
def test_damaged_files_give_a_user_error_or_train(kind, where, value, command, capsys):
    folder = Path(tempfile.mkdtemp())
    path = folder / "take.csv"
    np.savetxt(path, recording(), delimiter=",", fmt="%.6f")
    path.write_bytes(_mutate(path.read_text(), kind, where, value).encode("utf-8"))
    argv = [command, str(path), "--out", str(folder / "out.csv"), "--quiet", "--fps", "30"]
    if command == "cluster":
        argv += ["--window", "10"]
    if command == "forecast":
        argv += ["--observed", "10"]
    before = digest(folder)
    assert outcome(capsys, argv) in ("trained", "error")
    assert digest(folder) == before


@pytest.mark.slow
def test_user_errors_in_real_processes(tmp_path):
    np.save(tmp_path / "short.npy", recording(20))
    np.save(tmp_path / "take.npy", recording(200))
    import joblib

    from skseq2seq import TemporalSegmenter

    joblib.dump(TemporalSegmenter(), tmp_path / "unfitted.joblib")
    before = digest(tmp_path)
    cases = {
        "shorter than a window": ["segment", "short.npy", "--fps", "30", "--out", "o.csv"],
        "--fps -30": ["segment", "take.npy", "--fps", "-30", "--out", "o.csv"],
        "unfitted model": ["segment", "take.npy", "--model", "unfitted.joblib", "--out", "o.csv"],
        "--out is the input": ["cluster", "take.npy", "--out", "take.npy"],
        "too short to forecast": ["forecast", "short.npy", "--observed", "10", "--out", "o.csv"],
    }
    for case, argv in cases.items():
        result = run_subprocess(tmp_path, *argv)
        assert result.returncode == 2, (case, result.stderr)
        assert "Traceback" not in result.stderr, case
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (case, result.stderr)
    assert digest(tmp_path) == before
