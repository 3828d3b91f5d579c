"""Unit tests of utils.models.three_layer_net, the plain 3-layer network of Course 2, week 1."""

import numpy as np
import pytest
from scipy.special import expit

from utils.checks.oracles import numeric_gradient, relative_difference
from utils.models import three_layer_net as net

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


def test_forward_matches_a_plain_composition_and_returns_the_tuple_cache():
    X, _, p = problem()
    A3, cache = net.forward_propagation(X, p)
    A1 = np.maximum(0, p["W1"] @ X + p["b1"])
    A2 = np.maximum(0, p["W2"] @ A1 + p["b2"])
    np.testing.assert_allclose(A3, expit(p["W3"] @ A2 + p["b3"]), rtol=1e-12)
    assert isinstance(cache, tuple) and len(cache) == len(net.CACHE_NAMES) == 12
    (Z1, A1_, W1, b1, Z2, A2_, W2, b2, Z3, A3_, W3, b3) = cache
    np.testing.assert_allclose(Z1, p["W1"] @ X + p["b1"])
    np.testing.assert_allclose(A1_, A1)
    np.testing.assert_allclose(A2_, A2)
    np.testing.assert_allclose(Z3, p["W3"] @ A2 + p["b3"])
    assert A3_ is A3
    for name, value in (("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2), ("W3", W3),
                        ("b3", b3)):
        assert value is p[name]
    assert net.CACHE_NAMES[4] == "Z2" and Z2.shape == (DIMS[2], X.shape[1])
    assert net.DROPOUT_CACHE_NAMES == ("Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2",
                                       "b2", "Z3", "A3", "W3", "b3")


def test_backward_matches_numeric_gradients():
    X, Y, p = problem()
    _, cache = net.forward_propagation(X, p)
    Z1, Z2 = cache[0], cache[4]
    assert min(np.min(np.abs(Z1)), np.min(np.abs(Z2))) > 1e-3
    grads = net.backward_propagation(X, Y, cache)
    for key in p:
        def f(value, key=key):
            return cost_of(X, Y, {**p, key: value})
        assert relative_difference(grads[f"d{key}"], numeric_gradient(f, p[key])) < 1e-7, key
    assert sorted(grads) == sorted(
        ["dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"])
    np.testing.assert_allclose(grads["dZ3"], cache[9] - Y)


def test_shared_functions_are_dnn_s():
    from utils.models import dnn
    for name in ("relu", "sigmoid", "compute_cost", "update_parameters", "predict_proba",
                 "predict", "accuracy"):
        assert getattr(net, name) is getattr(dnn, name), name


def test_compute_cost_is_finite_for_saturated_outputs():
    Y = np.array([[1, 0]])
    assert net.compute_cost(np.array([[0.8, 0.4]]), Y) == pytest.approx(
        -(np.log(0.8) + np.log(0.6)) / 2)
    assert np.isfinite(net.compute_cost(np.array([[0.0, 1.0]]), Y))


def test_initialize_seeded_is_seeded_and_he_scaled():
    a = net.initialize_seeded([400, 300, 20, 1], seed=4)
    b = net.initialize_seeded([400, 300, 20, 1], seed=4)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    assert np.std(a["W1"]) == pytest.approx(np.sqrt(2 / 400), rel=0.03)
    with pytest.raises(ValueError):
        net.initialize_seeded([2, 3, 1])


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


def test_train_hands_the_forward_cache_to_backward_as_it_is():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((2, 20))
    Y = (X[0] > 0).astype(np.int64).reshape(1, -1)
    seen = []

    def forward(X, parameters):
        A3, cache = net.forward_propagation(X, parameters)
        return A3, ("marker", cache)

    def backward(X, Y, cache):
        seen.append(cache)
        return net.backward_propagation(X, Y, cache[1])

    net.train(X, Y, [2, 4, 3, 1], num_iterations=3, forward=forward, backward=backward)
    assert len(seen) == 3 and all(c[0] == "marker" and len(c[1]) == 12 for c in seen)
