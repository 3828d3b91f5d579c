"""An extractive question-answering reader: a pretrained BERT whose top is fine-tuned.

The question-answering notebook (Course 5, week 4), its builder ``python -m
utils.builders.qa_reader`` and the chatbot notebook use transformers'
``TFBertForQuestionAnswering`` holding all-MiniLM-L6-v2: one dense layer (``qa_outputs``)
turns every output vector into a *start* and an *end* score, and the answer is the span of
the context between the best start and end tokens.

All six encoder layers and ``qa_outputs`` are fine-tuned (``READER_FROZEN_LAYERS`` = 0:
only the embeddings stay frozen). The frozen part never changes, so :func:`encode_frozen`
(called with ``n_layers=READER_FROZEN_LAYERS``) computes its output once, and
:func:`upper_reader` wraps the layers above it and the head (the *same* layer objects as in
the full model) in a Keras 2 model that trains on those cached features.

    reader = utils.data.qa_reader_weights.load_qa_reader()    # the fine-tuned model
    answer_question(reader, tokenizer, "Where is Mary?", "Mary went to the garden.")
    # -> {"answer": "garden", "score": ..., "start": 20, "end": 26}

Everything here takes models and arrays: no file I/O. TensorFlow is imported inside the
functions, so that a notebook can set ``TF_USE_LEGACY_KERAS=1`` before anything imports it.
"""

import numpy as np

from utils.models.bert_layers import attention_bias, run_layers
from utils.models.bert_layers import encode_frozen as encode_frozen  # used with this module

READER_FROZEN_LAYERS = 0  # encoder layers left as pretrained: the reader fine-tunes all six

MAX_LENGTH = 64  # tokens of question + context, [CLS] and both [SEP] included
MAX_ANSWER_TOKENS = 8  # the longest answer span the reader may return


def upper_hidden(model, features, attention_mask, n_frozen=READER_FROZEN_LAYERS,
                 batch_size=256):
    """The output vectors of ``model``'s layers after the first ``n_frozen``, in inference
    mode, from the cached ``features`` of :func:`encode_frozen`: float32 ``(m, length,
    hidden size)``, the input of the ``qa_outputs`` head."""
    import tensorflow as tf

    outputs = []
    for start in range(0, len(features), batch_size):
        part = slice(start, start + batch_size)
        bias = attention_bias(tf.constant(attention_mask[part]))
        hidden = run_layers(model.bert.encoder.layer[n_frozen:], tf.constant(features[part]),
                             bias, False)
        outputs.append(hidden.numpy())
    return np.concatenate(outputs).astype(np.float32)


def upper_reader(model, n_frozen=READER_FROZEN_LAYERS, train_layers=True):
    """A Keras 2 model ``[hidden, attention_mask] -> logits (batch, length, 2)`` (start
    scores in ``[..., 0]``, end scores in ``[..., 1]``) made of ``model``'s encoder layers
    after the first ``n_frozen`` and its ``qa_outputs`` head.

    The layers are shared with ``model``: training this one changes ``model`` too. With
    ``train_layers=False`` only the head is trainable.
    """
    import tf_keras

    blocks = list(model.bert.encoder.layer[n_frozen:])
    for block in blocks:
        block.trainable = train_layers

    class UpperReader(tf_keras.Model):
        def __init__(self):
            super().__init__(name="upper_reader")
            self.blocks = blocks
            self.qa_outputs = model.qa_outputs

        def call(self, inputs, training=False):
            hidden, mask = inputs
            hidden = run_layers(self.blocks, hidden, attention_bias(mask), training)
            return self.qa_outputs(hidden)

    return UpperReader()


def span_loss(positions, logits):
    """Mean of the start and end cross-entropies: ``positions`` ``(batch, 2)`` holds the
    start and end token of each answer, ``logits`` ``(batch, length, 2)`` their scores.
    Every position takes part in the softmax, as in Hugging Face's
    ``TFQuestionAnsweringLoss``."""
    import tensorflow as tf

    positions = tf.cast(positions, tf.int32)
    start = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=positions[:, 0],
                                                           logits=logits[..., 0])
    end = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=positions[:, 1],
                                                         logits=logits[..., 1])
    return tf.reduce_mean(start + end) / 2.0


def context_mask(encoding, i, length):
    """Boolean ``(length,)``: True on the tokens of example ``i`` that belong to the context
    (sequence id 1 of a question/context pair)."""
    ids = encoding.sequence_ids(i)
    mask = np.zeros(length, dtype=bool)
    mask[[p for p, s in enumerate(ids) if s == 1]] = True
    return mask


def best_span(start_logits, end_logits, in_context, max_answer_tokens=MAX_ANSWER_TOKENS):
    """``(start, end, score)`` of the highest ``start_logits[s] + end_logits[e]`` over the
    token pairs with ``s <= e < s + max_answer_tokens``, both inside the context
    (``in_context`` True). The library's version of the notebook's exercise, for the
    builder and the chatbot; it builds the whole score matrix and masks it."""
    start_logits = np.asarray(start_logits, dtype=np.float64)
    end_logits = np.asarray(end_logits, dtype=np.float64)
    in_context = np.asarray(in_context, dtype=bool)
    length = len(start_logits)
    scores = start_logits[:, None] + end_logits[None, :]
    offset = np.arange(length)[None, :] - np.arange(length)[:, None]
    valid = (offset >= 0) & (offset < max_answer_tokens) & in_context[:, None] & in_context[None, :]
    if not valid.any():
        raise ValueError("no context token to answer from")
    scores = np.where(valid, scores, -np.inf)
    start, end = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return int(start), int(end), float(scores[start, end])


def encode_pairs(tokenizer, questions, contexts, max_length=MAX_LENGTH):
    """The tokenizer's encoding of question/context pairs, padded to ``max_length`` with the
    context truncated if needed, with offsets (character spans) of every token."""
    return tokenizer(list(questions), list(contexts), truncation="only_second",
                     padding="max_length", max_length=max_length,
                     return_offsets_mapping=True, return_tensors="np")


def answer_spans(logits, encoding, max_answer_tokens=MAX_ANSWER_TOKENS):
    """``(starts, ends, scores)`` of the best context span of every example: character
    positions in its context from the token logits ``(m, length, 2)``."""
    length = logits.shape[1]
    starts, ends, scores = [], [], []
    for i in range(len(logits)):
        s, e, score = best_span(logits[i, :, 0], logits[i, :, 1],
                                context_mask(encoding, i, length), max_answer_tokens)
        offsets = encoding["offset_mapping"][i]
        starts.append(int(offsets[s][0]))
        ends.append(int(offsets[e][1]))
        scores.append(score)
    return starts, ends, scores


def answer_questions(model, tokenizer, questions, contexts, max_length=MAX_LENGTH,
                     max_answer_tokens=MAX_ANSWER_TOKENS):
    """Answer each question from its context with ``model`` (a ``TFBertForQuestionAnswering``):
    a list of dicts ``{"answer", "score", "start", "end"}`` (character span in the context;
    ``score`` is the sum of the start and end logits of the span)."""
    encoding = encode_pairs(tokenizer, questions, contexts, max_length)
    inputs = {k: encoding[k] for k in ("input_ids", "attention_mask", "token_type_ids")}
    out = model(inputs, training=False)
    logits = np.stack([out.start_logits.numpy(), out.end_logits.numpy()], axis=-1)
    starts, ends, scores = answer_spans(logits, encoding, max_answer_tokens)
    return [{"answer": context[s:e], "score": score, "start": s, "end": e}
            for context, s, e, score in zip(contexts, starts, ends, scores, strict=True)]


def answer_question(model, tokenizer, question, context, **kwargs):
    """The answer of one question (see :func:`answer_questions`)."""
    return answer_questions(model, tokenizer, [question], [context], **kwargs)[0]
