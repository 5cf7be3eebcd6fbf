"""
Root-centred positions: clusters that ignore units and where the subject stands
================================================================================

A folder of BVH files read as they are gives the network the root's
global position, in the file's length unit: the same movement recorded in
centimetres and in metres, or two metres further on, looks different. The
transformers of :mod:`skseq2seq.preprocessing` turn the recordings into
joint positions in metres, relative to the root, before cutting windows
and clustering them (:func:`~skseq2seq.preprocessing.make_motion_preprocessor`,
the command line's default preparation of motion files).

The take is CMU's ``formats/131_01.bvh`` from the data home
(``$SKSEQ2SEQ_DATA`` or ``../../../shared/data`` from this folder; 120
frames per second, 31 joints, in CMU's units). Without it, a generated
take of a small skeleton (legs swinging, arms waving, squats) stands in:
the steps are the same, and the printed output says which data ran.
Beside the take the example writes a copy in metres (offsets and root
translations times 0.01) that also stands 2 m further along x, then
clusters the windows of both files together: the copy's windows should get
the same labels as the original's.
"""

# %%
# The take and its copy in metres, elsewhere
# ------------------------------------------
import os
import tempfile
from pathlib import Path

import numpy as np

from skseq2seq.io import load_folder, read_bvh

data_home = os.environ.get("SKSEQ2SEQ_DATA")
if data_home is None:
    shared = Path("../../../shared/data")
    data_home = shared if shared.is_dir() else Path("~/skseq2seq_data").expanduser()
source = Path(data_home) / "formats" / "131_01.bvh"
folder = Path(tempfile.mkdtemp())


def generated_bvh(path, n_frames=600):
    """A small skeleton in centimetres: 200 frames each of walking, waving and squatting."""
    joints = [("Hips", None, (0, 0, 0)), ("Spine", "Hips", (0, 20, 0)),
              ("Head", "Spine", (0, 40, 0)), ("LeftArm", "Spine", (20, 35, 0)),
              ("LeftHand", "LeftArm", (30, 0, 0)), ("RightArm", "Spine", (-20, 35, 0)),
              ("RightHand", "RightArm", (-30, 0, 0)), ("LeftLeg", "Hips", (10, -5, 0)),
              ("LeftFoot", "LeftLeg", (0, -85, 0)), ("RightLeg", "Hips", (-10, -5, 0)),
              ("RightFoot", "RightLeg", (0, -85, 0))]  # fmt: skip
    children = {name: [j for j in joints if j[1] == name] for name, _, _ in joints}

    def block(joint, depth):
        name, parent, offset = joint
        pad = "  " * depth
        kind = "ROOT" if parent is None else "JOINT"
        channels = "6 Xposition Yposition Zposition" if parent is None else "3"
        lines = [f"{pad}{kind} {name}", f"{pad}{{", f"{pad}  OFFSET {' '.join(map(str, offset))}",
                 f"{pad}  CHANNELS {channels} Zrotation Yrotation Xrotation"]  # fmt: skip
        for child in children[name]:
            lines += block(child, depth + 1)
        if not children[name]:
            lines += [f"{pad}  End Site", f"{pad}  {{", f"{pad}    OFFSET 0 -5 0", f"{pad}  }}"]
        return lines + [f"{pad}}}"]

    t = np.arange(n_frames) / 120
    regime = np.arange(n_frames) // 200
    swing = 30 * np.sin(2 * np.pi * 1.5 * t)
    frames = np.zeros((n_frames, 6 + 3 * (len(joints) - 1)))
    frames[:, 0] = np.cumsum(np.where(regime == 0, 1.0, 0.0))  # walks along x
    frames[:, 1] = 95 - np.where(regime == 2, 20 * (1 - np.cos(2 * np.pi * t)), 0)
    column = {name: 6 + 3 * (i - 1) for i, (name, _, _) in enumerate(joints)}
    for leg, sign in (("LeftLeg", 1), ("RightLeg", -1)):
        frames[:, column[leg] + 2] = np.where(regime == 0, sign * swing, 0)  # Xrotation
        frames[:, column[leg] + 2] += np.where(regime == 2, -40 * (1 - np.cos(2 * np.pi * t)), 0)
    for arm in ("LeftArm", "RightArm"):
        frames[:, column[arm]] = np.where(regime == 1, 60 + 2 * swing, 0)  # Zrotation
    rows = [" ".join(f"{v:.4f}" for v in row) for row in frames]
    text = ["HIERARCHY", *block(joints[0], 0), "MOTION", f"Frames: {n_frames}",
            "Frame Time: 0.0083333", *rows]  # fmt: skip
    path.write_text("\n".join(text) + "\n")


if source.is_file():
    take = folder / source.name
    take.write_text(source.read_text())
    what = f"CMU subject 131 ({source})"
else:
    take = folder / "generated_take.bvh"
    generated_bvh(take)
    what = f"a GENERATED take (no {source} found)"


def metre_copy(path, out, shift=2.0):
    """``path`` in metres (offsets and position channels x 0.01), moved ``shift`` m along x."""
    motion = read_bvh(path)
    names = list(motion.channel_names)
    data = motion.data.copy()
    data[:, [i for i, n in enumerate(names) if n.endswith("position")]] *= 0.01
    data[:, names.index(f"{motion.metadata['joints'][0]}_Xposition")] += shift
    lines, frame = [], 0
    for line in path.read_text().splitlines():
        words = line.split()
        if words[:1] == ["OFFSET"]:
            line = "OFFSET " + " ".join(f"{float(v) * 0.01:.8f}" for v in words[1:])
        elif words and words[0][0] in "-.0123456789" and frame < len(data):
            line = " ".join(f"{v:.8f}" for v in data[frame])
            frame += 1
        lines.append(line)
    out.write_text("\n".join(lines) + "\n")


metre_copy(take, folder / f"{take.stem}_metres.bvh")
data = load_folder(folder, "*.bvh", label_from="stem", rotations="expmap")
print(f"Data: {what}, and its copy in metres 2 m further on")
for name, frames in zip(data.filenames, data.recordings):
    hips = frames[:, :3]
    print(f"  {Path(name).name}: {frames.shape}, root x from {hips[0, 0]:.2f} to {hips[-1, 0]:.2f}")

# %%
# Two preparations, one clustering
# ---------------------------------
# The raw channels (the root's position in the file's unit, exp-maps), and
# the default pipeline: metres (the BVH states no unit: the skeleton's
# rest pose is scaled to 1.7 m), joint positions by forward kinematics,
# the root's horizontal position dropped. Both are cut into 50-frame
# windows, a new one every 10 frames, and clustered together by one small
# network (16 units, 3 epochs, to keep this page fast). The adjusted Rand
# index compares the labels of each window of the original with those of
# the same window of the copy: 1 means the copy is clustered exactly as the
# original.
from sklearn.metrics import adjusted_rand_score

from skseq2seq import Seq2SeqClusterer
from skseq2seq.datasets import sliding_windows
from skseq2seq.preprocessing import make_motion_preprocessor

preprocessed = make_motion_preprocessor().fit_transform(data)
labels = {}
for name, recordings in (
    ("raw channels", data.recordings),
    ("root-centred positions", preprocessed),
):
    X, groups = sliding_windows(recordings, 50, 10, return_groups=True)
    clusterer = Seq2SeqClusterer(n_clusters=3, random_state=0).set_params(
        embedder__hidden_size=16, embedder__max_epochs=3
    )
    labels[name] = clusterer.fit_predict(X)
    original, copy = labels[name][groups == 0], labels[name][groups == 1]
    gap = np.abs(recordings[0] - recordings[1]).max()
    print(
        f"{name:>24}: {X.shape[2]} channels, largest difference between the files {gap:.3g}; "
        f"ARI original vs copy {adjusted_rand_score(original, copy):.2f}"
    )

# %%
# The labels of both files, window by window
# ------------------------------------------
# Each row is one file's windows in time order, coloured by cluster, for
# the raw channels (top) and the root-centred positions (bottom).
import matplotlib.pyplot as plt

from skseq2seq.plotting import label_colors, plot_segmentation

fps = data.fps[0] / 10  # one window per 10 frames: the axis is in seconds
fig, axes = plt.subplots(4, 1, figsize=(8, 4), sharex=True)
for row, (name, found) in enumerate(labels.items()):
    colors = label_colors(found)
    for g in range(2):
        ax = axes[2 * row + g]
        plot_segmentation(found[groups == g], fps=fps, ax=ax, colors=colors)
        ax.set_yticklabels([Path(data.filenames[g]).stem[-12:]])
        ax.set_title(name if g == 0 else "", fontsize=9, loc="left")
axes[-1].set_xlabel("time (s)")
fig.tight_layout()
