"""The attention model of the date-translation notebook, for its builder and its checks.

``attention_model(Tx, Ty, n_a, n_s, human_vocab_size, machine_vocab_size)`` restates the
notebook's graded ``modelf`` (with ``one_step_attention`` inlined) with one difference: the
attention layers are created inside the function, so every call gives a model with its own
weights. The notebook creates them once, as named module-level layers, which is how the
course shares them across the ``Ty`` output steps.

The network (Keras 3 functional API):

- inputs ``X`` (m, Tx, human_vocab_size) one-hot characters, ``s0`` and ``c0`` (m, n_s), the
  initial state of the post-attention LSTM;
- a bidirectional LSTM with ``n_a`` units each way gives ``a`` (m, Tx, 2 n_a);
- for each output step t: ``s_prev`` repeated Tx times and concatenated after ``a``,
  ``Dense(10, tanh)``, ``Dense(1, relu)``, a softmax over the Tx axis (the attention
  weights), their dot product with ``a`` (the context, (m, 1, 2 n_a)); an LSTM with ``n_s``
  units takes one step on the context from state ``(s, c)``; ``Dense(machine_vocab_size,
  softmax)`` gives the output character;
- outputs: a list of Ty tensors (m, machine_vocab_size).

``attention_model_parameter_count`` is the hand formula; ``assign_weights`` and
``role_weights`` move weights between any two models of this architecture by the role of each
layer, whatever order their layers were created in; ``attention_maps`` reads the attention
weights of every output step.
"""

import numpy as np

ROLES = ("encoder", "attention_hidden", "attention_energy", "decoder", "output")
ATTENTION_HIDDEN_UNITS = 10


def attention_model_parameter_count(Tx, Ty, n_a, n_s, human_vocab_size, machine_vocab_size):
    """Trainable parameters of the model, worked out from the layer formulas (no Keras)."""
    def lstm(inputs, units):                        # 4 gates: kernel, recurrent kernel, bias
        return 4 * (units * (inputs + units) + units)

    encoder = 2 * lstm(human_vocab_size, n_a)
    hidden = (2 * n_a + n_s) * ATTENTION_HIDDEN_UNITS + ATTENTION_HIDDEN_UNITS
    energy = ATTENTION_HIDDEN_UNITS + 1
    decoder = lstm(2 * n_a, n_s)
    output = n_s * machine_vocab_size + machine_vocab_size
    return encoder + hidden + energy + decoder + output


def attention_model(Tx, Ty, n_a, n_s, human_vocab_size, machine_vocab_size):
    """A fresh Keras model: inputs [X, s0, c0], outputs a list of Ty softmax tensors."""
    import keras
    from keras import layers

    repeator = layers.RepeatVector(Tx)
    concatenator = layers.Concatenate(axis=-1)
    densor1 = layers.Dense(ATTENTION_HIDDEN_UNITS, activation="tanh")
    densor2 = layers.Dense(1, activation="relu")
    activator = layers.Softmax(axis=1)
    dotor = layers.Dot(axes=1)
    post_lstm = layers.LSTM(n_s, return_state=True)
    output_layer = layers.Dense(machine_vocab_size, activation="softmax")

    X = keras.Input(shape=(Tx, human_vocab_size))
    s0 = keras.Input(shape=(n_s,))
    c0 = keras.Input(shape=(n_s,))
    s, c = s0, c0
    a = layers.Bidirectional(layers.LSTM(n_a, return_sequences=True))(X)
    outputs = []
    for _ in range(Ty):
        e = densor1(concatenator([a, repeator(s)]))
        alphas = activator(densor2(e))
        context = dotor([alphas, a])
        _, s, c = post_lstm(context, initial_state=[s, c])
        outputs.append(output_layer(s))
    return keras.Model(inputs=[X, s0, c0], outputs=outputs)


def _layers_by_role(model, machine_vocab_size):
    """{role: layer} for a model of this architecture; raises ValueError when ambiguous."""
    from keras import layers

    found = {role: [] for role in ROLES}
    for layer in model.layers:
        if isinstance(layer, layers.Bidirectional):
            found["encoder"].append(layer)
        elif isinstance(layer, layers.LSTM):
            found["decoder"].append(layer)
        elif isinstance(layer, layers.Dense):
            units = layer.units
            role = {ATTENTION_HIDDEN_UNITS: "attention_hidden", 1: "attention_energy",
                    machine_vocab_size: "output"}.get(units)
            if role is not None:
                found[role].append(layer)
    for role, candidates in found.items():
        if len(candidates) != 1:
            raise ValueError(f"expected one {role} layer in the model, found {len(candidates)}")
    return {role: candidates[0] for role, candidates in found.items()}


def role_weights(model, machine_vocab_size):
    """{role: list of float32 arrays} of a model of this architecture."""
    return {role: [np.asarray(w, dtype=np.float32) for w in layer.get_weights()]
            for role, layer in _layers_by_role(model, machine_vocab_size).items()}


def assign_weights(model, weights, machine_vocab_size):
    """Set the weights of ``model`` from ``{role: list of arrays}`` (``role_weights``)."""
    for role, layer in _layers_by_role(model, machine_vocab_size).items():
        layer.set_weights([np.asarray(w, dtype=np.float32) for w in weights[role]])


def attention_maps(model, X, n_s, machine_vocab_size):
    """Attention weights of every output step: array (m, Ty, Tx) for one-hot inputs X.

    Builds a second model that outputs the softmax layer's output at each of its Ty calls.
    """
    import keras
    from keras import layers

    softmaxes = [layer for layer in model.layers if isinstance(layer, layers.Softmax)]
    if len(softmaxes) != 1:
        raise ValueError("expected one Softmax layer (the attention weights) in the model")
    layer = softmaxes[0]
    # the calls of the (possibly shared) softmax layer that belong to this model, from the
    # first output step (deepest, farthest from the outputs) to the last
    calls = [(depth, node) for depth, nodes in model._nodes_by_depth.items()
             for node in nodes if node.operation is layer]
    steps = [node.outputs[0] for _, node in sorted(calls, key=lambda dn: -dn[0])]
    probe = keras.Model(model.inputs, steps)
    m = len(X)
    zeros = np.zeros((m, n_s), dtype=np.float32)
    # a direct call, not predict: no tf.function retraced for every new probe
    maps = probe([X, zeros, zeros], training=False)
    maps = maps if isinstance(maps, (list, tuple)) else [maps]
    return np.stack([np.asarray(s)[:, :, 0] for s in maps], axis=1)
