"""The planar-classification checks pass a correct network and catch the usual mistakes."""

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c1w3_planar_classification as checks
from utils.checks.harness import CheckFailure

# ---------------------------------------------------------------------------------------
# A correct implementation, written here for the test (the notebook has its own).


def layer_sizes(X, Y):
    return X.shape[0], 4, Y.shape[0]


def initialize_parameters(n_x, n_h, n_y):
    return {
        "W1": 0.01 * np.random.randn(n_h, n_x),
        "b1": np.zeros((n_h, 1)),
        "W2": 0.01 * np.random.randn(n_y, n_h),
        "b2": np.zeros((n_y, 1)),
    }


def forward_propagation(X, parameters, hidden=np.tanh):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = hidden(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = 1.0 / (1.0 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y):
    losses = np.multiply(Y, np.log(A2)) + np.multiply(1 - Y, np.log(1 - A2))
    return float(-np.mean(losses))


def backward_propagation(parameters, cache, X, Y, tanh_slope=None, scale=None, keepdims=True):
    m = X.shape[1]
    scale = 1.0 / m if scale is None else scale
    dZ2 = cache["A2"] - Y
    slope = 1 - np.power(cache["A1"], 2) if tanh_slope is None else tanh_slope(cache["A1"])
    dZ1 = np.dot(parameters["W2"].T, dZ2) * slope
    return {
        "dW1": scale * np.dot(dZ1, X.T),
        "db1": scale * np.sum(dZ1, axis=1, keepdims=keepdims),
        "dW2": scale * np.dot(dZ2, cache["A1"].T),
        "db2": scale * np.sum(dZ2, axis=1, keepdims=keepdims),
    }


def update_parameters(parameters, grads, learning_rate=1.2):
    return {key: parameters[key] - learning_rate * grads["d" + key] for key in parameters}


def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for _ in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return parameters


def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return (A2 > 0.5).astype(int)


CORRECT = {
    "layer_sizes": layer_sizes,
    "initialize_parameters": initialize_parameters,
    "forward_propagation": forward_propagation,
    "compute_cost": compute_cost,
    "backward_propagation": backward_propagation,
    "update_parameters": update_parameters,
    "nn_model": nn_model,
    "predict": predict,
}


@pytest.mark.parametrize("name", list(CORRECT))
def test_correct_implementation_passes(name, capsys):
    reference_passes(checks, CORRECT, name, capsys)


@pytest.mark.parametrize("name", list(CORRECT))
def test_blank_exercise_fails_with_not_implemented_only(name):
    blank_raises_not_implemented(checks, [name])


# ---------------------------------------------------------------------------------------
# Typical mistakes, each with a phrase its failure message must contain.


def _in_place_update(parameters, grads, learning_rate=1.2):
    for key in parameters:
        parameters[key] -= learning_rate * grads["d" + key]
    return parameters


def _nn_model_fixed_hidden_size(X, Y, n_h, num_iterations=10000, print_cost=False):
    return nn_model(X, Y, layer_sizes(X, Y)[1], num_iterations)


def _nn_model_fixed_iterations(X, Y, n_h, num_iterations=10000, print_cost=False):
    return nn_model(X, Y, n_h, 300)


def _nn_model_never_updates(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for _ in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        update_parameters(parameters, grads)  # result thrown away
    return parameters


def _forward_elementwise(X, parameters):
    Z1 = parameters["W1"] * X + parameters["b1"]  # broadcasts only for a single input
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] * A1 + parameters["b2"]
    A2 = 1.0 / (1.0 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def _forward_sigmoid_sign(X, parameters):
    A2, cache = forward_propagation(X, parameters)
    A2 = 1.0 - A2  # 1 / (1 + exp(+Z2))
    return A2, {**cache, "A2": A2}


def _backward(parameters, cache, X, Y, dZ2_over_m=False, transpose=True):
    m = X.shape[1]
    dZ2 = (cache["A2"] - Y) / (m if dZ2_over_m else 1)
    W2 = parameters["W2"].T if transpose else parameters["W2"]
    dZ1 = (W2 @ dZ2) * (1 - cache["A1"] ** 2)
    return {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": dZ2 @ cache["A1"].T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}


def _nn_model_off_by_one(X, Y, n_h, num_iterations=10000, print_cost=False):
    return nn_model(X, Y, n_h, num_iterations - 1)  # for i in range(1, num_iterations)


def _nn_model_forward_once(X, Y, n_h, num_iterations=10000, print_cost=False):
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    A2, cache = forward_propagation(X, parameters)  # outside the loop: stale gradients
    for _ in range(num_iterations):
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return parameters


MISTAKES = [
    ("layer_sizes", lambda X, Y: (X.shape[1], 4, Y.shape[1]), "X.shape[0]"),
    ("initialize_parameters",
     lambda n_x, n_h, n_y: {"W1": np.zeros((n_h, n_x)), "b1": np.zeros((n_h, 1)),
                            "W2": np.zeros((n_y, n_h)), "b2": np.zeros((n_y, 1))},
     "draw W1 at random"),
    ("initialize_parameters",
     lambda n_x, n_h, n_y: {"W1": np.random.randn(n_h, n_x), "b1": np.zeros((n_h, 1)),
                            "W2": np.random.randn(n_y, n_h), "b2": np.zeros((n_y, 1))},
     "* 0.01"),
    ("initialize_parameters",
     lambda n_x, n_h, n_y: {"W1": 0.01 * np.random.rand(n_h, n_x), "b1": np.zeros((n_h, 1)),
                            "W2": 0.01 * np.random.rand(n_y, n_h), "b2": np.zeros((n_y, 1))},
     "np.random.randn"),
    ("initialize_parameters",
     lambda n_x, n_h, n_y: {"W1": 0.01 * np.random.randn(n_x, n_h), "b1": np.zeros((n_h, 1)),
                            "W2": 0.01 * np.random.randn(n_h, n_y), "b2": np.zeros((n_y, 1))},
     "shape of"),
    ("forward_propagation", lambda X, p: forward_propagation(X, p, lambda z: np.maximum(z, 0)),
     "tanh"),
    ("forward_propagation",
     lambda X, p: forward_propagation(X, p, lambda z: 1 / (1 + np.exp(-z))), "tanh"),
    ("forward_propagation",
     lambda X, p: forward_propagation(X, {**p, "b1": np.zeros_like(p["b1"])}), "biases"),
    ("forward_propagation",
     lambda X, p: forward_propagation(X, {**p, "b2": np.zeros_like(p["b2"])}), "add the bias b2"),
    ("forward_propagation", _forward_elementwise, "matrix product"),
    ("forward_propagation", _forward_sigmoid_sign, "wrong sign"),
    ("compute_cost", lambda A2, Y: -compute_cost(A2, Y), "minus sign"),
    ("compute_cost", lambda A2, Y: A2.shape[1] * compute_cost(A2, Y), "divide the sum by m"),
    ("compute_cost", lambda A2, Y: float(-np.mean(Y * np.log(A2))), "both terms"),
    ("compute_cost",
     lambda A2, Y: -(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T)) / Y.shape[1],
     "a plain number"),
    ("compute_cost",
     lambda A2, Y: float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(A2))), "log of 1 - A2"),
    ("backward_propagation",
     lambda p, c, X, Y: backward_propagation(p, c, X, Y, tanh_slope=lambda a: 1 - a),
     "squared"),
    ("backward_propagation",
     lambda p, c, X, Y: backward_propagation(p, c, X, Y, scale=1.0), "divide by m"),
    ("backward_propagation",
     lambda p, c, X, Y: backward_propagation(p, c, X, Y, keepdims=False), "keepdims=True"),
    ("backward_propagation",
     lambda p, c, X, Y: backward_propagation(p, c, X, Y, scale=-1.0 / X.shape[1]),
     "wrong sign"),
    ("backward_propagation",
     lambda p, c, X, Y: _backward(p, c, X, Y, dZ2_over_m=True), "divide by m once"),
    ("backward_propagation",
     lambda p, c, X, Y: _backward(p, c, X, Y, transpose=False), "mind the transposes"),
    ("update_parameters",
     lambda p, g, learning_rate=1.2: update_parameters(p, g, -learning_rate),
     "step against the gradient"),
    ("update_parameters", _in_place_update, "in place"),
    ("update_parameters", lambda p, g, learning_rate=1.2: update_parameters(p, g),
     "learning_rate argument"),
    ("update_parameters",
     lambda p, g, learning_rate=1.2: {k: p[k] - learning_rate * g[k] for k in p}, '"dW1"'),
    ("update_parameters",
     lambda p, g, learning_rate=1.2: {k: p[k] - (learning_rate * g["d" + k] if k[0] == "W"
                                                 else 0) for k in p},
     "the biases too"),
    ("nn_model", _nn_model_fixed_hidden_size, "the n_h units passed to nn_model"),
    ("nn_model", _nn_model_fixed_iterations, "num_iterations times"),
    ("nn_model", _nn_model_never_updates, "keep the new parameters"),
    ("nn_model", _nn_model_off_by_one, "range(num_iterations)"),
    ("nn_model", _nn_model_forward_once, "inside the loop"),
    ("nn_model",
     lambda X, Y, n_h, num_iterations=10000, print_cost=False: nn_model(X, Y, n_h, 0),
     "range(num_iterations)"),
    ("predict", lambda p, X: (forward_propagation(X, p)[1]["Z2"] > 0.5).astype(int), "not Z2"),
    ("predict", lambda p, X: (forward_propagation(X, p)[0] > 0.55).astype(int), "A2 > 0.5"),
    ("predict", lambda p, X: (forward_propagation(X, p)[0] > 0.5).ravel().astype(int),
     "(1, m) row"),
]


@pytest.mark.parametrize(
    ("name", "wrong", "phrase"), MISTAKES, ids=[f"{m[0]}-{i}" for i, m in enumerate(MISTAKES)]
)
def test_typical_mistake_is_caught_with_a_helpful_message(name, wrong, phrase):
    mistake_is_caught(checks, name, wrong, phrase)


# ---------------------------------------------------------------------------------------
# Verdicts on training results: a realistic run holds, a broken implementation's does not.
# The broken values are those measured with the notebook's cells (see the check module).

SIZES = [1, 2, 3, 4, 5, 20, 50]
SWEEP_TRAIN = [0.6325, 0.6525, 0.8475, 0.8425, 0.855, 0.8725, 0.87]
SWEEP_TEST = [0.595, 0.6025, 0.8375, 0.8125, 0.8375, 0.83, 0.8175]


def test_realistic_training_results_hold(capsys):
    checks.baseline(0.555, 0.555)
    checks.trained_network(0.8425, 0.815, 0.555)
    checks.hidden_size_sweep(SIZES, SWEEP_TRAIN, SWEEP_TEST)
    checks.moons_and_circles({"moons": (0.84, 0.9833), "circles": (0.51, 1.0)})
    out = capsys.readouterr().out
    assert out.count("verdicts hold") == 4, out
    assert "0.815" not in out and "0.8425" not in out  # verdicts, never the numbers


def test_baseline_fails_on_a_linearly_separable_dataset():
    with pytest.raises(CheckFailure, match="straight line"):
        checks.baseline(0.97, 0.96)


@pytest.mark.parametrize(("train", "test", "word"), [
    (0.5, 0.5, "wrong sign"),          # the gradient's sign flipped
    (0.7425, 0.7575, "1 - A1**2"),     # tanh' written as 1 - A1
    (0.58, 0.575, "1/m"),              # gradients not divided by m
])
def test_trained_network_fails_on_a_broken_backward_pass(train, test, word):
    with pytest.raises(CheckFailure) as failure:
        checks.trained_network(train, test, 0.555)
    assert word in str(failure.value)


def test_sweep_fails_when_nn_model_ignores_n_h():
    train = [0.8425, 0.8425] + SWEEP_TRAIN[2:]
    test = [0.8125, 0.8125] + SWEEP_TEST[2:]
    with pytest.raises(CheckFailure, match="ignores its n_h"):
        checks.hidden_size_sweep(SIZES, train, test)


def test_sweep_fails_with_a_flipped_gradient():
    with pytest.raises(CheckFailure, match="wrong sign"):
        checks.hidden_size_sweep(SIZES, [0.5] * 7, [0.5] * 7)


def test_moons_and_circles_fail_with_a_flipped_gradient():
    with pytest.raises(CheckFailure, match="wrong sign"):
        checks.moons_and_circles({"moons": (0.84, 0.1533), "circles": (0.51, 0.5)})
