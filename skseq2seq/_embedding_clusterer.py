"""EmbeddingClusterer: the clustering stage, on a given embedding."""

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, clone
from sklearn.cluster import AgglomerativeClustering, KMeans, SpectralClustering
from sklearn.metrics import pairwise_distances_argmin, silhouette_score
from sklearn.neighbors import kneighbors_graph
from sklearn.preprocessing import normalize
from sklearn.utils import check_random_state
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from ._numbering import canonical_numbering, renumber
from ._sklearn_compat import HasMethods, Interval, StrOptions, fit_context
from ._stats import class_means
from ._validation import python_scalars

__all__ = ["EmbeddingClusterer"]

# Neighbours in the graph of clustering="spectral": 10 clustered best among the
# sizes compared by benchmarks/bench_quality_study.py.
_N_NEIGHBORS = 10


def check_n_clusters(n_clusters, clustering, n_samples):
    """Raise for a clustering setting that cannot run on ``n_samples`` samples.

    Shared with :class:`Seq2SeqClusterer`, which calls it before training
    its network, so that these errors do not wait for the training to end.
    """
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


def _neighbor_graph(prepared):
    """The symmetrised k-nearest-neighbour connectivity graph that spectral clustering cuts.

    Built as ``SpectralClustering(affinity="nearest_neighbors")`` builds it
    (on float64 data, the point itself among its neighbours), so that the
    eigengaps and the clustering share one graph.
    """
    n_neighbors = max(1, min(_N_NEIGHBORS, len(prepared) - 1))
    graph = kneighbors_graph(np.asarray(prepared, dtype=np.float64), n_neighbors, include_self=True)
    return 0.5 * (graph + graph.T)


def _eigengaps(graph, k_max):
    """{k: gap between the k-th and (k+1)-th smallest normalised-Laplacian eigenvalues}.

    k well-separated groups of the graph give k near-zero eigenvalues, then a
    jump.
    """
    from scipy.sparse import identity
    from scipy.sparse.csgraph import laplacian
    from scipy.sparse.linalg import eigsh

    n_samples = graph.shape[0]
    lap = laplacian(graph, normed=True)
    n_eig = min(k_max + 1, n_samples)
    if n_samples <= 500 or n_eig >= n_samples - 1:
        values = np.linalg.eigvalsh(lap.toarray())[:n_eig]
    else:  # largest of I - L = smallest of L; converges fast
        top = eigsh(
            identity(n_samples) - lap,
            k=n_eig,
            which="LA",
            v0=np.ones(n_samples),
            return_eigenvectors=False,
        )
        values = np.sort(1.0 - top)
    gaps = np.diff(values)
    return {k: float(gaps[k - 1]) for k in range(2, len(values))}


def _merge_groups(groups, features, n_clusters):
    """Merge groups into n_clusters by average linkage of their mean features."""
    _, centers = class_means(features, groups)
    merged = AgglomerativeClustering(n_clusters, linkage="average").fit_predict(centers)
    return merged[np.unique(groups, return_inverse=True)[1]]


class EmbeddingClusterer(ClusterMixin, BaseEstimator):
    """Cluster an embedding, choosing k and merging surplus groups if asked.

    The clustering stage of :class:`Seq2SeqClusterer`, usable on its own: on
    any ``(n_samples, n_embedding)`` embedding, e.g. the output of
    :class:`Seq2SeqEmbedder` in a :class:`~sklearn.pipeline.Pipeline`, or an
    embedding computed once and clustered several ways.

    Parameters
    ----------
    n_clusters : int or "auto", default=8
        Number of clusters (ignored by a ``clustering`` instance that does not
        take one). ``"auto"`` picks k in ``2..max_clusters``: for
        ``clustering="spectral"``, the eigengap heuristic (k before the largest
        gap between consecutive smallest eigenvalues of the normalised
        Laplacian of the 10-nearest-neighbour graph that is then cut); for the
        other clusterings, the k of highest mean silhouette (cosine distance
        for ``"agglomerative"``, Euclidean otherwise; on at most 2,000
        samples). See ``n_clusters_`` and ``k_scores_``.
    clustering : {"spectral", "kmeans", "agglomerative"} or estimator, default="spectral"
        ``"spectral"``: spectral clustering of the L2-normalised embedding's
        symmetrised 10-nearest-neighbour connectivity graph (``cluster_qr``
        labels, deterministic). ``"kmeans"``: k-means (10 inits).
        ``"agglomerative"``: average linkage with cosine distance, as in Su &
        Shlizerman. Any scikit-learn clusterer instance is cloned, given
        ``n_clusters`` when it has that parameter and ``random_state`` when it
        has that parameter set to None, and fitted on the embedding as given.
    max_clusters : int, default=10
        Largest k tried by ``n_clusters="auto"`` (capped at n_samples - 1).
    n_extra_clusters : int, default=2
        With ``clustering="spectral"`` and an integer ``n_clusters``: if the
        eigengap of the neighbour graph is largest at some k in
        ``n_clusters + 1 .. n_clusters + n_extra_clusters`` (the graph holds
        more near-separate groups than asked for, e.g. the windows of single
        recordings), spectral clustering cuts that many groups and the surplus
        ones are merged by average linkage of the groups' mean
        ``merge_features`` (see :meth:`fit`), instead of leaving the choice to
        the eigenvectors. ``n_groups_`` tells how many groups were cut. 0 turns
        merging off.
    random_state : int, RandomState instance or None, default=None
        Seeds the clustering (spectral, k-means, the silhouette's subsample,
        and a ``clustering`` instance whose ``random_state`` is None).

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training sample. Clusters are numbered by first
        appearance (the first sample's cluster is 0, the next new one 1, ...),
        the same on every machine; :meth:`predict` numbers them the same way.
    n_clusters_ : int
        Number of clusters used: ``n_clusters``, the one chosen by
        ``n_clusters="auto"``, or the number of clusters a ``clustering``
        instance without an ``n_clusters`` parameter found.
    n_groups_ : int
        Number of groups the clustering cut before surplus groups were merged
        (see ``n_extra_clusters``); equal to ``n_clusters_`` when none were.
    k_scores_ : dict of {int: float}
        Score of each k tried by ``n_clusters="auto"`` (eigengap or mean
        silhouette, the higher the better); empty otherwise.
    cluster_centers_ : ndarray of shape (n_clusters_, n_embedding)
        Mean embedding of each cluster.
    clustering_ : estimator
        The fitted clustering estimator (for ``"spectral"``, a
        :class:`~sklearn.cluster.SpectralClustering` fitted on the
        precomputed neighbour graph; for a single sample, a one-cluster
        :class:`~sklearn.cluster.KMeans`). Its own ``labels_`` keep its
        numbering.
    n_features_in_ : int
        Number of embedding dimensions seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the embedding dimensions seen in :meth:`fit`, when ``X`` has
        string column names.

    See Also
    --------
    Seq2SeqClusterer : Trains a :class:`Seq2SeqEmbedder`, then clusters its
        embedding with this estimator.
    posture_statistics : The ``merge_features`` that :class:`Seq2SeqClusterer`
        uses.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq2seq import EmbeddingClusterer
    >>> rng = np.random.RandomState(0)
    >>> embedding = np.concatenate([rng.randn(20, 4) + 5 * rng.randn(4) for _ in range(3)])
    >>> clusterer = EmbeddingClusterer(n_clusters="auto", random_state=0).fit(embedding)
    >>> clusterer.n_clusters_
    3
    >>> clusterer.predict(embedding[:3])  # clusters are numbered by first appearance
    array([0, 0, 0])

    In a pipeline with the embedder, surplus groups are merged by the
    sequences' posture statistics, as :class:`Seq2SeqClusterer` does, when
    these are passed as a fit parameter:

    >>> from sklearn.pipeline import make_pipeline
    >>> from skseq2seq import Seq2SeqEmbedder, posture_statistics
    >>> from skseq2seq.datasets import make_motion_sequences
    >>> X, y = make_motion_sequences(n_sequences=60, n_timesteps=20, n_regimes=3,
    ...                              random_state=0)
    >>> pipeline = make_pipeline(
    ...     Seq2SeqEmbedder(hidden_size=16, max_epochs=3, random_state=0),
    ...     EmbeddingClusterer(n_clusters=3, random_state=0))
    >>> labels = pipeline.fit_predict(
    ...     X, embeddingclusterer__merge_features=posture_statistics(X))
    >>> labels.shape
    (60,)
    """

    _parameter_constraints = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "clustering": [
            StrOptions({"spectral", "kmeans", "agglomerative"}),
            HasMethods(["fit_predict"]),
        ],
        "max_clusters": [Interval(numbers.Integral, 2, None, closed="left")],
        "n_extra_clusters": [Interval(numbers.Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_clusters=8,
        *,
        clustering="spectral",
        max_clusters=10,
        n_extra_clusters=2,
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.clustering = clustering
        self.max_clusters = max_clusters
        self.n_extra_clusters = n_extra_clusters
        self.random_state = random_state

    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, merge_features=None):
        """Cluster the embedding X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_embedding)
            The embedding, one row per sample (float32 is kept).
        y : None
            Ignored.
        merge_features : array-like of shape (n_samples, n_merge_features), \
                callable or None, default=None
            The description by which surplus groups are merged (see
            ``n_extra_clusters``): average linkage of each group's mean
            feature vector. None merges by the embedding as clustered
            (L2-normalised for ``"spectral"`` and ``"agglomerative"``).
            :func:`posture_statistics` of the sequences embedded in X
            reproduces :class:`Seq2SeqClusterer`. A callable is called
            without arguments, and only when groups are merged, for
            features that are costly to compute.

        Returns
        -------
        self : EmbeddingClusterer
            The fitted estimator.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32])
        if merge_features is not None and not callable(merge_features):
            merge_features = self._check_merge_features(merge_features, X)
        params = python_scalars(self.get_params(deep=False))
        check_n_clusters(params["n_clusters"], params["clustering"], len(X))
        prepared = self._prepare(X)
        # One neighbour graph for the eigengaps and the spectral clustering.
        one_sample = self._builtin is not None and len(X) == 1
        graph = (
            _neighbor_graph(prepared) if self._builtin == "spectral" and not one_sample else None
        )
        self.k_scores_ = {}
        if params["n_clusters"] == "auto":
            self.n_clusters_ = self._choose_n_clusters(prepared, graph)
        else:
            self.n_clusters_ = int(params["n_clusters"])
        self.n_groups_ = self._count_groups(graph)
        self.clustering_ = self._make_clustering(self.n_groups_)
        if one_sample:  # one cluster; spectral and agglomerative clustering need two samples
            self.clustering_ = KMeans(1, n_init=1)
        with warnings.catch_warnings():
            # Well-separated groups make the k-NN graph disconnected: its
            # components are then the clusters, not a problem to warn about.
            warnings.filterwarnings("ignore", "Graph is not fully connected", UserWarning)
            # A clustering instance given as many samples as embedding dimensions.
            warnings.filterwarnings("ignore", "The spectral clustering API has changed")
            self.labels_ = self.clustering_.fit_predict(prepared if graph is None else graph)
        if "n_clusters" not in self.clustering_.get_params():  # the estimator chose
            self.n_clusters_ = self.n_groups_ = len(np.unique(self.labels_))
        if self.n_groups_ > self.n_clusters_:
            if merge_features is None:
                merge_features = prepared
            elif callable(merge_features):
                merge_features = self._check_merge_features(merge_features(), X)
            self.labels_ = _merge_groups(self.labels_, merge_features, self.n_clusters_)
        # Clusters numbered by first appearance, not by the solver: the same on every machine.
        self._numbering = canonical_numbering(self.labels_, self.n_clusters_)
        self.labels_ = renumber(self.labels_, self._numbering)
        _, self.cluster_centers_ = class_means(X, self.labels_)
        # predict compares with the clustered (prepared) embedding's centres.
        self._classes, self._prepared_centers = class_means(prepared, self.labels_)
        return self

    def fit_predict(self, X, y=None, merge_features=None):
        """Cluster the embedding X and return the cluster of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_embedding)
            The embedding.
        y : None
            Ignored.
        merge_features : array-like of shape (n_samples, n_merge_features), \
                callable or None, default=None
            See :meth:`fit`.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Cluster of each sample.
        """
        return self.fit(X, merge_features=merge_features).labels_

    def predict(self, X):
        """Assign new samples of the embedding to the learned clusters.

        Uses the clustering estimator's ``predict`` when it has one, else the
        nearest cluster centre of the clustered embedding (cosine for
        ``"spectral"`` and ``"agglomerative"``, which cluster L2-normalised
        rows).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_embedding)
            The embedding of new samples.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Cluster of each sample.
        """
        check_is_fitted(self)
        prepared = self._prepare(
            validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        )
        if hasattr(self.clustering_, "predict"):
            return renumber(self.clustering_.predict(prepared), self._numbering)
        return self._classes[pairwise_distances_argmin(prepared, self._prepared_centers)]

    @property
    def _builtin(self):
        """The name of a built-in clustering, else None."""
        return self.clustering if isinstance(self.clustering, str) else None

    def _prepare(self, X):
        # Cosine clustering compares directions: nearest centroid must too.
        return normalize(X) if self._builtin in ("agglomerative", "spectral") else X

    def _check_merge_features(self, merge_features, X):
        merge_features = check_array(merge_features, input_name="merge_features")
        check_consistent_length(X, merge_features)
        return merge_features

    def _count_groups(self, graph):
        """Groups for spectral clustering to cut: n_clusters_, or more if the eigengap says so.

        Windows of one recording are near-duplicates, so the neighbour graph of
        real data often has a few more near-separate groups than classes; which
        of them spectral clustering would join is then arbitrary.
        """
        if (
            self._builtin != "spectral"
            or self.n_clusters == "auto"
            or self.n_extra_clusters == 0
            or self.n_clusters_ < 2
        ):
            return self.n_clusters_
        k_max = min(self.n_clusters_ + self.n_extra_clusters, graph.shape[0] - 2)
        gaps = _eigengaps(graph, k_max)
        candidates = [k for k in range(self.n_clusters_, k_max + 1) if k in gaps]
        # max() keeps the first of equal gaps: no surplus unless it is clearer.
        return max(candidates, key=gaps.get, default=self.n_clusters_)

    def _choose_n_clusters(self, prepared, graph):
        """k in 2..max_clusters (eigengap or silhouette); 1 if fewer than 3 samples."""
        n_samples = len(prepared)
        k_max = min(self.max_clusters, n_samples - 1)
        if n_samples < 3:
            return 1
        if self._builtin == "spectral":
            self.k_scores_ = _eigengaps(graph, k_max)
        else:
            metric = "cosine" if self._builtin == "agglomerative" else "euclidean"
            seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
            for k in range(2, k_max + 1):
                labels = self._make_clustering(k).fit_predict(prepared)
                if len(np.unique(labels)) < 2:
                    continue
                self.k_scores_[k] = float(
                    silhouette_score(
                        prepared,
                        labels,
                        metric=metric,
                        sample_size=min(n_samples, 2000),
                        random_state=seed,
                    )
                )
        if not self.k_scores_:
            return 1
        return max(self.k_scores_, key=self.k_scores_.get)

    def _make_clustering(self, n_clusters):
        if self._builtin == "kmeans":
            return KMeans(n_clusters, n_init=10, random_state=self.random_state)
        if self._builtin == "agglomerative":
            return AgglomerativeClustering(n_clusters, metric="cosine", linkage="average")
        if self._builtin == "spectral":
            return SpectralClustering(
                n_clusters,
                affinity="precomputed",
                assign_labels="cluster_qr",
                random_state=self.random_state,
            )
        clustering = clone(self.clustering)
        params = clustering.get_params()
        if "n_clusters" in params:
            clustering.set_params(n_clusters=n_clusters)
        if "random_state" in params and params["random_state"] is None:
            clustering.set_params(random_state=self.random_state)
        return clustering
