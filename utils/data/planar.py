"""Two-dimensional toy datasets for the planar-classification notebook (Course 1, week 3).

``make_flower`` draws points inside the petals of a flower centred on the origin. The
``petals`` petals are evenly spaced around the circle and their colours alternate:
petals 0, 2, 4, ... hold class 0 and petals 1, 3, 5, ... hold class 1. With four or more
petals, each class surrounds the origin symmetrically, so its mean sits at the origin and
no straight line can do much better than guessing; a network with a few tanh hidden units
can carve the plane into wedges and do well.

How one point is drawn (all from one seeded ``numpy.random.Generator``):

1. Point ``i`` belongs to petal ``i % petals``, so the petals, and therefore the two
   classes, receive the same number of points (up to one when ``m`` is odd).
2. Within its petal, the point's angle is the petal's centre plus an offset spread across
   the petal's width, and its distance from the origin is a random fraction of the petal's
   outline at that angle, ``radius * cos(petals * offset / 2)``: petals are rounded,
   widest in the middle and pinched at the centre, like the rose curve
   ``r = |cos(petals * theta / 2)|``.
3. Gaussian noise of standard deviation ``noise`` is added to both coordinates, which
   pushes some points across petal boundaries (so no model can be perfect when
   ``noise > 0``), and the examples are shuffled.
"""

import numbers

import numpy as np


def make_flower(m=400, petals=6, noise=0.25, radius=4.0, seed=0):
    """A flower-shaped two-class dataset in the plane, one example per column.

    Parameters
    ----------
    m : int
        Number of examples, at least 2.
    petals : int
        Number of petals, even and at least 2 (half of them per class). With 2 petals the
        classes lie on opposite sides of a line and are easy for a linear model; with 4 or
        more they are not.
    noise : float
        Standard deviation of the Gaussian jitter added to each coordinate, >= 0.
    radius : float
        Length of each petal, > 0.
    seed : int
        Seed of the random generator: the same arguments always give the same data.

    Returns
    -------
    X : ndarray of float64, shape (2, m)
        The coordinates; ``X[:, i]`` is example ``i``.
    Y : ndarray of int64, shape (1, m)
        The labels, 0 or 1; ``m // 2`` or ``m - m // 2`` of each.
    """
    m = _whole_number(m, "m", minimum=2)
    petals = _whole_number(petals, "petals", minimum=2)
    if petals % 2:
        raise ValueError(f"petals must be even (the two colours alternate), got {petals}")
    noise = _real_number(noise, "noise", allow_zero=True)
    radius = _real_number(radius, "radius", allow_zero=False)
    seed = _whole_number(seed, "seed", minimum=0)

    rng = np.random.default_rng(seed)
    petal = np.arange(m) % petals
    half_width = np.pi / petals  # each petal spans an angle of 2 pi / petals
    offset = rng.uniform(-half_width, half_width, size=m)
    theta = petal * (2 * half_width) + offset
    # sqrt spreads points evenly over the petal's area instead of crowding the centre
    outline = radius * np.cos(offset * petals / 2)  # 0 at the petal's two edges
    reach = outline * np.sqrt(rng.uniform(0.0, 1.0, size=m))
    X = np.stack([reach * np.cos(theta), reach * np.sin(theta)])
    X = X + noise * rng.standard_normal(size=X.shape)
    Y = (petal % 2).astype(np.int64).reshape(1, m)

    order = rng.permutation(m)
    return X[:, order], Y[:, order]


def _whole_number(value, name, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def _real_number(value, name, allow_zero):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value}")
    return value
