"""Checks for Course 5, week 2: Emojify, sentence classification with word vectors.

Oracles:

- ``sentence_to_avg``: averages worked out by hand on a tiny 4-dimensional vocabulary
  (including a repeated word, which counts once per occurrence), an all-unknown sentence
  (zeros) and a mixed-case sentence;
- ``model``: with learning_rate=0 the weights keep the documented initialisation; one SGD
  step on one example must equal the initial weights minus the learning rate times the
  numeric gradient (central differences) of the cross-entropy; two passes over nine
  sentences must equal SGD replayed here in the documented order (one sentence per update,
  in the order ``rng.permutation(m)`` of the given loop), written with
  ``scipy.special.softmax``; on that small separable problem the model then classifies
  every sentence right and the cross-entropy falls with more passes;
- ``sentences_to_indices``: index matrices written out by hand;
- ``pretrained_embedding_layer`` and ``Emojify_V2``: Keras's own attributes (layer types,
  ``trainable``, weights, parameter counts from the LSTM formula
  ``4 * units * (inputs + units + 1)``), the layer applied to known indices, the
  property that each output row is a probability distribution, and masking: a zero-padded
  row must give exactly what the model's own layers give on its words alone.

Verdicts on the trained models (``averaging_model``, ``lstm_model``, ``confusion_counts``,
``probe_sentences``) hold bands measured on this data set; the measurements are written next
to the band constants below.

Keras (and so TensorFlow) is imported inside the functions, so importing this module
before ``utils.setup_notebook(tensorflow=True)`` does not import TensorFlow too early.
"""

import numpy as np
from scipy.special import softmax

from utils.checks.harness import Checker, rounded
from utils.checks.oracles import numeric_gradient
from utils.checks.verdicts import Verdicts
from utils.data.emoji_sentences import CLASS_NAMES, EMOJI

N_CLASSES = len(EMOJI)
LSTM_UNITS = 128

# Bands for the trained models. Measured with the notebook's code on its fixed data split,
# natively, under the test profile (AVX2 numpy/OpenBLAS/XLA, 2 TensorFlow threads) and under
# the second profile (SSE4.2, Nehalem), with 5 training seeds each (seed 1 is the notebook's;
# the averaging model's rng seed, the LSTM's keras.utils.set_random_seed and tf.data shuffle
# seed), plus 15 more averaging seeds and 5 more LSTM seeds natively. Predictions did not
# change between profiles for any seed.
#
# Averaging model, 35 runs: train accuracy 0.856 .. 0.879, test accuracy 0.688 .. 0.740.
# Broken: the update's sign flipped gives 0.19 .. 0.21 (train and test); full-batch gradient
# descent instead of SGD (400 steps) gives train 0.556 .. 0.629, test 0.545 .. 0.597.
AVERAGING_TRAIN_BAND = (0.80, 0.93)
AVERAGING_TEST_BAND = (0.62, 0.82)
# LSTM with masking, 20 runs: train accuracy 0.958 .. 0.997, test accuracy 0.675 .. 0.766
# (so it may end up behind the averaging model on test: no ordering is asserted there).
# Broken: a frozen embedding that never received the GloVe vectors (random rows) gives test
# 0.325 .. 0.429; word indices off by one (each word gets its neighbour's vector) give test
# 0.325 .. 0.377; both still fit the training set (0.96 .. 1.0).
LSTM_TRAIN_BAND = (0.90, 1.0)
LSTM_TEST_BAND = (0.60, 0.85)
# It fits the training set better than the averaging model: 0.958 .. 0.997 against 0.856 ..
# 0.879 (smallest gap 0.079 for any pairing).
LSTM_TRAIN_MARGIN = 0.03
# Mean test recall of sport and food minus that of happy and sad: 0.369 .. 0.498 for the
# averaging model (15 runs), 0.373 .. 0.527 for the LSTM (20 runs); the random-embedding LSTM
# gives 0.02 .. 0.16.
TOPIC_OVER_FEELING_MARGIN = 0.2

# ----------------------------------------------------------------------------------------
# helpers


def _tiny_map():
    """Three words with 4-dimensional vectors small enough to average by hand."""
    return {
        "cats": np.array([1.0, 2.0, 3.0, 0.0]),
        "like": np.array([0.0, 1.0, 0.0, 2.0]),
        "milk": np.array([2.0, -1.0, 4.0, 1.0]),
        "happy": np.array([2.0, 0.0, 1.0, -1.0]),
        "sad": np.array([-1.0, 3.0, 1.0, 2.0]),
    }


def _oracle_average(sentence, word_to_vec_map, dim):
    vectors = [word_to_vec_map[w] for w in sentence.lower().split() if w in word_to_vec_map]
    return np.mean(vectors, axis=0) if vectors else np.zeros(dim)


def _cross_entropy(W, b, averages, Y):
    """Mean cross-entropy of softmax(W a + b) over the examples (rows of ``averages``)."""
    probabilities = softmax(averages @ W.T + b, axis=1)
    return float(-np.mean(np.log(probabilities[np.arange(len(Y)), Y])))


def _separable_problem():
    """Nine sentences of three classes; each class has its own words, near its own axis."""
    rng = np.random.default_rng(5)
    word_to_vec_map = {}
    words = {0: ("red", "rose", "ruby"), 1: ("blue", "sky", "sea"), 2: ("green", "grass", "leaf")}
    for label, group in words.items():
        for word in group:
            vector = 0.3 * rng.standard_normal(50)
            vector[label] += 3.0
            word_to_vec_map[word] = vector
    X = np.array(["red rose", "ruby rose red", "Rose", "blue sky", "sea blue", "Sky sea blue",
                  "green grass", "leaf green", "grass Leaf green"])
    Y = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])
    return X, Y, word_to_vec_map


def _unpack_model_result(check, result):
    check.type_is("the value returned by model", result, tuple,
                  hint="return the three values pred, W, b (a tuple).")
    check.that("number of values returned by model", len(result) == 3, len(result), 3,
               hint="return pred, W, b.")
    return result


# ----------------------------------------------------------------------------------------
# the averaging model


def sentence_to_avg(fn):
    """Check the average of the known, lower-cased words of a sentence."""
    check = Checker("sentence_to_avg")
    vectors = _tiny_map()
    hint_keys = ("lower-case the sentence and skip words that are not in word_to_vec_map "
                 "(test `word in word_to_vec_map` before looking a word up).")
    got = check.call_or_fail(fn, "cats like milk", vectors, hint=hint_keys)
    check.array('sentence_to_avg("cats like milk", ...)', got, (4,),
                hint="return one vector with as many numbers as a word vector (average over "
                     "the words, axis=0).")
    expected = np.array([1.0, 2 / 3, 7 / 3, 1.0])
    check.close('sentence_to_avg("cats like milk", ...)', got, expected,
                hint="average the word vectors: add them up and divide by the number of words.",
                mistakes=[(3 * expected, "this is the sum of the vectors; divide it by the "
                                         "number of words (the mean).")])
    print('average of "cats like milk":', rounded(got, 4))

    got = check.call_or_fail(fn, "Cats LIKE Milk", vectors, hint=hint_keys)
    check.close('sentence_to_avg("Cats LIKE Milk", ...)', got, expected,
                hint="GloVe words are lower-case: call sentence.lower() before splitting.")

    got = check.call_or_fail(fn, "cats like zebras", vectors, hint=hint_keys)
    expected = _oracle_average("cats like zebras", vectors, 4)
    check.close('sentence_to_avg("cats like zebras", ...)', got, expected,
                hint="skip unknown words and average the known ones only.",
                mistakes=[(expected * 2 / 3, "you divided by all 3 words; 'zebras' is unknown "
                                             "and skipped, so divide by the 2 known words.")])
    print('average of "cats like zebras" ("zebras" unknown):', rounded(got, 4))

    # a repeated word counts once per occurrence: (2 * happy + sad) / 3, worked out by hand
    got = check.call_or_fail(fn, "happy happy sad", vectors, hint=hint_keys)
    expected = np.array([1.0, 1.0, 1.0, 0.0])
    check.close('sentence_to_avg("happy happy sad", ...)', got, expected,
                hint="average the vectors of all the words of the sentence, in order, repeats "
                     "included.",
                mistakes=[([0.5, 1.5, 1.0, 0.5],
                           '"happy" appears twice, so its vector counts twice: average over the '
                           "list of words, not over set(words), which keeps each word once.")])
    print('average of "happy happy sad":', rounded(got, 4))

    got = check.call_or_fail(fn, "zebras purr", vectors, hint=hint_keys)
    check.array('sentence_to_avg("zebras purr", ...) (no known word)', got, (4,),
                hint="with no known word, return np.zeros of the vector's shape.")
    check.close('sentence_to_avg("zebras purr", ...) (no known word)', got, np.zeros(4),
                hint="with no known word, return a vector of zeros (not nan).")
    check.done()


def _initial_weights(n_y, n_h):
    """The documented initialisation (given in the exercise): rng = default_rng(1), then W."""
    rng = np.random.default_rng(1)
    return rng, rng.standard_normal((n_y, n_h)) / np.sqrt(n_h), np.zeros(n_y)


def _replay_sgd(averages, Y, learning_rate, num_iterations, order="documented"):
    """W, b after training as documented, written independently of the notebook.

    ``order`` gives the usual deviations, so that a mismatch can be named: "in order" visits
    the sentences 0..m-1 in every pass, "full batch" makes one update per pass with the mean
    gradient over all sentences.
    """
    m, n_y = len(Y), int(np.max(Y)) + 1
    rng, W, b = _initial_weights(n_y, averages.shape[1])
    targets = np.eye(n_y)[Y]
    for _ in range(num_iterations):
        if order == "full batch":
            error = softmax(averages @ W.T + b, axis=1) - targets
            W = W - learning_rate * error.T @ averages / m
            b = b - learning_rate * error.mean(axis=0)
            continue
        for i in (rng.permutation(m) if order == "documented" else range(m)):
            error = softmax(W @ averages[i] + b) - targets[i]
            W = W - learning_rate * np.outer(error, averages[i])
            b = b - learning_rate * error
    return W, b


def model(fn):
    """Check the softmax-regression trainer: initialisation, one SGD step, the documented
    order of the steps, and the fit on a separable problem."""
    check = Checker("model")
    X, Y, vectors = _separable_problem()
    hint_call = "train on the averages of the sentences (sentence_to_avg) and their labels Y."
    pred, W, b = _unpack_model_result(check, check.call_or_fail(
        fn, X, Y, vectors, learning_rate=0.1, num_iterations=60, hint=hint_call))
    check.array("W (3 classes, 50-dimensional vectors)", W, (3, 50),
                hint="W has one row per class and one column per vector dimension: (n_y, n_h).")
    check.array("b", b, (3,), hint="b holds one number per class: shape (n_y,).")
    check.array("pred", pred, (9,), hint="pred holds one predicted label per sentence: (m,).")
    averages = np.array([_oracle_average(x, vectors, 50) for x in X])

    # the initialisation, then one SGD step on a single sentence against a numeric gradient
    X1, Y1 = np.array(["sea grass"]), np.array([2])
    _, W_init, b_init = _initial_weights(3, 50)
    _, W0, b0 = _unpack_model_result(check, check.call_or_fail(
        fn, X1, Y1, vectors, learning_rate=0.0, num_iterations=1, hint=hint_call))
    hint = ("with learning_rate=0 the weights must keep their initial values: keep the given "
            "initialisation, and scale every step by the learning_rate argument (not a fixed "
            "number).")
    check.close("W after training with learning_rate=0.0", W0, W_init, hint=hint)
    check.close("b after training with learning_rate=0.0", b0, b_init, hint=hint)
    _, W1, b1 = _unpack_model_result(check, check.call_or_fail(
        fn, X1, Y1, vectors, learning_rate=0.5, num_iterations=1, hint=hint_call))
    average = np.array([_oracle_average("sea grass", vectors, 50)])
    grad_W = numeric_gradient(lambda w: _cross_entropy(w, b_init, average, Y1), W_init)
    grad_b = numeric_gradient(lambda v: _cross_entropy(W_init, v, average, Y1), b_init)
    check.close("W after one SGD step (learning_rate=0.5)", W1, W_init - 0.5 * grad_W, rtol=1e-4,
                atol=1e-6,
                hint="one step on one example must be W - learning_rate * dW with "
                     "dW = np.outer(a - y, avg), a = softmax(W @ avg + b) and y one-hot.",
                mistakes=[
                    (W_init + 0.5 * grad_W, "the step goes uphill: W = W - learning_rate * dW "
                                            "(subtract it, do not add it)."),
                    (W_init, "W did not change after one pass: apply the update W = W - "
                             "learning_rate * dW (and the same for b) inside the loop, for "
                             "every sentence."),
                ])
    check.close("b after one SGD step (learning_rate=0.5)", b1, b_init - 0.5 * grad_b, rtol=1e-4,
                atol=1e-6, hint="db = a - y (the one-hot label), and b = b - learning_rate * db.")

    # two passes over the nine sentences, against SGD replayed in the documented order
    _, W2, b2 = _unpack_model_result(check, check.call_or_fail(
        fn, X, Y, vectors, learning_rate=0.5, num_iterations=2, hint=hint_call))
    W_expected, b_expected = _replay_sgd(averages, Y, 0.5, 2)
    hint = ("each step uses ONE sentence, averages[i], in the order of the given loop "
            "`for i in rng.permutation(m)` (a fresh order every pass, from the given rng: do "
            "not draw other random numbers or reorder), and updates W and b right away.")
    check.close("W after 2 passes over nine sentences (learning_rate=0.5)", W2, W_expected,
                rtol=1e-6, atol=1e-9, hint=hint, mistakes=[
                    (_replay_sgd(averages, Y, 0.5, 2, "in order")[0],
                     "the sentences were visited in order 0..m-1; visit them in the order "
                     "`for i in rng.permutation(m)` of the given loop."),
                    (_replay_sgd(averages, Y, 0.5, 2, "full batch")[0],
                     "this is full-batch gradient descent (one update per pass with the "
                     "gradient of all sentences); SGD updates W and b after every single "
                     "sentence, i in rng.permutation(m)."),
                ])
    check.close("b after 2 passes over nine sentences (learning_rate=0.5)", b2, b_expected,
                rtol=1e-6, atol=1e-9, hint=hint)

    # the fit after 60 passes (learning_rate=0.1)
    probabilities = softmax(averages @ W.T + b, axis=1)
    check.equal("pred against argmax of softmax(W @ avg + b) for the returned W, b",
                np.asarray(pred).astype(int), np.argmax(probabilities, axis=1),
                hint="pred is the class with the highest probability under the trained W and b.")
    check.equal("pred on a separable problem", np.asarray(pred).astype(int), Y,
                hint="the model should fit nine easy, separable sentences: check the update "
                     "signs (W = W - learning_rate * dW) and that dz = a - y (one-hot).")
    correct = probabilities[np.arange(len(Y)), Y]
    check.that("probability of the right class after training", np.all(correct > 0.5),
               rounded(correct, 3), "above 0.5 for every sentence",
               hint="the cost should fall during training: compare your gradients with "
                    "dW = outer(a - y, avg), db = a - y.")
    cost_trained = _cross_entropy(W, b, averages, Y)
    _, W_short, b_short = _unpack_model_result(check, check.call_or_fail(
        fn, X, Y, vectors, learning_rate=0.1, num_iterations=2, hint=hint_call))
    cost_short = _cross_entropy(W_short, b_short, averages, Y)
    check.that("cross-entropy after 2 and after 60 iterations",
               cost_trained < cost_short < np.log(3) + 1.0,
               f"{rounded(cost_short, 3)} after 2, {rounded(cost_trained, 3)} after 60",
               "falling with more iterations",
               hint="each SGD step should move W and b against the gradient of the cross-entropy: "
                    "a = softmax(W @ avg + b), dz = a - y, W -= learning_rate * outer(dz, avg).")
    print("predictions on the nine sentences after 60 passes:", np.asarray(pred).astype(int))
    check.done()


# ----------------------------------------------------------------------------------------
# the LSTM model


def _index_vocabulary():
    return {"the": 1, "cat": 2, "sat": 3, "on": 4, "mat": 5, "dog": 6}


def sentences_to_indices(fn):
    """Check index matrices of hand-made sentences: lower-casing, padding, truncation."""
    check = Checker("sentences_to_indices")
    word_to_index = _index_vocabulary()
    hint_keys = ("lower-case each sentence and look up its words in word_to_index "
                 "(skip the words that are not there).")
    X = np.array(["The cat sat", "cat on the Mat", "dog"])
    got = check.call_or_fail(fn, X, word_to_index, 5, hint=hint_keys)
    check.array("sentences_to_indices(X, word_to_index, max_len=5)", got, (3, 5),
                hint="the result has one row per sentence and max_len columns: (m, max_len).")
    expected = np.array([[1, 2, 3, 0, 0], [2, 4, 1, 5, 0], [6, 0, 0, 0, 0]])
    check.equal("sentences_to_indices(['The cat sat', 'cat on the Mat', 'dog'], ..., 5)",
                np.asarray(got, dtype=float), expected.astype(float),
                hint="row i holds the indices of the words of sentence i, lower-cased, in "
                     "order, then zeros (the padding index) up to max_len.",
                mistakes=[(np.where(expected > 0, expected - 1, 0).astype(float),
                           "the indices are off by one: use word_to_index[word] as it is (it "
                           "starts at 1).")])
    print("indices:\n", np.asarray(got).astype(int))

    got = check.call_or_fail(fn, np.array(["the zebra sat"]), word_to_index, 4, hint=hint_keys)
    check.equal("sentences_to_indices(['the zebra sat'], ..., 4) ('zebra' unknown)",
                np.asarray(got, dtype=float), np.array([[1.0, 3.0, 0.0, 0.0]]),
                hint="skip unknown words, so that the known ones stay next to each other.")

    got = check.call_or_fail(fn, np.array(["the cat sat on the mat"]), word_to_index, 4,
                             hint="a sentence longer than max_len keeps its first max_len words.")
    check.equal("sentences_to_indices(['the cat sat on the mat'], ..., 4) (too long)",
                np.asarray(got, dtype=float), np.array([[1.0, 2.0, 3.0, 4.0]]),
                hint="a sentence longer than max_len keeps its first max_len words.")
    check.done()


def _embedding_vocabulary(dim=4, words=("sun", "rain", "snow")):
    rng = np.random.default_rng(11)
    word_to_vec_map = {w: rng.standard_normal(dim) for w in words}
    word_to_index = {w: i for i, w in enumerate(words, start=1)}
    return word_to_vec_map, word_to_index


def _expected_matrix(word_to_vec_map, word_to_index):
    dim = len(next(iter(word_to_vec_map.values())))
    matrix = np.zeros((len(word_to_index) + 1, dim))
    for word, index in word_to_index.items():
        matrix[index] = word_to_vec_map[word]
    return matrix


def _check_embedding(check, layer, word_to_vec_map, word_to_index, what):
    import keras

    check.type_is(what, layer, keras.layers.Embedding,
                  hint="return a keras.layers.Embedding layer.")
    expected = _expected_matrix(word_to_vec_map, word_to_index)
    vocab_size, dim = expected.shape
    check.that(f"{what}.trainable", layer.trainable is False, layer.trainable, False,
               hint="the GloVe vectors stay fixed: create the layer with trainable=False.")
    mask_zero = getattr(layer, "mask_zero", None)
    check.that(f"{what}.mask_zero", mask_zero is True, mask_zero, True,
               hint="create the layer with mask_zero=True: index 0 is the padding, and the "
                    "mask the layer then passes on tells the LSTMs to skip the padded positions "
                    "instead of reading them as words.")
    check.that(f"{what}.input_dim", layer.input_dim == vocab_size, layer.input_dim, vocab_size,
               hint="input_dim is len(word_to_index) + 1: row 0 is the padding.")
    check.that(f"{what}.output_dim", layer.output_dim == dim, layer.output_dim, dim,
               hint="output_dim is the length of a word vector.")
    weights = layer.get_weights()
    check.that(f"number of weight arrays of {what}", len(weights) == 1, len(weights), 1,
               hint="build the layer (layer.build((None,))) before layer.set_weights([matrix]).")
    matrix = np.asarray(weights[0], dtype=float)
    check.array(f"embedding matrix of {what}", matrix, expected.shape)
    check.close(f"row 0 (padding) of the embedding matrix of {what}", matrix[0], np.zeros(dim),
                hint="row 0 is reserved for padding and stays all zeros.",
                mistakes=[(expected[1], "the rows are shifted by one: the vector of index i "
                                        "goes in row i, not i - 1; row 0 stays all zeros.")])
    check.close(f"embedding matrix of {what}", matrix, expected, rtol=1e-5, atol=1e-6,
                hint="row word_to_index[word] of the matrix holds word_to_vec_map[word].")
    return matrix


def pretrained_embedding_layer(fn):
    """Check a frozen Embedding layer that holds the given vectors, row 0 zeros."""
    check = Checker("pretrained_embedding_layer")
    word_to_vec_map, word_to_index = _embedding_vocabulary()
    layer = check.call_or_fail(
        fn, word_to_vec_map, word_to_index,
        hint="fill a (len(word_to_index) + 1, dim) matrix: row word_to_index[w] "
        "gets word_to_vec_map[w].")
    _check_embedding(check, layer, word_to_vec_map, word_to_index, "the layer")
    check.that("trainable weights of the layer", len(layer.trainable_weights) == 0,
               len(layer.trainable_weights), "none", hint="create the layer with trainable=False.")
    looked_up = np.asarray(layer(np.array([[2, 0, 3]])), dtype=float)
    expected = np.array([[word_to_vec_map["rain"], np.zeros(4), word_to_vec_map["snow"]]])
    check.close("layer(np.array([[2, 0, 3]])) (rain, padding, snow)", looked_up, expected,
                rtol=1e-5, atol=1e-6, hint="the layer must return the vector of each index.")
    print("input_dim:", layer.input_dim, "| output_dim:", layer.output_dim,
          "| trainable:", layer.trainable, "| mask_zero:", layer.mask_zero)
    print("vectors of [rain, padding, snow]:\n", rounded(looked_up[0], 4))
    check.done()


def _lstm_parameters(inputs, units):
    return 4 * units * (inputs + units + 1)


def Emojify_V2(fn):
    """Check the layers, frozen embedding, parameter count and softmax output of the model."""
    import keras

    check = Checker("Emojify_V2")
    word_to_vec_map, word_to_index = _embedding_vocabulary(
        dim=6, words=("i", "love", "pizza", "we", "lost", "the", "match"))
    keras.utils.set_random_seed(3)
    network = check.call_or_fail(
        fn, (5,), word_to_vec_map, word_to_index,
        hint="build a functional model: Input(shape=input_shape, dtype='int32') "
        "-> embedding -> LSTM -> Dropout -> LSTM -> Dropout -> Dense -> softmax.")
    check.type_is("the returned model", network, keras.Model,
                  hint="return keras.Model(inputs=..., outputs=...).")
    check.that("input shape", tuple(network.inputs[0].shape) == (None, 5),
               tuple(network.inputs[0].shape), (None, 5),
               hint="use keras.Input(shape=input_shape).")
    output_shape = tuple(network.outputs[0].shape)
    hint = f"the last Dense layer has one unit per class ({N_CLASSES})."
    if len(output_shape) == 3:
        hint = ("the output still has a time axis: the second LSTM returns only its last "
                "state (return_sequences=False).")
    check.that("output shape", output_shape == (None, N_CLASSES), output_shape, (None, N_CLASSES),
               hint=hint)

    layers = [layer for layer in network.layers if not isinstance(layer, keras.layers.InputLayer)]
    names = [type(layer).__name__ for layer in layers]
    expected_names = ["Embedding", "LSTM", "Dropout", "LSTM", "Dropout", "Dense", "Activation"]
    dense_softmax = names == expected_names[:-1] and getattr(
        layers[-1].activation, "__name__", "") == "softmax"
    check.that("layers, in order", names == expected_names or dense_softmax, " -> ".join(names),
               " -> ".join(expected_names),
               hint="follow the architecture exactly: embedding, LSTM(128, return_sequences=True), "
                    "Dropout, LSTM(128), Dropout, Dense, Activation('softmax').")
    first, second = layers[1], layers[3]
    check.that("LSTM units", (first.units, second.units) == (LSTM_UNITS, LSTM_UNITS),
               (first.units, second.units), (LSTM_UNITS, LSTM_UNITS),
               hint="both LSTMs have 128 units.")
    check.that("return_sequences of the two LSTMs",
               (first.return_sequences, second.return_sequences) == (True, False),
               (first.return_sequences, second.return_sequences), (True, False),
               hint="the first LSTM passes its whole sequence on (return_sequences=True), the "
                    "second returns only its last state.")
    rates = [layers[2].rate, layers[4].rate]
    check.that("dropout rates", all(0 < r < 1 for r in rates), rates, "between 0 and 1",
               hint="Dropout(rate) drops a fraction rate of the units during training.")

    _check_embedding(check, layers[0], word_to_vec_map, word_to_index, "the embedding layer")
    dim, vocab_size = 6, len(word_to_index) + 1
    expected_trainable = (_lstm_parameters(dim, LSTM_UNITS)
                          + _lstm_parameters(LSTM_UNITS, LSTM_UNITS)
                          + LSTM_UNITS * N_CLASSES + N_CLASSES)
    trainable = int(sum(np.prod(w.shape) for w in network.trainable_weights))
    hint = "count: LSTM 4*128*(6+128+1), LSTM 4*128*(128+128+1), Dense 128*5+5."
    if trainable == expected_trainable + vocab_size * dim:
        hint = "the embedding is being trained: the GloVe vectors must stay frozen."
    check.that("number of trainable parameters", trainable == expected_trainable, trainable,
               expected_trainable, hint=hint)

    indices = np.array([[1, 2, 3, 0, 0], [4, 5, 6, 7, 0], [2, 0, 0, 0, 0]])
    output = np.asarray(network(indices, training=False), dtype=float)
    check.array("the model's output on 3 sentences", output, (3, N_CLASSES))
    sums = output.sum(axis=1)
    softmax_hint = "finish with a softmax (Activation('softmax')) so each row is a distribution."
    check.that("every output >= 0", np.all(output >= 0), rounded(output.min(), 4), "probabilities",
               hint=softmax_hint)
    check.close("row sums of the output", sums, np.ones(3), rtol=1e-5, atol=1e-5, hint=softmax_hint)

    # masking: a padded row gives what the same layers give on the row's words alone
    unpadded = []
    for row in indices:
        x = row[row > 0][None, :]
        for layer in layers:
            x = layer(x, training=False) if isinstance(layer, keras.layers.Dropout) else layer(x)
        unpadded.append(np.asarray(x, dtype=float)[0])
    check.close("outputs on zero-padded rows against the same layers applied to the words "
                "alone (padding must be masked)",
                output, np.array(unpadded), rtol=1e-4, atol=1e-5,
                hint="the LSTMs read the padding zeros as if they were words: the embedding "
                "must be created with mask_zero=True (in pretrained_embedding_layer), and "
                "every layer must be called on the output of the previous one so that the "
                "mask reaches the LSTMs.")
    print("layers:", " -> ".join(names))
    print("trainable parameters:", trainable, "| frozen embedding parameters:",
          vocab_size * dim)
    print("row sums of the output:", rounded(sums, 4))
    check.done()


# ----------------------------------------------------------------------------------------
# verdicts on the trained models (bands at the top of this module)


def averaging_model(train_accuracy, test_accuracy):
    """Verdicts on the softmax regression over averaged GloVe vectors, after training."""
    verdict = Verdicts("averaging model")
    verdict.within("train accuracy", train_accuracy, *AVERAGING_TRAIN_BAND,
                   hint="near 0.2 (chance): is the update's sign right (W = W - learning_rate "
                   "* dW)? Around 0.6: the model made one full-batch step per pass instead of "
                   "one step per sentence.")
    verdict.within("test accuracy", test_accuracy, *AVERAGING_TEST_BAND,
                   hint="compare the train accuracy: if it is fine too, check that the test "
                   "sentences are averaged with the same sentence_to_avg and word vectors.")
    verdict.done()


def lstm_model(train_accuracy, test_accuracy, averaging_train_accuracy):
    """Verdicts on the two-layer LSTM over the frozen GloVe embedding, after training."""
    verdict = Verdicts("LSTM model")
    verdict.within("train accuracy", train_accuracy, *LSTM_TRAIN_BAND,
                   hint="the LSTM should nearly memorise 313 sentences in 20 epochs: check the "
                   "learning rate (0.005), the number of epochs, and that the labels go with "
                   "their sentences.")
    verdict.within("test accuracy", test_accuracy, *LSTM_TEST_BAND,
                   hint="a high train accuracy with a low test accuracy (about 0.35) is what "
                   "an embedding without the GloVe vectors, or word indices off by one, "
                   "give: the model then learns word identities, not meanings.")
    verdict.beats("train accuracy over the averaging model's", train_accuracy,
                  averaging_train_accuracy, by=LSTM_TRAIN_MARGIN,
                  hint="with 200,000 parameters against 255 the LSTM should fit the training "
                  "set more closely; compare the train accuracies printed above.")
    verdict.done()


def confusion_counts(averaging_counts, lstm_counts, labels):
    """Verdicts on the test confusion matrices (rows true classes, columns predictions)."""
    verdict = Verdicts("confusion matrices")
    class_sizes = np.bincount(np.asarray(labels), minlength=N_CLASSES)
    topics = [CLASS_NAMES.index("sport"), CLASS_NAMES.index("food")]
    feelings = [CLASS_NAMES.index("happy"), CLASS_NAMES.index("sad")]
    for name, counts in (("averaging model", averaging_counts), ("LSTM", lstm_counts)):
        counts = np.asarray(counts)
        verdict.that(f"{name}: the rows sum to the class sizes {class_sizes.tolist()}",
                     counts.shape == (N_CLASSES, N_CLASSES)
                     and np.array_equal(counts.sum(axis=1), class_sizes),
                     f"row sums {counts.sum(axis=-1).tolist()}",
                     hint="rows are the true classes and columns the predictions: count the "
                     "(true, predicted) pairs, not (predicted, true).")
        recall = np.diag(counts) / class_sizes
        verdict.beats(f"{name}: mean recall of sport and food over happy and sad",
                      recall[topics].mean(), recall[feelings].mean(),
                      by=TOPIC_OVER_FEELING_MARGIN,
                      hint="sport and food have their own vocabulary and should be the easy "
                      "classes; if they are not, the model did not learn from the GloVe "
                      "vectors (is the embedding loaded, are the indices right?).")
    verdict.done()


def probe_sentences(averaging_predictions, labels):
    """Verdicts that the maths makes exact: the first two probes hold the same words in
    another order, so they have the same average and the averaging model answers both alike
    (and so gets at most one of them right)."""
    verdict = Verdicts("probe sentences")
    first, second = (int(p) for p in np.asarray(averaging_predictions)[:2])
    verdict.that("the averaging model gives the same emoji to the two sentences with the same "
                 "words", first == second, f"predicted {first} and {second}",
                 hint="both sentences have the same words, so the same average: predict with "
                 "sentence_to_avg and the trained W, b.")
    right = int(np.sum(np.asarray(averaging_predictions)[:2] == np.asarray(labels)[:2]))
    verdict.that("so it gets at most one of those two right", right <= 1,
                 f"{right} right", hint="the two sentences have different labels.")
    verdict.done()
