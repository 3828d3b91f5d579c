"""Unit tests of utils.models.dnn, the reusable numpy L-layer network."""

import math

import numpy as np
import pytest
from scipy.special import expit

from utils.checks.oracles import numeric_gradient, relative_difference
from utils.models import dnn

LAYERS = [4, 5, 3, 1]


def tiny_problem(m=7, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((LAYERS[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(np.int64)
    return X, Y


def he_parameters(layer_dims=LAYERS, seed=3):
    np.random.seed(seed)
    return dnn.initialize_parameters_deep(layer_dims)


def cost_of(parameters, X, Y):
    AL, _ = dnn.L_model_forward(X, parameters)
    return dnn.compute_cost(AL, Y)


# ------------------------------------------------------------------------- initialisation


def test_initialize_parameters_deep_shapes_and_zero_biases():
    parameters = he_parameters()
    assert sorted(parameters) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    for l in range(1, len(LAYERS)):
        assert parameters[f"W{l}"].shape == (LAYERS[l], LAYERS[l - 1])
        assert parameters[f"b{l}"].shape == (LAYERS[l], 1)
        assert not parameters[f"b{l}"].any()


def test_initialize_parameters_deep_uses_he_scale():
    np.random.seed(0)
    parameters = dnn.initialize_parameters_deep([400, 300, 50])
    assert np.std(parameters["W1"]) == pytest.approx(math.sqrt(2 / 400), rel=0.02)
    assert np.std(parameters["W2"]) == pytest.approx(math.sqrt(2 / 300), rel=0.05)


def test_initialize_parameters_is_the_two_layer_case_and_reproducible():
    np.random.seed(1)
    two = dnn.initialize_parameters(6, 4, 1)
    np.random.seed(1)
    deep = dnn.initialize_parameters_deep([6, 4, 1])
    assert sorted(two) == ["W1", "W2", "b1", "b2"]
    assert two["W1"].shape == (4, 6) and two["W2"].shape == (1, 4)
    for key in two:
        np.testing.assert_array_equal(two[key], deep[key])


# ---------------------------------------------------------------------------- forward pass


def test_activations_on_hand_values():
    Z = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_array_equal(dnn.relu(Z), [[0.0, 0.0, 3.0]])
    A = dnn.sigmoid(Z)
    np.testing.assert_allclose(A, expit(Z), rtol=1e-15)
    assert A[0, 1] == 0.5


def test_sigmoid_does_not_overflow_and_keeps_tiny_outputs_precise():
    Z = np.array([[-1000.0, -700.0, -30.0, 30.0, 1000.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow is fine
        A = dnn.sigmoid(Z)
    np.testing.assert_allclose(A, expit(Z), rtol=1e-14)
    assert A[0, 0] == 0.0 and A[0, -1] == 1.0 and A[0, 1] > 0.0


def test_a_saturated_output_gives_a_finite_cost_and_exact_gradients():
    # Z > 36.7 or Z < -745: the sigmoid returns exactly 1 or 0, the textbook formulas give nan.
    W = np.array([[1.0]])
    X, Y = np.array([[-800.0, 50.0, -800.0, 50.0]]), np.array([[0, 1, 1, 0]])
    AL, caches = dnn.L_model_forward(X, {"W1": W, "b1": np.zeros((1, 1))})
    assert AL.tolist() == [[0.0, 1.0, 0.0, 1.0]]
    low, high = dnn.OPEN_UNIT_INTERVAL
    assert dnn.compute_cost(AL, Y) == pytest.approx(-(math.log(low) + math.log(1 - high)) / 4)
    assert dnn.compute_cost(np.array([[1e-300]]), np.array([[1]])) == pytest.approx(
        300 * math.log(10))  # a tiny but positive output keeps its exact cost
    grads = dnn.L_model_backward(AL, Y, caches)
    np.testing.assert_array_equal(grads["dW1"], [[(800.0 + 50.0) / 4]])
    np.testing.assert_array_equal(grads["db1"], [[0.0]])


def test_linear_forward_on_hand_values():
    A = np.array([[1.0, 2.0], [3.0, -1.0]])
    W = np.array([[2.0, -1.0]])
    b = np.array([[0.5]])
    Z, cache = dnn.linear_forward(A, W, b)
    np.testing.assert_allclose(Z, [[2 - 3 + 0.5, 4 + 1 + 0.5]])
    assert cache[0] is A and cache[1] is W and cache[2] is b


def test_linear_activation_forward_rejects_unknown_activation():
    with pytest.raises(ValueError, match="tanh"):
        dnn.linear_activation_forward(np.ones((2, 1)), np.ones((1, 2)), np.zeros((1, 1)), "tanh")


def test_L_model_forward_shapes_and_caches():
    X, _ = tiny_problem()
    AL, caches = dnn.L_model_forward(X, he_parameters())
    assert AL.shape == (1, X.shape[1])
    assert len(caches) == len(LAYERS) - 1
    (A_prev, W, b), Z = caches[0]
    assert A_prev is X and W.shape == (5, 4) and Z.shape == (5, X.shape[1])
    assert np.all((AL > 0) & (AL < 1))


def test_one_layer_network_is_logistic_regression():
    X, _ = tiny_problem()
    parameters = he_parameters([LAYERS[0], 1])
    AL, _ = dnn.L_model_forward(X, parameters)
    np.testing.assert_allclose(AL, expit(parameters["W1"] @ X + parameters["b1"]), rtol=1e-12)


def test_compute_cost_on_hand_values():
    AL = np.array([[0.5, 0.9, 0.2]])
    Y = np.array([[1, 1, 0]])
    expected = -(math.log(0.5) + math.log(0.9) + math.log(0.8)) / 3
    cost = dnn.compute_cost(AL, Y)
    assert isinstance(cost, float)
    assert cost == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------- backward pass


def test_L_model_backward_matches_numeric_gradient():
    X, Y = tiny_problem()
    parameters = he_parameters()
    AL, caches = dnn.L_model_forward(X, parameters)
    grads = dnn.L_model_backward(AL, Y, caches)
    for key, value in parameters.items():
        numeric = numeric_gradient(lambda v, key=key: cost_of({**parameters, key: v}, X, Y), value)
        assert grads[f"d{key}"].shape == value.shape
        assert relative_difference(grads[f"d{key}"], numeric) < 1e-7, key


def test_L_model_backward_input_gradient_is_per_example():
    # dA0 is the gradient of the per-example losses, so it is m times dJ/dX.
    X, Y = tiny_problem()
    parameters = he_parameters()
    AL, caches = dnn.L_model_forward(X, parameters)
    grads = dnn.L_model_backward(AL, Y, caches)
    assert sorted(k for k in grads if k.startswith("dA")) == ["dA0", "dA1", "dA2"]
    numeric = numeric_gradient(lambda v: cost_of(parameters, v, Y), X)
    assert relative_difference(grads["dA0"] / X.shape[1], numeric) < 1e-7


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_linear_activation_backward_matches_numeric_gradient(activation):
    rng = np.random.default_rng(5)
    A_prev, W = rng.standard_normal((3, 4)), rng.standard_normal((2, 3))
    b = rng.standard_normal((2, 1))
    dA = rng.standard_normal((2, 4))  # the scalar is sum(dA * A) / m, so its dA is dA / m

    def scalar(A_prev, W, b):
        A, _ = dnn.linear_activation_forward(A_prev, W, b, activation)
        return float(np.sum(dA * A)) / A_prev.shape[1]

    _, cache = dnn.linear_activation_forward(A_prev, W, b, activation)
    dA_prev, dW, db = dnn.linear_activation_backward(dA, cache, activation)
    m = A_prev.shape[1]
    np.testing.assert_allclose(
        dA_prev / m, numeric_gradient(lambda v: scalar(v, W, b), A_prev), atol=1e-8
    )
    np.testing.assert_allclose(dW, numeric_gradient(lambda v: scalar(A_prev, v, b), W), atol=1e-8)
    np.testing.assert_allclose(db, numeric_gradient(lambda v: scalar(A_prev, W, v), b), atol=1e-8)


# ------------------------------------------------------------------- update and prediction


def test_update_parameters_steps_downhill_and_leaves_input_alone():
    params = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.5]])}
    grads = {"dW1": np.array([[0.2, -0.4]]), "db1": np.array([[1.0]])}
    before = {k: v.copy() for k, v in params.items()}
    updated = dnn.update_parameters(params, grads, learning_rate=0.5)
    np.testing.assert_allclose(updated["W1"], [[0.9, 2.2]])
    np.testing.assert_allclose(updated["b1"], [[0.0]])
    for key in params:
        np.testing.assert_array_equal(params[key], before[key])


def test_predict_thresholds_at_one_half_and_accuracy_scores():
    parameters = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    X = np.array([[-2.0, -0.1, 0.1, 3.0]])
    predictions = dnn.predict(X, parameters)
    np.testing.assert_array_equal(predictions, [[0, 0, 1, 1]])
    assert predictions.dtype == np.int64
    accuracy = dnn.accuracy(X, np.array([[0, 1, 1, 1]]), parameters)
    assert isinstance(accuracy, float) and accuracy == 0.75


def test_training_reduces_cost_on_a_tiny_problem():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((2, 60))
    Y = (X[0] * X[1] > 0).astype(np.int64).reshape(1, -1)  # XOR-like: needs a hidden layer
    np.random.seed(0)
    parameters = dnn.initialize_parameters_deep([2, 8, 4, 1])
    costs = []
    for _ in range(1000):
        AL, caches = dnn.L_model_forward(X, parameters)
        costs.append(dnn.compute_cost(AL, Y))
        parameters = dnn.update_parameters(parameters, dnn.L_model_backward(AL, Y, caches), 0.1)
    assert costs[-1] < 0.5 * costs[0]
    assert dnn.accuracy(X, Y, parameters) > 0.9
