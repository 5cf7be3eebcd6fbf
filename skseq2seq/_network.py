"""The GRU encoder-decoder module and its masked loss."""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

__all__ = ["MaskedMSELoss", "Seq2SeqModule", "masked_squared_error", "pool_states"]


class Seq2SeqModule(nn.Module):
    """GRU encoder-decoder over padded batches of sequences.

    ``objective="predict"``: the encoder reads each sequence but its last
    ``prediction_length`` steps, which the decoder predicts (Su & Shlizerman).
    ``objective="reconstruct"``: the encoder reads the whole sequence and the
    decoder regenerates it (Predict & Cluster).

    This is the default ``module`` of :class:`~skseq2seq.Seq2SeqEmbedder`;
    a replacement (a subclass, or any ``torch.nn.Module``) must follow the
    same interface:

    - its constructor takes the keyword arguments below (the embedder passes
      them from its own parameters) plus any ``module__<name>`` given to the
      embedder;
    - ``forward(X, lengths)`` takes a float32 batch ``X`` of shape
      ``(batch, n_timesteps, n_features)`` (standardised, zero past each
      sequence's end) and the int64 ``lengths`` of shape ``(batch,)``, and
      returns ``(output, target, mask, states, code)``:

      - ``output``, ``target``: predicted and true frames, shape
        ``(batch, n_steps, n_features)``; the loss is their mean squared
        error over the valid steps;
      - ``mask``: bool, shape ``(batch, n_steps)``, the valid steps;
      - ``states``: the decoder's hidden states, shape
        ``(batch, n_steps, n_hidden)`` (``transform_states``, pooled by
        ``transform``);
      - ``code``: the encoder's final state, shape ``(batch, n_code)``
        (``embedding="encoder"``).

      ``n_steps`` is ``prediction_length`` (predict) or ``n_timesteps``
      (reconstruct).

    Parameters
    ----------
    n_features : int
        Input channels per time step.
    hidden_size : int, default=128
        Size of the GRU states.
    num_layers : int, default=1
        Stacked GRU layers in encoder and decoder.
    objective : {"predict", "reconstruct"}, default="predict"
        What the decoder outputs (see above).
    prediction_length : int or None, default=1
        Steps the decoder predicts (``objective="predict"``).
    decoder_input : {"previous_output", "teacher", "zeros"}, default="previous_output"
        What the decoder reads at each step.
    decoder_strategy : {None, "fixed_state", "fixed_weights"}, default=None
        Predict & Cluster strategies (see :class:`~skseq2seq.Seq2SeqEmbedder`).
    bidirectional_encoder : bool, default=False
        Read sequences in both directions.

    Examples
    --------
    >>> import torch
    >>> from skseq2seq._network import Seq2SeqModule
    >>> module = Seq2SeqModule(n_features=3, hidden_size=8, prediction_length=4)
    >>> output, target, mask, states, code = module(torch.zeros(2, 10, 3),
    ...                                             torch.tensor([10, 10]))
    >>> tuple(states.shape), tuple(code.shape)
    ((2, 4, 8), (2, 8))
    """

    def __init__(
        self,
        n_features,
        hidden_size=128,
        num_layers=1,
        objective="predict",
        prediction_length=1,
        decoder_input="previous_output",
        decoder_strategy=None,
        bidirectional_encoder=False,
    ):
        super().__init__()
        self.objective = objective
        self.prediction_length = prediction_length
        self.decoder_input = decoder_input
        self.decoder_strategy = decoder_strategy
        self.num_layers = num_layers
        self.hidden_size = hidden_size
        self.encoder = nn.GRU(
            n_features,
            hidden_size,
            num_layers,
            batch_first=True,
            bidirectional=bidirectional_encoder,
        )
        # Both directions' final states are mapped to the decoder's initial state.
        self.bridge = nn.Linear(2 * hidden_size, hidden_size) if bidirectional_encoder else None
        decoder_in = hidden_size if decoder_strategy == "fixed_state" else n_features
        self.decoder = nn.GRU(decoder_in, hidden_size, num_layers, batch_first=True)
        self.readout = nn.Linear(hidden_size, n_features)
        if decoder_strategy == "fixed_weights":
            # P&C: an untrained decoder forces the encoder to carry the information.
            self.decoder.requires_grad_(False)

    def encode(self, X, lengths):
        """Final encoder state: (decoder initial state, code)."""
        lengths = lengths.cpu()
        n_steps = int(lengths[0])
        if bool((lengths == n_steps).all()):
            # Equal lengths (fixed windows): the padded GRU call gives the same
            # states as a packed one, ~2x faster to train on CPU.
            _, h = self.encoder(X[:, :n_steps])
        else:
            packed = pack_padded_sequence(X, lengths, batch_first=True, enforce_sorted=False)
            _, h = self.encoder(packed)
        if self.bridge is None:
            return h, h[-1]
        batch = X.shape[0]
        h = h.view(self.num_layers, 2, batch, self.hidden_size).transpose(1, 2)
        h = h.reshape(self.num_layers, batch, 2 * self.hidden_size)
        return torch.tanh(self.bridge(h)).contiguous(), h[-1]

    def _split(self, X, lengths):
        """Encoder inputs, lengths and the decoder's targets for the objective."""
        if self.objective == "reconstruct":
            steps = torch.arange(X.shape[1], device=X.device)
            mask = steps[None, :] < lengths[:, None]
            return lengths, X, mask, torch.zeros_like(X[:, 0])
        n_pred = self.prediction_length
        observed = lengths - n_pred
        n_steps = X.shape[1]
        if bool((lengths == n_steps).all()):
            # Equal lengths (fixed windows): plain slices, no gathers.
            seen = n_steps - n_pred
            mask = torch.ones((X.shape[0], n_pred), dtype=torch.bool, device=X.device)
            return observed, X[:, seen:], mask, X[:, seen - 1]
        index = observed[:, None] + torch.arange(n_pred, device=X.device)[None, :]
        target = X.gather(1, index[:, :, None].expand(-1, -1, X.shape[2]))
        last_seen = X.gather(1, (observed - 1)[:, None, None].expand(-1, 1, X.shape[2]))[:, 0]
        mask = torch.ones(target.shape[:2], dtype=torch.bool, device=X.device)
        return observed, target, mask, last_seen

    def forward(self, X, lengths):
        observed, target, mask, first = self._split(X, lengths)
        h, code = self.encode(X, observed)
        n_steps = target.shape[1]
        if self.decoder_strategy == "fixed_state":
            # P&C fixed states: every step is fed the encoder's final state.
            inputs = h[-1][:, None, :].expand(-1, n_steps, -1)
            states, _ = self.decoder(inputs, h)
            return self.readout(states), target, mask, states, code
        if self.decoder_input == "previous_output":
            output, states = self._free_run(first, h, n_steps)
        else:  # inputs known in advance: one fused GRU call
            if self.decoder_input == "zeros":
                inputs = torch.zeros_like(target)
            else:  # teacher forcing
                inputs = torch.cat([first[:, None], target[:, :-1]], dim=1)
            states, _ = self.decoder(inputs, h)
            output = inputs + self.readout(states)
        return output, target, mask, states, code

    def _free_run(self, frame, h, n_steps):
        """Paper's decoder: each step is fed its own previous (residual) output."""
        if self.num_layers == 1:
            # One GRU cell step on the decoder's weights: the same maths as a
            # one-step nn.GRU call without its per-call setup (~8% of a
            # training step on CPU).
            gru = self.decoder
            weights = (gru.weight_ih_l0, gru.weight_hh_l0, gru.bias_ih_l0, gru.bias_hh_l0)
            h = h[0]
            frames, states = [], []
            for _ in range(n_steps):
                h = torch.gru_cell(frame, h, *weights)
                frame = frame + self.readout(h)
                frames.append(frame)
                states.append(h)
            return torch.stack(frames, dim=1), torch.stack(states, dim=1)
        frames, states = [], []
        frame = frame[:, None]
        for _ in range(n_steps):
            state, h = self.decoder(frame, h)
            frame = frame + self.readout(state)
            frames.append(frame)
            states.append(state)
        return torch.cat(frames, dim=1), torch.cat(states, dim=1)


def masked_squared_error(output, target, mask):
    """Squared errors of each step and channel, zero at the invalid (padding) steps.

    Parameters
    ----------
    output, target : Tensor of shape (batch, n_steps, n_channels)
    mask : bool Tensor of shape (batch, n_steps)

    Returns
    -------
    errors : Tensor of shape (batch, n_steps, n_channels)
    """
    return (output - target) ** 2 * mask[:, :, None].to(output.dtype)


class MaskedMSELoss(nn.Module):
    """Mean squared error over the valid (unpadded) steps only."""

    def forward(self, output, target, mask):
        if bool(mask.all()):  # no padding: plain MSE, one fused kernel
            return nn.functional.mse_loss(output, target)
        return masked_squared_error(output, target, mask).sum() / (
            mask.sum().to(output.dtype) * output.shape[2]
        )


def pool_states(states, mask, code, embedding="decoder", pooling="mean"):
    """One embedding vector per sequence from a module's outputs.

    Parameters
    ----------
    states : Tensor of shape (batch, n_steps, n_hidden)
        Decoder states.
    mask : bool Tensor of shape (batch, n_steps)
        Valid steps.
    code : Tensor of shape (batch, n_code)
        Encoder final states.
    embedding : {"decoder", "encoder", "both"}, default="decoder"
        Pooled decoder states, the encoder's state, or both concatenated.
    pooling : {"mean", "last", "concat"}, default="mean"
        How decoder states are pooled over the valid steps: their mean, the
        last one, or both concatenated.

    Returns
    -------
    embedding : Tensor of shape (batch, n_embedding)
    """
    weights = mask[:, :, None].to(states.dtype)
    parts = []
    if embedding in ("decoder", "both"):
        if pooling in ("mean", "concat"):
            parts.append((states * weights).sum(1) / weights.sum(1))
        if pooling in ("last", "concat"):
            last = mask.sum(1).long() - 1
            parts.append(states[torch.arange(len(states)), last])
    if embedding in ("encoder", "both"):
        parts.append(code)
    return torch.cat(parts, dim=1)
