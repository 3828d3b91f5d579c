"""utils.models.batchnorm_net: the batch-norm layer and the gradients, checked numerically."""

import numpy as np
import pytest

from utils.checks.oracles import numeric_gradient, relative_difference
from utils.models import batchnorm_net as bn


def _case(seed=0, n=3, m=6):
    rng = np.random.default_rng(seed)
    Z = rng.normal(1.0, 2.0, size=(n, m))
    gamma = rng.uniform(0.5, 2.0, size=(n, 1))
    beta = rng.normal(size=(n, 1))
    return rng, Z, gamma, beta


def test_forward_train_mode_normalises_each_unit_and_updates_running():
    _, Z, gamma, beta = _case()
    running = {"mean": np.zeros((3, 1)), "var": np.ones((3, 1))}
    out, (Z_hat, cache_gamma, std) = bn.batchnorm_forward(Z, gamma, beta, running,
                                                          momentum=0.8, epsilon=1e-8)
    np.testing.assert_allclose(out.mean(axis=1, keepdims=True), beta, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=1, keepdims=True), gamma, rtol=1e-6)
    np.testing.assert_allclose(running["mean"], 0.2 * Z.mean(axis=1, keepdims=True))
    np.testing.assert_allclose(running["var"], 0.8 + 0.2 * Z.var(axis=1, keepdims=True))
    np.testing.assert_allclose(Z_hat * std + Z.mean(axis=1, keepdims=True), Z)
    assert cache_gamma is gamma


def test_forward_test_mode_uses_running_statistics_and_leaves_them():
    Z = np.array([[5.0, -1.0]])
    running = {"mean": np.array([[2.0]]), "var": np.array([[5.0]])}
    out, _ = bn.batchnorm_forward(Z, np.array([[2.0]]), np.array([[0.5]]), running,
                                  mode="test", epsilon=4.0)
    np.testing.assert_allclose(out, [[2.5, -1.5]])
    assert running["mean"][0, 0] == 2.0 and running["var"][0, 0] == 5.0
    with pytest.raises(ValueError):
        bn.batchnorm_forward(Z, np.ones((1, 1)), np.zeros((1, 1)), running, mode="eval")


def test_backward_matches_numeric_gradients():
    rng, Z, gamma, beta = _case(1)
    R = rng.normal(size=Z.shape)

    def cost(Z_, gamma_, beta_):
        running = {"mean": np.zeros((3, 1)), "var": np.ones((3, 1))}
        return float(np.sum(R * bn.batchnorm_forward(Z_, gamma_, beta_, running)[0]))

    _, cache = bn.batchnorm_forward(Z, gamma, beta, {"mean": 0.0, "var": 1.0})
    dZ, dgamma, dbeta = bn.batchnorm_backward(R, cache)
    assert relative_difference(dZ, numeric_gradient(lambda z: cost(z, gamma, beta), Z)) < 1e-7
    np.testing.assert_allclose(dgamma, numeric_gradient(lambda g: cost(Z, g, beta), gamma),
                               rtol=1e-6)
    np.testing.assert_allclose(dbeta, numeric_gradient(lambda b: cost(Z, gamma, b), beta),
                               rtol=1e-6)


@pytest.mark.parametrize("batch_norm", [False, True])
def test_network_gradients_match_numeric_gradients(batch_norm):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(4, 7))
    Y = (rng.uniform(size=(1, 7)) > 0.5).astype(float)
    params, running = bn.initialize([4, 5, 3, 1], batch_norm=batch_norm, seed=3)
    logits, caches = bn.forward(X, params, running)
    grads = bn.backward(logits, Y, caches)
    assert sorted(grads) == sorted("d" + key for key in params)
    for key, value in params.items():
        def cost(v, key=key):
            trial = {**params, key: v}
            out, _ = bn.forward(X, trial, {l: dict(r) for l, r in running.items()})
            return bn.cost_from_logits(out, Y)

        numeric = numeric_gradient(cost, value)
        assert relative_difference(grads["d" + key], numeric) < 1e-6, key


def test_train_lowers_the_loss_uses_given_layer_and_flags_divergence():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(5, 200))
    Y = (X[:1] + X[1:2] > 0).astype(float)
    calls = []

    def counting_forward(*args, **kwargs):
        calls.append(kwargs["mode"])
        return bn.batchnorm_forward(*args, **kwargs)

    model, history = bn.train(X, Y, [5, 8, 8, 1], batch_norm=True, learning_rate=0.3,
                              epochs=5, batch_size=50, X_dev=X, Y_dev=Y,
                              bn_functions=(counting_forward, bn.batchnorm_backward))
    assert history["loss"][-1] < history["loss"][0]
    assert history["dev_accuracy"][-1] > 0.9
    assert "train" in calls and "test" in calls
    assert bn._predict(X, model).shape == (1, 200)

    _, history = bn.train(X * 1e3, Y, [5, 8, 8, 1], learning_rate=1e200, epochs=4)
    assert len(history["loss"]) == 4 and np.isnan(history["loss"][-1])


def test_a_layer_that_updates_the_running_statistics_in_place_trains_the_same_network():
    def in_place_forward(Z, gamma, beta, running, mode="train", momentum=0.9, epsilon=1e-5):
        if mode == "train":
            mean, var = Z.mean(axis=1, keepdims=True), Z.var(axis=1, keepdims=True)
            for key, batch in (("mean", mean), ("var", var)):
                running[key] *= momentum
                running[key] += (1 - momentum) * batch
        else:
            mean, var = running["mean"], running["var"]
        std = np.sqrt(var + epsilon)
        Z_hat = (Z - mean) / std
        return gamma * Z_hat + beta, (Z_hat, gamma, std)

    rng = np.random.default_rng(5)
    X = rng.normal(size=(5, 120))
    Y = (X[:1] - X[2:3] > 0).astype(float)
    results = [bn.train(X, Y, [5, 6, 6, 1], batch_norm=True, learning_rate=0.5, epochs=3,
                        batch_size=40, X_dev=X, Y_dev=Y,
                        bn_functions=(forward, bn.batchnorm_backward))
               for forward in (bn.batchnorm_forward, in_place_forward)]
    (model_a, history_a), (model_b, history_b) = results
    assert history_a == history_b
    for layer, statistics in model_a["running"].items():
        for key in ("mean", "var"):
            np.testing.assert_array_equal(statistics[key], model_b["running"][layer][key])
    # every layer owns its arrays, so updating them in place cannot leak between layers
    ids = [id(s[key]) for s in bn.initialize([5, 6, 6, 1], batch_norm=True)[1].values()
           for key in ("mean", "var")]
    assert len(set(ids)) == len(ids)
