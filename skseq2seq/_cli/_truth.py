"""Ground-truth files of ``segment --truth``: per-frame labels, or subject-86 segments."""

import re
from pathlib import Path

import numpy as np

_FRAME_LAYOUT = (
    "one label per frame: a label per line, or a CSV table with a 'label' column (as "
    "segment --out writes); or CMU subject 86's ground-truth format"
)


def _is_subject86(lines):
    """The subject-86 format: the number of segments, then '<index> <name>' lines."""
    return len(lines) > 1 and lines[0].isdigit() and re.match(r"\d+\s+\S*[^\d\s]", lines[1])


def read_truth(path, n_frames):
    """(label of each of the ``n_frames`` frames, label names) of a ground-truth file."""
    from ..datasets._cmu import _parse_subject86_ground_truth, _segment_labels

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"--truth {path}: no such file")
    try:
        lines = [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines()]
    except UnicodeDecodeError as exc:
        raise ValueError(f"--truth {path}: not a text file ({exc.reason})") from None
    lines = [line for line in lines if line]
    if not lines:
        raise ValueError(f"--truth {path}: empty; expected {_FRAME_LAYOUT}")
    if _is_subject86(lines):
        labels, names = _segment_labels(_parse_subject86_ground_truth(path), n_frames)
        return labels, names
    header = [cell.strip().strip('"') for cell in lines[0].split(",")]
    if "label" in header:
        column = header.index("label")
        try:
            labels = [line.split(",")[column].strip().strip('"') for line in lines[1:]]
        except IndexError:
            raise ValueError(
                f"--truth {path}: a line without a 'label' column; expected {_FRAME_LAYOUT}"
            ) from None
    elif any("," in line for line in lines):
        raise ValueError(
            f"--truth {path}: several values per line and no 'label' column; expected "
            f"{_FRAME_LAYOUT}"
        )
    else:
        labels = lines
    if len(labels) != n_frames:
        raise ValueError(
            f"--truth {path}: {len(labels)} labels for the {n_frames} frames of the recording; "
            f"expected {_FRAME_LAYOUT}"
        )
    names, codes = np.unique(np.asarray(labels), return_inverse=True)
    return codes.astype(np.int64), names.tolist()
