"""Conventions every notebook follows, so each runs as-is in JupyterLab and reads as a story."""

from __future__ import annotations

import ast
import json
import re

import pytest

from helpers import paths
from helpers.report import load_runs

NOTEBOOKS = sorted(p for p in paths.NOTEBOOKS.glob("*.ipynb"))
# Section headings are questions, except these fixed ones.
PLAIN_HEADINGS = {"Summary", "Words of caution"}
MACHINE_PATH = re.compile(r"/root/|/home/\w|/tmp/|/Users/|[A-Z]:\\\\Users|/work/")


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_title_first(path):
    first = cells(path)[0]
    assert first["cell_type"] == "markdown" and source(first).startswith("# "), "the first cell must be an H1 title"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_with_commented_literal_defaults(path):
    tagged = [c for c in cells(path) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell is tagged 'parameters'"
    lines = [line for line in source(tagged[0]).splitlines() if line.strip()]
    assert lines
    for line in lines:
        assert not line.lstrip().startswith("#"), f"a default is commented out: {line!r}"
        code, _, comment = line.partition("  # ")
        assert comment.strip(), f"parameter without a comment: {line!r}"
        _, _, value = code.partition("=")
        ast.literal_eval(value.strip())  # a real, typed default, not an expression


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernel_is_python3(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_outputs_are_clean(path):
    for i, cell in enumerate(cells(path)):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"cell {i} has an error output"
            assert out.get("name") != "stderr", f"cell {i} prints to stderr: {''.join(out.get('text', ''))[:200]}"
            assert not MACHINE_PATH.search(json.dumps(out)), f"cell {i} output shows a machine path"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_outputs_exist(path):
    code = [c for c in cells(path) if c["cell_type"] == "code" and "parameters" not in c["metadata"].get("tags", [])]
    assert all(c.get("execution_count") for c in code), "commit the notebook as executed by `make report`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_sentence_above_every_code_cell_and_questions_as_headings(path):
    all_cells = cells(path)
    for i, cell in enumerate(all_cells):
        if cell["cell_type"] == "code" and i > 0 and "parameters" not in cell["metadata"].get("tags", []):
            assert all_cells[i - 1]["cell_type"] == "markdown", f"code cell {i} has no sentence above it"
        if cell["cell_type"] == "markdown":
            for heading in re.findall(r"^## (.+)$", source(cell), flags=re.MULTILINE):
                assert heading.endswith("?") or heading in PLAIN_HEADINGS, f"heading is not a question: {heading}"


def test_every_notebook_has_a_default_run():
    runs = load_runs()
    defaults = {r.notebook for r in runs if r.default}
    assert defaults == {p.name for p in NOTEBOOKS}
    for run in runs:
        if run.default:
            assert run.parameters == {}, f"default run {run.name} must use the notebook's own defaults"
