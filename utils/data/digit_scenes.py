"""Data made from clean digits for the error-analysis notebook (Course 3), all seeded.

- :func:`make_scenes` pastes each digit at a random place on a larger, cluttered canvas:
  the input of the two-stage pipeline in :mod:`utils.models.error_analysis`;
- :func:`phone_camera` makes "phone-camera" digits (shifted, blurred, low in contrast, on
  grey, with sensor noise); another seed synthesises training data that looks like them.
"""

import numpy as np
from scipy import ndimage

SIDE = 28


def make_scenes(images, seed, canvas=40, clutter=1, clutter_size=10):
    """Paste each 28 x 28 digit at a random place on a ``canvas x canvas`` image and add
    ``clutter`` stray stroke fragments (``clutter_size`` square pieces of other digits in
    ``images``) at random places.

    Returns ``scenes (n, canvas, canvas)`` in [0, 1] and the true top-left corners
    ``offsets (n, 2)`` (row, column) of the digits: the ground truth of stage 1.
    """
    images = np.asarray(images, dtype=float)
    n = len(images)
    rng = np.random.default_rng(seed)
    room = canvas - SIDE
    offsets = rng.integers(0, room + 1, size=(n, 2))
    scenes = np.zeros((n, canvas, canvas))
    for i in range(n):
        r, c = offsets[i]
        scenes[i, r:r + SIDE, c:c + SIDE] = images[i]
        for _ in range(clutter):
            source = images[rng.integers(n)]
            sr, sc = rng.integers(4, SIDE - 4 - clutter_size + 1, size=2)
            piece = source[sr:sr + clutter_size, sc:sc + clutter_size]
            tr, tc = rng.integers(0, canvas - clutter_size + 1, size=2)
            window = scenes[i, tr:tr + clutter_size, tc:tc + clutter_size]
            np.maximum(window, piece, out=window)
    return scenes, offsets


def phone_camera(images, seed, shift=2, blur=(0.7, 1.4), contrast=(0.35, 0.65),
                 background=(0.15, 0.35), noise=0.06):
    """Turn clean digits into "phone-camera" digits, each with its own random settings.

    Each image is shifted by a whole number of pixels (up to ``shift`` each way, the empty
    border filled with 0), blurred with a Gaussian of standard deviation drawn from ``blur``,
    its ink scaled by a factor from ``contrast`` on a grey level from ``background``, and
    covered with Gaussian pixel noise of standard deviation ``noise``; the result is clipped
    to [0, 1]. Ranges are ``(low, high)`` pairs drawn uniformly. Returns ``(n, h, w)``.
    """
    images = np.asarray(images, dtype=float)
    rng = np.random.default_rng(seed)
    out = np.empty_like(images)
    for i, image in enumerate(images):
        dr, dc = rng.integers(-shift, shift + 1, size=2)
        moved = ndimage.shift(image, (dr, dc), order=0, mode="constant", cval=0.0)
        soft = ndimage.gaussian_filter(moved, sigma=rng.uniform(*blur))
        grey = rng.uniform(*background)
        scale = rng.uniform(*contrast)
        out[i] = grey + scale * soft + noise * rng.standard_normal(image.shape)
    return np.clip(out, 0.0, 1.0)
