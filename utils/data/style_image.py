"""The style image of the neural-style-transfer notebook: ``datasets/style/swirls.png``.

A painting of swirling brush strokes made by ``python -m utils.builders.style_image`` from
numpy, Pillow and a fixed seed (see that module for how it is painted, and the data card in
``datasets/README.md``). The file is checked against ``datasets/MANIFEST`` before it is read.

    style = load_style_image(size=225)      # (225, 225, 3) uint8
"""

import numpy as np

from utils.data.manifest import verified_path

RELATIVE_PATH = "style/swirls.png"
SIDE = 256  # the committed image is SIDE x SIDE pixels


def load_style_image(size=SIDE):
    """The style painting as a ``(size, size, 3)`` uint8 RGB array (resized with Pillow's
    Lanczos filter when ``size`` differs from the stored 256 x 256)."""
    from PIL import Image

    with Image.open(verified_path(RELATIVE_PATH)) as image:
        image = image.convert("RGB")
        if image.size != (size, size):
            image = image.resize((size, size), Image.Resampling.LANCZOS)
        return np.asarray(image, dtype=np.uint8)
