"""Canonical cluster numbering: every estimator numbers clusters by first appearance.

Which number a solver gives a cluster is arbitrary and can differ between
machines (an eigen-solver's signs, a random initialisation): no result may
depend on it.
"""

import numpy as np
import pytest

from skseq2seq import EmbeddingClusterer, Seq2SeqClusterer, Seq2SeqEmbedder, TemporalSegmenter
from skseq2seq._numbering import canonical_numbering, renumber, renumber_rows
from skseq2seq.baselines import (
    GaussianHMMSegmenter,
    MeanStdKMeans,
    MeanStdWard,
    PCAKMeans,
    WindowStatsSegmenter,
)
from skseq2seq.datasets import make_motion_sequences


def _assert_first_appearance(labels):
    labels = np.concatenate(labels) if isinstance(labels, list) else np.asarray(labels)
    numbers = np.unique(labels)
    firsts = [int(np.flatnonzero(labels == k)[0]) for k in numbers]
    assert labels[0] == 0 and numbers.tolist() == list(range(len(numbers)))
    assert firsts == sorted(firsts)


def test_canonical_numbering_helpers():
    numbering = canonical_numbering([2, 2, 0, 1, 0])
    assert renumber([2, 2, 0, 1, 0], numbering).tolist() == [0, 0, 1, 2, 1]
    # Unseen numbers follow the seen ones; noise (-1) and unknown numbers are kept.
    numbering = canonical_numbering([3, -1, 1], n_labels=4)
    assert renumber([3, 1, 0, 2, -1, 7], numbering).tolist() == [0, 1, 2, 3, -1, 7]
    centers = np.arange(4)[:, None] * 10.0
    assert renumber_rows(centers, numbering).ravel().tolist() == [30, 10, 0, 20]
    # Labels that are not integers are left alone.
    assert canonical_numbering(np.array([0.5, 1.5])) is None
    assert renumber(["a", "b"], None).tolist() == ["a", "b"]


@pytest.fixture(scope="module")
def sequences():
    return make_motion_sequences(n_sequences=45, n_timesteps=15, n_regimes=3, random_state=1)[0]


@pytest.mark.parametrize(
    "estimator",
    [
        MeanStdKMeans(3, random_state=0),
        MeanStdWard(3),
        PCAKMeans(3, random_state=0),
        Seq2SeqClusterer(3, embedder=Seq2SeqEmbedder(hidden_size=4, max_epochs=1), random_state=0),
    ],
    ids=lambda e: type(e).__name__,
)
def test_sequence_clusterers(estimator, sequences):
    labels = estimator.fit_predict(sequences)
    _assert_first_appearance(labels)
    if isinstance(estimator, (MeanStdKMeans, PCAKMeans)):  # k-means: predict gives labels_
        np.testing.assert_array_equal(estimator.predict(sequences), labels)


@pytest.mark.parametrize("clustering", ["spectral", "kmeans", "agglomerative"])
def test_embedding_clusterer(clustering):
    rng = np.random.RandomState(0)
    embedding = np.concatenate([rng.randn(15, 4) + 6 * rng.randn(4) for _ in range(3)])
    embedding = embedding[rng.permutation(len(embedding))]
    clusterer = EmbeddingClusterer(3, clustering=clustering, random_state=0).fit(embedding)
    _assert_first_appearance(clusterer.labels_)
    np.testing.assert_array_equal(clusterer.predict(embedding), clusterer.labels_)


def _two_actions(n=300, fps=30.0):
    t = np.arange(n) / fps
    slow = np.c_[np.sin(2 * np.pi * t), np.cos(2 * np.pi * t)]
    fast = np.c_[np.sin(6 * np.pi * t), -np.cos(6 * np.pi * t)]
    return np.where((t < t[n // 2])[:, None], fast, slow)


@pytest.mark.parametrize(
    "segmenter",
    [
        WindowStatsSegmenter(2, fps=30),
        WindowStatsSegmenter(2, fps=30, clustering="kmeans", random_state=0),
        GaussianHMMSegmenter(2, random_state=0),
        TemporalSegmenter(
            2,
            fps=30,
            working_fps=30,
            n_nets=1,
            embedder=Seq2SeqEmbedder(hidden_size=4, max_epochs=1),
            random_state=0,
        ),
    ],
    ids=lambda e: f"{type(e).__name__}({getattr(e, 'clustering', '')})",
)
def test_segmenters(segmenter):
    if isinstance(segmenter, GaussianHMMSegmenter):
        pytest.importorskip("hmmlearn")
    X = _two_actions()
    labels = segmenter.fit_predict([X, X[::-1]])
    _assert_first_appearance(labels)
    if hasattr(segmenter, "predict"):
        _assert_first_appearance(segmenter.predict(X))
