"""TemporalSegmenter: unsupervised action segmentation of continuous recordings."""

import numbers
import warnings

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.ndimage import uniform_filter1d
from scipy.signal import find_peaks
from scipy.spatial.distance import pdist, squareform
from sklearn.base import BaseEstimator, ClusterMixin, clone
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, check_memory

from ._default_estimator import DefaultSubEstimatorMixin
from ._embedder import Seq2SeqEmbedder
from ._ensemble import WideSeq2SeqModule, batchable
from ._numbering import canonical_numbering, renumber, renumber_rows
from ._sklearn_compat import HasMethods, Interval, StrOptions, fit_context
from ._stats import CHANNEL_TOLERANCE, standardise
from ._temporal import (
    block_means,
    check_within_recordings,
    context_statistics,
    refine_boundaries,
    segmental_kmeans,
    viterbi,
)
from ._validation import check_recordings, python_scalars
from .datasets import sliding_windows
from .metrics import boundaries

__all__ = ["TemporalSegmenter"]

# Linkages of the consensus: cosine average linkage (the paper's choice for
# decoder states) and Ward on standardised features; both see each context.
_LINKAGES = (("average", "cosine"), ("ward", "euclidean"))


def _default_embedder():
    """The embedder ``TemporalSegmenter(embedder=None)`` trains (before its overrides)."""
    return Seq2SeqEmbedder(
        hidden_size=128,
        objective="predict",
        decoder_input="previous_output",
        lr=1e-3,
        batch_size=64,
        max_epochs=10,
        device="auto",
    )


def _train_and_embed(embedder, work, observed, predicted, stride, state_stride=1):
    """Train ``embedder`` on the windows of ``work``; per-frame states and errors.

    Module-level so joblib ``Memory`` can cache it by (embedder parameters,
    working frames, window geometry): changing only the clustering or the
    smoothing then reuses the trained net.
    """
    train = sliding_windows(work, observed + predicted, stride)  # never across recordings
    embedder = embedder.fit(train)
    states, errors = zip(
        *(_frame_states(embedder, w, observed, predicted, stride=state_stride) for w in work)
    )
    return embedder, list(states), list(errors)


def _frame_states(embedder, work, observed, predicted, chunk=2048, stride=1):
    """Per-working-frame mean decoder state and prediction error.

    The windows starting every ``stride`` frames (and the last window) each
    predict ``predicted`` frames; a frame gets the mean of the states and
    squared errors (standardised units) of the windows that predict it, from
    one forward pass per window. Windows are embedded ``chunk`` at a time to
    bound memory.
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


class TemporalSegmenter(DefaultSubEstimatorMixin, ClusterMixin, BaseEstimator):
    """Segment continuous recordings into actions with a sequence-to-sequence GRU.

    The samples are the frames of one recording (or of several): each frame
    gets an action label, consistent across the recording(s). The method
    follows Su & Shlizerman 2020 and adds temporal coherence:

    1. Frames are averaged in blocks down to about ``working_fps`` frames per
       second.
    2. Sliding windows of ``observed_seconds + predicted_seconds`` cover the
       recording (every ``stride`` frames); ``n_nets`` copies of the
       ``embedder`` (by default a free-running decoder that standardises
       channels and drops constant ones), from different seeds, learn to
       predict each window's last ``predicted_seconds`` from the rest.
    3. Every frame gets the mean of the decoder states that predicted it
       (windows at stride 1) and the mean squared error of those predictions
       (``prediction_error_``), whose peaks are kept as ``error_peaks_``
       (they also fire within actions: cuts between actions are better
       read off the labels, ``change_points_``).
    4. Each frame is described by the mean and spread of the per-frame states
       over a context of a few seconds around it (actions last seconds, not
       frames), and, by default, likewise by the mean and spread of the
       net's standardised inputs, the frames themselves (posture).
       Hierarchical clusterings (cosine average linkage and Ward) of every
       view (each net's states, the frames), for every context length in
       ``context_seconds``, are combined into a consensus (co-association)
       clustering into ``n_clusters`` actions.
    5. A switching-penalty Viterbi pass (segmental k-means on the features of
       the middle context, all views joined) removes segments shorter than
       about ``min_duration_seconds``.
    6. Each cut moves, within ``refine_seconds``, to the kernel change
       point of the frames around it.

    Parameters
    ----------
    n_clusters : int or "auto", default=8
        Number of actions. "auto" picks it from the data: the largest number
        in ``2..max_clusters`` whose every action (after the smoothing pass)
        holds at least one uninterrupted stretch of ``min_action_seconds``,
        or 1 when none does (``n_clusters_`` holds the number chosen). It
        costs one consensus and smoothing pass per candidate, a few seconds
        in all.
    max_clusters : int, default=12
        Largest number of actions tried by ``n_clusters="auto"`` (ignored
        otherwise).
    min_action_seconds : float, default=3.0
        Shortest uninterrupted stretch, in seconds, that every action found
        by ``n_clusters="auto"`` must hold somewhere (ignored otherwise).
        Asking for more clusters than there are actions splits off
        transitions or single phases of a movement: recurring pieces of a
        second or two, which may add up to long totals but are never long in
        one go; a performed action (a walk, a series of jumps) is. Set it
        below the shortest action you want found. Chosen leave-one-trial-out
        on CMU subject 86 (see ``benchmarks/bench_segmentation.py``).
    fps : float, default=120
        Frame rate of the recordings, in frames per second. Every duration
        below is in seconds and converted with it.
    working_fps : float, default=60
        Frame rate the net sees: frames are averaged in blocks of
        ``max(1, round(fps / working_fps))``. 60 fps keeps motions of a few
        hertz and halves the cost at 120 fps.
    observed_seconds : float, default=0.4
        Length of the part of each window the encoder reads (24 frames at 60
        fps): about half a gait cycle, enough to tell the phase and speed of
        a movement.
    predicted_seconds : float, default=0.4
        Length of the part the decoder predicts; its states are the
        embedding.
    stride : int, default=None
        Step, in working frames, between training windows. None means a
        fifth of the predicted length (5 frames at 60 fps).
    embedder : Seq2SeqEmbedder, default=None
        The net trained on the windows (cloned). None means
        ``Seq2SeqEmbedder(hidden_size=128, objective="predict",
        decoder_input="previous_output", lr=1e-3, batch_size=64,
        max_epochs=10, device="auto")``. The window geometry and the seed
        override three of its parameters: ``objective="predict"``,
        ``prediction_length`` (``predicted_seconds`` in working frames) and
        ``random_state`` (drawn from this estimator's ``random_state``).
        Its parameters are searchable as ``embedder__<name>`` (setting one
        on ``embedder=None`` sets ``embedder`` to the default net with the
        parameter changed).
    context_seconds : tuple of float, default=(1.5, 2.5, 3.5)
        Lengths of the contexts over which per-frame states are summarised
        (one clustering per context and linkage enter the consensus). A few
        seconds span several cycles of periodic actions (gait, jumping
        jacks) while staying shorter than an action; several lengths make
        the result less sensitive to any one of them. Chosen
        leave-one-trial-out on CMU subject 86, with ``n_nets``
        (``benchmarks/bench_segmentation.py``).
    min_duration_seconds : float, default=0.5
        Strength of the temporal smoothing: switching action costs as much
        as this many seconds of frames that fit another action better than
        their own (by the median margin). 0 disables the Viterbi pass.
    refine_seconds : float, default=0.5
        Largest move of a cut when it is sharpened: the consensus and the
        smoothing place cuts where the contexts' majority changes, blurred
        by up to a context; each cut then moves, within this many seconds,
        to the frame that best splits the frames around it (four times as
        many seconds on either side) into two homogeneous parts under a
        Gaussian kernel (the cost of ruptures' ``KernelCPD``). 0 keeps the
        cuts where the smoothing put them.
    features : {"states+frames", "states", "frames"}, default="states+frames"
        Views of each frame that enter the consensus: the decoder states
        only (the paper's embedding, which describes the dynamics), or also
        the net's standardised inputs (which describe the posture; with an
        embedder's ``with_velocity``, the frame-to-frame changes as well).
        The views tend to confuse different actions, which their consensus
        can tell apart. "frames": the standardised frames alone, no net
        trained (the same pipeline without the learned states: the bar
        they have to clear; ``embedder_`` is then None, ``embedders_``
        empty, ``prediction_error_`` NaN).
    max_cluster_samples : int, default=1500
        Frames subsampled (evenly in time) for the hierarchical clusterings,
        whose cost grows with the square of their number; the other frames
        take the label of the preceding sampled frame before the Viterbi
        pass.
    n_nets : int, default=3
        Nets trained (from different seeds) on the same windows; the states
        of each are one view of the consensus, together weighing as much as
        the frames. One net's result hinges on its initialisation (on CMU
        subject 86, one seed in five lost a whole action); three agree far
        more often. The default net trains them side by side as one wide
        module (one forward and backward pass per batch for all nets, each
        from its own seed's initialisation); other embedders train one net
        after the other.
    split_windows : bool, default=False
        With ``n_nets > 1`` and the default net: every epoch, the training
        windows are dealt out among the nets (each net trains on its own
        random ``1 / n_nets`` of them, in batches of the embedder's
        ``batch_size``, so it takes ``1 / n_nets`` of the steps), and the
        per-frame states are read from every ``n_nets``-th window (and the
        last): the nets together cost about one net's arithmetic, and on a
        CPU, where arithmetic dominates, about the time of one net. False:
        every net trains on, and embeds, every window. Ignored otherwise.
        Each net then learns from fewer windows: on the CMU subject-86 dev
        trials such nets lost an action more often than nets trained on
        every window (``benchmarks/bench_segmentation.py``).
    memory : str, joblib.Memory or None, default=None
        Caches the trained net and its per-frame states by (embedder
        parameters, recordings, window geometry, seed), so changing only
        ``n_clusters``, the contexts or the smoothing reuses the net. A string
        is a cache directory. Needs an int ``random_state`` to hit the cache.
    random_state : int, RandomState instance or None, default=None
        Draws the seed of the net's initialisation and batch order (it
        replaces the embedder's own ``random_state``); an int makes CPU
        results repeatable.

    Attributes
    ----------
    labels_ : ndarray of shape (n_frames,) or list of ndarray
        Action of every frame (a list, one array per recording, when ``fit``
        got a list). Actions are numbered by first appearance (the first
        frame's action is 0, the next new one 1, ...), the same on every
        machine.
    prediction_error_ : ndarray of shape (n_frames,) or list of ndarray
        Mean squared error (standardised units) of the net's predictions of
        each frame; NaN for the first ``observed_seconds`` of a recording,
        which no window predicts.
    change_points_ : ndarray of int or list of ndarray
        Cuts between actions: the first frame of every segment of
        ``labels_`` but the first (:func:`skseq2seq.metrics.boundaries`).
        On the CMU subject-86 dev trials they match the annotated
        transitions far better than ``error_peaks_``
        (``benchmarks/bench_segmentation.py``).
    error_peaks_ : ndarray of int or list of ndarray
        Frames where the (smoothed) prediction error peaks, at least
        ``min_duration_seconds`` apart: changes of the dynamics, including
        changes within an action (a turn, a single jump).
    embedder_ : Seq2SeqEmbedder or None
        The first trained embedder (a clone of ``embedder``, with the
        overrides above); None with ``features="frames"``. With the default
        net and ``n_nets > 1`` its module is a ``WideSeq2SeqModule`` holding
        all the nets side by side (net ``i``'s states are columns
        ``i * hidden_size`` to ``(i + 1) * hidden_size``), and its prediction
        error is the mean of the nets'.
    embedders_ : list of Seq2SeqEmbedder
        All trained embedders, ``embedders_[0]`` is ``embedder_``: one per
        net, or the one wide embedder.
    frame_embedding_ : ndarray of shape (n_working_frames, hidden_size) or list
        Per-frame decoder states of the first net at the working frame rate (rows before
        the first predicted frame repeat the first one); absent with ``features="frames"``.
    n_clusters_ : int
        Number of actions found: ``n_clusters`` (the number chosen with
        ``n_clusters="auto"``), or 1 for constant input.
    shortest_action_seconds_ : dict
        Only with ``n_clusters="auto"``: for every number of actions tried,
        the longest uninterrupted stretch (seconds) of the action whose
        longest stretch is shortest, which ``min_action_seconds`` is
        compared with.
    cluster_centers_ : ndarray of shape (n_clusters_, n_context_features)
        Centroids of the actions in the feature space of the Viterbi pass
        (standardised context statistics of every view, joined).
    downsample_ : int
        Frames averaged into one working frame.
    observed_length_, prediction_length_, stride_ : int
        Window geometry, in working frames.
    n_features_in_ : int
        Channels per frame seen in ``fit``.

    See Also
    --------
    Seq2SeqEmbedder : The sequence-to-sequence net used on the windows.
    skseq2seq.metrics.segmentation_report : Scores a segmentation.

    Notes
    -----
    Runtime grows linearly with the recording's length (training, and one
    forward pass per window), plus the hierarchical clusterings of at most
    ``max_cluster_samples`` frames.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq import Seq2SeqEmbedder, TemporalSegmenter
    >>> t = np.arange(600) / 30.0
    >>> slow = np.c_[np.sin(2 * np.pi * t), np.cos(2 * np.pi * t)]
    >>> fast = np.c_[np.sin(6 * np.pi * t), -np.cos(6 * np.pi * t)]
    >>> X = np.where((t < 10)[:, None], slow, fast)
    >>> seg = TemporalSegmenter(n_clusters=2, fps=30, working_fps=30,
    ...                         embedder=Seq2SeqEmbedder(hidden_size=8, max_epochs=2),
    ...                         random_state=0)
    >>> labels = seg.fit_predict(X)
    >>> labels.shape
    (600,)
    """

    _parameter_constraints = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "max_clusters": [Interval(numbers.Integral, 2, None, closed="left")],
        "min_action_seconds": [Interval(numbers.Real, 0, None, closed="left")],
        "fps": [Interval(numbers.Real, 0, None, closed="neither")],
        "working_fps": [Interval(numbers.Real, 0, None, closed="neither")],
        "observed_seconds": [Interval(numbers.Real, 0, None, closed="neither")],
        "predicted_seconds": [Interval(numbers.Real, 0, None, closed="neither")],
        "stride": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "embedder": [HasMethods(["fit", "inference", "net_inputs"]), None],
        "context_seconds": [tuple, list],
        "min_duration_seconds": [Interval(numbers.Real, 0, None, closed="left")],
        "refine_seconds": [Interval(numbers.Real, 0, None, closed="left")],
        "max_cluster_samples": [Interval(numbers.Integral, 2, None, closed="left")],
        "features": [StrOptions({"states", "states+frames", "frames"})],
        "n_nets": [Interval(numbers.Integral, 1, None, closed="left")],
        "split_windows": ["boolean"],
        "memory": [str, HasMethods(["cache"]), None],
        "random_state": ["random_state"],
    }
    _default_subestimators = {"embedder": _default_embedder}

    def __init__(
        self,
        n_clusters=8,
        *,
        max_clusters=12,
        min_action_seconds=3.0,
        fps=120,
        working_fps=60,
        observed_seconds=0.4,
        predicted_seconds=0.4,
        stride=None,
        embedder=None,
        context_seconds=(1.5, 2.5, 3.5),
        min_duration_seconds=0.5,
        refine_seconds=0.5,
        max_cluster_samples=1500,
        features="states+frames",
        n_nets=3,
        split_windows=False,
        memory=None,
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.max_clusters = max_clusters
        self.min_action_seconds = min_action_seconds
        self.fps = fps
        self.working_fps = working_fps
        self.observed_seconds = observed_seconds
        self.predicted_seconds = predicted_seconds
        self.stride = stride
        self.embedder = embedder
        self.context_seconds = context_seconds
        self.min_duration_seconds = min_duration_seconds
        self.refine_seconds = refine_seconds
        self.max_cluster_samples = max_cluster_samples
        self.features = features
        self.n_nets = n_nets
        self.split_windows = split_windows
        self.memory = memory
        self.random_state = random_state

    # -- input -----------------------------------------------------------

    def _geometry(self):
        self.downsample_ = max(1, int(round(self.fps / self.working_fps)))
        working = self.fps / self.downsample_
        self.observed_length_ = max(1, int(round(self.observed_seconds * working)))
        self.prediction_length_ = max(1, int(round(self.predicted_seconds * working)))
        self.stride_ = int(self.stride or max(1, self.prediction_length_ // 5))
        return working

    def _downsample(self, rec):
        return block_means(rec, self.downsample_)

    # -- fit -------------------------------------------------------------

    # The embedder is user-provided: its fit validates its own parameters.
    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Train the net on a recording's windows and label every frame.

        Parameters
        ----------
        X : array-like of shape (n_frames, n_features), or list of such arrays
            One recording (frames in time order), or several recordings with
            the same channels, labelled consistently.
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : TemporalSegmenter
            The fitted segmenter.
        """
        params = python_scalars(self.get_params(deep=False))
        recordings, is_list = check_recordings(X)
        self.n_features_in_ = recordings[0].shape[1]
        auto = params["n_clusters"] == "auto"
        self.n_clusters_ = None if auto else params["n_clusters"]
        if (
            all(np.ptp(rec, axis=0).max() == 0 for rec in recordings)
            and len({tuple(rec[0]) for rec in recordings}) == 1
        ):
            # Window edges would still look different to the net: no clusters to find.
            warnings.warn(
                "X is constant (every channel holds one value in every frame): there are no "
                "actions to tell apart, every frame gets label 0.",
                UserWarning,
                stacklevel=2,
            )
            self.n_clusters_ = 1
        working = self._geometry()
        self._check_contexts()
        longest = max(len(rec) for rec in recordings)
        ratio = self.fps / self.working_fps
        check_within_recordings("fps / working_fps", ratio, self.downsample_, longest)
        for context in self.context_seconds:
            check_within_recordings("context_seconds", context, context * self.fps, longest)
        window = self.observed_length_ + self.prediction_length_
        work = [self._downsample(r) for r in recordings]
        self._check_lengths(recordings, work, is_list)
        n_windows = sum((len(w) - window) // self.stride_ + 1 for w in work)
        if not auto and self.n_clusters > n_windows:
            raise ValueError(
                f"n_clusters={self.n_clusters} is larger than the number of windows "
                f"({n_windows}) in the recording(s); pass fewer clusters or more frames."
            )

        rng = check_random_state(self.random_state)
        seeds = [rng.randint(np.iinfo(np.int32).max) for _ in range(self.n_nets)]
        if self.features == "frames":  # no net: the pipeline on the frames alone
            self.embedders_, states = [], []
            errors = [np.full(len(w), np.nan) for w in work]
            self.embedder_ = None
            self._frame_scaling = _frame_scaling(np.concatenate(work))
        else:
            self.embedders_, states, errors = self._train_nets(work, seeds)
            self.embedder_ = self.embedders_[0]
        contexts = [max(1, int(round(c * working))) for c in self.context_seconds]
        # Each net's states are one view; together they weigh as much as the frames.
        views = [(1.0 / self.n_nets, net_states) for net_states in states]
        if self.features != "states":
            views.append((1.0, [self._posture(w) for w in work]))
        labels_work, centers = self._cluster(views, contexts, working)
        labels_work = [self._refine(lab, w, working) for lab, w in zip(labels_work, work)]
        # Actions numbered by first appearance, the same on every machine.
        numbering = canonical_numbering(np.concatenate(labels_work), len(centers))
        labels_work = [renumber(lab, numbering) for lab in labels_work]
        self.cluster_centers_ = renumber_rows(centers, numbering)

        f = self.downsample_
        min_gap = max(1, int(round(self.min_duration_seconds * self.fps)))
        labels, pred_err, peaks = [], [], []
        for rec, lab, err in zip(recordings, labels_work, errors):
            labels.append(np.repeat(lab, f)[: len(rec)])
            frame_err = np.repeat(err, f)[: len(rec)]
            pred_err.append(frame_err)
            peaks.append(self._error_peaks(frame_err, min_gap))
        cuts = [boundaries(lab) for lab in labels]
        if states:
            self.frame_embedding_ = states[0] if is_list else states[0][0]
        self.labels_ = labels if is_list else labels[0]
        self.prediction_error_ = pred_err if is_list else pred_err[0]
        self.change_points_ = cuts if is_list else cuts[0]
        self.error_peaks_ = peaks if is_list else peaks[0]
        return self

    def fit_predict(self, X, y=None):
        """Fit and return the action of every frame.

        Parameters
        ----------
        X : array-like of shape (n_frames, n_features), or list of such arrays
            One recording, or several with the same channels.
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        labels : ndarray of shape (n_frames,), or list of ndarray
            Action of every frame (a list when ``X`` is a list).
        """
        return self.fit(X).labels_

    def _check_lengths(self, recordings, work, is_list):
        window = self.observed_length_ + self.prediction_length_
        for i, (rec, w) in enumerate(zip(recordings, work)):
            if len(w) < window:
                raise ValueError(
                    f"{f'Recording {i}' if is_list else 'X'} has {len(rec)} frames "
                    f"(n_samples={len(rec)}); at least "
                    f"{window * self.downsample_} are needed for one window of "
                    f"{self.observed_seconds + self.predicted_seconds:g} s at fps={self.fps:g} "
                    "(lower observed_seconds/predicted_seconds or pass a longer recording)."
                )

    def predict(self, X):
        """Label the frames of new recordings with the fitted net and actions.

        Each frame's context statistics (middle length of
        ``context_seconds``) are compared with ``cluster_centers_`` and the
        switching-penalty Viterbi pass of ``fit`` picks the labels. On the
        training recordings this reproduces ``labels_`` when the fit's
        smoothing pass converged.

        Parameters
        ----------
        X : array-like of shape (n_frames, n_features), or list of such arrays
            Recordings with the channels seen in ``fit``, at the same ``fps``.

        Returns
        -------
        labels : ndarray of shape (n_frames,), or list of ndarray
            Action of every frame (a list when ``X`` is a list).
        """
        check_is_fitted(self, "cluster_centers_")
        recordings, is_list = check_recordings(
            X, n_features=self.n_features_in_, estimator_name=type(self).__name__
        )
        work = [self._downsample(r) for r in recordings]
        self._check_lengths(recordings, work, is_list)
        labels = []
        for rec, w in zip(recordings, work):
            views = [
                net_states[0]
                for e in self.embedders_
                for net_states in _per_net(
                    [
                        _frame_states(
                            e,
                            w,
                            self.observed_length_,
                            self.prediction_length_,
                            stride=self._state_stride,
                        )[0]
                    ],
                    _n_nets(e),
                )
            ]
            if self.features != "states":
                views.append(self._posture(w))
            parts = []
            for view, (weight, mean, scale) in zip(views, self._view_stats):
                _, both = self._context_features(view, self._middle_context)
                parts.append((both - mean) / scale * np.sqrt(weight / both.shape[1]))
            features = np.hstack(parts)
            cost = euclidean_distances(features, self.cluster_centers_, squared=True)
            lab = self._refine(viterbi(cost, self._penalty), w, self.fps / self.downsample_)
            labels.append(np.repeat(lab, self.downsample_)[: len(rec)])
        return labels if is_list else labels[0]

    def _check_contexts(self):
        contexts = np.asarray(self.context_seconds, dtype=float)
        if contexts.ndim != 1 or len(contexts) == 0 or not np.all(contexts > 0):
            raise ValueError(
                "context_seconds must be a non-empty sequence of positive durations; got "
                f"{self.context_seconds!r}."
            )

    def _posture(self, work):
        """Working frames as the net reads them (kept channels, standardised)."""
        if self.embedder_ is None:  # features="frames": standardised as in fit
            center, scale, moving = self._frame_scaling
            return (work - center) / scale * moving
        return self.embedder_.net_inputs(work[None])[0]

    def _refine(self, labels, work, working):
        """Labels with each cut moved to the frames' kernel change point near it.

        The cut moves at most ``refine_seconds``; the two parts are judged on
        four times that on either side (2 s by default).
        """
        radius = int(round(self.refine_seconds * working))
        return refine_boundaries(self._posture(work), labels, radius, span=4 * radius, min_size=3)

    def _train_nets(self, work, seeds):
        """The trained embedders, each net's per-frame states, the prediction errors.

        The default net trains as one :class:`WideSeq2SeqModule` holding all
        ``n_nets`` nets (one forward and backward pass per batch for all);
        other embedders train one per seed.
        """
        train_and_embed = check_memory(self.memory).cache(_train_and_embed)

        def net(seed):
            embedder = _default_embedder() if self.embedder is None else clone(self.embedder)
            # The windows dictate what the net predicts; the seed follows random_state.
            return embedder.set_params(
                objective="predict", prediction_length=self.prediction_length_, random_state=seed
            )

        nets = [net(seed) for seed in seeds]
        self._state_stride = 1
        if len(nets) > 1 and batchable(nets[0].get_params()):
            seeds = tuple(int(seed) for seed in seeds)
            wide = {"module": WideSeq2SeqModule, "module__seeds": seeds}
            if self.split_windows:  # the nets share out the windows: one net's arithmetic
                # Batches of n_nets * batch_size rows: each net's share is a full batch.
                wide.update(
                    module__split_batches=True,
                    batch_size=nets[0].get_params()["batch_size"] * len(seeds),
                )
                self._state_stride = len(seeds)
            nets = [nets[0].set_params(**wide)]
        fits = [
            train_and_embed(
                e,
                work,
                self.observed_length_,
                self.prediction_length_,
                self.stride_,
                self._state_stride,
            )
            for e in nets
        ]
        embedders = [fitted for fitted, _, _ in fits]
        states = [
            view for fitted, net_states, _ in fits for view in _per_net(net_states, _n_nets(fitted))
        ]
        # prediction_error_ and error_peaks_ follow embedder_ (all nets' mean when wide).
        return embedders, states, fits[0][2]

    def _context_features(self, states, context):
        """Mean and spread of the states over a centred context, per frame."""
        return context_statistics(states, context)

    def _cluster(self, views, contexts, working):
        """Consensus clustering of all frames, then the Viterbi pass per recording.

        ``views``: (weight, list of per-recording (n_working_frames, d)
        arrays) per kind of per-frame feature (decoder states first).
        """
        lengths = [len(s) for s in views[0][1]]
        n_total = sum(lengths)
        step = max(1, -(-n_total // int(self.max_cluster_samples)))
        trees, weights, refine_features = self._trees(views, contexts, step)
        n_sample = len(trees[0]) + 1
        bounds = np.cumsum([0] + lengths)
        pieces = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]
        duration = self.min_duration_seconds * working

        def segment(k):
            sample_labels = _consensus(trees, weights, k, n_sample)
            labels = np.repeat(sample_labels, step)[:n_total]
            labels = np.unique(labels, return_inverse=True)[1].reshape(-1)
            return segmental_kmeans(refine_features, labels, k, duration, pieces)

        if self.n_clusters_ is not None:  # given, or 1 for constant input
            labels, centers, self._penalty = segment(self.n_clusters_)
        else:
            # The largest k whose every action holds min_action_seconds in one
            # go: beyond the number of actions, extra clusters split off
            # transitions or phases of a movement, short each time they occur.
            shortest = self.min_action_seconds * working
            best = (np.zeros(n_total, dtype=np.int64), refine_features.mean(0, keepdims=True), 0.0)
            self.shortest_action_seconds_ = {}
            for k in range(2, min(int(self.max_clusters), n_sample - 1) + 1):
                labels, centers, penalty = segment(k)
                frames = _longest_runs(labels, pieces, k).min()
                self.shortest_action_seconds_[k] = float(frames / working)
                if frames >= shortest:
                    best = (labels, centers, penalty)
            labels, centers, self._penalty = best
            self.n_clusters_ = len(centers)
        return [labels[piece] for piece in pieces], centers

    def _trees(self, views, contexts, step):
        """Linkage trees of every view, context, statistic and linkage (sampled frames).

        Also returns the features of the Viterbi pass: the standardised mean
        and spread over the middle context of every view, joined (each view
        scaled to unit total variance, so that none dominates by its width).
        """
        middle = sorted(contexts)[len(contexts) // 2]
        trees, weights, refine = [], [], []
        self._view_stats, self._middle_context = [], middle
        for weight, view in views:
            for context in contexts:
                means, both = zip(*(self._context_features(s, context) for s in view))
                for kind, feats in (
                    ("mean", np.concatenate(means)),
                    ("both", np.concatenate(both)),
                ):
                    feats, center, scale = standardise(feats)
                    sample = feats[::step]
                    for method, metric in _LINKAGES:
                        trees.append(linkage(_distances(sample, metric), method))
                        weights.append(weight)
                    if context == middle and kind == "both":
                        refine.append(feats * np.sqrt(weight / feats.shape[1]))
                        self._view_stats.append((weight, center, scale))
        return trees, np.asarray(weights), np.hstack(refine)

    def _error_peaks(self, error, min_gap):
        """Frames where the (smoothed) prediction error peaks."""
        valid = ~np.isnan(error)
        if valid.sum() < 3:
            return np.empty(0, dtype=np.int64)
        filled = np.where(valid, error, np.nanmedian(error))
        smooth = uniform_filter1d(filled, max(1, min_gap // 2), mode="nearest")
        spread = np.std(smooth[valid])
        peaks, _ = find_peaks(smooth, distance=min_gap, prominence=spread if spread > 0 else None)
        return peaks.astype(np.int64)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.non_deterministic = self.random_state is None
        return tags


def _n_nets(embedder):
    """Nets inside a trained embedder's module (side by side in a WideSeq2SeqModule)."""
    return getattr(embedder.module_, "n_nets", 1)


def _per_net(states, n_nets):
    """Per-recording states of ``n_nets`` nets side by side -> one list per net."""
    if n_nets == 1:
        return [states]
    return [list(parts) for parts in zip(*(np.split(s, n_nets, axis=1) for s in states))]


def _frame_scaling(frames):
    """Center, scale and moving-channel mask that standardise working frames.

    As the embedder's inputs: channels that barely move become 0.
    """
    center, scale = frames.mean(0), frames.std(0)
    moving = scale > CHANNEL_TOLERANCE * np.maximum(1.0, np.abs(center))
    return center, np.where(moving, scale, 1.0), moving.astype(float)


def _longest_runs(labels, pieces, k):
    """Longest uninterrupted run of each label ``0..k-1`` (frames; 0 if absent), over pieces."""
    longest = np.zeros(k, dtype=np.int64)
    for piece in pieces:
        lab = labels[piece]
        if len(lab) == 0:
            continue
        starts = np.flatnonzero(np.r_[True, lab[1:] != lab[:-1]])
        lengths = np.diff(np.r_[starts, len(lab)])
        np.maximum.at(longest, lab[starts], lengths)
    return longest


def _distances(features, metric):
    """Condensed distances between rows, finite for cosine too."""
    distances = pdist(features, metric)
    if metric == "cosine" and np.isnan(distances).any():
        # A zero row (a context exactly at the mean, e.g. of constant input)
        # has no direction: orthogonal to every other row, equal to zero rows.
        zero = np.linalg.norm(features, axis=1) == 0
        square = np.nan_to_num(squareform(distances, checks=False), nan=1.0)
        square[np.ix_(zero, zero)] = 0.0
        np.fill_diagonal(square, 0.0)
        distances = squareform(square, checks=False)
    return distances


def _consensus(trees, weights, k, n_sample):
    """Average-linkage clustering into ``k`` of the co-association of the trees cut at ``k``.

    Two sampled frames are close when many (view, context, linkage)
    clusterings put them together; labels are ``0..k-1`` per sampled frame.
    """
    if n_sample <= k:
        return np.arange(n_sample) % k
    distance = _coassociation_distance(trees, weights, [k])
    return fcluster(linkage(distance, "average"), k, "maxclust") - 1


def _coassociation_distance(trees, weights, ks):
    """Condensed 1 - weighted fraction of the trees (cut at each k in ``ks``) joining two frames."""
    n_sample = len(trees[0]) + 1
    agree = np.zeros((n_sample, n_sample))
    for tree, weight in zip(trees, weights):
        for k in ks:
            part = fcluster(tree, k, "maxclust")
            agree += weight * (part[:, None] == part[None, :])
    # Clipped: fractional weights can leave -1e-16 where every tree agrees.
    distance = np.clip(1.0 - agree / (np.sum(weights) * len(ks)), 0.0, 1.0)
    return squareform(distance, checks=False)
