"""
Choosing the hidden size and the number of clusters
===================================================

:class:`~skseq2seq.Seq2SeqClusterer` is a scikit-learn clusterer, so
:class:`~sklearn.model_selection.GridSearchCV` can search the embedder's
parameters (``embedder__<name>``) together with ``n_clusters``. With
``memory=``, the trained embedder is cached per embedder setting and fold,
so the values of ``n_clusters`` reuse one network instead of training it
again. Here the labels score the search (adjusted Rand index on the held-out
fold); without labels, score with an internal criterion such as the
silhouette (see the :doc:`user guide </user_guide>`).
"""

# %%
import tempfile
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import GridSearchCV

from skseq2seq import Seq2SeqClusterer, Seq2SeqEmbedder
from skseq2seq.datasets import make_motion_sequences

X, y = make_motion_sequences(
    n_sequences=200, n_timesteps=40, n_features=6, n_regimes=4, random_state=0
)
cache = tempfile.mkdtemp(prefix="skseq2seq-cache-")
search = GridSearchCV(
    Seq2SeqClusterer(
        embedder=Seq2SeqEmbedder(max_epochs=30, lr=1e-2, batch_size=16, random_state=0),
        memory=cache,
        features="states",  # dynamics-only regimes: the learned states alone
        random_state=0,
    ),
    {"embedder__hidden_size": [4, 32], "n_clusters": [2, 3, 4, 5, 6]},
    scoring="adjusted_rand_score",
    cv=2,
)
start = time.perf_counter()
search.fit(X, y)
print(
    f"{len(search.cv_results_['params']) * 2} fits in {time.perf_counter() - start:.0f} s "
    f"(2 hidden sizes x 2 folds = 4 networks trained)"
)
print("best:", search.best_params_, f"ARI = {search.best_score_:.2f}")

# %%
# Mean held-out ARI for every pair. With a 32-unit state, the true number of
# regimes (4) scores best, and splitting a regime costs less than merging
# two; a 4-unit state cannot hold the dynamics, whatever the number of
# clusters. Each network is trained on one fold (100 sequences) with small
# batches, so that it gets enough gradient steps.
hidden_sizes = search.param_grid["embedder__hidden_size"]
ks = search.param_grid["n_clusters"]
scores = search.cv_results_["mean_test_score"].reshape(len(hidden_sizes), len(ks))
fig, ax = plt.subplots(figsize=(5.5, 2.8))
image = ax.imshow(scores, cmap="viridis", vmin=0, vmax=1)
ax.set_xticks(range(len(ks)), ks)
ax.set_yticks(range(len(hidden_sizes)), hidden_sizes)
ax.set_xlabel("n_clusters")
ax.set_ylabel("hidden_size")
for (i, j), value in np.ndenumerate(scores):
    ax.text(j, i, f"{value:.2f}", ha="center", va="center", color="w" if value < 0.6 else "k")
fig.colorbar(image, label="mean held-out ARI")
fig.tight_layout()
