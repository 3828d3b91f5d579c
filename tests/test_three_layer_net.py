"""Unit tests of utils.three_layer_net, the plain 3-layer network of Course 2, week 1."""

import numpy as np
import pytest
from scipy.special import expit

from utils import three_layer_net as net
from utils.checks.oracles import numeric_gradient, relative_difference

DIMS = [3, 5, 4, 1]


def problem(m=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((DIMS[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(np.int64)
    parameters = {}
    for l in range(1, 4):
        parameters[f"W{l}"] = rng.standard_normal((DIMS[l], DIMS[l - 1]))
        parameters[f"b{l}"] = rng.standard_normal((DIMS[l], 1)) * 0.3
    return X, Y, parameters


def cost_of(X, Y, parameters):
    A3, _ = net.forward_propagation(X, parameters)
    return net.compute_cost(A3, Y)


def test_forward_matches_a_plain_composition_and_fills_the_cache():
    X, _, p = problem()
    A3, cache = net.forward_propagation(X, p)
    A1 = np.maximum(0, p["W1"] @ X + p["b1"])
    A2 = np.maximum(0, p["W2"] @ A1 + p["b2"])
    np.testing.assert_allclose(A3, expit(p["W3"] @ A2 + p["b3"]), rtol=1e-12)
    assert sorted(cache) == sorted(f"{k}{l}" for l in (1, 2, 3) for k in "ZAWb")
    np.testing.assert_allclose(cache["A2"], A2)
    assert cache["A3"] is A3


def test_backward_matches_numeric_gradients():
    X, Y, p = problem()
    _, cache = net.forward_propagation(X, p)
    assert min(np.min(np.abs(cache["Z1"])), np.min(np.abs(cache["Z2"]))) > 1e-3
    grads = net.backward_propagation(X, Y, cache)
    for key in p:
        def f(value, key=key):
            return cost_of(X, Y, {**p, key: value})
        assert relative_difference(grads[f"d{key}"], numeric_gradient(f, p[key])) < 1e-7, key
    assert sorted(grads) == sorted(
        ["dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"])
    np.testing.assert_allclose(grads["dZ3"], cache["A3"] - Y)


def test_compute_cost_is_finite_for_saturated_outputs():
    Y = np.array([[1, 0]])
    assert net.compute_cost(np.array([[0.8, 0.4]]), Y) == pytest.approx(
        -(np.log(0.8) + np.log(0.6)) / 2)
    assert np.isfinite(net.compute_cost(np.array([[0.0, 1.0]]), Y))


def test_initialize_parameters_is_seeded_and_he_scaled():
    a = net.initialize_parameters([400, 300, 20, 1], seed=4)
    b = net.initialize_parameters([400, 300, 20, 1], seed=4)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    assert np.std(a["W1"]) == pytest.approx(np.sqrt(2 / 400), rel=0.03)
    with pytest.raises(ValueError):
        net.initialize_parameters([2, 3, 1])


def test_train_lowers_the_cost_reproducibly_and_uses_the_hooks():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((2, 60))
    Y = (X[0] * X[1] > 0).astype(np.int64).reshape(1, -1)
    p1, costs1 = net.train(X, Y, [2, 8, 6, 1], num_iterations=600, record_every=100)
    p2, costs2 = net.train(X, Y, [2, 8, 6, 1], num_iterations=600, record_every=100)
    assert len(costs1) == 6 and costs1 == costs2
    assert costs1[-1] < 0.8 * costs1[0]
    np.testing.assert_array_equal(p1["W2"], p2["W2"])
    assert net.accuracy(X, Y, p1) > 0.7
    assert net.predict(X, p1).dtype == np.int64

    calls = []

    def counting_cost(A3, Y, parameters):
        calls.append(1)
        return 42.0

    _, costs = net.train(X, Y, [2, 8, 6, 1], num_iterations=5, record_every=2,
                         cost=counting_cost)
    assert costs == [42.0, 42.0, 42.0] and len(calls) == 3
