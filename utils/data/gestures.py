"""A SIGNS-like dataset of six hand gestures, composed from committed emoji sprites.

:func:`load_gestures` pastes the 36 sprites in ``datasets/gestures/`` (6 gestures x 6 skin
tones, rendered from Noto Color Emoji by ``python -m utils.builders.gesture_sprites``)
onto varied backgrounds with seeded augmentation, so every call with the same arguments
returns the same arrays, bit for bit, in well under a second.

Labels (``GESTURE_NAMES``): 0 fist, 1 index_up, 2 victory, 3 love_you, 4 thumbs_up,
5 open_hand.

Augmentation of each image: a random sprite size (65-90 % of the image side), rotation
(+-15 degrees), a horizontal mirror half of the time (a mirrored hand is the same gesture
made with the other hand; there are no vertical flips, which would turn a thumbs-up into a
thumbs-down), a shift within the frame, a brightness factor (0.75-1.2) on the hand, and a
background drawn from three kinds: a two-colour linear gradient, smooth colour noise, or a
blurred random texture. A little pixel noise covers the whole image.

Train and test images use the same 36 sprites but independent random draws (separate
seed streams), the way SIGNS photographs the same hands in different shots; every skin
tone appears in both sets, each gesture-tone pair equally often in the training set.
"""

from functools import lru_cache

import numpy as np

from utils.data.manifest import verified_path

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


# ----------------------------------------------------------------------------------------
# backgrounds


def _colour(rng, around=None, spread=35.0):
    """A muted colour: a grey level with a mild tint (or a variation of ``around``)."""
    if around is None:
        return rng.uniform(50, 230) + rng.uniform(-spread, spread, size=3)
    return around + rng.uniform(-spread, spread, size=3)


def _gradient(rng, size):
    start = _colour(rng)
    end = _colour(rng, around=start, spread=60.0)
    angle = rng.uniform(0, 2 * np.pi)
    grid = np.linspace(-0.5, 0.5, size)
    proj = np.cos(angle) * grid[None, :] + np.sin(angle) * grid[:, None]
    t = (proj - proj.min()) / (proj.max() - proj.min())
    return start + t[..., None] * (end - start)


def _smooth_noise(rng, size):
    from PIL import Image

    cells = int(rng.integers(2, 6))
    base = _colour(rng)
    small = base + rng.uniform(-40, 40, size=(cells, cells, 3))
    small = np.clip(small, 0, 255).astype(np.uint8)
    big = Image.fromarray(small).resize((size, size), Image.Resampling.BICUBIC)
    return np.asarray(big, dtype=np.float64)


def _blurred_texture(rng, size):
    from PIL import Image, ImageFilter

    noise = _colour(rng) + rng.uniform(10, 35) * rng.standard_normal((size, size, 3))
    image = Image.fromarray(np.clip(noise, 0, 255).astype(np.uint8))
    radius = float(rng.uniform(1.0, 3.0))
    return np.asarray(image.filter(ImageFilter.GaussianBlur(radius)), dtype=np.float64)


_BACKGROUNDS = (_gradient, _smooth_noise, _blurred_texture)


# ----------------------------------------------------------------------------------------
# composing one image


def _offset(rng, extent, size):
    """Where a piece ``extent`` pixels long starts, letting at most 5 % of it leave the frame
    on either side (centred if it cannot fit)."""
    low, high = -(extent // 20), size - extent + extent // 20
    return int(rng.integers(low, high + 1)) if high >= low else (size - extent) // 2


def _compose(sprite, rng, size):
    from PIL import Image, ImageEnhance

    background = _BACKGROUNDS[int(rng.integers(len(_BACKGROUNDS)))](rng, size)
    extent = rng.uniform(0.65, 0.9) * size          # longest side of the hand, in pixels
    angle = rng.uniform(-15, 15)
    mirror = rng.random() < 0.5
    brightness = rng.uniform(0.75, 1.2)

    scale = extent / max(sprite.size)
    width = max(1, round(sprite.size[0] * scale))
    height = max(1, round(sprite.size[1] * scale))
    hand = sprite.resize((width, height), Image.Resampling.BILINEAR)
    if mirror:
        hand = hand.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    hand = hand.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    rgb = ImageEnhance.Brightness(hand.convert("RGB")).enhance(brightness)
    hand_rgb = np.asarray(rgb, dtype=np.float64)
    alpha = np.asarray(hand.getchannel("A"), dtype=np.float64)[..., None] / 255.0

    # a random position that keeps at least 90 % of the hand's height and width in frame
    h, w = alpha.shape[:2]
    top = _offset(rng, h, size)
    left = _offset(rng, w, size)
    y0, x0 = max(top, 0), max(left, 0)
    y1, x1 = min(top + h, size), min(left + w, size)
    patch = (slice(y0 - top, y1 - top), slice(x0 - left, x1 - left))
    a = alpha[patch]
    background[y0:y1, x0:x1] = a * hand_rgb[patch] + (1 - a) * background[y0:y1, x0:x1]

    image = background + rng.normal(0.0, 4.0, size=background.shape)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def _shrink(sprite, longest):
    """The sprite resized (high quality, once) so that its longest side is ``longest``."""
    from PIL import Image

    scale = longest / max(sprite.size)
    shape = (max(1, round(sprite.size[0] * scale)), max(1, round(sprite.size[1] * scale)))
    return sprite.resize(shape, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _make_set(sprites, per_class, rng, size):
    """``per_class`` images of each gesture, skin tones cycled evenly, in shuffled order."""
    n_classes, n_tones = len(GESTURE_NAMES), len(TONE_NAMES)
    labels = np.repeat(np.arange(n_classes), per_class)
    tones = np.tile(np.arange(per_class) % n_tones, n_classes)
    order = rng.permutation(len(labels))
    labels, tones = labels[order], tones[order]
    images = np.empty((len(labels), size, size, 3), dtype=np.uint8)
    for i, (g, t) in enumerate(zip(labels, tones, strict=True)):
        images[i] = _compose(sprites[int(g), int(t)], rng, size)
    return images, labels.astype(np.int64)


@lru_cache(maxsize=4)
def _cached(n_train, n_test, size, seed):
    n_classes = len(GESTURE_NAMES)
    for name, count in (("n_train", n_train), ("n_test", n_test)):
        if count <= 0 or count % n_classes:
            raise ValueError(f"{name} must be a positive multiple of {n_classes} "
                             f"(equal numbers per gesture), got {count}")
    sprites = {key: _shrink(sprite, round(0.9 * size)) for key, sprite in load_sprites().items()}
    train_rng, test_rng = (np.random.default_rng(s)
                           for s in np.random.SeedSequence(seed).spawn(2))
    X_train, Y_train = _make_set(sprites, n_train // n_classes, train_rng, size)
    X_test, Y_test = _make_set(sprites, n_test // n_classes, test_rng, size)
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
