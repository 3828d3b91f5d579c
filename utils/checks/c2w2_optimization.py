"""Checks for Course 2, week 2: optimisation algorithms.

Oracles: updates worked out by hand on tiny parameter dictionaries; for several steps in a
row, the closed forms of the exponentially weighted averages,

    v_t = (1 - beta) * sum_k beta^(t - k) g_k,

evaluated element by element with Python floats and ``math.sqrt`` (a different route from
the recursive updates the notebook asks for); mathematical properties of a shuffle-and-cut
(every example once, pairs kept, sizes); and the learning-rate formulas evaluated by hand.

Design rule of this notebook: every update function returns *new* dictionaries and leaves
the dictionaries it was given (and their arrays) unchanged, like ``utils.models.dnn``.

``optimizer_race`` is not a check of one function but the verdict on the race of section 6
(bands and orderings of training results, measured as described at RACE_BANDS).
"""

import copy
import math

import numpy as np

from utils.checks.harness import Checker, rounded
from utils.checks.verdicts import Verdicts

# ----------------------------------------------------------------------------------------
# Bands for the race of section 6 (``optimizer_race``): (low, high) per run and quantity.
# Measured with the notebook's training code (1,500 epochs, mini-batches of 64, data fixed),
# training seeds 1-5 (the seed drives the initialisation and the shuffles; the notebook
# uses 1), natively (AVX-512), under the test profile (AVX2 numpy/OpenBLAS) and under the
# second profile (SSE4.2 numpy, Nehalem OpenBLAS): 15 runs of each optimiser. The profiles
# agreed to 4 decimals, so the bands are set by the spread over seeds, with a margin.
# Seeds 2 and 5 drove Adam + decay (seed 2) and Adam (seed 5) into NaN: one output saturated
# to exactly 0 or 1 and utils.models.dnn's cost and dAL, computed from the probability, became
# log(0) and 0/0. The notebook's seed stays far from that (largest |logit| 18 of the 37 it
# takes), so those runs are left out of the Adam bands.
RACE_BANDS = {
    # measured: train 0.660-0.870, test 0.677-0.900, cost@150 0.548-0.783,
    # final 0.372-0.585 (seed 5 is the slow one).
    # Broken, seed 1: gradient sign flipped -> accuracy 0.5 and final cost NaN; learning
    # rate ignored (fixed 0.01) -> cost@150 0.383, final cost 0.232.
    "mini-batch GD": {"train accuracy": (0.60, 0.92), "test accuracy": (0.60, 0.95),
                      "cost at 150": (0.50, 0.85), "final cost": (0.33, 0.65)},
    # measured (seeds 1-4): train 0.940-0.947, test 0.947-0.950, cost@150 0.291-0.319,
    # final 0.115-0.123. Broken, seed 1: no bias correction -> cost@150 0.193; no square
    # root -> NaN.
    "Adam": {"train accuracy": (0.90, 0.98), "test accuracy": (0.90, 0.98),
             "cost at 150": (0.25, 0.36), "final cost": (0.09, 0.15)},
    # measured: train 0.943-0.953, test 0.947-0.953, cost@150 0.140-0.163, final
    # 0.111-0.127. Broken, seed 1: schedule_lr_decay without the floor (decays every
    # epoch) -> cost@150 0.378, final 0.364; learning rate ignored -> cost@150 0.383.
    "GD + decay": {"train accuracy": (0.90, 0.98), "test accuracy": (0.90, 0.98),
                   "cost at 150": (0.11, 0.20), "final cost": (0.09, 0.15)},
    # measured (seeds 1, 3, 4): train 0.947-0.957, test 0.943-0.957, cost@150 0.121-0.137,
    # final 0.108-0.115. Broken, seed 1: schedule without the floor -> cost@150 0.361,
    # final 0.343.
    "Adam + decay": {"train accuracy": (0.90, 0.98), "test accuracy": (0.90, 0.98),
                     "cost at 150": (0.10, 0.17), "final cost": (0.08, 0.14)},
}
# Momentum at lr 0.001 against mini-batch GD: largest differences measured (15 runs)
# 0.0003 in the final cost, 0.0010 in the cost after 150 epochs, 0 in both accuracies.
# Broken, seed 1: momentum without the (1 - beta) factor -> final cost 0.233 against 0.383,
# train accuracy 0.923 against 0.837.
MOMENTUM_SAME_AS_GD = {"final cost": 0.005, "cost at 150": 0.01, "train accuracy": 0.01,
                       "test accuracy": 0.01}
# Adam over mini-batch GD at the same learning rate, measured (seeds 1-4): final cost lower
# by 0.249-0.320, train accuracy higher by 0.070-0.110.
ADAM_OVER_GD = {"final cost": 0.15, "train accuracy": 0.04}

# ----------------------------------------------------------------------------------------
# helpers


def _new_dictionaries_hint(names):
    return ("build new dictionaries and return them: new[key] = old[key] - ..., never assign "
            f"into {names} or use -=, += or *= on their arrays.")


def _check_tuple(check, result, count, names):
    check.type_is("the result", result, tuple, hint=f"return {count} values: {', '.join(names)}.")
    check.that("number of returned values", len(result) == count, len(result), count,
               hint=f"return {', '.join(names)}.")


def _dict_close(check, got, expected, name, context, hint, rtol=1e-6, atol=1e-10,
                mistakes=None):
    """Keys, shapes and values of the dictionary of arrays called ``name``; ``mistakes`` maps
    a key to the known wrong values of that entry, ``[(wrong, hint), ...]``."""
    check.keys(f"{name} {context}", got, list(expected))
    for key, value in expected.items():
        check.array(f"{name}[{key!r}] {context}", got[key], np.shape(value),
                    hint=f"{name}[{key!r}] has the shape of the parameter it belongs to.")
        check.close(f"{name}[{key!r}] {context}", got[key], value, rtol=rtol, atol=atol,
                    hint=hint, mistakes=(mistakes or {}).get(key, ()))


def _random_network(seed, dims=(3, 4, 2, 1)):
    rng = np.random.default_rng(seed)
    parameters = {}
    for layer in range(1, len(dims)):
        parameters[f"W{layer}"] = rng.standard_normal((dims[layer], dims[layer - 1]))
        parameters[f"b{layer}"] = rng.standard_normal((dims[layer], 1))
    return parameters


def _random_grads(rng, parameters, scale=1.0):
    """Gradients for every parameter, plus the dA entries a backward pass also returns."""
    grads = {f"d{key}": scale * rng.standard_normal(value.shape)
             for key, value in parameters.items()}
    grads["dA0"] = rng.standard_normal((3, 2))
    grads["dA1"] = rng.standard_normal((4, 2))
    return grads


_LOOP_HINT = (
    "loop over the layers l = 1 ... L with L = len(parameters) // 2 and use the keys "
    "'W' + str(l), 'b' + str(l) and 'dW' + str(l), 'db' + str(l)."
)


def _ewa(sequence, beta):
    """Closed form of v_t = beta v_{t-1} + (1 - beta) x_t from v_0 = 0, for scalars."""
    t = len(sequence)
    return (1 - beta) * sum(beta ** (t - k) * x for k, x in enumerate(sequence, start=1))


def _elementwise(fn, *arrays):
    """Apply a function of Python floats to every position of equally shaped arrays."""
    out = np.empty(np.shape(arrays[0]))
    for index in np.ndindex(out.shape):
        out[index] = fn(*(array[index] for array in arrays))
    return out


# ----------------------------------------------------------------------------------------
# gradient descent


def update_parameters_with_gd(fn):
    """Check one step on a 3-layer network, worked out by hand."""
    check = Checker("update_parameters_with_gd",
                    in_place_hint=_new_dictionaries_hint("parameters or grads"))
    parameters = {
        "W1": np.array([[0.5, -1.0], [2.0, 0.0]]), "b1": np.array([[1.0], [-1.0]]),
        "W2": np.array([[1.0, 3.0]]), "b2": np.array([[0.0]]),
        "W3": np.array([[2.0]]), "b3": np.array([[-0.5]]),
    }
    grads = {
        "dW1": np.array([[1.0, -2.0], [0.0, 4.0]]), "db1": np.array([[0.5], [-0.5]]),
        "dW2": np.array([[-1.0, 2.0]]), "db2": np.array([[3.0]]),
        "dW3": np.array([[1.0]]), "db3": np.array([[-2.0]]),
        "dA0": np.ones((2, 1)), "dA1": np.ones((2, 1)), "dA2": np.ones((1, 1)),
    }
    new = check.call_or_fail(fn, parameters, grads, 0.1, hint=_LOOP_HINT)
    check.keys("the returned parameters", new, list(parameters),
               hint="return a dictionary with W1, b1, ..., WL, bL and nothing else.")
    expected = {  # by hand: p - 0.1 * dp
        "W1": [[0.4, -0.8], [2.0, -0.4]], "b1": [[0.95], [-0.95]],
        "W2": [[1.1, 2.8]], "b2": [[-0.3]],
        "W3": [[1.9]], "b3": [[-0.3]],
    }
    for key, value in expected.items():
        check.array(f"updated {key}", new[key], np.shape(value),
                    hint=f"{key} keeps its shape {np.shape(value)}.")
        not_updated = f"{key} was not updated: does your loop reach the last layer L?"
        if key != "b3" and key.startswith("b"):
            not_updated = f"{key} was not updated: update the biases b as well as the weights W."
        check.close(f"updated {key} (learning_rate = 0.1)", new[key], value,
                    hint="p = p - learning_rate * dp, for W and b of every layer (mind the minus "
                         "sign).",
                    mistakes=[(parameters[key], not_updated)])
    print("W1 =", rounded(new["W1"]))
    print("b3 =", rounded(new["b3"]))
    check.done()


# ----------------------------------------------------------------------------------------
# mini-batches


def _labelled_columns(m, n_x=3):
    """X whose column j is (j, -2j, j + 0.5) and Y with Y[0, j] = 1000 + j."""
    index = np.arange(m, dtype=float)
    X = np.vstack([index, -2 * index, index + 0.5][:n_x])
    Y = (1000 + index).reshape(1, m)
    return X, Y


def _check_batches(check, batches, X, Y, size, seed, label):
    m = X.shape[1]
    n_x = X.shape[0]
    full, rest = divmod(m, size)
    expected_sizes = [size] * full + ([rest] if rest else [])
    check.type_is(f"the result {label}", batches, list,
                  hint="return a list of (mini_batch_X, mini_batch_Y) tuples.")
    for number, batch in enumerate(batches):
        ok = isinstance(batch, (tuple, list)) and len(batch) == 2
        check.that(f"mini-batch {number} {label}", ok, type(batch).__name__,
                   "a pair (mini_batch_X, mini_batch_Y)",
                   hint="append (mini_batch_X, mini_batch_Y) tuples.")
    count_hint = f"{m} examples in mini-batches of {size}: {full} full ones"
    if rest:
        count_hint += f" and a last, smaller one with the {rest} left over (m mod size)."
    else:
        count_hint += (", and nothing else: when m is a multiple of mini_batch_size there is "
                       "no extra (empty) batch.")
    if len(batches) == full and rest:
        count_hint += " You dropped the last partial mini-batch: keep it."
    if any(np.shape(batch[0])[-1:] == (0,) for batch in batches):
        count_hint += (" One of your mini-batches is empty: add the last, smaller batch only "
                       "when m mod mini_batch_size is not 0.")
    check.that(f"number of mini-batches {label}", len(batches) == len(expected_sizes), len(batches),
               len(expected_sizes), hint=count_hint)
    for number, (batch_X, batch_Y) in enumerate(batches):
        expected = expected_sizes[number]
        check.array(f"mini_batch_X number {number} {label}", batch_X, (n_x, expected),
                    hint=f"mini-batches hold whole columns (examples): shape (n_x, {expected}). "
                         "The last one holds the m mod mini_batch_size examples left over.")
        check.array(f"mini_batch_Y number {number} {label}", batch_Y, (1, expected),
                    hint=f"Y is cut like X: shape (1, {expected}).")
    all_X = np.concatenate([batch_X for batch_X, _ in batches], axis=1)
    all_Y = np.concatenate([batch_Y for _, batch_Y in batches], axis=1)
    order = all_X[0]
    check.that(f"every example appears exactly once {label}",
               np.array_equal(np.sort(order), np.arange(m)), "some columns missing or repeated",
               f"each of the {m} columns once",
               hint="shuffle with one permutation of range(m) (no repeats), then cut consecutive "
                    "slices that do not overlap.")
    intact = np.array_equal(all_X[1], -2 * order) and np.array_equal(all_X[2], order + 0.5)
    check.that(f"columns of X kept whole {label}", intact, "numbers from different examples mixed",
               "each column moved as a unit",
               hint="permute the columns, X[:, permutation], not the rows or the single numbers.")
    check.that(f"X and Y stay paired {label}", np.array_equal(all_Y[0], order + 1000),
               "labels separated from their examples",
               "column j of every mini_batch_Y belongs to column j of its mini_batch_X",
               hint="shuffle X and Y with the same permutation (draw it once, use it for both).")
    check.that(f"the examples are shuffled {label}", not np.array_equal(order, np.arange(m)),
               "the original order", "a shuffled order",
               hint="shuffle the columns (np.random.permutation) before cutting the mini-batches.")
    expected_order = np.random.RandomState(seed).permutation(m)
    check.that(f"the shuffle follows the seed {label}", np.array_equal(order, expected_order),
               "another order", f"the order of np.random.seed({seed}); np.random.permutation({m})",
               hint="call np.random.seed(seed) once and draw a single np.random.permutation(m), so "
                    "results can be reproduced (the seed must not be ignored).")
    return [batch_X.shape[1] for batch_X, _ in batches]


def random_mini_batches(fn):
    """Check sizes, coverage, pairing and the seeded shuffle for three data sets."""
    check = Checker("random_mini_batches")
    hint = "cut X[:, k * size:(k + 1) * size] after shuffling the columns with one permutation."
    X, Y = _labelled_columns(148)
    batches = check.call_or_fail(fn, X, Y, 64, seed=2, hint=hint)
    sizes_a = _check_batches(check, batches, X, Y, 64, 2, "(m = 148, size 64, seed 2)")
    first_columns = batches[0][0][0, :6].astype(int).tolist()

    X, Y = _labelled_columns(128)
    batches = check.call_or_fail(fn, X, Y, mini_batch_size=32, seed=5, hint=hint)
    sizes_b = _check_batches(check, batches, X, Y, 32, 5, "(m = 128, size 32, seed 5)")

    X, Y = _labelled_columns(50)
    batches = check.call_or_fail(fn, X, Y, hint=hint)
    sizes_c = _check_batches(check, batches, X, Y, 64, 0, "(m = 50, default arguments)")
    print("m = 148, size 64:", sizes_a)
    print("m = 128, size 32:", sizes_b)
    print("m = 50, defaults:", sizes_c)
    print("first columns of the first mini-batch (m = 148, seed 2):", first_columns)
    check.done()


# ----------------------------------------------------------------------------------------
# momentum


def _check_zeros_like(check, result, parameters, what, hint):
    expected_keys = [f"d{key}" for key in parameters]
    check.keys(what, result, expected_keys,
               hint=f"the keys are those of the gradients: {', '.join(expected_keys)}.")
    for key, value in parameters.items():
        got = result[f"d{key}"]
        check.array(f"{what}['d{key}']", got, value.shape,
                    hint=f"{what}['d{key}'] has the shape of parameters['{key}']: np.zeros_like.")
        check.that(f"{what}['d{key}'] is all zeros", np.all(got == 0), rounded(got.ravel()[:4], 3),
                   "zeros", hint=hint)
        check.that(f"{what}['d{key}'] is a new array", not np.shares_memory(got, value),
                   f"the array parameters['{key}'] itself", "a new array of zeros",
                   hint="create new arrays with np.zeros_like(...): do not reuse the parameters.")


def initialize_velocity(fn):
    """Check keys, shapes and zeros for a 3-layer network."""
    check = Checker("initialize_velocity",
                    in_place_hint=_new_dictionaries_hint("parameters"))
    parameters = _random_network(11)
    v = check.call_or_fail(fn, parameters, hint=_LOOP_HINT)
    _check_zeros_like(check, v, parameters, "v", "the velocity starts at zero.")
    print("v:", ", ".join(f"{key} {v[key].shape}" for key in sorted(v)))
    check.done()


_MOMENTUM_HINT = (
    "v = beta * v + (1 - beta) * grad, then p = p - learning_rate * v (the new v, not the "
    "gradient), for W and b of every layer."
)


def update_parameters_with_momentum(fn):
    """Check one step by hand, then four steps against the closed form of the average."""
    check = Checker("update_parameters_with_momentum",
                    in_place_hint=_new_dictionaries_hint("parameters, grads or v"))
    parameters = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[0.5]]),
                  "W2": np.array([[2.0]]), "b2": np.array([[-1.0]])}
    grads = {"dW1": np.array([[1.0, 4.0]]), "db1": np.array([[-2.0]]),
             "dW2": np.array([[0.5]]), "db2": np.array([[2.0]]), "dA0": np.ones((2, 1))}
    v = {"dW1": np.array([[0.2, -0.4]]), "db1": np.array([[0.0]]),
         "dW2": np.array([[1.0]]), "db2": np.array([[0.0]])}
    result = check.call_or_fail(fn, parameters, grads, v, 0.75, 0.1, hint=_LOOP_HINT)
    _check_tuple(check, result, 2, ("parameters", "v"))
    new_parameters, new_v = result
    # by hand, beta = 0.75, learning_rate = 0.1: v <- 0.75 v + 0.25 g, p <- p - 0.1 v
    _dict_close(check, new_v, {"dW1": [[0.4, 0.7]], "db1": [[-0.5]], "dW2": [[0.875]],
                               "db2": [[0.5]]},
                "v", "(hand-worked step: beta = 0.75)",
                "return the updated velocity: v = beta * v + (1 - beta) * grad, starting "
                "from the v passed in.")
    _dict_close(check, new_parameters, {"W1": [[0.96, -2.07]], "b1": [[0.55]],
                                        "W2": [[1.9125]], "b2": [[-1.05]]},
                "parameters", "(hand-worked step: beta = 0.75, learning_rate = 0.1)",
                _MOMENTUM_HINT)

    # several steps from v = 0 on a 3-layer network, against the closed form
    rng = np.random.default_rng(3)
    start = _random_network(4)
    beta, learning_rate = 0.9, 0.05
    current = start
    velocity = {f"d{key}": np.zeros_like(value) for key, value in start.items()}
    history = []
    for step in range(1, 5):
        grads = _random_grads(rng, start)
        history.append(grads)
        current, velocity = check.call_or_fail(fn, current, grads, velocity, beta, learning_rate,
                                               hint=_LOOP_HINT)
        check.type_is(f"v after step {step}", velocity, dict, hint="return parameters, v.")
        for key in start:
            grad_seq = [g[f"d{key}"] for g in history]
            velocities = [_elementwise(lambda *xs: _ewa(xs, beta), *grad_seq[:k])
                          for k in range(1, step + 1)]
            expected_p = start[key] - learning_rate * sum(velocities)
            check.close(f"v['d{key}'] after step {step}", velocity[f"d{key}"], velocities[-1],
                        hint="feed the v returned by one step into the next; " + _MOMENTUM_HINT)
            check.close(f"parameters['{key}'] after step {step}", current[key], expected_p,
                        hint=_MOMENTUM_HINT)
    print("after one step: W1 =", rounded(new_parameters["W1"]), " v['dW1'] =",
          rounded(new_v["dW1"]))
    print("after four steps: b3 =", rounded(current["b3"]), " v['db3'] =",
          rounded(velocity["db3"]))
    check.done()


# ----------------------------------------------------------------------------------------
# Adam


def initialize_adam(fn):
    """Check two dictionaries of zeros, with separate arrays."""
    check = Checker("initialize_adam", in_place_hint=_new_dictionaries_hint("parameters"))
    parameters = _random_network(12)
    result = check.call_or_fail(fn, parameters, hint=_LOOP_HINT)
    _check_tuple(check, result, 2, ("v", "s"))
    v, s = result
    _check_zeros_like(check, v, parameters, "v", "the first moment v starts at zero.")
    _check_zeros_like(check, s, parameters, "s", "the second moment s starts at zero.")
    separate = v is not s and all(not np.shares_memory(v[key], s[key]) for key in v)
    check.that("v and s hold separate arrays", separate, "the same arrays in v and s",
               "two independent sets of zeros",
               hint="create v and s separately, each with its own np.zeros_like(...), so updating "
                    "one can never change the other.")
    print("v:", ", ".join(f"{key} {v[key].shape}" for key in sorted(v)))
    print("s:", ", ".join(f"{key} {s[key].shape}" for key in sorted(s)))
    check.done()


_ADAM_NAMES = ("parameters", "v", "s", "v_corrected", "s_corrected")
_V_HINT = "v = beta1 * v + (1 - beta1) * grad, starting from the v passed in; return the new v."
_S_HINT = ("s = beta2 * s + (1 - beta2) * grad ** 2 (the square of the gradient), starting "
           "from the s passed in; return the new s.")
_VC_HINT = ("bias correction: v_corrected = v / (1 - beta1 ** t), with the new v and beta1 to "
            "the power t (not times t, not (1 - beta1) ** t).")
_SC_HINT = ("bias correction: s_corrected = s / (1 - beta2 ** t), with the new s and beta2 to "
            "the power t (not times t, not (1 - beta2) ** t).")
_P_HINT = ("p = p - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon): the "
           "corrected moments, the square root of s_corrected, epsilon outside the square "
           "root.")


def _adam_result(check, fn, *args, **kwargs):
    result = check.call_or_fail(fn, *args, hint=_LOOP_HINT, **kwargs)
    _check_tuple(check, result, 5, _ADAM_NAMES)
    for value, name in zip(result, _ADAM_NAMES, strict=True):
        check.type_is(name, value, dict,
                      hint=f"return {', '.join(_ADAM_NAMES)}, each a dictionary.")
    return result


def update_parameters_with_adam(fn):
    """Check a step by hand (t = 2), a step with a large epsilon, and five steps in a row
    against the closed forms of the moments, with the default hyperparameters."""
    check = Checker("update_parameters_with_adam",
                    in_place_hint=_new_dictionaries_hint("parameters, grads, v or s"))
    # 1. one step by hand: t = 2, beta1 = 0.5, beta2 = 0.75, learning_rate = 0.1, epsilon = 0
    parameters = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.0]])}
    grads = {"dW1": np.array([[2.0, -4.0]]), "db1": np.array([[1.0]]), "dA0": np.ones((2, 1))}
    v = {"dW1": np.array([[1.0, 0.0]]), "db1": np.array([[0.0]])}
    s = {"dW1": np.array([[4.0, 0.0]]), "db1": np.array([[1.0]])}
    new_p, new_v, new_s, v_corr, s_corr = _adam_result(
        check, fn, parameters, grads, v, s, 2, learning_rate=0.1, beta1=0.5, beta2=0.75,
        epsilon=0.0,
    )
    root7 = math.sqrt(7.0)
    hand = "(hand-worked step: t = 2, beta1 = 0.5, beta2 = 0.75, learning_rate = 0.1)"
    _dict_close(check, new_v, {"dW1": [[1.5, -2.0]], "db1": [[0.5]]}, "v", hand, _V_HINT)
    _dict_close(check, new_s, {"dW1": [[4.0, 4.0]], "db1": [[1.0]]}, "s", hand, _S_HINT)
    expected_vc = {"dW1": [[2.0, -8.0 / 3.0]], "db1": [[2.0 / 3.0]]}
    _dict_close(check, v_corr, expected_vc, "v_corrected", hand, _VC_HINT, mistakes={"dW1": [
        ([[1.5, -2.0]], "v_corrected equals v: you left out the bias correction. " + _VC_HINT),
        ([[6.0, -8.0]], "you divided by (1 - beta1) ** t. " + _VC_HINT),
    ]})
    expected_sc = {"dW1": [[64.0 / 7.0, 64.0 / 7.0]], "db1": [[16.0 / 7.0]]}
    _dict_close(check, s_corr, expected_sc, "s_corrected", hand, _SC_HINT, mistakes={"dW1": [
        ([[4.0, 4.0]], "s_corrected equals s: you left out the bias correction. " + _SC_HINT),
        ([[64.0, 64.0]], "you divided by (1 - beta2) ** t. " + _SC_HINT),
    ]})
    expected_p = {"W1": [[1.0 - 0.025 * root7, -1.0 + root7 / 30.0]], "b1": [[-root7 / 60.0]]}
    _dict_close(check, new_p, expected_p, "parameters", hand, _P_HINT, mistakes={"W1": [
        ([[1.0 - 0.1 * 2.0 / (64 / 7), -1.0 + 0.1 * (8 / 3) / (64 / 7)]],
         "the square root of s_corrected is missing. " + _P_HINT),
        ([[1.0 - 0.1 * 1.5 / 2.0, -1.0 + 0.1 * 2.0 / 2.0]],
         "you used v and s instead of v_corrected and s_corrected. " + _P_HINT),
    ]})
    hand_W1 = new_p["W1"]

    # 2. where epsilon goes: t = 1 from zero moments, so v_corrected = g, s_corrected = g ** 2
    parameters = {"W1": np.array([[0.0, 0.0]]), "b1": np.array([[1.0]])}
    grads = {"dW1": np.array([[0.03, -0.04]]), "db1": np.array([[0.0]])}
    zeros = {"dW1": np.zeros((1, 2)), "db1": np.zeros((1, 1))}
    new_p, *_ = _adam_result(check, fn, parameters, grads, zeros, copy.deepcopy(zeros), 1,
                             learning_rate=0.1, epsilon=0.01)
    # by hand: W1 - 0.1 * g / (|g| + 0.01) = -0.1 * [0.75, -0.8]; b1 does not move
    _dict_close(check, new_p, {"W1": [[-0.075, 0.08]], "b1": [[1.0]]},
                "parameters", "after one step (t = 1) with epsilon = 0.01 and gradients "
                "[0.03, -0.04]",
                "epsilon is added after the square root: np.sqrt(s_corrected) + epsilon, not "
                "np.sqrt(s_corrected + epsilon). " + _P_HINT)

    # 3. five steps with the default hyperparameters, against the closed forms
    rng = np.random.default_rng(8)
    start = _random_network(9)
    beta1, beta2, learning_rate, epsilon = 0.9, 0.999, 0.01, 1e-8
    current = start
    moment1 = {f"d{key}": np.zeros_like(value) for key, value in start.items()}
    moment2 = {f"d{key}": np.zeros_like(value) for key, value in start.items()}
    history = []
    for t in range(1, 6):
        grads = _random_grads(rng, start, scale=0.5)
        history.append(grads)
        current, moment1, moment2, v_corr, s_corr = _adam_result(
            check, fn, current, grads, moment1, moment2, t)
        for key in start:
            seq = [g[f"d{key}"] for g in history]
            m_t = _elementwise(lambda *xs: _ewa(xs, beta1), *seq)
            s_t = _elementwise(lambda *xs: _ewa([x * x for x in xs], beta2), *seq)
            m_hat = m_t / (1 - beta1 ** t)
            s_hat = s_t / (1 - beta2 ** t)

            def total_step(*xs):
                """Sum over steps k <= t of the update each step made (scalar arithmetic)."""
                steps = 0.0
                for k in range(1, len(xs) + 1):
                    mk = _ewa(xs[:k], beta1) / (1 - beta1 ** k)
                    sk = _ewa([x * x for x in xs[:k]], beta2) / (1 - beta2 ** k)
                    steps += learning_rate * mk / (math.sqrt(sk) + epsilon)
                return steps

            expected_p = start[key] - _elementwise(total_step, *seq)
            where = f"after step t = {t} (default hyperparameters)"
            check.close(f"v['d{key}'] {where}", moment1[f"d{key}"], m_t,
                        hint="feed the v returned by one step into the next; " + _V_HINT)
            check.close(f"s['d{key}'] {where}", moment2[f"d{key}"], s_t,
                        hint="feed the s returned by one step into the next; " + _S_HINT)
            check.close(f"v_corrected['d{key}'] {where}", v_corr[f"d{key}"], m_hat, hint=_VC_HINT)
            check.close(f"s_corrected['d{key}'] {where}", s_corr[f"d{key}"], s_hat, hint=_SC_HINT)
            check.close(f"parameters['{key}'] {where}", current[key], expected_p,
                        hint=_P_HINT + " Check the default values learning_rate=0.01, "
                        "beta1=0.9, beta2=0.999, epsilon=1e-8.")
    print("hand-worked step (t = 2): W1 =", rounded(hand_W1))
    print("after five default steps: b3 =", rounded(current["b3"]),
          " s_corrected['db3'] =", rounded(s_corr["db3"]))
    check.done()


# ----------------------------------------------------------------------------------------
# learning-rate decay


def update_lr(fn):
    """Check lr0 / (1 + decay_rate * epoch_num) at a few points worked out by hand."""
    check = Checker("update_lr")
    hint = "learning_rate = learning_rate0 / (1 + decay_rate * epoch_num)."
    cases = [((0.5, 0, 1.0), 0.5), ((0.5, 2, 1.5), 0.125), ((1.0, 10, 0.3), 0.25),
             ((0.2, 100, 0.01), 0.1)]
    got_values = []
    for args, expected in cases:
        got = check.call(fn, *args)
        what = "update_lr(learning_rate0={}, epoch_num={}, decay_rate={})".format(*args)
        check.number(what, got)
        check.close(what, got, expected, hint=hint)
        got_values.append(float(got))
    print("learning rates:", rounded(got_values))
    check.done()


def schedule_lr_decay(fn):
    """Check lr0 / (1 + decay_rate * floor(epoch_num / time_interval)) by hand."""
    check = Checker("schedule_lr_decay")
    hint = ("learning_rate = learning_rate0 / (1 + decay_rate * floor(epoch_num / "
            "time_interval)): the rate drops once every time_interval epochs and stays "
            "constant in between (use np.floor or //, not round).")
    cases = [  # (arguments, keyword arguments, expected)
        ((0.5, 0, 1.0), {}, 0.5),
        ((0.5, 999, 1.0), {}, 0.5),
        ((0.5, 1000, 1.0), {}, 0.25),
        ((0.2, 1700, 0.5), {}, 0.2 / 1.5),
        ((0.3, 9, 2.0), {"time_interval": 10}, 0.3),
        ((0.3, 25, 2.0), {"time_interval": 10}, 0.06),
        ((0.1, 2999, 1.0), {"time_interval": 1000}, 0.1 / 3),
    ]
    got_values = []
    for args, kwargs, expected in cases:
        got = check.call(fn, *args, **kwargs)
        what = "schedule_lr_decay(learning_rate0={}, epoch_num={}, decay_rate={}".format(*args)
        what += "".join(f", {k}={v}" for k, v in kwargs.items()) + ")"
        check.number(what, got)
        check.close(what, got, expected,
                    hint=hint + (" Use the time_interval argument rather than a fixed 1000."
                                 if kwargs else ""))
        got_values.append(float(got))
    print("learning rates:", rounded(got_values))
    check.done()


# ----------------------------------------------------------------------------------------
# the race of section 6 (a verdict on training results, not a check of one function)

RACE_QUANTITIES = ("train accuracy", "test accuracy", "cost at 150", "final cost")

_RACE_HINTS = {
    "mini-batch GD": "far above: is the step W - learning_rate * dW (minus sign, every "
                     "layer)? far below: is the learning_rate argument used?",
    "Adam": "check the bias correction (divide by 1 - beta ** t, t counting Adam steps "
            "from 1), the square root of s_corrected and epsilon outside it.",
    "GD + decay": "is schedule_lr_decay dividing by 1 + decay_rate * floor(epoch_num / "
                  "time_interval)? A rate that falls every epoch stalls training.",
    "Adam + decay": "check update_parameters_with_adam and schedule_lr_decay (the rate "
                    "drops only every time_interval epochs).",
}


def _race_entry(race, name):
    if name not in race:
        raise KeyError(f"the race has no run named {name!r}; runs: {sorted(race)}")
    entry = race[name]
    missing = [q for q in RACE_QUANTITIES if q not in entry]
    if missing:
        raise KeyError(f"race[{name!r}] lacks {missing}; give {list(RACE_QUANTITIES)}")
    return {q: float(entry[q]) for q in RACE_QUANTITIES}


def optimizer_race(race):
    """Verdicts on the five runs of section 6.

    ``race[name]`` holds ``"train accuracy"``, ``"test accuracy"``, ``"cost at 150"`` (the
    mean cost of epoch 150) and ``"final cost"`` for each run name of the notebook. Each
    result must lie in its band (RACE_BANDS), momentum at lr 0.001 must end where mini-batch
    GD ends, and Adam must beat mini-batch GD at the same learning rate.
    """
    results = {name: _race_entry(race, name) for name in (*RACE_BANDS, "momentum")}
    gd = results["mini-batch GD"]
    for name in ("mini-batch GD", "momentum", "Adam", "GD + decay", "Adam + decay"):
        verdict = Verdicts(name)
        if name == "momentum":
            for quantity, tolerance in MOMENTUM_SAME_AS_GD.items():
                difference = abs(results[name][quantity] - gd[quantity])
                verdict.that(
                    f"{quantity} is within {tolerance:g} of mini-batch GD's",
                    difference <= tolerance,
                    f"{quantity} {results[name][quantity]:.4g} against {gd[quantity]:.4g} "
                    f"(difference {difference:.3g})",
                    "at lr 0.001 the gradient hardly changes over the ~10 steps momentum "
                    "averages, so it should move like gradient descent. A large difference "
                    "usually means v = beta * v + grad without the (1 - beta) factor, "
                    "which makes the steps 10 times larger.",
                )
        else:
            for quantity, (low, high) in RACE_BANDS[name].items():
                verdict.within(quantity, results[name][quantity], low, high,
                               hint=_RACE_HINTS[name])
        if name == "Adam":
            margin = ADAM_OVER_GD["final cost"]
            adam_cost = results[name]["final cost"]
            verdict.that(
                f"final cost is lower than mini-batch GD's by more than {margin:g}",
                adam_cost < gd["final cost"] - margin,
                f"final cost {adam_cost:.4g} against {gd['final cost']:.4g}",
                "Adam should clearly beat GD at the same learning rate: " + _RACE_HINTS[name],
            )
            verdict.beats("train accuracy over mini-batch GD's", results[name]["train accuracy"],
                          gd["train accuracy"], by=ADAM_OVER_GD["train accuracy"],
                          hint="Adam should clearly beat GD at the same learning rate: "
                               + _RACE_HINTS[name])
        verdict.done()
