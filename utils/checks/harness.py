"""The graded-check harness shared by every notebook's check cells.

A check module builds fixed inputs, calls the learner's function and compares what comes
back with independent oracles (hand-computed values, numeric gradients, a library op)::

    def sigmoid(fn):
        check = Checker("sigmoid")
        got = check.call(fn, np.array([0.0, 2.0]))
        check.array(got, shape=(2,), what="sigmoid(np.array([0., 2.]))")
        check.close(got, [0.5, 0.8807970779778823], what="sigmoid(np.array([0., 2.]))",
                    hint="sigmoid(z) is 1 / (1 + exp(-z)).")
        check.done()

A passing check prints one line, ``sigmoid: all 3 checks passed``. A failing one raises
``CheckFailure`` (an ``AssertionError``) that names the check, the input, expected and got,
and a hint for the usual mistake. Type and shape checks come first so that a wrong shape
gives a clear message instead of a confusing value comparison.
"""

import numbers

import numpy as np


class CheckFailure(AssertionError):
    """A graded check did not pass; the message says which, on what input and why."""


def rounded(value, digits=5):
    """Text of a number or array with at most ``digits`` significant digits, for printing."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {rounded(v, digits)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)) and not _is_numeric_sequence(value):
        inner = ", ".join(rounded(v, digits) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    array = np.asarray(value)
    if array.dtype.kind in "biu":
        return np.array2string(array, separator=", ") if array.ndim else str(array.item())
    if array.dtype.kind != "f":
        return repr(value)
    with np.printoptions(suppress=False):
        if array.ndim == 0:
            return _sig(float(array), digits)
        return np.array2string(
            array, separator=", ", formatter={"float_kind": lambda x: _sig(x, digits)}
        )


def _sig(x, digits):
    x = float(x)
    if x == 0:
        return "0.0"  # also turns -0.0 into 0.0, which would otherwise flicker between runs
    text = f"{x:.{digits}g}"
    return text if ("e" in text or "." in text or "inf" in text or "nan" in text) else text + ".0"


def _is_numeric_sequence(value):
    return all(isinstance(v, numbers.Number) for v in value)


def _short(value, limit=300):
    text = rounded(value) if _looks_numeric(value) else repr(value)
    return text if len(text) <= limit else text[:limit] + " ..."


def _looks_numeric(value):
    if isinstance(value, (numbers.Number, np.ndarray, np.generic)):
        return True
    return isinstance(value, (list, tuple)) and len(value) > 0 and _is_numeric_sequence(value)


class Checker:
    """Counts passed checks for one graded function and raises on the first failure."""

    def __init__(self, name):
        self.name = name
        self.passed = 0

    def fail(self, what, expected, got, hint=None):
        """Raise a CheckFailure describing one failed check."""
        lines = [f"{self.name}: {what}", f"  expected: {expected}", f"  got:      {got}"]
        if hint:
            lines.append(f"  hint: {hint}")
        raise CheckFailure("\n".join(lines))

    def that(self, condition, what, expected, got, hint=None):
        """Pass when ``condition`` is true; otherwise fail with the given description."""
        if not condition:
            self.fail(what, expected, got, hint)
        self.passed += 1

    def call(self, fn, *args, **kwargs):
        """Call the learner's function on copies of the inputs and check it left them alone."""
        copies = [np.copy(a) if isinstance(a, np.ndarray) else a for a in args]
        result = fn(*args, **kwargs)
        for position, (before, after) in enumerate(zip(copies, args, strict=True)):
            if isinstance(after, np.ndarray) and not _same_array(before, after):
                self.fail(
                    f"argument {position + 1} was changed in place",
                    "the input left unchanged",
                    "a modified input",
                    "compute into a new array (e.g. x = x / n, not x /= n) so the caller's "
                    "data stays intact.",
                )
        return result

    def call_or_fail(self, fn, *args, hint, **kwargs):
        """``call``, but a KeyError, IndexError, ValueError or TypeError raised by the learner's
        function (a wrong key, index or shape) becomes a CheckFailure naming it, with the hint."""
        try:
            return self.call(fn, *args, **kwargs)
        except (KeyError, IndexError, ValueError, TypeError) as error:
            self.fail(
                f"calling the function raised {type(error).__name__}: {error}",
                "no error",
                type(error).__name__,
                hint,
            )
            raise  # unreachable: fail() raises

    def expect_value_error(self, fn, args, what, hint, kwargs=None):
        """Pass when ``fn(*args, **kwargs)`` raises ValueError; fail with the hint otherwise.

        NotImplementedError (a blank exercise) passes through; any other exception, or no
        exception at all, is a failure that says what happened instead.
        """
        try:
            result = fn(*args, **(kwargs or {}))
        except ValueError:
            self.that(True, what, "ValueError", "ValueError")
            return
        except NotImplementedError:
            raise
        except Exception as error:  # another exception is a failure with a clear message
            self.fail(what, "ValueError", f"{type(error).__name__}: {error}", hint)
        self.fail(what, "ValueError", f"no error (returned {result!r})"[:300], hint)

    def type_is(self, value, types, what, hint=None):
        """Check that ``value`` is an instance of ``types`` (a type or tuple of types)."""
        names = (
            " or ".join(t.__name__ for t in types) if isinstance(types, tuple) else types.__name__
        )
        self.that(isinstance(value, types), f"type of {what}", names, type(value).__name__, hint)

    def array(self, value, shape, what, hint=None):
        """Check that ``value`` is a numpy array (not a matrix or list) of this shape."""
        self.type_is(value, np.ndarray, what, hint or "return a numpy array (np.ndarray).")
        self.that(
            tuple(value.shape) == tuple(shape),
            f"shape of {what}",
            tuple(shape),
            tuple(value.shape),
            hint or "look at which axis you summed or reshaped over; keepdims=True keeps axes.",
        )

    def number(self, value, what, hint=None):
        """Check that ``value`` is a real scalar (Python or numpy), not an array or a string."""
        ok = isinstance(value, numbers.Real) or (
            isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "fiu"
        )
        got = f"{type(value).__name__} {value!r}"[:200]
        self.that(
            ok, f"type of {what}", "a real number (float)", got,
            hint or "return a single number, e.g. with float(...) or np.squeeze(...).",
        )

    def close(self, got, expected, what, rtol=1e-5, atol=1e-8, hint=None):
        """Check that ``got`` matches ``expected`` elementwise within tolerances."""
        got_array = np.asarray(got, dtype=float)
        expected_array = np.asarray(expected, dtype=float)
        if got_array.shape != expected_array.shape:
            self.fail(f"shape of {what}", expected_array.shape, got_array.shape, hint)
        ok = np.allclose(got_array, expected_array, rtol=rtol, atol=atol, equal_nan=False)
        self.that(ok, f"value of {what}", _short(expected), _short(got), hint)

    def equal(self, got, expected, what, hint=None):
        """Check exact equality (arrays elementwise, other values with ==)."""
        if isinstance(got, np.ndarray) or isinstance(expected, np.ndarray):
            ok = np.shape(got) == np.shape(expected) and np.array_equal(got, expected)
        else:
            ok = got == expected
        self.that(bool(ok), f"value of {what}", _short(expected), _short(got), hint)

    def keys(self, mapping, expected_keys, what, hint=None):
        """Check that a dict has exactly the expected keys."""
        self.type_is(mapping, dict, what)
        got = sorted(mapping)
        self.that(
            got == sorted(expected_keys), f"keys of {what}", sorted(expected_keys), got,
            hint or "return a dictionary with exactly these keys.",
        )

    def done(self):
        """Print the single pass line."""
        plural = "check" if self.passed == 1 else "checks"
        print(f"{self.name}: all {self.passed} {plural} passed")


def _same_array(before, after):
    """Elementwise equality that treats NaN as equal to NaN (for the arrays that have NaN)."""
    inexact = np.issubdtype(before.dtype, np.inexact)
    return np.array_equal(before, after, equal_nan=inexact)
