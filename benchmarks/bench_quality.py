"""Clustering quality on real and synthetic motion: Seq2SeqClusterer against baselines.

One command runs every method on the same data in the same run and writes
``benchmarks/results/quality.md`` (markdown tables) and ``quality.json``::

    OMP_NUM_THREADS=1 python benchmarks/bench_quality.py            # full (~30 min, 1 core)
    OMP_NUM_THREADS=1 python benchmarks/bench_quality.py --quick    # short check (~2 min)

Datasets
    ``cmu``: CMU 7-action windows (50 frames, stride 10, within recordings:
    3,237 windows, labels = the recording's action); ``concat``: three
    recordings each made of 12 random CMU recordings cropped to at most 300
    frames (:func:`~skseq2seq.datasets.make_concatenated_actions`), cut into
    50-frame windows with stride 10, labelled by their centre frame;
    ``synth``: :func:`~skseq2seq.datasets.make_motion_sequences` (400
    sequences, 4 regimes that differ only in their dynamics); ``s86``: a
    hold-out set, not used to choose any default: subject 86's trials 01, 03
    and 05 at 30 fps (every 4th frame), 50-frame windows with stride 10
    labelled by their centre frame, k = the 15 distinct actions (no 1-NN:
    the trials share few actions). The real-data sets need ``../shared/data/cmu_mocap``
    (``cmu_mocap/`` in ``SKSEQ2SEQ_DATA``) and are skipped without it.

Methods
    Seq2SeqClusterer with its defaults and notable options (encoder vs
    decoder embedding, predict vs reconstruct, Predict & Cluster's
    fixed_state / fixed_weights, k-means vs cosine average-linkage), and
    baselines: k-means on flattened standardised windows, PCA (95% variance)
    + k-means, k-means on standardised per-window mean/std of each channel,
    and tslearn's DTW k-means and KShape when tslearn is installed (the
    ``benchmarks`` extra). DTW and KShape are quadratic/slow: they are fitted
    on a random subsample of windows (``--ts-subsample``, default 300) with
    time downsampled by ``--ts-downsample`` (default 5), then predict every
    window; the table says so.

Metrics
    ARI, NMI, Hungarian accuracy (:func:`skseq2seq.metrics.clustering_accuracy`)
    of the clusters; ``1-NN``: the Predict & Cluster protocol, accuracy of a
    1-nearest-neighbour classifier on the method's features (embedding)
    trained on the windows of some recordings and tested on others (CMU: per
    action, alternate recordings; concat: two concatenations train, the third,
    drawn from the other source recordings, tests; synthetic: alternate
    sequences),
    with the representation itself learned without labels on all windows;
    fit time (seconds, this machine, one thread unless OMP_NUM_THREADS says
    otherwise). Rows marked "shared net" re-use the network trained for the
    row they name: their fit time is that training plus their clustering.
"""

import argparse
import json
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402

from skseq2seq import (  # noqa: E402
    EmbeddingClusterer,
    Seq2SeqClusterer,
    Seq2SeqEmbedder,
    posture_statistics,
)
from skseq2seq._clusterer import default_embedder  # noqa: E402
from skseq2seq.baselines import DTWKMeans, MeanStdKMeans, MeanStdWard, PCAKMeans  # noqa: E402
from skseq2seq.metrics import clustering_accuracy  # noqa: E402

DATA_HOME = Path(os.environ.get("SKSEQ2SEQ_DATA", HERE.parents[1] / "shared" / "data"))
CMU_HOME = DATA_HOME / "cmu_mocap"


# -- data -------------------------------------------------------------------------


def load_datasets(names, quick):
    """{name: (windows, labels, n_clusters, split)}; split: True = 1-NN training window."""
    from skseq2seq.datasets import (
        load_cmu_actions,
        make_concatenated_actions,
        make_motion_sequences,
        sliding_windows,
    )

    out = {}
    recordings = None
    if {"cmu", "concat"} & set(names):
        if CMU_HOME.is_dir():
            recordings, target = load_cmu_actions(DATA_HOME, return_X_y=True)
            # Per action, alternate recordings train / test the 1-NN classifier.
            rank = np.array([np.sum(target[:i] == target[i]) for i in range(len(target))])
            pool = rank % 2 == 0
        else:
            print(f"CMU data not found at {CMU_HOME}: real-data sets skipped", file=sys.stderr)
    if "cmu" in names and recordings is not None:
        W, y, g = sliding_windows(recordings, 50, 10, y=list(target), return_groups=True)
        split = pool[g]
        if quick:  # every 4th window
            W, y, split = W[::4], y[::4], split[::4]
        out["cmu"] = (W, y, 7, split)
    if "concat" in names and recordings is not None:
        # Recordings 0 and 1 train the 1-NN, recording 2 tests it: drawn from
        # disjoint halves of the source recordings, so no test frame was seen.
        parts = [
            make_concatenated_actions(
                [r for r, p in zip(recordings, pool) if p == (i < 2)],
                target[pool == (i < 2)],
                n_segments=12,
                max_segment_length=300,
                random_state=i,
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
        split = g != 2
        if quick:
            W, y, split = W[::2], y[::2], split[::2]
        out["concat"] = (W, y, len(np.unique(y)), split)
    if "s86" in names and (CMU_HOME / "subject86").is_dir():
        from skseq2seq.datasets import load_cmu_subject86

        trials = [load_cmu_subject86(t, DATA_HOME) for t in ("01", "03", "05")]
        frames = [trial.data[::4] for trial in trials]
        names_ = [trial.target_names[trial.target][::4] for trial in trials]
        W, y = sliding_windows(frames, 50, 10, y=names_, label="center")
        y = np.unique(y, return_inverse=True)[1]
        out["s86"] = (W, y, len(np.unique(y)), np.ones(len(y), dtype=bool))
    if "synth" in names:
        X, y = make_motion_sequences(n_sequences=200 if quick else 400, random_state=0)
        out["synth"] = (X, y, 4, np.arange(len(y)) % 2 == 0)
    return out


# -- methods: each returns (labels, features for 1-NN, fit seconds, note) ----------


def _baseline(make, note=lambda model, args: ""):
    """A :mod:`skseq2seq.baselines` estimator as a method; 1-NN on its ``features_``."""

    def method(W, k, seed, args):
        t = time.perf_counter()
        model = make(k, seed, args)
        labels = model.fit_predict(W)
        seconds = time.perf_counter() - t
        return labels, model.features_.reshape(len(W), -1), seconds, note(model, args)

    return method


baseline_kmeans_flat = _baseline(
    lambda k, seed, args: PCAKMeans(k, n_components=None, random_state=seed)
)
baseline_pca_kmeans = _baseline(
    lambda k, seed, args: PCAKMeans(k, n_components=0.95, random_state=seed),
    lambda model, args: f"{model.n_components_} components",
)
baseline_meanstd_kmeans = _baseline(lambda k, seed, args: MeanStdKMeans(k, random_state=seed))
baseline_meanstd_ward = _baseline(lambda k, seed, args: MeanStdWard(k))
baseline_dtw_kmeans = _baseline(
    lambda k, seed, args: DTWKMeans(
        k,
        max_iter=10,
        n_init=1,
        downsample=args.ts_downsample,
        max_fit_samples=args.ts_subsample,
        random_state=seed,
    ),
    lambda model, args: (
        f"fit on {args.ts_subsample} windows, time /{args.ts_downsample}; 1-NN: Euclidean "
        "on the same downsampled windows"
    ),
)


def baseline_kshape(W, k, seed, args):
    """tslearn's KShape (no package estimator: shown here only), on z-normalised series."""
    from tslearn.clustering import KShape
    from tslearn.preprocessing import TimeSeriesScalerMeanVariance

    t = time.perf_counter()
    Z = TimeSeriesScalerMeanVariance().fit_transform(W[:, :: args.ts_downsample])
    Z = np.nan_to_num(Z)  # constant channels
    rng = np.random.RandomState(seed)
    fit_on = rng.choice(len(Z), min(args.ts_subsample, len(Z)), replace=False)
    model = KShape(n_clusters=k, max_iter=20, n_init=1, random_state=seed).fit(Z[fit_on])
    note = f"fit on {len(fit_on)} windows, time /{args.ts_downsample}"
    return model.predict(Z), Z.reshape(len(Z), -1), time.perf_counter() - t, note


def seq2seq(clusterer_params=None, embedder_params=None):
    """A Seq2SeqClusterer row; embedder_params=None keeps the default embedder."""

    def method(W, k, seed, args):
        params = dict(clusterer_params or {})
        if embedder_params is not None:
            params["embedder"] = Seq2SeqEmbedder(**embedder_params)
        if args.quick:
            embedder = params.get("embedder") or default_embedder()
            params["embedder"] = embedder.set_params(max_epochs=min(embedder.max_epochs, 5))
        clusterer = Seq2SeqClusterer(n_clusters=k, random_state=seed, **params)
        t = time.perf_counter()
        labels = clusterer.fit_predict(W)
        seconds = time.perf_counter() - t
        return labels, clusterer.embedding_, seconds, clusterer

    return method


def derived(base, embedding=None, **clusterer_params):
    """Re-use ``base``'s trained net: another embedding and/or clusterer parameters."""

    def method(W, k, seed, args, cache):
        clusterer = cache[base]
        t = time.perf_counter()
        if embedding is not None:
            previous = clusterer.embedder_.embedding
            E = clusterer.embedder_.set_params(embedding=embedding).transform(W)
            clusterer.embedder_.set_params(embedding=previous)
        else:
            E = clusterer.embedding_
        stage = clusterer.embedding_clusterer_
        params = {**stage.get_params(deep=False), "n_clusters": k, **clusterer_params}
        labels = EmbeddingClusterer(**params).fit_predict(
            E, merge_features=lambda: posture_statistics(W)
        )
        seconds = cache[base + "__seconds"] + time.perf_counter() - t
        return labels, E, seconds, f"shared net: {base.strip()}"

    method.derived_from = base
    return method


DEFAULTS = "Seq2SeqClusterer() defaults"
PAPER = "predict, free-running decoder (paper), k-means"
_VEL_BOTH = dict(with_velocity=True, embedding="both")


def methods():
    """(row name, callable) in table order."""
    rows = [
        (DEFAULTS, seq2seq()),
        ("  embedding: decoder states only", derived(DEFAULTS, embedding="decoder")),
        ("  embedding: encoder state only", derived(DEFAULTS, embedding="encoder")),
        (
            "  clustering: spectral, no surplus merging (n_extra_clusters=0)",
            derived(DEFAULTS, n_extra_clusters=0),
        ),
        ("  clustering: k-means", derived(DEFAULTS, clustering="kmeans")),
        ("  clustering: cosine average-linkage", derived(DEFAULTS, clustering="agglomerative")),
        (PAPER, seq2seq(dict(clustering="kmeans"), {})),  # the previous defaults
        ("  clustering: cosine average-linkage", derived(PAPER, clustering="agglomerative")),
        ("  clustering: spectral", derived(PAPER, clustering="spectral")),
        (
            "reconstruct, zero decoder input (P&C), +velocity, both, spectral",
            seq2seq({}, dict(objective="reconstruct", decoder_input="zeros", **_VEL_BOTH)),
        ),
        (
            "fixed_weights (P&C), +velocity, both, spectral",
            seq2seq({}, dict(decoder_strategy="fixed_weights", **_VEL_BOTH)),
        ),
        (
            "fixed_state, no velocity, both, spectral",
            seq2seq({}, dict(decoder_strategy="fixed_state", embedding="both")),
        ),
        ("k-means, flattened windows", baseline_kmeans_flat),
        ("PCA + k-means", baseline_pca_kmeans),
        ("k-means, per-window mean/std", baseline_meanstd_kmeans),
        ("Ward, per-window mean/std", baseline_meanstd_ward),
        ("tslearn DTW k-means (subsampled)", baseline_dtw_kmeans),
        ("tslearn KShape (subsampled)", baseline_kshape),
    ]
    return rows


def one_nn_accuracy(F, y, split):
    F = np.asarray(F, dtype=np.float64)
    if F.ndim > 2:
        F = F.reshape(len(F), -1)
    if split.all() or not split.any():
        return float("nan")
    knn = KNeighborsClassifier(1).fit(F[split], y[split])
    return float((knn.predict(F[~split]) == y[~split]).mean())


def run(args):
    import torch

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    warnings.filterwarnings("ignore")
    try:
        import tslearn  # noqa: F401

        has_tslearn = True
    except ImportError:
        has_tslearn = False
    datasets = load_datasets(args.datasets.split(","), args.quick)
    results = []

    def wanted(row):
        return not args.only or any(s in row for s in args.only.split(","))

    # A selected row derived from another needs that one's trained net.
    needed_bases = {getattr(m, "derived_from", None) for row, m in methods() if wanted(row)}
    for dname, (W, y, k, split) in datasets.items():
        cache = {}
        for row, method in methods():
            if "tslearn" in row and not has_tslearn:
                continue
            if not (wanted(row) or row in needed_bases):
                continue
            if hasattr(method, "derived_from"):
                if method.derived_from not in cache:
                    continue
                labels, F, seconds, note = method(W, k, args.seed, args, cache)
            else:
                labels, F, seconds, note = method(W, k, args.seed, args)
                if not isinstance(note, str):  # a fitted clusterer
                    cache[row], cache[row + "__seconds"] = note, seconds
                    note = _describe(note)
            r = dict(
                dataset=dname,
                method=row.strip(),
                base=getattr(method, "derived_from", None),
                ari=float(adjusted_rand_score(y, labels)),
                nmi=float(normalized_mutual_info_score(y, labels)),
                acc=clustering_accuracy(y, labels),
                nn1=one_nn_accuracy(F, y, split),
                fit_s=float(seconds),
                n_samples=len(W),
                n_clusters=k,
                note=note,
            )
            if row in cache:
                r["n_groups"] = int(cache[row].n_groups_)
            results.append(r)
            print(
                f"{dname:7s} {row:45s} ARI {r['ari']:.3f} NMI {r['nmi']:.3f} "
                f"ACC {r['acc']:.3f} 1-NN {r['nn1']:.3f} fit {seconds:7.1f}s",
                flush=True,
            )
        if DEFAULTS in cache and k <= 10:  # n_clusters="auto" tries 2..max_clusters=10
            results.append(
                auto_k_row(
                    dname, cache[DEFAULTS].embedding_, k, args.seed, cache[DEFAULTS].clustering
                )
            )
    if "synth" in datasets and not args.only:
        from skseq2seq.datasets import make_motion_sequences

        for seed in (1, 2, 3):  # more synthetic draws: full fits with n_clusters="auto"
            X, y = make_motion_sequences(n_sequences=200 if args.quick else 400, random_state=seed)
            params = {}
            if args.quick:
                params["embedder"] = default_embedder().set_params(max_epochs=5)
            model = Seq2SeqClusterer(n_clusters="auto", random_state=seed, **params).fit(X)
            results.append(
                dict(
                    dataset="synth",
                    method="auto_k",
                    seed=seed,
                    true_k=4,
                    chosen_k=int(model.n_clusters_),
                    scores={int(a): b for a, b in model.k_scores_.items()},
                    ari=float(adjusted_rand_score(y, model.labels_)),
                )
            )
    for dname, (W, y, k, split) in datasets.items():
        for seed in [] if args.only else args.more_seeds:
            results.append(seed_row(dname, W, y, k, seed, args))
            r = results[-1]
            print(
                f"seed {seed} {dname:7s} ARI {r['ari']:.3f} (no merging {r['ari_no_merge']:.3f},"
                f" {r['n_groups']} groups)",
                flush=True,
            )
    for r in results:
        if r["method"] == "auto_k":
            print(
                f"auto k {r['dataset']:7s} seed {r['seed']}: chose {r['chosen_k']} "
                f"(true {r['true_k']})",
                flush=True,
            )
    return results, datasets


def seed_row(dname, W, y, k, seed, args):
    """Defaults trained with another seed: ARI with and without merging surplus groups."""
    params = {"embedder": default_embedder().set_params(max_epochs=5)} if args.quick else {}
    clusterer = Seq2SeqClusterer(n_clusters=k, random_state=seed, **params)
    t = time.perf_counter()
    labels = clusterer.fit_predict(W)
    seconds = time.perf_counter() - t
    plain = EmbeddingClusterer(n_clusters=k, random_state=seed, n_extra_clusters=0)
    plain = plain.fit_predict(clusterer.embedding_)
    return dict(
        dataset=dname,
        method="seed",
        seed=seed,
        ari=float(adjusted_rand_score(y, labels)),
        ari_no_merge=float(adjusted_rand_score(y, plain)),
        n_groups=int(clusterer.n_groups_),
        fit_s=seconds,
    )


def auto_k_row(dname, embedding, k, seed, clustering):
    """k that n_clusters="auto" picks on a trained default clusterer's embedding."""
    auto = EmbeddingClusterer(n_clusters="auto", clustering=clustering, random_state=seed)
    chosen = auto.fit(embedding).n_clusters_
    return dict(
        dataset=dname,
        method="auto_k",
        seed=seed,
        true_k=k,
        chosen_k=int(chosen),
        scores={int(a): b for a, b in auto.k_scores_.items()},
    )


def _describe(clusterer):
    e = clusterer.embedder_
    return (
        f"embedding={e.embedding}, objective={e.objective}, clustering={clusterer.clustering}, "
        f"groups cut={clusterer.n_groups_}, epochs={e.max_epochs}"
    )


def write(results, datasets, args, seconds):
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "_quick" if args.quick else ""
    meta = dict(
        command=" ".join(["python benchmarks/bench_quality.py"] + sys.argv[1:]),
        quick=args.quick,
        seed=args.seed,
        machine=platform.processor() or platform.machine(),
        threads=int(os.environ.get("OMP_NUM_THREADS", "1")),
        total_s=seconds,
        date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    )
    (out / f"quality{suffix}.json").write_text(
        json.dumps(dict(meta=meta, results=results), indent=1)
    )
    lines = [
        "# Clustering quality: Seq2SeqClusterer vs baselines",
        "",
        f"Generated by `{meta['command']}` on {meta['date']} "
        f"({meta['threads']} thread(s), {seconds / 60:.1f} min in all; seed {args.seed}). "
        "ARI / NMI / ACC (Hungarian accuracy) of the clusters with k = true number of classes; "
        "1-NN: Predict & Cluster protocol (1-nearest-neighbour accuracy on the features, train "
        "on some recordings, test on others never seen: cmu, alternate recordings of each "
        "action; concat, two concatenations train, one made of the other source recordings "
        "tests; synth, alternate sequences; s86, none); fit: seconds to fit (features + "
        "clustering; on a shared machine other jobs inflate them). Best per column in bold.",
        "",
    ]
    for dname, (W, y, k, split) in datasets.items():
        rows = [
            r for r in results if r["dataset"] == dname and r["method"] not in ("auto_k", "seed")
        ]
        if not rows:
            continue
        desc = {
            "cmu": "CMU 7-action windows (50 frames, stride 10, within recordings)",
            "concat": "concatenated CMU recordings, windowed (50, stride 10), centre-frame labels",
            "synth": "make_motion_sequences (dynamics-only regimes)",
            "s86": "hold-out: subject 86 trials 01/03/05 at 30 fps, windowed (50, stride 10), "
            "centre-frame labels",
        }[dname]
        lines += [f"## {dname}: {desc}; {len(W)} windows of shape {W.shape[1:]}, k = {k}", ""]
        lines += [
            "| method | ARI | NMI | ACC | 1-NN | fit (s) | note |",
            "|---|---|---|---|---|---|---|",
        ]
        best = {
            m: max((r[m] for r in rows if r[m] == r[m]), default=None)
            for m in ("ari", "nmi", "acc", "nn1")
        }

        def cell(r, m):
            if r[m] != r[m]:  # NaN: not measured
                return "-"
            v = f"{r[m]:.3f}"
            return f"**{v}**" if r[m] == best[m] else v

        for r in rows:
            lines.append(
                f"| {r['method']} | {cell(r, 'ari')} | {cell(r, 'nmi')} | {cell(r, 'acc')} "
                f"| {cell(r, 'nn1')} | {r['fit_s']:.1f} | {r['note']} |"
            )
        lines.append("")
    seeds = [r for r in results if r["method"] == "seed"]
    if seeds:
        lines += [
            "## Training seeds: `Seq2SeqClusterer(n_clusters=k, random_state=seed)`",
            "",
            "ARI of the defaults per training seed (the tables above use seed "
            f"{args.seed}), and of the same embedding clustered without merging surplus groups "
            "(`n_extra_clusters=0`, the default before); in brackets, the groups cut.",
            "",
            "| dataset | "
            + " | ".join(f"seed {s}" for s in [args.seed] + args.more_seeds)
            + " | mean | mean, no merging |",
            "|---|" + "---|" * (len(args.more_seeds) + 3),
        ]
        for dname in datasets:
            base = next(
                (r for r in results if r["dataset"] == dname and r["method"] == DEFAULTS.strip()),
                None,
            )
            rows = [r for r in seeds if r["dataset"] == dname]
            if base is None or not rows:
                continue
            plain = next(
                r
                for r in results
                if r["dataset"] == dname
                and r["method"].startswith("clustering: spectral, no surplus")
            )
            aris = [base["ari"]] + [r["ari"] for r in rows]
            plains = [plain["ari"]] + [r["ari_no_merge"] for r in rows]
            groups = [base["n_groups"]] + [r["n_groups"] for r in rows]
            lines.append(
                f"| {dname} | "
                + " | ".join(f"{a:.3f} ({g})" for a, g in zip(aris, groups))
                + f" | **{np.mean(aris):.3f}** | {np.mean(plains):.3f} |"
            )
        lines.append("")
    auto = [r for r in results if r["method"] == "auto_k"]
    if auto:
        hits = sum(r["chosen_k"] == r["true_k"] for r in auto)
        lines += [
            '## Automatic k: `Seq2SeqClusterer(n_clusters="auto")`',
            "",
            "Eigengap of the spectral clustering's 10-NN graph over k = 2..10 on the default "
            "embedding; CMU and concat: the "
            "embedding trained above; synth: the seed-0 embedding above plus full fits on three "
            f"more synthetic draws. Found the true k in **{hits} of {len(auto)}** cases.",
            "",
            "| dataset | data seed | true k | chosen k | eigengap by k |",
            "|---|---|---|---|---|",
        ]
        for r in auto:
            scores = ", ".join(f"{a}: {b:.4f}" for a, b in sorted(r["scores"].items()))
            lines.append(
                f"| {r['dataset']} | {r['seed']} | {r['true_k']} | {r['chosen_k']} | {scores} |"
            )
        lines.append("")
    (out / f"quality{suffix}.md").write_text("\n".join(lines))
    print(f"wrote {out / f'quality{suffix}.md'}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="subsampled data, at most 5 epochs: a smoke run of a minute or two",
    )
    parser.add_argument("--datasets", default="cmu,concat,synth,s86")
    parser.add_argument(
        "--more-seeds",
        default="1,2,3,4",
        type=lambda v: [int(s) for s in v.split(",") if s],
        help="more training seeds for the defaults; '' for none",
    )
    parser.add_argument("--only", default="", help="comma-separated substrings of row names")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ts-subsample", type=int, default=300)
    parser.add_argument("--ts-downsample", type=int, default=5)
    parser.add_argument("--out-dir", default=str(HERE / "results"))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    results, datasets = run(args)
    write(results, datasets, args, time.perf_counter() - start)


if __name__ == "__main__":
    main()
