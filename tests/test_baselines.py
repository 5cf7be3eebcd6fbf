"""Tests of skseq2seq.baselines, compare and plot_comparison (small data: seconds)."""

import sys

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.linear_model import LinearRegression
from sklearn.preprocessing import StandardScaler

from skseq2seq import (
    EmbeddingClusterer,
    Seq2SeqClusterer,
    Seq2SeqEmbedder,
    compare,
    posture_statistics,
)
from skseq2seq._baselines import _resample
from skseq2seq._numbering import canonical_numbering, renumber, renumber_rows
from skseq2seq.baselines import (
    DTWKMeans,
    FrameStatsSegmenter,
    GaussianHMMSegmenter,
    MeanStdKMeans,
    MeanStdSpectral,
    MeanStdWard,
    PCAKMeans,
    WindowStatsSegmenter,
)
from skseq2seq.datasets import make_motion_sequences
from skseq2seq.metrics import clustering_accuracy


@pytest.fixture(scope="module")
def sequences():
    return make_motion_sequences(n_sequences=60, n_timesteps=20, n_regimes=3, random_state=0)


def two_regimes(n=300, fps=30, seed=0):
    """A recording that switches from a small slow to a large fast oscillation halfway: (X, y)."""
    rng = np.random.default_rng(seed)
    t = np.arange(2 * n) / fps
    slow = np.c_[np.sin(2 * np.pi * t), np.cos(2 * np.pi * t), np.zeros_like(t)]
    fast = 2 * np.c_[np.sin(6 * np.pi * t), -np.cos(6 * np.pi * t), np.ones_like(t)]
    X = np.where((np.arange(2 * n) < n)[:, None], slow, fast)
    return X + 0.2 * rng.standard_normal(X.shape), np.repeat([0, 1], n)


def ragged(X):
    return [x[: 10 + i % 10] for i, x in enumerate(X)]


# -- sequence clustering ------------------------------------------------------


def test_meanstd_kmeans_is_kmeans_on_posture_statistics(sequences):
    X, _ = sequences
    model = MeanStdKMeans(n_clusters=3, random_state=0).fit(X)
    expected = KMeans(3, n_init=10, random_state=0).fit(posture_statistics(X))
    numbering = canonical_numbering(expected.labels_)  # clusters by first appearance
    np.testing.assert_array_equal(model.labels_, renumber(expected.labels_, numbering))
    np.testing.assert_allclose(
        model.cluster_centers_, renumber_rows(expected.cluster_centers_, numbering)
    )
    np.testing.assert_array_equal(model.predict(X), model.labels_)


def test_meanstd_ward_and_its_features(sequences):
    X, y = sequences
    labels = MeanStdWard(n_clusters=3).fit_predict(X)
    assert labels.shape == (60,) and set(labels) == {0, 1, 2}
    assert not hasattr(MeanStdWard(), "predict")  # Ward assigns no new samples


def test_meanstd_spectral_is_the_spectral_stage_on_posture_statistics(sequences):
    X, y = sequences
    P = posture_statistics(X)
    for extra in (0, 2):
        model = MeanStdSpectral(n_clusters=3, n_extra_clusters=extra, random_state=0).fit(X)
        stage = EmbeddingClusterer(3, n_extra_clusters=extra, random_state=0)
        np.testing.assert_array_equal(model.labels_, stage.fit_predict(P, merge_features=P))
        assert model.n_groups_ == stage.n_groups_ and (extra or model.n_groups_ == 3)
        # predict: the nearest cluster centre, which spectral labels mostly agree with.
        assert (model.predict(X) == model.labels_).mean() > 0.9
    assert clustering_accuracy(y, model.labels_) > 0.5


def test_meanstd_spectral_bad_input(sequences):
    X, _ = sequences
    with pytest.raises(ValueError, match="needs more sequences than clusters"):
        MeanStdSpectral(n_clusters=60).fit(X)
    with pytest.raises(ValueError, match="n_extra_clusters"):
        MeanStdSpectral(n_extra_clusters=-1).fit(X)
    with pytest.raises(ValueError, match="4 features per time step"):
        MeanStdSpectral(n_clusters=3).fit(X).predict(X[:, :, :4])


def test_untrained_control_is_an_option(sequences):
    X, _ = sequences
    control = Seq2SeqClusterer(n_clusters=3, random_state=0).set_params(embedder__max_epochs=0)
    control.fit(X)
    assert control.embedder_.n_epochs_ == 0 and control.labels_.shape == (60,)


@pytest.mark.parametrize(
    "model",
    [
        MeanStdKMeans(n_clusters=3, random_state=0),
        MeanStdWard(n_clusters=3),
        MeanStdSpectral(n_clusters=3, random_state=0),
        PCAKMeans(n_clusters=3, random_state=0),
    ],
    ids=type,
)
def test_ragged_and_univariate_input(model, sequences):
    X, _ = sequences
    assert model.fit_predict(ragged(X)).shape == (60,)
    assert model.fit(X[:, :, 0]).n_features_in_ == 1


def test_resample_is_linear_interpolation():
    data = np.zeros((2, 4, 1))
    data[0, :3, 0] = [0.0, 2.0, 4.0]
    data[1, :, 0] = [0.0, 1.0, 2.0, 3.0]
    out = _resample(data, np.array([3, 4]), 5)[..., 0]
    np.testing.assert_allclose(out, [[0, 1, 2, 3, 4], [0, 0.75, 1.5, 2.25, 3]])
    same = _resample(data, np.array([4, 4]), 4)
    assert same is not None and np.shares_memory(same, data)  # equal lengths: no copy


def test_pca_kmeans(sequences):
    X, y = sequences
    model = PCAKMeans(n_clusters=3, random_state=0).fit(ragged(X))
    assert model.n_timesteps_ == 19
    assert model.cluster_centers_.shape == (3, model.n_components_)
    # predict resamples sequences of any length to n_timesteps_.
    assert model.predict(X).shape == (60,)
    flat = PCAKMeans(n_clusters=3, n_components=None, n_timesteps=5, random_state=0).fit(X)
    assert flat.n_components_ == 5 * X.shape[2]
    assert PCAKMeans(n_clusters=3, n_components=1000).fit(X).n_components_ == 60
    with pytest.raises(ValueError, match="4 features per time step"):
        model.predict(X[:, :, :4])


def test_errors(sequences):
    X, _ = sequences
    with pytest.raises(ValueError, match="n_samples=60 should be >= n_clusters=61"):
        MeanStdKMeans(n_clusters=61).fit(X)
    with pytest.raises(ValueError, match="n_components"):
        PCAKMeans(n_components=1.5).fit(X)
    with pytest.raises(ValueError, match="3D array"):
        MeanStdWard().fit(np.zeros((2, 3, 4, 5)))


def test_dtw_kmeans(sequences):
    pytest.importorskip("tslearn")
    X, y = sequences
    X = X[:30]
    model = DTWKMeans(n_clusters=3, downsample=2, random_state=0).fit(ragged(X))
    assert model.labels_.shape == (30,) and model.n_iter_ >= 1
    assert model.cluster_centers_.shape[2] == X.shape[2]
    subset = DTWKMeans(n_clusters=3, max_fit_samples=10, random_state=0).fit(X)
    np.testing.assert_array_equal(subset.labels_, subset.predict(X))
    with pytest.raises(ValueError, match="max_fit_samples=2 is smaller than n_clusters=3"):
        DTWKMeans(n_clusters=3, max_fit_samples=2).fit(X)


def test_missing_optional_dependency(monkeypatch, sequences):
    monkeypatch.setitem(sys.modules, "tslearn.clustering", None)
    monkeypatch.setitem(sys.modules, "hmmlearn.hmm", None)
    with pytest.raises(ImportError, match=r"skseq2seq\[baselines\]"):
        DTWKMeans(n_clusters=2).fit(sequences[0])
    with pytest.raises(ImportError, match=r"skseq2seq\[baselines\]"):
        GaussianHMMSegmenter(n_clusters=2).fit(two_regimes()[0])


# -- segmentation -------------------------------------------------------------


@pytest.mark.parametrize("clustering", ["ward", "kmeans"])
def test_window_stats_segmenter(clustering):
    X, y = two_regimes()
    seg = WindowStatsSegmenter(n_clusters=2, fps=30, clustering=clustering, random_state=0)
    labels = seg.fit_predict(X)
    assert clustering_accuracy(y, labels) > 0.95
    assert seg.window_ == 45 and seg.cluster_centers_.shape == (2, 6)


def test_window_stats_smoothing_is_temporal_segmenters():
    # One switch in the truth; the unsmoothed labels flicker near it.
    X, y = two_regimes(seed=1)
    X[::7] += 3.0  # spikes
    raw = WindowStatsSegmenter(n_clusters=2, fps=30, window_seconds=0.1, min_duration_seconds=0)
    n_raw = np.count_nonzero(np.diff(raw.fit_predict(X)))
    smoothed = WindowStatsSegmenter(n_clusters=2, fps=30, window_seconds=0.1)
    n_smooth = np.count_nonzero(np.diff(smoothed.fit_predict(X)))
    assert n_smooth < n_raw


def test_window_stats_list_of_recordings():
    (a, ya), (b, yb) = two_regimes(seed=0), two_regimes(n=200, seed=1)
    seg = WindowStatsSegmenter(n_clusters=2, fps=30, max_cluster_samples=100).fit([a, b])
    assert isinstance(seg.labels_, list) and [len(lab) for lab in seg.labels_] == [600, 400]
    assert clustering_accuracy(np.r_[ya, yb], np.concatenate(seg.labels_)) > 0.9
    with pytest.raises(ValueError, match="n_clusters=3 is larger than max_cluster_samples=2"):
        WindowStatsSegmenter(n_clusters=3, max_cluster_samples=2).fit(a)
    with pytest.raises(ValueError, match="number of frames"):
        WindowStatsSegmenter(n_clusters=3).fit(a[:2])


def test_frame_stats_segmenter_is_temporal_segmenter_without_a_net():
    (a, ya), (b, yb) = two_regimes(seed=0), two_regimes(n=200, seed=1)
    seg = FrameStatsSegmenter(n_clusters=2, fps=30, working_fps=30).fit([a, b])
    assert clustering_accuracy(np.r_[ya, yb], np.concatenate(seg.labels_)) > 0.9
    assert seg.segmenter_.embedder_ is None and seg.n_clusters_ == 2
    assert np.mean(seg.predict(a) == seg.labels_[0]) > 0.99
    assert FrameStatsSegmenter(n_clusters="auto", fps=30).fit(a).n_clusters_ >= 1
    with pytest.raises(ValueError, match="refine_seconds"):
        FrameStatsSegmenter(refine_seconds=-1).fit(a)
    with pytest.raises(ValueError, match="NaN"):
        FrameStatsSegmenter(n_clusters=2, fps=30).fit(np.where(a > 1, np.nan, a))
    with pytest.raises(ValueError, match="channels|features"):
        seg.predict(a[:, :2])


def test_gaussian_hmm_segmenter():
    pytest.importorskip("hmmlearn")
    X, y = two_regimes()
    seg = GaussianHMMSegmenter(n_clusters=2, n_components=2, downsample=3, random_state=0)
    labels = seg.fit_predict([X, X[:100]])
    assert [len(lab) for lab in labels] == [600, 100]
    assert clustering_accuracy(y, labels[0]) > 0.9
    assert seg.hmm_.transmat_.shape == (2, 2)


# -- compare -------------------------------------------------------------------
# Tables are DataFrames here (pandas is in the test extra); the structured
# array without pandas is tested below.


def small_clusterer():
    return Seq2SeqClusterer(embedder=Seq2SeqEmbedder(hidden_size=8, max_epochs=2))


def test_compare_with_labels(sequences, capsys):
    pytest.importorskip("pandas")
    X, y = sequences
    estimators = {"Seq2SeqClusterer": small_clusterer(), "DTWKMeans": "drop"}
    table = compare(X, y, estimators=estimators, n_seeds=2, random_state=0, verbose=True)
    names = list(table["estimator"])
    assert names == [
        "Seq2SeqClusterer",
        "MeanStdKMeans",
        "MeanStdWard",
        "PCAKMeans",
        "MeanStdSpectral",
        "MeanStdSpectral(no merge)",
        "Seq2SeqClusterer(untrained)",
    ]
    assert list(table["n_runs"]) == [2, 2, 1, 2, 2, 2, 2]  # Ward has no random_state: one run
    row = table[table["estimator"] == "MeanStdKMeans"].iloc[0]
    assert 0 <= row["ari_mean"] <= 1 and row["ari_sd"] >= 0 and row["fit_seconds_mean"] > 0
    assert table.loc[2, "ari_sd"] == 0.0  # one run
    # The printed lines: one per estimator and seed.
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 13 and lines[0].startswith("[compare] Seq2SeqClusterer (seed ")
    # Same random_state, same table (timings aside).
    again = compare(X, y, estimators=estimators, n_seeds=2, random_state=0)
    np.testing.assert_array_equal(again["ari_mean"], table["ari_mean"])


def test_compare_adds_and_drops_estimators(sequences):
    pytest.importorskip("pandas")
    X, y = sequences
    table = compare(
        X[:, :, 0],  # a plain sklearn clusterer reads univariate sequences as rows
        y,
        estimators={
            "Seq2SeqClusterer": "drop",
            "MeanStdWard": MeanStdKMeans(n_clusters=99),  # replaced; n_clusters set by compare
            "mine": KMeans(n_init=2),
        },
    )
    names = list(table["estimator"])
    assert names[:3] == ["MeanStdKMeans", "MeanStdWard", "PCAKMeans"] and names[-1] == "mine"
    assert table["n_runs"].iloc[1] == 1  # the replacement MeanStdKMeans, one seed
    with pytest.raises(ValueError, match="names no default estimator"):
        compare(X, y, estimators={"typo": "drop"})
    with pytest.raises(TypeError, match="clusterer instance"):
        compare(X, y, estimators={"class": MeanStdKMeans})


@pytest.mark.parametrize("estimator", [LinearRegression(), StandardScaler(), "kmeans"])
def test_compare_refuses_non_clusterers_before_fitting(sequences, estimator):
    """Failure class: an estimator that cannot cluster is refused before the others train."""
    X, y = sequences
    slow = Seq2SeqClusterer(embedder=Seq2SeqEmbedder(max_epochs=10**6))  # would never finish
    with pytest.raises(TypeError, match="clusterer instance"):
        compare(X, y, estimators={"Seq2SeqClusterer": slow, "bad": estimator})


def test_compare_one_sequence_one_cluster():
    """Failure class: n_clusters=1 on one sequence runs every estimator (one cluster, label 0)."""
    X = np.random.RandomState(0).rand(1, 6, 2)
    small = Seq2SeqClusterer(embedder=Seq2SeqEmbedder(hidden_size=4, max_epochs=1))
    table = compare(X, n_clusters=1, estimators={"Seq2SeqClusterer": small})
    assert len(table) >= 4
    with pytest.raises(ValueError, match="n_clusters=2 is larger than the number of sequences"):
        compare(X, n_clusters=2, estimators={"Seq2SeqClusterer": small})


def test_compare_without_labels(sequences):
    pytest.importorskip("pandas")
    X, y = sequences
    table = compare(X, n_clusters=3, estimators={"Seq2SeqClusterer": "drop"})
    assert {"silhouette_mean", "calinski_harabasz_sd"} <= set(table.columns)
    assert "ari_mean" not in table.columns
    assert (table["silhouette_mean"].between(-1, 1)).all()
    own = compare(
        X,
        n_clusters=3,
        estimators={"Seq2SeqClusterer": "drop", "DTWKMeans": "drop"},
        score_features=posture_statistics(X)[:, :3],
    )
    assert len(own) == 6
    with pytest.raises(ValueError, match="n_clusters is required"):
        compare(X)
    with pytest.raises(ValueError, match="score_features must have shape"):
        compare(X, n_clusters=3, score_features=np.zeros((5, 2)))
    with pytest.raises(ValueError, match="y has 5 entries for 60 sequences"):
        compare(X, y[:5])


def test_compare_segmentation():
    (a, ya), (b, yb) = two_regimes(seed=0), two_regimes(n=200, seed=1)
    table = compare(
        [a, b],
        [ya, yb],
        task="segment",
        fps=30,
        estimators={
            "TemporalSegmenter": "drop",
            "TemporalSegmenter(states+frames)": "drop",
            "GaussianHMMSegmenter": "drop",
        },
    )
    assert list(table["estimator"]) == [
        "WindowStatsSegmenter",
        "WindowStatsSegmenter(kmeans)",
        "FrameStatsSegmenter",
    ]
    assert (table["accuracy_mean"] > 0.9).all()
    flat = compare(
        [a, b],
        np.r_[ya, yb],
        task="segment",
        fps=30,
        estimators={
            "TemporalSegmenter": "drop",
            "TemporalSegmenter(states+frames)": "drop",
            "GaussianHMMSegmenter": "drop",
        },
    )
    np.testing.assert_array_equal(flat["ari_mean"], table["ari_mean"])
    with pytest.raises(ValueError, match=r"y\[1\] has 3 labels for the 400 frames"):
        compare([a, b], [ya, yb[:3]], task="segment")


def test_compare_structured_array_without_pandas(monkeypatch, sequences):
    import skseq2seq._compare as module

    monkeypatch.setattr(module, "find_spec", lambda name: None)  # neither pandas nor tslearn
    X, y = sequences
    table = compare(X, y, estimators={"Seq2SeqClusterer": "drop"})
    assert isinstance(table, np.ndarray) and table.dtype.names[:2] == ("estimator", "ari_mean")
    assert list(table["estimator"])[:3] == ["MeanStdKMeans", "MeanStdWard", "PCAKMeans"]
    assert table["n_runs"].tolist() == [1] * 6


def test_plot_comparison(sequences):
    import matplotlib.pyplot as plt

    from skseq2seq.plotting import plot_comparison

    X, y = sequences
    table = compare(X, y, estimators={"Seq2SeqClusterer": "drop", "DTWKMeans": "drop"})
    ax = plot_comparison(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(table["estimator"])
    assert len(ax.patches) == 6 * 3  # 6 estimators x (ARI, NMI, accuracy)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["ARI", "NMI", "accuracy"]
    ax = plot_comparison(table, metrics="fit_seconds")
    assert ax.get_legend() is None
    with pytest.raises(ValueError, match="not in the table"):
        plot_comparison(table, metrics=["silhouette"])
    with pytest.raises(TypeError, match="what skseq2seq.compare returns"):
        plot_comparison({"ari": 1})
    plt.close("all")


@pytest.mark.parametrize("estimator", [MeanStdKMeans(2, n_init=1), PCAKMeans(2, n_init=1)])
def test_values_near_the_float64_limit_give_finite_features(sequences, estimator):
    X = sequences[0][:20].copy()
    X[..., 0] *= 1e308  # up to about 1.35e308: scaled by 2**1023, not by an inf power of two
    assert np.isfinite(estimator.fit(X).features_).all()
