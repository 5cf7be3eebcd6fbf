"""The selection rule of benchmarks/bench_generalization.py: worst-case and mean margins."""

import pytest
from _scripts import load_script


@pytest.fixture(scope="module")
def bench():
    return load_script("benchmarks/bench_generalization.py")


def entry(kind, ari):
    return {"kind": kind, "n_seeds": 3, "ari": (ari, 0.0)}


def test_worst_case_and_mean_choices_differ_and_hold_out(bench):
    # "steady" never loses by much; "peaky" wins big on cmu and loses on s86.
    aris = {
        "cmu": {"steady": 0.50, "peaky": 0.95, "base": 0.55},
        "concat": {"steady": 0.60, "peaky": 0.62, "base": 0.60},
        "s86": {"steady": 0.40, "peaky": 0.20, "base": 0.45},
        "h36m": {"steady": 0.10, "peaky": 0.08, "base": 0.12},
        "synth": {"steady": 0.0, "peaky": 0.0, "base": 1.0},  # not in the selection
    }
    table = {
        d: {m: entry("baseline" if m == "base" else "candidate", a) for m, a in row.items()}
        for d, row in aris.items()
    }
    worst = bench.leave_one_dataset_out(table, criterion="worst")
    mean = bench.leave_one_dataset_out(table, criterion="mean")
    assert set(worst) == {"cmu", "concat", "s86", "h36m"}
    assert worst["concat"]["candidate"] == "steady"  # worst -0.05 beats peaky's -0.25
    assert mean["concat"]["candidate"] == "peaky"  # mean +0.05 beats steady's -0.04
    # Held out: cmu's choice is made without cmu, and its margin is reported there.
    assert worst["cmu"]["candidate"] == "steady"
    assert worst["cmu"]["ours"][0] - worst["cmu"]["baseline"][0] == pytest.approx(-0.05)
    assert bench.best_baseline(table, "s86")[0] == "base"
