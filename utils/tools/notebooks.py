"""Reading, normalising and executing notebooks (maintainer tool).

    python -m utils.tools.notebooks run PATH...        execute in place, then normalise
    python -m utils.tools.notebooks normalize PATH...  rewrite in the normal form
    python -m utils.tools.notebooks check PATH...      exit 1 if any file is not in normal form
    python -m utils.tools.notebooks figures PATH...    save every PNG output to build/figures/

The normal form keeps sources and outputs but drops what changes from run to run without
meaning anything: execution timestamps, widget state, interpreter versions. Committed
notebooks must be in normal form (the test command checks it).
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import nbformat

GRADED_MARK = "# GRADED FUNCTION:"
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
KEPT_CELL_METADATA = ("tags",)


def find_notebooks(paths):
    """Expand files and folders into a sorted list of notebook paths (checkpoints skipped)."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif path.suffix == ".ipynb" and path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: not a notebook or a folder of notebooks")
    return sorted(found)


def read(path):
    """Read a notebook as an nbformat v4 node."""
    return nbformat.read(str(path), as_version=4)


def graded_name(cell):
    """The function name after '# GRADED FUNCTION:' in a code cell, or None."""
    if cell.cell_type != "code":
        return None
    for line in cell.source.splitlines():
        if line.strip().startswith(GRADED_MARK):
            return line.split(":", 1)[1].strip()
    return None


def normalized(nb):
    """A copy of ``nb`` in normal form."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.metadata = nbformat.from_dict(
        {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    )
    for index, cell in enumerate(nb.cells):
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.metadata.items() if k in KEPT_CELL_METADATA}
        )
        cell.id = cell.get("id") or f"cell-{index}"
        if cell.cell_type == "code":
            cell.outputs = _merged_streams(cell.outputs)
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def _merged_streams(outputs):
    """Join consecutive stream outputs of the same stream: how printed text is split into
    messages varies from run to run, the text does not."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.output_type == "stream" and previous is not None
                and previous.output_type == "stream" and previous.name == output.name):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def as_text(nb):
    """The exact file text nbformat writes for ``nb``."""
    return nbformat.writes(nb) + "\n"


def write(nb, path):
    """Write ``nb`` to ``path`` in normal form."""
    Path(path).write_text(as_text(normalized(nb)), encoding="utf-8")


def execute(nb, cwd, timeout=600, allow_errors=False):
    """Execute ``nb`` in a fresh kernel of this environment, with ``cwd`` as working folder."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute(stderr=subprocess.DEVNULL)  # the kernel's start-up chatter
    return nb


def _run(paths):
    for path in find_notebooks(paths):
        print(f"running {path} ...", flush=True)
        nb = execute(read(path), cwd=path.parent)
        write(nb, path)


def _normalize(paths):
    for path in find_notebooks(paths):
        write(read(path), path)


def _check(paths):
    stale = []
    for path in find_notebooks(paths):
        text = path.read_text(encoding="utf-8")
        if as_text(normalized(nbformat.reads(text, as_version=4))) != text:
            stale.append(path)
    for path in stale:
        print(f"{path}: not normalised; run `make normalize NB={path}`", file=sys.stderr)
    return 1 if stale else 0


def _figures(paths):
    import base64

    for path in find_notebooks(paths):
        out = Path("build/figures") / path.stem
        out.mkdir(parents=True, exist_ok=True)
        count = 0
        for index, cell in enumerate(read(path).cells):
            for output in cell.get("outputs", []):
                png = output.get("data", {}).get("image/png")
                if png:
                    count += 1
                    (out / f"cell{index:02d}_{count}.png").write_bytes(base64.b64decode(png))
        print(f"{path}: {count} figure(s) in {out}/")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m utils.tools.notebooks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["run", "normalize", "check", "figures"])
    parser.add_argument("paths", nargs="+", help="notebooks or folders")
    args = parser.parse_args(argv)
    if args.command == "run":
        _run(args.paths)
    elif args.command == "normalize":
        _normalize(args.paths)
    elif args.command == "figures":
        _figures(args.paths)
    else:
        return _check(args.paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
