"""Seq2SeqClusterer: clustering in the decoder-state embedding."""

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, _fit_context, clone
from sklearn.cluster import AgglomerativeClustering, KMeans, SpectralClustering
from sklearn.metrics import pairwise_distances_argmin, silhouette_score
from sklearn.preprocessing import StandardScaler, normalize
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, check_memory

from ._embedder import Seq2SeqEmbedder
from ._net import batch_bounds
from ._validation import check_sequences, python_scalars

__all__ = ["Seq2SeqClusterer"]

# Neighbours in the graph of clustering="spectral": 10 was best across the
# datasets of benchmarks/results/quality_study.md (table D).
_N_NEIGHBORS = 10


def _n_neighbors(n_samples):
    return max(1, min(_N_NEIGHBORS, n_samples - 1))


def default_embedder():
    """The embedder ``Seq2SeqClusterer(embedder=None)`` trains.

    Chosen by ``benchmarks/bench_quality_study.py`` (results in
    ``benchmarks/results/quality_study.md``): Predict & Cluster's
    ``fixed_state`` decoder, frames plus their differences as input, and the
    pooled decoder states joined with the encoder's final state.

    Returns
    -------
    embedder : Seq2SeqEmbedder
    """
    return Seq2SeqEmbedder(decoder_strategy="fixed_state", with_velocity=True, embedding="both")


def _eigengaps(embedding, k_max):
    """{k: gap between the k-th and (k+1)-th smallest normalised-Laplacian eigenvalues}.

    The graph is the symmetrised 10-nearest-neighbour graph that
    ``clustering="spectral"`` cuts; k well-separated groups give k near-zero
    eigenvalues, then a jump.
    """
    from scipy.sparse import identity
    from scipy.sparse.csgraph import laplacian
    from scipy.sparse.linalg import eigsh
    from sklearn.neighbors import kneighbors_graph

    n_samples = len(embedding)
    graph = kneighbors_graph(embedding, _n_neighbors(n_samples), include_self=True)
    graph = 0.5 * (graph + graph.T)
    lap = laplacian(graph, normed=True)
    n_eig = min(k_max + 1, n_samples)
    if n_samples <= 500 or n_eig >= n_samples - 1:
        values = np.linalg.eigvalsh(lap.toarray())[:n_eig]
    else:  # largest of I - L = smallest of L; converges fast
        top = eigsh(identity(n_samples) - lap, k=n_eig, which="LA",
                    v0=np.ones(n_samples), return_eigenvectors=False)
        values = np.sort(1.0 - top)
    gaps = np.diff(values)
    return {k: float(gaps[k - 1]) for k in range(2, len(values))}


def _posture_statistics(X):
    """Mean and standard deviation of each channel over each sequence's frames, standardised.

    Summaries of where a sequence's channels sit and how much they move: the
    coarse descriptor by which surplus spectral groups are merged.
    """
    data, lengths = check_sequences(X, min_length=1)
    steps = np.arange(data.shape[1])
    stats = []
    for start, stop in batch_bounds(len(data)):  # bounded float64 copies
        chunk = data[start:stop].astype(np.float64)
        mask = (steps[None, :] < lengths[start:stop, None])[:, :, None]
        n = lengths[start:stop, None]
        mean = chunk.sum(1) / n  # zero padding adds nothing
        var = (((chunk - mean[:, None]) * mask) ** 2).sum(1) / n
        stats.append(np.hstack([mean, np.sqrt(var)]))
    return StandardScaler().fit_transform(np.vstack(stats))


def _merge_groups(groups, features, n_clusters):
    """Merge groups into n_clusters by average linkage of their mean features."""
    _, centers = _centroids(features, groups)
    merged = AgglomerativeClustering(n_clusters, linkage="average").fit_predict(centers)
    return merged[np.unique(groups, return_inverse=True)[1]]


def _centroids(embedding, labels):
    """(classes, mean embedding of each class)."""
    classes = np.unique(labels)
    return classes, np.stack([embedding[labels == k].mean(0) for k in classes])


def _fit_embedder(embedder, X):
    """Module-level so joblib ``Memory`` can cache it by (embedder params, X)."""
    return embedder.fit(X)


class Seq2SeqClusterer(ClusterMixin, BaseEstimator):
    """Cluster sequences by the dynamics a seq2seq GRU learned from them.

    Trains a :class:`Seq2SeqEmbedder` on ``X`` (no labels), embeds every
    sequence and clusters the embedding.

    Parameters
    ----------
    n_clusters : int or "auto", default=8
        Number of clusters (ignored by a ``clustering`` instance that does not
        take one). ``"auto"`` picks k in ``2..max_clusters`` from the
        embedding: for ``clustering="spectral"``, the eigengap heuristic (k
        before the largest gap between consecutive smallest eigenvalues of the
        normalised Laplacian of the same 10-nearest-neighbour graph); for the
        other clusterings, the k of highest mean silhouette (cosine distance
        for ``"agglomerative"``, Euclidean otherwise; on at most 2,000
        samples). See ``n_clusters_`` and ``k_scores_``.
    max_clusters : int, default=10
        Largest k tried by ``n_clusters="auto"`` (capped at n_samples - 1).
    embedder : Seq2SeqEmbedder, default=None
        The embedder to train (cloned); None means
        ``Seq2SeqEmbedder(decoder_strategy="fixed_state", with_velocity=True,
        embedding="both")``, the setting that clustered real motion best in
        ``benchmarks/results/quality_study.md`` (the plain paper recipe is
        ``Seq2SeqEmbedder()``). Its parameters are searchable as
        ``embedder__<name>`` (setting one on ``embedder=None`` sets
        ``embedder`` to that default embedder with the parameter changed).
    clustering : {"spectral", "kmeans", "agglomerative"} or estimator, default="spectral"
        ``"spectral"``: spectral clustering of the L2-normalised embedding's
        10-nearest-neighbour graph (``cluster_qr`` labels, deterministic).
        ``"kmeans"``: k-means (10 inits). ``"agglomerative"``: average-linkage
        with cosine distance, as in Su & Shlizerman. Any sklearn clusterer
        instance is cloned and given ``n_clusters`` when it has that parameter.
    n_extra_clusters : int, default=2
        With ``clustering="spectral"`` and an integer ``n_clusters``: if the
        eigengap of the neighbour graph is largest at some k in
        ``n_clusters + 1 .. n_clusters + n_extra_clusters`` (the graph holds
        more near-separate groups than asked for, typically the windows of
        single recordings), spectral clustering cuts that many groups and the
        surplus ones are merged by average linkage of the sequences' posture
        statistics (per-channel mean and standard deviation over time,
        standardised), instead of leaving the choice to the eigenvectors.
        ``n_groups_`` tells how many groups were cut. 0 turns merging off.
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
    n_clusters_ : int
        Number of clusters used: ``n_clusters``, or the one chosen by
        ``n_clusters="auto"``.
    n_groups_ : int
        Number of groups the clustering cut before surplus groups were merged
        (see ``n_extra_clusters``); equal to ``n_clusters_`` when none were.
    k_scores_ : dict of {int: float}
        Score of each k tried by ``n_clusters="auto"`` (eigengap or mean
        silhouette, the higher the better); empty otherwise.

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
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "max_clusters": [Interval(numbers.Integral, 2, None, closed="left")],
        "n_extra_clusters": [Interval(numbers.Integral, 0, None, closed="left")],
        "embedder": [HasMethods(["fit", "transform"]), None],
        "clustering": [
            StrOptions({"spectral", "kmeans", "agglomerative"}), HasMethods(["fit_predict"]),
        ],
        "memory": [str, HasMethods(["cache"]), None],
        "random_state": ["random_state"],
    }

    def __init__(
        self, n_clusters=8, embedder=None, clustering="spectral", memory=None, random_state=None,
        max_clusters=10, n_extra_clusters=2,
    ):
        self.n_clusters = n_clusters
        self.max_clusters = max_clusters
        self.n_extra_clusters = n_extra_clusters
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
        params = python_scalars(self.get_params(deep=False))
        # Everything known before training is checked before training.
        n_samples = len(check_sequences(X, min_length=1)[1])
        self._check_n_clusters(n_samples, params)
        embedder = clone(self.embedder) if self.embedder is not None else default_embedder()
        if embedder.get_params().get("random_state", 0) is None and self.random_state is not None:
            embedder.set_params(random_state=self.random_state)
        fit_embedder = check_memory(self.memory).cache(_fit_embedder)
        self.embedder_ = fit_embedder(embedder, X)
        self.n_features_in_ = self.embedder_.n_features_in_
        self.embedding_ = self.embedder_.transform(X)
        self._cluster_embedding(self.embedding_, X)
        return self

    def _check_n_clusters(self, n_samples, params):
        """Errors that would otherwise surface only after training."""
        clustering, n_clusters = params["clustering"], params["n_clusters"]
        if isinstance(clustering, type):
            raise TypeError(
                f"clustering={clustering.__name__} is a class; pass an instance, e.g. "
                f"clustering={clustering.__name__}()."
            )
        if n_clusters == "auto":
            return
        if n_clusters > n_samples:
            raise ValueError(f"n_samples={n_samples} should be >= n_clusters={n_clusters}.")
        if clustering == "spectral" and 1 < n_clusters >= n_samples:
            raise ValueError(
                f"clustering='spectral' needs more sequences than clusters: n_samples="
                f"{n_samples}, n_clusters={n_clusters}. Pass fewer clusters or more sequences."
            )

    def get_params(self, deep=True):
        """Get parameters; with ``deep=True`` and ``embedder=None``, the default embedder's too.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of the embedder (as ``embedder__<name>``).

        Returns
        -------
        params : dict
        """
        params = super().get_params(deep=deep)
        if deep and self.embedder is None:
            # The default embedder is searchable as embedder__<name> too.
            for name, value in default_embedder().get_params(deep=True).items():
                params[f"embedder__{name}"] = value
        return params

    def set_params(self, **params):
        """Set parameters; ``embedder__<name>`` with ``embedder=None`` sets it on the default.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self : Seq2SeqClusterer
        """
        if self.embedder is None and "embedder" not in params \
                and any(key.startswith("embedder__") for key in params):
            self.embedder = default_embedder()
        return super().set_params(**params)

    def _cluster_embedding(self, embedding, X):
        """Cluster an embedding of X: sets n_clusters_, n_groups_, clustering_, labels_, centres."""
        prepared = self._prepare(embedding)
        self.k_scores_ = {}
        if self.n_clusters == "auto":
            self.n_clusters_ = self._choose_n_clusters(prepared)
        else:
            self._check_n_clusters(len(embedding), python_scalars(self.get_params(deep=False)))
            self.n_clusters_ = int(self.n_clusters)
        self.n_groups_ = self._count_groups(prepared)
        self.clustering_ = self._make_clustering(self.n_groups_, len(prepared))
        with warnings.catch_warnings():
            # Well-separated groups make the k-NN graph disconnected: its
            # components are then the clusters, not a problem to warn about.
            warnings.filterwarnings("ignore", "Graph is not fully connected", UserWarning)
            # As many samples as embedding dimensions: still samples, not an affinity.
            warnings.filterwarnings("ignore", "The spectral clustering API has changed")
            self.labels_ = self.clustering_.fit_predict(prepared)
        if "n_clusters" not in self.clustering_.get_params():  # the estimator chose
            self.n_clusters_ = self.n_groups_ = len(np.unique(self.labels_))
        if self.n_groups_ > self.n_clusters_:
            self.labels_ = _merge_groups(self.labels_, _posture_statistics(X), self.n_clusters_)
        _, self.cluster_centers_ = _centroids(embedding, self.labels_)
        return self

    def _count_groups(self, prepared):
        """Groups for spectral clustering to cut: n_clusters_, or more if the eigengap says so.

        Windows of one recording are near-duplicates, so the neighbour graph of
        real data often has a few more near-separate groups than classes; which
        of them spectral clustering would join is then arbitrary.
        """
        if (self.clustering != "spectral" or self.n_clusters == "auto"
                or self.n_extra_clusters == 0 or self.n_clusters_ < 2):
            return self.n_clusters_
        k_max = min(self.n_clusters_ + self.n_extra_clusters, len(prepared) - 2)
        gaps = _eigengaps(prepared, k_max)
        candidates = [k for k in range(self.n_clusters_, k_max + 1) if k in gaps]
        # max() keeps the first of equal gaps: no surplus unless it is clearer.
        return max(candidates, key=gaps.get, default=self.n_clusters_)

    def _choose_n_clusters(self, prepared):
        """k in 2..max_clusters (eigengap or silhouette); 1 if fewer than 3 samples."""
        n_samples = len(prepared)
        k_max = min(self.max_clusters, n_samples - 1)
        if n_samples < 3:
            return 1
        if self.clustering == "spectral":
            self.k_scores_ = _eigengaps(prepared, k_max)
        else:
            metric = "cosine" if self.clustering == "agglomerative" else "euclidean"
            seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
            for k in range(2, k_max + 1):
                labels = self._make_clustering(k, n_samples).fit_predict(prepared)
                if len(np.unique(labels)) < 2:
                    continue
                self.k_scores_[k] = float(silhouette_score(
                    prepared, labels, metric=metric, sample_size=min(n_samples, 2000),
                    random_state=seed,
                ))
        if not self.k_scores_:
            return 1
        return max(self.k_scores_, key=self.k_scores_.get)

    def _make_clustering(self, n_clusters, n_samples):
        if self.clustering == "kmeans":
            return KMeans(n_clusters, n_init=10, random_state=self.random_state)
        if self.clustering == "agglomerative":
            return AgglomerativeClustering(n_clusters, metric="cosine", linkage="average")
        if self.clustering == "spectral":
            return SpectralClustering(
                n_clusters, affinity="nearest_neighbors",
                n_neighbors=_n_neighbors(n_samples),
                assign_labels="cluster_qr", random_state=self.random_state,
            )
        clustering = clone(self.clustering)
        params = clustering.get_params()
        if "n_clusters" in params:
            clustering.set_params(n_clusters=n_clusters)
        if "random_state" in params and params["random_state"] is None:
            clustering.set_params(random_state=self.random_state)
        return clustering

    def _prepare(self, embedding):
        # Cosine clustering compares directions: nearest centroid must too.
        cosine = isinstance(self.clustering, str) and self.clustering in ("agglomerative", "spectral")
        return normalize(embedding) if cosine else embedding

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
        classes, centers = _centroids(self._prepare(self.embedding_), self.labels_)
        return classes[pairwise_distances_argmin(embedding, centers)]
