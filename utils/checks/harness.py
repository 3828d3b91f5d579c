"""The graded-check harness shared by every notebook's check cells.

A check module builds fixed inputs, calls the learner's function and compares what comes
back with independent oracles (hand-computed values, numeric gradients, a library op)::

    def sigmoid(fn):
        check = Checker("sigmoid")
        got = check.call(fn, np.array([0.0, 2.0]))
        check.array("sigmoid(np.array([0., 2.]))", got, (2,))
        check.close("sigmoid(np.array([0., 2.]))", got, [0.5, 0.8807970779778823],
                    hint="sigmoid(z) is 1 / (1 + exp(-z)).",
                    mistakes=[([0.5, 1 - 0.8807970779778823], "use exp(-z), not exp(z).")])
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


_UNWATCHED = object()
IN_PLACE_HINT = ("compute into new arrays and dicts (x = x / n, not x /= n; new = dict(old) "
                 "before assigning keys) so the caller's data stays intact.")


def shared(value):
    """Mark an argument of ``Checker.call`` that the function may update in place (the
    running statistics of batch norm, a list it appends to); the check inspects it itself:
    ``check.call(fn, Z, shared(running))``."""
    return _Shared(value)


class _Shared:
    def __init__(self, value):
        self.value = value


class Checker:
    """Counts passed checks for one graded function and raises on the first failure.

    Every comparison takes its arguments in one order: ``what`` (the words that name the
    checked value in a message), ``got`` (the learner's value), then the reference
    (``expected``, ``shape``, ``types``...). Options (``hint``, ``mistakes``, tolerances)
    are keyword-only. ``mistakes`` lists known wrong answers as ``(wrong_value, hint)``
    pairs: when ``got`` matches one of them, the failure shows that mistake's hint.
    ``in_place_hint`` replaces the general hint given when the function changes an input.
    """

    def __init__(self, name, in_place_hint=None):
        self.name = name
        self.passed = 0
        self.in_place_hint = in_place_hint or IN_PLACE_HINT

    def fail(self, what, got, expected, *, hint=None):
        """Raise a CheckFailure describing one failed check."""
        lines = [f"{self.name}: {what}", f"  expected: {expected}", f"  got:      {got}"]
        if hint:
            lines.append(f"  hint: {hint}")
        raise CheckFailure("\n".join(lines))

    def that(self, what, condition, got, expected, *, hint=None):
        """Pass when ``condition`` is true; otherwise fail with the given description."""
        if not condition:
            self.fail(what, got, expected, hint=hint)
        self.passed += 1

    def call(self, fn, *args, **kwargs):
        """Call the learner's function and check that it left every input alone.

        Arrays, and dicts, lists and tuples holding them at any depth, positional or keyword,
        are compared with a snapshot taken before the call. An argument wrapped in
        :func:`shared` is passed unwrapped and may be updated in place.
        """
        named = [(f"argument {i + 1}", a) for i, a in enumerate(args)]
        named += [(f"keyword argument {k}", v) for k, v in kwargs.items()]
        watched = [(label, _snapshot(v), v) for label, v in named
                   if not isinstance(v, _Shared)]
        result = fn(*(_unwrap(a) for a in args), **{k: _unwrap(v) for k, v in kwargs.items()})
        for label, before, after in watched:
            where = _changed(before, after)
            if where is not None:
                self.fail(f"{label}{where} was changed in place", "a modified input",
                          "the input left unchanged", hint=self.in_place_hint)
        return result

    def call_or_fail(self, fn, *args, hint, **kwargs):
        """``call``, but a KeyError, IndexError, ValueError, TypeError or ZeroDivisionError
        raised by the learner's function (a wrong key, index or shape, an unguarded division)
        becomes a CheckFailure naming it, with the hint."""
        try:
            return self.call(fn, *args, **kwargs)
        except (KeyError, IndexError, ValueError, TypeError, ZeroDivisionError) as error:
            self.fail(f"calling the function raised {type(error).__name__}: {error}",
                      type(error).__name__, "no error", hint=hint)
            raise  # unreachable: fail() raises

    def expect_value_error(self, what, fn, args, *, hint, kwargs=None):
        """Pass when ``fn(*args, **kwargs)`` raises ValueError; fail with the hint otherwise.

        NotImplementedError (a blank exercise) passes through; any other exception, or no
        exception at all, is a failure that says what happened instead.
        """
        try:
            result = fn(*args, **(kwargs or {}))
        except ValueError:
            self.that(what, True, "ValueError", "ValueError")
            return
        except NotImplementedError:
            raise
        except Exception as error:  # another exception is a failure with a clear message
            self.fail(what, f"{type(error).__name__}: {error}", "ValueError", hint=hint)
        self.fail(what, f"no error (returned {result!r})"[:300], "ValueError", hint=hint)

    def type_is(self, what, got, types, *, hint=None):
        """Check that ``got`` is an instance of ``types`` (a type or tuple of types)."""
        names = (
            " or ".join(t.__name__ for t in types) if isinstance(types, tuple) else types.__name__
        )
        self.that(f"type of {what}", isinstance(got, types), type(got).__name__, names,
                  hint=hint)

    def array(self, what, got, shape, *, hint=None):
        """Check that ``got`` is a numpy array (not a matrix or list) of this shape."""
        self.type_is(what, got, np.ndarray, hint=hint or "return a numpy array (np.ndarray).")
        self.that(
            f"shape of {what}", tuple(got.shape) == tuple(shape), tuple(got.shape),
            tuple(shape),
            hint=hint or "look at which axis you summed or reshaped over; keepdims=True keeps "
                         "axes.",
        )

    def number(self, what, got, *, hint=None):
        """Check that ``got`` is a real scalar (Python or numpy), not an array or a string."""
        ok = isinstance(got, numbers.Real) or (
            isinstance(got, np.ndarray) and got.shape == () and got.dtype.kind in "fiu"
        )
        text = f"{type(got).__name__} {got!r}"[:200]
        self.that(f"type of {what}", ok, text, "a real number (float)",
                  hint=hint or "return a single number, e.g. with float(...) or np.squeeze(...).")

    def close(self, what, got, expected, *, rtol=1e-5, atol=1e-8, hint=None, mistakes=()):
        """Check that ``got`` matches ``expected`` elementwise within tolerances; a ``got``
        that matches a known mistake (same tolerances) gets that mistake's hint."""
        got_array = np.asarray(got, dtype=float)
        expected_array = np.asarray(expected, dtype=float)
        if got_array.shape != expected_array.shape:
            self.fail(f"shape of {what}", got_array.shape, expected_array.shape, hint=hint)
        ok = np.allclose(got_array, expected_array, rtol=rtol, atol=atol, equal_nan=False)
        if not ok:
            hint = _named_mistake(got_array, mistakes, rtol, atol) or hint
        self.that(f"value of {what}", ok, _short(got), _short(expected), hint=hint)

    def equal(self, what, got, expected, *, hint=None, mistakes=()):
        """Check exact equality (arrays elementwise, other values with ==); a ``got`` equal to
        a known mistake gets that mistake's hint."""
        ok = _equal(got, expected)
        if not ok:
            hint = next((h for wrong, h in mistakes if _equal(got, wrong)), None) or hint
        self.that(f"value of {what}", ok, _short(got), _short(expected), hint=hint)

    def keys(self, what, got, expected_keys, *, hint=None):
        """Check that a dict has exactly the expected keys."""
        self.type_is(what, got, dict)
        found = sorted(got)
        self.that(f"keys of {what}", found == sorted(expected_keys), found,
                  sorted(expected_keys),
                  hint=hint or "return a dictionary with exactly these keys.")

    def done(self):
        """Print the single pass line; a check function that ran no check is a bug."""
        if self.passed == 0:
            raise CheckFailure(f"{self.name}: no check ran (a bug in the check module)")
        plural = "check" if self.passed == 1 else "checks"
        print(f"{self.name}: all {self.passed} {plural} passed")


def _unwrap(value):
    return value.value if isinstance(value, _Shared) else value


def _equal(got, expected):
    if isinstance(got, np.ndarray) or isinstance(expected, np.ndarray):
        return np.shape(got) == np.shape(expected) and bool(np.array_equal(got, expected))
    try:
        return bool(got == expected)
    except (TypeError, ValueError):
        return False


def _named_mistake(got_array, mistakes, rtol, atol):
    """The hint of the first ``(wrong_value, hint)`` that ``got_array`` matches, or None."""
    for wrong, hint in mistakes:
        wrong_array = np.asarray(wrong, dtype=float)
        if wrong_array.shape == got_array.shape and np.allclose(got_array, wrong_array,
                                                                 rtol=rtol, atol=atol):
            return hint
    return None


def _snapshot(value):
    """A copy of the arrays in ``value`` (nested in dicts, lists, tuples); anything else is
    not watched."""
    if isinstance(value, np.ndarray):
        return np.copy(value)
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_snapshot(v) for v in value) if type(value) in (list, tuple) \
            else _UNWATCHED
    return _UNWATCHED


def _changed(before, after):
    """Where ``after`` differs from the snapshot ``before`` (e.g. ``["W1"]``), or None."""
    if before is _UNWATCHED:
        return None
    if isinstance(before, np.ndarray):
        same = isinstance(after, np.ndarray) and _same_array(before, after)
        return None if same else ""
    if isinstance(before, dict):
        if not isinstance(after, dict) or set(before) != set(after):
            return " (its keys)"
        for key, value in before.items():
            where = _changed(value, after[key])
            if where is not None:
                return f"[{key!r}]{where}"
        return None
    if not isinstance(after, (list, tuple)) or len(before) != len(after):
        return " (its length)"
    for index, (value, later) in enumerate(zip(before, after, strict=True)):
        where = _changed(value, later)
        if where is not None:
            return f"[{index}]{where}"
    return None


def _same_array(before, after):
    """Elementwise equality that treats NaN as equal to NaN (for the arrays that have NaN)."""
    inexact = np.issubdtype(before.dtype, np.inexact)
    return np.array_equal(before, after, equal_nan=inexact)
