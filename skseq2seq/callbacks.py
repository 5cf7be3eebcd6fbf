"""skorch callbacks that watch the decoder-state embedding during training.

Su & Shlizerman (2020) observe that how well the decoder states cluster
tells how well training went, and that the best embedding need not come
from the epoch with the lowest loss. :class:`EmbeddingQuality` measures the
embedding every few epochs, records the scores in the net's history (so
they show in skorch's epoch table and in
:func:`skseq2seq.plotting.plot_training`) and can restore the weights of the
epoch whose embedding scored best.
"""

import numbers
import tempfile

import numpy as np
import torch
from sklearn.cluster import KMeans
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    normalized_mutual_info_score,
    silhouette_score,
)
from skorch.callbacks import Callback, Checkpoint

from ._net import SequenceBatches
from ._validation import check_sequences

__all__ = ["EmbeddingQuality"]

# name -> (needs labels, higher is better)
_METRICS = {
    "silhouette": (False, True),
    "calinski_harabasz": (False, True),
    "davies_bouldin": (False, False),
    "ari": (True, True),
    "nmi": (True, True),
}
_UNSUPERVISED_DEFAULT = ("silhouette", "calinski_harabasz")
_SUPERVISED_DEFAULT = ("ari", "nmi")


class EmbeddingQuality(Callback):
    """Score the decoder-state embedding every few epochs; keep the best weights.

    At the end of every ``every``-th epoch (and of the last one), the monitor
    sequences are embedded with the net being trained (exactly the embedding
    :meth:`Seq2SeqEmbedder.transform <skseq2seq.Seq2SeqEmbedder.transform>`
    returns: the net's embedder, ``net.embedder``, prepares them and its
    ``embedding`` and ``pooling`` choose the vector; a net without an
    embedder gives the mean decoder state of its raw inputs), clustered with
    k-means, and the scores
    below are written to the net's history under ``prefix + name``;
    ``prefix + name + "_best"`` marks a new best (strictly better than every
    earlier finite score, as skorch's ``EpochScoring`` marks its own), which
    skorch's epoch table highlights (``verbose=1``). Epochs that are not
    monitored record ``None`` (a blank cell).

    ======================== ======================================== ======
    name                     what it measures                         better
    ======================== ======================================== ======
    ``"silhouette"``         separation of the k-means clusters       higher
    ``"calinski_harabasz"``  between- / within-cluster dispersion     higher
    ``"davies_bouldin"``     mean similarity of each cluster to its   lower
                             closest one
    ``"ari"``                adjusted Rand index with ``y_monitor``   higher
    ``"nmi"``                normalized mutual information with       higher
                             ``y_monitor``
    ======================== ======================================== ======

    Scoring does not touch the random number generators used for training,
    so a net trained with this callback (without ``keep_best``) ends with the
    same weights as one trained without it.

    Parameters
    ----------
    X_monitor : array-like of shape (n_samples, n_timesteps, n_features), \
            list of arrays, or None, default=None
        Sequences to embed, in the units of the data given to ``fit``: the
        net's :class:`~skseq2seq.Seq2SeqEmbedder` standardises them as it
        does its inputs. None monitors the training sequences themselves
        (taken from the dataset skorch trains on; for a large training set,
        pass a subset here instead, as each check embeds the whole set).
    y_monitor : array-like of shape (n_samples,), default=None
        Classes of the monitor sequences, for ``"ari"`` and ``"nmi"``. Never
        used for training.
    every : int, default=1
        Score every ``every`` epochs (and always after the last epoch),
        counted within each ``fit`` (a ``warm_start`` fit continues the
        history and starts counting again).
    n_clusters : int, default=None
        Clusters for k-means; None means the number of classes in
        ``y_monitor`` (required when ``y_monitor`` is None).
    metrics : sequence of str, default=None
        Names from the table above. None means ``("silhouette",
        "calinski_harabasz")``, plus ``("ari", "nmi")`` when ``y_monitor`` is
        given.
    keep_best : str or None, default=None
        A name in ``metrics``: at the end of training, load the weights of the
        monitored epoch with the best value of that score instead of the last
        epoch's. This is skorch's ``Checkpoint(monitor=prefix + keep_best +
        "_best", load_best=True)``, saving the module's parameters only, to a
        temporary directory removed after training.
    prefix : str, default=""
        Prepended to the history keys, e.g. ``"valid_"`` to tell a held-out
        monitor set from the training set when using two callbacks.
    sample_size : int or None, default=2000
        Silhouette is computed on at most this many random samples (it costs
        quadratic time); None uses all.
    random_state : int, default=0
        Seeds k-means and the silhouette subsample.

    Attributes
    ----------
    best_epoch_ : int or None
        Epoch with the best ``keep_best`` score, whose weights were loaded
        (None without ``keep_best``, before training, or when no score was
        finite).
    best_score_ : float or None
        That score.
    scores_ : list of dict
        ``{"epoch": e, name: value, ...}`` for every monitored epoch.

    See Also
    --------
    skseq2seq.plotting.plot_training : Plots loss and these scores per epoch.

    Examples
    --------
    >>> from skseq2seq import Seq2SeqEmbedder
    >>> from skseq2seq.callbacks import EmbeddingQuality
    >>> from skseq2seq.datasets import make_motion_sequences
    >>> X, y = make_motion_sequences(n_sequences=40, n_timesteps=20, n_regimes=2,
    ...                              random_state=0)
    >>> embedder = Seq2SeqEmbedder(
    ...     hidden_size=8, max_epochs=3, random_state=0,
    ...     callbacks=[EmbeddingQuality(X, y, keep_best="silhouette")]).fit(X)
    >>> len(embedder.history_[:, "silhouette"])
    3

    The weights are those of the last epoch marked best:

    >>> best_epoch = [row["epoch"] for row in embedder.history_ if row["silhouette_best"]][-1]
    >>> best_epoch in (1, 2, 3)
    True
    """

    def __init__(
        self,
        X_monitor=None,
        y_monitor=None,
        every=1,
        n_clusters=None,
        metrics=None,
        keep_best=None,
        prefix="",
        sample_size=2000,
        random_state=0,
    ):
        self.X_monitor = X_monitor
        self.y_monitor = y_monitor
        self.every = every
        self.n_clusters = n_clusters
        self.metrics = metrics
        self.keep_best = keep_best
        self.prefix = prefix
        self.sample_size = sample_size
        self.random_state = random_state

    def initialize(self):
        self.best_epoch_ = None
        self.best_score_ = None
        self.scores_ = []
        return self

    # -- validation --------------------------------------------------------

    def _check_params(self):
        if (
            not isinstance(self.every, numbers.Integral)
            or isinstance(self.every, bool)
            or self.every < 1
        ):
            raise ValueError(f"every must be a positive integer; got {self.every!r}.")
        y = None if self.y_monitor is None else np.asarray(self.y_monitor)
        if y is not None and y.ndim != 1:
            raise ValueError(f"y_monitor must be 1D; got shape {y.shape}.")
        if self.metrics is None:
            metrics = _UNSUPERVISED_DEFAULT + (_SUPERVISED_DEFAULT if y is not None else ())
        else:
            metrics = (self.metrics,) if isinstance(self.metrics, str) else tuple(self.metrics)
            if not metrics:
                raise ValueError("metrics must name at least one score.")
        unknown = [m for m in metrics if m not in _METRICS]
        if unknown:
            raise ValueError(f"Unknown metric(s) {unknown}; choose from {sorted(_METRICS)}.")
        supervised = [m for m in metrics if _METRICS[m][0]]
        if supervised and y is None:
            raise ValueError(f"Metric(s) {supervised} compare with classes: pass y_monitor.")
        if self.keep_best is not None and self.keep_best not in metrics:
            raise ValueError(
                f"keep_best={self.keep_best!r} must be one of the monitored metrics "
                f"{list(metrics)}."
            )
        n_clusters = self.n_clusters
        if n_clusters is None:
            if y is None:
                raise ValueError("n_clusters is required when y_monitor is None.")
            n_clusters = len(np.unique(y))
        if (
            not isinstance(n_clusters, numbers.Integral)
            or isinstance(n_clusters, bool)
            or n_clusters < 2
        ):
            raise ValueError(f"n_clusters must be an integer >= 2; got {n_clusters!r}.")
        return metrics, y, int(n_clusters)

    def _monitor_set(self, net, dataset):
        """The monitor sequences as the net reads them; None when the embedder prepares them."""
        if self.X_monitor is None:
            if not isinstance(dataset, SequenceBatches):
                raise ValueError(
                    "EmbeddingQuality(X_monitor=None) monitors the training data and "
                    "needs the SequenceBatches dataset Seq2SeqEmbedder trains on; "
                    f"got {type(dataset).__name__}. Pass X_monitor."
                )
            return dataset
        if getattr(net, "embedder", None) is not None:
            return None
        data, lengths = check_sequences(self.X_monitor, min_length=2)  # a net on its own: raw
        X = torch.from_numpy(np.ascontiguousarray(data, dtype=np.float32))
        return SequenceBatches(X, torch.from_numpy(lengths))

    def _checkpoint(self, dirname):
        """skorch's Checkpoint of the module's parameters at each new best ``keep_best``."""
        return Checkpoint(
            monitor=self.prefix + self.keep_best + "_best",
            f_params="params.pt",
            f_optimizer=None,
            f_criterion=None,
            f_history=None,
            dirname=dirname,
            event_name=None,
            load_best=True,
        ).initialize()

    # -- skorch hooks ------------------------------------------------------

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.initialize()
        # Epochs of earlier fits (warm_start) stay in the history: the last
        # epoch of this fit is counted from here.
        self.first_epoch_ = len(net.history)
        self.metrics_, y_monitor, self.n_clusters_ = self._check_params()
        self.monitor_ = self._monitor_set(net, X)
        if self.monitor_ is None:  # checked (channels, lengths, values) as transform checks them
            n_samples = len(net.embedder.transform(self.X_monitor))
        else:
            n_samples = len(self.monitor_)
        if y_monitor is not None and len(y_monitor) != n_samples:
            raise ValueError(
                f"y_monitor has {len(y_monitor)} labels for {n_samples} monitor sequences."
            )
        if n_samples <= self.n_clusters_:
            raise ValueError(
                f"The monitor set has {n_samples} sequences; need more than "
                f"n_clusters={self.n_clusters_}."
            )
        self.y_monitor_ = y_monitor
        self.checkpoint_dir_ = self.checkpoint_ = None
        if self.keep_best is not None:
            self.checkpoint_dir_ = tempfile.TemporaryDirectory(prefix="skseq2seq-best-")
            self.checkpoint_ = self._checkpoint(self.checkpoint_dir_.name)

    def on_epoch_end(self, net, **kwargs):
        epoch = len(net.history)
        epoch_of_fit = epoch - self.first_epoch_
        monitored = epoch_of_fit % self.every == 0 or epoch_of_fit == net.max_epochs
        if not monitored:
            for name in self.metrics_:
                net.history.record(self.prefix + name, None)
                net.history.record(self.prefix + name + "_best", False)
            return
        scores = self._score(self._embed(net))
        self.scores_.append({"epoch": epoch, **scores})
        for name, value in scores.items():
            higher = _METRICS[name][1]
            previous = [s[name] for s in self.scores_[:-1] if np.isfinite(s[name])]
            best = np.isfinite(value) and (
                not previous or (value > max(previous) if higher else value < min(previous))
            )
            net.history.record(self.prefix + name, value)
            net.history.record(self.prefix + name + "_best", bool(best))
            if name == self.keep_best and best:
                self.best_epoch_, self.best_score_ = epoch, value
        if self.checkpoint_ is not None:
            self.checkpoint_.on_epoch_end(net)  # saves when the keep_best key is marked best

    def on_train_end(self, net, **kwargs):
        self.monitor_ = None  # do not keep the monitor tensors alive
        if self.checkpoint_dir_ is None:
            return
        try:
            if self.best_epoch_ is not None:
                self.checkpoint_.on_train_end(net)  # loads the best epoch's parameters
        finally:
            self.checkpoint_dir_.cleanup()
            self.checkpoint_dir_ = self.checkpoint_ = None

    # -- scoring -----------------------------------------------------------

    def _embed(self, net):
        """The monitor set's embedding, through the net's one inference engine.

        With an embedder and ``X_monitor``: its ``transform``. Otherwise the
        prepared monitor set, pooled as the embedder pools (a net on its
        own: the mean decoder state).
        """
        embedder = getattr(net, "embedder", None)
        if self.monitor_ is None:
            return embedder.transform(self.X_monitor).astype(np.float64)
        kind = {"embedding": "decoder", "pooling": "mean"}
        if embedder is not None:
            kind = {"embedding": embedder.embedding, "pooling": embedder.pooling}
        return net.infer_sequences(self.monitor_, **kind).embedding.astype(np.float64)

    def _score(self, embedding):
        if not np.all(np.isfinite(embedding)):
            return {name: float("nan") for name in self.metrics_}
        labels = KMeans(
            n_clusters=self.n_clusters_, n_init=4, random_state=self.random_state
        ).fit_predict(embedding)
        scores = {}
        for name in self.metrics_:
            if name == "ari":
                scores[name] = adjusted_rand_score(self.y_monitor_, labels)
            elif name == "nmi":
                scores[name] = normalized_mutual_info_score(self.y_monitor_, labels)
            elif len(np.unique(labels)) < 2:  # degenerate embedding: one cluster
                scores[name] = float("nan")
            elif name == "silhouette":
                sample_size = self.sample_size
                if sample_size is not None and sample_size >= len(embedding):
                    sample_size = None
                scores[name] = silhouette_score(
                    embedding, labels, sample_size=sample_size, random_state=self.random_state
                )
            elif name == "calinski_harabasz":
                scores[name] = calinski_harabasz_score(embedding, labels)
            else:
                scores[name] = davies_bouldin_score(embedding, labels)
        return {name: float(value) for name, value in scores.items()}
