"""Seq2SeqEmbedder: decoder-state embeddings of sequences."""

import inspect
import numbers
import os
import warnings

import numpy as np
import torch
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.preprocessing import StandardScaler
from sklearn.utils import Bunch, check_random_state
from sklearn.utils.validation import check_is_fitted
from skorch.callbacks import Callback, GradientNormClipping, ProgressBar
from skorch.dataset import ValidSplit

from ._contrastive import ContrastiveModule, NTXentLoss
from ._net import (
    GLOBAL_RNG_LOCK,
    INFERENCE_BATCH,
    AcceleratedSeq2SeqNet,
    NonFiniteLossStop,
    Seq2SeqNet,
    SequenceBatches,
    forward_batches,
)
from ._network import MaskedMSELoss, Seq2SeqModule, masked_squared_error, pool_states
from ._persistence import VersionedPickleMixin
from ._sklearn_compat import Interval, StrOptions, fit_context
from ._validation import check_device, check_sequences, python_scalars

__all__ = ["Seq2SeqEmbedder"]

# Prefixes of the skorch parameters Seq2SeqEmbedder forwards to its net.
NET_PARAM_PREFIXES = ("module__", "optimizer__", "iterator_train__", "callbacks__")

# Largest magnitude of the net's inputs (standardised units, or raw ones with
# standardize=False): far beyond any real data, yet squared errors of such
# values stay finite in float32 and in float16 autocast's reach after the
# first layer. Larger values are refused rather than turned into NaN.
MAX_INPUT = 1e6


# Beyond this magnitude, squares summed over millions of frames could overflow
# float64: StandardScaler's statistics are then taken on rescaled channels.
_SAFE_MAGNITUDE = 1e100


def _fit_standard_scaler(data, lengths):
    """A StandardScaler of the valid frames' channels, safe from overflow.

    Ordinary data gets exactly ``StandardScaler().fit``. Channels with values
    beyond ``_SAFE_MAGNITUDE`` (up to float64's limit) are divided by their
    largest magnitude before the statistics are taken, so they stay finite
    where squaring the values would overflow.
    """
    if (lengths == data.shape[1]).all():
        frames = data.reshape(-1, data.shape[2])  # a view: no copy of the data
    else:
        frames = data[np.arange(data.shape[1])[None, :] < lengths[:, None]]
    peak = np.maximum(frames.max(0), -frames.min(0)).astype(np.float64)
    if not (peak > _SAFE_MAGNITUDE).any():
        return StandardScaler().fit(frames)
    peak = np.where(peak > 0, peak, 1.0)
    scaler = StandardScaler().fit(frames / peak)
    scaler.mean_ = scaler.mean_ * peak
    scaler.scale_ = scaler.scale_ * peak
    with np.errstate(over="ignore"):  # var_ is inf past 1e154: a documented statistic only
        scaler.var_ = scaler.var_ * peak**2
    return scaler


def _equal_length_batches(lengths):
    """Row indices of each inference batch: equal lengths, at most INFERENCE_BATCH rows."""
    order = np.argsort(lengths, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(lengths[order])) + 1)
    return [
        group[start : start + INFERENCE_BATCH]
        for group in groups
        for start in range(0, len(group), INFERENCE_BATCH)
    ]


def _check_callbacks(callbacks):
    """skorch callbacks: instances or classes of Callback, optionally named (name, callback)."""
    for i, item in enumerate(callbacks or []):
        callback = (
            item[1]
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)
            else item
        )
        is_callback = isinstance(callback, Callback) or (
            isinstance(callback, type) and issubclass(callback, Callback)
        )
        if not is_callback:
            raise TypeError(
                f"callbacks[{i}] is {callback!r:.80}; expected a skorch Callback (instance or "
                "class), or a (name, callback) tuple."
            )


def _check_validation_monitors(callbacks, net_params, validation_fraction):
    """Callbacks that monitor a validation score need a validation split, known before training.

    skorch's EarlyStopping (``monitor="valid_loss"``), Checkpoint, LRScheduler
    on a ``valid_*`` key would otherwise fail after the first epoch, when the
    history has no such key.
    """
    if validation_fraction is not None:
        return
    monitors = [(key, value) for key, value in net_params.items() if key.endswith("__monitor")]
    for i, item in enumerate(callbacks or []):
        callback = item[1] if isinstance(item, tuple) and len(item) == 2 else item
        if isinstance(callback, type):  # a class: its default monitor
            default = inspect.signature(callback).parameters.get("monitor")
            monitor = None if default is None else default.default
        else:
            monitor = getattr(callback, "monitor", None)
        monitors.append((f"callbacks[{i}] ({type(callback).__name__})", monitor))
    for where, monitor in monitors:
        if isinstance(monitor, str) and monitor.startswith("valid_"):
            raise ValueError(
                f"{where} monitors {monitor!r}, a validation score, but validation_fraction is "
                "None: no sequences are held out, so the history has no validation scores. Set "
                "validation_fraction (e.g. 0.2) or monitor a training score ('train_loss')."
            )


def _check_network_size(hidden_size, num_layers, n_channels, bidirectional):
    """Refuse, before torch allocates anything, a net that cannot fit in this machine's memory.

    A GRU layer holds ``3 * (h * (inputs + h) + 2 * h)`` weights; training
    keeps four float32 copies of each (weights, gradients, Adam's two
    moments). An absurd ``hidden_size`` would otherwise fail inside torch.
    """
    h = hidden_size
    directions = 2 if bidirectional else 1
    per_layer = 3 * (h * (max(n_channels, directions * h) + h) + 2 * h)
    n_weights = (directions + 1) * num_layers * per_layer + (h + 1) * n_channels
    needed = 16 * n_weights  # bytes: four float32 copies
    try:
        available = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not POSIX: a generous 1 TiB
        available = 2**40
    if needed > available:
        raise ValueError(
            f"hidden_size={hidden_size} with num_layers={num_layers} makes a net of about "
            f"{n_weights:.3g} weights, {needed / 2**30:.3g} GiB to train, more than this "
            f"machine's memory ({available / 2**30:.3g} GiB); use a smaller hidden_size "
            "(16 to 512 are usual)."
        )


def _check_net_param_names(params):
    """Forwarded skorch parameters carry a prefix the embedder passes on."""
    unknown = sorted(key for key in params if not key.startswith(NET_PARAM_PREFIXES))
    if unknown:
        raise ValueError(
            f"Invalid parameter: Seq2SeqEmbedder got an unexpected parameter {unknown[0]!r}; "
            "besides its own "
            f"parameters it takes skorch parameters starting with {NET_PARAM_PREFIXES}."
        )


class Seq2SeqEmbedder(VersionedPickleMixin, TransformerMixin, BaseEstimator):
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

    def get_params(self, deep=True):
        """Get parameters, the forwarded skorch ones (``optimizer__<name>``, ...) included.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of contained estimators.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        params = super().get_params(deep=deep)
        params.update(self._net_params())
        return params

    def set_params(self, **params):
        """Set parameters, the forwarded skorch ones (``optimizer__<name>``, ...) included.

        Parameters
        ----------
        **params : dict
            Parameter names mapped to their new values.

        Returns
        -------
        self : Seq2SeqEmbedder
        """
        # Before sklearn's set_params, which would read module__<name> as a
        # parameter of a nested estimator "module".
        own = set(self._get_param_names())
        forwarded = {key: params.pop(key) for key in list(params) if key not in own}
        # Refused now, as scikit-learn refuses unknown names, not at the next fit; but
        # "kwargs", the name of __init__'s **kwargs that scikit-learn's common checks set,
        # is left to fit, as __init__ leaves every name.
        _check_net_param_names({key: v for key, v in forwarded.items() if key != "kwargs"})
        vars(self).update(forwarded)
        return super().set_params(**params)

    def _net_params(self):
        """The keyword parameters beyond the signature's (fitted attributes end with "_")."""
        own = set(self._get_param_names())
        return {
            key: value
            for key, value in vars(self).items()
            if key not in own and not key.endswith("_") and not key.startswith("_")
        }

    @property
    def module_(self):
        # Derived from net_, which owns the network (Accelerate replaces it
        # after training; pickling keeps one copy).
        return self.net_.module_

    @property
    def history_(self):
        return self.net_.history

    @fit_context(prefer_skip_nested_validation=True)
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
        params = python_scalars(self.get_params(deep=False))  # np.int64 -> int, once
        _check_net_param_names(self._net_params())
        device = check_device(params["device"])
        _check_callbacks(params["callbacks"])
        _check_validation_monitors(
            params["callbacks"], self._net_params(), params["validation_fraction"]
        )
        data, lengths = check_sequences(X)
        if params["warm_start"] and hasattr(self, "net_"):
            self._check_warm_start(data, lengths)
            inputs = self._to_tensor(self._inputs(data), lengths)  # the first fit's scaler
        else:
            inputs = self._prepare_cold_fit(data, lengths, params, device)
        dataset = SequenceBatches(inputs, torch.from_numpy(lengths))
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
                stacklevel=2,
            )
        return self

    def _prepare_cold_fit(self, data, lengths, params, device):
        """Fitted attributes of a fresh fit and a new initialised ``net_``; the net's inputs."""
        self.n_features_in_ = data.shape[2]
        n_channels = data.shape[2] * (2 if params["with_velocity"] else 1)
        _check_network_size(
            params["hidden_size"], params["num_layers"], n_channels, params["bidirectional_encoder"]
        )
        self.prediction_length_ = self._resolve_prediction_length(lengths, params)
        self._check_lengths(lengths)
        if params["validation_fraction"] is not None and len(lengths) < 2:
            raise ValueError(
                f"validation_fraction={params['validation_fraction']} needs at least 2 "
                f"sequences (one to train, one to validate); X has {len(lengths)}."
            )
        channels = self._inputs(data)
        self._fit_scaler(channels, lengths)
        inputs = self._to_tensor(channels, lengths)  # refuses out-of-range values, before training
        del channels

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
            self.net_ = self._make_net(
                int(self.features_kept_.sum()), device, params, split_seed=split_seed
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

    def _inputs(self, data):
        """The net's input channels: the frames, and their differences if asked."""
        if not self.with_velocity:
            return data
        velocity = np.diff(data, axis=1)
        velocity = np.concatenate([velocity[:, :1], velocity], axis=1)
        return np.concatenate([data, velocity], axis=2)

    def _fit_scaler(self, channels, lengths):
        """Standardisation of the net's input ``channels`` (see :meth:`_inputs`)."""
        if not self.standardize:
            self.scaler_ = None
            self.features_kept_ = np.ones(channels.shape[2], dtype=bool)
            return
        self.scaler_ = _fit_standard_scaler(channels, lengths)
        spread = np.sqrt(self.scaler_.var_)  # inf only past 1e154: kept either way
        kept = spread > 1e-8 * np.maximum(1.0, np.abs(self.scaler_.mean_))
        # All channels constant: keep them (the net then sees zeros) rather than none.
        self.features_kept_ = kept if kept.any() else np.ones_like(kept)

    def _standardized(self, channels):
        """The kept input channels, standardised: a new float64 array."""
        kept = self.features_kept_
        data = channels[..., kept].astype(np.float64, copy=False)  # indexing copied already
        if self.scaler_ is not None:
            # In place: the same arithmetic as (data - mean) / scale, one array less.
            with np.errstate(over="ignore", invalid="ignore"):
                data -= self.scaler_.mean_[kept]
                data /= self.scaler_.scale_[kept]
        return data

    def _to_tensor(self, channels, lengths):
        """Standardised float32 tensor of the kept input ``channels``, padding zeroed.

        Values the net cannot take (``|value| > MAX_INPUT`` after
        standardisation) raise a ValueError naming where they are.
        """
        data = self._standardized(channels)
        padding = np.arange(data.shape[1])[None, :] >= lengths[:, None]
        if padding.any():
            data = np.where(padding[:, :, None], 0.0, data)
        self._check_input_range(data)
        return torch.from_numpy(np.ascontiguousarray(data, dtype=np.float32))

    def _check_input_range(self, data):
        # Two reductions without temporaries settle the usual case (NaN fails them).
        if data.size == 0 or (data.min() >= -MAX_INPUT and data.max() <= MAX_INPUT):
            return
        with np.errstate(invalid="ignore"):
            bad = ~(np.abs(data) <= MAX_INPUT)  # also catches inf and NaN
        if not bad.any():
            return
        sample, step, channel = (int(i[0]) for i in np.nonzero(bad))
        channel = int(np.flatnonzero(self.features_kept_)[channel]) % self.n_features_in_
        value = data[sample, step, np.nonzero(bad[sample, step])[0][0]]
        if self.scaler_ is None:
            raise ValueError(
                f"X has values out of range for standardize=False: {value:.3g} in sequence "
                f"{sample}, step {step}, channel {channel}; the net takes values up to "
                f"{MAX_INPUT:g} in magnitude. Use standardize=True (the default) or rescale X."
            )
        raise ValueError(
            f"X has values out of the range seen in fit: sequence {sample}, step {step}, "
            f"channel {channel} lies {abs(value):.3g} standard deviations from the channel's "
            f"training mean (at most {MAX_INPUT:g} are accepted)."
        )

    def _make_net(self, n_channels, device, params, split_seed=None):
        module_args = {
            "n_features": n_channels,
            "hidden_size": params["hidden_size"],
            "num_layers": params["num_layers"],
            "objective": params["objective"],
            "prediction_length": self.prediction_length_,
            "decoder_input": params["decoder_input"],
            "decoder_strategy": params["decoder_strategy"],
            "bidirectional_encoder": params["bidirectional_encoder"],
        }
        net_params = self._net_params()
        own = {f"module__{name}": name for name in module_args}
        own.update({"optimizer__lr": "lr", "iterator_train__batch_size": "batch_size"})
        clashes = sorted(set(net_params) & set(own))
        if clashes:
            raise ValueError(
                f"{clashes[0]} is set by the embedder: use its parameter "
                f"{own[clashes[0]]!r} instead"
                + (
                    " (the number of channels comes from X)."
                    if clashes[0] == "module__n_features"
                    else "."
                )
            )
        callbacks = list(params["callbacks"] or [])
        callbacks.append(
            (
                "stop_on_non_finite_loss",
                NonFiniteLossStop(
                    advice="use standardize=True or a lower lr"
                    if not params["standardize"]
                    else f"try a lower lr (lr={params['lr']:g})"
                ),
            )
        )
        if params["gradient_clipping"] is not None:
            callbacks.append(("clip", GradientNormClipping(params["gradient_clipping"])))
        if params["verbose"]:
            callbacks.append(("progress", ProgressBar()))
        net_class, placement = (
            Seq2SeqNet,
            {
                "device": str(device),
                "mixed_precision": params["mixed_precision"],
            },
        )
        if params["accelerate"]:  # the accelerator places the net and casts
            from accelerate import Accelerator

            net_class, placement = (
                AcceleratedSeq2SeqNet,
                {
                    "device": None,
                    "accelerator": Accelerator(
                        cpu=self.device == "cpu" or device.type == "cpu",
                        mixed_precision=("fp16" if device.type == "cuda" else "bf16")
                        if self.mixed_precision
                        else "no",
                    ),
                },
            )
        module, criterion = params["module"], MaskedMSELoss
        if params["objective"] == "contrastive":
            criterion = NTXentLoss
            module = ContrastiveModule if module is Seq2SeqModule else module
        return net_class(
            module=module,
            **{f"module__{name}": value for name, value in module_args.items()},
            criterion=criterion,
            optimizer=torch.optim.Adam,
            lr=params["lr"],
            max_epochs=params["max_epochs"],
            batch_size=params["batch_size"],
            # Unsupervised: all data trains, unless a fraction is held out to
            # record valid_loss (for EarlyStopping, Checkpoint).
            train_split=None
            if params["validation_fraction"] is None
            else ValidSplit(params["validation_fraction"], random_state=split_seed),
            callbacks=callbacks,
            verbose=int(params["verbose"]),
            embedder=self,  # callbacks may embed monitor data mid-training
            **placement,
            **net_params,
        )

    # -- inference -------------------------------------------------------

    def inference(self, X, *, embedding=False, states=False, frames=False, errors=False):
        """Run the net once over X and return the outputs asked for.

        The single batched forward pass behind :meth:`transform`,
        :meth:`transform_states`, :meth:`forecast` and :meth:`score_samples`,
        for callers that need several of them at once.

        Sequences are run in batches of equal length and a fixed number of
        rows (padded with zeros): matrix kernels choose their blocking by the
        batch's shape, so any other batching would make a sequence's results
        change (at 1e-7) with the other sequences around it. Each result
        depends on its own sequence only.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences.
        embedding, states, frames, errors : bool, default=False
            Which outputs to return (see below).

        Returns
        -------
        outputs : :class:`~sklearn.utils.Bunch`
            With the keys asked for:

            - ``embedding``: ndarray of shape (n_samples, n_embedding), float32,
              as :meth:`transform` returns;
            - ``states``: ndarray of shape (n_samples, n_steps, hidden_size),
              float32, as :meth:`transform_states` returns;
            - ``frames``: ndarray of shape (n_samples, n_steps, n_kept), the
              predicted frames of the channels in ``features_kept_``, in
              standardised units (:meth:`forecast` maps them back to X's);
            - ``errors``: ndarray of shape (n_samples, n_steps), the squared
              prediction error of each step averaged over channels, in
              standardised units.

            Steps past a sequence's end are NaN.

        Examples
        --------
        >>> from skseq2seq import Seq2SeqEmbedder
        >>> from skseq2seq.datasets import make_motion_sequences
        >>> X, _ = make_motion_sequences(n_sequences=20, n_timesteps=12, random_state=0)
        >>> embedder = Seq2SeqEmbedder(hidden_size=8, max_epochs=1, random_state=0).fit(X)
        >>> out = embedder.inference(X, embedding=True, errors=True)
        >>> out.embedding.shape, out.errors.shape
        ((20, 8), (20, 6))
        """
        check_is_fitted(self, "module_")
        if (frames or errors) and self.objective == "contrastive":
            raise ValueError(
                "objective='contrastive' trains no decoder: there are no predicted frames or "
                "prediction errors (forecast, score_samples); use transform."
            )
        min_length = 2 if self.prediction_length_ is None else self.prediction_length_ + 1
        data, lengths = check_sequences(X, min_length=min_length, n_features=self.n_features_in_)
        n = len(data)
        n_steps = self.prediction_length_ or int(lengths.max(initial=0))
        out = Bunch()
        if frames:
            out.frames = np.full((n, n_steps, int(self.features_kept_.sum())), np.nan)
        if errors:
            out.errors = np.full((n, n_steps), np.nan)
        batches = _equal_length_batches(lengths)
        outputs = forward_batches(
            self.module_,
            (self._batch_tensors(data, lengths, rows) for rows in batches),
            self.mixed_precision,
        )
        for rows, (predicted, target, mask, hidden, code) in zip(batches, outputs):
            k, steps = len(rows), mask.shape[1]
            if embedding:  # pooled over the whole fixed-shape batch (batch-independent)
                part = pool_states(hidden, mask, code, self.embedding, self.pooling)[:k]
                if "embedding" not in out:
                    out.embedding = np.empty((n, part.shape[1]), np.float32)
                out.embedding[rows] = part.cpu().numpy()
            if states:
                if "states" not in out:  # the module's state size
                    out.states = np.full((n, n_steps, hidden.shape[2]), np.nan, np.float32)
                out.states[rows, :steps] = hidden[:k].cpu().numpy()
            if frames:
                out.frames[rows, :steps] = predicted[:k].cpu().numpy()
            if errors:
                squared = masked_squared_error(
                    predicted[:k].double(), target[:k].double(), mask[:k]
                )
                out.errors[rows, :steps] = squared.mean(2).cpu().numpy()
        if embedding and "embedding" not in out:
            out.embedding = np.empty((0, 0), np.float32)
        if states and "states" not in out:
            out.states = np.empty((0, n_steps, 0), np.float32)
        return out

    def _batch_tensors(self, data, lengths, rows):
        """(X, lengths) tensors of equal-length ``rows``, zero-padded to INFERENCE_BATCH rows."""
        length = int(lengths[rows[0]])
        block = self._to_tensor(self._inputs(data[rows, :length]), np.full(len(rows), length))
        padded = torch.zeros((INFERENCE_BATCH,) + tuple(block.shape[1:]), dtype=block.dtype)
        padded[: len(block)] = block
        return padded, torch.full((INFERENCE_BATCH,), length, dtype=torch.int64)

    def transform(self, X):
        """Embed sequences.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences to embed.

        Returns
        -------
        embedding : ndarray of shape (n_samples, n_embedding), dtype float32
            Pooled decoder states, encoder state, or both (see ``embedding``).
        """
        return self.inference(X, embedding=True).embedding

    def transform_iter(self, chunks):
        """Embed an iterable of sequence chunks lazily, one chunk at a time.

        For collections that do not fit in memory: feed slices of a
        ``numpy.memmap``, files read one by one, or the blocks of a dask array;
        only one chunk and its embedding are held at a time. Concatenating the
        results equals ``transform`` of the concatenated chunks.

        Parameters
        ----------
        chunks : iterable of array-like
            Each item is anything :meth:`transform` accepts.

        Yields
        ------
        embedding : ndarray of shape (n_chunk_samples, n_embedding), dtype float32
            The embedding of each chunk, in order.
        """
        for chunk in chunks:
            yield self.transform(chunk)

    def transform_states(self, X):
        """Decoder hidden states, one per decoded step: the interpretable embedding.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences to embed.

        Returns
        -------
        states : ndarray of shape (n_samples, n_steps, hidden_size), dtype float32
            ``n_steps`` is ``prediction_length_`` (predict) or the longest
            sequence (reconstruct); steps past a sequence's end are NaN.
        """
        return self.inference(X, states=True).states

    def forecast(self, X):
        """The decoder's predicted frames, in the units of ``X``.

        For ``objective="predict"``, the encoder reads each sequence but its
        last ``prediction_length_`` steps and this returns its prediction of
        those steps (compare with ``X[:, -prediction_length_:]``). For
        ``"reconstruct"``, the reconstruction of the whole sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences.

        Returns
        -------
        frames : ndarray of shape (n_samples, n_steps, n_features)
            Predicted frames; constant channels hold their constant; steps
            past a sequence's end are NaN.
        """
        return self._frames_in_units(self.inference(X, frames=True).frames)

    def net_inputs(self, X):
        """The net's input channels for X, standardised as the net sees them.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences.

        Returns
        -------
        inputs : ndarray of shape (n_samples, n_timesteps, n_kept), dtype float64
            The channels in ``features_kept_`` (with ``with_velocity``, the
            frames' then their differences'), standardised with ``scaler_``;
            steps past a sequence's end are NaN.

        Examples
        --------
        >>> import numpy as np
        >>> from skseq2seq import Seq2SeqEmbedder
        >>> X = np.random.default_rng(0).normal(size=(10, 8, 2))
        >>> embedder = Seq2SeqEmbedder(hidden_size=4, max_epochs=1, random_state=0).fit(X)
        >>> inputs = embedder.net_inputs(X)
        >>> inputs.shape, bool(abs(inputs.mean()) < 1e-9)
        ((10, 8, 2), True)
        """
        check_is_fitted(self, "features_kept_")
        data, lengths = check_sequences(X, min_length=1, n_features=self.n_features_in_)
        inputs = self._standardized(self._inputs(data))
        inputs[np.arange(inputs.shape[1])[None, :] >= lengths[:, None]] = np.nan
        return inputs

    def _frames_in_units(self, frames):
        """Standardised frames of the kept channels, mapped back to the units of ``X``.

        Parameters
        ----------
        frames : ndarray of shape (..., n_kept)
            Values of the channels in ``features_kept_``, standardised as the
            net sees them (NaN rows stay NaN).

        Returns
        -------
        frames : ndarray of shape (..., n_features_in_)
            Constant channels hold their constant; with ``with_velocity`` the
            differences are dropped.
        """
        kept = self.features_kept_
        full = np.empty(frames.shape[:-1] + (len(kept),), dtype=np.float64)
        if self.scaler_ is None:
            full[..., kept] = frames
        else:
            full[..., kept] = frames * self.scaler_.scale_[kept] + self.scaler_.mean_[kept]
            full[..., ~kept] = self.scaler_.mean_[~kept]
        full[np.isnan(frames[..., 0])] = np.nan
        return full[..., : self.n_features_in_]  # with_velocity: drop the differences

    def score_samples(self, X):
        """Negative mean squared prediction error of each sequence.

        Errors are in standardised units; higher means the sequence's dynamics
        are better explained by the model (a novelty score). A low score flags
        motion that is hard to predict, not motion unlike the training data:
        a slow, novel movement is easy to continue and scores as normal (see
        the user guide).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        return -np.nanmean(self.inference(X, errors=True).errors, axis=1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.transformer_tags.preserves_dtype = ["float32"]  # the net computes in float32
        return tags
