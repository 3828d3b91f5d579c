"""The week-1 regularisation checks pass correct functions and catch typical mistakes."""

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c2w1_regularization as check

# ----------------------------------------------------------------------------------------
# a correct reference, written here (the network: relu -> relu -> sigmoid, dict caches)


def _sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def _cross_entropy(A3, Y):
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3)) / m)


def cost_l2(A3, Y, parameters, lambd, layers=(1, 2, 3), factor=0.5):
    m = Y.shape[1]
    squares = sum(np.sum(parameters[f"W{l}"] ** 2) for l in layers)
    return _cross_entropy(A3, Y) + factor * lambd / m * squares


def _backward(X, Y, cache, lambd=0.0, keep_prob=None, l2_factor=1.0, use_mask=True,
              divide=True, layers_with_l2=(1, 2, 3)):
    m = X.shape[1]
    grads = {"dZ3": cache["A3"] - Y}
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
                    dA = dA / keep_prob
            grads[f"dA{l - 1}"] = dA
            grads[f"dZ{l - 1}"] = dA * (cache[f"A{l - 1}"] > 0)
    return grads


def back_l2(X, Y, cache, lambd):
    return _backward(X, Y, cache, lambd)


def back_dropout(X, Y, cache, keep_prob):
    return _backward(X, Y, cache, keep_prob=keep_prob)


def fwd_dropout(X, parameters, keep_prob=0.5, flip=False, divide=True, mask_second=True):
    cache, A = {}, X
    for l in (1, 2, 3):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A + b
        if l == 3:
            A = _sigmoid(Z)
        else:
            A = np.maximum(0, Z)
            U = np.random.rand(*A.shape)
            D = (U > keep_prob if flip else U < keep_prob).astype(int)
            if l == 1 or mask_second:
                A = A * D
                if divide:
                    A = A / keep_prob
            cache[f"D{l}"] = D
        cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": W, f"b{l}": b})
    return A, cache


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
    Z2 = parameters["W2"] @ np.maximum(0, cache["Z1"]) + parameters["b2"]
    cache["Z2"] = Z2
    return A3, cache


def _backward_in_place(X, Y, cache, keep_prob):
    grads = back_dropout(X, Y, cache, keep_prob)
    cache["A1"] *= 1.0
    cache["D1"][0, 0] = 1 - cache["D1"][0, 0]
    return grads


WRONG = [
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
