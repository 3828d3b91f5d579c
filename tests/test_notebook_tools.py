"""The notebook normaliser, and the committed notebooks' normal form."""

import nbformat
import pytest

from utils.notebook_setup import REPO_ROOT
from utils.tools.notebooks import as_text, find_notebooks, normalized

COURSE_NOTEBOOKS = find_notebooks(sorted(REPO_ROOT.glob("course*_*")))


def test_normal_form_drops_volatile_metadata_and_keeps_outputs(toy_notebook):
    toy_notebook.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    toy_notebook.metadata["widgets"] = {"state": {}}
    cell = toy_notebook.cells[1]
    cell.metadata["execution"] = {"iopub.execute_input": "2026-11-23T10:00:00Z"}
    cell.metadata["tags"] = ["keep-me"]
    cell.outputs = [nbformat.v4.new_output("stream", text="42\n")]
    clean = normalized(toy_notebook)
    assert clean.metadata == {"kernelspec": {"display_name": "Python 3", "language": "python",
                                             "name": "python3"},
                              "language_info": {"name": "python"}}
    assert clean.cells[1].metadata == {"tags": ["keep-me"]}
    assert clean.cells[1].outputs[0]["text"] == "42\n"
    assert as_text(normalized(clean)) == as_text(clean)  # idempotent


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_normalised(path):
    text = path.read_text(encoding="utf-8")
    assert as_text(normalized(nbformat.reads(text, as_version=4))) == text, (
        f"{path.relative_to(REPO_ROOT)} is not normalised: run `make normalize NB={path}`")


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_errors_and_checked_cells_have_output(path):
    nb = nbformat.read(str(path), as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert all(o.output_type != "error" for o in cell.outputs), f"cell {index} has an error"
        if "# NBVAL_CHECK_OUTPUT" in cell.source:
            assert cell.outputs, f"cell {index} is checked but has no stored output"
