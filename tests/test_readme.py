"""The README's ``## Usage`` examples run exactly as written."""

from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
SECTION = "## Usage"


def usage_python_blocks(text):
    """(first line number, code) of each fenced ```python block of the Usage section.

    The section runs from the ``## Usage`` heading to the next level-2 heading;
    lines inside fenced blocks are never taken for headings.
    """
    blocks, in_section, fence, code, start = [], False, None, [], 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if fence is None:
            if stripped.startswith("```"):
                fence = stripped[3:].strip().split(" ")[0].lower() or "text"
                code, start = [], number + 1
            elif line.startswith("## ") or line.rstrip() == "##":
                in_section = line.rstrip() == SECTION
        elif stripped.startswith("```") and not stripped[3:].strip():
            if in_section and fence in ("python", "py", "python3"):
                blocks.append((start, "\n".join(code) + "\n"))
            fence = None
        else:
            code.append(line)
    return blocks


def test_readme_has_usage_python_blocks():
    text = README.read_text(encoding="utf-8")
    assert SECTION in text.splitlines(), f"{README} has no {SECTION!r} heading"
    blocks = usage_python_blocks(text)
    assert blocks, f"no ```python block found in the {SECTION!r} section of {README}"
    for start, code in blocks:
        compile(code, f"{README}:{start}", "exec")  # at least valid Python


def test_usage_section_parser():
    text = (
        "# t\n## Install\n```python\nskipped = 1\n```\n## Usage\ntext\n```python\na = 1\n```\n"
        "```bash\nls\n```\n```python\n## not a heading\nb = a + 1\n```\n## Next\n"
        "```python\nskipped = 2\n```\n"
    )
    assert usage_python_blocks(text) == [(9, "a = 1\n"), (15, "## not a heading\nb = a + 1\n")]


@pytest.mark.slow
# A grid-search fit that fails only warns (error_score=nan): make it fail the test.
@pytest.mark.filterwarnings("error::sklearn.exceptions.FitFailedWarning")
def test_readme_usage_runs_as_written(tmp_path, monkeypatch):
    """Execute the Usage blocks in order, in one fresh namespace, inside tmp_path.

    The blocks write a cache directory (``memory="cache_dir"``), hence the
    working directory. Line numbers in tracebacks are the README's.
    """
    blocks = usage_python_blocks(README.read_text(encoding="utf-8"))
    assert blocks
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    for start, code in blocks:
        # Pad so that tracebacks give README line numbers.
        exec(compile("\n" * (start - 1) + code, str(README), "exec"), namespace)


def test_readme_results_table_matches_the_results_files():
    """README's results block is benchmarks/readme_results.py's output, not typed by hand."""
    from _scripts import load_script

    module = load_script("benchmarks/readme_results.py")
    text = module.README.read_text()
    assert module.render(text) == text, "run python benchmarks/readme_results.py"
