"""TemporalSegmenter: unsupervised action segmentation of continuous recordings.

The steps live in their own modules: ``_frame_states.py`` (training the
nets, per-frame states and the standardised frames), ``_consensus.py`` (the
consensus clustering and the switching-penalty smoothing) and
``_temporal.py`` (block averaging, context statistics, cut refinement).
"""

import numbers
import warnings

import numpy as np
from scipy.ndimage import uniform_filter1d
from scipy.signal import find_peaks
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._consensus import consensus_segmentation
from ._default_estimator import DefaultSubEstimatorMixin
from ._embedder import Seq2SeqEmbedder
from ._frame_states import frame_scaling, net_states, scale_frames, train_nets
from ._numbering import canonical_numbering, renumber, renumber_rows
from ._sklearn_compat import HasMethods, Interval, StrOptions, fit_context
from ._temporal import block_means, check_within_recordings, refine_boundaries
from ._validation import check_recordings, python_scalars
from .metrics import boundaries

__all__ = ["TemporalSegmenter"]


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


class TemporalSegmenter(DefaultSubEstimatorMixin, ClusterMixin, BaseEstimator):
    """Segment continuous recordings into actions, with or without sequence-to-sequence GRUs.

    The samples are the frames of one recording (or of several): each frame
    gets an action label, consistent across the recording(s). The method
    follows Su & Shlizerman 2020 and adds temporal coherence:

    1. Frames are averaged in blocks down to about ``working_fps`` frames per
       second.
    2. With the learned states (``features="states+frames"`` or
       ``"states"``): sliding windows of ``observed_seconds +
       predicted_seconds`` cover the recording (every ``stride`` frames);
       ``n_nets`` copies of the ``embedder`` (by default a free-running
       decoder that standardises channels and drops constant ones), from
       different seeds, learn to predict each window's last
       ``predicted_seconds`` from the rest.
    3. Then every frame gets the mean of the decoder states that predicted it
       (windows at stride 1) and the mean squared error of those predictions
       (``prediction_error_``), whose peaks are kept as ``error_peaks_``
       (they also fire within actions: cuts between actions are better
       read off the labels, ``change_points_``).
    4. Each frame is described by the mean and spread of the standardised
       frames over a context of a few seconds around it (actions last
       seconds, not frames), the posture view, and likewise by each net's
       per-frame states when they are used. Hierarchical clusterings (cosine
       average linkage and Ward) of every view, for every context length in
       ``context_seconds``, are combined into a consensus (co-association)
       clustering into ``n_clusters`` actions, each holding at least
       ``min_action_seconds`` of frames.
    5. A switching-penalty Viterbi pass (segmental k-means on the features of
       the middle context, all views joined) removes segments shorter than
       about ``min_duration_seconds``.
    6. Each cut moves, within ``refine_seconds``, to the kernel change
       point of the frames around it.

    The default, the frames alone (no net trained), was chosen
    leave-one-trial-out on the annotated CMU subject-86 trials, where it
    segmented the held-out trials at least as well as the learned states
    and in a fraction of the time (``benchmarks/bench_segmentation.py``);
    pass ``features="states+frames"`` for the nets' view of the dynamics.

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
    min_action_seconds : float, default=4.0
        Shortest action, in seconds. Every action the consensus forms holds
        at least this much in all: clusters of fewer frames are transitions
        between actions (frames few clusterings agree on), which would
        otherwise take an action's place; the consensus tree is cut deeper
        until ``n_clusters`` clusters hold this much, and the frames of
        smaller ones join the closest. With ``n_clusters="auto"``, every
        action must also hold it in one uninterrupted stretch somewhere:
        asking for more clusters than there are actions splits off
        transitions or single phases of a movement, recurring pieces of a
        second or two, which may add up to long totals but are never long in
        one go; a performed action (a walk, a series of jumps) is. Set it
        below the shortest action you want found. Chosen on the CMU
        subject-86 dev trials, where ``n_clusters="auto"`` came closest to
        the annotated numbers of actions with it (the benchmark also reports
        the choice leave-one-trial-out: ``benchmarks/bench_segmentation.py``).
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
    features : {"frames", "states+frames", "states"}, default="frames"
        Views of each frame that enter the consensus. "frames": the
        standardised frames alone (posture and, with contexts, how much it
        moves), no net trained: ``embedder_`` is then None, ``embedders_``
        empty, ``prediction_error_`` NaN, ``error_peaks_`` empty, and the
        net's parameters (``embedder``, ``n_nets``, ``split_windows``, the
        window lengths, ``stride``, ``memory``) are not used. "states+frames":
        also the decoder states of ``n_nets`` trained nets, which describe
        the dynamics; the views tend to confuse different actions, which
        their consensus can tell apart. "states": the decoder states only
        (the paper's embedding). On the CMU subject-86 trials the learned
        states did not segment held-out trials better than the frames alone
        (``benchmarks/results/segmentation.md``), hence the default. The
        frames' context statistics cannot tell apart actions that share
        their postures and differ only in speed or rhythm (see Examples):
        there, use the states.
    max_cluster_samples : int, default=1500
        Frames subsampled (evenly in time) for the hierarchical clusterings,
        whose cost grows with the square of their number; the other frames
        take the label of the preceding sampled frame before the Viterbi
        pass.
    n_nets : int, default=3
        With the states: nets trained (from different seeds) on the same
        windows; the states of each are one view of the consensus, together
        weighing as much as the frames. One net's result hinges on its
        initialisation (on the CMU subject-86 dev trials, 1 run in 15 lost
        part of an action); three agree more often (none in 15). The
        default net trains them side by side as one wide module (one forward
        and backward pass per batch for all nets, each from its own seed's
        initialisation); other embedders train one net after the other.
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
        trials such nets lost part of an action more often than nets trained
        on every window (``benchmarks/bench_segmentation.py``).
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

    An action with another posture (the second channel shifted by 2): the
    default, the frames alone, finds the change at 10 s (frame 300):

    >>> X = np.where((t < 10)[:, None], slow, fast + [0.0, 2.0])
    >>> seg = TemporalSegmenter(n_clusters=2, fps=30, working_fps=30).fit(X)
    >>> seg.labels_.shape, abs(int(seg.change_points_[0]) - 300) < 15
    ((600,), True)

    The same postures at three times the speed: the frames alone look the
    same throughout, the states of a (small) trained net tell them apart:

    >>> X = np.where((t < 10)[:, None], slow, fast)
    >>> seg = TemporalSegmenter(n_clusters=2, fps=30, working_fps=30, features="states+frames",
    ...                         embedder=Seq2SeqEmbedder(hidden_size=8, max_epochs=2),
    ...                         random_state=0).fit(X)
    >>> abs(int(seg.change_points_[0]) - 300) < 15, seg.frame_embedding_.shape
    (True, (600, 8))
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
        min_action_seconds=4.0,
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
        features="frames",
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
        # Constant input: no actions to tell apart (n_clusters="auto" included).
        n_clusters = 1 if _warn_if_constant(recordings) else params["n_clusters"]
        self.downsample_, working, self.observed_length_, self.prediction_length_, self.stride_ = (
            _geometry(params)
        )
        work = self._working_frames(params, recordings, is_list)

        rng = check_random_state(params["random_state"])
        seeds = [rng.randint(np.iinfo(np.int32).max) for _ in range(params["n_nets"])]
        if params["features"] == "frames":  # no net: the pipeline on the frames alone
            self.embedders_, states = [], []
            errors = [np.full(len(w), np.nan) for w in work]
            self._frame_scaling_ = frame_scaling(np.concatenate(work))
        else:
            self.embedders_, states, errors = train_nets(
                _default_embedder() if params["embedder"] is None else params["embedder"],
                seeds,
                work,
                self.observed_length_,
                self.prediction_length_,
                self.stride_,
                split_windows=params["split_windows"],
                memory=params["memory"],
            )
            self._frame_scaling_ = None
        self.embedder_ = self.embedders_[0] if self.embedders_ else None

        # Each net's states are one view; together they weigh as much as the frames.
        views = [(1.0 / params["n_nets"], net) for net in states]
        if params["features"] != "states":
            views.append((1.0, [self._posture(w) for w in work]))
        found = consensus_segmentation(
            views,
            [max(1, int(round(c * working))) for c in params["context_seconds"]],
            None if n_clusters == "auto" else n_clusters,
            duration=params["min_duration_seconds"] * working,
            max_samples=params["max_cluster_samples"],
            max_clusters=params["max_clusters"],
            min_action=params["min_action_seconds"] * working,
        )
        self._smoothing_ = found.smoothing
        self.n_clusters_ = len(found.centers)
        if found.shortest is not None:
            self.shortest_action_seconds_ = {
                k: float(frames / working) for k, frames in found.shortest.items()
            }
        labels_work = [self._refine(lab, w) for lab, w in zip(found.labels, work)]
        # Actions numbered by first appearance, the same on every machine.
        numbering = canonical_numbering(np.concatenate(labels_work), len(found.centers))
        self.cluster_centers_ = renumber_rows(found.centers, numbering)

        min_gap = max(1, int(round(params["min_duration_seconds"] * params["fps"])))
        labels = [
            self._to_frames(renumber(lab, numbering), rec)
            for lab, rec in zip(labels_work, recordings)
        ]
        errors = [self._to_frames(err, rec) for err, rec in zip(errors, recordings)]
        if states:
            self.frame_embedding_ = _unlist(states[0], is_list)
        self.labels_ = _unlist(labels, is_list)
        self.prediction_error_ = _unlist(errors, is_list)
        self.change_points_ = _unlist([boundaries(lab) for lab in labels], is_list)
        self.error_peaks_ = _unlist([_error_peaks(err, min_gap) for err in errors], is_list)
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

    def _working_frames(self, params, recordings, is_list):
        """The recordings block-averaged, once durations, lengths and ``n_clusters`` are checked."""
        contexts = np.asarray(params["context_seconds"], dtype=float)
        if contexts.ndim != 1 or len(contexts) == 0 or not np.all(contexts > 0):
            raise ValueError(
                "context_seconds must be a non-empty sequence of positive durations; got "
                f"{params['context_seconds']!r}."
            )
        longest = max(len(rec) for rec in recordings)
        ratio = params["fps"] / params["working_fps"]
        check_within_recordings("fps / working_fps", ratio, self.downsample_, longest)
        for context in params["context_seconds"]:
            check_within_recordings("context_seconds", context, context * params["fps"], longest)
        work = [block_means(r, self.downsample_) for r in recordings]
        self._check_lengths(recordings, work, is_list)
        window = self.observed_length_ + self.prediction_length_
        n_windows = sum((len(w) - window) // self.stride_ + 1 for w in work)
        if params["n_clusters"] != "auto" and params["n_clusters"] > n_windows:
            raise ValueError(
                f"n_clusters={params['n_clusters']} is larger than the number of windows "
                f"({n_windows}) in the recording(s); pass fewer clusters or more frames."
            )
        return work

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

    # -- predict ---------------------------------------------------------

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
        work = [block_means(r, self.downsample_) for r in recordings]
        self._check_lengths(recordings, work, is_list)
        labels = []
        for rec, w in zip(recordings, work):
            views = net_states(self.embedders_, w, self.observed_length_, self.prediction_length_)
            if len(views) < len(self._smoothing_.scaling):  # the frames are a view too
                views.append(self._posture(w))
            lab = self._smoothing_.labels(views, self.cluster_centers_)
            labels.append(self._to_frames(self._refine(lab, w), rec))
        return _unlist(labels, is_list)

    # -- per-recording steps (read the fitted state, set none) ----------

    def _posture(self, work):
        """Working frames as the net reads them (kept channels, standardised)."""
        if self.embedder_ is None:  # features="frames": standardised as in fit
            return scale_frames(work, self._frame_scaling_)
        return self.embedder_.net_inputs(work[None])[0]

    def _refine(self, labels, work):
        """Labels with each cut moved to the frames' kernel change point near it.

        The cut moves at most ``refine_seconds``; the two parts are judged on
        four times that on either side (2 s by default).
        """
        working = float(self.fps) / self.downsample_  # the parameters cast as in fit
        radius = int(round(float(self.refine_seconds) * working))
        return refine_boundaries(self._posture(work), labels, radius, span=4 * radius, min_size=3)

    def _to_frames(self, values, recording):
        """Per-working-frame values repeated back to the frames of ``recording``."""
        return np.repeat(values, self.downsample_)[: len(recording)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.non_deterministic = self.random_state is None
        return tags


def _geometry(params):
    """Frames per working frame, the working frame rate, then the window geometry.

    The window's observed and predicted parts and the stride, in working frames.
    """
    downsample = max(1, int(round(params["fps"] / params["working_fps"])))
    working = params["fps"] / downsample
    observed = max(1, int(round(params["observed_seconds"] * working)))
    predicted = max(1, int(round(params["predicted_seconds"] * working)))
    stride = int(params["stride"] or max(1, predicted // 5))
    return downsample, working, observed, predicted, stride


def _warn_if_constant(recordings):
    """Whether every frame of every recording is the same (then warn: one action)."""
    constant = (
        all(np.ptp(rec, axis=0).max() == 0 for rec in recordings)
        and len({tuple(rec[0]) for rec in recordings}) == 1
    )
    if constant:
        # Window edges would still look different to the net: no clusters to find.
        warnings.warn(
            "X is constant (every channel holds one value in every frame): there are no "
            "actions to tell apart, every frame gets label 0.",
            UserWarning,
            stacklevel=3,
        )
    return constant


def _error_peaks(error, min_gap):
    """Frames where the (smoothed) prediction error peaks, at least ``min_gap`` apart."""
    valid = ~np.isnan(error)
    if valid.sum() < 3:
        return np.empty(0, dtype=np.int64)
    filled = np.where(valid, error, np.nanmedian(error))
    smooth = uniform_filter1d(filled, max(1, min_gap // 2), mode="nearest")
    spread = np.std(smooth[valid])
    peaks, _ = find_peaks(smooth, distance=min_gap, prominence=spread if spread > 0 else None)
    return peaks.astype(np.int64)


def _unlist(per_recording, is_list):
    """The per-recording list as given, or its one item for a single recording."""
    return per_recording if is_list else per_recording[0]
