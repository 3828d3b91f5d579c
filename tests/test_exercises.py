"""The exercise generator: markers, indentation, refusal to overwrite, bad markers, and the
solution named in each copy's metadata."""

import nbformat
import pytest

from tests.conftest import build_notebook
from utils.notebook_setup import REPO_ROOT
from utils.tools.exercises import STAMP_KEY, MarkerError, blank_source, generate, make_exercise
from utils.tools.notebooks import read


def test_region_becomes_raise_at_same_indentation_and_hint_stays():
    source = ("# GRADED FUNCTION: f\ndef f(x):\n    # (about 2 lines)\n    ### BEGIN SOLUTION\n"
              "    y = x + 1\n    return y\n    ### END SOLUTION\n")
    blank = blank_source(source, "f", "cell")
    assert blank.splitlines() == [
        "# GRADED FUNCTION: f",
        "def f(x):",
        "    # (about 2 lines)",
        '    raise NotImplementedError("Exercise: write f")',
    ]


def test_nested_indentation_and_two_regions():
    source = ("def f(xs):\n    out = []\n    for x in xs:\n        ### BEGIN SOLUTION\n"
              "        out.append(x)\n        ### END SOLUTION\n    ### BEGIN SOLUTION\n"
              "    out.sort()\n    ### END SOLUTION\n    return out\n")
    lines = blank_source(source, "f", "cell").splitlines()
    assert lines[3] == '        raise NotImplementedError("Exercise: write f")'
    assert lines[4] == '    raise NotImplementedError("Exercise: write f")'
    assert lines[5] == "    return out"


@pytest.mark.parametrize(
    "source, message",
    [
        ("def f():\n    ### BEGIN SOLUTION\n    pass\n", "never closed"),
        ("def f():\n    pass\n    ### END SOLUTION\n", "without a"),
        ("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    ### END SOLUTION\n",
         "inside another region"),
    ],
)
def test_unbalanced_markers_are_rejected_with_the_line(source, message):
    with pytest.raises(MarkerError, match=message):
        blank_source(source, "f", "nb.ipynb, cell 3")


def test_markers_outside_graded_cells_are_rejected(toy_notebook):
    toy_notebook.cells.append(nbformat.v4.new_code_cell("### BEGIN SOLUTION\n### END SOLUTION"))
    with pytest.raises(MarkerError, match="outside a '# GRADED FUNCTION:' cell"):
        make_exercise(toy_notebook)


def test_graded_cell_without_region_is_rejected():
    nb = build_notebook([("f", "def f():\n    return 1\n", "f()")])
    with pytest.raises(MarkerError, match="has no '### BEGIN SOLUTION' region"):
        make_exercise(nb)


def test_outputs_cleared_and_source_notebook_untouched(toy_notebook):
    toy_notebook.cells[1].outputs = [nbformat.v4.new_output("stream", text="hi\n")]
    toy_notebook.cells[1].execution_count = 1
    blank = make_exercise(toy_notebook, "toy.ipynb")
    assert all(c.outputs == [] for c in blank.cells if c.cell_type == "code")
    assert toy_notebook.cells[1].outputs  # the input is unchanged
    assert "### BEGIN SOLUTION" in toy_notebook.cells[3].source
    assert "### BEGIN SOLUTION" not in blank.cells[3].source


def test_copy_is_written_once_and_never_overwritten_without_force(toy_notebook, tmp_path, capsys):
    source = tmp_path / "course" / "toy.ipynb"
    source.parent.mkdir()
    nbformat.write(toy_notebook, str(source))
    out = tmp_path / "exercises"
    [written] = generate([source.parent], out)
    assert written.name == "toy.ipynb" and written.is_file()
    written.write_text(written.read_text().replace("Toy notebook", "My work"))
    assert generate([source], out) == []
    assert "My work" in written.read_text()
    assert "use --force" in capsys.readouterr().out
    assert generate([source], out, force=True) == [written]
    assert "My work" not in written.read_text()


def test_copy_names_its_solution_in_metadata(toy_notebook, tmp_path):
    inside = REPO_ROOT / "course1_neural_networks" / "toy.ipynb"  # only named, not written
    assert make_exercise(toy_notebook, solution=inside).metadata[STAMP_KEY] == {
        "solution": "course1_neural_networks/toy.ipynb"}
    outside = tmp_path / "toy.ipynb"
    nbformat.write(toy_notebook, str(outside))
    [written] = generate([outside], tmp_path / "exercises")
    assert read(written).metadata[STAMP_KEY] == {"solution": str(outside.resolve())}
    assert STAMP_KEY not in toy_notebook.metadata
