"""The music notebook's LSTM written the compact way, for training its weights quickly.

The notebook's ``djmodel`` calls one shared LSTM cell and one shared softmax layer once per
time step; :func:`sequence_model` is the same network as a single LSTM layer over the window
(``return_sequences=True``) plus the softmax at every step. The two own the same weight
arrays, so weights trained here fit the notebook's layers.
"""

TX = 20            # time steps per training window (the notebook's Tx)
N_A = 64           # LSTM units (the notebook's n_a)


def sequence_model(n_values, n_a=N_A, Tx=TX):
    """The notebook's network as one LSTM layer over the window plus a softmax per step."""
    import keras

    X = keras.Input(shape=(Tx, n_values), name="X")
    hidden = keras.layers.LSTM(n_a, return_sequences=True, name="lstm")(X)
    probabilities = keras.layers.Dense(n_values, activation="softmax", name="densor")(hidden)
    return keras.Model(X, probabilities)
