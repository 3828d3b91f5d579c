"""Grade a notebook locally: one row per graded function, then a score.

    python -m utils.tools.grade exercises/course1_neural_networks/week2_numpy_basics.ipynb
    python -m utils.tools.grade exercises/course1_neural_networks      # every notebook in a folder
    python -m utils.tools.grade NOTEBOOK --timeout 60                  # seconds allowed per cell

The notebook is executed in memory in a fresh kernel (your file is never modified), cell by
cell up to the last check. Each graded function is judged by the check cell right below it:

- passed: the function's cell and its check cell ran without error;
- failed: either cell raised (the check's message is shown), or a cell ran past the time
  limit (an endless loop, say);
- not attempted: the function still raises NotImplementedError.

An error in one exercise costs that exercise only. The exit status is 0 only when every
exercise passed.
"""

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from utils.tools.notebooks import find_notebooks, graded_name, read

PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"
DEFAULT_TIMEOUT = 300


@dataclass
class Exercise:
    """One graded function: its name, the cell defining it and the check cell below."""

    name: str
    cell: int
    check: int
    status: str = NOT_ATTEMPTED
    message: str = ""


def find_exercises(nb):
    """The graded functions of ``nb``, each paired with the code cell right after it."""
    exercises = []
    cells = nb.cells
    for index, cell in enumerate(cells):
        name = graded_name(cell)
        if name is None:
            continue
        following = [i for i in range(index + 1, len(cells)) if cells[i].cell_type == "code"]
        if not following or graded_name(cells[following[0]]) is not None:
            raise ValueError(f"graded function {name} (cell {index}) has no check cell below it")
        exercises.append(Exercise(name, index, following[0]))
    return exercises


def _error(cell):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output.get("ename", "Error"), output.get("evalue", "")
    return None


def _not_written(evalue):
    """The function named in our NotImplementedError text, if that is what was raised."""
    prefix = "Exercise: write "
    return evalue[len(prefix):].strip() if evalue.startswith(prefix) else None


def judge(exercise, cells, timed_out):
    """Set ``exercise.status`` and ``.message`` from the executed cells."""
    for index, role in ((exercise.cell, "the function's cell"), (exercise.check, "the check")):
        if index in timed_out:
            exercise.status = FAILED
            exercise.message = (f"{role} ran longer than {timed_out[index]} s and was stopped "
                                "(an endless loop?)")
            return exercise
        error = _error(cells[index])
        if error is None:
            continue
        ename, evalue = error
        missing = _not_written(evalue) if ename == "NotImplementedError" else None
        if missing == exercise.name:
            exercise.status, exercise.message = NOT_ATTEMPTED, ""
        elif missing:
            exercise.status = FAILED
            exercise.message = f"it calls {missing}, which is not written yet"
        else:
            exercise.status = FAILED
            exercise.message = f"{role} raised {ename}: {evalue}".rstrip(": ")
        return exercise
    exercise.status, exercise.message = PASSED, ""
    return exercise


def run_cells(nb, cwd, stop_after, timeout):
    """Execute code cells up to index ``stop_after``; returns {cell index: timeout} of
    cells stopped for running too long. Errors stay in the cells' outputs."""
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            interrupt_on_timeout=True, record_timing=False,
                            resources={"metadata": {"path": str(cwd)}})
    timed_out = {}
    # the kernel's own stderr only carries start-up chatter; cell errors arrive as outputs
    with client.setup_kernel(stderr=subprocess.DEVNULL):
        for index, cell in enumerate(nb.cells[: stop_after + 1]):
            if cell.cell_type != "code":
                continue
            started = time.monotonic()
            try:
                client.execute_cell(cell, index)
            except DeadKernelError:
                cell.outputs = [{"output_type": "error", "ename": "DeadKernelError",
                                 "evalue": "the kernel died (out of memory, or a crash)",
                                 "traceback": []}]
                for later in nb.cells[index + 1: stop_after + 1]:
                    if later.cell_type == "code":
                        later.outputs = cell.outputs
                break
            error = _error(cell)
            if error and error[0] == "KeyboardInterrupt" and time.monotonic() - started >= timeout:
                timed_out[index] = timeout
    return timed_out


def grade(path, timeout=DEFAULT_TIMEOUT, out=sys.stdout):
    """Grade one notebook; prints the table and returns the list of Exercises."""
    path = Path(path)
    nb = read(path)
    exercises = find_exercises(nb)
    print(f"Grading {path}", file=out, flush=True)
    if not exercises:
        print("  no graded functions in this notebook", file=out)
        return exercises
    timed_out = run_cells(nb, path.parent, exercises[-1].check, timeout)
    graded_cells = {i for e in exercises for i in (e.cell, e.check)}
    for index, cell in enumerate(nb.cells):
        error = _error(cell) if cell.cell_type == "code" else None
        unwritten = error and error[0] == "NotImplementedError" and _not_written(error[1])
        if error and index not in graded_cells and not unwritten:
            print(f"  note: cell {index} (not graded) raised {error[0]}; later checks may "
                  "depend on it", file=out)
    width = max(len(e.name) for e in exercises)
    for exercise in exercises:
        judge(exercise, nb.cells, timed_out)
        line = f"  {exercise.status:<14} {exercise.name:<{width}}"
        if exercise.message:
            first, *rest = exercise.message.splitlines()
            line += f"  {first}" + "".join(f"\n  {'':<14} {'':<{width}}  {r}" for r in rest)
        print(line.rstrip(), file=out)
    passed = sum(e.status == PASSED for e in exercises)
    print(f"Score: {passed}/{len(exercises)} exercises passed\n", file=out, flush=True)
    return exercises


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m utils.tools.grade", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="notebooks or folders to grade")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT,
                        help=f"seconds allowed per cell (default {DEFAULT_TIMEOUT})")
    args = parser.parse_args(argv)
    try:
        notebooks = find_notebooks(args.paths)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    all_passed = True
    for path in notebooks:
        try:
            exercises = grade(path, args.timeout)
        except Exception as error:  # an unreadable notebook must not stop the others
            print(f"  could not grade {path}: {type(error).__name__}: {error}\n")
            all_passed = False
            continue
        all_passed &= all(e.status == PASSED for e in exercises)
    return 0 if all_passed else 1


if __name__ == "__main__":
    sys.exit(main())
