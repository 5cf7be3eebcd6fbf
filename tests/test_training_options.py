"""Seq2SeqEmbedder's validation_fraction and warm_start; versioned pickles."""

import pickle
import warnings

import joblib
import numpy as np
import pytest
import torch
from sklearn.base import clone
from skorch.callbacks import Checkpoint, EarlyStopping

import skseq2seq
from skseq2seq import Seq2SeqClusterer, Seq2SeqEmbedder, TemporalSegmenter
from skseq2seq._net import SequenceBatches
from skseq2seq.datasets import make_motion_sequences


def small(**params):
    defaults = dict(hidden_size=8, max_epochs=2, batch_size=16, random_state=0)
    return Seq2SeqEmbedder(**{**defaults, **params})


@pytest.fixture(scope="module")
def X():
    return make_motion_sequences(n_sequences=40, n_timesteps=12, n_features=3, random_state=0)[0]


# -- validation_fraction ---------------------------------------------------


def test_subset_of_sequence_batches_is_indexed_by_lists():
    # skorch's ValidSplit hands the net torch Subsets of the dataset.
    data = torch.arange(5 * 4 * 2, dtype=torch.float32).reshape(5, 4, 2)
    dataset = SequenceBatches(data, torch.tensor([4, 2, 3, 4, 1]))
    subset = torch.utils.data.Subset(dataset, np.array([4, 1, 2]))
    batch, lengths = subset.__getitems__([1, 2])  # positions in the subset: rows 1 and 2
    assert lengths.tolist() == [2, 3]
    assert torch.equal(batch["X"], data[[1, 2], :3])
    assert torch.equal(subset[[0, 1]][1], torch.tensor([1, 2]))


def test_validation_fraction_records_valid_loss_on_held_out_sequences(X):
    embedder = small(validation_fraction=0.25).fit(X)
    row = embedder.history_[-1]
    assert np.isfinite(row["valid_loss"]) and row["valid_batch_count"] == 1
    assert embedder.history_[-1, "batches", -1]["valid_batch_size"] == 10  # 25% of 40
    assert "valid_loss" not in small().fit(X).history_[-1]  # none by default


def test_validation_split_is_repeatable_and_keeps_the_default_weights(X):
    a = small(validation_fraction=0.25).fit(X)
    b = small(validation_fraction=0.25).fit(X)
    assert a.history_[:, "valid_loss"] == b.history_[:, "valid_loss"]
    np.testing.assert_array_equal(a.transform(X), b.transform(X))
    # The split's seed is drawn after the weights' seed: same initial weights.
    init = small(max_epochs=0).fit(X)
    init_split = small(max_epochs=0, validation_fraction=0.5).fit(X)
    for p, q in zip(init.module_.parameters(), init_split.module_.parameters()):
        assert torch.equal(p, q)


def test_early_stopping_and_checkpoint_work_with_their_defaults(X, tmp_path):
    # A high learning rate on a tiny problem: the validation loss soon stops improving.
    embedder = small(
        hidden_size=4,
        lr=0.1,
        max_epochs=200,
        validation_fraction=0.25,
        callbacks=[EarlyStopping(), Checkpoint(dirname=str(tmp_path))],
    ).fit(X)
    assert embedder.n_epochs_ < 200
    assert not embedder.interrupted_  # stopped by a callback, not Ctrl-C
    assert (tmp_path / "params.pt").exists()
    assert any(embedder.history_[:, "event_cp"])


def test_clusterer_passes_validation_fraction_to_its_embedder(X):
    clusterer = Seq2SeqClusterer(n_clusters=2, embedder=small(max_epochs=1), random_state=0)
    clusterer.set_params(embedder__validation_fraction=0.25).fit(X)
    assert "valid_loss" in clusterer.embedder_.history_[-1]
    assert len(clusterer.labels_) == len(X)  # every sequence is clustered


@pytest.mark.parametrize("fraction", [0.0, 1.0, 1.5])
def test_validation_fraction_out_of_range_raises(X, fraction):
    with pytest.raises(ValueError, match="validation_fraction"):
        small(validation_fraction=fraction).fit(X)


def test_validation_fraction_needs_two_sequences(X):
    with pytest.raises(ValueError, match="at least 2 sequences"):
        small(validation_fraction=0.5).fit(X[:1])


# -- warm_start --------------------------------------------------------------


def test_warm_start_continues_training(X):
    embedder = small(max_epochs=2, warm_start=True).fit(X)
    first = embedder.history_[:, "train_loss"]
    scaler = embedder.scaler_
    embedder.fit(X)
    losses = embedder.history_[:, "train_loss"]
    assert embedder.n_epochs_ == 4 and losses[:2] == first
    # The second fit starts where the first ended, not from a fresh net.
    assert abs(losses[2] - first[-1]) < abs(first[0] - first[-1])
    assert embedder.scaler_ is scaler
    # A cold fit starts over.
    cold = embedder.set_params(warm_start=False).fit(X)
    assert cold.n_epochs_ == 2 and cold.history_[:, "train_loss"] == first


def test_warm_start_on_new_data_keeps_the_first_standardisation(X):
    embedder = small(warm_start=True).fit(X)
    mean = embedder.scaler_.mean_.copy()
    embedder.fit(X[:20] * 2.0 + 1.0)
    np.testing.assert_array_equal(embedder.scaler_.mean_, mean)
    assert embedder.n_epochs_ == 4


def test_warm_start_with_other_channels_raises(X):
    embedder = small(warm_start=True).fit(X)
    with pytest.raises(ValueError, match="reads 3 channels per time step; X has 2"):
        embedder.fit(X[:, :, :2])
    assert embedder.n_epochs_ == 2  # nothing trained


# -- persistence ---------------------------------------------------------------


def test_joblib_round_trip_gives_identical_results(X, tmp_path):
    embedder = small().fit(X)
    clusterer = Seq2SeqClusterer(n_clusters=2, embedder=small(), random_state=0).fit(X)
    joblib.dump((embedder, clusterer), tmp_path / "models.joblib")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # same versions: no warning
        loaded, loaded_clusterer = joblib.load(tmp_path / "models.joblib")
    np.testing.assert_array_equal(loaded.transform(X), embedder.transform(X))
    np.testing.assert_array_equal(loaded_clusterer.predict(X), clusterer.predict(X))
    assert "_pickled_versions" not in vars(loaded)


@pytest.mark.parametrize(
    "estimator",
    [Seq2SeqEmbedder(), Seq2SeqClusterer(), TemporalSegmenter()],
    ids=lambda e: type(e).__name__,
)
def test_unpickling_under_other_versions_warns(estimator, monkeypatch):
    monkeypatch.setattr(skseq2seq, "__version__", "0.0.1")
    monkeypatch.setattr(torch, "__version__", "1.0.0+cu999")
    blob = pickle.dumps(estimator)
    monkeypatch.undo()
    expected = (
        f"{type(estimator).__name__} made with skseq2seq 0.0.1 and torch 1.0.0 under "
        f"skseq2seq {skseq2seq.__version__} and torch {torch.__version__.split('+')[0]}"
    )
    with pytest.warns(UserWarning, match=expected):
        pickle.loads(blob)


def test_cpu_and_cuda_builds_of_one_torch_version_do_not_warn(monkeypatch):
    # Only the local part of torch's version differs: the CPU<->CUDA use case.
    monkeypatch.setattr(torch, "__version__", torch.__version__.split("+")[0] + "+cu999")
    blob = pickle.dumps(Seq2SeqEmbedder())
    monkeypatch.undo()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pickle.loads(blob)


def test_skorch_save_params_restore_into_a_zero_epoch_fit(X, tmp_path):
    # The user guide's recipe: skorch saves the weights, not the standardisation.
    embedder = small().fit(X)
    embedder.net_.save_params(f_params=tmp_path / "w.pt", f_history=tmp_path / "h.json")
    restored = clone(embedder).set_params(max_epochs=0).fit(X)
    restored.net_.load_params(f_params=tmp_path / "w.pt", f_history=tmp_path / "h.json")
    np.testing.assert_array_equal(restored.transform(X), embedder.transform(X))
    assert len(restored.history_) == 2
