"""Seq2SeqClusterer: clustering in the decoder-state embedding."""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, clone
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted, check_memory

from ._default_estimator import DefaultSubEstimatorMixin
from ._embedder import Seq2SeqEmbedder
from ._embedding_clusterer import EmbeddingClusterer, check_n_clusters
from ._sklearn_compat import HasMethods, Interval, RealNotInt, StrOptions, fit_context
from ._stats import MeanStdFeatures
from ._validation import check_sequences, python_scalars

__all__ = ["Seq2SeqClusterer", "posture_statistics"]


def default_embedder():
    """The embedder ``Seq2SeqClusterer(embedder=None)`` trains.

    Predict & Cluster's ``fixed_state`` decoder, frames plus their differences
    as input, and the pooled decoder states joined with the encoder's final
    state: on real motion capture this clusters actions better than the
    plain recipe of Su & Shlizerman (``Seq2SeqEmbedder()``).

    Returns
    -------
    embedder : Seq2SeqEmbedder
        An unfitted embedder.
    """
    return Seq2SeqEmbedder(decoder_strategy="fixed_state", with_velocity=True, embedding="both")


def posture_statistics(X):
    """Mean and standard deviation of each channel over each sequence's frames, standardised.

    A coarse summary of where a sequence's channels sit and how much they
    move, which ignores their order in time. :class:`Seq2SeqClusterer` merges
    surplus spectral groups by it (see ``n_extra_clusters``); pass it as
    ``merge_features`` to :meth:`EmbeddingClusterer.fit` to do the same on an
    embedding of X.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_timesteps, n_features) or \
            (n_samples, n_timesteps), or list of (T_i, n_features) arrays
        Sequences (2D: univariate; list: variable lengths, padding ignored).

    Returns
    -------
    statistics : ndarray of shape (n_samples, 2 * n_features)
        Per sequence, the mean of each channel then its standard deviation
        over the sequence's frames; each column standardised over the
        sequences (zero mean, unit variance).

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq import posture_statistics
    >>> X = np.array([[0.0, 2.0, 4.0], [1.0, 1.0, 1.0]])  # two univariate sequences
    >>> posture_statistics(X)
    array([[ 1.,  1.],
           [-1., -1.]])
    """
    return MeanStdFeatures().fit_transform(*check_sequences(X, min_length=1))


def _fit_embedder(embedder, X):
    """Module-level so joblib ``Memory`` can cache it by (embedder params, X)."""
    return embedder.fit(X)


def _joined_views(states, statistics, states_weight):
    """Both views' rows on the unit sphere, scaled so that squared distances add by weight.

    Each view is L2-normalised as the spectral stage sees it alone, so the
    distance the stage's neighbour graph is built on is
    ``states_weight * d_states**2 + (1 - states_weight) * d_statistics**2``
    (rows stay of unit norm): weight 1 is ``features="states"``, 0 is
    ``features="statistics"``.
    """
    return np.hstack(
        [
            np.sqrt(states_weight) * normalize(np.asarray(states, dtype=np.float64)),
            np.sqrt(1.0 - states_weight) * normalize(statistics),
        ]
    )


class Seq2SeqClusterer(DefaultSubEstimatorMixin, ClusterMixin, BaseEstimator):
    """Cluster sequences by the dynamics a seq2seq GRU learned from them, and their posture.

    Trains a :class:`Seq2SeqEmbedder` on ``X`` (no labels), embeds every
    sequence, joins the embedding with the sequences' posture statistics
    (:func:`posture_statistics`; see ``features``) and clusters the result
    with an :class:`EmbeddingClusterer`, merging surplus groups by the
    posture statistics.

    The default joins the two views at equal weight: of the settings measured
    on the real motion capture of the generalization benchmark, it had the
    best worst-case margin over the strongest classical pipeline
    (:class:`~skseq2seq.baselines.MeanStdSpectral` on most sets), yet it
    stays below that pipeline on most of them. Where classes differ only in
    their dynamics (posture says nothing), ``features="states"`` clusters far
    better; where they differ in posture, ``features="statistics"`` (no
    network) may be all one needs. See the benchmarks in the documentation.

    Parameters
    ----------
    n_clusters : int or "auto", default=8
        Number of clusters (ignored by a ``clustering`` instance that does not
        take one). ``"auto"`` picks k in ``2..max_clusters`` from the
        embedding: the eigengap of the neighbour graph for
        ``clustering="spectral"``, the mean silhouette otherwise (see
        :class:`EmbeddingClusterer`, ``n_clusters_`` and ``k_scores_``).
    embedder : Seq2SeqEmbedder, default=None
        The embedder to train (cloned); None means
        ``Seq2SeqEmbedder(decoder_strategy="fixed_state", with_velocity=True,
        embedding="both")``, which clusters real motion capture better than
        the plain paper recipe ``Seq2SeqEmbedder()``. Its parameters are
        searchable as ``embedder__<name>`` (setting one on ``embedder=None``
        sets ``embedder`` to that default embedder with the parameter changed).
    clustering : {"spectral", "kmeans", "agglomerative"} or estimator, default="spectral"
        ``"spectral"``: spectral clustering of the L2-normalised embedding's
        10-nearest-neighbour graph (``cluster_qr`` labels, deterministic).
        ``"kmeans"``: k-means (10 inits). ``"agglomerative"``: average-linkage
        with cosine distance, as in Su & Shlizerman. Any sklearn clusterer
        instance is cloned and given ``n_clusters`` when it has that parameter.
    memory : str, joblib.Memory or None, default=None
        Caches the trained embedder by (embedder parameters, X), so a grid
        search over ``n_clusters`` trains the network once per embedder setting
        and fold. A string is a cache directory.
    random_state : int, RandomState instance or None, default=None
        Seeds the embedder (when its own ``random_state`` is None) and the
        clustering.
    max_clusters : int, default=10
        Largest k tried by ``n_clusters="auto"`` (capped at n_samples - 1).
    n_extra_clusters : int, default=2
        With ``clustering="spectral"`` and an integer ``n_clusters``: if the
        eigengap of the neighbour graph is largest at some k in
        ``n_clusters + 1 .. n_clusters + n_extra_clusters`` (the graph holds
        more near-separate groups than asked for, typically the windows of
        single recordings), spectral clustering cuts that many groups and the
        surplus ones are merged by average linkage of the sequences' posture
        statistics (per-channel mean and standard deviation over time,
        standardised; :func:`posture_statistics`), instead of leaving the
        choice to the eigenvectors. ``n_groups_`` tells how many groups were
        cut. 0 turns merging off.
    features : {"states+statistics", "states", "statistics"}, \
            default="states+statistics"
        What is clustered. ``"states"``: the trained embedder's embedding
        (the network's view of the dynamics; the default before the
        generalization benchmark chose the joined view). ``"statistics"``: the
        sequences' :func:`posture_statistics` alone; no network is trained
        (``embedder``, ``memory`` and ``states_weight`` are unused), which is
        :class:`~skseq2seq.baselines.MeanStdSpectral` with this estimator's
        clustering. ``"states+statistics"``: both views joined, each
        L2-normalised as the spectral stage sees it, so that the distances
        the clustering compares are ``states_weight`` times the embedding's
        plus ``1 - states_weight`` times the statistics' (squared).
    states_weight : float, default=0.5
        Share of the learned embedding in the joined view of
        ``features="states+statistics"``, strictly between 0 (statistics
        only) and 1 (states only); unused otherwise.

    Attributes
    ----------
    embedder_ : Seq2SeqEmbedder or None
        The trained embedder; None with ``features="statistics"``.
    embedding_clusterer_ : EmbeddingClusterer
        The fitted clustering stage; the attributes below that describe the
        clustering are its own.
    clustering_ : estimator
        The fitted clustering estimator.
    embedding_ : ndarray of shape (n_samples, n_embedding)
        What was clustered, for the training sequences: the embedder's
        embedding (``features="states"``), the standardised posture
        statistics (``"statistics"``), or both views joined
        (``"states+statistics"``).
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training sequence, numbered by first appearance (the
        first sequence's cluster is 0), the same on every machine.
    cluster_centers_ : ndarray of shape (n_clusters, n_embedding)
        Mean ``embedding_`` of each cluster.
    n_features_in_ : int
        Channels per time step seen in ``fit``.
    n_clusters_ : int
        Number of clusters used: ``n_clusters``, or the one chosen by
        ``n_clusters="auto"``.
    n_groups_ : int
        Number of groups the clustering cut before surplus groups were merged
        (see ``n_extra_clusters``); equal to ``n_clusters_`` when none were.
    k_scores_ : dict of {int: float}
        Score of each k tried by ``n_clusters="auto"`` (eigengap or mean
        silhouette, the higher the better); empty otherwise.

    See Also
    --------
    EmbeddingClusterer : The clustering stage alone, on a given embedding.

    Examples
    --------
    >>> from skseq2seq import Seq2SeqClusterer, Seq2SeqEmbedder
    >>> from skseq2seq.datasets import make_motion_sequences
    >>> X, y = make_motion_sequences(n_sequences=60, n_timesteps=20, n_regimes=3,
    ...                              random_state=0)
    >>> clusterer = Seq2SeqClusterer(
    ...     n_clusters=3, embedder=Seq2SeqEmbedder(hidden_size=16, max_epochs=3),
    ...     random_state=0)
    >>> clusterer.fit_predict(X).shape
    (60,)

    The learned states alone, and the same labels from a pipeline of the two
    stages:

    >>> clusterer = Seq2SeqClusterer(
    ...     n_clusters=3, embedder=Seq2SeqEmbedder(hidden_size=16, max_epochs=3),
    ...     features="states", random_state=0).fit(X)

    >>> from sklearn.pipeline import make_pipeline
    >>> from skseq2seq import EmbeddingClusterer, posture_statistics
    >>> pipeline = make_pipeline(
    ...     Seq2SeqEmbedder(hidden_size=16, max_epochs=3, random_state=0),
    ...     EmbeddingClusterer(n_clusters=3, random_state=0))
    >>> labels = pipeline.fit_predict(
    ...     X, embeddingclusterer__merge_features=posture_statistics(X))
    >>> bool((labels == clusterer.labels_).all())
    True

    Posture statistics alone (no network), or joined with the learned states
    at another weight:

    >>> statistics = Seq2SeqClusterer(n_clusters=3, features="statistics",
    ...                               random_state=0).fit(X)
    >>> statistics.embedder_ is None, statistics.embedding_.shape
    (True, (60, 12))
    >>> joined = Seq2SeqClusterer(
    ...     n_clusters=3, embedder=Seq2SeqEmbedder(hidden_size=16, max_epochs=3),
    ...     features="states+statistics", states_weight=0.25, random_state=0).fit(X)
    >>> joined.predict(X[:5]).shape
    (5,)
    """

    _default_subestimators = {"embedder": default_embedder}  # searchable as embedder__*

    _parameter_constraints = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "max_clusters": [Interval(numbers.Integral, 2, None, closed="left")],
        "n_extra_clusters": [Interval(numbers.Integral, 0, None, closed="left")],
        "embedder": [HasMethods(["fit", "transform"]), None],
        "clustering": [
            StrOptions({"spectral", "kmeans", "agglomerative"}),
            HasMethods(["fit_predict"]),
        ],
        "memory": [str, HasMethods(["cache"]), None],
        "random_state": ["random_state"],
        "features": [StrOptions({"states", "states+statistics", "statistics"})],
        "states_weight": [Interval(RealNotInt, 0, 1, closed="neither")],
    }

    def __init__(
        self,
        n_clusters=8,
        embedder=None,
        clustering="spectral",
        memory=None,
        random_state=None,
        max_clusters=10,
        n_extra_clusters=2,
        features="states+statistics",
        states_weight=0.5,
    ):
        self.n_clusters = n_clusters
        self.features = features
        self.states_weight = states_weight
        self.max_clusters = max_clusters
        self.n_extra_clusters = n_extra_clusters
        self.embedder = embedder
        self.clustering = clustering
        self.memory = memory
        self.random_state = random_state

    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Train the embedder on X and cluster the embedding.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences (2D: univariate; list: variable lengths).
        y : None
            Ignored.

        Returns
        -------
        self : Seq2SeqClusterer
        """
        params = python_scalars(self.get_params(deep=False))
        # Everything known before training is checked before training.
        data, lengths = check_sequences(X, min_length=1)
        check_n_clusters(params["n_clusters"], params["clustering"], len(lengths))
        # Fitted even when only merging uses them: predict standardises new sequences alike.
        self._statistics_ = MeanStdFeatures()
        statistics = self._statistics_.fit_transform(data, lengths)
        self.embedder_ = None
        self.n_features_in_ = data.shape[2]
        if params["features"] != "statistics":
            embedder = clone(self.embedder) if self.embedder is not None else default_embedder()
            if (
                embedder.get_params().get("random_state", 0) is None
                and self.random_state is not None
            ):
                embedder.set_params(random_state=self.random_state)
            fit_embedder = check_memory(self.memory).cache(_fit_embedder)
            self.embedder_ = fit_embedder(embedder, X)
            self.n_features_in_ = self.embedder_.n_features_in_
        self.embedding_ = self._features(X, statistics)
        stage = EmbeddingClusterer(
            n_clusters=params["n_clusters"],
            clustering=params["clustering"],
            max_clusters=params["max_clusters"],
            n_extra_clusters=params["n_extra_clusters"],
            random_state=params["random_state"],
        )
        self.embedding_clusterer_ = stage.fit(self.embedding_, merge_features=statistics)
        self.labels_ = self.embedding_clusterer_.labels_
        self.n_clusters_ = self.embedding_clusterer_.n_clusters_
        self.n_groups_ = self.embedding_clusterer_.n_groups_
        self.k_scores_ = self.embedding_clusterer_.k_scores_
        self.cluster_centers_ = self.embedding_clusterer_.cluster_centers_
        self.clustering_ = self.embedding_clusterer_.clustering_
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

    def predict(self, X):
        """Assign new sequences to the learned clusters.

        Uses the clustering estimator's ``predict`` when it has one, else the
        nearest cluster centre in the embedding.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "labels_")
        statistics = None
        if self.features != "states":  # the learned states alone need no statistics
            data, lengths = check_sequences(X, min_length=1, n_features=self.n_features_in_)
            statistics = self._statistics_.transform(data, lengths)
        return self.embedding_clusterer_.predict(self._features(X, statistics))

    def _features(self, X, statistics):
        """What is clustered (``features``), given X's standardised posture statistics."""
        if self.features == "statistics":
            return statistics
        states = self.embedder_.transform(X)
        if self.features == "states":
            return states
        return _joined_views(states, statistics, self.states_weight)
