"""Seq2SeqClusterer: clustering in the decoder-state embedding."""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, _fit_context, clone
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.neighbors import NearestCentroid
from sklearn.preprocessing import normalize
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, check_memory

from ._embedder import Seq2SeqEmbedder

__all__ = ["Seq2SeqClusterer"]


def _fit_embedder(embedder, X):
    """Module-level so joblib ``Memory`` can cache it by (embedder params, X)."""
    return embedder.fit(X)


class Seq2SeqClusterer(ClusterMixin, BaseEstimator):
    """Cluster sequences by the dynamics a seq2seq GRU learned from them.

    Trains a :class:`Seq2SeqEmbedder` on ``X`` (no labels), embeds every
    sequence and clusters the embedding.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters (ignored by a ``clustering`` instance that does not
        take one).
    embedder : Seq2SeqEmbedder, default=None
        The embedder to train (cloned); None means ``Seq2SeqEmbedder()``.
        Its parameters are searchable as ``embedder__<name>``.
    clustering : {"kmeans", "agglomerative"} or estimator, default="kmeans"
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

    Attributes
    ----------
    embedder_ : Seq2SeqEmbedder
        The trained embedder.
    clustering_ : estimator
        The fitted clustering estimator.
    embedding_ : ndarray of shape (n_samples, n_embedding)
        Embedding of the training sequences.
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training sequence.
    cluster_centers_ : ndarray of shape (n_clusters, n_embedding)
        Mean embedding of each cluster, used by :meth:`predict` when the
        clustering estimator has no ``predict``.
    n_features_in_ : int
        Channels per time step seen in ``fit``.

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
    """

    _parameter_constraints = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left")],
        "embedder": [HasMethods(["fit", "transform"]), None],
        "clustering": [StrOptions({"kmeans", "agglomerative"}), HasMethods(["fit"])],
        "memory": [str, HasMethods(["cache"]), None],
        "random_state": ["random_state"],
    }

    def __init__(
        self, n_clusters=8, embedder=None, clustering="kmeans", memory=None, random_state=None
    ):
        self.n_clusters = n_clusters
        self.embedder = embedder
        self.clustering = clustering
        self.memory = memory
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
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
        embedder = clone(self.embedder) if self.embedder is not None else Seq2SeqEmbedder()
        if embedder.get_params().get("random_state", 0) is None and self.random_state is not None:
            embedder.set_params(random_state=self.random_state)
        fit_embedder = check_memory(self.memory).cache(_fit_embedder)
        self.embedder_ = fit_embedder(embedder, X)
        self.n_features_in_ = self.embedder_.n_features_in_
        self.embedding_ = self.embedder_.transform(X)
        if len(self.embedding_) < self.n_clusters:
            raise ValueError(
                f"n_samples={len(self.embedding_)} should be >= n_clusters={self.n_clusters}."
            )
        self.clustering_ = self._make_clustering()
        self.labels_ = self.clustering_.fit_predict(self._prepare(self.embedding_))
        self.cluster_centers_ = np.stack(
            [self.embedding_[self.labels_ == k].mean(0) for k in np.unique(self.labels_)]
        )
        return self

    def _make_clustering(self):
        if self.clustering == "kmeans":
            return KMeans(self.n_clusters, n_init=10, random_state=self.random_state)
        if self.clustering == "agglomerative":
            return AgglomerativeClustering(self.n_clusters, metric="cosine", linkage="average")
        clustering = clone(self.clustering)
        params = clustering.get_params()
        if "n_clusters" in params:
            clustering.set_params(n_clusters=self.n_clusters)
        if "random_state" in params and params["random_state"] is None:
            clustering.set_params(random_state=self.random_state)
        return clustering

    def _prepare(self, embedding):
        # Cosine clustering compares directions: nearest centroid must too.
        return normalize(embedding) if self.clustering == "agglomerative" else embedding

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
        embedding = self._prepare(self.embedder_.transform(X))
        if hasattr(self.clustering_, "predict"):
            return self.clustering_.predict(embedding)
        centroids = NearestCentroid().fit(self._prepare(self.embedding_), self.labels_)
        return centroids.predict(embedding)
