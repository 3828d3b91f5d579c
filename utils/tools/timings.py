"""A pytest plugin that times every notebook and fails the run when one is over budget.

Loaded by the notebook test run (`-p utils.tools.timings`). At the end it prints the
notebooks slowest first, saves the table to build/notebook_timings.txt so runs can be
compared, and makes the run fail when a notebook took longer than the budget: 90 s on the
reference machine (2 cores), or ``DL_NOTEBOOK_BUDGET_SECONDS`` on a slower one.
"""

import os
from collections import defaultdict
from pathlib import Path

import pytest

BUDGET_SECONDS = 90
BUDGET_VARIABLE = "DL_NOTEBOOK_BUDGET_SECONDS"
_seconds = defaultdict(float)


def budget_seconds():
    """The per-notebook budget: the environment's override, or 90 s."""
    text = os.environ.get(BUDGET_VARIABLE, str(BUDGET_SECONDS))
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{BUDGET_VARIABLE} must be a number of seconds, got {text!r}") from None


def pytest_runtest_logreport(report):
    """Add the duration of every phase of every item to its file's total."""
    _seconds[report.nodeid.split("::", 1)[0]] += report.duration


def timing_table(seconds, budget=BUDGET_SECONDS):
    """Lines of the timing table for {file: seconds}, slowest first."""
    lines = [f"{'seconds':>8}  notebook"]
    for path, total in sorted(seconds.items(), key=lambda item: -item[1]):
        flag = f"  FAILED: over the {budget:g} s budget" if total > budget else ""
        lines.append(f"{total:8.1f}  {path}{flag}")
    lines.append(f"{sum(seconds.values()):8.1f}  total ({len(seconds)} notebooks)")
    return lines


def over_budget(seconds, budget=BUDGET_SECONDS):
    """The notebooks of {file: seconds} that took longer than ``budget``."""
    return sorted(path for path, total in seconds.items() if total > budget)


def _notebooks():
    return {path: total for path, total in _seconds.items() if path.endswith(".ipynb")}


def pytest_terminal_summary(terminalreporter):
    """Print the table at the end of the run and save it under build/."""
    notebooks = _notebooks()
    if not notebooks:
        return
    budget = budget_seconds()
    lines = timing_table(notebooks, budget)
    terminalreporter.section("notebook timings")
    for line in lines:
        terminalreporter.write_line(line)
    slow = over_budget(notebooks, budget)
    if slow:
        terminalreporter.write_line(f"{len(slow)} notebook(s) over the {budget:g} s budget: "
                                    "make them faster (see CONTRIBUTING.md)", red=True)
    Path("build").mkdir(exist_ok=True)
    Path("build/notebook_timings.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """A notebook over budget fails the run even when all its cells passed."""
    if over_budget(_notebooks(), budget_seconds()) and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
