"""The skorch net that trains a :class:`Seq2SeqModule` without labels."""

import contextlib
import math
import signal
import threading

import numpy as np
import torch
from sklearn.utils import Bunch
from skorch import NeuralNet
from skorch.callbacks import Callback
from skorch.hf import AccelerateMixin
from skorch.utils import TeeGenerator
from torch.utils.data import BatchSampler, RandomSampler, SequentialSampler

from ._network import masked_squared_error, pool_states

__all__ = [
    "AcceleratedSeq2SeqNet",
    "GLOBAL_RNG_LOCK",
    "NonFiniteLossStop",
    "PreparedBatches",
    "Seq2SeqNet",
    "SequenceBatches",
    "autocast",
]

# torch's default generator is process-wide: estimators seeding it and drawing
# initial weights from it hold this lock, so fits running in parallel threads
# (joblib/dask threading backends) stay reproducible.
GLOBAL_RNG_LOCK = threading.RLock()


def amp_dtype(device, dtype=None):
    """The autocast dtype: float16 on CUDA, bfloat16 elsewhere, unless given.

    On CUDA, cuDNN's GRU runs in float16 under autocast whatever dtype is
    asked for, so float16 with loss scaling is the consistent choice there;
    on CPU bfloat16 needs no loss scaling (float32's exponent range).
    """
    if dtype is not None:
        return getattr(torch, dtype) if isinstance(dtype, str) else dtype
    return torch.float16 if torch.device(device).type == "cuda" else torch.bfloat16


def autocast(device, enabled, dtype=None):
    """Mixed-precision autocast on ``device`` (see :func:`amp_dtype`), or a no-op."""
    if not enabled:
        return contextlib.nullcontext()
    return torch.autocast(torch.device(device).type, dtype=amp_dtype(device, dtype))


# Rows of every inference batch (padded up to it): a fixed shape makes each
# sequence's results independent of the others; 256 rows run the GRU about
# as fast per sequence as 1024 on CPU.
INFERENCE_BATCH = 256


def _equal_length_batches(lengths):
    """Row indices of each inference batch: equal lengths, at most INFERENCE_BATCH rows."""
    order = np.argsort(lengths, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(lengths[order])) + 1)
    return [
        group[start : start + INFERENCE_BATCH]
        for group in groups
        for start in range(0, len(group), INFERENCE_BATCH)
    ]


def _forward_batches(module, batches, mixed_precision=False, dtype=None):
    """Yield ``module``'s float32 outputs on ``(X, lengths)`` tensor batches.

    Inference only: no autograd, the module in eval mode (its training mode is
    restored afterwards), under the same autocast as training. Non-finite
    outputs raise a ValueError rather than being returned.
    """
    device = next(module.parameters()).device
    was_training = module.training
    module.eval()
    try:
        with torch.inference_mode():
            for X, lengths in batches:
                with autocast(device, mixed_precision, dtype):
                    output = module(X.to(device), lengths.to(device))
                if not bool(torch.isfinite(output[0]).all()):
                    raise ValueError(
                        "The net produced non-finite values on this input (mixed_precision="
                        f"{mixed_precision}): its values are out of the range it handles."
                    )
                yield tuple(t.float() if t.is_floating_point() else t for t in output)
    finally:
        module.train(was_training)


class NonFiniteLossStop(Callback):
    """Stop training with a ValueError as soon as a batch's loss is NaN or infinite.

    Training on from there would only return NaN embeddings.

    Parameters
    ----------
    advice : str, default=""
        What to try, appended to the message.
    """

    def __init__(self, advice=""):
        self.advice = advice

    # pylint: disable=unused-argument,arguments-differ
    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        if not training:
            return
        loss = net.history[-1, "batches", -1, "train_loss"]
        if not math.isfinite(loss):
            raise ValueError(
                f"The training loss became {loss} in epoch {len(net.history)}, batch "
                f"{len(net.history[-1, 'batches'])}; training stopped"
                + (f": {self.advice}." if self.advice else ".")
            )


@contextlib.contextmanager
def _recording_sigint():
    """Record Ctrl-C (SIGINT) presses while the block runs; they still interrupt.

    skorch stops training the same way for Ctrl-C and for a callback that
    stops early (both raise KeyboardInterrupt), so only the signal itself
    tells them apart. Signals reach the main thread only: elsewhere, and where
    SIGINT is ignored or left to the system, there is nothing to record.
    """
    pressed = []
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        yield pressed
        return

    def record(signum, frame):
        pressed.append(signum)
        previous(signum, frame)  # Python's default handler raises KeyboardInterrupt

    signal.signal(signal.SIGINT, record)
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, previous)


class SequenceBatches(torch.utils.data.Dataset):
    """Padded sequences indexed a whole batch at a time.

    Indexing with a list of positions returns the batch already stacked and
    trimmed to its longest sequence, so no per-sample ``__getitem__`` or
    collation runs in the training loop.
    """

    def __init__(self, X, lengths):
        self.X = X
        self.lengths = lengths

    def __len__(self):
        return len(self.X)

    def __getitem__(self, index):
        lengths = self.lengths[index]
        X = self.X[index, : int(lengths.max())]
        return {"X": X, "lengths": lengths}, lengths

    # DataLoader's fetcher hands a batch sampler's whole index list to this.
    __getitems__ = __getitem__


class PreparedBatches(SequenceBatches):
    """Sequences turned into the module's inputs a batch at a time, when indexed.

    Parameters
    ----------
    data : ndarray of shape (n_samples, n_timesteps, n_features)
        Padded sequences, as the user gave them.
    lengths : Tensor of shape (n_samples,), int64
    prepare : callable
        ``prepare(data[index, :longest], lengths[index], index)`` returns the
        module's float32 inputs of those sequences (an ndarray).
    """

    def __init__(self, data, lengths, prepare):
        super().__init__(data, lengths)
        self.prepare = prepare

    def __getitem__(self, index):
        lengths = self.lengths[index]
        index = np.asarray(index)
        X = self.prepare(self.X[index, : int(lengths.max())], lengths.numpy(), index)
        return {"X": torch.from_numpy(X), "lengths": lengths}, lengths

    __getitems__ = __getitem__


def _whole_batch(batch):
    """collate_fn: the dataset already returned the stacked batch."""
    return batch


# DataLoader arguments the net sets itself: the dataset returns whole batches.
_OWN_LOADER_ARGS = ("sampler", "batch_sampler", "collate_fn", "generator")


class Seq2SeqNet(NeuralNet):
    """``NeuralNet`` whose loss comes from the module's own targets.

    The module returns ``(output, target, mask, ...)`` (see
    :class:`~skseq2seq.Seq2SeqModule` for the interface); ``y`` is
    unused. The data is a :class:`SequenceBatches`, indexed a batch at a
    time.

    Parameters
    ----------
    *args, **kwargs
        Those of :class:`skorch.NeuralNet`. ``iterator_train__<name>`` and
        ``iterator_valid__<name>`` reach the ``DataLoader`` (e.g.
        ``num_workers``, ``pin_memory``; ``batch_size``, ``shuffle`` and
        ``drop_last`` choose the batches); ``sampler``, ``batch_sampler``,
        ``collate_fn`` and ``generator`` are the net's own and raise a
        ValueError.
    mixed_precision : bool, default=False
        Run the forward pass (training and inference) under
        ``torch.autocast``; weights, loss and optimizer stay float32. float16
        with a ``GradScaler`` on CUDA, bfloat16 (no scaling) on CPU.
    amp_dtype : {None, "float16", "bfloat16"}, default=None
        Overrides that choice of autocast dtype; float16 always comes with
        loss scaling.
    embedder : Seq2SeqEmbedder or None, default=None
        The estimator this net trains for. Callbacks reach it as
        ``net.embedder`` and may call its public methods mid-training
        (``transform``, ``inference``, ``net_inputs``): its fitted
        attributes other than ``n_epochs_`` and ``interrupted_`` are set
        before training starts. None for a net used on its own.

    Attributes
    ----------
    grad_scaler_ : torch.amp.GradScaler or None
        Loss scaler of float16 training; None otherwise.
    interrupted_ : bool
        Whether the last ``fit_loop`` was cut short by a KeyboardInterrupt
        from outside the callbacks (Ctrl-C), not by a callback such as
        ``EarlyStopping``.
    """

    def __init__(self, *args, mixed_precision=False, amp_dtype=None, embedder=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mixed_precision = mixed_precision
        self.amp_dtype = amp_dtype
        self.embedder = embedder

    def initialize(self):
        super().initialize()
        device = self._module_device()
        scaled = self.mixed_precision and amp_dtype(device, self.amp_dtype) == torch.float16
        # float16 gradients underflow without loss scaling.
        self.grad_scaler_ = torch.amp.GradScaler(device.type) if scaled else None
        # Batch order comes from the net's own generator, seeded from torch's
        # default one now (under the caller's seed), not drawn from the
        # process-wide generator during training.
        seed = int(torch.randint(0, 2**62, ()).item())
        self.batch_generator_ = torch.Generator().manual_seed(seed)
        return self

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        # skorch's partial_fit swallows KeyboardInterrupt to stop cleanly, for
        # Ctrl-C and for callbacks that stop training that way (EarlyStopping);
        # record the former so the estimator can say training was cut short.
        self.interrupted_ = False
        with _recording_sigint() as pressed:
            try:
                return super().fit_loop(X, y, epochs=epochs, **fit_params)
            finally:
                self.interrupted_ = bool(pressed)

    def _module_device(self):
        try:
            return next(self.module_.parameters()).device
        except (AttributeError, StopIteration):
            return torch.device(self.device or "cpu")

    def infer(self, x, **fit_params):
        with autocast(self._module_device(), self.mixed_precision, self.amp_dtype):
            return super().infer(x, **fit_params)

    def _inference_precision(self):
        """(autocast enabled, dtype) of inference: those of training."""
        return self.mixed_precision, self.amp_dtype

    def infer_sequences(
        self,
        dataset,
        *,
        embedding=None,
        pooling="mean",
        states=False,
        frames=False,
        errors=False,
        n_steps=None,
    ):
        """Run the module once over a dataset of sequences; the outputs asked for.

        The one inference engine of the package (behind
        :meth:`Seq2SeqEmbedder.inference <skseq2seq.Seq2SeqEmbedder.inference>`
        and :class:`~skseq2seq.callbacks.EmbeddingQuality`). Sequences run in
        batches of equal length and ``INFERENCE_BATCH`` rows (padded with
        zeros): matrix kernels choose their blocking by the batch's shape, so
        any other batching would make a sequence's results change (at 1e-7)
        with the other sequences around it. Each result depends on its own
        sequence only. No autograd, the module in eval mode, under the
        training's autocast; non-finite outputs raise a ValueError.

        Parameters
        ----------
        dataset : SequenceBatches or PreparedBatches
            The module's inputs (float32, zero past each end) and lengths, at
            least one sequence; a :class:`PreparedBatches` prepares each
            batch when it runs (memory bounded by the batch, not the set).
        embedding : {None, "decoder", "encoder", "both"}, default=None
            Return the pooled embedding of this kind (see
            :func:`~skseq2seq._network.pool_states`); None: none.
        pooling : {"mean", "last", "concat"}, default="mean"
            How decoder states are pooled for ``embedding``.
        states, frames, errors : bool, default=False
            Return the decoder states, the predicted frames, the squared
            prediction errors averaged over channels (float64).
        n_steps : int, default=None
            Steps of the states, frames and errors arrays; None: the longest
            sequence.

        Returns
        -------
        outputs : :class:`~sklearn.utils.Bunch`
            ``embedding`` (n_samples, n_embedding), ``states`` (n_samples,
            n_steps, n_hidden), ``frames`` (n_samples, n_steps, n_channels),
            ``errors`` (n_samples, n_steps), those asked for; steps past a
            sequence's end are NaN.
        """
        lengths = dataset.lengths.numpy()
        n = len(lengths)
        n_steps = int(lengths.max(initial=0)) if n_steps is None else n_steps
        out = Bunch()
        if errors:
            out.errors = np.full((n, n_steps), np.nan)
        batches = _equal_length_batches(lengths)

        def padded(rows):  # (X, lengths) of equal-length rows, zero-padded to INFERENCE_BATCH rows
            block = dataset[torch.from_numpy(rows)][0]["X"]
            X = torch.zeros((INFERENCE_BATCH,) + tuple(block.shape[1:]), dtype=block.dtype)
            X[: len(block)] = block
            return X, torch.full((INFERENCE_BATCH,), block.shape[1], dtype=torch.int64)

        mixed_precision, dtype = self._inference_precision()
        outputs = _forward_batches(
            self.module_, (padded(rows) for rows in batches), mixed_precision, dtype
        )
        for rows, (predicted, target, mask, hidden, code) in zip(batches, outputs):
            k, steps = len(rows), mask.shape[1]
            if embedding is not None:  # pooled over the whole fixed-shape batch
                part = pool_states(hidden, mask, code, embedding, pooling)[:k]
                if "embedding" not in out:
                    out.embedding = np.empty((n, part.shape[1]), np.float32)
                out.embedding[rows] = part.cpu().numpy()
            if states:
                if "states" not in out:  # the module's state size
                    out.states = np.full((n, n_steps, hidden.shape[2]), np.nan, np.float32)
                out.states[rows, :steps] = hidden[:k].cpu().numpy()
            if frames:
                if "frames" not in out:
                    out.frames = np.full((n, n_steps, predicted.shape[2]), np.nan)
                out.frames[rows, :steps] = predicted[:k].cpu().numpy()
            if errors:
                squared = masked_squared_error(
                    predicted[:k].double(), target[:k].double(), mask[:k]
                )
                out.errors[rows, :steps] = squared.mean(2).cpu().numpy()
        return out

    def get_loss(self, y_pred, y_true=None, X=None, training=False):
        output, target, mask = y_pred[:3]
        loss = self.criterion_(output.float(), target.float(), mask)
        scaler = getattr(self, "grad_scaler_", None)
        if training and scaler is not None:
            # Backpropagate the scaled loss (float16 gradients underflow), while
            # the loss itself, which skorch records, stays the true one.
            loss.register_hook(scaler.scale)
        return loss

    def train_step(self, batch, **fit_params):
        scaler = getattr(self, "grad_scaler_", None)
        if scaler is None:
            return super().train_step(batch, **fit_params)
        # GradScaler.step takes no closure, so this is skorch's step without
        # one (as skorch advises for fine-grained control of the step).
        self.optimizer_.zero_grad()
        step = self.train_step_single(batch, **fit_params)  # scaled gradients (get_loss)
        scaler.unscale_(self.optimizer_)  # true gradients for on_grad_computed (clipping)
        self.notify(
            "on_grad_computed",
            named_parameters=TeeGenerator(self.get_all_learnable_params()),
            batch=batch,
            training=True,
        )
        scaler.step(self.optimizer_)  # skipped on inf/nan gradients
        scaler.update()
        return step

    def get_iterator(self, dataset, training=False):
        prefix = "iterator_train" if training else "iterator_valid"
        kwargs = self.get_params_for(prefix)
        own = sorted(set(kwargs) & set(_OWN_LOADER_ARGS))
        if own:
            raise ValueError(
                f"{', '.join(prefix + '__' + key for key in own)}: the net builds its batches "
                "itself (whole batches from the dataset); set batch_size, shuffle or drop_last "
                "instead."
            )
        batch_size = kwargs.pop("batch_size", self.batch_size)
        if batch_size == -1:
            batch_size = len(dataset)
        if kwargs.pop("shuffle", training):
            sampler = RandomSampler(dataset, generator=getattr(self, "batch_generator_", None))
        else:
            sampler = SequentialSampler(dataset)
        batches = BatchSampler(sampler, batch_size, drop_last=kwargs.pop("drop_last", False))
        # The dataset returns whole batches (SequenceBatches.__getitems__); a
        # batch_sampler (not a sampler of lists) is what Accelerate can shard.
        # A private generator for the loader's base seed (workers' seeds),
        # which it would otherwise draw from torch's global generator.
        iterator = self.iterator_train if training else self.iterator_valid
        return iterator(
            dataset,
            batch_sampler=batches,
            collate_fn=_whole_batch,
            generator=torch.Generator(),
            **kwargs,
        )


class AcceleratedSeq2SeqNet(AccelerateMixin, Seq2SeqNet):
    """:class:`Seq2SeqNet` trained through Hugging Face Accelerate.

    skorch's :class:`~skorch.hf.AccelerateMixin` prepares the module,
    optimizer and data loader with ``accelerator`` (DistributedDataParallel
    across the processes started by ``accelerate launch``, device placement,
    mixed precision) and unwraps the module after training.
    """

    def _inference_precision(self):
        # The accelerator casts in training: inference casts as it does.
        return self.accelerator.mixed_precision != "no", None
