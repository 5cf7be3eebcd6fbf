"""Unsupervised action segmentation of CMU subject 86: TemporalSegmenter vs baselines.

One command::

    python benchmarks/bench_segmentation.py --jobs 2     # ~40 min on 2 cores, nets cached
    python benchmarks/bench_segmentation.py --seeds 0 --no-joint --skip-timing

runs the development trials 01, 03 and 05 of subject 86 (``--data``: the
data home, holding ``cmu_mocap/subject86/``, default ``../shared/data``
relative to the repository root) and writes
``benchmarks/results/segmentation.{md,json}``. Trained nets are cached in
``--cache`` (``TemporalSegmenter(memory=...)``), so a rerun, or candidates
that differ only after training, reuse them.

The defaults are chosen leave-one-trial-out: every candidate in
``CANDIDATES`` (declared here, before the run) segments every trial into
k = its number of distinct actions, for every seed in ``--seeds``; for each
held-out trial, the candidate with the best mean accuracy on the two others
is reported on it, and the package default is the candidate chosen for most
held-out trials. The defaults' per-trial rows come from the same runs.

In the same run, classical baselines on the same raw 96-channel exp-map
frames (constant channels dropped, channels standardised), the estimators
of :mod:`skseq2seq.baselines` without their temporal smoothing
(``min_duration_seconds=0``):

* ``kmeans_frames``: k-means on single frames (``WindowStatsSegmenter``,
  one-frame window);
* ``kmeans_window``: k-means on the mean and standard deviation of every
  channel over a centred 1 s window (``WindowStatsSegmenter``);
* ``gaussian_hmm``: a k-state diagonal-Gaussian HMM on the first 20 principal
  components (``GaussianHMMSegmenter``: hmmlearn's ``GaussianHMM``, EM then
  Viterbi; needs ``pip install 'skseq2seq[baselines]'``);
* ``ward_window``: Ward hierarchical clustering of the mean/std features
  over a centred 1.5 s window (``WindowStatsSegmenter``, every 4th frame
  linked), what the context statistics give without the learned embedding.

Scores: Hungarian frame accuracy and adjusted Rand index.

Also, in the same run:

* ``n_clusters="auto"``: the number of actions chosen per trial and seed,
  and the accuracy at that number, at every ``min_action_seconds`` in
  ``MIN_ACTION_SECONDS`` (each fitted: the consensus depends on it). It is
  chosen leave-one-trial-out (the value whose chosen k is closest to the
  annotated k on the two other trials, summed over seeds; ties go to the
  shorter duration) and reported for the third trial.
* Cuts: ``change_points_`` (boundaries of the labels), ``error_peaks_``
  (peaks of the prediction error), ruptures' ``KernelCPD`` (``pip install
  'skseq2seq[benchmarks]'``) and ClaSP (``pip install --no-deps claspy
  daproli``: claspy's declared requirements pull aeon and an older numpy;
  each skipped without its package) scored by :func:`skseq2seq.metrics.boundary_report`:
  precision, recall and F1, a cut counting when matched one to one with an
  annotated transition at most ``--tolerances`` seconds away (0.5 s, about
  the spread of the annotators' earliest and latest acceptable transitions,
  and 1 s).
* Ablations among the candidates: the frames alone (``features="frames"``,
  no net: :class:`~skseq2seq.baselines.FrameStatsSegmenter`), untrained nets
  (``embedder__max_epochs=0``), cuts not refined (``refine_seconds=0``), the
  consensus cut at k clusters whatever their sizes (``min_action_seconds=0``).
  Besides the leave-one-trial-out choice among all candidates, the same
  choice among the candidates with nets only: what the learned states give.
* Transfer (``--no-transfer`` skips it): fit on all trials but one, label
  the held-out one with ``predict``; accuracy on the held-out frames of the
  actions seen in training, clusters matched to actions on the training
  trials (the labels must carry) and re-matched on the held-out frames;
  Ward on window statistics under the same protocol.
* A held-out dataset, never used to choose a default (when the data home
  has ``h36m/``; ``--only-held-out`` reruns just it): per Human3.6M
  subject, the first 20 s of every recording joined end to end, trial 1s
  then trial 2s, each in a random order; k = the subject's actions. The
  defaults, the nets with and without the frames, and Ward on windows.
* Regimes that differ only in speed (``--only-speed-only`` reruns just it):
  the synthetic recording of the timing, where the frames' context
  statistics are the same in every regime; what the learned states see
  and the frames alone cannot.
* Several recordings (``--joint``): all trials in one ``fit`` (one
  consensus), k = the number of distinct action names over the trials;
  Hungarian accuracy with a single matching over the concatenated frames,
  so a cluster must mean the same action in every recording.
* Runtime: wall-clock and CPU time of fits (no cache) on a synthetic
  10,000-frame, 62-channel recording at 120 fps, with ``--timing-threads``
  torch threads (2: the 2-core machine of the target): the settings of
  ``TIMING`` (1 net; 3 nets on every window; 3 nets sharing out the
  windows; the frames alone) in turn, ``--timing-repeats`` times, medians and the ratios to
  one net.

``--auto-seeds``, ``--transfer-seeds`` and ``--clasp-seeds`` run those parts
on the first seeds only (to fit a time budget); the .json is written after
every stage, so an interrupted run keeps what it measured. ClaSP's cuts are
cached in ``--cache`` too (a run takes a minute or more).
"""

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
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
    n_frames = sum(map(len, X)) if isinstance(X, list) else len(X)
    return WindowStatsSegmenter(
        k,
        fps=FPS,
        window_seconds=1.5,
        clustering="ward",
        min_duration_seconds=0,
        max_cluster_samples=-(-n_frames // 4),
    ).fit_predict(X)


def gaussian_hmm(X, k, seed):
    return GaussianHMMSegmenter(k, n_components=20, n_iter=25, random_state=seed).fit_predict(X)


def kernel_cpd(X, fps=FPS, working_fps=10):
    """ruptures' KernelCPD (Gaussian kernel) on standardised frames at 10 fps.

    The penalty is log(n) (n: frames at 10 fps), fixed without labels (a
    BIC-like rule for a kernel cost bounded by 1 per frame); segments last
    at least 0.5 s. Of the variants tried while writing this benchmark
    (linear or Gaussian kernel, frames or 1 s mean/std windows, penalty
    from the data's variance or log(n)), this was the best on the dev
    trials, so the comparison favours the baseline.
    """
    import ruptures

    from skseq2seq._temporal import block_means

    factor = max(1, int(round(fps / working_fps)))
    X = X[:, X.std(0) > 0]
    Z = block_means((X - X.mean(0)) / X.std(0), factor)
    cuts = ruptures.KernelCPD(kernel="rbf", min_size=max(1, working_fps // 2)).fit(Z)
    return np.asarray(cuts.predict(pen=np.log(len(Z)))[:-1], dtype=np.int64) * factor


BASELINES = {
    "kmeans_frames": kmeans_frames,
    "kmeans_window": kmeans_window,
    "gaussian_hmm": gaussian_hmm,
    "ward_window": ward_window,
}


# -- runs -----------------------------------------------------------------


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def scores(y, labels, settled=None):
    """Frame scores; with ``settled`` (a mask), also the accuracy on those frames alone."""
    from skseq2seq.metrics import match_labels, segmentation_report

    report = segmentation_report(y, labels, tolerance=0.5, fps=120)  # 60 frames
    out = {
        key: round(float(report[key]), 4)
        for key in ("accuracy", "ari", "nmi", "boundary_precision", "boundary_recall")
    }
    if settled is not None:
        # The clusters matched to actions over every frame, scored where the
        # annotators agree on the action.
        mapping = match_labels(y, labels)
        matched = np.array([mapping.get(c, -1) for c in labels])
        out["accuracy_settled"] = round(float(np.mean(matched[settled] == y[settled])), 4)
    return out


def settled_frames(transition_windows, n_frames):
    """Frames outside every annotated transition window (``load_cmu_subject86``'s).

    Within a window (earliest to latest acceptable frame of a transition)
    the annotators accept either action; the labels cut at the best frame.
    """
    settled = np.ones(n_frames, dtype=bool)
    for start, stop in transition_windows:
        settled[start:stop] = False
    return settled


def cut_scores(y, cuts, tolerances):
    """Precision/recall/F1 of cut frames against the annotated transitions, per tolerance."""
    from skseq2seq.metrics import boundaries, boundary_report

    out = {"n_cuts": int(len(cuts))}
    for tol in tolerances:
        r = boundary_report(boundaries(y), cuts, tolerance=tol, fps=FPS)
        for key in ("precision", "recall", "f1"):
            out[f"{key}@{tol:g}"] = round(r[key], 4)
    return out


# -- leave-one-trial-out choice of the defaults ----------------------------
# Declared before the run. Every candidate runs on every trial and seed with
# the annotated k; for each held-out trial the candidate with the best mean
# accuracy on the two others is reported on it. The package's default is the
# candidate chosen for most held-out trials.
CONTEXTS = (1.5, 2.5, 3.5)
# The nets' cost: 3 nets on every window cost ~2.5x one net on a CPU; sharing
# the windows out among them (split_windows) costs one net's arithmetic, in
# batches of 64 windows per net (a third of the steps each) or 21 (as many
# steps as one net). Every candidate names the settings it is about, so that
# a change of the package's defaults does not change what a row measures.
# "consensus cut at k": the consensus tree cut at n_clusters clusters whatever
# their sizes (min_action_seconds=0), as before the least action size.
NETS = {"features": "states+frames", "context_seconds": CONTEXTS}
FRAMES = {"features": "frames", "context_seconds": CONTEXTS}
CANDIDATES = {
    "1 net": {**NETS, "n_nets": 1},
    "3 nets on every window": {**NETS, "n_nets": 3, "split_windows": False},
    "3 nets sharing out the windows": {**NETS, "n_nets": 3, "split_windows": True},
    "3 nets sharing out the windows in 21-window batches": {
        **NETS,
        "n_nets": 3,
        "split_windows": True,
        "embedder__batch_size": 21,
    },
    "3 nets on every window, reading 1 s": {**NETS, "n_nets": 3, "observed_seconds": 1.0},
    "3 nets, consensus cut at k": {**NETS, "n_nets": 3, "min_action_seconds": 0.0},
    "3 nets, cuts not refined": {**NETS, "n_nets": 3, "refine_seconds": 0.0},
    "3 untrained nets (ablation)": {**NETS, "n_nets": 3, "embedder__max_epochs": 0},
    "frames only, no net (FrameStatsSegmenter)": FRAMES,
    "frames only, consensus cut at k": {**FRAMES, "min_action_seconds": 0.0},
    "frames only, actions of 2 s": {**FRAMES, "min_action_seconds": 2.0},
    "frames only, actions of 3 s": {**FRAMES, "min_action_seconds": 3.0},
    "frames only, cuts not refined": {**FRAMES, "refine_seconds": 0.0},
}
# Candidates whose cuts (change_points_) also get a row in the cuts tables
# (the default's are the "TS" rows).
CUT_ROWS = {
    "1 net": "TS change_points_, 1 net",
    "3 nets on every window": "TS change_points_, 3 nets on every window",
    "3 nets sharing out the windows": "TS change_points_, 3 nets sharing out the windows",
    "3 nets, cuts not refined": "TS change_points_, 3 nets, cuts not refined",
    "3 untrained nets (ablation)": "TS change_points_, untrained nets",
    "frames only, no net (FrameStatsSegmenter)": "FrameStatsSegmenter change_points_",
    "frames only, cuts not refined": "frames only, cuts not refined",
}
# The 10,000-frame timing: each setting (n_clusters=8) fitted in turn, repeated.
TIMING = {
    "n_nets=1": {"features": "states+frames", "n_nets": 1},
    "3 nets on every window": {"features": "states+frames", "n_nets": 3, "split_windows": False},
    "3 nets sharing out the windows": {
        "features": "states+frames",
        "n_nets": 3,
        "split_windows": True,
    },
    "frames only": {"features": "frames"},
}

# Candidate values of min_action_seconds for the leave-one-trial-out choice
# (whole seconds: a finer grid would fit the two training trials' accidents).
MIN_ACTION_SECONDS = (1.0, 2.0, 3.0, 4.0, 5.0)


def loto_min_action_seconds(auto_runs, ks):
    """min_action_seconds chosen on all trials but one, per held-out trial.

    ``auto_runs[trial][duration]``: the n_clusters="auto" runs (each with its
    chosen ``k``) at that min_action_seconds; the duration whose chosen k is
    closest to the annotated ``ks`` on the other trials, summed over runs.
    """
    chosen = {}
    for held in auto_runs:

        def error(duration):
            return sum(
                abs(run["k"] - ks[trial])
                for trial, by_duration in auto_runs.items()
                if trial != held
                for run in by_duration[duration]
            )

        chosen[held] = min(MIN_ACTION_SECONDS, key=error)  # first (shortest) of ties
    return chosen


def loto_candidates(accuracy):
    """{held-out trial: candidate best on the other trials}; accuracy[cand][trial] = mean."""
    trials = list(next(iter(accuracy.values())))
    return {
        held: max(accuracy, key=lambda c: np.mean([accuracy[c][t] for t in trials if t != held]))
        for held in trials
    }


def _trial(bunch):
    """(frames, labels, action names) of a load_cmu_subject86 Bunch."""
    return bunch.data, bunch.target, bunch.target_names.tolist()


def clasp(X, fps=FPS, working_fps=30, n_cuts=None, seed=0):
    """ClaSP (claspy's ``BinaryClaSPSegmentation``) on standardised frames at 30 fps.

    Window 0.5 s; the number of segments learned by ClaSP's significance test
    (no labels), or, with ``n_cuts``, given (which uses the labels: a
    reference, not a competitor). Needs claspy (see the module docstring); 0.2.8
    calls ``np.trapz``, removed in numpy 2.4, hence the alias.
    """
    if not hasattr(np, "trapz"):
        np.trapz = np.trapezoid  # noqa: NPY201 (an alias for claspy, not a use)
    from claspy.segmentation import BinaryClaSPSegmentation

    from skseq2seq._temporal import block_means

    factor = max(1, int(round(fps / working_fps)))
    X = X[:, X.std(0) > 0]
    Z = np.ascontiguousarray(block_means((X - X.mean(0)) / X.std(0), factor))
    # Not repeatable even so (claspy draws at random): the benchmark averages seeds.
    params = {"window_size": max(2, working_fps // 2), "n_jobs": 1, "random_state": seed}
    if n_cuts is not None:
        params.update(n_segments=n_cuts + 1, validation=None)
    cuts = BinaryClaSPSegmentation(**params).fit_predict(Z)
    return np.sort(np.asarray(cuts, dtype=np.int64)) * factor


def timed_clasp(X, n_cuts, seed):
    """ClaSP's cuts (None when claspy fails) and its wall-clock seconds."""
    try:
        found, wall, _ = timed(lambda: clasp(X, n_cuts=n_cuts, seed=seed))
    except TypeError:  # claspy 0.2.8 fails when a split finds no cut
        return None, None
    return found, wall


def _has(module):
    import importlib.util

    return importlib.util.find_spec(module) is not None


def fit_scored(X, y, params, seed, memory, tolerances=(), threads=None, settled=None):
    """One TemporalSegmenter fit: (its scores, fit times and k, the scores of its cuts).

    The scores hold ``shortest`` (``shortest_action_seconds_``) when the
    number of actions was chosen; cuts are scored at ``tolerances``.
    """
    import torch

    from skseq2seq import TemporalSegmenter

    if threads is not None:  # a worker process of --jobs starts with torch's default
        torch.set_num_threads(threads)
    seg = TemporalSegmenter(random_state=seed, memory=memory).set_params(**params)
    labels, wall, cpu = timed(lambda: seg.fit_predict(X))
    run = {"seed": seed, **scores(y, labels, settled), "fit_wall_s": round(wall, 2)}
    run.update(fit_cpu_s=round(cpu, 2), k=int(seg.n_clusters_))
    if hasattr(seg, "shortest_action_seconds_"):
        run["shortest"] = seg.shortest_action_seconds_
    found_cuts = {
        attr: cut_scores(y, getattr(seg, attr), tolerances)
        for attr in ("change_points_", "error_peaks_")
    }
    return run, found_cuts


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
        default=[0, 1, 2, 3, 4],
        help="random_state of each TemporalSegmenter run",
    )
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument(
        "--jobs", type=int, default=1, help="candidate fits run at a time (processes)"
    )
    parser.add_argument(
        "--timing-threads", type=int, default=2, help="torch threads of the 10,000-frame run"
    )
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "segmentation"))
    parser.add_argument(
        "--cache",
        default=str(ROOT / ".studydata" / "segmentation"),
        help="joblib cache of the trained nets (TemporalSegmenter(memory=...))",
    )
    parser.add_argument(
        "--tolerances", nargs="+", type=float, default=[0.5, 1.0], help="cut tolerances (s)"
    )
    parser.add_argument(
        "--no-auto", dest="auto", action="store_false", help='skip n_clusters="auto"'
    )
    parser.add_argument(
        "--no-joint", dest="joint", action="store_false", help="skip the all-trials-at-once fit"
    )
    parser.add_argument("--skip-timing", action="store_true", help="skip the 10,000-frame run")
    parser.add_argument(
        "--no-transfer", dest="transfer", action="store_false", help="skip the transfer study"
    )
    parser.add_argument(
        "--no-clasp", dest="clasp", action="store_false", help="skip ClaSP (minutes per run)"
    )
    parser.add_argument(
        "--no-candidates",
        dest="candidates",
        action="store_false",
        help="skip the TemporalSegmenter candidates (e.g. to fill the ClaSP cache first)",
    )
    for what in ("auto", "transfer", "clasp"):
        parser.add_argument(
            f"--{what}-seeds",
            type=int,
            default=None,
            help=f"use only the first N of --seeds for the {what} runs (default: all)",
        )
    parser.add_argument(
        "--timing-repeats", type=int, default=3, help="interleaved repeats of the timing fits"
    )
    parser.add_argument(
        "--only-timing",
        action="store_true",
        help="only (re)run the 10,000-frame timing into the .json of --out, rewrite the .md",
    )
    parser.add_argument(
        "--only-speed-only",
        action="store_true",
        help="only (re)run the speed-only regimes into the .json of --out, rewrite the .md",
    )
    parser.add_argument(
        "--only-held-out",
        action="store_true",
        help="only (re)run the held-out Human3.6M study into the .json of --out, rewrite the .md",
    )
    parser.add_argument(
        "--from-json", action="store_true", help="only rewrite the .md from the .json of --out"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        out = Path(args.out)
        out.with_suffix(".md").write_text(
            _markdown(json.loads(out.with_suffix(".json").read_text()))
        )
        return

    import torch
    from joblib import Memory, Parallel, delayed

    if args.only_timing or args.only_speed_only or args.only_held_out:
        out = Path(args.out)
        results = json.loads(out.with_suffix(".json").read_text())
        torch.set_num_threads(args.threads)
        if args.only_timing:
            results["timing_10000_frames"] = timing_10000_frames(
                args.timing_threads, args.timing_repeats
            )
        elif args.only_speed_only:
            results["speed_only"] = speed_only_regimes(args.seeds[: args.transfer_seeds])
        else:
            results["held_out_h36m"] = held_out_h36m(
                args.data, args.seeds[: args.transfer_seeds], args.cache
            )
        out.with_suffix(".json").write_text(json.dumps(results, indent=2, default=repr))
        out.with_suffix(".md").write_text(_markdown(results))
        return
    torch.set_num_threads(args.threads)
    from skseq2seq import TemporalSegmenter, __version__
    from skseq2seq.datasets import load_cmu_subject86

    memory = args.cache
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)

    def save(results):  # incremental: a long run keeps what it has measured
        out.with_suffix(".json").write_text(json.dumps(results, indent=2, default=repr))

    defaults = TemporalSegmenter().get_params()
    # The candidate whose every setting is the package's default (nested ones never are).
    default_name = next(
        (n for n, p in CANDIDATES.items() if all(defaults.get(k, ...) == v for k, v in p.items())),
        None,
    )
    results = {
        "trials": {},
        "config": {
            "threads": args.threads,
            "seeds": args.seeds,
            "auto_seeds": args.seeds[: args.auto_seeds],
            "transfer_seeds": args.seeds[: args.transfer_seeds],
            "clasp_seeds": args.seeds[: args.clasp_seeds],
            "tolerances": args.tolerances,
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "skseq2seq": __version__,
            "machine": platform.machine(),
            "cpu_count": os.cpu_count(),
            "defaults": defaults,
            "default_candidate": default_name,
            "gaussian_hmm": "hmmlearn",
            "ruptures": _has("ruptures"),
            "claspy": args.clasp and _has("claspy"),
        },
        "candidates": {},
    }
    bunches = {t: load_cmu_subject86(t, data_home=args.data) for t in args.trials}
    data = {t: _trial(bunch) for t, bunch in bunches.items()}
    settled = {
        t: settled_frames(bunch.transition_windows, len(bunch.data)) for t, bunch in bunches.items()
    }
    # ClaSP takes minutes a run: its cuts and time are cached with the nets.
    cached_clasp = Memory(args.cache, verbose=0).cache(timed_clasp)

    # Every candidate, every trial and seed (the nets are cached: candidates
    # that differ only after training share them), --jobs fits at a time.
    cuts = {t: {"change_points_": [], "error_peaks_": []} for t in data}
    extra_cuts = {t: {} for t in data}  # CUT_ROWS: label -> runs
    default_runs = {t: [] for t in data}
    tasks = [
        (name, trial, seed)
        for name in (CANDIDATES if args.candidates else ())
        for trial in data
        for seed in args.seeds
    ]
    done = Parallel(n_jobs=args.jobs)(
        delayed(fit_scored)(
            data[trial][0],
            data[trial][1],
            {"n_clusters": len(data[trial][2]), **CANDIDATES[name]},
            seed,
            memory,
            args.tolerances,
            args.threads,
            settled[trial],
        )
        for name, trial, seed in tasks
    )
    fitted = dict(zip(tasks, done))
    for name, params in CANDIDATES.items() if args.candidates else ():
        entry = {"params": {k: repr(v) for k, v in params.items()}, "trials": {}}
        for trial in data:
            runs = []
            for seed in args.seeds:
                run, found_cuts = fitted[name, trial, seed]
                runs.append(run)
                if name in CUT_ROWS and name != default_name:
                    extra_cuts[trial].setdefault(CUT_ROWS[name], []).append(
                        found_cuts["change_points_"]
                    )
                if name == default_name:
                    default_runs[trial].append(run)
                    for attr in cuts[trial]:
                        cuts[trial][attr].append(found_cuts[attr])
            entry["trials"][trial] = {"runs": runs, **_summary(runs)}
            print(f"{name} / {trial}: {entry['trials'][trial]['accuracy_mean']}", flush=True)
        results["candidates"][name] = entry
    save(results)
    accuracy = {
        name: {t: e["accuracy_mean"] for t, e in entry["trials"].items()}
        for name, entry in results["candidates"].items()
    }
    if len(data) > 1 and accuracy:
        chosen = loto_candidates(accuracy)
        results["loto"] = {t: {"chosen": c, "accuracy": accuracy[c][t]} for t, c in chosen.items()}
        print(f"LOTO: {results['loto']}", flush=True)

    for trial, (X, y, names) in data.items():
        k = len(names)
        entry = {"n_frames": len(X), "k": k, "actions": names, "methods": {}, "cuts": {}}
        if default_runs[trial]:  # the default is among the candidates run
            runs = default_runs[trial]
            entry["methods"]["TemporalSegmenter"] = {"runs": runs, **_summary(runs)}
            entry["cuts"].update({f"TS {attr}": _mean_cuts(c) for attr, c in cuts[trial].items()})
        entry["cuts"].update({label: _mean_cuts(c) for label, c in extra_cuts[trial].items()})
        for name, fn in BASELINES.items():
            labels, wall, cpu = timed(lambda: fn(X, k, 0))
            run = {
                "seed": 0,
                **scores(y, labels),
                "fit_wall_s": round(wall, 2),
                "fit_cpu_s": round(cpu, 2),
            }
            entry["methods"][name] = {"runs": [run], **_summary([run])}
            entry["cuts"][f"{name} label boundaries"] = cut_scores(
                y, _boundaries(labels), args.tolerances
            )
            print(f"trial {trial} {name}: {run}", flush=True)
        if results["config"]["ruptures"]:
            found, wall, _ = timed(lambda: kernel_cpd(X))
            entry["cuts"]["ruptures KernelCPD"] = {
                **cut_scores(y, found, args.tolerances),
                "fit_wall_s": round(wall, 2),
            }
        if results["config"]["claspy"]:  # random: mean over the seeds
            n_cuts = len(_boundaries(y))
            for label, given in (
                ("ClaSP", None),
                ("ClaSP given the number of cuts (uses labels)", n_cuts),
            ):
                runs, failed = [], 0
                for seed in args.seeds[: args.clasp_seeds]:
                    found, wall = cached_clasp(X, given, seed)
                    if found is None:  # claspy 0.2.8 fails when a split finds no cut
                        failed += 1
                        continue
                    runs.append({**cut_scores(y, found, args.tolerances), "fit_wall_s": wall})
                if runs:  # failed runs are left out of the mean, and counted
                    entry["cuts"][label] = {**_mean_cuts(runs), "failed_runs": failed}
        print(f"trial {trial} cuts: {entry['cuts']}", flush=True)
        results["trials"][trial] = entry
        save(results)

    if args.transfer and len(data) > 1:
        results["transfer"] = transfer(
            data, args.seeds[: args.transfer_seeds], memory, save, results
        )
        save(results)
    results["speed_only"] = speed_only_regimes(args.seeds[: args.transfer_seeds])
    save(results)
    if (Path(args.data) / "h36m").is_dir():
        results["held_out_h36m"] = held_out_h36m(
            args.data, args.seeds[: args.transfer_seeds], memory
        )
        save(results)

    if args.auto:
        # The consensus depends on min_action_seconds (the least action size),
        # so every candidate duration is fitted, not read off one fit.
        ks = {trial: len(names) for trial, (_, _, names) in data.items()}
        tasks = [
            (trial, duration, seed)
            for trial in data
            for duration in MIN_ACTION_SECONDS
            for seed in args.seeds[: args.auto_seeds]
        ]
        done = Parallel(n_jobs=args.jobs)(
            delayed(fit_scored)(
                data[t][0],
                data[t][1],
                {"n_clusters": "auto", "min_action_seconds": d},
                seed,
                memory,
                threads=args.threads,
            )
            for t, d, seed in tasks
        )
        auto_runs = {t: {d: [] for d in MIN_ACTION_SECONDS} for t in data}
        for (trial, duration, _), (run, _) in zip(tasks, done):
            auto_runs[trial][duration].append(run)
        chosen = loto_min_action_seconds(auto_runs, ks) if len(data) > 1 else {}
        default = defaults["min_action_seconds"]
        results["auto"] = {}
        for trial, by_duration in auto_runs.items():

            def brief(runs):
                return [{key: r[key] for key in ("seed", "k", "accuracy")} for r in runs]

            duration = chosen.get(trial, default)
            results["auto"][trial] = {
                "k_true": ks[trial],
                "default": brief(by_duration[default]),
                "shortest_action_seconds": [r["shortest"] for r in by_duration[default]],
                "by_min_action_seconds": {f"{d:g}": brief(r) for d, r in by_duration.items()},
                "loto_min_action_seconds": duration,
                "loto": brief(by_duration[duration]),
            }
            print(f"auto {trial}: {results['auto'][trial]}", flush=True)
        save(results)

    if args.joint and len(data) > 1:
        from skseq2seq.metrics import clustering_accuracy, match_labels

        names = sorted(set().union(*(names for _, _, names in data.values())))
        Xs = [X for X, _, _ in data.values()]
        y_all = np.concatenate(
            [np.searchsorted(names, np.asarray(n)[y]) for _, y, n in data.values()]
        )
        bounds = np.cumsum([0] + [len(X) for X in Xs])
        joint = {"k": len(names), "actions": names, "methods": {}}

        def joint_scores(labels):
            pred = np.concatenate(labels)
            # One matching of clusters to actions over every recording.
            mapping = match_labels(y_all, pred)
            matched = np.array([mapping.get(c, -1) for c in pred])  # -1: unmatched cluster
            per_trial = {
                t: round(float(np.mean(matched[a:b] == y_all[a:b])), 4)
                for t, a, b in zip(data, bounds[:-1], bounds[1:])
            }
            return {"accuracy": round(clustering_accuracy(y_all, pred), 4), "per_trial": per_trial}

        for seed in args.seeds[:1]:
            for label, params in (
                ("TemporalSegmenter", {"n_clusters": len(names)}),
                ("TemporalSegmenter auto", {"n_clusters": "auto", "max_clusters": 2 * len(names)}),
            ):
                seg = TemporalSegmenter(random_state=seed, memory=memory, **params)
                labels, wall, _ = timed(lambda: seg.fit_predict(Xs))
                joint["methods"][label] = {
                    "seed": seed,
                    "k": int(seg.n_clusters_),
                    **joint_scores(labels),
                    "fit_wall_s": round(wall, 2),
                }
                print(f"joint {label}: {joint['methods'][label]}", flush=True)
        for name in ("ward_window", "kmeans_window"):
            fn = BASELINES[name]
            labels, wall, _ = timed(lambda: fn(Xs, len(names), 0))
            joint["methods"][name] = {
                "seed": 0,
                "k": len(names),
                **joint_scores(labels),
                "fit_wall_s": round(wall, 2),
            }
            print(f"joint {name}: {joint['methods'][name]}", flush=True)
        results["joint"] = joint

    if not args.skip_timing:
        results["timing_10000_frames"] = timing_10000_frames(
            args.timing_threads, args.timing_repeats
        )

    save(results)
    out.with_suffix(".md").write_text(_markdown(results))
    print(_markdown(results))


def transfer(data, seeds, memory, save, results):
    """Fit on all trials but one, label the held-out one with ``predict``.

    k = the number of distinct actions over the training trials. Scored on
    the held-out frames whose action occurs in the training trials: with the
    clusters matched to actions on the training trials (the labels carry:
    a cluster keeps the action it had in training) and, for reference,
    matched afresh on the held-out frames (Hungarian accuracy).
    Ward on 1.5 s window statistics under the same protocol: the training
    frames' Ward clusters, the held-out frames to the nearest cluster mean.
    """
    from skseq2seq import TemporalSegmenter

    out = {}
    for held in data:
        train = [t for t in data if t != held]
        names = sorted(set().union(*(data[t][2] for t in train)))
        ys = [np.searchsorted(names, np.asarray(data[t][2])[data[t][1]]) for t in train]
        X, y, held_names = data[held]
        y_names = np.asarray(held_names)[y]
        shared = np.isin(y_names, names)
        y_held = np.searchsorted(names, y_names)
        entry = {
            "train": train,
            "k": len(names),
            "shared_actions": sorted(set(held_names) & set(names)),
            "shared_frames": round(float(shared.mean()), 4),
            "methods": {},
        }

        def score(train_labels, pred):
            return _transfer_scores(ys, train_labels, y_held, pred, shared)

        for label, params in (
            ("TemporalSegmenter", {}),
            ("3 nets on every window", {"features": "states+frames", "n_nets": 3}),
        ):
            runs = []
            for seed in seeds:
                seg = TemporalSegmenter(
                    n_clusters=len(names), random_state=seed, memory=memory, **params
                )
                _, wall, _ = timed(lambda: seg.fit([data[t][0] for t in train]))
                runs.append(
                    {"seed": seed, **score(seg.labels_, seg.predict(X)), "fit_wall_s": wall}
                )
                print(f"transfer to {held}, {label} seed {seed}: {runs[-1]}", flush=True)
            entry["methods"][label] = runs
        train_labels, pred = ward_transfer([data[t][0] for t in train], X, len(names))
        entry["methods"]["ward_window"] = [{"seed": 0, **score(train_labels, pred)}]
        print(f"transfer to {held}, ward_window: {entry['methods']['ward_window']}", flush=True)
        out[held] = entry
        results["transfer"] = out
        save(results)
    return out


def _transfer_scores(ys, train_labels, y_held, pred, shared):
    from skseq2seq.metrics import clustering_accuracy, match_labels

    mapping = match_labels(np.concatenate(ys), np.concatenate(train_labels))
    carried = np.array([mapping.get(c, -1) for c in pred[shared]])
    return {
        "accuracy_carried": round(float(np.mean(carried == y_held[shared])), 4),
        "accuracy_rematched": round(float(clustering_accuracy(y_held[shared], pred[shared])), 4),
        "n_labels_found": int(len(np.unique(pred[shared]))),
    }


def ward_transfer(train, X, k, window_seconds=1.5, fps=FPS):
    """Ward on window statistics of the training recordings; new frames to the nearest mean."""
    from sklearn.cluster import AgglomerativeClustering

    from skseq2seq._temporal import context_statistics

    frames = np.concatenate(train)
    center, scale = frames.mean(0), frames.std(0)
    moving = scale > 1e-8 * np.maximum(1.0, np.abs(center))
    window = int(round(window_seconds * fps))

    def stats(rec):
        return context_statistics((rec[:, moving] - center[moving]) / scale[moving], window)[1]

    feats = [stats(r) for r in train]
    joined = np.concatenate(feats)
    mu, sd = joined.mean(0), joined.std(0) + 1e-12
    joined = (joined - mu) / sd
    sampled = np.arange(0, len(joined), 4)
    ward = AgglomerativeClustering(k, linkage="ward").fit_predict(joined[sampled])
    labels = ward[np.searchsorted(sampled, np.arange(len(joined)), side="right") - 1]
    centers = np.stack([joined[labels == c].mean(0) for c in range(k)])
    bounds = np.cumsum([0] + [len(r) for r in train])
    train_labels = [labels[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    held = (stats(X) - mu) / sd
    distance = ((held[:, None, :] - centers[None]) ** 2).sum(-1)
    return train_labels, distance.argmin(1)


def timing_10000_frames(threads, repeats=3):
    """Wall-clock and CPU seconds of fits (no cache) on 10,000 x 62 frames.

    Every setting of ``TIMING`` (n_clusters=8) is fitted in turn,
    ``repeats`` times (interleaved, so that all see the same load of a
    shared machine); medians, and the medians of the per-repeat ratios to
    one net (CPU time: on a shared machine the wall-clock time also counts
    the other jobs). Then one ``n_clusters="auto"`` fit with the defaults.
    """
    import torch

    from skseq2seq import TemporalSegmenter

    torch.set_num_threads(threads)
    X, _ = synthetic_recording()
    defaults = TemporalSegmenter().get_params()
    times = {label: [] for label in TIMING}
    for repeat in range(repeats):
        for label, params in TIMING.items():
            seg = TemporalSegmenter(n_clusters=8, random_state=repeat).set_params(**params)
            _, wall, cpu = timed(lambda: seg.fit(X))
            times[label].append((wall, cpu))
            print(f"10,000 frames, {label}: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    timing = {"threads": threads, "repeats": repeats, "settings": {}}
    one = times["n_nets=1"]
    for label, runs in times.items():
        timing["settings"][label] = {
            "default": all(defaults.get(k, ...) == v for k, v in TIMING[label].items()),
            "fit_wall_s": round(float(np.median([w for w, _ in runs])), 2),
            "fit_cpu_s": round(float(np.median([c for _, c in runs])), 2),
            "fit_wall_s_runs": [round(w, 2) for w, _ in runs],
            "fit_cpu_s_runs": [round(c, 2) for _, c in runs],
            "cpu_ratio_to_1_net": round(
                float(np.median([a[1] / b[1] for a, b in zip(runs, one)])), 3
            ),
            "wall_ratio_to_1_net": round(
                float(np.median([a[0] / b[0] for a, b in zip(runs, one)])), 3
            ),
        }
    seg = TemporalSegmenter(n_clusters="auto", random_state=0)
    _, wall, cpu = timed(lambda: seg.fit(X))
    timing['defaults, n_clusters="auto"'] = {
        "fit_wall_s": round(wall, 2),
        "fit_cpu_s": round(cpu, 2),
    }
    print(f"10,000 frames, auto: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    return timing


def synthetic_recording(n_frames=10_000, n_channels=62, n_actions=8, seed=0):
    """A 10,000-frame, 62-channel recording at 120 fps: 8 oscillating regimes plus noise.

    Returns the frames and the regime of each frame.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(n_frames) / FPS
    action = np.repeat(np.arange(n_actions), -(-n_frames // n_actions))[:n_frames]
    freq = 0.5 + 0.3 * action[:, None]
    phase = np.linspace(0, 3, n_channels)[None]
    noise = 0.1 * rng.standard_normal((n_frames, n_channels))
    return np.sin(2 * np.pi * freq * t[:, None] + phase) + noise, action


# Where the learned states earn their place: regimes that differ only in speed.
SPEED_ONLY = {
    "frames only (the default)": {"features": "frames"},
    "3 nets, states and frames": {"features": "states+frames", "n_nets": 3},
    "3 nets, states only": {"features": "states", "n_nets": 3},
}


def speed_only_regimes(seeds):
    """Frame accuracy on ``synthetic_recording``, whose 8 regimes differ only in speed.

    Every channel oscillates with the same amplitude and phases in every
    regime, at 0.5 to 2.6 Hz: the frames' context statistics (mean and
    spread) are the same throughout, the dynamics are not. Not a candidate
    for the defaults (they are chosen on real recordings): it shows what the
    frames alone cannot see.
    """
    from skseq2seq import TemporalSegmenter
    from skseq2seq.metrics import clustering_accuracy

    X, y = synthetic_recording()
    out = {}
    for label, params in SPEED_ONLY.items():
        runs = []
        for seed in seeds if params["features"] != "frames" else seeds[:1]:
            seg = TemporalSegmenter(n_clusters=8, random_state=seed, **params)
            labels, wall, cpu = timed(lambda: seg.fit_predict(X))
            accuracy = round(float(clustering_accuracy(y, labels)), 4)
            runs.append({"seed": seed, "accuracy": accuracy, "fit_cpu_s": round(cpu, 2)})
            print(f"speed-only regimes, {label}, seed {seed}: {runs[-1]}", flush=True)
        out[label] = runs
    return out


# A held-out dataset: never used to choose a default.
HELD_OUT_SETTINGS = {
    "TemporalSegmenter (defaults: frames only)": {},
    "3 nets, states and frames": {"features": "states+frames", "n_nets": 3},
    "3 nets, states only": {"features": "states", "n_nets": 3},
}
H36M_SECONDS = 20


def h36m_joined(data_home, subject, seconds=H36M_SECONDS):
    """One Human3.6M subject's recordings joined end to end: (frames, action of each frame).

    The first ``seconds`` of every recording, all trial-1 recordings in a
    random order (seeded by the subject), then all trial-2 ones in another:
    every action occurs twice, performed in two takes, so a label must mean
    the same action in both.
    """
    from skseq2seq.datasets import load_h36m

    bunch = load_h36m(subjects=[subject], data_home=data_home)
    rng = np.random.default_rng(int(subject[1:]))
    parts, labels = [], []
    for trial in (1, 2):
        for i in rng.permutation(np.flatnonzero(bunch.trials == trial)):
            part = bunch.recordings[i][: int(seconds * bunch.fps)]
            parts.append(part)
            labels.append(np.full(len(part), bunch.target[i]))
    return np.concatenate(parts), np.concatenate(labels), bunch.fps


def held_out_h36m(data_home, seeds, memory):
    """Frame accuracy on Human3.6M subjects' recordings joined end to end (k = actions)."""
    from skseq2seq import TemporalSegmenter
    from skseq2seq.baselines import WindowStatsSegmenter
    from skseq2seq.metrics import clustering_accuracy

    out = {}
    for subject in ("S1", "S6", "S7", "S8"):
        X, y, fps = h36m_joined(data_home, subject)
        k = len(np.unique(y))
        entry = {"n_frames": len(X), "k": k, "methods": {}}
        for label, params in HELD_OUT_SETTINGS.items():
            runs = []
            trains = TemporalSegmenter(**params).features != "frames"
            for seed in seeds if trains else seeds[:1]:  # the frames alone: deterministic
                seg = TemporalSegmenter(
                    n_clusters=k, fps=fps, random_state=seed, memory=memory, **params
                )
                labels, _, cpu = timed(lambda: seg.fit_predict(X))
                accuracy = round(float(clustering_accuracy(y, labels)), 4)
                runs.append({"seed": seed, "accuracy": accuracy, "fit_cpu_s": round(cpu, 2)})
                print(f"H3.6M {subject}, {label}, seed {seed}: {runs[-1]}", flush=True)
            entry["methods"][label] = runs
        ward = WindowStatsSegmenter(
            k, fps=fps, window_seconds=1.5, clustering="ward", min_duration_seconds=0
        ).fit_predict(X)
        accuracy = round(float(clustering_accuracy(y, ward)), 4)
        entry["methods"]["ward_window"] = [{"seed": 0, "accuracy": accuracy}]
        out[subject] = entry
    return out


def _held_out_markdown(results):
    if "held_out_h36m" not in results:
        return []
    entries = results["held_out_h36m"]
    methods = list(next(iter(entries.values()))["methods"])
    lines = [
        "",
        "## A held-out dataset: Human3.6M recordings joined end to end",
        "",
        f"Not used to choose any default. Per subject, the first {H36M_SECONDS} s of every "
        "recording (25 fps, 99 exp-map channels), the trial-1 recordings in a random order, "
        "then the trial-2 ones in another: every action occurs twice, from two takes, and k = "
        "the subject's actions. Hungarian frame accuracy (mean over seeds, worst run in "
        "brackets); Ward: `WindowStatsSegmenter` (1.5 s windows, Ward), as `ward_window` "
        "above.",
        "",
        "| subject | frames | k | " + " | ".join(methods) + " |",
        "|---|---|---|" + "---|" * len(methods),
    ]
    for subject, entry in entries.items():
        cells = []
        for m in methods:
            accuracy = [r["accuracy"] for r in entry["methods"][m]]
            worst = f" ({min(accuracy):.3f})" if len(accuracy) > 1 else ""
            cells.append(f"{np.mean(accuracy):.3f}{worst}")
        lines.append(
            f"| {subject} | {entry['n_frames']} | {entry['k']} | " + " | ".join(cells) + " |"
        )
    mean = {
        m: np.mean([np.mean([r["accuracy"] for r in e["methods"][m]]) for e in entries.values()])
        for m in methods
    }
    best = max(mean, key=mean.get)
    means = [f"**{mean[m]:.3f}**" if m == best else f"{mean[m]:.3f}" for m in methods]
    worsts = [
        f"{min(r['accuracy'] for e in entries.values() for r in e['methods'][m]):.3f}"
        for m in methods
    ]
    lines.append("| **mean** | | | " + " | ".join(means) + " |")
    lines.append("| worst run | | | " + " | ".join(worsts) + " |")
    return lines


def _speed_only_markdown(results):
    if "speed_only" not in results:
        return []
    lines = [
        "",
        "## Regimes that differ only in speed (synthetic)",
        "",
        "The 10,000-frame synthetic recording of the timing below: 8 regimes in which every "
        "channel oscillates with the same amplitude and phases, at 0.5 to 2.6 Hz, so that the "
        "frames' context statistics are the same in all of them. Not among the candidates "
        "for the defaults (chosen on the real trials above): it shows what the frames alone "
        "cannot see. Hungarian frame accuracy, k = 8 (chance about 0.125); frames only is "
        "deterministic (one run).",
        "",
        "| setting | accuracy per seed | mean | fit CPU s (mean) |",
        "|---|---|---|---|",
    ]
    for label, runs in results["speed_only"].items():
        accuracy = [r["accuracy"] for r in runs]
        lines.append(
            f"| {label} | {', '.join(f'{a:.3f}' for a in accuracy)} | {np.mean(accuracy):.3f} | "
            f"{np.mean([r['fit_cpu_s'] for r in runs]):.1f} |"
        )
    return lines


def _boundaries(labels):
    from skseq2seq.metrics import boundaries

    return boundaries(labels)


def _mean_cuts(runs):
    """Mean of each cut score over seeds."""
    return {key: round(float(np.mean([r[key] for r in runs])), 4) for key in runs[0]}


def _summary(runs):
    acc = [r["accuracy"] for r in runs]
    ari = [r["ari"] for r in runs]
    out = {
        "accuracy_mean": round(float(np.mean(acc)), 4),
        "accuracy_std": round(float(np.std(acc)), 4),
        "ari_mean": round(float(np.mean(ari)), 4),
        "fit_wall_s_mean": round(float(np.mean([r["fit_wall_s"] for r in runs])), 2),
    }
    if all("accuracy_settled" in r for r in runs):
        out["accuracy_settled_mean"] = round(
            float(np.mean([r["accuracy_settled"] for r in runs])), 4
        )
    return out


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
        *_loto_markdown(results),
        "## Hungarian frame accuracy / ARI: defaults and baselines",
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
    lines += _runs_markdown(results) + _auto_markdown(results) + _cuts_markdown(results)
    lines += _transfer_markdown(results) + _held_out_markdown(results)
    lines += _speed_only_markdown(results)
    lines += _joint_markdown(results)
    lines += [
        "",
        "## Fit runtime (wall-clock s; CPU s in brackets)",
        "",
        "TemporalSegmenter with its defaults. Nets, where a setting trains them, come from "
        "the cache here (`--cache`): training is timed in the 10,000-frame run below.",
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
    if "timing_10000_frames" in results:
        lines += _timing_markdown(results["timing_10000_frames"])
    return "\n".join(lines) + "\n"


def _timing_markdown(timing):
    settings = timing.get("settings", {})
    lines = [
        "",
        "## 10,000 frames",
        "",
        "Synthetic recording, 10,000 frames x 62 channels at 120 fps (8 regimes), "
        f"n_clusters=8, no cache, {timing.get('threads', 1)} torch thread(s); medians of "
        f"{timing.get('repeats')} interleaved repeats (every setting in turn). CPU seconds "
        "are what a fit costs on an otherwise idle core; wall-clock seconds also count the "
        "other jobs on the shared machine. Ratios: median of the per-repeat ratios to one "
        "net.",
        "",
        "| setting | fit CPU s | fit wall s | CPU ratio to 1 net | wall ratio to 1 net |",
        "|---|---|---|---|---|",
    ]
    for label, t in settings.items():
        name = f"**{label} (default)**" if t["default"] else label
        lines.append(
            f"| {name} | {t['fit_cpu_s']:.1f} | {t['fit_wall_s']:.1f} | "
            f"{t['cpu_ratio_to_1_net']:.2f}x | {t['wall_ratio_to_1_net']:.2f}x |"
        )
    auto = timing.get('defaults, n_clusters="auto"')
    if auto:
        lines += [
            "",
            f'Defaults with n_clusters="auto" (12 candidate numbers): {auto["fit_cpu_s"]:.1f} s '
            f"CPU ({auto['fit_wall_s']:.1f} s wall).",
        ]
    return lines


def _loto_markdown(results):
    if not results.get("candidates"):
        return []
    trials = list(results["trials"])
    cfg = results["config"]
    lines = [
        "## Choice of the defaults: leave one trial out",
        "",
        "Every candidate (declared in the script before the run) on every trial with the "
        f"annotated k, mean accuracy over seeds {cfg['seeds']} (std in brackets). For each "
        "held-out trial, the candidate with the best mean on the two others is reported on "
        "it; the default is the candidate chosen for most held-out trials "
        f"(now: **{cfg.get('default_candidate')}**).",
        "",
        "*Settled frames*: the accuracy (same matching) on the frames outside every "
        "annotated transition window (the ground truth gives each transition's earliest, best "
        "and latest acceptable frame; the labels cut at the best one, and within the window "
        "either action is right). What a candidate loses there is a real mistake; the rest "
        "of its error lies where the annotators themselves allow either action.",
        "",
        "| candidate | " + " | ".join(trials) + " | mean | worst run | settled frames (mean) |",
        "|---|" + "---|" * (len(trials) + 3),
    ]
    for name, entry in results["candidates"].items():
        cells = [
            f"{entry['trials'][t]['accuracy_mean']:.3f} (±{entry['trials'][t]['accuracy_std']:.3f})"
            for t in trials
        ]
        mean = np.mean([entry["trials"][t]["accuracy_mean"] for t in trials])
        worst = min(r["accuracy"] for t in trials for r in entry["trials"][t]["runs"])
        settled = [entry["trials"][t].get("accuracy_settled_mean") for t in trials]
        settled = "" if None in settled else f"{np.mean(settled):.3f}"
        bold = "**" if name == cfg.get("default_candidate") else ""
        lines.append(
            f"| {bold}{name}{bold} | "
            + " | ".join(cells)
            + f" | {mean:.3f} | {worst:.3f} | {settled} |"
        )
    if "loto" in results:
        lines += [
            "",
            "| held-out trial | chosen on the other trials | held-out accuracy | "
            "best baseline on it |",
            "|---|---|---|---|",
        ]
        for t, entry in results["loto"].items():
            methods = results["trials"][t]["methods"]
            base = max(
                (m for m in methods if m != "TemporalSegmenter"),
                key=lambda m: methods[m]["accuracy_mean"],
            )
            lines.append(
                f"| {t} | {entry['chosen']} | {entry['accuracy']:.3f} | "
                f"{methods[base]['accuracy_mean']:.3f} ({base}) |"
            )
        mean = np.mean([e["accuracy"] for e in results["loto"].values()])
        lines.append(f"| **mean** | | **{mean:.3f}** | |")
        counts = Counter(e["chosen"] for e in results["loto"].values())
        if max(counts.values()) * 2 <= len(results["loto"]):
            lines += [
                "",
                "No candidate is chosen for most held-out trials: the default is left as it was.",
            ]
        frames = [n for n in results["candidates"] if n.startswith("frames only")]
        if frames:
            bar = np.mean(
                [results["candidates"][frames[0]]["trials"][t]["accuracy_mean"] for t in trials]
            )
            lines += [
                "",
                f"Leave-one-trial-out mean {mean:.3f} against the frames-only pipeline's mean "
                f"{bar:.3f} ({mean - bar:+.3f}).",
            ]
            # What the learned states give when the choice is among them only.
            nets = {n: a for n, a in _accuracy(results).items() if not n.startswith("frames only")}
            if nets and len(trials) > 1:
                chosen = loto_candidates(nets)
                held = np.mean([nets[c][t] for t, c in chosen.items()])
                lines += [
                    "",
                    "Chosen among the candidates with nets only: "
                    + ", ".join(f"{t} → {c} ({nets[c][t]:.3f})" for t, c in chosen.items())
                    + f"; leave-one-trial-out mean {held:.3f} ({held - bar:+.3f} against the "
                    "frames-only pipeline).",
                ]
    return lines + [""]


def _accuracy(results):
    """{candidate: {trial: mean accuracy}}."""
    return {
        name: {t: e["accuracy_mean"] for t, e in entry["trials"].items()}
        for name, entry in results["candidates"].items()
    }


def _auto_markdown(results):
    if "auto" not in results:
        return []
    seeds = results["config"]["seeds"]
    lines = [
        "",
        '## Number of actions chosen: n_clusters="auto"',
        "",
        "k chosen per seed (accuracy at that k in brackets). Default: "
        f"min_action_seconds={results['config']['defaults']['min_action_seconds']:g} "
        f"(max_clusters={results['config']['defaults']['max_clusters']}). LOTO: "
        f"min_action_seconds chosen from {list(MIN_ACTION_SECONDS)} on the two other trials "
        "(chosen k closest to the annotated k, summed over seeds; ties to the shorter), "
        "reported on this one.",
        "",
        "| trial | annotated k | default: k (accuracy) | LOTO min_action_seconds "
        "| LOTO: k (accuracy) | LOTO mean accuracy |",
        "|---|---|---|---|---|---|",
    ]
    loto_acc = []

    def cell(runs):
        return ", ".join(f"{r['k']} ({r['accuracy']:.3f})" for r in runs)

    for trial, entry in results["auto"].items():
        acc = float(np.mean([r["accuracy"] for r in entry["loto"]]))
        loto_acc.append(acc)
        lines.append(
            f"| {trial} | {entry['k_true']} | {cell(entry['default'])} | "
            f"{entry['loto_min_action_seconds']:g} | {cell(entry['loto'])} | {acc:.3f} |"
        )
    lines.append(f"| **mean** | | | | | **{np.mean(loto_acc):.3f}** |")
    first = next(iter(results["auto"].values()))
    if "by_min_action_seconds" in first:
        durations = list(first["by_min_action_seconds"])
        lines += [
            "",
            "k chosen at every candidate min_action_seconds (each fitted; k of every seed, "
            "accuracy of the first in brackets), and the total distance to the annotated k "
            "over the trials (not held out):",
            "",
            "| trial | annotated k | " + " | ".join(f"{d} s" for d in durations) + " |",
            "|---|---|" + "---|" * len(durations),
        ]
        total = dict.fromkeys(durations, 0)
        for trial, entry in results["auto"].items():
            cells = []
            for d in durations:
                runs = entry["by_min_action_seconds"][d]
                total[d] += sum(abs(r["k"] - entry["k_true"]) for r in runs)
                ks = ",".join(str(r["k"]) for r in runs)
                cells.append(f"{ks} ({runs[0]['accuracy']:.3f})")
            lines.append(f"| {trial} | {entry['k_true']} | " + " | ".join(cells) + " |")
        lines.append(
            "| **total distance** | | " + " | ".join(str(total[d]) for d in durations) + " |"
        )
    lines += [
        "",
        f"`shortest_action_seconds_` for every k tried, seed {seeds[0]}: the longest "
        "uninterrupted stretch of the action whose longest stretch is shortest (auto picks "
        "the largest k where it reaches min_action_seconds):",
        "",
    ]
    for trial, entry in results["auto"].items():
        shortest = entry["shortest_action_seconds"][0]
        lines.append(f"- {trial}: " + ", ".join(f"{k}: {v:.1f}" for k, v in shortest.items()))
    return lines


def _cuts_markdown(results):
    tolerances = results["config"]["tolerances"]
    trials = list(results["trials"])
    methods = list(dict.fromkeys(m for e in results["trials"].values() for m in e["cuts"]))
    if results["config"]["defaults"].get("features") == "frames":
        # The default trains no net: it has no prediction error to peak.
        methods = [m for m in methods if m != "TS error_peaks_"]
    lines = [
        "",
        "## Cuts between actions",
        "",
        "Precision / recall / F1 of cut frames; a cut counts when matched one to one with an "
        "annotated transition at most the tolerance away "
        "(`skseq2seq.metrics.boundary_report`). TS rows: mean over seeds; "
        "`change_points_` = boundaries of `labels_`, `error_peaks_` = peaks of the "
        "prediction error; baselines: boundaries of their labels; ruptures `KernelCPD` "
        "(Gaussian kernel, standardised frames at 10 fps, penalty log n, no labels); ClaSP "
        "(claspy `BinaryClaSPSegmentation`, standardised frames at 30 fps, window 0.5 s, "
        "segments found by its significance test; mean over seeds "
        f"{results['config'].get('clasp_seeds')}), and ClaSP told the "
        "annotated number of cuts (a reference that uses the labels)"
        + ("." if results["config"].get("claspy") else " (not run: claspy is not installed)."),
        "",
    ]
    for tol in tolerances:
        lines += [
            f"### ±{tol:g} s",
            "",
            "| method | " + " | ".join(trials) + " | mean F1 |",
            "|---|" + "---|" * (len(trials) + 1),
        ]
        for m in methods:
            cells, f1s = [], []
            for t in trials:
                c = results["trials"][t]["cuts"].get(m)
                if c is None:  # e.g. a method that failed on this trial
                    cells.append("–")
                    continue
                failed = f" ({c['failed_runs']} runs failed)" if c.get("failed_runs") else ""
                cells.append(
                    f"{c[f'precision@{tol:g}']:.2f} / {c[f'recall@{tol:g}']:.2f} / "
                    f"{c[f'f1@{tol:g}']:.2f}{failed}"
                )
                f1s.append(c[f"f1@{tol:g}"])
            lines.append(f"| {m} | " + " | ".join(cells) + f" | {np.mean(f1s):.2f} |")
        lines.append("")
    return lines


def _runs_markdown(results):
    """Every run of the default and of the ablations: accuracy per trial and seed."""
    if not results.get("candidates"):
        return []
    trials = list(results["trials"])
    lines = [
        "",
        "## Every run: accuracy per trial and seed",
        "",
        "| candidate | " + " | ".join(trials) + " | worst run |",
        "|---|" + "---|" * (len(trials) + 1),
    ]
    for name, entry in results["candidates"].items():
        cells = [
            ", ".join(f"{r['accuracy']:.3f}" for r in entry["trials"][t]["runs"]) for t in trials
        ]
        worst = min(r["accuracy"] for t in trials for r in entry["trials"][t]["runs"])
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {worst:.3f} |")
    return lines


def _transfer_markdown(results):
    if "transfer" not in results:
        return []
    lines = [
        "",
        "## Labels that carry to a new recording",
        "",
        "Fit on two trials (k = distinct actions over them), `predict` on the third; scored "
        "on the held-out frames whose action occurs in the training trials. *Carried*: "
        "clusters matched to actions on the training trials, so a label must keep its "
        "action on the new recording; *re-matched*: Hungarian accuracy on the held-out "
        "frames alone. Ward on 1.5 s window statistics under the same protocol (held-out "
        "frames to the nearest training cluster mean). TemporalSegmenter (its defaults) and "
        f"3 nets: seeds {results['config'].get('transfer_seeds')} (mean, worst in brackets); "
        "Ward: deterministic.",
        "",
        "| held-out trial | trained on | k | shared frames | method | carried | re-matched "
        "| labels found |",
        "|---|---|---|---|---|---|---|---|",
    ]
    means = {}
    for held, entry in results["transfer"].items():
        for method, runs in entry["methods"].items():
            carried = [r["accuracy_carried"] for r in runs]
            rematched = [r["accuracy_rematched"] for r in runs]
            means.setdefault(method, []).append((np.mean(carried), np.mean(rematched)))
            worst = f" ({min(carried):.3f})" if len(runs) > 1 else ""
            lines.append(
                f"| {held} | {'+'.join(entry['train'])} | {entry['k']} | "
                f"{entry['shared_frames']:.2f} | {method} | {np.mean(carried):.3f}{worst} | "
                f"{np.mean(rematched):.3f} | "
                + ", ".join(str(r["n_labels_found"]) for r in runs)
                + " |"
            )
    for method, pairs in means.items():
        lines.append(
            f"| **mean** | | | | {method} | **{np.mean([p[0] for p in pairs]):.3f}** | "
            f"{np.mean([p[1] for p in pairs]):.3f} | |"
        )
    return lines


def _joint_markdown(results):
    if "joint" not in results:
        return []
    joint = results["joint"]
    trials = list(results["trials"])
    lines = [
        "",
        "## Several recordings at once",
        "",
        f"Trials {', '.join(trials)} in one fit (one set of nets, one consensus; seed "
        f"{next(iter(joint['methods'].values()))['seed']}), k = {joint['k']} distinct action "
        "names over the trials. Hungarian accuracy with one matching over all frames (a "
        "cluster must mean the same action in every recording), and each trial's frames "
        "under that matching.",
        "",
        "| method | k | accuracy (all frames) | " + " | ".join(trials) + " | fit wall s |",
        "|---|---|---|" + "---|" * (len(trials) + 1),
    ]
    for m, r in joint["methods"].items():
        lines.append(
            f"| {m} | {r['k']} | {r['accuracy']:.3f} | "
            + " | ".join(f"{r['per_trial'][t]:.3f}" for t in trials)
            + f" | {r['fit_wall_s']:.1f} |"
        )
    return lines


if __name__ == "__main__":
    main()
