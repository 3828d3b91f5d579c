"""Make blank exercise copies of solution notebooks.

    python -m utils.tools.exercises course1_neural_networks/week2_numpy_basics.ipynb
    python -m utils.tools.exercises course1_neural_networks          # every notebook in a folder
    python -m utils.tools.exercises ... --force                      # replace existing copies

Every ``### BEGIN SOLUTION ... ### END SOLUTION`` region becomes
``raise NotImplementedError(...)`` at the same indentation (the hint comment above it
stays), outputs are cleared, and the copy is written under ``exercises/`` with the same
relative path. The copy's metadata names the solution it was made from (the grader judges
it against that solution's checks). An existing copy holds a learner's work, so it is never
replaced unless ``--force`` is given.
"""

import argparse
import sys
from pathlib import Path

import nbformat

from utils.notebook_setup import REPO_ROOT
from utils.tools.notebooks import as_text, find_notebooks, graded_name, normalized, read

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
EXERCISES_DIR = REPO_ROOT / "exercises"
STAMP_KEY = "dl_course"  # notebook metadata: {"solution": path of the solution it copies}


class MarkerError(ValueError):
    """Solution markers are missing, unbalanced or outside a graded cell."""


def blank_source(source, name, where):
    """Source with every solution region replaced by a NotImplementedError line."""
    lines = source.splitlines()
    out, inside, begin_line = [], False, None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith(BEGIN):
            if inside:
                raise MarkerError(f"{where}, line {number}: '{BEGIN}' inside another region "
                                  f"(the one opened on line {begin_line} is not closed)")
            inside, begin_line = True, number
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f'{indent}raise NotImplementedError("Exercise: write {name}")')
        elif stripped.startswith(END):
            if not inside:
                raise MarkerError(f"{where}, line {number}: '{END}' without a '{BEGIN}' above it")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError(f"{where}, line {begin_line}: '{BEGIN}' is never closed by '{END}'")
    return "\n".join(out)


def make_exercise(nb, label="notebook", solution=None):
    """A blank copy of the notebook node ``nb`` (the input is left unchanged); when the
    path ``solution`` of ``nb`` is given, the copy's metadata names it."""
    copy = nbformat.reads(nbformat.writes(nb), as_version=4)
    if solution is not None:
        copy.metadata[STAMP_KEY] = {"solution": Path(shown(solution)).as_posix()}
    graded = 0
    for index, cell in enumerate(copy.cells):
        where = f"{label}, cell {index}"
        has_markers = BEGIN in cell.source or END in cell.source
        name = graded_name(cell)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        if name is None:
            if has_markers:
                raise MarkerError(f"{where}: solution markers outside a '# GRADED FUNCTION:' cell")
            continue
        if BEGIN not in cell.source:
            raise MarkerError(f"{where}: graded function {name} has no '{BEGIN}' region")
        cell.source = blank_source(cell.source, name, where)
        graded += 1
    if graded == 0:
        raise MarkerError(f"{label}: no '# GRADED FUNCTION:' cells, nothing to blank out")
    return copy


def exercise_path(path, out_dir=EXERCISES_DIR):
    """Where the blank copy of ``path`` goes: the same relative path under ``out_dir``."""
    path = Path(path).resolve()
    try:
        relative = path.relative_to(REPO_ROOT)
    except ValueError:
        relative = Path(path.name)
    return Path(out_dir) / relative


def generate(paths, out_dir=EXERCISES_DIR, force=False):
    """Write blank copies of the notebooks in ``paths``; returns the paths written."""
    written = []
    for path in find_notebooks(paths):
        target = exercise_path(path, out_dir)
        if Path(out_dir).resolve() in path.resolve().parents:
            raise MarkerError(f"{path} is already an exercise copy")
        if target.exists() and not force:
            print(f"skipped {shown(target)}: it exists and may hold your work "
                  "(use --force to replace it)")
            continue
        blank = make_exercise(read(path), label=str(shown(path)), solution=path)
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_copy(blank, target)
        written.append(target)
        print(f"wrote {shown(target)}")
    return written


def _write_copy(blank, target):
    """Write ``blank`` in the repository's normal form, keeping the solution stamp."""
    normal = normalized(blank)
    normal.metadata[STAMP_KEY] = blank.metadata[STAMP_KEY]
    Path(target).write_text(as_text(normal), encoding="utf-8")


def shown(path):
    """``path`` relative to the repository when it is inside it, else absolute."""
    path = Path(path).resolve()
    try:
        return path.relative_to(REPO_ROOT)
    except ValueError:
        return path


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m utils.tools.exercises", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="solution notebooks or folders")
    parser.add_argument("--out", default=EXERCISES_DIR, type=Path,
                        help="folder for the copies (default: exercises/)")
    parser.add_argument("--force", action="store_true", help="replace existing copies")
    args = parser.parse_args(argv)
    try:
        generate(args.paths, args.out, args.force)
    except (MarkerError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
