"""Classical sequence-clustering baselines: what to beat before training a network.

Each takes the package's sequence layout (a 3D array, a 2D array of
univariate sequences or a ragged list), validated as
:class:`~skseq2seq.Seq2SeqClusterer` validates it, so that the same ``X``
goes to all of them. Like every estimator of the package, they number their
clusters by first appearance in the training sequences (the first one's
cluster is 0), the same on every machine.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._embedding_clusterer import EmbeddingClusterer, check_n_clusters
from ._numbering import canonical_numbering, renumber, renumber_rows
from ._scaling import SequenceScaler
from ._sklearn_compat import Interval, RealNotInt, fit_context
from ._stats import MeanStdFeatures
from ._validation import check_sequences, python_scalars

__all__ = ["DTWKMeans", "MeanStdKMeans", "MeanStdSpectral", "MeanStdWard", "PCAKMeans"]

_N_CLUSTERS = [Interval(numbers.Integral, 1, None, closed="left")]


def _resample(data, lengths, n_timesteps):
    """Each sequence linearly interpolated to ``n_timesteps`` frames, first and last kept."""
    if (lengths == n_timesteps).all():
        return data[:, :n_timesteps]
    position = np.linspace(0.0, 1.0, n_timesteps)[None, :] * (lengths[:, None] - 1)
    before = np.floor(position).astype(np.int64)
    after = np.minimum(before + 1, lengths[:, None] - 1)
    weight = (position - before)[:, :, None]
    rows = np.arange(len(data))[:, None]
    return data[rows, before] * (1.0 - weight) + data[rows, after] * weight


class _SequenceBaseline(ClusterMixin, BaseEstimator):
    """fit/fit_predict/predict over features computed from validated sequences.

    Subclasses implement ``_fit_features(data, lengths)`` (which may store
    fitted preprocessing), ``_features(data, lengths)`` (new sequences, for
    ``predict``) and ``_cluster(features, params)`` returning the labels
    (and storing in ``_predictor`` what ``predict`` calls, when there is one).
    ``fit`` numbers the clusters by first appearance (``_numbering``) and
    reorders ``cluster_centers_`` to match.
    """

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Cluster the sequences.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences (2D: univariate; list: variable lengths).
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        params = python_scalars(self.get_params(deep=False))
        data, lengths = check_sequences(X, min_length=1)
        check_n_clusters(params["n_clusters"], "kmeans", len(lengths))
        self.n_features_in_ = data.shape[2]
        # Kept like Seq2SeqClusterer's embedding_: what the clustering ran on.
        self.features_ = self._fit_features(data, lengths)
        labels = self._cluster(self.features_, params)
        # Clusters numbered by first appearance, the same on every machine.
        self._numbering = canonical_numbering(labels, params["n_clusters"])
        self.labels_ = renumber(labels, self._numbering)
        if hasattr(self, "cluster_centers_"):
            self.cluster_centers_ = renumber_rows(self.cluster_centers_, self._numbering)
        return self

    def fit_predict(self, X, y=None):
        """Fit and return the cluster of each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences.
        y : None
            Ignored.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self.fit(X).labels_

    def _predict(self, X):
        check_is_fitted(self, "labels_")
        data, lengths = check_sequences(X, min_length=1, n_features=self.n_features_in_)
        return renumber(self._predictor.predict(self._features(data, lengths)), self._numbering)


class _MeanStdFeatures:
    """Per-sequence mean/std of each channel, standardised over the training sequences."""

    def _fit_features(self, data, lengths):
        # Equal to posture_statistics(X) on the training sequences.
        self._mean_std = MeanStdFeatures()
        return self._mean_std.fit_transform(data, lengths)

    def _features(self, data, lengths):
        return self._mean_std.transform(data, lengths)


class MeanStdKMeans(_MeanStdFeatures, _SequenceBaseline):
    """k-means on each sequence's per-channel mean and standard deviation.

    Every sequence becomes the mean and the standard deviation over its frames
    of each channel, each of these ``2 * n_features`` columns standardised over
    the sequences (:func:`~skseq2seq.posture_statistics`); k-means clusters
    them. It sees where channels sit and how much they move, not in which
    order: on motion capture it is the strongest of the simple baselines, and
    the first one a learned embedding has to beat.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters.
    n_init : int, default=10
        k-means runs from different centroid seeds; the best is kept.
    random_state : int, RandomState instance or None, default=None
        Seeds k-means.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training sequence.
    features_ : ndarray of shape (n_samples, 2 * n_features)
        The standardised mean/std features the clustering ran on.
    cluster_centers_ : ndarray of shape (n_clusters, 2 * n_features)
        Centroids, in standardised mean/std units.
    inertia_ : float
        Sum of squared distances of the sequences to their centroid.
    n_features_in_ : int
        Channels per time step seen in ``fit``.

    See Also
    --------
    MeanStdWard : Ward linkage on the same statistics.
    skseq2seq.posture_statistics : The statistics.
    skseq2seq.compare : Runs this and the other baselines beside Seq2SeqClusterer.

    Examples
    --------
    >>> from skseq2seq.baselines import MeanStdKMeans
    >>> from skseq2seq.datasets import make_motion_sequences
    >>> X, y = make_motion_sequences(n_sequences=60, n_timesteps=20, n_regimes=3,
    ...                              random_state=0)
    >>> MeanStdKMeans(n_clusters=3, random_state=0).fit_predict(X).shape
    (60,)
    """

    _parameter_constraints = {
        "n_clusters": _N_CLUSTERS,
        "n_init": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, n_clusters=8, *, n_init=10, random_state=None):
        self.n_clusters = n_clusters
        self.n_init = n_init
        self.random_state = random_state

    def _cluster(self, features, params):
        kmeans = KMeans(
            params["n_clusters"], n_init=params["n_init"], random_state=params["random_state"]
        ).fit(features)
        self.cluster_centers_, self.inertia_ = kmeans.cluster_centers_, kmeans.inertia_
        self._predictor = kmeans
        return kmeans.labels_

    def predict(self, X):
        """Assign sequences to the nearest centroid of their mean/std statistics.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences with the channels seen in ``fit`` (any lengths).

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self._predict(X)


class MeanStdWard(_MeanStdFeatures, _SequenceBaseline):
    """Ward hierarchical clustering of each sequence's per-channel mean and standard deviation.

    The features of :class:`MeanStdKMeans` (standardised
    :func:`~skseq2seq.posture_statistics`), merged bottom-up by Ward's
    minimum-variance linkage. Deterministic (no ``random_state``); memory and
    time grow with the square of the number of sequences.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training sequence.
    features_ : ndarray of shape (n_samples, 2 * n_features)
        The standardised mean/std features the clustering ran on.
    n_features_in_ : int
        Channels per time step seen in ``fit``.

    See Also
    --------
    MeanStdKMeans : k-means on the same statistics (and a ``predict``).

    Examples
    --------
    >>> from skseq2seq.baselines import MeanStdWard
    >>> from skseq2seq.datasets import make_motion_sequences
    >>> X, y = make_motion_sequences(n_sequences=60, n_timesteps=20, n_regimes=3,
    ...                              random_state=0)
    >>> MeanStdWard(n_clusters=3).fit_predict(X).shape
    (60,)
    """

    _parameter_constraints = {"n_clusters": _N_CLUSTERS}

    def __init__(self, n_clusters=8):
        self.n_clusters = n_clusters

    def _cluster(self, features, params):
        if len(features) == 1:  # one cluster; Ward linkage needs two samples
            return np.zeros(1, dtype=np.int64)
        return AgglomerativeClustering(params["n_clusters"], linkage="ward").fit_predict(features)


class MeanStdSpectral(_MeanStdFeatures, _SequenceBaseline):
    """The package's spectral clustering stage on each sequence's per-channel mean and std.

    The features of :class:`MeanStdKMeans` (standardised
    :func:`~skseq2seq.posture_statistics`), clustered by
    :class:`~skseq2seq.EmbeddingClusterer` exactly as
    :class:`~skseq2seq.Seq2SeqClusterer` clusters its learned embedding:
    spectral clustering of the L2-normalised features' 10-nearest-neighbour
    graph, surplus groups (``n_extra_clusters``) merged by average linkage of
    the same features. No network is trained. It is the strongest classical
    pipeline on most motion capture the package was measured on (see the
    generalization benchmark), so it is the bar a learned embedding must
    clear: with the same clustering stage, any gain is the embedding's.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters (fewer than the sequences).
    n_extra_clusters : int, default=2
        Surplus groups spectral clustering may cut when the eigengap says so,
        merged back by the mean/std features (see
        :class:`~skseq2seq.EmbeddingClusterer`); 0 turns merging off.
    random_state : int, RandomState instance or None, default=None
        Seeds the spectral clustering.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training sequence.
    features_ : ndarray of shape (n_samples, 2 * n_features)
        The standardised mean/std features the clustering ran on.
    embedding_clusterer_ : EmbeddingClusterer
        The fitted clustering stage.
    n_groups_ : int
        Groups cut before surplus ones were merged (``n_clusters`` when none were).
    n_features_in_ : int
        Channels per time step seen in ``fit``.

    See Also
    --------
    MeanStdKMeans : k-means on the same statistics.
    skseq2seq.EmbeddingClusterer : The clustering stage.

    Examples
    --------
    >>> from skseq2seq.baselines import MeanStdSpectral
    >>> from skseq2seq.datasets import make_motion_sequences
    >>> X, y = make_motion_sequences(n_sequences=60, n_timesteps=20, n_regimes=3,
    ...                              random_state=0)
    >>> MeanStdSpectral(n_clusters=3, random_state=0).fit_predict(X).shape
    (60,)
    >>> MeanStdSpectral(n_clusters=3, n_extra_clusters=0, random_state=0).fit(X).n_groups_
    3
    """

    _parameter_constraints = {
        "n_clusters": _N_CLUSTERS,
        "n_extra_clusters": [Interval(numbers.Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, n_clusters=8, *, n_extra_clusters=2, random_state=None):
        self.n_clusters = n_clusters
        self.n_extra_clusters = n_extra_clusters
        self.random_state = random_state

    def _cluster(self, features, params):
        stage = EmbeddingClusterer(
            params["n_clusters"],
            clustering="spectral",
            n_extra_clusters=params["n_extra_clusters"],
            random_state=params["random_state"],
        )
        # Merged by the features themselves, as Seq2SeqClusterer merges by them.
        self.embedding_clusterer_ = stage.fit(features, merge_features=features)
        self.n_groups_ = stage.n_groups_
        self._predictor = stage
        return stage.labels_

    def predict(self, X):
        """Assign sequences to the nearest cluster centre of their normalised mean/std features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences with the channels seen in ``fit`` (any lengths).

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self._predict(X)


class _StandardisedSequences:
    """Channels standardised over all frames of the training sequences; constant ones zeroed."""

    def _fit_scaling(self, data, lengths):
        self._scaling = SequenceScaler(constant="zero").fit(data, lengths)
        return self._standardise(data, lengths)

    def _standardise(self, data, lengths):
        return self._scaling.transform(data, lengths)  # NaN past the ends, ignored later


class PCAKMeans(_StandardisedSequences, _SequenceBaseline):
    """k-means on the principal components of whole, flattened sequences.

    Channels are standardised over all frames; sequences of different
    lengths are resampled by linear interpolation to ``n_timesteps`` frames
    (by default the longest training sequence); each sequence is flattened to
    one vector of ``n_timesteps * n_features`` values, reduced by PCA and
    clustered by k-means. It compares sequences frame by frame, in time
    order: it separates what differs in posture at the same moments, and
    confuses the same movement at different phases or speeds.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters.
    n_components : int, float or None, default=0.95
        Principal components kept: a number, the fraction of the variance to
        explain (between 0 and 1), or None for all (k-means on the flattened
        sequences). A number is capped at what the data allow.
    n_timesteps : int, default=None
        Frames every sequence is resampled to; None means the longest
        training sequence (equal-length sequences are then used as they are).
    n_init : int, default=10
        k-means runs from different centroid seeds; the best is kept.
    random_state : int, RandomState instance or None, default=None
        Seeds PCA's solver and k-means.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training sequence.
    features_ : ndarray of shape (n_samples, n_components_)
        The principal components of the flattened sequences, as clustered.
    cluster_centers_ : ndarray of shape (n_clusters, n_components_)
        Centroids, in principal-component units.
    n_components_ : int
        Principal components kept.
    n_timesteps_ : int
        Frames every sequence is resampled to.
    n_features_in_ : int
        Channels per time step seen in ``fit``.

    Examples
    --------
    >>> from skseq2seq.baselines import PCAKMeans
    >>> from skseq2seq.datasets import make_motion_sequences
    >>> X, y = make_motion_sequences(n_sequences=60, n_timesteps=20, n_regimes=3,
    ...                              random_state=0)
    >>> model = PCAKMeans(n_clusters=3, random_state=0).fit(X)
    >>> model.labels_.shape, model.n_timesteps_
    ((60,), 20)
    """

    _parameter_constraints = {
        "n_clusters": _N_CLUSTERS,
        "n_components": [
            Interval(numbers.Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="neither"),
            None,
        ],
        "n_timesteps": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "n_init": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self, n_clusters=8, *, n_components=0.95, n_timesteps=None, n_init=10, random_state=None
    ):
        self.n_clusters = n_clusters
        self.n_components = n_components
        self.n_timesteps = n_timesteps
        self.n_init = n_init
        self.random_state = random_state

    def _fit_features(self, data, lengths):
        self.n_timesteps_ = int(self.n_timesteps or lengths.max())
        flat = self._flatten(self._fit_scaling(data, lengths), lengths)
        n_components = self.n_components
        if isinstance(n_components, numbers.Integral):
            n_components = min(int(n_components), *flat.shape)
        if n_components is None or len(flat) < 2:  # one sequence has no variance to explain
            self._pca = None
            self.n_components_ = flat.shape[1]
            return flat
        self._pca = PCA(n_components, random_state=self.random_state)
        features = self._pca.fit_transform(flat)
        self.n_components_ = int(self._pca.n_components_)
        return features

    def _flatten(self, data, lengths):
        resampled = _resample(data, lengths, self.n_timesteps_)
        return resampled.reshape(len(resampled), -1)

    def _features(self, data, lengths):
        flat = self._flatten(self._standardise(data, lengths), lengths)
        return flat if self._pca is None else self._pca.transform(flat)

    def _cluster(self, features, params):
        kmeans = KMeans(
            params["n_clusters"], n_init=params["n_init"], random_state=params["random_state"]
        ).fit(features)
        self.cluster_centers_ = kmeans.cluster_centers_
        self._predictor = kmeans
        return kmeans.labels_

    def predict(self, X):
        """Assign sequences (of any length) to the nearest centroid.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences with the channels seen in ``fit``; each is resampled to
            ``n_timesteps_`` frames.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self._predict(X)


class DTWKMeans(_StandardisedSequences, _SequenceBaseline):
    """k-means under dynamic time warping, through tslearn (optional dependency).

    Channels are standardised over all frames, sequences optionally
    downsampled in time, and tslearn's ``TimeSeriesKMeans(metric="dtw")``
    clusters them with DTW barycentres as centroids. DTW aligns sequences in
    time before comparing them, so the same movement at another speed or phase
    matches; its cost grows with ``n_samples * n_clusters * n_timesteps**2``
    per iteration, hence ``downsample`` and ``max_fit_samples``. Sequences of
    different lengths are compared as they are (no resampling).

    Needs tslearn: ``pip install 'skseq2seq[baselines]'``.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters.
    max_iter : int, default=10
        Most k-means iterations.
    n_init : int, default=1
        k-means runs from different initial centroids; the best is kept.
    downsample : int, default=1
        Keep every ``downsample``-th frame (DTW's cost grows with the square
        of the length).
    max_fit_samples : int, default=None
        Fit the centroids on this many sequences drawn at random, then assign
        every sequence to its nearest centroid; None fits on all.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial centroids and the drawn subset.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training sequence.
    features_ : ndarray of shape (n_samples, n_timesteps_down, n_features)
        The standardised, downsampled sequences (NaN after each end), as clustered.
    cluster_centers_ : ndarray of shape (n_clusters, n_timesteps, n_features)
        DTW barycentres, in standardised (and downsampled) frames.
    n_iter_ : int
        k-means iterations run (of the best initialisation).
    model_ : tslearn.clustering.TimeSeriesKMeans
        The fitted tslearn model.
    n_features_in_ : int
        Channels per time step seen in ``fit``.

    Examples
    --------
    >>> from skseq2seq.baselines import DTWKMeans
    >>> from skseq2seq.datasets import make_motion_sequences
    >>> X, y = make_motion_sequences(n_sequences=30, n_timesteps=20, n_regimes=3,
    ...                              random_state=0)
    >>> DTWKMeans(n_clusters=3, random_state=0).fit_predict(X).shape
    (30,)
    """

    _parameter_constraints = {
        "n_clusters": _N_CLUSTERS,
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_init": [Interval(numbers.Integral, 1, None, closed="left")],
        "downsample": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_fit_samples": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_clusters=8,
        *,
        max_iter=10,
        n_init=1,
        downsample=1,
        max_fit_samples=None,
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.max_iter = max_iter
        self.n_init = n_init
        self.downsample = downsample
        self.max_fit_samples = max_fit_samples
        self.random_state = random_state

    def _fit_features(self, data, lengths):
        return self._series(self._fit_scaling(data, lengths), lengths)

    def _features(self, data, lengths):
        return self._series(self._standardise(data, lengths), lengths)

    def _series(self, data, lengths):
        """Downsampled sequences, padded with NaN after their ends (tslearn's layout)."""
        step = self.downsample
        series = np.array(data[:, ::step], dtype=np.float64)
        kept = -(-lengths // step)
        series[np.arange(series.shape[1])[None, :] >= kept[:, None]] = np.nan
        return series

    def _cluster(self, features, params):
        try:
            from tslearn.clustering import TimeSeriesKMeans
        except ImportError as exc:
            raise ImportError(
                "DTWKMeans needs tslearn; install it with pip install 'skseq2seq[baselines]'."
            ) from exc
        rng = check_random_state(params["random_state"])
        n_fit = params["max_fit_samples"]
        if n_fit is not None and n_fit < params["n_clusters"]:
            raise ValueError(
                f"max_fit_samples={n_fit} is smaller than n_clusters={params['n_clusters']}; "
                "the centroids need at least one sequence each."
            )
        subset = None
        if n_fit is not None and n_fit < len(features):
            subset = np.sort(rng.choice(len(features), n_fit, replace=False))
        self.model_ = TimeSeriesKMeans(
            params["n_clusters"],
            metric="dtw",
            max_iter=params["max_iter"],
            n_init=params["n_init"],
            random_state=rng.randint(np.iinfo(np.int32).max),
        ).fit(features if subset is None else features[subset])
        self.cluster_centers_, self.n_iter_ = self.model_.cluster_centers_, self.model_.n_iter_
        self._predictor = self.model_
        if subset is None:
            return self.model_.labels_
        return self.model_.predict(features)  # the sequences left out join their nearest centroid

    def predict(self, X):
        """Assign sequences to the nearest DTW barycentre.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences with the channels seen in ``fit``.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self._predict(X)
