"""Bad and unusual inputs, generated (property-based, hypothesis).

Contract, for every estimator and every method that takes data:

* either a ``ValueError`` or ``TypeError`` with an informative message is raised
  before the first training step (a spy on skorch's training step tells),
* or the result is finite and has the documented shape;
* the input object is never modified.

Inputs: arrays of 0-4 dimensions (empty axes included) of every dtype (bool,
int, float16/32/64, complex, object holding numbers or not), NaN, +-inf and
huge finite values, ragged lists (0- and 1-step items, mixed channel counts,
mixed item types, ``None``), and numpy scalars as hyper-parameters (which must
work). The methods of fitted estimators (fitted once per module on good data)
get the same inputs. Everything is tiny so the module runs in seconds.
"""

import contextlib
import copy
import itertools
import re
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from skorch import NeuralNet

from skseq2seq import Seq2SeqClusterer, Seq2SeqEmbedder, TemporalSegmenter
from skseq2seq._net import Seq2SeqNet

HIDDEN = 4
N_CLUSTERS = 2
N_FEATURES = 2  # channels of the data the module's fitted estimators saw
FIT_STEPS = 8  # time steps of their training sequences: prediction_length_ = 4

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)
TARGETED = settings(FUZZ, max_examples=8)


def make_embedder(**params):
    return Seq2SeqEmbedder(
        **{
            "hidden_size": HIDDEN,
            "max_epochs": 1,
            "batch_size": 8,
            "random_state": 0,
            **params,
        }
    )


def make_clusterer(**params):
    return Seq2SeqClusterer(
        **{
            "n_clusters": N_CLUSTERS,
            "embedder": make_embedder(),
            "random_state": 0,
            **params,
        }
    )


def make_segmenter(**params):
    # 10 fps, windows of 3 observed + 3 predicted frames: recordings need >= 6 frames.
    return TemporalSegmenter(
        **{
            "n_clusters": N_CLUSTERS,
            "fps": 10,
            "working_fps": 10,
            "observed_seconds": 0.3,
            "predicted_seconds": 0.3,
            "embedder": Seq2SeqEmbedder(hidden_size=HIDDEN, max_epochs=1),
            "context_seconds": (0.5,),
            "random_state": 0,
            **params,
        }
    )


@pytest.fixture(scope="module")
def fitted():
    """Estimators fitted once on good data (2 channels, 8-step sequences, 20-frame recording)."""
    rng = np.random.default_rng(0)
    sequences = rng.standard_normal((6, FIT_STEPS, N_FEATURES))
    recording = rng.standard_normal((20, N_FEATURES))
    return {
        "embedder": make_embedder().fit(sequences),
        "clusterer": make_clusterer().fit(sequences),
        "segmenter": make_segmenter().fit(recording),
    }


# -- the operations under test ---------------------------------------------

FIT_OPS = ["embedder.fit", "clusterer.fit", "segmenter.fit"]
SEQUENCE_OPS = [
    "embedder.fit",
    "clusterer.fit",
    "embedder.transform",
    "embedder.transform_states",
    "embedder.forecast",
    "embedder.score_samples",
    "clusterer.predict",
]
RECORDING_OPS = ["segmenter.fit", "segmenter.predict"]
ALL_OPS = SEQUENCE_OPS + RECORDING_OPS
PREDICT_OPS = [op for op in ALL_OPS if op not in FIT_OPS]


def run(op, X, fitted):
    """Call ``op`` on X; fit operations fit a fresh estimator and return its output on X."""
    if op == "embedder.fit":
        return make_embedder().fit_transform(X)
    if op == "clusterer.fit":
        return make_clusterer().fit_predict(X)
    if op == "segmenter.fit":
        return make_segmenter().fit_predict(X)
    name, method = op.split(".")
    return getattr(fitted[name], method)(X)


def min_length(op, fitted):
    """Shortest valid sequence / recording for op (of the tiny settings above)."""
    if op in RECORDING_OPS:
        return 6
    if op in FIT_OPS:
        return 2
    return fitted["embedder"].prediction_length_ + 1  # 5


def _ndim(X):
    try:
        return np.ndim(X)
    except ValueError:  # ragged nested lists
        return None


def is_recording_list(X):
    """A list of recordings: its items are 1D or 2D arrays, or 2D array-likes (nested lists).

    (A list of flat lists of numbers is one recording, rows of frames.)
    """
    return (
        isinstance(X, (list, tuple))
        and len(X) > 0
        and all(
            (isinstance(r, np.ndarray) and r.ndim in (1, 2))
            or (isinstance(r, (list, tuple)) and _ndim(r) == 2)
            for r in X
        )
    )


def check_result(op, X, result, fitted):
    """The documented output of op on X: shape, dtype, finite values."""
    if op in RECORDING_OPS:
        if is_recording_list(X):  # a list of recordings (1D items are univariate)
            assert isinstance(result, list), f"{op}: a list of recordings gave {type(result)}"
            assert len(result) == len(X)
            for labels, rec in zip(result, X):
                check_labels(op, labels, len(rec))
        else:
            assert _ndim(X) in (1, 2), (
                f"{op} accepted an undocumented input ({describe(X)}) and returned {result!r}"
            )
            check_labels(op, result, len(X))
        return
    if isinstance(X, np.ndarray):
        assert X.ndim in (2, 3), (
            f"{op} accepted an undocumented input ({describe(X)}) and returned {result!r}"
        )
    n = len(X)
    embedder = fitted["embedder"]
    expected = {
        "embedder.fit": (n, HIDDEN),
        "embedder.transform": (n, HIDDEN),
        "embedder.transform_states": (n, embedder.prediction_length_, HIDDEN),
        "embedder.forecast": (n, embedder.prediction_length_, N_FEATURES),
        "embedder.score_samples": (n,),
    }
    if op in ("clusterer.fit", "clusterer.predict"):
        check_labels(op, result, n)
        return
    assert isinstance(result, np.ndarray), f"{op} returned {type(result)}"
    assert result.shape == expected[op], (
        f"{op} on {describe(X)} returned shape {result.shape}, expected {expected[op]}"
    )
    assert np.isfinite(result).all(), f"{op} on {describe(X)} returned non-finite values {result}"


def check_labels(op, labels, n):
    assert isinstance(labels, np.ndarray), f"{op} returned {type(labels)}"
    assert labels.shape == (n,), f"{op} returned labels of shape {labels.shape}, expected ({n},)"
    assert np.issubdtype(labels.dtype, np.integer), f"{op} returned labels of dtype {labels.dtype}"
    assert ((labels >= 0) & (labels < N_CLUSTERS)).all(), f"{op} returned labels {labels}"


def describe(X):
    if isinstance(X, np.ndarray):
        return f"array of shape {X.shape}, dtype {X.dtype}"
    if isinstance(X, (list, tuple)):
        return f"{type(X).__name__} of [{', '.join(describe(x) for x in X)}]"
    return repr(X)


# -- the contract ------------------------------------------------------------


@contextlib.contextmanager
def record_training():
    """Record every training step skorch takes inside the block."""
    steps = []
    train_step, train_step_single = NeuralNet.train_step, Seq2SeqNet.train_step_single

    def spy_train_step(self, *args, **kwargs):
        steps.append("train_step")
        return train_step(self, *args, **kwargs)

    def spy_train_step_single(self, *args, **kwargs):
        steps.append("train_step_single")
        return train_step_single(self, *args, **kwargs)

    with (
        mock.patch.object(NeuralNet, "train_step", spy_train_step),
        mock.patch.object(Seq2SeqNet, "train_step_single", spy_train_step_single),
    ):
        yield steps


def assert_unchanged(after, before, path="X"):
    """``after`` equals its deep copy ``before`` (NaN equal to NaN)."""
    assert type(after) is type(before), f"{path} changed type"
    if isinstance(after, np.ndarray):
        assert after.dtype == before.dtype and after.shape == before.shape, f"{path} was changed"
        if after.dtype == object:
            for i, (a, b) in enumerate(zip(after.ravel(), before.ravel())):
                assert_unchanged(a, b, f"{path}.flat[{i}]")
        else:
            assert after.tobytes() == before.tobytes(), f"{path} was modified in place"
    elif isinstance(after, (list, tuple)):
        assert len(after) == len(before), f"{path} changed length"
        for i, (a, b) in enumerate(zip(after, before)):
            assert_unchanged(a, b, f"{path}[{i}]")
    elif isinstance(after, (float, np.floating, complex, np.complexfloating)) and np.isnan(after):
        assert np.isnan(before), f"{path} was changed"
    else:
        assert after == before, f"{path} was changed: {before!r} -> {after!r}"


def check_contract(
    op, X, fitted, *, must_raise=False, match=None, exceptions=(ValueError, TypeError)
):
    """Call op on X: a clear error before training, or a documented, finite result.

    Returns the exception raised, or None. ``match``: a regex the message must
    contain when an exception is raised.
    """
    before = copy.deepcopy(X)
    items = [id(item) for item in X] if isinstance(X, list) else None
    with record_training() as steps:
        try:
            result = run(op, X, fitted)
        except exceptions as exc:
            error = exc
        else:
            error = None
    assert_unchanged(X, before)
    if items is not None:
        assert [id(item) for item in X] == items, "the items of the input list were replaced"
    event(f"{op}: {type(error).__name__ if error else 'result'}")
    if error is None:
        assert not must_raise, f"{op} accepted {describe(X)}; an error was expected"
        check_result(op, X, result, fitted)
        return None
    message = str(error)
    assert not steps, (
        f"{op} on {describe(X)} raised {type(error).__name__} after {len(steps)} training "
        f"step(s); validate the input before training: {message!r}"
    )
    assert len(message.strip()) >= 10 and re.search(r"[A-Za-z]{3}", message), (
        f"{op} on {describe(X)}: uninformative {type(error).__name__} message {message!r}"
    )
    if match is not None:
        assert re.search(match, message), (
            f"{op} on {describe(X)}: {type(error).__name__} message {message!r} does not "
            f"match {match!r}"
        )
    return error


def test_training_spy_sees_training():
    """The spy is not vacuous: a good fit takes training steps, inference takes none."""
    X = np.random.default_rng(0).standard_normal((4, 6, 2))
    with record_training() as steps:
        embedder = make_embedder().fit(X)
    assert steps
    with record_training() as steps:
        embedder.transform(X)
    assert not steps


# -- strategies --------------------------------------------------------------

NAN, INF = float("nan"), float("inf")
SPECIAL_VALUES = {
    np.float16: [NAN, INF, -INF, 65504.0, -65504.0],
    np.float32: [NAN, INF, -INF, float(np.finfo(np.float32).max), -3e38, 1e30],
    np.float64: [NAN, INF, -INF, 1e155, -1e155, 1e300, -1e300, float(np.finfo(np.float64).max)],
    np.complex128: [complex(NAN, 0), complex(INF, 1), 1e300 + 0j],
}
HUGE_VALUES = [1e155, -1e155, 1e300, -1e300, float(np.finfo(np.float64).max), 3.4e38, 1e39]
DTYPES = [
    np.bool_,
    np.int8,
    np.uint8,
    np.int64,
    np.float16,
    np.float32,
    np.float64,
    np.complex128,
    "numbers",
    "objects",  # object arrays of numbers only, or also of None/str
]
SEQUENCE_SIDES = (5, 9, 3, 2)  # n_samples, n_timesteps, n_features, a 4th axis
RECORDING_SIDES = (12, 3, 3, 2)  # n_frames, n_features, ...


def shapes(sides):
    """Shapes of 0 to len(sides) dimensions, axis i of size 0..sides[i]."""
    return st.integers(0, len(sides)).flatmap(
        lambda ndim: st.tuples(*[st.integers(0, side) for side in sides[:ndim]])
    )


def clean_elements(dtype):
    if dtype == "numbers":
        return st.one_of(st.floats(-3, 3), st.integers(-3, 3))
    if dtype == "objects":
        return st.one_of(
            st.floats(-3, 3),
            st.integers(-3, 3),
            st.none(),
            st.text(max_size=2),
            st.just(NAN),
            st.just(1 + 2j),
        )
    kind = np.dtype(dtype).kind
    if kind == "f":
        return st.floats(-3, 3, width=8 * np.dtype(dtype).itemsize)
    if kind == "c":
        return st.complex_numbers(max_magnitude=3, allow_nan=False, allow_infinity=False)
    return hnp.from_dtype(np.dtype(dtype))  # bool and the full range of ints


def plausible_shapes(recordings):
    """Accepted shapes: (n_frames, n_features), or (n_samples, n_timesteps[, n_features])."""
    if recordings:
        return st.tuples(st.integers(6, 12), st.sampled_from([1, N_FEATURES]))
    steps = st.sampled_from([1, 2, 5, 6, 8])
    return st.tuples(st.integers(1, 4), steps, st.sampled_from([N_FEATURES, N_FEATURES, 1])) | (
        st.tuples(st.integers(1, 4), steps)
    )


@st.composite
def any_arrays(draw, sides):
    """Arrays of any dtype and 0-4 dimensions, sometimes with a non-finite or huge entry."""
    dtype = draw(st.sampled_from(DTYPES))
    shape = draw(shapes(sides) | plausible_shapes(sides == RECORDING_SIDES))
    array_dtype = object if isinstance(dtype, str) else dtype
    X = draw(hnp.arrays(array_dtype, shape, elements=clean_elements(dtype)))
    if X.size and dtype in SPECIAL_VALUES and draw(st.booleans()):
        X.flat[draw(st.integers(0, X.size - 1))] = draw(st.sampled_from(SPECIAL_VALUES[dtype]))
    return X


def random_array(draw, shape, dtype=np.float64):
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    return rng.standard_normal(shape).astype(dtype)


ITEM_KINDS = ["ok"] * 12 + [
    "short",
    "channels",
    "univariate",
    "none",
    "scalar",
    "string",
    "nan",
    "inf",
    "huge",
    "nested_list",
    "complex",
    "int",
    "bool",
    "float16",
    "3d",
]


@st.composite
def any_lists(draw, recordings):
    """Lists of sequences (or recordings) with a mix of good and bad items."""
    n_features = draw(st.sampled_from([N_FEATURES, N_FEATURES, 1, 3]))
    lo, hi = (6, 12) if recordings else (5, 9)
    items = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(ITEM_KINDS))
        length = draw(st.integers(lo, hi))
        item = random_array(draw, (length, n_features))
        if kind == "short":
            item = item[: draw(st.integers(0, 1))]
        elif kind == "channels":
            item = random_array(draw, (length, draw(st.sampled_from([0, n_features + 1]))))
        elif kind == "univariate":
            item = item[:, 0]
        elif kind == "none":
            item = None
        elif kind == "scalar":
            item = draw(st.sampled_from([3.0, np.float64(3.0), 2, np.int32(1), True]))
        elif kind == "string":
            item = draw(st.sampled_from(["abc", ""]))
        elif kind in ("nan", "inf", "huge"):
            value = {"nan": [NAN], "inf": [INF, -INF], "huge": HUGE_VALUES}[kind]
            item.flat[draw(st.integers(0, item.size - 1))] = draw(st.sampled_from(value))
        elif kind == "nested_list":
            item = item.tolist()
        elif kind == "complex":
            item = item.astype(np.complex128)
        elif kind == "int":
            item = (10 * item).astype(np.int64)
        elif kind == "bool":
            item = item > 0
        elif kind == "float16":
            item = item.astype(np.float16)
        elif kind == "3d":
            item = item[None]
        items.append(item)
    return draw(st.sampled_from([list, tuple]))(items) if items else []


@st.composite
def valid_inputs(draw, op, as_list=None):
    """Good data for op: an array or a list of arrays, float64, 2 channels."""
    as_list = draw(st.booleans()) if as_list is None else as_list
    if op in RECORDING_OPS:
        lengths = draw(st.lists(st.integers(8, 12), min_size=1, max_size=3))
        if not as_list:
            return random_array(draw, (lengths[0], N_FEATURES))
        return [random_array(draw, (n, N_FEATURES)) for n in lengths]
    n_samples = draw(st.integers(3, 4))
    if not as_list:
        return random_array(draw, (n_samples, draw(st.integers(5, 7)), N_FEATURES))
    lengths = draw(st.lists(st.integers(5, 8), min_size=n_samples, max_size=n_samples))
    return [random_array(draw, (n, N_FEATURES)) for n in lengths]


# -- generated inputs of every kind: the contract ------------------------------


@FUZZ
@given(data=st.data())
@pytest.mark.parametrize("op", ALL_OPS)
def test_arbitrary_arrays(op, fitted, data):
    sides = RECORDING_SIDES if op in RECORDING_OPS else SEQUENCE_SIDES
    check_contract(op, data.draw(any_arrays(sides), label="X"), fitted)


@FUZZ
@given(data=st.data())
@pytest.mark.parametrize("op", ALL_OPS)
def test_arbitrary_lists(op, fitted, data):
    check_contract(op, data.draw(any_lists(op in RECORDING_OPS), label="X"), fitted)


# -- specific defects: the error and its message --------------------------------


def _item_and_position(draw, X):
    """(array holding the entry to change, flat index): in X itself or one of its items."""
    target = X[draw(st.integers(0, len(X) - 1))] if isinstance(X, list) else X
    return target, draw(st.integers(0, target.size - 1))


@TARGETED
@given(data=st.data())
@pytest.mark.parametrize("op", ALL_OPS)
def test_nan_and_inf_are_refused_by_name(op, fitted, data):
    X = data.draw(valid_inputs(op), label="X")
    dtype = data.draw(st.sampled_from([np.float16, np.float32, np.float64]), label="dtype")
    X = [x.astype(dtype) for x in X] if isinstance(X, list) else X.astype(dtype)
    target, position = _item_and_position(data.draw, X)
    target.flat[position] = data.draw(st.sampled_from([NAN, INF, -INF]), label="value")
    check_contract(op, X, fitted, must_raise=True, match=r"(?i)\bnan\b|inf")


@TARGETED
@given(data=st.data())
@pytest.mark.parametrize("op", ALL_OPS)
def test_huge_finite_values_give_finite_results_or_a_named_error(op, fitted, data):
    X = data.draw(valid_inputs(op), label="X")
    target, position = _item_and_position(data.draw, X)
    target.flat[position] = data.draw(st.sampled_from(HUGE_VALUES), label="value")
    check_contract(
        op,
        X,
        fitted,
        match=r"(?i)range|large|overflow|inf|finite|magnitude|exceed|float32|big|extreme",
    )


@TARGETED
@given(data=st.data())
@pytest.mark.parametrize("op", ALL_OPS)
def test_complex_values_are_refused(op, fitted, data):
    X = data.draw(valid_inputs(op), label="X")
    imaginary = data.draw(st.sampled_from([0.0, 1.0]), label="imaginary")
    if isinstance(X, list):
        i = data.draw(st.integers(0, len(X) - 1), label="item")
        X[i] = X[i] + 1j * imaginary
    else:
        X = X + 1j * imaginary
    check_contract(op, X, fitted, must_raise=True, match="omplex")


@TARGETED
@given(data=st.data())
@pytest.mark.parametrize("op", ALL_OPS)
def test_none_is_refused_by_name(op, fitted, data):
    if data.draw(st.booleans(), label="X is None"):
        X = None
    else:  # a list with a None item
        X = data.draw(valid_inputs(op, as_list=True), label="X")
        X[data.draw(st.integers(0, len(X) - 1), label="item")] = None
    check_contract(op, X, fitted, must_raise=True, match="None")


@TARGETED
@given(data=st.data())
@pytest.mark.parametrize("op", ALL_OPS)
def test_none_entry_of_object_array_is_refused_by_name(op, fitted, data):
    """A None among numbers is not reported as a NaN the user never wrote."""
    X = data.draw(valid_inputs(op), label="X")
    if isinstance(X, list):
        i = data.draw(st.integers(0, len(X) - 1), label="item")
        X[i] = X[i].astype(object)
        X[i].flat[data.draw(st.integers(0, X[i].size - 1), label="entry")] = None
    else:
        X = X.astype(object)
        X.flat[data.draw(st.integers(0, X.size - 1), label="entry")] = None
    check_contract(op, X, fitted, must_raise=True, match="None")


@TARGETED
@given(data=st.data())
@pytest.mark.parametrize("op", ALL_OPS)
def test_too_short_item_is_named_with_its_length(op, fitted, data):
    X = data.draw(valid_inputs(op, as_list=True), label="X")
    if len(X) == 1:
        X.append(X[0].copy())
    i = data.draw(st.integers(0, len(X) - 1), label="index")
    length = data.draw(st.integers(0, min_length(op, fitted) - 1), label="length")
    X[i] = X[i][:length]
    error = check_contract(op, X, fitted, must_raise=True, exceptions=(ValueError,))
    message = str(error)
    named = re.search(
        rf"(?i)\b(sequence|recording|item|index|element|entry)\s*(#|no\.?|number|at index)?"
        rf"\s*\[?{i}\b|X\[{i}\]",
        message,
    )
    assert named, f"{op}: the message does not name the too-short item {i}: {message!r}"
    rest = message[: named.start()] + message[named.end() :]
    assert re.search(rf"\b{length}\b", rest), (
        f"{op}: the message does not give the too-short item's length {length}: {message!r}"
    )


@TARGETED
@given(data=st.data())
@pytest.mark.parametrize("op", ALL_OPS)
def test_channel_mismatch_is_refused(op, fitted, data):
    as_list = op in FIT_OPS or data.draw(st.booleans(), label="as_list")
    X = data.draw(valid_inputs(op, as_list=as_list), label="X")
    width = data.draw(st.sampled_from([1, 3]), label="channels")
    if as_list:
        if op in FIT_OPS and len(X) == 1:
            X.append(X[0].copy())
        i = data.draw(st.integers(0, len(X) - 1), label="item")
        X[i] = np.repeat(X[i][..., :1], width, axis=-1)
    else:  # a whole input of another width than the fitted one
        X = np.repeat(X[..., :1], width, axis=-1)
    check_contract(op, X, fitted, must_raise=True, match=r"(?i)feature|channel")


@TARGETED
@given(data=st.data())
@pytest.mark.parametrize("op", ALL_OPS)
def test_mixed_list_items_are_refused(op, fitted, data):
    X = data.draw(valid_inputs(op, as_list=True), label="X")
    odd = data.draw(st.sampled_from([3.0, np.float64(3.0), 7, "abc", [], {}]), label="item")
    X.insert(data.draw(st.integers(0, len(X)), label="position"), odd)
    check_contract(op, X, fitted, must_raise=True)


@settings(TARGETED, max_examples=5)
@given(data=st.data())
@pytest.mark.parametrize("op", FIT_OPS)
def test_list_of_1d_arrays_is_univariate_and_works(op, fitted, data):
    """1D items of a list are univariate sequences / recordings (documented), not rows."""
    lo, hi = (8, 12) if op in RECORDING_OPS else (5, 8)
    lengths = data.draw(st.lists(st.integers(lo, hi), min_size=3, max_size=4), label="lengths")
    X = [random_array(data.draw, (n,)) for n in lengths]
    assert check_contract(op, X, fitted) is None, f"{op} refused univariate items"


# -- numpy scalars as hyper-parameters must work --------------------------------

INT_TYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint32, np.uint64]
FLOAT_TYPES = [np.float16, np.float32, np.float64]

# name: (kind, value); kinds: "int", "float", "number" (int or float), "bool",
# "floats" (a tuple of one float).
EMBEDDER_SPEC = {
    "hidden_size": ("int", HIDDEN),
    "num_layers": ("int", 1),
    "prediction_length": ("int", 2),
    "batch_size": ("int", 8),
    "max_epochs": ("int", 1),
    "lr": ("float", 1e-3),
    "gradient_clipping": ("float", 1.0),
    "random_state": ("int", 0),
    "verbose": ("int", 0),
    "standardize": ("bool", True),
    "bidirectional_encoder": ("bool", False),
}
CLUSTERER_SPEC = {
    "n_clusters": ("int", N_CLUSTERS),
    "max_clusters": ("int", 3),
    "n_extra_clusters": ("int", 1),
    "random_state": ("int", 0),
    **{f"embedder__{name}": spec for name, spec in EMBEDDER_SPEC.items()},
}
SEGMENTER_SPEC = {
    "n_clusters": ("int", N_CLUSTERS),
    "fps": ("number", 10),
    "working_fps": ("number", 10),
    "observed_seconds": ("float", 0.3),
    "predicted_seconds": ("float", 0.3),
    "stride": ("int", 1),
    "embedder__hidden_size": ("int", HIDDEN),
    "embedder__max_epochs": ("int", 1),
    "embedder__batch_size": ("int", 8),
    "embedder__lr": ("float", 1e-3),
    "embedder__verbose": ("int", 0),
    "context_seconds": ("floats", 0.5),
    "min_duration_seconds": ("float", 0.5),
    "max_cluster_samples": ("int", 100),
    "random_state": ("int", 0),
}


def numpy_params(spec):
    """Every parameter of spec as a numpy scalar of an independently drawn type."""
    types = {
        "int": st.sampled_from(INT_TYPES),
        "float": st.sampled_from(FLOAT_TYPES),
        "number": st.sampled_from(INT_TYPES + FLOAT_TYPES),
        "bool": st.just(np.bool_),
        "floats": st.sampled_from(FLOAT_TYPES),
    }
    return st.fixed_dictionaries(
        {
            name: types[kind].map(
                lambda t, kind=kind, value=value: (t(value),) if kind == "floats" else t(value)
            )
            for name, (kind, value) in spec.items()
        }
    )


def uniform_params(spec, int_type, float_type):
    """Every parameter of spec as a numpy scalar: ints of int_type, floats of float_type."""
    params = {}
    for name, (kind, value) in spec.items():
        t = {"int": int_type, "number": int_type, "bool": np.bool_}.get(kind, float_type)
        params[name] = (t(value),) if kind == "floats" else t(value)
    return params


def numpy_scalar_examples(spec):
    """numpy_params(spec), plus explicit examples with each int type for every int parameter.

    Fits are too slow for shrinking a dictionary of ~15 draws, so a failing
    example is reported as drawn (the traceback names the parameter).
    """

    def decorate(test):
        test = given(params=numpy_params(spec))(test)
        for int_type, float_type in zip(INT_TYPES, itertools.cycle(FLOAT_TYPES)):
            test = example(params=uniform_params(spec, int_type, float_type))(test)
        return settings(TARGETED, max_examples=6, phases=NO_SHRINK)(test)

    return decorate


NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]


@numpy_scalar_examples(EMBEDDER_SPEC)
def test_numpy_scalar_parameters_embedder(params):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((4, 6, N_FEATURES))
    embedder = Seq2SeqEmbedder(**params).fit(X)
    pred = embedder.prediction_length_
    for method, shape in [
        ("transform", (4, HIDDEN)),
        ("transform_states", (4, pred, HIDDEN)),
        ("forecast", (4, pred, N_FEATURES)),
        ("score_samples", (4,)),
    ]:
        result = getattr(embedder, method)(list(X))
        assert result.shape == shape, method
        assert np.isfinite(result).all(), method


@numpy_scalar_examples(CLUSTERER_SPEC)
def test_numpy_scalar_parameters_clusterer(params):
    X = np.random.default_rng(0).standard_normal((6, 6, N_FEATURES))
    embedder_params = {k[len("embedder__") :]: v for k, v in params.items() if "__" in k}
    params = {k: v for k, v in params.items() if "__" not in k}
    clusterer = Seq2SeqClusterer(embedder=Seq2SeqEmbedder(**embedder_params), **params)
    check_labels("clusterer.fit", clusterer.fit_predict(X), 6)
    check_labels("clusterer.predict", clusterer.predict(X), 6)
    assert np.isfinite(clusterer.embedding_).all()


@numpy_scalar_examples(SEGMENTER_SPEC)
def test_numpy_scalar_parameters_segmenter(params):
    X = np.random.default_rng(0).standard_normal((20, N_FEATURES))
    # embedder__<name> on the default net, whose states are used
    segmenter = TemporalSegmenter(features="states+frames").set_params(**params)
    check_labels("segmenter.fit", segmenter.fit_predict(X), 20)
    check_labels("segmenter.predict", segmenter.predict(X), 20)
    assert np.isfinite(segmenter.frame_embedding_).all()
