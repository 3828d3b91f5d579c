"""Checks for Course 1, week 3: planar data classification with one hidden layer.

The network is ``X -> tanh(W1 X + b1) = A1 -> sigmoid(W2 A1 + b2) = A2`` with examples in
columns. Each check builds its own fixed inputs, calls the learner's function first and
compares with independent oracles: values worked out by hand, ``np.tanh`` and
``scipy.special.expit``, central-difference gradients of the cross-entropy cost, and
properties such as "biases start at zero" or "training lowers the cost".
"""

import copy

import numpy as np
from scipy.special import expit

from utils.checks.harness import Checker, rounded
from utils.checks.oracles import numeric_gradient
from utils.checks.verdicts import Verdicts

# ----------------------------------------------------------------------------------------
# Bands for the results of training (section 4 onwards). Measured with the notebook's cells
# natively (AVX-512), under the test profile (AVX2 numpy/OpenBLAS) and under the second
# profile (SSE4.2-level numpy, OpenBLAS Nehalem), each with training seeds 1-5 (the seed
# before nn_model; the flower, moons and circles are fixed): 15 runs per result.

# scikit-learn's logistic regression on the flower: 0.555 train and test in every run.
# A dataset a line can split (say a flower of 2 petals) would score above 0.9.
BASELINE_BAND = (0.40, 0.70)
# 4 tanh units, 10,000 iterations: train 0.8425-0.8675, test 0.815-0.845. Broken: the
# gradient's sign flipped gives 0.5 / 0.5; tanh' written as 1 - A1 gives 0.7425 / 0.7575;
# gradients not divided by m give 0.58 / 0.575.
NETWORK_TRAIN_BAND = (0.80, 0.92)
NETWORK_TEST_BAND = (0.78, 0.90)
NETWORK_OVER_BASELINE = 0.20  # measured test advantage 0.26-0.29 (tanh' = 1 - A1: 0.2025)
# Hidden-size sweep, 5,000 iterations each. 1-2 units: train 0.6175-0.6525 (nn_model that
# ignores n_h: 0.8425). 3, 4, 5, 20, 50 units: test 0.81-0.845 (sign flipped: 0.5; tanh'
# = 1 - A1: 0.6475 for 3 units). Best test of 3-5 units minus best of 1-2: 0.22-0.24.
# 50 units: train minus test 0.04-0.06; its test minus the best of 3-5 units: -0.02 to 0.
UNDERFIT_TRAIN_BELOW = 0.72
SWEEP_TEST_BAND = (0.78, 0.90)
FEW_UNITS_GAIN = 0.15
OVERFIT_GAP = 0.015
BIG_NETWORK_TEST_EXCESS = 0.02
# Moons and circles, training accuracy: logistic regression 0.84 and 0.51 in every run,
# 4 tanh units 0.9833 and 1.0 in every run (sign flipped: 0.153 and 0.5).
SHAPE_BANDS = {
    "moons": {"linear": (0.78, 0.92), "network": (0.94, 1.0), "gain": 0.05},
    "circles": {"linear": (0.35, 0.65), "network": (0.95, 1.0), "gain": 0.30},
}
NETWORK_HINT = (
    "an accuracy near 0.5 usually means the gradient has the wrong sign (dZ2 = A2 - Y) or "
    "nn_model does not keep the updated parameters; clearly lower than the band: check "
    "tanh' = 1 - A1**2 and the 1/m in backward_propagation."
)

PARAMETER_KEYS = ("W1", "b1", "W2", "b2")
GRADIENT_KEYS = ("dW1", "db1", "dW2", "db2")
MATMUL_HINT = (
    "W1 X is a matrix product, W1 @ X or np.dot(W1, X) with W1 (n_h, n_x) first and X "
    "(n_x, m) second, not the elementwise W1 * X; likewise W2 @ A1."
)
COST_HINT = (
    "cost = -(1/m) * sum(Y * log(A2) + (1 - Y) * log(1 - A2)): keep both terms, divide the "
    "sum by m, and mind the minus sign (the cost is never negative)."
)


# ----------------------------------------------------------------------------------------
# Oracles: the network written straight from its definition with library functions.


def _oracle_forward(X, parameters):
    A1 = np.tanh(parameters["W1"] @ X + parameters["b1"])
    return expit(parameters["W2"] @ A1 + parameters["b2"]), A1


def _oracle_cost(X, Y, parameters):
    A2, _ = _oracle_forward(X, parameters)
    m = Y.shape[1]
    return float(-(np.sum(Y * np.log(A2)) + np.sum((1 - Y) * np.log(1 - A2))) / m)


def _fixed_parameters():
    """A 3-input, 4-hidden-unit, 1-output network with weights large enough that tanh bends."""
    return {
        "W1": np.array([[0.8, -1.1, 0.3], [-0.5, 0.9, 1.2], [1.4, 0.2, -0.7], [-0.3, -0.6, 0.5]]),
        "b1": np.array([[0.1], [-0.2], [0.05], [0.3]]),
        "W2": np.array([[1.1, -0.9, 0.7, -1.3]]),
        "b2": np.array([[-0.15]]),
    }


def _fixed_examples():
    X = np.array([[0.5, -1.2, 0.9, 0.1, -0.4], [1.0, 0.3, -0.8, 0.6, -1.5],
                  [-0.7, 0.4, 0.2, -1.1, 0.8]])
    Y = np.array([[1, 0, 0, 1, 1]])
    return X, Y


def _parameter_shapes(check, parameters, n_x, n_h, n_y, what, hint=None):
    check.keys(what, parameters, PARAMETER_KEYS)
    shapes = {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}
    for key, shape in shapes.items():
        check.array(f'{what}["{key}"]', parameters[key], shape,
                    hint=hint or "W_l has shape (units in layer l, units in layer l-1); b_l is a "
                                 "column (units in layer l, 1).")


# ----------------------------------------------------------------------------------------
# Graded checks, in notebook order.


def layer_sizes(fn):
    """n_x and n_y come from the rows of X and Y; the hidden layer has 4 units."""
    check = Checker("layer_sizes")
    X = np.zeros((5, 3))  # 5 features, 3 examples: the number of examples must not leak in
    Y = np.zeros((2, 3))
    sizes = check.call(fn, X, Y)
    check.type_is("layer_sizes(X, Y)", sizes, tuple,
                  hint="return the three numbers: n_x, n_h, n_y.")
    check.that("number of values returned", len(sizes) == 3, len(sizes), 3,
               hint="return n_x, n_h, n_y.")
    n_x, n_h, n_y = sizes
    check.equal("n_x for X of shape (5, 3)", n_x, 5,
                hint="n_x is the number of input features, X.shape[0] (rows), not X.shape[1].")
    check.equal("n_h", n_h, 4, hint="this notebook's hidden layer has 4 units: set n_h = 4.")
    check.equal("n_y for Y of shape (2, 3)", n_y, 2,
                hint="n_y is the number of outputs, Y.shape[0] (rows), not Y.shape[1].")
    print(f"layer_sizes(X (5, 3), Y (2, 3)) = {(int(n_x), int(n_h), int(n_y))}")
    check.done()


def initialize_parameters(fn):
    """Shapes, zero biases, small random weights of standard deviation 0.01."""
    check = Checker("initialize_parameters")
    np.random.seed(2)
    parameters = check.call(fn, 3, 5, 2)
    _parameter_shapes(check, parameters, 3, 5, 2, "initialize_parameters(3, 5, 2)")
    for key in ("b1", "b2"):
        check.that(f'{key} is all zeros', not np.any(parameters[key]), rounded(parameters[key]),
                   "zeros", hint="biases start at zero: use np.zeros((n, 1)).")
    distinct_rows = np.unique(np.round(parameters["W1"], 12), axis=0).shape[0]
    check.that("rows of W1 differ", distinct_rows == 5, rounded(parameters["W1"]),
               "5 different rows",
               hint="equal rows (for example all zeros) make every hidden unit compute the same "
                    "thing forever: draw W1 at random.")

    # With many weights, their spread and centre pin down randn * 0.01.
    np.random.seed(3)
    big = fn(40, 50, 30)
    weights = np.concatenate([np.ravel(big["W1"]), np.ravel(big["W2"])])  # 3500 draws
    spread, centre = float(np.std(weights)), float(np.mean(weights))
    check.that("standard deviation of the weights of initialize_parameters"
"(40, 50, 30)",
               0.008 < spread < 0.012, rounded(spread), "about 0.01",
               hint="draw from a standard normal and scale it: np.random.randn(rows, cols) * 0.01.")
    check.that("mean of the weights", abs(centre) < 0.002, rounded(centre),
               "about 0 (weights of both signs)",
               hint="np.random.rand draws from [0, 1): use np.random.randn, which is centred on 0.")
    print("shapes:", {key: tuple(value.shape) for key, value in parameters.items()})
    print("weights: mean about 0, standard deviation about 0.01; biases: zero")
    check.done()


def forward_propagation(fn):
    """A hand-worked one-unit network, then a fixed network against np.tanh and expit."""
    check = Checker("forward_propagation")
    # By hand: Z1 = 2 * 0.5 - 1 = 0, A1 = tanh(0) = 0, Z2 = 3 * 0 + ln 3, A2 = 3 / 4.
    tiny = {"W1": np.array([[2.0]]), "b1": np.array([[-1.0]]),
            "W2": np.array([[3.0]]), "b2": np.array([[np.log(3.0)]])}
    result = check.call_or_fail(fn, np.array([[0.5]]), tiny, hint=MATMUL_HINT)
    check.type_is("forward_propagation(...)", result, tuple, hint="return A2, cache.")
    check.that("number of values returned", len(result) == 2, len(result), 2,
               hint="return A2, cache.")
    A2, cache = result
    check.array("A2 for one example", A2, (1, 1))
    check.close("A2 with W1=2, b1=-1, W2=3, b2=ln 3 on x=0.5", A2, [[0.75]],
                hint="Z1 = W1 X + b1 = 0, A1 = tanh(0) = 0, Z2 = W2 A1 + b2 = ln 3, "
                     "A2 = sigmoid(ln 3) = 0.75: check each step and that both biases "
                     "are added.",
                mistakes=[([[0.25]], "the sigmoid's exponent has the wrong sign: "
                                     "A2 = 1 / (1 + np.exp(-Z2))."),
                          ([[0.5]], "Z2 came out 0 instead of ln 3: add the bias b2, "
                                    "Z2 = W2 @ A1 + b2.")])

    X, _ = _fixed_examples()
    parameters = _fixed_parameters()
    A2, cache = check.call_or_fail(fn, X, parameters, hint=MATMUL_HINT)
    check.array("A2 for 5 examples", A2, (1, 5),
                hint="A2 has one row per output unit and one column per example.")
    check.keys("cache", cache, ("Z1", "A1", "Z2", "A2"))
    check.array('cache["Z1"]', cache["Z1"], (4, 5), hint="Z1 = W1 @ X + b1 has shape (n_h, m).")
    check.array('cache["A1"]', cache["A1"], (4, 5))
    check.array('cache["Z2"]', cache["Z2"], (1, 5))
    expected_Z1 = parameters["W1"] @ X + parameters["b1"]
    check.close('cache["Z1"]', cache["Z1"], expected_Z1,
                hint="Z1 = W1 @ X + b1 (a matrix product, then the bias broadcast over "
                     "columns).")
    check.close('cache["A1"]', cache["A1"], np.tanh(expected_Z1),
                hint="the hidden layer uses tanh: A1 = np.tanh(Z1) (not sigmoid, not ReLU).")
    expected_A2, _ = _oracle_forward(X, parameters)
    check.close('cache["Z2"]', cache["Z2"],
                parameters["W2"] @ np.tanh(expected_Z1) + parameters["b2"],
                hint="Z2 = W2 @ A1 + b2, built on the hidden activations A1.")
    check.close("A2", A2, expected_A2,
                hint="the output layer uses the sigmoid: A2 = 1 / (1 + np.exp(-Z2)).")
    check.close('cache["A2"]', cache["A2"], A2, hint='store the same A2 you return.')
    print("A2 =", rounded(A2))
    check.done()


def compute_cost(fn):
    """Cross-entropy against hand-computed values, as a plain float."""
    check = Checker("compute_cost")
    first = cost = check.call(fn, np.array([[0.5, 0.5]]), np.array([[1, 0]]))
    check.number("compute_cost(...)", cost,
                 hint="return a plain number: float(...) or np.squeeze(...) turns a (1, 1) array "
                      "into one.")
    check.close("cost for A2=[[0.5, 0.5]], Y=[[1, 0]]", cost, np.log(2.0),
                hint="a prediction of 0.5 costs ln 2 = 0.69315 whatever the label. "
                     + COST_HINT)
    A2 = np.array([[0.8, 0.1, 0.9]])
    Y = np.array([[1, 0, 0]])
    cost = check.call(fn, A2, Y)
    check.number("compute_cost(...)", cost)
    # -(ln 0.8 + ln 0.9 + ln 0.1) / 3, worked out by hand
    expected = (0.2231435513142097 + 0.10536051565782628 + 2.302585092994046) / 3
    check.close("cost for A2=[[0.8, 0.1, 0.9]], Y=[[1, 0, 0]]", cost, expected, hint=COST_HINT)
    # Predictions 0.1 and 0.9 are each other's complement, so the case above cannot tell
    # log(1 - A2) from log(A2) in the second term; this one can. By hand:
    # -(ln 0.9 + ln(1 - 0.2) + ln(1 - 0.4) + ln 0.7) / 4.
    A2 = np.array([[0.9, 0.2, 0.4, 0.7]])
    Y = np.array([[1, 0, 0, 1]])
    other = check.call(fn, A2, Y)
    check.number("compute_cost(...)", other)
    by_hand = (0.10536051565782628 + 0.2231435513142097 + 0.5108256237659907
               + 0.35667494393873245) / 4
    wrong_second_log = (0.10536051565782628 + 1.6094379124341003 + 0.916290731874155
                        + 0.35667494393873245) / 4
    check.close("cost for A2=[[0.9, 0.2, 0.4, 0.7]], Y=[[1, 0, 0, 1]]", other, by_hand,
                hint=COST_HINT,
                mistakes=[(wrong_second_log, "the second term is (1 - Y) * np.log(1 - A2): "
                                             "the log of 1 - A2, not of A2.")])
    print("cost(A2=[[0.5, 0.5]], Y=[[1, 0]]) =", rounded(float(first)))
    print("cost(A2=[[0.8, 0.1, 0.9]], Y=[[1, 0, 0]]) =", rounded(cost))
    check.done()


def backward_propagation(fn):
    """Gradients against central differences of the cost, one parameter array at a time."""
    check = Checker("backward_propagation")
    X, Y = _fixed_examples()
    parameters = _fixed_parameters()
    # The cache is built here, so a mistake in forward_propagation cannot leak in.
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": expit(Z2)}
    grads = check.call_or_fail(
        fn, parameters, cache, X, Y,
        hint="a shape error: each gradient has its parameter's shape, so mind the "
             "transposes, dW2 = dZ2 @ A1.T, dZ1 = (W2.T @ dZ2) * (1 - A1**2), "
             "dW1 = dZ1 @ X.T.")
    check.keys("grads", grads, GRADIENT_KEYS)
    hints = {
        "W2": "dW2 = (1/m) dZ2 @ A1.T with dZ2 = A2 - Y.",
        "b2": "db2 = (1/m) * np.sum(dZ2, axis=1, keepdims=True).",
        "W1": "dZ1 = (W2.T @ dZ2) * (1 - A1**2) (tanh' = 1 - tanh**2, squared), "
              "then dW1 = (1/m) dZ1 @ X.T.",
        "b1": "db1 = (1/m) * np.sum(dZ1, axis=1, keepdims=True), with "
              "dZ1 = (W2.T @ dZ2) * (1 - A1**2).",
    }
    for key in ("W2", "b2", "W1", "b1"):
        name = "d" + key
        shape_hint = (
            f"{name} has the shape of {key}: sum over examples with axis=1, keepdims=True "
            "to keep a column." if key.startswith("b") else
            f"{name} has the shape of {key}: multiply dZ by the layer's input transposed "
            "(dZ2 @ A1.T, dZ1 @ X.T)."
        )
        check.array(f'grads["{name}"]', grads[name], parameters[key].shape, hint=shape_hint)

        def cost_of(value, key=key):
            changed = dict(parameters)
            changed[key] = value
            return _oracle_cost(X, Y, changed)

        numeric = numeric_gradient(cost_of, parameters[key])
        m = X.shape[1]
        check.close(f'grads["{name}"] against a numeric gradient', grads[name], numeric,
                    rtol=1e-6, atol=1e-8, hint=hints[key],
                    mistakes=[(m * numeric, f"yours is m = {m} times too large: divide by m. "
                                            + hints[key]),
                              (-numeric, "yours has the wrong sign: dZ2 = A2 - Y, not Y - A2. "
                                         + hints[key]),
                              (numeric / m, f"yours is m = {m} times too small: divide by m "
                                            "once, in dW and db, not also in dZ. "
                                            + hints[key])])
    print("dW1 =", rounded(grads["dW1"]))
    print("db1 =", rounded(grads["db1"]))
    print("dW2 =", rounded(grads["dW2"]))
    print("db2 =", rounded(grads["db2"]))
    check.done()


def update_parameters(fn):
    """One gradient-descent step p - learning_rate * dp, default rate 1.2, inputs untouched."""
    check = Checker("update_parameters",
                    in_place_hint="W1 -= ... changes the caller's array in place: write "
                                  "W1 = W1 - ... to build a new array.")
    parameters = {"W1": np.array([[0.5, -1.0], [2.0, 0.25]]), "b1": np.array([[0.1], [-0.3]]),
                  "W2": np.array([[1.5, -0.5]]), "b2": np.array([[0.2]])}
    grads = {"dW1": np.array([[0.1, 0.2], [-0.3, 0.4]]), "db1": np.array([[0.05], [-0.1]]),
             "dW2": np.array([[-0.2, 0.6]]), "db2": np.array([[0.25]])}
    parameters_before = copy.deepcopy(parameters)
    updated = check.call_or_fail(
        fn, parameters, grads,
        hint='the gradients are stored under "dW1", "db1", "dW2", "db2" and the parameters '
             'under "W1", "b1", "W2", "b2".')
    check.keys("update_parameters(parameters, grads)", updated, PARAMETER_KEYS,
               hint="return the parameters only: W1, b1, W2, b2.")
    for key in PARAMETER_KEYS:
        check.array(f'updated["{key}"]', updated[key], parameters[key].shape,
                    hint=f'updated["{key}"] has the shape of {key}: '
                         f'{key} - learning_rate * grads["d{key}"].')
        check.close(f'updated["{key}"] with the default learning rate', updated[key],
                    parameters_before[key] - 1.2 * grads["d" + key],
                    hint="step against the gradient: p = p - learning_rate * dp, with "
                         "learning_rate=1.2 by default.",
                    mistakes=[(parameters_before[key],
                               f"{key} did not change: update every parameter, the biases "
                               "too.")])
    updated = check.call(fn, copy.deepcopy(parameters_before), grads, learning_rate=0.5)
    for key in PARAMETER_KEYS:
        check.close(f'updated["{key}"] with learning_rate=0.5', updated[key],
                    parameters_before[key] - 0.5 * grads["d" + key],
                    hint="use the learning_rate argument rather than a fixed number.")
    print("W1 after one step (rate 1.2) =", rounded(parameters_before["W1"] - 1.2 * grads["dW1"]))
    check.done()


def _oracle_step(X, Y, parameters, learning_rate=1.2):
    """One gradient-descent step with central-difference gradients of the cost."""
    stepped = {}
    for key, value in parameters.items():

        def cost_of(v, key=key):
            return _oracle_cost(X, Y, {**parameters, key: v})

        stepped[key] = value - learning_rate * numeric_gradient(cost_of, value)
    return stepped


def nn_model(fn):
    """Trains on a tiny separable set: right shapes for the given n_h, low cost, all correct;
    and two more iterations are exactly two gradient steps on the current parameters."""
    check = Checker("nn_model")
    X = np.array([[1.0, 2.0, -1.5, 0.5, -2.0, 1.5, -0.5, -1.0],
                  [0.5, -1.0, 1.0, 2.0, -0.5, 1.0, -1.5, -2.0]])
    Y = (X[0:1] + X[1:2] > 0).astype(np.int64)  # separable by the line x1 + x2 = 0
    np.random.seed(3)
    parameters = check.call(fn, X, Y, 3, num_iterations=200)
    _parameter_shapes(check, parameters, 2, 3, 1, "nn_model(X, Y, n_h=3)",
                      "the hidden layer must have the n_h units passed to nn_model (here 3), "
                      "not the 4 suggested by layer_sizes.")
    cost = _oracle_cost(X, Y, parameters)
    check.that("cost after 200 iterations on a separable set", cost < 0.01, rounded(cost),
               "below 0.01",
               hint="loop for i in range(num_iterations); each iteration should run "
                    "forward_propagation, compute_cost, backward_propagation and "
                    "update_parameters (with its default learning rate 1.2), then keep the "
                    "new parameters.")
    predictions = (_oracle_forward(X, parameters)[0] > 0.5).astype(np.int64)
    check.equal("predictions of the trained network on its training set", predictions, Y)

    # The same seed makes the same start, so runs of 1, 2 and 3 iterations must differ by
    # exactly one gradient step each (gradients found numerically here, rate 1.2).
    runs = []
    for iterations in (1, 2, 3):
        np.random.seed(3)
        runs.append(fn(X, Y, 3, num_iterations=iterations))
    short_cost = _oracle_cost(X, Y, runs[0])
    check.that("cost after a single iteration", short_cost > 0.5, rounded(short_cost),
               "still close to ln 2 = 0.693 (one small step from tiny weights)",
               hint="loop num_iterations times, not a fixed number of times.")
    check.that("b2 after a single iteration", bool(np.any(runs[0]["b2"] != 0)),
               rounded(runs[0]["b2"]), "moved away from its initial zero",
               hint="with num_iterations=1 the loop must run once: for i in "
                    "range(num_iterations), not range(1, num_iterations).")
    for before, after, n in ((runs[0], runs[1], 2), (runs[1], runs[2], 3)):
        expected = _oracle_step(X, Y, before)
        for key in PARAMETER_KEYS:
            check.close(f'{key} after {n} iterations, one gradient step from {n - 1}',
                        after[key], expected[key], rtol=1e-5, atol=1e-9,
                        hint="every iteration must run forward_propagation on the current "
                             "parameters (inside the loop), then backward_propagation and "
                             "update_parameters, and keep the new parameters.")
    print("cost after 200 iterations on a separable set: below 0.01")
    check.done()


def predict(fn):
    """Class 1 exactly where the network's output is above 0.5."""
    check = Checker("predict")
    # One input, one hidden unit: A2 = sigmoid(tanh(x)), which crosses 0.5 at x = 0.
    parameters = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]]),
                  "W2": np.array([[1.0]]), "b2": np.array([[0.0]])}
    X = np.array([[-2.0, -0.1, 0.1, 0.3, 2.0]])  # A2 = 0.27, 0.475, 0.525, 0.572, 0.723
    predictions = check.call(fn, parameters, X)
    check.array("predict(parameters, X) for 5 examples", predictions, (1, 5),
                hint="return a (1, m) row with one prediction per example.")
    check.equal("predictions where A2 = [[0.27, 0.475, 0.525, 0.572, 0.723]]",
                np.asarray(predictions, dtype=float), np.array([[0.0, 0.0, 1.0, 1.0, 1.0]]),
                hint="predict 1 when A2 > 0.5 and 0 otherwise: threshold the sigmoid output A2, "
                     "not Z2, at 0.5.")

    X, _ = _fixed_examples()
    parameters = _fixed_parameters()
    predictions = check.call(fn, parameters, X)
    check.array("predict(parameters, X) for 5 examples", predictions, (1, 5))
    expected = (_oracle_forward(X, parameters)[0] > 0.5).astype(float)
    check.equal("predictions of a fixed 3-4-1 network", np.asarray(predictions, dtype=float),
                expected, hint="run forward_propagation(X, parameters) and threshold A2 at 0.5.")
    print("predictions =", rounded(np.asarray(predictions).astype(np.int64)))
    check.done()


# ----------------------------------------------------------------------------------------
# Verdicts on results of training: bands and orderings, never the raw numbers.


def baseline(train_accuracy, test_accuracy):
    """Logistic regression, a straight boundary, is close to chance on the flower."""
    verdict = Verdicts("logistic regression on the flower")
    hint = ("one straight line cannot separate alternating petals, so both accuracies sit "
            "near 0.5; far above: is the data the 6-petal flower, and was the model fitted "
            "on X.T (one example per row)?")
    verdict.within("train accuracy", train_accuracy, *BASELINE_BAND, hint=hint)
    verdict.within("test accuracy", test_accuracy, *BASELINE_BAND, hint=hint)
    verdict.done()


def trained_network(train_accuracy, test_accuracy, baseline_test_accuracy):
    """The 4-unit network after 10,000 iterations: bands, and far ahead of the baseline."""
    verdict = Verdicts("network with 4 tanh units")
    verdict.within("train accuracy", train_accuracy, *NETWORK_TRAIN_BAND, hint=NETWORK_HINT)
    verdict.within("test accuracy", test_accuracy, *NETWORK_TEST_BAND, hint=NETWORK_HINT)
    verdict.beats("test accuracy over logistic regression", test_accuracy,
                  baseline_test_accuracy, by=NETWORK_OVER_BASELINE, hint=NETWORK_HINT)
    verdict.done()


def hidden_size_sweep(hidden_sizes, train_accuracies, test_accuracies):
    """Too few units underfit, a few are enough, many fit the noise of the training set."""
    train = dict(zip(hidden_sizes, map(float, train_accuracies), strict=True))
    test = dict(zip(hidden_sizes, map(float, test_accuracies), strict=True))
    verdict = Verdicts("hidden-size sweep")
    for n_h in (1, 2):
        verdict.below(f"train accuracy with {n_h} unit{'s' * (n_h > 1)}", train[n_h],
                      UNDERFIT_TRAIN_BELOW,
                      hint="one or two tanh units cannot follow six petals; a high score "
                           "here usually means nn_model ignores its n_h argument.")
    for n_h in (n for n in hidden_sizes if n >= 3):
        verdict.within(f"test accuracy with {n_h} units", test[n_h], *SWEEP_TEST_BAND,
                       hint=NETWORK_HINT)
    few = max(test[n] for n in hidden_sizes if 3 <= n <= 5)
    verdict.beats("best test accuracy of 3-5 units over the best of 1-2 units", few,
                  max(test[1], test[2]), by=FEW_UNITS_GAIN,
                  hint="three or more units should follow the petals far better than one "
                       "or two: does nn_model build the hidden layer with n_h units?")
    biggest = max(hidden_sizes)
    verdict.beats(f"train accuracy over test accuracy with {biggest} units", train[biggest],
                  test[biggest], by=OVERFIT_GAP,
                  hint="the largest network fits part of the noise of its training points, "
                       "so it scores clearly better on them than on new points.")
    verdict.that(
        f"test accuracy with {biggest} units is at most {BIG_NETWORK_TEST_EXCESS:g} above "
        "the best of 3-5 units",
        test[biggest] <= few + BIG_NETWORK_TEST_EXCESS,
        f"{test[biggest]:.4g} against {few:.4g}",
        hint="more units should not help on new points here: check that the test "
             "accuracies are computed on X_test, Y_test.",
    )
    verdict.done()


def moons_and_circles(accuracies):
    """``accuracies[name] = (logistic regression, network)`` training accuracies."""
    verdict = Verdicts("moons and circles, training accuracy")
    for name, bands in SHAPE_BANDS.items():
        linear, network = map(float, accuracies[name])
        verdict.within(f"{name}, logistic regression", linear, *bands["linear"],
                       hint="a straight line: decent on the moons, chance on the circles.")
        verdict.within(f"{name}, network (4 units)", network, *bands["network"],
                       hint=NETWORK_HINT)
        verdict.beats(f"{name}, network over logistic regression", network, linear,
                      by=bands["gain"], hint=NETWORK_HINT)
    verdict.done()
