"""Trained weights of the car-detection notebook's detector, ``datasets/yolo/tiny_yolo.npz``.

Rebuilt by ``python -m utils.builders.yolo_detector`` (see that module for how the network of
``utils.models.yolo.build_detector`` is trained); checked against ``datasets/MANIFEST``
before it is read.
"""

import numpy as np

from utils.data.manifest import verified_path

RELATIVE_PATH = "yolo/tiny_yolo.npz"


def load_detector_weights():
    """``(weights, anchors, history)`` of the trained detector.

    ``weights`` is a list of float32 arrays in ``model.get_weights()`` order, ready for
    ``model.set_weights`` on ``utils.models.yolo.build_detector()`` (stored as float16);
    ``anchors`` the ``(5, 2)`` anchor shapes (width, height in pixels) the network was
    trained with; ``history`` the per-epoch ``train_loss`` and ``valid_map`` (mAP@0.5 on
    the builder's validation scenes), ``epochs`` and ``float16_valid_map``.
    """
    with np.load(verified_path(RELATIVE_PATH)) as saved:
        keys = sorted(k for k in saved.files if k.startswith("w") and k[1:].isdigit())
        weights = [saved[k].astype(np.float32) for k in keys]
        anchors = saved["anchors"].astype(np.float32)
        history = {k: saved[k].astype(np.float64) for k in ("train_loss", "valid_map")}
        history["epochs"] = int(saved["epochs"])
        history["float16_valid_map"] = float(saved["float16_valid_map"])
    return weights, anchors, history
