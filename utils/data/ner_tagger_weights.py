"""Fine-tuned upper layers of the NER notebook's MiniLM tagger, ``datasets/ner_tagger/``.

One file, ``upper_layers_f16.npz``, rebuilt by ``python -m utils.builders.ner_tagger`` (see
that module for how it is trained): the last two encoder layers and the classifier of a
``TFBertForTokenClassification`` made from all-MiniLM-L6-v2, fine-tuned on the generated
sentences of ``utils.data.ner_sentences``. The rest of the model is MiniLM's pretrained
weights, loaded from their package. The file is checked against ``datasets/MANIFEST``
before it is read.
"""

import numpy as np

from utils.data.manifest import DataFileError, verified_path

RELATIVE_PATH = "ner_tagger/upper_layers_f16.npz"


def load_tagger_weights():
    """``(weights, names, history)``: ``weights`` a list of float32 arrays in the order of
    ``utils.models.ner.upper_tagger(model).trainable_weights`` (stored as float16),
    ``names`` their variable names without the model prefix (e.g.
    ``bert/encoder/layer_._4/attention/self/query/kernel:0``), and ``history`` the
    per-epoch ``train_loss`` and ``test_f1`` of the builder's run with ``epochs`` and
    ``labels`` (the tag list the classifier's outputs follow)."""
    with np.load(verified_path(RELATIVE_PATH)) as saved:
        keys = sorted(k for k in saved.files if k.startswith("w") and k[1:].isdigit())
        weights = [saved[k].astype(np.float32) for k in keys]
        names = [str(n) for n in saved["names"]]
        history = {k: saved[k].astype(np.float64) for k in ("train_loss", "test_f1")}
        history["epochs"] = int(saved["epochs"])
        history["labels"] = tuple(str(label) for label in saved["labels"])
    if len(names) != len(weights):
        raise DataFileError(f"{RELATIVE_PATH} holds {len(weights)} arrays but {len(names)} "
                            "names: rebuild it with `python -m utils.builders.ner_tagger`.")
    return weights, names, history


def assign_tagger_weights(variables, weights, names):
    """Copy ``weights`` into ``variables`` (the upper tagger's ``trainable_weights``),
    checking that names and shapes match the saved ones first."""
    if len(variables) != len(weights):
        raise ValueError(f"the model has {len(variables)} trainable variables, the file "
                         f"{len(weights)}: build the upper tagger with the default settings.")
    for variable, value, name in zip(variables, weights, names, strict=True):
        own = variable.name.split("/", 1)[-1]
        if own != name or tuple(variable.shape) != value.shape:
            raise ValueError(f"variable {own} {tuple(variable.shape)} does not match the saved "
                             f"{name} {value.shape}")
    for variable, value in zip(variables, weights, strict=True):
        variable.assign(value)
