"""The Emojify checks pass correct implementations and catch typical mistakes."""

import numpy as np
import pytest

import utils
from tests.check_contract import blank_raises_not_implemented, reference_passes
from utils.checks import c5w2_emojify as check
from utils.checks.harness import CheckFailure

utils.setup_notebook(tensorflow=True)
import keras  # noqa: E402  (after the set-up call, which imports TensorFlow)

# ----------------------------------------------------------------------------------------
# correct references, written here


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def sentence_to_avg(sentence, word_to_vec_map, total=False, lower=True, keep_unknown=False):
    dim = next(iter(word_to_vec_map.values())).shape
    words = (sentence.lower() if lower else sentence).split()
    vectors = [word_to_vec_map[w] if w in word_to_vec_map else np.zeros(dim) for w in words
               if keep_unknown or w in word_to_vec_map]
    if not vectors:
        return np.zeros(dim)
    return np.sum(vectors, axis=0) if total else np.mean(vectors, axis=0)


def make_model(sign=1.0, use_softmax=True, fixed_rate=None):
    def model(X, Y, word_to_vec_map, learning_rate=0.01, num_iterations=400):
        learning_rate = fixed_rate or learning_rate
        rng = np.random.default_rng(1)
        m, n_y = Y.shape[0], int(np.max(Y)) + 1
        averages = np.array([sentence_to_avg(x, word_to_vec_map) for x in X])
        n_h = averages.shape[1]
        W = rng.standard_normal((n_y, n_h)) / np.sqrt(n_h)
        b = np.zeros(n_y)
        Y_oh = np.eye(n_y)[Y]
        for _ in range(num_iterations):
            for i in rng.permutation(m):
                z = W @ averages[i] + b
                a = _softmax(z) if use_softmax else z
                dz = a - Y_oh[i]
                W = W - sign * learning_rate * np.outer(dz, averages[i])
                b = b - sign * learning_rate * dz
        pred = np.argmax(averages @ W.T + b, axis=1)
        return pred, W, b

    return model


def make_indices(offset=0, lower=True):
    def sentences_to_indices(X, word_to_index, max_len):
        out = np.zeros((X.shape[0], max_len))
        for i, sentence in enumerate(X):
            words = (sentence.lower() if lower else sentence).split()
            indices = [word_to_index[w] + offset for w in words if w in word_to_index]
            indices = indices[:max_len]
            out[i, :len(indices)] = indices
        return out

    return sentences_to_indices


def make_embedding(trainable=False, extra_row=True, shift=0):
    def pretrained_embedding_layer(word_to_vec_map, word_to_index):
        vocab_size = len(word_to_index) + (1 if extra_row else 0)
        dim = next(iter(word_to_vec_map.values())).shape[0]
        matrix = np.zeros((vocab_size, dim))
        for word, index in word_to_index.items():
            matrix[index - shift] = word_to_vec_map[word]
        layer = keras.layers.Embedding(vocab_size, dim, trainable=trainable)
        layer.build((None,))
        layer.set_weights([matrix])
        return layer

    return pretrained_embedding_layer


def make_emojify(embedding=None, final="softmax", second_sequences=False):
    embedding = embedding or make_embedding()

    def Emojify_V2(input_shape, word_to_vec_map, word_to_index):
        inputs = keras.Input(shape=input_shape, dtype="int32")
        x = embedding(word_to_vec_map, word_to_index)(inputs)
        x = keras.layers.LSTM(128, return_sequences=True)(x)
        x = keras.layers.Dropout(0.5)(x)
        x = keras.layers.LSTM(128, return_sequences=second_sequences)(x)
        x = keras.layers.Dropout(0.5)(x)
        if final == "dense_softmax":
            x = keras.layers.Dense(5, activation="softmax")(x)
        else:
            x = keras.layers.Dense(5)(x)
            if final == "softmax":
                x = keras.layers.Activation("softmax")(x)
        return keras.Model(inputs, x)

    return Emojify_V2


REFERENCE = {
    "sentence_to_avg": sentence_to_avg,
    "model": make_model(),
    "sentences_to_indices": make_indices(),
    "pretrained_embedding_layer": make_embedding(),
    "Emojify_V2": make_emojify(),
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_dense_with_softmax_activation_is_accepted(capsys):
    check.Emojify_V2(make_emojify(final="dense_softmax"))
    assert "passed" in capsys.readouterr().out


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, REFERENCE)


# ----------------------------------------------------------------------------------------
# typical mistakes, each with a word the message must contain

MISTAKES = [
    ("sentence_to_avg", lambda s, m: sentence_to_avg(s, m, total=True), "sum of the vectors"),
    ("sentence_to_avg", lambda s, m: sentence_to_avg(s, m, lower=False), "lower"),
    ("sentence_to_avg", lambda s, m: sentence_to_avg(s, m, keep_unknown=True), "2 known"),
    ("model", make_model(sign=-1.0), "W - learning_rate"),
    ("model", make_model(use_softmax=False), "softmax"),
    ("model", make_model(sign=0.0), "update"),
    ("model", make_model(fixed_rate=0.05), "one step"),
    ("sentences_to_indices", make_indices(offset=-1), "off by one"),
    ("sentences_to_indices", make_indices(lower=False), "lower-case"),
    ("pretrained_embedding_layer", make_embedding(trainable=True), "trainable=False"),
    ("pretrained_embedding_layer", make_embedding(extra_row=False, shift=1), r"\+ 1"),
    ("Emojify_V2", make_emojify(final=None), "softmax"),
    ("Emojify_V2", make_emojify(embedding=make_embedding(trainable=True)), "trainable=False"),
    ("Emojify_V2", make_emojify(second_sequences=True), "return_sequences"),
]


@pytest.mark.parametrize("name, wrong, word", MISTAKES)
def test_typical_mistakes_fail_with_a_helpful_message(name, wrong, word, capsys):
    with pytest.raises(CheckFailure, match=word) as error:
        getattr(check, name)(wrong)
    assert "hint:" in str(error.value)


def test_shifted_embedding_rows_are_named():
    # a matrix with one spare row but the vectors one row too high
    def shifted(word_to_vec_map, word_to_index):
        layer = make_embedding()(word_to_vec_map, word_to_index)
        matrix = layer.get_weights()[0]
        layer.set_weights([np.vstack([matrix[1:], np.zeros((1, matrix.shape[1]))])])
        return layer

    with pytest.raises(CheckFailure, match="(row 0|shifted by one)"):
        check.pretrained_embedding_layer(shifted)
