"""The fine-tuned question-answering reader of Course 5 week 4, ``datasets/qa_reader/``.

One file, ``upper_layers_f16.npz``, rebuilt by ``python -m utils.builders.qa_reader`` (see
that module for how it is trained): the last two encoder layers and the ``qa_outputs`` head
of a ``TFBertForQuestionAnswering`` made from all-MiniLM-L6-v2, fine-tuned on the bAbI-style
stories of ``utils.data.babi_stories``. The rest of the model is MiniLM's pretrained
weights, loaded from their package. The file is checked against ``datasets/MANIFEST``
before it is read.

    os.environ["TF_USE_LEGACY_KERAS"] = "1"      # before TensorFlow is imported
    reader = load_qa_reader()                    # ready to answer
    # then utils.models.qa.answer_question(reader, load_tokenizer(), question, context)
"""

import numpy as np

from utils.data.manifest import DataFileError, verified_path

RELATIVE_PATH = "qa_reader/upper_layers_f16.npz"
HISTORY_KEYS = ("train_loss", "test_exact_match", "test_f1")


def load_reader_weights():
    """``(weights, names, history)``: ``weights`` a list of float32 arrays in the order of
    ``utils.models.qa.upper_reader(model).trainable_weights`` (stored as float16), ``names``
    their variable names without the model prefix (e.g.
    ``bert/encoder/layer_._4/attention/self/query/kernel:0``), and ``history`` the
    builder's per-epoch ``train_loss``, ``test_exact_match`` and ``test_f1`` with ``epochs``."""
    with np.load(verified_path(RELATIVE_PATH)) as saved:
        keys = sorted(k for k in saved.files if k.startswith("w") and k[1:].isdigit())
        weights = [saved[k].astype(np.float32) for k in keys]
        names = [str(n) for n in saved["names"]]
        history = {k: saved[k].astype(np.float64) for k in HISTORY_KEYS}
        history["epochs"] = int(saved["epochs"])
    if len(names) != len(weights):
        raise DataFileError(f"{RELATIVE_PATH} holds {len(weights)} arrays but {len(names)} "
                            "names: rebuild it with `python -m utils.builders.qa_reader`.")
    return weights, names, history


def _short(variable):
    return variable.name.split("/", 1)[-1]


def assign_reader_weights(variables, weights, names):
    """Copy ``weights`` into the variables among ``variables`` with the saved ``names``
    (e.g. ``upper_reader(model).trainable_weights``, or every weight of the full model),
    checking that every saved name is found with the saved shape."""
    by_name = {_short(v): v for v in variables}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise ValueError(f"the model has no variable {missing[0]} (and {len(missing) - 1} "
                         "more missing): build it as TFBertForQuestionAnswering from MiniLM.")
    for name, value in zip(names, weights, strict=True):
        if tuple(by_name[name].shape) != value.shape:
            raise ValueError(f"variable {name} {tuple(by_name[name].shape)} does not match "
                             f"the saved {value.shape}")
    for name, value in zip(names, weights, strict=True):
        by_name[name].assign(value)


def load_qa_reader():
    """The ready reader: a ``TFBertForQuestionAnswering`` holding MiniLM's pretrained
    weights with the fine-tuned top layers and head of ``datasets/qa_reader/``. Needs
    ``TF_USE_LEGACY_KERAS=1`` set before TensorFlow is imported."""
    from transformers import TFBertForQuestionAnswering

    from utils.data.minilm import load_minilm

    model = load_minilm(TFBertForQuestionAnswering)
    weights, names, _ = load_reader_weights()
    assign_reader_weights(model.weights, weights, names)
    return model
