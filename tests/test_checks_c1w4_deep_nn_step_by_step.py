"""The week-4 step-by-step checks pass a correct network and catch typical mistakes."""

import copy

import numpy as np
import pytest

from utils.checks import c1w4_deep_nn_step_by_step as check
from utils.checks.harness import CheckFailure

# ----------------------------------------------------------------------------------------
# a correct reference, written for this test


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def init_two(n_x, n_h, n_y):
    return {
        "W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),
        "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1)),
    }


def init_deep(layer_dims):
    params = {}
    for layer in range(1, len(layer_dims)):
        params[f"W{layer}"] = np.random.randn(layer_dims[layer], layer_dims[layer - 1]) * 0.01
        params[f"b{layer}"] = np.zeros((layer_dims[layer], 1))
    return params


def lin_fwd(A, W, b):
    return W @ A + b, (A, W, b)


def act_fwd(A_prev, W, b, activation):
    Z, linear_cache = lin_fwd(A_prev, W, b)
    A = sigmoid(Z) if activation == "sigmoid" else np.maximum(0, Z)
    return A, (linear_cache, Z)


def model_fwd(X, params, hidden="relu"):
    L = len(params) // 2
    A, caches = X, []
    for layer in range(1, L):
        A, cache = act_fwd(A, params[f"W{layer}"], params[f"b{layer}"], hidden)
        caches.append(cache)
    AL, cache = act_fwd(A, params[f"W{L}"], params[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches


def cost(AL, Y):
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)


def lin_bwd(dZ, cache, scale_dw=True, keepdims=True):
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / (m if scale_dw else 1)
    db = np.sum(dZ, axis=1, keepdims=keepdims) / m
    return W.T @ dZ, dW, db


def act_bwd(dA, cache, activation, relu_mask=lambda Z: Z > 0):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * relu_mask(Z)
    else:
        s = sigmoid(Z)
        dZ = dA * s * (1 - s)
    return lin_bwd(dZ, linear_cache)


def model_bwd(AL, Y, caches, sign=1.0, hidden="relu"):
    grads = {}
    L = len(caches)
    dA = sign * -(Y / AL - (1 - Y) / (1 - AL))
    for layer in range(L, 0, -1):
        activation = "sigmoid" if layer == L else hidden
        dA, dW, db = act_bwd(dA, caches[layer - 1], activation)
        grads[f"dA{layer - 1}"], grads[f"dW{layer}"], grads[f"db{layer}"] = dA, dW, db
    return grads


def update(params, grads, learning_rate, last=True):
    new = copy.deepcopy(params)
    L = len(params) // 2
    for layer in range(1, L + 1 if last else L):
        for p in ("W", "b"):
            new[f"{p}{layer}"] = params[f"{p}{layer}"] - learning_rate * grads[f"d{p}{layer}"]
    return new


REFERENCE = {
    "initialize_parameters": init_two,
    "initialize_parameters_deep": init_deep,
    "linear_forward": lin_fwd,
    "linear_activation_forward": act_fwd,
    "L_model_forward": model_fwd,
    "compute_cost": cost,
    "linear_backward": lin_bwd,
    "linear_activation_backward": act_bwd,
    "L_model_backward": model_bwd,
    "update_parameters": update,
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    np.random.seed(1)
    getattr(check, name)(REFERENCE[name])
    assert "passed" in capsys.readouterr().out


def test_blank_exercise_raises_not_implemented():
    def blank(*args):
        raise NotImplementedError("fill me in")

    for name in REFERENCE:
        with pytest.raises(NotImplementedError):
            getattr(check, name)(blank)


# ----------------------------------------------------------------------------------------
# typical mistakes, each with a word the message must contain


def _seeded_each_layer(layer_dims):
    params = {}
    for layer in range(1, len(layer_dims)):
        np.random.seed(3)
        params[f"W{layer}"] = np.random.randn(layer_dims[layer], layer_dims[layer - 1]) * 0.01
        params[f"b{layer}"] = np.zeros((layer_dims[layer], 1))
    return params


def _update_in_place(params, grads, learning_rate):
    for layer in range(1, len(params) // 2 + 1):
        for p in ("W", "b"):
            params[f"{p}{layer}"] = params[f"{p}{layer}"] - learning_rate * grads[f"d{p}{layer}"]
    return params


WRONG = [
    ("initialize_parameters",
     lambda n_x, n_h, n_y: {k: v * 100 for k, v in init_two(n_x, n_h, n_y).items()}, "0.01"),
    ("initialize_parameters_deep",
     lambda dims: {k: np.abs(v) for k, v in init_deep(dims).items()}, "randn"),
    ("initialize_parameters_deep", _seeded_each_layer, "reseed"),
    ("linear_forward", lambda A, W, b: (W @ A, (A, W, b)), "forget b"),
    ("linear_forward", lambda A, W, b: (W @ A + b, (W, A, b)), "in that order"),
    ("linear_activation_forward",
     lambda A, W, b, act: ((A2 := act_fwd(A, W, b, act))[0], (A2[1][0], A2[0])), "not A"),
    ("L_model_forward", lambda X, p: model_fwd(X, p, hidden="sigmoid"), "hidden layers"),
    ("compute_cost", lambda AL, Y: -cost(AL, Y), "minus sign"),
    ("compute_cost", lambda AL, Y: float(-np.sum(Y * np.log(AL)) / Y.shape[1]), "1 - Y"),
    ("linear_backward", lambda dZ, c: lin_bwd(dZ, c, keepdims=False), "keepdims"),
    ("linear_backward", lambda dZ, c: lin_bwd(dZ, c, scale_dw=False), "divide by m"),
    ("linear_activation_backward",
     lambda dA, c, a: act_bwd(dA, c, a, relu_mask=lambda Z: Z >= 0), "Z <= 0"),
    ("linear_activation_backward",
     lambda dA, c, a: act_bwd(dA, c, a, relu_mask=lambda Z: np.ones_like(Z)), "Z <= 0"),
    ("L_model_backward", lambda AL, Y, c: model_bwd(AL, Y, c, sign=-1.0), "sign"),
    ("L_model_backward", lambda AL, Y, c: model_bwd(AL, Y, c, hidden="sigmoid"), "relu"),
    ("update_parameters", lambda p, g, lr: update(p, g, lr, last=False), "last layer"),
    ("update_parameters", _update_in_place, "copy"),
]


@pytest.mark.parametrize(("name", "wrong", "word"), WRONG,
                         ids=[f"{n}-{w}" for n, _, w in WRONG])
def test_typical_mistakes_fail_with_a_useful_message(name, wrong, word, capsys):
    np.random.seed(1)
    with pytest.raises(CheckFailure) as failure:
        getattr(check, name)(wrong)
    assert word in str(failure.value)
    assert "passed" not in capsys.readouterr().out
