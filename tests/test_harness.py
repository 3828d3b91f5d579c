"""The check harness: pass lines, failure messages, rounding."""

import numpy as np
import pytest

from utils.checks.harness import Checker, CheckFailure, rounded, shared
from utils.checks.oracles import numeric_gradient, relative_difference


def test_passing_checks_print_one_line(capsys):
    check = Checker("sigmoid")
    check.array("sigmoid(x)", np.zeros((2, 1)), (2, 1))
    check.close("sigmoid(x)", [0.5, 0.25], [0.5, 0.25])
    check.done()
    assert capsys.readouterr().out == "sigmoid: all 3 checks passed\n"


def test_failure_names_check_expected_got_and_hint():
    check = Checker("softmax")
    with pytest.raises(CheckFailure) as info:
        check.close("softmax([[1, 1]])", [0.2, 0.8], [0.5, 0.5], hint="normalise each row")
    message = str(info.value)
    assert "softmax: value of softmax([[1, 1]])" in message
    assert "expected: [0.5, 0.5]" in message and "got:      [0.2, 0.8]" in message
    assert "hint: normalise each row" in message
    assert isinstance(info.value, AssertionError)


def test_shape_is_checked_before_values():
    check = Checker("image2vector")
    with pytest.raises(CheckFailure, match=r"shape of v\n  expected: \(6, 1\)\n  got:      \(6,\)"):
        check.array("v", np.zeros(6), (6, 1))
    with pytest.raises(CheckFailure, match="type of v"):
        check.array("v", [0.0] * 6, (6, 1))
    with pytest.raises(CheckFailure, match="shape of w"):
        check.close("w", np.zeros(3), np.zeros((3, 1)))


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


def test_call_or_fail_turns_lookup_shape_and_division_errors_into_failures():
    check = Checker("update")
    assert check.call_or_fail(lambda d, key: d[key], {"W1": 2}, key="W1", hint="h") == 2
    for error in (KeyError("W2"), IndexError("index 3"), ValueError("shapes"), TypeError("args"),
                  ZeroDivisionError("division by zero")):
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
    with pytest.raises(AttributeError):
        Checker("f").call_or_fail(lambda x: x.no_such_thing, 0, hint="h")


def test_expect_value_error():
    def strict(rate, tol=0.0):
        if not 0 <= rate <= 1 or tol < 0:
            raise ValueError("out of range")
        return rate

    check = Checker("rate")
    check.expect_value_error("rate(1.5) must raise ValueError", strict, (1.5,), hint="hint")
    check.expect_value_error("a negative tol", strict, (0.5,), hint="hint", kwargs={"tol": -1.0})
    assert check.passed == 2
    with pytest.raises(CheckFailure) as info:
        check.expect_value_error("rate(0.5) must raise", strict, (0.5,), hint="raise it")
    assert "got:      no error (returned 0.5)" in str(info.value)
    assert "hint: raise it" in str(info.value)
    with pytest.raises(CheckFailure, match="got:      KeyError: 'x'"):
        check.expect_value_error("lookup", lambda: {}["x"], (), hint="hint")
    with pytest.raises(CheckFailure) as info:
        check.expect_value_error("long", lambda: "x" * 1000, (), hint="hint")
    assert "x" * 400 not in str(info.value)  # a long returned value is cut short

    def blank(*args):
        raise NotImplementedError("write it")

    with pytest.raises(NotImplementedError):  # a blank exercise is not a failed check
        check.expect_value_error("blank", blank, (), hint="hint")


def test_number_keys_equal_and_that():
    check = Checker("cost")
    check.number("cost", 0.5)
    check.number("cost", np.float64(0.5))
    with pytest.raises(CheckFailure, match="a real number"):
        check.number("cost", np.array([0.5]))
    check.keys("grads", {"dw": 1, "db": 2}, ["db", "dw"])
    with pytest.raises(CheckFailure, match="keys of grads"):
        check.keys("grads", {"dw": 1}, ["db", "dw"])
    with pytest.raises(CheckFailure, match="value of labels"):
        check.equal("labels", np.array([[0, 1]]), np.array([[1, 1]]))
    with pytest.raises(CheckFailure, match="custom"):
        check.that("custom", False, "no", "yes")


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


def test_call_protects_dicts_nested_arrays_and_keyword_arguments():
    def assign_key(parameters):
        parameters["W1"] = parameters["W1"] - 1
        return parameters

    def shrink_nested(parameters, *, grads):
        grads["layers"][1] *= 0
        return parameters

    with pytest.raises(CheckFailure, match=r"argument 1\['W1'\] was changed in place"):
        Checker("f").call(assign_key, {"W1": np.ones(2)})
    with pytest.raises(CheckFailure, match=r"keyword argument grads\['layers'\]\[1\] was changed"):
        Checker("f").call(shrink_nested, {}, grads={"layers": [np.ones(1), np.ones(2)]})
    with pytest.raises(CheckFailure, match=r"argument 1 \(its keys\) was changed"):
        Checker("f").call(lambda d: d.pop("b"), {"b": 1, "W": np.ones(1)})
    assert Checker("f").call(lambda d: {k: v * 2 for k, v in d.items()},
                             {"W1": np.ones(2)})["W1"].tolist() == [2.0, 2.0]


def test_shared_arguments_may_change_and_the_in_place_hint_is_the_checks_own():
    running = {"mean": np.zeros(2)}

    def update_running(stats):
        stats["mean"] += 1
        return stats

    Checker("bn").call(update_running, shared(running))
    assert running["mean"].tolist() == [1.0, 1.0]
    check = Checker("update_parameters", in_place_hint="start from copy.deepcopy(params)")
    with pytest.raises(CheckFailure, match="hint: start from copy.deepcopy"):
        check.call(update_running, running)


def test_mistakes_name_a_known_wrong_answer():
    check = Checker("sigmoid")
    mistakes = [([0.5, 0.119], "use exp(-z)"), ([0.0, 0.0], "you returned zeros")]
    with pytest.raises(CheckFailure, match="hint: use exp"):
        check.close("sigmoid(z)", [0.5, 0.1192], [0.5, 0.881], rtol=1e-2, hint="general",
                    mistakes=mistakes)
    with pytest.raises(CheckFailure, match="hint: general"):
        check.close("sigmoid(z)", [0.5, 0.3], [0.5, 0.881], hint="general", mistakes=mistakes)
    with pytest.raises(CheckFailure, match="hint: count the ends"):
        check.equal("n", 5, 6, hint="general", mistakes=[(5, "count the ends")])
    check.close("sigmoid(z)", [0.5, 0.881], [0.5, 0.881], mistakes=mistakes)
    assert check.passed == 1


def test_done_without_any_check_is_a_bug():
    with pytest.raises(CheckFailure, match="no check ran"):
        Checker("empty").done()
