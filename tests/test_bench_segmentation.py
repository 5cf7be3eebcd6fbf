"""The report helpers of benchmarks/bench_segmentation.py: LOTO choice and timing table."""

import pytest
from _scripts import load_script


@pytest.fixture(scope="module")
def bench():
    return load_script("benchmarks/bench_segmentation.py")


def test_each_held_out_trial_gets_the_best_candidate_on_the_others(bench):
    accuracy = {
        "a": {"01": 0.9, "03": 0.5, "05": 0.9},
        "b": {"01": 0.5, "03": 0.9, "05": 0.8},
    }
    # Held out 01: a 0.70 vs b 0.85; 03: a 0.90 vs b 0.65; 05: a 0.70 vs b 0.70 (first).
    assert bench.loto_candidates(accuracy) == {"01": "b", "03": "a", "05": "a"}


def test_timing_table_marks_the_default_and_the_ratios(bench):
    row = {
        "fit_cpu_s": 8.5,
        "fit_wall_s": 8.6,
        "cpu_ratio_to_1_net": 1.27,
        "wall_ratio_to_1_net": 1.3,
        "default": False,
    }
    timing = {
        "threads": 1,
        "repeats": 3,
        "settings": {"n_nets=1": {**row, "default": False}, "3 nets": {**row, "default": True}},
    }
    lines = bench._timing_markdown(timing)
    assert "| **3 nets (default)** | 8.5 | 8.6 | 1.27x | 1.30x |" in lines
    assert "| n_nets=1 | 8.5 | 8.6 | 1.27x | 1.30x |" in lines


def test_every_timing_setting_and_candidate_is_a_valid_segmenter(bench):
    from skseq2seq import TemporalSegmenter

    for params in [*bench.TIMING.values(), *bench.CANDIDATES.values()]:
        TemporalSegmenter().set_params(**params)  # unknown names raise
    assert "n_nets=1" in bench.TIMING  # the ratios' reference
