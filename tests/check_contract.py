"""What every notebook check module promises, as helpers for its ``tests/test_checks_*.py``.

A check module (``utils.checks.<notebook>``) has one check function per exercise, and each
test file states the same three promises about it:

- a correct (reference) implementation passes: the check prints its ``... passed`` line;
- a blank exercise, a stub that raises NotImplementedError, makes the check raise
  NotImplementedError (not a CheckFailure, nor a TypeError from a call it did not expect),
  so a learner who has not started sees the plain "not implemented" error;
- each typical mistake is caught with a CheckFailure whose message names it.

The test functions and their ``pytest.mark.parametrize`` lists stay in the test files, so
every case keeps its own test id; these helpers are the bodies. Checks are named by module
and attribute name, e.g. ``reference_passes(check, REFERENCE, "sigmoid", capsys)``.
"""

import re

import pytest

from utils.checks.harness import CheckFailure

PASS_LINE = re.compile(r": (all [1-9]\d* checks passed|all 1 check passed|"
                       r"all [1-9]\d* verdicts hold|the verdict holds)$", re.MULTILINE)


def reference_passes(check, reference, name, capsys, expect="passed"):
    """Run ``check.<name>`` on ``reference[name]``; assert that it printed a pass line for at
    least one check (``all 0 checks passed`` is no pass) and ``expect``, and return what it
    printed for any further assertions."""
    getattr(check, name)(reference[name])
    out = capsys.readouterr().out
    assert PASS_LINE.search(out), f"no pass line with at least one check:\n{out}"
    assert expect in out, out
    return out


def blank_raises_not_implemented(check, names, keywords=True):
    """Every check ``check.<name>`` for ``name`` in ``names`` lets a blank exercise's
    NotImplementedError through.

    With ``keywords=False`` the stub takes positional arguments only, so the test also pins
    that these checks call the learner's function without keyword arguments.
    """
    if keywords:
        def blank(*args, **kwargs):
            raise NotImplementedError("fill me in")
    else:
        def blank(*args):
            raise NotImplementedError("fill me in")

    for name in names:
        with pytest.raises(NotImplementedError):
            getattr(check, name)(blank)


def mistake_is_caught(check, name, wrong, word):
    """``check.<name>`` fails on the wrong implementation ``wrong`` with a CheckFailure whose
    message contains ``word`` (plain text, not a pattern); returns the message."""
    with pytest.raises(CheckFailure) as failure:
        getattr(check, name)(wrong)
    message = str(failure.value)
    assert word in message, message
    return message
