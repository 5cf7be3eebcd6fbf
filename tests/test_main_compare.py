"""The ``compare`` command: methods side by side on the windows of motion files."""

import numpy as np
import pytest
from test_main import SMALL, command_error, no_fitting, read_csv, write_recordings  # noqa: F401

from skseq2seq import _compare
from skseq2seq.__main__ import main

HEADER = ["estimator", "ari_mean", "ari_sd", "nmi_mean", "nmi_sd", "accuracy_mean"]


def test_compare_prints_writes_and_plots_the_table(tmp_path, capsys):
    write_recordings(tmp_path / "data")  # action0/take0.csv (40 frames), action1/take1.csv (30)
    out, plot = tmp_path / "out" / "table.csv", tmp_path / "table.png"
    argv = ["compare", str(tmp_path / "data"), "--window", "10", "--stride", "5"]
    assert main([*argv, "--out", str(out), "--plot", str(plot), *SMALL]) == 0
    printed, err = capsys.readouterr()
    assert "12 windows of 10 frames x 3 channels from 2 file(s), 2 labels (parent)" in printed
    # Each label is one recording: the scores tell recordings apart, which is said.
    assert "every label's windows come from a single recording" in err
    rows = read_csv(out)
    assert rows[0][:6] == HEADER and rows[0][-1] == "n_runs"
    names = [row[0] for row in rows[1:]]
    assert names[:4] == ["Seq2SeqClusterer", "MeanStdKMeans", "MeanStdWard", "PCAKMeans"]
    for name in names:  # one printed line per method
        assert any(line.startswith(name + " ") for line in printed.splitlines())
    assert printed.splitlines()[1].split()[:5] == ["estimator", "ari", "nmi", "accuracy", "fit"]
    assert all(-1 <= float(row[1]) <= 1 for row in rows[1:])
    import matplotlib.image

    assert matplotlib.image.imread(plot).std() > 0


def test_compare_without_labels_gives_internal_scores_over_seeds(tmp_path, capsys):
    first, second = write_recordings(tmp_path / "data")
    out = tmp_path / "table.csv"
    argv = ["compare", str(first), str(second), "--labels-from", "none", "--n-clusters", "2"]
    argv += ["--window", "10", "--stride", "5", "--n-seeds", "2", "--out", str(out), *SMALL]
    assert main(argv) == 0
    rows = read_csv(out)
    assert rows[0][1:5] == ["silhouette_mean", "silhouette_sd", "calinski_harabasz_mean",
                            "calinski_harabasz_sd"]  # fmt: skip
    seq2seq = dict(zip(rows[0], rows[1]))
    assert seq2seq["n_runs"] == "2"
    assert "±" in capsys.readouterr().out  # mean ± sd over the seeds


@pytest.mark.usefixtures("no_fitting")
def test_compare_user_errors(tmp_path, capsys):
    first, second = write_recordings(tmp_path / "data")
    base = ["compare", str(first), str(second), "--window", "10", "--stride", "5"]
    line = command_error(capsys, "compare", str(first), "--window", "10")
    assert "--labels-from parent gives every window the label 'action0'" in line
    line = command_error(capsys, *base, "--labels-from", "none")
    assert line == "error: --n-clusters is required with --labels-from none (no labels to count)"
    with pytest.raises(SystemExit) as info:  # the library's check, after the data's summary
        main([*base, "--n-clusters", "13"])
    assert info.value.code == 2
    assert capsys.readouterr().err.endswith(
        "\nerror: n_clusters=13 is larger than the number of sequences (n_samples=12).\n"
    )
    line = command_error(capsys, *base, "--out", str(second))
    assert "would overwrite the input" in line
    line = command_error(capsys, *base, "--out", str(tmp_path))
    assert "--out" in line and "is a folder" in line
    line = command_error(capsys, *base, "--window", "41")
    assert "shorter than the 41-frame window" in line
    line = command_error(capsys, *base[:2], str(tmp_path / "missing"), *base[3:])
    assert line == f"error: No file or folder {tmp_path / 'missing'}"
    with pytest.raises(SystemExit) as info:  # argparse's own errors
        main([*base, "--n-clusters", "auto"])
    assert info.value.code == 2
    assert "expected a positive integer, got 'auto'" in capsys.readouterr().err


def test_compare_lists_the_baselines_it_skips(tmp_path, capsys, monkeypatch):
    real = _compare.find_spec
    monkeypatch.setattr(
        _compare, "find_spec", lambda name: None if name == "tslearn" else real(name)
    )
    first, second = write_recordings(tmp_path / "data")
    (tmp_path / "data" / "action0" / "again.csv").write_bytes(second.read_bytes())
    argv = ["compare", str(tmp_path / "data"), "--window", "10", "--stride", "5", *SMALL]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "Skipped DTWKMeans: needs tslearn: pip install tslearn" in out
    assert "DTWKMeans " not in out.split("Skipped")[0]
    assert "single recording" not in err  # action0 holds two recordings


@pytest.mark.slow
def test_compare_real_bvh_files(formats_dir, tmp_path, capsys):
    bvh = [str(formats_dir / "131_01.bvh"), str(formats_dir / "131_02.bvh")]
    out = tmp_path / "table.csv"
    argv = ["compare", *bvh, "--labels-from", "stem", "--window", "60", "--stride", "120"]
    assert main([*argv, "--out", str(out), *SMALL]) == 0
    # 994 frames: 8 windows of 60 every 120; 1247 frames: 10.
    assert "18 windows of 60 frames" in capsys.readouterr().out
    assert len(read_csv(out)) >= 5
    # The folder mixes an ASF/AMC skeleton with the BVH ones: other channels.
    line = command_error(capsys, "compare", str(formats_dir), "--labels-from", "stem")
    assert "channels" in line


@pytest.mark.slow
def test_compare_cmu_actions(cmu_data_home, tmp_path, capsys):
    out = tmp_path / "table.csv"
    argv = ["compare", str(cmu_data_home / "cmu_mocap" / "actions"), "--window", "60"]
    assert main([*argv, "--stride", "240", "--out", str(out), *SMALL]) == 0
    printed = capsys.readouterr().out
    assert "7 labels (parent), 7 clusters" in printed
    table = {row[0]: row for row in read_csv(out)[1:]}
    assert float(table["MeanStdWard"][1]) > 0.2  # the actions are far from random
    assert np.isfinite(float(table["Seq2SeqClusterer"][1]))
