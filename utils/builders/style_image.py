"""Paint the style image of the neural-style-transfer notebook, ``datasets/style/swirls.png``.

    python -m utils.builders.style_image [--out DIR]   # about 2 s
    python -m utils.data.manifest update               # then record the new hash

No public-domain painting ships in any installed package, so this script paints one: a
"night sky of swirls" in the spirit of post-impressionist brush work, made only of numpy
and Pillow and a fixed seed (so it is ours, free of any licence question):

1. a **flow field**: the velocity of a few point vortices of different strengths and turning
   directions, plus a gentle horizontal drift (the "wind");
2. a **palette** that follows the picture: deep and cobalt blues far from the vortices,
   turquoise and white nearer, yellow and orange in the vortex cores, so the colour changes
   smoothly across the canvas;
3. thousands of short **brush strokes**: each starts at a random point, follows the flow
   field for a random number of steps and is drawn as a thick polyline in its palette
   colour (with a little random variation in hue and brightness) and a darker edge; the
   strokes are drawn from long and wide to short and thin, so fine strokes end on top.

It is drawn at three times the final size and reduced with a Lanczos filter, which
softens the edges of the strokes as a brush would. The result is a strongly textured,
high-contrast image with clear oriented strokes and a narrow colour scheme: the kind of
style a Gram matrix captures well. With the pinned numpy and Pillow the PNG is
byte-identical from run to run.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from utils.data.style_image import RELATIVE_PATH, SIDE
from utils.notebook_setup import REPO_ROOT

OUT_DIR = REPO_ROOT / "datasets"
SEED = 2026
SCALE = 3  # drawn at SCALE x SIDE pixels, then reduced

# (x, y, strength, core radius) of the vortices in [0, 1] coordinates; the sign of the
# strength is the turning direction
VORTICES = [(0.30, 0.32, 1.0, 0.10), (0.72, 0.22, -0.7, 0.07), (0.62, 0.68, 0.9, 0.09),
            (0.18, 0.78, -0.6, 0.06), (0.90, 0.55, 0.5, 0.05)]
WIND = 0.35

# colours from the "outer sky" to the "vortex core" (RGB)
PALETTE = np.array([[14, 30, 86], [24, 62, 150], [44, 104, 196], [82, 160, 210],
                    [200, 226, 232], [244, 214, 84], [236, 150, 40]], dtype=float)


def flow(x, y):
    """Unit direction of the flow field at points (x, y) in [0, 1]; also the 'heat' in
    [0, 1] (1 at a vortex core) that picks the colour."""
    u = np.full_like(x, WIND)
    v = 0.15 * np.sin(6.0 * x)
    heat = np.zeros_like(x)
    for cx, cy, strength, radius in VORTICES:
        dx, dy = x - cx, y - cy
        r2 = dx * dx + dy * dy + radius * radius
        u += -strength * dy / r2 * radius
        v += strength * dx / r2 * radius
        heat = np.maximum(heat, np.exp(-(dx * dx + dy * dy) / (2.0 * (1.6 * radius) ** 2)))
    norm = np.sqrt(u * u + v * v) + 1e-9
    return u / norm, v / norm, heat


def _colour(heat, rng):
    position = np.clip(heat * (len(PALETTE) - 1) + rng.normal(0.0, 0.45), 0,
                       len(PALETTE) - 1)
    low = int(np.floor(position))
    high = min(low + 1, len(PALETTE) - 1)
    colour = PALETTE[low] + (position - low) * (PALETTE[high] - PALETTE[low])
    colour = colour * rng.uniform(0.85, 1.12) + rng.normal(0.0, 8.0, 3)
    return np.clip(colour, 0, 255)


def paint(side=SIDE, seed=SEED, scale=SCALE):
    """The painting as a (side, side, 3) uint8 array."""
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    big = side * scale
    canvas = Image.new("RGB", (big, big), tuple(int(c) for c in PALETTE[1]))
    draw = ImageDraw.Draw(canvas)
    # passes from long, wide strokes (the under-painting) to short, fine ones
    for n_strokes, length, width in ((700, (10, 22), 9), (1500, (6, 14), 6),
                                     (2200, (4, 9), 4)):
        step = 0.006
        for _ in range(n_strokes):
            x, y = rng.uniform(-0.05, 1.05, 2)
            points = [(x, y)]
            for _ in range(int(rng.integers(*length))):
                u, v, _ = flow(np.array(x), np.array(y))
                x, y = x + step * float(u), y + step * float(v)
                points.append((x, y))
            _, _, heat = flow(np.array(points[0][0]), np.array(points[0][1]))
            colour = _colour(float(heat), rng)
            edge = tuple(int(c) for c in colour * 0.55)
            pixels = [(px * big, py * big) for px, py in points]
            w = int(width * scale * rng.uniform(0.7, 1.2))
            draw.line(pixels, fill=edge, width=w + 2 * scale, joint="curve")
            draw.line(pixels, fill=tuple(int(c) for c in colour), width=w, joint="curve")
    small = canvas.resize((side, side), Image.Resampling.LANCZOS)
    return np.asarray(small, dtype=np.uint8)


def build(out_dir=OUT_DIR):
    """Write the PNG under ``out_dir``; return its path."""
    from PIL import Image

    path = Path(out_dir) / RELATIVE_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(paint()).save(path, optimize=True)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(OUT_DIR), help="the datasets/ folder to write to")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    path = build(args.out)
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB) in "
          f"{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
