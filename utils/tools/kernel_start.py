"""A pytest plugin that gives each notebook's kernel three tries to start.

Loaded by the notebook test run (`-p utils.tools.kernel_start`). jupyter_client picks a
kernel's ports by binding free ones and releasing them before the kernel binds them, so two
test workers starting kernels at the same moment can pick the same port. The kernel that
loses dies before replying to kernel_info, and nbval then reports every cell of its notebook
as a RuntimeError. A new try picks new ports.
"""

import nbval.kernel

KERNEL_START_TRIES = 3
_nbval_start_new_kernel = nbval.kernel.start_new_kernel


def start_new_kernel_with_retries(*args, **kwargs):
    """nbval's ``start_new_kernel``, tried again when the kernel dies while starting."""
    for attempt in range(1, KERNEL_START_TRIES + 1):
        try:
            return _nbval_start_new_kernel(*args, **kwargs)
        except RuntimeError:
            if attempt == KERNEL_START_TRIES:
                raise


def pytest_configure(config):
    """Replace the function nbval's RunningKernel calls."""
    nbval.kernel.start_new_kernel = start_new_kernel_with_retries
