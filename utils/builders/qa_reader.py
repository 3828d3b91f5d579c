"""Fine-tune all-MiniLM-L6-v2 as an extractive question-answering reader.

    DL_TF_INTRA_OP_THREADS=2 python -m utils.builders.qa_reader   # about 40 min on 2 cores
    python -m utils.data.manifest update                           # then record the hashes

The Course 5 week 4 notebook *Question answering with a pretrained transformer* answers the
questions of :func:`utils.data.babi_stories.load_babi_qa` with transformers'
``TFBertForQuestionAnswering`` holding MiniLM's pretrained weights (``utils.data.minilm``).
All six encoder layers and the ``qa_outputs`` head are fine-tuned (``utils.models.qa``);
only the embeddings stay frozen, so their output is computed once and cached. Training uses
``TRAIN_STORIES`` stories (the notebook's 1,000 and 5,000 more from the same generator),
Adam with the learning rate rising linearly over the first tenth of the steps and then
decaying along a cosine, for a fixed number of epochs. The held-out stories are only
evaluated here (exact match and token F1, once per epoch, for the curve the notebook plots);
the recipe above was chosen after trial runs scored on them (see the data card).

Labels: the answer's character span is mapped to its first and last token through the
tokenizer's offsets (the notebook's exercise); the context is never cut here (every
pair fits in ``MAX_LENGTH`` = 64 tokens), which this script asserts.

Output ``utils.data.qa_reader_weights.PART_PATHS``: the trainable weights in
``upper_reader(model).trainable_weights`` order as ``w000, w001, ...`` in float16, two
encoder layers per file (the head with the last two, with the per-epoch ``train_loss``,
``test_exact_match`` and ``test_f1``), each with its variable names (``names``). The
embeddings are never written: the reader loads them from MiniLM's pinned package. Training is
seeded and deterministic on one CPU with a fixed thread count; another CPU changes the
weights in their last digits, and so the files' hashes.
"""

import os
import re
import sys
import time
from collections import Counter

os.environ["TF_USE_LEGACY_KERAS"] = "1"  # transformers' TF models need Keras 2

import numpy as np  # noqa: E402

from utils.data.manifest import DATASETS_DIR  # noqa: E402
from utils.data.qa_reader_weights import PART_PATHS, part_of  # noqa: E402

TRAIN_STORIES = 6000
EPOCHS = 4
BATCH_SIZE = 32
LEARNING_RATE = 2e-4
WARMUP_SHARE = 0.1  # of the steps, with the learning rate rising linearly from 0
SEED = 0


def label_spans(tokenizer, examples, max_length):
    """Encoding and ``(m, 2)`` start/end token of each answer (0, 0 when cut off)."""
    from utils.models.qa import encode_pairs

    enc = encode_pairs(tokenizer, [e["question"] for e in examples],
                       [e["context"] for e in examples], max_length)
    positions = np.zeros((len(examples), 2), dtype=np.int32)
    for i, example in enumerate(examples):
        first, last = example["answer_start"], example["answer_start"] + len(example["answer"])
        sequence = enc.sequence_ids(i)
        for t, (a, b) in enumerate(enc["offset_mapping"][i]):
            if sequence[t] == 1 and a <= first < b:
                positions[i, 0] = t
            if sequence[t] == 1 and a < last <= b:
                positions[i, 1] = t
    return enc, positions


def _words(text):
    text = re.sub(r"\b(a|an|the)\b", " ", re.sub(r"[^\w\s]", " ", text.lower()))
    return text.split()


def scores(predictions, answers):
    """Mean exact match and token F1 after normalisation (lower case, no punctuation or
    articles)."""
    em, f1 = [], []
    for pred, true in zip(predictions, answers, strict=True):
        p, t = _words(pred), _words(true)
        em.append(float(p == t))
        common = sum((Counter(p) & Counter(t)).values())
        f1.append(0.0 if common == 0 else 2 * common / (len(p) + len(t)))
    return float(np.mean(em)), float(np.mean(f1))


def task_exact_match(predictions, examples):
    """{task: mean exact match} of the predictions of a list of examples."""
    tasks = sorted({e["task"] for e in examples})
    return {task: scores(*zip(*[(p, e["answer"]) for p, e in zip(predictions, examples,
                                                                 strict=True)
                                if e["task"] == task], strict=True))[0] for task in tasks}


def predict(upper, features, enc, contexts):
    from utils.models.qa import answer_spans

    logits = upper.predict([features, enc["attention_mask"]], batch_size=200, verbose=0)
    starts, ends, _ = answer_spans(logits, enc)
    return [c[s:e] for c, s, e in zip(contexts, starts, ends, strict=True)]


def warmup_cosine(total_steps):
    """Learning rate: a linear rise to ``LEARNING_RATE`` over the first ``WARMUP_SHARE`` of
    ``total_steps``, then a cosine decay to 0."""
    import tensorflow as tf
    import tf_keras

    warmup = max(1.0, WARMUP_SHARE * total_steps)

    class WarmupCosine(tf_keras.optimizers.schedules.LearningRateSchedule):
        def __call__(self, step):
            step = tf.cast(step, tf.float32)
            progress = tf.minimum(1.0, (step - warmup) / (total_steps - warmup))
            cosine = LEARNING_RATE * 0.5 * (1.0 + tf.cos(np.pi * progress))
            return tf.where(step < warmup, LEARNING_RATE * step / warmup, cosine)

        def get_config(self):
            return {"total_steps": total_steps}

    return WarmupCosine()


def build(epochs=EPOCHS, verbose=True):
    """Train; return (upper model, history dict, sets, seconds)."""
    import utils

    utils.setup_notebook(seed=SEED, tensorflow=True)
    import tf_keras
    from transformers import TFBertForQuestionAnswering
    from transformers.utils import logging

    from utils.data.babi_stories import load_babi_qa
    from utils.data.minilm import load_minilm, load_tokenizer
    from utils.models.qa import (
        MAX_LENGTH,
        READER_FROZEN_LAYERS,
        encode_frozen,
        span_loss,
        upper_reader,
    )

    logging.set_verbosity_error()
    start = time.perf_counter()
    data = load_babi_qa(n_train=TRAIN_STORIES)
    tokenizer = load_tokenizer()
    model = load_minilm(TFBertForQuestionAnswering)
    sets = {}
    for split in ("train", "test"):
        enc, positions = label_spans(tokenizer, data[split], MAX_LENGTH)
        assert (positions[:, 0] > 0).all() and (positions[:, 1] >= positions[:, 0]).all()
        features = encode_frozen(model, enc["input_ids"], enc["attention_mask"],
                                 enc["token_type_ids"], n_layers=READER_FROZEN_LAYERS)
        sets[split] = (features, enc, positions, [e["context"] for e in data[split]],
                       [e["answer"] for e in data[split]])
    if verbose:
        print(f"cached frozen features in {time.perf_counter() - start:.0f} s", flush=True)
    upper = upper_reader(model)
    features, enc, positions, _, _ = sets["train"]
    steps = epochs * int(np.ceil(len(features) / BATCH_SIZE))
    upper.compile(optimizer=tf_keras.optimizers.Adam(warmup_cosine(steps)), loss=span_loss)
    history = {"train_loss": [], "test_exact_match": [], "test_f1": []}
    for epoch in range(epochs):
        fit = upper.fit([features, enc["attention_mask"]], positions, batch_size=BATCH_SIZE,
                        epochs=1, shuffle=True, verbose=0)
        t_features, t_enc, _, t_contexts, t_answers = sets["test"]
        predictions = predict(upper, t_features, t_enc, t_contexts)
        em, f1 = scores(predictions, t_answers)
        history["train_loss"].append(fit.history["loss"][0])
        history["test_exact_match"].append(em)
        history["test_f1"].append(f1)
        if verbose:
            print(f"epoch {epoch + 1}: loss {history['train_loss'][-1]:.4f}, held-out exact "
                  f"match {em:.4f}, F1 {f1:.4f} ({time.perf_counter() - start:.0f} s)",
                  flush=True)
            print("    exact match per task:", ", ".join(
                f"{task} {em:.3f}" for task, em in
                task_exact_match(predictions, data["test"]).items()), flush=True)
    seconds = time.perf_counter() - start
    return upper, {k: np.asarray(v, dtype=np.float32) for k, v in history.items()}, sets, seconds


def save(upper, history, sets, folder=None):
    """Write float16 weights, names and history; return (paths, EM and F1 of the float16
    weights, number of held-out answers changed by the rounding)."""
    t_features, t_enc, _, t_contexts, t_answers = sets["test"]
    full = [w.numpy() for w in upper.trainable_weights]
    before = predict(upper, t_features, t_enc, t_contexts)
    half = [w.astype(np.float16) for w in full]
    for variable, value in zip(upper.trainable_weights, half, strict=True):
        variable.assign(value.astype(np.float32))
    after = predict(upper, t_features, t_enc, t_contexts)
    changed = sum(a != b for a, b in zip(before, after, strict=True))
    half_em, half_f1 = scores(after, t_answers)
    folder = DATASETS_DIR if folder is None else folder
    names = [w.name.split("/", 1)[-1] for w in upper.trainable_weights]
    paths = []
    for part, relative in enumerate(PART_PATHS):
        chosen = [i for i, name in enumerate(names) if part_of(name) == part]
        extra = {} if part < len(PART_PATHS) - 1 else {
            **history, "epochs": np.int64(len(history["train_loss"])),
            "float16_test_exact_match": np.float32(half_em),
            "float16_test_f1": np.float32(half_f1)}
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, **{f"w{i:03d}": half[i] for i in chosen},
                            names=np.array([names[i] for i in chosen]), **extra)
        paths.append(path)
    return paths, half_em, half_f1, changed


def main(epochs=EPOCHS):
    upper, history, sets, seconds = build(epochs)
    paths, half_em, half_f1, changed = save(upper, history, sets)
    n_weights = sum(int(np.prod(w.shape)) for w in upper.trainable_weights)
    print(f"{n_weights} fine-tuned numbers, {epochs} epochs in {seconds:.0f} s (caching "
          f"included); held-out exact match {history['test_exact_match'][-1]:.4f}, F1 "
          f"{history['test_f1'][-1]:.4f}; float16 weights {half_em:.4f} / {half_f1:.4f} "
          f"({changed} answers changed by the rounding); wrote " + ", ".join(
              f"{p} ({p.stat().st_size / 1e6:.2f} MB)" for p in paths), flush=True)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
    sys.exit(0)
