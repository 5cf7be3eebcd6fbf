"""Check that a refactoring leaves results bit-identical: old vs new package.

Usage (from the repository root)::

    git -C /work/main archive <old-commit> | tar -x -C /tmp/old
    OMP_NUM_THREADS=1 SKSEQ2SEQ_SHARED_DATA=/work/shared/data \
        python benchmarks/check_bit_exact.py /tmp/old .

Each package is imported from its own root in a separate subprocess, which
computes on small real data (CMU action windows, a subject-86 recording
slice) and synthetic data: Seq2SeqEmbedder outputs and loss history,
Seq2SeqClusterer labels, EmbeddingQuality scores, the baselines' labels and
features, TemporalSegmenter labels, Seq2SeqForecaster predictions. The
results are then compared with ``np.array_equal`` (NaN equal to NaN).
"""

import os
import pickle
import subprocess
import sys
import tempfile

import numpy as np


def compute(out_path):
    import torch

    torch.set_num_threads(1)
    from skseq2seq import (
        Seq2SeqClusterer,
        Seq2SeqEmbedder,
        Seq2SeqForecaster,
        TemporalSegmenter,
    )
    from skseq2seq.baselines import (
        FrameStatsSegmenter,
        MeanStdKMeans,
        MeanStdSpectral,
        MeanStdWard,
        PCAKMeans,
        WindowStatsSegmenter,
    )
    from skseq2seq.callbacks import EmbeddingQuality
    from skseq2seq.datasets import (
        load_cmu_actions,
        load_cmu_subject86,
        make_motion_sequences,
        sliding_windows,
    )

    res = {}
    home = os.environ.get("SKSEQ2SEQ_SHARED_DATA", "/work/shared/data")
    recordings, target = load_cmu_actions(home, return_X_y=True)
    picks = [0, 5, 10, 15, 20, 25, 30]
    recs = [recordings[i][:600] for i in picks]
    windows, y = sliding_windows(recs, 40, 40, y=target[picks])
    windows = windows.astype(np.float64)
    ragged = [windows[i, : 20 + i % 21] for i in range(len(windows))]
    X_syn, y_syn = make_motion_sequences(n_sequences=80, n_timesteps=24, random_state=0)
    res["n_windows"] = np.array(len(windows))

    def embedder_outputs(tag, X, **params):
        emb = Seq2SeqEmbedder(hidden_size=16, max_epochs=3, random_state=0, **params).fit(X)
        res[f"{tag}/loss"] = np.array(emb.history_[:, "train_loss"])
        res[f"{tag}/transform"] = emb.transform(X)
        res[f"{tag}/net_inputs"] = emb.net_inputs(X)
        if emb.objective != "contrastive":
            res[f"{tag}/states"] = emb.transform_states(X)
            res[f"{tag}/forecast"] = emb.forecast(X)
            res[f"{tag}/score"] = emb.score_samples(X)
        res[f"{tag}/fit_transform"] = Seq2SeqEmbedder(
            hidden_size=16, max_epochs=3, random_state=0, **params
        ).fit_transform(X)
        return emb

    embedder_outputs("cmu", windows)
    embedder_outputs("cmu_vel", windows, with_velocity=True)
    embedder_outputs("cmu_raw", windows, standardize=False, embedding="both", pooling="concat")
    embedder_outputs("ragged_rec", ragged, objective="reconstruct")
    embedder_outputs("ragged_pred", ragged, with_velocity=True)
    embedder_outputs("syn", X_syn, validation_fraction=0.25)
    embedder_outputs("syn_contrastive", X_syn, objective="contrastive")
    # More sequences than one inference batch (256), of mixed lengths, in float32.
    X_many, _ = make_motion_sequences(n_sequences=600, n_timesteps=20, random_state=1)
    many = [x[: 12 + i % 9].astype(np.float32) for i, x in enumerate(X_many)]
    embedder_outputs("many", many, prediction_length=5)
    cb = EmbeddingQuality(n_clusters=4, metrics=["silhouette", "calinski_harabasz"])
    e = Seq2SeqEmbedder(
        hidden_size=16, max_epochs=2, prediction_length=5, random_state=0, callbacks=[cb]
    )
    res["quality/many/calinski_harabasz"] = np.array(e.fit(many).history_[:, "calinski_harabasz"])
    emb = Seq2SeqEmbedder(hidden_size=16, max_epochs=2, random_state=0, warm_start=True)
    emb.fit(X_syn).fit(X_syn[:40])
    res["warm/loss"] = np.array(emb.history_[:, "train_loss"])
    res["warm/transform"] = emb.transform(X_syn)

    for tag, X, yy in [("cmu", windows, y), ("syn", X_syn, y_syn)]:
        for every, monitor in [(1, X), (2, None)]:
            cb = EmbeddingQuality(
                monitor,
                yy if monitor is not None else None,
                every=every,
                n_clusters=len(np.unique(yy)),
            )
            e = Seq2SeqEmbedder(hidden_size=16, max_epochs=4, random_state=0, callbacks=[cb])
            e.fit(X)
            for name in ("silhouette", "calinski_harabasz", "ari", "nmi"):
                if name in e.history_[-1]:
                    res[f"quality/{tag}/{every}/{name}"] = np.array(
                        e.history_[:, name], dtype=float
                    )
            res[f"quality/{tag}/{every}/loss"] = np.array(e.history_[:, "train_loss"])
        keep = EmbeddingQuality(X, yy, keep_best="silhouette")
        e = Seq2SeqEmbedder(hidden_size=16, max_epochs=4, random_state=0, callbacks=[keep])
        res[f"quality/{tag}/keep_best/transform"] = e.fit(X).transform(X)

    for tag, X, k in [
        ("cmu", windows, 7),
        ("syn", X_syn, 4),
        ("ragged", ragged, 7),
        ("float32", windows.astype(np.float32), 7),
    ]:
        for name, est in [
            ("kmeans", MeanStdKMeans(k, random_state=0)),
            ("ward", MeanStdWard(k)),
            ("spectral", MeanStdSpectral(k, random_state=0)),
            ("pca", PCAKMeans(k, random_state=0)),
            ("pca_all", PCAKMeans(k, n_components=None, random_state=0)),
        ]:
            est.fit(X)
            res[f"baseline/{tag}/{name}/labels"] = est.labels_
            res[f"baseline/{tag}/{name}/features"] = est.features_
            if hasattr(est, "predict"):
                res[f"baseline/{tag}/{name}/predict"] = est.predict(X[:10])
        # The learned states alone: the old default (issue 22 changed the default features).
        same = {"features": "states"} if "features" in Seq2SeqClusterer().get_params() else {}
        clu = Seq2SeqClusterer(
            k,
            embedder=Seq2SeqEmbedder(hidden_size=16, max_epochs=3, random_state=0),
            random_state=0,
            **same,
        )
        res[f"clusterer/{tag}/labels"] = clu.fit_predict(X)
        res[f"clusterer/{tag}/embedding"] = clu.embedding_
        res[f"clusterer/{tag}/predict"] = clu.predict(X[:10])

    rec, frame_labels = load_cmu_subject86(1, home, return_X_y=True)
    rec = rec[:3600]
    res["segbaseline/frames"] = FrameStatsSegmenter(4, max_clusters=6).fit_predict(rec)
    labels = WindowStatsSegmenter(4, random_state=0).fit_predict([rec, rec[:1800]])
    res["segbaseline/windows"] = np.concatenate(labels)
    seg = TemporalSegmenter(
        4, max_clusters=6, n_nets=2, features="states+frames", random_state=0
    ).set_params(embedder__max_epochs=2, embedder__hidden_size=16)
    res["segmenter/labels"] = seg.fit_predict(rec)
    res["segmenter/error"] = np.asarray(seg.prediction_error_)
    seg = TemporalSegmenter(4, max_clusters=6, n_nets=1, random_state=0, features="states")
    seg.set_params(embedder__max_epochs=2, embedder__hidden_size=16)
    res["segmenter1/labels"] = seg.fit_predict(rec)

    fc = Seq2SeqForecaster(horizon=10, observed=30, hidden_size=16, max_epochs=2, random_state=0)
    fc.fit(recs)
    res["forecaster/predict"] = fc.predict([r[:100] for r in recs])
    res["forecaster/score"] = np.array(fc.score([r[:100] for r in recs]))

    with open(out_path, "wb") as f:
        pickle.dump({k: np.asarray(v) for k, v in res.items()}, f)


def run(root, out_path):
    env = dict(os.environ, PYTHONPATH=os.path.abspath(root), OMP_NUM_THREADS="1")
    subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--compute", out_path],
        check=True,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    with open(out_path, "rb") as f:
        return pickle.load(f)


def main():
    if sys.argv[1] == "--compute":
        compute(sys.argv[2])
        return
    old_root, new_root = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        old = run(old_root, os.path.join(tmp, "old.pkl"))
        new = run(new_root, os.path.join(tmp, "new.pkl"))
    differ = []
    for key in sorted(set(old) | set(new)):
        if key not in old or key not in new:
            differ.append(f"{key}: only in {'old' if key in old else 'new'}")
            continue
        a, b = old[key], new[key]
        same = a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
        if not same:
            detail = ""
            if a.shape == b.shape and a.dtype.kind == "f":
                detail = f" max abs diff {np.nanmax(np.abs(a - b)):.3g}"
            elif a.shape == b.shape:
                detail = f" {int((a != b).sum())} of {a.size} differ"
            differ.append(f"{key}: differs{detail}")
    print(f"{len(old)} results compared")
    print("\n".join(differ) if differ else "all bit-identical")


if __name__ == "__main__":
    main()
