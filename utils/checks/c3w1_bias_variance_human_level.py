"""Checks for Course 3, week 1: Bayes error, human-level error, bias and variance.

Oracles: values of the standard normal CDF from printed tables, a Monte-Carlo estimate of
the error of the optimal rule on two simulated Gaussian classes, majority votes counted by
hand, and differences and diagnoses worked out by hand on small cases, including the
boundary cases (zero gaps, equal gaps, a gap exactly equal to the tolerance, a model that
beats the human-level proxy) and invalid error rates, which must raise ``ValueError``.

Boundary cases use numbers that binary floating point holds exactly (0.125, 0.25, ...), so
that "a gap equal to the tolerance" really is equal and not off in the 17th digit.
"""

import numpy as np

from utils.checks.harness import Checker, rounded
from utils.checks.verdicts import Verdicts

# The four diagnoses and the fixed list of next steps the notebook asks for.
DIAGNOSES = ("high bias", "high variance", "both", "fine")
EXPECTED_STEPS = {
    "high bias": "bigger model, train longer or a better architecture",
    "high variance": "more data or regularisation",
    "both": "reduce bias first (bigger model), then variance (more data, regularisation)",
    "fine": "keep the model and move on to error analysis",
}

# ----------------------------------------------------------------------------------------
# Bands for the results of training (logistic regression, 1-nearest neighbour and an RBF
# SVM on 3,000 MNIST digits with 10% of the labels flipped), checked by the verdict
# functions at the end of this module. The three solvers are deterministic (lbfgs, exact
# neighbours, libsvm), so training seeds do not apply: each result was measured natively,
# under the test profile (AVX2 numpy and OpenBLAS) and under the second profile (SSE4.2),
# which gave identical results, and, to see how far it moves with the data, with the digits
# split and the labels flipped from seeds 0 (the notebook), 1 and 2: 9 runs. Comments give
# min / max and what a broken set-up gave (training on the clean labels, i.e. forgetting to
# flip them, gave train errors 0.103, 0.0 and 0.015 and a 1-NN dev error of 0.128).
TRAIN_ERRORS = {"logistic regression": (0.15, 0.24),  # 0.176 / 0.198
                "RBF SVM": (0.08, 0.15)}  # 0.098 / 0.123; clean training labels: 0.015
DEV_ERRORS = {"logistic regression": (0.16, 0.25),  # 0.184 / 0.213
              "1-nearest neighbour": (0.17, 0.26),  # 0.197 / 0.216; clean labels: 0.128
              "RBF SVM": (0.10, 0.17)}  # 0.126 / 0.137
# diagnoses far enough from the tolerance (about 0.026) to hold on any machine: logistic
# regression's bias 0.080 / 0.096 and variance 0.008 / 0.019 ("high bias"), 1-NN's variance
# 0.197 / 0.216 with a training error of exactly 0 ("high variance"). The SVM's variance
# (0.014 / 0.028) sits on the line: "fine" for seeds 0 and 2, "high variance" for seed 1,
# so only its avoidable bias (0.003 / 0.015, below tol) and its lead are checked.
EXPECTED_DIAGNOSES = {"logistic regression": "high bias",
                      "1-nearest neighbour": "high variance"}
SVM_LEAD = 0.04  # logistic regression's dev error minus the SVM's: 0.058 / 0.083
# learning curves: logistic regression's training error rises from the smallest size to
# the largest by 0.13 / 0.16 and its dev error falls by 0.10 / 0.14; 1-NN's dev error falls
# by 0.09 / 0.13 and its training error is 0 at every size. A learning_curve that measures
# the training error on the whole training set, not the subset, gave a falling curve for
# logistic regression (0.308 at 50 examples, 0.194 at 3,000) and non-zero ones for 1-NN.
CURVE_RISE = 0.08
CURVE_FALL = 0.05
PLATEAU = 0.03  # last two sizes, train and dev: differences 0.001 / 0.014
PLATEAU_ABOVE_HUMAN = 0.05  # logistic regression at 3,000 minus human level: 0.080 / 0.096

# Phi(-z) for the standard normal CDF Phi, from printed tables (z = 0, 1, 2, 4).
_PHI_MINUS = {0.0: 0.5, 1.0: 0.15865525393145707, 2.0: 0.022750131948179195,
              4.0: 3.167124183311998e-05}

# ----------------------------------------------------------------------------------------
# helpers


def _gap_mistakes(expected, base):
    """The usual mistakes on a gap: the wrong sign, or a negative gap clipped or made
    positive; each hint starts with ``base``."""
    if expected < 0:  # the positive cases come first, so the order of subtraction is right
        return [(0.0, f"{base} Do not clip a negative gap to 0: a negative value is "
                      "information (see the docstring)."),
                (-expected, f"{base} Do not take the absolute value: keep the sign.")]
    if expected > 0:
        return [(-expected, f"{base} Your value has the wrong sign: subtract in the other "
                            "order.")]
    return []


def _gap_function(fn, name, first, second, formula):
    """Shared checks of avoidable_bias (human, train) and variance (train, dev)."""
    check = Checker(name)
    got = check.call(fn, 0.03, 0.125)
    check.number(f"{name}(0.03, 0.125)", got)
    check.close(f"{name}(0.03, 0.125)", got, 0.095, hint=f"{name} is {formula}.",
                mistakes=_gap_mistakes(0.095, f"{name} is {formula}.")
                + [(9.5, "error rates are fractions (0.125 means 12.5%): return the plain "
                         "difference, not a percentage.")])
    lines = [f"{name}(0.03, 0.125) = {rounded(float(got))}"]
    for a, b, expected in ((0.2, 0.2, 0.0), (0.1, 0.0, -0.1), (0.0, 1.0, 1.0)):
        value = check.call_or_fail(fn, a, b,
                                   hint="0 and 1 are valid error rates (a perfect and a "
                                        "hopeless model): reject only values outside [0, 1], "
                                        "with `not 0 <= x <= 1`.")
        check.number(f"{name}({a}, {b})", value)
        check.close(f"{name}({a}, {b})", value, expected, atol=1e-12,
                    hint=f"{name} is {formula}.",
                    mistakes=_gap_mistakes(expected, f"{name} is {formula}."))
        lines.append(f"{name}({a}, {b}) = {rounded(float(value))}")
    value = fn(np.float64(0.05), np.float64(0.08))
    check.close(f"{name}(np.float64(0.05), np.float64(0.08))", value, 0.03,
                hint="numpy floats must work like Python floats.")
    for args in ((1.5, 0.1), (0.1, -0.01), (float("nan"), 0.1), (0.1, 100.0)):
        check.expect_value_error(f"{name}{args} must raise ValueError", fn, args,
                                 hint=f"an error rate is a fraction in [0, 1]: raise ValueError "
                                      f"when {first} or {second} is outside it "
                                      "(`not 0 <= x <= 1` also catches nan).")
    print("\n".join(lines))
    check.done()


# ----------------------------------------------------------------------------------------
# graded functions


def bayes_error(fn):
    """Check bayes_error(distance) = Phi(-distance / 2) on table values and a simulation."""
    check = Checker("bayes_error")
    got = check.call(fn, 2.0)
    check.number("bayes_error(2.0)", got, hint="return a single number for a single distance.")
    expected = _PHI_MINUS[1.0]
    check.close("bayes_error(2.0)", got, expected, rtol=1e-6,
                hint="the optimal boundary sits halfway between the means: the error is "
                     "Phi(-distance/2).",
                mistakes=[(_PHI_MINUS[2.0], "you used Phi(-distance): each mean is only "
                                            "distance/2 from the boundary."),
                          (1 - expected, "that is the probability of being right: use "
                                         "Phi(-distance/2), not Phi(+...).")])
    zero = fn(0.0)
    check.close("bayes_error(0.0)", zero, 0.5, rtol=1e-9,
                hint="classes with the same mean cannot be told apart: the best is a coin flip.")
    distances = np.array([0.0, 2.0, 4.0, 8.0])
    many = check.call_or_fail(fn, distances,
                              hint="test the whole array with np.any(distance < 0): a bare "
                                   "`if distance < 0` is ambiguous for an array of distances.")
    check.array("bayes_error(np.array([0., 2., 4., 8.]))", many, (4,),
                hint="use a vectorised CDF (scipy.stats.norm.cdf) so arrays work too.")
    table = [_PHI_MINUS[z] for z in (0.0, 1.0, 2.0, 4.0)]
    check.close("bayes_error(np.array([0., 2., 4., 8.]))", many, table, rtol=1e-6)
    # Monte Carlo: two 3-D Gaussian classes 1.5 apart, classified by the midpoint plane
    rng = np.random.default_rng(2024)
    m = 400_000
    direction = np.array([2.0, -1.0, 2.0]) / 3.0  # a unit vector
    labels = rng.integers(0, 2, m)
    points = rng.standard_normal((m, 3)) + np.outer(2 * labels - 1, 0.75 * direction)
    simulated = float(np.mean((points @ direction > 0) != labels))
    value = fn(1.5)
    check.close("bayes_error(1.5) against a simulation of 400,000 points", value, simulated,
                atol=0.003, hint="the simulated error of the optimal rule should match.")
    check.expect_value_error("bayes_error(-1.0) must raise ValueError", fn, (-1.0,),
                             hint="a distance cannot be negative: raise ValueError.")
    print(f"bayes_error(2.0) = {rounded(float(got))}")
    print(f"bayes_error([0, 2, 4, 8]) = {rounded(np.asarray(many, dtype=float))}")
    print(f"bayes_error(1.5) = {rounded(float(value), 4)}, simulated optimal rule: "
          f"{rounded(simulated, 4)}")
    check.done()


def majority_vote(fn):
    """Check majority_vote on hand-counted votes of 1, 3 and 5 annotators."""
    check = Checker("majority_vote")
    votes = np.array([[1, 0, 1, 1, 0, 0],
                      [1, 1, 0, 1, 0, 0],
                      [0, 1, 1, 1, 1, 0]])
    got = check.call_or_fail(fn, votes,
                             hint="votes has one row per annotator: k is the number of rows, "
                                  "votes.shape[0] (here 3, odd), not the number of examples.")
    what = "majority_vote(3 annotators x 6 examples)"
    check.array(what, got, (6,), hint="one label per example (a column of votes): sum over axis 0 "
                     "and return a 1-D array of length m.")
    check.that(f"dtype of {what}", got.dtype.kind in "iu", str(got.dtype), "integers (0 or 1)",
               hint="return integer labels, e.g. with .astype(int).")
    check.equal(what, got, np.array([1, 1, 1, 1, 0, 0]),
                hint="an example gets label 1 when more than half of its annotators said 1.")
    five = np.array([[1, 1, 0, 0, 1],
                     [1, 0, 0, 1, 1],
                     [0, 1, 1, 0, 1],
                     [0, 0, 1, 1, 0],
                     [0, 1, 0, 0, 0]])
    got5 = fn(five)
    check.equal("majority_vote(5 annotators)", np.asarray(got5), np.array([0, 1, 0, 0, 1]),
                hint="with k annotators a label needs more than k/2 votes (3 of 5), not a fixed 2.")
    single = np.array([[0, 1, 1, 0]])
    got1 = fn(single)
    check.equal("majority_vote(1 annotator)", np.asarray(got1), np.array([0, 1, 1, 0]),
                hint="a team of one agrees with its only member.")
    check.expect_value_error("majority_vote(4 annotators) must raise ValueError", fn,
                             (np.ones((4, 3), dtype=int),),
                             hint="an even number of annotators can tie: raise ValueError.")
    print(f"3 annotators: {rounded(np.asarray(got))}")
    print(f"5 annotators: {rounded(np.asarray(got5))}")
    check.done()


def avoidable_bias(fn):
    """Check avoidable_bias(human_error, train_error) = train_error - human_error."""
    _gap_function(fn, "avoidable_bias", "human_error", "train_error",
                  "train_error - human_error")


def variance(fn):
    """Check variance(train_error, dev_error) = dev_error - train_error."""
    _gap_function(fn, "variance", "train_error", "dev_error", "dev_error - train_error")


# (human, train, dev, tol or None for the default, expected, hint) worked out by hand
_STRICT = (" A gap is a problem only when it is strictly larger than the tol passed in "
           "(gap > tol).")
_SIGNED = " Compare the signed gap with tol (no abs): a negative gap is never a problem."
_DIAGNOSE_CASES = (
    (0.01, 0.15, 0.16, None, "high bias", "only the avoidable bias (0.14) is large."),
    (0.01, 0.02, 0.12, None, "high variance", "only the variance (0.10) is large."),
    (0.01, 0.15, 0.30, None, "both", "both gaps (0.14 and 0.15) are large."),
    (0.01, 0.02, 0.03, None, "fine", "both gaps (0.01) are within the default tol 0.02."),
    (0.10, 0.10, 0.10, None, "fine", "both gaps are zero."),
    (0.0, 0.25, 0.5, 0.125, "both", "equal gaps (0.25), both larger than tol."),
    (0.0, 0.125, 0.25, 0.125, "fine", "both gaps are exactly equal to tol." + _STRICT),
    (0.0, 0.125, 0.25, 0.0625, "both", "the same errors with a smaller tol: use the tol "
     "passed in, not a fixed number."),
    (0.10, 0.0, 0.21, None, "high variance",
     "the avoidable bias is -0.10 (the model beats the proxy)." + _SIGNED),
    (0.10, 0.05, 0.06, None, "fine", "avoidable bias -0.05, variance 0.01." + _SIGNED),
    (0.01, 0.05, 0.06, 0.05, "fine", "a gap of 0.04 is within tol=0.05: use the tol "
     "passed in, not a fixed number."),
    (0.01, 0.04, 0.05, None, "high bias", "a gap of 0.03 is above the default tol 0.02."),
    (0.25, 0.375, 0.375, 0.125, "fine", "the avoidable bias is exactly tol." + _STRICT),
    (0.0, 0.125, 0.125, 0.0, "high bias", "with tol=0 every positive gap is a problem and a "
     "zero gap is not; tol=0 is a valid tolerance (only a negative tol is invalid)."),
)


def diagnose(fn):
    """Check diagnose on hand-made cases, boundary cases and invalid input."""
    check = Checker("diagnose")
    got = check.call(fn, 0.01, 0.15, 0.16)
    check.type_is("diagnose(0.01, 0.15, 0.16)", got, str,
                  hint=f"return one of the labels {DIAGNOSES}.")
    lines = []
    for human, train, dev, tol, expected, hint in _DIAGNOSE_CASES:
        kwargs = {} if tol is None else {"tol": tol}
        call = f"diagnose({human}, {train}, {dev}{'' if tol is None else f', tol={tol}'})"
        label = check.call_or_fail(fn, human, train, dev, **kwargs,
                                   hint=f"{call} is valid input: raise ValueError only for "
                                        "error rates outside [0, 1] or a negative tol (tol=0 "
                                        "is allowed).")
        if label not in DIAGNOSES:
            hint += f" The label must be exactly one of {DIAGNOSES}."
        check.equal(call, label, expected, hint=hint)
        lines.append(f"{call:44s} -> {label}")
    for args, kwargs, what in (
        ((0.01, 1.2, 0.3), {}, "a training error of 1.2"),
        ((-0.01, 0.1, 0.3), {}, "a human error of -0.01"),
        ((0.01, 0.1, float("nan")), {}, "a dev error of nan"),
        ((0.01, 0.1, 0.3), {"tol": -0.01}, "a negative tol"),
    ):
        check.expect_value_error(f"diagnose with {what} must raise ValueError", fn, args,
                                 hint="error rates must lie in [0, 1] and tol must be >= 0: "
                                      "raise ValueError (avoidable_bias and variance already "
                                      "check the rates).",
                                 kwargs=kwargs)
    print("\n".join(lines))
    check.done()


def next_step(fn):
    """Check next_step returns the fixed action for each diagnosis and rejects others."""
    check = Checker("next_step")
    got = check.call(fn, "high bias")
    check.type_is('next_step("high bias")', got, str)
    for diagnosis in DIAGNOSES:
        action = got if diagnosis == "high bias" else fn(diagnosis)
        others = [step for label, step in EXPECTED_STEPS.items() if label != diagnosis]
        check.equal(f'next_step("{diagnosis}")', action, EXPECTED_STEPS[diagnosis],
                    hint="return the matching constant defined above the exercise.",
                    mistakes=[(step, "that is the action of a different diagnosis.")
                              for step in others])
        print(f"{diagnosis:13s} -> {action}")
    for bad in ("High Bias", "overfitting", ""):
        check.expect_value_error(f"next_step({bad!r}) must raise ValueError", fn, (bad,),
                                 hint=f"only the four labels {DIAGNOSES} are valid: raise "
                                      "ValueError for anything else instead of returning None "
                                      "or a guess.")
    check.done()


# ----------------------------------------------------------------------------------------
# results of training: verdicts, never raw numbers (bands at the top of this module)


def diagnosed_models(results, diagnoses, human_error, tol):
    """Verdicts on ``results = {model: (train error, dev error)}`` and the learner's
    ``diagnoses = {model: label}`` for the three models of section 4."""
    verdict = Verdicts("three models")
    noise = ("are the training labels the noisy ones (y_train, with 10% flipped), and the "
             "errors measured against the noisy labels?")
    for name, (low, high) in TRAIN_ERRORS.items():
        verdict.within(f"training error of {name}", results[name][0], low, high, hint=noise)
    verdict.exact("training error of 1-nearest neighbour", float(results["1-nearest neighbour"][0]),
                  0.0, hint="1-NN finds every training digit itself: it cannot err on them.")
    for name, (low, high) in DEV_ERRORS.items():
        verdict.within(f"dev error of {name}", results[name][1], low, high, hint=noise)
    for name, expected in EXPECTED_DIAGNOSES.items():
        verdict.exact(f"diagnosis of {name}", diagnoses[name], expected,
                      hint="diagnose(HUMAN, train_error, dev_error, tol=TOL).")
    svm_train, svm_dev = results["RBF SVM"]
    bias = float(svm_train) - float(human_error)
    verdict.that("avoidable bias of the RBF SVM is below tol", bias < tol,
                 f"avoidable bias {bias:.4g}, tol {float(tol):.4g}", hint=noise)
    verdict.beats("dev error of logistic regression against the RBF SVM",
                  results["logistic regression"][1], svm_dev, by=SVM_LEAD)
    verdict.done()


def learning_curves(curves, human_error):
    """Verdicts on the learning curves ``{model: {"sizes", "train", "dev"}}`` of logistic
    regression and 1-nearest neighbour."""
    subset = ("measure the training error on the n examples the model was trained on, not "
              "on the whole training set.")
    verdict = Verdicts("learning curves")
    linear = curves["logistic regression"]
    train, dev = np.asarray(linear["train"], float), np.asarray(linear["dev"], float)
    verdict.beats("logistic regression: training error at the largest size against the "
                  "smallest", train[-1], train[0], by=CURVE_RISE, hint=subset)
    verdict.beats("logistic regression: dev error at the smallest size against the largest",
                  dev[0], dev[-1], by=CURVE_FALL)
    verdict.that(f"logistic regression: both curves flat (within {PLATEAU:g}) over the last "
                 "two sizes", abs(train[-1] - train[-2]) <= PLATEAU
                 and abs(dev[-1] - dev[-2]) <= PLATEAU,
                 f"train {train[-2]:.4g} -> {train[-1]:.4g}, dev {dev[-2]:.4g} -> {dev[-1]:.4g}")
    verdict.beats("logistic regression: training error at 3,000 against the human level",
                  train[-1], human_error, by=PLATEAU_ABOVE_HUMAN)
    neighbour = curves["1-nearest neighbour"]
    verdict.exact("1-nearest neighbour: largest training error over all sizes",
                  float(np.max(neighbour["train"])), 0.0, hint=subset)
    verdict.beats("1-nearest neighbour: dev error at the smallest size against the largest",
                  neighbour["dev"][0], neighbour["dev"][-1], by=CURVE_FALL)
    verdict.done()
