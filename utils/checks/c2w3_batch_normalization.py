"""Checks for Course 2, week 3: batch normalisation from scratch.

Graded functions (this repository's design; the original course has no such exercise)::

    batchnorm_forward(Z, gamma, beta, running, mode="train", momentum=0.9, epsilon=1e-5)
        -> out, cache            cache = (Z_hat, gamma, std), std = sqrt(var + epsilon)
    batchnorm_backward(dout, cache) -> dZ, dgamma, dbeta

``Z`` has shape ``(n_units, m)`` (examples are columns); ``gamma``, ``beta``,
``running["mean"]`` and ``running["var"]`` are columns ``(n_units, 1)``. Gradients are the
true derivatives of a scalar cost, so ``dgamma`` and ``dbeta`` are sums over the examples.

Oracles: numbers worked out by hand on a tiny batch, mathematical properties (per-unit mean
``beta`` and spread ``gamma``; ``dZ`` sums to zero over the batch), numeric gradients
(central differences) of a random linear function of the output, and
``keras.layers.BatchNormalization`` (outputs, moving statistics and, through
``tf.GradientTape``, gradients) on the same numbers, transposed to Keras's ``(m, n)``.
"""

import numpy as np

from utils.checks.harness import Checker, rounded
from utils.checks.oracles import numeric_gradient, relative_difference

# ----------------------------------------------------------------------------------------
# helpers and oracles (written independently of the notebook)


def _rng(seed):
    return np.random.default_rng(seed)


def _keras_layer(n_units, gamma, beta, mean, var, momentum, epsilon):
    """A float64 Keras BatchNormalization layer holding these weights and statistics."""
    import keras

    layer = keras.layers.BatchNormalization(momentum=momentum, epsilon=epsilon,
                                            dtype="float64")
    layer.build((None, n_units))
    layer.set_weights([np.ravel(gamma), np.ravel(beta), np.ravel(mean), np.ravel(var)])
    return layer


def _column(values):
    return np.asarray(values, dtype=float).reshape(-1, 1)


def _plain_forward(Z, gamma, beta, epsilon, axis=1, ddof=0, use_epsilon=True):
    """Training-mode batch norm written out; the keyword arguments make the usual slips."""
    mean = np.mean(Z, axis=axis, keepdims=True)
    var = np.var(Z, axis=axis, ddof=ddof, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        Z_hat = (Z - mean) / np.sqrt(var + (epsilon if use_epsilon else 0.0))
    return gamma * Z_hat + beta


def _forward_hint(got, Z, gamma, beta, epsilon, base):
    """Name the likely mistake when a training-mode output matches a known slip."""
    got = np.asarray(got, dtype=float)
    slips = [
        (dict(axis=0), "you normalised over the units (axis 0); each unit (row) must be "
                       "normalised over the examples of the batch: use axis=1."),
        (dict(ddof=1), "you used the unbiased variance (divided by m - 1); batch norm "
                       "divides by m, as np.var does by default (ddof=0)."),
        (dict(use_epsilon=False), "epsilon is missing: divide by sqrt(var + epsilon), "
                                  "which also keeps a constant unit from giving 0/0."),
    ]
    for kwargs, hint in slips:
        try:
            candidate = _plain_forward(Z, gamma, beta, epsilon, **kwargs)
        except ValueError:
            continue
        if candidate.shape == got.shape and np.allclose(got, candidate, equal_nan=True):
            return hint
    return base


def _check_running(check, running, mean, var, what, hint):
    check.keys(running, ["mean", "var"], f"running {what}",
               "running must keep exactly the keys 'mean' and 'var'.")
    for key, expected in (("mean", mean), ("var", var)):
        label = f"running[{key!r}] {what}"
        check.array(running[key], expected.shape, label,
                    "the running statistics are columns (n_units, 1), like gamma and beta.")
        check.close(running[key], expected, label, hint=hint)


# ----------------------------------------------------------------------------------------
# batchnorm_forward

# The hand-worked example: unit 1 sees 1, 3, 5, 7 (mean 4, variance 5); unit 2 is constant.
_HAND_Z = np.array([[1.0, 3.0, 5.0, 7.0], [2.0, 2.0, 2.0, 2.0]])
_HAND_GAMMA = np.array([[2.0], [3.0]])
_HAND_BETA = np.array([[0.5], [-1.0]])
_HAND_EPSILON = 4.0  # unit 1: sqrt(5 + 4) = 3, so Z_hat = [-1, -1/3, 1/3, 1]
_HAND_OUT = np.array([[-1.5, -1.0 / 6.0, 7.0 / 6.0, 2.5], [-1.0, -1.0, -1.0, -1.0]])
_HAND_Z_HAT = np.array([[-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0], [0.0, 0.0, 0.0, 0.0]])
_HAND_STD = np.array([[3.0], [2.0]])
# running statistics before (mean [1, 0], var [2, 1]) and after one step with momentum 0.75:
# 0.75 * 1 + 0.25 * 4 = 1.75, 0.75 * 0 + 0.25 * 2 = 0.5; 0.75 * 2 + 0.25 * 5 = 2.75, 0.75 * 1 + 0
_HAND_MEAN_AFTER = np.array([[1.75], [0.5]])
_HAND_VAR_AFTER = np.array([[2.75], [0.75]])
# test mode: running mean [2, 1], var [5, 0], epsilon 4, so std = [3, 2]
_TEST_Z = np.array([[5.0, -1.0], [1.0, 3.0]])
_TEST_OUT = np.array([[2.5, -1.5], [-1.0, 2.0]])


def batchnorm_forward(fn):
    """Check batchnorm_forward in both modes, by hand, by its properties and against Keras."""
    check = Checker("batchnorm_forward")
    rng = _rng(3)
    n, m = 4, 50
    Z = rng.normal(loc=[[2.0], [-1.0], [0.0], [5.0]], scale=[[1.0], [3.0], [0.5], [2.0]],
                   size=(n, m))
    gamma = _column([1.5, 0.5, 2.0, 1.0])
    beta = _column([0.0, 1.0, -2.0, 0.5])
    running = {"mean": np.zeros((n, 1)), "var": np.ones((n, 1))}
    shape_hint = ("normalise each unit (row) over the examples (axis=1) and keep the "
                  "statistics as columns with keepdims=True.")
    result = check.call_or_fail(fn, Z, gamma, beta, running, mode="train", momentum=0.9,
                                epsilon=1e-5, hint=shape_hint)

    # types and shapes
    check.type_is(result, tuple, "the returned value", "return the pair (out, cache).")
    check.that(len(result) == 2, "length of the returned tuple", 2, len(result),
               "return the pair (out, cache).")
    out, cache = result
    check.array(out, (n, m), "out", shape_hint)
    check.type_is(cache, tuple, "cache", "return the cache as a tuple (Z_hat, gamma, std).")
    check.that(len(cache) == 3, "length of cache", 3, len(cache),
               "the cache holds (Z_hat, gamma, std), in that order.")
    for item, shape, name in zip(cache, [(n, m), (n, 1), (n, 1)], ["Z_hat", "gamma", "std"],
                                 strict=True):
        check.array(item, shape, f"cache {name}",
                    "the cache holds (Z_hat, gamma, std): Z_hat like Z, gamma and std as "
                    "columns (n_units, 1), so take the statistics over the examples "
                    "(axis=1) with keepdims=True.")

    # properties: each unit leaves with mean beta and standard deviation gamma
    base = "out = gamma * (Z - mean) / sqrt(var + epsilon) + beta, with per-unit statistics."
    check.close(out.mean(axis=1, keepdims=True), beta,
                "per-unit mean of out in train mode (should be beta)", atol=1e-8,
                hint=_forward_hint(out, Z, gamma, beta, 1e-5, base))
    check.close(out.std(axis=1, keepdims=True), gamma,
                "per-unit standard deviation of out in train mode (should be gamma)",
                rtol=1e-4, hint=_forward_hint(out, Z, gamma, beta, 1e-5, base))

    # hand-worked example, train mode
    hand_running = {"mean": _column([1.0, 0.0]), "var": _column([2.0, 1.0])}
    with np.errstate(divide="ignore", invalid="ignore"):
        out, cache = check.call_or_fail(
            fn, _HAND_Z, _HAND_GAMMA, _HAND_BETA, hand_running,
            mode="train", momentum=0.75, epsilon=_HAND_EPSILON, hint=shape_hint)
    what = "out for Z = [[1, 3, 5, 7], [2, 2, 2, 2]], epsilon = 4, train mode"
    check.array(out, (2, 4), what, shape_hint)
    hand_out = out
    check.close(out, _HAND_OUT, what,
                hint=_forward_hint(out, _HAND_Z, _HAND_GAMMA, _HAND_BETA, _HAND_EPSILON,
                                   base + " In train mode use the batch's statistics."))
    check.close(cache[0], _HAND_Z_HAT, "cache Z_hat of the hand example",
                hint="Z_hat = (Z - mean) / sqrt(var + epsilon), before gamma and beta.")
    check.close(cache[1], _HAND_GAMMA, "cache gamma of the hand example",
                hint="the cache holds (Z_hat, gamma, std), in that order.")
    check.close(cache[2], _HAND_STD, "cache std of the hand example",
                hint="std = sqrt(var + epsilon), epsilon included.")
    _check_running(
        check, hand_running, _HAND_MEAN_AFTER, _HAND_VAR_AFTER,
        "after one train step with momentum 0.75",
        "running = momentum * running + (1 - momentum) * batch statistic, with the biased "
        "batch variance (divide by m); a large momentum means the average moves slowly.",
    )

    # hand-worked example, test mode: the running statistics, left unchanged
    test_running = {"mean": _column([2.0, 1.0]), "var": _column([5.0, 0.0])}
    out, cache = check.call_or_fail(
        fn, _TEST_Z, _HAND_GAMMA, _HAND_BETA, test_running,
        mode="test", momentum=0.75, epsilon=_HAND_EPSILON, hint=shape_hint)
    what = "out for Z = [[5, -1], [1, 3]], running mean [2, 1], var [5, 0], test mode"
    check.array(out, (2, 2), what, shape_hint)
    test_out = out
    check.close(out, _TEST_OUT, what,
                hint="in test mode normalise with running['mean'] and running['var'], not "
                     "with the statistics of the batch you are given.")
    _check_running(check, test_running, _column([2.0, 1.0]), _column([5.0, 0.0]),
                   "after a test-mode call",
                   "test mode must leave the running statistics alone.")

    # Keras's BatchNormalization on the same numbers (it wants examples as rows)
    keras_check = _keras_forward(check, fn, rng)

    print(f"train mode, Z = {_HAND_Z.tolist()}, epsilon = 4: out =")
    print(rounded(hand_out))
    print(f"running mean -> {rounded(hand_running['mean'].ravel())}, "
          f"running var -> {rounded(hand_running['var'].ravel())}")
    print(f"test mode, Z = {_TEST_Z.tolist()}: out = {rounded(test_out)}")
    print(keras_check)
    check.done()


def _keras_forward(check, fn, rng):
    n, m, momentum, epsilon = 3, 8, 0.9, 1e-3
    Z = rng.normal(loc=1.0, scale=2.0, size=(n, m))
    gamma = _column(rng.uniform(0.5, 2.0, n))
    beta = _column(rng.normal(size=n))
    mean0, var0 = _column(rng.normal(size=n)), _column(rng.uniform(0.5, 2.0, n))
    layer = _keras_layer(n, gamma, beta, mean0, var0, momentum, epsilon)
    keras_train = np.asarray(layer(Z.T, training=True)).T
    keras_mean = _column(np.asarray(layer.moving_mean))
    keras_var = _column(np.asarray(layer.moving_variance))
    Z_test = rng.normal(size=(n, 5))
    keras_test = np.asarray(layer(Z_test.T, training=False)).T

    running = {"mean": mean0.copy(), "var": var0.copy()}
    hint = "shapes: Z is (n_units, m); the statistics are columns (n_units, 1)."
    out, _ = check.call_or_fail(fn, Z, gamma, beta, running, mode="train", momentum=momentum,
                                epsilon=epsilon, hint=hint)
    check.close(out, keras_train, "train-mode out vs keras BatchNormalization(training=True)",
                hint=_forward_hint(out, Z, gamma, beta, epsilon, "normalise with the batch "
                                   "mean and biased variance, then scale and shift."))
    _check_running(check, running, keras_mean, keras_var,
                   "vs Keras's moving_mean / moving_variance after one call",
                   "Keras also computes momentum * moving + (1 - momentum) * batch, with the "
                   "biased batch variance.")
    out, _ = check.call_or_fail(fn, Z_test, gamma, beta, running, mode="test", momentum=momentum,
                                epsilon=epsilon, hint=hint)
    check.close(out, keras_test, "test-mode out vs keras BatchNormalization(training=False)",
                hint="in test mode normalise with the running statistics.")
    return "agrees with keras.layers.BatchNormalization (training=True and False)"


# ----------------------------------------------------------------------------------------
# batchnorm_backward


def _oracle_cache(Z, gamma, epsilon):
    mean = Z.mean(axis=1, keepdims=True)
    std = np.sqrt(((Z - mean) ** 2).mean(axis=1, keepdims=True) + epsilon)
    return (Z - mean) / std, gamma, std


def _backward_case(seed, n, m, epsilon):
    rng = _rng(seed)
    Z = rng.normal(loc=0.5, scale=1.5, size=(n, m))
    gamma = _column(rng.uniform(0.5, 2.0, n))
    beta = _column(rng.normal(size=n))
    dout = rng.normal(size=(n, m))
    return Z, gamma, beta, dout, _oracle_cache(Z, gamma, epsilon)


def _backward_results(check, result, n, m):
    check.type_is(result, tuple, "the returned value", "return the triple (dZ, dgamma, dbeta).")
    check.that(len(result) == 3, "length of the returned tuple", 3, len(result),
               "return the triple (dZ, dgamma, dbeta).")
    dZ, dgamma, dbeta = result
    check.array(dZ, (n, m), "dZ", "dZ has the shape of Z and of dout.")
    sum_hint = ("dgamma and dbeta are columns (n_units, 1): sum over the examples (axis=1) "
                "with keepdims=True.")
    check.array(dgamma, (n, 1), "dgamma", sum_hint)
    check.array(dbeta, (n, 1), "dbeta", sum_hint)
    return dZ, dgamma, dbeta


def _dZ_hint(dZ, dout, cache):
    """Name the likely mistake when dZ matches a known incomplete formula."""
    Z_hat, gamma, std = cache
    dZ_hat = dout * gamma
    mean_term = dZ_hat.mean(axis=1, keepdims=True)
    var_term = Z_hat * (dZ_hat * Z_hat).mean(axis=1, keepdims=True)
    slips = [
        (dZ_hat / std, "dZ = dout * gamma / std treats the batch mean and variance as "
                       "constants, but they depend on every entry of Z: subtract the two "
                       "correction terms, mean(dZ_hat) and Z_hat * mean(dZ_hat * Z_hat)."),
        ((dZ_hat - mean_term) / std, "the term from the variance is missing: also subtract "
                                     "Z_hat * mean(dZ_hat * Z_hat)."),
        ((dZ_hat - var_term) / std, "the term from the mean is missing: also subtract "
                                    "mean(dZ_hat) over the examples."),
        (dZ_hat - mean_term - var_term, "divide the whole bracket by std."),
    ]
    for candidate, hint in slips:
        if np.shape(dZ) == candidate.shape and np.allclose(dZ, candidate):
            return hint
    return ("dZ = (dZ_hat - mean(dZ_hat) - Z_hat * mean(dZ_hat * Z_hat)) / std, with "
            "dZ_hat = dout * gamma and means over the examples (axis=1).")


def batchnorm_backward(fn):
    """Check batchnorm_backward against numeric gradients and tf.GradientTape through Keras."""
    check = Checker("batchnorm_backward")
    n, m, epsilon = 3, 5, 1e-5
    Z, gamma, beta, dout, cache = _backward_case(11, n, m, epsilon)
    result = check.call_or_fail(fn, dout, cache,
                                hint="cache is (Z_hat, gamma, std); dout has the shape of Z.")
    dZ, dgamma, dbeta = _backward_results(check, result, n, m)

    # numeric gradients of J = sum(dout * out): dJ/dout is exactly dout
    def cost(Z_, gamma_, beta_):
        return float(np.sum(dout * _plain_forward(Z_, gamma_, beta_, epsilon)))

    num_beta = numeric_gradient(lambda b: cost(Z, gamma, b), beta)
    num_gamma = numeric_gradient(lambda g: cost(Z, g, beta), gamma)
    num_Z = numeric_gradient(lambda z: cost(z, gamma, beta), Z)
    mean_hint = ("sum over the examples (axis=1), do not average: J adds up the "
                 "contributions of every example.")
    check.close(dbeta, num_beta, "dbeta vs numeric gradient", rtol=1e-6, atol=1e-8,
                hint=f"dbeta = sum of dout over the examples. {mean_hint}")
    check.close(dgamma, num_gamma, "dgamma vs numeric gradient", rtol=1e-6, atol=1e-8,
                hint=f"dgamma = sum of dout * Z_hat over the examples. {mean_hint}")
    check.that(np.allclose(dZ.sum(axis=1), 0.0, atol=1e-10),
               "each row of dZ sums to zero (adding a constant to a unit changes nothing)",
               "row sums 0", rounded(dZ.sum(axis=1), 3), _dZ_hint(dZ, dout, cache))
    difference = relative_difference(dZ, num_Z)
    check.that(difference < 1e-7, "relative difference of dZ and the numeric gradient",
               "< 1e-7", rounded(difference, 3), _dZ_hint(dZ, dout, cache))

    # tf.GradientTape through keras.layers.BatchNormalization (another shape, epsilon)
    keras_message = _keras_backward(check, fn)

    print(f"dZ[0] = {rounded(dZ[0])}")
    print(f"dgamma = {rounded(dgamma.ravel())}, dbeta = {rounded(dbeta.ravel())}")
    print("dZ, dgamma and dbeta agree with numeric gradients (relative difference < 1e-7)")
    print(keras_message)
    check.done()


def _keras_backward(check, fn):
    import tensorflow as tf

    n, m, epsilon = 4, 6, 1e-3
    Z, gamma, beta, dout, cache = _backward_case(5, n, m, epsilon)
    result = check.call_or_fail(fn, dout, cache,
                                hint="cache is (Z_hat, gamma, std); dout has the shape of Z.")
    dZ, dgamma, dbeta = _backward_results(check, result, n, m)

    layer = _keras_layer(n, gamma, beta, np.zeros(n), np.ones(n), 0.9, epsilon)
    inputs = tf.Variable(Z.T)
    with tf.GradientTape() as tape:
        cost = tf.reduce_sum(layer(inputs, training=True) * dout.T)
    grads = tape.gradient(cost, [inputs, layer.gamma, layer.beta])
    keras_dZ, keras_dgamma, keras_dbeta = (np.asarray(g) for g in grads)
    check.close(dZ, keras_dZ.T, "dZ vs tf.GradientTape through keras BatchNormalization",
                rtol=1e-6, atol=1e-9, hint=_dZ_hint(dZ, dout, cache))
    check.close(dgamma, _column(keras_dgamma), "dgamma vs tf.GradientTape", rtol=1e-6,
                hint="dgamma = sum of dout * Z_hat over the examples (axis=1).")
    check.close(dbeta, _column(keras_dbeta), "dbeta vs tf.GradientTape", rtol=1e-6,
                hint="dbeta = sum of dout over the examples (axis=1).")
    return "agrees with tf.GradientTape through keras.layers.BatchNormalization"
