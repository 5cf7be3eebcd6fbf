"""Unsupervised action segmentation of CMU subject 86: TemporalSegmenter vs baselines.

One command::

    python benchmarks/bench_segmentation.py                 # ~5 min on 1 core
    python benchmarks/bench_segmentation.py --sensitivity   # + ~5 min
    python benchmarks/bench_segmentation.py --seeds 0 --no-ablation --skip-timing

runs the development trials 01, 03 and 05 of subject 86 (``--data``: the
data home, holding ``cmu_mocap/subject86/``, default ``../shared/data``
relative to the repository root) and writes
``benchmarks/results/segmentation.{md,json}``.

Each trial is segmented into k = its number of distinct actions, with
:class:`skseq2seq.TemporalSegmenter`'s defaults (no per-trial tuning; one run
per seed in ``--seeds``) and, in the same run, classical baselines on the
same raw 96-channel exp-map frames (constant channels dropped, channels
standardised), the estimators of :mod:`skseq2seq.baselines` without their
temporal smoothing (``min_duration_seconds=0``):

* ``kmeans_frames``: k-means on single frames (``WindowStatsSegmenter``,
  one-frame window);
* ``kmeans_window``: k-means on the mean and standard deviation of every
  channel over a centred 1 s window (``WindowStatsSegmenter``);
* ``gaussian_hmm``: a k-state diagonal-Gaussian HMM on the first 20 principal
  components (``GaussianHMMSegmenter``: hmmlearn's ``GaussianHMM``, EM then
  Viterbi; needs ``pip install 'skseq2seq[baselines]'``);
* ``TS(states only)``: TemporalSegmenter(features="states"), the decoder
  states alone (ablation of the frame view; ``--no-ablation`` skips it);
* ``ward_window``: Ward hierarchical clustering of the mean/std features
  over a centred 1.5 s window (``WindowStatsSegmenter``, every 4th frame
  linked; the middle context and a linkage that
  TemporalSegmenter uses, on raw frames instead of decoder states), to show
  what the learned embedding adds over the context alone.

Scores: Hungarian frame accuracy and adjusted Rand index (plus boundary
precision/recall within 60 frames, 0.5 s). Runtimes: wall-clock and process
CPU time of ``fit`` per trial, and of one fit on a 10,000-frame recording
(trials 03 and 05 joined), with ``torch.set_num_threads(--threads)``.
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from skseq2seq.baselines import GaussianHMMSegmenter, WindowStatsSegmenter

ROOT = Path(__file__).resolve().parents[1]
FPS = 120


# -- baselines -------------------------------------------------------------
# skseq2seq.baselines, each as its row has always been computed: channels
# standardised (constant ones dropped or zeroed), no temporal smoothing
# (min_duration_seconds=0), seed 0.


def kmeans_frames(X, k, seed):
    # A window of one frame: the mean is the frame, the spread 0.
    return WindowStatsSegmenter(
        k,
        fps=FPS,
        window_seconds=1 / FPS,
        clustering="kmeans",
        min_duration_seconds=0,
        random_state=seed,
    ).fit_predict(X)


def kmeans_window(X, k, seed):
    return WindowStatsSegmenter(
        k,
        fps=FPS,
        window_seconds=1.0,
        clustering="kmeans",
        min_duration_seconds=0,
        random_state=seed,
    ).fit_predict(X)


def ward_window(X, k, seed):
    # Ward linkage of every 4th frame (as before: max_cluster_samples frames, evenly spaced).
    return WindowStatsSegmenter(
        k,
        fps=FPS,
        window_seconds=1.5,
        clustering="ward",
        min_duration_seconds=0,
        max_cluster_samples=-(-len(X) // 4),
    ).fit_predict(X)


def gaussian_hmm(X, k, seed):
    return GaussianHMMSegmenter(k, n_components=20, n_iter=25, random_state=seed).fit_predict(X)


BASELINES = {
    "kmeans_frames": kmeans_frames,
    "kmeans_window": kmeans_window,
    "gaussian_hmm": gaussian_hmm,
    "ward_window": ward_window,
}


# One change of the defaults at a time (--sensitivity), to show that the
# result does not hinge on a finely tuned value.
SENSITIVITY = {
    "defaults": {},
    "context 0.5/1/1.5 s": {"context_seconds": (0.5, 1.0, 1.5)},
    "context 1.5/2/3 s": {"context_seconds": (1.5, 2.0, 3.0)},
    "no Viterbi pass": {"min_duration_seconds": 0.0},
    "min duration 1 s": {"min_duration_seconds": 1.0},
    "windows 0.25+0.25 s": {"observed_seconds": 0.25, "predicted_seconds": 0.25},
    "30 fps": {"working_fps": 30},
    "20 epochs": {"embedder__max_epochs": 20},
}


# -- runs -----------------------------------------------------------------


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def scores(y, labels):
    from skseq2seq.metrics import segmentation_report

    report = segmentation_report(y, labels, tolerance=0.5, fps=120)  # 60 frames
    return {
        key: round(float(report[key]), 4)
        for key in ("accuracy", "ari", "nmi", "boundary_precision", "boundary_recall")
    }


def change_point_scores(y, seg, tolerance=60):
    """Precision/recall of the prediction-error peaks (change_points_) as boundaries."""
    from skseq2seq.metrics import boundaries

    true_b = boundaries(y)
    cuts = np.asarray(seg.change_points_)
    near = np.abs(true_b[:, None] - cuts[None, :]) <= tolerance if len(cuts) else None
    if near is None:
        return {"cp_precision": 1.0, "cp_recall": 0.0, "n_change_points": 0}
    return {
        "cp_precision": round(float(near.any(0).mean()), 4),
        "cp_recall": round(float(near.any(1).mean()), 4),
        "n_change_points": int(len(cuts)),
    }


def _trial(bunch):
    """(frames, labels, action names) of a load_cmu_subject86 Bunch."""
    return bunch.data, bunch.target, bunch.target_names.tolist()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data",
        default=str(ROOT.parent / "shared" / "data"),
        help="data home: the folder containing cmu_mocap/subject86/",
    )
    parser.add_argument("--trials", nargs="+", default=["01", "03", "05"])
    parser.add_argument(
        "--seeds",
        nargs="+",
        type=int,
        default=[0, 1, 2],
        help="random_state of each TemporalSegmenter run",
    )
    parser.add_argument("--threads", type=int, default=2, help="torch/BLAS threads")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "segmentation"))
    parser.add_argument(
        "--no-ablation",
        dest="ablation",
        action="store_false",
        help="skip TemporalSegmenter(features='states')",
    )
    parser.add_argument(
        "--sensitivity",
        action="store_true",
        help="also run one-parameter changes of the defaults (seed 0)",
    )
    parser.add_argument("--skip-timing", action="store_true", help="skip the 10,000-frame run")
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(args.threads)
    from skseq2seq import TemporalSegmenter, __version__
    from skseq2seq.datasets import load_cmu_subject86

    results = {
        "trials": {},
        "config": {
            "threads": args.threads,
            "seeds": args.seeds,
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "skseq2seq": __version__,
            "machine": platform.machine(),
            "cpu_count": os.cpu_count(),
            "defaults": TemporalSegmenter().get_params(),
            "gaussian_hmm": "hmmlearn",
        },
    }
    for trial in args.trials:
        X, y, names = _trial(load_cmu_subject86(trial, data_home=args.data))
        k = len(names)
        entry = {"n_frames": len(X), "k": k, "actions": names, "methods": {}}
        runs = []
        for seed in args.seeds:
            seg = TemporalSegmenter(n_clusters=k, random_state=seed)
            labels, wall, cpu = timed(lambda: seg.fit_predict(X))
            runs.append(
                {
                    "seed": seed,
                    **scores(y, labels),
                    **change_point_scores(y, seg),
                    "fit_wall_s": round(wall, 2),
                    "fit_cpu_s": round(cpu, 2),
                }
            )
            print(f"trial {trial} ours seed {seed}: {runs[-1]}", flush=True)
        entry["methods"]["TemporalSegmenter"] = {"runs": runs, **_summary(runs)}
        if args.ablation:  # the paper's embedding alone (features="states")
            runs = []
            for seed in args.seeds:
                seg = TemporalSegmenter(n_clusters=k, features="states", random_state=seed)
                labels, wall, cpu = timed(lambda: seg.fit_predict(X))
                runs.append(
                    {
                        "seed": seed,
                        **scores(y, labels),
                        "fit_wall_s": round(wall, 2),
                        "fit_cpu_s": round(cpu, 2),
                    }
                )
                print(f"trial {trial} states-only seed {seed}: {runs[-1]}", flush=True)
            entry["methods"]["TS(states only)"] = {"runs": runs, **_summary(runs)}
        for name, fn in BASELINES.items():
            labels, wall, cpu = timed(lambda: fn(X, k, 0))
            run = {
                "seed": 0,
                **scores(y, labels),
                "fit_wall_s": round(wall, 2),
                "fit_cpu_s": round(cpu, 2),
            }
            entry["methods"][name] = {"runs": [run], **_summary([run])}
            print(f"trial {trial} {name}: {run}", flush=True)
        results["trials"][trial] = entry

    if args.sensitivity:
        results["sensitivity"] = {}
        data = {t: _trial(load_cmu_subject86(t, data_home=args.data)) for t in args.trials}
        for name, params in SENSITIVITY.items():
            accs = {}
            for trial, (X, y, names) in data.items():
                seg = TemporalSegmenter(n_clusters=len(names), random_state=0).set_params(**params)
                accs[trial] = scores(y, seg.fit_predict(X))
            results["sensitivity"][name] = {
                "params": params,
                "accuracy": {t: a["accuracy"] for t, a in accs.items()},
                "mean": round(float(np.mean([a["accuracy"] for a in accs.values()])), 4),
                "boundary_precision_mean": round(
                    float(np.mean([a["boundary_precision"] for a in accs.values()])), 4
                ),
                "boundary_recall_mean": round(
                    float(np.mean([a["boundary_recall"] for a in accs.values()])), 4
                ),
            }
            print(f"sensitivity {name}: {results['sensitivity'][name]}", flush=True)

    if not args.skip_timing:
        X3 = load_cmu_subject86("03", data_home=args.data).data
        X5 = load_cmu_subject86("05", data_home=args.data).data
        X = np.concatenate([X3, X5])[:10_000]
        seg = TemporalSegmenter(n_clusters=8, random_state=0)
        _, wall, cpu = timed(lambda: seg.fit(X))
        results["timing_10000_frames"] = {"fit_wall_s": round(wall, 2), "fit_cpu_s": round(cpu, 2)}
        print(f"10,000 frames: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(results, indent=2, default=repr))
    out.with_suffix(".md").write_text(_markdown(results))
    print(_markdown(results))


def _summary(runs):
    acc = [r["accuracy"] for r in runs]
    ari = [r["ari"] for r in runs]
    return {
        "accuracy_mean": round(float(np.mean(acc)), 4),
        "accuracy_std": round(float(np.std(acc)), 4),
        "ari_mean": round(float(np.mean(ari)), 4),
        "fit_wall_s_mean": round(float(np.mean([r["fit_wall_s"] for r in runs])), 2),
    }


def _markdown(results):
    methods = list(next(iter(results["trials"].values()))["methods"])
    cfg = results["config"]
    lines = [
        "# Action segmentation of CMU subject 86 (dev trials)",
        "",
        "Generated by `python benchmarks/bench_segmentation.py`. k = number of distinct "
        "actions per trial; TemporalSegmenter with its defaults (mean over seeds "
        f"{cfg['seeds']}, std in brackets); baselines once (seed 0). "
        f"{cfg['threads']} torch thread(s), torch {cfg['torch']}, {cfg['cpu_count']} CPUs "
        "(shared machine: wall times are indicative).",
        "",
        "## Hungarian frame accuracy / ARI",
        "",
        "| trial | frames | k | " + " | ".join(methods) + " |",
        "|---|---|---|" + "---|" * len(methods),
    ]
    means = {m: [] for m in methods}
    aris = {m: [] for m in methods}
    for trial, entry in results["trials"].items():
        cells = []
        for m in methods:
            s = entry["methods"][m]
            std = f" (±{s['accuracy_std']:.3f})" if len(s["runs"]) > 1 else ""
            cells.append(f"{s['accuracy_mean']:.3f}{std} / {s['ari_mean']:.3f}")
            means[m].append(s["accuracy_mean"])
            aris[m].append(s["ari_mean"])
        lines.append(
            f"| {trial} | {entry['n_frames']} | {entry['k']} | " + " | ".join(cells) + " |"
        )
    best = max(methods, key=lambda m: np.mean(means[m]))
    lines.append(
        "| **mean** | | | "
        + " | ".join(
            (f"**{np.mean(means[m]):.3f}**" if m == best else f"{np.mean(means[m]):.3f}")
            + f" / {np.mean(aris[m]):.3f}"
            for m in methods
        )
        + " |"
    )
    lines += [
        "",
        "## Boundaries (±60 frames = 0.5 s), TemporalSegmenter",
        "",
        "Label boundaries of `labels_`, and peaks of the prediction error "
        "(`change_points_`, a frame is a hit when a true boundary lies within 60 frames).",
        "",
        "| trial | seed | label-boundary precision | recall | change-point precision | recall "
        "| change points |",
        "|---|---|---|---|---|---|---|",
    ]
    for trial, entry in results["trials"].items():
        for r in entry["methods"]["TemporalSegmenter"]["runs"]:
            lines.append(
                f"| {trial} | {r['seed']} | {r['boundary_precision']:.2f} | "
                f"{r['boundary_recall']:.2f} | {r['cp_precision']:.2f} | "
                f"{r['cp_recall']:.2f} | {r['n_change_points']} |"
            )
    lines += [
        "",
        "## Fit runtime (wall-clock s; CPU s in brackets)",
        "",
        "| trial | " + " | ".join(methods) + " |",
        "|---|" + "---|" * len(methods),
    ]
    for trial, entry in results["trials"].items():
        cells = []
        for m in methods:
            runs = entry["methods"][m]["runs"]
            cells.append(
                f"{np.mean([r['fit_wall_s'] for r in runs]):.1f} "
                f"({np.mean([r['fit_cpu_s'] for r in runs]):.1f})"
            )
        lines.append(f"| {trial} | " + " | ".join(cells) + " |")
    if "sensitivity" in results:
        trials = list(results["trials"])
        lines += [
            "",
            "## Sensitivity: one change of the defaults at a time (seed 0)",
            "",
            "Accuracy per trial and mean; boundary precision/recall of the labels "
            "(mean over trials).",
            "",
            "| variant | " + " | ".join(trials) + " | mean | boundary P | boundary R |",
            "|---|" + "---|" * (len(trials) + 3),
        ]
        for name, entry in results["sensitivity"].items():
            lines.append(
                f"| {name} | "
                + " | ".join(f"{entry['accuracy'][t]:.3f}" for t in trials)
                + f" | {entry['mean']:.3f} | {entry['boundary_precision_mean']:.2f} | "
                f"{entry['boundary_recall_mean']:.2f} |"
            )
    if "timing_10000_frames" in results:
        t = results["timing_10000_frames"]
        lines += [
            "",
            f"10,000-frame recording (trials 03+05 joined, k=8), TemporalSegmenter "
            f"defaults: **{t['fit_wall_s']:.1f} s** wall-clock, {t['fit_cpu_s']:.1f} s CPU.",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
