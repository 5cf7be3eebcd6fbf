"""SequenceScaler: the one per-channel preprocessing of padded sequences.

Seq2SeqEmbedder feeds the net through it (velocity channels, constant
channels dropped, range check, and back to the units of ``X`` for
``forecast``); the sequence baselines standardise their frames with it
(constant channels zeroed rather than dropped).
"""

import numpy as np

from ._stats import CHANNEL_TOLERANCE, constant_columns, fit_channel_scaler

__all__ = ["MAX_INPUT", "SequenceScaler"]

# Largest magnitude of the net's inputs (standardised units, or raw ones with
# standardize=False): far beyond any real data, yet squared errors of such
# values stay finite in float32 and in float16 autocast's reach after the
# first layer. Larger values are refused rather than turned into NaN.
MAX_INPUT = 1e6

# Rows standardised at a time by SequenceScaler.transform_for_net: bounded float64 copies.
_CHUNK = 256


class SequenceScaler:
    """Per-channel standardisation of padded sequences, fitted on their valid frames.

    Parameters
    ----------
    with_velocity : bool, default=False
        Append each channel's first difference (the first frame repeats the
        second's) as extra channels, standardised like the others.
    standardize : bool, default=True
        Standardise the channels; False passes them through as they are
        (all kept).
    constant : {"drop", "zero"}, default="drop"
        What becomes of channels that barely move (spread at most
        ``CHANNEL_TOLERANCE * max(1, |mean|)``): left out of the output, or
        set to 0. When every channel is constant, "drop" keeps them all.
    max_value : float or None, default=None
        :meth:`transform_for_net` refuses standardised values beyond this
        magnitude (NaN and inf included), naming where they are.

    Attributes
    ----------
    scaler_ : StandardScaler or None
        Statistics of the channels (velocity ones included); None when
        ``standardize=False``.
    kept_ : ndarray of shape (n_channels,), dtype bool
        Channels that move (all with ``standardize=False``).
    n_features_in_ : int
        Channels of the sequences, before velocity ones are appended.
    """

    def __init__(self, *, with_velocity=False, standardize=True, constant="drop", max_value=None):
        self.with_velocity = with_velocity
        self.standardize = standardize
        self.constant = constant
        self.max_value = max_value

    def channels(self, data):
        """The sequences' channels, then their first differences with ``with_velocity``."""
        if not self.with_velocity:
            return data
        velocity = np.diff(data, axis=1)
        velocity = np.concatenate([velocity[:, :1], velocity], axis=1)
        return np.concatenate([data, velocity], axis=2)

    def fit(self, data, lengths):
        """Fit the statistics on the valid frames of padded ``data`` (n, T, n_features)."""
        self._fit(self.channels(data), lengths, data.shape[2])
        return self

    def fit_transform_for_net(self, data, lengths):
        """:meth:`fit`, then :meth:`transform_for_net` (the channels computed once)."""
        channels = self.channels(data)
        self._fit(channels, lengths, data.shape[2])
        return self.transform_for_net(data, lengths, channels=channels)

    def _fit(self, channels, lengths, n_features):
        self.n_features_in_ = n_features
        if not self.standardize:
            self.scaler_ = None
            self.kept_ = np.ones(channels.shape[2], dtype=bool)
            return
        if (lengths == channels.shape[1]).all():
            frames = channels.reshape(-1, channels.shape[2])  # a view: no copy of the data
        else:
            frames = channels[np.arange(channels.shape[1])[None, :] < lengths[:, None]]
        self.scaler_ = fit_channel_scaler(frames)
        kept = ~constant_columns(self.scaler_, CHANNEL_TOLERANCE)
        # All channels constant: keep them (the net then sees zeros) rather than none.
        self.kept_ = kept if kept.any() or self.constant == "zero" else np.ones_like(kept)

    def _standardized(self, channels):
        """The output channels of ``channels``, standardised: a new float64 array."""
        if self.constant == "zero":
            data = channels.astype(np.float64)
        else:
            data = channels[..., self.kept_].astype(np.float64, copy=False)  # indexed: a copy
        if self.scaler_ is not None:
            kept = slice(None) if self.constant == "zero" else self.kept_
            # In place: the same arithmetic as (data - mean) / scale, one array less.
            with np.errstate(over="ignore", invalid="ignore"):
                data -= self.scaler_.mean_[kept]
                data /= self.scaler_.scale_[kept]
        if self.constant == "zero":
            data[..., ~self.kept_] = 0.0
        return data

    def transform(self, data, lengths):
        """Standardised output channels, float64, NaN past each sequence's end.

        Parameters
        ----------
        data : ndarray of shape (n_samples, n_timesteps, n_features_in_)
        lengths : ndarray of shape (n_samples,)

        Returns
        -------
        channels : ndarray of shape (n_samples, n_timesteps, n_out)
        """
        out = self._standardized(self.channels(data))
        out[np.arange(out.shape[1])[None, :] >= lengths[:, None]] = np.nan
        return out

    def transform_for_net(self, data, lengths, index=None, *, channels=None):
        """Standardised output channels as the net reads them: float32, zero past the ends.

        Values beyond ``max_value`` raise a ValueError naming where they are
        (``index``: the sequences' numbers in the user's ``X``, by default
        their rows here). The work is done a few rows at a time (bounded
        float64 copies). ``channels``: :meth:`channels` of ``data``, if at hand.
        """
        index = np.arange(len(data)) if index is None else index
        n_out = int(self.kept_.sum()) if self.constant == "drop" else len(self.kept_)
        out = np.empty(data.shape[:2] + (n_out,), dtype=np.float32)
        for start in range(0, len(data), _CHUNK):
            rows = slice(start, start + _CHUNK)
            part = self._standardized(
                self.channels(data[rows]) if channels is None else channels[rows]
            )
            padding = np.arange(part.shape[1])[None, :] >= lengths[rows, None]
            if padding.any():
                part = np.where(padding[:, :, None], 0.0, part)
            self._check_range(part, index[rows])
            out[rows] = part
        return out

    def _check_range(self, data, index):
        if self.max_value is None:
            return
        limit = self.max_value
        # Two reductions without temporaries settle the usual case (NaN fails them).
        if data.size == 0 or (data.min() >= -limit and data.max() <= limit):
            return
        with np.errstate(invalid="ignore"):
            bad = ~(np.abs(data) <= limit)  # also catches inf and NaN
        if not bad.any():
            return
        sample, step, channel = (int(i[0]) for i in np.nonzero(bad))
        value = data[sample, step, channel]
        channel = int(np.flatnonzero(self.kept_)[channel]) % self.n_features_in_
        sample = int(index[sample])
        if self.scaler_ is None:
            raise ValueError(
                f"X has values out of range for standardize=False: {value:.3g} in sequence "
                f"{sample}, step {step}, channel {channel}; the net takes values up to "
                f"{limit:g} in magnitude. Use standardize=True (the default) or rescale X."
            )
        raise ValueError(
            f"X has values out of the range seen in fit: sequence {sample}, step {step}, "
            f"channel {channel} lies {abs(value):.3g} standard deviations from the channel's "
            f"training mean (at most {limit:g} are accepted)."
        )

    def inverse_transform(self, values):
        """Standardised output channels mapped back to the sequences' units.

        Parameters
        ----------
        values : ndarray of shape (..., n_out)
            Rows whose first value is NaN stay NaN.

        Returns
        -------
        values : ndarray of shape (..., n_features_in_)
            Dropped (constant) channels hold their mean; with
            ``with_velocity`` the differences are left out.
        """
        kept = self.kept_
        values = values[..., kept] if self.constant == "zero" else values
        full = np.empty(values.shape[:-1] + (len(kept),), dtype=np.float64)
        if self.scaler_ is None:
            full[..., kept] = values
        else:
            full[..., kept] = values * self.scaler_.scale_[kept] + self.scaler_.mean_[kept]
            full[..., ~kept] = self.scaler_.mean_[~kept]
        full[np.isnan(values[..., 0])] = np.nan
        return full[..., : self.n_features_in_]
