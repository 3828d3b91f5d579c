"""Smiling vs not-smiling faces, composed from committed emoji sprites (a "Happy House"-like
binary set).

:func:`load_happy_faces` pastes the 12 sprites in ``datasets/faces/`` (6 smiling and 6
not-smiling faces, rendered from Noto Color Emoji by ``python -m
utils.builders.emoji_sprites``) onto varied backgrounds with seeded augmentation, using the
same composing code as the gesture set (:mod:`utils.data.sprite_scenes`), so every call
with the same arguments returns the same arrays, bit for bit, in well under a second.

Labels: 1 smiling, 0 not smiling (``CLASS_NAMES``).

The faces are chosen so that no single cue decides the class. The smiling ones include
open grins with and without teeth (grinning, grinning with big eyes, grinning with smiling
eyes, beaming) and closed-mouth smiles (smiling eyes with blush, slight smile); the
not-smiling ones include flat mouths (neutral, expressionless), frowns (slight frown,
disappointed), an angry face and an open "surprised" mouth, so an open mouth or closed eyes
alone do not tell a smile. All twelve share the same yellow disc and outline: only the
mouth and the eyes differ.

Augmentation of each image: a face size of 70-90 % of the image side, rotation (+-15
degrees), a mirror image half of the time, a shift of the face's centre by up to 6 % of the
side from the middle (faces in front of a door camera, as in the course's "Happy House"),
a brightness factor (0.7-1.25) and a colour saturation factor (0.5-1.4) on the face, and
one of three kinds of background (gradient, smooth colour noise, blurred texture), plus a
little pixel noise.
Train and test sets use the same sprites with independent random draws (separate seed
streams); each face appears equally often (within one) in each set.
"""

from functools import lru_cache

import numpy as np

from utils.data.manifest import verified_path
from utils.data.sprite_scenes import make_set, shrink

# (class name, ((face name, emoji), ...)); the order fixes the labels 0 and 1
FACES = (
    ("not_smiling", (
        ("neutral", "\U0001f610"),          # straight mouth, open eyes
        ("expressionless", "\U0001f611"),   # straight mouth, line eyes
        ("slight_frown", "\U0001f641"),     # a mouth curved down
        ("disappointed", "\U0001f61e"),     # a frown with lowered eyes
        ("angry", "\U0001f620"),            # a frown with angry brows
        ("open_mouth", "\U0001f62e"),       # surprised: an open mouth that is no smile
    )),
    ("smiling", (
        ("grinning", "\U0001f600"),         # open grin
        ("grinning_big_eyes", "\U0001f603"),
        ("grinning_smiling_eyes", "\U0001f604"),
        ("beaming", "\U0001f601"),          # a grin showing the teeth
        ("smiling_eyes", "\U0001f60a"),     # closed-mouth smile, blushing cheeks
        ("slight_smile", "\U0001f642"),     # the subtlest: a thin closed smile
    )),
)

CLASS_NAMES = tuple(name for name, _ in FACES)
FACE_NAMES = tuple(tuple(face for face, _ in faces) for _, faces in FACES)

# augmentation of the faces (see the module docstring)
COMPOSE_OPTIONS = {"extent": (0.7, 0.9), "max_angle": 15.0, "brightness": (0.7, 1.25),
                   "saturation": (0.5, 1.4), "max_shift": 0.06}


def sprite_name(label, face):
    """File name of one sprite, relative to datasets/faces/."""
    return f"{label}_{face}.png"


def sprite_paths():
    """Relative paths (under datasets/) of the 12 sprites, class-major order."""
    return [f"faces/{sprite_name(label, face)}"
            for label, faces in zip(CLASS_NAMES, FACE_NAMES, strict=True) for face in faces]


def load_sprites():
    """The 12 sprites as RGBA Pillow images, each checked against datasets/MANIFEST.

    Returns ``{(label, face index): image}``. A missing or corrupt file raises
    ``utils.data.manifest.DataFileError`` with the command that rebuilds it.
    """
    from PIL import Image

    sprites = {}
    for c, (label, faces) in enumerate(zip(CLASS_NAMES, FACE_NAMES, strict=True)):
        for f, face in enumerate(faces):
            with Image.open(verified_path(f"faces/{sprite_name(label, face)}")) as image:
                sprites[c, f] = image.convert("RGBA")
    return sprites


@lru_cache(maxsize=4)
def _cached(n_train, n_test, size, seed):
    for name, count in (("n_train", n_train), ("n_test", n_test)):
        if count <= 0 or count % 2:
            raise ValueError(f"{name} must be a positive even number (half smiling, half "
                             f"not), got {count}")
    sprites = {key: shrink(sprite, round(0.9 * size)) for key, sprite in load_sprites().items()}
    train_rng, test_rng = (np.random.default_rng(s)
                           for s in np.random.SeedSequence([seed, 2]).spawn(2))
    n_faces = len(FACE_NAMES[0])
    X_train, Y_train = make_set(sprites, 2, n_faces, n_train // 2, train_rng, size,
                                **COMPOSE_OPTIONS)
    X_test, Y_test = make_set(sprites, 2, n_faces, n_test // 2, test_rng, size,
                              **COMPOSE_OPTIONS)
    for array in (X_train, Y_train, X_test, Y_test):
        array.setflags(write=False)
    return X_train, Y_train, X_test, Y_test


def load_happy_faces(n_train=600, n_test=150, size=64, seed=0):
    """Smiling (1) and not-smiling (0) face images, built deterministically from the
    committed sprites.

    Returns ``X_train (n_train, size, size, 3) uint8, Y_train (n_train,) int64 in {0, 1},
    X_test (n_test, size, size, 3) uint8, Y_test (n_test,) int64, classes``, where
    ``classes`` is ``np.array(["not_smiling", "smiling"])`` (``classes[label]``). Half of
    each set smiles, so both counts must be even. The same arguments always give the same
    arrays (fresh, writable copies each call). Scale the pixels yourself (e.g. ``X / 255``).
    """
    arrays = _cached(int(n_train), int(n_test), int(size), int(seed))
    return (*(array.copy() for array in arrays), np.array(CLASS_NAMES))
