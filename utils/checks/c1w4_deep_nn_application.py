"""Checks for Course 1, week 4: training a 2-layer and an L-layer network on digits.

Both graded functions are told to seed numpy with ``np.random.seed(1)`` and then call
``utils.dnn.initialize_parameters`` (2-layer) or ``utils.dnn.initialize_parameters_deep``
(L-layer). The checks run one iteration on a tiny fixed problem and compare the returned
parameters with ``initial - learning_rate * gradient``, where the gradient is a numeric
(central-difference) gradient of a cross-entropy cost computed here with plain numpy: an
oracle that shares no code with the backward pass. A longer run on a tiny separable
problem checks that costs are recorded every 100 iterations and that they fall.
"""

import numbers

import numpy as np

from utils import dnn
from utils.checks.harness import Checker, rounded
from utils.checks.oracles import numeric_gradient

SEED = 1
ONE_STEP_RATE = 0.3  # far from the default 0.0075, so an ignored learning_rate shows
DEFAULT_RATE = 0.0075

# A tiny fixed problem for the one-step check: 4 features, 6 examples.
X_STEP = np.array(
    [
        [0.9, -0.4, 0.3, 1.2, -0.8, 0.5],
        [0.1, 0.7, -1.1, 0.4, 0.6, -0.2],
        [-0.5, 0.2, 0.8, -0.3, 1.0, 0.6],
        [0.6, -0.9, 0.4, 0.2, -0.1, -0.7],
    ]
)
Y_STEP = np.array([[1, 0, 1, 1, 0, 0]])


def _separable_problem():
    """Two well-separated clouds in 2-D: 40 examples, label 1 when x0 + x1 > 0."""
    rng = np.random.default_rng(7)
    centres = rng.choice([-1.0, 1.0], size=40)
    X = centres + 0.4 * rng.standard_normal((2, 40))
    Y = (centres > 0).astype(np.int64).reshape(1, 40)
    return X, Y


def _oracle_cost(parameters, X, Y):
    """Cross-entropy of a ReLU...ReLU -> sigmoid network, in plain numpy."""
    L = len(parameters) // 2
    A = X
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        A = np.maximum(Z, 0.0) if l < L else 1.0 / (1.0 + np.exp(-Z))
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def _oracle_gradients(parameters, X, Y):
    """Numeric gradient of the cost with respect to every parameter array."""
    grads = {}
    for key, value in parameters.items():

        def cost_of(v, key=key):
            return _oracle_cost({**parameters, key: v}, X, Y)

        grads[key] = numeric_gradient(cost_of, value)
    return grads


def _step(parameters, grads, rate):
    return {key: parameters[key] - rate * grads[key] for key in parameters}


def _same(got, expected):
    return all(
        np.shape(got[k]) == np.shape(expected[k]) and np.allclose(got[k], expected[k], atol=1e-7)
        for k in expected
    )


def _step_hint(got, initial, grads, init_call):
    """Name the likely mistake by comparing with a few wrong updates."""
    if _same(got, initial):
        return ("the parameters did not change: call dnn.update_parameters in the loop and "
                "keep what it returns (parameters = dnn.update_parameters(...)).")
    if _same(got, _step(initial, grads, -ONE_STEP_RATE)):
        return "the step goes uphill: subtract learning_rate * gradient, do not add it."
    if _same(got, _step(initial, grads, DEFAULT_RATE)):
        return ("the step used the default rate 0.0075 instead of the learning_rate argument: "
                "pass learning_rate on to dnn.update_parameters.")
    return (f"start with np.random.seed(1) and {init_call} (no other random draws before it), "
            "then per iteration: forward pass (ReLU hidden layer(s), sigmoid output), cost, "
            "backward pass, and one step parameters - learning_rate * gradients.")


def _check_costs(check, costs, count, what):
    check.type_is(costs, (list, np.ndarray), what, "return the costs as a list.")
    check.that(
        len(costs) == count, f"length of {what}", count, len(costs),
        "append the cost once every 100 iterations (when i % 100 == 0): iterations 0, 100, "
        "200, ...",
    )
    check.that(
        all(isinstance(c, numbers.Real) or np.ndim(c) == 0 for c in costs),
        f"entries of {what}", "numbers (floats)", [type(c).__name__ for c in costs],
        "append the scalar cost returned by dnn.compute_cost.",
    )


def _check_model(name, fn, dims, init_call):
    check = Checker(name)
    # One step on a tiny problem against a numeric-gradient oracle.
    got, costs = check.call(fn, X_STEP, Y_STEP, dims, learning_rate=ONE_STEP_RATE,
                            num_iterations=1)
    np.random.seed(SEED)
    if len(dims) == 3:
        initial = dnn.initialize_parameters(*dims)
    else:
        initial = dnn.initialize_parameters_deep(list(dims))
    L = len(dims) - 1
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in ("W", "b")]
    check.keys(got, keys, "the returned parameters",
               f"return the parameters dictionary with exactly the keys {keys}.")
    for l in range(1, L + 1):
        check.array(got[f"W{l}"], (dims[l], dims[l - 1]), f"W{l}")
        check.array(got[f"b{l}"], (dims[l], 1), f"b{l}")
    grads = _oracle_gradients(initial, X_STEP, Y_STEP)
    expected = _step(initial, grads, ONE_STEP_RATE)
    hint = _step_hint(got, initial, grads, init_call)
    for key in keys:
        check.close(got[key], expected[key], f"{key} after 1 iteration, learning_rate=0.3",
                    rtol=1e-5, atol=1e-7, hint=hint)
    _check_costs(check, costs, 1, "costs after 1 iteration")
    check.close(
        costs[0], _oracle_cost(initial, X_STEP, Y_STEP),
        "costs[0] (cost of the initial parameters)",
        hint="record the cost that dnn.compute_cost returns in iteration 0, before the update.",
    )
    # A longer run on a separable problem: 250 iterations give costs at 0, 100 and 200.
    X, Y = _separable_problem()
    sizes = [2, 4, 1] if len(dims) == 3 else [2, 4, 3, 1]
    _, long_costs = fn(X, Y, sizes, learning_rate=0.1, num_iterations=250)
    _check_costs(check, long_costs, 3, "costs after 250 iterations")
    falling = all(b < a for a, b in zip(long_costs, long_costs[1:], strict=False))
    check.that(
        falling and long_costs[-1] < 0.8 * long_costs[0],
        "costs over 250 iterations on a separable problem", "a steadily falling cost",
        rounded(np.asarray(long_costs, dtype=float)),
        "gradient descent should lower the cost here: subtract the gradients and use the "
        "learning_rate argument.",
    )
    print("W1[0, :2] after one step:", rounded(got["W1"][0, :2]))
    print("costs[0]:", rounded(costs[0]))
    print("costs over 250 iterations:", rounded(np.asarray(long_costs, dtype=float), 3))
    check.done()


def two_layer_model(fn):
    """Check ``two_layer_model(X, Y, layers_dims, learning_rate, num_iterations, print_cost)``."""
    _check_model("two_layer_model", fn, (4, 3, 1),
                 "dnn.initialize_parameters(n_x, n_h, n_y)")


def L_layer_model(fn):
    """Check ``L_layer_model(X, Y, layers_dims, learning_rate, num_iterations, print_cost)``."""
    _check_model("L_layer_model", fn, [4, 3, 2, 1],
                 "dnn.initialize_parameters_deep(layers_dims)")
