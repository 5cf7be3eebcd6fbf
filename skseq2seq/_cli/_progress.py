"""Training progress on stderr: one line per net and epoch, with elapsed and remaining time."""

import sys
import time

from skorch.callbacks import Callback


def _clock(seconds):
    minutes, seconds = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class TrainingProgress:
    """What a command has trained so far, printed as it goes unless ``quiet``.

    The estimators clone their embedder (and so its callbacks) once per net;
    every clone's :class:`EpochLine` reports here, so the count runs across
    nets. Only runtime state: it pickles (with a saved model, or as part of
    a joblib ``Memory`` cache key) as a fresh, quiet instance.
    """

    def __init__(self, quiet=False):
        self.quiet = quiet
        self.n_nets = 1
        self.nets_begun = 0
        self.epochs_done = 0
        self.start = None

    @property
    def training_started(self):
        """Whether a net has started training (later errors are not the user's)."""
        return self.nets_begun > 0

    def expect(self, n_nets):
        """Announce how many nets the command trains, for the remaining-time estimate."""
        self.n_nets = n_nets

    def callbacks(self):
        """The skorch callbacks that report to this object."""
        return [("command_line_progress", EpochLine(self))]

    def net_begins(self):
        if self.start is None:
            self.start = time.perf_counter()
        self.nets_begun += 1

    def epoch_done(self, epoch, max_epochs, loss):
        self.epochs_done += 1
        if self.quiet:
            return
        n_nets = max(self.n_nets, self.nets_begun)
        elapsed = time.perf_counter() - self.start
        total = max(n_nets * max_epochs, self.epochs_done)
        left = elapsed / self.epochs_done * (total - self.epochs_done)
        print(
            f"[training] net {self.nets_begun}/{n_nets}  epoch {epoch}/{max_epochs}  "
            f"loss {loss:.4g}  elapsed {_clock(elapsed)}  left ~{_clock(left)}",
            file=sys.stderr,
            flush=True,
        )

    def __deepcopy__(self, memo):
        return self  # shared by every clone of the embedder

    def __getstate__(self):
        return {}

    def __setstate__(self, state):
        self.__init__(quiet=True)


class EpochLine(Callback):
    """skorch callback: tells a :class:`TrainingProgress` of each net and epoch."""

    def __init__(self, progress):
        self.progress = progress

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.progress.net_begins()

    def on_epoch_end(self, net, **kwargs):
        last = net.history[-1]
        loss = last.get("train_loss", float("nan"))
        self.progress.epoch_done(last["epoch"], net.max_epochs, loss)
