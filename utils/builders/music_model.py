"""Train the music notebook's LSTM for longer and write its weights to ``datasets/music/``.

    python -m utils.builders.music_model   # about 25 s on 2 cores
    python -m utils.data.manifest update   # then record the new hash

The Course 5 notebook *Composing chorale tunes with an LSTM* builds ``djmodel``: one shared
``keras.layers.LSTM(n_a, return_state=True)`` cell and one shared ``Dense`` softmax layer,
called once per time step. Unrolling that loop in Python makes a large graph that is slow
to trace, so this script trains the *same* network written the compact way: a single
``LSTM(n_a, return_sequences=True)`` layer over the whole window followed by the ``Dense``
layer at every step. Both start from zero states and see the same one-hot windows, and the
two LSTM layers own the same three weight arrays (kernel, recurrent kernel, bias), so the
trained weights drop straight into the notebook's cell and softmax layer
(:func:`utils.data.music_weights.load_trained_weights`).

Keras's loss here is the mean cross-entropy per predicted token; the notebook's model adds
up the ``Tx`` per-step losses instead, so its loss is ``Tx`` times larger. The script keeps
the weights of the epoch with the lowest validation loss and records both loss curves
(per token, natural log) next to them. Training is seeded and deterministic on one CPU; another
CPU (or numeric profile) changes the weights in their last digits, and so the file's hash.
"""

import sys
import time

import numpy as np

from utils.data.manifest import DATASETS_DIR
from utils.data.music_weights import RELATIVE_PATH
from utils.models.music_lstm import N_A, TX, sequence_model

EPOCHS = 40
BATCH_SIZE = 64
LEARNING_RATE = 0.002
PATIENCE = 5       # stop after this many epochs without a better validation loss
SEED = 0


def training_data(Tx=TX):
    """One-hot windows of the training and validation melodies (the notebook's split)."""
    from utils.data.melodies import load_melodies, make_windows, split_melodies

    melodies = load_melodies()
    train, validation = split_melodies(len(melodies.tokens))
    X_train, Y_train = make_windows([melodies.tokens[i] for i in train], Tx,
                                    melodies.n_values)
    X_val, Y_val = make_windows([melodies.tokens[i] for i in validation], Tx,
                                melodies.n_values)
    return melodies, (X_train, Y_train), (X_val, Y_val)


def train(epochs=EPOCHS, output=None, verbose=True):
    """Train, keep the best epoch's weights and write them with the loss history."""
    import utils

    utils.setup_notebook(seed=SEED, tensorflow=True)
    import keras

    start = time.perf_counter()
    melodies, (X_train, Y_train), (X_val, Y_val) = training_data()
    # make_windows returns targets as (Tx, m, n_values) for the per-step outputs of djmodel
    Y_train, Y_val = np.transpose(Y_train, (1, 0, 2)), np.transpose(Y_val, (1, 0, 2))
    model = sequence_model(melodies.n_values)
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE),
                  loss="categorical_crossentropy")
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=PATIENCE,
                                         restore_best_weights=True)
    history = model.fit(X_train, Y_train, validation_data=(X_val, Y_val), epochs=epochs,
                        batch_size=BATCH_SIZE, shuffle=True, callbacks=[stop], verbose=0)
    seconds = time.perf_counter() - start
    train_loss = np.asarray(history.history["loss"], dtype=np.float32)
    val_loss = np.asarray(history.history["val_loss"], dtype=np.float32)
    kernel, recurrent_kernel, bias = model.get_layer("lstm").get_weights()
    dense_kernel, dense_bias = model.get_layer("densor").get_weights()
    output = DATASETS_DIR / RELATIVE_PATH if output is None else output
    output.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        output, kernel=kernel, recurrent_kernel=recurrent_kernel, bias=bias,
        dense_kernel=dense_kernel, dense_bias=dense_bias,
        train_loss=train_loss, val_loss=val_loss,
        best_epoch=np.int64(np.argmin(val_loss) + 1), Tx=np.int64(TX), n_a=np.int64(N_A),
        n_train=np.int64(len(X_train)), n_val=np.int64(len(X_val)),
    )
    if verbose:
        best = int(np.argmin(val_loss))
        print(f"{len(X_train)} training and {len(X_val)} validation windows of {TX} tokens; "
              f"{len(train_loss)} epochs, best epoch {best + 1}: cross-entropy per token "
              f"{train_loss[best]:.3f} (train), {val_loss[best]:.3f} (validation); "
              f"wrote {output} in {seconds:.0f} s")
    return output


if __name__ == "__main__":
    train()
    sys.exit(0)
