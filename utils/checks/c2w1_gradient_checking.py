"""Checks for Course 2, week 1: gradient checking.

Oracles: values worked out by hand for J = theta * x, and closed forms of the finite
differences of a cubic cost, whose two-sided difference is exactly
``((t + e)**3 - (t - e)**3) / (2 e) = 3 t**2 + e**2``. With a fairly large epsilon (0.01)
that ``e**2`` leaves a small, known fingerprint, so the relative difference a correct
gradient check must return is a number computed here by hand, and the typical mistakes
(one-sided difference, epsilon not doubled, no denominator) give other, recognisable
numbers.

How a gradient check is tested on its own
------------------------------------------
``gradient_check`` and ``gradient_check_n`` do not receive the cost they differentiate:
as in the course, they call ``forward_propagation`` / ``backward_propagation`` and
``forward_propagation_n`` by name. So the checks put their own cubic cost (and backward
pass) under those names, in the namespace the learner's function reads its globals from
(``fn.__globals__``, the notebook), call the function, and put the notebook's own
functions back afterwards, also when the check fails. The learner's function is then
judged alone: a bug in the notebook's backward pass cannot make it fail, and its own
mistakes cannot hide behind a linear cost whose one-sided and two-sided differences agree.
The swapped-in cost also records every point it is evaluated at, which is how the check
sees that each evaluation nudges exactly one number by +epsilon or -epsilon.
"""

import contextlib
import io

import numpy as np

from utils.checks.harness import Checker, rounded

_MISSING = object()


@contextlib.contextmanager
def _names_swapped(check, fn, replacements):
    """Temporarily bind ``replacements`` in the global namespace of ``fn``."""
    namespace = getattr(fn, "__globals__", None)
    if not isinstance(namespace, dict):
        check.fail("finding the function's global namespace", type(fn).__name__,
                   "a function defined with def",
                   hint="pass the function itself (defined with def in the notebook), not a "
                        "wrapper.")
    saved = {name: namespace.get(name, _MISSING) for name in replacements}
    namespace.update(replacements)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is _MISSING:
                namespace.pop(name, None)
            else:
                namespace[name] = value


def _captured(call):
    """Run ``call()`` and return (its result, what it printed)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        result = call()
    return result, buffer.getvalue()


def _rel(a, b):
    a, b = np.ravel(np.asarray(a, float)), np.ravel(np.asarray(b, float))
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


_NO_DENOMINATOR = ("this is the size of the difference alone: divide it by "
                   "||grad|| + ||gradapprox|| to make it relative.")
_ONE_DENOMINATOR = ("divide by the sum of both norms, ||grad|| + ||gradapprox||, not by one "
                    "of them.")
_NOT_DOUBLED = ("your gradapprox is twice too large: J(theta + epsilon) and "
                "J(theta - epsilon) are 2 * epsilon apart, so divide by 2 * epsilon.")
_ONE_SIDED = ("this is what a one-sided difference (J(theta + epsilon) - J(theta)) / epsilon "
              "gives: use the two-sided (J(theta + epsilon) - J(theta - epsilon)) / "
              "(2 * epsilon), whose error is much smaller.")
_PRECEDENCE = ("(J_plus - J_minus) / 2 * epsilon multiplies by epsilon: Python reads it as "
               "((J_plus - J_minus) / 2) * epsilon. Write / (2 * epsilon), with the brackets.")
_SIGNED = ("take the size of grad - gradapprox (abs, or np.linalg.norm), so that the "
           "difference is never negative.")
_SUM_INSIDE = ("the denominator is ||grad|| + ||gradapprox||, the sum of the two sizes, not "
               "||grad + gradapprox||, the size of the sum (which is tiny when they point in "
               "opposite directions).")
_SIZES_SUBTRACTED = ("the numerator is ||grad - gradapprox||, the size of the difference, not "
                     "| ||grad|| - ||gradapprox|| |: two gradients of the same size but opposite "
                     "directions would look equal.")
_L1 = ("use np.linalg.norm (the Euclidean length), not the sum of absolute values.")


# ----------------------------------------------------------------------------------------
# the 1-D warm-up


def forward_propagation(fn):
    """Check J = theta * x on a few hand-computed pairs."""
    check = Checker("forward_propagation")
    J = check.call(fn, 3.0, 4.0)
    check.number("forward_propagation(3.0, 4.0)", J)
    check.close("forward_propagation(x=3.0, theta=4.0)", J, 12.0,
                hint="the cost of this toy model is J = theta * x (a product, not a sum).")
    for x, theta, expected in ((-2.0, 0.5, -1.0), (0.25, -8.0, -2.0)):
        got = check.call(fn, x, theta)
        check.close(f"forward_propagation(x={x}, theta={theta})", got, expected,
                    hint="J = theta * x.")
        print(f"J(x={x}, theta={theta}) = {rounded(float(got))}")
    check.done()


def backward_propagation(fn):
    """Check dJ/dtheta = x on hand-computed pairs (theta must not matter)."""
    check = Checker("backward_propagation")
    dtheta = check.call(fn, 3.0, 4.0)
    check.number("backward_propagation(3.0, 4.0)", dtheta)
    hint = ("J = theta * x changes by x for every unit of theta, so dJ/dtheta = x "
            "(whatever theta is).")
    returned_theta = ("you returned theta: the derivative of theta * x with respect to theta "
                      "is x.")
    check.close("backward_propagation(x=3.0, theta=4.0)", dtheta, 3.0, hint=hint,
                mistakes=[(4.0, returned_theta)])
    for x, theta in ((-2.0, 0.5), (0.25, -8.0)):
        got = check.call(fn, x, theta)
        check.close(f"backward_propagation(x={x}, theta={theta})", got, x, hint=hint,
                    mistakes=[(theta, returned_theta)])
        print(f"dtheta(x={x}, theta={theta}) = {rounded(float(got))}")
    check.done()


def _cubic_1d(check, slope):
    """forward J = x * theta**3 and a backward slope(x, theta), both recording their calls."""
    calls = {"forward": [], "backward": []}

    def forward(x, theta):
        calls["forward"].append((float(np.squeeze(x)), float(np.squeeze(theta))))
        return x * theta ** 3

    def backward(x, theta):
        calls["backward"].append((float(np.squeeze(x)), float(np.squeeze(theta))))
        return slope(x, theta)

    return forward, backward, calls


def _check_1d_calls(check, calls, x, theta, epsilon):
    """Each forward evaluation at theta + epsilon or theta - epsilon; backward at theta."""
    where = f"gradient_check(x={x}, theta={theta}, epsilon={epsilon})"
    check.that(f"{where} calls forward_propagation", len(calls["forward"]) > 0, "no call",
               "at least 2 calls",
               hint="compute J_plus and J_minus with forward_propagation(x, theta_plus) and "
                    "forward_propagation(x, theta_minus) (the check swaps in its own cost under "
                    "that name, so do not write theta * x inline).")
    check.that(f"{where}: the x passed to forward_propagation",
               all(np.isclose(cx, x) for cx, _ in calls["forward"]),
               [cx for cx, _ in calls["forward"]], f"x = {x} every time",
               hint="pass x unchanged; only theta is nudged.")
    thetas = [t for _, t in calls["forward"]]
    plus = any(np.isclose(t, theta + epsilon, rtol=0, atol=epsilon * 1e-3) for t in thetas)
    minus = any(np.isclose(t, theta - epsilon, rtol=0, atol=epsilon * 1e-3) for t in thetas)
    hint = ("evaluate the cost at theta_plus = theta + epsilon and at theta_minus = "
            "theta - epsilon.")
    if plus and not minus:
        hint = _ONE_SIDED
    check.that(f"{where}: the thetas given to forward_propagation", plus and minus,
               ", ".join(f"{t:.6g}" for t in thetas),
               f"{theta + epsilon:.6g} and {theta - epsilon:.6g}", hint=hint)
    backward_at_theta = len(calls["backward"]) > 0 and all(
        np.isclose(t, theta) for _, t in calls["backward"])
    check.that(f"{where} calls backward_propagation(x, theta)", backward_at_theta,
               ", ".join(f"{t:.6g}" for _, t in calls["backward"]) or "no call",
               f"a call at theta = {theta}",
               hint="grad = backward_propagation(x, theta), at the unperturbed theta.")


def gradient_check(fn):
    """Check gradient_check on a swapped-in cubic cost J = x * theta**3 (see module doc)."""
    check = Checker("gradient_check")
    x, theta, epsilon = 2.0, 1.5, 1e-2
    forward, backward, calls = _cubic_1d(check, lambda x, t: 3 * x * t ** 2)
    replacements = {"forward_propagation": forward, "backward_propagation": backward}
    with _names_swapped(check, fn, replacements):
        got = check.call(fn, x, theta, epsilon=epsilon)
    what = f"gradient_check(x={x}, theta={theta}, epsilon={epsilon}) with J = x * theta**3"
    check.number(what, got, hint="return the relative difference as a single number.")
    _check_1d_calls(check, calls, x, theta, epsilon)
    grad = 3 * x * theta ** 2                                   # 13.5
    two_sided = x * (3 * theta ** 2 + epsilon ** 2)             # 13.5002
    one_sided = x * (3 * theta ** 2 + 3 * theta * epsilon + epsilon ** 2)
    expected = abs(grad - two_sided) / (abs(grad) + abs(two_sided))   # 0.0002 / 27.0002
    precedence = epsilon ** 2 * two_sided     # ((J_plus - J_minus) / 2) * epsilon
    candidates = [
        (abs(grad - two_sided), _NO_DENOMINATOR),
        (abs(grad - two_sided) / abs(grad), _ONE_DENOMINATOR),
        (abs(grad - 2 * two_sided) / (grad + 2 * two_sided), _NOT_DOUBLED),
        (abs(grad - one_sided) / (grad + one_sided), _ONE_SIDED),
        (abs(grad - precedence) / (grad + precedence), _PRECEDENCE),
        ((grad - two_sided) / (grad + two_sided), _SIGNED),
    ]
    check.close(what, got, expected, rtol=1e-4, atol=0.0,
                hint="difference = |grad - gradapprox| / (|grad| + |gradapprox|), with "
                     "gradapprox = (J_plus - J_minus) / (2 * epsilon).",
                mistakes=candidates)
    print(f"J = x * theta**3 at x = {x}, theta = {theta}, epsilon = {epsilon}: "
          f"difference {rounded(float(got), 4)}")

    # a backward pass that is wrong on purpose (2 x theta**2 instead of 3 x theta**2)
    forward, backward, calls = _cubic_1d(check, lambda x, t: 2 * x * t ** 2)
    replacements = {"forward_propagation": forward, "backward_propagation": backward}
    with _names_swapped(check, fn, replacements):
        got, printed = _captured(lambda: fn(x, theta, epsilon=epsilon, print_msg=True))
    wrong = 2 * x * theta ** 2                                   # 9.0
    expected = abs(wrong - two_sided) / (wrong + two_sided)     # about 0.2
    check.close(f"{what}, and a wrong backward pass 2 * x * theta**2", got, expected, rtol=1e-4,
                atol=0.0, hint="compare grad from backward_propagation with gradapprox.")
    check.that("the message with print_msg=True for a wrong backward pass",
               "mistake" in printed.lower(), repr(printed.strip()),
               "a message saying there is a mistake",
               hint="keep the given print_msg block at the end of the function.")
    print(f"a wrong backward pass (2 * x * theta**2): difference {rounded(float(got), 4)}")

    # a backward pass of the wrong sign: the gradients point in opposite directions, which
    # the relative difference must rate as far apart as can be (exactly 1)
    forward, backward, calls = _cubic_1d(check, lambda x, t: -3 * x * t ** 2)
    replacements = {"forward_propagation": forward, "backward_propagation": backward}
    with _names_swapped(check, fn, replacements):
        got = check.call(fn, x, theta, epsilon=epsilon)
    flipped = -grad
    check.close(f"{what}, and a backward pass of the wrong sign -3 * x * theta**2", got,
                abs(flipped - two_sided) / (abs(flipped) + abs(two_sided)), rtol=1e-6,
                atol=0.0,
                hint="difference = |grad - gradapprox| / (|grad| + |gradapprox|): for gradients "
                     "of opposite signs it is 1.",
                mistakes=[(abs(flipped - two_sided) / abs(flipped + two_sided), _SUM_INSIDE),
                          (abs(abs(flipped) - abs(two_sided)) / (abs(flipped) + abs(two_sided)),
                           _SIZES_SUBTRACTED)])
    print("a backward pass of the wrong sign (-3 * x * theta**2): difference "
          f"{rounded(float(got), 4)}")

    # the default epsilon and the right backward pass: rounding error only
    forward, backward, calls = _cubic_1d(check, lambda x, t: 3 * x * t ** 2)
    replacements = {"forward_propagation": forward, "backward_propagation": backward}
    with _names_swapped(check, fn, replacements):
        got, printed = _captured(lambda: fn(x, theta, print_msg=True))
    check.that(f"gradient_check(x={x}, theta={theta}) with the default "
"epsilon and the right backward pass",
               float(got) < 1e-7, rounded(float(got), 3), "a difference below 1e-7",
               hint="keep the default epsilon=1e-7 and the two-sided "
"difference.")
    check.that("the message with print_msg=True for a right "
"backward pass",
               "mistake" not in printed.lower(), repr(printed.strip()), "no mistake reported",
               hint="report a mistake only when the difference is above 2e-7.")
    print("default epsilon 1e-7 and the right backward pass: difference below 1e-7")
    check.done()


# ----------------------------------------------------------------------------------------
# many parameters


_SHAPES = {"W1": (2, 3), "b1": (2, 1), "W2": (1, 2), "b2": (1, 1)}


def _cubic_network():
    """Parameters, per-number coefficients a, X and Y for the cost sum(a * theta**3)."""
    rng = np.random.default_rng(2024)
    parameters, coefficients = {}, {}
    for key, shape in _SHAPES.items():
        parameters[key] = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
        coefficients[key] = rng.uniform(0.5, 2.0, shape)
    X = rng.standard_normal((3, 4))
    Y = np.array([[1.0, 0.0, 0.0, 1.0]])
    return parameters, coefficients, X, Y


def _cubic_cost_n(check, coefficients, X, Y):
    """forward_propagation_n(X, Y, parameters) for sum(a * theta**3), recording each point."""
    points = []

    def forward_propagation_n(X_in, Y_in, parameters):
        if X_in is not X or Y_in is not Y:
            check.fail("the arguments given to forward_propagation_n", "other arguments",
                       "forward_propagation_n(X, Y, parameters) with the X and Y you received",
                       hint="pass X, Y and a dictionary of parameters, in that order.")
        ok = isinstance(parameters, dict) and sorted(parameters) == sorted(_SHAPES) and all(
            np.shape(parameters[key]) == shape for key, shape in _SHAPES.items())
        if not ok:
            check.fail("the parameters given to forward_propagation_n",
                       type(parameters).__name__ if not isinstance(parameters, dict)
                       else {k: np.shape(v) for k, v in parameters.items()},
                       "a dict " + ", ".join(f"{k}: {s}" for k, s in _SHAPES.items()),
                       hint="turn the nudged vector back into a dictionary with "
                            "vector_to_parameters(theta_plus, parameters).")
        points.append({key: np.array(value, dtype=float) for key, value in parameters.items()})
        cost = sum(float(np.sum(coefficients[key] * parameters[key] ** 3)) for key in _SHAPES)
        return cost, ("cubic test cost", X_in.shape)

    return forward_propagation_n, points


def _gradients(parameters, coefficients, X, changes=None):
    """The exact gradients 3 a theta**2, with extra entries and backward-pass key order."""
    changes = changes or {}
    gradients = {"dZ2": np.ones((1, X.shape[1]))}
    for layer in (2, 1):
        for name in (f"W{layer}", f"b{layer}"):
            grad = 3 * coefficients[name] * parameters[name] ** 2
            gradients["d" + name] = changes.get(name, lambda g: g)(grad)
        gradients[f"dA{layer - 1}"] = np.full((3 if layer == 1 else 2, X.shape[1]), 0.5)
    return gradients


def _norm(arrays):
    return float(np.sqrt(sum(np.sum(np.asarray(a) ** 2) for a in arrays)))


def _relative(grad, approx):
    """||g - a|| / (||g|| + ||a||) over dicts keyed like _SHAPES (independent of any order)."""
    keys = list(_SHAPES)
    numerator = _norm([grad[k] - approx[k] for k in keys])
    return numerator / (_norm([grad[k] for k in keys]) + _norm([approx[k] for k in keys]))


def _classify_points(points, centre, epsilon):
    """Counts of evaluations at centre +/- epsilon along one axis, at centre, and others."""
    counts = {"plus": 0, "minus": 0, "centre": 0, "other": 0}
    for point in points:
        delta = np.concatenate([np.ravel(point[k] - centre[k]) for k in _SHAPES])
        moved = np.abs(delta) > epsilon * 1e-3
        if not moved.any():
            counts["centre"] += 1
        elif moved.sum() == 1 and np.isclose(delta[moved][0], epsilon, rtol=1e-3):
            counts["plus"] += 1
        elif moved.sum() == 1 and np.isclose(delta[moved][0], -epsilon, rtol=1e-3):
            counts["minus"] += 1
        else:
            counts["other"] += 1
    return counts


def gradient_check_n(fn):
    """Check gradient_check_n on a swapped-in cubic cost over a 4-array network (module doc)."""
    check = Checker("gradient_check_n", in_place_hint=(
        "work on copies: theta_plus = np.copy(theta) (and the same for theta_minus) before "
        "nudging one entry; never nudge the arrays inside the dictionaries themselves."))
    parameters, coefficients, X, Y = _cubic_network()
    gradients = _gradients(parameters, coefficients, X)
    epsilon = 1e-2
    forward, points = _cubic_cost_n(check, coefficients, X, Y)
    with _names_swapped(check, fn, {"forward_propagation_n": forward}):
        got = check.call(fn, parameters, gradients, X, Y, epsilon=epsilon)
    what = (f"gradient_check_n(parameters, gradients, X, Y, epsilon={epsilon}) with the "
            "cost sum(a * theta**3)")
    check.number(what, got, hint="return the relative difference as a single number.")

    n = sum(int(np.prod(shape)) for shape in _SHAPES.values())
    counts = _classify_points(points, parameters, epsilon)
    check.that(f"{what} calls forward_propagation_n", len(points) > 0, "no call",
               f"{2 * n} calls",
               hint="evaluate J_plus[i] and J_minus[i] with forward_propagation_n(X, Y, ...) on "
                    "the dictionary made from theta_plus / theta_minus.")
    check.that(f"{what}: the points the cost was evaluated at", counts["other"] == 0,
               f"{counts['other']} of {len(points)} points differ from theta in more than one "
               "number, or by the wrong amount",
               "theta with exactly one number nudged by +epsilon or -epsilon",
               hint="start from a fresh copy for every i (theta_plus = np.copy(theta) inside "
                    "the loop) so earlier nudges do not pile up, and nudge by exactly epsilon.")
    check.that(f"{what}: the nudged points", counts["plus"] == n and counts["minus"] == n,
               f"{counts['plus']} at +epsilon, {counts['minus']} at -epsilon, "
               f"{counts['centre']} at theta itself",
               f"{n} at +epsilon and {n} at -epsilon ({n} numbers)",
               hint=_ONE_SIDED if counts["minus"] == 0 and counts["plus"] else
                    "loop over every number of theta: i in range(num_parameters).")

    exact = {k: 3 * coefficients[k] * parameters[k] ** 2 for k in _SHAPES}
    two_sided = {k: coefficients[k] * (3 * parameters[k] ** 2 + epsilon ** 2) for k in _SHAPES}
    one_sided = {k: coefficients[k] * (3 * parameters[k] ** 2 + 3 * parameters[k] * epsilon
                                       + epsilon ** 2) for k in _SHAPES}
    doubled = {k: 2 * v for k, v in two_sided.items()}
    expected = _relative(exact, two_sided)
    numerator = _norm([exact[k] - two_sided[k] for k in _SHAPES])
    precedence = {k: epsilon ** 2 * v for k, v in two_sided.items()}
    sizes = [_norm(exact.values()), _norm(two_sided.values())]
    l1 = (sum(float(np.sum(np.abs(exact[k] - two_sided[k]))) for k in _SHAPES)
          / sum(float(np.sum(np.abs(exact[k]) + np.abs(two_sided[k]))) for k in _SHAPES))
    candidates = [
        (numerator, _NO_DENOMINATOR),
        (numerator / _norm(exact.values()), _ONE_DENOMINATOR),
        (numerator / _norm(two_sided.values()), _ONE_DENOMINATOR),
        (_relative(exact, doubled), _NOT_DOUBLED),
        (_relative(exact, one_sided), _ONE_SIDED),
        (_relative(exact, precedence), _PRECEDENCE),
        ((sizes[0] - sizes[1]) / sum(sizes), _SIZES_SUBTRACTED),
        ((sizes[1] - sizes[0]) / sum(sizes), _SIZES_SUBTRACTED),
        (l1, _L1),
    ]
    check.close(what, got, expected, rtol=1e-4, atol=0.0,
                hint="difference = ||grad - gradapprox|| / (||grad|| + ||gradapprox||), "
                     "with np.linalg.norm of the whole vectors.",
                mistakes=candidates)
    print(f"{n} parameters in {', '.join(_SHAPES)}, epsilon = {epsilon}: "
          f"{len(points)} cost evaluations, each nudging one number")
    print(f"difference with the exact gradient: {rounded(float(got), 4)}")

    # gradients that are wrong on purpose: dW1 doubled, db2 with the wrong sign
    wrong = _gradients(parameters, coefficients, X,
                       {"W1": lambda g: 2 * g, "b2": lambda g: -g})
    forward, points = _cubic_cost_n(check, coefficients, X, Y)
    with _names_swapped(check, fn, {"forward_propagation_n": forward}):
        got, printed = _captured(
            lambda: fn(parameters, wrong, X, Y, epsilon=epsilon, print_msg=True))
    wrong_grad = {k: wrong["d" + k] for k in _SHAPES}
    wrong_numerator = _norm([wrong_grad[k] - two_sided[k] for k in _SHAPES])
    wrong_sizes = [_norm(wrong_grad.values()), _norm(two_sided.values())]
    check.close(f"{what}, and gradients with dW1 doubled and db2 of the wrong sign", got,
                _relative(wrong_grad, two_sided), rtol=1e-4, atol=0.0,
                hint="build grad with gradients_to_vector(gradients, parameters), so that it "
                     "lines up with theta, and compare the whole vectors.",
                mistakes=[
                    (wrong_numerator / _norm([wrong_grad[k] + two_sided[k] for k in _SHAPES]),
                     _SUM_INSIDE),
                    (abs(wrong_sizes[0] - wrong_sizes[1]) / sum(wrong_sizes),
                     _SIZES_SUBTRACTED)])
    check.that("the message with print_msg=True for wrong gradients",
               "mistake" in printed.lower(), repr(printed.strip()),
               "a message saying there is a mistake",
               hint="keep the given print_msg block at the end of the function.")
    print(f"difference with wrong gradients (dW1 doubled, db2 negated): {rounded(float(got), 4)}")

    # the default epsilon with the exact gradients
    forward, points = _cubic_cost_n(check, coefficients, X, Y)
    with _names_swapped(check, fn, {"forward_propagation_n": forward}):
        got, printed = _captured(lambda: fn(parameters, gradients, X, Y, print_msg=True))
    check.that("the default epsilon with the exact gradients", float(got) < 1e-7,
               rounded(float(got), 3), "a difference below 1e-7",
               hint="keep the default epsilon=1e-7 and the two-sided difference.")
    check.that("the message with print_msg=True for exact gradients",
               "mistake" not in printed.lower(), repr(printed.strip()), "no mistake reported",
               hint="report a mistake only when the difference is above 2e-7.")
    print("default epsilon 1e-7 and the exact gradients: difference below 1e-7")
    check.done()
