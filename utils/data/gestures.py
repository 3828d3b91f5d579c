"""A SIGNS-like dataset of six hand gestures, composed from committed emoji sprites.

:func:`load_gestures` pastes the 36 sprites in ``datasets/gestures/`` (6 gestures x 6 skin
tones, rendered from Noto Color Emoji by ``python -m utils.builders.emoji_sprites``)
onto varied backgrounds with seeded augmentation, so every call with the same arguments
returns the same arrays, bit for bit, in well under a second.

Labels (``GESTURE_NAMES``): 0 fist, 1 index_up, 2 victory, 3 love_you, 4 thumbs_up,
5 open_hand.

Augmentation of each image: a random sprite size (65-90 % of the image side), rotation
(+-15 degrees), a horizontal mirror half of the time (a mirrored hand is the same gesture
made with the other hand; there are no vertical flips, which would turn a thumbs-up into a
thumbs-down), a shift within the frame, a brightness factor (0.75-1.2) on the hand, and a
background drawn from three kinds: a two-colour linear gradient, smooth colour noise, or a
blurred random texture. A little pixel noise covers the whole image. The composing code
is shared with the happy-faces set, in :mod:`utils.data.sprite_scenes`.

Train and test images use the same 36 sprites but independent random draws (separate
seed streams), the way SIGNS photographs the same hands in different shots; every skin
tone appears in both sets, each gesture-tone pair equally often in the training set.
"""

from functools import lru_cache

import numpy as np

from utils.data.manifest import verified_path
from utils.data.sprite_scenes import make_set, shrink

# class index -> (name, emoji code point); the order fixes the labels 0..5
GESTURES = (
    ("fist", "\u270a"),              # raised fist: no finger up
    ("index_up", "\u261d"),          # index pointing up: one finger
    ("victory", "\u270c"),           # victory hand: two fingers
    ("love_you", "\U0001f91f"),      # love-you gesture: thumb, index and little finger
    ("thumbs_up", "\U0001f44d"),     # thumbs up: a sideways fist with the thumb raised
    ("open_hand", "\U0001f590"),     # raised hand with fingers splayed: five fingers
)

# tone name -> skin-tone modifier appended to the emoji ("" keeps the default yellow)
TONES = (
    ("default", ""),
    ("light", "\U0001f3fb"),
    ("medium_light", "\U0001f3fc"),
    ("medium", "\U0001f3fd"),
    ("medium_dark", "\U0001f3fe"),
    ("dark", "\U0001f3ff"),
)


def sprite_name(gesture, tone):
    """File name of one sprite, relative to datasets/gestures/."""
    return f"{gesture}_{tone}.png"


GESTURE_NAMES = tuple(name for name, _ in GESTURES)
TONE_NAMES = tuple(name for name, _ in TONES)


def sprite_paths():
    """Relative paths (under datasets/) of the 36 sprites, gesture-major order."""
    return [f"gestures/{sprite_name(g, t)}" for g in GESTURE_NAMES for t in TONE_NAMES]


def load_sprites():
    """The 36 sprites as RGBA Pillow images, each checked against datasets/MANIFEST.

    Returns ``{(gesture index, tone index): image}``. A missing or corrupt file raises
    ``utils.data.manifest.DataFileError`` with the command that rebuilds it.
    """
    from PIL import Image

    sprites = {}
    for g, gesture in enumerate(GESTURE_NAMES):
        for t, tone in enumerate(TONE_NAMES):
            path = verified_path(f"gestures/{sprite_name(gesture, tone)}")
            with Image.open(path) as image:
                sprites[g, t] = image.convert("RGBA")
    return sprites


@lru_cache(maxsize=4)
def _cached(n_train, n_test, size, seed):
    n_classes = len(GESTURE_NAMES)
    for name, count in (("n_train", n_train), ("n_test", n_test)):
        if count <= 0 or count % n_classes:
            raise ValueError(f"{name} must be a positive multiple of {n_classes} "
                             f"(equal numbers per gesture), got {count}")
    sprites = {key: shrink(sprite, round(0.9 * size)) for key, sprite in load_sprites().items()}
    train_rng, test_rng = (np.random.default_rng(s)
                           for s in np.random.SeedSequence(seed).spawn(2))
    n_tones = len(TONE_NAMES)
    X_train, Y_train = make_set(sprites, n_classes, n_tones, n_train // n_classes, train_rng, size)
    X_test, Y_test = make_set(sprites, n_classes, n_tones, n_test // n_classes, test_rng, size)
    for array in (X_train, Y_train, X_test, Y_test):
        array.setflags(write=False)
    return X_train, Y_train, X_test, Y_test


def load_gestures(n_train=1080, n_test=120, size=64, seed=0):
    """Six-class hand-gesture images, built deterministically from the committed sprites.

    Returns ``X_train (n_train, size, size, 3) uint8, Y_train (n_train,) int64,
    X_test (n_test, size, size, 3) uint8, Y_test (n_test,) int64, classes``, where
    ``classes`` is a numpy array of the six gesture names (``classes[label]``). Each class
    has exactly ``n_train / 6`` training and ``n_test / 6`` test images, so both counts must
    be multiples of 6. The same arguments always give the same arrays (fresh, writable
    copies each call). Scale the pixels yourself (e.g. ``X / 255``).
    """
    arrays = _cached(int(n_train), int(n_test), int(size), int(seed))
    return (*(array.copy() for array in arrays), np.array(GESTURE_NAMES))
