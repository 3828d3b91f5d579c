"""The Course 1 week 2 logistic-regression checks pass a correct implementation and catch
the usual mistakes with a helpful message."""

import math
import warnings

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented, mistake_is_caught
from utils.checks import c1w2_logistic_regression as checks
from utils.checks.harness import CheckFailure

# A reference implementation, written here so the checks can be tested without the notebook.


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def initialize_with_zeros(dim):
    return np.zeros((dim, 1)), 0.0


def make_propagate(sign=-1.0, reduce=np.mean, dw_scale=None, db_keepdims=False):
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(w.T @ X + b)
        cost = float(sign * reduce(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
        dZ = A - Y
        dw = X @ dZ.T / (m if dw_scale is None else dw_scale)
        db = np.sum(dZ, keepdims=True) / m if db_keepdims else float(np.sum(dZ) / m)
        return {"dw": dw, "db": db}, cost

    return propagate


propagate = make_propagate()


def make_optimize(in_place=False, record=True, every=100, fixed_rate=None):
    def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        rate = learning_rate if fixed_rate is None else fixed_rate
        costs = []
        for i in range(num_iterations):
            grads, cost = propagate(w, b, X, Y)
            if in_place:
                w -= rate * grads["dw"]
            else:
                w = w - rate * grads["dw"]
            b = b - rate * grads["db"]
            if record and i % every == 0:
                costs.append(cost)
        return {"w": w, "b": b}, grads, costs

    return optimize


optimize = make_optimize()


def make_predict(threshold_op=np.greater, probabilities=False):
    def predict(w, b, X):
        A = sigmoid(w.T @ X + b)
        return A if probabilities else threshold_op(A, 0.5).astype(float)

    return predict


predict = make_predict()


def make_model(pass_rate=True, pass_iterations=True, drop_key=None):
    def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
              print_cost=False):
        w, b = initialize_with_zeros(X_train.shape[0])
        kwargs = {}
        if pass_rate:
            kwargs["learning_rate"] = learning_rate
        if pass_iterations:
            kwargs["num_iterations"] = num_iterations
        params, _, costs = optimize(w, b, X_train, Y_train, **kwargs)
        d = {
            "costs": costs,
            "Y_prediction_test": predict(params["w"], params["b"], X_test),
            "Y_prediction_train": predict(params["w"], params["b"], X_train),
            "w": params["w"],
            "b": params["b"],
            "learning_rate": learning_rate,
            "num_iterations": num_iterations,
        }
        d.pop(drop_key, None)
        return d

    return model


model = make_model()


@pytest.mark.parametrize(
    ("check", "fn"),
    [
        (checks.sigmoid, sigmoid),
        (checks.initialize_with_zeros, initialize_with_zeros),
        (checks.propagate, propagate),
        (checks.optimize, optimize),
        (checks.predict, predict),
        (checks.model, model),
    ],
)
def test_reference_passes(check, fn, capsys):
    check(fn)
    assert "passed" in capsys.readouterr().out.splitlines()[-1]


@pytest.mark.parametrize(
    ("check", "fn", "message"),
    [
        (checks.sigmoid, lambda z: 1 / (1 + np.exp(z)), "minus sign"),
        (checks.sigmoid, lambda z: np.exp(z) / (1 + np.exp(z)), "inf / inf = nan"),
        (checks.sigmoid, lambda z: np.nan_to_num(np.exp(z) / (1 + np.exp(z))),
         "must not be replaced"),
        (checks.sigmoid, lambda z: np.array([1 / (1 + math.exp(-v)) for v in np.ravel(z)]),
         "keeping the input's shape"),
        (checks.initialize_with_zeros, lambda dim: (np.zeros((dim, 1)), np.zeros((1, 1))),
         "Python float"),
        (checks.initialize_with_zeros, lambda dim: (np.zeros((dim, 1)), 0), "Python float"),
        (checks.initialize_with_zeros, lambda dim: (np.zeros(dim), 0.0), "column"),
        (checks.initialize_with_zeros, lambda dim: (np.zeros((dim, 1), dtype=int), 0.0),
         "float"),
        (checks.propagate, make_propagate(sign=1.0), "wrong sign"),
        (checks.propagate, make_propagate(reduce=np.sum), "divide by m"),
        (checks.propagate, make_propagate(dw_scale=1), "m times too large"),
        (checks.propagate, make_propagate(db_keepdims=True), "db is one number"),
        (checks.optimize, make_optimize(in_place=True), "changed in place"),
        (checks.optimize, make_optimize(record=False), "i % 100 == 0"),
        (checks.optimize, make_optimize(every=1), "every 100 iterations"),
        (checks.optimize, make_optimize(fixed_rate=0.009), "learning_rate argument"),
        (checks.predict, make_predict(threshold_op=np.greater_equal), "not >= 0.5"),
        (checks.predict, make_predict(probabilities=True), "only 0 and 1"),
        (checks.model, make_model(pass_rate=False), "instead of fixed numbers"),
        (checks.model, make_model(pass_iterations=False), "num_iterations"),
        (checks.model, make_model(drop_key="learning_rate"), "keys"),
    ],
)
def test_wrong_implementation_fails(check, fn, message):
    mistake_is_caught(checks, check.__name__, fn, message)


@pytest.mark.parametrize("fn", [
    sigmoid,                                                  # overflows to 0 at z = -800
    lambda z: np.clip(1 / (1 + np.exp(-z)), 1e-7, 1 - 1e-7),  # kept off 0 and 1 for the log
])
def test_sigmoid_needs_finite_values_not_a_stable_formula(fn, capsys):
    """The plain 1 / (1 + np.exp(-z)) passes the z = +-800 check, and its overflow warning
    stays out of the learner's output."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        checks.sigmoid(fn)
    assert "all 12 checks passed" in capsys.readouterr().out


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(
        checks, ["sigmoid", "initialize_with_zeros", "propagate", "optimize", "predict", "model"])


# Verdicts on training results: the measured run holds; broken training does not. The
# broken values were measured with the notebook's cells (see the check module's comments).

MEASURED_RATES = {0.005: (0.1735, 0.9714, 0.9833), 0.05: (0.0370, 1.0, 0.9667),
                  0.5: (0.0043, 1.0, 0.95)}
MEASURED_CROPS = {"astronaut, tight crop": 0.6072, "astronaut, loose crop": 0.0151,
                  "Chelsea the cat": 0.0011, "spacesuit": 0.9956}


def test_measured_training_results_hold(capsys):
    checks.trained_model(0.0043, 1.0, 0.95)
    checks.learning_rates(MEASURED_RATES)
    checks.photo_crops(MEASURED_CROPS)
    out = capsys.readouterr().out
    assert out.count("verdicts hold") == 3, out
    assert "0.0043" not in out and "0.6072" not in out


@pytest.mark.parametrize(("cost", "train", "test"), [
    (38067.7, 0.4643, 0.5833),  # the gradient's sign flipped
    (0.1272, 0.9786, 0.9667),   # optimize ignores learning_rate (always 0.009)
])
def test_trained_model_fails_on_broken_training(cost, train, test):
    with pytest.raises(CheckFailure, match="wrong sign"):
        checks.trained_model(cost, train, test)


def test_learning_rates_fail_when_the_rate_is_ignored():
    same = (0.1272, 0.9786, 0.9667)
    with pytest.raises(CheckFailure, match="learning_rate argument is not used"):
        checks.learning_rates({0.005: same, 0.05: same, 0.5: same})


@pytest.mark.parametrize("crops", [
    dict(zip(MEASURED_CROPS, [0.4918, 0.2433, 0.0926, 0.9696], strict=True)),  # rate ignored
    dict.fromkeys(MEASURED_CROPS, 0.0),                                          # sign flipped
])
def test_photo_crops_fail_on_a_badly_trained_model(crops):
    with pytest.raises(CheckFailure, match="learning rate 0.5"):
        checks.photo_crops(crops)
