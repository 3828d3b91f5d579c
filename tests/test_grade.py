"""The local grader: full marks, blank copies, and failures that cost one exercise only."""

import io

import nbformat
import pytest

from tests.conftest import TOY_EXERCISES, build_notebook
from utils.tools.exercises import make_exercise
from utils.tools.grade import FAILED, NOT_ATTEMPTED, PASSED, find_exercises, grade, main


def _grade(nb, tmp_path, timeout=60):
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(path))
    before = path.read_bytes()
    out = io.StringIO()
    exercises = grade(path, timeout=timeout, out=out)
    assert path.read_bytes() == before, "the grader must never modify the learner's file"
    return {e.name: e for e in exercises}, out.getvalue()


def test_solution_scores_full_marks(toy_notebook, tmp_path):
    results, text = _grade(toy_notebook, tmp_path)
    assert [e.status for e in results.values()] == [PASSED] * 3
    assert "Score: 3/3 exercises passed" in text


def test_blank_copy_scores_zero_all_not_attempted(toy_notebook, tmp_path):
    results, text = _grade(make_exercise(toy_notebook), tmp_path)
    assert [e.status for e in results.values()] == [NOT_ATTEMPTED] * 3
    assert "Score: 0/3 exercises passed" in text


def test_wrong_crashing_looping_and_broken_exercises_cost_only_themselves(tmp_path):
    exercises = [(name, body, check) for name, (body, check) in TOY_EXERCISES.items()]
    exercises += [
        ("wrong", "def wrong(x):\n    return x + 1\n",
         "# NBVAL_CHECK_OUTPUT\nassert wrong(1) == 1, 'wrong(1) should be 1'"),
        ("crash", "def crash(x):\n    return x / 0\n", "# NBVAL_CHECK_OUTPUT\ncrash(1)"),
        ("forever", "def forever():\n    while True:\n        pass\n",
         "# NBVAL_CHECK_OUTPUT\nforever()"),
        ("broken", "def broken(:\n    return 1\n", "# NBVAL_CHECK_OUTPUT\nbroken()"),
    ]
    # put the passing exercises after the failing ones too, to prove grading goes on
    exercises = exercises[3:] + exercises[:3]
    results, text = _grade(build_notebook(exercises), tmp_path, timeout=3)
    assert results["wrong"].status == FAILED
    assert "AssertionError: wrong(1) should be 1" in results["wrong"].message
    assert results["crash"].status == FAILED and "ZeroDivisionError" in results["crash"].message
    assert results["forever"].status == FAILED and "longer than 3 s" in results["forever"].message
    assert results["broken"].status == FAILED and "SyntaxError" in results["broken"].message
    assert all(results[name].status == PASSED for name in TOY_EXERCISES)
    assert "Score: 3/7 exercises passed" in text


def test_exercise_calling_an_unwritten_one_is_reported(toy_notebook, tmp_path):
    blank = make_exercise(toy_notebook)
    blank.cells[6].source = ("# GRADED FUNCTION: halve\ndef halve(x):\n    return double(x) / 4\n")
    results, _ = _grade(blank, tmp_path)
    assert results["halve"].status == FAILED
    assert results["halve"].message == "it calls double, which is not written yet"


def test_graded_cell_without_check_below_is_an_error(toy_notebook):
    del toy_notebook.cells[4]
    with pytest.raises(ValueError, match="has no check cell below it"):
        find_exercises(toy_notebook)


def test_exit_status(toy_notebook, tmp_path, capsys):
    path = tmp_path / "toy.ipynb"
    nbformat.write(toy_notebook, str(path))
    assert main([str(path)]) == 0
    nbformat.write(make_exercise(toy_notebook), str(path))
    assert main([str(path)]) == 1
    assert main([str(tmp_path / "missing.ipynb")]) == 2
    assert "not a notebook" in capsys.readouterr().err
