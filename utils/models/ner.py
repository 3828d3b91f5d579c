"""Fine-tuning the top of a pretrained BERT tagger on cached features of its frozen bottom.

The NER notebook (Course 5, week 4) and its builder ``python -m utils.builders.ner_tagger``
fine-tune only the last ``6 - FROZEN_LAYERS`` encoder layers of all-MiniLM-L6-v2 and the
token-classification head of transformers' ``TFBertForTokenClassification``. The embeddings
and the first ``FROZEN_LAYERS`` layers never change, so their output for a sentence is the
same in every epoch: :func:`encode_frozen` (from :mod:`utils.models.bert_layers`)
computes it once, and :func:`upper_tagger` wraps
the remaining layers and the head (the *same* layer objects as in the full model, so the
full model tags new sentences with whatever the upper part has learned) in a Keras 2 model
that trains on those cached features. Training then costs a third of a full pass.

Everything here takes models and arrays: no file I/O (the weights are read by
``utils.data.ner_tagger_weights``). TensorFlow is imported inside the functions, so that the
notebook can set ``TF_USE_LEGACY_KERAS=1`` before anything imports it.
"""

import numpy as np

from utils.models.bert_layers import FROZEN_LAYERS, attention_bias, run_layers
from utils.models.bert_layers import encode_frozen as encode_frozen  # used with this module

MAX_LENGTH = 32  # sub-word tokens per sentence, [CLS] and [SEP] included
IGNORE = -100  # label of tokens the loss skips (special tokens, padding, later sub-words)


def upper_tagger(model, n_frozen=FROZEN_LAYERS, train_layers=True):
    """A Keras 2 model ``[hidden, attention_mask] -> logits`` made of ``model``'s encoder
    layers after the first ``n_frozen``, its dropout and its classifier.

    The layers are shared with ``model``: training this one changes ``model`` too. With
    ``train_layers=False`` only the classifier is trainable (a head on frozen features).
    """
    import tf_keras

    blocks = list(model.bert.encoder.layer[n_frozen:])
    for block in blocks:
        block.trainable = train_layers

    class UpperTagger(tf_keras.Model):
        def __init__(self):
            super().__init__(name="upper_tagger")
            self.blocks = blocks
            self.dropout = model.dropout
            self.classifier = model.classifier

        def call(self, inputs, training=False):
            hidden, mask = inputs
            hidden = run_layers(self.blocks, hidden, attention_bias(mask), training)
            return self.classifier(self.dropout(hidden, training=training))

    return UpperTagger()


def token_loss(labels, logits):
    """Mean cross-entropy over the tokens whose label is not ``IGNORE`` (-100)."""
    import tensorflow as tf

    labels = tf.cast(labels, tf.int32)
    active = tf.not_equal(labels, IGNORE)
    safe = tf.where(active, labels, tf.zeros_like(labels))
    losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=safe, logits=logits)
    weights = tf.cast(active, losses.dtype)
    return tf.reduce_sum(losses * weights) / tf.maximum(tf.reduce_sum(weights), 1.0)


def word_tags(logits, word_ids, id_to_label):
    """Tags of the words of one sentence from its token logits ``(length, labels)``: each
    word takes the most likely label of its *first* sub-word token (the one that carried the
    word's label in training); ``word_ids`` is the tokenizer's ``word_ids(i)`` list."""
    tags = []
    for position, word in enumerate(word_ids):
        if word is not None and word == len(tags):
            tags.append(id_to_label[int(np.argmax(logits[position]))])
    return tags
