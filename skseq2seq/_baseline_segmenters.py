"""Classical segmentation baselines: per-frame labels of continuous recordings.

They take recordings as :class:`~skseq2seq.TemporalSegmenter` does (one
``(n_frames, n_features)`` array or a list of them, labelled consistently)
and return one label per frame, so that the same recordings go to all.
Actions are numbered by first appearance (the first frame's is 0), the same
on every machine.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._numbering import canonical_numbering, renumber, renumber_rows
from ._segmenter import TemporalSegmenter
from ._sklearn_compat import Interval, StrOptions, fit_context
from ._stats import CHANNEL_TOLERANCE, standardise
from ._temporal import (
    block_means,
    check_within_recordings,
    context_statistics,
    segmental_kmeans,
)
from ._validation import check_recordings, python_scalars

__all__ = ["FrameStatsSegmenter", "GaussianHMMSegmenter", "WindowStatsSegmenter"]


def _check_frames(n_clusters, n_frames, what="frames"):
    if n_clusters > n_frames:
        # "n_samples=": the wording scikit-learn's common checks look for.
        raise ValueError(
            f"n_clusters={n_clusters} is larger than the number of {what} "
            f"(n_samples={n_frames}); pass fewer clusters or more frames."
        )


class _RecordingBaseline(ClusterMixin, BaseEstimator):
    """fit/fit_predict over channel-standardised recordings.

    Subclasses implement ``_segment(frames, params)``: from the list of
    standardised recordings, the list of their per-frame labels.
    """

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Label every frame of the recording(s).

        Parameters
        ----------
        X : array-like of shape (n_frames, n_features), or list of such arrays
            One recording (frames in time order), or several recordings with
            the same channels, labelled consistently.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        params = python_scalars(self.get_params(deep=False))
        recordings, is_list = check_recordings(X)
        self.n_features_in_ = recordings[0].shape[1]
        _check_frames(params["n_clusters"], sum(len(r) for r in recordings))
        # Channels standardised over all frames; those that barely move become 0.
        frames = standardise(np.concatenate(recordings).astype(np.float64), CHANNEL_TOLERANCE)[0]
        bounds = np.cumsum([0] + [len(r) for r in recordings])
        labels = self._segment([frames[a:b] for a, b in zip(bounds[:-1], bounds[1:])], params)
        # Actions numbered by first appearance, the same on every machine.
        numbering = canonical_numbering(np.concatenate(labels), params["n_clusters"])
        labels = [renumber(lab, numbering) for lab in labels]
        if hasattr(self, "cluster_centers_"):
            self.cluster_centers_ = renumber_rows(self.cluster_centers_, numbering)
        self.labels_ = labels if is_list else labels[0]
        return self

    def fit_predict(self, X, y=None):
        """Fit and return the label of every frame.

        Parameters
        ----------
        X : array-like of shape (n_frames, n_features), or list of such arrays
            One recording, or several with the same channels.
        y : None
            Ignored.

        Returns
        -------
        labels : ndarray of shape (n_frames,), or list of ndarray
            Label of every frame (a list when ``X`` is a list).
        """
        return self.fit(X).labels_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = getattr(self, "random_state", 0) is None
        return tags


class WindowStatsSegmenter(_RecordingBaseline):
    """Clusters of frames by the mean and spread of the channels around them.

    Channels are standardised over all frames; every frame is described by
    the mean and standard deviation of each channel over a centred window of
    ``window_seconds`` (the statistics :class:`~skseq2seq.TemporalSegmenter`
    computes over decoder states, here on the frames themselves), each
    standardised; Ward linkage (on at most ``max_cluster_samples`` frames
    spread evenly in time, the others taking the label of the sampled frame
    before them) or k-means groups them into ``n_clusters`` actions; then
    TemporalSegmenter's smoothing pass (segmental k-means with a switching
    penalty, Viterbi per recording) removes segments shorter than about
    ``min_duration_seconds``. What TemporalSegmenter adds beyond this is its
    learned embedding.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of actions.
    fps : float, default=120
        Frame rate of the recordings, which turns the durations into frames.
    window_seconds : float, default=1.5
        Length of the centred window (TemporalSegmenter's middle context).
    clustering : {"ward", "kmeans"}, default="ward"
        Ward hierarchical clustering (deterministic) or k-means.
    min_duration_seconds : float, default=0.5
        Strength of the temporal smoothing, as in TemporalSegmenter: switching
        action costs as much as this many seconds of frames that fit another
        action better than their own (by the median margin). 0 disables it.
    max_cluster_samples : int, default=1500
        Frames given to Ward linkage, whose cost grows with the square of
        their number (not used by k-means).
    n_init : int, default=10
        k-means runs from different centroid seeds (``clustering="kmeans"``).
    random_state : int, RandomState instance or None, default=None
        Seeds k-means.

    Attributes
    ----------
    labels_ : ndarray of shape (n_frames,) or list of ndarray
        Action of every frame (a list, one array per recording, when ``fit``
        got a list).
    cluster_centers_ : ndarray of shape (n_clusters, 2 * n_features)
        Mean standardised window statistics of each action (the frames alone,
        ``n_features`` columns, for a window of one frame).
    window_ : int
        Window length in frames.
    n_features_in_ : int
        Channels per frame seen in ``fit``.

    See Also
    --------
    skseq2seq.TemporalSegmenter : The same context statistics on learned decoder states.
    GaussianHMMSegmenter : A hidden Markov model of the frames.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq.baselines import WindowStatsSegmenter
    >>> t = np.arange(600) / 30.0
    >>> slow = np.c_[np.sin(2 * np.pi * t), np.cos(2 * np.pi * t)]
    >>> fast = np.c_[np.sin(6 * np.pi * t), -np.cos(6 * np.pi * t)]
    >>> X = np.where((t < 10)[:, None], slow, fast)
    >>> labels = WindowStatsSegmenter(n_clusters=2, fps=30).fit_predict(X)
    >>> labels.shape, len(np.unique(labels[:300])), len(np.unique(labels[300:]))
    ((600,), 1, 1)
    """

    _parameter_constraints = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left")],
        "fps": [Interval(numbers.Real, 0, None, closed="neither")],
        "window_seconds": [Interval(numbers.Real, 0, None, closed="neither")],
        "clustering": [StrOptions({"ward", "kmeans"})],
        "min_duration_seconds": [Interval(numbers.Real, 0, None, closed="left")],
        "max_cluster_samples": [Interval(numbers.Integral, 2, None, closed="left")],
        "n_init": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_clusters=8,
        *,
        fps=120,
        window_seconds=1.5,
        clustering="ward",
        min_duration_seconds=0.5,
        max_cluster_samples=1500,
        n_init=10,
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.fps = fps
        self.window_seconds = window_seconds
        self.clustering = clustering
        self.min_duration_seconds = min_duration_seconds
        self.max_cluster_samples = max_cluster_samples
        self.n_init = n_init
        self.random_state = random_state

    def _segment(self, frames, params):
        k = params["n_clusters"]
        if params["clustering"] == "ward" and k > params["max_cluster_samples"]:
            raise ValueError(
                f"n_clusters={k} is larger than max_cluster_samples="
                f"{params['max_cluster_samples']}: Ward linkage needs a frame per cluster."
            )
        longest = max(len(rec) for rec in frames)
        window = params["window_seconds"] * params["fps"]
        check_within_recordings("window_seconds", params["window_seconds"], window, longest)
        self.window_ = max(1, int(round(window)))
        # A one-frame window has no spread (only rounding noise, which
        # standardising would blow up): the frames alone.
        stats = [context_statistics(rec, self.window_)[self.window_ > 1] for rec in frames]
        features = standardise(np.concatenate(stats))[0]
        n = len(features)
        if params["clustering"] == "kmeans":
            kmeans = KMeans(k, n_init=params["n_init"], random_state=params["random_state"])
            labels = kmeans.fit_predict(features)
        else:
            n_sampled = min(n, params["max_cluster_samples"])
            sampled = np.unique(np.linspace(0, n - 1, n_sampled).round().astype(np.int64))
            ward = AgglomerativeClustering(k, linkage="ward").fit_predict(features[sampled])
            # Every frame takes the label of the sampled frame at or before it.
            labels = ward[np.searchsorted(sampled, np.arange(n), side="right") - 1]
        bounds = np.cumsum([0] + [len(rec) for rec in frames])
        pieces = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]
        duration = params["min_duration_seconds"] * params["fps"]
        labels, self.cluster_centers_, _ = segmental_kmeans(features, labels, k, duration, pieces)
        return [labels[piece] for piece in pieces]


class GaussianHMMSegmenter(_RecordingBaseline):
    """Hidden Markov model with Gaussian states, through hmmlearn (optional dependency).

    Channels are standardised over all frames (constant ones dropped),
    reduced to their first ``n_components`` principal components when there
    are more, optionally averaged in blocks of ``downsample`` frames; a
    ``n_clusters``-state Gaussian HMM (hmmlearn's ``GaussianHMM``, fitted by
    EM on all recordings) then labels every frame with its most likely state
    sequence (Viterbi). The states model single frames (postures) and the
    transitions their order; the HMM sees no dynamics within a state.

    Needs hmmlearn: ``pip install 'skseq2seq[baselines]'``.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of hidden states (actions).
    n_components : int, default=20
        Principal components kept (all channels when there are fewer).
    downsample : int, default=1
        Frames averaged into one before fitting (labels are repeated back to
        every frame); EM's cost grows linearly with the number of frames.
    covariance_type : {"diag", "full", "spherical", "tied"}, default="diag"
        Covariance of each state's Gaussian.
    n_iter : int, default=25
        Most EM iterations.
    random_state : int, RandomState instance or None, default=None
        Seeds the initialisation (k-means of the frames).

    Attributes
    ----------
    labels_ : ndarray of shape (n_frames,) or list of ndarray
        State of every frame (a list, one array per recording, when ``fit``
        got a list).
    hmm_ : hmmlearn.hmm.GaussianHMM
        The fitted model (transition matrix, means, covariances).
    n_features_in_ : int
        Channels per frame seen in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq.baselines import GaussianHMMSegmenter
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (200, 3)), rng.normal(4, 1, (200, 3))]
    >>> labels = GaussianHMMSegmenter(n_clusters=2, random_state=0).fit_predict(X)
    >>> labels.shape, int((labels[:200] != labels[200:]).all())
    ((400,), 1)
    """

    _parameter_constraints = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_components": [Interval(numbers.Integral, 1, None, closed="left")],
        "downsample": [Interval(numbers.Integral, 1, None, closed="left")],
        "covariance_type": [StrOptions({"diag", "full", "spherical", "tied"})],
        "n_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_clusters=8,
        *,
        n_components=20,
        downsample=1,
        covariance_type="diag",
        n_iter=25,
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.n_components = n_components
        self.downsample = downsample
        self.covariance_type = covariance_type
        self.n_iter = n_iter
        self.random_state = random_state

    def _segment(self, frames, params):
        try:
            from hmmlearn.hmm import GaussianHMM
        except ImportError as exc:
            raise ImportError(
                "GaussianHMMSegmenter needs hmmlearn; install it with "
                "pip install 'skseq2seq[baselines]'."
            ) from exc
        step = params["downsample"]
        check_within_recordings("downsample", step, step, max(len(rec) for rec in frames))
        work = [block_means(rec, step) for rec in frames]
        n_work = sum(len(w) for w in work)
        _check_frames(params["n_clusters"], n_work, "downsampled frames")
        if n_work < 2:
            raise ValueError(
                f"An HMM needs at least 2 frames to estimate transitions; got n_samples={n_work}."
            )
        joined = np.concatenate(work)
        varying = joined.std(0) > 0
        # All channels constant: one zero channel, every frame alike.
        joined = joined[:, varying] if varying.any() else joined[:, :1]
        if joined.shape[1] > params["n_components"]:
            pca = PCA(params["n_components"], random_state=params["random_state"])
            joined = pca.fit_transform(joined)
        self.hmm_ = GaussianHMM(
            params["n_clusters"],
            covariance_type=params["covariance_type"],
            n_iter=params["n_iter"],
            random_state=check_random_state(params["random_state"]),
        )
        lengths = [len(w) for w in work]
        states = self.hmm_.fit(joined, lengths).predict(joined, lengths)
        bounds = np.cumsum([0] + lengths)
        return [
            np.repeat(states[a:b], step)[: len(rec)]
            for rec, a, b in zip(frames, bounds[:-1], bounds[1:])
        ]


class FrameStatsSegmenter(ClusterMixin, BaseEstimator):
    """TemporalSegmenter's pipeline on the frames alone: the bar its learned states must clear.

    :class:`~skseq2seq.TemporalSegmenter` with ``features="frames"``: no net
    is trained; every frame is described by the mean and spread of the
    standardised frames over contexts of a few seconds, and the consensus of
    hierarchical clusterings, the switching-penalty smoothing and the
    sharpening of the cuts run as in TemporalSegmenter. Whatever
    TemporalSegmenter with ``features="states+frames"`` scores above this
    comes from its learned states. It is TemporalSegmenter's default too;
    this class stays the frames alone whatever the defaults.

    Parameters
    ----------
    n_clusters : int or "auto", default=8
        Number of actions (see TemporalSegmenter).
    max_clusters : int, default=12
        Largest number of actions tried by ``n_clusters="auto"``.
    min_action_seconds : float, default=4.0
        Shortest action, in seconds (see TemporalSegmenter).
    fps : float, default=120
        Frame rate of the recordings.
    working_fps : float, default=60
        Frame rate the frames are averaged down to.
    context_seconds : tuple of float, default=(1.5, 2.5, 3.5)
        Lengths of the contexts summarised around each frame.
    min_duration_seconds : float, default=0.5
        Strength of the temporal smoothing (0 disables it).
    refine_seconds : float, default=0.5
        Largest move of a cut when it is sharpened (0 disables it).
    max_cluster_samples : int, default=1500
        Frames subsampled for the hierarchical clusterings.

    Attributes
    ----------
    labels_ : ndarray of shape (n_frames,) or list of ndarray
        Action of every frame (a list, one array per recording, when ``fit``
        got a list).
    change_points_ : ndarray of int or list of ndarray
        Cuts between actions (boundaries of ``labels_``).
    n_clusters_ : int
        Number of actions found.
    segmenter_ : TemporalSegmenter
        The fitted ``TemporalSegmenter(features="frames")``.
    n_features_in_ : int
        Channels per frame seen in ``fit``.

    See Also
    --------
    skseq2seq.TemporalSegmenter : The same pipeline with learned decoder states.
    WindowStatsSegmenter : One window's statistics, one clustering.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq.baselines import FrameStatsSegmenter
    >>> t = np.arange(600) / 30.0
    >>> slow = np.c_[np.sin(2 * np.pi * t), np.cos(2 * np.pi * t)]
    >>> fast = np.c_[np.sin(6 * np.pi * t), -np.cos(6 * np.pi * t)]
    >>> X = np.where((t < 10)[:, None], slow, 2 + fast)
    >>> labels = FrameStatsSegmenter(n_clusters=2, fps=30, working_fps=30).fit_predict(X)
    >>> labels.shape, len(np.unique(labels[:280])), len(np.unique(labels[320:]))
    ((600,), 1, 1)
    """

    _parameter_constraints = {
        key: TemporalSegmenter._parameter_constraints[key]
        for key in (
            "n_clusters",
            "max_clusters",
            "min_action_seconds",
            "fps",
            "working_fps",
            "context_seconds",
            "min_duration_seconds",
            "refine_seconds",
            "max_cluster_samples",
        )
    }

    def __init__(
        self,
        n_clusters=8,
        *,
        max_clusters=12,
        min_action_seconds=4.0,
        fps=120,
        working_fps=60,
        context_seconds=(1.5, 2.5, 3.5),
        min_duration_seconds=0.5,
        refine_seconds=0.5,
        max_cluster_samples=1500,
    ):
        self.n_clusters = n_clusters
        self.max_clusters = max_clusters
        self.min_action_seconds = min_action_seconds
        self.fps = fps
        self.working_fps = working_fps
        self.context_seconds = context_seconds
        self.min_duration_seconds = min_duration_seconds
        self.refine_seconds = refine_seconds
        self.max_cluster_samples = max_cluster_samples

    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Label every frame of the recording(s).

        Parameters
        ----------
        X : array-like of shape (n_frames, n_features), or list of such arrays
            One recording (frames in time order), or several recordings with
            the same channels, labelled consistently.
        y : None
            Ignored.

        Returns
        -------
        self : FrameStatsSegmenter
            The fitted estimator.
        """
        segmenter = TemporalSegmenter(features="frames", n_nets=1, **self.get_params())
        self.segmenter_ = segmenter.fit(X)
        self.labels_ = segmenter.labels_
        self.change_points_ = segmenter.change_points_
        self.n_clusters_ = segmenter.n_clusters_
        self.n_features_in_ = segmenter.n_features_in_
        return self

    def fit_predict(self, X, y=None):
        """Fit and return the action of every frame.

        Parameters
        ----------
        X : array-like of shape (n_frames, n_features), or list of such arrays
            One recording, or several with the same channels.
        y : None
            Ignored.

        Returns
        -------
        labels : ndarray of shape (n_frames,), or list of ndarray
        """
        return self.fit(X).labels_

    def predict(self, X):
        """Label the frames of new recordings with the fitted actions.

        Parameters
        ----------
        X : array-like of shape (n_frames, n_features), or list of such arrays
            Recordings with the channels seen in ``fit``, at the same ``fps``.

        Returns
        -------
        labels : ndarray of shape (n_frames,), or list of ndarray
        """
        check_is_fitted(self, "segmenter_")
        return self.segmenter_.predict(X)
