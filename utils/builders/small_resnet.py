"""Train the residual-networks notebook's small ResNet and its plain twin; write the weights.

    python -m utils.builders.small_resnet   # about 190 s on 2 cores
    python -m utils.data.manifest update    # then record the new hashes

The Course 4 notebook *Residual networks* builds :func:`utils.models.resnet.small_resnet`
from the learner's ``identity_block`` and ``convolutional_block`` (three stages, about
0.23 M parameters), trains it live for a few epochs, then loads the weights this script
trains for longer. It also compares the network with the same stack of convolutions with
every skip connection removed (:func:`utils.models.resnet.plain_network`), trained here in
exactly the same way (same data, seed, optimiser, schedule, batch size and epochs).

Both models train on the 1080 training images of :func:`utils.data.gestures.load_gestures`
(pixels scaled to [0, 1]) with Adam and a cosine-decaying learning rate, for a fixed number
of epochs: no early stopping and no choice of epoch by the test set. The test set (120
images) is only evaluated, once per epoch, to record the curves the notebook plots.

Each output file (``datasets/resnet/small_resnet.npz`` and ``datasets/resnet/plain_cnn.npz``)
holds the model's weights in ``model.get_weights()`` order as ``w000, w001, ...`` in float16
(half the size; the test accuracy of the rounded weights is recorded and checked equal to the
float32 one) and the per-epoch ``train_loss``, ``train_accuracy``, ``test_accuracy``. Training
is seeded and deterministic on one CPU; another CPU changes the weights in their last digits,
and so the files' hashes.
"""

import sys
import time

import numpy as np

from utils.data.manifest import DATASETS_DIR
from utils.data.resnet_weights import RELATIVE_PATHS

EPOCHS = 30
BATCH_SIZE = 32
LEARNING_RATE = 0.002
SEED = 0


def _dataset():
    from utils.data.gestures import load_gestures

    X_train, Y_train, X_test, Y_test, _ = load_gestures()
    X_train, X_test = ((X / 255.0).astype(np.float32) for X in (X_train, X_test))
    return X_train, Y_train, X_test, Y_test


def train_one(name, epochs=EPOCHS, verbose=True):
    """Train one model from a fresh seed; return (model, history dict, seconds)."""
    import utils

    utils.setup_notebook(seed=SEED, tensorflow=True)
    import keras

    from utils.models.resnet import plain_network, small_resnet

    X_train, Y_train, X_test, Y_test = _dataset()
    model = small_resnet() if name == "small_resnet" else plain_network()
    steps = epochs * int(np.ceil(len(X_train) / BATCH_SIZE))
    schedule = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, decay_steps=steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = {"train_loss": [], "train_accuracy": [], "test_accuracy": []}
    start = time.perf_counter()
    for epoch in range(epochs):
        fit = model.fit(X_train, Y_train, epochs=1, batch_size=BATCH_SIZE, shuffle=True,
                        verbose=0)
        _, test_accuracy = model.evaluate(X_test, Y_test, batch_size=120, verbose=0)
        history["train_loss"].append(fit.history["loss"][0])
        history["train_accuracy"].append(fit.history["accuracy"][0])
        history["test_accuracy"].append(test_accuracy)
        if verbose:
            print(f"{name} epoch {epoch + 1}: loss {fit.history['loss'][0]:.4f}, train "
                  f"accuracy {fit.history['accuracy'][0]:.4f}, test accuracy {test_accuracy:.4f}",
                  flush=True)
    seconds = time.perf_counter() - start
    return model, {k: np.asarray(v, dtype=np.float32) for k, v in history.items()}, seconds


def save(name, model, history, output=None):
    """Write the weights as float16 with the history; return (path, float16 test accuracy)."""
    X_train, Y_train, X_test, Y_test = _dataset()
    weights = [w.astype(np.float16) for w in model.get_weights()]
    full = model.get_weights()
    model.set_weights([w.astype(np.float32) for w in weights])
    _, half_accuracy = model.evaluate(X_test, Y_test, batch_size=120, verbose=0)
    model.set_weights(full)
    output = DATASETS_DIR / RELATIVE_PATHS[name] if output is None else output
    output.parent.mkdir(parents=True, exist_ok=True)
    arrays = {f"w{i:03d}": w for i, w in enumerate(weights)}
    np.savez_compressed(output, **arrays, **history, epochs=np.int64(len(history["train_loss"])),
                        float16_test_accuracy=np.float32(half_accuracy))
    return output, half_accuracy


def main(names=("small_resnet", "plain_cnn"), epochs=EPOCHS):
    for name in names:
        model, history, seconds = train_one(name, epochs)
        output, half_accuracy = save(name, model, history)
        print(f"{name}: {model.count_params()} parameters, {epochs} epochs in {seconds:.0f} s; "
              f"final train accuracy {history['train_accuracy'][-1]:.4f}, test accuracy "
              f"{history['test_accuracy'][-1]:.4f} (float16 weights: {half_accuracy:.4f}); "
              f"wrote {output} ({output.stat().st_size / 1e6:.2f} MB)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or ("small_resnet", "plain_cnn"))
    sys.exit(0)
