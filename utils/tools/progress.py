"""Results per notebook, and the progress table across the programme (text or JSON)."""

from dataclasses import dataclass, field
from pathlib import Path

from utils.notebook_setup import REPO_ROOT
from utils.tools.exercises import EXERCISES_DIR
from utils.tools.solutions import (
    SolutionError,
    by_place,
    course_notebooks,
    parse_solution,
    read_solution,
    shown,
)

GRADED, NOT_STARTED = "graded", "not started"


@dataclass
class NotebookResult:
    """One notebook's results. ``state`` is "graded", "not started" (no copy yet),
    "unreadable" or "no solution"; ``problem`` says what went wrong in the last two."""

    path: Path | None
    solution: Path | None = None
    exercises: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    state: str = GRADED
    problem: str = ""

    @property
    def passed(self):
        return sum(e.status == "passed" for e in self.exercises)

    @property
    def total(self):
        if self.state == GRADED:
            return len(self.exercises)
        return exercise_count(self.solution) if self.solution is not None else 0

    @property
    def label(self):
        """The notebook's path as a learner knows it: relative to exercises/ for a copy."""
        if self.path is None:
            return str(shown(self.solution))
        path = Path(self.path).resolve()
        for root in (Path(EXERCISES_DIR).resolve(), REPO_ROOT):
            if root in path.parents:
                return str(path.relative_to(root))
        return str(self.path)


def exercise_count(solution):
    """How many exercises the solution notebook has (0 when it cannot be parsed)."""
    try:
        return len(parse_solution(read_solution(solution)))
    except SolutionError:
        return 0


def programme(paths, results):
    """"not started" results for the course notebooks that a folder under exercises/ in
    ``paths`` should hold a copy of but does not (none was graded against them)."""
    exercises = Path(EXERCISES_DIR).resolve()
    wanted = []
    for path in map(Path, paths):
        path = path.resolve()
        if path == exercises or (exercises in path.parents and path.is_dir()):
            scope = REPO_ROOT / path.relative_to(exercises)
            wanted += [p for p in course_notebooks() if p.resolve().is_relative_to(scope)]
    covered = {Path(r.solution).resolve() for r in results if r.solution is not None}
    missing = sorted({p.resolve() for p in wanted} - covered)
    return [NotebookResult(None, p, state=NOT_STARTED) for p in missing]


def _status(result):
    if result.state == GRADED:
        place = by_place(result.path)
        if place is not None and place != Path(result.solution).resolve():
            return f"judged as {shown(result.solution)}"
        return "complete" if result.passed == result.total else ""
    return result.state if result.state == NOT_STARTED else f"{result.state} (see above)"


def print_table(results, out):
    """The progress table: each notebook's score, then the total."""
    rows = sorted(results, key=lambda r: r.label)
    width = max([len(r.label) for r in rows] + [len("notebook")])
    passed, total = sum(r.passed for r in rows), sum(r.total for r in rows)
    complete = sum(r.state == GRADED and r.passed == r.total for r in rows)
    print("Progress", file=out)
    print(f"  {'notebook':<{width}}  {'score':>7}", file=out)
    for row in rows:
        print(f"  {row.label:<{width}}  {f'{row.passed}/{row.total}':>7}  {_status(row)}".rstrip(),
              file=out)
    print(f"  {'total':<{width}}  {f'{passed}/{total}':>7}  exercises passed; {complete} of "
          f"{len(rows)} notebooks complete", file=out, flush=True)


def results_json(results):
    """The results as a JSON-ready dict: per notebook and exercise, and the totals."""
    notebooks = [{
        "notebook": r.label,
        "file": str(r.path) if r.path is not None else None,
        "solution": str(shown(r.solution)) if r.solution is not None else None,
        "state": r.state,
        "problem": r.problem,
        "passed": r.passed,
        "total": r.total,
        "notes": r.notes,
        "exercises": [{"name": e.name, "status": e.status, "message": e.message}
                      for e in r.exercises],
    } for r in sorted(results, key=lambda r: r.label)]
    return {"notebooks": notebooks, "passed": sum(n["passed"] for n in notebooks),
            "total": sum(n["total"] for n in notebooks)}
