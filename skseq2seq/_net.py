"""The skorch net that trains a :class:`Seq2SeqModule` without labels."""

import contextlib
import threading

import torch
from skorch import NeuralNet
from skorch.hf import AccelerateMixin
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler

__all__ = ["AcceleratedSeq2SeqNet", "GLOBAL_RNG_LOCK", "Seq2SeqNet", "SequenceBatches", "autocast"]

# torch's default generator is process-wide: estimators seeding it and drawing
# initial weights from it hold this lock, so fits running in parallel threads
# (joblib/dask threading backends) stay reproducible.
GLOBAL_RNG_LOCK = threading.RLock()


def autocast(device, enabled):
    """bfloat16 autocast on ``device`` (a torch.device or its type), or a no-op.

    bfloat16 needs no loss scaling (same exponent range as float32) and is
    supported by every CPU and by Ampere-or-newer GPUs.
    """
    if not enabled:
        return contextlib.nullcontext()
    device_type = torch.device(device).type
    return torch.autocast(device_type, dtype=torch.bfloat16)


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


def _whole_batch(batch):
    """collate_fn: the dataset already returned the stacked batch."""
    return batch


class Seq2SeqNet(NeuralNet):
    """``NeuralNet`` whose loss comes from the module's own targets.

    The module returns ``(output, target, mask, ...)``; ``y`` is unused.

    Parameters (beyond skorch's)
    ----------------------------
    mixed_precision : bool, default=False
        Run the forward pass (training and inference) under bfloat16
        ``torch.autocast``; the loss and the backward pass stay in float32.
    """

    def __init__(self, *args, mixed_precision=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.mixed_precision = mixed_precision

    def initialize(self):
        super().initialize()
        # Batch order comes from the net's own generator, seeded from torch's
        # default one now (under the caller's seed), not drawn from the
        # process-wide generator during training.
        seed = int(torch.randint(0, 2**62, ()).item())
        self.batch_generator_ = torch.Generator().manual_seed(seed)
        return self

    def _module_device(self):
        try:
            return next(self.module_.parameters()).device
        except (AttributeError, StopIteration):
            return torch.device(self.device or "cpu")

    def infer(self, x, **fit_params):
        with autocast(self._module_device(), self.mixed_precision):
            return super().infer(x, **fit_params)

    def get_loss(self, y_pred, y_true=None, X=None, training=False):
        output, target, mask = y_pred[:3]
        return self.criterion_(output.float(), target.float(), mask)

    def get_iterator(self, dataset, training=False):
        if training:
            generator = getattr(self, "batch_generator_", None)
            sampler = RandomSampler(dataset, generator=generator)
        else:
            sampler = SequentialSampler(dataset)
        batches = BatchSampler(sampler, self.batch_size, drop_last=False)
        # The dataset returns whole batches (SequenceBatches.__getitems__); a
        # batch_sampler (not a sampler of lists) is what Accelerate can shard.
        # A private generator for the loader's (unused, no workers) base seed,
        # which it would otherwise draw from torch's global generator.
        return DataLoader(
            dataset, batch_sampler=batches, collate_fn=_whole_batch, generator=torch.Generator()
        )


class AcceleratedSeq2SeqNet(AccelerateMixin, Seq2SeqNet):
    """:class:`Seq2SeqNet` trained through Hugging Face Accelerate.

    skorch's :class:`~skorch.hf.AccelerateMixin` prepares the module,
    optimizer and data loader with ``accelerator`` (DistributedDataParallel
    across the processes started by ``accelerate launch``, device placement,
    mixed precision) and unwraps the module after training.
    """
