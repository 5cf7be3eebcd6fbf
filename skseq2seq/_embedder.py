"""Seq2SeqEmbedder: decoder-state embeddings of sequences."""

import numbers
import warnings

import numpy as np
import torch
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import check_random_state

from ._embedder_outputs import EmbedderOutputsMixin
from ._net import GLOBAL_RNG_LOCK, SequenceBatches
from ._net_config import (
    ForwardedNetParamsMixin,
    check_callbacks,
    check_net_param_names,
    check_network_size,
    check_validation_monitors,
    make_net,
)
from ._network import Seq2SeqModule
from ._persistence import VersionedPickleMixin
from ._scaling import MAX_INPUT, SequenceScaler
from ._sklearn_compat import Interval, StrOptions, fit_context
from ._validation import check_device, check_sequences, python_scalars

__all__ = ["Seq2SeqEmbedder"]


class Seq2SeqEmbedder(
    EmbedderOutputsMixin,
    ForwardedNetParamsMixin,
    VersionedPickleMixin,
    TransformerMixin,
    BaseEstimator,
):
    """Embed sequences with the hidden states of a GRU sequence-to-sequence net.

    A GRU encoder reads each sequence (or its first part) and a GRU decoder,
    started from the encoder's last state, predicts the following frames
    (``objective="predict"``, Su & Shlizerman 2020) or regenerates the
    sequence (``objective="reconstruct"``, Predict & Cluster). The net is
    trained without labels (MSE, Adam, gradient-norm clipping) through skorch.
    The decoder's hidden states, one per decoded step, form an embedding in
    which sequences with similar dynamics lie together.

    Inputs are standardised per channel inside the estimator (statistics over
    all valid frames of ``fit``'s ``X``); constant channels are dropped, as
    they carry no dynamics. Set ``standardize=False`` to feed raw values.

    Parameters
    ----------
    hidden_size : int, default=128
        Size of the encoder's and decoder's GRU states.
    num_layers : int, default=1
        Stacked GRU layers in encoder and decoder.
    objective : {"predict", "reconstruct", "contrastive"}, default="predict"
        ``"predict"``: the encoder reads the first ``T - prediction_length``
        steps and the decoder predicts the last ``prediction_length``.
        ``"reconstruct"``: the encoder reads all ``T`` steps and the decoder
        regenerates them. ``"contrastive"``: no decoder; the GRU encoder is
        trained so that two random views of a sequence
        (:mod:`skseq2seq.augmentations`, set as ``module__augmentation``)
        embed nearby and other sequences' views apart (NT-Xent, as SimCLR;
        see :class:`~skseq2seq.ContrastiveModule` for
        ``module__temperature`` and ``module__projection_size``);
        ``embedding="decoder"`` then pools the encoder's per-step states, and
        :meth:`forecast` and :meth:`score_samples` are not available.
    prediction_length : int, default=None
        Steps the decoder predicts (``objective="predict"``). None means half
        of the shortest sequence seen in ``fit``.
    decoder_input : {"previous_output", "teacher", "zeros"}, default="previous_output"
        What the decoder reads at each step: its own previous output, starting
        from the last observed frame (free-running, as in the paper; frames are
        residual: ``input + linear(state)``), the true previous frame, or zeros.
    decoder_strategy : {None, "fixed_state", "fixed_weights"}, default=None
        Predict & Cluster strategies that make the encoder do the work:
        ``"fixed_state"`` feeds the encoder's final state at every decoder
        step; ``"fixed_weights"`` leaves the decoder GRU untrained.
    bidirectional_encoder : bool, default=False
        Read sequences in both directions; a linear map joins both final
        states into the decoder's initial state.
    embedding : {"decoder", "encoder", "both"}, default="decoder"
        What :meth:`transform` returns: decoder states pooled over steps, the
        encoder's final state, or both concatenated.
    pooling : {"mean", "last", "concat"}, default="mean"
        How decoder states are pooled per sequence: their mean, the last
        step's state, or both concatenated.
    standardize : bool, default=True
        Standardise channels and drop constant ones (see above).
    with_velocity : bool, default=False
        Append each channel's first difference (frame-to-frame change; the
        first frame repeats the second's) as extra input channels, standardised
        like the others. The net then reads and predicts ``2 * n_features``
        channels; :meth:`forecast` returns the original ones. Meant for
        motion capture, where actions differ by how fast joints move.
    lr : float, default=1e-3
        Adam learning rate.
    batch_size : int, default=64
        Sequences per training batch.
    max_epochs : int, default=20
        Training epochs (of each ``fit``, also with ``warm_start``).
    validation_fraction : float in (0, 1) or None, default=None
        Hold out this fraction of ``fit``'s sequences (a random split seeded
        from ``random_state``, through skorch's
        :class:`~skorch.dataset.ValidSplit`) and record their loss as
        ``valid_loss`` in ``history_`` after each epoch, so that skorch's
        :class:`~skorch.callbacks.EarlyStopping` and
        :class:`~skorch.callbacks.Checkpoint` work with their defaults
        (they monitor ``valid_loss``). The held-out sequences do not train
        the net; they are still standardised with the statistics of all of
        ``X``. None trains on all sequences.
    warm_start : bool, default=False
        When True and the embedder is fitted, ``fit`` continues training the
        fitted net on the new ``X`` for ``max_epochs`` more epochs (skorch's
        ``partial_fit``) instead of starting afresh: ``X`` must have
        ``n_features_in_`` channels, and the first fit's standardisation
        (``scaler_``, ``features_kept_``), ``prediction_length_``, net,
        optimizer state and validation split setting are kept; other
        parameters changed since then take effect on the next cold fit.
        ``history_`` and ``n_epochs_`` accumulate over the fits.
    gradient_clipping : float or None, default=1.0
        Maximum gradient norm; None disables clipping.
    callbacks : list of skorch callbacks, default=None
        Extra callbacks for the skorch net (e.g.
        :class:`skseq2seq.callbacks.EmbeddingQuality`).
    device : str, default="auto"
        Torch device; ``"auto"`` picks ``"cuda"`` when available.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation and batch order; an int makes CPU results
        repeatable.
    verbose : int, default=0
        ``> 0`` shows skorch's progress bar and epoch table.
    mixed_precision : bool, default=False
        Run the net's forward passes (training and every transform-like
        method) under ``torch.autocast``: float16 with loss scaling
        (``GradScaler``) on CUDA, bfloat16 on CPU. Weights, loss and optimizer
        stay float32 and outputs are returned as float32. Meant for GPUs; on
        CPU it mostly costs accuracy.
    accelerate : bool, default=False
        Train through Hugging Face Accelerate (skorch's ``AccelerateMixin``):
        run the script with ``accelerate launch`` for data-parallel training
        on several GPUs or machines (see the scaling guide). Requires the
        ``accelerate`` package (``pip install "skseq2seq[accelerate]"``).
    module : type, default=Seq2SeqModule
        The network's class (or a callable returning the module). It is built
        as ``module(n_features=..., hidden_size=..., num_layers=...,
        objective=..., prediction_length=..., decoder_input=...,
        decoder_strategy=..., bidirectional_encoder=..., **module__params)``
        and its ``forward(X, lengths)`` must return ``(output, target, mask,
        states, code)``: see :class:`~skseq2seq.Seq2SeqModule` for
        the full interface.
    **kwargs
        skorch parameters forwarded to the net, with skorch's prefixes:
        ``module__<name>`` (extra constructor arguments of ``module``),
        ``optimizer__<name>`` (of Adam, e.g. ``optimizer__weight_decay``),
        ``iterator_train__<name>`` (of the training ``DataLoader``, e.g.
        ``num_workers``, ``pin_memory``) and
        ``callbacks__<callback>__<name>``. They are parameters like the
        others (``get_params``, ``set_params``, ``clone``, grid searches).
        Those the embedder sets from its own parameters (e.g.
        ``module__hidden_size``, ``optimizer__lr``,
        ``iterator_train__batch_size``) raise a ValueError in ``fit``, as do
        names without one of these prefixes.

    Attributes
    ----------
    module_ : torch.nn.Module
        The trained encoder-decoder (``net_.module_``).
    net_ : Seq2SeqNet
        The skorch net that trained it; callbacks reach this embedder as
        ``net.embedder`` and may call :meth:`transform`, :meth:`inference`
        or :meth:`net_inputs` mid-training.
    history_ : skorch.History
        Per-epoch training record (``train_loss``, ``dur``, ...;
        ``net_.history``).
    n_features_in_ : int
        Channels per time step seen in ``fit``.
    prediction_length_ : int
        Steps the decoder predicts (``objective="predict"``).
    scaler_ : StandardScaler or None
        Per-channel statistics used to standardise inputs.
    features_kept_ : ndarray of shape (n_features_in_,) or (2 * n_features_in_,), dtype bool
        Channels fed to the net (non-constant ones); with ``with_velocity``,
        the frames' channels then their differences'.

    See Also
    --------
    Seq2SeqClusterer : Clusters sequences in this embedding.

    Examples
    --------
    >>> from skseq2seq import Seq2SeqEmbedder
    >>> from skseq2seq.datasets import make_motion_sequences
    >>> X, y = make_motion_sequences(n_sequences=40, n_timesteps=20, random_state=0)
    >>> embedder = Seq2SeqEmbedder(hidden_size=16, max_epochs=2, random_state=0)
    >>> embedder.fit_transform(X).shape
    (40, 16)
    >>> embedder.transform_states(X).shape
    (40, 10, 16)

    skorch parameters are forwarded to the net, and searchable:

    >>> embedder = Seq2SeqEmbedder(hidden_size=16, max_epochs=2, random_state=0,
    ...                            optimizer__weight_decay=1e-4)
    >>> embedder.get_params()["optimizer__weight_decay"]
    0.0001
    >>> embedder.fit(X).net_.optimizer_.param_groups[0]["weight_decay"]
    0.0001

    Hold out a quarter of the sequences to record a validation loss (for
    skorch's ``EarlyStopping``), and continue training with a second fit:

    >>> embedder = Seq2SeqEmbedder(hidden_size=16, max_epochs=2, random_state=0,
    ...                            validation_fraction=0.25, warm_start=True).fit(X)
    >>> "valid_loss" in embedder.history_[-1]
    True
    >>> embedder.fit(X).n_epochs_
    4
    """

    _parameter_constraints = {
        "hidden_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "num_layers": [Interval(numbers.Integral, 1, None, closed="left")],
        "objective": [StrOptions({"predict", "reconstruct", "contrastive"})],
        "prediction_length": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "decoder_input": [StrOptions({"previous_output", "teacher", "zeros"})],
        "decoder_strategy": [StrOptions({"fixed_state", "fixed_weights"}), None],
        "bidirectional_encoder": ["boolean"],
        "embedding": [StrOptions({"decoder", "encoder", "both"})],
        "pooling": [StrOptions({"mean", "last", "concat"})],
        "standardize": ["boolean"],
        "with_velocity": ["boolean"],
        "lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_epochs": [Interval(numbers.Integral, 0, None, closed="left")],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither"), None],
        "warm_start": ["boolean"],
        "gradient_clipping": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "callbacks": [list, None],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "mixed_precision": ["boolean"],
        "accelerate": ["boolean"],
        "module": [callable],
    }

    def __init__(
        self,
        hidden_size=128,
        num_layers=1,
        objective="predict",
        prediction_length=None,
        decoder_input="previous_output",
        decoder_strategy=None,
        bidirectional_encoder=False,
        embedding="decoder",
        pooling="mean",
        standardize=True,
        lr=1e-3,
        batch_size=64,
        max_epochs=20,
        gradient_clipping=1.0,
        callbacks=None,
        device="auto",
        random_state=None,
        verbose=0,
        mixed_precision=False,
        accelerate=False,
        with_velocity=False,
        module=Seq2SeqModule,
        validation_fraction=None,
        warm_start=False,
        **kwargs,
    ):
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.objective = objective
        self.prediction_length = prediction_length
        self.decoder_input = decoder_input
        self.decoder_strategy = decoder_strategy
        self.bidirectional_encoder = bidirectional_encoder
        self.embedding = embedding
        self.pooling = pooling
        self.standardize = standardize
        self.lr = lr
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.gradient_clipping = gradient_clipping
        self.callbacks = callbacks
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.mixed_precision = mixed_precision
        self.accelerate = accelerate
        self.with_velocity = with_velocity
        self.module = module
        self.validation_fraction = validation_fraction
        self.warm_start = warm_start
        vars(self).update(kwargs)  # checked in fit, as sklearn checks parameters

    @property
    def module_(self):
        # Derived from net_, which owns the network (Accelerate replaces it
        # after training; pickling keeps one copy).
        return self.net_.module_

    @property
    def history_(self):
        return self.net_.history

    def fit(self, X, y=None):
        """Train the encoder-decoder on sequences.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Training sequences (2D: univariate; list: variable lengths).
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : Seq2SeqEmbedder
            The fitted embedder.
        """
        self._fit(X)
        return self

    def fit_transform(self, X, y=None):
        """Train on sequences and embed them (the training inputs are prepared once).

        Parameters
        ----------
        X : array-like
            Training sequences, as :meth:`fit` takes them.
        y : None
            Ignored.

        Returns
        -------
        embedding : ndarray of shape (n_samples, n_embedding), dtype float32
            Equal to ``fit(X).transform(X)``.
        """
        return self._infer(self._fit(X), embedding=True).embedding

    @fit_context(prefer_skip_nested_validation=True)
    def _fit(self, X):
        """Fit; the net's training dataset (what transform would prepare from X)."""
        params = python_scalars(self.get_params(deep=False))  # np.int64 -> int, once
        check_net_param_names(self._net_params())
        device = check_device(params["device"])
        check_callbacks(params["callbacks"])
        check_validation_monitors(
            params["callbacks"], self._net_params(), params["validation_fraction"]
        )
        data, lengths = check_sequences(X)
        if params["warm_start"] and hasattr(self, "net_"):
            self._check_warm_start(data, lengths)
            inputs = self._scaling.transform_for_net(data, lengths)  # the first fit's scaler
        else:
            inputs = self._prepare_cold_fit(data, lengths, params, device)
        dataset = SequenceBatches(torch.from_numpy(inputs), torch.from_numpy(lengths))
        epochs_before = len(self.net_.history)  # warm start: those of earlier fits
        # net_ is set before training: callbacks can call transform mid-training.
        # partial_fit: no second initialisation (warm start: the same weights).
        self.net_.partial_fit(dataset, None, epochs=params["max_epochs"])
        self.n_epochs_ = sum("train_loss" in row for row in self.net_.history)
        self.interrupted_ = self.net_.interrupted_
        if self.interrupted_:
            warnings.warn(
                "Training was interrupted (KeyboardInterrupt) in epoch "
                f"{len(self.net_.history) - epochs_before} "
                f"of {params['max_epochs']}: the embedder is fitted with the weights reached then "
                f"({self.n_epochs_} complete epoch(s)); interrupted_ is True.",
                UserWarning,
                stacklevel=4,
            )
        return dataset

    def _prepare_cold_fit(self, data, lengths, params, device):
        """Fitted attributes of a fresh fit and a new initialised ``net_``; the net's inputs."""
        self.n_features_in_ = data.shape[2]
        n_channels = data.shape[2] * (2 if params["with_velocity"] else 1)
        check_network_size(
            params["hidden_size"], params["num_layers"], n_channels, params["bidirectional_encoder"]
        )
        self.prediction_length_ = self._resolve_prediction_length(lengths, params)
        self._check_lengths(lengths)
        if params["validation_fraction"] is not None and len(lengths) < 2:
            raise ValueError(
                f"validation_fraction={params['validation_fraction']} needs at least 2 "
                f"sequences (one to train, one to validate); X has {len(lengths)}."
            )
        self._scaling = SequenceScaler(
            with_velocity=params["with_velocity"],
            standardize=params["standardize"],
            max_value=MAX_INPUT,
        )
        # Refuses out-of-range values, before training.
        inputs = self._scaling.fit_transform_for_net(data, lengths)

        rng = check_random_state(self.random_state)
        seed = rng.randint(np.iinfo(np.int32).max)
        # Drawn after the weights' seed: without a split, results stay as before.
        split_seed = (
            None if params["validation_fraction"] is None else rng.randint(np.iinfo(np.int32).max)
        )
        # Weights and the batch-order seed come from torch's process-wide
        # generator: seed it under a lock so parallel threads stay reproducible.
        with (
            GLOBAL_RNG_LOCK,
            torch.random.fork_rng(devices=[device] if device.type == "cuda" else []),
        ):
            torch.manual_seed(seed)
            self.net_ = make_net(
                self,
                int(self.features_kept_.sum()),
                device,
                params,
                self._net_params(),
                self.prediction_length_,
                split_seed=split_seed,
            )
            self.net_.initialize()
        return inputs

    def _check_warm_start(self, data, lengths):
        """New data for the fitted net: same channels, long enough sequences."""
        if data.shape[2] != self.n_features_in_:
            raise ValueError(
                f"warm_start=True continues training the fitted net, which reads "
                f"{self.n_features_in_} channels per time step; X has {data.shape[2]}. "
                "Set warm_start=False (or clone the embedder) to train afresh on X."
            )
        self._check_lengths(lengths)

    def _resolve_prediction_length(self, lengths, params):
        if params["objective"] != "predict":
            return None
        return params["prediction_length"] or int(lengths.min()) // 2

    def _check_lengths(self, lengths):
        """Every sequence must leave the encoder at least one step."""
        if self.objective == "predict" and lengths.min() < self.prediction_length_ + 1:
            raise ValueError(
                f"Sequences must have at least prediction_length + 1 = "
                f"{self.prediction_length_ + 1} time steps; the shortest has {lengths.min()}."
            )

    # The preprocessing's fitted state, under the names documented above.
    scaler_ = property(lambda self: self._scaling.scaler_)
    features_kept_ = property(lambda self: self._scaling.kept_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.transformer_tags.preserves_dtype = ["float32"]  # the net computes in float32
        return tags
