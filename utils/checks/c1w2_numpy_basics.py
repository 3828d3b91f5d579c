"""Checks for course1_neural_networks/week2_numpy_basics.ipynb.

Each function takes the learner's implementation, calls it on fixed inputs it builds itself
and compares the answer with independent oracles: values worked out by hand (written out
below), ``scipy.special.expit`` and ``scipy.special.softmax``, ``np.linalg.norm``, a
numeric derivative, and properties the answer must have (rows of unit length, rows that sum
to one, invariance to a shift). When a wrong answer matches a well-known mistake, the hint
names that mistake.
"""

import math

import numpy as np
from scipy.special import expit
from scipy.special import softmax as scipy_softmax

from utils.checks.harness import Checker, rounded
from utils.checks.oracles import numeric_gradient


def _without_keepdims(x, totals, hint):
    """The known mistake ``x / totals`` (row totals of the wrong shape or of the wrong
    values), as a list of one ``(wrong, hint)`` pair; empty when those shapes do not
    broadcast (the learner's own call then fails first)."""
    try:
        with np.errstate(divide="ignore", invalid="ignore"):  # a row of scores may sum to 0
            return [(x / totals, hint)]
    except ValueError:
        return []


def _row_lengths(rows):
    return np.sqrt(np.sum(np.asarray(rows, dtype=float) ** 2, axis=1))


def basic_sigmoid(fn):
    """sigmoid of one Python number, with hand values 1 / (1 + e^-x)."""
    check = Checker("basic_sigmoid")
    got = check.call(fn, 3.0)
    check.number("basic_sigmoid(3.0)", got,
                 hint="return one number, e.g. 1 / (1 + math.exp(-x)).")
    cases = [(3.0, 1 / (1 + math.e**-3)), (0.0, 0.5), (-1.0, 1 / (1 + math.e))]
    for x, expected in cases:
        value = got if x == 3.0 else fn(x)
        check.close(f"basic_sigmoid({x})", value, expected,
                    hint="the sigmoid is 1 / (1 + math.exp(-x)).",
                    mistakes=[(1 / (1 + math.e**x),
                               "the exponent has the wrong sign: use math.exp(-x)."),
                              (math.e**-x,
                               "divide: the sigmoid is 1 / (1 + exp(-x)), not exp(-x)."),
                              (1 + math.e**-x,
                               "mind the brackets: 1 / 1 + math.exp(-x) is 1 + exp(-x); "
                               "write 1 / (1 + math.exp(-x))."),
                              *([(1 / (1 - math.e**-x),
                                  "the denominator is 1 + exp(-x), with a plus sign.")]
                                if x else [])])
        print(f"basic_sigmoid({x}) = {rounded(value)}")
    check.done()


def sigmoid(fn):
    """Elementwise sigmoid on a vector and a matrix, against scipy.special.expit."""
    check = Checker("sigmoid")
    vector = np.array([-2.0, 0.0, 1.0, 3.0])
    matrix = np.array([[-4.0, -0.5, 0.0], [0.25, 2.0, 6.0]])
    math_hint = (
        "math.exp works on one number only; np.exp applies exp to every entry of an array."
    )
    for x in (vector, matrix):
        what = f"sigmoid(x) with x of shape {x.shape}"
        got = check.call_or_fail(fn, x, hint=math_hint)
        check.array(what, got, x.shape, hint="sigmoid acts entry by entry: keep the input's shape.")
        check.close(what, got, expit(x),
                    hint="the sigmoid is 1 / (1 + np.exp(-x)), applied to every entry.",
                    mistakes=[(expit(-x), "the exponent has the wrong sign: use np.exp(-x).")])
        print(f"x =\n{rounded(x)}\nsigmoid(x) =\n{rounded(got)}")
    check.done()


def sigmoid_derivative(fn):
    """sigma'(x) against a numeric derivative of scipy's sigmoid, and sigma'(0) = 1/4."""
    check = Checker("sigmoid_derivative")
    vector = np.array([-3.0, -1.0, 0.0, 2.0])
    matrix = np.array([[-5.0, -0.5], [0.5, 1.5], [4.0, 0.0]])
    for x in (vector, matrix):
        what = f"sigmoid_derivative(x) with x of shape {x.shape}"
        got = check.call_or_fail(fn, x, hint="use np functions so arrays work.")
        check.array(what, got, x.shape, hint="the derivative acts entry by entry: keep the shape.")
        # Since sigma acts entry by entry, the gradient of sum(sigma(x)) is sigma'(x).
        expected = numeric_gradient(lambda v: float(np.sum(expit(v))), x)
        s = expit(x)
        check.close(what, got, expected, rtol=1e-6, atol=1e-9,
                    hint="with s = sigmoid(x), the derivative is s * (1 - s).",
                    mistakes=[(x * (1 - x),
                               "apply the sigmoid first: s = sigmoid(x), then s * (1 - s)."),
                              (s * (1 + s), "the derivative is s * (1 - s), with a minus sign."),
                              (s, "that is sigma(x) itself; its derivative is s * (1 - s)."),
                              (1 - s**2, "1 - s**2 is the derivative of tanh; the sigmoid's is "
                                         "s * (1 - s).")])
        print(f"x =\n{rounded(x)}\nsigmoid_derivative(x) =\n{rounded(got)}")
    zero = check.call(fn, np.array([0.0]))
    check.close("sigmoid_derivative(np.array([0.]))", zero, [0.25],
                hint="at 0, sigma = 1/2 and sigma' = 1/2 * 1/2 = 1/4.")
    check.done()


def image2vector(fn):
    """Unrolling in C (row-major) order: all channels of pixel (0, 0), then (0, 1), ..."""
    check = Checker("image2vector")
    # Entry (i, j, k) of this image holds the number (i*W + j)*C + k, divided by 10: reading
    # it in C order gives 0.0, 0.1, 0.2, ... in sequence, which is the expected column.
    for shape in ((2, 3, 4), (4, 2, 3)):
        size = shape[0] * shape[1] * shape[2]
        image = np.arange(size, dtype=float).reshape(shape) / 10
        what = f"image2vector(image) with image of shape {shape}"
        got = check.call_or_fail(fn, image,
                                 hint="use image.shape to read the height, width and channels.")
        check.array(what, got, (size, 1),
                    hint=f"return a column vector of shape (height*width*channels, 1) = "
                         f"({size}, 1), not a flat (n,) array or a (1, n) row.")
        expected = (np.arange(size, dtype=float) / 10).reshape(size, 1)
        mistakes = [
            (image.reshape(size, 1, order="F"),
             "you read the image in Fortran (column-major) order, first index fastest. "
             "This notebook requires C order, the default of image.reshape(-1, 1): the "
             "last index (channel) changes fastest, so a pixel's channels stay together."),
            (np.transpose(image, (2, 0, 1)).reshape(size, 1),
             "you put the channels first (all of one channel, then the next). Keep the axes "
             "in order: image.reshape(height * width * channels, 1)."),
            (np.transpose(image, (1, 0, 2)).reshape(size, 1),
             "you swapped height and width, so the image is read column by column. Keep the "
             "axes in order: image.reshape(height * width * channels, 1)."),
        ]
        check.close(f"entries of {what}", got[:, 0], expected[:, 0],
                    hint="reshape in C order (numpy's default) without reordering the axes: "
                         "image.reshape(height * width * channels, 1).",
                    mistakes=[(wrong[:, 0], hint) for wrong, hint in mistakes])
        print(f"image2vector of a {shape} image: shape {got.shape}, "
              f"first entries {rounded(got[:5, 0])}")
    check.done()


def normalize_rows(fn):
    """Rows divided by their L2 norms: hand values, np.linalg.norm and unit-length rows."""
    check = Checker("normalize_rows")
    # Row norms 5 and 7: sqrt(0 + 9 + 16) = 5 and sqrt(4 + 36 + 9) = 7.
    by_hand_x = np.array([[0.0, 3.0, 4.0], [2.0, -6.0, 3.0]])
    by_hand = np.array([[0.0, 0.6, 0.8], [2 / 7, -6 / 7, 3 / 7]])
    square = np.array([[1.0, -2.0, 2.0], [0.5, 0.0, -1.5], [-3.0, 1.0, 0.25]])
    keepdims_hint = (
        "the row norms need shape (n_rows, 1) to broadcast against x: "
        "np.linalg.norm(x, axis=1, keepdims=True)."
    )
    for x, expected in ((by_hand_x, by_hand), (square, None)):
        what = f"normalize_rows(x) with x of shape {x.shape}"
        got = check.call_or_fail(fn, x, hint=keepdims_hint)
        check.array(what, got, x.shape, hint="dividing by the row norms keeps the shape of x.")
        if expected is None:
            expected = x / np.linalg.norm(x, axis=1)[:, None]
        mistakes = [
            (x / np.linalg.norm(x, axis=0, keepdims=True),
             "you divided by the column norms (axis=0); rows are axis=1."),
            (x / np.linalg.norm(x), "you divided by the norm of the whole matrix; each row "
                                    "needs its own norm: axis=1, keepdims=True."),
            *_without_keepdims(x, np.linalg.norm(x, axis=1),
                               "missing keepdims=True: a norm vector of shape (n,) broadcasts "
                               "along the columns, not the rows."),
            (x / np.sum(x**2, axis=1, keepdims=True), "take the square root of the sum of "
                                                      "squares: that is the L2 norm."),
            (x / np.sum(np.abs(x), axis=1, keepdims=True),
             "you divided by the sum of absolute values (the L1 norm, ord=1); use the L2 "
             "norm, the square root of the sum of squares."),
        ]
        hint = "divide each row by sqrt(sum of its squares)."
        check.close(f"row lengths of {what}", _row_lengths(got), np.ones(x.shape[0]), hint=hint,
                    mistakes=[(_row_lengths(wrong), h) for wrong, h in mistakes])
        check.close(what, got, expected, hint=hint, mistakes=mistakes)
        print(f"x =\n{rounded(x)}\nnormalize_rows(x) =\n{rounded(got)}")
    check.done()


def softmax(fn):
    """Row-wise softmax: hand values, scipy.special.softmax, rows sum to 1, shift invariance."""
    check = Checker("softmax")
    # exp of row 0 is (1, 2, 3) / sum 6; exp of row 1 is (4, 1, 1/4) / sum 21/4.
    by_hand_x = np.array([[0.0, math.log(2), math.log(3)], [math.log(4), 0.0, -math.log(4)]])
    by_hand = np.array([[1 / 6, 2 / 6, 3 / 6], [16 / 21, 4 / 21, 1 / 21]])
    square = np.array([[2.0, -1.0, 0.5], [-3.0, 0.0, 1.0], [0.25, 0.25, -2.0]])
    one_row = np.array([[-1.0, 0.5, 2.0, 0.0]])
    keepdims_hint = (
        "the row sums (and row maxima, if you subtract them) need shape (n_rows, 1) to "
        "broadcast: np.sum(x_exp, axis=1, keepdims=True), np.max(x, axis=1, keepdims=True)."
    )
    for x, expected in ((by_hand_x, by_hand), (square, None), (one_row, None)):
        what = f"softmax(x) with x of shape {x.shape}"
        got = check.call_or_fail(fn, x, hint=keepdims_hint)
        check.array(what, got, x.shape, hint="softmax keeps the shape of x.")
        if expected is None:
            expected = scipy_softmax(x, axis=1)
        e = np.exp(x)
        mistakes = [
            (e / e.sum(axis=0, keepdims=True),
             "you normalised each column (axis=0); this softmax is row-wise: axis=1."),
            (e / e.sum(), "you divided by the sum over the whole matrix; each row needs its "
                          "own sum: np.sum(..., axis=1, keepdims=True)."),
            *_without_keepdims(e, e.sum(axis=1),
                               "missing keepdims=True: a sum vector of shape (n,) broadcasts "
                               "along the columns, not the rows."),
            *_without_keepdims(e, x.sum(axis=1, keepdims=True),
                               "divide by the sum of the exponentials, np.sum(np.exp(x), ...), "
                               "not by the sum of the scores."),
        ]
        hint = "softmax(x)[i, j] = exp(x[i, j]) / sum_k exp(x[i, k])."
        check.close(f"row sums of {what}", np.sum(np.asarray(got, dtype=float), axis=1),
                    np.ones(x.shape[0]), hint=hint,
                    mistakes=[(np.sum(wrong, axis=1), h) for wrong, h in mistakes])
        check.close(what, got, expected, hint=hint, mistakes=mistakes)
        print(f"x =\n{rounded(x)}\nsoftmax(x) =\n{rounded(got)}")
    shift = np.array([[10.0], [-7.0], [3.0]])
    shifted = check.call(fn, square + shift)
    check.close("softmax(x + c) with a different constant c added to each row", shifted,
                scipy_softmax(square, axis=1),
                hint="adding a constant to a row must not change that row's softmax; "
                     "normalise each row separately.")
    check.done()


def _loss_check(name, fn, cases, wrong_of, default_hint):
    check = Checker(name)
    for yhat, y, expected in cases:
        what = f"{name}(yhat, y) with yhat = {rounded(yhat)}, y = {rounded(y)}"
        got = check.call_or_fail(
            fn, yhat, y,
            hint="use elementwise operations and np.sum, which work for any shape, "
                 "e.g. a (1, m) row (np.dot of two (1, m) arrays fails).")
        check.number(what, got, hint="sum the entries: the loss is one number, e.g. np.sum(...).")
        check.close(what, got, expected, hint=default_hint, mistakes=wrong_of(yhat - y))
        print(f"{name} = {rounded(got)}")
    check.done()


_LOSS_INPUTS = [
    # yhat, y: absolute errors 0.2, 0.3, 0.4, 0.1; squares 0.04, 0.09, 0.16, 0.01.
    (np.array([0.8, 0.3, 0.6, 0.1]), np.array([1.0, 0.0, 1.0, 0.0])),
    # errors 0.5, -1, 1 (negative targets and predictions allowed).
    (np.array([-1.0, 1.0, 1.5]), np.array([-1.5, 2.0, 0.5])),
    # a (1, m) row: predictions of five examples stored as a row.
    (np.array([[0.2, -0.7, 1.9, 0.0, 3.3]]), np.array([[0.0, -1.0, 2.5, 0.4, 3.0]])),
]


ABS_HINT = ("take the absolute value of each error before summing, np.sum(np.abs(yhat - y)): "
            "otherwise errors of opposite signs cancel out.")


def L1(fn):  # noqa: N802 (the course's name)
    """Sum of absolute errors: hand values, then np.linalg.norm(ord=1)."""
    (a, b), (c, d), (e, f) = _LOSS_INPUTS
    cases = [(a, b, 1.0), (c, d, 2.5), (e, f, np.linalg.norm((e - f).ravel(), ord=1))]

    def wrong_of(diff):
        return [
            (np.sum(diff), ABS_HINT),
            (np.sum(-diff), ABS_HINT),
            (np.max(np.abs(diff)), "np.linalg.norm(..., ord=1) of a 2-D array is a matrix norm "
                                   "(the largest column sum); use np.sum(np.abs(yhat - y))."),
            (np.mean(np.abs(diff)), "L1 is the sum of the absolute errors, not their mean."),
            (np.sum(diff**2), "that is L2 (squares); L1 sums absolute values."),
        ]

    _loss_check("L1", fn, cases, wrong_of, "L1 = sum over i of |yhat_i - y_i|.")


def L2(fn):  # noqa: N802 (the course's name)
    """Sum of squared errors (no square root): hand values, then np.linalg.norm squared."""
    (a, b), (c, d), (e, f) = _LOSS_INPUTS
    cases = [(a, b, 0.3), (c, d, 2.25), (e, f, np.linalg.norm((e - f).ravel()) ** 2)]

    def wrong_of(diff):
        return [
            (np.sqrt(np.sum(diff**2)), "no square root: here L2 is the sum of squared "
                                       "errors, the square of the Euclidean norm."),
            (np.mean(diff**2), "L2 is the sum of the squared errors, not their mean."),
            (np.sum(np.abs(diff)), "that is L1; L2 squares each error before summing."),
            (np.sum(diff) ** 2, "square each error first, then sum: sum((yhat - y)**2)."),
            (np.sum(2 * diff), "(yhat - y) * 2 doubles each error; square it with ** 2."),
        ]

    _loss_check("L2", fn, cases, wrong_of, "L2 = sum over i of (yhat_i - y_i)^2.")
