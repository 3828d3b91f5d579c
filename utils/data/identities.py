"""Emoji people as identities for face verification and recognition (Course 4, week 4).

An *identity* is one emoji person drawn in one skin tone: 31 people (person, man, woman,
older person, old man, old woman, child, boy, girl, baby, bearded person, blond person, the
person/man/woman with red, curly, white or no hair, the blond man and woman, the bearded man
and woman, a turban, a skullcap, a headscarf) times the six tones of
:data:`utils.data.gestures.TONES` (the default yellow and the five Fitzpatrick modifiers),
so 186 identities. Their sprites sit in ``datasets/people/<identity>.png``, rendered from
Noto Color Emoji by ``python -m utils.builders.emoji_sprites``.

A *photo* of an identity is its sprite pasted onto a random background by
:func:`utils.data.sprite_scenes.compose` with a random pose and colour: face size 70-90 % of
the frame, rotation up to 15 degrees either way, a mirror image half of the time, a shift of
up to 8 % of the side, a brightness and a colour-saturation factor (0.85-1.15 each), one of
three kinds of background and a little pixel noise. Two photos of one person differ in all
of these; two people may differ only in a hair colour, a beard or a skin tone, so an
embedding has to learn what matters for *who* and ignore the rest.

The identities are split once, by a fixed seeded permutation (:func:`split`), into 126
training, 30 validation and 30 test identities. The test identities are never seen in
training: they stand for the new employees whose single photo goes into the database.

- :func:`load_people` composes photos of the identities of one split (seeded, bit for bit
  reproducible);
- :func:`compose_photo` composes one photo of one identity with a given generator;
- :func:`emoji_text` and :func:`sprite_name` are what the sprite builder needs.
"""

from functools import lru_cache

import numpy as np

from utils.data.gestures import TONES
from utils.data.manifest import verified_path
from utils.data.sprite_scenes import compose, shrink

_ZWJ = "\u200d"
_MALE, _FEMALE = "\u200d\u2642\ufe0f", "\u200d\u2640\ufe0f"

# person name -> (base emoji, suffix after the skin-tone modifier)
PEOPLE = (
    ("person", "\U0001f9d1", ""),
    ("man", "\U0001f468", ""),
    ("woman", "\U0001f469", ""),
    ("older_person", "\U0001f9d3", ""),
    ("old_man", "\U0001f474", ""),
    ("old_woman", "\U0001f475", ""),
    ("child", "\U0001f9d2", ""),
    ("boy", "\U0001f466", ""),
    ("girl", "\U0001f467", ""),
    ("baby", "\U0001f476", ""),
    ("bearded_person", "\U0001f9d4", ""),
    ("blond_person", "\U0001f471", ""),
    ("person_red_hair", "\U0001f9d1", _ZWJ + "\U0001f9b0"),
    ("person_curly_hair", "\U0001f9d1", _ZWJ + "\U0001f9b1"),
    ("person_white_hair", "\U0001f9d1", _ZWJ + "\U0001f9b3"),
    ("person_bald", "\U0001f9d1", _ZWJ + "\U0001f9b2"),
    ("man_red_hair", "\U0001f468", _ZWJ + "\U0001f9b0"),
    ("man_curly_hair", "\U0001f468", _ZWJ + "\U0001f9b1"),
    ("man_white_hair", "\U0001f468", _ZWJ + "\U0001f9b3"),
    ("man_bald", "\U0001f468", _ZWJ + "\U0001f9b2"),
    ("woman_red_hair", "\U0001f469", _ZWJ + "\U0001f9b0"),
    ("woman_curly_hair", "\U0001f469", _ZWJ + "\U0001f9b1"),
    ("woman_white_hair", "\U0001f469", _ZWJ + "\U0001f9b3"),
    ("woman_bald", "\U0001f469", _ZWJ + "\U0001f9b2"),
    ("blond_man", "\U0001f471", _MALE),
    ("blond_woman", "\U0001f471", _FEMALE),
    ("bearded_man", "\U0001f9d4", _MALE),
    ("bearded_woman", "\U0001f9d4", _FEMALE),
    ("turban", "\U0001f473", ""),
    ("skullcap", "\U0001f472", ""),
    ("headscarf", "\U0001f9d5", ""),
)

PERSON_NAMES = tuple(name for name, _, _ in PEOPLE)
TONE_NAMES = tuple(name for name, _ in TONES)
# every identity, person-major: "person_default", "person_light", ...
IDENTITIES = tuple(f"{person}_{tone}" for person in PERSON_NAMES for tone in TONE_NAMES)

SPLIT_SEED = 12
SPLIT_SIZES = {"train": 126, "validation": 30, "test": 30}

# augmentation of each photo (see the module docstring)
COMPOSE_OPTIONS = {"extent": (0.7, 0.9), "max_angle": 15.0, "brightness": (0.85, 1.15),
                   "saturation": (0.85, 1.15), "max_shift": 0.08}


def emoji_text(identity):
    """The emoji sequence that draws ``identity`` (e.g. ``"man_red_hair_dark"``)."""
    for person, base, suffix in PEOPLE:
        for tone, modifier in TONES:
            if identity == f"{person}_{tone}":
                return base + modifier + suffix
    raise ValueError(f"unknown identity {identity!r}")


def sprite_name(identity):
    """File name of one sprite, relative to datasets/people/."""
    return f"{identity}.png"


def sprite_paths():
    """Relative paths (under datasets/) of the 186 sprites, in :data:`IDENTITIES` order."""
    return [f"people/{sprite_name(identity)}" for identity in IDENTITIES]


@lru_cache(maxsize=1)
def split():
    """``{"train": (...), "validation": (...), "test": (...)}``: the identity names of each
    split (126, 30 and 30), drawn once by a fixed seeded permutation and sorted in
    :data:`IDENTITIES` order. No identity is in two splits."""
    order = np.random.default_rng(SPLIT_SEED).permutation(len(IDENTITIES))
    parts, start = {}, 0
    for name, size in SPLIT_SIZES.items():
        chosen = sorted(order[start:start + size])
        parts[name] = tuple(IDENTITIES[i] for i in chosen)
        start += size
    return parts


@lru_cache(maxsize=256)
def _sprite(identity, longest):
    from PIL import Image

    with Image.open(verified_path(f"people/{sprite_name(identity)}")) as image:
        return shrink(image.convert("RGBA"), longest)


def load_sprite(identity, size=48):
    """The sprite of ``identity`` (RGBA Pillow image), checked against datasets/MANIFEST and
    shrunk once so that its longest side is 90 % of ``size``."""
    if identity not in IDENTITIES:
        raise ValueError(f"unknown identity {identity!r}")
    return _sprite(identity, round(0.9 * size)).copy()


def compose_photo(identity, rng, size=48):
    """One ``(size, size, 3)`` uint8 photo of ``identity`` drawn with the generator ``rng``."""
    if identity not in IDENTITIES:
        raise ValueError(f"unknown identity {identity!r}")
    return compose(_sprite(identity, round(0.9 * size)), rng, size, **COMPOSE_OPTIONS)


@lru_cache(maxsize=8)
def _cached(part, per_identity, size, seed):
    names = split()[part]
    rng = np.random.default_rng(np.random.SeedSequence([seed, list(SPLIT_SIZES).index(part)]))
    labels = np.repeat(np.arange(len(names)), per_identity)
    images = np.empty((len(labels), size, size, 3), dtype=np.uint8)
    for i, label in enumerate(labels):
        images[i] = compose_photo(names[label], rng, size)
    for array in (images, labels):
        array.setflags(write=False)
    return images, labels.astype(np.int64)


def load_people(part="train", per_identity=10, size=48, seed=0):
    """Photos of every identity of one split: ``(images, labels, names)``.

    ``part`` is ``"train"``, ``"validation"`` or ``"test"``. ``images`` is ``(n, size, size,
    3)`` uint8 with ``n = per_identity * len(names)``, grouped by identity (the first
    ``per_identity`` photos are of ``names[0]``, and so on); ``labels`` (n,) int64 indexes
    ``names``, a numpy array of the split's identity names. The splits draw from separate
    seed streams, and the same arguments always give the same arrays (fresh, writable
    copies). Scale the pixels yourself (e.g. ``images / 255``).
    """
    if part not in SPLIT_SIZES:
        raise ValueError(f"part must be one of {list(SPLIT_SIZES)}, got {part!r}")
    if int(per_identity) <= 0:
        raise ValueError(f"per_identity must be positive, got {per_identity}")
    images, labels = _cached(part, int(per_identity), int(size), int(seed))
    return images.copy(), labels.copy(), np.array(split()[part])
