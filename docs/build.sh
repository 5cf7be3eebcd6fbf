#!/usr/bin/env bash
# Build the HTML documentation with warnings as errors. Installs nothing:
# needs the "docs" extra (pip install -e ".[docs]") in the active Python.
# Runs every gallery example (about two minutes on 2 CPU cores).
#   PYTHON=/path/to/python bash docs/build.sh
# Offline by default: no intersphinx, references to numpy/sklearn/skorch/torch
# objects link by those projects' URL patterns (docs/conf.py) and MathJax is
# served from _static; SKSEQ2SEQ_DOCS_OFFLINE=0 adds intersphinx. Gallery examples read the CMU data from
# $SKSEQ2SEQ_DATA (the folder holding cmu_mocap/) or ../shared/data and fall back
# to generated data.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
export MPLBACKEND=Agg
exec "$PYTHON" -m sphinx -W --keep-going -b html docs docs/_build/html "$@"
