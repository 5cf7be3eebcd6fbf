"""The documentation's front page: its example prints what the page says, and
its results table is benchmarks/readme_results.py's output, not typed by hand."""

import doctest
from pathlib import Path

import pytest
from _scripts import load_script

ROOT = Path(__file__).resolve().parents[1]
INDEX = ROOT / "docs" / "index.rst"


def _readme_results():
    return load_script("benchmarks/readme_results.py")


def test_docs_results_table_matches_the_results_files():
    module = _readme_results()
    assert module.DOCS_TABLE.read_text() == module.docs_table(), (
        "run python benchmarks/readme_results.py"
    )


def test_front_page_includes_the_generated_table():
    assert ".. include:: _generated/results_table.md" in INDEX.read_text()


@pytest.mark.slow
def test_front_page_example_prints_what_the_page_shows(monkeypatch, tmp_path):
    """Every ``>>>`` line of docs/index.rst runs, and prints the output shown."""
    monkeypatch.chdir(tmp_path)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(INDEX.read_text(), {}, "index.rst", str(INDEX), 0)
    assert len(test.examples) >= 5, "the front page's example is gone"
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_external_names_link_without_network():
    """docs/conf.py links other projects' objects by URL pattern when intersphinx
    has no inventories (the default offline build)."""
    pytest.importorskip("sphinx")
    conf = load_script("docs/conf.py")
    url = conf._external_url
    assert url("numpy.ndarray") == (
        "https://numpy.org/doc/stable/reference/generated/numpy.ndarray.html"
    )
    assert url("sklearn.pipeline.Pipeline") == (
        "https://scikit-learn.org/stable/modules/generated/sklearn.pipeline.Pipeline.html"
    )
    assert url("skorch.NeuralNet") == (
        "https://skorch.readthedocs.io/en/stable/net.html#skorch.net.NeuralNet"
    )
    assert url("torch.device").endswith("tensor_attributes.html#torch.device")
    assert url("python:int") == "https://docs.python.org/3/library/functions.html#int"
    assert url("skseq2seq.Seq2SeqClusterer") is None  # ours resolve inside the docs
