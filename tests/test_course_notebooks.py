"""Every course notebook: the solution gets full marks, its blank copy gets none.

The blank copy must fail each graded check with our NotImplementedError and nothing else,
which also proves the checks do not depend on demo cells or on a copy of the solution.
"""

import io

import nbformat
import pytest

from utils.notebook_setup import REPO_ROOT
from utils.tools.exercises import make_exercise
from utils.tools.grade import NOT_ATTEMPTED, PASSED, grade
from utils.tools.notebooks import find_notebooks, read

COURSE_NOTEBOOKS = find_notebooks(sorted(REPO_ROOT.glob("course*_*")))
ids = [str(p.relative_to(REPO_ROOT)) for p in COURSE_NOTEBOOKS]


def _statuses(path):
    out = io.StringIO()
    exercises = grade(path, out=out)
    assert exercises, f"{path.name} has no graded functions"
    return {e.name: (e.status, e.message) for e in exercises}, out.getvalue()


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=ids)
def test_solution_gets_full_marks(path):
    statuses, report = _statuses(path)
    assert all(status == PASSED for status, _ in statuses.values()), report


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=ids)
def test_blank_copy_fails_every_check_with_not_implemented_only(path, tmp_path):
    blank = tmp_path / path.name
    nbformat.write(make_exercise(read(path), path.name), str(blank))
    statuses, report = _statuses(blank)
    assert all(status == NOT_ATTEMPTED for status, _ in statuses.values()), report
