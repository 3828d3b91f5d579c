"""Render the emoji sprites behind the gesture, happy-face, road-scene and people datasets.

    python -m utils.builders.emoji_sprites [--font PATH] [--out DIR]   # about 4 s
    python -m utils.data.manifest update        # then record the new hashes

Each emoji is drawn in colour with Pillow from Noto Color Emoji, cropped to the glyph and
saved as an RGBA PNG:

- ``gestures/<gesture>_<tone>.png``: the six hand gestures in six skin tones (the default
  yellow and the five Fitzpatrick modifiers), ``utils.data.gestures.GESTURES`` x ``TONES``;
- ``faces/<class>_<face>.png``: six smiling and six not-smiling faces,
  ``utils.data.happy_faces.FACES``;
- ``road/<group>_<variant>.png``: vehicles, traffic lights, stop signs, buildings and trees
  for the road scenes, ``utils.data.road_scenes.SPRITES`` and ``SCENERY``;
- ``people/<identity>.png``: 31 emoji people in the six skin tones, the 186 identities of
  ``utils.data.identities.IDENTITIES`` (face verification and recognition).

Only this script needs the font (Debian/Ubuntu: ``apt-get install fonts-noto-color-emoji``);
notebooks read the PNGs. With the pinned Pillow and font 2.042 the output is byte-identical
from run to run.
"""

import argparse
import sys
import time
from pathlib import Path

from utils.data import gestures, happy_faces, identities, road_scenes
from utils.notebook_setup import REPO_ROOT

FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
FONT_SIZE = 109  # the only size of the font's colour bitmaps
OUT_DIR = REPO_ROOT / "datasets"


def sprites():
    """``{path under datasets/: emoji text}`` for every sprite: gestures, faces, road, people."""
    named = {}
    for gesture, emoji in gestures.GESTURES:
        for tone, modifier in gestures.TONES:
            named[f"gestures/{gestures.sprite_name(gesture, tone)}"] = emoji + modifier
    for label, faces in happy_faces.FACES:
        for face, emoji in faces:
            named[f"faces/{happy_faces.sprite_name(label, face)}"] = emoji
    named.update(road_scenes.sprite_paths())
    for identity in identities.IDENTITIES:
        named[f"people/{identities.sprite_name(identity)}"] = identities.emoji_text(identity)
    return named


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
    """Write every sprite under ``out_dir``; returns their paths."""
    from PIL import ImageFont

    font_path = Path(font_path)
    if not font_path.is_file():
        raise SystemExit(f"{font_path} not found: install Noto Color Emoji "
                         "(apt-get install fonts-noto-color-emoji) or pass --font PATH")
    font = ImageFont.truetype(str(font_path), FONT_SIZE)
    paths = []
    for relative, text in sprites().items():
        path = Path(out_dir) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        render(text, font).save(path, optimize=True)
        paths.append(path)
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--font", default=str(FONT), help="path of NotoColorEmoji.ttf")
    parser.add_argument("--out", default=str(OUT_DIR), help="the datasets/ folder to write to")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    paths = build(args.font, args.out)
    total = sum(path.stat().st_size for path in paths)
    print(f"wrote {len(paths)} sprites ({total / 1024:.0f} KiB) under {args.out} in "
          f"{time.perf_counter() - start:.1f} s; record their hashes with "
          "`python -m utils.data.manifest update`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
