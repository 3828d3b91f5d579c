"""Solution notebooks as the grader's source of truth: their exercises, and which one a
learner's copy is judged against.

A solution's exercise is a ``# GRADED FUNCTION: name`` cell and the check cell right below
it (a code cell starting with ``# NBVAL_CHECK_OUTPUT``). The pristine check is that cell
with the solution's own imports of the names it uses (``from utils.checks import ... as
check``) in front, so a learner who rebinds ``check`` cannot change what judges them.
"""

import ast
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nbformat

from utils.notebook_setup import REPO_ROOT
from utils.tools.exercises import EXERCISES_DIR, STAMP_KEY, shown
from utils.tools.notebooks import CHECK_MARK, find_notebooks, graded_name


class SolutionError(ValueError):
    """No solution notebook could be found or parsed."""


@dataclass(frozen=True)
class Spec:
    """One exercise of a solution notebook: its name, check cell and the check's imports."""

    name: str
    check: str
    prelude: str

    @property
    def pristine(self):
        """The source run to judge this exercise: the imports, then the check cell."""
        return f"{self.prelude}\n{self.check}" if self.prelude else self.check


def parse_solution(nb, label="solution"):
    """The exercises of the solution notebook ``nb``, in order."""
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    specs = []
    for position, (index, cell) in enumerate(code):
        name = graded_name(cell)
        if name is None:
            continue
        below = code[position + 1][1] if position + 1 < len(code) else None
        if below is None or not below.source.lstrip().startswith(CHECK_MARK):
            raise SolutionError(f"{label}: graded function {name} (cell {index}) has no check "
                                f"cell below it (a code cell starting with '{CHECK_MARK}')")
        if name in {s.name for s in specs}:
            raise SolutionError(f"{label}: graded function {name} is defined twice")
        above = [c.source for _, c in code[:position]]
        specs.append(Spec(name, below.source.strip(), _imports_used(above, below.source, name)))
    return specs


def _imports_used(sources, check, name):
    """The import statements in ``sources`` that bind a name ``check`` reads (not ``name``)."""
    try:
        used = {n.id for n in ast.walk(ast.parse(check)) if isinstance(n, ast.Name)} - {name}
    except SyntaxError:
        return ""
    lines = []
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:  # a cell with IPython magics binds nothing we need
            continue
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                bound = {(a.asname or a.name).split(".")[0] for a in node.names}
                if bound & used:
                    lines.append(ast.get_source_segment(source, node))
    return "\n".join(lines)


def read_notebook(path):
    """The notebook at ``path``; ValueError saying what is wrong when it is not one."""
    try:
        nb = nbformat.reads(Path(path).read_text(encoding="utf-8"), as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # nbformat raises many kinds for a damaged file
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ValueError(f"not a valid notebook ({reason[:120]})") from error
    return nb


def read_solution(path):
    """The solution notebook at ``path``; SolutionError when it cannot be read."""
    try:
        return read_notebook(path)
    except (ValueError, OSError) as error:
        raise SolutionError(f"solution {shown(path)}: {error}") from error


def by_place(path):
    """The solution a file stands for by where it is: its counterpart for a copy under
    exercises/, itself for a notebook in a course folder; else None."""
    path = Path(path).resolve()
    exercises = Path(EXERCISES_DIR).resolve()
    if exercises in path.parents:
        return REPO_ROOT / path.relative_to(exercises)
    try:
        relative = path.relative_to(REPO_ROOT)
    except ValueError:
        return None
    return path if len(relative.parts) > 1 and relative.parts[0].startswith("course") else None


def _stamped(nb):
    stamp = nb.metadata.get(STAMP_KEY, {})
    solution = stamp.get("solution") if isinstance(stamp, dict) else None
    return (REPO_ROOT / solution).resolve() if isinstance(solution, str) else None


def locate(path, nb, explicit=None):
    """The solution notebook that judges the learner's ``nb`` (read from ``path``), and the
    notes a learner should see about that choice. Order: ``explicit`` (--solution), the
    metadata stamped by the exercise generator, the file's place (exercises/ or a course
    folder)."""
    place, stamp, notes = by_place(path), _stamped(nb), []
    if stamp is not None and not stamp.is_file():
        notes.append(f"its metadata names {shown(stamp)} as its solution, which does not "
                     "exist; ignored")
        stamp = None
    if explicit is not None:
        solution = Path(explicit).resolve()
        if not solution.is_file():
            raise SolutionError(f"--solution {explicit}: no such notebook")
        if stamp is not None and stamp != solution:
            notes.append(f"its metadata says it is a copy of {shown(stamp)}; judged against "
                         f"{shown(solution)} as you asked (--solution)")
        return solution, notes
    if stamp is not None:
        if place is not None and place.resolve() != stamp:
            notes.append(f"this file sits at the place of {shown(place)}, but its metadata says "
                         f"it is a copy of {shown(stamp)}: judged against {shown(stamp)}")
        return stamp, notes
    if place is not None and place.is_file():
        return place, notes
    where = f" (expected {shown(place)}, which does not exist)" if place is not None else ""
    raise SolutionError(
        f"cannot tell which solution notebook {path} is a copy of{where}. Copies made by "
        "`make exercises` say so in their metadata; for this one, name the solution: "
        f"python -m utils.grade {path} --solution course<N>_<slug>/<notebook>.ipynb")


def course_notebooks():
    """Every solution notebook of the course folders."""
    return find_notebooks(sorted(p for p in REPO_ROOT.glob("course*_*") if p.is_dir()))


@lru_cache(maxsize=1)
def _graded_names_by_solution():
    names = {}
    for path in course_notebooks():
        nb = read_notebook(path)
        names[path.resolve()] = {n for n in map(graded_name, nb.cells) if n}
    return names


def closest_solution(names):
    """The course notebook whose graded functions are most like ``names`` (by the share of
    names in common) and how many names it shares, or (None, 0)."""
    names, best, shared, score = set(names), None, 0, 0.0
    for path, theirs in _graded_names_by_solution().items():
        common = len(theirs & names)
        if common and common / len(theirs | names) > score:
            best, shared, score = path, common, common / len(theirs | names)
    return best, shared
