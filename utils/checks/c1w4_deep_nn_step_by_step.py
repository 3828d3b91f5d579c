"""Checks for Course 1, week 4: building a deep neural network, step by step.

Oracles: numbers worked out by hand on tiny inputs, ``scipy.special.expit`` and
``np.maximum`` for the activations, a forward pass written here as a plain composition of
``np.dot`` / ``np.maximum`` / ``expit``, numeric gradients (central differences) of scalar
functions built from that forward pass, and properties of random initialisation.

Gradient convention (the course's): ``dZ`` and ``dA`` are per-example derivatives (the
derivative of the loss of each example, not divided by ``m``), while ``dW`` and ``db`` are
derivatives of the mean cost, so they carry the ``1/m``.
"""

import numpy as np
from scipy.special import expit

from utils.checks.harness import Checker, rounded
from utils.checks.oracles import numeric_gradient
from utils.checks.verdicts import Verdicts

# ----------------------------------------------------------------------------------------
# Bands for the training comparison of section 7 (layers [2, 16, 8, 1], learning rate 0.3,
# 3000 iterations, costs recorded every 100). Measured with the notebook's cells natively
# (AVX-512), under the test profile (AVX2) and under the second profile (SSE4.2-level numpy,
# OpenBLAS Nehalem), with training seeds 1-6 (the seed before each initialisation; the moons
# are fixed): 18 runs. Broken implementations measured the same way: "flipped" (the
# gradients' sign flipped in L_model_backward) and "1/m forgotten" (dW, db m times too
# large): both make the costs nan and every accuracy 0.5.

# 0.01 start, cost at iteration 200: 0.6931 in every run (the ln 2 plateau); it leaves the
# plateau between iterations 500 and 800, and ends between 0.087 and 0.296 (seeds 2, 4, 6
# are stuck on a second plateau near 0.3), so its end is not judged.
PLATEAU_TOLERANCE = 0.01
# 1/sqrt(n_prev) start: cost at iteration 1000 0.0813-0.0879, final cost 0.0773-0.0834,
# train accuracy 0.965-0.9725, test accuracy 0.9475-0.955.
SCALED_COST_AT_1000_BELOW = 0.15
SCALED_FINAL_COST_BELOW = 0.12
SCALED_TRAIN_BAND = (0.93, 0.99)
SCALED_TEST_BAND = (0.92, 0.99)
# cost at iteration 1000, 0.01 start minus 1/sqrt(n_prev) start: 0.19-0.21.
HEAD_START_AT_1000 = 0.10

# ----------------------------------------------------------------------------------------
# helpers (oracles written independently of the notebook)


def _rng(seed):
    return np.random.default_rng(seed)


def _oracle_forward(X, parameters):
    """AL and the list of (A_prev, W, b, Z) of a relu x (L-1) -> sigmoid network."""
    n_layers = len(parameters) // 2
    A = X
    layers = []
    for layer in range(1, n_layers + 1):
        W, b = parameters[f"W{layer}"], parameters[f"b{layer}"]
        Z = np.dot(W, A) + b
        layers.append((A, W, b, Z))
        A = expit(Z) if layer == n_layers else np.maximum(Z, 0.0)
    return A, layers


def _oracle_cost(AL, Y):
    m = Y.shape[1]
    return float(-(np.sum(Y * np.log(AL)) + np.sum((1 - Y) * np.log(1 - AL))) / m)


def _gradient_network():
    """A fixed 3-layer network [3, 4, 3, 1] on 5 examples whose Z stay away from 0."""
    rng = _rng(28)
    dims = [3, 4, 3, 1]
    X = rng.standard_normal((3, 5))
    Y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])
    parameters = {}
    for layer in range(1, len(dims)):
        parameters[f"W{layer}"] = rng.standard_normal((dims[layer], dims[layer - 1])) * 0.8
        parameters[f"b{layer}"] = rng.standard_normal((dims[layer], 1)) * 0.3
    return X, Y, parameters


def _network_of_depth(dims, seed):
    """A fixed network with layer sizes ``dims`` on 6 examples whose Z all stay at least 0.05
    away from 0 (so the ReLU kinks cannot upset a numeric gradient)."""
    rng = _rng(seed)
    while True:
        X = rng.standard_normal((dims[0], 6))
        parameters = {}
        for layer in range(1, len(dims)):
            parameters[f"W{layer}"] = rng.standard_normal((dims[layer], dims[layer - 1])) * 0.8
            parameters[f"b{layer}"] = rng.standard_normal((dims[layer], 1)) * 0.3
        _, layers = _oracle_forward(X, parameters)
        if min(np.min(np.abs(Z)) for *_, Z in layers) > 0.05:
            return X, np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 0.0]]), parameters


DEPTH_HINT = (
    "the number of layers is L = len(caches): never write a fixed number such as 3 in the "
    "loop, so that the same code works for a network of any depth."
)


def _grad_mistakes(expected, m, base):
    """A gradient off by a known factor (m, 1/m or -1), each with ``base`` naming the fix."""
    return [(m * expected, f"{base} It is exactly m = {m} times too large: divide by m."),
            (expected / m, f"{base} It is exactly m = {m} times too small: divide by m only "
                           "once."),
            (-expected, f"{base} It has the wrong sign.")]


def _check_cache_tuple(check, cache, arrays, names, what):
    check.type_is(what, cache, tuple, hint=f"return the cache as a tuple ({', '.join(names)}).")
    check.that(f"length of {what}", len(cache) == len(arrays), len(cache), len(arrays),
               hint=f"the cache holds ({', '.join(names)}), in that order.")
    for index, (item, array, name) in enumerate(zip(cache, arrays, names, strict=True)):
        ok = isinstance(item, np.ndarray) and item.shape == array.shape and np.allclose(
            item, array
        )
        check.that(f"{what}[{index}]", ok, _short_any(item), f"{name} {rounded(array, 4)}",
                   hint=f"the cache holds ({', '.join(names)}), in that order.")


def _short_any(value):
    text = rounded(value, 4) if isinstance(value, np.ndarray) else repr(value)
    return text if len(text) < 200 else text[:200] + " ..."


# ----------------------------------------------------------------------------------------
# initialisation


def _check_small_random(check, W, name, hint_scale):
    """Properties of randn * 0.01: not all zero, both signs, centred, spread about 0.01,
    rows not copies of each other."""
    check.that(f"{name} is not all zeros", bool(np.any(W)), "all zeros", "random weights",
               hint=f"every weight matrix, the last layer's ({name} here) included, is drawn "
                    "with np.random.randn(...) * 0.01: a layer of zero weights sends no gradient "
                    "back to the layers before it on the first step, and is not what the "
                    "exercise asks.")
    check.that(f"every |{name}| < 0.06", np.all(np.abs(W) < 0.06),
               f"max |{name}| = {rounded(np.max(np.abs(W)), 3)}", "small weights (about 0.01)",
               hint=hint_scale)
    if W.size >= 20:
        positive = int(np.sum(W > 0))
        check.that(f"signs of the weights in {name}", 0 < positive < W.size,
                   f"{positive} of {W.size} positive", "both positive and negative weights",
                   hint="use np.random.randn (a normal centred on 0), not np.random.rand "
                        "(uniform on [0, 1), all positive) nor np.abs(...).")
    if W.size >= 1000:
        centre = float(np.mean(W))
        check.that(f"mean of {name}", abs(centre) < 0.002, rounded(centre, 3),
                   "about 0 (half the weights negative)",
                   hint="use np.random.randn (a normal centred on 0), not np.random.rand "
                        "(uniform on [0, 1), all positive).")
        spread = float(np.std(W))
        check.that(f"standard deviation of {name}", 0.008 < spread < 0.012, rounded(spread, 3),
                   "about 0.01", hint=hint_scale)
    if W.shape[0] > 1:
        distinct_rows = len(np.unique(W, axis=0))
        check.that(f"rows of {name} all different", distinct_rows == W.shape[0],
                   f"{distinct_rows} different rows", f"{W.shape[0]} different rows",
                   hint="if all units of a layer start with the same weights they stay "
                        "identical during training (symmetry): draw the weights at random.")


def initialize_parameters(fn):
    """Check initialize_parameters(n_x, n_h, n_y) on (40, 30, 3)."""
    check = Checker("initialize_parameters")
    np.random.seed(5)  # any draw must pass; a fixed one makes the check repeatable
    parameters = check.call(fn, 40, 30, 3)
    check.keys("the returned parameters", parameters, ["W1", "b1", "W2", "b2"])
    shapes = {"W1": (30, 40), "b1": (30, 1), "W2": (3, 30), "b2": (3, 1)}
    for key, shape in shapes.items():
        check.array(f"parameters[{key!r}]", parameters[key], shape,
                    hint="W[l] has shape (units in layer l, units in layer l-1); b[l] is a column "
                         "(units in layer l, 1).")
    for key in ("b1", "b2"):
        check.that(f"{key} is all zeros", np.all(parameters[key] == 0),
                   rounded(parameters[key].ravel()[:5], 3), "zeros",
                   hint="biases start at zero: np.zeros((n, 1)).")
    scale_hint = "multiply np.random.randn(...) by 0.01."
    _check_small_random(check, parameters["W1"], "W1", scale_hint)
    _check_small_random(check, parameters["W2"], "W2", scale_hint)
    # a single output unit, as in a binary classifier: its one row must be random too
    single = check.call(fn, 40, 30, 1)
    check.array("W2 for n_y = 1", single["W2"], (1, 30))
    _check_small_random(check, single["W2"], "W2 (n_y = 1)", scale_hint)
    for key, shape in shapes.items():
        print(f"{key}: shape {shape}")
    print("biases are zero; weights are centred on 0 with a spread of about 0.01")
    check.done()


def initialize_parameters_deep(fn):
    """Check initialize_parameters_deep on layer_dims [50, 40, 40, 40, 1]."""
    check = Checker("initialize_parameters_deep")
    layer_dims = [50, 40, 40, 40, 1]
    np.random.seed(6)  # any draw must pass; a fixed one makes the check repeatable
    parameters = check.call(fn, list(layer_dims))
    n_layers = len(layer_dims) - 1
    keys = [f"{p}{layer}" for layer in range(1, n_layers + 1) for p in ("W", "b")]
    check.keys("the returned parameters", parameters, keys,
               hint="one W and one b for each layer after the input: loop over l = 1 ... L, i.e. "
                    "range(1, len(layer_dims)).")
    for layer in range(1, n_layers + 1):
        check.array(f"parameters['W{layer}']", parameters[f"W{layer}"],
                    (layer_dims[layer], layer_dims[layer - 1]),
                    hint="W[l] has shape (layer_dims[l], layer_dims[l-1]).")
        check.array(f"parameters['b{layer}']", parameters[f"b{layer}"], (layer_dims[layer], 1),
                    hint="b[l] has shape (layer_dims[l], 1).")
        check.that(f"b{layer} is all zeros", np.all(parameters[f"b{layer}"] == 0),
                   rounded(parameters[f"b{layer}"].ravel()[:5], 3), "zeros",
                   hint="biases start at zero: np.zeros((layer_dims[l], 1)).")
        _check_small_random(
            check, parameters[f"W{layer}"], f"W{layer}", "multiply np.random.randn(...) by 0.01."
        )
    check.that("W2 differs from W3", not np.array_equal(parameters["W2"], parameters["W3"]),
               "identical matrices", "different random draws",
               hint="do not reseed the generator inside the loop: every layer needs its own draw.")
    for layer in range(1, n_layers + 1):
        W_shape, b_shape = parameters[f"W{layer}"].shape, parameters[f"b{layer}"].shape
        print(f"W{layer}: {W_shape}, b{layer}: {b_shape}")
    check.done()


# ----------------------------------------------------------------------------------------
# forward pass


def _small_linear_inputs():
    A = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 4.0]])
    W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]])
    b = np.array([[0.5], [-1.0]])
    Z = np.array([[1.5, -1.5], [4.0, 4.0]])  # worked out by hand: Z = W A + b
    return A, W, b, Z


def linear_forward(fn):
    """Check linear_forward on a hand-worked example and a random one."""
    check = Checker("linear_forward")
    A, W, b, Z_hand = _small_linear_inputs()
    result = check.call(fn, A, W, b)
    check.type_is("the result", result, tuple, hint="return two things: Z, cache.")
    check.that("number of returned values", len(result) == 2, len(result), 2,
               hint="return Z, cache.")
    Z, cache = result
    check.array("Z", Z, (2, 2), hint="Z = W A + b has shape (rows of W, columns of A).")
    check.close("Z for the hand-worked example", Z, Z_hand,
                hint="Z = np.dot(W, A) + b: W on the left, and do not forget b.")
    _check_cache_tuple(check, cache, (A, W, b), ("A", "W", "b"), "cache")

    rng = _rng(3)
    A2, W2, b2 = rng.standard_normal((5, 7)), rng.standard_normal((4, 5)), rng.standard_normal(
        (4, 1)
    )
    Z2, _ = check.call(fn, A2, W2, b2)
    check.array("Z for A (5, 7), W (4, 5), b (4, 1)", Z2, (4, 7))
    check.close("Z for A (5, 7), W (4, 5), b (4, 1)", Z2, np.einsum("ij,jk->ik", W2, A2) + b2,
                hint="b is a column (n, 1): it is added to every column of W A by broadcasting.")
    print("Z =", rounded(Z, 4))
    check.done()


def linear_activation_forward(fn):
    """Check both activations against np.maximum and scipy.special.expit."""
    check = Checker("linear_activation_forward")
    A_prev, W, b, Z_hand = _small_linear_inputs()
    result = check.call(fn, A_prev, W, b, "relu")
    check.type_is("the result", result, tuple, hint="return two things: A, cache.")
    check.that("number of returned values", len(result) == 2, len(result), 2,
               hint="return A, cache.")
    A_relu, cache = result
    check.array("A with activation='relu'", A_relu, (2, 2))
    check.close("A with activation='relu'", A_relu, np.array([[1.5, 0.0], [4.0, 4.0]]),
                hint="relu keeps positive values and sets the others to 0: np.maximum(0, Z).")
    check.type_is("cache", cache, tuple, hint="the cache is a tuple (linear_cache, Z).")
    check.that("length of cache", len(cache) == 2, len(cache), 2,
               hint="the cache is (linear_cache, Z): the linear cache first, then Z.")
    _check_cache_tuple(check, cache[0], (A_prev, W, b), ("A_prev", "W", "b"), "cache[0]")
    check.that("cache[1]", isinstance(cache[1], np.ndarray) and np.shape(cache[1]) == Z_hand.shape
                           and np.allclose(cache[1], Z_hand),
               _short_any(cache[1]), f"Z {rounded(Z_hand, 4)}",
               hint="the second part of the cache is Z (before the activation), not A.")

    A_sig, cache_sig = check.call(fn, A_prev, W, b, "sigmoid")
    check.array("A with activation='sigmoid'", A_sig, (2, 2))
    check.close("A with activation='sigmoid'", A_sig, expit(Z_hand),
                hint="sigmoid(Z) = 1 / (1 + exp(-Z)); check that 'sigmoid' and 'relu' are not "
                "swapped.")
    check.close("Z in the cache with activation='sigmoid'", cache_sig[1], Z_hand)

    rng = _rng(5)
    A2, W2, b2 = rng.standard_normal((4, 6)), rng.standard_normal((3, 4)), rng.standard_normal(
        (3, 1)
    )
    A2_relu, _ = check.call(fn, A2, W2, b2, "relu")
    check.close("relu output on random inputs", A2_relu, np.maximum(np.dot(W2, A2) + b2, 0.0))
    print("relu:   ", rounded(A_relu, 4))
    print("sigmoid:", rounded(A_sig, 4))
    check.done()


def L_model_forward(fn):  # noqa: N802 (the course's name)
    """Check a [4, 3, 2, 1] network against a plain composition of np.dot/np.maximum/expit."""
    check = Checker("L_model_forward")
    rng = _rng(7)
    dims = [4, 3, 2, 1]
    X = rng.standard_normal((4, 5))
    parameters = {}
    for layer in range(1, len(dims)):
        parameters[f"W{layer}"] = rng.standard_normal((dims[layer], dims[layer - 1]))
        parameters[f"b{layer}"] = rng.standard_normal((dims[layer], 1))
    expected_AL, layers = _oracle_forward(X, parameters)
    result = check.call_or_fail(
        fn, X, parameters,
        hint="the network has L = len(parameters) // 2 layers: relu for l = 1 ... L-1, then "
        "sigmoid for layer L.",
    )
    check.type_is("the result", result, tuple, hint="return two things: AL, caches.")
    check.that("number of returned values", len(result) == 2, len(result), 2,
               hint="return AL, caches.")
    AL, caches = result
    check.array("AL", AL, (1, 5), hint="AL has one row and one column per example.")
    hidden_sigmoid = _oracle_forward_all_sigmoid(X, parameters)
    check.close("AL", AL, expected_AL,
                hint="relu for the hidden layers 1 ... L-1, sigmoid only for the output layer L.",
                mistakes=[(hidden_sigmoid, "you applied sigmoid to the hidden layers too: they "
                                           "use relu; only layer L uses sigmoid.")])
    check.type_is("caches", caches, list, hint="collect the caches in a list, one per layer.")
    check.that("len(caches)", len(caches) == 3, len(caches), 3,
               hint="append one cache per layer, including the last (sigmoid) layer.")
    for index, (A_prev, W, b, Z) in enumerate(layers):
        cache = caches[index]
        check.that(f"caches[{index}]", isinstance(cache, tuple) and len(cache) == 2,
                   _short_any(cache), "a tuple (linear_cache, Z)",
                   hint="store exactly what linear_activation_forward returns as its cache.")
        _check_cache_tuple(check, cache[0], (A_prev, W, b), ("A_prev", "W", "b"),
                           f"caches[{index}][0]")
        check.close(f"caches[{index}][1] (Z of layer {index + 1})", cache[1], Z)
    X_deep, _, deep = _network_of_depth([3, 5, 4, 3, 1], 43)
    result = check.call_or_fail(fn, X_deep, deep, hint=DEPTH_HINT)
    check.close("AL of a 4-layer network", result[0], _oracle_forward(X_deep, deep)[0],
                hint=DEPTH_HINT)
    check.that("len(caches) of a 4-layer network", len(result[1]) == 4, len(result[1]), 4,
               hint=DEPTH_HINT)
    print("AL =", rounded(AL, 4))
    print("caches:", len(caches))
    check.done()


def _oracle_forward_all_sigmoid(X, parameters):
    A = X
    for layer in range(1, len(parameters) // 2 + 1):
        A = expit(np.dot(parameters[f"W{layer}"], A) + parameters[f"b{layer}"])
    return A


def compute_cost(fn):
    """Check the cross-entropy cost on hand-worked examples."""
    check = Checker("compute_cost")
    AL = np.array([[0.8, 0.9, 0.4]])
    Y = np.array([[1.0, 1.0, 0.0]])
    cost = check.call(fn, AL, Y)
    check.number("the cost", cost)
    # by hand: -(ln 0.8 + ln 0.9 + ln 0.6) / 3
    expected = 0.2797765635793423
    hint = "J = -(1/m) * sum(Y * log(AL) + (1 - Y) * log(1 - AL))."
    if cost < 0:
        hint += " Your cost is negative: the minus sign in front is missing."
    check.close("cost for AL = [[0.8, 0.9, 0.4]], Y = [[1, 1, 0]]", cost, expected, hint=hint)
    AL2 = np.array([[0.5, 0.25, 0.5, 0.75]])
    Y2 = np.array([[1.0, 0.0, 0.0, 1.0]])
    cost2 = check.call(fn, AL2, Y2)
    # by hand: -(ln 0.5 + ln 0.75 + ln 0.5 + ln 0.75) / 4 = (ln 2 + ln 4/3) / 2
    check.close("cost for AL = [[0.5, 0.25, 0.5, 0.75]], Y = [[1, 0, 0, 1]]", cost2,
                (np.log(2.0) + np.log(4.0 / 3.0)) / 2, hint=hint)
    print("cost =", rounded(float(cost), 5))
    check.done()


# ----------------------------------------------------------------------------------------
# backward pass


def _three_gradients(check, result):
    """Check that a backward step returned the tuple (dA_prev, dW, db), and unpack it."""
    check.type_is("the result", result, tuple, hint="return three things: dA_prev, dW, db.")
    check.that("number of returned values", len(result) == 3, len(result), 3,
               hint="return dA_prev, dW, db.")
    return result


def linear_backward(fn):
    """Check linear_backward by hand and against numeric gradients of sum(G * Z)."""
    check = Checker("linear_backward")
    A_prev = np.array([[1.0, 2.0], [3.0, 4.0]])
    W = np.array([[0.5, -1.0]])
    b = np.array([[0.1]])
    dZ = np.array([[1.0, 3.0]])
    result = check.call(fn, dZ, (A_prev, W, b))
    dA_prev, dW, db = _three_gradients(check, result)
    check.array("dA_prev", dA_prev, (2, 2), hint="dA_prev = W.T dZ has the shape of A_prev.")
    check.array("dW", dW, (1, 2), hint="dW has the shape of W: (1/m) dZ A_prev.T.")
    check.array("db", db, (1, 1),
                hint="db has the shape of b, a column: sum over axis=1 with keepdims=True.")
    # worked out by hand with m = 2
    dW_hand = np.array([[3.5, 7.5]])
    db_hand = np.array([[2.0]])
    dA_hand = np.array([[0.5, 1.5], [-1.0, -3.0]])
    dW_hint = "dW = (1/m) dZ A_prev.T."
    check.close("dW for the hand-worked example", dW, dW_hand, hint=dW_hint,
                mistakes=_grad_mistakes(dW_hand, 2, dW_hint))
    db_hint = "db = (1/m) * sum of dZ over the examples."
    check.close("db for the hand-worked example", db, db_hand, hint=db_hint,
                mistakes=_grad_mistakes(db_hand, 2, db_hint))
    check.close("dA_prev for the hand-worked example", dA_prev, dA_hand,
                hint="dA_prev = W.T dZ (no 1/m here).")

    rng = _rng(13)
    A2, W2, b2 = rng.standard_normal((3, 4)), rng.standard_normal((2, 3)), rng.standard_normal(
        (2, 1)
    )
    G = rng.standard_normal((2, 4))
    m = 4
    dA2, dW2, db2 = check.call(fn, G, (A2, W2, b2))
    check.array("db for dZ of shape (2, 4)", db2, (2, 1),
                hint="sum dZ over the examples (axis=1) and keep the column: keepdims=True.")

    def scalar(A, W_, b_):
        return float(np.sum(G * (np.dot(W_, A) + b_)))

    num_A = numeric_gradient(lambda a: scalar(a, W2, b2), A2)
    num_W = numeric_gradient(lambda w: scalar(A2, w, b2), W2) / m
    num_b = numeric_gradient(lambda v: scalar(A2, W2, v), b2) / m
    check.close("dW against a numeric gradient", dW2, num_W, rtol=1e-4, atol=1e-7,
                hint=dW_hint, mistakes=_grad_mistakes(num_W, m, dW_hint))
    db_hint = "db = (1/m) * np.sum(dZ, axis=1, keepdims=True)."
    check.close("db against a numeric gradient", db2, num_b, rtol=1e-4, atol=1e-7,
                hint=db_hint, mistakes=_grad_mistakes(num_b, m, db_hint))
    check.close("dA_prev against a numeric gradient", dA2, num_A, rtol=1e-4, atol=1e-7,
                hint="dA_prev = np.dot(W.T, dZ).")
    print("dA_prev =", rounded(dA_prev, 4))
    print("dW =", rounded(dW, 4), " db =", rounded(db, 4))
    check.done()


def _activation_case(seed):
    """Random linear inputs whose Z entries all stay at least 0.1 away from 0."""
    rng = _rng(seed)
    while True:
        A = rng.standard_normal((3, 4))
        W = rng.standard_normal((2, 3))
        b = rng.standard_normal((2, 1))
        if np.min(np.abs(np.dot(W, A) + b)) > 0.1:
            return A, W, b, rng.standard_normal((2, 4))


def linear_activation_backward(fn):
    """Check relu (by hand, with Z = 0) and both activations against numeric gradients."""
    check = Checker("linear_activation_backward")
    # hand-worked relu case: Z = W A + b = [[0, -1, 3]], so only the last example passes
    A_prev = np.array([[1.0, 0.0, 2.0], [1.0, 1.0, -1.0]])
    W = np.array([[1.0, -1.0]])
    b = np.array([[0.0]])
    Z = np.array([[0.0, -1.0, 3.0]])
    dA = np.array([[2.0, 5.0, 4.0]])
    result = check.call(fn, dA, ((A_prev, W, b), Z), "relu")
    dA_prev, dW, db = _three_gradients(check, result)
    check.array("dW", dW, (1, 2), hint="dW has the shape of W.")
    check.array("db", db, (1, 1), hint="db has the shape of b: keepdims=True.")
    relu_hint = (
        "relu passes the gradient only where Z > 0: dZ = dA where Z > 0 and 0 where Z <= 0 "
        "(we take the slope at Z = 0 to be 0). Use Z from the cache, not A."
    )
    dW_hand = np.array([[8.0 / 3.0, -4.0 / 3.0]])
    db_hand = np.array([[4.0 / 3.0]])
    check.close("dW for the hand-worked relu example", dW, dW_hand, hint=relu_hint,
                mistakes=_grad_mistakes(dW_hand, 3, relu_hint))
    check.close("db for the hand-worked relu example", db, db_hand, hint=relu_hint,
                mistakes=_grad_mistakes(db_hand, 3, relu_hint))
    check.close("dA_prev for the hand-worked relu example", dA_prev,
                np.array([[0.0, 0.0, 4.0], [0.0, 0.0, -4.0]]), hint=relu_hint)

    activations = {"relu": lambda z: np.maximum(z, 0.0), "sigmoid": expit}
    for seed, (name, g) in enumerate(activations.items(), start=21):
        A2, W2, b2, G = _activation_case(seed)
        m = A2.shape[1]
        Z2 = np.dot(W2, A2) + b2
        dA2, dW2, db2 = check.call(fn, G, ((A2, W2, b2), Z2), name)

        def scalar(A, W_, b_, g=g, G=G):
            return float(np.sum(G * g(np.dot(W_, A) + b_)))

        num_A = numeric_gradient(lambda a, W2=W2, b2=b2, s=scalar: s(a, W2, b2), A2)
        num_W = numeric_gradient(lambda w, A2=A2, b2=b2, s=scalar: s(A2, w, b2), W2) / m
        num_b = numeric_gradient(lambda v, A2=A2, W2=W2, s=scalar: s(A2, W2, v), b2) / m
        base = (
            f"with activation='{name}', first dZ = dA * g'(Z) using the {name} derivative, "
            "then the linear backward step."
        )
        if name == "sigmoid":
            base += " For sigmoid, g'(Z) = s (1 - s) with s = sigmoid(Z)."
        check.array(f"db with activation='{name}'", db2, (2, 1),
                    hint="db has the shape of b: keepdims=True.")
        check.close(f"dW with activation='{name}' against a numeric gradient", dW2, num_W,
                    rtol=1e-4, atol=1e-7, hint=base, mistakes=_grad_mistakes(num_W, m, base))
        check.close(f"db with activation='{name}' against a numeric gradient", db2, num_b,
                    rtol=1e-4, atol=1e-7, hint=base, mistakes=_grad_mistakes(num_b, m, base))
        check.close(f"dA_prev with activation='{name}' against a numeric gradient", dA2, num_A,
                    rtol=1e-4, atol=1e-7, hint=base)
    print("relu:  dW =", rounded(dW, 4), " db =", rounded(db, 4))
    check.done()


def _check_backward_network(check, fn, X, Y, parameters, label):
    """Every gradient of one network against numeric gradients of the oracle's cost."""
    AL, layers = _oracle_forward(X, parameters)
    caches = [((A_prev, W, b), Z) for A_prev, W, b, Z in layers]
    n_layers = len(layers)
    m = X.shape[1]
    grads = check.call_or_fail(
        fn, AL, Y, caches,
        hint="loop over the hidden layers l = L-1 ... 1 with caches[l - 1]; the output layer "
        "L uses caches[L - 1]; " + DEPTH_HINT,
    )
    expected_keys = [f"dA{layer - 1}" for layer in range(1, n_layers + 1)]
    expected_keys += [f"d{p}{layer}" for layer in range(1, n_layers + 1) for p in ("W", "b")]
    check.keys(f"grads of {label}", grads, expected_keys,
               hint="for each layer l = L ... 1 store grads['dA' + str(l-1)], "
                    "grads['dW' + str(l)] and grads['db' + str(l)]; " + DEPTH_HINT)

    def cost_from(start, A_in, params):
        """Cost of the network evaluated from layer `start` on, with A_in entering it."""
        A = A_in
        for layer in range(start, n_layers + 1):
            Z = np.dot(params[f"W{layer}"], A) + params[f"b{layer}"]
            A = expit(Z) if layer == n_layers else np.maximum(Z, 0.0)
        return _oracle_cost(A, Y)

    first_hint = (
        "start from dAL = -(Y / AL - (1 - Y) / (1 - AL)) (mind the sign), go backward with "
        "sigmoid for layer L and relu for layers L-1 ... 1."
    )
    if n_layers != 3:
        first_hint += " " + DEPTH_HINT
    for layer in range(n_layers, 0, -1):
        for p in ("W", "b"):
            key = f"{p}{layer}"

            def cost_of(value, key=key):
                changed = dict(parameters)
                changed[key] = value
                return cost_from(1, X, changed)

            expected = numeric_gradient(cost_of, parameters[key])
            got = grads[f"d{key}"]
            check.array(f"grads['d{key}'] of {label}", got, expected.shape,
                        hint=f"d{key} has the shape of {key}.")
            check.close(f"grads['d{key}'] of {label} against a numeric gradient", got, expected,
                        rtol=1e-4, atol=1e-7, hint=first_hint,
                        mistakes=_grad_mistakes(expected, m, first_hint))
    for layer in range(n_layers, 0, -1):
        A_prev = layers[layer - 1][0]
        # per-example convention: dA is m times the derivative of the mean cost
        expected = m * numeric_gradient(
            lambda a, layer=layer: cost_from(layer, a, parameters), A_prev
        )
        got = grads[f"dA{layer - 1}"]
        check.array(f"grads['dA{layer - 1}'] of {label}", got, expected.shape,
                    hint=f"dA{layer - 1} has the shape of A{layer - 1}.")
        check.close(f"grads['dA{layer - 1}'] of {label} against a numeric gradient", got, expected,
                    rtol=1e-4, atol=1e-7,
                    hint="grads['dA' + str(l-1)] is the dA_prev returned for layer l. "
                    + first_hint)
    return grads, expected_keys


def L_model_backward(fn):  # noqa: N802 (the course's name)
    """Check every gradient of a [3, 4, 3, 1] network against numeric gradients of the cost,
    then the same for networks of 2 and 4 layers (a loop with a fixed depth fails there).

    The caches and the cost are produced here by a plain composition of np.dot, np.maximum
    and expit, so nothing the learner computed feeds the oracle.
    """
    check = Checker("L_model_backward")
    X, Y, parameters = _gradient_network()
    grads, expected_keys = _check_backward_network(check, fn, X, Y, parameters,
                                                   "the 3-layer network")
    for dims, seed in (([3, 4, 1], 41), ([3, 5, 4, 3, 1], 42)):
        X_other, Y_other, other = _network_of_depth(dims, seed)
        _check_backward_network(check, fn, X_other, Y_other, other,
                                f"a {len(dims) - 1}-layer network {dims}")
    print("keys:", ", ".join(expected_keys))
    print("dW1 =", rounded(grads["dW1"], 4))
    print("db3 =", rounded(grads["db3"], 4))
    print("also checked on networks of 2 and 4 layers")
    check.done()


# ----------------------------------------------------------------------------------------
# update


def update_parameters(fn):
    """Check one gradient-descent step on a 3-layer network, worked out by hand."""
    check = Checker("update_parameters", in_place_hint=(
        "start from a copy (e.g. copy.deepcopy(params)) and update the copy, so the caller's "
        "parameters stay intact."))
    params = {
        "W1": np.array([[1.0, 2.0], [3.0, 4.0]]), "b1": np.array([[0.0], [1.0]]),
        "W2": np.array([[1.0, -1.0]]), "b2": np.array([[0.5]]),
        "W3": np.array([[2.0]]), "b3": np.array([[1.0]]),
    }
    grads = {
        "dW1": np.array([[2.0, 0.0], [-2.0, 4.0]]), "db1": np.array([[1.0], [0.0]]),
        "dW2": np.array([[4.0, -4.0]]), "db2": np.array([[2.0]]),
        "dW3": np.array([[6.0]]), "db3": np.array([[-2.0]]),
        "dA0": np.ones((2, 1)), "dA1": np.ones((2, 1)), "dA2": np.ones((1, 1)),
    }
    new = check.call_or_fail(
        fn, params, grads, 0.5,
        hint="update every layer l = 1 ... L, with L = len(parameters) // 2.",
    )
    check.keys("the returned parameters", new, sorted(params))
    expected = {  # worked out by hand: p - 0.5 * dp
        "W1": [[0.0, 2.0], [4.0, 2.0]], "b1": [[-0.5], [1.0]],
        "W2": [[-1.0, 1.0]], "b2": [[-0.5]],
        "W3": [[-1.0]], "b3": np.array([[2.0]]),
    }
    for key, value in expected.items():
        check.array(f"updated {key}", new[key], np.shape(value))
        check.close(f"updated {key} (learning_rate = 0.5)", new[key], value,
                    hint="p = p - learning_rate * dp, for W and b of every layer.",
                    mistakes=[(params[key], f"{key} was not updated: does your loop reach the "
                                            "last layer L?")])
    shallow = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.5]])}
    updated = check.call_or_fail(fn, shallow, {"dW1": np.array([[2.0, 2.0]]),
                                         "db1": np.array([[1.0]])}, 0.5, hint=DEPTH_HINT)
    check.close("updated W1 of a 1-layer network", updated["W1"], [[0.0, -2.0]],
                hint="L = len(parameters) // 2 layers: " + DEPTH_HINT)
    print("W1 =", rounded(new["W1"], 4))
    print("b3 =", rounded(new["b3"], 4))
    check.done()


# ----------------------------------------------------------------------------------------
# Verdicts on results of training: bands and orderings, never the raw numbers.


def initialisation_comparison(costs_small, costs_scaled, train_accuracy, test_accuracy):
    """Section 7: the 0.01 start sits on the ln 2 plateau, the 1/sqrt(n_prev) start learns at
    once. ``costs_*`` are recorded every 100 iterations of 3000; the accuracies are those of
    the network trained from the 1/sqrt(n_prev) start."""
    verdict = Verdicts("two starting points")
    broken = ("nan costs or an accuracy near 0.5 usually mean a backward pass with the wrong "
              "sign or a forgotten 1/m; check L_model_backward and update_parameters.")
    verdict.exact("number of recorded costs (0.01 start)", len(costs_small), 30,
                  hint="train records the cost every 100 of 3000 iterations.")
    verdict.exact("number of recorded costs (1/sqrt(n_prev) start)", len(costs_scaled), 30,
                  hint="train records the cost every 100 of 3000 iterations.")
    ln2 = float(np.log(2.0))
    plateau = float(costs_small[2])
    verdict.that(
        f"cost at iteration 200 from the 0.01 start is within {PLATEAU_TOLERANCE:g} of ln 2 "
        "(the plateau)", abs(plateau - ln2) <= PLATEAU_TOLERANCE, f"cost {plateau:.4g}",
        hint="weights of 0.01 make every output 0.5 at first. " + broken)
    verdict.below("cost at iteration 1000 from the 1/sqrt(n_prev) start", costs_scaled[10],
                  SCALED_COST_AT_1000_BELOW, hint=broken)
    verdict.beats("cost at iteration 1000, 0.01 start over 1/sqrt(n_prev) start",
                  costs_small[10], costs_scaled[10], by=HEAD_START_AT_1000, hint=broken)
    verdict.below("final cost from the 1/sqrt(n_prev) start", costs_scaled[-1],
                  SCALED_FINAL_COST_BELOW, hint=broken)
    verdict.within("train accuracy from the 1/sqrt(n_prev) start", train_accuracy,
                   *SCALED_TRAIN_BAND, hint=broken)
    verdict.within("test accuracy from the 1/sqrt(n_prev) start", test_accuracy,
                   *SCALED_TEST_BAND, hint=broken)
    verdict.done()
