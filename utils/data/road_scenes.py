"""Road scenes composed from emoji sprites, with exact boxes and per-pixel masks.

:func:`make_scenes` draws seeded street views like a dash camera's: a sky with a horizon,
a row of buildings and trees along it, grass, a road narrowing towards the horizon with a
dashed centre line, then vehicles on the road (smaller the farther away, the far ones drawn
first so that near ones hide them) and traffic lights and stop signs on poles beside it.
The same seed gives the same scenes, bit for bit, on every machine.

What each scene knows exactly, because it drew it:

- ``boxes``: one ``(x_min, y_min, x_max, y_max)`` row per object of :data:`CLASSES`, in
  pixels (``x_max``, ``y_max`` exclusive), the tight box of the sprite as pasted (the whole
  object, even where a nearer one hides part of it; placements that would hide much are
  refused);
- ``mask``: the class of every pixel, an index into :data:`SEGMENT_CLASSES` (the object
  classes plus the scenery: sky, building, tree, grass, road, lane marking, pole).

The sprites are the PNGs in ``datasets/road/``, rendered from Noto Color Emoji by
``python -m utils.builders.emoji_sprites``; :data:`SPRITES` lists them.
"""

from functools import lru_cache

import numpy as np

from utils.data.manifest import verified_path

# object class -> its sprites as (variant, emoji); the order fixes the labels 0..6
SPRITES = (
    ("car", (("car", "\U0001f697"), ("suv", "\U0001f699"), ("oncoming_car", "\U0001f698"),
             ("police_car", "\U0001f693"), ("pickup", "\U0001f6fb"))),
    ("taxi", (("taxi", "\U0001f695"), ("oncoming_taxi", "\U0001f696"))),
    ("bus", (("bus", "\U0001f68c"), ("oncoming_bus", "\U0001f68d"))),
    ("truck", (("truck", "\U0001f69a"), ("lorry", "\U0001f69b"))),
    ("bicycle", (("bicycle", "\U0001f6b2"),)),
    ("traffic_light", (("vertical", "\U0001f6a6"), ("horizontal", "\U0001f6a5"))),
    ("stop_sign", (("stop_sign", "\U0001f6d1"),)),
)
# scenery drawn along the horizon: segment class -> its sprites
SCENERY = (
    ("building", (("house", "\U0001f3e0"), ("office", "\U0001f3e2"))),
    ("tree", (("tree", "\U0001f333"), ("pine", "\U0001f332"))),
)

CLASSES = tuple(name for name, _ in SPRITES)
VEHICLES = CLASSES[:5]
SIGNS = CLASSES[5:]
SEGMENT_CLASSES = CLASSES + ("sky", "building", "tree", "grass", "road", "lane_marking", "pole")

# how tall each object is, as a fraction of the distance from the horizon to the bottom of
# its base: a near bus is taller than a near car
_HEIGHT = {"car": 0.34, "taxi": 0.36, "bus": 0.5, "truck": 0.46, "bicycle": 0.3,
           "traffic_light": 0.32, "stop_sign": 0.24}
_VEHICLE_ODDS = (0.4, 0.15, 0.15, 0.15, 0.15)  # cars are the commonest
_MAX_OVERLAP = 0.25  # largest IoU allowed between two objects' boxes


def sprite_name(group, variant):
    """File name of one sprite, relative to datasets/road/."""
    return f"{group}_{variant}.png"


def sprite_paths():
    """``{relative path under datasets/: emoji}`` of every road sprite, objects then scenery."""
    return {f"road/{sprite_name(group, variant)}": emoji
            for group, variants in SPRITES + SCENERY for variant, emoji in variants}


@lru_cache(maxsize=1)
def load_sprites():
    """``{group: [RGBA Pillow images]}`` for every object class and scenery group, each file
    checked against datasets/MANIFEST (a missing or corrupt one raises
    ``utils.data.manifest.DataFileError`` saying how to rebuild it)."""
    from PIL import Image

    loaded = {}
    for group, variants in SPRITES + SCENERY:
        loaded[group] = []
        for variant, _ in variants:
            with Image.open(verified_path(f"road/{sprite_name(group, variant)}")) as image:
                loaded[group].append(image.convert("RGBA"))
    return loaded


# ----------------------------------------------------------------------------------------
# drawing


def _paste(canvas, mask, sprite, left, top, label, mirror=False, brightness=1.0):
    """Alpha-blend ``sprite`` onto ``canvas`` at ``(left, top)``, give its opaque pixels
    (alpha >= 0.5) the segment ``label`` in ``mask``, and return its tight box clipped to
    the frame, or None if it lies wholly outside."""
    from PIL import Image

    if mirror:
        sprite = sprite.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    rgba = np.asarray(sprite, dtype=np.float64)
    alpha = rgba[..., 3:] / 255.0
    size_y, size_x = mask.shape
    h, w = alpha.shape[:2]
    y0, x0 = max(top, 0), max(left, 0)
    y1, x1 = min(top + h, size_y), min(left + w, size_x)
    if y0 >= y1 or x0 >= x1:
        return None
    part = (slice(y0 - top, y1 - top), slice(x0 - left, x1 - left))
    a = alpha[part]
    canvas[y0:y1, x0:x1] = a * rgba[part][..., :3] * brightness + (1 - a) * canvas[y0:y1, x0:x1]
    solid = a[..., 0] >= 0.5
    mask[y0:y1, x0:x1][solid] = label
    rows, cols = np.nonzero(solid)
    if rows.size == 0:
        return None
    return (x0 + cols.min(), y0 + rows.min(), x0 + cols.max() + 1, y0 + rows.max() + 1)


def _resized(sprite, height):
    from PIL import Image

    width = max(1, round(sprite.size[0] * height / sprite.size[1]))
    return sprite.resize((width, max(1, round(height))), Image.Resampling.LANCZOS)


def _iou(a, b):
    inter_w = min(a[2], b[2]) - max(a[0], b[0])
    inter_h = min(a[3], b[3]) - max(a[1], b[1])
    if inter_w <= 0 or inter_h <= 0:
        return 0.0
    inter = inter_w * inter_h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def _background(rng, size, seg):
    """Sky, scenery along the horizon, grass and the road; returns the canvas, the mask and
    the road's edges as functions of the row."""
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float64)
    horizon = int(rng.uniform(0.3, 0.42) * size)
    sky_top = np.array([rng.uniform(60, 120), rng.uniform(130, 180), rng.uniform(200, 250)])
    sky_low = sky_top + rng.uniform(20, 60, size=3)
    t = np.clip(ys / max(horizon, 1), 0, 1)[..., None]
    canvas = sky_top + t * (sky_low - sky_top)
    mask = np.full((size, size), seg["sky"], dtype=np.uint8)

    ground = ys >= horizon
    grass = np.array([rng.uniform(70, 120), rng.uniform(130, 170), rng.uniform(50, 90)])
    canvas[ground] = grass + rng.normal(0, 6, size=(int(ground.sum()), 3))
    mask[ground] = seg["grass"]

    # the road: a trapezoid from a narrow top at the horizon to a wide bottom
    centre_top = rng.uniform(0.4, 0.6) * size
    centre_bottom = centre_top + rng.uniform(-0.25, 0.25) * size
    half_top, half_bottom = rng.uniform(0.03, 0.07) * size, rng.uniform(0.55, 0.8) * size

    def edges(row):
        depth = np.clip((row - horizon) / (size - horizon), 0, 1)
        centre = centre_top + depth * (centre_bottom - centre_top)
        half = half_top + depth * (half_bottom - half_top)
        return centre - half, centre + half, centre, depth

    left, right, centre, depth = edges(ys)
    road = ground & (xs >= left) & (xs < right)
    grey = rng.uniform(80, 130)
    canvas[road] = grey + rng.normal(0, 5, size=(int(road.sum()), 1))
    mask[road] = seg["road"]
    # a dashed centre line whose dashes and width grow towards the viewer
    phase = rng.uniform(0, 1)
    dash = np.sin(2 * np.pi * (np.log1p(30 * depth) * 2.5 + phase)) > 0
    line = road & dash & (np.abs(xs - centre) < 0.2 + 2.2 * depth) & (depth > 0.04)
    canvas[line] = rng.uniform(215, 245)
    mask[line] = seg["lane_marking"]
    return canvas, mask, horizon, edges


def _scenery(rng, canvas, mask, horizon, size, sprites, seg):
    """A row of buildings and trees standing on the horizon."""
    x = -int(rng.integers(0, size // 6))
    while x < size:
        group = ("building", "tree")[int(rng.integers(2))]
        choices = sprites[group]
        sprite = choices[int(rng.integers(len(choices)))]
        height = rng.uniform(0.12, 0.3) * size * (1.3 if group == "building" else 1.0)
        piece = _resized(sprite, height)
        top = horizon - piece.size[1] + int(rng.integers(0, 3))
        _paste(canvas, mask, piece, x, top, seg[group], brightness=rng.uniform(0.8, 1.1))
        x += int(piece.size[0] * rng.uniform(0.6, 1.1)) + int(rng.integers(0, size // 8))


def _place(rng, name, aspect, edges, horizon, size, taken):
    """A base row, height and left edge for one object whose sprite is ``aspect`` times as
    wide as it is tall, or None if no spot clear of the ``taken`` boxes is found."""
    roadside = name in SIGNS
    for _ in range(20):
        base = rng.uniform(horizon + 0.12 * (size - horizon), size * 1.02)
        left_edge, right_edge, _, depth = edges(base)
        height = _HEIGHT[name] * (base - horizon) * rng.uniform(0.9, 1.1)
        if height < 0.08 * size:
            continue
        width = height * aspect
        if roadside:
            side = int(rng.integers(2))
            x = (left_edge - width * rng.uniform(1.0, 1.6) if side == 0
                 else right_edge + width * rng.uniform(0.1, 0.6))
            top = base - 1.6 * height  # the sign stands on a pole
        else:
            x = rng.uniform(left_edge + 0.1 * width, right_edge - 1.1 * width)
            top = base - height
        box = (x, top, x + width, top + height)
        if box[0] < -0.1 * width or box[2] > size + 0.1 * width:
            continue
        if all(_iou(box, other) <= _MAX_OVERLAP for other in taken):
            return base, height, x
    return None


def compose_scene(rng, size=128, sprites=None, max_vehicles=5, max_signs=2):
    """One scene: ``(image, mask, boxes, classes)``.

    ``image`` is ``(size, size, 3)`` uint8, ``mask`` ``(size, size)`` uint8 indices into
    :data:`SEGMENT_CLASSES`, ``boxes`` ``(n, 4)`` float32 ``x_min, y_min, x_max, y_max`` in
    pixels and ``classes`` ``(n,)`` int64 indices into :data:`CLASSES`. Every draw comes
    from the ``numpy.random.Generator`` ``rng`` in a fixed order.
    """
    sprites = load_sprites() if sprites is None else sprites
    seg = {name: i for i, name in enumerate(SEGMENT_CLASSES)}
    canvas, mask, horizon, edges = _background(rng, size, seg)
    _scenery(rng, canvas, mask, horizon, size, sprites, seg)

    n_vehicles = int(rng.integers(1, max_vehicles + 1))
    n_signs = int(rng.integers(0, max_signs + 1))
    wanted = [VEHICLES[int(i)] for i in rng.choice(len(VEHICLES), n_vehicles, p=_VEHICLE_ODDS)]
    wanted += [SIGNS[int(i)] for i in rng.integers(0, len(SIGNS), n_signs)]
    placed, taken = [], []
    for name in wanted:
        choices = sprites[name]
        original = choices[int(rng.integers(len(choices)))]
        spot = _place(rng, name, original.size[0] / original.size[1], edges, horizon, size, taken)
        if spot is None:
            continue
        base, height, x = spot
        sprite = _resized(original, height)
        top = int(round(base - height))
        if name in SIGNS:  # lift the sign onto a pole standing at the base row
            top -= int(round(0.6 * height))
        placed.append((base, name, sprite, int(round(x)), top, rng.random() < 0.5,
                       rng.uniform(0.8, 1.15)))
        taken.append((x, top, x + sprite.size[0], top + sprite.size[1]))

    boxes, classes = [], []
    for base, name, sprite, left, top, mirror, bright in sorted(placed, key=lambda p: p[0]):
        if name in SIGNS:
            pole_x = left + sprite.size[0] // 2
            pole_w = max(1, sprite.size[0] // 10)
            rows = slice(max(top + sprite.size[1], 0), min(int(round(base)), size))
            cols = slice(max(pole_x - pole_w // 2, 0), min(pole_x - pole_w // 2 + pole_w, size))
            canvas[rows, cols] = 70.0
            mask[rows, cols] = seg["pole"]
            mirror = False  # a mirrored traffic light would put red at the bottom
        box = _paste(canvas, mask, sprite, left, top, seg[name], mirror=mirror, brightness=bright)
        if box is not None:
            boxes.append(box)
            classes.append(CLASSES.index(name))

    image = canvas + rng.normal(0.0, 3.0, size=canvas.shape)
    image = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    return (image, mask, np.asarray(boxes, dtype=np.float32).reshape(-1, 4),
            np.asarray(classes, dtype=np.int64))


def make_scenes(n, seed, size=128, **options):
    """``n`` scenes from one seed: ``images (n, size, size, 3) uint8``, ``masks (n, size, size)
    uint8``, and per scene lists ``boxes`` and ``classes`` (see :func:`compose_scene`)."""
    if n < 0:
        raise ValueError(f"n must be a non-negative number of scenes, got {n}")
    rng = np.random.default_rng(seed)
    sprites = load_sprites()
    images = np.empty((n, size, size, 3), dtype=np.uint8)
    masks = np.empty((n, size, size), dtype=np.uint8)
    boxes, classes = [], []
    for i in range(n):
        images[i], masks[i], b, c = compose_scene(rng, size, sprites, **options)
        boxes.append(b)
        classes.append(c)
    return images, masks, boxes, classes
