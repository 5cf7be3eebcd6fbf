"""Why spectral clustering stopped at ARI ~0.60 on CMU windows: the clusters, per recording.

The 3,237 CMU windows come from 32 recordings (5 per action, 2 for
directing_traffic); basketball_signal's 5 recordings hold 48% of them. This
script trains ``Seq2SeqClusterer`` on CPU, clusters its embedding by spectral
clustering into k groups (``n_extra_clusters=0``, the default before this
study) and asks:

* does each recording fall into one cluster (recording purity)? If so, the
  ARI only depends on how the 32 recordings are grouped;
* what is the best ARI a 7-cluster partition can reach if it keeps one action
  split the way the default splits it, everything else perfect (ceiling)?
* which recordings are nearest each recording of a split action, in the default
  embedding and in per-window mean/std features (recording centroids)?
* do changes to training (weight decay, input noise, fewer epochs) move it?
* does a two-level clustering (over-cluster the embedding, then merge the
  clusters by their windows' mean/std features) help, on all three datasets?
  With a fixed factor, no; with the number of groups read from the eigengap
  (at most k + 2: ``n_extra_clusters=2``, the default since), yes.

Usage::

    OMP_NUM_THREADS=1 python benchmarks/bench_quality_recordings.py --workers 2

(~5 min on 2 cores) writes ``results/quality_recordings.md`` and ``.json``.
"""

import argparse
import concurrent.futures as cf
import itertools
import json
import time
import warnings
from pathlib import Path

import numpy as np
from bench_quality_study import _spectral, load_dataset

from skseq2seq import Seq2SeqModule, posture_statistics

HERE = Path(__file__).resolve().parent
ACTIONS = [
    "basketball",
    "basketball_signal",
    "directing_traffic",
    "jumping",
    "running",
    "soccer",
    "walking",
]


# -- training (one process per task, one thread each) -----------------------


def _noisy(module_class, std):
    """The network, with Gaussian noise added to its (standardised) inputs in training."""
    import torch

    class NoisyInputs(module_class):
        def forward(self, X, lengths):
            if self.training:
                X = X + std * torch.randn_like(X)
            return super().forward(X, lengths)

    return NoisyInputs


TRAINING_VARIANTS = {  # embedder parameters, skorch's prefixed ones included
    "defaults": {},
    "Adam weight decay 1e-4": {"optimizer__weight_decay": 1e-4},
    "Adam weight decay 1e-2": {"optimizer__weight_decay": 1e-2},
    "input noise, std 0.3": {"module": _noisy(Seq2SeqModule, 0.3)},
    "input noise, std 1.0": {"module": _noisy(Seq2SeqModule, 1.0)},
    "5 epochs (default 20)": {"max_epochs": 5},
}


def train(task):
    """Fit Seq2SeqClusterer defaults, with one training variant's embedder parameters."""
    import torch
    from sklearn.base import clone

    from skseq2seq import Seq2SeqClusterer

    torch.set_num_threads(1)
    # The fit seeds initialisation and batch order; the input noise of a variant
    # draws from the process-wide generator, which must not depend on earlier tasks.
    torch.manual_seed(task["seed"])
    warnings.filterwarnings("ignore")
    W, y, k, groups = load_dataset(task["dataset"], task["data_seed"])
    variant = TRAINING_VARIANTS[task["variant"]]
    t0 = time.perf_counter()
    clusterer = Seq2SeqClusterer(n_clusters=k, random_state=task["seed"], n_extra_clusters=0)
    clusterer.set_params(**{f"embedder__{name}": value for name, value in variant.items()})
    clusterer.fit(W)
    fit_s = time.perf_counter() - t0
    merged = (
        clone(clusterer.embedding_clusterer_)
        .set_params(n_extra_clusters=2)
        .fit(clusterer.embedding_, merge_features=posture_statistics(W))
    )
    return (
        task,
        clusterer.labels_,
        clusterer.embedding_.astype(np.float32),
        fit_s,
        merged.labels_,
        merged.n_groups_,
    )


# -- analysis ---------------------------------------------------------------


def recording_purity(labels, groups):
    """Mean over recordings of the share of its windows in its most common cluster."""
    return float(
        np.mean(
            [
                np.bincount(labels[groups == r]).max() / np.sum(groups == r)
                for r in np.unique(groups)
            ]
        )
    )


def class_in_one_cluster(labels, y, cls):
    return bool(len(np.unique(labels[y == cls])) == 1)


def split_ceiling(y, groups, labels, cls, k):
    """Best ARI with k clusters if class ``cls`` stays split as ``labels`` split it.

    Each recording of ``cls`` goes to its majority cluster; the true labels are
    refined by that split and, while there are more than k groups, the two
    groups whose merge gives the highest ARI are merged (greedy; exact for one
    merge). Returns (ARI of the refinement, ARI after merging to k).
    """
    from sklearn.metrics import adjusted_rand_score

    refined = y.copy()
    for r in np.unique(groups[y == cls]):
        major = np.bincount(labels[groups == r]).argmax()
        refined[groups == r] = y.max() + 1 + major
    parts = np.unique(refined, return_inverse=True)[1]
    before = adjusted_rand_score(y, parts)
    split = set(np.unique(parts[y == cls]).tolist())  # groups holding a part of cls
    while len(np.unique(parts)) > k:
        a, b = max(
            (
                (a, b)
                for a, b in itertools.combinations(np.unique(parts).tolist(), 2)
                if not (a in split and b in split)
            ),  # the split must stay
            key=lambda ab: adjusted_rand_score(y, np.where(parts == ab[1], ab[0], parts)),
        )
        parts = np.where(parts == b, a, parts)
        if b in split:
            split.add(a)
    return float(before), float(adjusted_rand_score(y, parts))


def nearest_recordings(F, y, groups, recordings, metric, n=4):
    """For each recording in ``recordings``: the n recordings whose window centroids are nearest."""
    from sklearn.metrics import pairwise_distances

    ids = np.unique(groups)
    centroids = np.array([F[groups == r].mean(0) for r in ids])
    D = pairwise_distances(centroids, metric=metric)
    out = {}
    for r in recordings:
        i = int(np.flatnonzero(ids == r)[0])
        order = [j for j in np.argsort(D[i]) if j != i][:n]
        out[int(r)] = [
            (int(ids[j]), ACTIONS[y[groups == ids[j]][0]], float(D[i, j])) for j in order
        ]
    return out


def two_level(E, F, k, factor):
    """Spectral clustering of the embedding into factor * k groups, merged by posture centroids."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.preprocessing import normalize

    groups = np.unique(_spectral(normalize(E), int(round(factor * k))), return_inverse=True)[1]
    centroids = np.stack([F[groups == g].mean(0) for g in range(groups.max() + 1)])
    return AgglomerativeClustering(k, linkage="average").fit_predict(centroids)[groups]


# -- report -----------------------------------------------------------------


def main(argv=None):
    from sklearn.metrics import adjusted_rand_score

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--variant-seeds", default="0,1")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=str(HERE / "results" / "quality_recordings"))
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    variant_seeds = [int(s) for s in args.variant_seeds.split(",")]
    tasks = [
        dict(dataset=d, seed=s, data_seed=0 if d == "cmu" else s, variant="defaults")
        for d in ("cmu", "concat", "synth")
        for s in seeds
    ]
    tasks += [
        dict(dataset="cmu", seed=s, data_seed=0, variant=v)
        for v in TRAINING_VARIANTS
        if v != "defaults"
        for s in variant_seeds
    ]
    t0 = time.perf_counter()
    runs = {}
    with cf.ProcessPoolExecutor(args.workers) as pool:
        for task, labels, E, fit_s, merged, n_groups in pool.map(train, tasks):
            runs[task["dataset"], task["variant"], task["seed"]] = (labels, E, fit_s)
            runs[task["dataset"], task["variant"], task["seed"], "merged"] = (merged, n_groups)
            print(task, f"{fit_s:.0f}s", flush=True)

    W, y, k, groups = load_dataset("cmu", 0)
    big = int(np.bincount(y).argmax())
    result = {
        "seeds": seeds,
        "variant_seeds": variant_seeds,
        "defaults": [],
        "variants": [],
        "ceilings": [],
        "two_level": [],
    }
    lines = [
        "# CMU windows, recording by recording",
        "",
        f"Generated by `python benchmarks/bench_quality_recordings.py` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} ({args.workers} workers, one thread "
        f"each, {(time.perf_counter() - t0) / 60:.1f} min). `Seq2SeqClusterer(n_clusters=k, "
        f"random_state=seed, n_extra_clusters=0)`: spectral clustering into k groups, as the "
        f"default did before this study; trained on CPU; CMU = the 7-action windows (50 frames, "
        f"stride 10: {len(y)} windows from {len(np.unique(groups))} recordings, "
        f"{np.mean(y == big):.0%} of them {ACTIONS[big]}). Recording purity: mean over recordings "
        f"of the share of its windows in its most common cluster.",
        "",
        "## A. Spectral clustering into k groups",
        "",
        f"| seed | ARI | recording purity | all {ACTIONS[big]} recordings in one cluster | fit (s) "
        "| ARI with surplus groups merged (`n_extra_clusters=2`, groups cut) |",
        "|---|---|---|---|---|---|",
    ]
    for s in seeds:
        labels, E, fit_s = runs["cmu", "defaults", s]
        row = dict(
            seed=s,
            ari=float(adjusted_rand_score(y, labels)),
            purity=recording_purity(labels, groups),
            big_class_whole=class_in_one_cluster(labels, y, big),
            fit_s=fit_s,
        )
        result["defaults"].append(row)
        merged, n_groups = runs["cmu", "defaults", s, "merged"]
        row.update(ari_merged=float(adjusted_rand_score(y, merged)), n_groups=n_groups)
        lines.append(
            f"| {s} | {row['ari']:.3f} | {row['purity']:.3f} | "
            f"{'yes' if row['big_class_whole'] else 'no'} | {fit_s:.0f} | "
            f"{row['ari_merged']:.3f} ({n_groups}) |"
        )

    labels0, E0, _ = runs["cmu", "defaults", seeds[0]]
    lines += [
        "",
        f"## B. Which cluster each recording falls in (seed {seeds[0]})",
        "",
        "| recording | action | windows | clusters (windows) |",
        "|---|---|---|---|",
    ]
    for r in np.unique(groups):
        counts = np.bincount(labels0[groups == r], minlength=k)
        cells = ", ".join(f"{c} ({n})" for c, n in enumerate(counts) if n)
        lines.append(f"| {r} | {ACTIONS[y[groups == r][0]]} | {np.sum(groups == r)} | {cells} |")

    lines += [
        "",
        "## C. Ceilings: the best ARI while one action stays split as the default "
        f"split it (seed {seeds[0]}, everything else perfect)",
        "",
        "| action split | groups | ARI with that split only (k + splits clusters) | "
        f"best ARI with k = {k} clusters |",
        "|---|---|---|---|",
    ]
    split_classes = [
        c
        for c in np.unique(y)
        if len(
            np.unique(
                [np.bincount(labels0[groups == r]).argmax() for r in np.unique(groups[y == c])]
            )
        )
        > 1
    ]
    for c in split_classes:
        before, after = split_ceiling(y, groups, labels0, c, k)
        n_groups = len(
            np.unique(
                [np.bincount(labels0[groups == r]).argmax() for r in np.unique(groups[y == c])]
            )
        )
        result["ceilings"].append(
            dict(action=ACTIONS[c], groups=n_groups, split_ari=before, best_ari_k=after)
        )
        lines.append(f"| {ACTIONS[c]} | {n_groups} | {before:.3f} | {after:.3f} |")

    lines += [
        "",
        f"## D. Nearest recordings to each {ACTIONS[big]} recording (distance between "
        "window centroids)",
        "",
        "| recording | default embedding, L2-normalised (cosine) | per-window mean/std "
        "(Euclidean) |",
        "|---|---|---|",
    ]
    from sklearn.preprocessing import normalize

    F = posture_statistics(W)
    big_recordings = np.unique(groups[y == big])
    near_emb = nearest_recordings(normalize(E0), y, groups, big_recordings, "cosine")
    near_ms = nearest_recordings(F, y, groups, big_recordings, "euclidean")
    result["nearest"] = {"embedding": near_emb, "meanstd": near_ms}
    for r in big_recordings:

        def cell(rows):
            return ", ".join(f"{j} {a} {d:.2f}" for j, a, d in rows)

        lines.append(f"| {r} | {cell(near_emb[int(r)])} | {cell(near_ms[int(r)])} |")

    lines += [
        "",
        "## E. Training variants on CMU",
        "",
        f"| training | ARI (seeds {', '.join(map(str, variant_seeds))}) | recording purity | "
        f"all {ACTIONS[big]} in one cluster |",
        "|---|---|---|---|",
    ]
    for v in TRAINING_VARIANTS:
        rows = [runs["cmu", v, s][0] for s in variant_seeds]
        aris = [float(adjusted_rand_score(y, lab)) for lab in rows]
        purity = [recording_purity(lab, groups) for lab in rows]
        whole = [class_in_one_cluster(lab, y, big) for lab in rows]
        result["variants"].append(dict(variant=v, ari=aris, purity=purity, big_class_whole=whole))
        lines.append(
            f"| {v} | {' / '.join(f'{a:.3f}' for a in aris)} | "
            f"{' / '.join(f'{p:.2f}' for p in purity)} | "
            f"{' / '.join('yes' if w else 'no' for w in whole)} |"
        )

    lines += [
        "",
        "## F. Two-level clustering of the default embedding: spectral into factor x k "
        "clusters, merged by average linkage of their windows' mean/std features",
        "",
        f"ARI per seed ({', '.join(map(str, seeds))}); first row: spectral clustering "
        "alone; last row: the eigengap picks k..k+2 groups, surplus ones merged by "
        "posture statistics (the default since).",
        "",
        "| clustering stage | cmu | concat | synth |",
        "|---|---|---|---|",
    ]
    stages = {
        "spectral, k clusters": None,
        "two-level, factor 1.5": 1.5,
        "two-level, factor 3": 3,
        "surplus merging (n_extra_clusters=2)": "merged",
    }
    for name, factor in stages.items():
        cells = []
        for d in ("cmu", "concat", "synth"):
            aris = []
            for s in seeds:
                Wd, yd, kd, _ = load_dataset(d, 0 if d == "cmu" else s)
                labels, E, _ = runs[d, "defaults", s]
                if factor == "merged":
                    labels = runs[d, "defaults", s, "merged"][0]
                elif factor is not None:
                    labels = two_level(E, posture_statistics(Wd), kd, factor)
                aris.append(float(adjusted_rand_score(yd, labels)))
            result["two_level"].append(dict(stage=name, dataset=d, ari=aris))
            cells.append(" / ".join(f"{a:.2f}" for a in aris))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    out.with_suffix(".json").write_text(json.dumps(result, indent=1))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
