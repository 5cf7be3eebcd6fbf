"""Several GRU encoder-decoders trained side by side as one batched module."""

import torch
from torch import nn

from ._network import Seq2SeqModule

__all__ = ["WideSeq2SeqModule", "batchable"]


def batchable(params):
    """Whether an embedder with these parameters can train as a :class:`WideSeq2SeqModule`.

    The wide module implements the default net of the segmenter only: one
    layer, a free-running decoder, the ``predict`` objective, the package's
    module.
    """
    return (
        params["module"] is Seq2SeqModule
        and params["num_layers"] == 1
        and params["decoder_input"] == "previous_output"
        and params["decoder_strategy"] is None
        and not params["bidirectional_encoder"]
        and params["objective"] == "predict"
    )


def _gru_step(gi, gh, h):
    """One GRU update from the input and hidden projections (PyTorch's gate order r, z, n)."""
    i_r, i_z, i_n = gi.chunk(3, -1)
    h_r, h_z, h_n = gh.chunk(3, -1)
    r = torch.sigmoid(i_r + h_r)
    z = torch.sigmoid(i_z + h_z)
    n = torch.tanh(i_n + r * h_n)
    return n + z * (h - n)


class WideSeq2SeqModule(nn.Module):
    """``len(seeds)`` one-layer predict GRU encoder-decoders, computed together.

    Each net is a :class:`~skseq2seq.Seq2SeqModule` (one layer, decoder fed
    its own previous output) initialised from its own seed; their weights
    are stacked, one forward and one backward pass per batch trains them
    all, and every decoder step of all nets is one batched matrix product.
    Where a step's arithmetic is cheap next to the per-operation overhead
    (a GPU, small nets) that makes ``n`` nets cost about one; on a CPU the
    arithmetic dominates and the cost grows with the nets' total size. Adam's
    updates are per weight, so each net trains as it would alone on the
    same batches, up to the loss scale (the mean over nets) and the
    gradient clipping, which sees all nets' gradients at once.

    With ``split_batches=True`` each training batch is dealt out among the
    nets instead (row ``j`` trains net ``j % n_nets``; the last
    ``len(batch) % n_nets`` rows of a batch are left out, all rows when the
    batch is smaller than ``n_nets``): every window trains one net, so the
    nets together do one net's arithmetic, each on its own random share of
    the windows. Out of training (``eval()``) every net reads every
    sequence.

    The interface is :class:`~skseq2seq.Seq2SeqModule`'s, with the nets
    side by side along the last axis: ``output`` and ``target`` hold every
    net's predicted and true frames (``n_nets * n_features`` channels, the
    targets repeated), so the mean squared error is the mean of the nets'
    errors; ``states`` and ``code`` are the nets' states joined
    (``n_nets * hidden_size``; net ``i`` is columns ``i * hidden_size`` to
    ``(i + 1) * hidden_size``). Sequences in a batch must have equal
    lengths (fixed windows).

    Parameters
    ----------
    n_features : int
        Input channels per time step.
    hidden_size : int, default=128
        Size of each net's GRU states.
    prediction_length : int, default=1
        Steps the decoders predict.
    seeds : sequence of int, default=(0,)
        Seed of each net's initialisation (one net per seed).
    split_batches : bool, default=False
        In training, each row of a batch trains one net (see above) instead
        of every net.
    **kwargs
        The other constructor arguments of ``Seq2SeqModule``, which must
        describe this net (``num_layers=1``, ``objective="predict"``,
        ``decoder_input="previous_output"``, no decoder strategy, a
        one-directional encoder).

    Examples
    --------
    >>> import torch
    >>> from skseq2seq._ensemble import WideSeq2SeqModule
    >>> module = WideSeq2SeqModule(n_features=3, hidden_size=8, prediction_length=4,
    ...                            seeds=(0, 1))
    >>> output, target, mask, states, code = module(torch.zeros(2, 10, 3),
    ...                                             torch.tensor([10, 10]))
    >>> tuple(output.shape), tuple(states.shape)
    ((2, 4, 6), (2, 4, 16))
    """

    def __init__(
        self,
        n_features,
        hidden_size=128,
        prediction_length=1,
        seeds=(0,),
        split_batches=False,
        **kwargs,
    ):
        super().__init__()
        if not batchable({"module": Seq2SeqModule, "num_layers": 1, **_defaults(kwargs)}):
            raise ValueError(
                "WideSeq2SeqModule implements one-layer predict nets with a free-running "
                f"decoder and a one-directional encoder; got {kwargs}."
            )
        nets = []
        for seed in seeds:
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(int(seed))
                nets.append(
                    Seq2SeqModule(n_features, hidden_size, prediction_length=prediction_length)
                )
        self.n_nets = len(nets)
        self.split_batches = bool(split_batches)
        self.hidden_size = hidden_size
        self.prediction_length = prediction_length

        def stacked(get):
            return nn.Parameter(torch.stack([get(net).detach() for net in nets]))

        # (n_nets, out, in) weights, (n_nets, out) biases, from each net's own init.
        self.encoder_weight_ih = stacked(lambda net: net.encoder.weight_ih_l0)
        self.encoder_weight_hh = stacked(lambda net: net.encoder.weight_hh_l0)
        self.encoder_bias_ih = stacked(lambda net: net.encoder.bias_ih_l0)
        self.encoder_bias_hh = stacked(lambda net: net.encoder.bias_hh_l0)
        self.decoder_weight_ih = stacked(lambda net: net.decoder.weight_ih_l0)
        self.decoder_weight_hh = stacked(lambda net: net.decoder.weight_hh_l0)
        self.decoder_bias_ih = stacked(lambda net: net.decoder.bias_ih_l0)
        self.decoder_bias_hh = stacked(lambda net: net.decoder.bias_hh_l0)
        self.readout_weight = stacked(lambda net: net.readout.weight)
        self.readout_bias = stacked(lambda net: net.readout.bias)

    def _encoder_weights(self):
        return (
            self.encoder_weight_ih,
            self.encoder_weight_hh,
            self.encoder_bias_ih,
            self.encoder_bias_hh,
        )

    def forward(self, X, lengths):
        n_steps, n_pred, n_nets = X.shape[1], self.prediction_length, self.n_nets
        if not bool((lengths == n_steps).all()):
            raise ValueError("WideSeq2SeqModule takes batches of equal-length sequences.")
        n_features = X.shape[2]
        split = self.training and self.split_batches and n_nets > 1 and len(X) >= n_nets
        if split:
            # Row j of the batch trains net j % n_nets: (n_nets, rows per net, T, d).
            per_net = len(X) // n_nets
            X = X[: per_net * n_nets]
            inputs = X.reshape(per_net, n_nets, n_steps, n_features).transpose(0, 1).contiguous()
        else:
            inputs = X.expand(n_nets, *X.shape)
        batch = inputs.shape[1]
        seen = n_steps - n_pred
        # Encoders: PyTorch's fused GRU loop, once per net (on CPU the fused
        # loop is ~2x faster than batched Python steps).
        h0 = X.new_zeros(1, batch, self.hidden_size)
        code = torch.stack(
            [
                torch.gru(
                    inputs[i, :, :seen],
                    h0,
                    [weight[i] for weight in self._encoder_weights()],
                    True,  # biases
                    1,  # layers
                    0.0,  # dropout
                    self.training,
                    False,  # bidirectional
                    True,  # batch_first
                )[1][0]
                for i in range(n_nets)
            ]
        )  # (n_nets, B, H)
        h = code
        # Decoders: each step is fed the net's own previous (residual) output.
        frame = inputs[:, :, seen - 1]
        dec_ih, dec_bih = self.decoder_weight_ih.transpose(1, 2), self.decoder_bias_ih[:, None]
        dec_hh, dec_bhh = self.decoder_weight_hh.transpose(1, 2), self.decoder_bias_hh[:, None]
        read, read_b = self.readout_weight.transpose(1, 2), self.readout_bias[:, None]
        frames, states = [], []
        for _ in range(n_pred):
            h = _gru_step(
                torch.baddbmm(dec_bih, frame, dec_ih), torch.baddbmm(dec_bhh, h, dec_hh), h
            )
            frame = frame + torch.baddbmm(read_b, h, read)
            frames.append(frame)
            states.append(h)
        output, states = torch.stack(frames), torch.stack(states)  # (n_pred, n_nets, B, d)
        if split:
            # Back to the batch's rows: (B, n_pred, d), row j from net j % n_nets.
            output = output.permute(2, 1, 0, 3).reshape(len(X), n_pred, -1)
            states = states.permute(2, 1, 0, 3).reshape(len(X), n_pred, -1)
            code = code.transpose(0, 1).reshape(len(X), -1)
            target = X[:, seen:]
        else:
            # (B, n_pred, n_nets * d): nets side by side, the targets repeated.
            output = output.permute(2, 0, 1, 3).reshape(batch, n_pred, -1)
            states = states.permute(2, 0, 1, 3).reshape(batch, n_pred, -1)
            code = code.permute(1, 0, 2).reshape(batch, -1)
            target = X[:, seen:].repeat(1, 1, n_nets)
        mask = torch.ones(output.shape[:2], dtype=torch.bool, device=X.device)
        return output, target, mask, states, code


def _defaults(kwargs):
    """Seq2SeqModule's defaults for the arguments :func:`batchable` reads, overridden."""
    return {
        "decoder_input": "previous_output",
        "decoder_strategy": None,
        "bidirectional_encoder": False,
        "objective": "predict",
        **kwargs,
    }
