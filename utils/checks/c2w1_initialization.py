"""Checks for Course 2, week 1: initialising a deep network (zeros, too large, He).

The checks never compare with particular random numbers, so any seed passes. They test
what an initialiser promises: the dictionary's keys, the shape of every ``W`` and ``b``,
biases that are exactly zero, and, for the random initialisers, the statistics of the
weights measured on layers large enough for the measurement to be reliable (tens of
thousands of draws): a mean near 0, a standard deviation close to the intended scale
(10, or He's ``sqrt(2 / n_prev)``), the tails of a normal distribution (about 4.6 % of
draws lie beyond two standard deviations; a uniform distribution has none there), rows
that differ from each other, layers that do not repeat the same draws, and the same
result on a second call (the generator is seeded inside the function).

When a standard deviation is off, the message names the scale it matches instead
(``sqrt(1 / n_prev)``, ``sqrt(2 / n_current)``, ``2 / n_prev``, ``2 / sqrt(n_prev)`` and so
on), but only a scale that matches every large layer: the layer sizes differ from layer to
layer, so two mistakes that agree on one layer disagree on another.

The second half of the module holds the verdicts on the notebook's training runs
(``trained_from_zeros``, ``trained_from_constant``, ``trained_from_large_weights``,
``trained_from_he``, ``weight_moves``, ``initialisations_compared``): bands, orderings and
the values the maths makes exact, with the measurements behind each band next to it.
"""

import numpy as np

from utils.checks.harness import Checker, rounded
from utils.checks.verdicts import Verdicts

ZEROS_DIMS = ([3, 5, 2, 1], [7, 1])
RANDOM_DIMS = [400, 300, 200, 1]
HE_DIMS = [400, 100, 800, 1]
RANDOM_SCALE = 10.0

SHAPE_HINT = (
    "W{l} has shape (layers_dims[l], layers_dims[l - 1]) and b{l} has shape "
    "(layers_dims[l], 1): a column, not a flat vector."
)


def _expected_keys(layers_dims):
    return [f"{p}{l}" for l in range(1, len(layers_dims)) for p in ("W", "b")]


def _structure(check, parameters, layers_dims):
    """Keys, shapes, float dtype and zero biases of one returned dictionary."""
    dims_text = str(list(layers_dims))
    check.keys(f"the parameters for layers_dims={dims_text}", parameters,
               _expected_keys(layers_dims),
               hint="one W and one b for each layer after the input: loop over l = 1, ..., L - 1 "
                    "with range(1, len(layers_dims)), and name them 'W' + str(l) and "
                    "'b' + str(l).")
    for l in range(1, len(layers_dims)):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        check.array(f"W{l} for layers_dims={dims_text}", W, (n, n_prev), hint=SHAPE_HINT)
        check.array(f"b{l} for layers_dims={dims_text}", b, (n, 1), hint=SHAPE_HINT)
        for name, value in ((f"W{l}", W), (f"b{l}", b)):
            check.that(f"dtype of {name}", value.dtype.kind == "f", str(value.dtype),
                       "a float dtype",
                       hint="create floating-point arrays (np.zeros gives float64 unless told "
                            "otherwise).")
        check.that(f"b{l} is all zeros", np.all(b == 0), rounded(b.ravel()[:4], 3), "zeros",
                   hint="biases start at zero, np.zeros((layers_dims[l], 1)): the random weights "
                        "already make the units different.")


def _scale_candidates(n, n_prev, n_input, n_back):
    """Scales a learner might have used by mistake, for naming the one that matches.

    ``n_input`` is layers_dims[0] and ``n_back`` is layers_dims[l - 2] as Python reads it
    (for l = 1 that wraps round to the last entry).
    """
    return {
        "10 (the 'too large' scale of initialize_parameters_random)": RANDOM_SCALE,
        "1 (np.random.randn without any scaling)": 1.0,
        "0.1 (divided by 10 instead of multiplied)": 0.1,
        "sqrt(10) (a variance of 10 instead of a spread of 10)": np.sqrt(10),
        "sqrt(2 / n_prev) (He)": np.sqrt(2 / n_prev),
        "10 * sqrt(2 / n_prev) (He's scale and the factor 10 together)":
            RANDOM_SCALE * np.sqrt(2 / n_prev),
        "sqrt(1 / n_prev) (1 instead of 2 in the numerator)": np.sqrt(1 / n_prev),
        "sqrt(2 / n_current) (the size of this layer instead of the previous one)":
            np.sqrt(2 / n),
        "sqrt(1 / n_current)": np.sqrt(1 / n),
        "sqrt(2 / layers_dims[0]) (the input size for every layer, not the previous layer's)":
            np.sqrt(2 / n_input),
        "sqrt(2 / layers_dims[l - 2]) (one layer too far back)": np.sqrt(2 / n_back),
        "2 / n_prev (the variance, not its square root)": 2 / n_prev,
        "2 / sqrt(n_prev) (the square root of the denominator only)": 2 / np.sqrt(n_prev),
        "sqrt(2) / n_prev (square root of the 2 only)": np.sqrt(2) / n_prev,
        "sqrt(2 / (n_prev + n_current)) (Glorot, not He)": np.sqrt(2 / (n_prev + n)),
        "100 (times 10 twice)": 100.0,
        "0.01 (the small scale of Course 1)": 0.01,
    }


def _scale_hint(parameters, layers_dims, base):
    """``base`` plus the name of the mistaken scale that the spreads of W1, W2, ... match.

    A name is given only when it matches every layer with at least 1,000 weights (whose
    spread is measured to within a few per cent): with a single layer, two different
    mistakes can give the same number (for [400, 100, ...], 2 / sqrt(400) = sqrt(1 / 100)).
    """
    candidates = None
    for l in range(1, len(layers_dims)):
        W = parameters[f"W{l}"]
        if np.size(W) < 1000:
            continue
        std = float(np.std(W))
        scales = _scale_candidates(layers_dims[l], layers_dims[l - 1], layers_dims[0],
                                   layers_dims[l - 2])
        matching = {name for name, value in scales.items() if abs(std / value - 1) < 0.07}
        candidates = matching if candidates is None else candidates & matching
    if candidates:
        order = list(_scale_candidates(1, 1, 1, 1))
        name = min(candidates, key=order.index)
        return f"{base} The spreads you got match a scale of {name}."
    return base


def _statistics(check, W, name, expected_std, tolerance, scale_hint):
    """Centre, spread, normal tails and distinct rows of one weight matrix."""
    mean, std = float(np.mean(W)), float(np.std(W))
    # five standard errors of the mean, and never tighter than 5 % of the spread; measured
    # against the spread actually drawn, so a wrong scale is left to the next check
    mean_tolerance = max(0.05, 5 / np.sqrt(W.size)) * std
    check.that(f"mean of {name}", abs(mean) < mean_tolerance, rounded(mean, 3),
               f"about 0 (within {rounded(mean_tolerance, 2)})",
               hint="draw from a normal distribution centred on 0: rng.standard_normal(...) (or "
                    "np.random.randn) times the scale. A uniform draw on [0, 1) (np.random.rand), "
                    "absolute values, or rng.normal with a mean other than 0 are off centre.")
    check.that(f"standard deviation of {name}", abs(std / expected_std - 1) < tolerance,
               rounded(std, 4), f"{rounded(expected_std, 4)} (within {round(100 * tolerance)} %)",
               hint=scale_hint)
    if W.size >= 1000:
        tails = float(np.mean(np.abs(W - mean) > 2 * std))
        check.that(f"share of {name} beyond two standard deviations", 0.03 < tails < 0.065,
                   rounded(tails, 3), "about 0.046, as for a normal distribution",
                   hint="draw from a standard normal distribution (rng.standard_normal or "
                        "np.random.randn), not a uniform one.")
    if W.shape[0] > 1:
        distinct = len(np.unique(W, axis=0))
        check.that(f"rows of {name} all different", distinct == W.shape[0],
                   f"{distinct} different rows", f"{W.shape[0]} different rows",
                   hint="draw every weight independently: units that start with equal weights stay "
                        "equal forever (the symmetry problem).")


def _distinct_layers(check, parameters, scales):
    """Layers must not repeat the same draws (a generator re-seeded inside the loop)."""
    standardised = [parameters[f"W{l}"].ravel() / s for l, s in enumerate(scales, start=1)]
    for l in range(1, len(standardised)):
        first, second = standardised[l - 1], standardised[l]
        k = min(first.size, second.size)
        check.that(f"W{l} and W{l + 1} are different draws",
                   not np.allclose(first[:k], second[:k]),
                   f"W{l + 1} starts with the same numbers as W{l}", "independent draws",
                   hint="create the seeded generator once, before the loop; re-seeding inside the "
                        "loop makes every layer start from the same numbers.")


def _reproducible(check, fn, layers_dims, first):
    again = check.call(fn, list(layers_dims))
    same = isinstance(again, dict) and all(
        k in again and np.array_equal(first[k], again[k]) for k in first
    )
    check.that("a second call returns the same weights", same, "different weights",
               "identical weights",
               hint="seed the generator inside the function, e.g. rng = np.random.default_rng(3) "
                    "before the loop, so every run starts from the same numbers.")


def _print_shapes(parameters, layers_dims):
    for l in range(1, len(layers_dims)):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        print(f"W{l}: {W.shape}, b{l}: {b.shape}")


# ----------------------------------------------------------------------------------------


def initialize_parameters_zeros(fn):
    """Check initialize_parameters_zeros on [3, 5, 2, 1] and on the one-layer [7, 1]."""
    check = Checker("initialize_parameters_zeros")
    results = [check.call(fn, list(dims)) for dims in ZEROS_DIMS]
    for parameters, dims in zip(results, ZEROS_DIMS, strict=True):
        _structure(check, parameters, dims)
        for l in range(1, len(dims)):
            W = parameters[f"W{l}"]
            check.that(f"W{l} is all zeros for layers_dims={list(dims)}", np.all(W == 0),
                       rounded(W.ravel()[:4], 3), "zeros",
                       hint="this initialiser sets every weight to 0: np.zeros.")
    _print_shapes(results[0], ZEROS_DIMS[0])
    print("every weight and bias is exactly 0")
    check.done()


def initialize_parameters_random(fn):
    """Check initialize_parameters_random on [400, 300, 200, 1]: weights have std 10."""
    check = Checker("initialize_parameters_random")
    dims = RANDOM_DIMS
    parameters = check.call(fn, list(dims))
    _structure(check, parameters, dims)
    hint = _scale_hint(parameters, dims, "multiply standard-normal draws by 10.")
    for l in range(1, len(dims)):
        W = parameters[f"W{l}"]
        tolerance = 0.07 if W.size >= 1000 else 0.25
        _statistics(check, W, f"W{l}", RANDOM_SCALE, tolerance, hint)
    _distinct_layers(check, parameters, [RANDOM_SCALE] * (len(dims) - 1))
    _reproducible(check, fn, dims, parameters)
    _print_shapes(parameters, dims)
    print("biases are 0; weights are normal, centred on 0, with a spread of about 10")
    check.done()


def initialize_parameters_he(fn):
    """Check initialize_parameters_he on [400, 100, 800, 1]: W{l} has std sqrt(2 / n_prev)."""
    check = Checker("initialize_parameters_he")
    dims = HE_DIMS
    parameters = check.call(fn, list(dims))
    _structure(check, parameters, dims)
    hint = _scale_hint(parameters, dims,
                       "He scales standard-normal draws by sqrt(2 / layers_dims[l - 1]).")
    scales = []
    for l in range(1, len(dims)):
        W = parameters[f"W{l}"]
        expected = float(np.sqrt(2 / dims[l - 1]))
        scales.append(expected)
        tolerance = 0.07 if W.size >= 1000 else 0.15
        _statistics(check, W, f"W{l}", expected, tolerance, hint)
    _distinct_layers(check, parameters, scales)
    _reproducible(check, fn, dims, parameters)
    _print_shapes(parameters, dims)
    expected_text = ", ".join(
        f"W{l}: {rounded(np.sqrt(2 / dims[l - 1]), 3)}" for l in range(1, len(dims))
    )
    print(f"biases are 0; weight spreads match sqrt(2 / n_prev) ({expected_text})")
    check.done()


# ----------------------------------------------------------------------------------------
# Verdicts on the training runs of the notebook (never their raw numbers, which differ in
# the last digits from one CPU to another).
#
# Bands measured with the notebook's network, data, learning rate (0.05) and 3,000
# iterations: each run natively (AVX-512), under the test profile (AVX2 numpy and OpenBLAS)
# and under the second profile (SSE4.2 numpy, OpenBLAS Nehalem). The random initialisers
# draw from default_rng(3) in the notebook; the bands also hold for four other seeds of that
# generator (0, 1, 2, 4), so 15 runs for "random x 10" and 15 for He. The zero and constant
# starts draw nothing: 3 runs each (the constant one also with 0.3 and 0.7 instead of 0.5).

ZEROS_COST_TOLERANCE = 1e-12
# every recorded cost of the zero start: exactly np.log(2) in all 3 runs. The output is
# exactly sigmoid(0) = 0.5, but the mean over 300 examples is a floating-point sum, so the
# verdict allows 1e-12 rather than promising the last bit.

SYMMETRY_TOLERANCE = 1e-9
# largest difference between two rows of W1 or of W2 after training from a constant start:
# 0.0 natively and under the test profile, 5.6e-17 (W1) under the second profile, up to
# 2.2e-16 with the constants 0.3 and 0.7. The maths makes the rows equal, but a BLAS kernel
# may sum different rows in different orders, so equality holds to rounding, not to the
# last bit. Any random start has rows that differ by far more (0.1 and up).
CONSTANT_MIN_MOVE = 0.01
# largest change of W1 from the constant start: 0.042 (0.5, all 3 runs); 0.149 (0.3) and
# 0.160 (0.7). A zero start, or a learning rate of 0, moves nothing.
CONSTANT_MAX_TEST = 0.70
# test accuracy from the constant start: 0.623 (all 3 runs; 0.623-0.627 with 0.3, 0.7):
# a straight boundary. He's start reaches 0.950-0.957.

LARGE_MIN_FIRST_COST = 50.0
# cost at iteration 0 with weights x 10 (no training yet): 988.79 for the notebook's draw
# on every profile, 100.9-4226.6 for the other seeds. He's start: 0.69-1.48.
LARGE_MAX_COST_RATIO = 0.01
# cost at iteration 100 over cost at iteration 0: 0.0007-0.0046 (notebook's draw 0.0007).
# A run that does not learn (learning rate 0) keeps a ratio of 1.
LARGE_MAX_FINAL_COST = 0.9
# final cost with weights x 10: 0.120-0.698 (notebook's draw: 0.436 on all 3 profiles;
# seed 4 varies most between profiles, 0.38-0.70: the large start makes training erratic).
# Not learning at all leaves it at the first cost (988.79).
LARGE_MIN_TEST = 0.65
# test accuracy with weights x 10: 0.733-0.953 (notebook's draw 0.767; other draws can be
# lucky). The zero start gives 0.5.

HE_FIRST_COST = (0.6, 2.0)
# cost at iteration 0 from He's start (no training): 0.694-1.476 (notebook's draw 0.79).
# Weights x 10 start at 100 and above.
HE_FINAL_COST = (0.07, 0.13)
# final cost from He's start: 0.0886-0.0997 (15 runs). The notebook's weights x 10 end at
# 0.436, zeros at 0.693.
HE_TRAIN = (0.93, 0.99)
# training accuracy from He's start: 0.960-0.970.
HE_TEST = (0.92, 0.98)
# test accuracy from He's start: 0.950-0.957. Zeros: 0.5; the notebook's weights x 10: 0.767.
HE_OVER_ZEROS = 0.3
# He's test accuracy minus the zero start's (exactly 0.5): 0.450-0.457.
# He's final cost is also lower than that of weights x 10 drawn with the same seed, in all
# 15 pairs (by 0.024 at least, by 0.34 for the notebook's draw).

LARGE_MAX_HIDDEN_MOVE = 0.35
# ||W_end - W_start|| / ||W_start|| of the hidden layers with weights x 10: W1 0.122-0.294,
# W2 0.060-0.189.
HE_MIN_MOVE = {"W1": 0.25, "W2": 0.7}
# the same for He's start: W1 0.332-1.030, W2 0.889-1.225 (W3 1.47-3.95). So a mix-up of
# the two runs (or He's scale replaced by 10) fails both verdicts.


def _zero_start_hint():
    return ("the zero start cannot learn: if something moved, the starting parameters were "
            "not all zeros (check initialize_parameters_zeros), or the training loop was "
            "given other parameters.")


def trained_from_zeros(start, trained, costs):
    """Verdicts on the run from the zero start: nothing moves, the cost stays at ln 2."""
    verdict = Verdicts("zero start")
    costs = np.asarray(costs, dtype=float)
    deviation = float(np.max(np.abs(costs - np.log(2))))
    verdict.that(f"all {costs.size} recorded costs equal ln 2 (to within 1e-12)",
                 deviation <= ZEROS_COST_TOLERANCE,
                 f"largest distance from ln 2: {deviation:.3g}", _zero_start_hint())
    largest = float(np.max(np.abs(trained["W1"])))
    verdict.that("every entry of W1 is still exactly 0", largest == 0.0,
                 f"largest |entry| of W1: {largest:.3g}", _zero_start_hint())
    change = max(float(np.max(np.abs(trained[k] - start[k]))) for k in start)
    verdict.exact("largest change of any parameter", change, 0.0, _zero_start_hint())
    verdict.done()


def trained_from_constant(start, trained, train_accuracy, test_accuracy):
    """Verdicts on the run from a constant start: the rows stay equal, the boundary straight."""
    verdict = Verdicts("constant start")
    for l in (1, 2):
        W = trained[f"W{l}"]
        spread = float(np.max(np.ptp(W, axis=0)))
        verdict.that(
            f"the rows of W{l} are still equal (to within {SYMMETRY_TOLERANCE:g})",
            spread <= SYMMETRY_TOLERANCE, f"two rows of W{l} differ by {spread:.3g}",
            "units that start equal get equal gradients: every W of the starting point must "
            "hold one value (np.full), with equal biases.",
        )
    moved = float(np.max(np.abs(trained["W1"] - start["W1"])))
    verdict.above("largest change of W1", moved, CONSTANT_MIN_MOVE,
                  "the weights should move a little: was the network trained from this start?")
    verdict.above("training accuracy", train_accuracy, 0.5,
                  "one unit per layer still learns a straight boundary, a little better than "
                  "a constant answer.")
    verdict.below("test accuracy", test_accuracy, CONSTANT_MAX_TEST,
                  "a network whose units are all equal draws a straight boundary and cannot "
                  "separate the rings: were these the accuracies of another run?")
    verdict.done()


def trained_from_large_weights(costs):
    """Verdicts on the cost curve of the run from weights x 10 (recorded every 10 steps)."""
    verdict = Verdicts("weights x 10")
    costs = [float(c) for c in costs]
    verdict.above("cost at iteration 0", costs[0], LARGE_MIN_FIRST_COST,
                  "weights times 10 saturate the output: the first cost should be huge. Check "
                  "the factor 10 in initialize_parameters_random.")
    ratio = costs[10] / costs[0]
    verdict.that("the cost at iteration 100 is below 1% of the cost at iteration 0",
                 ratio < LARGE_MAX_COST_RATIO, f"ratio {ratio:.3g}",
                 "gradient descent should first undo the output layer's confident mistakes; "
                 "is the network being trained?")
    verdict.below("final cost", costs[-1], LARGE_MAX_FINAL_COST,
                  "the cost should end far below where it started.")
    verdict.done()


def trained_from_he(costs):
    """Verdicts on the cost curve of the run from He's start."""
    verdict = Verdicts("He start")
    verdict.within("cost at iteration 0", costs[0], *HE_FIRST_COST,
                   hint="He's start gives moderate outputs, so the first cost is near ln 2 = "
                        "0.69; a huge one means the weights are far too large.")
    verdict.within("final cost", costs[-1], *HE_FINAL_COST,
                   hint="from He's start this network fits the rings well in 3,000 steps; a "
                        "much higher cost means the start was not He's (check the scale "
                        "sqrt(2 / layers_dims[l - 1])).")
    verdict.done()


def weight_moves(moves_large, moves_he):
    """Verdicts on ||W_end - W_start|| / ||W_start|| per layer ({"W1": ..., "W2": ...})."""
    verdict = Verdicts("weight changes")
    for key in ("W1", "W2"):
        verdict.below(f"relative change of {key} with weights x 10", moves_large[key],
                      LARGE_MAX_HIDDEN_MOVE,
                      "steps of a size that suits the output layer are tiny next to weights of "
                      "size 10: are the two runs mixed up?")
    for key in ("W1", "W2"):
        verdict.above(f"relative change of {key} from He's start", moves_he[key],
                      HE_MIN_MOVE[key],
                      "from He's start the hidden layers learn: are the two runs mixed up, or "
                      "is He's scale too large?")
    verdict.done()


def initialisations_compared(results):
    """Verdicts on the summary table: ``results`` maps "zeros", "random x 10" and "He" to
    ``(train_accuracy, test_accuracy, final_cost)``."""
    verdict = Verdicts("summary")
    zeros_train, zeros_test, _ = results["zeros"]
    large_train, large_test, large_cost = results["random x 10"]
    he_train, he_test, he_cost = results["He"]
    hint_zeros = ("the zero start outputs exactly 0.5 for every example, so it predicts one "
                  "class for all of them, and the rings are balanced.")
    verdict.exact("training accuracy from zeros", zeros_train, 0.5, hint_zeros)
    verdict.exact("test accuracy from zeros", zeros_test, 0.5, hint_zeros)
    verdict.above("test accuracy with weights x 10", large_test, LARGE_MIN_TEST,
                  "large random weights still learn something, unlike zeros.")
    hint_he = "He's start fits the rings well; check initialize_parameters_he."
    verdict.within("training accuracy from He's start", he_train, *HE_TRAIN, hint=hint_he)
    verdict.within("test accuracy from He's start", he_test, *HE_TEST, hint=hint_he)
    verdict.beats("test accuracy of He over zeros", he_test, zeros_test, by=HE_OVER_ZEROS,
                  hint=hint_he)
    verdict.that("He's final cost is lower than that of weights x 10", he_cost < large_cost,
                 f"He {he_cost:.4g}, weights x 10 {large_cost:.4g}", hint_he)
    verdict.done()
