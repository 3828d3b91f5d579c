"""The notebook timings plugin: the table, and a run that fails when a notebook is too slow."""

import os
import subprocess
import sys

import nbformat
import pytest

from utils.notebook_setup import REPO_ROOT
from utils.tools.timings import BUDGET_VARIABLE, budget_seconds, over_budget, timing_table


def test_table_is_slowest_first_and_flags_notebooks_over_budget():
    lines = timing_table({"a.ipynb": 12.0, "b.ipynb": 95.5}, budget=90)
    assert lines[1] == "    95.5  b.ipynb  FAILED: over the 90 s budget"
    assert lines[2] == "    12.0  a.ipynb"
    assert lines[3] == "   107.5  total (2 notebooks)"
    assert over_budget({"a.ipynb": 12.0, "b.ipynb": 95.5}, budget=90) == ["b.ipynb"]


def test_budget_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(BUDGET_VARIABLE, raising=False)
    assert budget_seconds() == 90
    monkeypatch.setenv(BUDGET_VARIABLE, "120")
    assert budget_seconds() == 120
    monkeypatch.setenv(BUDGET_VARIABLE, "slow")
    with pytest.raises(ValueError, match="number of seconds"):
        budget_seconds()


@pytest.mark.parametrize("budget, status", [("0", 1), ("600", 0)])
def test_a_notebook_over_budget_fails_the_run(tmp_path, budget, status):
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("print('hello')"))
    nbformat.write(nb, str(tmp_path / "tiny.ipynb"))
    env = {**os.environ, BUDGET_VARIABLE: budget, "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "utils.tools.timings",
               "-p", "no:cacheprovider", "tiny.ipynb"]
    run = subprocess.run(command,
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == status, run.stdout + run.stderr
    assert "notebook timings" in run.stdout
    assert ("over the 0 s budget" in run.stdout) == (status == 1)
