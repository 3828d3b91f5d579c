"""The rooms of utils/ and who may import whom (CONTRIBUTING.md, "Where code goes").

- models and data do not import each other;
- nothing imports utils.tools or utils.builders (notebooks included), except the two short
  command shims ``utils/grade.py`` and ``utils/exercises.py``;
- every builder is a command listed in datasets/MANIFEST, and every command there exists.
"""

import ast
import re

import pytest

from utils.data.manifest import MANIFEST
from utils.notebook_setup import REPO_ROOT
from utils.tools.notebooks import find_notebooks, read

UTILS = REPO_ROOT / "utils"
TOP_LEVEL = {"__init__.py", "notebook_setup.py", "plotting.py", "grade.py", "exercises.py"}
COMMAND_SHIMS = {"grade.py", "exercises.py"}
ROOMS = {"checks", "data", "models", "builders", "tools"}
FORBIDDEN = {
    "models": ("utils.data", "utils.tools", "utils.builders"),
    "data": ("utils.models", "utils.tools", "utils.builders"),
    "checks": ("utils.tools", "utils.builders"),
    "top": ("utils.tools", "utils.builders"),
}


def imported_modules(source):
    """Every module named by an import statement in ``source`` (``from a import b`` gives
    ``a`` and ``a.b``, since ``b`` may be a submodule)."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _breaks(module, prefixes):
    return [p for p in prefixes if module == p or module.startswith(p + ".")]


def _room(path):
    relative = path.relative_to(UTILS)
    return relative.parts[0] if len(relative.parts) > 1 else "top"


PY_FILES = sorted(UTILS.rglob("*.py"))


def test_top_level_holds_only_what_every_notebook_uses():
    stray = sorted(p.name for p in UTILS.glob("*.py"))
    stray = [name for name in stray if name not in TOP_LEVEL]
    folders = sorted(p.name for p in UTILS.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert not stray, (f"{stray} sit at the top of utils/: move each into one of the rooms "
                       f"{sorted(ROOMS)} (CONTRIBUTING.md, 'Where code goes')")
    assert set(folders) <= ROOMS, f"unexpected folders in utils/: {set(folders) - ROOMS}"


@pytest.mark.parametrize("path", PY_FILES, ids=[str(p.relative_to(UTILS)) for p in PY_FILES])
def test_imports_respect_the_rooms(path):
    room = _room(path)
    if room in ("tools", "builders") or (room == "top" and path.name in COMMAND_SHIMS):
        return
    bad = [m for m in imported_modules(path.read_text(encoding="utf-8"))
           if _breaks(m, FORBIDDEN[room])]
    assert not bad, f"utils/{path.relative_to(UTILS)} ({room}) imports {bad}"


NOTEBOOKS = find_notebooks(sorted(REPO_ROOT.glob("course*_*")))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebooks_import_no_tool_or_builder(path):
    bad = []
    for cell in read(path).cells:
        if cell.cell_type == "code" and not cell.source.lstrip().startswith(("%", "!")):
            bad += [m for m in imported_modules(cell.source)
                    if _breaks(m, ("utils.tools", "utils.builders"))]
    assert not bad, f"{path.name} imports {bad}"


def test_every_builder_is_a_manifest_command_and_every_command_exists():
    commands = set(re.findall(r"python -m (utils\.builders\.\w+)", MANIFEST.read_text()))
    builders = {f"utils.builders.{p.stem}" for p in (UTILS / "builders").glob("*.py")
                if p.stem != "__init__"}
    assert commands <= builders, f"MANIFEST names missing builders: {commands - builders}"
    assert builders <= commands, f"builders whose outputs MANIFEST does not list: " \
                                 f"{builders - commands}"
