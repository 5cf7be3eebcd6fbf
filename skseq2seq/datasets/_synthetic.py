"""Synthetic sequences with known dynamic regimes."""

import numbers

import numpy as np
from sklearn.utils import check_random_state

from .._sklearn_compat import Interval, validate_params

__all__ = ["make_motion_sequences"]


@validate_params(
    {
        "n_sequences": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_timesteps": [Interval(numbers.Integral, 2, None, closed="left")],
        "n_features": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_regimes": [Interval(numbers.Integral, 1, None, closed="left")],
        "noise": [Interval(numbers.Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_motion_sequences(
    n_sequences=300, n_timesteps=40, n_features=6, n_regimes=4, noise=0.1, random_state=None
):
    """Multichannel oscillations whose regimes differ only in their dynamics.

    Regime ``r`` drives every channel at its own frequency with its own phase
    lag between channels (like limbs in a gait); each sequence starts at a
    random phase with a random amplitude. Every regime has the same
    per-channel mean (0) and spread, so only the temporal structure tells
    regimes apart: static features (mean/std per channel) cannot.

    Parameters
    ----------
    n_sequences : int, default=300
        Number of sequences (regimes drawn uniformly).
    n_timesteps : int, default=40
        Length of each sequence.
    n_features : int, default=6
        Channels.
    n_regimes : int, default=4
        Number of distinct dynamics.
    noise : float, default=0.1
        Standard deviation of the added Gaussian noise.
    random_state : int, RandomState instance or None, default=None
        Seed.

    Returns
    -------
    X : ndarray of shape (n_sequences, n_timesteps, n_features)
    y : ndarray of shape (n_sequences,)
        Regime of each sequence.

    Examples
    --------
    >>> from skseq2seq.datasets import make_motion_sequences
    >>> X, y = make_motion_sequences(n_sequences=10, random_state=0)
    >>> X.shape, y.shape
    ((10, 40, 6), (10,))
    """
    rng = check_random_state(random_state)
    # Fixed regime parameters (independent of random_state) so datasets drawn
    # with different seeds share the same regimes.
    regime_rng = np.random.RandomState(12345)
    frequencies = np.linspace(0.04, 0.16, n_regimes) if n_regimes > 1 else np.array([0.08])
    lags = regime_rng.uniform(0, 2 * np.pi, size=(n_regimes, n_features))
    y = rng.randint(n_regimes, size=n_sequences)
    t = np.arange(n_timesteps)[None, :, None]
    phase = rng.uniform(0, 2 * np.pi, size=(n_sequences, 1, 1))
    amplitude = rng.uniform(0.8, 1.2, size=(n_sequences, 1, n_features))
    angle = 2 * np.pi * frequencies[y][:, None, None] * t + phase + lags[y][:, None, :]
    X = amplitude * np.sin(angle) + noise * rng.standard_normal(
        (n_sequences, n_timesteps, n_features)
    )
    return X, y
