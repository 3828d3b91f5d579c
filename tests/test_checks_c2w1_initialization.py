"""The week-1 initialisation checks pass correct initialisers and catch typical mistakes."""

import numpy as np
import pytest

from tests.check_contract import mistake_is_caught, reference_passes
from utils.checks import c2w1_initialization as check
from utils.checks.harness import CheckFailure

# ----------------------------------------------------------------------------------------
# a correct reference, parameterised by the weight scale and a few switches that introduce
# the usual mistakes


def make_initializer(scale, seed=7, w_shape=None, b_shape=None, draw="normal",
                     reseed_each_layer=False, bias_scale=0.0, seeded=True, back=False,
                     empty_bias=False):
    """An initialiser drawing W{l} = draw * scale(n, n_prev) and b{l} = 0 (by default).

    ``back=True`` reads n_prev from layers_dims[l - 2] (for l = 1 Python wraps round to the
    last entry); ``empty_bias=True`` makes the biases with np.empty (not zeros).
    """
    w_shape = w_shape or (lambda n, n_prev: (n, n_prev))
    b_shape = b_shape or (lambda n: (n, 1))

    def initialize(layers_dims):
        rng = np.random.default_rng(seed if seeded else None)
        parameters = {}
        for l in range(1, len(layers_dims)):
            if reseed_each_layer:
                rng = np.random.default_rng(seed)
            n, n_prev = layers_dims[l], layers_dims[l - 1]
            shape = w_shape(n, n_prev)
            if back:
                n_prev = layers_dims[l - 2]
            if draw == "normal":
                values = rng.standard_normal(shape)
            elif draw == "loc_10":  # rng.normal(10, 1, ...): mean and spread swapped
                values = rng.normal(10, 1, shape) / 10
            elif draw == "abs":
                values = np.abs(rng.standard_normal(shape))
            elif draw == "rand":  # uniform on [0, 1)
                values = rng.random(shape)
            else:  # uniform, centred, with unit variance: right mean and spread, wrong shape
                values = (rng.random(shape) - 0.5) * np.sqrt(12)
            parameters[f"W{l}"] = values * scale(n, n_prev)
            parameters[f"b{l}"] = rng.standard_normal(b_shape(n)) * bias_scale
            if empty_bias:
                parameters[f"b{l}"] = np.empty(b_shape(n))
                parameters[f"b{l}"].fill(np.pi)  # np.empty holds whatever was in memory
        return parameters

    return initialize


def zeros_reference(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def ten(n, n_prev):
    return 10.0


def he(n, n_prev):
    return np.sqrt(2 / n_prev)


REFERENCE = {
    "initialize_parameters_zeros": zeros_reference,
    "initialize_parameters_random": make_initializer(ten),
    "initialize_parameters_he": make_initializer(he),
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


@pytest.mark.parametrize("seed", range(8))
def test_random_checks_do_not_depend_on_the_seed(seed, capsys):
    check.initialize_parameters_random(make_initializer(ten, seed=seed))
    check.initialize_parameters_he(make_initializer(he, seed=seed))
    assert capsys.readouterr().out.count("passed") == 2


def test_np_random_seed_style_passes(capsys):
    def he_legacy(layers_dims):
        np.random.seed(3)
        parameters = {}
        for l in range(1, len(layers_dims)):
            parameters[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(
                2 / layers_dims[l - 1])
            parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
        return parameters

    check.initialize_parameters_he(he_legacy)
    assert "passed" in capsys.readouterr().out


def test_blank_exercise_raises_not_implemented():
    def blank(layers_dims):
        raise NotImplementedError("fill me in")

    for name in REFERENCE:
        with pytest.raises(NotImplementedError):
            getattr(check, name)(blank)


# ----------------------------------------------------------------------------------------
# typical mistakes, each with words the message must contain


def _zeros_with(w_shape=lambda n, n_prev: (n, n_prev), b_shape=lambda n: (n, 1), fill=0.0,
                dtype=float, stop=0):
    def initialize(layers_dims):
        parameters = {}
        for l in range(1, len(layers_dims) - stop):
            n, n_prev = layers_dims[l], layers_dims[l - 1]
            parameters[f"W{l}"] = np.full(w_shape(n, n_prev), fill, dtype=dtype)
            parameters[f"b{l}"] = np.zeros(b_shape(n))
        return parameters

    return initialize


ZEROS_MISTAKES = {
    "flat bias": (_zeros_with(b_shape=lambda n: (n,)), "shape of b1"),
    "swapped W shape": (_zeros_with(w_shape=lambda n, n_prev: (n_prev, n)), "shape of W1"),
    "layers_dims[l] for both dims": (_zeros_with(w_shape=lambda n, n_prev: (n, n)),
                                     "shape of W1"),
    "last layer missing": (_zeros_with(stop=1), "keys"),
    "integer zeros": (_zeros_with(dtype=int), "dtype"),
    "ones instead of zeros": (_zeros_with(fill=1.0), "all zeros"),
}

RANDOM_MISTAKES = {
    "forgot the factor 10": (make_initializer(lambda n, n_prev: 1.0), "randn without any"),
    "np.random.rand (uniform on [0, 1))": (make_initializer(ten, draw="rand"), "mean"),
    "centred uniform": (make_initializer(ten, draw="uniform"), "two standard deviations"),
    "He scale": (make_initializer(he), "(He)"),
    "random biases": (make_initializer(ten, bias_scale=1.0), "b1 is all zeros"),
    "flat bias": (make_initializer(ten, b_shape=lambda n: (n,)), "shape of b1"),
    "re-seeded in the loop": (make_initializer(ten, reseed_each_layer=True), "different draws"),
    "not seeded": (make_initializer(ten, seeded=False), "second call"),
    "divided by 10": (make_initializer(lambda n, n_prev: 0.1), "divided by 10"),
    "sqrt(10)": (make_initializer(lambda n, n_prev: np.sqrt(10)), "a variance of 10"),
    "rng.normal(10, 1)": (make_initializer(ten, draw="loc_10"), "mean other than 0"),
    "absolute values": (make_initializer(ten, draw="abs"), "absolute values"),
    "np.empty biases": (make_initializer(ten, empty_bias=True), "b1 is all zeros"),
}

HE_MISTAKES = {
    "sqrt(1 / n_prev)": (make_initializer(lambda n, n_prev: np.sqrt(1 / n_prev)),
                         "sqrt(1 / n_prev)"),
    "sqrt(2 / n_current)": (make_initializer(lambda n, n_prev: np.sqrt(2 / n)),
                            "sqrt(2 / n_current)"),
    "variance instead of std": (make_initializer(lambda n, n_prev: 2 / n_prev),
                                "not its square root"),
    "Glorot": (make_initializer(lambda n, n_prev: np.sqrt(2 / (n + n_prev))), "Glorot"),
    "times 10": (make_initializer(ten), "too large"),
    "layers_dims[l] for both dims": (make_initializer(he, w_shape=lambda n, n_prev: (n, n)),
                                     "shape of W1"),
    "flat bias": (make_initializer(he, b_shape=lambda n: (n,)), "shape of b1"),
    "centred uniform": (make_initializer(he, draw="uniform"), "two standard deviations"),
    "re-seeded in the loop": (make_initializer(he, reseed_each_layer=True), "different draws"),
    # 2 / sqrt(400) = sqrt(1 / 100) on W1: only W2 tells the two apart
    "2 / sqrt(n_prev)": (make_initializer(lambda n, n_prev: 2 / np.sqrt(n_prev)),
                         "2 / sqrt(n_prev)"),
    "input size for every layer": (make_initializer(lambda n, n_prev: np.sqrt(2 / 400)),
                                   "sqrt(2 / layers_dims[0])"),
    "layers_dims[l - 2]": (make_initializer(he, back=True), "one layer too far back"),
    "He times 10": (make_initializer(lambda n, n_prev: 10 * np.sqrt(2 / n_prev)),
                    "factor 10 together"),
    "uniform on [0, 1)": (make_initializer(he, draw="rand"), "np.random.rand"),
}


@pytest.mark.parametrize(
    ("name", "mistake"),
    [("initialize_parameters_zeros", m) for m in ZEROS_MISTAKES]
    + [("initialize_parameters_random", m) for m in RANDOM_MISTAKES]
    + [("initialize_parameters_he", m) for m in HE_MISTAKES],
)
def test_mistake_is_caught(name, mistake):
    table = {"initialize_parameters_zeros": ZEROS_MISTAKES,
             "initialize_parameters_random": RANDOM_MISTAKES,
             "initialize_parameters_he": HE_MISTAKES}[name]
    wrong, words = table[mistake]
    message = mistake_is_caught(check, name, wrong, words)
    assert "hint:" in message


# ----------------------------------------------------------------------------------------
# verdicts on the training runs: measured results hold, results of broken runs fail


def _dims_params(value):
    dims = [2, 10, 5, 1]
    return {key: np.full(shape, value) for key, shape in
            [(f"W{l}", (dims[l], dims[l - 1])) for l in (1, 2, 3)]
            + [(f"b{l}", (dims[l], 1)) for l in (1, 2, 3)]}


def test_zero_start_verdicts(capsys):
    start = _dims_params(0.0)
    check.trained_from_zeros(start, _dims_params(0.0), [float(np.log(2))] * 300)
    assert "all 3 verdicts hold" in capsys.readouterr().out


def test_zero_start_that_moved_is_caught():
    start = _dims_params(0.0)
    moved = {**start, "W1": start["W1"] + 0.01}
    with pytest.raises(CheckFailure, match="not all zeros"):
        check.trained_from_zeros(start, moved, [float(np.log(2))] * 300)


def test_constant_start_verdicts(capsys):
    start = _dims_params(0.5)
    trained = {**start, "W1": start["W1"] - np.array([0.042, 0.017]),
               "W2": start["W2"] + 1e-16 * np.eye(5, 10)}
    check.trained_from_constant(start, trained, 0.6267, 0.6233)
    assert "all 5 verdicts hold" in capsys.readouterr().out


def test_constant_start_with_random_rows_is_caught():
    start = _dims_params(0.5)
    trained = {**start, "W1": start["W1"] + np.random.default_rng(0).normal(0, 0.1, (10, 2))}
    with pytest.raises(CheckFailure, match="rows of W1"):
        check.trained_from_constant(start, trained, 0.6267, 0.6233)


def test_large_weights_verdicts_and_a_run_that_does_not_learn(capsys):
    costs = [988.79] + [5.0] * 9 + [0.7234] + [0.5] * 288 + [0.4364]
    check.trained_from_large_weights(costs)
    assert "all 3 verdicts hold" in capsys.readouterr().out
    with pytest.raises(CheckFailure, match="being trained"):
        check.trained_from_large_weights([988.79] * 300)   # learning rate 0


def test_he_verdicts_and_the_large_run_in_its_place(capsys):
    check.trained_from_he([0.7925] + [0.3] * 298 + [0.0968])
    assert "all 2 verdicts hold" in capsys.readouterr().out
    with pytest.raises(CheckFailure, match="far too large"):
        check.trained_from_he([988.79] + [0.5] * 298 + [0.4364])
    with pytest.raises(CheckFailure, match="not He's"):
        check.trained_from_he([0.7925] + [0.5] * 298 + [0.4364])


def test_weight_move_verdicts_and_swapped_runs(capsys):
    large = {"W1": 0.12, "W2": 0.13, "W3": 0.37}
    he_moves = {"W1": 0.33, "W2": 1.02, "W3": 2.73}
    check.weight_moves(large, he_moves)
    assert "all 4 verdicts hold" in capsys.readouterr().out
    with pytest.raises(CheckFailure, match="mixed up"):
        check.weight_moves(he_moves, large)


def test_summary_verdicts(capsys):
    results = {"zeros": (0.5, 0.5, 0.693), "random x 10": (0.783, 0.767, 0.436),
               "He": (0.967, 0.95, 0.097)}
    check.initialisations_compared(results)
    assert "all 7 verdicts hold" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "result", "word"), [
    ("zeros", (0.5033, 0.5, 0.693), "one class"),          # not exactly 0.5
    ("He", (0.783, 0.767, 0.436), "initialize_parameters_he"),   # weights x 10 instead of He
    ("He", (0.5, 0.5, 0.693), "initialize_parameters_he"),      # zeros instead of He
])
def test_summary_catches_broken_runs(name, result, word):
    results = {"zeros": (0.5, 0.5, 0.693), "random x 10": (0.783, 0.767, 0.436),
               "He": (0.967, 0.95, 0.097), name: result}
    with pytest.raises(CheckFailure, match=word):
        check.initialisations_compared(results)
