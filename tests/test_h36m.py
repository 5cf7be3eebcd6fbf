"""Human3.6M loader: layout, labels, errors (real data, skipped without ../shared)."""

import numpy as np
import pytest

from skseq2seq.datasets import H36M_ACTIONS, load_h36m


def _write(folder, subject, name, rows):
    path = folder / "h36m" / subject
    path.mkdir(parents=True, exist_ok=True)
    (path / name).write_text("\n".join(",".join(str(v) for v in row) for row in rows) + "\n")


def test_layout_targets_and_subjects(tmp_path):
    _write(tmp_path, "S1", "walking_1.txt", [[0, 1], [2, 3]])
    _write(tmp_path, "S1", "eating_2.txt", [[4, 5]])
    _write(tmp_path, "S11", "walking_2.txt", [[6, 7], [8, 9], [1, 1]])
    _write(tmp_path, "S2", "readme.md", [["x"]])  # not a recording: ignored
    data = load_h36m(data_home=tmp_path)
    # Subjects by number, actions in H36M_ACTIONS order, then trials.
    assert data.subjects.tolist() == ["S1", "S1", "S11"]
    assert data.target_names.tolist() == ["eating", "walking"]
    assert data.target.tolist() == [0, 1, 1]
    assert data.trials.tolist() == [2, 1, 2]
    np.testing.assert_array_equal(data.recordings[0], [[4.0, 5.0]])
    assert data.fps == 25
    X, y = load_h36m(subjects=[11], data_home=tmp_path, return_X_y=True)
    assert len(X) == 1 and y.tolist() == [0]
    only = load_h36m(actions=["walking"], data_home=tmp_path)
    assert only.target_names.tolist() == ["walking"] and len(only.recordings) == 2


def test_errors_name_the_problem(tmp_path):
    with pytest.raises(FileNotFoundError, match="h36m"):
        load_h36m(data_home=tmp_path)
    _write(tmp_path, "S1", "walking_1.txt", [[0, 1]])
    with pytest.raises(ValueError, match="Unknown Human3.6M action 'jogging'"):
        load_h36m(actions=["jogging"], data_home=tmp_path)
    with pytest.raises(FileNotFoundError, match="S5"):
        load_h36m(subjects=[5], data_home=tmp_path)
    _write(tmp_path, "S1", "dancing_1.txt", [[0, 1]])
    with pytest.raises(ValueError, match="'dancing' is not a Human3.6M action"):
        load_h36m(data_home=tmp_path)


def test_bad_file_names_file_and_line(tmp_path):
    _write(tmp_path, "S1", "walking_1.txt", [[0, 1], [2]])
    with pytest.raises(ValueError, match="walking_1.txt, line 2"):
        load_h36m(data_home=tmp_path)


def test_real_h36m(h36m_data_home):
    data = load_h36m(data_home=h36m_data_home)
    assert data.target_names.tolist() == list(H36M_ACTIONS)
    assert sorted(set(data.subjects)) == ["S1", "S6", "S7", "S8"]
    assert all(r.shape[1] == 99 for r in data.recordings)
    assert len(data.recordings) == 110  # 4 x 30, less the 10 missing trials of S7
    assert (data.subjects == "S7").sum() == 20
