"""A plain numpy 3-layer network and a training loop with pluggable pieces (Course 2, week 1).

The network is ``LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID``. As everywhere in
this repository, examples are columns: ``X`` has shape ``(n_x, m)`` and ``Y`` ``(1, m)``.

The cache of the forward pass is a dictionary, so that nobody has to remember an order::

    {"Z1", "A1", "W1", "b1",     layer 1: Z1 = W1 X + b1, A1 = relu(Z1)
     "Z2", "A2", "W2", "b2",     layer 2: Z2 = W2 A1 + b2, A2 = relu(Z2)
     "Z3", "A3", "W3", "b3"}     layer 3: Z3 = W3 A2 + b3, A3 = sigmoid(Z3)

A forward pass with dropout adds the masks ``"D1"`` and ``"D2"`` (0/1 arrays of the shapes
of ``A1`` and ``A2``), and its ``"A1"`` / ``"A2"`` are the activations *after* dropout,
the ones the next layer actually received.

Gradients follow the course's convention: ``dZ{l}`` and ``dA{l}`` are per-example
derivatives (of each example's loss, not divided by ``m``) while ``dW{l}`` and ``db{l}``
are derivatives of the mean cost, so they carry the ``1/m``. The dictionary holds
``dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1``.

:func:`train` runs full-batch gradient descent. Its ``forward``, ``backward`` and ``cost``
arguments default to the plain functions below; pass other functions with the same
interfaces (for example versions with L2 regularisation or dropout) to train those.
"""

import numpy as np

from utils import dnn

LAYER_COUNT = 3


def relu(Z):
    """Elementwise ``max(0, Z)``."""
    return np.maximum(0.0, Z)


def sigmoid(Z):
    """Elementwise logistic function, written with tanh so that it never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * Z))


def initialize_parameters(layer_dims, seed=0):
    """He-initialised ``{"W1", "b1", "W2", "b2", "W3", "b3"}`` for ``[n_x, n_1, n_2, 1]``.

    The draws come from ``np.random`` after seeding it with ``seed``.
    """
    if len(layer_dims) != LAYER_COUNT + 1:
        raise ValueError(f"layer_dims must list 4 sizes (input, two hidden, output), "
                         f"got {list(layer_dims)}")
    np.random.seed(seed)
    return dnn.initialize_parameters_deep(list(layer_dims))


def forward_propagation(X, parameters):
    """Forward pass without dropout. Returns ``A3`` of shape ``(1, m)`` and the cache dict."""
    cache = {}
    A = X
    for l in range(1, LAYER_COUNT + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A + b
        A = sigmoid(Z) if l == LAYER_COUNT else relu(Z)
        cache.update({f"Z{l}": Z, f"A{l}": A, f"W{l}": W, f"b{l}": b})
    return A, cache


def compute_cost(A3, Y, eps=1e-12):
    """Mean binary cross-entropy as a float.

    The probabilities are clipped to ``[eps, 1 - eps]`` so that a saturated output (a
    sigmoid that rounds to exactly 0 or 1) gives a large finite cost instead of ``inf``.
    """
    m = Y.shape[1]
    A = np.clip(A3, eps, 1 - eps)
    return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)


def backward_propagation(X, Y, cache):
    """Gradients of :func:`compute_cost` for the cache of :func:`forward_propagation`."""
    m = X.shape[1]
    grads = {}
    dZ = cache["A3"] - Y
    for l in range(LAYER_COUNT, 0, -1):
        A_prev = X if l == 1 else cache[f"A{l - 1}"]
        grads[f"dZ{l}"] = dZ
        grads[f"dW{l}"] = dZ @ A_prev.T / m
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        if l > 1:
            dA = cache[f"W{l}"].T @ dZ
            grads[f"dA{l - 1}"] = dA
            dZ = np.where(A_prev > 0, dA, 0.0)
    return grads


def update_parameters(parameters, grads, learning_rate):
    """One gradient-descent step; returns a new dictionary."""
    return dnn.update_parameters(parameters, grads, learning_rate)


def predict_proba(X, parameters):
    """Output probabilities of the network without dropout, shape ``(1, m)``."""
    A3, _ = forward_propagation(X, parameters)
    return A3


def predict(X, parameters):
    """0/1 predictions (probability above 0.5), shape ``(1, m)``, as integers."""
    return (predict_proba(X, parameters) > 0.5).astype(np.int64)


def accuracy(X, Y, parameters):
    """Fraction of examples whose prediction equals the label, as a float."""
    return float(np.mean(predict(X, parameters) == Y))


def plain_cost(A3, Y, parameters):
    """:func:`compute_cost` with the ``(A3, Y, parameters)`` interface :func:`train` uses."""
    return compute_cost(A3, Y)


def train(X, Y, layer_dims, *, learning_rate=0.3, num_iterations=30000, seed=0,
          forward=forward_propagation, backward=backward_propagation, cost=plain_cost,
          record_every=1000):
    """Full-batch gradient descent on a 3-layer network.

    ``forward(X, parameters) -> A3, cache``, ``backward(X, Y, cache) -> grads`` and
    ``cost(A3, Y, parameters) -> float`` are called once per iteration. The cost is
    recorded at iteration 0 and every ``record_every`` iterations after it.

    Returns ``parameters, costs`` (``costs`` a list of floats). The same arguments always
    give the same result: the weights are drawn after seeding with ``seed``, and numpy's
    global generator is seeded with ``seed + 1`` before the loop, for dropout masks.
    """
    parameters = initialize_parameters(layer_dims, seed)
    np.random.seed(seed + 1)
    costs = []
    for i in range(num_iterations):
        A3, cache = forward(X, parameters)
        if i % record_every == 0:
            costs.append(float(cost(A3, Y, parameters)))
        grads = backward(X, Y, cache)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs
