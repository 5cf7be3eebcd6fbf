"""Seq2SeqForecaster: the next frames of sequences, from a trained seq2seq GRU."""

import numbers
import re

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, check_memory
from skorch.callbacks import EarlyStopping
from torch import nn

from ._embedder import Seq2SeqEmbedder
from ._net_config import check_callbacks
from ._network import Seq2SeqModule
from ._persistence import VersionedPickleMixin
from ._sklearn_compat import HasMethods, Interval, fit_context
from ._validation import check_device, check_sequences, python_scalars

__all__ = ["Seq2SeqForecaster", "duration_frames"]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s)?\s*$")


def duration_frames(value, fps=None, name="duration"):
    """A number of frames given as frames or as a duration in seconds.

    Parameters
    ----------
    value : int or str
        Frames (``25``, ``"25"``) or a duration with its unit (``"1s"``,
        ``"0.4s"``, ``"400ms"``), rounded to the nearest frame.
    fps : float or None, default=None
        Frames per second; needed when ``value`` is a duration.
    name : str, default="duration"
        The parameter's name, for error messages.

    Returns
    -------
    n_frames : int
        At least 1.

    Examples
    --------
    >>> from skseq2seq._forecaster import duration_frames
    >>> duration_frames(10), duration_frames("400ms", fps=25), duration_frames("2s", fps=25)
    (10, 10, 50)
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        frames, unit = int(value), None
    else:
        match = _DURATION.match(value) if isinstance(value, str) else None
        if match is None:
            raise ValueError(
                f"{name}={value!r}: expected a number of frames (an int) or a duration such "
                "as '1s', '0.4s' or '400ms'."
            )
        number, unit = match.groups()
        if unit is None:
            if not number.isdigit():
                raise ValueError(
                    f"{name}={value!r}: a number of frames is a whole number; give seconds "
                    "with their unit ('0.4s')."
                )
            frames = int(number)
        else:
            if fps is None:
                raise ValueError(
                    f"{name}={value!r} is a duration: give the frame rate (fps) to count its "
                    "frames, or give frames (an int)."
                )
            seconds = float(number) / (1000.0 if unit == "ms" else 1.0)
            frames = int(round(seconds * fps))
    if frames < 1:
        where = f" at {fps:g} fps" if unit is not None else ""
        raise ValueError(f"{name}={value!r} is {frames} frames{where}; it must be at least 1.")
    return frames


class ZeroStartModule(Seq2SeqModule):
    """:class:`Seq2SeqModule` whose untrained decoder repeats the last observed frame.

    The residual decoder outputs ``previous frame + readout(state)``; a
    zero readout makes the untrained net the zero-velocity forecast, a strong
    baseline for motion, which training then corrects.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nn.init.zeros_(self.readout.weight)
        nn.init.zeros_(self.readout.bias)


def _fit_embedder(embedder, windows):
    """Module-level so joblib ``Memory`` can cache it by (embedder params, windows)."""
    return embedder.fit(windows)


class Seq2SeqForecaster(VersionedPickleMixin, BaseEstimator):
    """Forecast the next frames of sequences with a seq2seq GRU.

    A :class:`Seq2SeqEmbedder` with ``objective="predict"`` trained to
    continue sequences: its encoder reads the observed frames and its
    decoder, run freely from the last observed frame, predicts the next
    ``horizon`` frames, each as a change added to the frame before (residual
    output), from the frames and their frame-to-frame differences (velocity
    inputs). This estimator fits that embedder on windows and calls its
    :meth:`~Seq2SeqEmbedder.forecast` past the end of the observed frames.

    The untrained decoder repeats the last observed frame (the zero-velocity
    forecast, a strong baseline for motion) and training corrects it, in the
    data's own units. These defaults were chosen on Human3.6M among a few
    declared candidates (trained on subjects S1 and S6, scored on S7); the
    benchmark (``benchmarks/results/forecast.md``) reports them on S8.

    Parameters
    ----------
    horizon : int or str, default=25
        Frames to forecast: a number of frames, or a duration (``"1s"``,
        ``"400ms"``) counted at ``fps``.
    observed : int, str or None, default=None
        Frames the encoder reads when training (same units as ``horizon``).
        None: ``fit``'s sequences are the training windows, each one's last
        ``horizon`` frames to be predicted from the ones before. Otherwise
        ``fit`` cuts its sequences (e.g. whole recordings) into windows of
        ``observed + horizon`` frames, ``stride`` apart. :meth:`predict`
        reads sequences of any length.
    fps : float or None, default=None
        Frames per second of the data; needed when ``horizon`` or
        ``observed`` is a duration.
    stride : int or None, default=None
        Frames between the starts of training windows when ``observed`` is
        set; None means half the horizon (rounded down, at least 1).
    hidden_size : int, default=128
        Size of the encoder's and decoder's GRU states.
    num_layers : int, default=1
        Stacked GRU layers.
    with_velocity : bool, default=True
        Feed the frames' differences to the net beside the frames.
    standardize : bool, default=False
        Standardise channels for the net (see :class:`Seq2SeqEmbedder`).
        False trains on the data's own units, so that the loss weighs
        channels as errors in those units do; True gives every channel the
        same weight, however little it moves.
    lr : float, default=1e-3
        Adam learning rate.
    batch_size : int, default=64
        Windows per training batch.
    max_epochs : int, default=30
        Most training epochs.
    early_stopping : bool, default=True
        Hold out ``validation_fraction`` of the windows and stop when their
        loss has not improved for ``n_iter_no_change`` epochs, keeping the
        weights of the best epoch. False trains ``max_epochs`` epochs on all
        windows.
    validation_fraction : float in (0, 1), default=0.1
        Windows held out for early stopping (a random split seeded from
        ``random_state``).
    n_iter_no_change : int, default=3
        Epochs without improvement of the validation loss before stopping.
    gradient_clipping : float or None, default=1.0
        Maximum gradient norm; None disables clipping.
    callbacks : list of skorch callbacks, default=None
        Extra callbacks for the skorch net.
    device : str, default="auto"
        Torch device; ``"auto"`` picks ``"cuda"`` when available.
    random_state : int, RandomState instance or None, default=None
        Seeds weights, batch order and the validation split.
    verbose : int, default=0
        ``> 0`` shows skorch's progress bar and epoch table.
    mixed_precision : bool, default=False
        Forward passes under ``torch.autocast`` (see
        :class:`Seq2SeqEmbedder`).
    module : type or None, default=None
        The network's class (see :class:`Seq2SeqEmbedder`'s ``module``).
        None means :class:`Seq2SeqModule` with its read-out initialised to
        zero, so that the untrained net forecasts the last observed frame
        (zero velocity) and training corrects that forecast.
    memory : str, joblib.Memory or None, default=None
        Cache the trained embedder with joblib (a folder, or a
        ``joblib.Memory``): fitting again with the same parameters and data
        loads it instead of training.

    Attributes
    ----------
    embedder_ : Seq2SeqEmbedder
        The trained embedder, whose :meth:`~Seq2SeqEmbedder.forecast` this
        estimator calls.
    horizon_ : int
        Frames forecast.
    observed_ : int or None
        Frames of each training window the encoder read, or None (windows
        as given).
    n_features_in_ : int
        Channels per frame seen in ``fit``.
    n_windows_ : int
        Training windows (validation ones included).
    n_epochs_ : int
        Epochs trained.

    See Also
    --------
    Seq2SeqEmbedder.forecast : The same net's prediction of the last frames of a sequence.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq import Seq2SeqForecaster
    >>> t = np.arange(200) / 10
    >>> recording = np.stack([np.sin(t), np.cos(t)], axis=1)
    >>> forecaster = Seq2SeqForecaster(horizon="0.5s", observed="2s", fps=10, stride=2,
    ...                                hidden_size=16, max_epochs=2, random_state=0)
    >>> forecaster.fit([recording]).horizon_
    5
    >>> forecaster.predict(recording[None, :50]).shape
    (1, 5, 2)

    Sequences of different lengths (a list) are forecast as well:

    >>> forecaster.predict([recording[:30], recording[:45]]).shape
    (2, 5, 2)
    """

    _parameter_constraints = {
        "horizon": [Interval(numbers.Integral, 1, None, closed="left"), str],
        "observed": [Interval(numbers.Integral, 1, None, closed="left"), str, None],
        "fps": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "stride": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "hidden_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "num_layers": [Interval(numbers.Integral, 1, None, closed="left")],
        "with_velocity": ["boolean"],
        "standardize": ["boolean"],
        "lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_epochs": [Interval(numbers.Integral, 0, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
        "gradient_clipping": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "callbacks": [list, None],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "mixed_precision": ["boolean"],
        "module": [callable, None],
        "memory": [str, HasMethods(["cache"]), None],
    }

    def __init__(
        self,
        horizon=25,
        observed=None,
        fps=None,
        stride=None,
        hidden_size=128,
        num_layers=1,
        with_velocity=True,
        standardize=False,
        lr=1e-3,
        batch_size=64,
        max_epochs=30,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=3,
        gradient_clipping=1.0,
        callbacks=None,
        device="auto",
        random_state=None,
        verbose=0,
        mixed_precision=False,
        module=None,
        memory=None,
    ):
        self.horizon = horizon
        self.observed = observed
        self.fps = fps
        self.stride = stride
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.with_velocity = with_velocity
        self.standardize = standardize
        self.lr = lr
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.gradient_clipping = gradient_clipping
        self.callbacks = callbacks
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.mixed_precision = mixed_precision
        self.module = module
        self.memory = memory

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the net to forecast ``horizon`` frames.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Training windows (``observed=None``: the last ``horizon`` frames
            of each are forecast from the ones before), or recordings cut
            into windows of ``observed + horizon`` frames.
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : Seq2SeqForecaster
            The fitted forecaster.
        """
        params = python_scalars(self.get_params(deep=False))
        # Everything known before training is checked before training.
        check_device(params["device"])
        check_callbacks(params["callbacks"])
        horizon = duration_frames(params["horizon"], params["fps"], "horizon")
        observed = (
            None
            if params["observed"] is None
            else duration_frames(params["observed"], params["fps"], "observed")
        )
        stride = params["stride"] or max(1, horizon // 2)
        windows = self._windows(X, horizon, observed, stride)
        if params["early_stopping"] and len(windows) < 2:
            raise ValueError(
                f"Found {len(windows)} training window(s) (n_samples = {len(windows)}) while a "
                "minimum of 2 is required with early_stopping=True (one to train, one to "
                "validate); give more data or set early_stopping=False."
            )
        embedder = self._embedder(params, horizon)
        self.embedder_ = check_memory(params["memory"]).cache(_fit_embedder)(embedder, windows)
        self.horizon_ = horizon
        self.observed_ = observed
        self.n_features_in_ = self.embedder_.n_features_in_
        self.n_windows_ = len(windows)
        self.n_epochs_ = self.embedder_.n_epochs_
        return self

    @staticmethod
    def _windows(X, horizon, observed, stride):
        """The training windows: X's sequences, or their windows of observed + horizon frames."""
        if observed is None:
            data, lengths = check_sequences(X, min_length=horizon + 1)
            return data if (lengths == data.shape[1]).all() else _unpadded(data, lengths)
        width = observed + horizon
        data, lengths = check_sequences(X, min_length=1)
        if lengths.max() < width:
            raise ValueError(
                f"No sequence of X is as long as a training window: observed + horizon = "
                f"{width} frames; the longest has {lengths.max()}."
            )
        starts = [np.arange(0, n - width + 1, stride) for n in lengths]
        rows = np.repeat(np.arange(len(lengths)), [len(s) for s in starts])
        index = np.concatenate(starts)[:, None] + np.arange(width)[None, :]
        return data[rows[:, None], index]

    def _embedder(self, params, horizon):
        callbacks = list(params["callbacks"] or [])
        if params["early_stopping"]:
            callbacks.append(
                (
                    "early_stopping",
                    EarlyStopping(patience=params["n_iter_no_change"], load_best=True),
                )
            )
        return Seq2SeqEmbedder(
            hidden_size=params["hidden_size"],
            num_layers=params["num_layers"],
            objective="predict",
            prediction_length=horizon,
            decoder_input="previous_output",  # free-running, residual frames
            with_velocity=params["with_velocity"],
            standardize=params["standardize"],
            module=params["module"] or ZeroStartModule,
            lr=params["lr"],
            batch_size=params["batch_size"],
            max_epochs=params["max_epochs"],
            validation_fraction=params["validation_fraction"] if params["early_stopping"] else None,
            gradient_clipping=params["gradient_clipping"],
            callbacks=callbacks,
            device=params["device"],
            random_state=params["random_state"],
            verbose=params["verbose"],
            mixed_precision=params["mixed_precision"],
        )

    def predict(self, X):
        """Forecast the ``horizon_`` frames that follow each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Observed frames, of any length (at least one frame).

        Returns
        -------
        frames : ndarray of shape (n_samples, horizon_, n_features) or (n_samples, horizon_)
            The forecast frames, in the units of ``X``; 2D (univariate) when
            ``X`` is 2D.
        """
        check_is_fitted(self, "embedder_")
        data, lengths = check_sequences(X, min_length=1, n_features=self.n_features_in_)
        # The decoder runs freely from the last observed frame: the frames
        # appended as slots for the forecast are never read. Repeating the
        # last frame keeps the appended differences at zero.
        last = data[np.arange(len(data)), lengths - 1]
        slots = np.repeat(last[:, None], self.horizon_, axis=1)
        if (lengths == data.shape[1]).all():
            extended = np.concatenate([data, slots], axis=1)
        else:
            extended = [
                np.concatenate([seq[:n], slot]) for seq, n, slot in zip(data, lengths, slots)
            ]
        frames = self.embedder_.forecast(extended)
        return frames[:, :, 0] if _is_univariate(X) else frames

    def score(self, X, y=None):
        """Negative mean squared error of forecasting the last ``horizon_`` frames of each sequence.

        Errors are in standardised units (each channel divided by its
        standard deviation in ``fit``), so channels count alike; higher is
        better, as scikit-learn's model selection expects.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences longer than ``horizon_``.
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        score : float
        """
        check_is_fitted(self, "embedder_")
        data, lengths = check_sequences(
            X, min_length=self.horizon_ + 1, n_features=self.n_features_in_
        )
        observed = _unpadded(data, lengths - self.horizon_)
        index = (lengths - self.horizon_)[:, None] + np.arange(self.horizon_)[None, :]
        truth = data[np.arange(len(data))[:, None], index]
        scale = self._channel_scale()
        errors = ((self.predict(observed) - truth) / scale) ** 2
        return -float(errors.mean())

    def _channel_scale(self):
        """Each channel's spread in fit (1 where constant or not standardised)."""
        scaler, n = self.embedder_.scaler_, self.n_features_in_
        if scaler is None:
            return np.ones(n)
        kept = self.embedder_.features_kept_[:n]
        return np.where(kept, scaler.scale_[:n], 1.0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.non_deterministic = False
        return tags


def _is_univariate(X):
    """Whether X is a 2D array: univariate sequences, forecast as a 2D array."""
    return not isinstance(X, (list, tuple)) and np.ndim(X) == 2


def _unpadded(data, lengths):
    """The list of each padded sequence's first ``lengths`` frames."""
    return [seq[:n] for seq, n in zip(data, lengths)]
