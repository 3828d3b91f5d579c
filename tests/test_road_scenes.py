"""The road scenes: deterministic, and their boxes and masks describe what was drawn."""

import numpy as np
import pytest

from utils.data import road_scenes
from utils.data.manifest import DataFileError


@pytest.fixture(scope="module")
def scenes():
    return road_scenes.make_scenes(40, seed=3)


def test_same_seed_same_scenes_bit_for_bit(scenes):
    again = road_scenes.make_scenes(40, seed=3)
    np.testing.assert_array_equal(scenes[0], again[0])
    np.testing.assert_array_equal(scenes[1], again[1])
    for a, b in zip(scenes[2], again[2], strict=True):
        np.testing.assert_array_equal(a, b)
    other = road_scenes.make_scenes(2, seed=4)
    assert not np.array_equal(scenes[0][:2], other[0])


def test_shapes_and_types(scenes):
    images, masks, boxes, classes = scenes
    assert images.shape == (40, 128, 128, 3) and images.dtype == np.uint8
    assert masks.shape == (40, 128, 128) and masks.max() < len(road_scenes.SEGMENT_CLASSES)
    assert all(b.shape == (len(c), 4) and b.dtype == np.float32 for b, c in
               zip(boxes, classes, strict=True))
    assert all(1 <= len(c) <= 7 for c in classes)


def test_boxes_are_tight_around_their_class_in_the_mask(scenes):
    _, masks, boxes, classes = scenes
    for mask, scene_boxes, scene_classes in zip(masks, boxes, classes, strict=True):
        for (x0, y0, x1, y1), label in zip(scene_boxes.astype(int), scene_classes, strict=True):
            assert 0 <= x0 < x1 <= 128 and 0 <= y0 < y1 <= 128
            inside = mask[y0:y1, x0:x1] == label
            assert inside.any(), "an object's box holds none of its pixels"
        for label in np.unique(mask):
            if label < len(road_scenes.CLASSES):
                ys, xs = np.nonzero(mask == label)
                covered = np.zeros(ys.shape, bool)
                for (x0, y0, x1, y1), c in zip(scene_boxes, scene_classes, strict=True):
                    if c == label:
                        covered |= (xs >= x0) & (xs < x1) & (ys >= y0) & (ys < y1)
                assert covered.all(), "object pixels outside every box of their class"


def test_every_class_appears():
    _, masks, _, classes = road_scenes.make_scenes(60, seed=0)
    assert set(np.concatenate(classes)) == set(range(len(road_scenes.CLASSES)))
    assert set(np.unique(masks)) == set(range(len(road_scenes.SEGMENT_CLASSES)))


def test_a_missing_sprite_says_how_to_rebuild(tmp_path):
    from utils.data import manifest

    with pytest.raises(DataFileError, match="emoji_sprites"):
        manifest.verified_path("road/car_car.png", datasets_dir=tmp_path)


def test_negative_count_is_refused():
    with pytest.raises(ValueError, match="non-negative"):
        road_scenes.make_scenes(-1, seed=0)
