"""Trained weights of the face-recognition notebook's embedding network,
``datasets/face_embedding/face_embedding.npz``.

Rebuilt by ``python -m utils.builders.face_embedding`` (see that module for how the network
of ``utils.models.face_embedding.face_embedding_model`` is trained with the triplet loss);
checked against ``datasets/MANIFEST`` before it is read.
"""

import numpy as np

from utils.data.manifest import verified_path

RELATIVE_PATH = "face_embedding/face_embedding.npz"
HISTORY_KEYS = ("step", "train_loss", "validation_accuracy")


def load_trained_weights():
    """The trained embedding network's weights and its training record.

    Returns ``(weights, history)``: ``weights`` is a list of float32 arrays in
    ``model.get_weights()`` order, ready for ``model.set_weights(weights)`` on a model built
    by ``face_embedding_model()`` (stored as float16); ``history`` holds, every few hundred
    steps, the ``step``, the mean ``train_loss`` per triplet since the previous record and
    the ``validation_accuracy`` of verification at the best threshold on validation pairs,
    plus the run's ``steps``, ``threshold`` (chosen on the validation identities) and
    ``test_accuracy`` (verification on unseen test identities at that threshold), both
    measured with the float16 weights.
    """
    with np.load(verified_path(RELATIVE_PATH)) as saved:
        keys = sorted(k for k in saved.files if k.startswith("w") and k[1:].isdigit())
        weights = [saved[k].astype(np.float32) for k in keys]
        history = {k: saved[k].astype(np.float64) for k in HISTORY_KEYS}
        history["steps"] = int(saved["steps"])
        history["threshold"] = float(saved["threshold"])
        history["test_accuracy"] = float(saved["test_accuracy"])
    return weights, history
