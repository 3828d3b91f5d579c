"""Checks for Course 5, week 4: the Transformer from scratch.

Mask convention checked here: **1 = attend, 0 = block**, the convention of
``keras.layers.MultiHeadAttention``'s ``attention_mask``. Token id 0 is padding.

Oracles.

- ``get_angles`` and ``positional_encoding``: the formula written out element by element
  with Python loops (sin on even, cos on odd dimensions, the pair 2i, 2i+1 sharing one
  frequency).
- The masks: arrays written by hand.
- ``scaled_dot_product_attention``: a numpy softmax written here, on inputs where d_k and
  d_v differ, with and without masks. Known wrong versions (the mask's sign flipped,
  softmax over the query axis, no 1/sqrt(d_k), 1/d_k, 1/sqrt(d_v)) are computed too and
  named when the learner's output matches one.
- ``MultiHeadAttention``: **keras.layers.MultiHeadAttention with the same weights** (the
  learner's wq, wk, wv and dense kernels and biases reshaped into Keras's per-head layout),
  output and attention weights; wrong versions (heads split by a reshape without transpose,
  one head of full width, mask ignored, no output projection) are recomputed in numpy.
- ``EncoderLayer``, ``DecoderLayer``, ``Encoder``, ``Decoder``, ``Transformer``: the check
  overwrites every weight of the learner's layer with seeded values (LayerNorm scales away
  from 1, so the two norms of a block differ), then recomputes the layer independently:
  Keras ``MultiHeadAttention`` with the learner's attention weights, LayerNorm and the
  feed-forward network in numpy, the embedding scaled by sqrt(d) plus the hand-computed
  positional encoding. First in inference mode (``training=False``, dropout off). Then in
  training mode, with every Dropout sub-layer swapped for a deterministic stand-in that
  multiplies by its own constant (1.5, 1.75, ...) when training: the oracle applies the
  same constants where the dropouts belong (on each sub-layer's output before the residual
  and LayerNorm, on the embeddings plus positions), so a missing, misplaced or never
  trained dropout shows. For the Transformer, also: built with ``dropout_rate=0.3`` and
  ``layernorm_eps=1e-3``, every Dropout and LayerNorm must have them; its
  ``dec_padding_mask`` differs from ``enc_padding_mask``, so swapping them shows; and
  properties: changing a later target token leaves earlier outputs unchanged (the
  look-ahead mask works) and changing a padded input token changes nothing.
- ``MultiHeadAttention`` also gets a look-ahead mask (1, n, n), whose first axis is not the
  batch: the head axis must be inserted at position 1.

TensorFlow and Keras are imported inside the functions, so importing this module before
``utils.setup_notebook(tensorflow=True)`` does not import TensorFlow too early.
"""

import re

import numpy as np

from utils.checks.harness import Checker
from utils.checks.verdicts import Verdicts

# ----------------------------------------------------------------------------------------
# Bands for the notebook's training results.

# Live run: the notebook's Transformer (2+2 layers, width 64, 4 heads, 171,916 parameters)
# from a seeded start, 2 epochs of Adam (1e-3, batches of 64) on the first 4,000 training
# dates (utils.models.transformer.fit). Measured with global seeds 0-2 (initial weights and
# shuffling) natively (AVX-512, 1 TF thread), under the test profile (2 intra-op threads,
# AVX2) and under the second profile (SSE4.2, 1 thread; it gave the native numbers exactly),
# plus the notebook's own run (its layers are built after the checks, so from other draws):
# the loss fell in both epochs of every run; final loss 0.760-0.868, final character
# accuracy 0.680-0.720 (teacher forcing). Broken, seed 0: learning rate 1e-4 -> final loss
# 1.68, accuracy 0.463 (both outside); no look-ahead mask (the decoder sees the character it
# must predict) -> final loss 0.444, accuracy 0.860 (both outside, below and above).
LIVE_FINAL_LOSS_BAND = (0.5, 1.2)
LIVE_CHARACTER_ACCURACY_BAND = (0.6, 0.85)

# Committed weights (python -m utils.builders.date_transformer), greedy decoding of the
# held-out dates: deterministic up to float rounding.
EXACT_MATCH_FLOOR = 0.95
PER_LOCALE_FLOOR = 0.9


def _tf():
    import tensorflow as tf

    return tf


def _keras():
    import keras

    return keras


# ----------------------------------------------------------------------------------------
# small numpy oracles


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _attention(q, k, v, mask=None, scale=None, axis=-1, sign=1):
    """softmax(q k^T * scale + mask term) v, and the weights; ``sign=-1`` blocks where the
    mask is 1 (the wrong sign)."""
    scale = 1 / np.sqrt(k.shape[-1]) if scale is None else scale
    logits = q @ np.swapaxes(k, -1, -2) * scale
    if mask is not None:
        blocked = (mask == 0) if sign == 1 else (mask == 1)
        logits = logits + np.where(blocked, -1e9, 0.0)
    weights = _softmax(logits, axis=axis)
    return weights @ v, weights


def _layernorm(x, gamma, beta, eps):
    mean = x.mean(axis=-1, keepdims=True)
    variance = x.var(axis=-1, keepdims=True)
    return gamma * (x - mean) / np.sqrt(variance + eps) + beta


def angle_formula(positions, d):
    """(positions, d) angles pos / 10000^(2i/d), i = k // 2, written with loops."""
    angles = np.zeros((positions, d))
    for pos in range(positions):
        for k in range(d):
            i = k // 2
            angles[pos, k] = pos / 10000 ** (2 * i / d)
    return angles


def encoding_formula(positions, d):
    """The sinusoidal encoding (positions, d): sin on even dimensions, cos on odd ones."""
    angles = angle_formula(positions, d)
    encoding = np.zeros_like(angles)
    for k in range(d):
        encoding[:, k] = np.sin(angles[:, k]) if k % 2 == 0 else np.cos(angles[:, k])
    return encoding


def _numpy(check, what, value, shape, hint=None):
    """The learner's tensor as a numpy array of the expected shape."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        check.fail(f"type of {what}", type(value).__name__, "a tensor or numpy array",
                   hint=hint or "return a tensor (the result of TensorFlow/Keras operations).")
    check.that(f"shape of {what}", array.shape == tuple(shape), array.shape, tuple(shape),
               hint=hint)
    return array


def _tensor_pair(check, what, result, hint):
    check.that(f"type of what {what} returns", isinstance(result, (tuple, list))
               and len(result) == 2, type(result).__name__, "a pair (output, attention_weights)",
               hint=hint)
    return result


def _unwrapped(error):
    """A blank exercise's NotImplementedError as the exercise raised it: Keras adds the
    layer's name and arguments to the message of an error raised inside ``call``."""
    found = re.search(r"Exercise: write \w+", str(error))
    return NotImplementedError(found.group(0)) if found else error


def _call(check, fn, *args, hint, **kwargs):
    """Call the learner's function or layer; an error other than NotImplementedError becomes
    a CheckFailure with the hint."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError as error:
        raise _unwrapped(error) from None
    except Exception as error:  # a TensorFlow shape error is no ValueError: catch them all
        text = " ".join(str(error).split())[:300]
        check.fail(f"calling it raised {type(error).__name__}", text, "no error", hint=hint)


# ----------------------------------------------------------------------------------------
# positional encoding


def get_angles(fn):
    """Check get_angles(pos, k, d) against the formula, with the usual mistakes named."""
    check = Checker("get_angles")
    pos = np.arange(5)[:, np.newaxis]
    k = np.arange(6)[np.newaxis, :]
    got = check.call(fn, pos, k, 6)
    got = _numpy(check, "get_angles(pos (5, 1), k (1, 6), d=6)", got, (5, 6),
                 hint="broadcast pos (positions, 1) against k (1, d) into (positions, d).")
    expected = angle_formula(5, 6)
    check.close("get_angles(pos (5, 1), k (1, 6), d=6)", got, expected,
                hint="the angle is pos / 10000^(2i/d) with i = k // 2: dimensions 2i and 2i+1 "
                     "share one frequency.",
                mistakes=[(pos / 10000 ** (k / 6), "use 2 * (k // 2) in the exponent, not k: "
                                                   "the pair 2i, 2i+1 shares one frequency."),
                          (pos / 10000 ** (2 * k / 6), "i is k // 2 (integer division): the "
                                                       "exponent is 2 * (k // 2) / d."),
                          (pos * 10000 ** (2 * (k // 2) / 6), "divide pos by 10000^(2i/d), do "
                                                              "not multiply.")])
    got = check.call(fn, np.arange(3)[:, np.newaxis], np.arange(4)[np.newaxis, :], 4)
    got = _numpy(check, "get_angles(pos (3, 1), k (1, 4), d=4)", got, (3, 4))
    check.close("get_angles(pos (3, 1), k (1, 4), d=4)", got, angle_formula(3, 4),
                hint="use the argument d, not a fixed width.")
    check.done()


def positional_encoding(fn):
    """Check positional_encoding(positions, d): (1, positions, d) float32, sin/cos values."""
    tf = _tf()
    check = Checker("positional_encoding")
    got = check.call(fn, 6, 8)
    check.that("dtype of positional_encoding(6, 8)", getattr(got, "dtype", None) in
               (tf.float32, np.float32), getattr(got, "dtype", type(got).__name__), "float32",
               hint="finish with tf.cast(..., dtype=tf.float32).")
    got = _numpy(check, "positional_encoding(6, 8)", got, (1, 6, 8),
                 hint="add a batch axis in front: angle_rads[np.newaxis, ...] has shape "
                      "(1, positions, d).")
    expected = encoding_formula(6, 8)[np.newaxis]
    angles = angle_formula(6, 8)
    swapped = np.where(np.arange(8) % 2 == 0, np.cos(angles), np.sin(angles))[np.newaxis]
    halves = np.concatenate([np.sin(angles[:, 0::2]), np.cos(angles[:, 1::2])], axis=1)
    check.close("positional_encoding(6, 8)", got, expected, atol=1e-6,
                hint="sin on the even dimensions (0, 2, 4, ...), cos on the odd ones, each of "
                     "get_angles(...) for that dimension.",
                mistakes=[(swapped, "sin goes on the even dimensions (angle_rads[:, 0::2]) and "
                                    "cos on the odd ones (angle_rads[:, 1::2]), not the other "
                                    "way round."),
                          (halves[np.newaxis], "interleave: sin at dimensions 0, 2, 4, ... and "
                                               "cos at 1, 3, 5, ..., instead of two halves."),
                          (angles[np.newaxis], "apply np.sin and np.cos to the angles.")])
    got = _numpy(check, "positional_encoding(50, 16)", check.call(fn, 50, 16), (1, 50, 16))
    check.close("positional_encoding(50, 16)", got, encoding_formula(50, 16)[np.newaxis],
                atol=1e-5, hint="use the arguments positions and d throughout.")
    check.that("every value of positional_encoding(50, 16) in [-1, 1]",
               np.all(np.abs(got) <= 1 + 1e-6), float(np.abs(got).max()), "<= 1")
    check.done()


# ----------------------------------------------------------------------------------------
# masks


def create_padding_mask(fn):
    """Check create_padding_mask(token_ids): (batch, 1, seq_len), 1 = real token."""
    check = Checker("create_padding_mask")
    tokens = np.array([[7, 6, 0, 0, 1], [1, 2, 3, 0, 0], [0, 0, 0, 4, 5]])
    got = check.call(fn, tokens)
    got = _numpy(check, "create_padding_mask(tokens (3, 5))", got, (3, 1, 5),
                 hint="return (batch, 1, seq_len): add an axis with [:, tf.newaxis, :] so the "
                      "mask broadcasts over the query positions.")
    expected = (tokens != 0).astype(float)[:, np.newaxis, :]
    check.equal("create_padding_mask(tokens)", got, expected,
                hint="1.0 where the token is real (not 0), 0.0 where it is padding.",
                mistakes=[(1 - expected, "this notebook's convention is 1 = attend: real "
                                         "tokens get 1.0, padding (id 0) gets 0.0.")])
    check.done()


def create_look_ahead_mask(fn):
    """Check create_look_ahead_mask(n): (1, n, n) lower triangle of ones."""
    check = Checker("create_look_ahead_mask")
    got = check.call(fn, 4)
    got = _numpy(check, "create_look_ahead_mask(4)", got, (1, 4, 4),
                 hint="return (1, n, n): tf.ones((1, n, n)) before taking the band.")
    expected = np.tril(np.ones((4, 4)))[np.newaxis]
    check.equal("create_look_ahead_mask(4)", got, expected,
                hint="row i (a query position) has ones in columns 0..i: the positions it may "
                     "see. tf.linalg.band_part(ones, -1, 0) keeps the lower triangle.",
                mistakes=[(1 - expected, "this notebook's convention is 1 = attend: ones on "
                                         "and below the diagonal, zeros above."),
                          (np.triu(np.ones((4, 4)))[np.newaxis],
                           "keep the lower triangle (band_part(ones, -1, 0)): a query may see "
                           "earlier keys, not later ones.")])
    got = _numpy(check, "create_look_ahead_mask(1)", check.call(fn, 1), (1, 1, 1))
    check.equal("create_look_ahead_mask(1)", got, np.ones((1, 1, 1)))
    check.done()


# ----------------------------------------------------------------------------------------
# scaled dot-product attention


def _attention_inputs():
    rng = np.random.default_rng(7)
    q = rng.standard_normal((2, 3, 4)).astype(np.float32)
    k = rng.standard_normal((2, 5, 4)).astype(np.float32)
    v = rng.standard_normal((2, 5, 6)).astype(np.float32)
    return q, k, v


def scaled_dot_product_attention(fn):
    """Check scaled_dot_product_attention(q, k, v, mask) against a numpy softmax oracle."""
    check = Checker("scaled_dot_product_attention")
    q, k, v = _attention_inputs()
    padding = np.array([[[1, 1, 1, 0, 0]], [[1, 1, 1, 1, 0]]], dtype=np.float32)
    q_self = q[:, :3]
    k_self, v_self = k[:, :3] * 2, v[:, :3]
    look_ahead = np.tril(np.ones((3, 3), dtype=np.float32))[np.newaxis]
    cases = (("no mask", q, k, v, None),
             ("padding mask (2, 1, 5)", q, k, v, padding),
             ("look-ahead mask (1, 3, 3)", q_self, k_self, v_self, look_ahead))
    for label, qq, kk, vv, mask in cases:
        what = f"scaled_dot_product_attention ({label})"
        result = _tensor_pair(check, what, check.call(fn, qq, kk, vv, mask),
                              hint="return output, attention_weights")
        weights_shape = qq.shape[:-1] + (kk.shape[1],)
        output = _numpy(check, f"output, {label}", result[0], qq.shape[:-1] + (vv.shape[-1],),
                        hint="the output is attention_weights @ v: (..., seq_q, depth_v).")
        weights = _numpy(check, f"attention_weights, {label}", result[1], weights_shape,
                         hint="the weights are softmax(q k^T / sqrt(d_k)): (..., seq_q, "
                              "seq_k); use tf.matmul(q, k, transpose_b=True).")
        expected_output, expected_weights = _attention(qq, kk, vv, mask)
        mistakes = [
            (_attention(qq, kk, vv, mask, axis=-2)[1],
             "take the softmax over the last axis (the keys, axis=-1): each query's weights "
             "sum to 1."),
            (_attention(qq, kk, vv, mask, scale=1.0)[1],
             "divide the scores by sqrt(d_k), with d_k = k.shape[-1]."),
            (_attention(qq, kk, vv, mask, scale=1 / kk.shape[-1])[1],
             "divide by the square root of d_k, not by d_k."),
            (_attention(qq, kk, vv, mask, scale=1 / np.sqrt(vv.shape[-1]))[1],
             "d_k is the depth of the keys, k.shape[-1] (here different from v's depth)."),
        ]
        if mask is not None:
            mistakes.insert(0, (_attention(qq, kk, vv, mask, sign=-1)[1],
                                "the mask has the wrong sign: here 1 = attend, so add "
                                "(1 - mask) * -1e9 to the scaled scores (a large negative "
                                "number where the mask is 0)."))
            mistakes.append((_attention(qq, kk, vv, None)[1],
                             "the mask was not applied: add (1 - mask) * -1e9 to the scaled "
                             "scores before the softmax."))
        check.close(f"attention_weights, {label}", weights, expected_weights, atol=1e-5,
                    hint="weights = softmax(q k^T / sqrt(d_k) + (1 - mask) * -1e9) over the "
                         "last axis.",
                    mistakes=mistakes)
        check.close(f"output, {label}", output, expected_output, atol=1e-5,
                    hint="output = tf.matmul(attention_weights, v).")
    check.done()


# ----------------------------------------------------------------------------------------
# multi-head attention against keras.layers.MultiHeadAttention


def _seeded(layer, seed):
    """Overwrite every weight of a built layer with seeded values; returns nothing."""
    rng = np.random.default_rng(seed)
    for variable in layer.weights:
        shape = tuple(variable.shape)
        name = variable.path.rsplit("/", 1)[-1]
        if name == "gamma":
            value = rng.uniform(0.5, 1.5, shape)
        elif name in ("beta", "bias"):
            value = rng.uniform(-0.3, 0.3, shape)
        elif name == "embeddings":
            value = rng.standard_normal(shape) * 0.5
        else:
            value = rng.standard_normal(shape) / np.sqrt(shape[0])
        variable.assign(value.astype(np.float32))


def _dense(layer, check=None, where="a Dense layer"):
    if check is not None:
        check.that(f"{where} was used (built)", layer.built, "never called", "called",
                   hint="use every sub-layer created in __init__: in the Encoder and "
                        "Decoder, run x through every layer of the list in turn.")
    return np.asarray(layer.kernel, dtype=np.float64), np.asarray(layer.bias, dtype=np.float64)


def _mha_parts(check, mha, where):
    """(num_heads, [(kernel, bias) for wq, wk, wv, dense]) of the learner's attention layer."""
    names = ("wq", "wk", "wv", "dense")
    missing = [n for n in names if not hasattr(mha, n)] + ([] if hasattr(mha, "num_heads")
                                                             else ["num_heads"])
    check.that(f"attributes of {where}", not missing, f"missing {missing}",
               "wq, wk, wv, dense and num_heads",
               hint="keep the __init__ given in the notebook (it creates these).")
    return int(mha.num_heads), [_dense(getattr(mha, n), check, f"{where}.{n}") for n in names]


_KERAS_LAYERS = {}


def keras_mha(num_heads, parts):
    """keras.layers.MultiHeadAttention holding the weights ``parts`` (wq, wk, wv, dense
    kernels and biases of width d = num_heads * depth), built and ready (one layer per set
    of weights, kept for the next call with the same weights)."""
    key = (num_heads,) + tuple(a.tobytes() for pair in parts for a in pair)
    if key not in _KERAS_LAYERS:
        if len(_KERAS_LAYERS) > 32:
            _KERAS_LAYERS.clear()
        _KERAS_LAYERS[key] = _new_keras_mha(num_heads, parts)
    return _KERAS_LAYERS[key]


def _new_keras_mha(num_heads, parts):
    keras = _keras()
    (wq, bq), (wk, bk), (wv, bv), (wo, bo) = parts
    d_in, d = wq.shape
    depth = d // num_heads
    layer = keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=depth,
                                            output_shape=wo.shape[1])
    dummy = np.zeros((1, 1, d_in), dtype=np.float32)
    layer(dummy, dummy, dummy)
    for dense, kernel, bias in ((layer._query_dense, wq, bq), (layer._key_dense, wk, bk),
                                (layer._value_dense, wv, bv)):
        dense.kernel.assign(kernel.reshape(d_in, num_heads, depth).astype(np.float32))
        dense.bias.assign(bias.reshape(num_heads, depth).astype(np.float32))
    layer._output_dense.kernel.assign(wo.reshape(num_heads, depth, -1).astype(np.float32))
    layer._output_dense.bias.assign(bo.astype(np.float32))
    return layer


def keras_attention(num_heads, parts, q, k, v, mask):
    """Output and attention weights of Keras's MultiHeadAttention with these weights;
    ``mask`` (1 = attend) broadcast to (batch, seq_q, seq_k), or None."""
    layer = keras_mha(num_heads, parts)
    q, k, v = (np.asarray(a, dtype=np.float32) for a in (q, k, v))
    if mask is not None:
        mask = np.broadcast_to(np.asarray(mask) != 0, (q.shape[0], q.shape[1], k.shape[1]))
    output, weights = layer(q, v, k, attention_mask=mask, return_attention_scores=True)
    return np.asarray(output, dtype=np.float64), np.asarray(weights, dtype=np.float64)


def _mha_numpy(num_heads, parts, q, k, v, mask, variant=None):
    """Multi-head attention in numpy, right or as one of the named mistakes."""
    (wq, bq), (wk, bk), (wv, bv), (wo, bo) = parts
    Q, K, V = q @ wq + bq, k @ wk + bk, v @ wv + bv
    batch, d = Q.shape[0], Q.shape[-1]
    heads = 1 if variant == "one head" else num_heads
    depth = d // heads

    def split(X):
        if variant == "no transpose":
            return X.reshape(batch, heads, -1, depth)
        return X.reshape(batch, -1, heads, depth).transpose(0, 2, 1, 3)

    head_mask = None if (mask is None or variant == "no mask") else np.asarray(mask)[:, None]
    out, weights = _attention(split(Q), split(K), split(V), head_mask)
    concat = out.transpose(0, 2, 1, 3).reshape(batch, -1, d)
    if variant == "no dense":
        return concat, weights
    return concat @ wo + bo, weights


def _mha_inputs():
    rng = np.random.default_rng(11)
    q = rng.standard_normal((2, 3, 8)).astype(np.float32)
    kv = rng.standard_normal((2, 5, 8)).astype(np.float32)
    k = kv
    v = rng.standard_normal((2, 5, 8)).astype(np.float32)
    padding = np.array([[[1, 1, 1, 0, 0]], [[1, 1, 1, 1, 0]]], dtype=np.float32)
    return q, k, v, padding


def MultiHeadAttention(cls):
    """Check the MultiHeadAttention layer against keras.layers.MultiHeadAttention."""
    check = Checker("MultiHeadAttention")
    q, k, v, padding = _mha_inputs()
    hint = ("call(q, k, v, attention_mask=None) projects q, k and v with wq, wk, wv, splits "
            "the heads, calls scaled_dot_product_attention and returns (output, "
            "attention_weights).")
    layer = _call(check, cls, 8, 2, hint="keep the __init__ given in the notebook.")
    result = _tensor_pair(check, "the layer", _call(check, layer, q, k, v, attention_mask=padding,
                                                     hint=hint), hint=hint)
    num_heads, _ = _mha_parts(check, layer, "the layer")
    _seeded(layer, 12)
    _, parts = _mha_parts(check, layer, "the layer")
    # self-attention over 3 positions with a look-ahead mask (1, 3, 3): its first axis is
    # not the batch's, so a head axis inserted anywhere but at position 1 does not fit
    x_self = q
    look_ahead = np.tril(np.ones((3, 3), dtype=np.float32))[np.newaxis]
    mask_hint = ("give the mask an axis for the heads at position 1, attention_mask[:, "
                 "tf.newaxis, :, :]: a padding mask (batch, 1, seq_k) becomes (batch, 1, 1, "
                 "seq_k), a look-ahead mask (1, n, n) becomes (1, 1, n, n); both broadcast "
                 "over the heads.")
    for label, qq, kk, vv, mask in (("padding mask (2, 1, 5)", q, k, v, padding),
                                    ("no mask", q, k, v, None),
                                    ("self-attention, look-ahead mask (1, 3, 3)", x_self,
                                     x_self, x_self, look_ahead)):
        result = _tensor_pair(check, "the layer",
                              _call(check, layer, qq, kk, vv, attention_mask=mask,
                                    hint=hint if mask is not look_ahead else mask_hint),
                              hint=hint)
        output = _numpy(check, f"output ({label})", result[0], (2, 3, 8),
                        hint="concatenate the heads back to (batch, seq_q, embedding_dim) "
                             "before the final dense layer.")
        weights = _numpy(check, f"attention_weights ({label})", result[1],
                         (2, 2, 3, kk.shape[1]),
                         hint="split the heads to (batch, num_heads, seq, depth): reshape to "
                              "(batch, seq, num_heads, depth), then transpose [0, 2, 1, 3].")
        expected_output, expected_weights = keras_attention(num_heads, parts, qq, kk, vv, mask)
        mistakes = [(_mha_numpy(num_heads, parts, qq, kk, vv, mask, variant)[1], text) for
                    variant, text in (
                        ("no transpose", "split the heads by reshaping to (batch, seq, "
                                         "num_heads, depth) and then transposing to (batch, "
                                         "num_heads, seq, depth); a direct reshape mixes "
                                         "positions and heads."),
                        ("no mask", "pass the mask on to scaled_dot_product_attention, with "
                                    "an axis for the heads: attention_mask[:, tf.newaxis]."))
                    if not (variant == "no mask" and mask is None)]
        check.close(f"attention_weights ({label}) vs keras.layers.MultiHeadAttention with the "
                    "same weights", weights, expected_weights, atol=1e-5,
                    hint="project with wq, wk, wv, split the heads, then call "
                         "scaled_dot_product_attention(q, k, v, mask) per head.",
                    mistakes=mistakes)
        output_mistakes = [(_mha_numpy(num_heads, parts, qq, kk, vv, mask, "no dense")[0],
                            "apply the output projection self.dense to the concatenated "
                            "heads.")]
        check.close(f"output ({label}) vs keras.layers.MultiHeadAttention with the same "
                    "weights", output, expected_output, atol=1e-4,
                    hint="transpose the heads back to (batch, seq_q, num_heads, depth), "
                         "reshape to (batch, seq_q, embedding_dim), then self.dense.",
                    mistakes=output_mistakes)
    check.done()


# ----------------------------------------------------------------------------------------
# encoder and decoder layers against Keras MHA + LayerNorm + FFN


def _ffn_parts(check, ffn, where):
    layers = [layer for layer in getattr(ffn, "layers", []) if hasattr(layer, "kernel")]
    check.that(f"dense layers of {where}.ffn", len(layers) == 2, len(layers), 2,
               hint="keep the __init__ given in the notebook (ffn = FullyConnected(...)).")
    return [_dense(layer, check, f"{where}.ffn") for layer in layers]


def _ffn(x, parts):
    (w1, b1), (w2, b2) = parts
    return np.maximum(x @ w1 + b1, 0) @ w2 + b2


def _norm_parts(layer):
    return (np.asarray(layer.gamma, dtype=np.float64), np.asarray(layer.beta, dtype=np.float64),
            float(layer.epsilon))


def _encoder_layer_reference(check, layer, x, mask, where="the layer", with_mistakes=True,
                             training=False):
    """(right output, [(wrong output, hint)]) of an EncoderLayer with its current weights;
    ``training``: with the dropout stand-ins' factors (see _mark_dropouts)."""
    num_heads, parts = _mha_parts(check, layer.mha, f"{where}.mha")
    ffn = _ffn_parts(check, layer.ffn, where)
    ln1, ln2 = _norm_parts(layer.layernorm1), _norm_parts(layer.layernorm2)
    attention, _ = keras_attention(num_heads, parts, x, x, x, mask)
    drops = tuple(_factor(layer, name, training) for name in ("dropout1", "dropout2"))

    def block(attn, first=ln1, second=ln2, residual1=True, residual2=True, ffn_input=None,
              drop=drops, after_norm=False):
        d1, d2 = (1.0, 1.0) if after_norm else drop
        out1 = _layernorm(x + d1 * attn if residual1 else d1 * attn, *first)
        out1 = out1 * drop[0] if after_norm else out1
        hidden = d2 * _ffn(out1 if ffn_input is None else ffn_input, ffn)
        out2 = _layernorm(out1 + hidden if residual2 else hidden, *second)
        return out2 * drop[1] if after_norm else out2

    right = block(attention)
    if not with_mistakes:
        return right, []
    if training:
        return right, [
            (block(attention, drop=(1.0, drops[1])), "apply self.dropout1 to the attention "
                                                     "output, with training=training."),
            (block(attention, drop=(drops[0], 1.0)), "apply self.dropout2 to the output of the "
                                                     "feed-forward network, with "
                                                     "training=training."),
            (block(attention, after_norm=True), "dropout goes on a sub-layer's output before "
                                                "the residual and the LayerNorm: "
                                                "layernorm1(x + dropout1(attention output)).")]
    unmasked, _ = keras_attention(num_heads, parts, x, x, x, None)
    mistakes = [
        (block(attention, residual1=False), "add the input back before the first LayerNorm: "
                                            "layernorm1(x + attention output)."),
        (block(attention, residual2=False), "add out1 back before the second LayerNorm: "
                                            "layernorm2(out1 + ffn output)."),
        (block(attention, first=ln2, second=ln1), "layernorm1 goes after the attention, "
                                                  "layernorm2 after the feed-forward network."),
        (block(attention, ffn_input=x), "the feed-forward network takes out1 (the output of "
                                        "the first sub-layer), not x."),
        (block(unmasked), "pass the mask to self.mha(x, x, x, attention_mask=padding_mask)."),
    ]
    return right, mistakes


# Dropout in training mode: every Dropout sub-layer is swapped for a stand-in that scales
# its input by its own constant when training, so the output in training mode is
# deterministic and recomputed by the oracles with the same constants in the right places.

_DROPOUT_NAMES = {"EncoderLayer": ("dropout1", "dropout2"),
                  "DecoderLayer": ("dropout1", "dropout2", "dropout3"),
                  "Encoder": ("dropout",), "Decoder": ("dropout",)}


def _marked_dropout_class():
    keras = _keras()

    class MarkedDropout(keras.layers.Layer):
        """Stand-in for a Dropout: training -> inputs * factor, inference -> inputs."""

        def __init__(self, factor, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, inputs, training=None):
            return inputs * self.factor if training else inputs

    return MarkedDropout


def _sublayers(layer, kind, where):
    """(where, layer, kind) of ``layer`` and its encoder/decoder layers, outermost first."""
    found = [(where, layer, kind)]
    for attr, child_kind in (("enc_layers", "EncoderLayer"), ("dec_layers", "DecoderLayer")):
        for i, child in enumerate(getattr(layer, attr, []) or []):
            found.append((f"{where}.{attr}[{i}]", child, child_kind))
    return found


def _check_config(check, parts, rate, eps, hint):
    """Every Dropout of ``parts`` has rate ``rate`` and every LayerNormalization epsilon
    ``eps`` (the values given to the constructor)."""
    keras = _keras()
    for where, layer, kind in parts:
        for name in _DROPOUT_NAMES[kind]:
            sub = getattr(layer, name, None)
            check.that(f"{where}.{name} is a Dropout", isinstance(sub, keras.layers.Dropout),
                       type(sub).__name__, "Dropout", hint="keep the given __init__ methods.")
            check.that(f"rate of {where}.{name}", abs(float(sub.rate) - rate) < 1e-9,
                       float(sub.rate), rate, hint=hint)
        norms = {"EncoderLayer": 2, "DecoderLayer": 3}.get(kind, 0)
        for i in range(1, norms + 1):
            sub = getattr(layer, f"layernorm{i}", None)
            check.that(f"{where}.layernorm{i} is a LayerNormalization",
                       isinstance(sub, keras.layers.LayerNormalization), type(sub).__name__,
                       "LayerNormalization", hint="keep the given __init__ methods.")
            check.that(f"epsilon of {where}.layernorm{i}", abs(float(sub.epsilon) - eps)
                       < 1e-12, float(sub.epsilon), eps, hint=hint)


def _mark_dropouts(check, parts):
    """Swap every Dropout of ``parts`` for a stand-in with its own factor (1.5, 1.75, ...)."""
    keras = _keras()
    marked = _marked_dropout_class()
    factor = 1.5
    for where, layer, kind in parts:
        for name in _DROPOUT_NAMES[kind]:
            sub = getattr(layer, name, None)
            check.that(f"{where}.{name} is a Dropout", isinstance(sub, keras.layers.Dropout),
                       type(sub).__name__, "Dropout", hint="keep the given __init__ methods.")
            # plain setattr: Keras would track the stand-in as a new sub-layer of a built layer
            object.__setattr__(layer, name, marked(factor))
            factor += 0.25


def _factor(layer, name, training):
    """The stand-in's factor in training mode, 1 in inference mode."""
    return float(getattr(layer, name).factor) if training else 1.0


def _training_mode(check, parts, run, reference, inference, what, hint):
    """Swap the Dropouts of ``parts`` for stand-ins, run in training mode and compare with
    ``reference()`` -> (expected, mistakes) computed with the same factors; an output equal
    to the inference one means that dropout never ran."""
    _mark_dropouts(check, parts)
    got = run()
    got = np.asarray(got[0] if isinstance(got, (tuple, list)) else got, dtype=np.float64)
    expected, mistakes = reference()
    mistakes = [*mistakes, (inference, "dropout never ran: pass training=training to the "
                                       "dropout layers and to the sub-layers.")]
    check.close(f"{what} with training=True (each Dropout swapped for a layer scaling by its "
                "own constant) vs the reference with the same constants", got, expected,
                atol=1e-4, hint=hint, mistakes=mistakes)


def EncoderLayer(cls):
    """Check EncoderLayer.call(x, training, padding_mask) against Keras MHA + LayerNorm + FFN."""
    check = Checker("EncoderLayer")
    rng = np.random.default_rng(21)
    x = rng.standard_normal((2, 5, 8)).astype(np.float32)
    mask = np.array([[[1, 1, 1, 0, 0]], [[1, 1, 1, 1, 1]]], dtype=np.float32)
    hint = ("call(x, training=False, padding_mask=None): self-attention, dropout1, "
            "layernorm1(x + ...), ffn, dropout2, layernorm2(out1 + ...).")
    layer = _call(check, cls, 8, 2, 16, dropout_rate=0.5, layernorm_eps=1e-6,
                  hint="keep the __init__ given in the notebook.")
    _call(check, layer, x, training=False, padding_mask=mask, hint=hint)
    _seeded(layer, 22)
    got = _call(check, layer, x, training=False, padding_mask=mask, hint=hint)
    got = _numpy(check, "the output", got, (2, 5, 8),
                 hint="return the output of layernorm2 only, of the input's shape.")
    expected, mistakes = _encoder_layer_reference(check, layer, x, mask)
    check.close("output (inference, weights set by the check) vs Keras MultiHeadAttention + "
                "LayerNorm + FFN", got, expected, atol=1e-4, hint=hint, mistakes=mistakes)
    _training_mode(check, [("the layer", layer, "EncoderLayer")],
                   lambda: _call(check, layer, x, training=True, padding_mask=mask, hint=hint),
                   lambda: _encoder_layer_reference(check, layer, x, mask, training=True),
                   got, "the output",
                   hint="attention, self.dropout1(..., training=training), layernorm1(x + ...), "
                        "ffn, self.dropout2(..., training=training), layernorm2(out1 + ...).")
    check.done()


def _decoder_layer_reference(check, layer, x, enc_output, look_ahead, padding,
                             where="the layer", with_mistakes=True, training=False):
    """(out3, weights1, weights2, [(wrong out3, hint)]) of a DecoderLayer; ``training``:
    with the dropout stand-ins' factors (see _mark_dropouts)."""
    heads1, parts1 = _mha_parts(check, layer.mha1, f"{where}.mha1")
    heads2, parts2 = _mha_parts(check, layer.mha2, f"{where}.mha2")
    ffn = _ffn_parts(check, layer.ffn, where)
    ln = [_norm_parts(getattr(layer, f"layernorm{i}")) for i in (1, 2, 3)]
    drops = tuple(_factor(layer, f"dropout{i}", training) for i in (1, 2, 3))

    def run(self_mask=look_ahead, cross_query=None, res=(True, True, True), norms=(0, 1, 2),
            drop=drops, after_norm=False):
        inside = (1.0, 1.0, 1.0) if after_norm else drop
        after = drop if after_norm else (1.0, 1.0, 1.0)
        attn1, w1 = keras_attention(heads1, parts1, x, x, x, self_mask)
        attn1 = inside[0] * attn1
        out1 = after[0] * _layernorm(x + attn1 if res[0] else attn1, *ln[norms[0]])
        query = out1 if cross_query is None else cross_query
        attn2, w2 = keras_attention(heads2, parts2, query, enc_output, enc_output, padding)
        attn2 = inside[1] * attn2
        out2 = after[1] * _layernorm(out1 + attn2 if res[1] else attn2, *ln[norms[1]])
        hidden = inside[2] * _ffn(out2, ffn)
        out3 = after[2] * _layernorm(out2 + hidden if res[2] else hidden, *ln[norms[2]])
        return out3, w1, w2

    right = run()
    if not with_mistakes:
        return right + ([],)
    if training:
        mistakes = [(run(drop=tuple(1.0 if j == i else f for j, f in enumerate(drops)))[0],
                     f"apply self.dropout{i + 1} to the output of {part}, with "
                     "training=training.")
                    for i, part in enumerate(("the first attention", "the second attention",
                                              "the feed-forward network"))]
        mistakes.append((run(after_norm=True)[0],
                         "dropout goes on a sub-layer's output before the residual and the "
                         "LayerNorm: layernorm1(x + dropout1(attention output))."))
        return right + (mistakes,)
    mistakes = [
        (run(cross_query=x)[0], "the second attention takes out1 (the output of the first "
                                "block) as its query, not x."),
        (run(self_mask=None)[0], "the first (self-)attention needs the look-ahead mask."),
        (run(res=(False, True, True))[0], "add x back before layernorm1."),
        (run(res=(True, False, True))[0], "add out1 back before layernorm2."),
        (run(res=(True, True, False))[0], "add out2 back before layernorm3."),
        (run(norms=(2, 1, 0))[0], "layernorm1, layernorm2 and layernorm3 go after the first "
                                  "attention, the second attention and the FFN, in order."),
    ]
    return right + (mistakes,)


def _decoder_inputs():
    rng = np.random.default_rng(31)
    x = rng.standard_normal((2, 4, 8)).astype(np.float32)
    enc_output = rng.standard_normal((2, 5, 8)).astype(np.float32)
    look_ahead = np.tril(np.ones((4, 4), dtype=np.float32))[np.newaxis]
    padding = np.array([[[1, 1, 1, 0, 0]], [[1, 1, 1, 1, 0]]], dtype=np.float32)
    return x, enc_output, look_ahead, padding


def DecoderLayer(cls):
    """Check DecoderLayer.call(x, enc_output, training, look_ahead_mask, padding_mask)."""
    check = Checker("DecoderLayer")
    x, enc_output, look_ahead, padding = _decoder_inputs()
    hint = ("call(x, enc_output, training=False, look_ahead_mask=None, padding_mask=None) "
            "returns (out3, attn_weights_block1, attn_weights_block2).")
    layer = _call(check, cls, 8, 2, 16, dropout_rate=0.5, layernorm_eps=1e-6,
                  hint="keep the __init__ given in the notebook.")

    def run(training=False):
        return _call(check, layer, x, enc_output, training=training, look_ahead_mask=look_ahead,
                     padding_mask=padding,
                     hint=hint + " The first attention uses look_ahead_mask, the second "
                                 "(query out1, keys and values enc_output) padding_mask.")

    run()
    _seeded(layer, 32)
    result = run()
    check.that("type of what the layer returns", isinstance(result, (tuple, list))
               and len(result) == 3, type(result).__name__, "a tuple of 3", hint=hint)
    out3 = _numpy(check, "out3", result[0], (2, 4, 8),
                  hint="out3 has the shape of x: the second attention's query is out1.")
    weights1 = _numpy(check, "attn_weights_block1", result[1], (2, 2, 4, 4),
                      hint="block 1 is self-attention over the target: (batch, heads, 4, 4).")
    weights2 = _numpy(check, "attn_weights_block2", result[2], (2, 2, 4, 5),
                      hint="block 2 attends from the target (query out1) to the encoder "
                           "output (keys and values): (batch, heads, 4, 5).")
    expected, expected1, expected2, mistakes = _decoder_layer_reference(
        check, layer, x, enc_output, look_ahead, padding)
    check.close("out3 (inference, weights set by the check) vs Keras MultiHeadAttention + "
                "LayerNorm + FFN", out3, expected, atol=1e-4, hint=hint, mistakes=mistakes)
    check.close("attn_weights_block1 vs Keras MultiHeadAttention", weights1, expected1,
                atol=1e-5, hint="self.mha1(x, x, x, attention_mask=look_ahead_mask).")
    check.close("attn_weights_block2 vs Keras MultiHeadAttention", weights2, expected2,
                atol=1e-5, hint="self.mha2(out1, enc_output, enc_output, "
                                "attention_mask=padding_mask).")
    _training_mode(check, [("the layer", layer, "DecoderLayer")],
                   lambda: run(training=True),
                   lambda: _decoder_layer_reference(check, layer, x, enc_output, look_ahead,
                                                    padding, training=True)[::3],
                   out3, "out3",
                   hint="self.dropout1, self.dropout2 and self.dropout3 (each with "
                        "training=training) on the outputs of the two attentions and the FFN, "
                        "before each residual and LayerNorm.")
    check.done()


# ----------------------------------------------------------------------------------------
# encoder, decoder and the whole model


def _embedded(check, layer, tokens, d, where):
    embeddings = np.asarray(layer.embedding.embeddings, dtype=np.float64)
    seq_len = tokens.shape[1]
    encoding = encoding_formula(seq_len, d)
    scaled = embeddings[tokens] * np.sqrt(d)
    right = scaled + encoding
    mistakes = [(embeddings[tokens] + encoding, "multiply the embeddings by sqrt(embedding_dim) "
                                                "before adding the positional encoding."),
                ((embeddings[tokens] + encoding) * np.sqrt(d),
                 "scale the embeddings by sqrt(embedding_dim) first, then add the positional "
                 "encoding (unscaled)."),
                (scaled, "add the positional encoding, self.pos_encoding[:, :seq_len, :].")]
    return right, mistakes


def _dropped_embedding(layer, tokens, d):
    """Training mode: [(embedding input to the first layer, hint)], right one first: the
    stand-in's factor on embedding * sqrt(d) + positions, missing, or before the positions."""
    embeddings = np.asarray(layer.embedding.embeddings, dtype=np.float64)
    scaled = embeddings[tokens] * np.sqrt(d)
    encoding = encoding_formula(tokens.shape[1], d)
    factor = _factor(layer, "dropout", True)
    return [((scaled + encoding) * factor, None),
            (scaled + encoding, "apply self.dropout(x, training=training) to the embeddings "
                                "(scaled, plus the positional encoding) before the layers."),
            (scaled * factor + encoding, "apply self.dropout after adding the positional "
                                         "encoding, to the sum.")]


def _encoder_reference(check, layer, tokens, mask, d, training=False):
    layers = list(layer.enc_layers)

    def through(y, checker=None):
        for i, sub in enumerate(layers):
            y = _encoder_layer_reference(checker or Checker("scratch"), sub, y, mask,
                                         where=f"enc_layers[{i}]", with_mistakes=False,
                                         training=training)[0]
        return y

    if training:
        (right, _), *wrong = _dropped_embedding(layer, tokens, d)
        return through(right, check), [(through(y), text) for y, text in wrong]
    x, first = _embedded(check, layer, tokens, d, "the encoder")
    only_first = _encoder_layer_reference(Checker("scratch"), layers[0], x, mask,
                                          with_mistakes=False)[0]
    x = through(x, check)
    mistakes = [(through(wrong), text) for wrong, text in first]
    if len(layers) > 1:
        mistakes.append((only_first, "run x through every layer of self.enc_layers in turn, "
                                     "feeding each layer's output to the next."))
    return x, mistakes


def _encoder_inputs():
    tokens = np.array([[3, 7, 1, 0, 0], [5, 2, 9, 11, 4]])
    mask = (tokens != 0).astype(np.float32)[:, np.newaxis, :]
    return tokens, mask


def Encoder(cls):
    """Check Encoder.call(x, training, padding_mask): embedding, positions, layers."""
    check = Checker("Encoder")
    tokens, mask = _encoder_inputs()
    hint = ("call(x, training=False, padding_mask=None): embedding, * sqrt(embedding_dim), "
            "+ pos_encoding[:, :seq_len, :], dropout, then every EncoderLayer.")
    layer = _call(check, cls, 2, 8, 2, 16, 20, 12, dropout_rate=0.5, layernorm_eps=1e-6,
                  hint="keep the __init__ given in the notebook.")
    _call(check, layer, tokens, training=False, padding_mask=mask, hint=hint)
    check.that("number of encoder layers", len(getattr(layer, "enc_layers", [])) == 2,
               len(getattr(layer, "enc_layers", [])), 2,
               hint="keep the __init__ given in the notebook.")
    _seeded(layer, 42)
    got = _call(check, layer, tokens, training=False, padding_mask=mask, hint=hint)
    got = _numpy(check, "the output", got, (2, 5, 8),
                 hint="the output is (batch, seq_len, embedding_dim); slice the positional "
                      "encoding to the input's length, pos_encoding[:, :seq_len, :].")
    expected, mistakes = _encoder_reference(check, layer, tokens, mask, 8)
    check.close("output (inference, weights set by the check) vs embedding * sqrt(d) + "
                "positional encoding through Keras MultiHeadAttention + LayerNorm + FFN",
                got, expected, atol=1e-4, hint=hint, mistakes=mistakes)
    _training_mode(check, _sublayers(layer, "Encoder", "the encoder"),
                   lambda: _call(check, layer, tokens, training=True, padding_mask=mask,
                                 hint=hint),
                   lambda: _encoder_reference(check, layer, tokens, mask, 8, training=True),
                   got, "the output",
                   hint="x = self.dropout(x, training=training) after adding the positional "
                        "encoding, then layer(x, training=training, padding_mask=padding_mask) "
                        "for every layer.")
    check.done()


def _decoder_reference(check, layer, tokens, enc_output, look_ahead, padding, d,
                       training=False):
    layers = list(layer.dec_layers)

    def through(y, checker=None):
        weights = {}
        for i, sub in enumerate(layers):
            y, w1, w2, _ = _decoder_layer_reference(
                checker or Checker("scratch"), sub, y, enc_output, look_ahead, padding,
                where=f"dec_layers[{i}]", with_mistakes=False, training=training)
            weights[f"decoder_layer{i + 1}_block1_self_att"] = w1
            weights[f"decoder_layer{i + 1}_block2_decenc_att"] = w2
        return y, weights

    if training:
        (right, _), *wrong = _dropped_embedding(layer, tokens, d)
        first = wrong
    else:
        right, first = _embedded(check, layer, tokens, d, "the decoder")
    x, weights = through(right, check)
    mistakes = [(through(wrong)[0], text) for wrong, text in first]
    return x, weights, mistakes


def _check_weights_dict(check, got, expected, what):
    check.keys(what, got, list(expected),
               hint="store each layer's two attention weights under "
                    "f'decoder_layer{i + 1}_block1_self_att' and "
                    "f'decoder_layer{i + 1}_block2_decenc_att' (i from 0).")
    for key, value in expected.items():
        got_value = _numpy(check, f"{what}[{key!r}]", got[key], value.shape)
        check.close(f"{what}[{key!r}] vs Keras MultiHeadAttention", got_value, value,
                    atol=1e-4, hint="block1 is the layer's first (masked self-) attention, "
                                    "block2 its attention over the encoder output.")


def Decoder(cls):
    """Check Decoder.call(x, enc_output, training, look_ahead_mask, padding_mask)."""
    check = Checker("Decoder")
    _, enc_output, look_ahead, padding = _decoder_inputs()
    tokens = np.array([[11, 3, 4, 0], [11, 9, 1, 2]])
    hint = ("call(x, enc_output, training=False, look_ahead_mask=None, padding_mask=None): "
            "embedding, * sqrt(embedding_dim), + pos_encoding[:, :seq_len, :], dropout, "
            "every DecoderLayer; returns (x, attention_weights).")
    layer = _call(check, cls, 2, 8, 2, 16, 12, 10, dropout_rate=0.5, layernorm_eps=1e-6,
                  hint="keep the __init__ given in the notebook.")

    def run(training=False):
        return _call(check, layer, tokens, enc_output, training=training,
                     look_ahead_mask=look_ahead, padding_mask=padding, hint=hint)

    run()
    _seeded(layer, 52)
    result = run()
    check.that("type of what the decoder returns", isinstance(result, (tuple, list))
               and len(result) == 2, type(result).__name__, "a pair (x, attention_weights)",
               hint=hint)
    got = _numpy(check, "x", result[0], (2, 4, 8))
    expected, weights, mistakes = _decoder_reference(check, layer, tokens, enc_output,
                                                     look_ahead, padding, 8)
    check.close("x (inference, weights set by the check) vs embedding * sqrt(d) + positional "
                "encoding through Keras MultiHeadAttention + LayerNorm + FFN", got, expected,
                atol=1e-4, hint=hint, mistakes=mistakes)
    _check_weights_dict(check, result[1], weights, "attention_weights")
    _training_mode(check, _sublayers(layer, "Decoder", "the decoder"),
                   lambda: run(training=True),
                   lambda: _decoder_reference(check, layer, tokens, enc_output, look_ahead,
                                              padding, 8, training=True)[::2],
                   got, "x",
                   hint="x = self.dropout(x, training=training) after adding the positional "
                        "encoding, then every layer with training=training and both masks.")
    check.done()


def Transformer(cls):
    """Check the Transformer against the reference and the masking properties."""
    check = Checker("Transformer")
    tokens, enc_mask = _encoder_inputs()
    target = np.array([[11, 3, 4, 5], [11, 9, 1, 2]])
    look_ahead = np.tril(np.ones((4, 4), dtype=np.float32))[np.newaxis]
    hint = ("call(input_sentence, output_sentence, training=False, enc_padding_mask=None, "
            "look_ahead_mask=None, dec_padding_mask=None): encoder, decoder, final_layer; "
            "returns (final_output, attention_weights).")
    # a decoder padding mask that differs from the encoder's (it blocks one more input
    # token), so that swapping the two masks shows
    dec_mask = enc_mask.copy()
    dec_mask[:, 0, 2] = 0
    # rate and epsilon away from the defaults: the model must hand them on to its parts
    model = _call(check, cls, 2, 8, 2, 16, 20, 12, 12, 10, dropout_rate=0.3,
                  layernorm_eps=1e-3, hint="keep the __init__ given in the notebook.")

    def run(inputs=tokens, outputs=target, training=False):
        return _call(check, model, inputs, outputs, training=training,
                     enc_padding_mask=enc_mask, look_ahead_mask=look_ahead,
                     dec_padding_mask=dec_mask, hint=hint)

    run()
    missing = [n for n in ("encoder", "decoder", "final_layer") if not hasattr(model, n)]
    check.that("attributes of the model", not missing, f"missing {missing}",
               "encoder, decoder and final_layer",
               hint="create self.encoder, self.decoder and self.final_layer in __init__.")
    parts = (_sublayers(model.encoder, "Encoder", "model.encoder")
             + _sublayers(model.decoder, "Decoder", "model.decoder"))
    _check_config(check, parts, 0.3, 1e-3,
                  hint="pass dropout_rate and layernorm_eps on to Encoder(...) and "
                       "Decoder(...) (Transformer(..., dropout_rate=0.3, layernorm_eps=1e-3) "
                       "here).")
    _seeded(model, 62)
    result = run()
    check.that("type of what the model returns", isinstance(result, (tuple, list))
               and len(result) == 2, type(result).__name__,
               "a pair (final_output, attention_weights)", hint=hint)
    got = _numpy(check, "final_output", result[0], (2, 4, 12),
                 hint="final_output is (batch, target length, target_vocab_size).")
    check.close("row sums of final_output", got.sum(axis=-1), np.ones((2, 4)), atol=1e-4,
                hint="final_layer is a Dense with a softmax: use its output as it is.")
    w, b = _dense(model.final_layer)

    def reference(encoder_mask, decoder_mask, checker):
        enc_output, _ = _encoder_reference(checker, model.encoder, tokens, encoder_mask, 8)
        dec_output, weights, _ = _decoder_reference(checker, model.decoder, target, enc_output,
                                                    look_ahead, decoder_mask, 8)
        return _softmax(dec_output @ w + b), weights

    expected, weights = reference(enc_mask, dec_mask, check)
    mistakes = [(reference(enc_mask, enc_mask, Checker("scratch"))[0],
                 "the decoder's attention over the encoder output takes dec_padding_mask "
                 "(here it differs from enc_padding_mask)."),
                (reference(dec_mask, dec_mask, Checker("scratch"))[0],
                 "the encoder takes enc_padding_mask, not dec_padding_mask.")]
    check.close("final_output (inference, weights set by the check) vs the reference",
                got, expected, atol=1e-4, mistakes=mistakes,
                hint="encoder(input_sentence, training=..., padding_mask=enc_padding_mask), "
                     "then decoder(output_sentence, enc_output, training=..., "
                     "look_ahead_mask=look_ahead_mask, padding_mask=dec_padding_mask), then "
                     "final_layer.")
    _check_weights_dict(check, result[1], weights, "attention_weights")
    changed = target.copy()
    changed[:, 3] = [7, 8]
    later = _numpy(check, "final_output", run(outputs=changed)[0], (2, 4, 12))
    check.that("outputs at positions 0-2 after changing the target token at position 3",
               np.allclose(later[:, :3], got[:, :3], atol=1e-5), "changed", "unchanged",
               hint="the decoder's self-attention must get look_ahead_mask, so that a "
                    "position cannot see later ones.")
    check.that("output at position 3 after changing the target token there",
               not np.allclose(later[:, 3], got[:, 3], atol=1e-5), "unchanged", "changed")
    padded = tokens.copy()
    padded[0, 3:] = [13, 17]
    same = _numpy(check, "final_output", _call(
        check, model, padded, target, training=False, enc_padding_mask=enc_mask,
        look_ahead_mask=look_ahead, dec_padding_mask=dec_mask, hint=hint)[0], (2, 4, 12))
    check.that("outputs after changing input tokens at masked (padding) positions",
               np.allclose(same, got, atol=1e-5), "changed", "unchanged",
               hint="pass enc_padding_mask to the encoder and dec_padding_mask to the decoder.")
    def training_reference():
        enc, _ = _encoder_reference(check, model.encoder, tokens, enc_mask, 8, training=True)
        dec, _, _ = _decoder_reference(check, model.decoder, target, enc, look_ahead, dec_mask,
                                       8, training=True)
        return _softmax(dec @ w + b), []

    _training_mode(check, parts, lambda: run(training=True), training_reference, got,
                   "final_output", hint="pass training=training to the encoder and the "
                                        "decoder.")
    check.done()


# ----------------------------------------------------------------------------------------
# verdicts on results of training


def live_training(history):
    """Verdicts on the live run: ``history`` has per-epoch ``loss`` and ``accuracy``."""
    loss = [float(v) for v in history["loss"]]
    accuracy = float(history["accuracy"][-1])
    verdict = Verdicts(f"date Transformer, {len(loss)} epochs live")
    verdict.that("the training loss falls every epoch", all(np.diff(loss) < 0),
                 "losses " + ", ".join(f"{v:.4g}" for v in loss),
                 hint="check the masks passed in the training step and the learning rate.")
    verdict.within("final training loss", loss[-1], *LIVE_FINAL_LOSS_BAND,
                   hint="far above: check the layers (residuals, masks) and the learning "
                        "rate.")
    verdict.within("final character accuracy (teacher forcing)", accuracy,
                   *LIVE_CHARACTER_ACCURACY_BAND,
                   hint="far below: check the layers and the learning rate.")
    verdict.done()


def trained_model(exact_match, per_locale):
    """Verdicts on the committed weights: held-out exact match overall and per locale."""
    verdict = Verdicts("committed weights")
    verdict.above("held-out exact match", exact_match, EXACT_MATCH_FLOOR,
                  hint="were the weights loaded into Transformer(**config) built from your "
                       "layers? Layers that create their sub-layers in another order get the "
                       "weights mixed up: keep the given __init__ methods.")
    worst = min(per_locale, key=per_locale.get)
    verdict.above(f"held-out exact match in each of the {len(per_locale)} locales",
                  per_locale[worst], PER_LOCALE_FLOOR,
                  hint=f"lowest in {worst}: is every locale's text encoded with dates.encode?")
    verdict.done()
