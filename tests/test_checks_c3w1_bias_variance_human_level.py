"""The Course 3 week 1 checks pass correct functions and catch the typical mistakes."""

import numpy as np
import pytest
from scipy.stats import norm

from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c3w1_bias_variance_human_level as check
from utils.checks.harness import CheckFailure

# ----------------------------------------------------------------------------------------
# a correct reference, written here independently of the notebook

STEPS = dict(check.EXPECTED_STEPS)


def _rate(value):
    if not 0 <= value <= 1:
        raise ValueError(f"error rate {value} outside [0, 1]")


def bayes_error(distance):
    if np.any(np.asarray(distance) < 0):
        raise ValueError("negative distance")
    return norm.sf(np.asarray(distance, dtype=float) / 2)[()]


def majority_vote(votes):
    k = votes.shape[0]
    if k % 2 == 0:
        raise ValueError("even team")
    return (2 * votes.sum(axis=0) > k).astype(int)


def avoidable_bias(human_error, train_error):
    _rate(human_error)
    _rate(train_error)
    return train_error - human_error


def variance(train_error, dev_error):
    _rate(train_error)
    _rate(dev_error)
    return dev_error - train_error


def make_diagnose(bias_of=avoidable_bias, variance_of=variance, strict=True, use_abs=False,
                  fixed_tol=None, check_tol=True):
    def diagnose(human_error, train_error, dev_error, tol=0.02):
        if check_tol and tol < 0:
            raise ValueError("negative tol")
        tol = tol if fixed_tol is None else fixed_tol
        bias = bias_of(human_error, train_error)
        var = variance_of(train_error, dev_error)
        if use_abs:
            bias, var = abs(bias), abs(var)
        high_bias = bias > tol if strict else bias >= tol
        high_var = var > tol if strict else var >= tol
        if high_bias and high_var:
            return "both"
        return "high bias" if high_bias else "high variance" if high_var else "fine"
    return diagnose


def next_step(diagnosis):
    if diagnosis not in STEPS:
        raise ValueError(diagnosis)
    return STEPS[diagnosis]


REFERENCE = {
    "bayes_error": bayes_error,
    "majority_vote": majority_vote,
    "avoidable_bias": avoidable_bias,
    "variance": variance,
    "diagnose": make_diagnose(),
    "next_step": next_step,
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, REFERENCE)


# ----------------------------------------------------------------------------------------
# typical mistakes, each with a word the message must contain


def _checked_distance(d):
    d = np.asarray(d, dtype=float)
    if np.any(d < 0):
        raise ValueError("negative distance")
    return d


def bayes_error_scalar_test(distance):  # `if distance < 0` fails on an array
    if distance < 0:
        raise ValueError("negative distance")
    return norm.cdf(-np.asarray(distance, dtype=float) / 2)[()]


def majority_vote_columns(votes):  # k taken from the number of examples
    k = votes.shape[1]
    if k % 2 == 0:
        raise ValueError("even team")
    return (2 * votes.sum(axis=0) > k).astype(int)


def majority_vote_in_place(votes):  # recodes the caller's 0 votes as -1
    if votes.shape[0] % 2 == 0:
        raise ValueError("even team")
    votes[votes == 0] = -1
    return (votes.sum(axis=0) > 0).astype(int)


def _strict_rate(value):  # 0 and 1 wrongly rejected
    if not 0 < value < 1:
        raise ValueError(f"error rate {value} outside (0, 1)")


def _rate_without_nan(value):  # nan slips through both comparisons
    if value < 0 or value > 1:
        raise ValueError(f"error rate {value} outside [0, 1]")


def diagnose_larger_gap_wins(human_error, train_error, dev_error, tol=0.02):
    if tol < 0:
        raise ValueError("negative tol")
    bias, var = avoidable_bias(human_error, train_error), variance(train_error, dev_error)
    if bias <= tol and var <= tol:
        return "fine"
    return "high bias" if bias > var else "high variance"


def diagnose_swapped(human_error, train_error, dev_error, tol=0.02):
    label = make_diagnose()(human_error, train_error, dev_error, tol)
    return {"high bias": "high variance", "high variance": "high bias"}.get(label, label)


def diagnose_rejects_zero_tol(human_error, train_error, dev_error, tol=0.02):
    if tol <= 0:
        raise ValueError("tol must be positive")
    return make_diagnose()(human_error, train_error, dev_error, tol)


def diagnose_none_when_fine(human_error, train_error, dev_error, tol=0.02):
    label = make_diagnose()(human_error, train_error, dev_error, tol)
    return None if label == "fine" else label


def next_step_key_error(diagnosis):  # a KeyError is not the ValueError asked for
    return STEPS[diagnosis]


def next_step_case_insensitive(diagnosis):
    return next_step(diagnosis.lower())


WRONG = [
    ("bayes_error", lambda d: norm.cdf(-np.asarray(d, float))[()], "distance/2"),
    ("bayes_error", lambda d: norm.cdf(np.asarray(d, float) / 2)[()], "probability of being"),
    ("bayes_error", lambda d: float(norm.cdf(-np.max(d) / 2)), "vectorised"),
    ("bayes_error", lambda d: norm.cdf(-np.asarray(d, float) / 2)[()], "negative"),
    ("majority_vote", lambda v: (v.mean(axis=1) > 0.5).astype(int), "shape"),
    ("majority_vote", lambda v: (v.sum(axis=0) > 1).astype(int), "k/2"),
    ("majority_vote", lambda v: v.sum(axis=0) > v.shape[0] / 2, "integer"),
    ("majority_vote", lambda v: (2 * v.sum(axis=0) > v.shape[0]).astype(int), "even"),
    ("avoidable_bias", lambda h, t: (_rate(h), _rate(t), h - t)[2], "wrong sign"),
    ("avoidable_bias", lambda h, t: (_rate(h), _rate(t), max(t - h, 0.0))[2], "clip"),
    ("avoidable_bias", lambda h, t: (_rate(h), _rate(t), abs(t - h))[2], "absolute"),
    ("avoidable_bias", lambda h, t: t - h, "ValueError"),
    ("variance", lambda t, d: (_rate(t), _rate(d), abs(d - t))[2], "absolute"),
    ("variance", lambda t, d: (_rate(t), _rate(d), t - d)[2], "wrong sign"),
    ("variance", lambda t, d: (_rate(t), _rate(d), np.array([d - t]))[2], "real number"),
    ("diagnose", make_diagnose(strict=False), "strictly"),
    ("diagnose", make_diagnose(use_abs=True), "no abs"),
    ("diagnose", make_diagnose(fixed_tol=0.02), "tol passed in"),
    ("diagnose", make_diagnose(check_tol=False), "negative tol"),
    ("diagnose", make_diagnose(bias_of=lambda h, t: t - h, variance_of=lambda t, d: d - t),
     "ValueError"),
    ("diagnose", make_diagnose(variance_of=lambda t, d: d - 0.0), "only the avoidable bias"),
    ("bayes_error", bayes_error_scalar_test, "np.any(distance < 0)"),
    ("bayes_error", lambda d: norm.pdf(_checked_distance(d) / 2)[()], "halfway"),
    ("bayes_error", lambda d: 2 * norm.cdf(-_checked_distance(d) / 2)[()], "halfway"),
    ("majority_vote", majority_vote_columns, "votes.shape[0]"),
    ("majority_vote", majority_vote_in_place, "changed in place"),
    ("majority_vote", lambda v: (2 * v.sum(axis=0, keepdims=True) > v.shape[0]).astype(int),
     "1-D array"),
    ("majority_vote", lambda v: (v.sum(axis=0) >= v.shape[0] // 2).astype(int), "more than half"),
    ("avoidable_bias", lambda h, t: (_strict_rate(h), _strict_rate(t), t - h)[2],
     "0 and 1 are valid"),
    ("avoidable_bias", lambda h, t: (_rate(h), _rate(t), 100 * (t - h))[2], "percentage"),
    ("avoidable_bias", lambda h, t: (_rate(h), _rate(t), t / h)[2], "train_error - human_error"),
    ("variance", lambda t, d: (_strict_rate(t), _strict_rate(d), d - t)[2], "0 and 1 are valid"),
    ("variance", lambda t, d: (_rate(t), _rate(d), 100 * (d - t))[2], "percentage"),
    ("variance", lambda t, d: (_rate_without_nan(t), _rate_without_nan(d), d - t)[2], "nan"),
    ("diagnose", diagnose_larger_gap_wins, "both gaps"),
    ("diagnose", diagnose_swapped, "only the avoidable bias"),
    ("diagnose", diagnose_rejects_zero_tol, "tol=0"),
    ("diagnose", diagnose_none_when_fine, "exactly one of"),
    ("next_step", lambda d: STEPS.get(d), "ValueError"),
    ("next_step", next_step_key_error, "ValueError"),
    ("next_step", next_step_case_insensitive, "High Bias"),
    ("next_step", lambda d: (next_step(d), d)[1], "matching constant"),
    ("next_step", lambda d: STEPS["high variance" if d == "high bias" else d],
     "different diagnosis"),
]


@pytest.mark.parametrize(("name", "wrong", "word"), WRONG,
                         ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(WRONG)])
def test_typical_mistakes_are_caught(name, wrong, word, capsys):
    mistake_is_caught(check, name, wrong, word)


# ----------------------------------------------------------------------------------------
# verdicts on results of training: the notebook's measured results hold, broken ones fail

HUMAN, TOL = 0.098, 0.02574820382084933
RESULTS = {"logistic regression": (0.194, 0.2125), "1-nearest neighbour": (0.0, 0.21),
           "RBF SVM": (0.10833, 0.1295)}
DIAGNOSES = {"logistic regression": "high bias", "1-nearest neighbour": "high variance",
             "RBF SVM": "fine"}
CLEAN_LABELS = {"logistic regression": (0.10267, 0.1995), "1-nearest neighbour": (0.0, 0.1275),
                "RBF SVM": (0.01533, 0.1305)}  # the training labels were never flipped
SIZES = [50, 100, 200, 400, 800, 1600, 3000]
CURVES = {"logistic regression": {"sizes": SIZES,
                                  "train": [0.053, 0.077, 0.12, 0.173, 0.179, 0.195, 0.194],
                                  "dev": [0.32, 0.301, 0.266, 0.245, 0.223, 0.214, 0.2125]},
          "1-nearest neighbour": {"sizes": SIZES, "train": [0.0] * 7,
                                  "dev": [0.344, 0.296, 0.259, 0.257, 0.232, 0.214, 0.21]}}
CURVES_WHOLE_SET = {  # training error measured on the whole training set, not the subset
    "logistic regression": {"sizes": SIZES,
                            "train": [0.308, 0.292, 0.258, 0.242, 0.213, 0.201, 0.194],
                            "dev": CURVES["logistic regression"]["dev"]},
    "1-nearest neighbour": {"sizes": SIZES,
                            "train": [0.326, 0.285, 0.247, 0.211, 0.165, 0.098, 0.0],
                            "dev": CURVES["1-nearest neighbour"]["dev"]}}


def _verdict_fails(call, word):
    with pytest.raises(CheckFailure) as failure:
        call()
    assert word in str(failure.value), str(failure.value)


def test_diagnosed_model_verdicts(capsys):
    check.diagnosed_models(RESULTS, DIAGNOSES, HUMAN, TOL)
    assert "all 10 verdicts hold" in capsys.readouterr().out
    clean = {"logistic regression": "high variance", "1-nearest neighbour": "high variance",
             "RBF SVM": "high variance"}
    _verdict_fails(lambda: check.diagnosed_models(CLEAN_LABELS, clean, HUMAN, TOL),
                   "with 10% flipped")
    swapped = {**DIAGNOSES, "logistic regression": "high variance"}
    _verdict_fails(lambda: check.diagnosed_models(RESULTS, swapped, HUMAN, TOL),
                   "diagnosis of logistic regression")


def test_learning_curve_verdicts(capsys):
    check.learning_curves(CURVES, HUMAN)
    assert "all 6 verdicts hold" in capsys.readouterr().out
    _verdict_fails(lambda: check.learning_curves(CURVES_WHOLE_SET, HUMAN),
                   "not on the whole training set")
