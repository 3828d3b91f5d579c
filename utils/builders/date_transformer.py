"""Train the Transformer notebook's small date translator; write its weights.

    python -m utils.builders.date_transformer   # a few minutes on 2 cores
    python -m utils.data.manifest update        # then record the new hash

The Course 5 notebook *The Transformer from scratch* builds a small
:class:`utils.models.transformer.Transformer` (2 encoder and 2 decoder layers, model width
64, 4 heads) from the learner's own layers, trains it live for a moment on human-readable
dates (``utils.data.dates``: six locales, many formats) and then loads the weights this
script trains for longer. The task: read a date such as ``"miércoles, 1 de febrero de
2017"`` character by character and write ``2017-02-01``.

Training data: ``make_dates(TRAIN_SIZE, seed=TRAIN_SEED)``; the held-out set of the notebook
is ``make_dates(TEST_SIZE, seed=TEST_SEED, exclude=<the training strings>)``, never seen
here. Adam with a learning rate warming up linearly for one epoch and then decaying along a
cosine, batches of 64, teacher forcing, a fixed number of epochs (no early stopping, no
choice of epoch by the held-out set). The decoder's start token is ``START_ID`` (one past
the machine vocabulary), so the output layer has ``len(MACHINE_VOCAB) + 1`` classes.

The output file ``datasets/date_transformer/date_transformer.npz`` holds the weights in
``model.get_weights()`` order as ``w000, w001, ...`` in float16 (the held-out exact match of
the rounded weights is recorded and compared with the float32 one), the model's
configuration (``config_<name>``), the per-epoch training loss and character accuracy, and the
held-out exact match. Seeded and deterministic on one CPU; another CPU changes the weights in
their last digits, and so the file's hash.
"""

import sys
import time

import numpy as np

from utils.data.date_transformer_weights import RELATIVE_PATH
from utils.data.manifest import DATASETS_DIR

TRAIN_SIZE = 16000
TRAIN_SEED = 0
TEST_SIZE = 2000
TEST_SEED = 1
EPOCHS = 8
BATCH_SIZE = 64
LEARNING_RATE = 1e-3
SEED = 0
CONFIG = {"num_layers": 2, "embedding_dim": 64, "num_heads": 4, "fully_connected_dim": 128,
          "dropout_rate": 0.1, "layernorm_eps": 1e-6}


def datasets():
    """(X_train, Y_train, X_test, Y_test, test pairs) exactly as the notebook makes them."""
    from utils.data import dates

    train = dates.make_dates(TRAIN_SIZE, seed=TRAIN_SEED)
    test = dates.make_dates(TEST_SIZE, seed=TEST_SEED, exclude={h for h, _, _ in train})
    X_train, Y_train = dates.encode(train)
    X_test, Y_test = dates.encode(test)
    return X_train, Y_train, X_test, Y_test, test


def model_config():
    """The full keyword arguments of Transformer(...) for the date task."""
    from utils.data import dates

    return dict(CONFIG, input_vocab_size=len(dates.HUMAN_VOCAB),
                target_vocab_size=len(dates.MACHINE_VOCAB) + 1,
                max_positional_encoding_input=dates.TX,
                max_positional_encoding_target=dates.TY)


def exact_match(model, X, Y, start_id):
    from utils.models.transformer import greedy_decode

    decoded, _ = greedy_decode(model, X, start_id, Y.shape[1])
    return float(np.mean(np.all(decoded == Y, axis=1)))


def train(epochs=EPOCHS, verbose=True):
    """Train from a fresh seed; return (model, history, held-out exact match, seconds)."""
    import utils

    utils.setup_notebook(seed=SEED, tensorflow=True)
    import keras

    from utils.data import dates
    from utils.models.transformer import Transformer, fit

    X_train, Y_train, X_test, Y_test, _ = datasets()
    start_id = len(dates.MACHINE_VOCAB)
    model = Transformer(**model_config())
    steps_per_epoch = len(X_train) // BATCH_SIZE
    schedule = keras.optimizers.schedules.CosineDecay(
        0.0, decay_steps=(epochs - 1) * steps_per_epoch, warmup_target=LEARNING_RATE,
        warmup_steps=steps_per_epoch)
    optimizer = keras.optimizers.Adam(schedule)
    history = {"exact_match": []}
    start = time.perf_counter()

    def report(epoch, loss, accuracy):
        if verbose:
            print(f"epoch {epoch + 1}: loss {loss:.4f}, character accuracy {accuracy:.4f} "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)

    history.update(fit(model, X_train, Y_train, start_id, epochs, batch_size=BATCH_SIZE,
                       seed=SEED, optimizer=optimizer, callback=report))
    seconds = time.perf_counter() - start
    match = exact_match(model, X_test, Y_test, start_id)
    return model, history, match, seconds


def save(model, history, match, output=None):
    """Write float16 weights, configuration and history; return (path, float16 exact match)."""
    from utils.data import dates

    _, _, X_test, Y_test, _ = datasets()
    full = model.get_weights()
    half = [w.astype(np.float16) for w in full]
    model.set_weights([w.astype(np.float32) for w in half])
    half_match = exact_match(model, X_test, Y_test, len(dates.MACHINE_VOCAB))
    model.set_weights(full)
    output = DATASETS_DIR / RELATIVE_PATH if output is None else output
    output.parent.mkdir(parents=True, exist_ok=True)
    config = {f"config_{k}": np.asarray(v) for k, v in model_config().items()}
    np.savez_compressed(output, **{f"w{i:03d}": w for i, w in enumerate(half)}, **config,
                        train_loss=np.asarray(history["loss"], dtype=np.float32),
                        train_accuracy=np.asarray(history["accuracy"], dtype=np.float32),
                        test_exact_match=np.float32(match),
                        float16_test_exact_match=np.float32(half_match))
    return output, half_match


def main(epochs=EPOCHS):
    model, history, match, seconds = train(epochs)
    output, half_match = save(model, history, match)
    print(f"{model.count_params()} parameters, {epochs} epochs in {seconds:.0f} s; held-out "
          f"exact match {match:.4f} (float16 weights: {half_match:.4f}); wrote {output} "
          f"({output.stat().st_size / 1e6:.2f} MB)", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else EPOCHS)
    sys.exit(0)
