"""The emoji-people identities: the list, the split, the sprites and the photos."""

import numpy as np
import pytest

from utils.builders import emoji_sprites
from utils.data import identities
from utils.data.identities import IDENTITIES, load_people, split


def test_186_distinct_identities_and_emoji():
    assert len(IDENTITIES) == 31 * 6 == len(set(IDENTITIES))
    texts = [identities.emoji_text(name) for name in IDENTITIES]
    assert len(set(texts)) == len(texts)
    assert identities.emoji_text("man_red_hair_dark") == "\U0001f468\U0001f3ff\u200d\U0001f9b0"
    assert identities.emoji_text("person_default") == "\U0001f9d1"
    with pytest.raises(ValueError, match="unknown identity"):
        identities.emoji_text("robot_default")


def test_the_builder_renders_every_identity():
    named = emoji_sprites.sprites()
    people = {k: v for k, v in named.items() if k.startswith("people/")}
    assert sorted(people) == sorted(identities.sprite_paths())
    assert all(people[f"people/{n}.png"] == identities.emoji_text(n) for n in IDENTITIES)


def test_split_is_fixed_disjoint_and_complete():
    parts = split()
    assert {k: len(v) for k, v in parts.items()} == {"train": 126, "validation": 30, "test": 30}
    seen = [name for names in parts.values() for name in names]
    assert sorted(seen) == sorted(IDENTITIES)
    assert parts["test"][:3] == ("man_medium_light", "man_medium_dark", "woman_light")


def test_photos_shapes_labels_and_determinism():
    images, labels, names = load_people("test", per_identity=3)
    assert images.shape == (90, 48, 48, 3) and images.dtype == np.uint8
    assert np.array_equal(labels, np.repeat(np.arange(30), 3))
    assert list(names) == list(split()["test"])
    assert images.std() > 20
    identities._cached.cache_clear()
    again, _, _ = load_people("test", per_identity=3)
    assert np.array_equal(images, again)
    images[0] = 0
    assert not np.array_equal(images, load_people("test", per_identity=3)[0])
    other, _, _ = load_people("test", per_identity=3, seed=1)
    assert not np.array_equal(again, other)
    # two photos of one person differ (pose, light, background)
    assert not np.array_equal(again[0], again[1])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="part"):
        load_people("holdout")
    with pytest.raises(ValueError, match="positive"):
        load_people("test", per_identity=0)
    with pytest.raises(ValueError, match="unknown identity"):
        identities.compose_photo("robot_default", np.random.default_rng(0))


def test_sprite_is_shrunk_to_the_photo():
    sprite = identities.load_sprite("baby_dark", size=48)
    assert sprite.mode == "RGBA" and max(sprite.size) == round(0.9 * 48)
