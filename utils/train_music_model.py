"""Train the music notebook's LSTM for longer and write its weights to ``datasets/music/``.

    python -m utils.train_music_model

The Course 5 notebook *Composing chorale tunes with an LSTM* builds ``djmodel``: one shared
``keras.layers.LSTM(n_a, return_state=True)`` cell and one shared ``Dense`` softmax layer,
called once per time step. Unrolling that loop in Python makes a large graph that is slow
to trace, so this script trains the *same* network written the compact way: a single
``LSTM(n_a, return_sequences=True)`` layer over the whole window followed by the ``Dense``
layer at every step. Both start from zero states and see the same one-hot windows, and the
two LSTM layers own the same three weight arrays (kernel, recurrent kernel, bias), so the
trained weights drop straight into the notebook's cell and softmax layer
(:func:`load_trained_weights`).

Keras's loss here is the mean cross-entropy per predicted token; the notebook's model adds
up the ``Tx`` per-step losses instead, so its loss is ``Tx`` times larger. The script keeps
the weights of the epoch with the lowest validation loss and records both loss curves
(per token, natural log) next to them. Training is seeded and deterministic on CPU.
"""

import sys
import time

import numpy as np

from utils.data.manifest import DATASETS_DIR, verified_path

RELATIVE_PATH = "music/djmodel_weights.npz"
TX = 20            # time steps per training window (the notebook's Tx)
N_A = 64           # LSTM units (the notebook's n_a)
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


def sequence_model(n_values, n_a=N_A, Tx=TX):
    """The notebook's network as one LSTM layer over the window plus a softmax per step."""
    import keras

    X = keras.Input(shape=(Tx, n_values), name="X")
    hidden = keras.layers.LSTM(n_a, return_sequences=True, name="lstm")(X)
    probabilities = keras.layers.Dense(n_values, activation="softmax", name="densor")(hidden)
    return keras.Model(X, probabilities)


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


def load_trained_weights(LSTM_cell, densor):
    """Load the committed weights into the notebook's shared layers; return the history.

    ``LSTM_cell`` and ``densor`` must be built already (e.g. by using them in a model). The
    file is checked against ``datasets/MANIFEST`` first. Returns a dict with the per-token
    ``train_loss`` and ``val_loss`` curves, ``best_epoch``, ``Tx`` and ``n_a``.
    """
    with np.load(verified_path(RELATIVE_PATH)) as saved:
        data = {key: saved[key] for key in saved.files}
    LSTM_cell.set_weights([data["kernel"], data["recurrent_kernel"], data["bias"]])
    densor.set_weights([data["dense_kernel"], data["dense_bias"]])
    return {"train_loss": data["train_loss"], "val_loss": data["val_loss"],
            "best_epoch": int(data["best_epoch"]), "Tx": int(data["Tx"]),
            "n_a": int(data["n_a"]), "n_train": int(data["n_train"]),
            "n_val": int(data["n_val"])}


if __name__ == "__main__":
    train()
    sys.exit(0)
