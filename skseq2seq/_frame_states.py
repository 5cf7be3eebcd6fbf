"""Per-frame views of a recording for the segmenter: the nets' decoder states, the frames.

:class:`~skseq2seq.TemporalSegmenter` describes every working frame by the
mean decoder state of the windows that predict it (one view per net) and by
the standardised frame itself. These functions train the nets and compute
the views; they return values and keep no state.
"""

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_memory

from ._ensemble import WideSeq2SeqModule, batchable
from ._scaling import MAX_INPUT
from ._stats import constant_columns, fit_channel_scaler
from .datasets import sliding_windows

__all__ = ["frame_scaling", "frame_states", "net_states", "scale_frames", "train_nets"]


def train_nets(
    prototype, seeds, work, observed, predicted, stride, split_windows=False, memory=None
):
    """Train one net per seed on the windows of ``work``; every net's per-frame states.

    A batchable ``prototype`` (the segmenter's default net) trains as one
    :class:`WideSeq2SeqModule` holding all the nets (one forward and backward
    pass per batch for all); other embedders train one per seed.

    Parameters
    ----------
    prototype : Seq2SeqEmbedder
        The net to train (cloned); the window geometry and the seed override
        its ``objective``, ``prediction_length`` and ``random_state``.
    seeds : list of int
        One seed per net.
    work : list of ndarray of shape (n_working_frames, n_features)
        The recordings at the working frame rate.
    observed, predicted, stride : int
        Window geometry, in working frames.
    split_windows : bool, default=False
        With the wide module, deal each batch out among the nets (one net's
        arithmetic) and read states from every ``len(seeds)``-th window.
    memory : str, joblib.Memory or None, default=None
        Caches each training and its per-frame states.

    Returns
    -------
    embedders : list of Seq2SeqEmbedder
        The trained embedders (one per seed, or the one wide embedder).
    states : list of list of ndarray
        Per net (in seed order), the per-recording states of shape
        ``(n_working_frames, n_state)``.
    errors : list of ndarray
        Per recording, the first embedder's per-frame prediction error.
    """
    train_and_embed = check_memory(memory).cache(_train_and_embed)
    nets = [
        # The windows dictate what the net predicts; the seed follows random_state.
        clone(prototype).set_params(
            objective="predict", prediction_length=predicted, random_state=seed
        )
        for seed in seeds
    ]
    if len(nets) > 1 and batchable(nets[0].get_params()):
        wide_seeds = tuple(int(seed) for seed in seeds)
        wide = {"module": WideSeq2SeqModule, "module__seeds": wide_seeds}
        if split_windows:  # the nets share out the windows: one net's arithmetic
            # Batches of n_nets * batch_size rows: each net's share is a full batch.
            batch_size = nets[0].get_params()["batch_size"] * len(wide_seeds)
            wide.update(module__split_batches=True, batch_size=batch_size)
        nets = [nets[0].set_params(**wide)]
    fits = [train_and_embed(e, work, observed, predicted, stride) for e in nets]
    embedders = [fitted for fitted, _, _ in fits]
    states = [
        list(net)
        for fitted, recordings, _ in fits
        for net in zip(*(_split_nets(s, _nets_in(fitted)) for s in recordings))
    ]
    # The errors follow the first embedder (all nets' mean when wide).
    return embedders, states, fits[0][2]


def net_states(embedders, work, observed, predicted):
    """Per-frame states of every net of trained embedders, for one recording.

    Returns
    -------
    states : list of ndarray of shape (n_working_frames, n_state)
        One per net, in the order of :func:`train_nets`.
    """
    return [
        net
        for embedder in embedders
        for net in _split_nets(
            frame_states(embedder, work, observed, predicted, stride=_state_stride(embedder))[0],
            _nets_in(embedder),
        )
    ]


def _train_and_embed(embedder, work, observed, predicted, stride):
    """Train ``embedder`` on the windows of ``work``; per-frame states and errors.

    Module-level so joblib ``Memory`` can cache it by (embedder parameters,
    working frames, window geometry): changing only the clustering or the
    smoothing then reuses the trained net.
    """
    train = sliding_windows(work, observed + predicted, stride)  # never across recordings
    embedder = embedder.fit(train)
    state_stride = _state_stride(embedder)
    states, errors = zip(
        *(frame_states(embedder, w, observed, predicted, stride=state_stride) for w in work)
    )
    return embedder, list(states), list(errors)


def frame_states(embedder, work, observed, predicted, chunk=2048, stride=1):
    """Per-working-frame mean decoder state and prediction error.

    The windows starting every ``stride`` frames (and the last window) each
    predict ``predicted`` frames; a frame gets the mean of the states and
    squared errors (standardised units) of the windows that predict it, from
    one forward pass per window. Windows are embedded ``chunk`` at a time to
    bound memory.

    Parameters
    ----------
    embedder : Seq2SeqEmbedder
        A trained embedder (objective "predict").
    work : ndarray of shape (n_working_frames, n_features)
        One recording at the working frame rate.
    observed, predicted : int
        Window geometry, in working frames.
    chunk : int, default=2048
        Windows embedded at a time.
    stride : int, default=1
        Frames between the starts of the windows read.

    Returns
    -------
    states : ndarray of shape (n_working_frames, n_state)
        The state width is the module's (all nets side by side when wide);
        frames before the first predicted one repeat its state.
    errors : ndarray of shape (n_working_frames,)
        NaN where no window predicts the frame.
    """
    n = len(work)
    width = observed + predicted
    n_windows = n - width + 1
    # The last window too, so that the last frames are predicted at any stride.
    starts = np.unique(np.r_[np.arange(0, n_windows, stride), n_windows - 1])
    total = None  # (n, state size): allocated from the first batch's states
    err = np.zeros(n)
    count = np.zeros(n)
    for part in range(0, len(starts), chunk):
        first = starts[part : part + chunk]
        out = embedder.inference(work[first[:, None] + np.arange(width)], states=True, errors=True)
        if total is None:
            total = np.zeros((n, out.states.shape[2]))
        for step in range(predicted):  # window i predicts frame i + observed + step
            frames = first + observed + step
            total[frames] += out.states[:, step]
            err[frames] += out.errors[:, step]
            count[frames] += 1
    seen = count > 0
    total[seen] /= count[seen, None]
    err[seen] /= count[seen]
    err[~seen] = np.nan
    total[: np.argmax(seen)] = total[np.argmax(seen)]  # unpredicted frames: nearest state
    return total, err


def _nets_in(embedder):
    """Nets side by side in a trained embedder: a WideSeq2SeqModule's, else one."""
    module = embedder.module_
    return module.n_nets if isinstance(module, WideSeq2SeqModule) else 1


def _state_stride(embedder):
    """Frames between the windows read for states: every net's share when they split batches."""
    module = embedder.module_
    split = isinstance(module, WideSeq2SeqModule) and module.split_batches
    return module.n_nets if split else 1


def _split_nets(states, n_nets):
    """States of ``n_nets`` nets side by side (equal widths) -> one array per net."""
    return [states] if n_nets == 1 else np.split(states, n_nets, axis=1)


def frame_scaling(frames):
    """Center, scale and moving-channel mask that standardise working frames.

    As the embedder's inputs: channels that barely move become 0. The
    segmenter's posture view when no net is trained (``features="frames"``).
    The statistics and the still-channel rule are the shared ones
    (:func:`~skseq2seq._stats.fit_channel_scaler`, safe from overflow, and
    :func:`~skseq2seq._stats.constant_columns`).

    Parameters
    ----------
    frames : ndarray of shape (n_frames, n_features)
        The working frames of all recordings, joined.

    Returns
    -------
    scaling : tuple of three ndarray of shape (n_features,)
        Center, scale (1 for still channels) and the moving mask (as floats),
        for :func:`scale_frames`.
    """
    scaler = fit_channel_scaler(frames)
    moving = ~constant_columns(scaler)
    return scaler.mean_, np.where(moving, scaler.scale_, 1.0), moving.astype(float)


def scale_frames(frames, scaling):
    """Frames standardised by :func:`frame_scaling` (still channels 0).

    Raises
    ------
    ValueError
        When a frame lies more than ``MAX_INPUT`` standard deviations from
        its channel's mean in the fit, as the embedder refuses it: the
        context statistics would square it past float64's range.
    """
    center, scale, moving = scaling
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = (frames - center) / scale * moving
    if not (np.abs(scaled) <= MAX_INPUT).all():
        frame, channel = (int(i[0]) for i in np.nonzero(~(np.abs(scaled) <= MAX_INPUT)))
        raise ValueError(
            f"X has values out of the range seen in fit: working frame {frame}, channel "
            f"{channel} lies {abs(scaled[frame, channel]):.3g} standard deviations from the "
            f"channel's training mean (at most {MAX_INPUT:g} are accepted)."
        )
    return scaled
