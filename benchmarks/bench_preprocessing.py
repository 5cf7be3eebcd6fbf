"""Is the clustering of a motion file invariant to its length unit? Before and after preprocessing.

The same BVH take (CMU subject 131, ``formats/131_01.bvh``) is clustered
together with a copy of it in metres (its offsets and root translations
times 0.01): 50-frame windows with stride 10 (the command line's), one
``Seq2SeqClusterer(random_state=0)`` with its defaults (and with
``n_clusters="auto"``, as on the command line) on the windows of both files
(and with the copy also moved 2 m: where the subject stands). A
representation invariant to units and place gives every window of the copy
the label of the same window of the original: the adjusted Rand index
between the two files' window labels is 1. Rows:

* ``raw channels`` (the command line's behaviour before the preprocessing
  module): the file's channels, Euler angles as exp-maps, the root's
  position included;
* ``make_motion_preprocessor()``: the default pipeline (metres, joint
  positions by forward kinematics, root's horizontal translation dropped);
* the pipeline with ``keep_root=True`` (the root's velocity in the heading
  frame) and with ``representation="rotations"`` (exp-maps without the
  root's translation).

Run::

    OMP_NUM_THREADS=1 python benchmarks/bench_preprocessing.py    # ~4 min on one core

It writes ``results/preprocessing.json`` and ``results/preprocessing.md``.
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

from skseq2seq import Seq2SeqClusterer
from skseq2seq.datasets import sliding_windows
from skseq2seq.io import read_bvh, read_motion
from skseq2seq.preprocessing import make_motion_preprocessor

RESULTS = Path(__file__).parent / "results"
WIDTH, STRIDE = 50, 10


def _data_home():
    home = os.environ.get("SKSEQ2SEQ_DATA")
    return Path(home) if home else Path(__file__).resolve().parents[2] / "shared" / "data"


def write_metre_copy(path, out, shift=0.0):
    """``path`` with its offsets and position channels times 0.01, the root moved ``shift`` m."""
    motion = read_bvh(path)
    positions = [i for i, name in enumerate(motion.channel_names) if name.endswith("position")]
    root_x = list(motion.channel_names).index(f"{motion.metadata['joints'][0]}_Xposition")
    lines, in_motion, frame_lines = [], False, 0
    for line in Path(path).read_text().splitlines():
        words = line.split()
        if words[:1] == ["OFFSET"]:
            scaled = " ".join(f"{float(v) * 0.01:.8f}" for v in words[1:])
            line = line[: len(line) - len(line.lstrip())] + f"OFFSET {scaled}"
        elif words[:1] == ["MOTION"]:
            in_motion = True
        elif in_motion and words and words[0][0] in "-.0123456789":
            frame_lines += 1
            values = motion.data[frame_lines - 1].copy()
            values[positions] *= 0.01
            values[root_x] += shift
            line = " ".join(f"{v:.8f}" for v in values)
        lines.append(line)
    Path(out).write_text("\n".join(lines) + "\n")


def _ari(recordings, n_clusters=8, seed=0):
    X, groups = sliding_windows(recordings, WIDTH, STRIDE, return_groups=True)
    start = time.perf_counter()
    labels = Seq2SeqClusterer(n_clusters=n_clusters, random_state=seed).fit(X).labels_
    seconds = time.perf_counter() - start
    return adjusted_rand_score(labels[groups == 0], labels[groups == 1]), seconds, X.shape


def main():
    source = _data_home() / "formats" / "131_01.bvh"
    if not source.is_file():
        sys.exit(f"no {source}: set SKSEQ2SEQ_DATA to the folder holding formats/")
    folder = Path(tempfile.mkdtemp())
    results = []
    for copy_name, shift in (("in metres", 0.0), ("in metres, standing 2 m away", 2.0)):
        copy = folder / f"131_01_metres_{shift:g}.bvh"
        write_metre_copy(source, copy, shift=shift)
        read = [read_motion(p, rotations="expmap") for p in (source, copy)]
        rows = {
            "raw channels (before)": [r.data for r in read],
            "make_motion_preprocessor()": make_motion_preprocessor().fit_transform(read),
            "make_motion_preprocessor(keep_root=True)": make_motion_preprocessor(
                keep_root=True
            ).fit_transform(read),
            'make_motion_preprocessor(representation="rotations")': make_motion_preprocessor(
                representation="rotations"
            ).fit_transform(read),
        }
        for name, recordings in rows.items():
            gap = float(np.abs(recordings[0] - recordings[1]).max())
            ari, seconds, shape = _ari(recordings)
            ari_auto, _, _ = _ari(recordings, n_clusters="auto")
            results.append(
                {
                    "copy": copy_name,
                    "representation": name,
                    "ari": round(float(ari), 4),
                    "ari_auto": round(float(ari_auto), 4),
                    "max_abs_difference_between_files": gap,
                    "windows": list(shape),
                    "fit_seconds": round(seconds, 1),
                }
            )
            print(results[-1], flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "preprocessing.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        "# Unit invariance: the same BVH take in centimetres and in metres, clustered together",
        "",
        f"`{source.name}` and a copy in metres (offsets and root translations x 0.01; "
        "second half: its root also moved 2 m along x); "
        f"{WIDTH}-frame windows, stride {STRIDE}; `Seq2SeqClusterer(random_state=0)` defaults "
        '(8 clusters; and `n_clusters="auto"`) on the windows of both files; ARI between '
        "the labels of the same windows of the two files (1 = the same labels). Generated by "
        "`benchmarks/bench_preprocessing.py`.",
        "",
        '| copy | representation | ARI original vs copy | ARI, `n_clusters="auto"` | '
        "max difference between the files | windows x frames x channels | fit (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['copy']} | {r['representation']} | {r['ari']:.2f} | {r['ari_auto']:.2f} | "
            f"{r['max_abs_difference_between_files']:.3g} | "
            f"{' x '.join(map(str, r['windows']))} | {r['fit_seconds']} |"
        )
    (RESULTS / "preprocessing.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
