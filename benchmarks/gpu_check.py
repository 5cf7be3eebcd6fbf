"""CUDA path check: train on the GPU, save the model, reload it on a CPU-only machine.

On a GPU machine::

    python benchmarks/gpu_check.py train OUT_DIR

writes ``model.pkl`` (fitted on CUDA) and ``embedding.npy`` (its GPU transform).
Then, on any CPU machine::

    python benchmarks/gpu_check.py load OUT_DIR

unpickles the model (skorch maps CUDA tensors to the CPU), transforms the same
data and compares with the GPU embedding.
"""

import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import torch

from skseq2seq import Seq2SeqEmbedder
from skseq2seq.datasets import make_motion_sequences


def _data():
    return make_motion_sequences(n_sequences=512, n_timesteps=50, n_features=30, random_state=0)[0]


def train(folder):
    folder.mkdir(parents=True, exist_ok=True)
    X = _data()
    embedder = Seq2SeqEmbedder(max_epochs=5, random_state=0)  # device="auto"
    start = time.perf_counter()
    embedder.fit(X)
    seconds = time.perf_counter() - start
    device = str(next(embedder.module_.parameters()).device)
    np.save(folder / "embedding.npy", embedder.transform(X))
    (folder / "model.pkl").write_bytes(pickle.dumps(embedder))
    info = {
        "device": device,
        "gpu": torch.cuda.get_device_name() if torch.cuda.is_available() else None,
        "torch": torch.__version__,
        "fit_seconds_5_epochs": seconds,
        "final_loss": embedder.history_[-1, "train_loss"],
    }
    (folder / "train.json").write_text(json.dumps(info, indent=2))
    print(json.dumps(info, indent=2))


def load(folder):
    embedder = pickle.loads((folder / "model.pkl").read_bytes())
    device = str(next(embedder.module_.parameters()).device)
    Z = embedder.transform(_data())
    Z_gpu = np.load(folder / "embedding.npy")
    err = float(np.abs(Z - Z_gpu).max())
    print(json.dumps({"loaded_on": device, "max_abs_diff_vs_gpu": err}, indent=2))
    assert device == "cpu" and err < 1e-3


if __name__ == "__main__":
    {"train": train, "load": load}[sys.argv[1]](Path(sys.argv[2]))
