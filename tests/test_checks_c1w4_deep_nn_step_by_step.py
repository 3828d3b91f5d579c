"""The week-4 step-by-step checks pass a correct network and catch typical mistakes."""

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c1w4_deep_nn_step_by_step as check
from utils.checks.harness import CheckFailure
from utils.models import dnn

# ----------------------------------------------------------------------------------------
# a correct reference: utils.models.dnn (verified by numeric gradients in test_dnn.py), except the
# initialisers, which use the 0.01 scale this notebook asks for instead of He's


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


REFERENCE = {
    "initialize_parameters": init_two,
    "initialize_parameters_deep": init_deep,
    **{name: getattr(dnn, name) for name in (
        "linear_forward", "linear_activation_forward", "L_model_forward", "compute_cost",
        "linear_backward", "linear_activation_backward", "L_model_backward",
        "update_parameters")},
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    np.random.seed(1)
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, REFERENCE, keywords=False)


# ----------------------------------------------------------------------------------------
# typical mistakes, each with a word the message must contain


def _seeded_each_layer(layer_dims):
    params = {}
    for layer in range(1, len(layer_dims)):
        np.random.seed(3)
        params[f"W{layer}"] = np.random.randn(layer_dims[layer], layer_dims[layer - 1]) * 0.01
        params[f"b{layer}"] = np.zeros((layer_dims[layer], 1))
    return params


def _all_sigmoid_forward(X, params):
    A, caches = X, []
    for layer in range(1, len(params) // 2 + 1):
        A, cache = dnn.linear_activation_forward(A, params[f"W{layer}"], params[f"b{layer}"],
                                                 "sigmoid")
        caches.append(cache)
    return A, caches


def _all_sigmoid_backward(AL, Y, caches):
    grads, dA = {}, -(Y / AL - (1 - Y) / (1 - AL))
    for layer in range(len(caches), 0, -1):
        dA, dW, db = dnn.linear_activation_backward(dA, caches[layer - 1], "sigmoid")
        grads[f"dA{layer - 1}"], grads[f"dW{layer}"], grads[f"db{layer}"] = dA, dW, db
    return grads


def _relu_backward_with_mask(mask):
    def backward(dA, cache, activation):
        if activation != "relu":
            return dnn.linear_activation_backward(dA, cache, activation)
        linear_cache, Z = cache
        return dnn.linear_backward(dA * mask(Z), linear_cache)
    return backward


def _db_without_keepdims(dZ, cache):
    dA_prev, dW, db = dnn.linear_backward(dZ, cache)
    return dA_prev, dW, db.ravel()


def _dW_not_divided_by_m(dZ, cache):
    dA_prev, dW, db = dnn.linear_backward(dZ, cache)
    return dA_prev, dW * dZ.shape[1], db


def _update_skipping_last_layer(params, grads, learning_rate):
    new = dnn.update_parameters(params, grads, learning_rate)
    L = len(params) // 2
    new[f"W{L}"], new[f"b{L}"] = params[f"W{L}"].copy(), params[f"b{L}"].copy()
    return new


def _update_in_place(params, grads, learning_rate):
    for layer in range(1, len(params) // 2 + 1):
        for p in ("W", "b"):
            params[f"{p}{layer}"] = params[f"{p}{layer}"] - learning_rate * grads[f"d{p}{layer}"]
    return params


def _two_last_layer_zero(n_x, n_h, n_y):
    params = init_two(n_x, n_h, n_y)
    params["W2"] = np.zeros((n_y, n_h))
    return params


def _deep_last_layer_zero(layer_dims):
    params = init_deep(layer_dims)
    L = len(layer_dims) - 1
    params[f"W{L}"] = np.zeros((layer_dims[L], layer_dims[L - 1]))
    return params


def _two_uniform(n_x, n_h, n_y):
    return {
        "W1": np.random.rand(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),
        "W2": np.random.rand(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1)),
    }


def _deep_uniform(layer_dims):
    params = {}
    for layer in range(1, len(layer_dims)):
        params[f"W{layer}"] = np.random.rand(layer_dims[layer], layer_dims[layer - 1]) * 0.01
        params[f"b{layer}"] = np.zeros((layer_dims[layer], 1))
    return params


def _deep_uniform_last_layer(layer_dims):
    """All-positive weights only where the mean/spread checks of big layers cannot see."""
    params = init_deep(layer_dims)
    L = len(layer_dims) - 1
    params[f"W{L}"] = np.random.rand(layer_dims[L], layer_dims[L - 1]) * 0.01
    return params


def _backward_three_layers_hard_coded(AL, Y, caches):
    """The loop of the solution with L = 3 written in, instead of len(caches)."""
    grads, dA = {}, -(Y / AL - (1 - Y) / (1 - AL))
    for layer in range(3, 0, -1):
        activation = "sigmoid" if layer == 3 else "relu"
        dA, dW, db = dnn.linear_activation_backward(dA, caches[layer - 1], activation)
        grads[f"dA{layer - 1}"], grads[f"dW{layer}"], grads[f"db{layer}"] = dA, dW, db
    return grads


def _forward_three_layers_hard_coded(X, params):
    A, caches = X, []
    for layer in range(1, 4):
        A, cache = dnn.linear_activation_forward(A, params[f"W{layer}"], params[f"b{layer}"],
                                                 "sigmoid" if layer == 3 else "relu")
        caches.append(cache)
    return A, caches


def _update_three_layers_hard_coded(params, grads, learning_rate):
    new = {key: value.copy() for key, value in params.items()}
    for layer in range(1, 4):
        for p in ("W", "b"):
            new[f"{p}{layer}"] = params[f"{p}{layer}"] - learning_rate * grads[f"d{p}{layer}"]
    return new


WRONG = [
    ("initialize_parameters", _two_last_layer_zero, "last layer"),
    ("initialize_parameters_deep", _deep_last_layer_zero, "last layer"),
    ("initialize_parameters", _two_uniform, "randn"),
    ("initialize_parameters_deep", _deep_uniform, "randn"),
    ("initialize_parameters_deep", _deep_uniform_last_layer, "np.random.rand"),
    ("L_model_backward", _backward_three_layers_hard_coded, "len(caches)"),
    ("L_model_forward", _forward_three_layers_hard_coded, "never write a fixed number"),
    ("update_parameters", _update_three_layers_hard_coded, "never write a fixed number"),
    ("initialize_parameters",
     lambda n_x, n_h, n_y: {k: v * 100 for k, v in init_two(n_x, n_h, n_y).items()}, "0.01"),
    ("initialize_parameters_deep",
     lambda dims: {k: np.abs(v) for k, v in init_deep(dims).items()}, "randn"),
    ("initialize_parameters_deep", _seeded_each_layer, "reseed"),
    ("linear_forward", lambda A, W, b: (W @ A, (A, W, b)), "forget b"),
    ("linear_forward", lambda A, W, b: (W @ A + b, (W, A, b)), "in that order"),
    ("linear_activation_forward",
     lambda A, W, b, act: ((A2 := dnn.linear_activation_forward(A, W, b, act))[0],
                           (A2[1][0], A2[0])), "not A"),
    ("L_model_forward", _all_sigmoid_forward, "hidden layers"),
    ("compute_cost", lambda AL, Y: -dnn.compute_cost(AL, Y), "minus sign"),
    ("compute_cost", lambda AL, Y: float(-np.sum(Y * np.log(AL)) / Y.shape[1]), "1 - Y"),
    ("linear_backward", _db_without_keepdims, "keepdims"),
    ("linear_backward", _dW_not_divided_by_m, "divide by m"),
    ("linear_activation_backward", _relu_backward_with_mask(lambda Z: Z >= 0), "Z <= 0"),
    ("linear_activation_backward", _relu_backward_with_mask(np.ones_like), "Z <= 0"),
    ("L_model_backward",
     lambda AL, Y, c: {k: -v for k, v in dnn.L_model_backward(AL, Y, c).items()}, "sign"),
    ("L_model_backward", _all_sigmoid_backward, "relu"),
    ("update_parameters", _update_skipping_last_layer, "last layer"),
    ("update_parameters", _update_in_place, "copy"),
]


@pytest.mark.parametrize(("name", "wrong", "word"), WRONG,
                         ids=[f"{n}-{w}" for n, _, w in WRONG])
def test_typical_mistakes_fail_with_a_useful_message(name, wrong, word, capsys):
    np.random.seed(1)
    mistake_is_caught(check, name, wrong, word)
    assert "passed" not in capsys.readouterr().out


# ----------------------------------------------------------------------------------------
# the verdict on section 7's training: measured costs hold, broken training does not


def _costs(start, at_1000, final):
    """30 recorded costs: `start` until iteration 500, `at_1000` at 1000, `final` at 2900."""
    costs = [start] * 6 + list(np.linspace(start, at_1000, 5)) + list(
        np.linspace(at_1000, final, 19))
    return costs


def test_initialisation_comparison_holds_on_a_measured_run(capsys):
    check.initialisation_comparison(_costs(0.6931, 0.2951, 0.0871),
                                    _costs(0.0971, 0.0879, 0.0834), 0.965, 0.9475)
    out = capsys.readouterr().out
    assert "all 8 verdicts hold" in out and "0.9475" not in out


def test_initialisation_comparison_holds_when_the_small_start_stays_stuck(capsys):
    # seeds 2, 4 and 6: the 0.01 start ends on a second plateau near 0.3
    check.initialisation_comparison(_costs(0.6931, 0.2968, 0.2964),
                                    _costs(0.0923, 0.0813, 0.0783), 0.97, 0.95)
    assert "all 8 verdicts hold" in capsys.readouterr().out


@pytest.mark.parametrize("value", [float("nan"), 14.62])
def test_initialisation_comparison_fails_on_a_broken_backward_pass(value):
    # a flipped gradient sign or a forgotten 1/m: the costs blow up or become nan and
    # every accuracy is 0.5
    with pytest.raises(CheckFailure, match="wrong sign"):
        check.initialisation_comparison(_costs(0.6931, value, value),
                                        _costs(0.6774, float("nan"), float("nan")), 0.5, 0.5)
