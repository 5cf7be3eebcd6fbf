"""Scale-out on Dask: grid search on a local cluster, embedding dask arrays.

Skipped when dask.distributed is not installed (``pip install skseq2seq[dask]``).
"""

import numpy as np
import pytest

pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

import dask.array as da  # noqa: E402
import joblib  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold  # noqa: E402

from skseq2seq import Seq2SeqClusterer, Seq2SeqEmbedder  # noqa: E402
from skseq2seq.datasets import make_motion_sequences  # noqa: E402


@pytest.fixture(scope="module")
def data():
    return make_motion_sequences(
        n_sequences=36, n_timesteps=12, n_features=2, n_regimes=3, random_state=0
    )


@pytest.fixture(scope="module")
def client():
    """Two single-threaded workers on the loopback interface, in this process.

    Thread workers start in about a second and need no pickling of the test
    module; fits are reproducible in threads (the estimators seed under a lock).
    """
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _search():
    embedder = Seq2SeqEmbedder(hidden_size=4, max_epochs=2, batch_size=12, device="cpu")
    return GridSearchCV(
        Seq2SeqClusterer(embedder=embedder, random_state=0),
        {"n_clusters": [2, 3], "embedder__hidden_size": [4, 6]},
        scoring="adjusted_rand_score",
        cv=KFold(2, shuffle=True, random_state=0),
    )


@pytest.mark.slow
def test_grid_search_on_dask_equals_sequential(data, client):
    X, y = data
    sequential = _search().fit(X, y)
    with distributed.get_task_stream(client) as tasks, joblib.parallel_backend("dask"):
        parallel = _search().fit(X, y)
    assert len(tasks.data) >= 8  # 4 candidates x 2 folds ran on the cluster
    assert parallel.best_params_ == sequential.best_params_
    for key in ("split0_test_score", "split1_test_score", "mean_test_score"):
        np.testing.assert_array_equal(parallel.cv_results_[key], sequential.cv_results_[key])
    np.testing.assert_array_equal(
        parallel.best_estimator_.labels_, sequential.best_estimator_.labels_
    )
    np.testing.assert_array_equal(
        parallel.best_estimator_.embedding_, sequential.best_estimator_.embedding_
    )


def _embed_dask(embedder, X):
    """The documented recipe: one ``transform`` per block of sequences."""
    X = X.rechunk({1: -1, 2: -1})  # whole sequences in each block
    width = embedder.transform(np.asarray(X[:1])).shape[1]
    return X.map_blocks(
        embedder.transform, dtype=np.float32, drop_axis=2, chunks=(X.chunks[0], (width,))
    )


def test_dask_array_transform_equals_in_memory(data, client):
    X, _ = data
    embedder = Seq2SeqEmbedder(hidden_size=6, max_epochs=2, random_state=0, device="cpu").fit(X)
    lazy = _embed_dask(embedder, da.from_array(X, chunks=(10, 6, 2)))
    assert isinstance(lazy, da.Array) and lazy.shape == (len(X), 6)
    # equal up to float32 rounding (BLAS results depend on the block size)
    np.testing.assert_allclose(lazy.compute(), embedder.transform(X), rtol=1e-5, atol=1e-6)
