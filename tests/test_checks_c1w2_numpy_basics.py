"""The week-2 numpy-basics checks pass a correct answer and catch the usual mistakes."""

import math

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented, mistake_is_caught
from utils.checks import c1w2_numpy_basics as check

# Correct reference implementations, written here independently of the notebook.


def good_basic_sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def good_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def good_sigmoid_derivative(x):
    s = good_sigmoid(x)
    return s * (1 - s)


def good_image2vector(image):
    return image.reshape(-1, 1)


def good_normalize_rows(x):
    return x / np.sqrt(np.sum(x * x, axis=1, keepdims=True))


def good_softmax(x):
    z = np.exp(x - x.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def good_l1(yhat, y):
    return float(np.sum(np.abs(y - yhat)))


def good_l2(yhat, y):
    return float(np.dot(np.ravel(y - yhat), np.ravel(y - yhat)))


def normalize_rows_in_place(x):
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def image2vector_in_place(image):
    image.shape = (-1, 1)
    return image


def softmax_sum_of_scores(x):
    with np.errstate(divide="ignore"):  # a row of the check's scores sums to 0
        return np.exp(x) / np.sum(x, axis=1, keepdims=True)


GOOD = [
    (check.basic_sigmoid, good_basic_sigmoid),
    (check.sigmoid, good_sigmoid),
    (check.sigmoid_derivative, good_sigmoid_derivative),
    (check.image2vector, good_image2vector),
    (check.normalize_rows, good_normalize_rows),
    (check.softmax, good_softmax),
    (check.L1, good_l1),
    (check.L2, good_l2),
]

# (check, wrong implementation, words the failure message must contain)
WRONG = [
    (check.basic_sigmoid, lambda x: 1 / (1 + math.exp(x)), "wrong sign"),
    (check.basic_sigmoid, lambda x: [1 / (1 + math.exp(-x))], "one number"),
    (check.basic_sigmoid, lambda x: 1 / 1 + math.exp(-x), "brackets"),
    (check.basic_sigmoid, lambda x: 1 / (1 - math.exp(-x)), "plus sign"),
    (check.sigmoid, lambda x: 1 / (1 + math.exp(-x)), "np.exp"),
    (check.sigmoid, lambda x: 1 / (1 + np.exp(x)), "wrong sign"),
    (check.sigmoid_derivative, lambda x: x * (1 - x), "apply the sigmoid first"),
    (check.sigmoid_derivative, lambda x: good_sigmoid(x) * (1 + good_sigmoid(x)), "minus"),
    (check.sigmoid_derivative, good_sigmoid, "sigma(x) itself"),
    (check.sigmoid_derivative, lambda x: 1 - good_sigmoid(x) ** 2, "derivative of tanh"),
    (check.sigmoid_derivative,
     lambda x: good_basic_sigmoid(x) * (1 - good_basic_sigmoid(x)), "use np functions"),
    (check.image2vector, lambda im: im.reshape(-1, 1, order="F"), "Fortran"),
    (check.image2vector, lambda im: im.ravel(), "(24, 1)"),
    (check.image2vector, lambda im: im.reshape(1, -1), "column vector"),
    (check.image2vector, lambda im: np.moveaxis(im, -1, 0).reshape(-1, 1), "channels first"),
    (check.image2vector, lambda im: im.reshape(im.shape[0] * im.shape[1] * 3, 1), "image.shape"),
    (check.image2vector, image2vector_in_place, "in place"),
    (check.image2vector, lambda im: np.swapaxes(im, 0, 1).reshape(-1, 1), "swapped height"),
    (check.image2vector, lambda im: im.T.reshape(-1, 1), "Fortran"),
    (check.normalize_rows, lambda x: x / np.linalg.norm(x, axis=0, keepdims=True), "axis=0"),
    (check.normalize_rows, lambda x: x / np.linalg.norm(x), "whole matrix"),
    (check.normalize_rows, lambda x: x / np.linalg.norm(x, axis=1), "keepdims"),
    (check.normalize_rows, lambda x: x / np.sum(x**2, axis=1, keepdims=True), "square root"),
    (check.normalize_rows, normalize_rows_in_place, "in place"),
    (check.normalize_rows, lambda x: x / np.linalg.norm(x, ord=1, axis=1, keepdims=True),
     "L1 norm"),
    (check.normalize_rows, lambda x: np.linalg.norm(x, axis=1, keepdims=True),
     "keeps the shape of x"),
    (check.softmax, lambda x: np.exp(x) / np.exp(x).sum(axis=0, keepdims=True), "axis=0"),
    (check.softmax, lambda x: np.exp(x) / np.exp(x).sum(), "whole matrix"),
    (check.softmax, lambda x: np.exp(x) / np.exp(x).sum(axis=1), "keepdims"),
    (check.softmax, softmax_sum_of_scores, "sum of the exponentials"),
    (check.softmax, lambda x: np.exp(x - x.max(axis=1)) / np.exp(x).sum(axis=1, keepdims=True),
     "row maxima"),
    (check.L1, lambda yhat, y: float(np.sum(yhat - y)), "absolute value"),
    (check.L1, lambda yhat, y: float(np.mean(np.abs(yhat - y))), "not their mean"),
    (check.L1, lambda yhat, y: np.abs(yhat - y), "one number"),
    (check.L1, lambda yhat, y: float(np.abs(np.sum(yhat - y))), "before summing"),
    (check.L1, lambda yhat, y: float(np.linalg.norm(yhat - y, ord=1)), "matrix norm"),
    (check.L2, lambda yhat, y: float(np.linalg.norm(yhat - y)), "no square root"),
    (check.L2, lambda yhat, y: float(np.mean((yhat - y) ** 2)), "not their mean"),
    (check.L2, lambda yhat, y: float(np.sum(yhat - y) ** 2), "square each error first"),
    (check.L2, lambda yhat, y: float(np.sum((yhat - y) * 2)), "doubles each error"),
    (check.L2, lambda yhat, y: float(np.sum(np.abs(yhat - y))), "that is L1"),
    (check.L2, lambda yhat, y: float(np.dot(yhat - y, yhat - y)), "np.dot"),
]


@pytest.mark.parametrize(("check_fn", "impl"), GOOD, ids=[c.__name__ for c, _ in GOOD])
def test_correct_implementation_passes(check_fn, impl, capsys):
    check_fn(impl)
    assert "checks passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("check_fn", "impl", "words"), WRONG, ids=[f"{c.__name__}-{w}" for c, _, w in WRONG]
)
def test_wrong_implementation_fails_with_a_helpful_message(check_fn, impl, words):
    mistake_is_caught(check, check_fn.__name__, impl, words)


@pytest.mark.parametrize(("check_fn", "impl"), GOOD, ids=[c.__name__ for c, _ in GOOD])
def test_blank_exercise_fails_with_not_implemented_only(check_fn, impl):
    blank_raises_not_implemented(check, [check_fn.__name__], keywords=False)
