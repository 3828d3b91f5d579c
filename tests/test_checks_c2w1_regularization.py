"""The week-1 regularisation checks pass correct functions and catch typical mistakes."""

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c2w1_regularization as check
from utils.checks.harness import CheckFailure

# ----------------------------------------------------------------------------------------
# a correct reference, written here (the network: relu -> relu -> sigmoid, the course's
# tuple caches (Z1, A1, W1, b1, ...) and, with dropout, (Z1, D1, A1, W1, b1, ...))

PLAIN_NAMES = ("Z1", "A1", "W1", "b1", "Z2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3")
DROPOUT_NAMES = ("Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2", "b2", "Z3", "A3",
                 "W3", "b3")


def _by_name(cache):
    names = DROPOUT_NAMES if len(cache) == len(DROPOUT_NAMES) else PLAIN_NAMES
    return dict(zip(names, cache, strict=True))


def _sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def _cross_entropy(A3, Y):
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3)) / m)


def cost_l2(A3, Y, parameters, lambd, layers=(1, 2, 3), factor=0.5, size=None, m=None):
    """The L2 cost; ``size(W)`` replaces the sum of squares, ``m`` the number of examples."""
    m = Y.shape[1] if m is None else m
    size = size or (lambda W: np.sum(W ** 2))
    squares = sum(size(parameters[f"W{l}"]) for l in layers)
    return _cross_entropy(A3, Y) + factor * lambd / m * squares


def _backward(X, Y, cache, lambd=0.0, keep_prob=None, l2_factor=1.0, use_mask=True,
              divide=True, layers_with_l2=(1, 2, 3), divisor=None, dz3_scale=1.0):
    """The reference backward pass; ``divisor`` replaces keep_prob in the division and
    ``dz3_scale`` multiplies dZ3 (1 / m there is the "divided by m twice" mistake)."""
    m = X.shape[1]
    cache = _by_name(cache)
    grads = {"dZ3": (cache["A3"] - Y) * dz3_scale}
    A_prev = {1: X, 2: cache["A1"], 3: cache["A2"]}
    for l in (3, 2, 1):
        dZ = grads[f"dZ{l}"]
        dW = dZ @ A_prev[l].T / m
        if l in layers_with_l2:
            dW = dW + l2_factor * lambd / m * cache[f"W{l}"]
        grads[f"dW{l}"] = dW
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        if l > 1:
            dA = cache[f"W{l}"].T @ dZ
            if keep_prob is not None:
                if use_mask:
                    dA = dA * cache[f"D{l - 1}"]
                if divide:
                    dA = dA / (keep_prob if divisor is None else divisor)
            grads[f"dA{l - 1}"] = dA
            grads[f"dZ{l - 1}"] = dA * (cache[f"A{l - 1}"] > 0)
    return grads


def back_l2(X, Y, cache, lambd):
    return _backward(X, Y, cache, lambd)


def back_dropout(X, Y, cache, keep_prob):
    return _backward(X, Y, cache, keep_prob=keep_prob)


def _uniform_draws(shapes, draw):
    """The uniform numbers of the two masks: np.random.rand in layer order unless told."""
    if draw == "rand":
        return [np.random.rand(*shape) for shape in shapes]
    if draw == "reversed":  # D2's numbers drawn before D1's
        second = np.random.rand(*shapes[1])
        return [np.random.rand(*shapes[0]), second]
    if draw == "reseeded":  # np.random.seed inside the function
        np.random.seed(0)
        return [np.random.rand(*shape) for shape in shapes]
    if draw == "default_rng":  # a generator of its own
        rng = np.random.default_rng(1)
        return [rng.random(shape) for shape in shapes]
    raise ValueError(draw)


def fwd_dropout(X, parameters, keep_prob=0.5, flip=False, divide=True, mask_second=True,
                draw="rand", as_dict=False, divisor=None, drop_input=False):
    """The reference forward pass; ``divisor`` replaces keep_prob in the division and
    ``drop_input`` also drops units of X (its mask drawn before D1)."""
    if drop_input:
        X = X * (np.random.rand(*X.shape) < keep_prob) / keep_prob
    divisor = keep_prob if divisor is None else divisor
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    shapes = [(W1.shape[0], X.shape[1]), (W2.shape[0], X.shape[1])]
    if draw == "reversed":
        U1, U2 = None, None
    else:
        U1, U2 = _uniform_draws(shapes, draw)

    def mask(U):
        return (U > keep_prob if flip else U < keep_prob).astype(int)

    Z1 = W1 @ X + b1
    A1 = np.maximum(0, Z1)
    if draw == "reversed":
        U1, U2 = _uniform_draws(shapes, draw)
    D1 = mask(U1)
    A1 = A1 * D1
    if divide:
        A1 = A1 / divisor
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(0, Z2)
    D2 = mask(U2)
    if mask_second:
        A2 = A2 * D2
        if divide:
            A2 = A2 / divisor
    Z3 = W3 @ A2 + b3
    A3 = _sigmoid(Z3)
    cache = (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
    return A3, (_by_name(cache) if as_dict else cache)


REFERENCE = {
    "compute_cost_with_regularization": cost_l2,
    "backward_propagation_with_regularization": back_l2,
    "forward_propagation_with_dropout": fwd_dropout,
    "backward_propagation_with_dropout": back_dropout,
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, REFERENCE)


# ----------------------------------------------------------------------------------------
# typical mistakes, each with words the message must contain


def _forward_undropped_input_to_layer2(X, parameters, keep_prob=0.5):
    A3, cache = fwd_dropout(X, parameters, keep_prob)
    cache = list(cache)
    cache[5] = parameters["W2"] @ np.maximum(0, cache[0]) + parameters["b2"]   # Z2
    return A3, tuple(cache)


def _forward_masks_after_activations(X, parameters, keep_prob=0.5):
    """The cache with D and A swapped: (Z1, A1, D1, ...)."""
    A3, c = fwd_dropout(X, parameters, keep_prob)
    return A3, (c[0], c[2], c[1]) + c[3:5] + (c[5], c[7], c[6]) + c[8:]


def _backward_in_place(X, Y, cache, keep_prob):
    grads = back_dropout(X, Y, cache, keep_prob)
    D1 = cache[1]
    D1[0, 0] = 1 - D1[0, 0]
    return grads


def _backward_l2_reading_dict(X, Y, cache, lambd):
    """Written for a dict cache: fails on the course's tuple."""
    return _backward(X, Y, (cache["Z1"],), lambd)


def _backward_l2_z_and_a_swapped(X, Y, cache, lambd):
    """Unpacks the cache as (A1, Z1, W1, b1, ...): every A is taken for a Z and back."""
    (A1, Z1, W1, b1, A2, Z2, W2, b2, A3, Z3, W3, b3) = cache
    return _backward(X, Y, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3), lambd)


def _backward_l2_lambd_ignored(X, Y, cache, lambd):
    return _backward(X, Y, cache, 1.0)


def _forward_randn_masks(X, parameters, keep_prob=0.5):
    """Masks from np.random.randn (normal, not uniform): about the right fraction at 0.8."""
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    D1 = (np.random.randn(*Z1.shape) < keep_prob).astype(int)
    A1 = np.maximum(0, Z1) * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    D2 = (np.random.randn(*Z2.shape) < keep_prob).astype(int)
    A2 = np.maximum(0, Z2) * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = _sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def _forward_output_dropped(X, parameters, keep_prob=0.5):
    A3, cache = fwd_dropout(X, parameters, keep_prob)
    A3 = A3 * (np.random.rand(*A3.shape) < keep_prob) / keep_prob
    return A3, cache[:11] + (A3,) + cache[12:]


def _forward_cache_before_mask(X, parameters, keep_prob=0.5):
    """Caches relu(Z) instead of the dropped-out activations."""
    A3, c = fwd_dropout(X, parameters, keep_prob)
    return A3, c[:2] + (np.maximum(0, c[0]),) + c[3:7] + (np.maximum(0, c[5]),) + c[8:]


WRONG = [
    ("compute_cost_with_regularization",
     lambda A3, Y, p, lambd: cost_l2(A3, Y, p, lambd, factor=0.5 * Y.shape[1] ** 2),
     "(lambd / 2) * m"),
    ("compute_cost_with_regularization",
     lambda A3, Y, p, lambd: cost_l2(A3, Y, p, lambd, size=np.linalg.norm), "square it"),
    ("compute_cost_with_regularization",
     lambda A3, Y, p, lambd: cost_l2(A3, Y, p, lambd, size=lambda W: np.sum(np.abs(W))),
     "L1 penalty"),
    ("compute_cost_with_regularization",
     lambda A3, Y, p, lambd: cost_l2(A3, Y, p, lambd, size=lambda W: np.mean(W ** 2)),
     "not np.mean"),
    ("compute_cost_with_regularization",
     lambda A3, Y, p, lambd: cost_l2(A3, Y, p, lambd, size=lambda W: np.sum(W) ** 2),
     "Square each weight, then sum"),
    ("compute_cost_with_regularization",
     lambda A3, Y, p, lambd: cost_l2(A3, Y, p, 1.0), "the given lambd"),
    ("compute_cost_with_regularization",
     lambda A3, Y, p, lambd: cost_l2(A3, Y, p, lambd, m=Y.shape[0]), "Y.shape[1]"),
    ("backward_propagation_with_regularization",
     lambda X, Y, c, lambd: _backward(X, Y, c, lambd, l2_factor=X.shape[1]),
     "Divide the L2 term by m"),
    ("backward_propagation_with_regularization", _backward_l2_lambd_ignored,
     "the given lambd"),
    ("backward_propagation_with_regularization",
     lambda X, Y, c, lambd: _backward(X, Y, c, lambd, dz3_scale=1 / X.shape[1]),
     "divide by m once"),
    ("forward_propagation_with_dropout", _forward_randn_masks, "np.random.rand"),
    ("forward_propagation_with_dropout",
     lambda X, p, keep_prob=0.5: fwd_dropout(X, p, keep_prob, divisor=1 - keep_prob),
     "not by 1 - keep_prob"),
    ("forward_propagation_with_dropout",
     lambda X, p, keep_prob=0.5: fwd_dropout(X, p, keep_prob, drop_input=True),
     "never on the input X"),
    ("forward_propagation_with_dropout", _forward_output_dropped, "no dropout on the output"),
    ("forward_propagation_with_dropout", _forward_cache_before_mask, "multiply A1 by the mask"),
    ("backward_propagation_with_dropout",
     lambda X, Y, c, kp: _backward(X, Y, c, keep_prob=kp, divisor=1 - kp),
     "not by 1 - keep_prob"),
    ("backward_propagation_with_dropout",
     lambda X, Y, c, kp: _backward(X, Y, c, keep_prob=kp, divisor=kp ** 2),
     "divided by keep_prob twice"),
    ("backward_propagation_with_dropout",
     lambda X, Y, c, kp: _backward(X, Y, c, keep_prob=kp, dz3_scale=1 / X.shape[1]),
     "divide by m once"),
    ("compute_cost_with_regularization",
     lambda A3, Y, p, lambd: cost_l2(A3, Y, p, lambd, factor=1.0), "2 * m"),
    ("compute_cost_with_regularization",
     lambda A3, Y, p, lambd: cost_l2(A3, Y, p, lambd, layers=(1, 2)), "leaves out W3"),
    ("compute_cost_with_regularization",
     lambda A3, Y, p, lambd: _cross_entropy(A3, Y), "add the L2 term"),
    ("compute_cost_with_regularization",
     lambda A3, Y, p, lambd: cost_l2(A3, Y, p, lambd)
     + 0.5 * lambd / Y.shape[1] * sum(np.sum(p[f"b{l}"] ** 2) for l in (1, 2, 3)),
     "not the biases"),
    ("backward_propagation_with_regularization",
     lambda X, Y, c, lambd: _backward(X, Y, c, lambd, l2_factor=2.0), "twice too large"),
    ("backward_propagation_with_regularization",
     lambda X, Y, c, lambd: _backward(X, Y, c, lambd, l2_factor=0.5), "twice too small"),
    ("backward_propagation_with_regularization",
     lambda X, Y, c, lambd: _backward(X, Y, c, lambd, layers_with_l2=(2, 3)), "left out"),
    ("backward_propagation_with_regularization", _backward_l2_reading_dict,
     "the cache is the tuple (Z1, A1, W1, b1"),
    ("backward_propagation_with_regularization", _backward_l2_z_and_a_swapped,
     "unpack the cache in its order, (Z1, A1, W1, b1"),
    ("forward_propagation_with_dropout",
     lambda X, p, keep_prob=0.5: fwd_dropout(X, p, keep_prob, flip=True), "wrong way round"),
    ("forward_propagation_with_dropout",
     lambda X, p, keep_prob=0.5: fwd_dropout(X, p, keep_prob, divide=False),
     "did not divide by keep_prob"),
    ("forward_propagation_with_dropout",
     lambda X, p, keep_prob=0.5: fwd_dropout(X, p, keep_prob, mask_second=False), "mask D2"),
    ("forward_propagation_with_dropout", _forward_undropped_input_to_layer2, "masked, rescaled"),
    ("forward_propagation_with_dropout",
     lambda X, p, keep_prob=0.8: fwd_dropout(X, p, keep_prob), "default"),
    ("forward_propagation_with_dropout",
     lambda X, p, keep_prob=0.5: fwd_dropout(X, p, keep_prob, as_dict=True),
     "the cache is the tuple (Z1, D1, A1, W1, b1"),
    ("forward_propagation_with_dropout", _forward_masks_after_activations, "in the order"),
    ("forward_propagation_with_dropout",
     lambda X, p, keep_prob=0.5: fwd_dropout(X, p, keep_prob, draw="reversed"),
     "these draws in the wrong order"),
    ("forward_propagation_with_dropout",
     lambda X, p, keep_prob=0.5: fwd_dropout(X, p, keep_prob, draw="reseeded"),
     "Do not seed inside the function"),
    ("forward_propagation_with_dropout",
     lambda X, p, keep_prob=0.5: fwd_dropout(X, p, keep_prob, draw="default_rng"),
     "np.random.default_rng"),
    ("backward_propagation_with_dropout",
     lambda X, Y, c, kp: _backward(X, Y, c, keep_prob=kp, use_mask=False),
     "backward pass too"),
    ("backward_propagation_with_dropout",
     lambda X, Y, c, kp: _backward(X, Y, c, keep_prob=kp, divide=False),
     "by keep_prob after"),
    ("backward_propagation_with_dropout", _backward_in_place, "unchanged"),
]


@pytest.mark.parametrize(("name", "wrong", "words"), WRONG,
                         ids=[f"{n}-{w}" for n, _, w in WRONG])
def test_wrong_answer_fails_with_a_helpful_message(name, wrong, words):
    mistake_is_caught(check, name, wrong, words)


def test_dropout_check_compares_masks_exactly_and_restores_the_generator(capsys):
    np.random.seed(123)
    expected_next = np.random.rand()
    np.random.seed(123)
    check.forward_propagation_with_dropout(fwd_dropout)
    assert "np.random.rand draws of the seeded generator, D1 then D2" in capsys.readouterr().out
    assert np.random.rand() == expected_next


def test_masks_from_bool_comparisons_pass(capsys):
    def fwd_bool_masks(X, parameters, keep_prob=0.5):
        A3, cache = fwd_dropout(X, parameters, keep_prob)
        cache = list(cache)
        cache[1], cache[6] = cache[1].astype(bool), cache[6].astype(bool)
        return A3, tuple(cache)

    check.forward_propagation_with_dropout(fwd_bool_masks)
    assert "passed" in capsys.readouterr().out


# ----------------------------------------------------------------------------------------
# verdicts on the training runs: measured results hold; results of the broken
# implementations (measured on this notebook, seed 0) fail with a helpful word

PLAIN = (0.9867, 0.8067, 0.0407)        # train, test, final cost (native, seed 0)
L2 = (0.92, 0.8757, 0.3050)
DROPOUT = (0.9333, 0.851, 0.1830)
L2_GRADIENT_MISSING = (0.9867, 0.8067, 1.2829)   # penalty in the cost, not in dW
SWEEP = {0.05: (0.9667, 0.8257), 0.2: (0.9533, 0.8257), 0.5: (0.92, 0.8757),
         2.0: (0.8867, 0.8727), 5.0: (0.8267, 0.821)}


def test_training_verdicts_hold_on_measured_results(capsys):
    check.unregularised_network(*PLAIN)
    check.l2_network(*L2)
    check.dropout_network(*DROPOUT, PLAIN[1])
    check.models_compared(PLAIN[:2], L2[:2], DROPOUT[:2], 0.879)
    check.lambda_sweep(SWEEP)
    out = capsys.readouterr().out
    assert out.count("verdicts hold") == 5, out
    assert "0.8757" not in out and "0.851" not in out


def test_unregularised_verdict_catches_a_regulariser_left_on():
    with pytest.raises(CheckFailure, match="regulariser switched on"):
        check.unregularised_network(*L2)


@pytest.mark.parametrize(("result", "word"), [
    (L2_GRADIENT_MISSING, "the penalty did not act"),
    (PLAIN, "the penalty did not act"),                          # regularisation switched off
    ((0.92, 0.8757, 1.2829), "gradient lacks the L2 term"),
    ((0.92, 0.8757, 0.11), "cost lacks the penalty"),
])
def test_l2_verdict_catches_broken_l2(result, word):
    with pytest.raises(CheckFailure, match=word):
        check.l2_network(*result)


def test_dropout_verdict_catches_dropout_switched_off():
    # keep_prob ignored: the plain run itself
    with pytest.raises(CheckFailure, match="dropout did not act"):
        check.dropout_network(*PLAIN, PLAIN[1])
    # and, should such a run land inside the band on some machine, the ordering catches it
    with pytest.raises(CheckFailure, match="dropout did not act"):
        check.dropout_network(0.9333, 0.822, 0.1, 0.822)


def test_comparison_catches_a_model_scored_on_its_training_data():
    with pytest.raises(CheckFailure, match="training data"):
        check.models_compared(PLAIN[:2], L2[:2], (0.9333, 0.9333), 0.879)


def test_sweep_catches_the_l2_gradient_missing():
    # every lambda trains the same (unregularised) network
    flat = {lambd: PLAIN[:2] for lambd in SWEEP}
    with pytest.raises(CheckFailure, match="penalty does not act"):
        check.lambda_sweep(flat)


def test_sweep_catches_training_accuracy_rising():
    rising = {**SWEEP, 2.0: (0.93, 0.8727)}
    with pytest.raises(CheckFailure, match="from lambda = 0.5 to 2.0"):
        check.lambda_sweep(rising)
