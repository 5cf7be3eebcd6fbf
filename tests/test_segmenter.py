"""Tests of TemporalSegmenter, the subject-86 loader and plot_segmentation."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.validation import check_is_fitted

from skseq2seq import Seq2SeqEmbedder, TemporalSegmenter
from skseq2seq._ensemble import WideSeq2SeqModule
from skseq2seq.metrics import boundaries, clustering_accuracy, segmentation_report

FPS = 30


def small_net(**params):
    """Small net, few epochs: the whole file runs in seconds."""
    return Seq2SeqEmbedder(**{"hidden_size": 16, "max_epochs": 4, **params})


FAST = dict(
    fps=FPS,
    working_fps=FPS,
    embedder=small_net(),
    features="states+frames",
    n_nets=1,
    random_state=0,
)


def make_recording(order=(0, 1, 2, 0, 1), seconds=4.0, n_features=4, noise=0.05, seed=0):
    """Concatenated regimes with known switch points: (X, y).

    Regime r oscillates every channel at its own frequency with its own
    phase lags, plus a regime-specific posture offset on one channel.
    """
    rng = np.random.default_rng(seed)
    freqs = [0.5, 1.5, 3.0]
    n = int(seconds * FPS)
    parts, labels = [], []
    for r in order:
        t = np.arange(n) / FPS + rng.uniform(0, 1)
        lags = np.linspace(0, np.pi * (r + 1) / 2, n_features)
        seg = np.sin(2 * np.pi * freqs[r] * t[:, None] + lags[None, :])
        seg[:, r % n_features] += 1.0
        parts.append(seg + noise * rng.standard_normal(seg.shape))
        labels.append(np.full(n, r))
    return np.concatenate(parts), np.concatenate(labels)


@pytest.fixture(scope="module")
def fitted():
    X, y = make_recording()
    seg = TemporalSegmenter(n_clusters=3, **FAST).fit(X)
    return seg, X, y


def test_recovers_known_switch_points(fitted):
    seg, X, y = fitted
    assert seg.labels_.shape == (len(X),)
    assert clustering_accuracy(y, seg.labels_) >= 0.9
    report = segmentation_report(y, seg.labels_, tolerance=1.0, fps=FPS)
    assert report["boundary_recall"] >= 0.75


def test_fitted_attributes(fitted):
    seg, X, _ = fitted
    check_is_fitted(seg)
    assert seg.n_features_in_ == X.shape[1]
    assert set(np.unique(seg.labels_)) <= set(range(3))
    assert seg.prediction_error_.shape == (len(X),)
    observed = seg.observed_length_ * seg.downsample_
    assert np.isnan(seg.prediction_error_[:observed]).all()
    assert np.isfinite(seg.prediction_error_[observed:]).all()
    np.testing.assert_array_equal(seg.change_points_, boundaries(seg.labels_))
    peaks = seg.error_peaks_
    assert peaks.dtype.kind == "i" and np.all(np.diff(peaks) > 0)
    assert peaks.min(initial=0) >= 0 and peaks.max(initial=0) < len(X)
    assert seg.frame_embedding_.shape == (len(X) // seg.downsample_, 16)
    assert seg.cluster_centers_.shape[0] == 3


def test_predict_new_recording(fitted):
    seg, X, y = fitted
    np.testing.assert_array_equal(seg.predict(X), seg.labels_)
    X_new, y_new = make_recording(order=(2, 1, 0), seed=5)
    assert clustering_accuracy(y_new, seg.predict(X_new)) >= 0.9
    with pytest.raises(ValueError, match="expecting 4 features"):
        seg.predict(X[:, :2])


def test_predict_before_fit():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        TemporalSegmenter().predict(np.zeros((300, 3)))


# Frames are ordered samples: shuffling or subsetting them changes a
# segmentation, and i.i.d. blobs have no temporal structure to recover.
_TEMPORAL = "frames are ordered in time: labels depend on their order and neighbours"
_EXPECTED_FAILURES = {
    "check_methods_sample_order_invariance": _TEMPORAL,
    "check_methods_subset_invariance": _TEMPORAL,
    "check_clustering": _TEMPORAL + " (i.i.d. blobs have no temporal structure)",
}


# Small test sizes, and the default net (hidden_size, epochs, batch size,
# contexts, features) with durations and k scaled to the checks' short data
# (a few dozen frames, read as 10 fps): the default 0.8 s windows at 120 fps
# need 96 frames, and 8 actions more windows, than the checks' data have.
@parametrize_with_checks(
    [
        TemporalSegmenter(
            n_clusters=2,
            fps=10,
            working_fps=10,
            observed_seconds=0.2,
            predicted_seconds=0.2,
            embedder=Seq2SeqEmbedder(hidden_size=4, max_epochs=1),
            context_seconds=(0.5,),
            n_nets=1,
            random_state=0,
        ),
        TemporalSegmenter(
            n_clusters="auto",
            max_clusters=3,
            min_action_seconds=0.5,
            fps=10,
            working_fps=10,
            observed_seconds=0.2,
            predicted_seconds=0.2,
            embedder=Seq2SeqEmbedder(hidden_size=4, max_epochs=1),
            context_seconds=(0.5,),
            n_nets=1,
            random_state=0,
        ),
        TemporalSegmenter(
            n_clusters=3,
            fps=10,
            working_fps=10,
            observed_seconds=0.3,
            predicted_seconds=0.3,
            random_state=0,
        ),
    ],
    expected_failed_checks=lambda est: _EXPECTED_FAILURES,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_init_stores_params_only():
    seg = TemporalSegmenter(n_clusters=4, stride=3)
    assert seg.get_params()["stride"] == 3
    assert not hasattr(seg, "labels_")
    assert clone(seg).get_params() == seg.get_params()


def test_repeatable_with_random_state():
    X, _ = make_recording(order=(0, 1), seed=1)
    a = TemporalSegmenter(n_clusters=2, **FAST).fit_predict(X)
    b = TemporalSegmenter(n_clusters=2, **FAST).fit_predict(X)
    np.testing.assert_array_equal(a, b)


def test_list_of_recordings_labelled_consistently():
    X1, y1 = make_recording(order=(0, 1, 2), seed=2)
    X2, y2 = make_recording(order=(2, 0, 1), seed=3)
    seg = TemporalSegmenter(n_clusters=3, **FAST)
    labels = seg.fit_predict([X1, X2])
    assert isinstance(labels, list) and len(labels) == 2
    assert labels[0].shape == (len(X1),) and labels[1].shape == (len(X2),)
    # One matching of clusters to regimes fits both recordings.
    assert clustering_accuracy(np.r_[y1, y2], np.concatenate(labels)) >= 0.9
    assert isinstance(seg.prediction_error_, list) and isinstance(seg.change_points_, list)
    assert isinstance(seg.error_peaks_, list)


@pytest.mark.parametrize("n_frames", [301, 302, 303])
def test_downsampling_labels_every_frame(n_frames):
    X, _ = make_recording(order=(0, 1, 2), seed=4)
    seg = TemporalSegmenter(
        n_clusters=2,
        fps=60,
        working_fps=30,
        embedder=small_net(hidden_size=8, max_epochs=1),
        random_state=0,
    )
    labels = seg.fit_predict(X[:n_frames])
    assert seg.downsample_ == 2
    assert labels.shape == (n_frames,)
    assert seg.prediction_error_.shape == (n_frames,)


def test_constant_channels_are_ignored():
    X, y = make_recording(order=(0, 1, 2, 0, 1))
    X = np.hstack([X, np.full((len(X), 2), 3.0)])
    labels = TemporalSegmenter(n_clusters=3, **FAST).fit_predict(X)
    assert clustering_accuracy(y, labels) >= 0.9


def test_no_smoothing_option():
    X, _ = make_recording(order=(0, 1))
    seg = TemporalSegmenter(n_clusters=2, min_duration_seconds=0, **FAST).fit(X)
    assert seg.labels_.shape == (len(X),)


def test_states_only_view():
    X, y = make_recording()
    seg = TemporalSegmenter(n_clusters=3, **{**FAST, "features": "states"}).fit(X)
    assert clustering_accuracy(y, seg.labels_) >= 0.9
    assert seg.cluster_centers_.shape == (3, 2 * 16)


@pytest.mark.parametrize(
    "X, kwargs, match",
    [
        (np.zeros((10, 3)), {}, "at least"),  # shorter than one window
        (np.full((200, 3), np.nan), {}, "NaN"),
        (np.zeros((200, 3, 2)), {}, r"3 dimensions .*pass list\(X\)"),
        (np.zeros(200), {}, r"1D array .*X.reshape\(-1, 1\)"),
        (np.random.default_rng(0).normal(size=(30, 3)), {"n_clusters": 50}, "number of windows"),
        (np.zeros((200, 3)), {"context_seconds": ()}, "context_seconds"),
        ([np.zeros((200, 3)), np.zeros((200, 4))], {}, "same number of channels"),
        ([np.zeros((200, 3)), np.zeros((5, 3))], {}, "Recording 1"),
    ],
)
def test_bad_input_raises_value_error(X, kwargs, match):
    params = {**FAST, "embedder": small_net(max_epochs=1), "n_clusters": 2, **kwargs}
    with pytest.raises(ValueError, match=match):
        TemporalSegmenter(**params).fit(X)


def test_invalid_parameter_raises_value_error():
    with pytest.raises(ValueError, match="'n_clusters' parameter of TemporalSegmenter"):
        TemporalSegmenter(n_clusters=0).fit(np.zeros((400, 3)))
    with pytest.raises(ValueError, match="'fps' parameter of TemporalSegmenter"):
        TemporalSegmenter(n_clusters=2, fps=-1).fit(np.zeros((400, 3)))


def test_plot_segmentation_returns_axes():
    import matplotlib.pyplot as plt

    from skseq2seq.plotting import plot_segmentation

    y = np.repeat([0, 1, 2], 20)
    ax = plot_segmentation(y, np.repeat([2, 0, 1], 20), fps=FPS, label_names=["a", "b", "c"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["true", "predicted"]
    assert ax.get_xlim() == (0.0, 2.0)
    assert ax.get_legend() is not None
    fig, given = plt.subplots()
    assert plot_segmentation(y, ax=given) is given
    with pytest.raises(ValueError):
        plot_segmentation(y, y[:-1])
    plt.close("all")


# -- real data -----------------------------------------------------------


def test_load_cmu_subject86(cmu_data_home):
    from skseq2seq.datasets import load_cmu_subject86

    trial = load_cmu_subject86(1, data_home=cmu_data_home)
    X, y, names = trial.data, trial.target, trial.target_names.tolist()
    assert X.shape == (4579, 96) and y.shape == (4579,) and trial.fps == 120
    assert names == ["walk", "jump_forward", "punch", "leg_kick"]  # walking -> walk
    # Segments change at the "best transition" frames.
    assert (np.flatnonzero(np.diff(y)) + 1).tolist() == [550, 1150, 1980, 2500, 3200, 4065]
    trial5 = load_cmu_subject86("05", data_home=str(cmu_data_home))
    y5, names5 = trial5.target, trial5.target_names.tolist()
    assert len(names5) == 9 and names5.count("walk") == 1
    assert y5[-1] == names5.index("walk")


def test_load_cmu_subject86_missing(tmp_path):
    from skseq2seq.datasets import load_cmu_subject86

    with pytest.raises(FileNotFoundError, match="subject86"):
        load_cmu_subject86(1, data_home=tmp_path)
    (tmp_path / "cmu_mocap" / "subject86").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match="99.mat"):
        load_cmu_subject86(99, data_home=tmp_path)


@pytest.mark.slow
def test_segments_real_trial(cmu_data_home):
    from skseq2seq.datasets import load_cmu_subject86

    trial = load_cmu_subject86(1, data_home=cmu_data_home)
    X, y, names = trial.data, trial.target, trial.target_names
    seg = TemporalSegmenter(n_clusters=len(names), random_state=0)  # defaults: ~10 s
    labels = seg.fit_predict(X)
    assert labels.shape == y.shape
    assert clustering_accuracy(y, labels) >= 0.75


# -- reliability ------------------------------------------------------------


def test_constant_recording_is_one_action_with_a_warning():
    params = {**FAST, "embedder": small_net(max_epochs=1), "n_clusters": 3}
    with pytest.warns(UserWarning, match="X is constant"):
        seg = TemporalSegmenter(**params).fit(np.ones((300, 3)))
    assert seg.n_clusters_ == 1
    assert (seg.labels_ == 0).all() and (seg.predict(np.ones((200, 3))) == 0).all()


def test_huge_recording_segments_like_the_original():
    X, y = make_recording()
    params = {**FAST, "n_clusters": 3}
    labels = TemporalSegmenter(**params).fit_predict(X * 1e200)
    assert clustering_accuracy(y, labels) >= 0.9


def test_list_of_1d_arrays_is_a_list_of_univariate_recordings():
    X, _ = make_recording()
    params = {**FAST, "embedder": small_net(max_epochs=1), "n_clusters": 2}
    seg = TemporalSegmenter(**params).fit([X[:, 0], X[:300, 1]])
    assert seg.n_features_in_ == 1
    assert [len(labels) for labels in seg.labels_] == [len(X), 300]


def test_numpy_scalar_parameters_and_auto_device():
    X, _ = make_recording()
    assert TemporalSegmenter().get_params()["embedder__device"] == "auto"
    net = Seq2SeqEmbedder(hidden_size=np.int64(8), max_epochs=np.int32(1), batch_size=np.int64(32))
    seg = TemporalSegmenter(
        n_clusters=np.int64(2),
        fps=np.float32(FPS),
        working_fps=np.int64(FPS),
        embedder=net,
        stride=np.int64(2),
        random_state=0,
    ).fit(X)
    assert seg.labels_.shape == (len(X),)


def test_bad_device_fails_before_training():
    with pytest.raises(ValueError, match="not a torch device"):
        TemporalSegmenter(**{**FAST, "embedder": small_net(device="foo")}).fit(np.zeros((300, 3)))


# -- the embedder -------------------------------------------------------------


def test_default_embedder_params_are_searchable():
    seg = TemporalSegmenter()
    params = seg.get_params(deep=True)
    assert params["embedder"] is None
    assert params["embedder__hidden_size"] == 128 and params["embedder__max_epochs"] == 10
    assert "embedder__hidden_size" not in seg.get_params(deep=False)
    seg.set_params(embedder__hidden_size=16, embedder__max_epochs=4)
    assert isinstance(seg.embedder, Seq2SeqEmbedder)
    assert seg.get_params()["embedder__hidden_size"] == 16
    assert seg.get_params()["embedder__lr"] == 1e-3  # the rest of the default net
    # Setting embedder and its parameters together sets them on the given one.
    other = TemporalSegmenter().set_params(embedder=small_net(), embedder__max_epochs=2)
    assert other.embedder.hidden_size == 16 and other.embedder.max_epochs == 2


def test_default_embedder_with_changed_params_is_that_embedder():
    X, _ = make_recording(order=(0, 1), seed=1)
    params = {k: v for k, v in FAST.items() if k != "embedder"}
    searched = TemporalSegmenter(n_clusters=2, **params)
    searched.set_params(embedder__hidden_size=16, embedder__max_epochs=4)
    given = TemporalSegmenter(n_clusters=2, **FAST)
    np.testing.assert_array_equal(searched.fit_predict(X), given.fit_predict(X))


def test_given_embedder_is_cloned_with_the_window_geometry():
    X, _ = make_recording(order=(0, 1), seed=1)
    net = small_net(objective="reconstruct", prediction_length=3, max_epochs=1, random_state=7)
    seg = TemporalSegmenter(n_clusters=2, **{**FAST, "embedder": net}).fit(X)
    assert not hasattr(net, "module_")  # cloned, not fitted in place
    assert net.get_params()["objective"] == "reconstruct"
    fitted = seg.embedder_.get_params()
    assert fitted["objective"] == "predict"
    assert fitted["prediction_length"] == seg.prediction_length_ == 12  # 0.4 s at 30 fps
    assert fitted["random_state"] != 7  # drawn from the segmenter's random_state
    assert fitted["hidden_size"] == 16 and fitted["max_epochs"] == 1


def test_invalid_embedder_raises_value_error():
    X = np.zeros((300, 3))
    with pytest.raises(ValueError, match="'embedder' parameter of TemporalSegmenter"):
        TemporalSegmenter(embedder="gru").fit(X)
    # The embedder's own parameters are validated too.
    with pytest.raises(ValueError, match="'hidden_size' parameter of Seq2SeqEmbedder"):
        TemporalSegmenter(**{**FAST, "embedder": small_net(hidden_size=0)}).fit(X)


# -- number of actions chosen from the data -----------------------------------


def test_auto_number_of_clusters():
    X, y = make_recording()  # three regimes of 4 s in one go, 4 s to 8 s each in total
    seg = TemporalSegmenter(n_clusters="auto", max_clusters=6, min_action_seconds=3.0, **FAST)
    seg.fit(X)
    assert seg.n_clusters_ == 3
    assert seg.cluster_centers_.shape[0] == 3
    assert list(seg.shortest_action_seconds_) == [2, 3, 4, 5, 6]
    assert seg.shortest_action_seconds_[3] >= 3.0 > seg.shortest_action_seconds_[4]
    assert clustering_accuracy(y, seg.labels_) >= 0.9
    # Regime 0 recurs for 8 s in total but never for more than 4 s in one go.
    strict = TemporalSegmenter(n_clusters="auto", min_action_seconds=5.0, **FAST).fit(X)
    assert strict.n_clusters_ < 3
    # Every action must last the whole recording: one action.
    one = TemporalSegmenter(n_clusters="auto", min_action_seconds=len(X) / FPS, **FAST).fit(X)
    assert one.n_clusters_ == 1 and (one.labels_ == 0).all()
    assert (one.predict(X) == 0).all()


def test_auto_number_of_clusters_over_several_recordings():
    X1, y1 = make_recording(order=(0, 1, 2), seed=2)
    X2, y2 = make_recording(order=(2, 0, 1), seed=3)  # regimes of 4 s
    seg = TemporalSegmenter(n_clusters="auto", max_clusters=5, min_action_seconds=3.0, **FAST)
    labels = seg.fit_predict([X1, X2])
    assert seg.n_clusters_ == 3
    assert clustering_accuracy(np.r_[y1, y2], np.concatenate(labels)) >= 0.9


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_clusters": "many"}, "'n_clusters' parameter"),
        ({"n_clusters": "auto", "max_clusters": 1}, "'max_clusters' parameter"),
        ({"n_clusters": "auto", "min_action_seconds": -1}, "'min_action_seconds' parameter"),
        ({"n_nets": 0}, "'n_nets' parameter"),
        ({"split_windows": "yes"}, "'split_windows' parameter"),
    ],
)
def test_invalid_auto_parameters_raise_value_error(params, match):
    with pytest.raises(ValueError, match=match):
        TemporalSegmenter(**params).fit(np.zeros((400, 3)))


@pytest.mark.slow
def test_dev_trials_segmented_together_consistently(cmu_data_home):
    from skseq2seq.datasets import load_cmu_subject86

    trials = [load_cmu_subject86(t, data_home=cmu_data_home) for t in (1, 3)]
    # One set of action names for both trials (they share walk, jump, leg_kick, ...).
    names = sorted(set().union(*(t.target_names for t in trials)))
    y = np.concatenate([np.searchsorted(names, t.target_names[t.target]) for t in trials])
    seg = TemporalSegmenter(n_clusters=len(names), random_state=0)
    labels = seg.fit_predict([t.data for t in trials])
    assert [len(lab) for lab in labels] == [len(t.data) for t in trials]
    # One matching of clusters to actions over both recordings.
    assert clustering_accuracy(y, np.concatenate(labels)) >= 0.75


# -- several nets, cached training ---------------------------------------------


def test_several_nets_form_one_consensus(tmp_path, monkeypatch):
    X, y = make_recording()
    params = {**FAST, "n_clusters": 3, "n_nets": 2, "memory": str(tmp_path)}
    seg = TemporalSegmenter(**params).fit(X)
    # The default net's kind: both nets in one wide module, each from its own seed.
    assert len(seg.embedders_) == 1 and seg.embedder_ is seg.embedders_[0]
    assert isinstance(seg.embedder_.module_, WideSeq2SeqModule)
    weights = seg.embedder_.module_.encoder_weight_hh
    assert weights.shape[0] == 2 and not torch.equal(weights[0], weights[1])
    assert seg.frame_embedding_.shape[1] == 16  # the first net's states
    assert clustering_accuracy(y, seg.labels_) >= 0.9
    assert np.mean(seg.predict(X) == seg.labels_) >= 0.99
    # The memory holds the nets: changing only the smoothing trains nothing.
    monkeypatch.setattr(Seq2SeqEmbedder, "fit", lambda *a, **k: pytest.fail("retrained"))
    again = TemporalSegmenter(**{**params, "min_duration_seconds": 1.0}).fit(X)
    assert clustering_accuracy(y, again.labels_) >= 0.9


def test_nets_sharing_out_the_windows(monkeypatch):
    X, y = make_recording()
    params = {**FAST, "n_clusters": 3, "n_nets": 2, "split_windows": True}
    fits = []
    fit = Seq2SeqEmbedder.fit
    monkeypatch.setattr(Seq2SeqEmbedder, "fit", lambda self, X: fits.append(self) or fit(self, X))
    seg = TemporalSegmenter(**params).fit(X)
    # One wide module whose batches are dealt out: each net's share is a full batch.
    (wide,) = fits
    assert wide.module_.split_batches and wide.batch_size == 2 * small_net().batch_size
    assert seg.frame_embedding_.shape == (len(X), 16)
    assert np.isfinite(seg.frame_embedding_).all()
    # Every frame after the first window's observed part is predicted (states read every
    # second window, and the last).
    observed = seg.observed_length_
    assert np.isnan(seg.prediction_error_[:observed]).all()
    assert np.isfinite(seg.prediction_error_[observed:]).all()
    assert clustering_accuracy(y, seg.labels_) >= 0.9
    assert np.mean(seg.predict(X) == seg.labels_) >= 0.99


def test_other_embedders_train_one_net_per_seed():
    X, y = make_recording()
    params = {**FAST, "n_clusters": 3, "n_nets": 2, "embedder": small_net(num_layers=2)}
    seg = TemporalSegmenter(**params).fit(X)
    assert len(seg.embedders_) == 2 and seg.embedder_ is seg.embedders_[0]
    first, second = (e.module_.state_dict() for e in seg.embedders_)
    assert any(not torch.equal(first[name], second[name]) for name in first)  # two seeds
    assert clustering_accuracy(y, seg.labels_) >= 0.9


def test_frames_only_trains_no_net(monkeypatch):
    X, y = make_recording()
    monkeypatch.setattr(Seq2SeqEmbedder, "fit", lambda *a, **k: pytest.fail("trained"))
    seg = TemporalSegmenter(**{**FAST, "n_clusters": 3, "features": "frames"}).fit(X)
    assert seg.embedder_ is None and seg.embedders_ == []
    assert np.isnan(seg.prediction_error_).all() and len(seg.error_peaks_) == 0
    assert clustering_accuracy(y, seg.labels_) >= 0.9
    assert np.mean(seg.predict(X) == seg.labels_) >= 0.99


def test_refined_cuts_move_at_most_refine_seconds():
    X, y = make_recording()
    sharp = TemporalSegmenter(**{**FAST, "n_clusters": 3, "features": "frames"}).fit(X)
    blunt = clone(sharp).set_params(refine_seconds=0).fit(X)
    assert len(sharp.change_points_) == len(blunt.change_points_)
    assert np.abs(sharp.change_points_ - blunt.change_points_).max() <= 0.5 * FPS
    truth = boundaries(y)
    error = {
        name: np.abs(s.change_points_ - truth).mean()
        for name, s in [("sharp", sharp), ("blunt", blunt)]
    }
    assert error["sharp"] <= error["blunt"]


@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=40),
    st.integers(0, 40),
)
def test_longest_runs_match_a_plain_count(labels, split):
    from skseq2seq._consensus import longest_runs

    labels = np.array(labels)
    split = min(split, len(labels))
    pieces = [slice(0, split), slice(split, len(labels))]
    expected = np.zeros(5, dtype=int)
    for piece in pieces:
        run, previous = 0, None
        for label in labels[piece]:
            run = run + 1 if label == previous else 1
            previous = label
            expected[label] = max(expected[label], run)
    # Runs never continue across recordings; label 4 never occurs.
    assert longest_runs(labels, pieces, 5).tolist() == expected.tolist()


def test_consensus_returns_the_smoothing_predict_reuses():
    from skseq2seq._consensus import consensus_segmentation

    rng = np.random.default_rng(0)
    view = np.r_[rng.normal(0, 0.1, (60, 2)), rng.normal(3, 0.1, (40, 2))]
    found = consensus_segmentation(
        [(1.0, [view])], [5], None, duration=5, max_samples=100, max_clusters=4, min_action=30
    )
    # Two actions hold 30 frames in one go; a third would be shorter.
    assert len(found.centers) == 2 and found.shortest[2] >= 30 > found.shortest[3]
    cuts = boundaries(found.labels[0])
    assert len(cuts) == 1 and abs(cuts[0] - 60) <= 5  # blurred by the 5-frame context
    # The returned smoothing labels the same frames as the fit did (it converged).
    assert np.array_equal(found.smoothing.labels([view], found.centers), found.labels[0])


def test_consensus_keeps_a_stumble_from_taking_an_action_s_place():
    from skseq2seq._consensus import consensus_segmentation

    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [60, 50, 40])
    view = rng.normal(0, 0.3, (150, 2)) + np.array([[0, 0], [3, 0], [0, 3]])[y]
    view[100:103] = 20.0  # three frames far from every action

    def labels(min_action):
        found = consensus_segmentation(
            [(1.0, [view])], [3], 3, duration=5, max_samples=200, min_action=min_action
        )
        return found.labels[0]

    # Cut at 3 clusters, the stumble is one of them and two actions merge;
    # with every action holding 20 frames, the stumble joins its neighbours.
    assert clustering_accuracy(y, labels(None)) < 0.8
    assert clustering_accuracy(y, labels(20)) == 1.0
    # No cut has 3 clusters of 100 frames: the tree is cut at 3 as before.
    assert np.array_equal(labels(100), labels(None))


def test_predict_sets_no_state():
    X, _ = make_recording()
    seg = TemporalSegmenter(**{**FAST, "n_clusters": 3}).fit(X)
    state = dict(vars(seg))
    seg.predict(X[:200])
    assert vars(seg).keys() == state.keys()
    assert all(vars(seg)[name] is value for name, value in state.items())
