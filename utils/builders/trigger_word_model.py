"""Train the trigger-word notebook's model for longer; write its weights to
``datasets/trigger_word/``.

    python -m utils.builders.trigger_word_model   # about 4 minutes on 2 cores (230 s here)
    python -m utils.data.manifest update          # then record the new hash

The network is ``utils.models.trigger_word.modelf`` (the notebook's graded ``modelf``:
Conv1D, two GRUs, a sigmoid at every step), trained on synthetic 5-second examples made as
in the notebook: a generated background (``utils.data.speech.make_background``, with babble
from the negative words) plus 0-4 "activate" and 0-2 other words at random free places
(``create_training_example``). The clips are those of the *train* split; every epoch draws
fresh examples from a seeded Generator, so the network never sees one twice.

Adam (learning rate 0.002 with a cosine decay to 5 % of it over the run, batches of 32),
binary cross-entropy. The weights of the *last* epoch are kept (no selection on the dev
set, so the notebook's dev F1 is an honest estimate); they are stored as float16 with the
per-epoch history, which includes the detection F1 on the notebook's dev set (dev-split
voices, ``DEV_SEED``) after every epoch, only for the record.
Seeded and deterministic on one CPU; another CPU changes the weights in their last digits.
"""

import sys
import time

import numpy as np

from utils.data.manifest import DATASETS_DIR
from utils.data.speech import load_speech_clips, make_background
from utils.data.trigger_word_weights import RELATIVE_PATH
from utils.models import trigger_word as tw

EPOCHS = 20
EXAMPLES_PER_EPOCH = 1024
BATCH_SIZE = 32
LEARNING_RATE = 0.002   # at the start, then a cosine decay to 5 % of it by the last epoch
SEED = 0
DEV_SEED = 2024      # the notebook's dev set: same seed, same generator calls
N_DEV = 100


def make_examples(n, clips, rng):
    """``n`` examples ``(X (n, TX, N_FREQ), Y (n, TY, 1), audio (n, N_SAMPLES))``."""
    X = np.zeros((n, tw.TX, tw.N_FREQ), dtype=np.float32)
    Y = np.zeros((n, tw.TY, 1), dtype=np.float32)
    audio = np.zeros((n, tw.N_SAMPLES), dtype=np.float32)
    for i in range(n):
        background = make_background(rng, tw.N_SAMPLES, babble_clips=clips.negatives)
        x, y, audio[i] = tw.create_training_example(background, clips.activates,
                                                    clips.negatives, tw.TY, rng)
        X[i], Y[i, :, 0] = x, y[0]
    return X, Y, audio


def dev_f1(model, X, Y, threshold=0.5):
    probabilities = model.predict(X, batch_size=50, verbose=0)[..., 0]
    totals = np.zeros(3, dtype=int)
    for p, y in zip(probabilities, Y[..., 0], strict=True):
        totals += tw.match_detections(tw.detect(p, threshold), tw.activate_segments(y))
    return tw.f1_score(*totals), totals


def train(epochs=EPOCHS, output=None, verbose=True):
    import utils

    utils.setup_notebook(seed=SEED, tensorflow=True)
    import keras

    start = time.perf_counter()
    train_clips, dev_clips = load_speech_clips("train"), load_speech_clips("dev")
    X_dev, Y_dev, _ = make_examples(N_DEV, dev_clips, np.random.default_rng(DEV_SEED))
    model = tw.modelf((tw.TX, tw.N_FREQ))
    schedule = keras.optimizers.schedules.CosineDecay(
        LEARNING_RATE, decay_steps=epochs * EXAMPLES_PER_EPOCH // BATCH_SIZE, alpha=0.05)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="binary_crossentropy")
    rng = np.random.default_rng(SEED)
    history = {"train_loss": [], "dev_loss": [], "dev_f1": []}
    for epoch in range(epochs):
        X, Y, _ = make_examples(EXAMPLES_PER_EPOCH, train_clips, rng)
        fit = model.fit(X, Y, batch_size=BATCH_SIZE, epochs=1, shuffle=False, verbose=0)
        dev_loss = float(model.evaluate(X_dev, Y_dev, batch_size=50, verbose=0))
        f1, totals = dev_f1(model, X_dev, Y_dev)
        history["train_loss"].append(fit.history["loss"][0])
        history["dev_loss"].append(dev_loss)
        history["dev_f1"].append(f1)
        if verbose:
            print(f"epoch {epoch + 1}: loss {fit.history['loss'][0]:.4f}, dev loss "
                  f"{dev_loss:.4f}, dev F1 {f1:.3f} (tp, fp, fn = {tuple(totals)}), "
                  f"{time.perf_counter() - start:.0f} s", flush=True)
    weights16 = [w.astype(np.float16) for w in model.get_weights()]
    model.set_weights([w.astype(np.float32) for w in weights16])
    f1_16, _ = dev_f1(model, X_dev, Y_dev)
    output = DATASETS_DIR / RELATIVE_PATH if output is None else output
    output.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        output, **{f"w{i:02d}": w for i, w in enumerate(weights16)},
        **{key: np.asarray(value, dtype=np.float32) for key, value in history.items()},
        epochs=np.int64(epochs), examples_per_epoch=np.int64(EXAMPLES_PER_EPOCH))
    if verbose:
        print(f"last epoch: dev F1 {history['dev_f1'][-1]:.3f} (float16 weights: {f1_16:.3f}); "
              f"wrote {output} ({output.stat().st_size / 1e3:.0f} kB) in "
              f"{time.perf_counter() - start:.0f} s")
    return output


if __name__ == "__main__":
    train(epochs=int(sys.argv[1]) if len(sys.argv) > 1 else EPOCHS)
    sys.exit(0)
