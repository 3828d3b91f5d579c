"""Checks for Course 1, week 2: logistic regression as a one-neuron network.

Every check calls the learner's function first, on small inputs it builds itself, and
compares the result with independent oracles: values worked out by hand (the tiny example
below has pre-activations 0, -1 and 1, so its cost is a sum of three logarithms), numeric
gradients of the cross-entropy, and hand-worked predictions.
"""

import math

import numpy as np
from scipy.special import expit, log_expit

from utils.checks.harness import Checker, rounded
from utils.checks.oracles import numeric_gradient, relative_difference
from utils.checks.verdicts import Verdicts

# ----------------------------------------------------------------------------------------
# Bands for the results of training on the faces (sections 7, 8 and 11). Training starts
# from zeros and uses every example at each step, so no seed drives it; the data split is
# fixed. Measured natively (AVX-512), under the test profile (AVX2) and under the second
# profile (SSE4.2-level numpy, OpenBLAS Nehalem), each from the zero start and from three
# starts perturbed by 1e-9 * N(0, 1) (seeds 1-3) standing in for other machines' last bits:
# 12 runs, which agree to at least 4 digits. Broken implementations, measured the same way:
# "flipped" (the gradient's sign flipped in propagate) and "rate ignored" (optimize always
# steps with its default 0.009).

# learning rate 0.5, 2000 iterations: final cost 0.0043, train 1.0, test 0.95 (3 of 60
# wrong) in every run; flipped: cost 38068, train 0.464, test 0.583; rate ignored: cost
# 0.127, train 0.979, test 0.967.
FINAL_COST_BELOW = 0.02
TRAIN_BAND = (0.99, 1.0)
TEST_BAND = (0.88, 1.0)
# learning rates 0.005 / 0.05 / 0.5: final costs 0.1735 / 0.0370 / 0.0043 (ratios 4.7 and
# 8.6), train 0.9714 / 1.0 / 1.0, test 0.9833 / 0.9667 / 0.95 in every run; rate ignored:
# the same cost 0.127 for all three rates.
COST_RATIO_PER_TENFOLD_RATE = 2.0
SLOW_TRAIN_BAND = (0.93, 0.99)
# P(face) of the photo crops with the lr-0.5 model: 0.6072 / 0.0151 / 0.0011 / 0.9956 in
# every run; rate ignored: 0.492 / 0.243 / 0.093 / 0.970; flipped: 0 for all four.
CROP_BANDS = {
    "astronaut, tight crop": (0.5, 0.75),
    "astronaut, loose crop": (0.0, 0.1),
    "Chelsea the cat": (0.0, 0.05),
    "spacesuit": (0.98, 1.0),
}
TRAINING_HINT = (
    "far off usually means the gradient step has the wrong sign (w - learning_rate * dw) or "
    "the learning_rate and num_iterations arguments are not passed on to optimize."
)

# A tiny example with easy numbers: w.T @ X + b is exactly [0, -1, 1].
W_TINY = np.array([[1.0], [-2.0]])
B_TINY = 0.5
X_TINY = np.array([[1.0, -1.0, 0.5], [0.75, 0.25, 0.0]])
Y_TINY = np.array([[1, 0, 0]])
# Cross-entropy by hand: a label 1 with z costs log(1 + e^-z), a label 0 costs log(1 + e^z).
COST_TINY = (math.log(2.0) + math.log(1 + math.exp(-1.0)) + math.log(1 + math.exp(1.0))) / 3

COST_HINT = (
    "the cost is J = -(1/m) * sum(Y * log(A) + (1 - Y) * log(1 - A)), with A = sigmoid(w.T @ X "
    "+ b): mind the minus sign and divide by m (a mean, not a sum)."
)
DW_HINT = "dw = X @ (A - Y).T / m: the gradient of the mean cross-entropy with respect to w."
EXTREMES_HINT = (
    "sigmoid(-800) is 0 and sigmoid(800) is 1 to double precision. np.exp(800) overflows to "
    "inf, so a form like np.exp(z) / (1 + np.exp(z)) gives inf / inf = nan; write it as "
    "1 / (1 + np.exp(-z)), where an overflow only makes the denominator inf and the result 0."
)
SHAPE_HINT = "dw has the shape of w, (n_x, 1): compute it as X @ (A - Y).T / m."


def _cross_entropy(w, b, X, Y):
    """Mean cross-entropy of sigmoid(w.T X + b) against Y, from scipy's log_expit
    (log sigmoid), using log(1 - sigmoid(z)) = log sigmoid(-z)."""
    z = (np.asarray(w, dtype=float).T @ X + b).ravel()
    y = np.ravel(Y).astype(float)
    return float(-np.mean(y * log_expit(z) + (1 - y) * log_expit(-z)))


def _numeric_grads(w, b, X, Y):
    """Central-difference gradients of the cross-entropy with respect to w and b."""
    dw = numeric_gradient(lambda v: _cross_entropy(v, b, X, Y), w)
    db = float(numeric_gradient(lambda v: _cross_entropy(w, float(v[0]), X, Y), np.array([b]))[0])
    return dw, db


def _cost_mistakes(expected, m):
    """The cost with the wrong sign and the summed (not averaged) cost, with their hints."""
    return [(-expected, "the cost has the wrong sign: put a minus in front of the mean of the "
                        "log terms."),
            (m * expected, "you summed the losses: the cost is their mean, so divide by m.")]


def _as_costs(check, costs, what):
    check.type_is(what, costs, list, hint="collect the recorded costs in a Python list.")
    values = []
    for cost in costs:
        check.number(f"each entry of {what}", cost,
                     hint="append the cost as a number (float(cost)).")
        values.append(float(cost))
    return np.array(values)


def sigmoid(fn):
    """Check ``sigmoid(z)`` on hand values, a 2-D array, a plain number and z = -800, 800."""
    check = Checker("sigmoid")
    z = np.array([-1.0, 0.0, 2.0])
    got = check.call(fn, z)
    check.array("sigmoid(np.array([-1., 0., 2.]))", got, (3,),
                hint="apply the function elementwise, keeping the input's shape.")
    expected = [1 / (1 + math.e), 0.5, 1 / (1 + math.exp(-2.0))]
    check.close("sigmoid(np.array([-1., 0., 2.]))", got, expected,
                hint="sigmoid(z) = 1 / (1 + exp(-z)): note the minus sign in the exponent.")
    print("sigmoid([-1, 0, 2]) =", rounded(got))

    grid = np.linspace(-3.0, 3.0, 6).reshape(2, 3)
    got_grid = check.call(fn, grid)
    check.array("sigmoid of a (2, 3) array", got_grid, (2, 3),
                hint="apply the function elementwise, keeping the input's shape.")
    check.close("sigmoid of a (2, 3) array (compared with scipy's expit)", got_grid, expit(grid))

    got_scalar = check.call(fn, 0.0)
    check.close("sigmoid(0.0)", got_scalar, 0.5, hint="sigmoid(0) is exactly 1/2.")

    # Far out in the tails np.exp overflows. 1 / (1 + np.exp(-z)) still gives 1 / inf = 0
    # (with a RuntimeWarning, silenced here): a finite answer is all this check asks for.
    extremes = np.array([-800.0, 800.0])
    with np.errstate(all="ignore"):
        got_extremes = check.call(fn, extremes)
    what = "sigmoid(np.array([-800., 800.]))"
    check.array(what, got_extremes, (2,))
    values = np.asarray(got_extremes, dtype=float)
    check.that(f"{what} has no nan or inf", bool(np.all(np.isfinite(values))), values.tolist(),
               "finite values", hint=EXTREMES_HINT)
    check.that(f"{what} lies in [0, 1]", bool(np.all((values >= 0) & (values <= 1))),
               values.tolist(), "values from 0 to 1", hint=EXTREMES_HINT)
    # atol 1e-6: keeping a tiny distance from 0 and 1 (np.clip(s, 1e-7, 1 - 1e-7)) is fine.
    check.close(what, values, [0.0, 1.0], rtol=0.0, atol=1e-6,
                hint="sigmoid(-800) is 0 and sigmoid(800) is 1 to double precision; an overflow "
                     "must not be replaced by another number.")
    check.done()


def initialize_with_zeros(fn):
    """Check that ``initialize_with_zeros(dim)`` returns a (dim, 1) float zero column and
    the Python float 0.0."""
    check = Checker("initialize_with_zeros")
    result = check.call(fn, 3)
    check.type_is("initialize_with_zeros(3)", result, tuple, hint="return the pair w, b.")
    check.that("number of returned values", len(result) == 2, len(result), 2, hint="return w, b.")
    w, b = result
    check.array("w for dim=3", w, (3, 1), hint="w is a column: np.zeros((dim, 1)).")
    check.that("dtype of w", w.dtype.kind == "f", str(w.dtype), "a float dtype",
               hint="use float zeros (np.zeros gives float64 by default), not integers.")
    check.equal("w for dim=3", w, np.zeros((3, 1)), hint="every weight starts at 0.")
    check.type_is("b", b, float,
                  hint="b is a single number, the Python float 0.0: not 0 (an int) or an array.")
    check.equal("b", b, 0.0, hint="b starts at 0.0.")
    print("w.T =", rounded(w.T), " b =", rounded(b))

    w1, b1 = check.call(fn, 1)
    check.array("w for dim=1", w1, (1, 1), hint="w is a column: np.zeros((dim, 1)).")
    check.type_is("b for dim=1", b1, float)
    check.done()


def _check_propagate_call(check, fn, w, b, X, Y, label):
    result = check.call(fn, w, b, X, Y)
    check.type_is(label, result, tuple, hint="return the pair grads, cost.")
    check.that(f"number of values returned by {label}", len(result) == 2, len(result), 2,
               hint="return grads, cost.")
    grads, cost = result
    check.keys(f"grads from {label}", grads, ["db", "dw"])
    check.array(f'grads["dw"] from {label}', grads["dw"], w.shape, hint=SHAPE_HINT)
    check.number(f'grads["db"] from {label}', grads["db"],
                 hint="db is one number: np.sum(A - Y) / m (no keepdims), or float(...).")
    check.number(f"cost from {label}", cost,
                 hint="return the cost as a plain number, e.g. float(np.squeeze(cost)).")
    return grads, float(cost)


def propagate(fn):
    """Check ``propagate`` against a hand-computed cost and numeric gradients."""
    check = Checker("propagate")
    label = "propagate on the tiny example"
    grads, cost = _check_propagate_call(check, fn, W_TINY, B_TINY, X_TINY, Y_TINY, label)
    check.close(f"cost from {label} (z = [0, -1, 1], Y = [1, 0, 0])", cost, COST_TINY,
                hint=COST_HINT, mistakes=_cost_mistakes(COST_TINY, 3))
    dw_num, db_num = _numeric_grads(W_TINY, B_TINY, X_TINY, Y_TINY)
    check.close(f'grads["dw"] from {label} (vs a numeric gradient)', grads["dw"], dw_num,
                rtol=1e-6, atol=1e-9, hint=DW_HINT,
                mistakes=[(3 * dw_num, "dw is m times too large: divide by m, "
                                       "dw = X @ (A - Y).T / m."),
                          (-dw_num, "dw has the wrong sign: it is X @ (A - Y).T / m, with "
                                    "A - Y (not Y - A).")])
    check.close(f'grads["db"] from {label} (vs a numeric gradient)', grads["db"], db_num,
                rtol=1e-6, atol=1e-9, hint="db = np.sum(A - Y) / m, the mean of A - Y.")
    print("cost =", rounded(cost))
    print("dw.T =", rounded(np.asarray(grads["dw"]).T), " db =", rounded(float(grads["db"])))

    rng = np.random.default_rng(7)
    X = rng.normal(size=(4, 6))
    Y = np.array([[1, 0, 1, 1, 0, 0]])
    w = rng.normal(scale=0.5, size=(4, 1))
    b = -0.3
    label = "propagate on a (4, 6) example"
    grads, cost = _check_propagate_call(check, fn, w, b, X, Y, label)
    expected = _cross_entropy(w, b, X, Y)
    check.close(f"cost from {label}", cost, expected, hint=COST_HINT,
                mistakes=_cost_mistakes(expected, 6))
    dw_num, db_num = _numeric_grads(w, b, X, Y)
    difference = relative_difference(np.r_[np.ravel(grads["dw"]), float(grads["db"])],
                                     np.r_[dw_num.ravel(), db_num])
    check.that(f"gradients from {label} vs numeric gradients", difference < 1e-7,
               f"{difference:.3g}", "relative difference below 1e-7",
               hint=DW_HINT)
    check.done()


def optimize(fn):
    """Check one gradient step against a numeric gradient, and how costs are recorded."""
    check = Checker("optimize")
    w0 = np.array([[0.5], [-0.25]])
    b0 = 0.1
    rate = 0.2
    result = check.call(fn, w0, b0, X_TINY, Y_TINY, num_iterations=1, learning_rate=rate)
    check.type_is("optimize(...)", result, tuple, hint="return params, grads, costs.")
    check.that("number of values returned by optimize", len(result) == 3, len(result), 3,
               hint="return params, grads, costs.")
    params, grads, costs = result
    check.keys("params", params, ["b", "w"])
    check.keys("grads", grads, ["db", "dw"])
    check.array('params["w"]', params["w"], (2, 1), hint="w keeps its shape (n_x, 1).")
    check.number('params["b"]', params["b"],
                 hint="b must stay a number: compute db as a plain number (no keepdims).")
    dw_num, db_num = _numeric_grads(w0, b0, X_TINY, Y_TINY)
    step_hint = ("one iteration is w = w - learning_rate * dw and b = b - learning_rate * db, "
                 "using the learning_rate argument (not a fixed number).")
    check.close('params["w"] after 1 iteration with learning_rate=0.2 (vs w - lr * numeric dw)',
                params["w"], w0 - rate * dw_num, rtol=1e-6, hint=step_hint)
    check.close('params["b"] after 1 iteration with learning_rate=0.2 (vs b - lr * numeric db)',
                params["b"], b0 - rate * db_num, rtol=1e-6, hint=step_hint)
    check.close('grads["dw"] after 1 iteration', grads["dw"], dw_num, rtol=1e-6,
                hint="return the gradients computed in the last iteration.")
    values = _as_costs(check, costs, "costs after 1 iteration")
    check.that("len(costs) after 1 iteration", len(values) == 1, len(values), 1,
               hint="record the cost when i % 100 == 0, starting with iteration 0.")
    check.close("costs[0]", values[0], _cross_entropy(w0, b0, X_TINY, Y_TINY),
                hint="costs[0] is the cost at the starting parameters, before any update.")
    print('params["w"].T =', rounded(np.asarray(params["w"]).T),
          ' params["b"] =', rounded(float(params["b"])))

    params, _, costs = check.call(fn, w0, b0, X_TINY, Y_TINY, num_iterations=250,
                                  learning_rate=0.1)
    values = _as_costs(check, costs, "costs after 250 iterations")
    check.that("len(costs) after 250 iterations", len(values) == math.ceil(250 / 100), len(values),
               3, hint="record the cost every 100 iterations: at i = 0, 100 and 200.")
    check.that("costs after 250 iterations", bool(np.all(np.diff(values) < 0)), rounded(values),
               "a falling sequence",
               hint="each step should lower the cost: check the sign of the update.")
    params_100, _, _ = check.call(fn, w0, b0, X_TINY, Y_TINY, num_iterations=100,
                                  learning_rate=0.1)
    check.close("costs[1] (the cost after exactly 100 updates)", values[1],
                _cross_entropy(params_100["w"], params_100["b"], X_TINY, Y_TINY),
                hint="record the cost computed at iteration i when i % 100 == 0.")
    print("costs over 250 iterations (every 100) =", rounded(values))
    check.done()


def predict(fn):
    """Check ``predict`` on a hand-worked case whose first probability is exactly 0.5."""
    check = Checker("predict")
    w = np.array([[2.0], [-1.0]])
    b = -1.0
    X = np.array([[0.5, 1.0, 0.0, 0.75, 0.5], [0.0, 0.0, 2.0, 0.25, 0.5]])
    # z = 2 x1 - x2 - 1 = [0, 1, -3, 0.25, -0.5]: probabilities 0.5, 0.73, 0.05, 0.56, 0.38.
    expected = np.array([[0, 1, 0, 1, 0]])
    got = check.call(fn, w, b, X)
    check.array("predict(w, b, X) with 5 examples", got, (1, 5),
                hint="return one prediction per example, as a (1, m) row.")
    check.that("values of the predictions", bool(np.isin(got, (0, 1)).all()),
               rounded(np.asarray(got, dtype=float)), "only 0 and 1",
               hint="turn probabilities into labels: 1 when the probability is above 0.5, else 0.")
    check.equal("predictions for z = [0, 1, -3, 0.25, -0.5]", np.asarray(got, dtype=int),
                expected, hint="predict 1 when the probability is > 0.5 and 0 otherwise.",
                mistakes=[(np.array([[1, 1, 0, 1, 0]]),
                           "a probability of exactly 0.5 must give 0: use > 0.5, not >= 0.5.")])
    print("predictions =", rounded(np.asarray(got, dtype=int)))

    single = check.call(fn, w, b, X[:, 1:2])
    check.array("predict on a single example", single, (1, 1))
    check.equal("prediction for z = 1", np.asarray(single, dtype=int), np.array([[1]]))
    check.done()


def _separable_set():
    """Two clusters on either side of the line x1 + x2 = 0, at least 0.5 away from it."""
    rng = np.random.default_rng(3)
    points = rng.uniform(-2.0, 2.0, size=(2, 200))
    margin = (points[0] + points[1]) / math.sqrt(2)
    points = points[:, np.abs(margin) > 0.5][:, :60]
    labels = (points[0] + points[1] > 0).astype(np.int64).reshape(1, -1)
    return points[:, :40], labels[:, :40], points[:, 40:], labels[:, 40:]


def model(fn):
    """Check the keys and shapes ``model`` returns, that it uses its learning_rate and
    num_iterations, and that it separates a tiny separable set."""
    check = Checker("model")
    X_train = np.array([[1.0, 2.0, -1.0, 0.5], [0.0, -1.0, 1.0, 2.0], [0.5, 0.5, 0.5, -0.5]])
    Y_train = np.array([[1, 1, 0, 0]])
    X_test = np.array([[1.5, -0.5], [0.0, 1.0], [0.0, 0.0]])
    Y_test = np.array([[1, 0]])
    rate = 0.3
    d = check.call(fn, X_train, Y_train, X_test, Y_test, num_iterations=1, learning_rate=rate)
    check.keys("the dictionary model returns", d,
               ["Y_prediction_test", "Y_prediction_train", "b", "costs", "learning_rate",
                "num_iterations", "w"])
    check.array('d["w"]', d["w"], (3, 1), hint="w has one weight per feature: (n_x, 1).")
    check.number('d["b"]', d["b"], hint="b must stay a number, not an array.")
    check.array('d["Y_prediction_train"]', d["Y_prediction_train"], (1, 4),
                hint="predict on X_train: one label per training example, (1, m_train).")
    check.array('d["Y_prediction_test"]', d["Y_prediction_test"], (1, 2),
                hint="predict on X_test: one label per test example, (1, m_test).")
    check.equal('d["learning_rate"]', d["learning_rate"], rate,
                hint="store the learning_rate argument in the dictionary.")
    check.equal('d["num_iterations"]', d["num_iterations"], 1,
                hint="store the num_iterations argument in the dictionary.")
    values = _as_costs(check, d["costs"], 'd["costs"]')
    check.that('len(d["costs"]) with num_iterations=1', len(values) == 1, len(values), 1,
               hint="pass num_iterations on to optimize.")
    check.close('d["costs"][0]', values[0], math.log(2.0),
                hint="start from zeros: every probability is 0.5, so the first cost is log 2.")
    dw_num, db_num = _numeric_grads(np.zeros((3, 1)), 0.0, X_train, Y_train)
    hint = ("start from zeros and take num_iterations steps of size learning_rate: pass both "
            "arguments on to optimize instead of fixed numbers.")
    check.close('d["w"] after 1 iteration with learning_rate=0.3 (vs 0 - lr * numeric dw)', d["w"],
                -rate * dw_num, rtol=1e-6, hint=hint)
    check.close('d["b"] after 1 iteration with learning_rate=0.3 (vs 0 - lr * numeric db)', d["b"],
                -rate * db_num, rtol=1e-6, hint=hint)

    X_train, Y_train, X_test, Y_test = _separable_set()
    d = check.call(fn, X_train, Y_train, X_test, Y_test, num_iterations=300, learning_rate=0.5)
    w, b = np.asarray(d["w"], dtype=float), float(d["b"])
    for name, X, Y in (("train", X_train, Y_train), ("test", X_test, Y_test)):
        key = f"Y_prediction_{name}"
        check.array(f'd["{key}"] on the separable set', d[key], Y.shape)
        labels = (expit(w.T @ X + b) > 0.5).astype(int)
        check.equal(f'd["{key}"] on the separable set', np.asarray(d[key], dtype=int), labels,
                    hint=f"predict on X_{name} with the trained w and b.")
        accuracy = float(np.mean(np.asarray(d[key]) == Y))
        check.that(f"{name} accuracy on a linearly separable set", accuracy == 1.0,
                   f"{100 * accuracy:.1f} %", "100.0 %",
                   hint="the two clusters are separable by a line.")
        print(f"separable set: {name} accuracy = {100 * accuracy:.1f} %")
    values = _as_costs(check, d["costs"], 'd["costs"] on the separable set')
    check.that('d["costs"] on the separable set',
               len(values) == 3 and bool(np.all(np.diff(values) < 0)), rounded(values),
               "3 falling values")
    check.done()


# ----------------------------------------------------------------------------------------
# Verdicts on results of training: bands and orderings, never the raw numbers.


def trained_model(final_cost, train_accuracy, test_accuracy):
    """The neuron trained on the faces (learning rate 0.5, 2000 iterations)."""
    verdict = Verdicts("logistic regression on the faces")
    verdict.below("final cost", final_cost, FINAL_COST_BELOW, hint=TRAINING_HINT)
    verdict.within("train accuracy", train_accuracy, *TRAIN_BAND,
                   hint="625 weights for 140 photos: 2000 steps of rate 0.5 fit the training "
                        "set. " + TRAINING_HINT)
    verdict.within("test accuracy", test_accuracy, *TEST_BAND, hint=TRAINING_HINT)
    verdict.done()


def learning_rates(results):
    """``results[rate] = (final cost, train accuracy, test accuracy)`` for three rates."""
    rates = sorted(results)
    verdict = Verdicts("three learning rates")
    for slower, faster in zip(rates, rates[1:], strict=False):
        high, low = float(results[slower][0]), float(results[faster][0])
        verdict.that(
            f"final cost with rate {slower:g} is more than {COST_RATIO_PER_TENFOLD_RATE:g} "
            f"times the final cost with rate {faster:g}",
            high > COST_RATIO_PER_TENFOLD_RATE * low, f"{high:.4g} against {low:.4g}",
            hint="a larger rate should travel further in 2000 steps; equal costs mean the "
                 "learning_rate argument is not used.")
    for rate in rates:
        verdict.within(f"test accuracy with rate {rate:g}", results[rate][2], *TEST_BAND,
                       hint=TRAINING_HINT)
    slowest, fastest = rates[0], rates[-1]
    verdict.within(f"train accuracy with rate {slowest:g}", results[slowest][1],
                   *SLOW_TRAIN_BAND,
                   hint="the slowest learner has not yet fitted every training photo.")
    verdict.within(f"train accuracy with rate {fastest:g}", results[fastest][1], *TRAIN_BAND,
                   hint=TRAINING_HINT)
    verdict.beats(f"test accuracy with rate {slowest:g} over rate {fastest:g}",
                  results[slowest][2], results[fastest][2],
                  hint="stopping early keeps the weights small; check that each run starts "
                       "from zeros and uses its own learning rate.")
    verdict.done()


def photo_crops(probabilities):
    """``probabilities[name]`` = P(face) of each photo crop, from the lr-0.5 model."""
    verdict = Verdicts("photos of our own")
    for name, band in CROP_BANDS.items():
        verdict.within(f"P(face) of {name}", probabilities[name], *band,
                       hint="use the model trained with learning rate 0.5 (d['w'], d['b']) "
                            "and crops scaled to [0, 1], flattened like the training images.")
    verdict.done()
