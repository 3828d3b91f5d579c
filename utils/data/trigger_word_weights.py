"""Trained weights of the trigger-word notebook's model, ``datasets/trigger_word/*.npz``.

Rebuilt by ``python -m utils.builders.trigger_word_model`` (see that module for how they are
trained); the file is checked against ``datasets/MANIFEST`` before it is read.
"""

import numpy as np

from utils.data.manifest import verified_path

RELATIVE_PATH = "trigger_word/trigger_word_model.npz"


def load_trained_weights():
    """``(weights, history)`` of the trained trigger-word model.

    ``weights`` is a list of float32 arrays in ``model.get_weights()`` order, ready for
    ``model.set_weights(weights)`` on a model built by the notebook's ``modelf`` (stored as
    float16); ``history`` holds the per-epoch ``train_loss``, ``dev_loss`` and ``dev_f1`` of
    the run, ``epochs`` (the weights are those after the last one) and ``examples_per_epoch``.
    """
    with np.load(verified_path(RELATIVE_PATH)) as saved:
        keys = sorted(k for k in saved.files if k.startswith("w") and k[1:].isdigit())
        weights = [saved[k].astype(np.float32) for k in keys]
        history = {k: saved[k].astype(np.float64) for k in ("train_loss", "dev_loss", "dev_f1")}
        history["epochs"] = int(saved["epochs"])
        history["examples_per_epoch"] = int(saved["examples_per_epoch"])
    return weights, history
