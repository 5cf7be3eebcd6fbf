"""Reliability: each class of failure found by hostile probing, with several inputs of the class.

The contract: bad input gives a clear exception naming the problem (and the
file, for files) before any training, or a correct finite result; never a
crash deep in a library, silent NaN, silent data loss. The property-based
suite over mutated files is tests/test_file_mutations.py.
"""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from skorch.callbacks import Checkpoint, EarlyStopping

from skseq2seq import (
    Seq2SeqClusterer,
    Seq2SeqEmbedder,
    TemporalSegmenter,
    compare,
    posture_statistics,
)
from skseq2seq.baselines import (
    DTWKMeans,
    GaussianHMMSegmenter,
    MeanStdKMeans,
    MeanStdWard,
    PCAKMeans,
    WindowStatsSegmenter,
)
from skseq2seq.datasets import make_motion_sequences
from skseq2seq.io import (
    from_aeon_dataset,
    from_dataframe,
    from_tslearn_dataset,
    load_folder,
    read_amc,
    read_bvh,
    read_motion,
)
from tests.test_io import TINY_AMC, TINY_ASF, TINY_BVH, write_tiny_amc


def _raises_naming(path, edit_text, reader, match):
    path.write_text(edit_text, encoding="utf-8")
    with pytest.raises(ValueError, match=match) as info:
        reader(path)
    assert path.name in str(info.value)


# -- header numbers: finite and in range -------------------------------------------------


@pytest.mark.parametrize(
    "edit, match",
    [
        (("Frame Time: 0.0333333", "Frame Time: inf"), "'Frame Time:' is 'inf', not a finite"),
        (("Frame Time: 0.0333333", "Frame Time: nan"), "not a finite number"),
        (("Frame Time: 0.0333333", "Frame Time: 0"), "not positive"),
        (("Frame Time: 0.0333333", "Frame Time: -0.03"), "not positive"),
        (("Frame Time: 0.0333333", "Frame Time: 1e-320"), "a positive number of seconds"),
        (("Frames: 3", "Frames: 2.5"), "not a whole number"),
        (("Frames: 3", "Frames: 1e400"), "not a finite number"),
        (("Frames: 3", "Frames: -3"), "not >= 0"),
        (("CHANNELS 1 Xrotation", "CHANNELS nan Xrotation"), "CHANNELS count .* not a finite"),
        (("CHANNELS 1 Xrotation", "CHANNELS -1 Xrotation"), "CHANNELS count .* not >= 0"),
        (("CHANNELS 1 Xrotation", "CHANNELS 1e9 Xrotation"), "not a whole number at most 6"),
        (("OFFSET 0 -4.5 0.5", "OFFSET 0 nan 0.5"), "OFFSET is 'nan', not a finite"),
        (("OFFSET 0 -4 0", "OFFSET 0 -inf 0"), "End Site OFFSET is '-inf'"),
    ],
)
def test_bvh_header_numbers(tmp_path, edit, match):
    assert edit[0] in TINY_BVH
    _raises_naming(tmp_path / "h.bvh", TINY_BVH.replace(*edit, 1), read_bvh, match)


@pytest.mark.parametrize(
    "edit, match",
    [
        (("mass 1.0", "mass nan"), "unit 'mass' is 'nan', not a finite"),
        (("length 0.45", "length -0.45"), "unit 'length' is '-0.45', not positive"),
        (("length 5.95", "length -5.95"), "length is '-5.95', not >= 0"),
        (("length 8.0", "length inf"), "length is 'inf', not a finite"),
        (("direction 1 0 0", "direction 1 nan 0"), "direction is 'nan'"),
        (("axis 0 0 20  XYZ", "axis 0 1e999 20  XYZ"), "axis is '1e999'"),
    ],
)
def test_asf_header_numbers(tmp_path, edit, match):
    assert edit[0] in TINY_ASF
    amc, asf = write_tiny_amc(tmp_path, asf=TINY_ASF.replace(*edit, 1))
    with pytest.raises(ValueError, match=match) as info:
        read_amc(amc, asf)
    assert asf.name in str(info.value)


@pytest.mark.parametrize("value", ["nan", "inf", "-1e999"])
@pytest.mark.parametrize("suffix", [".csv", ".bvh", ".amc"])
def test_frame_values_finite(tmp_path, suffix, value):
    """NaN or infinity among the frames: an error naming the file and line, not NaN data."""
    if suffix == ".csv":
        path = tmp_path / "a.csv"
        path.write_text(f"0.1,0.2\n0.3,{value}\n")
    elif suffix == ".bvh":
        path = tmp_path / "a.bvh"
        path.write_text(TINY_BVH.replace("1.5 2 3", f"1.5 {value} 3"))
    else:
        path, _ = write_tiny_amc(tmp_path, amc=TINY_AMC.replace("ltibia 41", f"ltibia {value}"))
    with pytest.raises(
        ValueError, match=r"line \d+: missing values \(NaN\) .* the value .* is not finite"
    ) as info:
        read_motion(path)
    assert path.name in str(info.value)


def test_ground_truth_transitions_in_order(tmp_path):
    from skseq2seq.datasets._cmu import _parse_subject86_ground_truth

    path = tmp_path / "01_ground_truth.txt"
    path.write_text("2\n1 walk\n500 550 600\n2 jump\n400\n")
    with pytest.raises(ValueError, match="transition frame 400 comes before 550"):
        _parse_subject86_ground_truth(path)
    path.write_text("1\n1 walk\n-5\n")
    with pytest.raises(ValueError, match="transition frame -5 comes before 1"):
        _parse_subject86_ground_truth(path)


# -- encodings and layouts -----------------------------------------------------------------


def test_byte_order_mark_and_crlf_keep_every_frame(tmp_path):
    csv = tmp_path / "bom.csv"
    csv.write_bytes("\ufeff0.1,0.2\r\n0.3,0.4\r\n0.5,0.6\r\n".encode())
    assert read_motion(csv).data.shape == (3, 2)  # the first frame is not a header
    bvh = tmp_path / "bom.bvh"
    bvh.write_bytes(("\ufeff" + TINY_BVH.replace("\n", "\r\n")).encode())
    np.testing.assert_array_equal(read_bvh(bvh).data, read_bvh(_write(tmp_path, TINY_BVH)).data)
    amc, asf = write_tiny_amc(tmp_path)
    asf.write_bytes(("\ufeff" + TINY_ASF).encode())
    amc.write_bytes(("\ufeff" + TINY_AMC.replace("\n", "\r\n")).encode())
    assert read_amc(amc, asf).data.shape == (2, 10)


def _write(tmp_path, text, name="plain.bvh"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "content, match",
    [
        ("0.1,\n0.3,0.4\n", "line 1: could not convert string to float"),  # not a header
        (",0.2\n0.3,0.4\n", "line 1: could not convert"),
        ("0.1,0.2\n0.3\t0.4\n", "line 2: 1 values, but line 1 has 2"),
        (b"h\xe9,b\n0.1,1\n", "not a text file"),  # latin-1
        ("a,b\n", "a header line and no frames"),
        ("", "empty or blank"),
    ],
)
def test_table_layouts(tmp_path, content, match):
    path = tmp_path / "t.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ValueError, match=match) as info:
        read_motion(path)
    assert str(path) in str(info.value)


def _npz_named_npy(path):
    np.savez(path.with_suffix(".npz"), a=np.zeros((3, 2)))
    path.with_suffix(".npz").rename(path)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda p: p.write_bytes(b""), "not a numeric .npy array"),
        (lambda p: p.write_bytes(b"\x93NUMPY\x01\x00garbage"), "not a numeric .npy array"),
        (_npz_named_npy, "an .npz archive"),
        (lambda p: np.save(p, np.zeros((0, 3))), r"shape \(0, 3\)"),
        (lambda p: np.save(p, np.zeros((3, 0))), r"shape \(3, 0\)"),
        (lambda p: np.save(p, np.float64(1.0)), r"shape \(\)"),
        (lambda p: np.save(p, np.zeros((2, 2, 2))), r"shape \(2, 2, 2\)"),
        (lambda p: np.save(p, np.ones((2, 2), complex)), "complex128"),
        (lambda p: np.save(p, np.array([[1.0, np.nan]])), "the value nan in frame 1 is not finite"),
        (
            lambda p: np.save(p, np.array([[1.0, -np.inf]])),
            "the value -inf in frame 1 is not finite",
        ),
        (lambda p: np.save(p, np.array([[{}]], dtype=object)), "not a numeric .npy array"),
    ],
)
def test_npy_layouts(tmp_path, make, match):
    path = tmp_path / "a.npy"
    make(path)
    with pytest.raises(ValueError, match=match) as info:
        read_motion(path)
    assert str(path) in str(info.value)


# -- definitions that contradict each other -------------------------------------------------


@pytest.mark.parametrize(
    "edit, match",
    [
        (("JOINT Knee", "JOINT Hips"), "joint 'Hips' is defined twice"),
        (
            ("CHANNELS 1 Xrotation", "CHANNELS 2 Xrotation Xrotation"),
            "'Xrotation' is defined twice",
        ),
    ],
)
def test_bvh_contradictions(tmp_path, edit, match):
    _raises_naming(tmp_path / "c.bvh", TINY_BVH.replace(*edit, 1), read_bvh, match)


@pytest.mark.parametrize(
    "edit, match",
    [
        (("name ltibia", "name lfemur"), "bone 'lfemur' is defined twice"),
        (("name lhipjoint", "name root"), "bone 'root' is defined twice"),
        (("dof rx ry rz", "dof rx ry rx"), "degree of freedom 'rx' is defined twice"),
        (("order TX TY TZ RX RY RZ", "order TX TY TX RX RY RZ"), "'tx' is defined twice"),
        (("lfemur ltibia", "lfemur ltibia\n    lhipjoint ltibia"), "'ltibia' has two parents"),
        (("name lfemur", "name"), "not 'name <bone>'"),
    ],
)
def test_asf_contradictions(tmp_path, edit, match):
    assert edit[0] in TINY_ASF
    amc, asf = write_tiny_amc(tmp_path, asf=TINY_ASF.replace(*edit, 1))
    with pytest.raises(ValueError, match=match) as info:
        read_amc(amc, asf)
    assert asf.name in str(info.value)


@pytest.mark.parametrize(
    "edit",
    [
        ("ltibia 40\n", "ltibia 40\nltibia 39\n"),  # a bone twice in a frame
        ("2\nroot", "root"),  # a frame number dropped: frame 1 gets frame 2's bones too
    ],
)
def test_amc_bone_twice_in_a_frame(tmp_path, edit):
    amc, asf = write_tiny_amc(tmp_path, amc=TINY_AMC.replace(*edit, 1))
    with pytest.raises(ValueError, match="frame 1 has two lines for bone") as info:
        read_amc(amc, asf)
    assert amc.name in str(info.value)


# -- reader parameters ----------------------------------------------------------------------


@pytest.mark.parametrize("fps", [-30, 0, float("nan"), float("inf"), True, "30", [30]])
def test_reader_fps(tmp_path, fps):
    (tmp_path / "a.csv").write_text("0.1,0.2\n0.3,0.4\n")
    amc, asf = write_tiny_amc(tmp_path)
    from skseq2seq.plotting import plot_segmentation

    for call in (
        lambda: read_motion(tmp_path / "a.csv", fps=fps),
        lambda: read_motion(amc, fps=fps),
        lambda: read_amc(amc, asf, fps=fps),
        lambda: load_folder(tmp_path, "*.csv", fps=fps),
        lambda: plot_segmentation([0, 0, 1], fps=fps),
    ):
        with pytest.raises(ValueError, match="fps=.*expected a finite positive number"):
            call()


@pytest.mark.parametrize("pattern", ["/abs/*.csv", "", None, 3])
def test_load_folder_pattern(tmp_path, pattern):
    (tmp_path / "a.csv").write_text("0.1,0.2\n0.3,0.4\n")
    with pytest.raises(ValueError, match="pattern=.* is not a glob pattern relative to"):
        load_folder(tmp_path, pattern)


def test_reader_fps_accepts_numpy_numbers(tmp_path):
    (tmp_path / "a.csv").write_text("0.1,0.2\n0.3,0.4\n")
    assert read_motion(tmp_path / "a.csv", fps=np.float32(25)).fps == 25.0
    assert load_folder(tmp_path, fps=np.int64(30)).fps.tolist() == [30.0]


# -- converters that drop, reshape or cast silently ----------------------------------------


def test_from_dataframe_refuses_what_it_would_change():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"id": [1, 1, 2], "t": [0, 1, 0], "x": [1.0, 2.0, 3.0]})
    cases = [
        (df.assign(id=[1, np.nan, 2]), "Row 1 has a missing value in column 'id'"),
        (df.assign(t=[0, np.nan, 0]), "Row 1 has a missing value in column 't'"),
        (df.assign(x=[1.0, np.inf, 3.0]), r"holds inf at index \(1, 0\)"),
        (df.assign(x=[1.0, -np.inf, 3.0]), "values must be finite"),
        (df.iloc[:0], "no rows"),
        (df.assign(x=[1 + 1j, 2, 3]), "complex128.* is not numeric"),
    ]
    for frame, match in cases:
        with pytest.raises(ValueError, match=match):
            from_dataframe(frame, "id", "t")


def test_from_aeon_and_tslearn_refuse_what_they_would_change():
    pd = pytest.importorskip("pandas")
    index = pd.MultiIndex.from_product([[0, 1], [0, 1, 2]], names=["instance", "timepoint"])
    multi = pd.DataFrame({"a": np.arange(6.0), "b": np.arange(6.0)}, index=index)
    for X, match in [
        (multi, "pd-multiindex"),
        (np.ones((2, 3, 4), complex), "complex"),
        ([np.ones((3, 4), complex)], "Case 0 holds complex"),
        (np.full((2, 3, 4), np.nan), "holds nan"),
        (np.array([[[1.0, np.inf]]]), "holds inf"),
        ([], "empty list"),
        (np.ones((0, 3, 4)), "at least one case"),
    ]:
        with pytest.raises(ValueError, match=match):
            from_aeon_dataset(X)
    for X, match in [
        (np.ones((2, 3, 1), complex), "complex"),
        (np.array([[1.0, np.inf, np.nan]]), "holds inf"),
        (np.ones((0, 3, 1)), "not empty"),
    ]:
        with pytest.raises(ValueError, match=match):
            from_tslearn_dataset(X)


def test_compare_refuses_non_finite_scores_inputs():
    X = np.random.RandomState(0).rand(8, 5, 2)
    drop = {"Seq2SeqClusterer": "drop"}
    with pytest.raises(ValueError, match="y has missing labels"):
        compare(X, np.r_[np.zeros(4), np.nan, np.ones(3)], estimators=drop)
    features = np.ones((8, 2))
    features[3, 1] = np.inf
    with pytest.raises(ValueError, match="score_features"):
        compare(X, n_clusters=2, estimators=drop, score_features=features)
    with pytest.raises(ValueError, match=r"score_features must have shape \(8"):
        compare(X, n_clusters=2, estimators=drop, score_features=np.ones((7, 2)))


# -- huge finite inputs in mean/std features -------------------------------------------------


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # sklearn's sum
@pytest.mark.parametrize("scale", [1e200, 1e300, 1.7e307])
def test_huge_finite_inputs_cluster_as_scaled_down(scale):
    """Features that are standardised do not depend on the scale: no overflow, no blame."""
    X, _ = make_motion_sequences(n_sequences=30, n_timesteps=10, n_regimes=3, random_state=0)
    X = X / np.abs(X).max()
    np.testing.assert_allclose(posture_statistics(X * scale), posture_statistics(X), atol=1e-9)
    for model in (MeanStdKMeans(3, random_state=0), MeanStdWard(3), PCAKMeans(3, random_state=0)):
        huge = type(model)(**model.get_params()).fit(X * scale)
        np.testing.assert_array_equal(huge.labels_, model.fit(X).labels_)
        if hasattr(model, "predict"):
            np.testing.assert_array_equal(huge.predict(X * scale), model.labels_)
    recording = np.concatenate(list(X))
    for model in (
        WindowStatsSegmenter(3, fps=10),
        WindowStatsSegmenter(3, fps=10, clustering="kmeans", random_state=0),
    ):
        huge = type(model)(**model.get_params()).fit_predict(recording * scale)
        np.testing.assert_array_equal(huge, model.fit_predict(recording))


@pytest.mark.slow  # tslearn compiles its DTW on first use
def test_huge_finite_inputs_dtw():
    pytest.importorskip("tslearn")
    X, _ = make_motion_sequences(n_sequences=12, n_timesteps=8, n_regimes=2, random_state=0)
    X = X / np.abs(X).max()
    model = DTWKMeans(2, random_state=0)
    np.testing.assert_array_equal(
        type(model)(**model.get_params()).fit_predict(X * 1e300), model.fit_predict(X)
    )


def test_huge_finite_inputs_hmm():
    pytest.importorskip("hmmlearn")
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 1, (60, 2)), rng.normal(4, 1, (60, 2))] / 10
    model = GaussianHMMSegmenter(2, random_state=0)
    labels = model.fit_predict(X)
    np.testing.assert_array_equal(
        GaussianHMMSegmenter(2, random_state=0).fit_predict(X * 1e300), labels
    )


# -- persistence and training options --------------------------------------------------------


@pytest.mark.parametrize("record", [{"skseq2seq": "0.0.1"}, {"other": "1"}, {}, "0.0.1", ["x"], 3])
def test_unexpected_version_record_warns(record):
    state = Seq2SeqEmbedder(hidden_size=4).__getstate__()
    state["_pickled_versions"] = record
    loaded = Seq2SeqEmbedder.__new__(Seq2SeqEmbedder)
    with pytest.warns(UserWarning, match="Unpickling Seq2SeqEmbedder made with"):
        loaded.__setstate__(state)
    assert loaded.hidden_size == 4


@pytest.mark.parametrize(
    "params",
    [
        {"callbacks": [EarlyStopping()]},
        {"callbacks": [EarlyStopping]},  # a class: its default monitor
        {"callbacks": [("stop", EarlyStopping(monitor="valid_loss", patience=1))]},
        {"callbacks": [Checkpoint(dirname="never")]},  # monitors valid_loss_best
        {
            "callbacks": [("stop", EarlyStopping(monitor="train_loss"))],
            "callbacks__stop__monitor": "valid_loss",
        },
    ],
)
def test_validation_monitor_without_split_fails_before_training(params, tmp_path):
    X = np.random.RandomState(0).rand(6, 5, 2)
    embedder = Seq2SeqEmbedder(hidden_size=4, max_epochs=10**6, **params)
    with pytest.raises(ValueError, match="validation_fraction is None"):
        embedder.fit(X)
    assert not hasattr(embedder, "net_")  # before training
    # With a split, or monitoring a training score, it trains.
    Seq2SeqEmbedder(
        hidden_size=4, max_epochs=1, callbacks=[EarlyStopping()], validation_fraction=0.5
    ).fit(X)
    Seq2SeqEmbedder(
        hidden_size=4, max_epochs=1, callbacks=[EarlyStopping(monitor="train_loss")]
    ).fit(X)


@pytest.mark.parametrize("estimator", [Seq2SeqEmbedder(), Seq2SeqClusterer(), TemporalSegmenter()])
def test_set_params_unknown_name_raises(estimator):
    for name in ("hiden_size", "foo", "criterion__reduction"):
        with pytest.raises(ValueError, match="Invalid parameter"):
            estimator.set_params(**{name: 1})
    if not isinstance(estimator, Seq2SeqEmbedder):
        with pytest.raises(ValueError, match="Invalid parameter"):
            estimator.set_params(embedder__hiden_size=1)
    Seq2SeqEmbedder().set_params(optimizer__weight_decay=0.1, module__dropout=0.0)  # forwarded


@pytest.mark.parametrize("hidden_size", [10**6, 10**9, 2**40])
def test_absurd_hidden_size_fails_before_torch(hidden_size):
    X = np.random.RandomState(0).rand(4, 5, 2)
    with pytest.raises(ValueError, match=f"hidden_size={hidden_size} .* more than this machine"):
        Seq2SeqEmbedder(hidden_size=hidden_size, max_epochs=1).fit(X)


# -- segmenter durations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "segmenter, match",
    [
        (TemporalSegmenter(2, context_seconds=(1.5, 1e15)), r"context_seconds=.* spans 1.2e\+17"),
        (TemporalSegmenter(2, fps=1e15), "fps / working_fps=.* spans"),
        (TemporalSegmenter(2, observed_seconds=1e15), "at least"),
        (WindowStatsSegmenter(2, window_seconds=1e15), r"window_seconds=.* spans 1.2e\+17 frames"),
        (GaussianHMMSegmenter(2, downsample=10**15), "downsample=1000000000000000 spans"),
    ],
    ids=lambda p: repr(p)[:40],
)
def test_segmenter_durations_refused(segmenter, match):
    X = np.random.RandomState(0).rand(600, 2)
    with pytest.raises(ValueError, match=match):
        segmenter.fit(X)
    for name in ("fps", "min_duration_seconds"):
        if name in segmenter.get_params():
            with pytest.raises(ValueError, match=name):
                type(segmenter)(**{name: float("inf")}).fit(X)


# -- plotting -----------------------------------------------------------------------------------


def test_plot_embedding_bad_states_and_names():
    from skseq2seq.plotting import plot_embedding

    states = np.random.RandomState(0).normal(size=(4, 5, 3))
    nan_sequence = states.copy()
    nan_sequence[2] = np.nan
    for kind in ("points", "trajectories"):
        with pytest.raises(ValueError, match="Sequence 2 has no state without NaN"):
            plot_embedding(nan_sequence, labels=[0, 0, 1, 1], kind=kind)
    infinite = states.copy()
    infinite[1, 2, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        plot_embedding(infinite)
    for names in (["a"], {0: "a"}, {1: "b", 2: "c"}):
        with pytest.raises(ValueError, match=r"label_names has no name for label\(s\)"):
            plot_embedding(states, labels=[0, 0, 1, 1], label_names=names)
    with pytest.raises(ValueError, match="label_names has no name"):
        plot_embedding(states, labels=[-1, 0, 1, 1], label_names=["a", "b"])
    plot_embedding(states, labels=[0, 0, 1, 1], label_names={0: "a", 1: "b"})


@pytest.mark.parametrize("estimator", [Seq2SeqEmbedder(), Seq2SeqClusterer(), TemporalSegmenter()])
def test_plot_training_unfitted(estimator):
    from skseq2seq.plotting import plot_training

    with pytest.raises(NotFittedError, match="not fitted yet"):
        plot_training(estimator)


def test_pickled_version_record_roundtrip_still_silent():
    blob = pickle.dumps(Seq2SeqEmbedder(hidden_size=4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pickle.loads(blob)
