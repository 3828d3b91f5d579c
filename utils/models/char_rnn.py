"""A character-level recurrent language model in numpy.

The pieces the Course 5 notebook *Writing names one letter at a time* builds on (the graded
functions ``clip``, ``sample``, ``optimize`` and ``model`` live in the notebook itself):

- symbols (the names themselves come from :func:`utils.data.names.load_names`):
  :func:`vocabulary` gives the 27 symbols ("\\n" and a-z) and their indices;
  :func:`encode` turns a name into the input and target index lists;
- the network: :func:`initialize_parameters`, :func:`softmax`, :func:`rnn_step_forward`,
  :func:`rnn_step_backward`, :func:`rnn_forward` (loss and cache of one sequence),
  :func:`rnn_backward` (its gradients), :func:`update_parameters_in_place`;
- bookkeeping: :func:`smooth` (a bias-corrected moving average of the per-name losses) and
  :func:`loss_per_character` (mean cross-entropy per predicted symbol over many names).

Conventions (the course's): parameters ``Wax (n_a, n_x)``, ``Waa (n_a, n_a)``,
``Wya (n_y, n_a)``, ``b (n_a, 1)``, ``by (n_y, 1)``; gradients ``dWax, dWaa, dWya, db, dby``.
A sequence is a list of indices ``X`` whose first element is ``None`` (the zero input that
starts every name) and targets ``Y`` equal to ``X`` shifted left by one with the newline
index at the end. The loss of a sequence is the *sum* of the cross-entropies of its steps.
"""

import numpy as np

NEWLINE = "\n"
CHARACTERS = NEWLINE + "abcdefghijklmnopqrstuvwxyz"
GRADIENT_KEYS = ("dWax", "dWaa", "dWya", "db", "dby")


def vocabulary():
    """``char_to_ix`` and ``ix_to_char`` for the 27 symbols: "\\n" is 0, "a" to "z" are 1-26."""
    char_to_ix = {ch: i for i, ch in enumerate(CHARACTERS)}
    ix_to_char = dict(enumerate(CHARACTERS))
    return char_to_ix, ix_to_char


def encode(name, char_to_ix):
    """Input and target index lists of one name: ``X = [None, c1, ..., cn]``,
    ``Y = [c1, ..., cn, newline]``."""
    indices = [char_to_ix[ch] for ch in name]
    return [None] + indices, indices + [char_to_ix[NEWLINE]]


def decode(indices, ix_to_char):
    """The text spelled by a list of indices (the final newline included, if any)."""
    return "".join(ix_to_char[int(i)] for i in indices)


# ----------------------------------------------------------------------------------------
# the network


def initialize_parameters(n_a, n_x, n_y, seed=1):
    """Small random weights (standard normal times 0.01) and zero biases."""
    rng = np.random.default_rng(seed)
    return {
        "Wax": rng.standard_normal((n_a, n_x)) * 0.01,
        "Waa": rng.standard_normal((n_a, n_a)) * 0.01,
        "Wya": rng.standard_normal((n_y, n_a)) * 0.01,
        "b": np.zeros((n_a, 1)),
        "by": np.zeros((n_y, 1)),
    }


def softmax(z):
    """Softmax over the first axis (each column sums to one), computed stably."""
    shifted = np.exp(z - np.max(z, axis=0, keepdims=True))
    return shifted / np.sum(shifted, axis=0, keepdims=True)


def one_hot(index, size):
    """Column vector ``(size, 1)`` with a 1 at ``index``; all zeros when ``index`` is None."""
    x = np.zeros((size, 1))
    if index is not None:
        x[index] = 1.0
    return x


def rnn_step_forward(parameters, a_prev, x):
    """One time step: ``a = tanh(Wax x + Waa a_prev + b)``, ``p = softmax(Wya a + by)``."""
    a_next = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a_prev + parameters["b"])
    p_t = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, p_t


def rnn_step_backward(dy, gradients, parameters, x, a, a_prev):
    """Add one time step's contribution to ``gradients`` (in place) and return them.

    ``dy`` is the derivative of the step's loss with respect to the scores ``Wya a + by``
    (``p - y`` for softmax with cross-entropy). ``gradients["da_next"]`` carries the
    derivative with respect to ``a`` coming from the later steps, and is replaced by the
    one for ``a_prev``.
    """
    gradients["dWya"] += dy @ a.T
    gradients["dby"] += dy
    da = parameters["Wya"].T @ dy + gradients["da_next"]
    dz = (1 - a * a) * da
    gradients["db"] += dz
    gradients["dWax"] += dz @ x.T
    gradients["dWaa"] += dz @ a_prev.T
    gradients["da_next"] = parameters["Waa"].T @ dz
    return gradients


def rnn_forward(X, Y, a0, parameters, vocab_size=27):
    """Run the network over one sequence; return its summed cross-entropy and a cache.

    ``X`` and ``Y`` are index lists of the same length ``T`` (``X[0]`` may be None for the
    zero input). The same numbers as :func:`rnn_step_forward` applied step after step, but
    the parts that do not depend on the previous step are done for all steps at once. The
    cache ``(p, a, x)`` holds arrays: probabilities ``(n_y, T)``, hidden states
    ``(n_a, T + 1)`` whose column 0 is ``a0`` and column ``t + 1`` is step ``t``'s, and the
    one-hot inputs ``(n_x, T)``.
    """
    steps = len(X)
    if len(Y) != steps:
        raise ValueError(f"X has {steps} steps but Y has {len(Y)}: they must be equally long.")
    x = np.zeros((vocab_size, steps))
    for t, index in enumerate(X):
        if index is not None:
            x[index, t] = 1.0
    from_inputs = parameters["Wax"] @ x + parameters["b"]
    a = np.empty((a0.shape[0], steps + 1))
    a[:, 0] = a0[:, 0]
    for t in range(steps):
        a[:, t + 1] = np.tanh(from_inputs[:, t] + parameters["Waa"] @ a[:, t])
    p = softmax(parameters["Wya"] @ a[:, 1:] + parameters["by"])
    loss = -float(np.sum(np.log(p[np.asarray(Y), np.arange(steps)])))
    return loss, (p, a, x)


def rnn_backward(X, Y, parameters, cache):
    """Gradients of :func:`rnn_forward`'s loss and the hidden states, by back-propagation
    through time.

    Returns ``gradients`` (keys ``dWax, dWaa, dWya, db, dby``, the same numbers as
    :func:`rnn_step_backward` applied from the last step to the first) and ``a``, a dict of
    hidden states ``(n_a, 1)`` keyed by the step: ``a[t]`` after step ``t``, ``a[-1]`` the
    initial state, so ``a[len(X) - 1]`` is the last one.
    """
    p, a, x = cache
    steps = len(X)
    dy = np.copy(p)
    dy[np.asarray(Y), np.arange(steps)] -= 1.0
    from_outputs = parameters["Wya"].T @ dy
    dz = np.empty((a.shape[0], steps))
    da_next = np.zeros(a.shape[0])
    for t in reversed(range(steps)):
        dz[:, t] = (1.0 - a[:, t + 1] ** 2) * (from_outputs[:, t] + da_next)
        da_next = parameters["Waa"].T @ dz[:, t]
    gradients = {
        "dWax": dz @ x.T,
        "dWaa": dz @ a[:, :-1].T,
        "dWya": dy @ a[:, 1:].T,
        "db": np.sum(dz, axis=1, keepdims=True),
        "dby": np.sum(dy, axis=1, keepdims=True),
    }
    hidden = {t: a[:, t + 1 : t + 2] for t in range(-1, steps)}
    return gradients, hidden


def update_parameters_in_place(parameters, gradients, learning_rate):
    """One gradient-descent step, ``W <- W - learning_rate * dW``, written into the arrays of
    ``parameters``; returns None.

    In place because the course's ``optimize`` returns no parameters: its caller keeps
    training the dict it passed in. (``update_parameters`` elsewhere in ``utils.models``
    returns a new dict instead, hence the different name.)
    """
    for name in ("Wax", "Waa", "Wya", "b", "by"):
        parameters[name] -= learning_rate * gradients[f"d{name}"]


# ----------------------------------------------------------------------------------------
# bookkeeping


def smooth(losses, beta=0.999):
    """Exponential moving average of ``losses`` with bias correction (like Adam's), so the
    curve starts at the first loss instead of at zero. Returns an array of the same length."""
    losses = np.asarray(losses, dtype=float)
    out = np.empty_like(losses)
    average = 0.0
    for t, value in enumerate(losses, start=1):
        average = beta * average + (1 - beta) * value
        out[t - 1] = average / (1 - beta**t)
    return out


def loss_per_character(parameters, names, char_to_ix):
    """Mean cross-entropy (in nats) per predicted symbol, final newline included, over
    ``names``, each started from a zero hidden state."""
    n_a = parameters["Waa"].shape[0]
    vocab_size = parameters["by"].shape[0]
    total, count = 0.0, 0
    for name in names:
        X, Y = encode(name, char_to_ix)
        loss, _ = rnn_forward(X, Y, np.zeros((n_a, 1)), parameters, vocab_size)
        total += loss
        count += len(Y)
    return total / count
