"""The week-1 gradient-checking checks pass correct functions and catch typical mistakes.

gradient_check and gradient_check_n look up their cost by name (forward_propagation,
backward_propagation, forward_propagation_n), so the functions below live in this module's
namespace, like a notebook's; the checks swap their own cost in under those names.
"""

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented, mistake_is_caught
from utils.checks import c2w1_gradient_checking as check
from utils.models.param_vectors import (
    gradients_to_vector,
    parameters_to_vector,
    vector_to_parameters,
)


def forward_propagation(x, theta):
    return theta * x


def backward_propagation(x, theta):
    return x


def forward_propagation_n(X, Y, parameters):  # the checks always replace it
    raise AssertionError("the check should have swapped in its own cost")


def _report(difference, print_msg):
    if print_msg:
        if difference > 2e-7:
            print(f"There is a mistake in the backward pass: difference = {difference:.1e}")
        else:
            print(f"The backward pass looks right: difference = {difference:.1e}")


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    J_plus = forward_propagation(x, theta + epsilon)
    J_minus = forward_propagation(x, theta - epsilon)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    difference = abs(grad - gradapprox) / (abs(grad) + abs(gradapprox))
    _report(difference, print_msg)
    return difference


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    theta = parameters_to_vector(parameters)
    grad = gradients_to_vector(gradients, parameters)
    gradapprox = np.zeros_like(theta)
    for i in range(theta.shape[0]):
        theta_plus = np.copy(theta)
        theta_plus[i] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_parameters(theta_plus, parameters))
        theta_minus = np.copy(theta)
        theta_minus[i] -= epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_parameters(theta_minus, parameters))
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    difference = np.linalg.norm(grad - gradapprox) / (
        np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    _report(difference, print_msg)
    return difference


def test_reference_passes(capsys):
    check.forward_propagation(forward_propagation)
    check.backward_propagation(backward_propagation)
    check.gradient_check(gradient_check)
    check.gradient_check_n(gradient_check_n)
    out = capsys.readouterr().out
    assert out.count("passed") == 4
    # the module's own functions are back in place after the swaps
    assert globals()["forward_propagation"] is forward_propagation
    assert globals()["backward_propagation"] is backward_propagation
    assert "mistake" not in out.lower()


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, ["forward_propagation", "backward_propagation",
                                         "gradient_check", "gradient_check_n"])
    assert globals()["forward_propagation"] is forward_propagation


# ----------------------------------------------------------------------------------------
# typical mistakes, each with a word the failure message must contain


def gc_one_sided(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta)) / epsilon
    grad = backward_propagation(x, theta)
    difference = abs(grad - gradapprox) / (abs(grad) + abs(gradapprox))
    _report(difference, print_msg)
    return difference


def gc_not_doubled(x, theta, epsilon=1e-7, print_msg=False):
    J_plus = forward_propagation(x, theta + epsilon)
    J_minus = forward_propagation(x, theta - epsilon)
    gradapprox = (J_plus - J_minus) / epsilon
    grad = backward_propagation(x, theta)
    difference = abs(grad - gradapprox) / (abs(grad) + abs(gradapprox))
    _report(difference, print_msg)
    return difference


def gc_no_denominator(x, theta, epsilon=1e-7, print_msg=False):
    J_plus = forward_propagation(x, theta + epsilon)
    J_minus = forward_propagation(x, theta - epsilon)
    difference = abs(backward_propagation(x, theta) - (J_plus - J_minus) / (2 * epsilon))
    _report(difference, print_msg)
    return difference


def gc_inline_cost(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = ((theta + epsilon) * x - (theta - epsilon) * x) / (2 * epsilon)
    grad = x
    difference = abs(grad - gradapprox) / (abs(grad) + abs(gradapprox))
    _report(difference, print_msg)
    return difference


def _gc_variant(mistake):
    """gradient_check with one typical mistake in the last steps."""

    def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
        J_plus = forward_propagation(x, theta + epsilon)
        J_minus = forward_propagation(x, theta - epsilon)
        if mistake == "precedence":
            gradapprox = (J_plus - J_minus) / 2 * epsilon
        else:
            gradapprox = (J_plus - J_minus) / (2 * epsilon)
        grad = backward_propagation(x, theta)
        numerator = abs(grad - gradapprox)
        denominator = abs(grad) + abs(gradapprox)
        if mistake == "signed":
            numerator = grad - gradapprox
        elif mistake == "sum_inside":
            denominator = abs(grad + gradapprox)
        elif mistake == "sizes_subtracted":
            numerator = abs(abs(grad) - abs(gradapprox))
        difference = numerator / denominator
        _report(difference, print_msg)
        return difference

    return gradient_check


def forward_sum(x, theta):
    return theta + x


def backward_theta(x, theta):
    return theta


def _n_variant(mistake):
    """gradient_check_n with one typical mistake."""

    def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
        theta = parameters_to_vector(parameters)
        grad = gradients_to_vector(gradients, parameters)
        gradapprox = np.zeros_like(theta)
        theta_plus = np.copy(theta)
        for i in range(theta.shape[0]):
            if mistake == "alias":
                theta_plus = theta  # no copy: every nudge stays in theta
            elif mistake != "accumulate":
                theta_plus = np.copy(theta)
            theta_plus[i] += epsilon
            J_plus, _ = forward_propagation_n(X, Y, vector_to_parameters(theta_plus, parameters))
            if mistake == "one_sided":
                J_minus, _ = forward_propagation_n(X, Y, parameters)
                gradapprox[i] = (J_plus - J_minus) / epsilon
                continue
            theta_minus = np.copy(theta)
            theta_minus[i] -= epsilon
            J_minus, _ = forward_propagation_n(X, Y, vector_to_parameters(theta_minus, parameters))
            if mistake == "precedence":
                gradapprox[i] = (J_plus - J_minus) / 2 * epsilon
            else:
                divisor = epsilon if mistake == "not_doubled" else 2 * epsilon
                gradapprox[i] = (J_plus - J_minus) / divisor
        numerator = np.linalg.norm(grad - gradapprox)
        denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
        if mistake == "no_denominator":
            return numerator
        if mistake == "sizes_subtracted":
            numerator = np.linalg.norm(grad) - np.linalg.norm(gradapprox)
        elif mistake == "sum_inside":
            denominator = np.linalg.norm(grad + gradapprox)
        elif mistake == "l1":
            numerator = np.sum(np.abs(grad - gradapprox))
            denominator = np.sum(np.abs(grad)) + np.sum(np.abs(gradapprox))
        return numerator / denominator

    return gradient_check_n


def gcn_in_place(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """Nudges the caller's arrays and forgets to put them back."""
    grad = gradients_to_vector(gradients, parameters)
    approx = []
    for key in sorted(parameters):
        for index in np.ndindex(parameters[key].shape):
            parameters[key][index] += epsilon
            J_plus, _ = forward_propagation_n(X, Y, parameters)
            parameters[key][index] -= 2 * epsilon
            J_minus, _ = forward_propagation_n(X, Y, parameters)
            approx.append((J_plus - J_minus) / (2 * epsilon))
    approx = np.array(approx).reshape(-1, 1)
    return np.linalg.norm(grad - approx) / (np.linalg.norm(grad) + np.linalg.norm(approx))


def gcn_vector_argument(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    theta = parameters_to_vector(parameters)
    J, _ = forward_propagation_n(X, Y, theta + epsilon)
    return float(J)


@pytest.mark.parametrize("name, wrong, words", [
    ("forward_propagation", forward_sum, "product"),
    ("forward_propagation", lambda x, theta: theta, "theta * x"),
    ("backward_propagation", backward_theta, "returned theta"),
    ("backward_propagation", lambda x, theta: theta * x, "dJ/dtheta = x"),
    ("gradient_check", gc_one_sided, "one-sided"),
    ("gradient_check", gc_not_doubled, "2 * epsilon"),
    ("gradient_check", gc_no_denominator, "relative"),
    ("gradient_check", gc_inline_cost, "forward_propagation"),
    ("gradient_check", _gc_variant("precedence"), "with the brackets"),
    ("gradient_check", _gc_variant("signed"), "never negative"),
    ("gradient_check", _gc_variant("sum_inside"), "not ||grad + gradapprox||"),
    ("gradient_check", _gc_variant("sizes_subtracted"), "the size of the difference"),
    ("gradient_check_n", _n_variant("precedence"), "with the brackets"),
    ("gradient_check_n", _n_variant("sizes_subtracted"), "the size of the difference"),
    ("gradient_check_n", _n_variant("sum_inside"), "not ||grad + gradapprox||"),
    ("gradient_check_n", _n_variant("l1"), "Euclidean length"),
    ("gradient_check_n", _n_variant("one_sided"), "one-sided"),
    ("gradient_check_n", _n_variant("not_doubled"), "2 * epsilon"),
    ("gradient_check_n", _n_variant("no_denominator"), "relative"),
    ("gradient_check_n", _n_variant("accumulate"), "pile up"),
    ("gradient_check_n", _n_variant("alias"), "copy"),
    ("gradient_check_n", gcn_in_place, "unchanged"),
    ("gradient_check_n", gcn_vector_argument, "vector_to_parameters"),
])
def test_typical_mistakes_fail_with_a_useful_message(name, wrong, words):
    mistake_is_caught(check, name, wrong, words)
    assert globals()["forward_propagation"] is forward_propagation
