"""Images composed from emoji sprites on random backgrounds: the shared part of the sprite
datasets (:mod:`utils.data.gestures`, :mod:`utils.data.happy_faces`).

Each image is one sprite (an RGBA Pillow image) pasted onto a background of one of three
kinds, a two-colour linear gradient, smooth colour noise, or a blurred random texture, with
a random size, rotation, mirror image, position and brightness (and, on request, a random
colour saturation), plus a little pixel noise over the whole frame. Every draw comes from
the ``numpy.random.Generator`` passed in, in a fixed order, so a seeded generator gives the
same image bit for bit.

- :func:`make_set` composes a balanced, shuffled set from ``{(class, variant): sprite}``;
- :func:`compose` composes one image;
- :func:`shrink` resizes a sprite once, in high quality, before the many cheap resizes of
  :func:`compose`;
- :func:`background` draws one background.
"""

import numpy as np

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


BACKGROUNDS = (_gradient, _smooth_noise, _blurred_texture)


def background(rng, size):
    """A ``(size, size, 3)`` float64 background (values about 0-255, not yet clipped) of a
    kind drawn at random from :data:`BACKGROUNDS`."""
    return BACKGROUNDS[int(rng.integers(len(BACKGROUNDS)))](rng, size)


# ----------------------------------------------------------------------------------------
# composing one image


def offset(rng, extent, size):
    """Where a piece ``extent`` pixels long starts, letting at most 5 % of it leave the frame
    on either side (centred if it cannot fit)."""
    low, high = -(extent // 20), size - extent + extent // 20
    return int(rng.integers(low, high + 1)) if high >= low else (size - extent) // 2


def compose(sprite, rng, size, *, extent=(0.65, 0.9), max_angle=15.0,
            brightness=(0.75, 1.2), saturation=None, max_shift=None, noise=4.0):
    """One ``(size, size, 3)`` uint8 image: ``sprite`` (RGBA) pasted onto a random background.

    The sprite's longest side becomes a fraction of ``size`` drawn from ``extent``; it is
    rotated by up to ``max_angle`` degrees either way, mirrored left-right half of the time,
    its brightness multiplied by a factor drawn from ``brightness`` and, if ``saturation``
    is a ``(low, high)`` range, its colour saturation by a factor drawn from it (0 is grey,
    1 unchanged). By default it goes anywhere that keeps at least 90 % of its height and
    width in the frame; with ``max_shift`` (a fraction of ``size``) its centre moves at most
    that far from the middle of the frame, along each axis. Gaussian pixel noise of standard
    deviation ``noise`` covers the whole image.
    """
    from PIL import Image, ImageEnhance

    canvas = background(rng, size)
    longest = rng.uniform(*extent) * size
    angle = rng.uniform(-max_angle, max_angle)
    mirror = rng.random() < 0.5
    bright = rng.uniform(*brightness)
    # drawn only when asked for, so that sets made without it keep their random stream
    colour = rng.uniform(*saturation) if saturation is not None else None

    scale = longest / max(sprite.size)
    width = max(1, round(sprite.size[0] * scale))
    height = max(1, round(sprite.size[1] * scale))
    piece = sprite.resize((width, height), Image.Resampling.BILINEAR)
    if mirror:
        piece = piece.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    piece = piece.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    rgb = ImageEnhance.Brightness(piece.convert("RGB")).enhance(bright)
    if colour is not None:
        rgb = ImageEnhance.Color(rgb).enhance(colour)
    piece_rgb = np.asarray(rgb, dtype=np.float64)
    alpha = np.asarray(piece.getchannel("A"), dtype=np.float64)[..., None] / 255.0

    # a random position that keeps at least 90 % of the piece's height and width in frame,
    # or one near the middle
    h, w = alpha.shape[:2]
    if max_shift is None:
        top = offset(rng, h, size)
        left = offset(rng, w, size)
    else:
        reach = int(round(max_shift * size))
        top = (size - h) // 2 + int(rng.integers(-reach, reach + 1))
        left = (size - w) // 2 + int(rng.integers(-reach, reach + 1))
    y0, x0 = max(top, 0), max(left, 0)
    y1, x1 = min(top + h, size), min(left + w, size)
    patch = (slice(y0 - top, y1 - top), slice(x0 - left, x1 - left))
    a = alpha[patch]
    canvas[y0:y1, x0:x1] = a * piece_rgb[patch] + (1 - a) * canvas[y0:y1, x0:x1]

    image = canvas + rng.normal(0.0, noise, size=canvas.shape)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def shrink(sprite, longest):
    """The sprite resized (high quality, once) so that its longest side is ``longest``."""
    from PIL import Image

    scale = longest / max(sprite.size)
    shape = (max(1, round(sprite.size[0] * scale)), max(1, round(sprite.size[1] * scale)))
    return sprite.resize(shape, Image.Resampling.LANCZOS, reducing_gap=3.0)


# ----------------------------------------------------------------------------------------
# a balanced set


def make_set(sprites, n_classes, n_variants, per_class, rng, size, **options):
    """``per_class`` images of each class, in shuffled order, and their int64 labels.

    ``sprites`` maps ``(class, variant)`` to an RGBA sprite; within each class the variants
    (skin tones, different faces) are cycled evenly, so each appears ``per_class //
    n_variants`` or one more times. ``options`` go to :func:`compose`.
    """
    labels = np.repeat(np.arange(n_classes), per_class)
    variants = np.tile(np.arange(per_class) % n_variants, n_classes)
    order = rng.permutation(len(labels))
    labels, variants = labels[order], variants[order]
    images = np.empty((len(labels), size, size, 3), dtype=np.uint8)
    for i, (c, v) in enumerate(zip(labels, variants, strict=True)):
        images[i] = compose(sprites[int(c), int(v)], rng, size, **options)
    return images, labels.astype(np.int64)
