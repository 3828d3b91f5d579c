"""Checks for Course 1, week 4: training a 2-layer and an L-layer network on digits.

Both graded functions are told to seed numpy with ``np.random.seed(1)`` and then call
``utils.models.dnn.initialize_parameters`` (2-layer) or
``utils.models.dnn.initialize_parameters_deep`` (L-layer). The checks run one iteration on
a tiny fixed problem and compare the returned parameters with
``initial - learning_rate * gradient``, where the gradient is a numeric
(central-difference) gradient of a cross-entropy cost computed here with plain numpy: an
oracle that shares no code with the backward pass. A longer run on a tiny separable
problem checks that costs are recorded every 100 iterations and that they fall.
"""

import numbers

import numpy as np

from utils.checks.harness import Checker, rounded
from utils.checks.oracles import numeric_gradient
from utils.checks.verdicts import Verdicts
from utils.models import dnn

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

# ----------------------------------------------------------------------------------------
# Bands for the three models of section 5 (odd vs even digits, 3,000 train / 2,000 test).
# Measured with the notebook's settings (dnn.initialize_parameters_deep after a seed, the
# learning rates and iteration counts of the table) natively (AVX-512), under the test
# profile (AVX2) and under the second profile (SSE4.2-level numpy, OpenBLAS Nehalem), with
# training seeds 1-4 (the notebook uses 1): 12 runs per model. Broken implementations
# measured the same way (seed 1): "flipped" (the gradients' sign flipped) gives 0.5 for
# every accuracy (the costs turn nan); "rate ignored" (every model trained with the
# default 0.0075) gives logistic regression 0.849 / 0.8375, 2-layer 0.882 / 0.8735 and
# 4-layer 0.939 / 0.912 (train / test).
ACCURACY_BANDS = {  # model: (train band, test band)
    # measured train 0.8957-0.8967, test 0.8735-0.8755
    "logistic regression": ((0.87, 0.92), (0.85, 0.90)),
    # measured train 0.9627-0.9763, test 0.9265-0.946
    "2-layer": ((0.94, 0.99), (0.91, 0.97)),
    # measured train 0.9887-0.995, test 0.9475-0.953
    "4-layer": ((0.975, 1.0), (0.93, 0.97)),
}
# 2-layer test minus logistic-regression test: 0.0515-0.0715 per run.
HIDDEN_LAYER_GAIN = 0.03
# 4-layer train minus test: 0.040-0.048 per run (2-layer: 0.030-0.036).
DEEP_OVERFIT_GAP = 0.02
# 4-layer train minus 2-layer train: 0.018-0.032 per run (ordering only).


def _separable_problem():
    """Two well-separated clouds in 2-D: 40 examples, label 1 when x0 + x1 > 0."""
    rng = np.random.default_rng(7)
    centres = rng.choice([-1.0, 1.0], size=40)
    X = centres + 0.4 * rng.standard_normal((2, 40))
    Y = (centres > 0).astype(np.int64).reshape(1, 40)
    return X, Y


def _oracle_cost(parameters, X, Y, squared=False):
    """Cross-entropy of a ReLU...ReLU -> sigmoid network, in plain numpy; with
    ``squared=True`` the mean of (A - Y)**2 / 2 instead (see _step_mistakes)."""
    L = len(parameters) // 2
    A = X
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        A = np.maximum(Z, 0.0) if l < L else 1.0 / (1.0 + np.exp(-Z))
    if squared:
        return float(np.mean((A - Y) ** 2) / 2)
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def _oracle_gradients(parameters, X, Y, squared=False):
    """Numeric gradient of the cost with respect to every parameter array."""
    grads = {}
    for key, value in parameters.items():

        def cost_of(v, key=key):
            return _oracle_cost({**parameters, key: v}, X, Y, squared)

        grads[key] = numeric_gradient(cost_of, value)
    return grads


def _step(parameters, grads, rate):
    return {key: parameters[key] - rate * grads[key] for key in parameters}


def _step_mistakes(initial, grads, two_layer):
    """Known wrong results of the one-step run, each a parameters dictionary with its hint."""
    mistakes = []
    if two_layer:
        # Starting the backward pass from dA2 = A2 - Y makes the sigmoid's backward step
        # give dZ2 = (A2 - Y) * A2 * (1 - A2): the gradient of mean((A2 - Y)**2 / 2).
        squared = _oracle_gradients(initial, X_STEP, Y_STEP, squared=True)
        mistakes.append((_step(initial, squared, ONE_STEP_RATE),
                         "you started the backward pass from dA2 = A2 - Y, which is already "
                         "dZ2; start from dA2 = -(Y / A2 - (1 - Y) / (1 - A2)), the "
                         "derivative of the cost with respect to A2."))
    return mistakes + [
        (initial, "the parameters did not change: call dnn.update_parameters in the loop and "
                  "keep what it returns (parameters = dnn.update_parameters(...))."),
        (_step(initial, grads, -ONE_STEP_RATE),
         "the step goes uphill: subtract learning_rate * gradient, do not add it."),
        (_step(initial, grads, DEFAULT_RATE),
         "the step used the default rate 0.0075 instead of the learning_rate argument: "
         "pass learning_rate on to dnn.update_parameters."),
    ]


def _check_costs(check, costs, count, what, length_hint=None):
    check.type_is(what, costs, (list, np.ndarray), hint="return the costs as a list.")
    check.that(f"length of {what}", len(costs) == count, len(costs), count,
               hint=length_hint or "append the cost once every 100 iterations (when "
                                   "i % 100 == 0): iterations 0, 100, 200, ...")
    check.that(f"entries of {what}",
               all(isinstance(c, numbers.Real) or np.ndim(c) == 0 for c in costs),
               [type(c).__name__ for c in costs], "numbers (floats)",
               hint="append the scalar cost returned by dnn.compute_cost.")


def _check_model(name, fn, dims, init_call, backward_hint):
    check = Checker(name)
    # One step on a tiny problem against a numeric-gradient oracle.
    got, costs = check.call_or_fail(
        fn, X_STEP, Y_STEP, dims, learning_rate=ONE_STEP_RATE, num_iterations=1,
        hint="a shape or key error inside the loop. " + backward_hint)
    # One iteration records exactly one cost; checked first, since a loop that runs a
    # different number of times also ends with other parameters.
    _check_costs(check, costs, 1, "costs after 1 iteration",
                 length_hint="with num_iterations=1 the loop runs once, for i = 0, and records "
                             "that cost: loop over range(num_iterations) and append the cost "
                             "when i % 100 == 0.")
    np.random.seed(SEED)
    if len(dims) == 3:
        initial = dnn.initialize_parameters(*dims)
    else:
        initial = dnn.initialize_parameters_deep(list(dims))
    L = len(dims) - 1
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in ("W", "b")]
    check.keys("the returned parameters", got, keys,
               hint=f"return the parameters dictionary with exactly the keys {keys}.")
    for l in range(1, L + 1):
        check.array(f"W{l}", got[f"W{l}"], (dims[l], dims[l - 1]))
        check.array(f"b{l}", got[f"b{l}"], (dims[l], 1))
    grads = _oracle_gradients(initial, X_STEP, Y_STEP)
    expected = _step(initial, grads, ONE_STEP_RATE)
    hint = (f"start with np.random.seed(1) and {init_call} (no other random draws before it), "
            "then per iteration: forward pass (ReLU hidden layer(s), sigmoid output), cost, "
            "backward pass, and one step parameters - learning_rate * gradients. "
            + backward_hint)
    mistakes = _step_mistakes(initial, grads, two_layer=len(dims) == 3)
    for key in keys:
        check.close(f"{key} after 1 iteration, learning_rate=0.3", got[key], expected[key],
                    rtol=1e-5, atol=1e-7, hint=hint,
                    mistakes=[(wrong[key], wrong_hint) for wrong, wrong_hint in mistakes])
    check.close("costs[0] (cost of the initial parameters)", costs[0],
                _oracle_cost(initial, X_STEP, Y_STEP),
                hint="record the cost that dnn.compute_cost returns in iteration 0, before the "
                     "update.")
    # A longer run on a separable problem: 250 iterations give costs at 0, 100 and 200.
    X, Y = _separable_problem()
    sizes = [2, 4, 1] if len(dims) == 3 else [2, 4, 3, 1]
    _, long_costs = fn(X, Y, sizes, learning_rate=0.1, num_iterations=250)
    _check_costs(check, long_costs, 3, "costs after 250 iterations")
    falling = all(b < a for a, b in zip(long_costs, long_costs[1:], strict=False))
    check.that("costs over 250 iterations on a separable problem",
               falling and long_costs[-1] < 0.8 * long_costs[0],
               rounded(np.asarray(long_costs, dtype=float)), "a steadily falling cost",
               hint="gradient descent should lower the cost here: run the forward pass inside "
                    "the loop, on the current parameters, subtract the gradients and use the "
                    "learning_rate argument.")
    print("W1[0, :2] after one step:", rounded(got["W1"][0, :2]))
    print("costs[0]:", rounded(costs[0]))
    print("costs over 250 iterations: 3 recorded (iterations 0, 100, 200), falling")
    check.done()


def two_layer_model(fn):
    """Check ``two_layer_model(X, Y, layers_dims, learning_rate, num_iterations, print_cost)``."""
    _check_model("two_layer_model", fn, (4, 3, 1),
                 "dnn.initialize_parameters(n_x, n_h, n_y)",
                 "The backward pass starts from dA2 = -(Y / A2 - (1 - Y) / (1 - A2)), the "
                 "derivative of the cost with respect to A2 (A2 - Y is already dZ2); layer 2 "
                 "goes back with cache2 and 'sigmoid', layer 1 with dA1, cache1 and 'relu'.")


def L_layer_model(fn):
    """Check ``L_layer_model(X, Y, layers_dims, learning_rate, num_iterations, print_cost)``."""
    _check_model("L_layer_model", fn, [4, 3, 2, 1],
                 "dnn.initialize_parameters_deep(layers_dims)",
                 "The whole pass is AL, caches = dnn.L_model_forward(X, parameters), then "
                 "grads = dnn.L_model_backward(AL, Y, caches).")


# ----------------------------------------------------------------------------------------
# Verdicts on results of training: bands and orderings, never the raw numbers.


def three_models(accuracies):
    """``accuracies[name] = (train accuracy, test accuracy)`` for "logistic regression",
    "2-layer" and "4-layer", trained as in the table of section 5."""
    verdict = Verdicts("three models on the digits")
    hint = ("an accuracy near 0.5 means training went wrong (a gradient with the wrong sign, "
            "or nan costs); clearly low: are the learning rates and iteration counts of the "
            "table passed on to your training loop (learning_rate, num_iterations)?")
    for name, (train_band, test_band) in ACCURACY_BANDS.items():
        train, test = map(float, accuracies[name])
        verdict.within(f"{name}, train accuracy", train, *train_band, hint=hint)
        verdict.within(f"{name}, test accuracy", test, *test_band, hint=hint)
    linear_test = float(accuracies["logistic regression"][1])
    two_train, two_test = map(float, accuracies["2-layer"])
    deep_train, deep_test = map(float, accuracies["4-layer"])
    verdict.beats("test accuracy of the 2-layer net over logistic regression", two_test,
                  linear_test, by=HIDDEN_LAYER_GAIN,
                  hint="one hidden layer should beat a single straight boundary clearly.")
    verdict.beats("train accuracy of the 4-layer net over the 2-layer net", deep_train,
                  two_train, hint="the deeper net should fit its training digits better.")
    verdict.beats("train accuracy over test accuracy of the 4-layer net", deep_train,
                  deep_test, by=DEEP_OVERFIT_GAP,
                  hint="the 4-layer net memorises part of its 3,000 training digits; check "
                       "that the test accuracy is measured on test_x, test_y.")
    verdict.done()
