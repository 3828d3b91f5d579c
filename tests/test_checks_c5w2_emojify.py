"""The Emojify checks pass correct implementations and catch typical mistakes."""

import numpy as np
import pytest

import utils
from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c5w2_emojify as check
from utils.checks.harness import CheckFailure

utils.setup_notebook(tensorflow=True)
import keras  # noqa: E402  (after the set-up call, which imports TensorFlow)

# ----------------------------------------------------------------------------------------
# correct references, written here


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def sentence_to_avg(sentence, word_to_vec_map, total=False, lower=True, keep_unknown=False,
                    distinct=False):
    dim = next(iter(word_to_vec_map.values())).shape
    words = (sentence.lower() if lower else sentence).split()
    if distinct:  # each word once, whatever its count: the set of the words
        words = sorted(set(words))
    vectors = [word_to_vec_map[w] if w in word_to_vec_map else np.zeros(dim) for w in words
               if keep_unknown or w in word_to_vec_map]
    if not vectors:
        return np.zeros(dim)
    return np.sum(vectors, axis=0) if total else np.mean(vectors, axis=0)


def make_model(sign=1.0, use_softmax=True, fixed_rate=None, order="permutation"):
    """The reference trainer; `order` gives the usual deviations from per-sentence SGD in the
    documented order: "in order" (0..m-1), "shuffled" (numpy's global generator),
    "full batch" (one mean-gradient update per pass), "batch steps" (the loop as given, but
    each step uses the gradient of all sentences)."""
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
            if order in ("full batch", "batch steps"):
                for _ in range(m if order == "batch steps" else 1):
                    scores = averages @ W.T + b
                    e = np.exp(scores - scores.max(axis=1, keepdims=True))
                    dz = e / e.sum(axis=1, keepdims=True) - Y_oh
                    W = W - learning_rate * dz.T @ averages / m
                    b = b - learning_rate * dz.mean(axis=0)
                if order == "batch steps":
                    rng.permutation(m)  # the given loop header still draws its order
                continue
            visits = {"permutation": lambda: rng.permutation(m), "in order": lambda: range(m),
                      "shuffled": lambda: np.random.permutation(m)}[order]()
            for i in visits:
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


def make_embedding(trainable=False, extra_row=True, shift=0, mask=True):
    def pretrained_embedding_layer(word_to_vec_map, word_to_index):
        vocab_size = len(word_to_index) + (1 if extra_row else 0)
        dim = next(iter(word_to_vec_map.values())).shape[0]
        matrix = np.zeros((vocab_size, dim))
        for word, index in word_to_index.items():
            matrix[index - shift] = word_to_vec_map[word]
        layer = keras.layers.Embedding(vocab_size, dim, trainable=trainable, mask_zero=mask)
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
    ("model", make_model(fixed_rate=0.05), "learning_rate argument"),
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


# ----------------------------------------------------------------------------------------
# named mistakes from the review, each caught with a message that names it

class Embedding(keras.layers.Embedding):
    """An embedding that claims mask_zero but passes no mask on (the mask never reaches the
    LSTMs); named like Keras's so that only the masking check can tell."""

    def compute_mask(self, inputs, mask=None):
        return None


def _embedding_without_mask_output(word_to_vec_map, word_to_index):
    reference = make_embedding()(word_to_vec_map, word_to_index)
    layer = Embedding(reference.input_dim, reference.output_dim, trainable=False,
                      mask_zero=True)
    layer.build((None,))
    layer.set_weights(reference.get_weights())
    return layer


NAMED_MISTAKES = [
    ("sentence_to_avg", lambda s, m: sentence_to_avg(s, m, distinct=True), "set(words)"),
    ("model", make_model(order="full batch"), "full-batch gradient descent"),
    ("model", make_model(order="batch steps"), "each step uses ONE sentence"),
    ("model", make_model(order="in order"), "visited in order 0..m-1"),
    ("model", make_model(order="shuffled"), "rng.permutation(m)"),
    ("pretrained_embedding_layer", make_embedding(mask=False), "mask_zero=True"),
    ("Emojify_V2", make_emojify(embedding=make_embedding(mask=False)), "mask_zero=True"),
    ("Emojify_V2", make_emojify(embedding=_embedding_without_mask_output),
     "padding must be masked"),
]


@pytest.mark.parametrize("name, wrong, word", NAMED_MISTAKES,
                         ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(NAMED_MISTAKES)])
def test_named_mistake_is_caught(name, wrong, word):
    mistake_is_caught(check, name, wrong, word)


def test_repeated_words_are_checked_against_a_hand_computed_average(capsys):
    check.sentence_to_avg(sentence_to_avg)
    assert 'average of "happy happy sad": [1.0, 1.0, 1.0, 0.0]' in capsys.readouterr().out


def test_embedding_with_mask_is_reported(capsys):
    check.pretrained_embedding_layer(make_embedding())
    assert "mask_zero: True" in capsys.readouterr().out


# ----------------------------------------------------------------------------------------
# verdicts on the trained models: they hold on measured results and fail on broken ones

CONFUSION_AVERAGING = [[11, 0, 1, 3, 0], [0, 15, 0, 0, 0], [4, 1, 5, 6, 0], [2, 0, 5, 9, 0],
                       [1, 0, 0, 1, 13]]
CONFUSION_LSTM = [[10, 0, 0, 5, 0], [0, 15, 0, 0, 0], [2, 1, 6, 7, 0], [0, 0, 3, 13, 0],
                  [0, 0, 0, 1, 14]]
# an LSTM whose embedding never received the GloVe vectors (measured, seed 2)
CONFUSION_RANDOM_EMBEDDING = [[7, 1, 2, 1, 4], [2, 5, 2, 2, 4], [2, 1, 4, 8, 1],
                              [4, 2, 4, 5, 1], [0, 2, 6, 3, 4]]
TEST_LABELS = np.repeat(np.arange(5), [15, 15, 16, 16, 15])


def test_trained_models_hold(capsys):
    check.averaging_model(0.869, 0.688)
    check.lstm_model(0.978, 0.753, 0.869)
    check.confusion_counts(CONFUSION_AVERAGING, CONFUSION_LSTM, TEST_LABELS)
    check.probe_sentences([3, 3, 3, 3, 2, 3, 3, 3], [2, 3, 3, 2, 3, 2, 3, 2])
    out = capsys.readouterr().out
    for name in ("averaging model", "LSTM model", "confusion matrices", "probe sentences"):
        assert f"{name}: all" in out, out


BROKEN_RESULTS = [
    # the update's sign flipped (measured 0.19 .. 0.21)
    (lambda: check.averaging_model(0.195, 0.195), "sign"),
    # full-batch gradient descent instead of SGD (measured train 0.556 .. 0.629)
    (lambda: check.averaging_model(0.629, 0.597), "full-batch"),
    # an embedding without the GloVe vectors (measured test 0.325 .. 0.429)
    (lambda: check.lstm_model(0.974, 0.429, 0.869), "without the GloVe vectors"),
    # word indices off by one (measured test 0.325 .. 0.377)
    (lambda: check.lstm_model(0.987, 0.377, 0.869), "off by one"),
    (lambda: check.lstm_model(0.85, 0.70, 0.869), "learning rate"),
    # a transposed matrix (rows predictions)
    (lambda: check.confusion_counts(np.transpose(CONFUSION_AVERAGING), CONFUSION_LSTM,
                                    TEST_LABELS), "(true, predicted)"),
    (lambda: check.confusion_counts(CONFUSION_AVERAGING, CONFUSION_RANDOM_EMBEDDING,
                                    TEST_LABELS), "embedding loaded"),
    (lambda: check.probe_sentences([2, 3, 3, 3, 2, 3, 3, 3], [2, 3, 3, 2, 3, 2, 3, 2]),
     "same average"),
]


@pytest.mark.parametrize("broken, word", BROKEN_RESULTS,
                         ids=[f"broken-{i}" for i in range(len(BROKEN_RESULTS))])
def test_broken_results_fail_with_a_hint(broken, word):
    with pytest.raises(CheckFailure) as failure:
        broken()
    assert word in str(failure.value), str(failure.value)
