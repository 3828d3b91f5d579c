"""Trained weights of the date-translation notebook, ``datasets/date_translator/*.npz``.

Rebuilt by ``python -m utils.builders.date_translator`` (see that module for how they are
trained) and checked against ``datasets/MANIFEST`` before they are read. The weights are
stored by the *role* of each layer (``encoder``, ``attention_hidden``, ``attention_energy``,
``decoder``, ``output``), so they can be given to a model whatever order its layers were
created in (``utils.models.date_translator.assign_weights``).
"""

import numpy as np

from utils.data.manifest import verified_path

RELATIVE_PATH = "date_translator/date_translator.npz"

# The data the builder trained on and the held-out set it measured, both from
# utils.data.dates.make_dates: the training pairs are make_dates(TRAIN_SIZE, seed=TRAIN_SEED),
# the held-out pairs make_dates(HELD_OUT_SIZE, seed=HELD_OUT_SEED, exclude=<training strings>).
TRAIN_SIZE = 40000
TRAIN_SEED = 0
HELD_OUT_SIZE = 6000
HELD_OUT_SEED = 1


def pack(weights):
    """``{role: [arrays]}`` -> flat ``{"<role>_<i>": array}`` for ``np.savez``."""
    return {f"{role}_{i}": w for role, ws in weights.items() for i, w in enumerate(ws)}


def unpack(arrays):
    """The inverse of :func:`pack` for the keys that look like ``<role>_<digits>``; float32."""
    weights = {}
    for key in sorted(arrays, key=lambda k: (k.rsplit("_", 1)[0], int(k.rsplit("_", 1)[1]))):
        role, _ = key.rsplit("_", 1)
        weights.setdefault(role, []).append(np.asarray(arrays[key], dtype=np.float32))
    return weights


def load_trained_weights():
    """The committed weights and what was measured when they were trained.

    Returns ``(weights, history)``: ``weights`` is ``{role: list of float32 arrays}`` (stored
    as float16); ``history`` holds ``train_loss`` per epoch, ``epochs``, and the held-out
    exact match per locale of the float32 and float16 weights
    (``held_out_exact_match_float32`` / ``_float16``: dicts locale -> fraction).
    """
    with np.load(verified_path(RELATIVE_PATH)) as saved:
        keys = [k for k in saved.files if k.rsplit("_", 1)[-1].isdigit()]
        weights = unpack({k: saved[k] for k in keys})
        locales = [str(s) for s in saved["locales"]]
        history = {"train_loss": saved["train_loss"].astype(np.float64),
                   "epochs": int(saved["epochs"])}
        for name in ("held_out_exact_match_float32", "held_out_exact_match_float16"):
            history[name] = dict(zip(locales, (float(v) for v in saved[name]), strict=True))
    return weights, history
