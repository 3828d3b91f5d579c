"""A plain numpy 3-layer network and a training loop with pluggable pieces (Course 2, week 1).

The network is ``LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID``. As everywhere in
this repository, examples are columns: ``X`` has shape ``(n_x, m)`` and ``Y`` ``(1, m)``.

The cache of the forward pass is the tuple of the original course, in this order::

    (Z1, A1, W1, b1,     layer 1: Z1 = W1 X + b1, A1 = relu(Z1)
     Z2, A2, W2, b2,     layer 2: Z2 = W2 A1 + b2, A2 = relu(Z2)
     Z3, A3, W3, b3)     layer 3: Z3 = W3 A2 + b3, A3 = sigmoid(Z3)

A forward pass with dropout (written in the notebook) adds the masks after each hidden
``Z``: ``(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)``, where ``D1`` and
``D2`` are 0/1 arrays of the shapes of ``A1`` and ``A2``, and ``A1`` / ``A2`` are the
activations *after* dropout, the ones the next layer actually received.
:data:`CACHE_NAMES` and :data:`DROPOUT_CACHE_NAMES` list these orders.

Gradients follow the course's convention: ``dZ{l}`` and ``dA{l}`` are per-example
derivatives (of each example's loss, not divided by ``m``) while ``dW{l}`` and ``db{l}``
are derivatives of the mean cost, so they carry the ``1/m``. The dictionary holds
``dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1``.

:func:`train` runs full-batch gradient descent. Its ``forward``, ``backward`` and ``cost``
arguments default to the plain functions below; pass other functions with the same
interfaces (for example versions with L2 regularisation or dropout) to train those.

``relu``, ``sigmoid``, ``compute_cost``, ``update_parameters``, ``predict_proba``,
``predict`` and ``accuracy`` are the functions of :mod:`utils.models.dnn`, so that one
name has one meaning across the models.
"""

import numpy as np

from utils.models import dnn

LAYER_COUNT = 3
CACHE_NAMES = ("Z1", "A1", "W1", "b1", "Z2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3")
DROPOUT_CACHE_NAMES = ("Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2", "b2",
                       "Z3", "A3", "W3", "b3")

# dnn's functions under the same names (a 3-layer network is an L-layer one).
relu, sigmoid, compute_cost = dnn.relu, dnn.sigmoid, dnn.compute_cost
update_parameters, predict_proba, predict, accuracy = (
    dnn.update_parameters, dnn.predict_proba, dnn.predict, dnn.accuracy)


def initialize_seeded(layer_dims, seed=0):
    """He-initialised ``{"W1", "b1", "W2", "b2", "W3", "b3"}`` for ``[n_x, n_1, n_2, 1]``.

    Seeds numpy's global generator with ``seed``, then draws as
    :func:`utils.models.dnn.initialize_parameters_deep` does.
    """
    if len(layer_dims) != LAYER_COUNT + 1:
        raise ValueError(f"layer_dims must list 4 sizes (input, two hidden, output), "
                         f"got {list(layer_dims)}")
    np.random.seed(seed)
    return dnn.initialize_parameters_deep(list(layer_dims))


def forward_propagation(X, parameters):
    """Forward pass without dropout.

    Returns ``A3`` of shape ``(1, m)`` and the cache
    ``(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)``.
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation(X, Y, cache):
    """Gradients of :func:`compute_cost` for the cache of :func:`forward_propagation`."""
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache

    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m

    dA2 = W3.T @ dZ3
    dZ2 = np.where(A2 > 0, dA2, 0.0)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m

    dA1 = W2.T @ dZ2
    dZ1 = np.where(A1 > 0, dA1, 0.0)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3,
            "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def plain_cost(A3, Y, parameters):
    """:func:`compute_cost` with the ``(A3, Y, parameters)`` interface :func:`train` uses."""
    return compute_cost(A3, Y)


def train(X, Y, layer_dims, *, learning_rate=0.3, num_iterations=30000, seed=0,
          forward=forward_propagation, backward=backward_propagation, cost=plain_cost,
          record_every=1000):
    """Full-batch gradient descent on a 3-layer network.

    ``forward(X, parameters) -> A3, cache``, ``backward(X, Y, cache) -> grads`` (given the
    cache exactly as ``forward`` returned it) and ``cost(A3, Y, parameters) -> float`` are
    called once per iteration. The cost is recorded at iteration 0 and every
    ``record_every`` iterations after it.

    Returns ``parameters, costs`` (``costs`` a list of floats). The same arguments always
    give the same result: the weights are drawn after seeding with ``seed``, and numpy's
    global generator is seeded with ``seed + 1`` before the loop, for dropout masks.
    """
    parameters = initialize_seeded(layer_dims, seed)
    np.random.seed(seed + 1)
    costs = []
    for i in range(num_iterations):
        A3, cache = forward(X, parameters)
        if i % record_every == 0:
            costs.append(float(cost(A3, Y, parameters)))
        grads = backward(X, Y, cache)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs
