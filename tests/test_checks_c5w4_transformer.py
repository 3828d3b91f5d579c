"""The Transformer checks pass the library's layers, catch typical mistakes, and the library
agrees with the notebook's solution cells (one source)."""

from pathlib import Path

import numpy as np
import pytest

import utils
from tests.check_contract import (
    blank_raises_not_implemented,
    mistake_is_caught,
    reference_passes,
)
from utils.checks import c5w4_transformer as check

tf = utils.setup_notebook(tensorflow=True)

from utils.models import transformer as T  # noqa: E402  (after setup_notebook)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "course5_sequence_models" / "week4_transformer.ipynb"

REFERENCE = {name: getattr(T, name) for name in (
    "get_angles", "positional_encoding", "create_padding_mask", "create_look_ahead_mask",
    "scaled_dot_product_attention", "MultiHeadAttention", "EncoderLayer", "Encoder",
    "DecoderLayer", "Decoder", "Transformer")}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, sorted(REFERENCE))


def test_blank_call_of_a_layer_raises_not_implemented():
    """A blank exercise of a layer class builds fine and raises when called."""
    class Blank(T.EncoderLayer):
        def call(self, x, training=False, padding_mask=None):
            raise NotImplementedError("Exercise: write EncoderLayer")

    with pytest.raises(NotImplementedError) as raised:
        check.EncoderLayer(Blank)
    assert str(raised.value) == "Exercise: write EncoderLayer"  # without Keras's additions


def test_numpy_multi_head_oracle_agrees_with_keras():
    q, k, v, padding = check._mha_inputs()
    rng = np.random.default_rng(0)
    parts = [(rng.standard_normal((8, 8)), rng.standard_normal(8)) for _ in range(4)]
    for mask in (padding, None):
        ours = check._mha_numpy(2, parts, q, k, v, mask)
        keras_out = check.keras_attention(2, parts, q, k, v, mask)
        np.testing.assert_allclose(ours[0], keras_out[0], atol=1e-4)
        np.testing.assert_allclose(ours[1], keras_out[1], atol=1e-5)


def test_encoding_formula_matches_known_values():
    pe = check.encoding_formula(3, 4)
    np.testing.assert_allclose(pe[0], [0, 1, 0, 1])
    np.testing.assert_allclose(pe[1], [np.sin(1), np.cos(1), np.sin(0.01), np.cos(0.01)])


# ----------------------------------------------------------------------------------------
# mistakes in the functions


def angles_k_not_halved(pos, k, d):
    return pos / np.power(10000, k / d)


def angles_two_k(pos, k, d):
    return pos / np.power(10000, 2 * k / d)


def encoding_swapped(positions, d):
    a = T.get_angles(np.arange(positions)[:, None], np.arange(d)[None, :], d)
    a[:, 0::2], a[:, 1::2] = np.cos(a[:, 0::2]), np.sin(a[:, 1::2])
    return tf.cast(a[None], tf.float32)


def encoding_halves(positions, d):
    a = T.get_angles(np.arange(positions)[:, None], np.arange(d)[None, :], d)
    return tf.cast(np.concatenate([np.sin(a[:, 0::2]), np.cos(a[:, 1::2])], -1)[None],
                   tf.float32)


def encoding_no_batch(positions, d):
    return T.positional_encoding(positions, d)[0]


def encoding_float64(positions, d):
    return np.asarray(T.positional_encoding(positions, d), dtype=np.float64)


def padding_inverted(ids):
    return 1.0 - T.create_padding_mask(ids)


def padding_no_axis(ids):
    return T.create_padding_mask(ids)[:, 0, :]


def look_ahead_old_convention(n):
    return 1.0 - T.create_look_ahead_mask(n)


def look_ahead_upper(n):
    return tf.linalg.band_part(tf.ones((1, n, n)), 0, -1)


def attention_variant(sign=1.0, axis=-1, scale="sqrt_dk", use_mask=True):
    def attention(q, k, v, mask):
        logits = tf.matmul(q, k, transpose_b=True)
        if scale == "sqrt_dk":
            logits /= np.sqrt(k.shape[-1])
        elif scale == "dk":
            logits /= k.shape[-1]
        elif scale == "sqrt_dv":
            logits /= np.sqrt(v.shape[-1])
        if mask is not None and use_mask:
            if sign > 0:
                logits += (1.0 - mask) * -1e9
            else:
                logits += mask * -1e9
        weights = tf.nn.softmax(logits, axis=axis)
        return tf.matmul(weights, v), weights
    return attention


FUNCTION_MISTAKES = [
    ("get_angles", angles_k_not_halved, "2 * (k // 2)"),
    ("get_angles", angles_two_k, "integer division"),
    ("positional_encoding", encoding_swapped, "not the other way round"),
    ("positional_encoding", encoding_halves, "interleave"),
    ("positional_encoding", encoding_no_batch, "batch axis"),
    ("positional_encoding", encoding_float64, "tf.float32"),
    ("create_padding_mask", padding_inverted, "1 = attend"),
    ("create_padding_mask", padding_no_axis, "tf.newaxis"),
    ("create_look_ahead_mask", look_ahead_old_convention, "1 = attend"),
    ("create_look_ahead_mask", look_ahead_upper, "lower triangle"),
    ("scaled_dot_product_attention", attention_variant(sign=-1), "wrong sign"),
    ("scaled_dot_product_attention", attention_variant(axis=-2), "last axis"),
    ("scaled_dot_product_attention", attention_variant(scale=None), "sqrt(d_k)"),
    ("scaled_dot_product_attention", attention_variant(scale="dk"), "not by d_k"),
    ("scaled_dot_product_attention", attention_variant(scale="sqrt_dv"), "depth of the keys"),
    ("scaled_dot_product_attention", attention_variant(use_mask=False), "not applied"),
]


@pytest.mark.parametrize(("name", "wrong", "word"), FUNCTION_MISTAKES,
                         ids=[f"{n}-{w.__name__}" for n, w, _ in FUNCTION_MISTAKES])
def test_function_mistake_is_caught(name, wrong, word):
    mistake_is_caught(check, name, wrong, word)


# ----------------------------------------------------------------------------------------
# mistakes in the layers


class MHANoTranspose(T.MultiHeadAttention):
    def split_heads(self, x, batch_size):
        return tf.reshape(x, (batch_size, self.num_heads, -1, self.depth))


class MHANoMask(T.MultiHeadAttention):
    def call(self, q, k, v, attention_mask=None):
        return super().call(q, k, v, attention_mask=None)


class MHANoDense(T.MultiHeadAttention):
    def call(self, q, k, v, attention_mask=None):
        batch_size = tf.shape(q)[0]
        q, k, v = (self.split_heads(w(t), batch_size) for w, t in
                   ((self.wq, q), (self.wk, k), (self.wv, v)))
        mask = None if attention_mask is None else attention_mask[:, tf.newaxis]
        heads, weights = T.scaled_dot_product_attention(q, k, v, mask)
        concat = tf.reshape(tf.transpose(heads, perm=[0, 2, 1, 3]),
                            (batch_size, -1, self.embedding_dim))
        self.dense(concat)  # built but not used
        return concat, weights


class MHAOnlyOutput(T.MultiHeadAttention):
    def call(self, q, k, v, attention_mask=None):
        return super().call(q, k, v, attention_mask)[0]


class EncoderNoResidual1(T.EncoderLayer):
    def call(self, x, training=False, padding_mask=None):
        attn, _ = self.mha(x, x, x, attention_mask=padding_mask)
        out1 = self.layernorm1(self.dropout1(attn, training=training))
        return self.layernorm2(out1 + self.dropout2(self.ffn(out1), training=training))


class EncoderNoResidual2(T.EncoderLayer):
    def call(self, x, training=False, padding_mask=None):
        attn, _ = self.mha(x, x, x, attention_mask=padding_mask)
        out1 = self.layernorm1(x + self.dropout1(attn, training=training))
        return self.layernorm2(self.dropout2(self.ffn(out1), training=training))


class EncoderNormsSwapped(T.EncoderLayer):
    def call(self, x, training=False, padding_mask=None):
        attn, _ = self.mha(x, x, x, attention_mask=padding_mask)
        out1 = self.layernorm2(x + self.dropout1(attn, training=training))
        return self.layernorm1(out1 + self.dropout2(self.ffn(out1), training=training))


class EncoderFfnOnX(T.EncoderLayer):
    def call(self, x, training=False, padding_mask=None):
        attn, _ = self.mha(x, x, x, attention_mask=padding_mask)
        out1 = self.layernorm1(x + self.dropout1(attn, training=training))
        return self.layernorm2(out1 + self.dropout2(self.ffn(x), training=training))


class EncoderNoMask(T.EncoderLayer):
    def call(self, x, training=False, padding_mask=None):
        return super().call(x, training=training, padding_mask=None)


class EncoderNoDropout(T.EncoderLayer):
    def call(self, x, training=False, padding_mask=None):
        return super().call(x, training=False, padding_mask=padding_mask)


class EncoderReturnsPair(T.EncoderLayer):
    def call(self, x, training=False, padding_mask=None):
        attn, weights = self.mha(x, x, x, attention_mask=padding_mask)
        return super().call(x, training=training, padding_mask=padding_mask), weights


class DecoderQueryX(T.DecoderLayer):
    def call(self, x, enc_output, training=False, look_ahead_mask=None, padding_mask=None):
        attn1, w1 = self.mha1(x, x, x, attention_mask=look_ahead_mask)
        out1 = self.layernorm1(x + self.dropout1(attn1, training=training))
        attn2, w2 = self.mha2(x, enc_output, enc_output, attention_mask=padding_mask)
        out2 = self.layernorm2(out1 + self.dropout2(attn2, training=training))
        out3 = self.layernorm3(out2 + self.dropout3(self.ffn(out2), training=training))
        return out3, w1, w2


class DecoderNoLookAhead(T.DecoderLayer):
    def call(self, x, enc_output, training=False, look_ahead_mask=None, padding_mask=None):
        return super().call(x, enc_output, training=training, look_ahead_mask=None,
                            padding_mask=padding_mask)


class DecoderMasksSwapped(T.DecoderLayer):
    def call(self, x, enc_output, training=False, look_ahead_mask=None, padding_mask=None):
        return super().call(x, enc_output, training=training, look_ahead_mask=padding_mask,
                            padding_mask=look_ahead_mask)


class DecoderKeysSwapped(T.DecoderLayer):
    def call(self, x, enc_output, training=False, look_ahead_mask=None, padding_mask=None):
        attn1, w1 = self.mha1(x, x, x, attention_mask=look_ahead_mask)
        out1 = self.layernorm1(x + self.dropout1(attn1, training=training))
        attn2, w2 = self.mha2(enc_output, out1, out1, attention_mask=padding_mask)
        out2 = self.layernorm2(out1 + self.dropout2(attn2, training=training))
        return out2, w1, w2


class DecoderNoResidual3(T.DecoderLayer):
    def call(self, x, enc_output, training=False, look_ahead_mask=None, padding_mask=None):
        attn1, w1 = self.mha1(x, x, x, attention_mask=look_ahead_mask)
        out1 = self.layernorm1(x + self.dropout1(attn1, training=training))
        attn2, w2 = self.mha2(out1, enc_output, enc_output, attention_mask=padding_mask)
        out2 = self.layernorm2(out1 + self.dropout2(attn2, training=training))
        out3 = self.layernorm3(self.dropout3(self.ffn(out2), training=training))
        return out3, w1, w2


class EncoderNoScale(T.Encoder):
    def call(self, x, training=False, padding_mask=None):
        seq_len = tf.shape(x)[1]
        x = self.embedding(x) + self.pos_encoding[:, :seq_len, :]
        x = self.dropout(x, training=training)
        for layer in self.enc_layers:
            x = layer(x, training=training, padding_mask=padding_mask)
        return x


class EncoderScaleAfter(T.Encoder):
    def call(self, x, training=False, padding_mask=None):
        seq_len = tf.shape(x)[1]
        x = (self.embedding(x) + self.pos_encoding[:, :seq_len, :]) * np.sqrt(8.0)
        for layer in self.enc_layers:
            x = layer(x, training=training, padding_mask=padding_mask)
        return x


class EncoderNoPositions(T.Encoder):
    def call(self, x, training=False, padding_mask=None):
        x = self.embedding(x) * np.sqrt(8.0)
        for layer in self.enc_layers:
            x = layer(x, training=training, padding_mask=padding_mask)
        return x


class EncoderFirstLayerOnly(T.Encoder):
    def call(self, x, training=False, padding_mask=None):
        seq_len = tf.shape(x)[1]
        x = self.embedding(x) * np.sqrt(8.0) + self.pos_encoding[:, :seq_len, :]
        return self.enc_layers[0](x, training=training, padding_mask=padding_mask)


class EncoderFullPositions(T.Encoder):
    def call(self, x, training=False, padding_mask=None):
        x = self.embedding(x) * np.sqrt(8.0) + self.pos_encoding
        for layer in self.enc_layers:
            x = layer(x, training=training, padding_mask=padding_mask)
        return x


class DecoderNoScale(T.Decoder):
    def call(self, x, enc_output, training=False, look_ahead_mask=None, padding_mask=None):
        seq_len = tf.shape(x)[1]
        x = self.embedding(x) + self.pos_encoding[:, :seq_len, :]
        weights = {}
        for i, layer in enumerate(self.dec_layers):
            x, b1, b2 = layer(x, enc_output, training=training, look_ahead_mask=look_ahead_mask,
                              padding_mask=padding_mask)
            weights[f"decoder_layer{i + 1}_block1_self_att"] = b1
            weights[f"decoder_layer{i + 1}_block2_decenc_att"] = b2
        return x, weights


class DecoderWrongKeys(T.Decoder):
    def call(self, x, enc_output, training=False, look_ahead_mask=None, padding_mask=None):
        x, weights = super().call(x, enc_output, training=training,
                                  look_ahead_mask=look_ahead_mask, padding_mask=padding_mask)
        return x, {k.replace("decoder_layer", "layer"): v for k, v in weights.items()}


class TransformerNoLookAhead(T.Transformer):
    def call(self, input_sentence, output_sentence, training=False, enc_padding_mask=None,
             look_ahead_mask=None, dec_padding_mask=None):
        return super().call(input_sentence, output_sentence, training=training,
                            enc_padding_mask=enc_padding_mask, look_ahead_mask=None,
                            dec_padding_mask=dec_padding_mask)


class TransformerNoPadding(T.Transformer):
    def call(self, input_sentence, output_sentence, training=False, enc_padding_mask=None,
             look_ahead_mask=None, dec_padding_mask=None):
        return super().call(input_sentence, output_sentence, training=training,
                            enc_padding_mask=None, look_ahead_mask=look_ahead_mask,
                            dec_padding_mask=None)


class TransformerNoDropout(T.Transformer):
    def call(self, input_sentence, output_sentence, training=False, enc_padding_mask=None,
             look_ahead_mask=None, dec_padding_mask=None):
        return super().call(input_sentence, output_sentence, training=False,
                            enc_padding_mask=enc_padding_mask, look_ahead_mask=look_ahead_mask,
                            dec_padding_mask=dec_padding_mask)


class TransformerExtraSoftmax(T.Transformer):
    def call(self, input_sentence, output_sentence, training=False, enc_padding_mask=None,
             look_ahead_mask=None, dec_padding_mask=None):
        out, weights = super().call(input_sentence, output_sentence, training=training,
                                    enc_padding_mask=enc_padding_mask,
                                    look_ahead_mask=look_ahead_mask,
                                    dec_padding_mask=dec_padding_mask)
        return tf.nn.softmax(out), weights


class MHAMaskAxisTwo(T.MultiHeadAttention):
    """The head axis of the mask inserted at position 2: right for a padding mask
    (batch, 1, seq), wrong for a look-ahead mask (1, n, n)."""

    def call(self, q, k, v, attention_mask=None):
        mask = None if attention_mask is None else attention_mask[:, :, tf.newaxis, :]
        batch_size = tf.shape(q)[0]
        q, k, v = (self.split_heads(w(t), batch_size) for w, t in
                   ((self.wq, q), (self.wk, k), (self.wv, v)))
        heads, weights = T.scaled_dot_product_attention(q, k, v, mask)
        concat = tf.reshape(tf.transpose(heads, perm=[0, 2, 1, 3]),
                            (batch_size, -1, self.embedding_dim))
        return self.dense(concat), weights


class EncoderDropoutAfterNorm(T.EncoderLayer):
    def call(self, x, training=False, padding_mask=None):
        attn, _ = self.mha(x, x, x, attention_mask=padding_mask)
        out1 = self.dropout1(self.layernorm1(x + attn), training=training)
        return self.dropout2(self.layernorm2(out1 + self.ffn(out1)), training=training)


class EncoderNoDropout2(T.EncoderLayer):
    def call(self, x, training=False, padding_mask=None):
        attn, _ = self.mha(x, x, x, attention_mask=padding_mask)
        out1 = self.layernorm1(x + self.dropout1(attn, training=training))
        return self.layernorm2(out1 + self.ffn(out1))


class DecoderNoDropout2(T.DecoderLayer):
    def call(self, x, enc_output, training=False, look_ahead_mask=None, padding_mask=None):
        attn1, w1 = self.mha1(x, x, x, attention_mask=look_ahead_mask)
        out1 = self.layernorm1(x + self.dropout1(attn1, training=training))
        attn2, w2 = self.mha2(out1, enc_output, enc_output, attention_mask=padding_mask)
        out2 = self.layernorm2(out1 + attn2)
        out3 = self.layernorm3(out2 + self.dropout3(self.ffn(out2), training=training))
        return out3, w1, w2


class DecoderDropoutAfterNorm(T.DecoderLayer):
    def call(self, x, enc_output, training=False, look_ahead_mask=None, padding_mask=None):
        attn1, w1 = self.mha1(x, x, x, attention_mask=look_ahead_mask)
        out1 = self.dropout1(self.layernorm1(x + attn1), training=training)
        attn2, w2 = self.mha2(out1, enc_output, enc_output, attention_mask=padding_mask)
        out2 = self.dropout2(self.layernorm2(out1 + attn2), training=training)
        out3 = self.dropout3(self.layernorm3(out2 + self.ffn(out2)), training=training)
        return out3, w1, w2


class EncoderNoEmbeddingDropout(T.Encoder):
    def call(self, x, training=False, padding_mask=None):
        seq_len = tf.shape(x)[1]
        x = self.embedding(x) * np.sqrt(8.0) + self.pos_encoding[:, :seq_len, :]
        for layer in self.enc_layers:
            x = layer(x, training=training, padding_mask=padding_mask)
        return x


class EncoderDropoutBeforePositions(T.Encoder):
    def call(self, x, training=False, padding_mask=None):
        seq_len = tf.shape(x)[1]
        x = self.dropout(self.embedding(x) * np.sqrt(8.0), training=training)
        x += self.pos_encoding[:, :seq_len, :]
        for layer in self.enc_layers:
            x = layer(x, training=training, padding_mask=padding_mask)
        return x


class DecoderNoEmbeddingDropout(T.Decoder):
    def call(self, x, enc_output, training=False, look_ahead_mask=None, padding_mask=None):
        seq_len = tf.shape(x)[1]
        x = self.embedding(x) * np.sqrt(8.0) + self.pos_encoding[:, :seq_len, :]
        weights = {}
        for i, layer in enumerate(self.dec_layers):
            x, b1, b2 = layer(x, enc_output, training=training, look_ahead_mask=look_ahead_mask,
                              padding_mask=padding_mask)
            weights[f"decoder_layer{i + 1}_block1_self_att"] = b1
            weights[f"decoder_layer{i + 1}_block2_decenc_att"] = b2
        return x, weights


class DecoderLayersInInference(T.Decoder):
    """Passes training=False to its layers: only the embedding dropout runs."""

    def call(self, x, enc_output, training=False, look_ahead_mask=None, padding_mask=None):
        seq_len = tf.shape(x)[1]
        x = self.embedding(x) * np.sqrt(8.0) + self.pos_encoding[:, :seq_len, :]
        x = self.dropout(x, training=training)
        weights = {}
        for i, layer in enumerate(self.dec_layers):
            x, b1, b2 = layer(x, enc_output, training=False, look_ahead_mask=look_ahead_mask,
                              padding_mask=padding_mask)
            weights[f"decoder_layer{i + 1}_block1_self_att"] = b1
            weights[f"decoder_layer{i + 1}_block2_decenc_att"] = b2
        return x, weights


class TransformerDefaultRateAndEps(T.Transformer):
    """Builds its encoder and decoder with the default dropout rate and epsilon."""

    def __init__(self, num_layers, embedding_dim, num_heads, fully_connected_dim,
                 input_vocab_size, target_vocab_size, max_positional_encoding_input,
                 max_positional_encoding_target, dropout_rate=0.1, layernorm_eps=1e-6,
                 **kwargs):
        super().__init__(num_layers, embedding_dim, num_heads, fully_connected_dim,
                         input_vocab_size, target_vocab_size, max_positional_encoding_input,
                         max_positional_encoding_target, **kwargs)


class TransformerDefaultEps(T.Transformer):
    def __init__(self, *args, dropout_rate=0.1, layernorm_eps=1e-6, **kwargs):
        super().__init__(*args, dropout_rate=dropout_rate, **kwargs)


class TransformerEncoderMaskToDecoder(T.Transformer):
    def call(self, input_sentence, output_sentence, training=False, enc_padding_mask=None,
             look_ahead_mask=None, dec_padding_mask=None):
        return super().call(input_sentence, output_sentence, training=training,
                            enc_padding_mask=enc_padding_mask, look_ahead_mask=look_ahead_mask,
                            dec_padding_mask=enc_padding_mask)


LAYER_MISTAKES = [
    ("MultiHeadAttention", MHANoTranspose, "transposing"),
    ("MultiHeadAttention", MHANoMask, "pass the mask on"),
    ("MultiHeadAttention", MHANoDense, "output projection"),
    ("MultiHeadAttention", MHAOnlyOutput, "(output, attention_weights)"),
    ("EncoderLayer", EncoderNoResidual1, "layernorm1(x + attention output)"),
    ("EncoderLayer", EncoderNoResidual2, "layernorm2(out1 + ffn output)"),
    ("EncoderLayer", EncoderNormsSwapped, "layernorm1 goes after the attention"),
    ("EncoderLayer", EncoderFfnOnX, "takes out1"),
    ("EncoderLayer", EncoderNoMask, "pass the mask"),
    ("EncoderLayer", EncoderNoDropout, "training=training"),
    ("EncoderLayer", EncoderReturnsPair, "layernorm2 only"),
    ("DecoderLayer", DecoderQueryX, "takes out1"),
    ("DecoderLayer", DecoderNoLookAhead, "look-ahead mask"),
    ("DecoderLayer", DecoderMasksSwapped, "padding_mask"),
    ("DecoderLayer", DecoderKeysSwapped, "query out1"),
    ("DecoderLayer", DecoderNoResidual3, "layernorm3"),
    ("Encoder", EncoderNoScale, "multiply the embeddings by sqrt"),
    ("Encoder", EncoderScaleAfter, "then add the positional"),
    ("Encoder", EncoderNoPositions, "add the positional encoding"),
    ("Encoder", EncoderFirstLayerOnly, "every layer of the list"),
    ("Encoder", EncoderFullPositions, "pos_encoding[:, :seq_len, :]"),
    ("Decoder", DecoderNoScale, "multiply the embeddings by sqrt"),
    ("Decoder", DecoderWrongKeys, "decoder_layer{i + 1}_block1_self_att"),
    ("Transformer", TransformerNoLookAhead, "look_ahead_mask"),
    ("Transformer", TransformerNoPadding, "padding_mask"),
    ("Transformer", TransformerNoDropout, "training=training"),
    ("Transformer", TransformerExtraSoftmax, "final_layer"),
    # the mask's head axis in the wrong place (only a (1, n, n) mask shows it)
    ("MultiHeadAttention", MHAMaskAxisTwo, "attention_mask[:, tf.newaxis, :, :]"),
    # dropout wiring, checked in training mode with deterministic stand-ins
    ("EncoderLayer", EncoderDropoutAfterNorm, "before the residual and the LayerNorm"),
    ("EncoderLayer", EncoderNoDropout2, "apply self.dropout2"),
    ("DecoderLayer", DecoderNoDropout2, "apply self.dropout2"),
    ("DecoderLayer", DecoderDropoutAfterNorm, "before the residual and the LayerNorm"),
    ("Encoder", EncoderNoEmbeddingDropout, "apply self.dropout(x, training=training)"),
    ("Encoder", EncoderDropoutBeforePositions, "after adding the positional"),
    ("Decoder", DecoderNoEmbeddingDropout, "apply self.dropout(x, training=training)"),
    ("Decoder", DecoderLayersInInference, "training=training"),
    # the Transformer hands its settings and masks on
    ("Transformer", TransformerDefaultRateAndEps, "pass dropout_rate and layernorm_eps"),
    ("Transformer", TransformerDefaultEps, "pass dropout_rate and layernorm_eps"),
    ("Transformer", TransformerEncoderMaskToDecoder, "takes dec_padding_mask"),
]


@pytest.mark.parametrize(("name", "wrong", "word"), LAYER_MISTAKES,
                         ids=[w.__name__ for _, w, _ in LAYER_MISTAKES])
def test_layer_mistake_is_caught(name, wrong, word):
    mistake_is_caught(check, name, wrong, word)


class EncoderTrainingFromContext(T.Encoder):
    """Calls its layers without training=...: Keras 3 hands the caller's training flag down
    to nested layers called without one, so dropout still runs in them."""

    def call(self, x, training=False, padding_mask=None):
        seq_len = tf.shape(x)[1]
        x = self.embedding(x) * np.sqrt(8.0) + self.pos_encoding[:, :seq_len, :]
        x = self.dropout(x, training=training)
        for layer in self.enc_layers:
            x = layer(x, padding_mask=padding_mask)
        return x


def test_training_flag_inherited_by_sublayers_is_accepted(capsys):
    """Not a mistake under Keras 3 (same output in training mode as passing it on)."""
    reference_passes(check, {"Encoder": EncoderTrainingFromContext}, "Encoder", capsys)


# ----------------------------------------------------------------------------------------
# verdicts


def test_live_training_verdicts():
    check.live_training({"loss": [2.0, 1.0, 0.5], "accuracy": [0.3, 0.6, 0.8]})
    with pytest.raises(AssertionError):
        check.live_training({"loss": [2.0, 2.1], "accuracy": [0.3, 0.3]})


def test_trained_model_verdicts():
    check.trained_model(0.99, {"en_US": 0.99, "fr_FR": 0.98})
    with pytest.raises(AssertionError):
        check.trained_model(0.99, {"en_US": 0.99, "fr_FR": 0.5})


# ----------------------------------------------------------------------------------------
# one source: the notebook's solution cells and utils.models.transformer agree


def notebook_namespace():
    """The notebook's graded cells and its FullyConnected helper, run from its own cells."""
    import keras
    from keras.layers import Dense, Dropout, Embedding, Layer, LayerNormalization

    from utils.tools import notebooks

    namespace = {"np": np, "tf": tf, "keras": keras, "Dense": Dense, "Dropout": Dropout,
                 "Embedding": Embedding, "Layer": Layer,
                 "LayerNormalization": LayerNormalization}
    for cell in notebooks.read(NOTEBOOK).cells:
        if cell.cell_type != "code":
            continue
        if notebooks.graded_name(cell) is not None or "def FullyConnected(" in cell.source:
            exec(compile(cell.source, NOTEBOOK.name, "exec"), namespace)
    return namespace


def test_notebook_solutions_match_the_library():
    ns = notebook_namespace()
    for name in ("get_angles", "positional_encoding", "create_padding_mask",
                 "create_look_ahead_mask"):
        assert name in ns, name
    pos, k = np.arange(7)[:, None], np.arange(10)[None, :]
    np.testing.assert_array_equal(ns["get_angles"](pos, k, 10), T.get_angles(pos, k, 10))
    np.testing.assert_array_equal(ns["positional_encoding"](9, 12), T.positional_encoding(9, 12))
    ids = np.array([[4, 0, 3], [0, 0, 1]])
    np.testing.assert_array_equal(ns["create_padding_mask"](ids), T.create_padding_mask(ids))
    np.testing.assert_array_equal(ns["create_look_ahead_mask"](5), T.create_look_ahead_mask(5))
    config = dict(num_layers=2, embedding_dim=16, num_heads=4, fully_connected_dim=24,
                  input_vocab_size=30, target_vocab_size=12, max_positional_encoding_input=20,
                  max_positional_encoding_target=10)
    x = np.random.default_rng(0).integers(1, 30, (3, 8))
    x[0, 6:] = 0
    y = np.random.default_rng(1).integers(0, 12, (3, 5))
    masks = dict(zip(("enc_padding_mask", "look_ahead_mask", "dec_padding_mask"),
                     T.masks_for(x, y), strict=True))
    library, notebook = T.Transformer(**config), ns["Transformer"](**config)
    library(x, y, training=False, **masks)
    notebook(x, y, training=False, **masks)
    assert [w.shape for w in library.get_weights()] == [w.shape for w in notebook.get_weights()]
    notebook.set_weights(library.get_weights())
    ours, our_weights = library(x, y, training=False, **masks)
    theirs, their_weights = notebook(x, y, training=False, **masks)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-6)
    assert sorted(our_weights) == sorted(their_weights)
