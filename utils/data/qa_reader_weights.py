"""The fine-tuned question-answering reader of Course 5 week 4, ``datasets/qa_reader/``.

Rebuilt by ``python -m utils.builders.qa_reader`` (see that module for how it is trained):
the fine-tuned encoder layers and the ``qa_outputs`` head of a ``TFBertForQuestionAnswering``
made from all-MiniLM-L6-v2, trained on the bAbI-style stories of
``utils.data.babi_stories``. They are stored in float16 in ``PART_PATHS``, two encoder
layers per file (the head with the last two) so that no file passes 10 MB. The embeddings
are MiniLM's pretrained ones, loaded from their package. Every file is checked against
``datasets/MANIFEST`` before it is read.

    os.environ["TF_USE_LEGACY_KERAS"] = "1"      # before TensorFlow is imported
    reader = load_qa_reader()                    # ready to answer
    # then utils.models.qa.answer_question(reader, load_tokenizer(), question, context)
"""

import numpy as np

from utils.data.manifest import DataFileError, verified_path

# all six encoder layers of all-MiniLM-L6-v2 are fine-tuned (utils.models.qa.READER_FROZEN_LAYERS
# is 0), two per file, and the head goes with the last two
LAYERS_PER_PART = 2
PART_PATHS = ("qa_reader/layers_0_1_f16.npz", "qa_reader/layers_2_3_f16.npz",
              "qa_reader/layers_4_5_head_f16.npz")
HISTORY_KEYS = ("train_loss", "test_exact_match", "test_f1")


def part_of(name):
    """Index in ``PART_PATHS`` of the file that stores the variable ``name`` (e.g.
    ``bert/encoder/layer_._4/attention/self/query/kernel:0``; the head goes with the last
    layers)."""
    if "/layer_._" not in name:
        return len(PART_PATHS) - 1
    layer = int(name.split("/layer_._", 1)[1].split("/", 1)[0])
    return layer // LAYERS_PER_PART


def load_reader_weights():
    """``(weights, names, history)``: ``weights`` a list of float32 arrays in the order of
    ``utils.models.qa.upper_reader(model).trainable_weights`` (stored as float16), ``names``
    their variable names without the model prefix, and ``history`` the builder's per-epoch
    ``train_loss``, ``test_exact_match`` and ``test_f1`` with ``epochs``."""
    indexed, history = [], None
    for relative in PART_PATHS:
        with np.load(verified_path(relative)) as saved:
            keys = sorted(k for k in saved.files if k.startswith("w") and k[1:].isdigit())
            names = [str(n) for n in saved["names"]]
            if len(names) != len(keys):
                raise DataFileError(f"{relative} holds {len(keys)} arrays but {len(names)} "
                                    "names: rebuild it with `python -m utils.builders.qa_reader`.")
            indexed += [(int(k[1:]), name, saved[k].astype(np.float32))
                        for k, name in zip(keys, names, strict=True)]
            if "epochs" in saved.files:
                history = {k: saved[k].astype(np.float64) for k in HISTORY_KEYS}
                history["epochs"] = int(saved["epochs"])
    indexed.sort(key=lambda item: item[0])
    if [i for i, _, _ in indexed] != list(range(len(indexed))) or history is None:
        raise DataFileError("the files of datasets/qa_reader/ do not fit together: rebuild "
                            "them with `python -m utils.builders.qa_reader`.")
    return [w for _, _, w in indexed], [n for _, n, _ in indexed], history


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
