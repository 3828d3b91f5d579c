"""Trained weights of the U-Net notebook, ``datasets/unet/unet_segmenter.npz``.

Rebuilt by ``python -m utils.builders.unet_segmenter`` (see that module for how the network
is trained). The file is checked against ``datasets/MANIFEST`` before it is read.
"""

import numpy as np

from utils.data.manifest import verified_path

RELATIVE_PATH = "unet/unet_segmenter.npz"
HISTORY_KEYS = ("train_loss", "train_accuracy", "val_loss", "val_mean_iou")


def load_unet_weights():
    """The trained U-Net's weights, its settings and its training history.

    Returns ``(weights, info)``: ``weights`` is a list of float32 arrays in
    ``model.get_weights()`` order, ready for ``model.set_weights(weights)`` on
    ``unet_model(input_size, n_filters, n_classes)`` built with the settings in ``info``
    (stored as float16); ``info`` holds ``n_filters``, ``n_classes``, ``input_size``,
    ``epochs``, ``train_scenes``, ``train_seed`` and the per-epoch history
    (``train_loss``, ``train_accuracy``, ``val_loss``, ``val_mean_iou``).
    """
    with np.load(verified_path(RELATIVE_PATH)) as saved:
        keys = sorted(k for k in saved.files if k.startswith("w") and k[1:].isdigit())
        weights = [saved[k].astype(np.float32) for k in keys]
        info = {k: saved[k].astype(np.float64) for k in HISTORY_KEYS}
        for key in ("n_filters", "n_classes", "epochs", "train_scenes", "train_seed"):
            info[key] = int(saved[key])
        info["input_size"] = tuple(int(v) for v in saved["input_size"])
    return weights, info
