"""Render the hand-gesture sprites behind ``utils.data.gestures`` from Noto Color Emoji.

    python -m utils.builders.gesture_sprites [--font PATH] [--out DIR]   # about 1 s
    python -m utils.data.manifest update        # then record the new hashes

Each of the six gestures is drawn in six skin tones (the default yellow and the five
Fitzpatrick modifiers) with Pillow, cropped to the glyph and saved as an RGBA PNG named
``<gesture>_<tone>.png`` under ``datasets/gestures/``. Only this script needs the font
(Debian/Ubuntu: ``apt-get install fonts-noto-color-emoji``); notebooks read the PNGs.
"""

import argparse
import sys
import time
from pathlib import Path

from utils.data.gestures import GESTURES, TONES, sprite_name
from utils.notebook_setup import REPO_ROOT

FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
FONT_SIZE = 109  # the only size of the font's colour bitmaps
OUT_DIR = REPO_ROOT / "datasets" / "gestures"

def render(text, font):
    """The emoji ``text`` drawn in colour on a transparent canvas, cropped to the glyph."""
    from PIL import Image, ImageDraw

    canvas = Image.new("RGBA", (2 * FONT_SIZE, 2 * FONT_SIZE), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((FONT_SIZE // 4, FONT_SIZE // 4), text, font=font,
                                embedded_color=True)
    box = canvas.getchannel("A").getbbox()
    if box is None:
        raise RuntimeError(f"the font drew nothing for {text!r}")
    return canvas.crop(box)


def build(font_path=FONT, out_dir=OUT_DIR):
    """Write the 36 sprites; returns their paths."""
    from PIL import ImageFont

    font_path = Path(font_path)
    if not font_path.is_file():
        raise SystemExit(f"{font_path} not found: install Noto Color Emoji "
                         "(apt-get install fonts-noto-color-emoji) or pass --font PATH")
    font = ImageFont.truetype(str(font_path), FONT_SIZE)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for gesture, emoji in GESTURES:
        for tone, modifier in TONES:
            path = out_dir / sprite_name(gesture, tone)
            render(emoji + modifier, font).save(path, optimize=True)
            paths.append(path)
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--font", default=str(FONT), help="path of NotoColorEmoji.ttf")
    parser.add_argument("--out", default=str(OUT_DIR), help="output folder")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    paths = build(args.font, args.out)
    total = sum(path.stat().st_size for path in paths)
    print(f"wrote {len(paths)} sprites ({total / 1024:.0f} KiB) to {args.out} in "
          f"{time.perf_counter() - start:.1f} s; record their hashes with "
          "`python -m utils.data.manifest update`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
