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

The running statistics: the contract is what ``running`` holds after a call. Assigning new
arrays to its keys and updating its arrays in place (``*=``, ``+=``, as Keras and PyTorch do)
are both correct and both pass; a function that leaves the caller's dictionary unchanged
(for example by binding the name ``running`` to a new dictionary) fails with a message
saying so.

``learning_rate_runs`` and ``search_results`` are verdicts on the training results of
sections 3 and 4 (bands measured as described at LR_RUN_BANDS), not checks of one function.
"""

import math

import numpy as np

from utils.checks.harness import Checker, rounded, shared
from utils.checks.oracles import numeric_gradient, relative_difference
from utils.checks.verdicts import Verdicts

# ----------------------------------------------------------------------------------------
# Bands for the training results of sections 3 and 4. Measured with the notebook's code and
# data (3,000 training and 2,000 dev digits, fixed), training seeds 0-3 (the seed of
# batchnorm_net.train drives the initialisation and the shuffles; the notebook uses 0),
# natively (AVX-512), under the test profile (AVX2 numpy/OpenBLAS) and under the second
# profile (SSE4.2 numpy, Nehalem OpenBLAS): 12 runs of everything. Broken implementations
# measured natively with seed 0: the "shortcut" backward (dZ = dout * gamma / std), a
# backward without the mean term, and a forward that never stores the running statistics
# (it writes into a copy of the dictionary).

# Section 3, the 8-layer network: (learning rate, batch norm) -> quantity -> (low, high).
LR_RUN_BANDS = {
    # measured: loss 1 0.507-0.544, loss 12 0.035-0.127, dev 0.946-0.959 (the plain
    # network does not use the learner's functions).
    (0.1, False): {"loss after epoch 1": (0.45, 0.60), "loss after epoch 12": (0.01, 0.20),
                   "final dev accuracy": (0.92, 0.98)},
    # measured: loss 1 0.438-0.494, loss 12 0.0157-0.0314, dev 0.945-0.955. Broken: shortcut
    # backward -> loss 12 0.126; no mean term -> loss 12 0.048; running statistics never
    # stored -> dev 0.639.
    (0.1, True): {"loss after epoch 1": (0.38, 0.55), "loss after epoch 12": (0.005, 0.045),
                  "final dev accuracy": (0.92, 0.98)},
    # measured: loss 1 0.691-0.759, loss 12 0.163-0.697, dev 0.500-0.927. This run is
    # chaotic: the profiles agree for seed 0 (the layer dies by epoch 3) but not for seeds
    # 1-3, so only a loose band holds.
    (1.0, False): {"loss after epoch 1": (0.60, 0.85), "loss after epoch 12": (0.10, 0.75),
                   "final dev accuracy": (0.45, 0.95)},
    # measured: loss 1 0.294-0.321, loss 12 0.0165-0.0366, dev 0.932-0.967. Broken: no mean
    # term -> loss 12 0.070, dev 0.838; running statistics never stored -> dev 0.902.
    (1.0, True): {"loss after epoch 1": (0.24, 0.40), "loss after epoch 12": (0.005, 0.06),
                  "final dev accuracy": (0.91, 0.985)},
}
# At lr 0.1, batch norm's loss after epoch 1 is lower by 0.048-0.100 (measured).
BN_FASTER_AT_LR_01 = 0.02
# At lr 1, batch norm's loss after epoch 12 is lower by 0.144-0.679 (measured).
BN_LOWER_LOSS_AT_LR_1 = 0.1
# Plain network at lr 1: units of the last hidden layer active on some dev digit, measured
# 0-27 of 64 (0 for seed 0 in every profile). At lr 0.1 (as if the learning rate were
# ignored) the plain network keeps 55-59 of 64 active (seeds 0, 1), batch norm all 64.
MOST_ACTIVE_AT_LR_1 = 32

# Section 4, the search (small batch-norm network, 3 epochs), measured over the 12 runs:
# grid at lr 0.001: 0.524-0.580; grid at lr 0.1: 0.9225-0.934 (broken: shortcut 0.910, no
# mean term 0.908, running statistics never stored 0.889); grid at lr 10: 0.500-0.8955,
# always below every score at lr 0.1; the three epsilons at one learning rate (0.001 or 0.1)
# differ by at most 0.003; best random score 0.947-0.9585 (broken: shortcut 0.931, no mean
# term 0.9275, running never stored 0.922) at lr 0.87 or 1.6; it beats the best grid score
# by 0.020-0.0265.
GRID_SLOW_BAND = (0.48, 0.65)
GRID_GOOD_BAND = (0.915, 0.95)
EPSILON_SPREAD = 0.01
RANDOM_BEST_BAND = (0.935, 0.975)
RANDOM_BEST_LR = (0.1, 2.0)
RANDOM_OVER_GRID = 0.01

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


_NOT_STORED_HINT = (
    "the caller's dictionary still holds the old value: store the new average in the "
    "dictionary you were given, running[{key!r}] = momentum * running[{key!r}] + "
    "(1 - momentum) * batch statistic (updating the array in place with *= and += works "
    "too). Binding the name running to a new dictionary, or the new value to a local "
    "variable, leaves the caller's dictionary unchanged."
)


def _check_running(check, running, mean, var, what, hint, before=None):
    """The dictionary ``running`` now holds ``mean`` and ``var``. ``before`` (the values it
    held before a train-mode call) lets the message say when nothing was stored at all.

    Assigning new arrays to the keys and updating the arrays in place are both correct: the
    layer's contract is what the dictionary holds after the call.
    """
    check.keys(f"running {what}", running, ["mean", "var"],
               hint="running must keep exactly the keys 'mean' and 'var'.")
    for key, expected in (("mean", mean), ("var", var)):
        label = f"running[{key!r}] {what}"
        check.array(label, running[key], expected.shape,
                    hint="the running statistics are columns (n_units, 1), like gamma and beta.")
        not_stored = [] if before is None else [(before[key], _NOT_STORED_HINT.format(key=key))]
        check.close(label, running[key], expected, hint=hint, mistakes=not_stored)


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
# and after a second step on the same batch (the dictionary is the layer's memory):
# 0.75 * 1.75 + 0.25 * 4 = 2.3125, 0.75 * 0.5 + 0.25 * 2 = 0.875; 0.75 * 2.75 + 0.25 * 5 =
# 3.3125, 0.75 * 0.75 + 0 = 0.5625 (all exact in binary)
_HAND_MEAN_TWICE = np.array([[2.3125], [0.875]])
_HAND_VAR_TWICE = np.array([[3.3125], [0.5625]])
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
    result = check.call_or_fail(fn, Z, gamma, beta, shared(running), mode="train", momentum=0.9,
                                epsilon=1e-5, hint=shape_hint)

    # types and shapes
    check.type_is("the returned value", result, tuple, hint="return the pair (out, cache).")
    check.that("length of the returned tuple", len(result) == 2, len(result), 2,
               hint="return the pair (out, cache).")
    out, cache = result
    check.array("out", out, (n, m), hint=shape_hint)
    check.type_is("cache", cache, tuple, hint="return the cache as a tuple (Z_hat, gamma, std).")
    check.that("length of cache", len(cache) == 3, len(cache), 3,
               hint="the cache holds (Z_hat, gamma, std), in that order.")
    for item, shape, name in zip(cache, [(n, m), (n, 1), (n, 1)], ["Z_hat", "gamma", "std"],
                                 strict=True):
        check.array(f"cache {name}", item, shape,
                    hint="the cache holds (Z_hat, gamma, std): Z_hat like Z, gamma and std as "
                         "columns (n_units, 1), so take the statistics over the examples "
                         "(axis=1) with keepdims=True.")

    # properties: each unit leaves with mean beta and standard deviation gamma
    base = "out = gamma * (Z - mean) / sqrt(var + epsilon) + beta, with per-unit statistics."
    check.close("per-unit mean of out in train mode (should be beta)",
                out.mean(axis=1, keepdims=True), beta, atol=1e-8,
                hint=_forward_hint(out, Z, gamma, beta, 1e-5, base))
    check.close("per-unit standard deviation of out in train mode (should be gamma)",
                out.std(axis=1, keepdims=True), gamma, rtol=1e-4,
                hint=_forward_hint(out, Z, gamma, beta, 1e-5, base))

    # hand-worked example, train mode
    hand_running = {"mean": _column([1.0, 0.0]), "var": _column([2.0, 1.0])}
    with np.errstate(divide="ignore", invalid="ignore"):
        out, cache = check.call_or_fail(
            fn, _HAND_Z, _HAND_GAMMA, _HAND_BETA, shared(hand_running),
            mode="train", momentum=0.75, epsilon=_HAND_EPSILON, hint=shape_hint)
    what = "out for Z = [[1, 3, 5, 7], [2, 2, 2, 2]], epsilon = 4, train mode"
    check.array(what, out, (2, 4), hint=shape_hint)
    hand_out = out
    check.close(what, out, _HAND_OUT,
                hint=_forward_hint(out, _HAND_Z, _HAND_GAMMA, _HAND_BETA, _HAND_EPSILON,
                                   base + " In train mode use the batch's statistics."))
    check.close("cache Z_hat of the hand example", cache[0], _HAND_Z_HAT,
                hint="Z_hat = (Z - mean) / sqrt(var + epsilon), before gamma and beta.")
    check.close("cache gamma of the hand example", cache[1], _HAND_GAMMA,
                hint="the cache holds (Z_hat, gamma, std), in that order.")
    check.close("cache std of the hand example", cache[2], _HAND_STD,
                hint="std = sqrt(var + epsilon), epsilon included.")
    running_hint = ("running = momentum * running + (1 - momentum) * batch statistic, with "
                    "the biased batch variance (divide by m); a large momentum means the "
                    "average moves slowly.")
    _check_running(check, hand_running, _HAND_MEAN_AFTER, _HAND_VAR_AFTER,
                   "after one train step with momentum 0.75", running_hint,
                   before={"mean": _column([1.0, 0.0]), "var": _column([2.0, 1.0])})
    hand_after_one = {key: np.array(value, copy=True) for key, value in hand_running.items()}
    with np.errstate(divide="ignore", invalid="ignore"):
        check.call_or_fail(fn, _HAND_Z, _HAND_GAMMA, _HAND_BETA, shared(hand_running),
                           mode="train", momentum=0.75, epsilon=_HAND_EPSILON, hint=shape_hint)
    _check_running(check, hand_running, _HAND_MEAN_TWICE, _HAND_VAR_TWICE,
                   "after a second train step on the same dictionary", running_hint
                   + " Each call starts from what the dictionary holds now.",
                   before=hand_after_one)

    # hand-worked example, test mode: the running statistics, left unchanged
    test_running = {"mean": _column([2.0, 1.0]), "var": _column([5.0, 0.0])}
    out, cache = check.call_or_fail(
        fn, _TEST_Z, _HAND_GAMMA, _HAND_BETA, shared(test_running),
        mode="test", momentum=0.75, epsilon=_HAND_EPSILON, hint=shape_hint)
    what = "out for Z = [[5, -1], [1, 3]], running mean [2, 1], var [5, 0], test mode"
    check.array(what, out, (2, 2), hint=shape_hint)
    test_out = out
    check.close(what, out, _TEST_OUT,
                hint="in test mode normalise with running['mean'] and running['var'], not "
                     "with the statistics of the batch you are given.")
    _check_running(check, test_running, _column([2.0, 1.0]), _column([5.0, 0.0]),
                   "after a test-mode call",
                   "test mode must leave the running statistics alone.")

    # Keras's BatchNormalization on the same numbers (it wants examples as rows)
    keras_check = _keras_forward(check, fn, rng)

    print(f"train mode, Z = {_HAND_Z.tolist()}, epsilon = 4: out =")
    print(rounded(hand_out))
    print(f"running mean -> {rounded(hand_after_one['mean'].ravel())}, "
          f"running var -> {rounded(hand_after_one['var'].ravel())}")
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
    out, _ = check.call_or_fail(fn, Z, gamma, beta, shared(running), mode="train",
                                momentum=momentum, epsilon=epsilon, hint=hint)
    check.close("train-mode out vs keras BatchNormalization(training=True)", out, keras_train,
                hint=_forward_hint(out, Z, gamma, beta, epsilon, "normalise with the batch "
                                   "mean and biased variance, then scale and shift."))
    _check_running(check, running, keras_mean, keras_var,
                   "vs Keras's moving_mean / moving_variance after one call",
                   "Keras also computes momentum * moving + (1 - momentum) * batch, with the "
                   "biased batch variance.", before={"mean": mean0, "var": var0})
    out, _ = check.call_or_fail(fn, Z_test, gamma, beta, shared(running), mode="test",
                                momentum=momentum, epsilon=epsilon, hint=hint)
    check.close("test-mode out vs keras BatchNormalization(training=False)", out, keras_test,
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
    check.type_is("the returned value", result, tuple,
                  hint="return the triple (dZ, dgamma, dbeta).")
    check.that("length of the returned tuple", len(result) == 3, len(result), 3,
               hint="return the triple (dZ, dgamma, dbeta).")
    dZ, dgamma, dbeta = result
    check.array("dZ", dZ, (n, m), hint="dZ has the shape of Z and of dout.")
    sum_hint = ("dgamma and dbeta are columns (n_units, 1): sum over the examples (axis=1) "
                "with keepdims=True.")
    check.array("dgamma", dgamma, (n, 1), hint=sum_hint)
    check.array("dbeta", dbeta, (n, 1), hint=sum_hint)
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
    check.close("dbeta vs numeric gradient", dbeta, num_beta, rtol=1e-6, atol=1e-8,
                hint=f"dbeta = sum of dout over the examples. {mean_hint}")
    check.close("dgamma vs numeric gradient", dgamma, num_gamma, rtol=1e-6, atol=1e-8,
                hint=f"dgamma = sum of dout * Z_hat over the examples. {mean_hint}")
    check.that("each row of dZ sums to zero (adding a constant to a unit changes nothing)",
               np.allclose(dZ.sum(axis=1), 0.0, atol=1e-10), rounded(dZ.sum(axis=1), 3),
               "row sums 0", hint=_dZ_hint(dZ, dout, cache))
    difference = relative_difference(dZ, num_Z)
    check.that("relative difference of dZ and the numeric gradient", difference < 1e-7,
               rounded(difference, 3), "< 1e-7", hint=_dZ_hint(dZ, dout, cache))

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
    check.close("dZ vs tf.GradientTape through keras BatchNormalization", dZ, keras_dZ.T,
                rtol=1e-6, atol=1e-9, hint=_dZ_hint(dZ, dout, cache))
    check.close("dgamma vs tf.GradientTape", dgamma, _column(keras_dgamma), rtol=1e-6,
                hint="dgamma = sum of dout * Z_hat over the examples (axis=1).")
    check.close("dbeta vs tf.GradientTape", dbeta, _column(keras_dbeta), rtol=1e-6,
                hint="dbeta = sum of dout over the examples (axis=1).")
    return "agrees with tf.GradientTape through keras.layers.BatchNormalization"


# ----------------------------------------------------------------------------------------
# verdicts on the training results of sections 3 and 4

_LR_RUN_HINTS = {
    False: "the plain network uses only utils.models.batchnorm_net; a result far outside the band "
           "means the training code or the data changed.",
    True: "far off usually means batchnorm_backward is incomplete (both correction terms, "
          "divided by std) or batchnorm_forward does not store the running statistics that "
          "test mode (the dev accuracy) uses.",
}


def _run_name(learning_rate, batch_norm):
    return f"lr {learning_rate:g}, {'batch norm' if batch_norm else 'plain'}"


def _history_value(histories, key, field, epoch):
    if key not in histories:
        raise KeyError(f"no run for (learning rate, batch norm) = {key}; runs: {sorted(histories)}")
    return float(histories[key][field][epoch])


def learning_rate_runs(histories, last_layer_active):
    """Verdicts on section 3's runs of the 8-layer network.

    ``histories[(learning_rate, batch_norm)]`` is the history returned by
    ``batchnorm_net.train`` (``"loss"`` and ``"dev_accuracy"`` per epoch) for the runs
    (0.1, False), (0.1, True), (1.0, False), (1.0, True) and (2.0, False);
    ``last_layer_active`` is the number of units of the plain lr-1 network's last hidden
    layer that are positive on at least one dev digit.
    """
    picks = {"loss after epoch 1": ("loss", 0), "loss after epoch 12": ("loss", -1),
             "final dev accuracy": ("dev_accuracy", -1)}
    for key, bands in LR_RUN_BANDS.items():
        verdict = Verdicts(_run_name(*key))
        for quantity, (low, high) in bands.items():
            value = _history_value(histories, key, *picks[quantity])
            verdict.within(quantity, value, low, high, hint=_LR_RUN_HINTS[key[1]])
        if key == (0.1, True):
            plain = _history_value(histories, (0.1, False), "loss", 0)
            verdict.that(
                f"loss after epoch 1 is lower than the plain network's by more than "
                f"{BN_FASTER_AT_LR_01:g}",
                _history_value(histories, key, "loss", 0) < plain - BN_FASTER_AT_LR_01,
                f"{_history_value(histories, key, 'loss', 0):.4g} against {plain:.4g}",
                "batch norm should speed up the first epoch: " + _LR_RUN_HINTS[True])
        if key == (1.0, True):
            plain = _history_value(histories, (1.0, False), "loss", -1)
            mine = _history_value(histories, key, "loss", -1)
            verdict.that(
                f"loss after epoch 12 is lower than the plain network's by more than "
                f"{BN_LOWER_LOSS_AT_LR_1:g}",
                mine < plain - BN_LOWER_LOSS_AT_LR_1, f"{mine:.4g} against {plain:.4g}",
                "at lr 1 batch norm should keep training where the plain network stalls: "
                + _LR_RUN_HINTS[True])
        if key == (1.0, False):
            active = int(last_layer_active)
            verdict.that(
                f"at most {MOST_ACTIVE_AT_LR_1} of the 64 units of the last hidden layer are "
                "active on the dev set", 0 <= active <= MOST_ACTIVE_AT_LR_1,
                f"{active} active units",
                "count the units whose pre-activation is positive for at least one dev "
                "digit: int(np.sum(np.any(Z_last > 0, axis=1))).")
            dev = _history_value(histories, key, "dev_accuracy", -1)
            verdict.that(
                "if no unit of the last hidden layer is active, the output is constant and "
                "the dev accuracy exactly 0.5",
                active > 0 or dev == 0.5, f"{active} active units, dev accuracy {dev!r}",
                "a dead layer passes on nothing but the output bias: the network predicts "
                "one class for every digit.")
        verdict.done()
    verdict = Verdicts(_run_name(2.0, False))
    loss = _history_value(histories, (2.0, False), "loss", 0)
    verdict.that("the loss of epoch 1 is not finite (the activations overflowed)",
                 not math.isfinite(loss), f"loss after epoch 1 = {loss:.4g}",
                 "the plain network at lr 2 should blow up in its first epoch.")
    verdict.done()


def search_results(grid, grid_scores, random_points, random_scores):
    """Verdicts on section 4's search: 9 grid points and 9 random points.

    ``grid`` and ``random_points`` are ``(9, 2)`` arrays of (learning rate, epsilon);
    the scores are the dev accuracies of the small batch-norm network after 3 epochs.
    """
    grid, random_points = np.asarray(grid, dtype=float), np.asarray(random_points, dtype=float)
    grid_scores = np.asarray(grid_scores, dtype=float)
    random_scores = np.asarray(random_scores, dtype=float)
    hint = _LR_RUN_HINTS[True]

    verdict = Verdicts("grid search")
    by_rate = {rate: grid_scores[np.isclose(grid[:, 0], rate)] for rate in (1e-3, 1e-1, 10.0)}
    low, high = GRID_SLOW_BAND
    verdict.that(f"every score at learning rate 0.001 is in [{low:g}, {high:g}] (too slow)",
                 np.all((by_rate[1e-3] >= low) & (by_rate[1e-3] <= high)),
                 f"scores {np.round(by_rate[1e-3], 4).tolist()}", hint)
    low, high = GRID_GOOD_BAND
    verdict.that(f"every score at learning rate 0.1 is in [{low:g}, {high:g}]",
                 np.all((by_rate[1e-1] >= low) & (by_rate[1e-1] <= high)),
                 f"scores {np.round(by_rate[1e-1], 4).tolist()}", hint)
    verdict.that("every score at learning rate 10 is below every score at learning rate 0.1",
                 by_rate[10.0].max() < by_rate[1e-1].min(),
                 f"best at 10: {by_rate[10.0].max():.4g}, worst at 0.1: "
                 f"{by_rate[1e-1].min():.4g}", hint)
    spread = max(np.ptp(by_rate[1e-3]), np.ptp(by_rate[1e-1]))
    verdict.that(f"at learning rates 0.001 and 0.1 the three epsilons give scores within "
                 f"{EPSILON_SPREAD:g} of one another", spread <= EPSILON_SPREAD,
                 f"largest difference {spread:.4g}",
                 "epsilon only guards the division; did the search pass epsilon through "
                 "to batchnorm_forward correctly?")
    verdict.done()

    verdict = Verdicts("random search")
    best = int(np.argmax(random_scores))
    verdict.within("best score", random_scores[best], *RANDOM_BEST_BAND, hint=hint)
    verdict.within("learning rate of the best score", random_points[best, 0], *RANDOM_BEST_LR,
                   hint="the best learning rates for 3 epochs lie between 0.1 and 2.")
    verdict.beats("best score over the grid's best", random_scores[best], grid_scores.max(),
                  by=RANDOM_OVER_GRID, hint=hint)
    verdict.done()
