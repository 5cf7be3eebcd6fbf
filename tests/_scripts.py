"""The repository's scripts (benchmarks, docs/conf.py) loaded as modules, for their tests."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_script(relative_path):
    """The module in ``ROOT / relative_path``, executed (scripts are not packages)."""
    path = ROOT / relative_path
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
