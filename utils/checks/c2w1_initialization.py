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
(``sqrt(1 / n_prev)``, ``sqrt(2 / n_current)``, ``2 / n_prev`` and so on).
"""

import numpy as np

from utils.checks.harness import Checker, rounded

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
    check.keys(
        parameters, _expected_keys(layers_dims), f"the parameters for layers_dims={dims_text}",
        "one W and one b for each layer after the input: loop over l = 1, ..., L - 1 with "
        "range(1, len(layers_dims)), and name them 'W' + str(l) and 'b' + str(l).",
    )
    for l in range(1, len(layers_dims)):
        n, n_prev = layers_dims[l], layers_dims[l - 1]
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        check.array(W, (n, n_prev), f"W{l} for layers_dims={dims_text}", SHAPE_HINT)
        check.array(b, (n, 1), f"b{l} for layers_dims={dims_text}", SHAPE_HINT)
        for name, value in ((f"W{l}", W), (f"b{l}", b)):
            check.that(
                value.dtype.kind == "f", f"dtype of {name}", "a float dtype", str(value.dtype),
                "create floating-point arrays (np.zeros gives float64 unless told otherwise).",
            )
        check.that(
            np.all(b == 0), f"b{l} is all zeros", "zeros", rounded(b.ravel()[:4], 3),
            "biases start at zero, np.zeros((layers_dims[l], 1)): the random weights "
            "already make the units different.",
        )


def _scale_candidates(n, n_prev):
    """Scales a learner might have used by mistake, for naming the one that matches."""
    return {
        "10 (the 'too large' scale of initialize_parameters_random)": RANDOM_SCALE,
        "1 (np.random.randn without any scaling)": 1.0,
        "sqrt(2 / n_prev) (He)": np.sqrt(2 / n_prev),
        "sqrt(1 / n_prev) (1 instead of 2 in the numerator)": np.sqrt(1 / n_prev),
        "sqrt(2 / n_current) (the size of this layer instead of the previous one)":
            np.sqrt(2 / n),
        "sqrt(1 / n_current)": np.sqrt(1 / n),
        "2 / n_prev (the variance, not its square root)": 2 / n_prev,
        "sqrt(2) / n_prev (square root of the 2 only)": np.sqrt(2) / n_prev,
        "sqrt(2 / (n_prev + n_current)) (Glorot, not He)": np.sqrt(2 / (n_prev + n)),
        "100 (times 10 twice)": 100.0,
        "0.01 (the small scale of Course 1)": 0.01,
    }


def _scale_hint(std, n, n_prev, base):
    """``base`` plus the name of the mistaken scale that ``std`` matches, if any."""
    for name, value in _scale_candidates(n, n_prev).items():
        if abs(std / value - 1) < 0.07:
            return f"{base} The spread you got matches a scale of {name}."
    return base


def _statistics(check, W, name, expected_std, n, n_prev, tolerance, scale_hint):
    """Centre, spread, normal tails and distinct rows of one weight matrix."""
    mean, std = float(np.mean(W)), float(np.std(W))
    # five standard errors of the mean, and never tighter than 5 % of the spread; measured
    # against the spread actually drawn, so a wrong scale is left to the next check
    mean_tolerance = max(0.05, 5 / np.sqrt(W.size)) * std
    check.that(
        abs(mean) < mean_tolerance, f"mean of {name}",
        f"about 0 (within {rounded(mean_tolerance, 2)})", rounded(mean, 3),
        "draw from a normal distribution centred on 0, rng.standard_normal(...) (or "
        "np.random.randn), not a uniform one on [0, 1) such as np.random.rand.",
    )
    check.that(
        abs(std / expected_std - 1) < tolerance, f"standard deviation of {name}",
        f"{rounded(expected_std, 4)} (within {round(100 * tolerance)} %)", rounded(std, 4),
        _scale_hint(std, n, n_prev, scale_hint),
    )
    if W.size >= 1000:
        tails = float(np.mean(np.abs(W - mean) > 2 * std))
        check.that(
            0.03 < tails < 0.065, f"share of {name} beyond two standard deviations",
            "about 0.046, as for a normal distribution", rounded(tails, 3),
            "draw from a standard normal distribution (rng.standard_normal or "
            "np.random.randn), not a uniform one.",
        )
    if W.shape[0] > 1:
        distinct = len(np.unique(W, axis=0))
        check.that(
            distinct == W.shape[0], f"rows of {name} all different",
            f"{W.shape[0]} different rows", f"{distinct} different rows",
            "draw every weight independently: units that start with equal weights stay "
            "equal forever (the symmetry problem).",
        )


def _distinct_layers(check, parameters, scales):
    """Layers must not repeat the same draws (a generator re-seeded inside the loop)."""
    standardised = [parameters[f"W{l}"].ravel() / s for l, s in enumerate(scales, start=1)]
    for l in range(1, len(standardised)):
        first, second = standardised[l - 1], standardised[l]
        k = min(first.size, second.size)
        check.that(
            not np.allclose(first[:k], second[:k]), f"W{l} and W{l + 1} are different draws",
            "independent draws", f"W{l + 1} starts with the same numbers as W{l}",
            "create the seeded generator once, before the loop; re-seeding inside the loop "
            "makes every layer start from the same numbers.",
        )


def _reproducible(check, fn, layers_dims, first):
    again = check.call(fn, list(layers_dims))
    same = isinstance(again, dict) and all(
        k in again and np.array_equal(first[k], again[k]) for k in first
    )
    check.that(
        same, "a second call returns the same weights", "identical weights",
        "different weights",
        "seed the generator inside the function, e.g. rng = np.random.default_rng(3) "
        "before the loop, so every run starts from the same numbers.",
    )


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
            check.that(
                np.all(W == 0), f"W{l} is all zeros for layers_dims={list(dims)}", "zeros",
                rounded(W.ravel()[:4], 3), "this initialiser sets every weight to 0: np.zeros.",
            )
    _print_shapes(results[0], ZEROS_DIMS[0])
    print("every weight and bias is exactly 0")
    check.done()


def initialize_parameters_random(fn):
    """Check initialize_parameters_random on [400, 300, 200, 1]: weights have std 10."""
    check = Checker("initialize_parameters_random")
    dims = RANDOM_DIMS
    parameters = check.call(fn, list(dims))
    _structure(check, parameters, dims)
    hint = "multiply standard-normal draws by 10."
    for l in range(1, len(dims)):
        W = parameters[f"W{l}"]
        tolerance = 0.07 if W.size >= 1000 else 0.25
        _statistics(check, W, f"W{l}", RANDOM_SCALE, dims[l], dims[l - 1], tolerance, hint)
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
    hint = "He scales standard-normal draws by sqrt(2 / layers_dims[l - 1])."
    scales = []
    for l in range(1, len(dims)):
        W = parameters[f"W{l}"]
        expected = float(np.sqrt(2 / dims[l - 1]))
        scales.append(expected)
        tolerance = 0.07 if W.size >= 1000 else 0.15
        _statistics(check, W, f"W{l}", expected, dims[l], dims[l - 1], tolerance, hint)
    _distinct_layers(check, parameters, scales)
    _reproducible(check, fn, dims, parameters)
    _print_shapes(parameters, dims)
    expected_text = ", ".join(
        f"W{l}: {rounded(np.sqrt(2 / dims[l - 1]), 3)}" for l in range(1, len(dims))
    )
    print(f"biases are 0; weight spreads match sqrt(2 / n_prev) ({expected_text})")
    check.done()
