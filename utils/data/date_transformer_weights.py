"""Trained weights of the Transformer notebook's date translator,
``datasets/date_transformer/date_transformer.npz``.

Rebuilt by ``python -m utils.builders.date_transformer`` (see that module for how the model
is trained); the file is checked against ``datasets/MANIFEST`` before it is read.
"""

import numpy as np

from utils.data.manifest import verified_path

RELATIVE_PATH = "date_transformer/date_transformer.npz"
_INTEGER_CONFIG = ("num_layers", "embedding_dim", "num_heads", "fully_connected_dim",
                   "input_vocab_size", "target_vocab_size", "max_positional_encoding_input",
                   "max_positional_encoding_target")


def load_date_transformer():
    """The trained date translator: ``(weights, config, history)``.

    ``weights`` is a list of float32 arrays in ``model.get_weights()`` order, for
    ``model.set_weights(weights)`` on ``Transformer(**config)`` called once (stored as
    float16; the held-out exact match of the rounded weights is ``history
    ["float16_test_exact_match"]``). ``config`` holds the keyword arguments of
    ``Transformer``; ``history`` the per-epoch ``train_loss`` and ``train_accuracy``
    (characters right, teacher forcing), ``epochs`` and the held-out ``test_exact_match``
    measured by the builder.
    """
    with np.load(verified_path(RELATIVE_PATH)) as saved:
        keys = sorted(k for k in saved.files if k.startswith("w") and k[1:].isdigit())
        weights = [saved[k].astype(np.float32) for k in keys]
        config = {k[len("config_"):]: saved[k].item() for k in saved.files
                  if k.startswith("config_")}
        history = {k: saved[k].astype(np.float64) for k in ("train_loss", "train_accuracy")}
        history["epochs"] = len(history["train_loss"])
        for key in ("test_exact_match", "float16_test_exact_match"):
            history[key] = float(saved[key])
    for key in _INTEGER_CONFIG:
        config[key] = int(config[key])
    config["dropout_rate"] = float(config["dropout_rate"])
    config["layernorm_eps"] = float(config["layernorm_eps"])
    return weights, config, history
