"""Every course notebook, as the grader sees it.

The solutions themselves are executed by nbval (`make notebooks`), which fails on any error
in a check cell, so here they are only parsed: the grader must find every exercise and its
check. Each blank copy is executed once: it must fail each graded check with our
NotImplementedError and nothing else, which also proves the checks do not depend on demo
cells or on a copy of the solution.
"""

import io

import nbformat
import pytest

from utils.notebook_setup import REPO_ROOT
from utils.tools.exercises import make_exercise
from utils.tools.grade import NOT_ATTEMPTED, grade
from utils.tools.notebooks import CHECK_MARK, graded_name, read
from utils.tools.solutions import course_notebooks, parse_solution

COURSE_NOTEBOOKS = course_notebooks()
ids = [str(p.relative_to(REPO_ROOT)) for p in COURSE_NOTEBOOKS]


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=ids)
def test_grader_finds_every_exercise_and_its_check(path):
    nb = read(path)
    specs = parse_solution(nb, path.name)
    assert [s.name for s in specs] == [n for n in map(graded_name, nb.cells) if n]
    for spec in specs:
        assert spec.check.startswith(CHECK_MARK) and spec.name in spec.check, spec
        assert "import" in spec.prelude, f"{spec.name}: the check's imports were not found"


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=ids)
def test_blank_copy_fails_every_check_with_not_implemented_only(path, tmp_path):
    blank = tmp_path / path.name
    nbformat.write(make_exercise(read(path), path.name, solution=path), str(blank))
    out = io.StringIO()
    result = grade(blank, out=out)
    assert result.exercises, f"{path.name} has no graded functions"
    assert all(e.status == NOT_ATTEMPTED for e in result.exercises), out.getvalue()
