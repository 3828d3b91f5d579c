"""Fine-tune the top of all-MiniLM-L6-v2 for the NER notebook; write the changed weights.

    python -m utils.builders.ner_tagger     # about 100 s on 2 shared cores
    python -m utils.data.manifest update    # then record the new hash

The Course 5 week 4 notebook *Named-entity recognition with a pretrained transformer* tags
the generated sentences of :func:`utils.data.ner_sentences.load_ner_sentences` (2,000
training, 400 test sentences, seed 0) with transformers' ``TFBertForTokenClassification``
holding MiniLM's pretrained weights (``utils.data.minilm``). Only the last two encoder
layers and the classifier are fine-tuned (``utils.models.ner``): the embeddings and the
first four layers stay frozen, so their output is computed once and cached, and the upper
part trains on it with Adam, the learning rate decaying along a cosine, for a fixed number
of epochs. The test set is only evaluated (entity-level F1, once per epoch, for the curve
the notebook plots): it chooses nothing.

Output ``datasets/ner_tagger/upper_layers_f16.npz``: the upper part's trainable weights in
``upper_tagger(model).trainable_weights`` order as ``w000, w001, ...`` in float16 (3.55 M
numbers, 6.6 MB compressed; the test predictions of the rounded weights are recorded
and checked against the float32 ones), their variable names (``names``), the label list,
and the per-epoch ``train_loss`` and ``test_f1``. The 90 MB pretrained model itself is
never written: the notebook loads it from its pinned package and overwrites only these.
Training is seeded and deterministic on one CPU; another CPU changes the weights in their
last digits, and so the file's hash.
"""

import os
import sys
import time

os.environ["TF_USE_LEGACY_KERAS"] = "1"  # transformers' TF models need Keras 2

import numpy as np  # noqa: E402

from utils.data.manifest import DATASETS_DIR  # noqa: E402
from utils.data.ner_tagger_weights import RELATIVE_PATH  # noqa: E402

EPOCHS = 4
BATCH_SIZE = 32
LEARNING_RATE = 3e-4
SEED = 0


def align(tokenizer, sentences, tags, label_to_id, max_length):
    """Token ids, attention masks and labels: each word's label on its first sub-word token,
    -100 on the others and on special and padding tokens (the notebook's exercise)."""
    enc = tokenizer(sentences, is_split_into_words=True, truncation=True,
                    padding="max_length", max_length=max_length)
    labels = np.full((len(sentences), max_length), -100, dtype=np.int32)
    for i, sentence_tags in enumerate(tags):
        previous = None
        for position, word in enumerate(enc.word_ids(i)):
            if word is not None and word != previous:
                labels[i, position] = label_to_id[sentence_tags[word]]
            previous = word
    return (np.asarray(enc["input_ids"], dtype=np.int32),
            np.asarray(enc["attention_mask"], dtype=np.int32), labels, enc)


def spans(tags):
    """{(type, start, end)} of a BIO tag list (an I- tag after another type starts an entity)."""
    found, current = set(), None
    for i, tag in enumerate(list(tags) + ["O"]):
        kind = tag[2:] if tag != "O" else None
        if current and (tag == "O" or tag.startswith("B-") or kind != current[0]):
            found.add((current[0], current[1], i))
            current = None
        if kind and current is None:
            current = (kind, i)
    return found


def micro_f1(true_tags, pred_tags):
    true = {(i, *s) for i, tags in enumerate(true_tags) for s in spans(tags)}
    pred = {(i, *s) for i, tags in enumerate(pred_tags) for s in spans(tags)}
    hits = len(true & pred)
    return 2 * hits / max(len(true) + len(pred), 1)


def predict_tags(upper, features, mask, encoding, n, id_to_label):
    from utils.models.ner import word_tags

    logits = upper.predict([features, mask], batch_size=200, verbose=0)
    return [word_tags(logits[i], encoding.word_ids(i), id_to_label) for i in range(n)]


def build(epochs=EPOCHS, verbose=True):
    """Train; return (upper model, history dict, float32 test tags, seconds)."""
    import utils

    utils.setup_notebook(seed=SEED, tensorflow=True)
    import tf_keras
    from transformers import TFBertForTokenClassification
    from transformers.utils import logging

    from utils.data.minilm import load_minilm, load_tokenizer
    from utils.data.ner_sentences import LABEL_TO_ID, LABELS, load_ner_sentences
    from utils.models.ner import MAX_LENGTH, encode_frozen, token_loss, upper_tagger

    logging.set_verbosity_error()
    start = time.perf_counter()
    data = load_ner_sentences()
    tokenizer = load_tokenizer()
    model = load_minilm(TFBertForTokenClassification, num_labels=len(LABELS))
    sets = {}
    for split in ("train", "test"):
        ids, mask, labels, enc = align(tokenizer, data[f"{split}_words"], data[f"{split}_tags"],
                                       LABEL_TO_ID, MAX_LENGTH)
        sets[split] = (encode_frozen(model, ids, mask), mask, labels, enc)
    upper = upper_tagger(model)
    steps = epochs * int(np.ceil(len(sets["train"][0]) / BATCH_SIZE))
    schedule = tf_keras.optimizers.schedules.CosineDecay(LEARNING_RATE, decay_steps=steps)
    upper.compile(optimizer=tf_keras.optimizers.Adam(schedule), loss=token_loss)
    features, mask, labels, _ = sets["train"]
    history = {"train_loss": [], "test_f1": []}
    n_test = len(data["test_words"])
    for epoch in range(epochs):
        fit = upper.fit([features, mask], labels, batch_size=BATCH_SIZE, epochs=1,
                        shuffle=True, verbose=0)
        pred = predict_tags(upper, *sets["test"][:2], sets["test"][3], n_test, LABELS)
        history["train_loss"].append(fit.history["loss"][0])
        history["test_f1"].append(micro_f1(data["test_tags"], pred))
        if verbose:
            print(f"epoch {epoch + 1}: loss {history['train_loss'][-1]:.4f}, test entity F1 "
                  f"{history['test_f1'][-1]:.4f} ({time.perf_counter() - start:.0f} s)",
                  flush=True)
    seconds = time.perf_counter() - start
    sets["data"] = data
    return upper, {k: np.asarray(v, dtype=np.float32) for k, v in history.items()}, sets, seconds


def save(upper, history, sets, output=None):
    """Write float16 weights, names, labels and history; return (path, F1 of float16 weights,
    number of test words whose tag changed with the rounding)."""
    from utils.data.ner_sentences import LABELS

    data = sets["data"]
    n_test = len(data["test_words"])
    full = [w.numpy() for w in upper.trainable_weights]
    before = predict_tags(upper, *sets["test"][:2], sets["test"][3], n_test, LABELS)
    half = [w.astype(np.float16) for w in full]
    for variable, value in zip(upper.trainable_weights, half, strict=True):
        variable.assign(value.astype(np.float32))
    after = predict_tags(upper, *sets["test"][:2], sets["test"][3], n_test, LABELS)
    changed = sum(a != b for x, y in zip(before, after, strict=True)
                  for a, b in zip(x, y, strict=True))
    half_f1 = micro_f1(data["test_tags"], after)
    output = DATASETS_DIR / RELATIVE_PATH if output is None else output
    output.parent.mkdir(parents=True, exist_ok=True)
    names = np.array([w.name.split("/", 1)[-1] for w in upper.trainable_weights])
    np.savez_compressed(output, **{f"w{i:03d}": w for i, w in enumerate(half)}, names=names,
                        labels=np.array(LABELS), **history,
                        epochs=np.int64(len(history["train_loss"])),
                        float16_test_f1=np.float32(half_f1))
    return output, half_f1, changed


def main(epochs=EPOCHS):
    upper, history, sets, seconds = build(epochs)
    output, half_f1, changed = save(upper, history, sets)
    n_weights = sum(int(np.prod(w.shape)) for w in upper.trainable_weights)
    print(f"{n_weights} fine-tuned numbers, {epochs} epochs in {seconds:.0f} s (caching "
          f"included); final test entity F1 {history['test_f1'][-1]:.4f}, float16 weights "
          f"{half_f1:.4f} ({changed} test word tags changed by the rounding); wrote {output} "
          f"({output.stat().st_size / 1e6:.2f} MB)", flush=True)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
    sys.exit(0)
