"""The gesture dataset: shapes, determinism, balance, and clear errors for bad sprites."""

import shutil
import time

import numpy as np
import pytest

from utils.data import gestures, manifest
from utils.data.gestures import GESTURE_NAMES, load_gestures, sprite_paths
from utils.data.manifest import DataFileError


def test_shapes_dtypes_and_classes():
    X_train, Y_train, X_test, Y_test, classes = load_gestures()
    assert X_train.shape == (1080, 64, 64, 3) and X_train.dtype == np.uint8
    assert X_test.shape == (120, 64, 64, 3) and X_test.dtype == np.uint8
    assert Y_train.shape == (1080,) and Y_test.shape == (120,)
    assert Y_train.dtype.kind == "i" and Y_test.dtype.kind == "i"
    assert list(classes) == list(GESTURE_NAMES) and len(set(classes)) == 6
    assert np.array_equal(np.bincount(Y_train), [180] * 6)
    assert np.array_equal(np.bincount(Y_test), [20] * 6)
    assert X_train.std() > 20  # real images, not blank frames


def test_two_loads_are_identical_and_independent_copies():
    first = load_gestures()
    gestures._cached.cache_clear()
    second = load_gestures()
    for a, b in zip(first[:4], second[:4], strict=True):
        assert np.array_equal(a, b)
    first[0][0] = 0  # caller's copy is writable and does not leak into the next load
    assert not np.array_equal(first[0], load_gestures()[0])


def test_seed_and_sizes_change_the_images():
    X_a, *_ = load_gestures(n_train=60, n_test=12, seed=0)
    X_b, *_ = load_gestures(n_train=60, n_test=12, seed=1)
    assert not np.array_equal(X_a, X_b)
    X_small, Y_small, X_test, _, _ = load_gestures(n_train=60, n_test=12, size=32)
    assert X_small.shape == (60, 32, 32, 3) and X_test.shape == (12, 32, 32, 3)
    assert np.array_equal(np.bincount(Y_small), [10] * 6)
    with pytest.raises(ValueError, match="multiple of 6"):
        load_gestures(n_train=100)


def test_loading_is_fast():
    gestures._cached.cache_clear()
    start = time.process_time()
    load_gestures()
    assert time.process_time() - start < 5.0  # about 1.3 s of CPU here


@pytest.fixture
def sprite_copy(tmp_path, monkeypatch):
    """A temporary copy of datasets/gestures and the manifest, used by the loader."""
    shutil.copytree(manifest.DATASETS_DIR / "gestures", tmp_path / "gestures")
    shutil.copy(manifest.MANIFEST, tmp_path / "MANIFEST")

    def verified(relative):
        return manifest.verified_path(relative, tmp_path, tmp_path / "MANIFEST")

    monkeypatch.setattr(gestures, "verified_path", verified)
    gestures._cached.cache_clear()
    yield tmp_path
    gestures._cached.cache_clear()


def test_every_sprite_is_in_the_manifest():
    listed = manifest.read_manifest()
    assert all(path in listed for path in sprite_paths()) and len(sprite_paths()) == 36


def test_missing_sprite_says_how_to_rebuild(sprite_copy):
    (sprite_copy / "gestures" / "victory_medium.png").unlink()
    with pytest.raises(DataFileError, match=r"victory_medium\.png is missing.*"
                       r"python -m utils\.builders\.emoji_sprites"):
        load_gestures()


def test_corrupt_sprite_says_how_to_rebuild(sprite_copy):
    path = sprite_copy / "gestures" / "fist_dark.png"
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(DataFileError, match=r"fist_dark\.png is corrupt.*"
                       r"python -m utils\.builders\.emoji_sprites"):
        load_gestures()
