"""Train the date-translation notebook's attention model for longer; write its weights.

    python -m utils.builders.date_translator   # see datasets/README.md for the run time
    python -m utils.data.manifest update       # then record the new hash

The Course 5 notebook *Neural machine translation with attention* builds the model of
:func:`utils.models.date_translator.attention_model` (a bidirectional LSTM with 32 units
each way, attention, a post-attention LSTM with 64 units; 55,264 parameters) from the
learner's ``one_step_attention`` and ``modelf``, trains it for a few epochs, then loads the
weights this script trains the same way for longer.

Data: ``utils.data.dates.make_dates(TRAIN_SIZE, seed=TRAIN_SEED)`` (six locales, one-hot
characters, ``Tx = 36``, ``Ty = 10``). A held-out set (``HELD_OUT_SEED``, no human string in
common with the training set) is evaluated only after training, to record the exact-match
accuracy per locale: no early stopping, no choice of epoch by it. Adam with a cosine-decaying
learning rate, a fixed number of epochs.

The output, ``datasets/date_translator/date_translator.npz``, holds the weights by layer role
(``encoder_0``, ``encoder_1``, ... see ``ROLES``) in float16, the per-epoch training loss and
exact-match accuracy, and the held-out exact match per locale of the float32 and float16
weights. Training is seeded and deterministic on one CPU; another CPU changes the weights in
their last digits, and so the file's hash.
"""

import sys
import time

import numpy as np

from utils.data.date_translator_weights import (
    HELD_OUT_SEED,
    HELD_OUT_SIZE,
    RELATIVE_PATH,
    TRAIN_SEED,
    TRAIN_SIZE,
    pack,
)
from utils.data.manifest import DATASETS_DIR

N_A = 32
N_S = 64
EPOCHS = 8
BATCH_SIZE = 128
LEARNING_RATE = 0.005
SEED = 0


def held_out_pairs(train_pairs):
    """The held-out set: seeded, sharing no human string with the training pairs."""
    from utils.data import dates

    return dates.make_dates(HELD_OUT_SIZE, seed=HELD_OUT_SEED,
                            exclude={h for h, _, _ in train_pairs})


def exact_match_by_locale(model, pairs):
    """{locale: fraction of pairs translated exactly right} and the overall fraction."""
    from utils.data import dates

    X, Y = dates.encode(pairs)
    Xoh = dates.one_hot(X, len(dates.HUMAN_VOCAB))
    zeros = np.zeros((len(X), N_S), dtype=np.float32)
    predicted = np.stack(model.predict([Xoh, zeros, zeros], batch_size=1000, verbose=0), 1)
    right = np.all(predicted.argmax(-1) == Y, axis=1)
    locales = np.array([p[2] for p in pairs])
    scores = {loc: float(right[locales == loc].mean()) for loc in dates.LOCALES}
    return scores, float(right.mean())


def train(epochs=EPOCHS, verbose=True):
    """Train from a fresh seed; return (model, history dict, train pairs, seconds)."""
    import utils

    utils.setup_notebook(seed=SEED, tensorflow=True)
    import keras

    from utils.data import dates
    from utils.models.date_translator import attention_model

    pairs = dates.make_dates(TRAIN_SIZE, seed=TRAIN_SEED)
    X, Y = dates.encode(pairs)
    Xoh = dates.one_hot(X, len(dates.HUMAN_VOCAB))
    zeros = np.zeros((len(X), N_S), dtype=np.float32)
    model = attention_model(dates.TX, dates.TY, N_A, N_S, len(dates.HUMAN_VOCAB),
                            len(dates.MACHINE_VOCAB))
    steps = epochs * int(np.ceil(len(X) / BATCH_SIZE))
    schedule = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, decay_steps=steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy")
    history = {"train_loss": []}
    start = time.perf_counter()
    for epoch in range(epochs):
        fit = model.fit([Xoh, zeros, zeros], list(Y.T), epochs=1, batch_size=BATCH_SIZE,
                        shuffle=True, verbose=0)
        history["train_loss"].append(fit.history["loss"][0])
        if verbose:
            print(f"epoch {epoch + 1}: loss {fit.history['loss'][0]:.4f} "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
    seconds = time.perf_counter() - start
    return model, {k: np.asarray(v, dtype=np.float32) for k, v in history.items()}, pairs, seconds


def main(epochs=EPOCHS):
    from utils.data import dates
    from utils.models.date_translator import assign_weights, role_weights

    model, history, pairs, seconds = train(epochs)
    held_out = held_out_pairs(pairs)
    full_scores, full_overall = exact_match_by_locale(model, held_out)
    weights = role_weights(model, len(dates.MACHINE_VOCAB))
    half = {role: [w.astype(np.float16) for w in ws] for role, ws in weights.items()}
    assign_weights(model, half, len(dates.MACHINE_VOCAB))
    half_scores, half_overall = exact_match_by_locale(model, held_out)
    output = DATASETS_DIR / RELATIVE_PATH
    output.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        output, **pack(half), **history, epochs=np.int64(epochs),
        locales=np.array(dates.LOCALES),
        held_out_exact_match_float32=np.array([full_scores[k] for k in dates.LOCALES]),
        held_out_exact_match_float16=np.array([half_scores[k] for k in dates.LOCALES]))
    print(f"{model.count_params()} parameters, {epochs} epochs in {seconds:.0f} s; "
          f"held-out exact match {full_overall:.4f} (float16 weights {half_overall:.4f})")
    for loc in dates.LOCALES:
        print(f"  {loc}: {full_scores[loc]:.4f} (float16 {half_scores[loc]:.4f})")
    print(f"wrote {output} ({output.stat().st_size / 1e6:.3f} MB)", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else EPOCHS)
    sys.exit(0)
