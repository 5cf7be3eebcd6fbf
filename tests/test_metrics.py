"""Tests of the clustering and segmentation metrics."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skseq2seq.metrics import (
    boundaries,
    clustering_accuracy,
    match_labels,
    segmentation_report,
)

KEYS = {
    "accuracy",
    "ari",
    "nmi",
    "boundary_precision",
    "boundary_recall",
    "boundary_f1",
    "n_boundaries_true",
    "n_boundaries_pred",
}

label_lists = st.lists(st.integers(0, 3), min_size=2, max_size=60)


def test_clustering_accuracy_permutation():
    assert clustering_accuracy([0, 0, 1, 1, 2], [2, 2, 0, 0, 1]) == 1.0
    assert clustering_accuracy([0, 0, 1, 1], [0, 0, 0, 1]) == 0.75
    with pytest.raises(ValueError, match="at least one sample"):
        clustering_accuracy([], [])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        clustering_accuracy([0, 1], [0])


def test_boundaries():
    assert boundaries([0, 0, 1, 1, 1, 0]).tolist() == [2, 5]
    assert boundaries([3, 3, 3]).tolist() == []
    assert boundaries([]).tolist() == [] and boundaries([1]).tolist() == []
    with pytest.raises(ValueError, match="1d array with one label per frame"):
        boundaries([[0, 1]])


def test_match_labels_one_to_one():
    assert match_labels(["a", "a", "b", "b"], [7, 7, 3, 3]) == {7: "a", 3: "b"}
    # More clusters than classes: the smaller cluster stays unmatched.
    assert match_labels([0, 0, 0, 1], [5, 5, 6, 9]) == {5: 0, 9: 1}
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        match_labels([0, 1], [0])


def test_segmentation_report_known_values():
    true = [0] * 10 + [1] * 10 + [0] * 10
    pred = [4] * 12 + [9] * 10 + [4] * 8
    report = segmentation_report(true, pred, tolerance=0.2, fps=10)  # 2 frames
    assert set(report) == KEYS
    assert report["accuracy"] == pytest.approx(26 / 30)
    assert report["boundary_precision"] == 1.0 and report["boundary_recall"] == 1.0
    strict = segmentation_report(true, pred, tolerance=0.1, fps=10)
    assert strict["boundary_precision"] == 0.0 and strict["boundary_f1"] == 0.0


def test_boundary_matching_is_one_to_one():
    true = [0] * 10 + [1] * 10
    pred = [0] * 9 + [1] + [0] + [1] * 9  # three predicted cuts near one true cut
    report = segmentation_report(true, pred, tolerance=2, fps=1)
    assert report["n_boundaries_pred"] == 3
    assert report["boundary_precision"] == pytest.approx(1 / 3)
    assert report["boundary_recall"] == 1.0


def test_no_boundaries_conventions():
    report = segmentation_report([1] * 5, [2] * 5)
    assert report["boundary_precision"] == 1.0 and report["boundary_recall"] == 1.0


def test_tolerance_is_in_seconds():
    """The default, 0.5 s at 120 fps, is 60 frames; seconds are rounded down to frames."""
    true = [0] * 200 + [1] * 200
    for shift, matched in ((60, 1.0), (61, 0.0)):
        pred = [0] * (200 + shift) + [1] * (200 - shift)
        assert segmentation_report(true, pred)["boundary_recall"] == matched
        same = segmentation_report(true, pred, tolerance=0.5, fps=120)
        assert same["boundary_recall"] == matched
    pred = [0] * 229 + [1] * 171  # 29 frames away: within 0.29 s at 100 fps
    assert segmentation_report(true, pred, tolerance=0.29, fps=100)["boundary_recall"] == 1.0


@pytest.mark.parametrize(
    "params",
    [{"tolerance": -1}, {"tolerance": np.nan}, {"tolerance": "1"}, {"fps": 0}, {"fps": -30}],
)
def test_bad_tolerance_or_fps(params):
    with pytest.raises(ValueError, match=f"'{next(iter(params))}' parameter"):
        segmentation_report([0, 1], [0, 1], **params)
    with pytest.raises(TypeError):  # keyword-only: a number of frames is not taken for seconds
        segmentation_report([0, 1], [0, 1], 60)


def test_length_mismatch():
    with pytest.raises(
        ValueError,
        match="labels_pred has 2 entries for 3 frames in labels_true: "
        "inconsistent numbers of frames",
    ):
        segmentation_report([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="at least one frame"):
        segmentation_report([], [])


@settings(max_examples=60, deadline=None)
@given(labels=label_lists, tolerance=st.integers(0, 5))
def test_identical_labels_score_perfectly(labels, tolerance):
    report = segmentation_report(labels, labels, tolerance=tolerance, fps=1)
    assert report["accuracy"] == 1.0
    assert report["boundary_precision"] == 1.0 and report["boundary_recall"] == 1.0


@settings(max_examples=60, deadline=None)
@given(data=st.data(), tolerance=st.integers(0, 5))
def test_report_invariants(data, tolerance):
    true = data.draw(label_lists)
    pred = data.draw(st.lists(st.integers(0, 3), min_size=len(true), max_size=len(true)))
    report = segmentation_report(true, pred, tolerance=tolerance, fps=1)  # in frames
    for key in ("accuracy", "boundary_precision", "boundary_recall", "boundary_f1", "nmi"):
        assert 0.0 <= report[key] <= 1.0 + 1e-12
    # Renaming the clusters changes nothing.
    renamed = (np.asarray(pred) + 7) * 3
    assert segmentation_report(true, renamed, tolerance=tolerance, fps=1) == pytest.approx(report)
    # Swapping the roles swaps precision and recall.
    swapped = segmentation_report(pred, true, tolerance=tolerance, fps=1)
    assert swapped["boundary_precision"] == pytest.approx(report["boundary_recall"])
    assert swapped["boundary_recall"] == pytest.approx(report["boundary_precision"])
    # A larger tolerance never matches fewer boundaries.
    looser = segmentation_report(true, pred, tolerance=tolerance + 3, fps=1)
    assert looser["boundary_recall"] >= report["boundary_recall"] - 1e-12


def test_boundary_report_scores_cut_frames():
    from skseq2seq.metrics import boundary_report

    report = boundary_report([100, 200], [95, 110, 400], tolerance=0.1, fps=100)
    # 95 and 110 are both near 100, but only one of them may match it.
    assert report == {"precision": 1 / 3, "recall": 0.5, "f1": 0.4, "n_true": 2, "n_pred": 3}
    assert boundary_report([100], [], fps=100)["precision"] == 1.0
    assert boundary_report([100], [160], tolerance=0.5, fps=100)["f1"] == 0.0
    assert boundary_report([100], [160], tolerance=1.0, fps=100)["f1"] == 1.0
