"""Running the encoder layers of a transformers TensorFlow BERT one by one.

The NER and question-answering notebooks (Course 5, week 4) fine-tune only the top layers of
all-MiniLM-L6-v2. The embeddings and the first layers never change, so their output for a
sentence is the same in every epoch: :func:`encode_frozen` computes it once, and the
task modules (:mod:`utils.models.ner`, :mod:`utils.models.qa`) train the remaining layers
on those cached features with :func:`run_layers`.

TensorFlow is imported inside the functions, so that a notebook can set
``TF_USE_LEGACY_KERAS=1`` before anything imports it.
"""

import numpy as np

FROZEN_LAYERS = 4  # of MiniLM's 6 encoder layers; the top 2 and the head are fine-tuned


def attention_bias(attention_mask):
    """BERT's additive attention mask: 0 where a token is attended, -10000 where it is
    padding, shaped ``(batch, 1, 1, length)`` to broadcast over heads and query positions."""
    import tensorflow as tf

    mask = tf.cast(attention_mask, tf.float32)
    return (1.0 - mask)[:, None, None, :] * -10000.0


def run_layers(layers, hidden, bias, training):
    """``hidden`` through the BERT encoder ``layers`` in turn, with the additive ``bias``."""
    for layer in layers:
        hidden = layer(hidden_states=hidden, attention_mask=bias, head_mask=None,
                       encoder_hidden_states=None, encoder_attention_mask=None,
                       past_key_value=None, output_attentions=False, training=training)[0]
    return hidden


def encode_frozen(model, input_ids, attention_mask, token_type_ids=None, n_layers=FROZEN_LAYERS,
                  batch_size=256):
    """The output of the embeddings and the first ``n_layers`` encoder layers of ``model``
    (a transformers TF BERT model, e.g. ``TFBertForTokenClassification``) in inference
    mode: float32 ``(m, length, hidden size)``. ``token_type_ids`` (0 on a first segment,
    1 on a second, as for a question and its context) default to 0 everywhere."""
    import tensorflow as tf

    bert = model.bert
    outputs = []
    for start in range(0, len(input_ids), batch_size):
        part = slice(start, start + batch_size)
        ids = tf.constant(input_ids[part])
        types = (tf.zeros_like(ids) if token_type_ids is None
                 else tf.constant(token_type_ids[part]))
        hidden = bert.embeddings(input_ids=ids, token_type_ids=types, training=False)
        bias = attention_bias(tf.constant(attention_mask[part]))
        hidden = run_layers(bert.encoder.layer[:n_layers], hidden, bias, False)
        outputs.append(hidden.numpy())
    return np.concatenate(outputs).astype(np.float32)
