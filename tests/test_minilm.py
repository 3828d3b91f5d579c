"""The offline MiniLM loads into transformers' TensorFlow classes with its real weights."""

import os
import subprocess
import sys
import textwrap

import pytest

from utils.data import minilm

SCRIPT = textwrap.dedent("""
    import os
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import numpy as np
    from transformers import TFBertForTokenClassification
    from utils.data.minilm import load_minilm, load_tokenizer

    tokenizer = load_tokenizer()
    batch = tokenizer(["What does dropout do?", "Dropout zeroes random activations.",
                       "The cat sat on the mat."], padding=True, return_tensors="tf")
    base = load_minilm()
    hidden = base(batch).last_hidden_state.numpy()
    mask = batch["attention_mask"].numpy()[..., None]
    emb = (hidden * mask).sum(1) / mask.sum(1)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    sim = emb @ emb.T
    assert sim[0, 1] > 0.4 > 0.1 > sim[0, 2], sim  # the paraphrase is nearer than the cat
    tagger = load_minilm(TFBertForTokenClassification, num_labels=5)
    same = tagger.bert(batch).last_hidden_state.numpy()
    assert np.array_equal(hidden, same), "the tagger's encoder lacks the pretrained weights"
    assert tagger(batch).logits.shape == (3, hidden.shape[1], 5)
    print("ok")
""")


def test_files_are_found():
    assert (minilm.model_dir() / "model.safetensors").stat().st_size > 80_000_000


def test_refuses_keras_3(monkeypatch):
    monkeypatch.delenv("TF_USE_LEGACY_KERAS", raising=False)
    with pytest.raises(RuntimeError, match="TF_USE_LEGACY_KERAS"):
        minilm.load_minilm()


def test_real_embeddings_and_a_task_head_in_a_fresh_process():
    # Keras 2 must be chosen before TensorFlow is imported: a process of its own
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr[-2000:]
