"""A small numpy fully connected network with optional batch normalisation (Course 2, week 3).

Conventions follow the course: examples are columns, so ``X`` has shape ``(n_x, m)`` and
labels ``Y`` have shape ``(1, m)``. Hidden layers are ``LINEAR -> [BATCHNORM] -> RELU``
and the output layer is ``LINEAR -> SIGMOID`` (one unit, binary labels)::

    plain:       Z = W A_prev + b                          A = relu(Z)
    batch norm:  Z = W A_prev,  Z~ = batchnorm(Z; gamma, beta),  A = relu(Z~)

With batch norm the bias ``b`` is dropped: subtracting the batch mean would cancel it, and
``beta`` takes over its job.

Gradient convention: every ``d``-quantity here is the true derivative of the scalar cost
``J`` (the mean cross-entropy over the mini-batch). The ``1/m`` therefore enters once, in
``dlogits = (sigmoid(logits) - Y) / m``, and ``dW``, ``dgamma``, ``dbeta`` are plain sums
over the examples. (Course 1 kept ``dZ`` per example and divided ``dW`` by ``m``; that
split does not work once batch statistics couple all the examples of a batch.)

:func:`batchnorm_forward` and :func:`batchnorm_backward` are the solutions of the graded
functions of ``course2_improving_dnns/week3_batch_normalization``; ``tests/test_one_source.py``
proves that both copies give the same results. One difference, on purpose: here a ``mode``
other than ``"train"`` or ``"test"`` raises ``ValueError`` (the notebook treats it as test).
"""

import numpy as np
from threadpoolctl import threadpool_limits

# ----------------------------------------------------------------------- the batch-norm layer


def batchnorm_forward(Z, gamma, beta, running, mode="train", momentum=0.9, epsilon=1e-5):
    """Batch normalisation of ``Z (n_units, m)``, unit by unit (over the examples, axis 1).

    ``gamma`` and ``beta`` are columns ``(n_units, 1)``. ``running`` is a dict with
    ``"mean"`` and ``"var"`` columns. In ``"train"`` mode the batch mean and (biased)
    variance normalise ``Z`` and ``running`` receives new arrays
    ``momentum * running + (1 - momentum) * batch``; in ``"test"`` mode the running
    statistics normalise ``Z`` and ``running`` is left alone. The contract is what
    ``running`` holds after the call: a layer that updates the arrays in place instead
    (``*=``, ``+=``) is just as correct, and this network gives every layer its own arrays.

    Returns ``out = gamma * Z_hat + beta`` and ``cache = (Z_hat, gamma, std)`` with
    ``std = sqrt(var + epsilon)`` of shape ``(n_units, 1)``. Any other ``mode`` raises
    ``ValueError`` (the notebook's version runs it as ``"test"``).
    """
    if mode == "train":
        mean = Z.mean(axis=1, keepdims=True)
        var = Z.var(axis=1, keepdims=True)
        running["mean"] = momentum * running["mean"] + (1 - momentum) * mean
        running["var"] = momentum * running["var"] + (1 - momentum) * var
    elif mode == "test":
        mean, var = running["mean"], running["var"]
    else:
        raise ValueError(f"mode must be 'train' or 'test', got {mode!r}")
    std = np.sqrt(var + epsilon)
    Z_hat = (Z - mean) / std
    return gamma * Z_hat + beta, (Z_hat, gamma, std)


def batchnorm_backward(dout, cache):
    """Gradients of a training-mode batch norm: ``dZ, dgamma, dbeta`` from ``dout``.

    ``dout`` is the derivative of the cost with respect to the layer's output (same shape
    as ``Z``); ``cache`` is ``(Z_hat, gamma, std)`` from :func:`batchnorm_forward`.
    """
    Z_hat, gamma, std = cache
    dbeta = dout.sum(axis=1, keepdims=True)
    dgamma = (dout * Z_hat).sum(axis=1, keepdims=True)
    dZ_hat = dout * gamma
    dZ = (dZ_hat - dZ_hat.mean(axis=1, keepdims=True)
          - Z_hat * (dZ_hat * Z_hat).mean(axis=1, keepdims=True)) / std
    return dZ, dgamma, dbeta


# ------------------------------------------------------------------------------ the network


def initialize(layer_dims, batch_norm=False, seed=0):
    """He-initialised parameters and zero/one running statistics for ``layer_dims``.

    Hidden layer ``l`` has ``W{l}`` and either ``b{l}`` (plain) or ``gamma{l}`` (ones) and
    ``beta{l}`` (zeros) (batch norm); the output layer always has ``W{L}`` and ``b{L}``.
    Returns ``params, running`` where ``running[l]`` is ``{"mean", "var"}`` for every
    batch-norm layer (empty without batch norm).
    """
    rng = np.random.default_rng(seed)
    n_layers = len(layer_dims) - 1
    params, running = {}, {}
    for l in range(1, n_layers + 1):
        n_prev, n = layer_dims[l - 1], layer_dims[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(2.0 / n_prev)
        if batch_norm and l < n_layers:
            params[f"gamma{l}"] = np.ones((n, 1))
            params[f"beta{l}"] = np.zeros((n, 1))
            running[l] = {"mean": np.zeros((n, 1)), "var": np.ones((n, 1))}
        else:
            params[f"b{l}"] = np.zeros((n, 1))
    return params, running


def _n_layers(params):
    return sum(1 for key in params if key.startswith("W"))


def forward(X, params, running, mode="train", bn_forward=batchnorm_forward, momentum=0.9,
            epsilon=1e-5):
    """Forward pass; returns the output ``logits (1, m)`` and the list of layer caches.

    Batch-norm layers are the hidden layers that have ``gamma{l}`` in ``params``. In
    ``"train"`` mode their running statistics in ``running`` are updated.
    """
    n_layers = _n_layers(params)
    A, caches = X, []
    for l in range(1, n_layers + 1):
        W = params[f"W{l}"]
        Z = W @ A
        bn_cache = None
        if f"gamma{l}" in params:
            Z, bn_cache = bn_forward(Z, params[f"gamma{l}"], params[f"beta{l}"], running[l],
                                     mode=mode, momentum=momentum, epsilon=epsilon)
        else:
            Z = Z + params[f"b{l}"]
        caches.append((A, W, Z, bn_cache))
        A = np.maximum(Z, 0.0) if l < n_layers else Z
    return A, caches


def cost_from_logits(logits, Y):
    """Mean binary cross-entropy of ``sigmoid(logits)`` against ``Y``, computed stably."""
    return float(np.mean(np.logaddexp(0.0, logits) - Y * logits))


def backward(logits, Y, caches, bn_backward=batchnorm_backward):
    """Gradients of the mean cross-entropy for every parameter (keys ``d`` + name)."""
    m = Y.shape[1]
    probabilities = 0.5 * (1.0 + np.tanh(0.5 * logits))
    dZ = (probabilities - Y) / m
    grads = {}
    for l in range(len(caches), 0, -1):
        A_prev, W, Z, bn_cache = caches[l - 1]
        if l < len(caches):
            dZ = np.where(Z > 0, dZ, 0.0)  # through the ReLU
        if bn_cache is None:
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True)
        else:
            dZ, grads[f"dgamma{l}"], grads[f"dbeta{l}"] = bn_backward(dZ, bn_cache)
        grads[f"dW{l}"] = dZ @ A_prev.T
        dZ = W.T @ dZ
    return grads


def _predict(X, model):
    """0/1 predictions ``(1, m)`` of a trained ``model`` (batch norm in test mode)."""
    logits, _ = forward(X, model["params"], model["running"], mode="test",
                        bn_forward=model["bn_forward"], epsilon=model["epsilon"])
    return (logits > 0).astype(np.int64)


def train(X, Y, layer_dims, batch_norm=False, learning_rate=0.1, epochs=10, batch_size=64,
          seed=0, X_dev=None, Y_dev=None, bn_functions=None, momentum=0.9, epsilon=1e-5):
    """Mini-batch gradient descent; returns ``model, history``.

    ``bn_functions`` is an optional pair ``(forward, backward)`` replacing this module's
    batch-norm layer (for example the ones a learner wrote). ``history["loss"]`` holds the
    mean training loss of each epoch's mini-batches and ``history["dev_accuracy"]`` the
    dev-set accuracy after each epoch (when ``X_dev`` is given). When the loss stops being
    finite, training stops and the remaining epochs are recorded as ``nan``.
    """
    bn_forward, bn_backward = bn_functions or (batchnorm_forward, batchnorm_backward)
    params, running = initialize(layer_dims, batch_norm, seed)
    model = {"params": params, "running": running, "bn_forward": bn_forward,
             "epsilon": epsilon}
    history = {"loss": [], "dev_accuracy": []}
    rng = np.random.default_rng(seed + 1)
    m = X.shape[1]
    # The matrices are small: extra BLAS threads only add overhead (a lot of it on a busy
    # machine), and overflowing plain networks are expected at large learning rates.
    with threadpool_limits(limits=1, user_api="blas"), \
            np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(epochs):
            order = rng.permutation(m)
            losses = []
            for start in range(0, m, batch_size):
                batch = order[start:start + batch_size]
                X_batch, Y_batch = X[:, batch], Y[:, batch]
                logits, caches = forward(X_batch, params, running, "train", bn_forward,
                                         momentum, epsilon)
                losses.append(cost_from_logits(logits, Y_batch))
                grads = backward(logits, Y_batch, caches, bn_backward)
                for key in params:
                    params[key] = params[key] - learning_rate * grads["d" + key]
            history["loss"].append(float(np.mean(losses)))
            if X_dev is not None:
                history["dev_accuracy"].append(float(np.mean(_predict(X_dev, model) == Y_dev)))
            if not np.isfinite(history["loss"][-1]):
                break
    missing = epochs - len(history["loss"])
    history["loss"] += [float("nan")] * missing
    if X_dev is not None:
        history["dev_accuracy"] += [float("nan")] * missing
    return model, history
