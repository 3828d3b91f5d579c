"""Render the face sprites behind ``utils.data.happy_faces`` from Noto Color Emoji.

    python -m utils.builders.face_sprites [--font PATH] [--out DIR]   # about 0.3 s
    python -m utils.data.manifest update        # then record the new hashes

Six smiling and six not-smiling faces (``utils.data.happy_faces.FACES``) are drawn with
Pillow, cropped to the glyph and saved as RGBA PNGs named ``<class>_<face>.png`` under
``datasets/faces/``. Only this script needs the font (Debian/Ubuntu:
``apt-get install fonts-noto-color-emoji``); notebooks read the PNGs.
"""

import argparse
import sys
import time
from pathlib import Path

from utils.builders.gesture_sprites import FONT, FONT_SIZE, render
from utils.data.happy_faces import FACES, sprite_name
from utils.notebook_setup import REPO_ROOT

OUT_DIR = REPO_ROOT / "datasets" / "faces"


def build(font_path=FONT, out_dir=OUT_DIR):
    """Write the 12 sprites; returns their paths."""
    from PIL import ImageFont

    font_path = Path(font_path)
    if not font_path.is_file():
        raise SystemExit(f"{font_path} not found: install Noto Color Emoji "
                         "(apt-get install fonts-noto-color-emoji) or pass --font PATH")
    font = ImageFont.truetype(str(font_path), FONT_SIZE)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for label, faces in FACES:
        for face, emoji in faces:
            path = out_dir / sprite_name(label, face)
            render(emoji, font).save(path, optimize=True)
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
