"""The local grader: judged by the solution's checks only, never by the learner's file.

Every test that grades a file also checks that the file is byte-for-byte unchanged.
"""

import io
import json

import nbformat
import pytest

from tests.conftest import TOY_EXERCISES, build_notebook
from utils.notebook_setup import REPO_ROOT
from utils.tools import grade as grade_module
from utils.tools import progress, solutions
from utils.tools.exercises import make_exercise
from utils.tools.grade import FAILED, NOT_ATTEMPTED, PASSED, grade, main
from utils.tools.notebooks import graded_name, read
from utils.tools.solutions import SolutionError, course_notebooks, parse_solution

NUMPY_BASICS = REPO_ROOT / "course1_neural_networks" / "week2_numpy_basics.ipynb"
GRADIENT_CHECKING = REPO_ROOT / "course2_improving_dnns" / "week1_gradient_checking.ipynb"


def _write(nb, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def _grade_file(path, **kwargs):
    before = path.read_bytes()
    out = io.StringIO()
    result = grade(path, out=out, **kwargs)
    assert path.read_bytes() == before, "the grader must never modify the learner's file"
    return {e.name: e for e in result.exercises}, out.getvalue()


def _grade(nb, solution, tmp_path, timeout=60):
    """Grade the learner's ``nb`` against the solution notebook ``solution``."""
    solution_path = _write(solution, tmp_path / "solution.ipynb")
    return _grade_file(_write(nb, tmp_path / "nb.ipynb"), timeout=timeout,
                       solution=solution_path)


def _graded_cells(nb):
    return [i for i, cell in enumerate(nb.cells) if graded_name(cell)]


def _with_scratch_cells(nb):
    """``nb`` with a scratch cell right under each graded function."""
    for index in reversed(_graded_cells(nb)):
        nb.cells.insert(index + 1, nbformat.v4.new_code_cell("print('scratch')"))
    return nb


@pytest.fixture
def exercises_dir(tmp_path, monkeypatch):
    """A stand-in for exercises/ (the real one may hold a learner's work)."""
    folder = tmp_path / "exercises"
    for module in (solutions, progress, grade_module):
        monkeypatch.setattr(module, "EXERCISES_DIR", folder)
    return folder


def test_solution_scores_full_marks(toy_notebook, tmp_path):
    results, text = _grade(toy_notebook, toy_notebook, tmp_path)
    assert [e.status for e in results.values()] == [PASSED] * 3
    assert "Score: 3/3 exercises passed" in text


def test_blank_copy_scores_zero_all_not_attempted(toy_notebook, tmp_path):
    results, text = _grade(make_exercise(toy_notebook), toy_notebook, tmp_path)
    assert [e.status for e in results.values()] == [NOT_ATTEMPTED] * 3
    assert "Score: 0/3 exercises passed" in text


def test_scratch_cells_under_each_function_do_not_pass_a_blank_copy(toy_notebook, tmp_path):
    blank = _with_scratch_cells(make_exercise(toy_notebook))
    results, text = _grade(blank, toy_notebook, tmp_path)
    assert [e.status for e in results.values()] == [NOT_ATTEMPTED] * 3
    assert "Score: 0/3 exercises passed" in text and "note:" not in text


def test_real_blank_copy_with_scratch_cells_scores_zero_of_eight(tmp_path):
    """The measured case: scratch cells under each function used to score 8/8."""
    blank = _with_scratch_cells(make_exercise(read(NUMPY_BASICS), solution=NUMPY_BASICS))
    results, text = _grade_file(_write(blank, tmp_path / "week2_numpy_basics.ipynb"))
    assert len(results) == 8, text
    assert all(e.status == NOT_ATTEMPTED for e in results.values()), text
    assert "judged against course1_neural_networks/week2_numpy_basics.ipynb" in text
    assert "Score: 0/8 exercises passed" in text


def test_emptied_changed_or_deleted_check_cells_are_replaced_by_the_originals(
        toy_notebook, tmp_path):
    learner = build_notebook([(name, body, check) for name, (body, check) in TOY_EXERCISES.items()])
    double, halve, count_to = _graded_cells(learner)
    learner.cells[double].source = "# GRADED FUNCTION: double\ndef double(x):\n    return x\n"
    learner.cells[double + 1].source = ""
    learner.cells[halve].source = "# GRADED FUNCTION: halve\ndef halve(x):\n    return x\n"
    learner.cells[halve + 1].source = "# NBVAL_CHECK_OUTPUT\nprint('halve: ok')"
    del learner.cells[count_to + 1]
    learner.cells.insert(halve + 1, nbformat.v4.new_code_cell("print('scratch')"))
    results, text = _grade(learner, toy_notebook, tmp_path)
    assert results["double"].status == FAILED and "(3) should be 6" in results["double"].message
    assert results["halve"].status == FAILED and "(3) should be 1.5" in results["halve"].message
    assert results["count_to"].status == PASSED
    assert "note: double has no check cell below it" in text
    assert "note: count_to has no check cell below it" in text
    assert "note: your check cell for halve was changed; the original check was used" in text
    assert "Score: 1/3 exercises passed" in text


def test_rebinding_check_in_a_scratch_cell_cannot_fake_a_pass(tmp_path):
    (tmp_path / "toy_checks.py").write_text(
        "def double(f):\n    assert f(3) == 6, 'double(3) should be 6'\n    print('double: ok')\n")
    solution = build_notebook([("double", TOY_EXERCISES["double"][0],
                                "# NBVAL_CHECK_OUTPUT\ncheck.double(double)")])
    solution.cells[1].source = "import toy_checks as check"
    learner = make_exercise(solution)
    graded = _graded_cells(learner)[0]
    learner.cells[graded].source = "# GRADED FUNCTION: double\ndef double(x):\n    return x\n"
    learner.cells.insert(graded + 1, nbformat.v4.new_code_cell(
        "class check:\n    double = staticmethod(lambda f: print('double: ok'))"))
    results, text = _grade(learner, solution, tmp_path)
    assert results["double"].status == FAILED, text
    assert "double(3) should be 6" in results["double"].message


def test_a_scratch_redefinition_is_not_what_gets_judged(toy_notebook, tmp_path):
    """The check judges the function the graded cell defined: a scratch cell that redefines
    the name neither rescues a wrong function nor costs a right one."""
    learner = build_notebook([(name, body, check) for name, (body, check) in TOY_EXERCISES.items()])
    double, halve, _ = _graded_cells(learner)
    learner.cells[halve].source = "# GRADED FUNCTION: halve\ndef halve(x):\n    return x\n"
    learner.cells.insert(halve + 1, nbformat.v4.new_code_cell(
        "def halve(x):\n    return x / 2"))
    learner.cells.insert(double + 1, nbformat.v4.new_code_cell(
        "def double(x):\n    return x"))
    results, text = _grade(learner, toy_notebook, tmp_path)
    assert results["halve"].status == FAILED and "(3) should be 1.5" in results["halve"].message
    assert results["double"].status == PASSED, text
    assert results["count_to"].status == PASSED, text


SIGMOID_SOLUTION = [("sigmoid", "def sigmoid(z):\n    ### BEGIN SOLUTION\n"
                     "    return 1 / (1 + np.exp(-z))\n    ### END SOLUTION\n",
                     "# NBVAL_CHECK_OUTPUT\ncheck.sigmoid(sigmoid)")]


@pytest.mark.parametrize("patch", [
    "check.sigmoid = lambda fn: print('sigmoid: all 4 checks passed')",
    "import utils.checks.harness as harness\n"
    "harness.Checker.fail = lambda *args, **kwargs: None",
], ids=["check function replaced", "harness patched"])
def test_patching_the_check_modules_in_a_scratch_cell_cannot_fake_a_pass(tmp_path, patch):
    solution = build_notebook(SIGMOID_SOLUTION)
    solution.cells[1].source = ("import numpy as np\n"
                                "from utils.checks import c1w2_numpy_basics as check")
    learner = make_exercise(solution)
    graded = _graded_cells(learner)[0]
    learner.cells[graded].source = "# GRADED FUNCTION: sigmoid\ndef sigmoid(z):\n    return z\n"
    learner.cells.insert(graded + 1, nbformat.v4.new_code_cell(patch))
    results, text = _grade(learner, solution, tmp_path)
    assert results["sigmoid"].status == FAILED, text
    assert "CheckFailure" in results["sigmoid"].message


def test_deleted_or_renamed_graded_line_is_failed_not_dropped(toy_notebook, tmp_path):
    learner = build_notebook([(name, body, check) for name, (body, check) in TOY_EXERCISES.items()])
    _, halve, count_to = _graded_cells(learner)
    learner.cells[halve].source = learner.cells[halve].source.replace(
        "# GRADED FUNCTION: halve\n", "")
    learner.cells[count_to].source = learner.cells[count_to].source.replace(
        "GRADED FUNCTION: count_to", "GRADED FUNCTION: count_up")
    results, text = _grade(learner, toy_notebook, tmp_path)
    assert results["double"].status == PASSED
    for name in ("halve", "count_to"):
        assert results[name].status == FAILED
        assert results[name].message.startswith("graded cell not found")
    assert "Score: 1/3 exercises passed" in text


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
    nb = build_notebook(exercises[3:] + exercises[:3])
    results, text = _grade(nb, nb, tmp_path, timeout=3)
    assert results["wrong"].status == FAILED
    assert "AssertionError: wrong(1) should be 1" in results["wrong"].message
    assert results["crash"].status == FAILED and "ZeroDivisionError" in results["crash"].message
    assert results["forever"].status == FAILED and "longer than 3 s" in results["forever"].message
    assert results["broken"].status == FAILED and "SyntaxError" in results["broken"].message
    assert all(results[name].status == PASSED for name in TOY_EXERCISES)
    assert "Score: 3/7 exercises passed" in text


def test_dead_kernel_costs_one_exercise_and_the_others_are_graded(toy_notebook, tmp_path):
    learner = build_notebook([(name, body, check) for name, (body, check) in TOY_EXERCISES.items()])
    double, halve, _ = _graded_cells(learner)
    learner.cells[halve].source = ("# GRADED FUNCTION: halve\ndef halve(x):\n"
                                   "    import os\n    os._exit(1)\n")
    learner.cells.insert(double + 2, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    results, text = _grade(learner, toy_notebook, tmp_path)
    assert results["double"].status == PASSED and results["count_to"].status == PASSED, text
    assert results["halve"].status == FAILED
    assert results["halve"].message.startswith("the kernel died while the check ran")
    assert f"note: cell {double + 2} killed the kernel" in text
    assert "Score: 2/3 exercises passed" in text


def test_exercise_calling_an_unwritten_one_is_reported(toy_notebook, tmp_path):
    blank = make_exercise(toy_notebook)
    blank.cells[6].source = ("# GRADED FUNCTION: halve\ndef halve(x):\n    return double(x) / 4\n")
    results, _ = _grade(blank, toy_notebook, tmp_path)
    assert results["halve"].status == FAILED
    assert results["halve"].message == "it calls double, which is not written yet"


def test_solution_graded_cell_without_check_below_is_an_error(toy_notebook):
    del toy_notebook.cells[4]
    with pytest.raises(SolutionError, match="has no check cell below it"):
        parse_solution(toy_notebook)


def test_corrupt_notebooks_are_reported_and_the_others_graded(toy_notebook, tmp_path, capsys):
    solution = _write(toy_notebook, tmp_path / "solution.ipynb")
    work = tmp_path / "work"
    broken = {"a_not_json.ipynb": "{ half a notebook", "b_not_a_notebook.ipynb": "[1, 2]"}
    for name, text in broken.items():
        _write(nbformat.v4.new_notebook(), work / name).write_text(text)
    _write(make_exercise(toy_notebook, solution=solution), work / "c_blank.ipynb")
    assert main([str(work)]) == 1
    out = capsys.readouterr().out
    for name, text in broken.items():
        assert f"{work / name}: not a valid notebook" in out
        assert f"mv {work / name} {work / name}.broken" in out
        assert (work / name).read_text() == text
    assert "Score: 0/3 exercises passed" in out
    assert "unreadable (see above)" in out


def test_wrong_course_copy_without_metadata_names_the_notebook_it_looks_like(exercises_dir):
    """The Course 2 copy saved at Course 1's place, metadata lost: judged by its place."""
    copy = make_exercise(read(GRADIENT_CHECKING))
    path = _write(copy, exercises_dir / "course1_neural_networks" / "week2_numpy_basics.ipynb")
    results, text = _grade_file(path)
    assert len(results) == 8
    assert all(e.message.startswith("graded cell not found") for e in results.values())
    assert "judged against course1_neural_networks/week2_numpy_basics.ipynb" in text
    assert ("looks like a copy of course2_improving_dnns/week1_gradient_checking.ipynb "
            "(4 of its 4 graded functions are exercises there, 0 here)") in text


def test_wrong_course_copy_with_metadata_is_judged_by_its_solution(exercises_dir):
    copy = make_exercise(read(GRADIENT_CHECKING), solution=GRADIENT_CHECKING)
    path = _write(copy, exercises_dir / "course1_neural_networks" / "week2_numpy_basics.ipynb")
    results, text = _grade_file(path)
    assert list(results) == ["forward_propagation", "backward_propagation", "gradient_check",
                             "gradient_check_n"]
    assert all(e.status == NOT_ATTEMPTED for e in results.values()), text
    assert ("sits at the place of course1_neural_networks/week2_numpy_basics.ipynb, but its "
            "metadata says it is a copy of course2_improving_dnns/week1_gradient_checking") in text


def test_progress_table_and_json_cover_the_whole_programme(exercises_dir, capsys):
    programme = {p.relative_to(REPO_ROOT).as_posix(): len(parse_solution(read(p)))
                 for p in course_notebooks()}
    broken = exercises_dir / "course1_neural_networks" / "week2_numpy_basics.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text("not json")
    assert main([str(exercises_dir), "--json"]) == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    rows = {row["notebook"]: row for row in report["notebooks"]}
    assert set(rows) == set(programme)
    assert report["total"] == sum(programme.values()) and report["passed"] == 0
    numpy_basics = rows["course1_neural_networks/week2_numpy_basics.ipynb"]
    assert numpy_basics["state"] == "unreadable" and numpy_basics["total"] == 8
    assert {row["state"] for name, row in rows.items() if row is not numpy_basics} == {
        "not started"}
    assert "Progress" in captured.err and "Grading" in captured.err
    assert main([str(exercises_dir)]) == 1
    table = capsys.readouterr().out.split("Progress\n")[1]
    assert f"0/{sum(programme.values())}" in table.splitlines()[-1]
    assert f"0 of {len(programme)} notebooks complete" in table.splitlines()[-1]


def test_missing_exercises_folder_lists_everything_as_not_started(exercises_dir, capsys):
    assert main([str(exercises_dir)]) == 1
    out = capsys.readouterr().out
    assert "no blank copies yet; make them with `make exercises`" in out
    assert "not started" in out


def test_exit_status_and_unknown_solution(toy_notebook, tmp_path, capsys):
    solution = _write(toy_notebook, tmp_path / "solution.ipynb")
    path = tmp_path / "copy.ipynb"
    assert main([str(solution), "--solution", str(solution)]) == 0
    _write(make_exercise(toy_notebook, solution=solution), path)
    assert main([str(path)]) == 1
    assert main([str(tmp_path / "missing.ipynb")]) == 2
    assert "not a notebook" in capsys.readouterr().err
    _write(make_exercise(toy_notebook), path)
    assert main([str(path)]) == 1
    assert "cannot tell which solution notebook" in capsys.readouterr().out
    assert main([str(path), str(solution), "--solution", str(solution)]) == 2
