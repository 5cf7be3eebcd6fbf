"""objective="contrastive" and skseq2seq.augmentations (small data: seconds)."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score

from skseq2seq import ContrastiveModule, Seq2SeqClusterer, Seq2SeqEmbedder
from skseq2seq._contrastive import NTXentLoss
from skseq2seq.augmentations import (
    ChannelScale,
    Compose,
    CropResize,
    Jitter,
    TimeMask,
    default_augmentation,
)
from skseq2seq.datasets import make_motion_sequences


@pytest.fixture(scope="module")
def sequences():
    return make_motion_sequences(n_sequences=90, n_timesteps=24, n_regimes=3, random_state=0)


def small(**params):
    return Seq2SeqEmbedder(
        objective="contrastive", hidden_size=12, max_epochs=4, random_state=0, **params
    )


@pytest.mark.parametrize(
    "augmentation",
    [CropResize(), ChannelScale(), Jitter(), TimeMask(p=1.0), default_augmentation()],
)
def test_augmentations_keep_shape_padding_and_repeat(augmentation):
    X = torch.randn(6, 20, 3)
    lengths = torch.tensor([20, 20, 15, 10, 5, 2])
    X = X * (torch.arange(20)[None, :, None] < lengths[:, None, None])
    views = [augmentation(X, lengths, torch.Generator().manual_seed(1)) for _ in range(2)]
    assert views[0].shape == X.shape and torch.isfinite(views[0]).all()
    torch.testing.assert_close(views[0], views[1])  # the generator decides
    for row, n in enumerate(lengths.tolist()):
        assert (views[0][row, n:] == 0).all()  # padding stays zero
    assert not torch.equal(views[0], X)


def test_crop_resize_full_scale_is_the_identity():
    X = torch.randn(3, 12, 2)
    view = CropResize(scale=(1.0, 1.0))(X, torch.full((3,), 12), torch.Generator())
    torch.testing.assert_close(view, X)


def test_compose_and_repr():
    augment = Compose([Jitter(0.0), ChannelScale(2.0, 2.0)])
    X = torch.ones(1, 4, 2)
    torch.testing.assert_close(augment(X, torch.tensor([4]), torch.Generator()), 2 * X)
    assert repr(CropResize()) == "CropResize(scale=(0.6, 1.0))"
    assert (
        clone(small(module__augmentation=CropResize())).get_params()["module__augmentation"]
        == CropResize()
    )


def test_augmentation_bad_parameters():
    X, lengths, g = torch.zeros(2, 5, 1), torch.tensor([5, 5]), torch.Generator()
    with pytest.raises(ValueError, match=r"CropResize's scale must lie in \(0, 1\]"):
        CropResize(scale=(0.5, 1.5))(X, lengths, g)
    with pytest.raises(ValueError, match="ChannelScale needs"):
        ChannelScale(1.2, 0.8)(X, lengths, g)
    with pytest.raises(ValueError, match="Jitter's std"):
        Jitter(-1)(X, lengths, g)
    with pytest.raises(ValueError, match="TimeMask's p"):
        TimeMask(p=2)(X, lengths, g)


def test_nt_xent_prefers_matching_views():
    z = torch.nn.functional.normalize(torch.randn(8, 4), dim=1) / 0.2**0.5
    matched = NTXentLoss()(z, z)
    shuffled = NTXentLoss()(z, z[torch.randperm(8, generator=torch.Generator().manual_seed(0))])
    assert matched < shuffled


def test_contrastive_embedder_trains_repeatably_and_clusters(sequences):
    X, y = sequences
    embedder = small(embedding="both").fit(X)
    E = embedder.transform(X)
    assert E.shape == (90, 24) and np.isfinite(E).all()
    assert isinstance(embedder.module_, ContrastiveModule)
    np.testing.assert_array_equal(E, small(embedding="both").fit_transform(X))
    assert embedder.transform_states(X).shape == (90, 24, 12)  # the encoder's steps
    losses = embedder.history_[:, "train_loss"]
    assert np.isfinite(losses).all()
    clusterer = Seq2SeqClusterer(3, embedder=small(embedding="both"), random_state=0).fit(X)
    assert adjusted_rand_score(y, clusterer.labels_) > 0.1  # a tiny net, 4 epochs
    pickle.loads(pickle.dumps(embedder)).transform(X[:3])


def test_contrastive_options_and_ragged_input(sequences):
    X, _ = sequences
    ragged = [x[: 12 + i % 12] for i, x in enumerate(X)]
    embedder = small(
        bidirectional_encoder=True,
        validation_fraction=0.2,
        module__temperature=0.5,
        module__projection_size=8,
        module__augmentation=Compose([CropResize((0.8, 1.0)), Jitter(0.05)]),
    ).fit(ragged)
    assert embedder.transform(ragged).shape == (90, 24)  # both directions' states, pooled
    assert "valid_loss" in embedder.history_[-1]
    untrained = small().set_params(max_epochs=0).fit(X)
    assert untrained.n_epochs_ == 0 and untrained.transform(X).shape == (90, 12)


def test_contrastive_bad_input(sequences):
    X, _ = sequences
    embedder = small().fit(X)
    with pytest.raises(ValueError, match="trains no decoder"):
        embedder.forecast(X)
    with pytest.raises(ValueError, match="trains no decoder"):
        embedder.score_samples(X)
    with pytest.raises(ValueError, match="module__temperature must be > 0"):
        small(module__temperature=0).fit(X)
    with pytest.raises(ValueError, match="objective"):
        Seq2SeqEmbedder(objective="contrast").fit(X)
