"""Checks for Course 5, week 1: a character-level language model that writes first names.

Oracles:

- ``clip``: ``np.clip`` on copies of the inputs, and object identity / ``np.shares_memory``
  to make sure the learner's dict and arrays are left alone;
- ``sample``: networks whose behaviour is known in advance. Hand-built weights that spell
  the alphabet (each letter's one-hot input points to the next letter, so the output is
  fixed only if the sampled letter is fed back) or repeat every letter twice (the next
  letter is read from the *previous* hidden state, so the output is fixed only if the
  hidden state is carried over), and all-zero weights, for which every draw comes from
  ``softmax(by)``: the frequencies over many samples are compared with it by a chi-square
  test (``scipy.stats.chisquare``);
- ``optimize``: a forward pass written here, step by step, with ``scipy.special.softmax``
  for the loss and last hidden state, and numeric gradients (central differences) of that
  loss, clipped with ``np.clip``, for the gradients and the parameter update;
- ``model``: properties of training on a six-name corpus: the returned shapes, the loss
  history falling, and the trained network's loss (forward pass written here) far below
  that of a network that guesses uniformly.

Vocabulary used by the checks: "\\n" is index 0, "a" to "z" are 1 to 26.
"""

import numbers

import numpy as np
from scipy.special import softmax
from scipy.stats import chisquare

from utils.checks.harness import Checker, rounded
from utils.checks.oracles import numeric_gradient

CHARACTERS = "\n" + "abcdefghijklmnopqrstuvwxyz"
CHAR_TO_IX = {ch: i for i, ch in enumerate(CHARACTERS)}
IX_TO_CHAR = dict(enumerate(CHARACTERS))
NEWLINE = 0
VOCAB = len(CHARACTERS)
GRADIENT_KEYS = ("dWaa", "dWax", "dWya", "db", "dby")
PARAMETER_KEYS = ("Wax", "Waa", "Wya", "b", "by")
MAX_DRAWS = 50

# ----------------------------------------------------------------------------------------
# helpers (oracles written independently of the notebook)


def _rng(seed):
    return np.random.default_rng(seed)


def _text(indices):
    return "".join(IX_TO_CHAR.get(int(i), "?") for i in indices)


def _oracle_forward(X, Y, a0, parameters):
    """Summed cross-entropy of the sequence and the last hidden state, one step at a time."""
    vocab = parameters["by"].shape[0]
    a = a0
    loss = 0.0
    for x_index, y_index in zip(X, Y, strict=True):
        x = np.zeros((vocab, 1))
        if x_index is not None:
            x[x_index, 0] = 1.0
        a = np.tanh(parameters["Wax"].dot(x) + parameters["Waa"].dot(a) + parameters["b"])
        probabilities = softmax(parameters["Wya"].dot(a) + parameters["by"], axis=0)
        loss += -np.log(probabilities[y_index, 0])
    return float(loss), a


# ----------------------------------------------------------------------------------------
# clip


def _gradients(rng, n_a, n_x, scale):
    n_y = n_x
    return {
        "dWaa": rng.normal(0.0, scale, (n_a, n_a)),
        "dWax": rng.normal(0.0, scale, (n_a, n_x)),
        "dWya": rng.normal(0.0, scale, (n_y, n_a)),
        "db": rng.normal(0.0, scale, (n_a, 1)),
        "dby": rng.normal(0.0, scale, (n_y, 1)),
    }


def _check_clip_call(check, fn, gradients, max_value):
    objects = dict(gradients)
    originals = {key: np.copy(value) for key, value in gradients.items()}
    what = f"clip(gradients, {max_value})"
    result = check.call_or_fail(
        fn, gradients, max_value,
        hint="clip the five arrays gradients['dWaa'], ['dWax'], ['dWya'], ['db'] "
             "and ['dby'].")
    for key in GRADIENT_KEYS:
        same_object = gradients.get(key) is objects[key]
        untouched = same_object and np.array_equal(objects[key], originals[key])
        hint = ("build a new dict of new arrays, e.g. np.clip(g, -maxValue, maxValue) "
                "without out=g; the caller may still need the unclipped gradients.")
        if not same_object:
            hint = ("the input dict now holds other arrays: put the clipped arrays in a new "
                    "dict instead of assigning into the one you were given.")
        check.that(untouched, f"the input gradients[{key!r}] after {what}",
                   "the learner's dict and arrays left exactly as they were",
                   "a modified input", hint)
    check.keys(result, GRADIENT_KEYS, f"the dict returned by {what}",
               "return a dict with the same five keys: dWaa, dWax, dWya, db, dby.")
    clipped_count = 0
    for key in GRADIENT_KEYS:
        got = result[key]
        check.array(got, originals[key].shape, f"{what}[{key!r}]",
                    "each clipped array keeps the shape of its gradient.")
        expected = np.clip(originals[key], -max_value, max_value)
        hint = f"every entry of {key} must end up in [-maxValue, maxValue]."
        if np.allclose(got, originals[key]):
            hint = f"{key} came back unclipped: clip all five gradients."
        elif max_value != 5 and np.allclose(got, np.clip(originals[key], -5, 5)):
            hint = "clip at the maxValue argument, not at a fixed 5."
        elif np.allclose(got, np.minimum(originals[key], max_value)):
            hint = "only large positive values were clipped: clip from below at -maxValue too."
        check.close(got, expected, f"{what}[{key!r}]", rtol=0, atol=1e-12, hint=hint)
        check.that(not np.shares_memory(got, objects[key]),
                   f"{what}[{key!r}] is a new array", "a copy", "the input array itself",
                   "return clipped copies so the caller's gradients stay as they were.")
        clipped_count += int(np.sum(np.abs(originals[key]) > max_value))
    total = sum(value.size for value in originals.values())
    return clipped_count, total


def clip(fn):
    """Check clip(gradients, maxValue) on two dicts of random gradients."""
    check = Checker("clip")
    first = _check_clip_call(check, fn, _gradients(_rng(1), 5, 3, 6.0), 4.5)
    second = _check_clip_call(check, fn, _gradients(_rng(2), 2, 4, 1.0), 0.5)
    print(f"maxValue 4.5: {first[0]} of {first[1]} entries clipped, as np.clip does")
    print(f"maxValue 0.5: {second[0]} of {second[1]} entries clipped, as np.clip does")
    print("the input dict and its arrays are unchanged")
    check.done()


# ----------------------------------------------------------------------------------------
# sample


def _alphabet_network():
    """Each letter's one-hot input switches on its own hidden unit, which points to the
    next letter ("z" points to the newline); the bias starts the name with "a"."""
    n_a = VOCAB
    Wya = np.zeros((VOCAB, n_a))
    for index in range(1, VOCAB):
        Wya[(index + 1) % VOCAB, index] = 80.0
    by = np.zeros((VOCAB, 1))
    by[CHAR_TO_IX["a"]] = 30.0
    return {"Wax": 10.0 * np.eye(n_a, VOCAB), "Waa": np.zeros((n_a, n_a)), "Wya": Wya,
            "b": np.zeros((n_a, 1)), "by": by}


def _memory_network():
    """Units 0-26 hold the current input letter, units 27-53 copy them from the previous
    hidden state, and the output reads only the copy: the letter after the one that was
    fed one step earlier. Starting from "a" it writes every letter twice: aabbcc..."""
    n_a = 2 * VOCAB
    Wax = np.zeros((n_a, VOCAB))
    Wax[:VOCAB] = 10.0 * np.eye(VOCAB)
    Waa = np.zeros((n_a, n_a))
    Waa[VOCAB:, :VOCAB] = 10.0 * np.eye(VOCAB)
    Wya = np.zeros((VOCAB, n_a))
    for index in range(1, VOCAB):
        Wya[(index + 1) % VOCAB, VOCAB + index] = 80.0
    by = np.zeros((VOCAB, 1))
    by[CHAR_TO_IX["a"]] = 30.0
    return {"Wax": Wax, "Waa": Waa, "Wya": Wya, "b": np.zeros((n_a, 1)), "by": by}


def _uniform_network(probabilities, n_a=6):
    """All-zero weights: the hidden state stays 0 and every draw comes from softmax(by)."""
    return {"Wax": np.zeros((n_a, VOCAB)), "Waa": np.zeros((n_a, n_a)),
            "Wya": np.zeros((VOCAB, n_a)), "b": np.zeros((n_a, 1)),
            "by": np.log(probabilities).reshape(-1, 1)}


def _sample_distribution():
    probabilities = np.full(VOCAB, 0.2 / 23)
    for ch, p in (("\n", 0.2), ("a", 0.3), ("e", 0.2), ("k", 0.1)):
        probabilities[CHAR_TO_IX[ch]] = p
    return probabilities


def _check_indices(check, got, what):
    check.type_is(got, list, what, "return a Python list of indices (append to a list).")
    ok = all(isinstance(i, numbers.Integral) and 0 <= int(i) < VOCAB for i in got)
    check.that(ok and len(got) > 0, f"items of {what}", f"integers from 0 to {VOCAB - 1}",
               repr(got[:10]), "append the index you drew (an int), not the one-hot vector "
               "or the probabilities.")


def _check_chain(check, fn, parameters, expected, what, hint_same, seed=0):
    got = check.call_or_fail(fn, parameters, dict(CHAR_TO_IX), seed,
                             hint="read the vocabulary size from parameters['by'].shape[0] and the "
                                  "hidden size from parameters['Waa'].shape[0].")
    _check_indices(check, got, what)
    hint = "draw each character from the softmax of Wya a + by, then use it as the next input."
    if len(set(int(i) for i in got[:-1])) == 1:
        hint = hint_same
    elif len(got) == MAX_DRAWS and int(got[-1]) != NEWLINE:
        hint = ("after 50 draws without a newline, stop and append the newline index, so "
                "every name ends with one.")
    elif len(got) >= 2 and int(got[-1]) == NEWLINE and int(got[-2]) == NEWLINE:
        hint = ("append the newline only when 50 characters were drawn without one; a name "
                "that already ended with a newline is complete.")
    check.that([int(i) for i in got] == expected, what, repr(_text(expected)),
               repr(_text(got)), hint)
    return got


def sample(fn):
    """Check sample(parameters, char_to_ix, seed) on networks whose output is known."""
    check = Checker("sample")
    alphabet = list(range(1, VOCAB)) + [NEWLINE]
    _check_chain(
        check, fn, _alphabet_network(), alphabet,
        "sample on weights that spell the alphabet",
        "the same character came out at every step: after drawing an index, make x a fresh "
        "one-hot vector of it (zeros, then x[idx] = 1) and feed it in at the next step.")
    doubled = [1 + k // 2 for k in range(MAX_DRAWS)] + [NEWLINE]
    _check_chain(
        check, fn, _memory_network(), doubled,
        "sample on weights that repeat each letter twice (they never draw a newline)",
        "the same character came out at every step: carry the hidden state over "
        "(a_prev = a) and feed the drawn character back in.")
    print("alphabet weights:", repr(_text(alphabet)))
    print("doubling weights:", repr(_text(doubled)), f"({len(doubled)} indices: 50 draws "
          "and the newline added at the cap)")

    probabilities = _sample_distribution()
    parameters = _uniform_network(probabilities)
    counts = np.zeros(VOCAB)
    samples = []
    for seed in range(800):
        got = fn(parameters, dict(CHAR_TO_IX), seed)
        if seed == 0:
            _check_indices(check, got, "sample(..., seed=0)")
        got = [int(i) for i in got]
        ends = got[-1] == NEWLINE and NEWLINE not in got[:-1]
        if not (ends and len(got) <= MAX_DRAWS + 1):
            check.fail(f"sample(..., seed={seed}) on zero weights",
                       "one newline, at the end, at most 51 indices", repr(_text(got)),
                       "stop as soon as you draw the newline; stop after 50 draws and "
                       "append the newline then.")
        samples.append(got)
        counts += np.bincount(got[:MAX_DRAWS], minlength=VOCAB)
    check.that(True, "every sample ends with its only newline", "", "")
    bins = [CHAR_TO_IX[ch] for ch in "\naek"]
    rest = [i for i in range(VOCAB) if i not in bins]
    observed = np.append(counts[bins], counts[rest].sum())
    expected = np.append(probabilities[bins], probabilities[rest].sum()) * counts.sum()
    p_value = chisquare(observed, expected).pvalue
    hint = "draw with the probabilities, e.g. rng.choice(vocab_size, p=y.ravel())."
    if counts[CHAR_TO_IX["a"]] == counts.sum() - counts[NEWLINE]:
        hint = ("only the most likely letter came out: np.argmax picks it every time; "
                "sample from the distribution instead (rng.choice with p=...).")
    check.that(p_value > 1e-4, "frequencies of 800 samples on zero weights (every draw "
               "comes from softmax(by))",
               f"close to {rounded(probabilities[bins], 3)} for \\n, a, e, k",
               f"{rounded(observed[:4] / counts.sum(), 3)} (chi-square p = "
               f"{rounded(p_value, 3)})", hint)
    distinct = len({tuple(s) for s in samples[:20]})
    check.that(distinct >= 10, "samples for seeds 0 to 19", "mostly different names",
               f"{distinct} different names", "seed your generator with the seed argument, "
               "e.g. rng = np.random.default_rng(seed).")
    np.random.seed(11)
    first = fn(parameters, dict(CHAR_TO_IX), 123)
    np.random.seed(12)
    again = fn(parameters, dict(CHAR_TO_IX), 123)
    check.that([int(i) for i in first] == [int(i) for i in again],
               "two calls with seed=123", "the same name twice",
               f"{_text(first)!r} then {_text(again)!r}",
               "draw every random number from a generator seeded with the seed argument.")
    print("zero weights: 800 samples, frequencies match softmax(by)",
          rounded(probabilities[bins], 3), "for \\n, a, e, k (chi-square test)")
    print("same seed, same name; different seeds, different names")
    check.done()


# ----------------------------------------------------------------------------------------
# optimize


def _optimize_problem():
    """Vocabulary of 5 symbols, 4 hidden units, a 12-step sequence whose targets the
    network finds unlikely, so that some gradients exceed 5 and get clipped."""
    rng = _rng(7)
    n_a, vocab = 4, 5
    parameters = {
        "Wax": rng.standard_normal((n_a, vocab)),
        "Waa": rng.standard_normal((n_a, n_a)) * 0.5,
        "Wya": rng.standard_normal((vocab, n_a)),
        "b": rng.standard_normal((n_a, 1)) * 0.3,
        "by": np.array([[0.5], [-2.0], [3.0], [0.0], [0.2]]),
    }
    X = [None] + [1] * 6 + [3] * 5
    Y = X[1:] + [0]
    a_prev = rng.standard_normal((n_a, 1)) * 0.5
    return X, Y, a_prev, parameters


def _numeric_gradients(X, Y, a_prev, parameters):
    gradients = {}
    for key in PARAMETER_KEYS:
        def loss_of(value, key=key):
            return _oracle_forward(X, Y, a_prev, {**parameters, key: value})[0]
        gradients["d" + key] = numeric_gradient(loss_of, parameters[key])
    return gradients


def optimize(fn):
    """Check optimize(X, Y, a_prev, parameters, learning_rate) on one 12-step sequence."""
    check = Checker("optimize")
    X, Y, a_prev, parameters = _optimize_problem()
    before = {key: np.copy(value) for key, value in parameters.items()}
    X_copy, Y_copy = list(X), list(Y)
    rate = 0.05
    result = check.call_or_fail(fn, X, Y, a_prev, parameters, learning_rate=rate,
                                hint="use rnn_forward(X, Y, a_prev, parameters, vocab_size) and "
                                     "rnn_backward(X, Y, parameters, cache) from utils.char_rnn.")
    check.type_is(result, tuple, "the value returned by optimize",
                  "return loss, gradients, a_last.")
    check.that(len(result) == 3, "number of values returned by optimize", 3, len(result),
               "return loss, gradients, a_last.")
    loss, gradients, a_last = result
    check.that(X == X_copy and Y == Y_copy, "X and Y after the call", "unchanged lists",
               f"X={X}, Y={Y}", "do not modify the input lists.")

    expected_loss, expected_a = _oracle_forward(X, Y, a_prev, before)
    check.number(loss, "loss")
    hint = "the loss is the sum over the steps of -log(probability of the target)."
    if np.isclose(float(loss), expected_loss / len(X), rtol=1e-6):
        hint = "the loss is the sum over the steps, not the mean."
    check.close(loss, expected_loss, "loss", rtol=1e-7, hint=hint)

    raw = _numeric_gradients(X, Y, a_prev, before)
    expected = {key: np.clip(value, -5, 5) for key, value in raw.items()}
    check.type_is(gradients, dict, "gradients")
    missing = [key for key in GRADIENT_KEYS if key not in gradients]
    check.that(not missing, "keys of gradients", list(GRADIENT_KEYS), sorted(gradients),
               "return the (clipped) gradients dict with dWax, dWaa, dWya, db, dby.")
    for key in GRADIENT_KEYS:
        got = gradients[key]
        check.array(got, expected[key].shape, f"gradients[{key!r}]")
        hint = "gradients are those of rnn_backward, clipped to [-5, 5]."
        if np.allclose(got, raw[key], rtol=1e-4, atol=1e-6):
            hint = f"{key} has entries beyond 5 in size: clip the gradients at maxValue=5."
        check.close(got, expected[key], f"gradients[{key!r}]", rtol=1e-4, atol=1e-6,
                    hint=hint)

    for name in PARAMETER_KEYS:
        step = expected["d" + name]
        got = parameters[name]
        hint = "update in place: parameters[name] -= learning_rate * clipped gradient."
        if np.allclose(got, before[name]):
            hint = ("the parameters did not move: update the dict you were given (in place), "
                    "optimize returns no parameters.")
        elif np.allclose(got, before[name] + rate * step, rtol=1e-4, atol=1e-7):
            hint = "the update has the wrong sign: subtract learning_rate * gradient."
        elif np.allclose(got, before[name] - rate * raw["d" + name], rtol=1e-4, atol=1e-7):
            hint = "the update used unclipped gradients: clip first, then update."
        elif np.allclose(got, before[name] - 0.01 * step, rtol=1e-4, atol=1e-7):
            hint = "use the learning_rate argument (the check passes 0.05), not 0.01."
        check.close(got, before[name] - rate * step, f"parameters[{name!r}] after the step",
                    rtol=1e-4, atol=1e-7, hint=hint)

    check.array(a_last, expected_a.shape, "a_last",
                "a_last is the hidden state after the last step, shape (n_a, 1).")
    check.close(a_last, expected_a, "a_last", rtol=1e-6, atol=1e-9,
                hint="return the hidden state of the last step, a[len(X) - 1].")
    clipped = sum(int(np.sum(np.abs(value) > 5)) for value in raw.values())
    print("loss:", rounded(loss))
    print(f"gradients: match numeric gradients clipped to [-5, 5] ({clipped} entries clipped)")
    print("parameters moved by -learning_rate * clipped gradient")
    print("a_last:", rounded(np.ravel(a_last), 4))
    check.done()


# ----------------------------------------------------------------------------------------
# model

CORPUS = ["ada", "bob", "eve", "otto", "anna", "hannah"]


def _corpus_loss(parameters):
    """Mean summed cross-entropy per name of the corpus, each from a zero hidden state."""
    n_a = parameters["Waa"].shape[0]
    total = 0.0
    for name in CORPUS:
        X = [None] + [CHAR_TO_IX[ch] for ch in name]
        Y = X[1:] + [NEWLINE]
        total += _oracle_forward(X, Y, np.zeros((n_a, 1)), parameters)[0]
    return total / len(CORPUS)


def model(fn):
    """Check model(...) on a six-name corpus: shapes, falling loss, a model that learned."""
    check = Checker("model")
    history = []
    iterations, n_a = 2500, 12
    parameters = check.call_or_fail(
        fn, list(CORPUS), dict(IX_TO_CHAR), dict(CHAR_TO_IX),
        num_iterations=iterations, n_a=n_a, dino_names=2, vocab_size=VOCAB,
        verbose=False, loss_history=history,
        hint="encode each name with char_to_ix: X = [None] + indices, "
             "Y = indices + [newline index].")
    check.keys(parameters, PARAMETER_KEYS, "the dict returned by model",
               "return the parameters dict (Wax, Waa, Wya, b, by).")
    shapes = {"Wax": (n_a, VOCAB), "Waa": (n_a, n_a), "Wya": (VOCAB, n_a), "b": (n_a, 1),
              "by": (VOCAB, 1)}
    for key, shape in shapes.items():
        check.array(parameters[key], shape, f"parameters[{key!r}]")
    check.that(len(history) == iterations, "length of loss_history",
               f"{iterations} (one loss per step)", len(history),
               "keep the given line that appends each step's loss.")
    start, end = float(np.mean(history[:60])), float(np.mean(history[-60:]))
    check.that(end < 0.5 * start, "mean loss of the last 60 steps against the first 60",
               f"well below {rounded(start, 3)}", rounded(end, 3),
               "one optimize step per iteration, on the name examples[j % len(examples)], "
               "with the default learning rate.")
    uniform = float(np.mean([(len(name) + 1) * np.log(VOCAB) for name in CORPUS]))
    trained = _corpus_loss(parameters)
    check.that(trained < 0.4 * uniform, "loss per name of the returned parameters on the "
               "corpus", f"below 0.4 times a uniform guess's {rounded(uniform, 3)}",
               rounded(trained, 3), "train on every name of the corpus in turn, with X "
               "starting with None and Y ending with the newline index.")
    print("parameter shapes:", ", ".join(f"{k} {shapes[k]}" for k in PARAMETER_KEYS))
    print(f"loss history: {iterations} values, falling")
    print("loss per name on the corpus: well below a uniform guess's", rounded(uniform, 3))
    check.done()
