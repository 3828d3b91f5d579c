"""The Course 1 week 4 application checks pass correct training loops and catch the usual
mistakes (no update, uphill step, ignored learning rate, costs every iteration, swapped
activations, wrong initialiser) with a helpful message."""

import numpy as np
import pytest

from utils.checks import c1w4_deep_nn_application as checks
from utils.checks.harness import CheckFailure
from utils.models import dnn

# Some wrong loops (swapped activations) saturate and make numpy warn; that is expected here.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

# Reference loops written here, with switches that introduce one typical mistake each.


def make_two_layer(sign=-1.0, fixed_rate=None, every=100, update=True, hidden="relu",
                   output="sigmoid", start=0, dA2_is_dZ2=False, swap_caches=False):
    def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                        print_cost=False):
        np.random.seed(1)
        parameters = dnn.initialize_parameters(*layers_dims)
        rate = learning_rate if fixed_rate is None else fixed_rate
        costs = []
        for i in range(start, num_iterations):
            p = parameters
            A1, cache1 = dnn.linear_activation_forward(X, p["W1"], p["b1"], hidden)
            A2, cache2 = dnn.linear_activation_forward(A1, p["W2"], p["b2"], output)
            cost = dnn.compute_cost(A2, Y)
            dA2 = A2 - Y if dA2_is_dZ2 else -(Y / A2 - (1 - Y) / (1 - A2))
            dA1, dW2, db2 = dnn.linear_activation_backward(dA2, cache2, output)
            _, dW1, db1 = dnn.linear_activation_backward(
                dA1, cache2 if swap_caches else cache1, hidden)
            grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
            if update:
                parameters = dnn.update_parameters(parameters, grads, -sign * rate)
            if i % every == 0:
                costs.append(cost)
        return parameters, costs

    return two_layer_model


def make_L_layer(sign=-1.0, fixed_rate=None, every=100, init=dnn.initialize_parameters_deep,
                 seed=1, forward_once=False, fixed_iterations=None):
    def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                      print_cost=False):
        np.random.seed(seed)
        parameters = init(layers_dims)
        rate = learning_rate if fixed_rate is None else fixed_rate
        costs = []
        AL, caches = dnn.L_model_forward(X, parameters)
        for i in range(num_iterations if fixed_iterations is None else fixed_iterations):
            if not forward_once:
                AL, caches = dnn.L_model_forward(X, parameters)
            cost = dnn.compute_cost(AL, Y)
            grads = dnn.L_model_backward(AL, Y, caches)
            parameters = dnn.update_parameters(parameters, grads, -sign * rate)
            if i % every == 0:
                costs.append(cost)
        return parameters, costs

    return L_layer_model


def small_init(layer_dims):
    """The 0.01-scaled initialiser: a different set of draws from the one asked for."""
    return {
        key: value
        for l in range(1, len(layer_dims))
        for key, value in (
            (f"W{l}", np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01),
            (f"b{l}", np.zeros((layer_dims[l], 1))),
        )
    }


def test_correct_implementations_pass(capsys):
    checks.two_layer_model(make_two_layer())
    checks.L_layer_model(make_L_layer())
    out = capsys.readouterr().out
    assert "two_layer_model: all" in out and "L_layer_model: all" in out


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (make_two_layer(update=False), "did not change"),
        (make_two_layer(sign=1.0), "uphill"),
        (make_two_layer(fixed_rate=0.0075), "default rate"),
        (make_two_layer(every=1), "length of costs after 250"),
        (make_two_layer(hidden="sigmoid", output="relu"), "ReLU hidden"),
        (make_two_layer(start=1), "range\\(num_iterations\\)"),
        (make_two_layer(dA2_is_dZ2=True), "already dZ2"),
        (make_two_layer(swap_caches=True), "cache1"),
    ],
    ids=["no-update", "plus-sign", "ignores-rate", "costs-every-iteration", "swapped-activations",
         "off-by-one", "dA2-is-dZ2", "swapped-caches"],
)
def test_two_layer_mistakes_are_caught(wrong, message):
    with pytest.raises(CheckFailure, match=message):
        checks.two_layer_model(wrong)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (make_L_layer(sign=1.0), "uphill"),
        (make_L_layer(fixed_rate=0.0075), "default rate"),
        (make_L_layer(every=10), "length of costs after 250"),
        (make_L_layer(init=small_init), "initialize_parameters_deep"),
        (make_L_layer(seed=3), "np.random.seed"),
        (make_L_layer(forward_once=True), "inside the loop"),
        (make_L_layer(fixed_iterations=3000), "range\\(num_iterations\\)"),
    ],
    ids=["plus-sign", "ignores-rate", "costs-every-10", "wrong-initialiser", "wrong-seed",
         "forward-outside-loop", "ignores-num-iterations"],
)
def test_L_layer_mistakes_are_caught(wrong, message):
    with pytest.raises(CheckFailure, match=message):
        checks.L_layer_model(wrong)


def test_blank_exercise_raises_not_implemented():
    def blank(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
        raise NotImplementedError("Exercise: write L_layer_model")

    with pytest.raises(NotImplementedError):
        checks.L_layer_model(blank)


# Verdicts on the three models of section 5: the measured run holds, broken training does
# not (the broken values were measured with the notebook's settings, seed 1).

MEASURED = {"logistic regression": (0.8967, 0.8755), "2-layer": (0.9763, 0.941),
            "4-layer": (0.9947, 0.953)}


def test_three_models_hold_on_the_measured_run(capsys):
    checks.three_models(MEASURED)
    out = capsys.readouterr().out
    assert "all 9 verdicts hold" in out and "0.953" not in out


def test_three_models_hold_on_another_seed(capsys):
    # seed 2: the weakest 2-layer test accuracy and the smallest 2-layer advantage measured
    checks.three_models({"logistic regression": (0.8963, 0.875), "2-layer": (0.9627, 0.9265),
                         "4-layer": (0.995, 0.9475)})
    assert "all 9 verdicts hold" in capsys.readouterr().out


@pytest.mark.parametrize("accuracies", [
    dict.fromkeys(MEASURED, (0.5, 0.5)),                      # the gradients' sign flipped
    {"logistic regression": (0.8493, 0.8375), "2-layer": (0.8823, 0.8735),
     "4-layer": (0.9387, 0.912)},                             # learning rates ignored
], ids=["sign-flipped", "rate-ignored"])
def test_three_models_fail_on_broken_training(accuracies):
    with pytest.raises(CheckFailure, match="learning_rate"):
        checks.three_models(accuracies)
