"""Error-analysis digits: measured properties, scenes, the pipeline and phone digits."""

import numpy as np
import pytest

from utils.data.digit_scenes import make_scenes, phone_camera
from utils.data.images import load_mnist_digits
from utils.models.error_analysis import crop, digit_properties, locate_digits, to_features


@pytest.fixture(scope="module")
def digits():
    return load_mnist_digits()


def test_to_features_averages_blocks():
    image = np.arange(16.0).reshape(1, 4, 4)
    assert np.array_equal(to_features(image), [[2.5, 4.5, 10.5, 12.5]])
    assert to_features(np.zeros((3, 28, 28))).shape == (3, 196)
    with pytest.raises(ValueError, match="multiple"):
        to_features(np.zeros((1, 5, 4)))


def test_digit_properties_of_drawn_strokes():
    upright = np.zeros((28, 28))
    upright[4:24, 13:15] = 1.0                     # a vertical bar, 20 high and 2 wide
    leaning = np.zeros((28, 28))
    for row in range(4, 24):                       # leans right: the top is further right
        col = 8 + (24 - row) // 2
        leaning[row, col:col + 2] = 1.0
    props = digit_properties(np.stack([upright, leaning, np.zeros((28, 28))]))
    assert np.allclose(props["ink"], [40.0, 40.0, 0.0])
    assert props["slant"][0] == pytest.approx(0.0, abs=1e-12)
    assert props["slant"][1] == pytest.approx(0.5, abs=0.05)
    assert props["height"].tolist() == [20, 20, 0]
    assert props["width"][0] == 2 and props["width"][1] > 8 and props["width"][2] == 0


def test_scenes_hold_the_digit_at_the_true_place(digits):
    images = digits[0][:50]
    scenes, offsets = make_scenes(images, seed=3)
    again, same = make_scenes(images, seed=3)
    assert np.array_equal(scenes, again) and np.array_equal(offsets, same)
    assert scenes.shape == (50, 40, 40) and offsets.shape == (50, 2)
    assert offsets.min() >= 0 and offsets.max() <= 12
    windows = crop(scenes, offsets)
    assert np.all(windows >= images)               # clutter only adds ink
    clean, true = make_scenes(images, seed=3, clutter=0)
    assert np.array_equal(crop(clean, true), images)
    found = locate_digits(clean)                   # no clutter: the centre of mass is right
    assert np.mean(np.abs(found - true).max(axis=1) <= 1) > 0.9


def test_phone_camera_is_seeded_and_can_be_the_identity(digits):
    images = digits[0][:20]
    phone = phone_camera(images, seed=1)
    assert phone.shape == images.shape and phone.min() >= 0 and phone.max() <= 1
    assert np.array_equal(phone, phone_camera(images, seed=1))
    assert not np.array_equal(phone, phone_camera(images, seed=2))
    plain = phone_camera(images, seed=1, shift=0, blur=(1e-9, 1e-9), contrast=(1, 1),
                         background=(0, 0), noise=0.0)
    assert np.allclose(plain, images)
