"""The music notebook's trained LSTM weights, ``datasets/music/djmodel_weights.npz``.

Rebuilt by ``python -m utils.builders.music_model`` (see that module for how they are
trained); the file is checked against ``datasets/MANIFEST`` before it is read.
"""

import numpy as np

from utils.data.manifest import verified_path

RELATIVE_PATH = "music/djmodel_weights.npz"


def load_trained_weights(LSTM_cell, densor):
    """Load the committed weights into the notebook's shared layers; return the history.

    ``LSTM_cell`` and ``densor`` must be built already (e.g. by using them in a model). The
    file is checked against ``datasets/MANIFEST`` first. Returns a dict with the per-token
    ``train_loss`` and ``val_loss`` curves, ``best_epoch``, ``Tx`` and ``n_a``.
    """
    with np.load(verified_path(RELATIVE_PATH)) as saved:
        data = {key: saved[key] for key in saved.files}
    LSTM_cell.set_weights([data["kernel"], data["recurrent_kernel"], data["bias"]])
    densor.set_weights([data["dense_kernel"], data["dense_bias"]])
    return {"train_loss": data["train_loss"], "val_loss": data["val_loss"],
            "best_epoch": int(data["best_epoch"]), "Tx": int(data["Tx"]),
            "n_a": int(data["n_a"]), "n_train": int(data["n_train"]),
            "n_val": int(data["n_val"])}
