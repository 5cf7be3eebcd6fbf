"""The validation layer: sequences, recordings, devices, parameters."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from skseq2seq._validation import check_device, check_recordings, check_sequences, python_scalars


@settings(max_examples=50, deadline=None)
@given(
    lengths=st.lists(st.integers(2, 12), min_size=1, max_size=6),
    n_features=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_ragged_list_is_padded_with_zeros_and_keeps_values(lengths, n_features, seed):
    rng = np.random.RandomState(seed)
    seqs = [rng.randn(n, n_features) for n in lengths]
    data, got_lengths = check_sequences(seqs)
    assert data.shape == (len(seqs), max(lengths), n_features)
    np.testing.assert_array_equal(got_lengths, lengths)
    for row, seq in zip(data, seqs):
        np.testing.assert_array_equal(row[: len(seq)], seq)
        assert not row[len(seq) :].any()


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 5), t=st.integers(2, 9), f=st.integers(1, 3))
def test_array_layouts(n, t, f):
    X = np.arange(n * t * f, dtype=np.float32).reshape(n, t, f)
    data, lengths = check_sequences(X)
    assert data is X or np.shares_memory(data, X)  # no copy of a float 3D array
    assert (lengths == t).all()
    univariate, _ = check_sequences(X[:, :, 0])
    assert univariate.shape == (n, t, 1)


def test_feature_count_is_checked():
    with pytest.raises(
        ValueError, match="X has 2 features per time step, but the estimator was fitted with 3"
    ):
        check_sequences(np.zeros((2, 5, 2)), n_features=3)


# -- containers (issue: internal crashes on odd containers) -----------------


@pytest.mark.parametrize(
    "X, error, match",
    [
        (None, TypeError, "X is None"),
        ("abc", TypeError, "must be a 3D array"),
        ([np.zeros((5, 2)), 3.0], ValueError, r"Item 1 of the list is a scalar \(3.0\)"),
        ([np.zeros((5, 2)), None], TypeError, "Sequence 1 is NoneType"),
        (
            [np.zeros((5, 2)), np.zeros((1, 2))],
            ValueError,
            r"Sequence 1 has 1 time step\(s\); sequences need at least 2",
        ),
        (
            [np.zeros((5, 2)), np.zeros((5, 2)), np.zeros((0, 2))],
            ValueError,
            r"Sequence 2 has 0 time step\(s\)",
        ),
        ([np.zeros((5, 2)), np.zeros((5, 2, 2))], ValueError, "Sequence 1 has 3 dimensions"),
        ([np.zeros((5, 2)), np.zeros((5, 3))], ValueError, "sequence 0 has 2 and sequence 1 has 3"),
        (np.zeros((3, 4), dtype=complex), ValueError, "Complex data not supported"),
        ([np.zeros((5, 2)), np.full((5, 2), np.nan)], ValueError, "Sequence 1 contains NaN"),
    ],
)
def test_bad_containers_name_the_problem(X, error, match):
    with pytest.raises(error, match=match):
        check_sequences(X)


def test_object_array_of_ragged_sequences_is_a_list():
    seqs = [np.ones((5, 2)), np.ones((3, 2))]
    ragged = np.empty(2, dtype=object)
    ragged[:] = seqs
    data, lengths = check_sequences(ragged)
    assert data.shape == (2, 5, 2) and lengths.tolist() == [5, 3]


def test_list_of_1d_items_is_univariate_everywhere():
    data, lengths = check_sequences([np.arange(4.0), np.arange(3.0)])
    assert data.shape == (2, 4, 1) and lengths.tolist() == [4, 3]
    recordings, is_list = check_recordings([np.arange(40.0), np.arange(30.0)])
    assert is_list and [r.shape for r in recordings] == [(40, 1), (30, 1)]


@pytest.mark.parametrize(
    "X, match",
    [
        (np.zeros(10), r"1D array .*X.reshape\(-1, 1\) \(or \[X\]\)"),
        (np.zeros((2, 10, 3)), r"3 dimensions .*pass list\(X\)"),
        ([np.zeros((10, 2)), np.zeros((0, 2))], "Recording 1 has 0 frames"),
    ],
)
def test_bad_recordings(X, match):
    with pytest.raises(ValueError, match=match):
        check_recordings(X)


def test_3d_recording_error_does_not_suggest_a_single_channel():
    with pytest.raises(ValueError) as info:
        check_recordings(np.zeros((2, 10, 3)))
    assert "reshape(-1, 1)" not in str(info.value)


# -- devices ----------------------------------------------------------------


def test_device_auto_and_cpu():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert check_device("auto").type == expected
    assert check_device("cpu") == torch.device("cpu")
    assert check_device(torch.device("cpu")) == torch.device("cpu")


@pytest.mark.parametrize(
    "device, match",
    [
        ("foo", "device='foo' is not a torch device"),
        ("meta", "not supported"),
    ],
)
def test_invalid_device(device, match):
    with pytest.raises(ValueError, match=match):
        check_device(device)


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_without_cuda_suggests_auto_or_cpu():
    with pytest.raises(ValueError, match=r"CUDA is not available.*device='auto'.*device='cpu'"):
        check_device("cuda")


def test_python_scalars():
    params = python_scalars({"a": np.int64(3), "b": np.float32(0.5), "c": np.bool_(True), "d": "x"})
    assert params == {"a": 3, "b": 0.5, "c": True, "d": "x"}
    assert [type(params[k]) for k in "abc"] == [int, float, bool]
