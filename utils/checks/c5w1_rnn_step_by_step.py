"""Checks for Course 5, week 1: a recurrent network and an LSTM, step by step, in numpy.

Oracles:

- forward passes: Keras's own ``SimpleRNN`` and ``LSTM`` layers (float64) loaded with the
  same weights (``SimpleRNN``: kernel ``Wax.T``, recurrent kernel ``Waa.T``, bias ``ba``;
  ``LSTM``: gate order i, f, c, o, each gate's matrix split over the ``[a_prev; xt]``
  concatenation), ``scipy.special.softmax`` for the outputs, ``scipy.special.expit`` /
  ``np.tanh`` for the individual gates, and properties (gates in (0, 1), probabilities
  summing to one over the classes, a cache that agrees with itself);
- backward passes: numeric gradients (central differences) of the scalar losses
  ``sum(da * a)`` (plus ``sum(dc_next * c_next)`` for the LSTM cell), computed from forward
  passes written here, over every parameter and every input.

Shapes (the course's): ``xt (n_x, m)``, ``a_prev (n_a, m)``, ``x (n_x, m, T_x)``,
``a (n_a, m, T_x)``, ``y_pred (n_y, m, T_x)``. Gradients are sums over the examples (no
``1/m``): ``da`` is the derivative of some loss with respect to every hidden state.

Keras (and so TensorFlow) is imported inside the functions, so importing this module
before ``utils.setup_notebook(tensorflow=True)`` does not import TensorFlow too early.
"""

import numpy as np
from scipy.special import expit, softmax

from utils.checks.harness import Checker, rounded
from utils.checks.oracles import numeric_gradient

GATES = ("f", "i", "c", "o")
KERAS_GATE_ORDER = ("i", "f", "c", "o")
FORWARD_TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}
GRADIENT_TOLERANCE = {"rtol": 1e-4, "atol": 1e-7}

# ----------------------------------------------------------------------------------------
# inputs


def _rng(seed):
    return np.random.default_rng(seed)


def _rnn_parameters(rng, n_x, n_a, n_y):
    return {
        "Wax": rng.standard_normal((n_a, n_x)) * 0.8,
        "Waa": rng.standard_normal((n_a, n_a)) * 0.5,
        "Wya": rng.standard_normal((n_y, n_a)),
        "ba": rng.standard_normal((n_a, 1)) * 0.5,
        "by": rng.standard_normal((n_y, 1)),
    }


def _lstm_parameters(rng, n_x, n_a, n_y):
    parameters = {}
    for gate in GATES:
        parameters[f"W{gate}"] = rng.standard_normal((n_a, n_a + n_x)) * 0.7
        parameters[f"b{gate}"] = rng.standard_normal((n_a, 1)) * 0.5
    parameters["Wy"] = rng.standard_normal((n_y, n_a))
    parameters["by"] = rng.standard_normal((n_y, 1))
    return parameters


# ----------------------------------------------------------------------------------------
# Keras oracles (float64 layers loaded with the numpy weights)


def _keras():
    import keras

    return keras


def _to_keras(x):
    """(n_x, m, T_x) -> Keras's (m, T_x, n_x)."""
    return np.ascontiguousarray(np.transpose(x, (1, 2, 0)))


def _from_keras(sequence):
    """Keras's (m, T_x, n_a) -> (n_a, m, T_x)."""
    return np.transpose(np.asarray(sequence, dtype=float), (2, 0, 1))


def _keras_rnn_states(x, a0, parameters):
    """Hidden states (n_a, m, T_x) of keras.layers.SimpleRNN with the same weights."""
    keras = _keras()
    n_a, n_x = parameters["Wax"].shape
    layer = keras.layers.SimpleRNN(n_a, return_sequences=True, dtype="float64")
    layer.build((None, None, n_x))
    layer.set_weights([parameters["Wax"].T, parameters["Waa"].T, parameters["ba"].ravel()])
    sequence = layer(_to_keras(x), initial_state=[np.ascontiguousarray(a0.T)])
    return _from_keras(keras.ops.convert_to_numpy(sequence))


def _keras_lstm_states(x, a0, c0, parameters):
    """Hidden and cell states (each (n_a, m, T_x)) of keras.layers.LSTM with the same weights.

    Keras returns the whole sequence of hidden states but only the last cell state, so the
    cell state at step t comes from running the layer on the first t + 1 inputs.
    """
    keras = _keras()
    n_a = parameters["Wf"].shape[0]
    n_x = x.shape[0]
    layer = keras.layers.LSTM(n_a, return_sequences=True, return_state=True, dtype="float64")
    layer.build((None, None, n_x))
    layer.set_weights([
        np.concatenate([parameters[f"W{g}"][:, n_a:].T for g in KERAS_GATE_ORDER], axis=1),
        np.concatenate([parameters[f"W{g}"][:, :n_a].T for g in KERAS_GATE_ORDER], axis=1),
        np.concatenate([parameters[f"b{g}"].ravel() for g in KERAS_GATE_ORDER]),
    ])
    state = [np.ascontiguousarray(a0.T), np.ascontiguousarray(c0.T)]
    sequence, _, _ = layer(_to_keras(x), initial_state=state)
    a = _from_keras(keras.ops.convert_to_numpy(sequence))
    c = np.zeros_like(a)
    for t in range(x.shape[2]):
        _, _, c_t = layer(_to_keras(x[:, :, : t + 1]), initial_state=state)
        c[:, :, t] = np.asarray(keras.ops.convert_to_numpy(c_t), dtype=float).T
    return a, c


# ----------------------------------------------------------------------------------------
# numpy forward passes for the gradient oracles (and for building caches)


def _rnn_states(x, a0, parameters):
    a_prev, states = a0, []
    for t in range(x.shape[2]):
        a_prev = np.tanh(
            parameters["Wax"] @ x[:, :, t] + parameters["Waa"] @ a_prev + parameters["ba"]
        )
        states.append(a_prev)
    return np.stack(states, axis=2)


def _rnn_caches(x, a0, parameters):
    a = _rnn_states(x, a0, parameters)
    previous = [a0] + [a[:, :, t] for t in range(x.shape[2] - 1)]
    caches = [(a[:, :, t], previous[t], x[:, :, t], parameters) for t in range(x.shape[2])]
    return a, (caches, x)


def _lstm_step(xt, a_prev, c_prev, parameters):
    concat = np.concatenate([a_prev, xt], axis=0)
    ft = expit(parameters["Wf"] @ concat + parameters["bf"])
    it = expit(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    ot = expit(parameters["Wo"] @ concat + parameters["bo"])
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    return a_next, c_next, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


def _lstm_run(x, a0, c0, parameters):
    a_prev, c_prev, caches = a0, c0, []
    for t in range(x.shape[2]):
        a_prev, c_prev, cache = _lstm_step(x[:, :, t], a_prev, c_prev, parameters)
        caches.append(cache)
    a = np.stack([cache[0] for cache in caches], axis=2)
    c = np.stack([cache[1] for cache in caches], axis=2)
    return a, c, (caches, x)


# ----------------------------------------------------------------------------------------
# small helpers


def _unpack(check, result, names):
    listed = ", ".join(names)
    check.type_is("the result", result, tuple, hint=f"return {len(names)} things: {listed}.")
    check.that("number of returned values", len(result) == len(names), len(result), len(names),
               hint=f"return {listed}, in that order.")
    return result


def _same_array(item, array):
    return (isinstance(item, np.ndarray) and item.shape == array.shape
            and np.allclose(item, array, rtol=1e-10, atol=1e-12))


def _describe(value):
    if isinstance(value, np.ndarray):
        text = f"array of shape {value.shape}: {rounded(value, 4)}"
    elif isinstance(value, dict):
        text = f"dict with keys {sorted(value)}"
    else:
        text = repr(value)
    return text if len(text) < 200 else text[:200] + " ..."


def _check_cache(check, cache, expected, what):
    """``expected`` is a list of (name, array or dict of parameters) in cache order."""
    names = ", ".join(name for name, _ in expected)
    hint = f"the cache holds ({names}), in that order."
    check.type_is(what, cache, tuple, hint=f"return the cache as a tuple ({names}).")
    check.that(f"length of {what}", len(cache) == len(expected), len(cache), len(expected),
               hint=hint)
    for index, (item, (name, value)) in enumerate(zip(cache, expected, strict=True)):
        if isinstance(value, dict):
            ok = isinstance(item, dict) and all(
                key in item and np.array_equal(item[key], value[key]) for key in value
            )
            check.that(f"{what}[{index}]", ok, _describe(item), f"{name} (the parameters dict)",
                       hint=hint)
        elif value is not None:
            check.that(f"{what}[{index}]", _same_array(item, value), _describe(item),
                       f"{name} {rounded(value, 4)}", hint=hint)


def _check_probabilities(check, y, what):
    """Columns are distributions over the n_y classes (axis 0)."""
    check.that(f"all entries of {what} > 0", bool(np.all(y > 0)), f"min {rounded(np.min(y), 4)}",
               "positive probabilities", hint="apply the softmax to Wy a + by.")
    sums = np.sum(y, axis=0)
    check.close(f"{what}.sum(axis=0) (one distribution per example)", sums, np.ones_like(sums),
                hint="the softmax normalises over axis 0 (the n_y classes), not over the "
                "examples: each column of the output must sum to 1.")


def _grad_mistakes(expected, m, base):
    """A gradient off by a known factor: the wrong sign, or divided by m."""
    if not np.any(np.abs(expected) > 1e-9):
        return []
    return [(-expected, f"{base} Your result has the wrong sign."),
            (expected / m, f"{base} Your result is exactly m = {m} times too small: these "
                           "gradients are sums over the examples, do not divide by m.")]


def _check_gradient(check, grads, key, expected, m, base):
    got = grads[key]
    shape_hint = f"{key} has the shape of {key[1:]}."
    if key.startswith("db"):
        shape_hint += (" Sum over the examples (axis 1) and keep the axis: "
                       "np.sum(..., axis=1, keepdims=True).")
    check.array(f"gradients[{key!r}]", got, expected.shape, hint=shape_hint)
    check.close(f"gradients[{key!r}] against a numeric gradient", got, expected, hint=base,
                mistakes=_grad_mistakes(expected, m, base), **GRADIENT_TOLERANCE)


def _gradient_keys(check, grads, keys, what):
    check.type_is(what, grads, dict, hint=f"return a dictionary with the keys {', '.join(keys)}.")
    missing = [key for key in keys if key not in grads]
    check.that(f"keys of {what}", not missing, ", ".join(sorted(map(str, grads))), ", ".join(keys),
               hint=f"missing {', '.join(missing)}: store every gradient under its own key.")


# ----------------------------------------------------------------------------------------
# RNN forward


_RNN_CELL_HINT = "a_next = tanh(Waa a_prev + Wax xt + ba)."


def _rnn_cell_mistakes(xt, a_prev, parameters):
    z = parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"]
    transposed = z - parameters["Waa"] @ a_prev + parameters["Waa"].T @ a_prev
    return [(expit(z), _RNN_CELL_HINT + " You used the sigmoid: the RNN state uses np.tanh."),
            (np.tanh(z - parameters["ba"]), _RNN_CELL_HINT + " You forgot the bias ba."),
            (np.tanh(transposed), _RNN_CELL_HINT + " You multiplied a_prev by Waa.T: Waa is "
                                                   "(n_a, n_a) like its transpose, so the shapes "
                                                   "fit, but the product is Waa @ a_prev.")]


def _rnn_output_mistakes(a_prev, a_next, Wy, by):
    """yt_pred computed from the old state, or without the bias by."""
    return [(softmax(Wy @ a_prev + by, axis=0),
             "yt_pred = softmax(Wya a_next + by): use the new state a_next, not a_prev."),
            (softmax(Wy @ a_next, axis=0), "yt_pred = softmax(Wya a_next + by): you forgot the "
                                           "bias by.")]


def rnn_cell_forward(fn):
    """Check one RNN step against keras.layers.SimpleRNN on a single time step."""
    check = Checker("rnn_cell_forward")
    n_x, n_a, n_y, m = 3, 5, 2, 4
    rng = _rng(101)
    xt, a_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
    parameters = _rnn_parameters(rng, n_x, n_a, n_y)
    result = check.call_or_fail(fn, xt, a_prev, parameters,
                                hint="use the parameter keys Wax, Waa, Wya, ba, by.")
    a_next, yt_pred, cache = _unpack(check, result, ["a_next", "yt_pred", "cache"])
    check.array("a_next", a_next, (n_a, m), hint="a_next has one column per example: (n_a, m).")
    check.array("yt_pred", yt_pred, (n_y, m), hint="yt_pred = softmax(Wya a_next + by): (n_y, m).")

    a_keras = _keras_rnn_states(xt[:, :, None], a_prev, parameters)[:, :, 0]
    check.close("a_next against keras.layers.SimpleRNN", a_next, a_keras,
                hint=_RNN_CELL_HINT, mistakes=_rnn_cell_mistakes(xt, a_prev, parameters),
                **FORWARD_TOLERANCE)
    _check_probabilities(check, yt_pred, "yt_pred")
    y_expected = softmax(parameters["Wya"] @ a_keras + parameters["by"], axis=0)
    check.close("yt_pred against scipy.special.softmax(Wya a + by, axis=0)", yt_pred, y_expected,
                hint="yt_pred = softmax(Wya a_next + by), with the new state a_next.",
                mistakes=_rnn_output_mistakes(a_prev, a_keras, parameters["Wya"],
                                              parameters["by"]),
                **FORWARD_TOLERANCE)
    _check_cache(check, cache, [("a_next", a_keras), ("a_prev", a_prev), ("xt", xt),
                                ("parameters", parameters)], "cache")
    print("a_next[:, 0] =", rounded(a_next[:, 0], 4))
    print("yt_pred[:, 0] =", rounded(yt_pred[:, 0], 4))
    check.done()


STORED_OLD_STATE = ("a[:, :, 0] holds a0: store the NEW state a_next returned by the cell in "
                    "a[:, :, t], not the a_prev it started from.")
LAST_STEP_MISSING = ("the last time step is missing (still zeros): loop over every step, "
                     "for t in range(T_x), not range(T_x - 1).")


def _without_last_step(states):
    """The states with the last step left at zero (a loop over range(T_x - 1))."""
    cut = np.array(states, dtype=float)
    cut[..., -1] = 0.0
    return cut


def rnn_forward(fn):
    """Check a whole sequence against keras.layers.SimpleRNN(return_sequences=True)."""
    check = Checker("rnn_forward")
    n_x, n_a, n_y, m, T_x = 3, 5, 2, 4, 6
    rng = _rng(102)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    parameters = _rnn_parameters(rng, n_x, n_a, n_y)
    result = check.call_or_fail(
        fn, x, a0, parameters,
        hint="loop over t in range(T_x) and call rnn_cell_forward(x[:, :, t], ...).")
    a, y_pred, caches = _unpack(check, result, ["a", "y_pred", "caches"])
    check.array("a", a, (n_a, m, T_x), hint="a stacks the hidden states: (n_a, m, T_x).")
    check.array("y_pred", y_pred, (n_y, m, T_x), hint="y_pred stacks the outputs: (n_y, m, T_x).")

    a_keras = _keras_rnn_states(x, a0, parameters)
    check.close("a[:, :, 0] against keras.layers.SimpleRNN", a[:, :, 0], a_keras[:, :, 0],
                hint="the first step reads x[:, :, 0] and the initial state a0.",
                mistakes=[(a0, STORED_OLD_STATE)], **FORWARD_TOLERANCE)
    check.close("a against keras.layers.SimpleRNN", a, a_keras,
                hint="each step must start from the state the previous step produced: set "
                "a_next = the new state and pass it as a_prev at step t + 1 (not a0 every "
                "time); store it in a[:, :, t].",
                mistakes=[(_without_last_step(a_keras), LAST_STEP_MISSING)],
                **FORWARD_TOLERANCE)
    _check_probabilities(check, y_pred, "y_pred")
    y_expected = softmax(np.einsum("ya,amt->ymt", parameters["Wya"], a_keras)
                         + parameters["by"][:, :, None], axis=0)
    check.close("y_pred against scipy.special.softmax", y_pred, y_expected,
                hint="store yt_pred of step t in y_pred[:, :, t].", **FORWARD_TOLERANCE)

    check.type_is("caches", caches, tuple, hint="return caches = (list of the step caches, x).")
    check.that("length of caches", len(caches) == 2, len(caches), 2,
               hint="caches = (list of the step caches, x).")
    step_caches, x_cached = caches
    check.type_is("caches[0]", step_caches, list, hint="collect the step caches in a list.")
    check.that("len(caches[0])", len(step_caches) == T_x, len(step_caches), T_x,
               hint="append one cache per time step.")
    check.that("caches[1]", _same_array(x_cached, x), _describe(x_cached), "x",
               hint="caches = (list of the step caches, x).")
    for t in (0, T_x - 1):
        previous = a0 if t == 0 else a_keras[:, :, t - 1]
        _check_cache(check, step_caches[t], [("a_next", a_keras[:, :, t]),
                                             ("a_prev", previous), ("xt", x[:, :, t]),
                                             ("parameters", parameters)], f"caches[0][{t}]")
    print("a[:, 0, -1] =", rounded(a[:, 0, -1], 4))
    print("y_pred[:, 0, -1] =", rounded(y_pred[:, 0, -1], 4))
    check.done()


# ----------------------------------------------------------------------------------------
# LSTM forward


GATE_NAMES = {"f": "ft (forget gate)", "i": "it (update gate)", "c": "cct (candidate)",
              "o": "ot (output gate)"}


def _check_gates(check, gates, xt, a_prev, parameters, what):
    """Ranges first (sigmoid vs tanh), then values against expit / tanh of [a_prev; xt]."""
    concat = np.concatenate([a_prev, xt], axis=0)
    swapped = np.concatenate([xt, a_prev], axis=0)
    for gate, value in zip(GATES, gates, strict=True):
        name = GATE_NAMES[gate]
        check.array(f"{name} in {what}", value, a_prev.shape, hint="every gate has shape (n_a, m).")
        if gate == "c":
            check.that(f"range of {name}", bool(np.min(value) < 0 and np.all(np.abs(value) < 1)),
                       f"min {rounded(np.min(value), 4)}, max {rounded(np.max(value), 4)}",
                       "values in (-1, 1), some negative",
                       hint="the candidate value cct uses np.tanh; the three gates use the "
                            "sigmoid.")
        else:
            check.that(f"range of {name}", bool(np.all((value > 0) & (value < 1))),
                       f"min {rounded(np.min(value), 4)}, max {rounded(np.max(value), 4)}",
                       "values in (0, 1)",
                       hint="the forget, update and output gates use the sigmoid (values between 0 "
                            "and 1); only the candidate cct uses tanh.")
        activation = np.tanh if gate == "c" else expit
        weights, bias = parameters[f"W{gate}"], parameters[f"b{gate}"]
        expected = activation(weights @ concat + bias)
        hint = (f"{name} = {'tanh' if gate == 'c' else 'sigmoid'}(W{gate} concat + b{gate}) "
                "with concat = np.concatenate([a_prev, xt], axis=0).")
        stacked_wrong = ("you stacked xt on top of a_prev: the first n_a columns of each weight "
                         "matrix multiply a_prev, so concat must be [a_prev; xt] "
                         "(np.concatenate([a_prev, xt], axis=0)), a_prev on top.")
        check.close(f"{name} in {what}", value, expected, hint=hint,
                    mistakes=[(activation(weights @ swapped + bias), stacked_wrong)],
                    **FORWARD_TOLERANCE)


_C_NEXT_HINT = "c_next = ft * c_prev + it * cct (elementwise products)."


def _c_next_mistakes(ft, it, cct, c_prev):
    return [(it * cct, "you left out the memory term: c_next = ft * c_prev + it * cct keeps "
                       "ft * c_prev, the part of the old cell state the forget gate lets "
                       "through."),
            (it * c_prev + ft * cct, _C_NEXT_HINT + " You swapped ft and it.")]


def lstm_cell_forward(fn):
    """Check one LSTM step against keras.layers.LSTM on a single time step."""
    check = Checker("lstm_cell_forward")
    n_x, n_a, n_y, m = 3, 5, 2, 4
    rng = _rng(201)
    xt, a_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
    c_prev = rng.standard_normal((n_a, m))
    parameters = _lstm_parameters(rng, n_x, n_a, n_y)
    result = check.call_or_fail(
        fn, xt, a_prev, c_prev, parameters,
        hint="use the parameter keys Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by and "
        "concat = np.concatenate([a_prev, xt], axis=0).")
    a_next, c_next, yt_pred, cache = _unpack(check, result,
                                             ["a_next", "c_next", "yt_pred", "cache"])
    check.array("a_next", a_next, (n_a, m))
    check.array("c_next", c_next, (n_a, m))
    check.array("yt_pred", yt_pred, (n_y, m), hint="yt_pred = softmax(Wy a_next + by): (n_y, m).")

    check.type_is("cache", cache, tuple, hint="return the cache as a tuple of 10 items.")
    check.that("length of cache", len(cache) == 10, len(cache), 10,
               hint="the cache holds (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, "
                    "parameters).")
    ft, it, cct, ot = cache[4:8]
    _check_gates(check, (ft, it, cct, ot), xt, a_prev, parameters, "the cache")

    a_keras, c_keras = (s[:, :, 0] for s in _keras_lstm_states(xt[:, :, None], a_prev, c_prev,
                                                                 parameters))
    check.close("c_next against keras.layers.LSTM", c_next, c_keras,
                hint=_C_NEXT_HINT, mistakes=_c_next_mistakes(ft, it, cct, c_prev),
                **FORWARD_TOLERANCE)
    check.close("a_next against keras.layers.LSTM", a_next, a_keras,
                hint="a_next = ot * tanh(c_next): the tanh of the new cell state.",
                **FORWARD_TOLERANCE)
    _check_probabilities(check, yt_pred, "yt_pred")
    check.close("yt_pred against scipy.special.softmax(Wy a + by, axis=0)", yt_pred,
                softmax(parameters["Wy"] @ a_keras + parameters["by"], axis=0),
                hint="yt_pred = softmax(Wy a_next + by).",
                mistakes=[(softmax(parameters["Wy"] @ c_keras + parameters["by"], axis=0),
                           "yt_pred = softmax(Wy a_next + by): the prediction reads the hidden "
                           "state a_next, not the cell state c_next.")],
                **FORWARD_TOLERANCE)
    _check_cache(check, cache, [("a_next", a_keras), ("c_next", c_keras), ("a_prev", a_prev),
                                ("c_prev", c_prev), ("ft", None), ("it", None), ("cct", None),
                                ("ot", None), ("xt", xt), ("parameters", parameters)], "cache")
    print("a_next[:, 0] =", rounded(a_next[:, 0], 4))
    print("c_next[:, 0] =", rounded(c_next[:, 0], 4))
    print("yt_pred[:, 0] =", rounded(yt_pred[:, 0], 4))
    check.done()


def lstm_forward(fn):
    """Check a whole sequence against keras.layers.LSTM(return_sequences=True)."""
    check = Checker("lstm_forward")
    n_x, n_a, n_y, m, T_x = 3, 5, 2, 4, 5
    rng = _rng(202)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    parameters = _lstm_parameters(rng, n_x, n_a, n_y)
    result = check.call_or_fail(
        fn, x, a0, parameters,
        hint="loop over t in range(T_x) and call lstm_cell_forward(x[:, :, t], ...).")
    a, y, c, caches = _unpack(check, result, ["a", "y", "c", "caches"])
    check.array("a", a, (n_a, m, T_x), hint="a stacks the hidden states: (n_a, m, T_x).")
    check.array("y", y, (n_y, m, T_x), hint="y stacks the outputs: (n_y, m, T_x).")
    check.array("c", c, (n_a, m, T_x), hint="c stacks the cell states: (n_a, m, T_x).")

    a_keras, c_keras = _keras_lstm_states(x, a0, np.zeros_like(a0), parameters)
    check.close("c[:, :, 0] against keras.layers.LSTM", c[:, :, 0], c_keras[:, :, 0],
                hint="the memory starts empty: c_prev = np.zeros((n_a, m)) at the first step.",
                mistakes=[(a_keras[:, :, 0], "c[:, :, 0] holds the hidden state: store the cell "
                                             "state c_next in c[:, :, t] and a_next in "
                                             "a[:, :, t].")],
                **FORWARD_TOLERANCE)
    check.close("a[:, :, 0] against keras.layers.LSTM", a[:, :, 0], a_keras[:, :, 0],
                hint="the first step reads x[:, :, 0], a0 and a zero cell state.",
                **FORWARD_TOLERANCE)
    carry = ("pass the a_next and c_next of step t as a_prev and c_prev of step t + 1, and "
             "store them in a[:, :, t] and c[:, :, t].")
    check.close("c against keras.layers.LSTM", c, c_keras, hint=carry,
                mistakes=[(_without_last_step(c_keras), LAST_STEP_MISSING)], **FORWARD_TOLERANCE)
    check.close("a against keras.layers.LSTM", a, a_keras, hint=carry, **FORWARD_TOLERANCE)
    _check_probabilities(check, y, "y")
    y_expected = softmax(np.einsum("ya,amt->ymt", parameters["Wy"], a_keras)
                         + parameters["by"][:, :, None], axis=0)
    check.close("y against scipy.special.softmax", y, y_expected,
                hint="store yt_pred of step t in y[:, :, t].", **FORWARD_TOLERANCE)

    check.type_is("caches", caches, tuple, hint="return caches = (list of the step caches, x).")
    check.that("length of caches", len(caches) == 2, len(caches), 2,
               hint="caches = (list of the step caches, x).")
    step_caches, x_cached = caches
    check.type_is("caches[0]", step_caches, list, hint="collect the step caches in a list.")
    check.that("len(caches[0])", len(step_caches) == T_x, len(step_caches), T_x,
               hint="append one cache per time step.")
    check.that("caches[1]", _same_array(x_cached, x), _describe(x_cached), "x",
               hint="caches = (list of the step caches, x).")
    for t in (0, T_x - 1):
        a_prev = a0 if t == 0 else a_keras[:, :, t - 1]
        c_prev = np.zeros_like(a0) if t == 0 else c_keras[:, :, t - 1]
        _check_cache(check, step_caches[t],
                     [("a_next", a_keras[:, :, t]), ("c_next", c_keras[:, :, t]),
                      ("a_prev", a_prev), ("c_prev", c_prev), ("ft", None), ("it", None),
                      ("cct", None), ("ot", None), ("xt", x[:, :, t]),
                      ("parameters", parameters)], f"caches[0][{t}]")
    print("a[:, 0, -1] =", rounded(a[:, 0, -1], 4))
    print("c[:, 0, -1] =", rounded(c[:, 0, -1], 4))
    print("y[:, 0, -1] =", rounded(y[:, 0, -1], 4))
    check.done()


# ----------------------------------------------------------------------------------------
# RNN backward


RNN_CELL_KEYS = ["dxt", "da_prev", "dWax", "dWaa", "dba"]
DZ_HINT = ("first dz = da_next * (1 - a_next**2), the derivative of tanh (a_next is in the "
           "cache), then")


def rnn_cell_backward(fn):
    """Check every gradient of one RNN step against numeric gradients of sum(da_next * a_next).
    """
    check = Checker("rnn_cell_backward")
    n_x, n_a, n_y, m = 3, 5, 2, 4
    rng = _rng(301)
    xt, a_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
    parameters = _rnn_parameters(rng, n_x, n_a, n_y)
    da_next = rng.standard_normal((n_a, m))
    a, (caches, _) = _rnn_caches(xt[:, :, None], a_prev, parameters)
    grads = check.call_or_fail(fn, da_next, caches[0],
                               hint="the cache is (a_next, a_prev, xt, parameters).")
    _gradient_keys(check, grads, RNN_CELL_KEYS, "the returned gradients")

    def loss(xt=xt, a_prev=a_prev, **changed):
        p = {**parameters, **changed}
        return float(np.sum(da_next * np.tanh(p["Wax"] @ xt + p["Waa"] @ a_prev + p["ba"])))

    expected = {
        "dba": numeric_gradient(lambda v: loss(ba=v), parameters["ba"]),
        "dWax": numeric_gradient(lambda v: loss(Wax=v), parameters["Wax"]),
        "dWaa": numeric_gradient(lambda v: loss(Waa=v), parameters["Waa"]),
        "dxt": numeric_gradient(lambda v: loss(xt=v), xt),
        "da_prev": numeric_gradient(lambda v: loss(a_prev=v), a_prev),
    }
    bases = {
        "dba": f"{DZ_HINT} dba = np.sum(dz, axis=1, keepdims=True).",
        "dWax": f"{DZ_HINT} dWax = dz xt^T.",
        "dWaa": f"{DZ_HINT} dWaa = dz a_prev^T.",
        "dxt": f"{DZ_HINT} dxt = Wax^T dz.",
        "da_prev": f"{DZ_HINT} da_prev = Waa^T dz.",
    }
    for key, value in expected.items():
        _check_gradient(check, grads, key, value, m, bases[key])
    print("dxt[:, 0] =", rounded(grads["dxt"][:, 0], 4))
    print("dba =", rounded(grads["dba"].ravel(), 4))
    check.done()


def _check_dx_and_da0(check, grads, loss, x, a0, *, last_step_hint, carry_hint, da0_hint):
    """Backpropagation through time: dx at the last step alone, dx everywhere (which needs
    the gradient carried back in time) and da0, each against a numeric gradient of loss."""
    dx = numeric_gradient(lambda v: loss(x=v), x)
    check.array("gradients['dx']", grads["dx"], x.shape,
                hint="dx has the shape of x: (n_x, m, T_x).")
    check.close("gradients['dx'][:, :, -1] (the last step) against a numeric gradient",
                grads["dx"][:, :, -1], dx[:, :, -1], hint=last_step_hint, **GRADIENT_TOLERANCE)
    check.close("gradients['dx'] against a numeric gradient", grads["dx"], dx, hint=carry_hint,
                **GRADIENT_TOLERANCE)
    check.array("gradients['da0']", grads["da0"], a0.shape,
                hint="da0 has the shape of a0: (n_a, m).")
    check.close("gradients['da0'] against a numeric gradient", grads["da0"],
                numeric_gradient(lambda v: loss(a0=v), a0), hint=da0_hint, **GRADIENT_TOLERANCE)


def rnn_backward(fn):
    """Check backpropagation through time against numeric gradients of sum(da * a)."""
    check = Checker("rnn_backward")
    n_x, n_a, n_y, m, T_x = 3, 4, 2, 3, 5
    rng = _rng(302)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    parameters = _rnn_parameters(rng, n_x, n_a, n_y)
    da = rng.standard_normal((n_a, m, T_x))
    _, caches = _rnn_caches(x, a0, parameters)
    grads = check.call_or_fail(
        fn, da, caches,
        hint="caches = (list of step caches, x); read n_x, m, T_x from x.shape.")
    _gradient_keys(check, grads, ["dx", "da0", "dWax", "dWaa", "dba"], "the returned gradients")

    def loss(x=x, a0=a0, **changed):
        return float(np.sum(da * _rnn_states(x, a0, {**parameters, **changed})))

    recurrent = ("The gradient reaching a<t> has two parts: da[:, :, t] from the loss at step t "
                 "and da_prevt coming back from step t + 1. Call rnn_cell_backward(da[:, :, t] "
                 "+ da_prevt, caches[t]).")
    _check_dx_and_da0(
        check, grads, loss, x, a0, carry_hint=recurrent,
        last_step_hint="walk backwards, t = T_x - 1, ..., 0: the last step receives only "
                       "da[:, :, T_x - 1]; store each dxt in dx[:, :, t].",
        da0_hint="da0 is the da_prevt returned by the first step (t = 0). " + recurrent)
    for key in ("Wax", "Waa", "ba"):
        expected = numeric_gradient(lambda v, key=key: loss(**{key: v}), parameters[key])
        _check_gradient(check, grads, f"d{key}", expected, m,
                        f"add up the d{key} of every time step (d{key} += ...), starting "
                        "from zeros. " + recurrent)
    print("dx[:, 0, 0] =", rounded(grads["dx"][:, 0, 0], 4))
    print("da0[:, 0] =", rounded(grads["da0"][:, 0], 4))
    print("dba =", rounded(grads["dba"].ravel(), 4))
    check.done()


# ----------------------------------------------------------------------------------------
# LSTM backward


LSTM_PARAMETER_KEYS = [f"{p}{g}" for p in ("W", "b") for g in GATES]
TOTAL_DC = ("The gradient reaching c_next is dc = dc_next + da_next * ot * (1 - tanh(c_next)**2) "
            "(c_next also feeds a_next = ot * tanh(c_next)).")
GATE_GRADIENT_NAMES = {"f": "dft", "i": "dit", "c": "dcct", "o": "dot"}
GATE_GRADIENT_HINTS = {
    "o": "dot = da_next * tanh(c_next) * ot * (1 - ot): the output gate is reached only "
         "through a_next.",
    "f": f"{TOTAL_DC} Then dft = dc * c_prev * ft * (1 - ft).",
    "i": f"{TOTAL_DC} Then dit = dc * cct * it * (1 - it).",
    "c": f"{TOTAL_DC} Then dcct = dc * it * (1 - cct**2) (cct is a tanh).",
}


def lstm_cell_backward(fn):
    """Check every gradient of one LSTM step against numeric gradients of
    sum(da_next * a_next) + sum(dc_next * c_next)."""
    check = Checker("lstm_cell_backward")
    n_x, n_a, n_y, m = 3, 4, 2, 3
    rng = _rng(401)
    xt, a_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
    c_prev = rng.standard_normal((n_a, m))
    parameters = _lstm_parameters(rng, n_x, n_a, n_y)
    da_next, dc_next = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    _, _, cache = _lstm_step(xt, a_prev, c_prev, parameters)
    grads = check.call_or_fail(
        fn, da_next, dc_next, cache,
        hint="the cache is (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, "
        "parameters).")
    keys = ["dxt", "da_prev", "dc_prev"] + [f"d{k}" for k in LSTM_PARAMETER_KEYS]
    _gradient_keys(check, grads, keys, "the returned gradients")

    def loss(xt=xt, a_prev=a_prev, c_prev=c_prev, **changed):
        a_next, c_next, _ = _lstm_step(xt, a_prev, c_prev, {**parameters, **changed})
        return float(np.sum(da_next * a_next) + np.sum(dc_next * c_next))

    def numeric(key):
        return numeric_gradient(lambda v: loss(**{key: v}), parameters[key])

    _check_gradient(check, grads, "dbo", numeric("bo"), m, GATE_GRADIENT_HINTS["o"] +
                    " dbo = np.sum(dot, axis=1, keepdims=True).")
    _check_gradient(check, grads, "dc_prev", numeric_gradient(lambda v: loss(c_prev=v), c_prev),
                    m, f"{TOTAL_DC} dc_prev = dc * ft.")
    for gate in ("f", "i", "c"):
        _check_gradient(check, grads, f"db{gate}", numeric(f"b{gate}"), m,
                        GATE_GRADIENT_HINTS[gate] + f" db{gate} sums {GATE_GRADIENT_NAMES[gate]} "
                        "over the examples.")
    for gate in GATES:
        _check_gradient(check, grads, f"dW{gate}", numeric(f"W{gate}"), m,
                        f"dW{gate} = {GATE_GRADIENT_NAMES[gate]} concat^T with concat = "
                        "[a_prev; xt] (a_prev on top). " + GATE_GRADIENT_HINTS[gate])
    stacked = ("Wf^T dft + Wi^T dit + Wc^T dcct + Wo^T dot is the gradient of [a_prev; xt]: "
               "its first n_a rows are da_prev, the remaining n_x rows dxt.")
    _check_gradient(check, grads, "da_prev", numeric_gradient(lambda v: loss(a_prev=v), a_prev),
                    m, stacked)
    _check_gradient(check, grads, "dxt", numeric_gradient(lambda v: loss(xt=v), xt), m, stacked)
    print("dxt[:, 0] =", rounded(grads["dxt"][:, 0], 4))
    print("dc_prev[:, 0] =", rounded(grads["dc_prev"][:, 0], 4))
    print("dbf =", rounded(grads["dbf"].ravel(), 4))
    check.done()


def lstm_backward(fn):
    """Check backpropagation through time for the LSTM against numeric gradients of
    sum(da * a)."""
    check = Checker("lstm_backward")
    n_x, n_a, n_y, m, T_x = 3, 4, 2, 2, 4
    rng = _rng(402)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    parameters = _lstm_parameters(rng, n_x, n_a, n_y)
    da = rng.standard_normal((n_a, m, T_x))
    c0 = np.zeros_like(a0)
    _, _, caches = _lstm_run(x, a0, c0, parameters)
    grads = check.call_or_fail(
        fn, da, caches,
        hint="caches = (list of step caches, x); read n_x, m, T_x from x.shape.")
    keys = ["dx", "da0"] + [f"d{k}" for k in LSTM_PARAMETER_KEYS]
    _gradient_keys(check, grads, keys, "the returned gradients")

    def loss(x=x, a0=a0, **changed):
        return float(np.sum(da * _lstm_run(x, a0, c0, {**parameters, **changed})[0]))

    carry = ("Carry both gradients back in time: call lstm_cell_backward(da[:, :, t] + "
             "da_prevt, dc_prevt, caches[t]) and keep its da_prev and dc_prev for step t - 1.")
    _check_dx_and_da0(
        check, grads, loss, x, a0, carry_hint=carry,
        last_step_hint="walk backwards, t = T_x - 1, ..., 0, starting with da_prevt and "
                       "dc_prevt at zero; store each dxt in dx[:, :, t].",
        da0_hint="da0 is the da_prev returned by the first step (t = 0). " + carry)
    for key in LSTM_PARAMETER_KEYS:
        expected = numeric_gradient(lambda v, key=key: loss(**{key: v}), parameters[key])
        _check_gradient(check, grads, f"d{key}", expected, m,
                        f"add up the d{key} of every time step (d{key} += ...), starting "
                        "from zeros. " + carry)
    print("dx[:, 0, 0] =", rounded(grads["dx"][:, 0, 0], 4))
    print("da0[:, 0] =", rounded(grads["da0"][:, 0], 4))
    print("dbf =", rounded(grads["dbf"].ravel(), 4))
    check.done()
