"""skseq2seq.callbacks.EmbeddingQuality."""

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, silhouette_score

from skseq2seq import Seq2SeqEmbedder
from skseq2seq._net import Seq2SeqNet, SequenceBatches
from skseq2seq._network import MaskedMSELoss, Seq2SeqModule
from skseq2seq.callbacks import EmbeddingQuality
from skseq2seq.datasets import make_motion_sequences


@pytest.fixture(scope="module")
def data():
    return make_motion_sequences(
        n_sequences=40, n_timesteps=12, n_features=3, n_regimes=2, random_state=0
    )


def _fit(X, callback, max_epochs=4, **kwargs):
    return Seq2SeqEmbedder(
        hidden_size=6, max_epochs=max_epochs, random_state=0, callbacks=[callback], **kwargs
    ).fit(X)


def test_records_scores_every_epoch(data):
    X, y = data
    monitor = EmbeddingQuality(X, y)
    history = _fit(X, monitor).history_
    for key in ("silhouette", "calinski_harabasz", "ari", "nmi"):
        values = history[:, key]
        assert len(values) == 4 and all(np.isfinite(values))
        assert len(history[:, key + "_best"]) == 4
    assert all(-1 <= v <= 1 for v in history[:, "silhouette"])
    assert all(0 <= v <= 1 for v in history[:, "nmi"])
    assert history[0, "silhouette_best"] is True
    assert [s["epoch"] for s in monitor.scores_] == [1, 2, 3, 4]


def test_every_leaves_gaps_but_scores_last_epoch(data):
    X, _ = data
    monitor = EmbeddingQuality(X, n_clusters=2, every=2, metrics=["davies_bouldin"])
    history = _fit(X, monitor, max_epochs=5).history_
    values = history[:, "davies_bouldin"]
    assert [v is None for v in values] == [True, False, True, False, False]
    assert "silhouette" not in history[-1]


def test_warm_started_fit_scores_its_last_epoch(data):
    X, _ = data
    monitor = EmbeddingQuality(X, n_clusters=2, every=2, metrics=["davies_bouldin"])
    embedder = _fit(X, monitor, max_epochs=3, warm_start=True)
    embedder.fit(X)  # three more epochs, history continues at epoch 4
    values = embedder.history_[:, "davies_bouldin"]
    assert len(values) == 6
    # each fit: its second epoch and its last
    assert [v is not None for v in values] == [False, True, True, False, True, True]


def test_scores_match_the_embedding(data):
    """The score recorded at the last epoch is exactly the one of embedder.transform."""
    X, _ = data
    monitor = EmbeddingQuality(X, n_clusters=2, metrics="silhouette", random_state=3)
    embedder = _fit(X, monitor)
    embedding = embedder.transform(X).astype(np.float64)
    labels = KMeans(n_clusters=2, n_init=4, random_state=3).fit_predict(embedding)
    assert embedder.history_[-1, "silhouette"] == silhouette_score(embedding, labels)


def test_scores_match_transform_on_many_mixed_length_sequences():
    """More sequences than one inference batch, of mixed lengths: still transform's embedding."""
    X, _ = make_motion_sequences(n_sequences=300, n_timesteps=16, n_features=3, random_state=1)
    X = [x[: 10 + i % 7] for i, x in enumerate(X)]
    monitor = EmbeddingQuality(X, n_clusters=3, metrics="calinski_harabasz", random_state=0)
    embedder = _fit(X, monitor, max_epochs=1, prediction_length=4)
    embedding = embedder.transform(X).astype(np.float64)
    labels = KMeans(n_clusters=3, n_init=4, random_state=0).fit_predict(embedding)
    assert embedder.history_[-1, "calinski_harabasz"] == calinski_harabasz_score(embedding, labels)


def test_default_monitor_is_training_data(data):
    X, _ = data
    on_train = _fit(X, EmbeddingQuality(n_clusters=2)).history_
    explicit = _fit(X, EmbeddingQuality(X, n_clusters=2)).history_
    assert on_train[:, "silhouette"] == explicit[:, "silhouette"]


def test_does_not_change_training(data):
    X, y = data
    plain = Seq2SeqEmbedder(hidden_size=6, max_epochs=3, random_state=0).fit(X)
    watched = _fit(X, EmbeddingQuality(X, y), max_epochs=3)
    np.testing.assert_allclose(plain.history_[:, "train_loss"], watched.history_[:, "train_loss"])
    np.testing.assert_array_equal(plain.transform(X), watched.transform(X))


def test_keep_best_restores_best_epoch(data):
    X, y = data
    monitor = EmbeddingQuality(X, y, keep_best="silhouette")
    embedder = _fit(X, monitor, max_epochs=5)
    scores = embedder.history_[:, "silhouette"]
    assert monitor.best_epoch_ == int(np.argmax(scores)) + 1
    assert monitor.best_score_ == max(scores)
    # the restored weights are those reached after best_epoch_ epochs
    reference = Seq2SeqEmbedder(hidden_size=6, max_epochs=monitor.best_epoch_, random_state=0).fit(
        X
    )
    state = embedder.module_.state_dict()
    for name, value in reference.module_.state_dict().items():
        torch.testing.assert_close(state[name], value, rtol=0, atol=0)
    assert monitor.checkpoint_dir_ is None  # the temporary checkpoint is gone
    # the restored module gives the best epoch's score again
    embedding = embedder.transform(X).astype(np.float64)
    labels = KMeans(n_clusters=2, n_init=4, random_state=0).fit_predict(embedding)
    assert silhouette_score(embedding, labels) == monitor.best_score_


def test_verbose_table_shows_scores(data, capsys):
    X, y = data
    _fit(X, EmbeddingQuality(X, y, metrics=["silhouette", "nmi"]), max_epochs=2, verbose=1)
    header = [line for line in capsys.readouterr().out.splitlines() if "train_loss" in line]
    assert header and "silhouette" in header[0] and "nmi" in header[0]


def test_prefix_and_clone(data):
    X, y = data
    monitor = EmbeddingQuality(X, y, prefix="valid_", metrics=["ari"])
    embedder = Seq2SeqEmbedder(hidden_size=6, max_epochs=2, callbacks=[monitor])
    cloned = clone(embedder).callbacks[0]
    assert cloned is not monitor and cloned.get_params()["prefix"] == "valid_"
    history = embedder.fit(X).history_
    assert len(history[:, "valid_ari"]) == 2


def test_plain_skorch_net_without_embedder(data):
    X, _ = data
    tensor = torch.as_tensor(X, dtype=torch.float32)
    dataset = SequenceBatches(tensor, torch.full((len(X),), X.shape[1]))
    net = Seq2SeqNet(
        Seq2SeqModule,
        module__n_features=3,
        module__hidden_size=5,
        module__prediction_length=4,
        criterion=MaskedMSELoss,
        max_epochs=2,
        train_split=None,
        verbose=0,
        callbacks=[EmbeddingQuality(n_clusters=2)],
    ).fit(dataset, None)
    assert len(net.history[:, "silhouette"]) == 2
    with pytest.raises(ValueError, match="needs the SequenceBatches dataset"):
        net.set_params(callbacks=[EmbeddingQuality(n_clusters=2)])
        net.fit(tensor, None)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"metrics": ["accuracy"]}, r"Unknown metric\(s\) \['accuracy'\]"),
        ({"metrics": []}, "at least one"),
        ({"metrics": ["nmi"], "n_clusters": 2}, "pass y_monitor"),
        ({"keep_best": "nmi", "n_clusters": 2}, "keep_best='nmi' must be one of"),
        ({}, "n_clusters is required"),
        ({"n_clusters": 1}, "n_clusters must be an integer >= 2"),
        ({"n_clusters": 2, "every": 0}, "every must be a positive integer"),
        ({"n_clusters": 50, "use_X": True}, "need more than n_clusters=50"),
        ({"y_monitor": [0, 1, 0], "use_X": True}, "3 labels for 40 monitor sequences"),
        ({"y_monitor": np.zeros((40, 2)), "use_X": True}, "y_monitor must be 1D"),
    ],
)
def test_bad_parameters(data, kwargs, message):
    X, _ = data
    kwargs = dict(kwargs)
    if kwargs.pop("use_X", False):
        kwargs["X_monitor"] = X
    with pytest.raises(ValueError, match=message):
        _fit(X, EmbeddingQuality(**kwargs), max_epochs=1)


def test_monitor_set_with_wrong_channels(data):
    X, _ = data
    with pytest.raises(ValueError, match="features"):
        _fit(X, EmbeddingQuality(X[..., :2], n_clusters=2), max_epochs=1)


def test_monitors_a_contrastive_embedder(data):
    """The monitor set is checked as transform checks it (no decoder length rule copied)."""
    X, y = data
    embedder = _fit(X, EmbeddingQuality(X, y, metrics="nmi"), max_epochs=1, objective="contrastive")
    assert embedder.history_[-1, "nmi"] is not None
