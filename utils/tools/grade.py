"""Grade notebooks locally: one row per graded function, a score, then a progress table.

    python -m utils.tools.grade exercises/course1_neural_networks/week2_numpy_basics.ipynb
    python -m utils.tools.grade exercises                 # everything, with a progress table
    python -m utils.tools.grade NOTEBOOK --timeout 60     # seconds allowed per cell
    python -m utils.tools.grade NOTEBOOK --solution course1_neural_networks/x.ipynb
    python -m utils.tools.grade exercises --json          # results for tools, on stdout

The exercises and their checks come from the solution notebook the copy was made from
(named in the copy's metadata, or found by the copy's place under exercises/), never from
your file: deleting or editing a check cell changes nothing but a note in the report.
Your code cells run as written, in order, in a fresh kernel (your file is never
modified); each exercise is judged by the solution's own check, run right where your check
cell is (or right after your function when its check cell is gone). The check judges the
function your graded cell defined, even if a later scratch cell redefines the name, and it
imports the check modules afresh, so nothing a cell of yours rebinds or patches in them
takes part:

- passed: your function's cell and the check ran without error;
- failed: either raised (the check's message is shown), ran past the time limit (an
  endless loop, say), or killed the kernel; or your file has no
  ``# GRADED FUNCTION: <name>`` cell for it (graded cell not found);
- not attempted: the function still raises the exercise's NotImplementedError.

An error in one exercise costs that exercise only. The exit status is 0 only when at least
one notebook was graded and every exercise of every graded notebook passed (copies not
made yet are listed in the progress table as "not started" and do not count).
"""

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from utils.tools.cell_runner import run_cells
from utils.tools.exercises import EXERCISES_DIR, shown
from utils.tools.notebooks import CHECK_MARK, find_notebooks, graded_name
from utils.tools.progress import NotebookResult, print_table, programme, results_json
from utils.tools.solutions import (
    SolutionError,
    by_place,
    closest_solution,
    locate,
    parse_solution,
    read_notebook,
    read_solution,
)

PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"
DEFAULT_TIMEOUT = 300


@dataclass
class Exercise:
    """One exercise of the solution, and where it sits in the plan run for the learner."""

    name: str
    step: int | None = None  # plan step running the learner's graded cell
    check_step: int | None = None  # plan step running the pristine check
    status: str = NOT_ATTEMPTED
    message: str = ""


@dataclass
class Plan:
    """The cells to run (the learner's, with the pristine checks in place of theirs)."""

    sources: list = field(default_factory=list)
    cells: list = field(default_factory=list)  # learner cell index per step, None for ours
    replay: list = field(default_factory=list)  # run again in a restarted kernel?
    exercises: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def add(self, source, cell=None, replay=None):
        self.sources.append(source)
        self.cells.append(cell)
        self.replay.append(cell is not None if replay is None else replay)
        return len(self.sources) - 1


# What the graded cell defined is kept aside right after it runs, so that the check judges
# that object even when a scratch cell redefines the name before the check cell.
_KEEP = """if {name!r} in globals():
    globals().setdefault("__graded__", {{}})[{name!r}] = {name}
"""

# The pristine check runs in a namespace of its own (the learner's names, with the graded
# objects kept aside, on top), after the check modules are imported afresh from their files:
# nothing a learner's cell rebinds or patches in them takes part in the judgement.
_FRESH_CHECKS = """import sys
for name in [n for n in sys.modules if n == "utils.checks" or n.startswith("utils.checks.")]:
    del sys.modules[name]
"""
_JUDGE = """exec(compile({source!r}, "<the solution's check of {name}>", "exec"),
     {{**globals(), **globals().get("__graded__", {{}})}})
"""


def judging_source(spec):
    """The code run to judge ``spec``'s exercise in the learner's kernel."""
    return _JUDGE.format(source=_FRESH_CHECKS + spec.pristine, name=spec.name)


def plan(nb, specs):
    """The plan for the learner's ``nb`` judged by the solution's ``specs``.

    A learner cell is a check cell of exercise E when it is identical to E's check, or
    when it is the first cell starting with the check marker below E's graded cell (scratch
    cells in between allowed) and E has no check there yet. E is judged by the first such
    cell after E's last graded cell; the other copies are not run."""
    by_name = {s.name: s for s in specs}
    by_check = {s.check: s.name for s in specs}
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    graded, check_of, open_slot = {}, {}, None  # open_slot: graded above, no check yet
    for index, cell in code:
        name = graded_name(cell)
        if name in by_name:
            graded[name], open_slot = index, name
        elif cell.source.strip() in by_check:
            check_of[index] = by_check[cell.source.strip()]
            open_slot = None if check_of[index] == open_slot else open_slot
        elif open_slot and cell.source.lstrip().startswith(CHECK_MARK):
            check_of[index], open_slot = open_slot, None
        elif name is not None:
            open_slot = None
    judged = {}
    for index, name in check_of.items():
        if name in graded and index > graded[name] and name not in judged:
            judged[name] = index
    result = Plan(exercises=[Exercise(s.name) for s in specs])
    exercises = {e.name: e for e in result.exercises}
    for index, cell in code:
        name = check_of.get(index)
        if name is not None:
            if judged.get(name) == index:
                exercises[name].check_step = result.add(judging_source(by_name[name]))
                if cell.source.strip() != by_name[name].check:
                    result.notes.append(f"your check cell for {name} was changed; the original "
                                        "check was used")
            continue
        step = result.add(cell.source, index)
        name = graded_name(cell)
        if name in graded and graded[name] == index:
            exercises[name].step = step
            result.add(_KEEP.format(name=name), replay=True)
            if name not in judged:
                exercises[name].check_step = result.add(judging_source(by_name[name]))
                result.notes.append(f"{name} has no check cell below it (emptied or deleted?); "
                                    "the original check was run right after your function")
    return result


def _not_written(evalue):
    """The function named in our NotImplementedError text, if that is what was raised."""
    prefix = "Exercise: write "
    return evalue[len(prefix):].strip() if evalue.startswith(prefix) else None


def judge(exercise, outcomes, timeout):
    """Set ``exercise.status`` and ``.message`` from the outcomes of the plan's steps."""
    if exercise.step is None:
        exercise.status = FAILED
        exercise.message = (f"graded cell not found: your file has no '# GRADED FUNCTION: "
                            f"{exercise.name}' cell (renamed or deleted?)")
        return exercise
    for step, role in ((exercise.step, "the function's cell"), (exercise.check_step, "the check")):
        outcome = outcomes[step]
        exercise.status = FAILED
        if outcome is None:
            exercise.message = "not graded: the kernel kept dying before this point"
            return exercise
        if outcome.killed:
            exercise.message = (f"the kernel died while {role} ran (os._exit, a crash or out "
                                "of memory?); grading went on in a restarted kernel")
            return exercise
        if outcome.timed_out:
            exercise.message = (f"{role} ran longer than {timeout} s and was stopped "
                                "(an endless loop?)")
            return exercise
        if outcome.error is None:
            continue
        ename, evalue = outcome.error
        missing = _not_written(evalue) if ename == "NotImplementedError" else None
        if missing == exercise.name:
            exercise.status, exercise.message = NOT_ATTEMPTED, ""
        elif missing:
            exercise.message = f"it calls {missing}, which is not written yet"
        else:
            exercise.message = f"{role} raised {ename}: {evalue}".rstrip(": ")
        return exercise
    exercise.status, exercise.message = PASSED, ""
    return exercise


def _cell_notes(steps, outcomes, timeout):
    """Notes on the learner's own cells, other than graded ones, that failed."""
    graded = {e.step for e in steps.exercises}
    notes = []
    for step, outcome in enumerate(outcomes):
        cell = steps.cells[step]
        if cell is None or outcome is None or step in graded:
            continue
        if outcome.killed:
            notes.append(f"cell {cell} killed the kernel; it was skipped and grading went on "
                         "in a restarted kernel")
        elif outcome.timed_out:
            notes.append(f"cell {cell} ran longer than {timeout} s and was stopped")
        elif outcome.error and not (outcome.error[0] == "NotImplementedError"
                                    and _not_written(outcome.error[1])):
            notes.append(f"cell {cell} (not graded) raised {outcome.error[0]}; later checks "
                         "may depend on it")
    return notes


def _lookalike(nb, solution, specs):
    """A note when the learner's graded cells match another course notebook better."""
    names = {n for n in map(graded_name, nb.cells) if n}
    ours = len(names & {s.name for s in specs})
    if ours == len(specs) == len(names):
        return []
    other, shared = closest_solution(names)
    if other is None or other == solution or shared <= ours:
        return []
    return [f"this file looks like a copy of {shown(other)} ({shared} of its {len(names)} graded "
            f"functions are exercises there, {ours} here); to grade it as that notebook: "
            f"--solution {shown(other)}"]


def grade(path, timeout=DEFAULT_TIMEOUT, out=sys.stdout, solution=None):
    """Grade one notebook against its solution; prints the report, returns a NotebookResult."""
    path = Path(path)
    print(f"Grading {path}", file=out, flush=True)
    try:
        nb = read_notebook(path)
    except ValueError as error:
        place = by_place(path)
        result = NotebookResult(path, place if place and place.is_file() else None,
                                state="unreadable", problem=_unreadable(path, error))
        print(f"  {result.problem}\n", file=out, flush=True)
        return result
    try:
        solution, notes = locate(path, nb, solution)
        specs = parse_solution(read_solution(solution), str(shown(solution)))
    except SolutionError as error:
        result = NotebookResult(path, state="no solution", problem=str(error))
        print(f"  {error}\n", file=out, flush=True)
        return result
    steps = plan(nb, specs)
    notes += _lookalike(nb, solution, specs) + steps.notes
    needed = [e.check_step for e in steps.exercises if e.check_step is not None]
    outcomes = []
    if needed:  # nothing after the last check can change a result
        last = max(needed) + 1
        outcomes = run_cells(steps.sources[:last], path.parent, timeout,
                             replay=steps.replay[:last])
        notes += _cell_notes(steps, outcomes, timeout)
    exercises = [judge(e, outcomes, timeout) for e in steps.exercises]
    result = NotebookResult(path, solution, exercises, notes)
    _print_report(result, out)
    return result


def _unreadable(path, error):
    """What is wrong with a damaged file and how to get a fresh copy without losing it."""
    solution = by_place(path)
    if solution is not None and solution.is_file() and solution != Path(path).resolve():
        fresh = f"`make exercises NB={shown(solution)}`"
    else:
        fresh = "`python -m utils.exercises <its solution notebook> --out <folder>`"
    return (f"{path}: {error}. It was left as it is; to start again, move it aside "
            f"(mv {path} {path}.broken), then make a fresh blank copy with {fresh}")


def _print_report(result, out):
    print(f"  judged against {shown(result.solution)}", file=out)
    for note in result.notes:
        print(f"  note: {note}", file=out)
    exercises = result.exercises
    if not exercises:
        print("  no graded functions in this notebook", file=out)
        return
    width = max(len(e.name) for e in exercises)
    for exercise in exercises:
        line = f"  {exercise.status:<14} {exercise.name:<{width}}"
        if exercise.message:
            first, *rest = exercise.message.splitlines()
            line += f"  {first}" + "".join(f"\n  {'':<14} {'':<{width}}  {r}" for r in rest)
        print(line.rstrip(), file=out)
    print(f"Score: {result.passed}/{result.total} exercises passed\n", file=out, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m utils.tools.grade", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="notebooks or folders to grade")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT,
                        help=f"seconds allowed per cell (default {DEFAULT_TIMEOUT})")
    parser.add_argument("--solution", type=Path,
                        help="the solution notebook to judge against (one notebook only)")
    parser.add_argument("--json", action="store_true",
                        help="print the results as JSON on stdout (the report goes to stderr)")
    args = parser.parse_args(argv)
    empty = [p for p in args.paths if Path(p).resolve() == Path(EXERCISES_DIR).resolve()
             and not Path(p).exists()]
    try:
        notebooks = find_notebooks([p for p in args.paths if p not in empty])
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.solution is not None and len(notebooks) != 1:
        print("error: --solution names the solution of one notebook; give exactly one",
              file=sys.stderr)
        return 2
    report = sys.stderr if args.json else sys.stdout
    for path in empty:
        print(f"{path}: no blank copies yet; make them with `make exercises`", file=report)
    results = [grade(path, args.timeout, report, args.solution) for path in notebooks]
    rows = results + programme(args.paths, results)
    if len(rows) > 1 or any(Path(p).is_dir() or p in empty for p in args.paths):
        print_table(rows, report)
    if args.json:
        print(json.dumps(results_json(rows), indent=1))
    everything_passed = all(r.state == "graded" and r.passed == r.total for r in results)
    return 0 if results and everything_passed else 1


if __name__ == "__main__":
    sys.exit(main())
