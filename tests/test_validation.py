"""check_sequences: padding, lengths and layouts (property-based)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skseq2seq._validation import check_sequences


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
        assert not row[len(seq):].any()


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
    with pytest.raises(ValueError, match="X has 2 features per time step, but the estimator "
                                         "was fitted with 3"):
        check_sequences(np.zeros((2, 5, 2)), n_features=3)
