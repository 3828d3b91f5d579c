"""The check harness: pass lines, failure messages, rounding."""

import numpy as np
import pytest

from utils.checks.harness import Checker, CheckFailure, rounded
from utils.checks.oracles import numeric_gradient, relative_difference


def test_passing_checks_print_one_line(capsys):
    check = Checker("sigmoid")
    check.array(np.zeros((2, 1)), (2, 1), "sigmoid(x)")
    check.close([0.5, 0.25], [0.5, 0.25], "sigmoid(x)")
    check.done()
    assert capsys.readouterr().out == "sigmoid: all 3 checks passed\n"


def test_failure_names_check_expected_got_and_hint():
    check = Checker("softmax")
    with pytest.raises(CheckFailure) as info:
        check.close([0.2, 0.8], [0.5, 0.5], "softmax([[1, 1]])", hint="normalise each row")
    message = str(info.value)
    assert "softmax: value of softmax([[1, 1]])" in message
    assert "expected: [0.5, 0.5]" in message and "got:      [0.2, 0.8]" in message
    assert "hint: normalise each row" in message
    assert isinstance(info.value, AssertionError)


def test_shape_is_checked_before_values():
    check = Checker("image2vector")
    with pytest.raises(CheckFailure, match=r"shape of v\n  expected: \(6, 1\)\n  got:      \(6,\)"):
        check.array(np.zeros(6), (6, 1), "v")
    with pytest.raises(CheckFailure, match="type of v"):
        check.array([0.0] * 6, (6, 1), "v")
    with pytest.raises(CheckFailure, match="shape of w"):
        check.close(np.zeros(3), np.zeros((3, 1)), "w")


def test_call_detects_inputs_changed_in_place():
    def normalise_in_place(x):
        x /= 2
        return x

    with pytest.raises(CheckFailure, match="argument 1 was changed in place"):
        Checker("f").call(normalise_in_place, np.ones(3))
    assert Checker("f").call(lambda x: x / 2, np.ones(3)).tolist() == [0.5, 0.5, 0.5]


def test_call_accepts_string_and_nan_inputs():
    def upper_in_place(words):
        words[0] = words[0].upper()
        return words

    words = np.array(["never", "mind"])
    assert Checker("f").call(lambda w: np.char.upper(w), words).tolist() == ["NEVER", "MIND"]
    with pytest.raises(CheckFailure, match="argument 1 was changed in place"):
        Checker("f").call(upper_in_place, words)
    assert np.isnan(Checker("f").call(lambda x: x * 2, np.array([np.nan]))).all()


def test_call_or_fail_turns_lookup_and_shape_errors_into_failures():
    check = Checker("update")
    assert check.call_or_fail(lambda d, key: d[key], {"W1": 2}, key="W1", hint="h") == 2
    for error in (KeyError("W2"), IndexError("index 3"), ValueError("shapes"), TypeError("args")):
        def broken(*args, error=error):
            raise error

        with pytest.raises(CheckFailure) as info:
            check.call_or_fail(broken, np.ones(2), hint="use the keys W1, b1")
        message = str(info.value)
        assert f"update: calling the function raised {type(error).__name__}: " in message
        assert "expected: no error" in message and "hint: use the keys W1, b1" in message
    with pytest.raises(CheckFailure, match="argument 1 was changed in place"):
        check.call_or_fail(lambda x: x.fill(0), np.ones(2), hint="h")


def test_call_or_fail_lets_other_errors_through():
    def blank(*args):
        raise NotImplementedError("write it")

    with pytest.raises(NotImplementedError):
        Checker("f").call_or_fail(blank, 1, hint="h")
    with pytest.raises(ZeroDivisionError):
        Checker("f").call_or_fail(lambda x: 1 / x, 0, hint="h")


def test_expect_value_error():
    def strict(rate, tol=0.0):
        if not 0 <= rate <= 1 or tol < 0:
            raise ValueError("out of range")
        return rate

    check = Checker("rate")
    check.expect_value_error(strict, (1.5,), "rate(1.5) must raise ValueError", "hint")
    check.expect_value_error(strict, (0.5,), "a negative tol", "hint", {"tol": -1.0})
    assert check.passed == 2
    with pytest.raises(CheckFailure) as info:
        check.expect_value_error(strict, (0.5,), "rate(0.5) must raise", "raise it")
    assert "got:      no error (returned 0.5)" in str(info.value)
    assert "hint: raise it" in str(info.value)
    with pytest.raises(CheckFailure, match="got:      KeyError: 'x'"):
        check.expect_value_error(lambda: {}["x"], (), "lookup", "hint")
    with pytest.raises(CheckFailure) as info:
        check.expect_value_error(lambda: "x" * 1000, (), "long", "hint")
    assert "x" * 400 not in str(info.value)  # a long returned value is cut short

    def blank(*args):
        raise NotImplementedError("write it")

    with pytest.raises(NotImplementedError):  # a blank exercise is not a failed check
        check.expect_value_error(blank, (), "blank", "hint")


def test_number_keys_equal_and_that():
    check = Checker("cost")
    check.number(0.5, "cost")
    check.number(np.float64(0.5), "cost")
    with pytest.raises(CheckFailure, match="a real number"):
        check.number(np.array([0.5]), "cost")
    check.keys({"dw": 1, "db": 2}, ["db", "dw"], "grads")
    with pytest.raises(CheckFailure, match="keys of grads"):
        check.keys({"dw": 1}, ["db", "dw"], "grads")
    with pytest.raises(CheckFailure, match="value of labels"):
        check.equal(np.array([[0, 1]]), np.array([[1, 1]]), "labels")
    with pytest.raises(CheckFailure, match="custom"):
        check.that(False, "custom", "yes", "no")


def test_rounded_uses_significant_digits():
    assert rounded(3.14159265) == "3.1416"
    assert rounded(-0.0) == "0.0"
    assert rounded(np.array([[1.0, 2.123456]])) == "[[1.0, 2.1235]]"
    assert rounded(123456.0) == "1.2346e+05"
    assert rounded({"dw": np.array([0.5])}) == "{'dw': [0.5]}"
    assert rounded(np.array([1, 2])) == "[1, 2]"


def test_numeric_gradient_matches_analytic_gradient():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = numeric_gradient(lambda v: float(np.sum(v**3)), x)
    assert relative_difference(grad, 3 * x**2) < 1e-8
    assert x[0, 0] == 1.0  # the input is not modified
    assert relative_difference(np.zeros(2), np.zeros(2)) == 0.0
