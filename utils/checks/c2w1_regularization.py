"""Checks for Course 2, week 1: regularising a 3-layer network with L2 and with dropout.

Oracles: a cost worked out by hand on a tiny example, a forward pass written here as a
plain composition of ``np.dot`` / ``np.maximum`` / ``scipy.special.expit``, numeric
gradients (central differences) of the regularised cost and of the dropout cost with its
masks held fixed, and statistical properties of dropout masks on a large input.

The network is ``LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID`` and the caches
are the tuples of the original course: ``(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)``
for the plain forward pass and ``(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)``
after a forward pass with dropout, where ``A1`` and ``A2`` are the activations after
dropout. (Inside this module the oracle keeps them as a dict by name and hands the learner
the tuple.)

The dropout masks are drawn as in the original: ``np.random.rand`` with the shape of the
activation, from numpy's global generator, which the *caller* seeds, ``D1`` first and then
``D2``, a unit kept where its draw is below ``keep_prob``. The check seeds the global
generator, works out the expected masks from its own ``np.random.RandomState`` with the same
seed, and compares them exactly; it restores the generator's state afterwards.

Gradient convention (the course's): ``dZ{l}`` and ``dA{l}`` are per-example derivatives
(of each example's loss, not divided by ``m``), while ``dW{l}`` and ``db{l}`` are
derivatives of the mean cost, so they carry the ``1/m``. With dropout, ``dA{l}`` is the
derivative with respect to the ReLU output *before* the mask, so it already has the mask
and the ``1 / keep_prob`` applied.

The last part of the module holds the verdicts on the notebook's training runs
(``unregularised_network``, ``l2_network``, ``dropout_network``, ``models_compared``,
``lambda_sweep``): bands and orderings, with the measurements behind each band next to it.
"""

import math

import numpy as np
from scipy.special import expit

from utils.checks.harness import Checker, rounded
from utils.checks.oracles import numeric_gradient
from utils.checks.verdicts import Verdicts
from utils.models.three_layer_net import CACHE_NAMES, DROPOUT_CACHE_NAMES

CACHE_TEXT = "(" + ", ".join(CACHE_NAMES) + ")"
DROPOUT_CACHE_TEXT = "(" + ", ".join(DROPOUT_CACHE_NAMES) + ")"
GRAD_ORDER = ["dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"]

# ----------------------------------------------------------------------------------------
# helpers (oracles written independently of the notebook)


def _relu(Z):
    return np.maximum(Z, 0.0)


def _cross_entropy(A3, Y):
    m = Y.shape[1]
    return float(-(np.sum(Y * np.log(A3)) + np.sum((1 - Y) * np.log(1 - A3))) / m)


def _squares(parameters):
    return sum(float(np.sum(np.square(parameters[f"W{l}"]))) for l in (1, 2, 3))


def _oracle_forward(X, parameters, masks=None, keep_prob=1.0):
    """The cache dict of the network; with ``masks`` = (D1, D2), inverted dropout."""
    cache = {}
    A = X
    for l in (1, 2, 3):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = np.dot(W, A) + b
        if l == 3:
            A = expit(Z)
        else:
            A = _relu(Z)
            if masks is not None:
                cache[f"D{l}"] = masks[l - 1]
                A = A * masks[l - 1] / keep_prob
        cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": W, f"b{l}": b})
    return cache


def _as_tuple(cache):
    """The learner's view of an oracle cache: the course's tuple, with masks if it has them."""
    names = DROPOUT_CACHE_NAMES if "D1" in cache else CACHE_NAMES
    return tuple(cache[name] for name in names)


def _network(seed, dims=(3, 4, 3, 1), m=5):
    """A fixed small network whose pre-activations stay well away from the ReLU's kink."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    Y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])[:, :m]
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * 0.9
        parameters[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.3
    return X, Y, parameters


def _safe_network(seed, masks=None, keep_prob=1.0):
    """_network(seed') for the first seed' >= seed with every |Z| > 0.05 (no kink trouble)."""
    for s in range(seed, seed + 200):
        X, Y, parameters = _network(s)
        cache = _oracle_forward(X, parameters, masks, keep_prob)
        if all(np.min(np.abs(cache[f"Z{l}"])) > 0.05 for l in (1, 2)):
            return X, Y, parameters
    raise RuntimeError("no suitable test network found")  # pragma: no cover


def _cost_from(X, Y, parameters, start, value, masks=None, keep_prob=1.0, lambd=0.0):
    """Cost when the quantity ``start`` ("Z3", "A2", "Z2", "A1" or "Z1") is set to ``value``.

    ``A{l}`` means the ReLU output before any dropout mask.
    """
    W = {l: parameters[f"W{l}"] for l in (1, 2, 3)}
    b = {l: parameters[f"b{l}"] for l in (1, 2, 3)}
    order = ["Z1", "A1", "Z2", "A2", "Z3"]
    position = order.index(start)
    current = value
    for step in order[position + 1:] + ["A3"]:
        layer = int(step[1])
        if step.startswith("A"):
            current = expit(current) if layer == 3 else _relu(current)
        else:  # a Z: the linear part, fed by the (dropped-out) activation of the layer below
            A_in = current
            if masks is not None:
                A_in = A_in * masks[layer - 2] / keep_prob
            current = np.dot(W[layer], A_in) + b[layer]
    m = Y.shape[1]
    return _cross_entropy(current, Y) + lambd / (2 * m) * _squares(parameters)


def _parameter_cost(X, Y, parameters, masks=None, keep_prob=1.0, lambd=0.0):
    """A function of one parameter array (by key) for numeric_gradient."""
    m = Y.shape[1]

    def of(key):
        def cost(value):
            trial = dict(parameters)
            trial[key] = value
            A3 = _oracle_forward(X, trial, masks, keep_prob)["A3"]
            return _cross_entropy(A3, Y) + lambd / (2 * m) * _squares(trial)
        return cost
    return of


def _expected_gradients(X, Y, parameters, masks=None, keep_prob=1.0, lambd=0.0):
    """Numeric gradients: dW, db of the mean cost; m times those of dZ, dA (per example)."""
    m = Y.shape[1]
    cache = _oracle_forward(X, parameters, masks, keep_prob)
    expected = {}
    of = _parameter_cost(X, Y, parameters, masks, keep_prob, lambd)
    for l in (1, 2, 3):
        for p in ("W", "b"):
            key = f"{p}{l}"
            expected[f"d{key}"] = numeric_gradient(of(key), parameters[key])
    for name in ("Z3", "A2", "Z2", "A1", "Z1"):
        # an A is the ReLU output before the mask, the quantity dA refers to
        start = _relu(cache[f"Z{name[1]}"]) if name.startswith("A") else cache[name]

        def f(value, name=name):
            return _cost_from(X, Y, parameters, name, value, masks, keep_prob)

        expected[f"d{name}"] = m * numeric_gradient(f, start)
    return expected


IN_PLACE_HINT = ("build new arrays (e.g. dA2 = dA2 * D2, not dA2 *= D2, and never write "
                 "into the cache or the parameters).")


def _gradient_dict(check, grads, shapes):
    check.type_is("the returned gradients", grads, dict, hint="return a dictionary of gradients.")
    missing = [k for k in GRAD_ORDER if k not in grads]
    check.that("keys of the gradients", not missing, f"missing: {', '.join(missing)}",
               ", ".join(GRAD_ORDER),
               hint="store every intermediate gradient: dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, "
                    "dZ1, dW1, db1.")
    for key in GRAD_ORDER:
        check.array(f"grads[{key!r}]", grads[key], shapes[key],
                    hint=f"{key} has the shape of {key[1:]}; db keeps its column shape with "
                         "keepdims=True.")


def _shapes(cache, X):
    shapes = {}
    for l in (1, 2, 3):
        for p in ("Z", "W", "b"):
            shapes[f"d{p}{l}"] = cache[f"{p}{l}"].shape
    shapes["dA1"] = cache["A1"].shape
    shapes["dA2"] = cache["A2"].shape
    return shapes


# ----------------------------------------------------------------------------------------
# L2 regularisation


def _tiny_l2_example():
    """A3, Y, parameters, lambd small enough to work the cost out by hand (m = 3).

    Cross-entropy: -(ln 0.8 + ln 0.6 + ln 0.6) / 3 (the second label is 0, so it scores
    1 - 0.4 = 0.6). Squared weights: W1 1 + 1 + 4 + 0 = 6, W2 0.25 + 2.25 = 2.5, W3 4, in
    all 12.5. Penalty: 0.3 / (2 * 3) * 12.5 = 0.625. The biases are not penalised.
    """
    A3 = np.array([[0.8, 0.4, 0.6]])
    Y = np.array([[1, 0, 1]])
    parameters = {
        "W1": np.array([[1.0, -1.0], [2.0, 0.0]]), "b1": np.array([[5.0], [-3.0]]),
        "W2": np.array([[0.5, -1.5]]), "b2": np.array([[2.0]]),
        "W3": np.array([[2.0]]), "b3": np.array([[-4.0]]),
    }
    cross_entropy = -(math.log(0.8) + math.log(0.6) + math.log(0.6)) / 3
    return A3, Y, parameters, 0.3, cross_entropy, 12.5


L2_COST_HINT = ("cost = cross-entropy + lambd / (2 * m) * (sum of W1**2 + sum of W2**2 + "
                "sum of W3**2).")


def _l2_cost_mistakes(cross_entropy, parameters, lambd, m):
    """The costs the usual mistakes give, each with the hint that names the mistake."""
    weights = {l: np.asarray(parameters[f"W{l}"], dtype=float) for l in (1, 2, 3)}
    per_layer = {l: float(np.sum(np.square(W))) for l, W in weights.items()}
    sum_squares = sum(per_layer.values())
    biases_squares = sum(float(np.sum(np.square(parameters[f"b{l}"]))) for l in (1, 2, 3))

    def over_layers(f):
        return sum(float(f(W)) for W in weights.values())

    penalties = [
        (0.0, "You returned the cross-entropy only: add the L2 term."),
        (lambd / m * sum_squares, "The L2 term is twice too large: divide by 2 * m, not m."),
        (lambd * sum_squares, "Divide the L2 term by 2 * m."),
        (lambd / (4 * m) * sum_squares, "The L2 term is twice too small: lambd / (2 * m)."),
        (lambd / 2 * m * sum_squares,
         "lambd / 2 * m multiplies by m: Python reads it as (lambd / 2) * m. Write "
         "lambd / (2 * m), with the brackets."),
        (sum_squares / (2 * m), "Multiply by the given lambd."),
        (lambd / 2 * sum_squares,
         "m is the number of examples, Y.shape[1] (the columns of Y), not Y.shape[0]."),
        (lambd / (2 * m) * (sum_squares + biases_squares),
         "Only the weights W1, W2, W3 are penalised, not the biases."),
        (lambd / (2 * m) * over_layers(np.linalg.norm),
         "np.linalg.norm(W) is the square root of the sum of squares: square it, or use "
         "np.sum(np.square(W))."),
        (lambd / (2 * m) * over_layers(lambda W: np.sum(np.abs(W))),
         "That is an L1 penalty (absolute values): L2 sums the squares, np.sum(np.square(W))."),
        (lambd / (2 * m) * over_layers(lambda W: np.mean(np.square(W))),
         "Sum the squares with np.sum, not np.mean: the 1 / m of the formula is the number "
         "of examples, already in lambd / (2 * m)."),
        (lambd / (2 * m) * over_layers(lambda W: np.sum(W) ** 2),
         "Square each weight, then sum: np.sum(np.square(W)), not np.square(np.sum(W))."),
    ]
    penalties += [(lambd / (2 * m) * (sum_squares - squares),
                   f"The L2 term leaves out W{l}: sum the squares of all three weight matrices.")
                  for l, squares in per_layer.items()]
    return [(cross_entropy + penalty, f"{L2_COST_HINT} {message}")
            for penalty, message in penalties]


def compute_cost_with_regularization(fn):
    """Check compute_cost_with_regularization(A3, Y, parameters, lambd) by hand and by
    a second example computed here with numpy."""
    check = Checker("compute_cost_with_regularization", in_place_hint=IN_PLACE_HINT)
    A3, Y, parameters, lambd, cross_entropy, sum_squares = _tiny_l2_example()
    hint_call = ("parameters holds W1, b1, W2, b2, W3, b3; use Y.shape[1] for m.")
    cost = check.call_or_fail(fn, A3, Y, parameters, lambd, hint=hint_call)
    check.number("the returned cost", cost)
    m = 3
    expected = cross_entropy + lambd / (2 * m) * sum_squares
    check.close("cost on the tiny example (m = 3, lambd = 0.3, sum of squared weights = 12.5)",
                float(np.squeeze(cost)), expected, rtol=1e-7, hint=L2_COST_HINT,
                mistakes=_l2_cost_mistakes(cross_entropy, parameters, lambd, m))

    # lambd = 0 gives back the plain cross-entropy
    cost_zero = check.call_or_fail(fn, A3, Y, parameters, 0.0, hint=hint_call)
    check.close("cost on the tiny example with lambd = 0", float(np.squeeze(cost_zero)),
                cross_entropy, rtol=1e-7,
                hint="with lambd = 0 the cost is the plain cross-entropy.")

    # a second, larger example: the formula, written out with numpy
    rng = np.random.default_rng(7)
    big = {}
    for l, (n, n_prev) in zip((1, 2, 3), ((5, 2), (4, 5), (1, 4)), strict=True):
        big[f"W{l}"] = rng.standard_normal((n, n_prev))
        big[f"b{l}"] = rng.standard_normal((n, 1))
    A3_big = rng.uniform(0.05, 0.95, size=(1, 8))
    Y_big = (rng.random((1, 8)) > 0.5).astype(np.int64)
    cost_big = check.call_or_fail(fn, A3_big, Y_big, big, 0.7, hint=hint_call)
    check.number("the returned cost (second example)", cost_big)
    per_layer_big = {l: float(np.sum(np.square(big[f"W{l}"]))) for l in (1, 2, 3)}
    ce_big = _cross_entropy(A3_big, Y_big)
    expected_big = ce_big + 0.7 / (2 * 8) * sum(per_layer_big.values())
    check.close("cost on a random example (m = 8, lambd = 0.7)", float(np.squeeze(cost_big)),
                expected_big, rtol=1e-7, hint=L2_COST_HINT,
                mistakes=_l2_cost_mistakes(ce_big, big, 0.7, 8))
    print("tiny example: cross-entropy =", rounded(cross_entropy), " L2 term =",
          rounded(lambd / (2 * m) * sum_squares), " cost =", rounded(float(np.squeeze(cost))))
    print("with lambd = 0: cost =", rounded(float(np.squeeze(cost_zero))))
    print("random example (m = 8, lambd = 0.7): cost =", rounded(float(np.squeeze(cost_big))))
    check.done()


def _where_to_look(base, key, cache_text):
    """The general hint for one gradient: this step, or the cache's order for the first."""
    if key != GRAD_ORDER[0]:
        return base + " The gradients checked before this one matched, so look at this step."
    return base + (f" dZ3 = A3 - Y: if it is already wrong, check that you unpack the cache "
                   f"in its order, {cache_text}.")


def _scale_mistakes(base, expected, m):
    """The mistakes every gradient shares: a flipped sign and a missing 1/m."""
    return [(-expected, base + " It has the wrong sign."),
            (m * expected, base + f" It is m = {m} times too large: divide by m."),
            (expected / m, base + f" It is m = {m} times too small: only dW and db carry the "
                                  "1/m (dZ and dA are per example), so divide by m once, in "
                                  "dW and db.")]


def _l2_gradient_mistakes(base, key, expected, plain, lambd, m, param):
    """The usual mistakes for one gradient of the regularised cost, as the values they give
    (``plain`` is the unregularised gradient, ``param`` the matching W or b)."""
    mistakes = []
    if key.startswith("dW"):
        mistakes = [
            (plain, base + " You left out the L2 term for this layer."),
            (plain + 2 * lambd / m * param,
             base + " Your L2 term is twice too large: it is lambd / m * W, not "
                    "2 * lambd / m * W (the 1/2 of the cost cancels the 2 of W**2)."),
            (plain + lambd / (2 * m) * param,
             base + " Your L2 term is twice too small: the derivative of "
                    "lambd / (2m) * W**2 is lambd / m * W."),
            (plain + lambd * param, base + " Divide the L2 term by m."),
            (plain + param / m, base + " Multiply by the given lambd: lambd / m * W."),
        ]
    elif key.startswith("db"):
        mistakes = [(plain + lambd / m * param,
                     base + " The biases are not penalised: db has no L2 term.")]
    return mistakes + _scale_mistakes(base, expected, m)


def backward_propagation_with_regularization(fn):
    """Check the L2 backward pass against numeric gradients of the regularised cost."""
    check = Checker("backward_propagation_with_regularization", in_place_hint=IN_PLACE_HINT)
    X, Y, parameters = _safe_network(28)
    lambd = 0.7
    cache = _oracle_forward(X, parameters)
    grads = check.call_or_fail(fn, X, Y, _as_tuple(cache), lambd,
                               hint=f"the cache is the tuple {CACHE_TEXT}: unpack it in this "
                                    "order.")
    _gradient_dict(check, grads, _shapes(cache, X))
    m = X.shape[1]
    expected = _expected_gradients(X, Y, parameters, lambd=lambd)
    plain = _expected_gradients(X, Y, parameters, lambd=0.0)
    for key in GRAD_ORDER:
        base = f"compare {key} with a numeric gradient of the regularised cost."
        if key.startswith("dW"):
            base = f"{key} = (unregularised gradient) + lambd / m * W{key[2:]}."
        check.close(f"{key} against a numeric gradient", grads[key], expected[key], rtol=1e-4,
                    atol=1e-7, hint=_where_to_look(base, key, CACHE_TEXT),
                    mistakes=_l2_gradient_mistakes(base, key, expected[key], plain[key], lambd, m,
                                                   parameters.get(key[1:])))
    print("lambd = 0.7, m = 5")
    print("dW1 =", rounded(grads["dW1"], 4))
    print("dW3 =", rounded(grads["dW3"], 4))
    print("db3 =", rounded(grads["db3"], 4))
    check.done()


# ----------------------------------------------------------------------------------------
# dropout


def _large_dropout_network():
    rng = np.random.default_rng(11)
    X = rng.standard_normal((2, 4000))
    parameters = {
        "W1": rng.standard_normal((60, 2)), "b1": rng.standard_normal((60, 1)) * 0.2,
        "W2": rng.standard_normal((50, 60)) * 0.2, "b2": rng.standard_normal((50, 1)) * 0.2,
        "W3": rng.standard_normal((1, 50)) * 0.2, "b3": np.array([[0.1]]),
    }
    return X, parameters


def _check_dropout_layer(check, cache, l, A_in, parameters, keep_prob, label):
    """Properties of one hidden layer of a dropout forward pass."""
    W, b = parameters[f"W{l}"], parameters[f"b{l}"]
    Z = cache[f"Z{l}"]
    check.close(f"Z{l} = W{l} A{l - 1} + b{l} {label}", Z, np.dot(W, A_in) + b, rtol=1e-9,
                atol=1e-12,
                hint="layer 2 must receive A1 *after* dropout (the masked, rescaled activations)."
                     if l == 2 else "Z1 = np.dot(W1, X) + b1: dropout acts on the hidden layers "
                                    "only, never on the input X.")
    D, A = cache[f"D{l}"], cache[f"A{l}"]
    check.array(f"cache entry D{l} {label}", D, Z.shape,
                hint=f"draw one mask entry per unit and per example: D{l} has the shape of A{l}.")
    check.array(f"cache entry A{l} {label}", A, Z.shape)
    values = np.unique(D)
    check.that(f"D{l} holds only 0 and 1 {label}", np.all(np.isin(values, [0, 1])),
               rounded(values[:6]), "0/1 values",
               hint=f"turn the uniform numbers into a 0/1 mask: D{l} = (np.random.rand(...) "
                    f"< keep_prob).astype(int), and keep the cache in the order "
                    f"{DROPOUT_CACHE_TEXT}.")
    kept = float(np.mean(D))
    flipped = abs(kept - (1 - keep_prob)) < 0.02 and abs(keep_prob - 0.5) > 0.05
    check.that(f"fraction of units kept in layer {l} {label}", abs(kept - keep_prob) < 0.02,
               rounded(kept, 3), f"about keep_prob = {keep_prob}",
               hint="a unit is kept when its uniform number is *below* keep_prob: "
                    "np.random.rand(...) < keep_prob." + (
                        " You kept a fraction 1 - keep_prob: the comparison is the wrong way round."
                        if flipped else ""))
    relu_Z = _relu(Z)
    dropped = D == 0
    check.that(f"A{l} is zero wherever D{l} is 0 {label}", np.all(A[dropped] == 0),
               f"{int(np.sum(A[dropped] != 0))} non-zero dropped units", "zeros",
               hint=f"multiply A{l} by the mask D{l}.")
    kept_mask = ~dropped
    got_kept, relu_kept = A[kept_mask], relu_Z[kept_mask]
    hint = f"kept units are scaled up: A{l} = relu(Z{l}) * D{l} / keep_prob."
    check.close(f"kept units of A{l} equal relu(Z{l}) / keep_prob {label}", got_kept,
                relu_kept / keep_prob, rtol=1e-9, atol=1e-12, hint=hint,
                mistakes=[(relu_kept, hint + " You did not divide by keep_prob."),
                          (relu_kept * keep_prob,
                           hint + " Divide by keep_prob instead of multiplying."),
                          (relu_kept / (1 - keep_prob),
                           hint + " Divide by keep_prob, the probability of keeping a unit, "
                                  "not by 1 - keep_prob."),
                          (relu_kept / keep_prob ** 2,
                           hint + " You divided by keep_prob twice.")])
    return kept, float(np.mean(A) / np.mean(relu_Z))


_MASK_HINT = (
    "draw each mask from numpy's global generator, which the caller seeds: "
    "D1 = (np.random.rand(A1.shape[0], A1.shape[1]) < keep_prob).astype(int), then D2 the "
    "same way with A2's shape. Do not seed inside the function (no np.random.seed) and do "
    "not use another generator (np.random.default_rng, np.random.binomial): with the same "
    "seed your masks, and so your trained network, must be the notebook's."
)


def _returned_cache(check, result, m, label):
    """``A3`` and the cache (as a dict by name) from what the learner's forward pass returned."""
    check.type_is(f"the returned value {label}", result, tuple, hint="return A3, cache.")
    check.that(f"the function returns two things {label}", len(result) == 2,
               f"{len(result)} values", "A3, cache", hint="return A3, cache.")
    A3, cache = result
    check.array(f"the returned A3 {label}", A3, (1, m))
    hint = (f"the cache is the tuple {DROPOUT_CACHE_TEXT}, in this order (each mask right "
            "after the Z of its layer).")
    check.type_is(f"the cache {label}", cache, tuple, hint=hint)
    check.that(f"number of entries in the cache {label}", len(cache) == len(DROPOUT_CACHE_NAMES),
               len(cache), len(DROPOUT_CACHE_NAMES), hint=hint)
    return A3, dict(zip(DROPOUT_CACHE_NAMES, cache, strict=True))


def _drawn_masks(seed, shapes, keep_prob):
    """The masks np.random.rand gives for these shapes, in this order, after seeding."""
    draws = np.random.RandomState(seed)
    return [draws.rand(*shape) < keep_prob for shape in shapes]


def _check_masks_drawn(check, cache, seed, keep_prob, label):
    """D1 and D2 are exactly the draws np.random.rand makes after np.random.seed(seed)."""
    shapes = [np.shape(cache["D1"]), np.shape(cache["D2"])]
    expected = _drawn_masks(seed, shapes, keep_prob)
    got = [np.asarray(cache[f"D{l}"]) != 0 for l in (1, 2)]
    reversed_order = _drawn_masks(seed, shapes[::-1], keep_prob)[::-1]
    hint = _MASK_HINT
    if all(np.array_equal(g, e) for g, e in zip(got, reversed_order, strict=True)):
        hint += " Your masks are these draws in the wrong order: draw D1 first, then D2."
    for l in (1, 2):
        differ = int(np.sum(got[l - 1] != expected[l - 1]))
        check.that(f"D{l} is the np.random.rand draw after np.random.seed({seed}) {label}",
                   differ == 0, f"{differ} of {got[l - 1].size} entries differ",
                   f"the mask (np.random.rand(A{l}.shape[0], A{l}.shape[1]) < keep_prob), "
                   f"{'after D1' if l == 2 else 'drawn first'}",
                   hint=hint)


def forward_propagation_with_dropout(fn):
    """Check the dropout forward pass on a large input: masks, scaling, kept fraction."""
    state = np.random.get_state()
    try:
        _forward_propagation_with_dropout(fn)
    finally:
        np.random.set_state(state)  # leave the notebook's global generator as it was


def _forward_propagation_with_dropout(fn):
    check = Checker("forward_propagation_with_dropout", in_place_hint=IN_PLACE_HINT)
    X, parameters = _large_dropout_network()
    m = X.shape[1]
    keep_prob = 0.8
    np.random.seed(1)
    hint_call = "parameters holds W1, b1, W2, b2, W3, b3."
    result = check.call_or_fail(fn, X, parameters, keep_prob, hint=hint_call)
    label = "(keep_prob = 0.8)"
    A3, cache = _returned_cache(check, result, m, label)
    kept1, ratio1 = _check_dropout_layer(check, cache, 1, X, parameters, keep_prob, label)
    kept2, ratio2 = _check_dropout_layer(check, cache, 2, cache["A1"], parameters, keep_prob,
                                         label)
    for l in (1, 2, 3):
        for name in (f"W{l}", f"b{l}"):
            check.close(f"cache entry {name} {label}", cache[name], parameters[name],
                        hint=f"store {name} in the cache, at its place in {DROPOUT_CACHE_TEXT}.")
    Z3 = np.dot(parameters["W3"], cache["A2"]) + parameters["b3"]
    check.close("Z3 = W3 A2 + b3 with A2 after dropout", cache["Z3"], Z3, rtol=1e-9, atol=1e-12,
                hint="the output layer receives A2 *after* dropout.")
    check.close("A3 = sigmoid(Z3)", A3, expit(Z3), rtol=1e-9, atol=1e-12,
                hint="no dropout on the output layer: A3 = sigmoid(Z3).")
    check.close(f"cache entry A3 {label}", cache["A3"], A3,
                hint=f"store the returned A3 in the cache, at its place in {DROPOUT_CACHE_TEXT}.")
    for l, ratio in ((1, ratio1), (2, ratio2)):
        check.that(f"mean of A{l} over mean of relu(Z{l})", abs(ratio - 1) < 0.02,
                   rounded(ratio, 3), "about 1 (inverted dropout keeps the expected activation)",
                   hint="dividing by keep_prob makes up for the dropped units.")
    _check_masks_drawn(check, cache, 1, keep_prob, label)

    # the default keep_prob is 0.5
    np.random.seed(2)
    result_half = check.call_or_fail(fn, X, parameters, hint=hint_call)
    _, cache_half = _returned_cache(check, result_half, m, "(default keep_prob)")
    kept_half = float(np.mean(cache_half["D1"]))
    check.that("fraction kept with the default keep_prob", abs(kept_half - 0.5) < 0.02,
               rounded(kept_half, 3), "about 0.5", hint="the default is keep_prob=0.5.")
    _check_masks_drawn(check, cache_half, 2, 0.5, "(default keep_prob)")

    # keep_prob = 1 keeps everything: the plain network
    result_one = check.call_or_fail(fn, X, parameters, 1.0, hint=hint_call)
    A3_one, _ = _returned_cache(check, result_one, m, "(keep_prob = 1)")
    plain = _oracle_forward(X, parameters)
    check.close("A3 with keep_prob = 1 (no unit dropped)", A3_one, plain["A3"], rtol=1e-9,
                atol=1e-12, hint="with keep_prob = 1 every unit is kept and nothing is rescaled.")
    print(f"keep_prob = {keep_prob}: fraction kept {kept1:.2f} (layer 1), "
          f"{kept2:.2f} (layer 2)")
    print(f"mean activation with / without dropout: {ratio1:.2f} (layer 1), "
          f"{ratio2:.2f} (layer 2)")
    print(f"default keep_prob: fraction kept {kept_half:.2f}")
    print("masks: the np.random.rand draws of the seeded generator, D1 then D2")
    check.done()


def _fixed_masks(seed, shapes):
    """0/1 masks with both values in every row (fixed, so the check is deterministic)."""
    rng = np.random.default_rng(seed)
    masks = []
    for shape in shapes:
        while True:
            D = (rng.random(shape) < 0.6).astype(np.int64)
            if np.all(D.any(axis=1)) and np.all((1 - D).any(axis=1)):
                masks.append(D)
                break
    return tuple(masks)


def _dropout_mistakes(base, key, expected, cache, grads, keep_prob, m):
    """The usual mistakes for one gradient of the dropout cost, as the values they give; for
    dA1 and dA2 they start from the learner's own dZ of the layer above."""
    mistakes = []
    if key in ("dA1", "dA2"):
        l = int(key[2])
        upstream = np.dot(cache[f"W{l + 1}"].T, np.asarray(grads[f"dZ{l + 1}"]))
        D = cache[f"D{l}"]
        mistakes = [
            (upstream, base + f" Apply the mask in the backward pass too: {key} = {key} * D{l}."),
            (upstream * D, base + f" Divide {key} by keep_prob after applying D{l}."),
            (upstream * D * keep_prob, base + " Divide by keep_prob instead of multiplying."),
            (upstream * D / (1 - keep_prob),
             base + " Divide by keep_prob, the probability of keeping a unit, not by "
                    "1 - keep_prob."),
            (upstream * D / keep_prob ** 2,
             base + f" You divided by keep_prob twice: {key} = {key} * D{l} / keep_prob, "
                    "once."),
            (upstream / keep_prob,
             base + f" Apply the mask in the backward pass too: multiply {key} by D{l}."),
        ]
    return mistakes + _scale_mistakes(base, expected, m)


def backward_propagation_with_dropout(fn):
    """Check the dropout backward pass against numeric gradients with fixed masks."""
    check = Checker("backward_propagation_with_dropout", in_place_hint=IN_PLACE_HINT)
    keep_prob = 0.7
    masks = _fixed_masks(5, [(4, 5), (3, 5)])
    X, Y, parameters = _safe_network(40, masks, keep_prob)
    cache = _oracle_forward(X, parameters, masks, keep_prob)
    grads = check.call_or_fail(fn, X, Y, _as_tuple(cache), keep_prob,
                               hint=f"the cache is the tuple {DROPOUT_CACHE_TEXT}: unpack it in "
                                    "this order.")
    _gradient_dict(check, grads, _shapes(cache, X))
    m = X.shape[1]
    expected = _expected_gradients(X, Y, parameters, masks, keep_prob)
    for key in GRAD_ORDER:
        base = f"compare {key} with a numeric gradient of the cost with the masks held fixed."
        check.close(f"{key} against a numeric gradient (masks fixed)", grads[key], expected[key],
                    rtol=1e-4, atol=1e-7, hint=_where_to_look(base, key, DROPOUT_CACHE_TEXT),
                    mistakes=_dropout_mistakes(base, key, expected[key], cache, grads, keep_prob,
                                               m))
    for l in (1, 2):
        dropped = cache[f"D{l}"] == 0
        check.that(f"dA{l} is zero for dropped units",
                   np.all(np.asarray(grads[f"dA{l}"])[dropped] == 0), "non-zero values", "zeros",
                   hint=f"a dropped unit did not take part, so it gets no gradient: multiply "
                        f"by D{l}.")
    print(f"keep_prob = {keep_prob}, m = {m}, masks D1 {masks[0].shape}, D2 {masks[1].shape}")
    print("dA2 =", rounded(grads["dA2"], 4))
    print("dW1 =", rounded(grads["dW1"], 4))
    check.done()


# ----------------------------------------------------------------------------------------
# Verdicts on the training runs of the notebook (never their raw numbers, which differ in
# the last digits from one CPU to another).
#
# Bands measured with the notebook's data, network [2, 40, 20, 1], learning rate 0.5 and
# 10,000 steps: each run natively (AVX-512), under the test profile (AVX2 numpy and
# OpenBLAS) and under the second profile (SSE4.2 numpy, OpenBLAS Nehalem), with the
# notebook's seed 0 and the training seeds 1-4 (initial weights and dropout masks): 15 runs
# of every model, and 5 more dropout runs natively (seeds 5-9). The broken implementations
# were trained natively and under the test profile with seeds 0-2.
#
# Unregularised training at this learning rate is erratic: the same seed can end at a
# training accuracy of 0.987 on one profile and 0.900 on another. The bands allow for it.

PLAIN_MIN_TRAIN = 0.88
# training accuracy without regularisation: 0.900-0.993.
PLAIN_TEST = (0.77, 0.85)
# test accuracy without regularisation: 0.793-0.822. With L2 (lambda 0.5): 0.870-0.876.
PLAIN_MIN_GAP = 0.07
# training minus test accuracy without regularisation: 0.093-0.192. With L2: 0.039-0.047.
PLAIN_MAX_COST = 0.25
# final cost without regularisation: 0.022-0.174. With L2 (and its penalty): 0.30-0.31.

L2_TRAIN = (0.89, 0.945)
# training accuracy with L2, lambda = 0.5: 0.913-0.920.
L2_TEST = (0.855, 0.89)
# test accuracy with L2, lambda = 0.5: 0.870-0.876. Broken: the L2 term left out of the
# gradients (kept in the cost) trains the plain network, 0.801-0.822; regularisation
# switched off (lambda = 0 everywhere): 0.793-0.822.
L2_COST = (0.28, 0.33)
# final cost with L2, penalty included: 0.3025-0.3086. Broken: the L2 term left out of the
# gradients lets the weights grow, so the penalty makes the cost 1.28-1.61; regularisation
# switched off: 0.022-0.174.

DROPOUT_TRAIN = (0.90, 0.97)
# training accuracy with dropout, keep_prob = 0.6: 0.927-0.953 (20 runs).
DROPOUT_TEST = (0.815, 0.87)
# test accuracy with dropout: 0.829-0.851 (20 runs). Dropout switched off (keep_prob
# ignored) trains the plain network, whose test accuracy is *equal* to the unregularised
# one, so the verdict "higher than without regularisation" fails (the smallest measured
# margin of a correct run is 0.008, and every dropout run, 0.829 at least, is above every
# unregularised one, 0.822 at most).
# Dropout without the division by keep_prob (forward and backward) is NOT caught here: it
# gives training accuracy 0.920-0.940, test 0.838-0.857 and final cost 0.18-0.28, inside
# every band. With ReLU units, scaling a layer's output by 1 / keep_prob changes little
# that the next weights cannot absorb; the graded checks of the forward and backward pass
# catch that mistake instead.
DROPOUT_MAX_COST = 0.5
# last recorded cost (of a thinned network) with dropout: 0.155-0.369.

L2_OVER_PLAIN = 0.03
# test accuracy with L2 minus without, same seed and profile: 0.052-0.079.
L2_GAP_REDUCTION = 0.03
# (train - test) without regularisation minus (train - test) with L2: 0.046-0.153.
BEST_MARGIN = 0.01
# the best test accuracy of any model minus the best possible estimate (0.879): -0.006 at
# most; a model evaluated on its own training data by mistake would be far above.

SWEEP_MIN_TRAIN_DROP = 0.1
# training accuracy at the smallest lambda (0.05) minus at the largest (5.0): 0.140-0.167.
# Broken: the L2 term left out of the gradients makes every lambda train the same network,
# a drop of exactly 0.
SWEEP_MIN_TEST_GAIN = 0.03
# best test accuracy of the sweep minus the test accuracy at the smallest lambda:
# 0.049-0.069; best minus the largest lambda's (underfitting): 0.052-0.055.
SWEEP_MIN_GAP_REDUCTION = 0.1
# (train - test) at the smallest lambda minus at the largest: 0.135-0.171.
# Training accuracy never rose from one lambda to the next larger one in any of the 15
# sweeps (smallest fall 0.0067, one training point).


def unregularised_network(train_accuracy, test_accuracy, final_cost):
    """Verdicts on the network trained without regularisation: it overfits."""
    verdict = Verdicts("no regularisation")
    verdict.above("training accuracy", train_accuracy, PLAIN_MIN_TRAIN,
                  "without regularisation the network fits almost every training point; "
                  "was it trained (model(train_X, train_Y) with the defaults)?")
    verdict.within("test accuracy", test_accuracy, *PLAIN_TEST,
                   hint="far above: was a regulariser switched on (lambd or keep_prob)?")
    verdict.beats("training accuracy over test accuracy", train_accuracy, test_accuracy,
                  by=PLAIN_MIN_GAP,
                  hint="overfitting shows as a large gap; a small one means the model was "
                       "regularised.")
    verdict.below("final training cost", final_cost, PLAIN_MAX_COST,
                  "the plain cross-entropy falls close to 0 on 150 points.")
    verdict.done()


def l2_network(train_accuracy, test_accuracy, final_cost):
    """Verdicts on the network trained with L2 regularisation, lambd = 0.5."""
    verdict = Verdicts("L2, lambda = 0.5")
    verdict.within("test accuracy", test_accuracy, *L2_TEST,
                   hint="close to the plain network's test accuracy (about 0.8) means the "
                        "penalty did not act: does backward_propagation_with_regularization "
                        "add lambd / m * W to every dW?")
    verdict.within("training accuracy", train_accuracy, *L2_TRAIN,
                   hint="L2 should stop the network from fitting the noisy points.")
    verdict.within("final training cost (cross-entropy + L2 term)", final_cost, *L2_COST,
                   hint="far above: the weights grew because the gradient lacks the L2 term; "
                        "far below: the cost lacks the penalty, or lambd was 0.")
    verdict.done()


def dropout_network(train_accuracy, test_accuracy, final_cost, unregularised_test_accuracy):
    """Verdicts on the network trained with dropout, keep_prob = 0.6."""
    verdict = Verdicts("dropout, keep_prob = 0.6")
    verdict.within("test accuracy", test_accuracy, *DROPOUT_TEST,
                   hint="near the unregularised network's (about 0.8): dropout did not act "
                        "(model() uses the dropout functions only when keep_prob < 1); "
                        "otherwise check forward_propagation_with_dropout and "
                        "backward_propagation_with_dropout.")
    verdict.within("training accuracy", train_accuracy, *DROPOUT_TRAIN,
                   hint="dropout should stop the network from fitting the noisy points.")
    verdict.below("final training cost (of a thinned network)", final_cost, DROPOUT_MAX_COST,
                  "a high cost means training failed: check the backward pass.")
    verdict.beats("test accuracy over the unregularised network's", test_accuracy,
                  unregularised_test_accuracy,
                  hint="an equal accuracy means dropout did not act: model() uses the "
                       "dropout functions only when keep_prob < 1, and they must drop units.")
    verdict.done()


def models_compared(unregularised, l2, dropout, best_test_accuracy):
    """Verdicts on the summary table; each model is ``(train_accuracy, test_accuracy)``."""
    verdict = Verdicts("comparison")
    verdict.beats("test accuracy of L2 over no regularisation", l2[1], unregularised[1],
                  by=L2_OVER_PLAIN, hint="L2 should generalise clearly better.")
    verdict.beats("test accuracy of dropout over no regularisation", dropout[1],
                  unregularised[1], hint="dropout should generalise better.")
    gap_plain, gap_l2 = unregularised[0] - unregularised[1], l2[0] - l2[1]
    verdict.beats("train-test gap without regularisation over the gap with L2", gap_plain,
                  gap_l2, by=L2_GAP_REDUCTION, hint="L2 should shrink the gap.")
    best_model = max(unregularised[1], l2[1], dropout[1])
    verdict.below("best test accuracy of a model minus the best possible estimate",
                  best_model - best_test_accuracy, BEST_MARGIN,
                  "no model can beat the best possible rule by much: was a model scored on "
                  "its training data?")
    verdict.done()


def lambda_sweep(sweep):
    """Verdicts on ``sweep``: {lambd: (train_accuracy, test_accuracy)} for several lambdas."""
    verdict = Verdicts("lambda sweep")
    lambdas = sorted(sweep)
    train = [sweep[v][0] for v in lambdas]
    test = [sweep[v][1] for v in lambdas]
    rises = [(lambdas[i], lambdas[i + 1]) for i in range(len(lambdas) - 1)
             if train[i + 1] > train[i]]
    verdict.that("training accuracy never rises as lambda grows", not rises,
                 f"it rises from lambda = {rises[0][0]} to {rises[0][1]}" if rises else "",
                 "a stronger penalty keeps the weights smaller, so the fit to the training "
                 "points can only get looser.")
    hint_off = ("the same accuracy for every lambda means the penalty does not act: the "
                "gradient needs the lambd / m * W term.")
    verdict.beats(f"training accuracy at lambda = {lambdas[0]} over lambda = {lambdas[-1]}",
                  train[0], train[-1], by=SWEEP_MIN_TRAIN_DROP, hint=hint_off)
    verdict.beats(f"best test accuracy of the sweep over lambda = {lambdas[0]}", max(test),
                  test[0], by=SWEEP_MIN_TEST_GAIN, hint=hint_off)
    verdict.beats(f"best test accuracy of the sweep over lambda = {lambdas[-1]}", max(test),
                  test[-1], by=SWEEP_MIN_TEST_GAIN,
                  hint="the largest lambda should underfit: both accuracies drop.")
    verdict.beats(f"train-test gap at lambda = {lambdas[0]} over lambda = {lambdas[-1]}",
                  train[0] - test[0], train[-1] - test[-1], by=SWEEP_MIN_GAP_REDUCTION,
                  hint=hint_off)
    verdict.done()
