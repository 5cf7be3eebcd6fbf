"""Random transformations of batches of sequences, for contrastive training.

``Seq2SeqEmbedder(objective="contrastive")`` trains its encoder to give two
random views of the same sequence nearby embeddings and other sequences'
views distant ones; these objects make the views. Each is called as
``augmentation(X, lengths, generator)`` on a padded float tensor ``X`` of
shape ``(batch, n_timesteps, n_channels)`` (standardised channels, zero past
each sequence's end), the int64 ``lengths`` and a ``torch.Generator`` that
draws the randomness (so that training is repeatable), and returns a new
tensor of the same shape, still zero past each end. :class:`Compose` chains
them; any callable with that signature can take their place.

The defaults follow skeleton contrastive learning (SkeletonCLR, AimCLR):
crop-and-resize in time, per-channel scaling, jitter and time masking. On
motion capture windows crop-and-resize mattered most.
"""

import numbers

import torch

__all__ = ["ChannelScale", "Compose", "CropResize", "Jitter", "TimeMask", "default_augmentation"]


def _uniform(shape, low, high, generator, like):
    """Uniform draws on the CPU generator, moved to ``like``'s device and dtype."""
    draws = torch.rand(shape, generator=generator, dtype=torch.float64)
    return (low + (high - low) * draws).to(device=like.device, dtype=like.dtype)


def _valid(X, lengths):
    """(batch, n_timesteps, 1) mask of the steps inside each sequence."""
    steps = torch.arange(X.shape[1], device=X.device)
    return (steps[None, :] < lengths.to(X.device)[:, None])[:, :, None].to(X.dtype)


def _check_range(name, low, high, lowest=0.0):
    if not (
        isinstance(low, numbers.Real) and isinstance(high, numbers.Real) and lowest <= low <= high
    ):
        raise ValueError(f"{name} needs {lowest} <= low <= high; got ({low!r}, {high!r}).")


class _Augmentation:
    """repr from the constructor's arguments (stored under their own names)."""

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self):
        return hash((type(self).__name__, repr(self)))


class CropResize(_Augmentation):
    """Crop a random stretch of each sequence and stretch it back to the sequence's length.

    The stretch covers a fraction of the sequence drawn uniformly from
    ``scale``, at a uniform position, and is resampled by linear
    interpolation: the view shows part of the movement, slower.

    Parameters
    ----------
    scale : tuple of (float, float), default=(0.6, 1.0)
        Smallest and largest fraction of each sequence kept, in (0, 1].

    Examples
    --------
    >>> import torch
    >>> from skseq2seq.augmentations import CropResize
    >>> X = torch.arange(5.0).reshape(1, 5, 1)
    >>> view = CropResize(scale=(0.5, 0.5))(X, torch.tensor([5]), torch.Generator())
    >>> tuple(view.shape), float(view[0, -1, 0] - view[0, 0, 0])  # half the span
    ((1, 5, 1), 2.0)
    """

    def __init__(self, scale=(0.6, 1.0)):
        self.scale = scale

    def __call__(self, X, lengths, generator):
        low, high = self.scale
        _check_range("CropResize's scale", low, high)
        if not 0 < low <= high <= 1:
            raise ValueError(f"CropResize's scale must lie in (0, 1]; got {self.scale!r}.")
        batch, n_steps, n_channels = X.shape
        length = lengths.to(X.device, X.dtype)
        last = length - 1  # positions run from 0 to last
        span = _uniform(batch, low, high, generator, X) * last
        start = _uniform(batch, 0.0, 1.0, generator, X) * (last - span)
        steps = torch.arange(n_steps, device=X.device, dtype=X.dtype)
        fraction = steps[None, :] / torch.clamp(last, min=1.0)[:, None]
        position = start[:, None] + fraction * span[:, None]
        position = torch.minimum(position.clamp(min=0.0), last[:, None])
        before = position.floor().long()
        after = torch.minimum(before + 1, (lengths.to(X.device) - 1)[:, None])
        weight = (position - before)[:, :, None]

        def frames(index):
            return X.gather(1, index[:, :, None].expand(-1, -1, n_channels))

        return (frames(before) * (1 - weight) + frames(after) * weight) * _valid(X, lengths)


class ChannelScale(_Augmentation):
    """Multiply each channel of each sequence by a factor drawn uniformly from ``(low, high)``.

    Parameters
    ----------
    low, high : float, default=0.8, 1.2
        Range of the factors.

    Examples
    --------
    >>> import torch
    >>> from skseq2seq.augmentations import ChannelScale
    >>> X = torch.ones(2, 4, 3)
    >>> view = ChannelScale(0.5, 0.5)(X, torch.tensor([4, 2]), torch.Generator())
    >>> view[0, 0].tolist(), view[1, 3].tolist()  # the padding stays zero
    ([0.5, 0.5, 0.5], [0.0, 0.0, 0.0])
    """

    def __init__(self, low=0.8, high=1.2):
        self.low = low
        self.high = high

    def __call__(self, X, lengths, generator):
        _check_range("ChannelScale", self.low, self.high, lowest=-float("inf"))
        factors = _uniform((X.shape[0], 1, X.shape[2]), self.low, self.high, generator, X)
        return X * factors * _valid(X, lengths)


class Jitter(_Augmentation):
    """Add Gaussian noise of standard deviation ``std`` (standardised units) to every value.

    Parameters
    ----------
    std : float, default=0.1
        Standard deviation of the noise.

    Examples
    --------
    >>> import torch
    >>> from skseq2seq.augmentations import Jitter
    >>> view = Jitter(0.1)(torch.zeros(8, 50, 4), torch.full((8,), 50), torch.Generator())
    >>> 0.09 < float(view.std()) < 0.11
    True
    """

    def __init__(self, std=0.1):
        self.std = std

    def __call__(self, X, lengths, generator):
        if not (isinstance(self.std, numbers.Real) and self.std >= 0):
            raise ValueError(f"Jitter's std must be a number >= 0; got {self.std!r}.")
        noise = torch.randn(X.shape, generator=generator).to(device=X.device, dtype=X.dtype)
        return (X + self.std * noise) * _valid(X, lengths)


class TimeMask(_Augmentation):
    """With probability ``p``, zero a random span of ``min_steps``-``max_steps`` steps.

    Parameters
    ----------
    min_steps, max_steps : int, default=5, 15
        Range of the span's length (capped at each sequence's length).
    p : float, default=0.5
        Probability that a sequence is masked.

    Examples
    --------
    >>> import torch
    >>> from skseq2seq.augmentations import TimeMask
    >>> view = TimeMask(3, 3, p=1.0)(torch.ones(1, 10, 2), torch.tensor([10]),
    ...                              torch.Generator())
    >>> int((view[0, :, 0] == 0).sum())
    3
    """

    def __init__(self, min_steps=5, max_steps=15, p=0.5):
        self.min_steps = min_steps
        self.max_steps = max_steps
        self.p = p

    def __call__(self, X, lengths, generator):
        if not (isinstance(self.min_steps, numbers.Integral) and 0 <= self.min_steps):
            raise ValueError(f"TimeMask's min_steps must be an int >= 0; got {self.min_steps!r}.")
        _check_range("TimeMask's steps", self.min_steps, self.max_steps)
        if not (isinstance(self.p, numbers.Real) and 0 <= self.p <= 1):
            raise ValueError(f"TimeMask's p must lie in [0, 1]; got {self.p!r}.")
        batch = X.shape[0]
        length = lengths.to(X.device, torch.float64)
        span = torch.floor(_uniform(batch, self.min_steps, self.max_steps + 1, generator, length))
        span = torch.minimum(span, length)
        start = torch.floor(_uniform(batch, 0.0, 1.0, generator, length) * (length - span + 1))
        masked = _uniform(batch, 0.0, 1.0, generator, length) < self.p
        steps = torch.arange(X.shape[1], device=X.device, dtype=torch.float64)[None, :]
        hole = masked[:, None] & (steps >= start[:, None]) & (steps < (start + span)[:, None])
        return X * (~hole)[:, :, None].to(X.dtype)


class Compose(_Augmentation):
    """Apply augmentations one after the other.

    Parameters
    ----------
    augmentations : list of callables
        Each called as ``augmentation(X, lengths, generator)``.

    Examples
    --------
    >>> import torch
    >>> from skseq2seq.augmentations import Compose, CropResize, Jitter
    >>> augment = Compose([CropResize(), Jitter(0.05)])
    >>> augment(torch.zeros(4, 20, 3), torch.full((4,), 20), torch.Generator()).shape
    torch.Size([4, 20, 3])
    """

    def __init__(self, augmentations):
        self.augmentations = augmentations

    def __call__(self, X, lengths, generator):
        for augmentation in self.augmentations:
            X = augmentation(X, lengths, generator)
        return X


def default_augmentation():
    """The views ``objective="contrastive"`` trains on unless told otherwise.

    Crop 60-100 % resized back, per-channel scale 0.8-1.2, jitter 0.1, and
    with probability 0.5 a 5-15-step time mask.

    Returns
    -------
    augmentation : Compose

    Examples
    --------
    >>> from skseq2seq.augmentations import default_augmentation
    >>> [type(a).__name__ for a in default_augmentation().augmentations]
    ['CropResize', 'ChannelScale', 'Jitter', 'TimeMask']
    """
    return Compose([CropResize(), ChannelScale(), Jitter(), TimeMask()])
