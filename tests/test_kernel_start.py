"""The notebook run's kernel start is tried again when a kernel dies while starting."""

import pytest

from utils.tools import kernel_start


def flaky_start(failures):
    """A stand-in for nbval's start_new_kernel that dies ``failures`` times, then starts."""
    calls = []

    def start(*args, **kwargs):
        calls.append((args, kwargs))
        if len(calls) <= failures:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return "manager", "client"
    return start, calls


@pytest.mark.parametrize("failures", [0, 1, kernel_start.KERNEL_START_TRIES - 1])
def test_a_kernel_that_dies_while_starting_is_started_again(monkeypatch, failures):
    start, calls = flaky_start(failures)
    monkeypatch.setattr(kernel_start, "_nbval_start_new_kernel", start)
    got = kernel_start.start_new_kernel_with_retries(kernel_name="python3", cwd="here")
    assert got == ("manager", "client")
    assert len(calls) == failures + 1
    assert all(kwargs == {"kernel_name": "python3", "cwd": "here"} for _, kwargs in calls)


def test_after_the_last_try_the_error_is_raised(monkeypatch):
    start, calls = flaky_start(kernel_start.KERNEL_START_TRIES)
    monkeypatch.setattr(kernel_start, "_nbval_start_new_kernel", start)
    with pytest.raises(RuntimeError, match="Kernel died"):
        kernel_start.start_new_kernel_with_retries()
    assert len(calls) == kernel_start.KERNEL_START_TRIES


def test_the_plugin_replaces_the_function_nbval_calls(monkeypatch):
    import nbval.kernel

    monkeypatch.setattr(nbval.kernel, "start_new_kernel", nbval.kernel.start_new_kernel)
    kernel_start.pytest_configure(config=None)
    assert nbval.kernel.start_new_kernel is kernel_start.start_new_kernel_with_retries
