"""Verdicts on results of training: bands, orderings and exact values, never raw numbers.

The outcome of training (a cost after thousands of steps, an accuracy, a sweep) differs in
its last digits from one CPU to another, so a checked cell never prints it. Instead it
states what must hold on any machine, and prints only that::

    verdict = Verdicts("4-unit network")
    verdict.within("test accuracy", test_accuracy, 0.78, 0.88,
                   hint="far below: is the backward pass right? far above: check the split.")
    verdict.beats("test accuracy over logistic regression", test_accuracy, baseline, by=0.2)
    verdict.done()

prints::

    4-unit network: test accuracy is in [0.78, 0.88]
    4-unit network: test accuracy over logistic regression is higher by more than 0.2
    4-unit network: all 2 verdicts hold

A verdict that does not hold raises ``CheckFailure`` with the measured value, the band and
the hint. The measured numbers belong in an unchecked cell (and in the figures), where the
learner still sees them.
"""

import math

from utils.checks.harness import CheckFailure


def _text(value):
    """A measured number for a failure message (4 significant digits)."""
    return f"{value:.4g}" if isinstance(value, float) else repr(value)


class Verdicts:
    """Collects the verdicts of one training result, printing a stable line for each."""

    def __init__(self, name):
        self.name = name
        self.held = 0

    def _hold(self, condition, claim, measured, hint):
        if not condition:
            lines = [f"{self.name}: expected {claim}", f"  measured: {measured}"]
            if hint:
                lines.append(f"  hint: {hint}")
            raise CheckFailure("\n".join(lines))
        self.held += 1
        print(f"{self.name}: {claim}")

    def within(self, what, value, low, high, hint=None):
        """``low <= value <= high`` (NaN never holds)."""
        value = float(value)
        ok = not math.isnan(value) and low <= value <= high
        self._hold(ok, f"{what} is in [{low:g}, {high:g}]", f"{what} = {_text(value)}", hint)

    def above(self, what, value, bound, hint=None):
        """``value > bound``."""
        value = float(value)
        self._hold(value > bound, f"{what} is above {bound:g}", f"{what} = {_text(value)}", hint)

    def below(self, what, value, bound, hint=None):
        """``value < bound``."""
        value = float(value)
        self._hold(value < bound, f"{what} is below {bound:g}", f"{what} = {_text(value)}", hint)

    def beats(self, what, value, other, by=0.0, hint=None):
        """``value > other + by``: one result is better than another by a margin."""
        value, other = float(value), float(other)
        claim = f"{what} is higher by more than {by:g}" if by else f"{what} is higher"
        measured = f"{_text(value)} against {_text(other)} (difference {_text(value - other)})"
        self._hold(value > other + by, claim, measured, hint)

    def exact(self, what, value, expected, hint=None):
        """``value == expected``: for results the maths makes exact (counts, 0.5 for zeros)."""
        self._hold(value == expected, f"{what} is exactly {expected!r}",
                   f"{what} = {value!r}", hint)

    def that(self, claim, condition, measured, hint=None):
        """Any other statement that must hold; ``measured`` describes what was seen."""
        self._hold(bool(condition), claim, measured, hint)

    def done(self):
        """Print the closing line; a result with no verdict at all is a mistake."""
        if self.held == 0:
            raise CheckFailure(f"{self.name}: no verdict was checked")
        if self.held == 1:
            print(f"{self.name}: the verdict holds")
        else:
            print(f"{self.name}: all {self.held} verdicts hold")
