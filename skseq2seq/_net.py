"""The skorch net that trains a :class:`Seq2SeqModule` without labels."""

import torch
from skorch import NeuralNet
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler

__all__ = ["Seq2SeqNet", "SequenceBatches"]


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


class Seq2SeqNet(NeuralNet):
    """``NeuralNet`` whose loss comes from the module's own targets.

    The module returns ``(output, target, mask, ...)``; ``y`` is unused.
    """

    def get_loss(self, y_pred, y_true=None, X=None, training=False):
        output, target, mask = y_pred[:3]
        return self.criterion_(output, target, mask)

    def get_iterator(self, dataset, training=False):
        sampler = RandomSampler(dataset) if training else SequentialSampler(dataset)
        batches = BatchSampler(sampler, self.batch_size, drop_last=False)
        # batch_size=None: the dataset returns whole batches (see SequenceBatches).
        return DataLoader(dataset, sampler=batches, batch_size=None)
