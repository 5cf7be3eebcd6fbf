"""Sphinx configuration for skseq2seq's documentation.

Build (warnings are errors; installs nothing): ``bash docs/build.sh``.
"""

import builtins
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
# The modules are those the API page names in its ``public-api`` directives.
PUBLIC_MODULES = re.findall(
    r"^\.\. public-api:: (\S+)$", (DOCS / "api.rst").read_text(encoding="utf-8"), re.M
)
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
# (no "inherited-members" default here: a default, even False, overrides the
# option that the class template gives)
autodoc_default_options = {"members": True}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
# Type names in Parameters/Returns/Attributes become links: the few bare names
# below (numpydoc adds Python's builtins and ndarray/array-like), every dotted
# name of a project in EXTERNAL_DOCS (_link_dotted_types); other words stay text.
numpydoc_xref_param_type = True
numpydoc_xref_ignore = "all"
numpydoc_xref_aliases = {
    "bool": ":class:`python:bool`",  # numpydoc's default is a :ref: label
    "BaseEstimator": "sklearn.base.BaseEstimator",
    "RandomState": "numpy.random.RandomState",
    "Tensor": "torch.Tensor",
    "Axes": "matplotlib.axes.Axes",
    "Colormap": "matplotlib.colors.Colormap",
}
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

# -- links to other projects without network ------------------------------------
# intersphinx needs each project's objects.inv from the network at build time.
# Offline (the default), a reference that nothing resolved and that names an
# object of one of these projects links to the page that the project's URL
# pattern gives it (_external_link), so type names still lead to their docs.
EXTERNAL_DOCS = {
    "numpy": "https://numpy.org/doc/stable/reference/generated/{name}.html",
    "scipy": "https://docs.scipy.org/doc/scipy/reference/generated/{name}.html",
    "sklearn": "https://scikit-learn.org/stable/modules/generated/{name}.html",
    "torch": "https://docs.pytorch.org/docs/stable/generated/{name}.html",
    # skorch documents each module on one page: skorch.net.NeuralNet is on net.html
    "skorch": "https://skorch.readthedocs.io/en/stable/{page}.html#{name}",
    "matplotlib": "https://matplotlib.org/stable/api/_as_gen/{name}.html",
    "pandas": "https://pandas.pydata.org/docs/reference/api/{name}.html",
    "joblib": "https://joblib.readthedocs.io/en/stable/generated/{name}.html",
    "pathlib": "https://docs.python.org/3/library/pathlib.html#{name}",
}
# Objects documented on another page than the pattern's.
EXTERNAL_PAGES = {
    "torch.device": "https://docs.pytorch.org/docs/stable/tensor_attributes.html#torch.device",
    "torch.dtype": "https://docs.pytorch.org/docs/stable/tensor_attributes.html#torch.dtype",
    "torch.Tensor": "https://docs.pytorch.org/docs/stable/tensors.html#torch.Tensor",
}
EXTERNAL_HOMES = {
    "numpy": "https://numpy.org/doc/stable/",
    "torch": "https://docs.pytorch.org/docs/stable/",
}
PYTHON_DOCS = "https://docs.python.org/3/"
PYTHON_STDTYPES = {"list", "dict", "tuple", "str", "set", "frozenset", "bytes"}


def _external_url(target):
    if target in EXTERNAL_PAGES:
        return EXTERNAL_PAGES[target]
    project, _, rest = target.partition(":")
    if rest and project == "python":  # numpydoc's aliases: python:int, python:iterable
        target = rest
    if target in ("None", "True", "False"):
        return f"{PYTHON_DOCS}library/constants.html#{target}"
    if target in PYTHON_STDTYPES:
        return f"{PYTHON_DOCS}library/stdtypes.html#{target}"
    if isinstance(getattr(builtins, target, None), type) and issubclass(
        getattr(builtins, target), BaseException
    ):
        return f"{PYTHON_DOCS}library/exceptions.html#{target}"
    if hasattr(builtins, target):
        return f"{PYTHON_DOCS}library/functions.html#{target}"
    if target in sys.stdlib_module_names:
        return f"{PYTHON_DOCS}library/{target}.html"
    if target in EXTERNAL_HOMES:
        return EXTERNAL_HOMES[target]
    if rest and project == "numpy":  # numpy:array_like (a glossary term)
        return f"https://numpy.org/doc/stable/glossary.html#term-{rest.replace('_', '-')}"
    pattern = EXTERNAL_DOCS.get(target.split(".")[0])
    if pattern is None or "." not in target:
        return None
    if "{page}" in pattern:  # skorch: the object's own module names the page
        import importlib

        module, _, name = target.rpartition(".")
        try:
            obj = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            return None
        canonical = f"{obj.__module__}.{obj.__qualname__}"
        page = canonical.split(".")[1]
        if page == "callbacks":  # skorch.callbacks documents its classes as such
            canonical = f"skorch.callbacks.{obj.__qualname__}"
        return pattern.format(page=page, name=canonical)
    return pattern.format(name=target)


def _external_link(app, env, node, contnode):
    """missing-reference handler: link known projects' objects by URL pattern."""
    if node.get("refdomain") == "std" and node.get("reftype") == "term":
        target = node.get("reftarget", "")
        if target.startswith("python:"):
            url = f"{PYTHON_DOCS}glossary.html#term-{target[7:]}"
        else:
            url = _external_url(target)
    elif node.get("refdomain") == "py":
        url = _external_url(node.get("reftarget", ""))
    else:
        url = None
    if url is None:
        return None
    from docutils import nodes

    text = contnode.astext()
    if ":" in text:  # show python:int as int, as intersphinx does
        contnode = contnode.deepcopy()
        contnode.children = [nodes.Text(text.partition(":")[2])]
    reference = nodes.reference("", "", internal=False, refuri=url, reftitle=node["reftarget"])
    reference += contnode
    return reference


# Dotted names of those projects in a docstring's type lines ("name : type"),
# e.g. "torch.nn.Module" or "pandas.DataFrame", become references; numpydoc
# keeps roles as they are.
_TYPE_LINE = re.compile(r"^(\s*\*{0,2}\w+(?:, \*{0,2}\w+)* : )(.*)$")
_DOTTED = re.compile(rf"(?<![`\w.~])((?:{'|'.join(EXTERNAL_DOCS)})(?:\.\w+)+)(?![\w`])")


def _link_dotted_types(app, what, name, obj, options, lines):
    for i, line in enumerate(lines):
        match = _TYPE_LINE.match(line)
        if match and "`" not in match.group(2):
            lines[i] = match.group(1) + _DOTTED.sub(r":obj:`\1`", match.group(2))


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


_BACKTICKED = re.compile(r"(``.*?``|`[^`]*`)")


def _escape_bare_references(app, what, name, obj, options, lines):
    for i, line in enumerate(lines):
        # outside backticks only (type lines hold numpydoc's :obj:`...` links)
        parts = _BACKTICKED.split(line)
        parts[::2] = [_BARE_REFERENCE.sub(r"\1\\_", part) for part in parts[::2]]
        lines[i] = "".join(parts)


def _skip_members(app, what, name, obj, skip, options):
    """Leave out sklearn's generated set_{fit,...}_request methods: their text is
    sklearn's own (it cites sklearn's glossary) and metadata routing is optional.
    Leave out methods that torch's Module or skorch's Callback define: they are
    those libraries' machinery, documented there (and in no scikit-learn API)."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    if str(getattr(obj, "__module__", None) or "").startswith(("torch.", "skorch.")):
        return True
    return None


def _plain_foreign_labels(app, what, name, obj, options, lines):
    """Methods inherited from scikit-learn bring their docstrings, whose
    :ref: labels exist only in scikit-learn's docs: keep their text (or say
    whose docs, for a label without text)."""
    module = str(getattr(obj, "__module__", None) or "")
    if not module.startswith("skseq2seq"):
        for i, line in enumerate(lines):
            line = _FOREIGN_REF.sub(r"\1", line)
            lines[i] = _FOREIGN_LABEL.sub(f"{module.split('.')[0]}'s documentation", line)


_FOREIGN_REF = re.compile(r":ref:`([^`<]+?)\s*<[^`>]+>`")
_FOREIGN_LABEL = re.compile(r":ref:`[^`]+`")


def setup(app):
    app.connect("autodoc-skip-member", _skip_members)
    app.connect("autodoc-process-docstring", _escape_bare_references)
    # before numpydoc (priority 500) rewrites the sections
    app.connect("autodoc-process-docstring", _link_dotted_types, priority=400)
    app.connect("autodoc-process-docstring", _plain_foreign_labels, priority=400)
    # after intersphinx (priority 500), which resolves these when online, and
    # before the Python domain's builtin_resolver (900), which leaves builtins unlinked
    app.connect("missing-reference", _external_link, priority=800)
    app.add_directive("public-api", PublicAPI)
