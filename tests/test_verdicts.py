"""Verdicts on training results: stable lines when they hold, clear failures when not."""

import math

import pytest

from utils.checks.harness import CheckFailure
from utils.checks.verdicts import Verdicts


def test_holding_verdicts_print_claims_without_numbers(capsys):
    verdict = Verdicts("network")
    verdict.within("test accuracy", 0.8381, 0.78, 0.88)
    verdict.beats("test accuracy over the baseline", 0.8381, 0.555, by=0.2)
    verdict.above("train accuracy", 0.84, 0.5)
    verdict.below("final cost", 0.3, 0.5)
    verdict.exact("zeros accuracy", 0.5, 0.5)
    verdict.that("the rows of W1 stay equal", True, "rows differ")
    verdict.done()
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "network: test accuracy is in [0.78, 0.88]",
        "network: test accuracy over the baseline is higher by more than 0.2",
        "network: train accuracy is above 0.5",
        "network: final cost is below 0.5",
        "network: zeros accuracy is exactly 0.5",
        "network: the rows of W1 stay equal",
        "network: all 6 verdicts hold",
    ]
    assert "0.838" not in out


def test_single_verdict_line(capsys):
    verdict = Verdicts("run")
    verdict.above("accuracy", 0.9, 0.5)
    verdict.done()
    assert capsys.readouterr().out.splitlines()[-1] == "run: the verdict holds"


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda v: v.within("test accuracy", 0.512, 0.78, 0.88, hint="sign of dW?"),
         "test accuracy = 0.512"),
        (lambda v: v.within("cost", math.nan, 0, 1), "cost = nan"),
        (lambda v: v.beats("He over zeros", 0.6, 0.5, by=0.3), "difference 0.1"),
        (lambda v: v.above("accuracy", 0.4, 0.5), "accuracy = 0.4"),
        (lambda v: v.below("cost", 0.7, 0.5), "cost = 0.7"),
        (lambda v: v.exact("count", 3, 4), "count = 3"),
        (lambda v: v.that("rows equal", False, "rows differ by 0.1"), "rows differ by 0.1"),
    ],
)
def test_failing_verdicts_say_what_was_measured(call, needle):
    with pytest.raises(CheckFailure) as info:
        call(Verdicts("network"))
    assert info.value.args[0].startswith("network: expected ")
    assert needle in str(info.value)


def test_failure_carries_the_hint():
    with pytest.raises(CheckFailure, match="hint: sign of dW"):
        Verdicts("n").within("acc", 0.1, 0.5, 0.9, hint="sign of dW?")


def test_no_verdict_is_a_failure():
    with pytest.raises(CheckFailure, match="no verdict was checked"):
        Verdicts("empty").done()
