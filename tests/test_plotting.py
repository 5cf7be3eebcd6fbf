"""skseq2seq.plotting: what the figures contain, and bad input."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from skseq2seq import Seq2SeqClusterer, Seq2SeqEmbedder
from skseq2seq.callbacks import EmbeddingQuality
from skseq2seq.datasets import make_motion_sequences
from skseq2seq.plotting import label_colors, plot_embedding, plot_training


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def data():
    return make_motion_sequences(
        n_sequences=30, n_timesteps=12, n_features=3, n_regimes=3, random_state=0
    )


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    monitor = EmbeddingQuality(X, y)
    return Seq2SeqEmbedder(hidden_size=6, max_epochs=3, random_state=0, callbacks=[monitor]).fit(X)


def _n_points(ax):
    return sum(len(c.get_offsets()) for c in ax.collections)


# -- plot_embedding -----------------------------------------------------------


def test_points_from_embedder_one_marker_per_state(fitted, data):
    X, y = data
    ax = plot_embedding(fitted, X, labels=y)
    n_steps = fitted.prediction_length_
    assert _n_points(ax) == len(X) * n_steps
    assert len(ax.collections) == 3  # one scatter per class
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["0", "1", "2"]
    assert ax.get_xlabel().startswith("PC1") and ax.get_ylabel().startswith("PC2")


def test_trajectories_one_line_per_sequence_with_names(fitted, data):
    X, y = data
    ax = plot_embedding(
        fitted, X, labels=y, kind="trajectories", label_names={0: "slow", 1: "mid", 2: "fast"}
    )
    assert len(ax.lines) == len(X)
    assert all(len(line.get_xdata()) == fitted.prediction_length_ for line in ax.lines)
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["fast", "mid", "slow"]
    assert _n_points(ax) == len(X)  # start markers


def test_3d_trajectories_and_clusterer(data):
    X, _ = data
    clusterer = Seq2SeqClusterer(
        n_clusters=3, embedder=Seq2SeqEmbedder(hidden_size=6, max_epochs=1), random_state=0
    ).fit(X)
    ax = plot_embedding(clusterer, X, labels=clusterer.labels_, dim=3, kind="trajectories")
    assert ax.name == "3d"
    assert len(ax.lines) == len(X)
    assert ax.get_zlabel().startswith("PC3")


def test_nan_steps_skipped_and_pooled_embedding():
    rng = np.random.RandomState(0)
    states = rng.normal(size=(4, 5, 6))
    states[0, 3:] = np.nan  # a shorter sequence
    ax = plot_embedding(states, kind="trajectories")
    assert [len(line.get_xdata()) for line in ax.lines] == [3, 5, 5, 5]
    assert ax.get_legend() is None
    ax = plot_embedding(states)
    assert _n_points(ax) == 18
    ax = plot_embedding(rng.normal(size=(7, 4)), labels=[0, 1] * 3 + [0])
    assert _n_points(ax) == 7


def test_draws_on_given_axes():
    fig, ax = plt.subplots()
    assert plot_embedding(np.random.RandomState(0).normal(size=(5, 3)), ax=ax) is ax


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"dim": 4}, "dim must be 2 or 3"),
        ({"kind": "lines"}, "kind must be"),
        ({"labels": [0, 1]}, "one label per sequence"),
    ],
)
def test_embedding_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_embedding(np.zeros((4, 3, 5)) + np.arange(5), **kwargs)


def test_embedding_bad_inputs(fitted, data):
    X, _ = data
    with pytest.raises(ValueError, match="X is required"):
        plot_embedding(fitted)
    with pytest.raises(ValueError, match="X is only used"):
        plot_embedding(np.zeros((3, 4)), X)
    with pytest.raises(ValueError, match="needs per-step states"):
        plot_embedding(np.zeros((3, 4)), kind="trajectories")
    with pytest.raises(ValueError, match="got 1D array"):
        plot_embedding(np.zeros(4))
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        plot_embedding(np.zeros((5, 2)), dim=3)
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="3D axes"):
        plot_embedding(np.random.RandomState(0).normal(size=(5, 4)), dim=3, ax=ax)


# -- plot_training ------------------------------------------------------------


def test_training_panels_from_embedder(fitted):
    axes = plot_training(fitted)
    # loss + ari, calinski_harabasz, nmi, silhouette
    assert len(axes) == 5
    assert [ax.lines[0].get_label() for ax in axes] == [
        "train_loss",
        "ari",
        "calinski_harabasz",
        "nmi",
        "silhouette",
    ]
    for ax in axes:
        assert list(ax.lines[0].get_xdata()) == [1, 2, 3]
    loss = fitted.history_[:, "train_loss"]
    np.testing.assert_allclose(axes[0].lines[0].get_ydata(), loss)
    assert axes[-1].get_xlabel() == "epoch"
    assert "best: epoch" in axes[0].get_title()


def test_training_skips_unmonitored_epochs_and_selects_metrics():
    history = [
        {"epoch": 1, "train_loss": 3.0, "valid_silhouette": None},
        {"epoch": 2, "train_loss": 2.0, "valid_silhouette": 0.5},
        {"epoch": 3, "train_loss": 1.0, "valid_silhouette": None},
        {"epoch": 4, "train_loss": 0.5, "valid_silhouette": 0.3},
    ]
    axes = plot_training(history)
    assert len(axes) == 2
    assert list(axes[1].lines[0].get_xdata()) == [2, 4]
    assert "best: epoch 2" in axes[1].get_title()
    assert "best: epoch 4" in axes[0].get_title()
    fig, given = plt.subplots(1, 1)
    assert list(plot_training(history, metrics=[], axes=[given])) == [given]


def test_training_bad_inputs():
    with pytest.raises(ValueError, match="non-empty"):
        plot_training([])
    with pytest.raises(ValueError, match="no 'train_loss'"):
        plot_training([{"epoch": 1, "valid_loss": 1.0}])
    with pytest.raises(ValueError, match=r"not in history"):
        plot_training([{"epoch": 1, "train_loss": 1.0}], metrics=["silhouette"])
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="must hold 2 axes"):
        plot_training([{"epoch": 1, "train_loss": 1.0, "nmi": 0.1}], axes=[ax])


def test_style_keywords_override_label_colours():
    states = np.random.RandomState(0).normal(size=(4, 5, 6))
    ax = plot_embedding(states, labels=[0, 0, 1, 1], kind="trajectories", color="red", linewidth=2)
    assert {line.get_color() for line in ax.lines} == {"red"}
    assert {line.get_linewidth() for line in ax.lines} == {2}
    ax = plot_embedding(states[:, 0], labels=[0, 0, 1, 1], color="blue", s=30)
    assert all(list(c.get_sizes()) == [30] for c in ax.collections)


# -- colours shared across panels ----------------------------------------------


def test_label_colors_distinct_up_to_ten_and_sorted():
    colors = label_colors([3, 1, 2, 1] + list(range(4, 11)))
    assert list(colors) == list(range(1, 11))
    assert len(set(colors.values())) == 10
    assert label_colors(["b", "a"], cmap="viridis")["a"] != label_colors(["b", "a"])["a"]


def test_same_label_same_colour_in_timeline_and_embedding():
    from matplotlib.colors import to_rgba

    from skseq2seq.plotting import plot_segmentation

    y = np.repeat([0, 1, 2], 10)
    fig, (top, bottom) = plt.subplots(2, 1)
    plot_segmentation(y, np.repeat([2, 0, 1], 10), ax=top)
    plot_embedding(np.random.RandomState(0).normal(size=(30, 4)), labels=y, ax=bottom)
    true_bars = [tuple(c) for c in top.collections[0].get_facecolors()]  # one per run: 0, 1, 2
    pred_bars = [tuple(c) for c in top.collections[1].get_facecolors()]  # matched: 0, 1, 2
    points = [tuple(c.get_facecolors()[0]) for c in bottom.collections]  # one scatter per label
    assert true_bars == points == pred_bars
    assert len(set(points)) == 3

    # A panel that lacks a label keeps the others' colours when given colors=.
    colors = label_colors(y)
    ax = plot_embedding(np.random.RandomState(0).normal(size=(20, 4)), labels=y[10:], colors=colors)
    assert [tuple(c.get_facecolors()[0]) for c in ax.collections] == [
        to_rgba(colors[1]),
        to_rgba(colors[2]),
    ]
    ax = plot_segmentation(y, colors={0: "red", 1: "green", 2: "blue"})
    assert [tuple(c) for c in ax.collections[0].get_facecolors()] == [
        to_rgba(name) for name in ("red", "green", "blue")
    ]
    with pytest.raises(ValueError, match="no colour for label"):
        plot_embedding(np.eye(3, 4), labels=[0, 1, 5], colors={0: "r", 1: "g"})


def test_training_integer_epochs_and_readable_log_loss():
    history = [
        {"epoch": e, "train_loss": loss, "silhouette": 0.1 * e}
        for e, loss in enumerate([5.0, 0.3, 0.2, 0.15], start=1)
    ]
    axes = plot_training(history)
    assert axes[0].get_yscale() == "log"  # the losses span more than a factor of 10
    axes[0].figure.canvas.draw()
    low, high = axes[0].get_ylim()
    labels = [
        t.get_text()
        for t in axes[0].get_yticklabels()
        if t.get_text() and low <= t.get_position()[1] <= high
    ]
    assert labels == ["0.3", "1", "3"]  # a few plain numbers, not 10^x
    for ax in axes:
        ticks = ax.xaxis.get_major_locator()()
        assert np.allclose(ticks, np.round(ticks))
    assert plot_training(history, loss_scale="linear")[0].get_yscale() == "linear"
    flat = [{"epoch": 1, "train_loss": 1.0}, {"epoch": 2, "train_loss": 0.5}]
    assert plot_training(flat)[0].get_yscale() == "linear"
    with pytest.raises(ValueError, match="loss_scale"):
        plot_training(flat, loss_scale="symlog")


def test_segmentation_legend_names_integer_labels_by_value():
    from skseq2seq.plotting import plot_segmentation

    ax = plot_segmentation(np.repeat([0, 3], 5), label_names=["a", "b", "c", "d"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "d"]
    ax = plot_segmentation(np.repeat(["x", "y"], 5), label_names=["first", "second"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["first", "second"]


@pytest.mark.parametrize(
    "labels, kwargs, match",
    [
        ([[0, 1], [1, 0]], {}, "flat sequence of label values"),
        ([[0, 1], [1]], {}, "flat sequence of label values"),
        ([0, 1], {"cmap": "no-such-map"}, "no-such-map"),
    ],
)
def test_label_colors_bad_input(labels, kwargs, match):
    with pytest.raises(ValueError, match=match):
        label_colors(labels, **kwargs)


def test_clusterer_without_a_network_has_no_states_or_history(data):
    X, _ = data
    model = Seq2SeqClusterer(3, features="statistics", random_state=0).fit(X)
    with pytest.raises(ValueError, match="trained no network"):
        plot_embedding(model, X)
    with pytest.raises(ValueError, match="trained no network"):
        plot_training(model)
    plot_embedding(model.embedding_, labels=model.labels_)  # the features it clustered
