"""A Transformer encoder-decoder in Keras 3, and what it takes to train it on a small task.

The notebook *The Transformer from scratch* (Course 5, week 4) teaches every piece below:
:func:`get_angles`, :func:`positional_encoding`, the two masks,
:func:`scaled_dot_product_attention`, :class:`MultiHeadAttention`, :class:`EncoderLayer`,
:class:`Encoder`, :class:`DecoderLayer`, :class:`Decoder` and :class:`Transformer`. This
module restates them (one source of truth with the notebook's solution cells:
``tests/test_checks_c5w4_transformer.py`` runs both on the same weights and inputs and proves
they agree) so that ``python -m utils.builders.date_transformer`` can train the same model
outside the notebook. Every ``__init__`` creates its sub-layers in the notebook's order, so
``model.get_weights()`` / ``set_weights`` move trained weights between the two.

Mask convention: **1 = attend, 0 = block** (the convention of ``keras.layers.
MultiHeadAttention``'s ``attention_mask``). A padding mask has shape ``(batch, 1, seq_len)``,
a look-ahead mask ``(1, seq_len, seq_len)``; :class:`MultiHeadAttention` inserts the head
axis. Token id 0 is padding.

The training helpers (:func:`train_step_function`, :func:`fit`, :func:`greedy_decode`) take
any model with the :class:`Transformer` call signature, the learner's included.
"""

import keras
import numpy as np
import tensorflow as tf
from keras.layers import Dense, Dropout, Embedding, Layer, LayerNormalization


def get_angles(pos, k, d):
    """pos / 10000^(2i / d) with i = k // 2, broadcast over pos (n, 1) and k (1, d)."""
    i = k // 2
    return pos / np.power(10000, 2 * i / d)


def positional_encoding(positions, d):
    """Sinusoidal encodings (1, positions, d), float32: sin on even, cos on odd dimensions."""
    angle_rads = get_angles(np.arange(positions)[:, np.newaxis], np.arange(d)[np.newaxis, :], d)
    angle_rads[:, 0::2] = np.sin(angle_rads[:, 0::2])
    angle_rads[:, 1::2] = np.cos(angle_rads[:, 1::2])
    return tf.cast(angle_rads[np.newaxis, ...], dtype=tf.float32)


def create_padding_mask(decoder_token_ids):
    """1.0 where a token is real, 0.0 where it is padding (id 0): (batch, 1, seq_len)."""
    seq = 1.0 - tf.cast(tf.math.equal(decoder_token_ids, 0), tf.float32)
    return seq[:, tf.newaxis, :]


def create_look_ahead_mask(sequence_length):
    """Lower-triangular ones (1, n, n): position i may attend to positions 0..i."""
    return tf.linalg.band_part(tf.ones((1, sequence_length, sequence_length)), -1, 0)


def scaled_dot_product_attention(q, k, v, mask):
    """softmax(q k^T / sqrt(d_k) + (1 - mask) * -1e9) v; returns (output, attention_weights)."""
    matmul_qk = tf.matmul(q, k, transpose_b=True)
    dk = tf.cast(tf.shape(k)[-1], tf.float32)
    scaled_attention_logits = matmul_qk / tf.math.sqrt(dk)
    if mask is not None:
        scaled_attention_logits += (1.0 - tf.cast(mask, tf.float32)) * -1e9
    attention_weights = tf.nn.softmax(scaled_attention_logits, axis=-1)
    output = tf.matmul(attention_weights, v)
    return output, attention_weights


class MultiHeadAttention(Layer):
    """num_heads attention heads of depth embedding_dim / num_heads, then a Dense."""

    def __init__(self, embedding_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        if embedding_dim % num_heads:
            raise ValueError("embedding_dim must be a multiple of num_heads")
        self.num_heads = num_heads
        self.embedding_dim = embedding_dim
        self.depth = embedding_dim // num_heads
        self.wq = Dense(embedding_dim)
        self.wk = Dense(embedding_dim)
        self.wv = Dense(embedding_dim)
        self.dense = Dense(embedding_dim)

    def split_heads(self, x, batch_size):
        """(batch, seq, embedding_dim) -> (batch, num_heads, seq, depth)."""
        x = tf.reshape(x, (batch_size, -1, self.num_heads, self.depth))
        return tf.transpose(x, perm=[0, 2, 1, 3])

    def call(self, q, k, v, attention_mask=None):
        batch_size = tf.shape(q)[0]
        q = self.split_heads(self.wq(q), batch_size)
        k = self.split_heads(self.wk(k), batch_size)
        v = self.split_heads(self.wv(v), batch_size)
        mask = None if attention_mask is None else attention_mask[:, tf.newaxis, :, :]
        heads, attention_weights = scaled_dot_product_attention(q, k, v, mask)
        heads = tf.transpose(heads, perm=[0, 2, 1, 3])
        concat = tf.reshape(heads, (batch_size, -1, self.embedding_dim))
        return self.dense(concat), attention_weights


def FullyConnected(embedding_dim, fully_connected_dim):
    """The position-wise feed-forward network: Dense(relu) then Dense back to embedding_dim."""
    return keras.Sequential([Dense(fully_connected_dim, activation="relu"),
                             Dense(embedding_dim)])


class EncoderLayer(Layer):
    """Self-attention and a feed-forward network, each with dropout, a residual and LayerNorm."""

    def __init__(self, embedding_dim, num_heads, fully_connected_dim, dropout_rate=0.1,
                 layernorm_eps=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.mha = MultiHeadAttention(embedding_dim, num_heads)
        self.ffn = FullyConnected(embedding_dim, fully_connected_dim)
        self.layernorm1 = LayerNormalization(epsilon=layernorm_eps)
        self.layernorm2 = LayerNormalization(epsilon=layernorm_eps)
        self.dropout1 = Dropout(dropout_rate)
        self.dropout2 = Dropout(dropout_rate)

    def call(self, x, training=False, padding_mask=None):
        attn_output, _ = self.mha(x, x, x, attention_mask=padding_mask)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(x + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output, training=training)
        return self.layernorm2(out1 + ffn_output)


class Encoder(Layer):
    """Embedding * sqrt(d) + positional encoding, dropout, then num_layers EncoderLayers."""

    def __init__(self, num_layers, embedding_dim, num_heads, fully_connected_dim,
                 input_vocab_size, maximum_position_encoding, dropout_rate=0.1,
                 layernorm_eps=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.embedding_dim = embedding_dim
        self.num_layers = num_layers
        self.embedding = Embedding(input_vocab_size, embedding_dim)
        self.pos_encoding = positional_encoding(maximum_position_encoding, embedding_dim)
        self.enc_layers = [EncoderLayer(embedding_dim, num_heads, fully_connected_dim,
                                        dropout_rate, layernorm_eps)
                           for _ in range(num_layers)]
        self.dropout = Dropout(dropout_rate)

    def call(self, x, training=False, padding_mask=None):
        seq_len = tf.shape(x)[1]
        x = self.embedding(x)
        x *= tf.math.sqrt(tf.cast(self.embedding_dim, tf.float32))
        x += self.pos_encoding[:, :seq_len, :]
        x = self.dropout(x, training=training)
        for layer in self.enc_layers:
            x = layer(x, training=training, padding_mask=padding_mask)
        return x


class DecoderLayer(Layer):
    """Masked self-attention, attention over the encoder's output, a feed-forward network."""

    def __init__(self, embedding_dim, num_heads, fully_connected_dim, dropout_rate=0.1,
                 layernorm_eps=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.mha1 = MultiHeadAttention(embedding_dim, num_heads)
        self.mha2 = MultiHeadAttention(embedding_dim, num_heads)
        self.ffn = FullyConnected(embedding_dim, fully_connected_dim)
        self.layernorm1 = LayerNormalization(epsilon=layernorm_eps)
        self.layernorm2 = LayerNormalization(epsilon=layernorm_eps)
        self.layernorm3 = LayerNormalization(epsilon=layernorm_eps)
        self.dropout1 = Dropout(dropout_rate)
        self.dropout2 = Dropout(dropout_rate)
        self.dropout3 = Dropout(dropout_rate)

    def call(self, x, enc_output, training=False, look_ahead_mask=None, padding_mask=None):
        attn1, attn_weights_block1 = self.mha1(x, x, x, attention_mask=look_ahead_mask)
        attn1 = self.dropout1(attn1, training=training)
        out1 = self.layernorm1(x + attn1)
        attn2, attn_weights_block2 = self.mha2(out1, enc_output, enc_output,
                                                attention_mask=padding_mask)
        attn2 = self.dropout2(attn2, training=training)
        out2 = self.layernorm2(out1 + attn2)
        ffn_output = self.ffn(out2)
        ffn_output = self.dropout3(ffn_output, training=training)
        out3 = self.layernorm3(out2 + ffn_output)
        return out3, attn_weights_block1, attn_weights_block2


class Decoder(Layer):
    """Embedding * sqrt(d) + positional encoding, dropout, then num_layers DecoderLayers."""

    def __init__(self, num_layers, embedding_dim, num_heads, fully_connected_dim,
                 target_vocab_size, maximum_position_encoding, dropout_rate=0.1,
                 layernorm_eps=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.embedding_dim = embedding_dim
        self.num_layers = num_layers
        self.embedding = Embedding(target_vocab_size, embedding_dim)
        self.pos_encoding = positional_encoding(maximum_position_encoding, embedding_dim)
        self.dec_layers = [DecoderLayer(embedding_dim, num_heads, fully_connected_dim,
                                        dropout_rate, layernorm_eps)
                           for _ in range(num_layers)]
        self.dropout = Dropout(dropout_rate)

    def call(self, x, enc_output, training=False, look_ahead_mask=None, padding_mask=None):
        seq_len = tf.shape(x)[1]
        attention_weights = {}
        x = self.embedding(x)
        x *= tf.math.sqrt(tf.cast(self.embedding_dim, tf.float32))
        x += self.pos_encoding[:, :seq_len, :]
        x = self.dropout(x, training=training)
        for i, layer in enumerate(self.dec_layers):
            x, block1, block2 = layer(x, enc_output, training=training,
                                      look_ahead_mask=look_ahead_mask,
                                      padding_mask=padding_mask)
            attention_weights[f"decoder_layer{i + 1}_block1_self_att"] = block1
            attention_weights[f"decoder_layer{i + 1}_block2_decenc_att"] = block2
        return x, attention_weights


class Transformer(keras.Model):
    """Encoder, decoder and a softmax over the target vocabulary."""

    def __init__(self, num_layers, embedding_dim, num_heads, fully_connected_dim,
                 input_vocab_size, target_vocab_size, max_positional_encoding_input,
                 max_positional_encoding_target, dropout_rate=0.1, layernorm_eps=1e-6,
                 **kwargs):
        super().__init__(**kwargs)
        self.encoder = Encoder(num_layers, embedding_dim, num_heads, fully_connected_dim,
                               input_vocab_size, max_positional_encoding_input, dropout_rate,
                               layernorm_eps)
        self.decoder = Decoder(num_layers, embedding_dim, num_heads, fully_connected_dim,
                               target_vocab_size, max_positional_encoding_target, dropout_rate,
                               layernorm_eps)
        self.final_layer = Dense(target_vocab_size, activation="softmax")

    def call(self, input_sentence, output_sentence, training=False, enc_padding_mask=None,
             look_ahead_mask=None, dec_padding_mask=None):
        enc_output = self.encoder(input_sentence, training=training,
                                  padding_mask=enc_padding_mask)
        dec_output, attention_weights = self.decoder(
            output_sentence, enc_output, training=training, look_ahead_mask=look_ahead_mask,
            padding_mask=dec_padding_mask)
        final_output = self.final_layer(dec_output)
        return final_output, attention_weights


# ----------------------------------------------------------------------------------------
# training and decoding (for any model with the Transformer's call signature)


def masks_for(inputs, decoder_inputs):
    """(encoder padding mask, decoder look-ahead mask, decoder padding mask) for a batch."""
    enc_padding_mask = create_padding_mask(inputs)
    look_ahead_mask = create_look_ahead_mask(tf.shape(decoder_inputs)[1])
    return enc_padding_mask, look_ahead_mask, enc_padding_mask


def train_step_function(model, optimizer):
    """A compiled step: teacher forcing, cross-entropy over every target position.

    ``step(X, Y_in, Y_out)`` takes the encoder's tokens, the decoder's input (the start token
    then the target shifted right) and the target, updates the weights and returns the mean
    loss and the fraction of target characters predicted right.
    """
    loss_fn = keras.losses.SparseCategoricalCrossentropy()

    @tf.function(reduce_retracing=True)
    def step(X, Y_in, Y_out):
        enc_mask, look_ahead, dec_mask = masks_for(X, Y_in)
        with tf.GradientTape() as tape:
            probabilities, _ = model(X, Y_in, training=True, enc_padding_mask=enc_mask,
                                     look_ahead_mask=look_ahead, dec_padding_mask=dec_mask)
            loss = loss_fn(Y_out, probabilities)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        predicted = tf.argmax(probabilities, axis=-1, output_type=Y_out.dtype)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y_out), tf.float32))
        return loss, accuracy

    return step


def decoder_arrays(Y, start_id):
    """(decoder input, decoder target): the start token then Y without its last character,
    and Y itself."""
    Y = np.asarray(Y)
    Y_in = np.concatenate([np.full((len(Y), 1), start_id, dtype=Y.dtype), Y[:, :-1]], axis=1)
    return Y_in, Y


def fit(model, X, Y, start_id, epochs, batch_size=64, learning_rate=1e-3, seed=0,
        optimizer=None, callback=None):
    """Train ``model`` with teacher forcing and Adam; returns per-epoch mean loss and
    character accuracy as a dict of lists. Batches are reshuffled each epoch by a numpy
    generator seeded with ``seed``. ``callback(epoch, loss, accuracy)`` is called after
    each epoch if given."""
    X = np.asarray(X, dtype=np.int32)
    Y_in, Y_out = (a.astype(np.int32) for a in decoder_arrays(Y, start_id))
    optimizer = optimizer or keras.optimizers.Adam(learning_rate)
    step = train_step_function(model, optimizer)
    rng = np.random.default_rng(seed)
    history = {"loss": [], "accuracy": []}
    for epoch in range(epochs):
        order = rng.permutation(len(X))
        losses, accuracies = [], []
        for start in range(0, len(X) - batch_size + 1, batch_size):
            batch = order[start:start + batch_size]
            loss, accuracy = step(tf.constant(X[batch]), tf.constant(Y_in[batch]),
                                  tf.constant(Y_out[batch]))
            losses.append(float(loss))
            accuracies.append(float(accuracy))
        history["loss"].append(float(np.mean(losses)))
        history["accuracy"].append(float(np.mean(accuracies)))
        if callback is not None:
            callback(epoch, history["loss"][-1], history["accuracy"][-1])
    return history


def greedy_decode(model, X, start_id, length, batch_size=500):
    """Greedy decoding: feed the start token, append the most probable character, repeat
    ``length`` times. Returns the tokens (m, length) and the decoder-encoder attention of the
    last layer at the last step, averaged over heads: (m, length, Tx)."""
    X = np.asarray(X, dtype=np.int32)
    outputs, attentions = [], []
    for start in range(0, len(X), batch_size):
        x = tf.constant(X[start:start + batch_size])
        enc_mask = create_padding_mask(x)
        decoded = tf.fill((tf.shape(x)[0], 1), start_id)
        for _ in range(length):
            look_ahead = create_look_ahead_mask(tf.shape(decoded)[1])
            probabilities, weights = model(x, decoded, training=False, enc_padding_mask=enc_mask,
                                           look_ahead_mask=look_ahead,
                                           dec_padding_mask=enc_mask)
            following = tf.argmax(probabilities[:, -1, :], axis=-1, output_type=tf.int32)
            decoded = tf.concat([decoded, following[:, tf.newaxis]], axis=1)
        last = sorted(k for k in weights if "block2" in k)[-1]
        outputs.append(decoded[:, 1:].numpy())
        attentions.append(tf.reduce_mean(weights[last], axis=1).numpy())
    return np.concatenate(outputs), np.concatenate(attentions)
