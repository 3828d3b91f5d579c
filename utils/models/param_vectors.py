"""Flatten a dictionary of parameters (or of their gradients) into one column vector and back.

Gradient checking treats every number of a network as one coordinate of a long vector
``theta``. These helpers move between the two views in a fixed order:

- keys are ordered by layer number, then by name (``W1, b1, W2, b2, ...``), so two dicts
  with the same keys always give the same layout, whatever order they were filled in;
- each array is flattened row by row (numpy's C order);
- the gradient of parameter ``"W1"`` is read from key ``"dW1"``; other entries of the
  gradients dict (``"dZ1"``, ``"dA1"``, ...) are ignored.

    theta = parameters_to_vector(parameters)                 # (n, 1)
    grad = gradients_to_vector(gradients, parameters)        # (n, 1), same layout
    back = vector_to_parameters(theta, parameters)           # dict like parameters
"""

import re

import numpy as np

_KEY_PATTERN = re.compile(r"(.*?)(\d*)")


def _order(key):
    name, digits = _KEY_PATTERN.fullmatch(key).groups()
    return (int(digits) if digits else 0, name)


def ordered_keys(parameters):
    """The keys of ``parameters`` by layer number, then name: ``["W1", "b1", "W2", ...]``."""
    return sorted(parameters, key=_order)


def parameters_to_vector(parameters):
    """All arrays of ``parameters`` stacked into a new ``(n, 1)`` float column."""
    keys = ordered_keys(parameters)
    if not keys:
        return np.zeros((0, 1))
    pieces = [np.asarray(parameters[key], dtype=float).reshape(-1, 1) for key in keys]
    return np.concatenate(pieces, axis=0)


def gradients_to_vector(gradients, parameters):
    """The gradients ``gradients["d" + key]`` stacked in the layout of ``parameters``."""
    pieces = []
    for key in ordered_keys(parameters):
        name = "d" + key
        if name not in gradients:
            raise KeyError(f"gradients has no entry {name!r} for parameter {key!r} "
                           f"(it has {sorted(gradients)})")
        grad = np.asarray(gradients[name], dtype=float)
        shape = np.shape(parameters[key])
        if grad.shape != shape:
            raise ValueError(f"gradients[{name!r}] has shape {grad.shape}, but parameter "
                             f"{key!r} has shape {shape}")
        pieces.append(grad.reshape(-1, 1))
    return np.concatenate(pieces, axis=0) if pieces else np.zeros((0, 1))


def vector_to_parameters(theta, like):
    """A new dict with the keys and shapes of ``like``, filled from the column ``theta``.

    The arrays are copies, so changing ``theta`` later does not change them (and back).
    """
    theta = np.asarray(theta, dtype=float)
    sizes = {key: int(np.size(like[key])) for key in ordered_keys(like)}
    total = sum(sizes.values())
    if theta.size != total:
        raise ValueError(f"theta holds {theta.size} numbers but the parameters need {total}")
    flat = theta.reshape(-1)
    parameters, start = {}, 0
    for key, size in sizes.items():
        parameters[key] = flat[start:start + size].reshape(np.shape(like[key])).copy()
        start += size
    return parameters
