"""Independent oracles for check modules: numeric gradients and friends."""

import numpy as np


def numeric_gradient(f, x, epsilon=1e-6):
    """Central-difference gradient of the scalar function ``f`` at array ``x``.

    ``f`` is called with an array of ``x``'s shape; ``x`` itself is not modified.
    """
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + epsilon
        plus = f(x.copy())
        x[index] = original - epsilon
        minus = f(x.copy())
        x[index] = original
        grad[index] = (plus - minus) / (2 * epsilon)
    return grad


def relative_difference(a, b):
    """||a - b|| / (||a|| + ||b||), the usual gradient-check measure (0 when both are 0)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)
