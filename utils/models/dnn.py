"""A small numpy L-layer network: the building blocks of Course 1, week 4, ready to reuse.

Conventions follow the course: examples are columns, so ``X`` has shape ``(n_x, m)`` and
labels ``Y`` have shape ``(1, m)``. Layer ``l`` holds ``W{l}`` of shape ``(n_l, n_{l-1})``
and ``b{l}`` of shape ``(n_l, 1)``. Hidden layers use ReLU and the output layer a sigmoid::

    X -> [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID -> AL

Caches carry what the backward pass needs: ``linear_forward`` returns ``(A_prev, W, b)``
and ``linear_activation_forward`` returns ``(linear_cache, Z)``.

Initialisation: weights are drawn from ``N(0, 2 / n_{l-1})`` ("He" initialisation) and
biases start at zero. ReLU zeroes about half of its inputs, which halves the variance of
the signal; the factor 2 makes up for that, so activations keep roughly the same size from
layer to layer instead of shrinking towards zero (as they do with a fixed scale such as
0.01) or blowing up.

These functions are the solutions of ``course1_neural_networks/week4_deep_nn_step_by_step``
(its graded functions, its helpers ``sigmoid``, ``relu``, ``sigmoid_backward``,
``relu_backward`` and its ``predict``); ``tests/test_one_source.py`` proves that both give
the same results. They differ on purpose in four places, each one stated in the function's
docstring:

- ``initialize_parameters``, ``initialize_parameters_deep``: He scale instead of 0.01
  (the same draws, in the same order);
- ``sigmoid``: written so that it never overflows (the same values to rounding);
- ``compute_cost``: an ``AL`` of exactly 0 or 1 (a saturated sigmoid: ``Z > 36.7`` rounds
  to 1, ``Z < -745`` to 0) is moved to the nearest float inside ``(0, 1)``, so the cost is
  finite where the notebook's textbook formula gives nan or inf;
- ``L_model_backward``: the output layer's ``dZ`` is ``AL - Y`` (the same number, to
  rounding), instead of ``dAL * sigmoid'(Z)`` whose ``dAL`` divides by ``AL`` and
  ``1 - AL`` and is nan at saturation.
"""

import numpy as np

# ----------------------------------------------------------------------------- activations


def sigmoid(Z):
    """Logistic function ``1 / (1 + exp(-Z))``, elementwise.

    Differs from the notebook's formula only in how it is computed: with ``e = exp(-|Z|)``
    it is ``1 / (1 + e)`` for ``Z >= 0`` (the notebook's formula, bit for bit) and
    ``e / (1 + e)`` for ``Z < 0``, so ``exp`` never overflows and tiny outputs keep their
    relative precision.
    """
    e = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0, e) / (1.0 + e)


def relu(Z):
    """Rectified linear unit ``max(0, Z)``, elementwise."""
    return np.maximum(0, Z)


def sigmoid_backward(dA, Z):
    """Gradient through a sigmoid: ``dZ = dA * s * (1 - s)`` with ``s = sigmoid(Z)``."""
    s = sigmoid(Z)
    return dA * s * (1 - s)


def relu_backward(dA, Z):
    """Gradient through a ReLU: ``dA`` where ``Z > 0``, zero elsewhere."""
    return np.where(Z > 0, dA, 0.0)


_ACTIVATIONS = {"sigmoid": (sigmoid, sigmoid_backward), "relu": (relu, relu_backward)}


def _activation(name):
    try:
        return _ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"activation must be 'sigmoid' or 'relu', got {name!r}") from None


# -------------------------------------------------------------------------- initialisation


def initialize_parameters(n_x, n_h, n_y):
    """Parameters of a 2-layer net ``n_x -> n_h -> n_y``: ``{"W1", "b1", "W2", "b2"}``.

    Uses the same He scaling as :func:`initialize_parameters_deep` (and the same draws);
    the notebook's version scales the same draws by 0.01 instead.
    Seed numpy yourself (``np.random.seed(...)``) for reproducible results.
    """
    return initialize_parameters_deep([n_x, n_h, n_y])


def initialize_parameters_deep(layer_dims):
    """He-initialised parameters for layer sizes ``[n_x, n_1, ..., n_L]``.

    ``W{l}`` is drawn from ``N(0, 2 / n_{l-1})`` with ``np.random.randn`` (so seed numpy
    first for reproducible draws) and ``b{l}`` is a column of zeros. The notebook's version
    scales the same draws by 0.01 instead of ``sqrt(2 / n_{l-1})``.
    Returns ``{"W1", "b1", ..., "WL", "bL"}``.
    """
    parameters = {}
    for l in range(1, len(layer_dims)):
        n_prev, n = layer_dims[l - 1], layer_dims[l]
        parameters[f"W{l}"] = np.random.randn(n, n_prev) * np.sqrt(2.0 / n_prev)
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


# ---------------------------------------------------------------------------- forward pass


def linear_forward(A, W, b):
    """Linear part of a layer, ``Z = W A + b``. Returns ``Z, cache`` with cache ``(A, W, b)``."""
    Z = W @ A + b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """One layer, ``A = g(W A_prev + b)`` with ``g`` = ``"sigmoid"`` or ``"relu"``.

    Returns ``A, cache`` where cache is ``(linear_cache, Z)``.
    """
    forward, _ = _activation(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    return forward(Z), (linear_cache, Z)


def L_model_forward(X, parameters):
    """Forward pass ``[LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID``.

    Returns ``AL`` (the output probabilities, ``(1, m)`` for one output unit) and the list
    of ``L`` layer caches, in layer order.
    """
    L = len(parameters) // 2
    caches = []
    A = X
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches


# The floats nearest to 0 and 1 inside (0, 1): the smallest positive one and 1 - 2**-53.
OPEN_UNIT_INTERVAL = (np.nextafter(0.0, 1.0), np.nextafter(1.0, 0.0))


def compute_cost(AL, Y):
    """Mean binary cross-entropy ``-(1/m) sum(Y log AL + (1 - Y) log(1 - AL))`` as a float.

    ``AL`` is first clipped to :data:`OPEN_UNIT_INTERVAL` (the notebook's version is not):
    that changes only outputs of exactly 0 or 1, which a saturated sigmoid returns, so the
    cost is the notebook's wherever that one is finite, and elsewhere a finite lower bound
    of the true cost (an example costs at most ``-ln(1 - (1 - 2**-53)) = 36.7`` nats on the
    side of 1 and 744.4 on the side of 0) instead of nan.
    """
    m = Y.shape[1]
    AL = np.clip(AL, *OPEN_UNIT_INTERVAL)
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    return float(cost)


# --------------------------------------------------------------------------- backward pass


def linear_backward(dZ, cache):
    """Gradients of the linear part from ``dZ`` and the cache ``(A_prev, W, b)``.

    Returns ``dA_prev, dW, db`` with the shapes of ``A_prev``, ``W`` and ``b``.
    """
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    """Gradients of one layer: through the activation, then the linear part.

    Returns ``dA_prev, dW, db``.
    """
    _, backward = _activation(activation)
    linear_cache, Z = cache
    dZ = backward(dA, Z)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    """Gradients of the cross-entropy cost for the whole network.

    Returns ``grads`` with ``"dA{l-1}"``, ``"dW{l}"`` and ``"db{l}"`` for ``l = 1..L``
    (``dA{l}`` is the gradient with respect to the output of layer ``l``; ``dA0`` is the
    one with respect to the input).

    The output layer starts from ``dZ = AL - Y``, what ``dAL * sigmoid'(Z)`` simplifies to
    with ``dAL = -(Y / AL - (1 - Y) / (1 - AL))``. The notebook computes that product; the
    numbers agree to rounding, but ``dAL`` is nan or infinite once the sigmoid saturates to
    exactly 0 or 1, while ``AL - Y`` stays exact.
    """
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    linear_cache, _ = caches[L - 1]
    dA, dW, db = linear_backward(AL - Y, linear_cache)
    grads[f"dA{L - 1}"], grads[f"dW{L}"], grads[f"db{L}"] = dA, dW, db
    for l in range(L - 1, 0, -1):
        dA, dW, db = linear_activation_backward(dA, caches[l - 1], "relu")
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = dA, dW, db
    return grads


# ------------------------------------------------------------------------ update, predict


def update_parameters(params, grads, learning_rate):
    """One gradient-descent step, ``W{l} - learning_rate * dW{l}`` and the same for ``b{l}``.

    Returns a new dictionary with the keys of ``params`` (any other entry copied as it is);
    ``params`` and its arrays are left unchanged.
    """
    L = len(params) // 2
    updated = {key: np.copy(value) for key, value in params.items()}
    for l in range(1, L + 1):
        updated[f"W{l}"] = params[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        updated[f"b{l}"] = params[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return updated


def predict_proba(X, parameters):
    """The network's output probabilities ``AL`` for the examples ``X`` (columns)."""
    AL, _ = L_model_forward(X, parameters)
    return AL


def predict(X, parameters):
    """0/1 predictions (probability above 0.5), shape ``(1, m)``, as integers."""
    return (predict_proba(X, parameters) > 0.5).astype(np.int64)


def accuracy(X, Y, parameters):
    """Fraction of examples whose prediction equals the label, as a float."""
    return float(np.mean(predict(X, parameters) == Y))
