"""The headline results table, generated from ``benchmarks/results/*.json``.

One table, written to two places so that the numbers there cannot drift from
the results files: the block between ``<!-- results:start -->`` and
``<!-- results:end -->`` in README.md, and ``docs/_generated/results_table.md``,
which the documentation's front page and benchmarks page include
(``tests/test_readme.py`` and ``tests/test_docs.py`` check both)::

    python benchmarks/readme_results.py          # rewrite both
    python benchmarks/readme_results.py --check  # exit 1 if either is stale
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"
DOCS_TABLE = ROOT / "docs" / "_generated" / "results_table.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"

DATASET_TITLES = {
    "cmu": "CMU 7-action windows",
    "concat": "windows of concatenated CMU recordings (7 actions)",
    "s86": "subject-86 windows (15 actions)",
    "h36m": "Human3.6M windows, 4 subjects (15 actions)",
    "synth": "synthetic dynamics-only regimes",
}


def _pm(value):
    return f"{value[0]:.3f} ± {value[1]:.3f}"


def _generalization_rows():
    path = RESULTS / "generalization.json"
    if not path.exists():
        return []
    res = json.loads(path.read_text())
    table, lodo = res["table"], res["leave_one_dataset_out"]
    rows = []
    for name, title in DATASET_TITLES.items():
        if name not in lodo:
            continue
        c = lodo[name]
        ours, base = c["ours"], c["baseline"]
        win = ours[0] >= base[0]
        rows.append(
            f"| cluster {title}, ARI | {'**' if win else ''}{_pm(ours)}{'**' if win else ''} "
            f"({c['candidate']}) | {'' if win else '**'}{_pm(base)}{'' if win else '**'} "
            f"({c['best_baseline']}) |"
        )
    for key, rule in (
        ("leave_one_dataset_out", "worst-case choice"),
        ("leave_one_dataset_out_mean", "mean-margin choice"),
    ):
        if key in res:
            margins = [c["ours"][0] - c["baseline"][0] for c in res[key].values()]
            rows.append(
                f"| held-out margin over the best baseline, ARI ({rule}) | mean "
                f"{np.mean(margins):+.3f}, worst {min(margins):+.3f} | 0 |"
            )
    default = res.get("default_by_worst_margin")
    if default:
        rows.append(
            f"| (not held out) the library default, `{default['candidate']}`: best worst-case "
            "margin on all four real datasets, ARI margin over the best baseline | "
            + ", ".join(f"{d} {v:+.3f}" for d, v in default["margins"].items())
            + f" (worst {default['worst']:+.3f}) | 0 |"
        )
    # The learned states alone (the previous default) where they add: data whose
    # classes differ only in dynamics, and the CMU windows they were designed on.
    for name, label in (("synth", "(not in the selection)"), ("cmu", "(not held out)")):
        if name in table and "default" in table[name]:
            base_name, base_row = max(
                ((m, e) for m, e in table[name].items() if e["kind"] == "baseline"),
                key=lambda item: item[1]["ari"][0],
            )
            ours = [f"{_pm(table[name]['default']['ari'])} (learned states alone)"]
            if default and default["candidate"] in table[name]:
                ours.append(f"{_pm(table[name][default['candidate']]['ari'])} (default)")
            rows.append(
                f"| {label} {DATASET_TITLES[name]}, ARI | {'; '.join(ours)} | "
                f"{_pm(base_row['ari'])} ({base_name}) |"
            )
    if "h36m" in table:
        h = table["h36m"]
        # The candidate chosen without Human3.6M, as for its ARI row.
        ours_name = lodo["h36m"]["candidate"]
        base_name = max(
            (m for m, e in h.items() if e["kind"] == "baseline"), key=lambda m: h[m]["nn1"][0]
        )
        ours, base = h[ours_name]["nn1"], h[base_name]["nn1"]
        win = ours[0] >= base[0]
        rows.append(
            f"| Human3.6M cross-subject 1-NN accuracy | {'**' if win else ''}{_pm(ours)}"
            f"{'**' if win else ''} ({ours_name}) | {'' if win else '**'}{_pm(base)}"
            f"{'' if win else '**'} ({base_name} features) |"
        )
    return rows


def _segmentation_row():
    path = RESULTS / "segmentation.json"
    if not path.exists():
        return []
    results = json.loads(path.read_text())
    trials, loto = results.get("trials", {}), results.get("loto", {})
    if not loto:
        return []
    # Ours: each trial scored with the candidate chosen on the other trials.
    ours = float(np.mean([entry["accuracy"] for entry in loto.values()]))
    means = {}
    for trial in trials.values():
        for method, entry in trial.get("methods", {}).items():
            runs = entry.get("runs", [])
            if runs and method != "TemporalSegmenter":
                means.setdefault(method, []).append(np.mean([r["accuracy"] for r in runs]))
    # The frames-only pipeline (no net trained) is the honest bar too.
    for name, candidate in results.get("candidates", {}).items():
        if "(FrameStatsSegmenter)" in name:  # the frames alone at the package's settings
            runs = [t["runs"] for t in candidate["trials"].values()]
            means["FrameStatsSegmenter"] = [np.mean([r["accuracy"] for r in rs]) for rs in runs]
    base_name = max(means, key=lambda m: np.mean(means[m]))
    base = float(np.mean(means[base_name]))
    chosen = ", ".join(sorted({entry["chosen"] for entry in loto.values()}))
    rows = [
        _win_row(
            f"segment subject-86 trials {'/'.join(sorted(trials))} (each held out), frame accuracy",
            ours,
            f"{ours:.3f}",
            base,
            base_name,
            chosen,
        )
    ]
    # The learned states: each trial scored with the setting with nets chosen on the others.
    nets = {
        name: {t: e["accuracy_mean"] for t, e in candidate["trials"].items()}
        for name, candidate in results.get("candidates", {}).items()
        if not name.startswith("frames only")
    }
    if nets and len(trials) > 1:
        held, picks = [], set()
        for trial in trials:
            others = [t for t in trials if t != trial]
            pick = max(nets, key=lambda n: np.mean([nets[n][t] for t in others]))
            held.append(nets[pick][trial])
            picks.add(pick)
        with_states = float(np.mean(held))
        rows.append(
            _win_row(
                "segment the same trials with learned states (the setting with nets chosen on "
                "the other trials), frame accuracy",
                with_states,
                f"{with_states:.3f}",
                base,
                base_name,
                ", ".join(sorted(picks)),
            )
        )
    held_out = results.get("held_out_h36m")
    if held_out:
        methods = next(iter(held_out.values()))["methods"]

        def mean(method):
            return float(
                np.mean(
                    [
                        np.mean([r["accuracy"] for r in e["methods"][method]])
                        for e in held_out.values()
                    ]
                )
            )

        default = next(m for m in methods if "defaults" in m)
        ours = {m: mean(m) for m in methods if m != "ward_window"}
        states = max((m for m in ours if m != default), key=ours.get)
        win = ours[default] >= mean("ward_window")
        rows.append(
            "| (held out, not used for any default) segment Human3.6M recordings joined end to "
            f"end, {len(held_out)} subjects, frame accuracy | {'**' if win else ''}"
            f"{ours[default]:.3f}{'**' if win else ''} (default: frames only); "
            f"{ours[states]:.3f} ({states}) | {'' if win else '**'}{mean('ward_window'):.3f}"
            f"{'' if win else '**'} (Ward on window statistics) |"
        )
    speed_only = results.get("speed_only")
    if speed_only:
        means = {
            label: float(np.mean([r["accuracy"] for r in runs]))
            for label, runs in speed_only.items()
        }
        best = max(means, key=means.get)
        default = next(label for label in means if "default" in label)
        rows.append(
            "| (not in the selection) segment synthetic regimes that differ only in speed, "
            f"frame accuracy | {means[best]:.3f} ({best}); {means[default]:.3f} ({default}) | — |"
        )
    return rows


def _win_row(task, ours, ours_text, base, base_name, ours_name):
    """A table row, the better of ours (higher is better) and the baseline in bold."""
    win = ours >= base
    return (
        f"| {task} | {'**' if win else ''}{ours_text}{'**' if win else ''} ({ours_name}) | "
        f"{'' if win else '**'}{base:.3f}{'' if win else '**'} ({base_name}) |"
    )


def _speed_row():
    path = RESULTS / "speed.json"
    if not path.exists():
        return []
    ref = json.loads(path.read_text()).get("reference")
    if not ref:
        return []
    parts = [
        f"{row['ratio_median']:.3f} {row['config'].split(' (')[0]} "
        f"({row['ratio_q1']:.3f}-{row['ratio_q3']:.3f})"
        for row in ref["rows"]
    ]
    return [f"| fit time / the PyTorch loop a user writes by hand | {'; '.join(parts)} | — |"]


def _forecast_row():
    path = RESULTS / "forecast.json"
    report = json.loads(path.read_text()).get("report") if path.exists() else None
    if not report:
        return []
    at = report["milliseconds"].index(400)
    ours = np.mean([run["euler"]["mean"][at] for run in report["seq2seq_runs"]])
    baselines = {name: m["euler"]["mean"][at] for name, m in report["methods"].items()}
    base_name = min(baselines, key=baselines.get)
    base = baselines[base_name]
    win = ours <= base
    return [
        f"| forecast Human3.6M {report['test_subject']} (held-out subject) 400 ms ahead, "
        f"Euler error (lower is better) | {'**' if win else ''}{ours:.3f}{'**' if win else ''} | "
        f"{'' if win else '**'}{base:.3f}{'' if win else '**'} ({base_name}) |"
    ]


GENERATED = "<!-- generated by benchmarks/readme_results.py from benchmarks/results/*.json -->"


def _table_lines():
    return [
        "| task | skseq2seq (held-out choice of default) | best classical baseline (same run) |",
        "|---|---|---|",
        *_generalization_rows(),
        *_segmentation_row(),
        *_forecast_row(),
        *_speed_row(),
    ]


def table():
    """README's block, markers included."""
    return "\n".join([START, GENERATED, "", *_table_lines(), "", END])


def docs_table():
    """The whole of docs/_generated/results_table.md (Markdown, read by MyST)."""
    return "\n".join([GENERATED, "", *_table_lines()]) + "\n"


def render(text):
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} ... {END} block")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + table() + tail


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if README.md or the docs' table is stale"
    )
    args = parser.parse_args(argv)
    text = README.read_text()
    outputs = {
        README: render(text),
        DOCS_TABLE: docs_table(),
    }
    if args.check:
        stale = [
            str(path.relative_to(ROOT))
            for path, new in outputs.items()
            if not path.exists() or path.read_text() != new
        ]
        if stale:
            print(f"stale results table in {', '.join(stale)}: run benchmarks/readme_results.py")
            return 1
        return 0
    for path, new in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
