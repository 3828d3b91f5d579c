"""Trained weights of the residual-networks notebook, ``datasets/resnet/*.npz``.

Two files, rebuilt by ``python -m utils.builders.small_resnet`` (see that module for how they
are trained): ``small_resnet.npz`` for the three-stage ResNet of
``utils.models.resnet.small_resnet`` and ``plain_cnn.npz`` for the same network without skip
connections (``utils.models.resnet.plain_network``). Each file is checked against
``datasets/MANIFEST`` before it is read.
"""

import numpy as np

from utils.data.manifest import verified_path

RELATIVE_PATHS = {"small_resnet": "resnet/small_resnet.npz", "plain_cnn": "resnet/plain_cnn.npz"}


def load_trained_weights(name="small_resnet"):
    """The weights of one trained model and its training history.

    ``name`` is ``"small_resnet"`` or ``"plain_cnn"``. Returns ``(weights, history)``:
    ``weights`` is a list of float32 arrays in ``model.get_weights()`` order, ready for
    ``model.set_weights(weights)`` on a model built the same way (stored as float16, which
    did not change a single test prediction); ``history`` holds the per-epoch
    ``train_loss``, ``train_accuracy`` and ``test_accuracy`` of the run and ``epochs``.
    """
    if name not in RELATIVE_PATHS:
        raise ValueError(f"name must be one of {sorted(RELATIVE_PATHS)}, got {name!r}")
    with np.load(verified_path(RELATIVE_PATHS[name])) as saved:
        keys = sorted(k for k in saved.files if k.startswith("w") and k[1:].isdigit())
        weights = [saved[k].astype(np.float32) for k in keys]
        history = {k: saved[k].astype(np.float64)
                   for k in ("train_loss", "train_accuracy", "test_accuracy")}
        history["epochs"] = int(saved["epochs"])
    return weights, history
