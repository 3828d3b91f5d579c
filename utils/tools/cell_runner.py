"""Run a list of code cells in a kernel, one outcome per cell, surviving kernel deaths.

A cell that runs past the time limit is interrupted. A cell that kills the kernel
(``os._exit``, a crash, running out of memory) is recorded as such; a fresh kernel then
replays the earlier cells (except the ones marked not to replay, and the ones that were
stopped or killed it) and goes on after it, at most ``max_restarts`` times.
"""

import subprocess
import time
from dataclasses import dataclass

import nbformat

MAX_RESTARTS = 3


@dataclass
class Outcome:
    """What happened when a cell ran: the error raised (name, message), if any; whether it
    was stopped at the time limit; whether the kernel died while it ran."""

    error: tuple[str, str] | None = None
    timed_out: bool = False
    killed: bool = False


def run_cells(sources, cwd, timeout, replay=None, max_restarts=MAX_RESTARTS):
    """Execute ``sources`` in order with ``cwd`` as working folder. Returns one Outcome per
    source, None for the ones never run (the kernel died more than ``max_restarts`` times).
    ``replay[i]`` false means cell i is not replayed after a restart (default: all are)."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    replay = replay if replay is not None else [True] * len(sources)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            interrupt_on_timeout=True, record_timing=False,
                            resources={"metadata": {"path": str(cwd)}})
    outcomes = [None] * len(sources)
    start, restarts = 0, 0
    while start < len(sources) and restarts <= max_restarts:
        start = _session(client, nb, outcomes, start, replay, timeout)
        restarts += start < len(sources)
    return outcomes


def _session(client, nb, outcomes, start, replay, timeout):
    """One kernel's life: replay cells before ``start``, then run on. Returns where the
    next kernel must start (``len(nb.cells)`` when everything ran)."""
    # the kernel's own stderr only carries start-up chatter; cell errors arrive as outputs
    with client.setup_kernel(stderr=subprocess.DEVNULL):
        for index in range(start):
            done = outcomes[index]
            if replay[index] and not (done.killed or done.timed_out):
                if _execute(client, nb, index, timeout).killed:
                    done.killed = True  # it only dies on replay: skip it from now on
                    return start
        for index in range(start, len(nb.cells)):
            outcomes[index] = _execute(client, nb, index, timeout)
            if outcomes[index].killed:
                return index + 1
    return len(nb.cells)


def _execute(client, nb, index, timeout):
    from nbclient.exceptions import DeadKernelError

    cell = nb.cells[index]
    started = time.monotonic()
    try:
        client.execute_cell(cell, index)
    except DeadKernelError:
        return Outcome(killed=True)
    error = next(((o.get("ename", "Error"), o.get("evalue", "")) for o in cell.outputs
                  if o.get("output_type") == "error"), None)
    stopped = (error is not None and error[0] == "KeyboardInterrupt"
               and time.monotonic() - started >= timeout)
    return Outcome(error=error, timed_out=stopped)
