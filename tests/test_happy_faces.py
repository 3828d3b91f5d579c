"""The happy-faces dataset: shapes, determinism, balance, clear errors for bad sprites, and
the compositing module it shares with the gesture set."""

import shutil
import time

import numpy as np
import pytest

from utils.data import happy_faces, manifest, sprite_scenes
from utils.data.happy_faces import CLASS_NAMES, load_happy_faces, sprite_paths
from utils.data.manifest import DataFileError


def test_shapes_dtypes_and_classes():
    X_train, Y_train, X_test, Y_test, classes = load_happy_faces()
    assert X_train.shape == (600, 64, 64, 3) and X_train.dtype == np.uint8
    assert X_test.shape == (150, 64, 64, 3) and X_test.dtype == np.uint8
    assert Y_train.shape == (600,) and Y_test.shape == (150,)
    assert set(np.unique(Y_train)) == {0, 1} and Y_train.dtype.kind == "i"
    assert list(classes) == ["not_smiling", "smiling"] == list(CLASS_NAMES)
    assert np.array_equal(np.bincount(Y_train), [300, 300])
    assert np.array_equal(np.bincount(Y_test), [75, 75])
    assert X_train.std() > 20  # real images, not blank frames


def test_two_loads_are_identical_and_independent_copies():
    first = load_happy_faces()
    happy_faces._cached.cache_clear()
    second = load_happy_faces()
    for a, b in zip(first[:4], second[:4], strict=True):
        assert np.array_equal(a, b)
    first[0][0] = 0
    assert not np.array_equal(first[0], load_happy_faces()[0])


def test_seed_and_sizes_change_the_images():
    X_a, *_ = load_happy_faces(n_train=20, n_test=10, seed=0)
    X_b, *_ = load_happy_faces(n_train=20, n_test=10, seed=1)
    assert not np.array_equal(X_a, X_b)
    X_small, Y_small, X_test, _, _ = load_happy_faces(n_train=20, n_test=10, size=32)
    assert X_small.shape == (20, 32, 32, 3) and X_test.shape == (10, 32, 32, 3)
    assert np.array_equal(np.bincount(Y_small), [10, 10])
    with pytest.raises(ValueError, match="even"):
        load_happy_faces(n_train=101)


def test_loading_is_fast():
    happy_faces._cached.cache_clear()
    start = time.process_time()
    load_happy_faces()
    assert time.process_time() - start < 4.0  # about 0.7 s of CPU here


def test_compose_is_seeded_and_keeps_the_sprite_in_frame():
    from PIL import Image

    sprite = Image.new("RGBA", (40, 30), (255, 0, 0, 255))
    one = sprite_scenes.compose(sprite, np.random.default_rng(3), 48, max_shift=0.05)
    two = sprite_scenes.compose(sprite, np.random.default_rng(3), 48, max_shift=0.05)
    assert one.shape == (48, 48, 3) and one.dtype == np.uint8 and np.array_equal(one, two)
    red = (one[..., 0] > 150) & (one[..., 1] < 120)
    assert red.sum() > 0.3 * 48 * 48  # the sprite covers a good part of the frame
    rows, cols = np.nonzero(red)
    assert abs(rows.mean() - 23.5) < 6 and abs(cols.mean() - 23.5) < 6  # near the middle


def test_make_set_cycles_variants_evenly():
    from PIL import Image

    sprites = {(c, v): Image.new("RGBA", (10, 10), (80 * v, 200 * c, 0, 255))
               for c in range(2) for v in range(3)}
    images, labels = sprite_scenes.make_set(sprites, 2, 3, 7, np.random.default_rng(0), 16)
    assert images.shape == (14, 16, 16, 3) and np.array_equal(np.bincount(labels), [7, 7])


@pytest.fixture
def sprite_copy(tmp_path, monkeypatch):
    """A temporary copy of datasets/faces and the manifest, used by the loader."""
    shutil.copytree(manifest.DATASETS_DIR / "faces", tmp_path / "faces")
    shutil.copy(manifest.MANIFEST, tmp_path / "MANIFEST")

    def verified(relative):
        return manifest.verified_path(relative, tmp_path, tmp_path / "MANIFEST")

    monkeypatch.setattr(happy_faces, "verified_path", verified)
    happy_faces._cached.cache_clear()
    yield tmp_path
    happy_faces._cached.cache_clear()


def test_every_sprite_is_in_the_manifest():
    listed = manifest.read_manifest()
    assert all(path in listed for path in sprite_paths()) and len(sprite_paths()) == 12


def test_missing_sprite_says_how_to_rebuild(sprite_copy):
    (sprite_copy / "faces" / "smiling_beaming.png").unlink()
    with pytest.raises(DataFileError, match=r"smiling_beaming\.png is missing.*"
                       r"python -m utils\.builders\.emoji_sprites"):
        load_happy_faces()


def test_corrupt_sprite_says_how_to_rebuild(sprite_copy):
    path = sprite_copy / "faces" / "not_smiling_angry.png"
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(DataFileError, match=r"not_smiling_angry\.png is corrupt.*"
                       r"python -m utils\.builders\.emoji_sprites"):
        load_happy_faces()
