"""Sphinx configuration for skseq2seq's documentation.

Build (warnings are errors; installs nothing): ``bash docs/build.sh``.
"""

import os
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))

import skseq2seq  # noqa: E402

project = "skseq2seq"
author = "skseq2seq developers"
copyright = "2026, skseq2seq developers"
version = release = skseq2seq.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    # MathJax from the package, copied into _static/mathjax: formulas render
    # without network, when building and when reading.
    "sphinx-mathjax-offline",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext"}
exclude_patterns = [
    "_build",
    "_generated",
    "examples",
    "sg_execution_times.rst",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "**.md5",
    "**.codeobj.json",
    "**.zip",
]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme = "pydata_sphinx_theme"
html_title = f"skseq2seq {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_sidebars = {"**": []}
html_show_sourcelink = False

# -- API reference ---------------------------------------------------------
# The API page lists each public module's ``__all__`` as found at build time
# (directive ``public-api`` below), so objects added to the package appear
# without editing the page. autosummary writes their stub pages into
# gen_modules/ from a scan file listing the same names.
PUBLIC_MODULES = [
    "skseq2seq",
    "skseq2seq.baselines",
    "skseq2seq.datasets",
    "skseq2seq.io",
    "skseq2seq.metrics",
    "skseq2seq.plotting",
    "skseq2seq.callbacks",
]
GEN = DOCS / "gen_modules"


def public_names(module_name):
    import importlib

    module = importlib.import_module(module_name)
    return [
        f"{module_name}.{name}"
        for name in getattr(module, "__all__", [])
        if not name.startswith("_")
    ]


def _write_scan_file():
    GEN.mkdir(exist_ok=True)
    lines = [".. autosummary::", "   :toctree: .", ""]
    for module_name in PUBLIC_MODULES:
        lines += [f"   {name}" for name in public_names(module_name)]
    (GEN / "_scan.rst").write_text("\n".join(lines) + "\n")


_write_scan_file()
autosummary_generate = ["gen_modules/_scan.rst"]
exclude_patterns.append("gen_modules/_scan.rst")
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False
default_role = "literal"

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable", None),
    "sklearn": ("https://scikit-learn.org/stable", None),
    "skorch": ("https://skorch.readthedocs.io/en/stable", None),
    "matplotlib": ("https://matplotlib.org/stable", None),
    "torch": ("https://docs.pytorch.org/docs/stable", None),
}
# The build must work offline: intersphinx inventories are optional.
intersphinx_timeout = 5
# myst.header: heading levels in benchmark Markdown are not ours to fix
suppress_warnings = ["intersphinx.external", "config.cache", "myst.header"]
if os.environ.get("SKSEQ2SEQ_DOCS_OFFLINE", "1") == "1":
    intersphinx_mapping = {}

# -- gallery -----------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(DOCS / "examples"),
    "gallery_dirs": str(DOCS / "auto_examples"),
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "show_memory": False,
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "reset_modules": ("matplotlib",),
    "doc_module": ("skseq2seq",),
    "backreferences_dir": str(DOCS / "gen_modules" / "backreferences"),
    "min_reported_time": 1,
    # no sg_execution_times.rst in the source tree (each page shows its time)
    "write_computation_times": False,
}

from docutils.parsers.rst import Directive  # noqa: E402


class PublicAPI(Directive):
    """``.. public-api:: module``: an autosummary table of ``module.__all__``."""

    required_arguments = 1

    def run(self):
        module_name = self.arguments[0]
        names = public_names(module_name)
        lines = [
            f".. currentmodule:: {module_name}",
            "",
            ".. autosummary::",
            "   :toctree: gen_modules",
            "   :nosignatures:",
            "",
        ]
        lines += [f"   {name[len(module_name) + 1 :]}" for name in names]
        source = self.state_machine.input_lines.source(
            self.lineno - self.state_machine.input_offset - 1
        )
        self.state_machine.insert_input(lines, source)
        return []


# A bare name ending in "_" (``n_features_in_)`` written without backticks in
# a docstring's type line) is reStructuredText for a hyperlink reference;
# escape the underscore so such docstrings render as text.
_BARE_REFERENCE = re.compile(r"(?<![`\w\\])([A-Za-z]\w*[A-Za-z0-9])_(?=[\s,.;:)\]]|$)")


def _escape_bare_references(app, what, name, obj, options, lines):
    for i, line in enumerate(lines):
        if "`" not in line:
            lines[i] = _BARE_REFERENCE.sub(r"\1\\_", line)


def _skip_metadata_requests(app, what, name, obj, skip, options):
    """Leave out sklearn's generated set_{fit,...}_request methods: their text is
    sklearn's own (it cites sklearn's glossary) and metadata routing is optional."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_metadata_requests)
    app.connect("autodoc-process-docstring", _escape_bare_references)
    app.add_directive("public-api", PublicAPI)
