"""objective="contrastive": a GRU encoder trained so that two views of a sequence agree."""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .augmentations import default_augmentation

__all__ = ["ContrastiveModule", "NTXentLoss"]


class ContrastiveModule(nn.Module):
    """GRU encoder with a projection head, trained on pairs of augmented views (SimCLR).

    The module :class:`~skseq2seq.Seq2SeqEmbedder` builds for
    ``objective="contrastive"``. It follows :class:`~skseq2seq.Seq2SeqModule`'s
    interface, ``forward(X, lengths) -> (output, target, mask, states, code)``,
    with these meanings:

    - ``output``, ``target``: the projections of two views of each sequence,
      L2-normalised and divided by ``sqrt(temperature)`` (so that their dot
      products are cosine similarities over the temperature), shape
      ``(batch, projection_size)``; :class:`NTXentLoss` compares them. In
      training the views are two draws of ``augmentation``; otherwise both are
      the sequence itself.
    - ``mask``: the valid steps, shape ``(batch, n_timesteps)``;
    - ``states``: the encoder's per-step outputs (``embedding="decoder"``
      pools them; there is no decoder);
    - ``code``: the encoder's final state (both directions' with
      ``bidirectional_encoder``).

    Parameters
    ----------
    n_features : int
        Input channels per time step.
    hidden_size : int, default=128
        Size of the GRU states.
    num_layers : int, default=1
        Stacked GRU layers.
    bidirectional_encoder : bool, default=False
        Read sequences in both directions.
    augmentation : callable, default=None
        Makes a view: ``augmentation(X, lengths, generator)`` (see
        :mod:`skseq2seq.augmentations`); None means
        :func:`~skseq2seq.augmentations.default_augmentation`. Set through
        the embedder as ``module__augmentation``.
    temperature : float, default=0.2
        NT-Xent temperature (``module__temperature``).
    projection_size : int, default=128
        Output size of the projection head, a two-layer MLP on the mean and
        last encoder states (``module__projection_size``).
    **kwargs
        The embedder's other module arguments (``objective``,
        ``prediction_length``, ``decoder_input``, ``decoder_strategy``):
        accepted and unused, as there is no decoder.

    Examples
    --------
    >>> import torch
    >>> from skseq2seq import ContrastiveModule
    >>> module = ContrastiveModule(n_features=3, hidden_size=8)
    >>> z1, z2, mask, states, code = module(torch.zeros(4, 10, 3), torch.full((4,), 10))
    >>> tuple(z1.shape), tuple(states.shape), tuple(code.shape)
    ((4, 128), (4, 10, 8), (4, 8))
    """

    def __init__(
        self,
        n_features,
        hidden_size=128,
        num_layers=1,
        bidirectional_encoder=False,
        augmentation=None,
        temperature=0.2,
        projection_size=128,
        **kwargs,
    ):
        super().__init__()
        if not temperature > 0:
            raise ValueError(f"module__temperature must be > 0; got {temperature!r}.")
        self.augmentation = augmentation if augmentation is not None else default_augmentation()
        self.temperature = float(temperature)
        self.encoder = nn.GRU(
            n_features,
            hidden_size,
            num_layers,
            batch_first=True,
            bidirectional=bidirectional_encoder,
        )
        width = hidden_size * (2 if bidirectional_encoder else 1)
        self.projection = nn.Sequential(
            nn.Linear(2 * width, 2 * width), nn.ReLU(), nn.Linear(2 * width, projection_size)
        )
        # The views' randomness: a generator of its own, seeded now (under the
        # embedder's seed, as the weights are), so that training repeats.
        self.generator = torch.Generator().manual_seed(int(torch.randint(0, 2**62, ()).item()))

    def encode(self, X, lengths):
        """(per-step outputs zeroed past each end, final state, valid-step mask)."""
        n_steps = X.shape[1]
        cpu_lengths = lengths.cpu()
        if bool((cpu_lengths == n_steps).all()):
            states, h = self.encoder(X)
        else:
            packed = pack_padded_sequence(X, cpu_lengths, batch_first=True, enforce_sorted=False)
            states, h = self.encoder(packed)
            states, _ = pad_packed_sequence(states, batch_first=True, total_length=n_steps)
        mask = torch.arange(n_steps, device=X.device)[None, :] < lengths.to(X.device)[:, None]
        if self.encoder.bidirectional:
            code = torch.cat([h[-2], h[-1]], dim=1)
        else:
            code = h[-1]
        return states, code, mask

    def _project(self, X, lengths):
        states, code, mask = self.encode(X, lengths)
        weights = mask[:, :, None].to(states.dtype)
        pooled = torch.cat([(states * weights).sum(1) / weights.sum(1), code], dim=1)
        z = nn.functional.normalize(self.projection(pooled), dim=1)
        return z / self.temperature**0.5, states, code, mask

    def forward(self, X, lengths):
        if self.training:
            first = self.augmentation(X, lengths, self.generator)
            second = self.augmentation(X, lengths, self.generator)
            z1, states, code, mask = self._project(first, lengths)
            z2 = self._project(second, lengths)[0]
            return z1, z2, mask, states, code  # states, code: unused in training
        z, states, code, mask = self._project(X, lengths)
        return z, z, mask, states, code


class NTXentLoss(nn.Module):
    """Normalised temperature-scaled cross-entropy of two batches of views (SimCLR).

    Each view's positive is the other view of the same sequence; the other
    ``2 * batch - 2`` views are its negatives. Inputs are projections already
    normalised and scaled by ``1 / sqrt(temperature)`` (what
    :class:`ContrastiveModule` returns); ``mask`` is ignored.
    """

    def forward(self, output, target, mask=None):
        z = torch.cat([output, target]).float()
        n = len(output)
        logits = z @ z.T
        logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool, device=z.device), -1e9)
        positives = torch.cat([torch.arange(n, 2 * n), torch.arange(n)]).to(z.device)
        return nn.functional.cross_entropy(logits, positives)
