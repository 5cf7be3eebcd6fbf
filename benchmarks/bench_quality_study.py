"""What moves seq2seq clustering quality on real motion: a screening study.

Each run trains one Seq2SeqEmbedder configuration on one dataset and seed,
and at several epochs (snapshots taken during the same training run) scores
every combination of

* embedding: decoder states mean-pooled (``dec_mean``), last decoder state
  (``dec_last``), encoder final state (``enc``), ``dec_mean`` + ``enc`` (``both``);
* clustering: k-means (``km``), k-means on L2-normalised embeddings
  (``km_l2``), cosine average-linkage (``cos_avg``, Su & Shlizerman), Ward
  (``ward``), Ward on L2-normalised embeddings (``ward_l2``);

by the adjusted Rand index against the true labels. Input features
(``pose``, ``pose+vel``: frames and their first differences) are built
outside the estimator here, then standardised by it.

Datasets: ``cmu`` (CMU 7-action windows, 50 frames, stride 10: 3,237),
``concat`` (windows of concatenated random CMU recordings, centre-frame
labels), ``synth`` (``make_motion_sequences``, 4 regimes).

Usage::

    python benchmarks/bench_quality_study.py run --grid screen --workers 2 \\
        --out benchmarks/results/quality_study.jsonl
    python benchmarks/bench_quality_study.py summarize benchmarks/results/quality_study*.jsonl \\
        > benchmarks/results/quality_study_tables.md

Runs are independent processes (``--workers``), each on one thread; results
are appended as JSON lines as they finish, so a run cut short keeps what
finished. ``--device cuda`` trains on a GPU (screening only: fit times and
exact numbers differ from CPU).
"""

import argparse
import concurrent.futures as cf
import functools
import itertools
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CMU_CACHE = Path(
    os.environ.get("SKSEQ2SEQ_STUDY_CMU", HERE.parent / ".studydata" / "cmu_actions.npz")
)
DATA_HOME = Path(os.environ.get("SKSEQ2SEQ_DATA", HERE.parents[1] / "shared" / "data"))


# -- data -----------------------------------------------------------------


def cmu_recordings():
    """CMU action recordings and labels, from the npz cache when present."""
    if CMU_CACHE.exists():
        d = np.load(CMU_CACHE)
        bounds = np.cumsum(d["lengths"])[:-1]
        return np.split(d["frames"], bounds), d["target"]
    from skseq2seq.datasets import load_cmu_actions

    return load_cmu_actions(DATA_HOME, return_X_y=True)


def load_dataset(name, seed=0):
    """(windows float32 (n, T, F), labels, n_clusters, groups)."""
    from skseq2seq.datasets import (
        make_concatenated_actions,
        make_motion_sequences,
        sliding_windows,
    )

    if name == "synth":
        X, y = make_motion_sequences(n_sequences=400, random_state=seed)
        return X.astype(np.float32), y, 4, np.arange(len(y)) % 5
    recordings, target = cmu_recordings()
    if name == "cmu":
        W, y, g = sliding_windows(recordings, 50, 10, y=list(target), return_groups=True)
        return W.astype(np.float32), y, 7, g
    if name == "concat":
        parts = [
            make_concatenated_actions(
                recordings,
                target,
                n_segments=12,
                max_segment_length=300,
                random_state=1000 * seed + i,
            )
            for i in range(3)
        ]
        W, y, g = sliding_windows(
            [p[0] for p in parts],
            50,
            10,
            y=[p[1] for p in parts],
            label="center",
            return_groups=True,
        )
        return W.astype(np.float32), y, len(np.unique(y)), g
    raise ValueError(name)


def add_velocity(W):
    """Frames and their first differences (the first difference is repeated at t=0)."""
    V = np.diff(W, axis=1)
    V = np.concatenate([V[:, :1], V], axis=1)
    return np.concatenate([W, V], axis=2)


# -- scoring ----------------------------------------------------------------


def cluster_scores(E, y, k, seed, algorithms=("km", "km_l2", "cos_avg", "ward", "ward_l2")):
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from sklearn.metrics import adjusted_rand_score
    from sklearn.preprocessing import normalize

    E = np.asarray(E, dtype=np.float64)
    E_l2 = normalize(E)
    out = {}
    for algo in algorithms:
        if algo == "km":
            labels = KMeans(k, n_init=10, random_state=seed).fit_predict(E)
        elif algo == "km_l2":
            labels = KMeans(k, n_init=10, random_state=seed).fit_predict(E_l2)
        elif algo == "cos_avg":
            labels = AgglomerativeClustering(k, metric="cosine", linkage="average").fit_predict(E)
        elif algo == "ward":
            labels = AgglomerativeClustering(k).fit_predict(E)
        elif algo == "ward_l2":
            labels = AgglomerativeClustering(k).fit_predict(E_l2)
        out[algo] = float(adjusted_rand_score(y, labels))
    return out


def meanstd_baseline(W, y, k, seed):
    from skseq2seq import posture_statistics  # MeanStdKMeans' / MeanStdWard's features

    F = posture_statistics(W)
    return cluster_scores(F, y, k, seed, algorithms=("km", "cos_avg", "ward"))


# -- one run ----------------------------------------------------------------


def run_one(task):
    import torch

    torch.set_num_threads(1)
    from skorch.callbacks import Callback

    from skseq2seq import Seq2SeqEmbedder

    W, y, k, _ = load_dataset(task["dataset"], task["data_seed"])
    if task["features"] == "pose+vel":
        W = add_velocity(W)
    results = []
    snapshots = set(task["snapshots"])
    t0 = time.perf_counter()

    def score(embedder, epoch):
        states = embedder.transform_states(W)
        dec_mean = np.nanmean(states, axis=1)
        dec_last = states[:, -1]
        embedder.set_params(embedding="encoder")
        enc = embedder.transform(W)
        embedder.set_params(embedding="decoder")
        embeddings = {
            "dec_mean": dec_mean,
            "dec_last": dec_last,
            "enc": enc,
            "both": np.concatenate([dec_mean, enc], 1),
        }
        for name, E in embeddings.items():
            for algo, ari in cluster_scores(E, y, k, task["seed"]).items():
                results.append(
                    {
                        **{key: task[key] for key in ("name", "dataset", "seed", "features")},
                        "params": task["params"],
                        "epoch": epoch,
                        "embedding": name,
                        "clustering": algo,
                        "ari": ari,
                        "train_s": train_time[0],
                    }
                )

    train_time = [0.0]

    class Snapshot(Callback):
        def on_epoch_end(self, net, **kwargs):
            epoch = len(net.history)
            train_time[0] = float(sum(net.history[:, "dur"]))
            if epoch in snapshots:
                embedder = net.embedder
                score(embedder, epoch)
                net.module_.train()

    params = dict(task["params"])
    embedder = Seq2SeqEmbedder(
        max_epochs=max(snapshots),
        random_state=task["seed"],
        device=task["device"],
        callbacks=[Snapshot()],
        **params,
    )
    embedder.fit(W)
    loss = [float(v) for v in embedder.history_[:, "train_loss"]]
    for r in results:
        r["loss_last"] = loss[-1]
        r["wall_s"] = time.perf_counter() - t0
    return results


def embed_one(task):
    """Train one configuration and return its embeddings at the last epoch (float16)."""
    import torch

    torch.set_num_threads(1)
    from skseq2seq import Seq2SeqEmbedder

    W, y, k, _ = load_dataset(task["dataset"], task["data_seed"])
    if task["features"] == "pose+vel":
        W = add_velocity(W)
    t0 = time.perf_counter()
    embedder = Seq2SeqEmbedder(
        max_epochs=task["epochs"],
        random_state=task["seed"],
        device=task["device"],
        **task["params"],
    ).fit(W)
    fit_s = time.perf_counter() - t0
    states = embedder.transform_states(W)
    enc = embedder.set_params(embedding="encoder").transform(W)
    return (
        task,
        fit_s,
        {
            "dec_mean": np.nanmean(states, 1).astype(np.float16),
            "dec_last": states[:, -1].astype(np.float16),
            "enc": enc.astype(np.float16),
            "y": y,
        },
    )


def cmd_embed(args):
    """Save embeddings of a few configurations and seeds, to study clustering offline."""
    FS = dict(decoder_strategy="fixed_state")
    configs = {
        "pred_vel": ({}, "pose+vel"),
        "pred_fixstate_vel": (FS, "pose+vel"),
        "pred_h256": (dict(hidden_size=256), "pose"),
        "pred_fixw": (dict(decoder_strategy="fixed_weights"), "pose"),
    }
    tasks = [
        dict(
            name=name,
            params=p,
            features=f,
            dataset=d,
            seed=s,
            data_seed=0 if d == "cmu" else s,
            epochs=args.epochs,
            device=args.device,
        )
        for d in args.datasets.split(",")
        for name, (p, f) in configs.items()
        for s in [int(v) for v in args.seeds.split(",")]
    ]
    ctx = None
    if args.device == "cuda":
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
    store = {}
    with cf.ProcessPoolExecutor(args.workers, mp_context=ctx) as pool:
        for task, fit_s, emb in pool.map(embed_one, tasks):
            key = f"{task['dataset']}__{task['name']}__s{task['seed']}"
            print(key, f"fit {fit_s:.0f}s", flush=True)
            group = task["dataset"] if task["dataset"] != "cmu" else f"cmu_{task['name']}"
            store.setdefault(group, {}).update({f"{key}__{n}": v for n, v in emb.items()})
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for group, arrays in store.items():
        np.savez_compressed(out / f"emb_{group}.npz", **arrays)


def cmd_cluster(args):
    """Score more clustering algorithms on embeddings saved by ``embed``."""
    import warnings

    from sklearn.cluster import AgglomerativeClustering, KMeans, SpectralClustering
    from sklearn.metrics import adjusted_rand_score
    from sklearn.preprocessing import normalize

    warnings.filterwarnings("ignore")
    results = []
    for path in sorted(Path(args.folder).glob("emb_*.npz")):
        data = np.load(path)
        for key in sorted({name.rsplit("__", 1)[0] for name in data.files}):
            dataset, config, seed = key.split("__")
            y = data[key + "__y"]
            k = len(np.unique(y))
            embeddings = {
                n: data[f"{key}__{n}"].astype(np.float64) for n in ("dec_mean", "dec_last", "enc")
            }
            embeddings["both"] = np.concatenate([embeddings["dec_mean"], embeddings["enc"]], 1)
            for emb_name, E in embeddings.items():
                L = normalize(E)
                algos = {
                    "km": lambda: KMeans(k, n_init=10, random_state=0).fit_predict(E),
                    "km_l2": lambda: KMeans(k, n_init=10, random_state=0).fit_predict(L),
                    "cos_avg": lambda: AgglomerativeClustering(
                        k, metric="cosine", linkage="average"
                    ).fit_predict(E),
                    "ward_l2": lambda: AgglomerativeClustering(k).fit_predict(L),
                }
                for nn in args.neighbors:
                    algos[f"spec_nn{nn}"] = functools.partial(
                        lambda nn: SpectralClustering(
                            k,
                            affinity="nearest_neighbors",
                            n_neighbors=nn,
                            assign_labels="cluster_qr",
                            random_state=0,
                        ).fit_predict(L),
                        nn,
                    )
                for algo, fit in algos.items():
                    results.append(
                        dict(
                            dataset=dataset,
                            config=config,
                            seed=int(seed[1:]),
                            embedding=emb_name,
                            clustering=algo,
                            ari=float(adjusted_rand_score(y, fit())),
                        )
                    )
            print(key, flush=True)
    Path(args.out).write_text(json.dumps(results))


def _spectral(E, k, n_neighbors=10, assign="cluster_qr"):
    from sklearn.cluster import SpectralClustering

    return SpectralClustering(
        k,
        affinity="nearest_neighbors",
        n_neighbors=n_neighbors,
        assign_labels=assign,
        random_state=0,
    ).fit_predict(E)


def _self_tuning(E, k, n_neighbors):
    """Spectral clustering with local scaling (Zelnik-Manor & Perona) on a k-NN graph."""
    from scipy.sparse import csr_matrix
    from sklearn.cluster import SpectralClustering
    from sklearn.neighbors import NearestNeighbors

    dist, ind = NearestNeighbors(n_neighbors=n_neighbors + 1).fit(E).kneighbors(E)
    sigma = dist[:, min(7, n_neighbors)]
    rows = np.repeat(np.arange(len(E)), n_neighbors + 1)
    weights = np.exp(-(dist.ravel() ** 2) / (sigma[rows] * sigma[ind.ravel()] + 1e-12))
    A = csr_matrix((weights, (rows, ind.ravel())), shape=(len(E), len(E)))
    return SpectralClustering(
        k, affinity="precomputed", assign_labels="cluster_qr", random_state=0
    ).fit_predict(0.5 * (A + A.T))


def _over_cluster_merge(E, k, factor):
    """Spectral into factor * k clusters, then cosine average-linkage of their centroids."""
    from sklearn.cluster import AgglomerativeClustering

    fine = np.unique(
        _spectral(E, k, 10) if factor == 1 else _spectral(E, int(round(factor * k))),
        return_inverse=True,
    )[1]
    centroids = np.array([E[fine == c].mean(0) for c in range(fine.max() + 1)])
    return AgglomerativeClustering(k, metric="cosine", linkage="average").fit_predict(centroids)[
        fine
    ]


def cmd_variants(args):
    """Other clustering stages on the default embedding (fixed_state + velocity, both)."""
    import warnings

    from sklearn.cluster import AgglomerativeClustering
    from sklearn.decomposition import PCA
    from sklearn.metrics import adjusted_rand_score
    from sklearn.neighbors import kneighbors_graph
    from sklearn.preprocessing import StandardScaler, normalize

    warnings.filterwarnings("ignore")
    variants = {
        "default: spectral 10-NN, L2-normalised, cluster_qr": lambda E, k: _spectral(
            normalize(E), k
        ),
        "centred before L2": lambda E, k: _spectral(normalize(E - E.mean(0)), k),
        "standardised before L2": lambda E, k: _spectral(
            normalize(StandardScaler().fit_transform(E)), k
        ),
        "PCA(32)-whitened before L2": lambda E, k: _spectral(
            normalize(PCA(32, whiten=True, random_state=0).fit_transform(E)), k
        ),
        "assign_labels=discretize": lambda E, k: _spectral(normalize(E), k, assign="discretize"),
        "assign_labels=kmeans": lambda E, k: _spectral(normalize(E), k, assign="kmeans"),
        "self-tuning affinity, 10-NN": lambda E, k: _self_tuning(normalize(E), k, 10),
        "self-tuning affinity, 20-NN": lambda E, k: _self_tuning(normalize(E), k, 20),
        "over-cluster x1.5, merge centroids": lambda E, k: _over_cluster_merge(
            normalize(E), k, 1.5
        ),
        "over-cluster x2, merge centroids": lambda E, k: _over_cluster_merge(normalize(E), k, 2),
    }
    for link in ("ward", "average", "complete"):
        variants[f"agglomerative {link}, 10-NN connectivity"] = functools.partial(
            lambda E, k, link: AgglomerativeClustering(
                k,
                linkage=link,
                connectivity=kneighbors_graph(normalize(E), 10),
            ).fit_predict(normalize(E)),
            link=link,
        )
    sets = {}
    for path in sorted(Path(args.folder).glob("emb_*.npz")):
        data = np.load(path)
        for key in sorted({name.rsplit("__", 1)[0] for name in data.files}):
            dataset, config, _ = key.split("__")
            if config == "pred_fixstate_vel":
                E = np.hstack([data[key + "__dec_mean"], data[key + "__enc"]]).astype(np.float64)
                sets.setdefault(dataset, []).append((E, data[key + "__y"]))
    names = sorted(sets)
    print(
        "| clustering stage | " + " | ".join(f"{n} (mean of {len(sets[n])})" for n in names) + " |"
    )
    print("|---|" + "---|" * len(names))
    for name, cluster in variants.items():
        means = [
            np.mean([adjusted_rand_score(y, cluster(E, len(np.unique(y)))) for E, y in sets[n]])
            for n in names
        ]
        print(f"| {name} | " + " | ".join(f"{m:.3f}" for m in means) + " |", flush=True)


# -- grids ------------------------------------------------------------------


def _configs(grid):
    R = dict(objective="reconstruct", decoder_input="zeros")
    if grid == "screen":
        base = {
            "pred": {},
            "pred_h64": dict(hidden_size=64),
            "pred_h256": dict(hidden_size=256),
            "rec0": R,
            "rec0_h256": dict(R, hidden_size=256),
            "pred_fixstate": dict(decoder_strategy="fixed_state"),
            "pred_fixw": dict(decoder_strategy="fixed_weights"),
            "rec0_fixstate": dict(R, decoder_strategy="fixed_state"),
            "pred_lr3e-4": dict(lr=3e-4),
            "rec0_lr3e-3": dict(R, lr=3e-3),
            "pred_bienc": dict(bidirectional_encoder=True),
            "rec0_bienc": dict(R, bidirectional_encoder=True),
        }
        for (name, params), features in itertools.product(base.items(), ["pose", "pose+vel"]):
            yield name, params, features
    elif grid == "confirm":
        FS = dict(decoder_strategy="fixed_state")
        FW = dict(decoder_strategy="fixed_weights")
        BI = dict(bidirectional_encoder=True)
        for name, params, features in [
            ("pred_fixstate", FS, "pose+vel"),
            ("pred_fixstate", FS, "pose"),
            ("pred_fixw", FW, "pose"),
            ("pred_fixw", FW, "pose+vel"),
            ("pred_bienc", BI, "pose+vel"),
            ("pred_h256", dict(hidden_size=256), "pose"),
            ("pred", {}, "pose+vel"),
            ("pred_fixstate_bienc", dict(FS, **BI), "pose+vel"),
            ("pred_fixstate_h256", dict(FS, hidden_size=256), "pose+vel"),
        ]:
            yield name, params, features
    elif grid == "quick":
        yield "pred", dict(hidden_size=16), "pose"


def build_tasks(grid, datasets, seeds, snapshots, device):
    tasks = []
    for seed, dataset in itertools.product(seeds, datasets):
        for name, params, features in _configs(grid):
            tasks.append(
                dict(
                    name=name,
                    params=params,
                    features=features,
                    dataset=dataset,
                    seed=seed,
                    data_seed=seed if dataset != "cmu" else 0,
                    snapshots=snapshots,
                    device=device,
                )
            )
    return tasks


def cmd_run(args):
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    snapshots = [int(s) for s in args.snapshots.split(",")]
    tasks = build_tasks(
        args.grid,
        args.datasets.split(","),
        [int(s) for s in args.seeds.split(",")],
        snapshots,
        args.device,
    )
    if args.baselines:
        for dataset in args.datasets.split(","):
            for seed in [int(s) for s in args.seeds.split(",")]:
                W, y, k, _ = load_dataset(dataset, seed if dataset != "cmu" else 0)
                with out.open("a") as f:
                    for algo, ari in meanstd_baseline(W, y, k, seed).items():
                        f.write(
                            json.dumps(
                                {
                                    "name": "meanstd_baseline",
                                    "dataset": dataset,
                                    "seed": seed,
                                    "clustering": algo,
                                    "ari": ari,
                                }
                            )
                            + "\n"
                        )
    deadline = time.time() + args.deadline
    ctx = None
    if args.device == "cuda":
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
    with cf.ProcessPoolExecutor(args.workers, mp_context=ctx) as pool:
        pending = {pool.submit(run_one, t): t for t in tasks}
        for fut in cf.as_completed(pending):
            t = pending[fut]
            try:
                rows = fut.result()
            except Exception as exc:  # keep the study going
                print("FAILED", t["name"], t["dataset"], t["seed"], repr(exc), flush=True)
                continue
            with out.open("a") as f:
                for r in rows:
                    f.write(json.dumps(r) + "\n")
            best = max(rows, key=lambda r: r["ari"])
            print(
                f"{time.strftime('%H:%M:%S')} {t['dataset']:6s} {t['name']:14s} {t['features']:8s} "
                f"s{t['seed']} train {rows[-1]['train_s']:.0f}s best {best['ari']:.3f} "
                f"({best['embedding']}/{best['clustering']}@{best['epoch']})",
                flush=True,
            )
            if time.time() > deadline:
                for f2 in pending:
                    f2.cancel()
                print("deadline reached", flush=True)
                break


def cmd_summarize(args):
    rows = []
    import gzip

    for path in args.files:
        text = gzip.open(path, "rt").read() if str(path).endswith(".gz") else Path(path).read_text()
        rows += [json.loads(line) for line in text.splitlines() if line.strip()]
    import collections

    print("## Mean/std baseline (ARI)\n")
    base = collections.defaultdict(list)
    for r in rows:
        if r["name"] == "meanstd_baseline":
            base[(r["dataset"], r["clustering"])].append(r["ari"])
    for key, v in sorted(base.items()):
        print(f"- {key[0]} {key[1]}: {np.mean(v):.3f} (n={len(v)})")
    rows = [r for r in rows if r["name"] != "meanstd_baseline"]
    groups = collections.defaultdict(list)
    for r in rows:
        groups[
            (r["dataset"], r["name"], r["features"], r["embedding"], r["clustering"], r["epoch"])
        ].append(r["ari"])
    for dataset in sorted({r["dataset"] for r in rows}):
        print(f"\n## {dataset}: best 25 combinations (mean ARI over seeds)\n")
        print("| config | features | embedding | clustering | epoch | mean ARI | min | n |")
        print("|---|---|---|---|---|---|---|---|")
        items = [(k, v) for k, v in groups.items() if k[0] == dataset]
        items.sort(key=lambda kv: -np.mean(kv[1]))
        for k, v in items[:25]:
            cells = [*k[1:6], f"{np.mean(v):.3f}", f"{np.min(v):.3f}", len(v)]
            print("| " + " | ".join(str(c) for c in cells) + " |")
        print(f"\n### {dataset}: per config, best over embedding/clustering at each epoch\n")
        configs = sorted({(k[1], k[2]) for k, _ in items})
        epochs = sorted({k[5] for k, _ in items})
        print("| config | features | " + " | ".join(f"ep {e}" for e in epochs) + " |")
        print("|---|---|" + "---|" * len(epochs))
        for c in configs:
            cells = []
            for e in epochs:
                vals = [
                    (np.mean(v), k[3], k[4]) for k, v in items if (k[1], k[2]) == c and k[5] == e
                ]
                if vals:
                    m, emb, algo = max(vals)
                    cells.append(f"{m:.2f} {emb}/{algo}")
                else:
                    cells.append("")
            print(f"| {c[0]} | {c[1]} | " + " | ".join(cells) + " |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run")
    run.add_argument("--grid", default="screen")
    run.add_argument("--datasets", default="cmu,concat,synth")
    run.add_argument("--seeds", default="0")
    run.add_argument("--snapshots", default="5,10,20,30")
    run.add_argument("--workers", type=int, default=1)
    run.add_argument("--device", default="cpu")
    run.add_argument(
        "--deadline", type=float, default=1e9, help="stop collecting after this many s"
    )
    run.add_argument("--baselines", action="store_true")
    run.add_argument("--out", default=str(HERE / "results" / "quality_study.jsonl"))
    emb = sub.add_parser("embed")
    emb.add_argument("--datasets", default="cmu,concat,synth")
    emb.add_argument("--seeds", default="0,1,2")
    emb.add_argument("--epochs", type=int, default=20)
    emb.add_argument("--workers", type=int, default=1)
    emb.add_argument("--device", default="cpu")
    emb.add_argument("--out", default=str(HERE / "results" / "embeddings"))
    clu = sub.add_parser("cluster")
    clu.add_argument("folder")
    clu.add_argument("--neighbors", type=int, nargs="+", default=[5, 7, 10, 15, 30])
    clu.add_argument("--out", default=str(HERE / "results" / "quality_study_clusterings.json"))
    var = sub.add_parser("variants")
    var.add_argument("folder")
    summ = sub.add_parser("summarize")
    summ.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    {
        "run": cmd_run,
        "summarize": cmd_summarize,
        "embed": cmd_embed,
        "cluster": cmd_cluster,
        "variants": cmd_variants,
    }[args.cmd](args)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main()
