"""The demo command: metrics table and embedding plot (with a small net)."""

import functools

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


def test_demo_on_cmu_action_folders(cmu_data_home, tmp_path, monkeypatch, capsys):
    use_small_net(monkeypatch)
    assert cli.main(["demo", "--data", str(cmu_data_home / "cmu_mocap" / "actions"), "--output", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "3237 sequences of 50 steps x 117 channels, 7 true classes" in out
    assert (tmp_path / "embedding.png").exists()
