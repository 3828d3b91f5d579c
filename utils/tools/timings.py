"""A pytest plugin that prints how long each notebook took, slowest first.

Loaded by the notebook test run (`-p utils.tools.timings`); the table also goes to
build/notebook_timings.txt so it can be compared between runs.
"""

from collections import defaultdict
from pathlib import Path

BUDGET_SECONDS = 90
_seconds = defaultdict(float)


def pytest_runtest_logreport(report):
    """Add the duration of every phase of every item to its file's total."""
    _seconds[report.nodeid.split("::", 1)[0]] += report.duration


def timing_table(seconds, budget=BUDGET_SECONDS):
    """Lines of the timing table for {file: seconds}, slowest first."""
    lines = [f"{'seconds':>8}  notebook"]
    for path, total in sorted(seconds.items(), key=lambda item: -item[1]):
        flag = f"  over the {budget} s budget" if total > budget else ""
        lines.append(f"{total:8.1f}  {path}{flag}")
    lines.append(f"{sum(seconds.values()):8.1f}  total ({len(seconds)} notebooks)")
    return lines


def pytest_terminal_summary(terminalreporter):
    """Print the table at the end of the run and save it under build/."""
    notebooks = {path: total for path, total in _seconds.items() if path.endswith(".ipynb")}
    if not notebooks:
        return
    lines = timing_table(notebooks)
    terminalreporter.section("notebook timings")
    for line in lines:
        terminalreporter.write_line(line)
    Path("build").mkdir(exist_ok=True)
    Path("build/notebook_timings.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
