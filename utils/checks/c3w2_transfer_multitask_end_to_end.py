"""Checks for Course 3, week 2: transfer learning, multi-task learning, end-to-end learning.

Oracles:

- ``build_transfer_model``: a tiny fixed base network whose weights are set here from a
  seeded numpy generator; its forward pass is written again with numpy (ReLU layers, then
  ``scipy.special.softmax``), and the variables of the returned model are compared with the
  base's by identity (shared, not copied) and by their ``trainable`` flags.
- ``masked_binary_crossentropy``: a value worked out by hand (the four labelled entries
  multiply to 0.18), the formula written with numpy, Keras's own
  ``binary_crossentropy`` when nothing is missing, and the analytic gradient
  (p - y) / (p (1 - p)) / n_labelled against ``tf.GradientTape``.
- ``make_pair_dataset``: images whose pixels spell out their own index, so every half of a
  pair can be traced back to the image it came from; labels and sums are then recomputed
  from those indices.

TensorFlow is imported inside the functions, so importing this module before
``utils.setup_notebook(tensorflow=True)`` does not import TensorFlow too early.
"""

import warnings

import numpy as np
from scipy.special import softmax

from utils.checks.harness import Checker, rounded
from utils.checks.verdicts import Verdicts

MISSING = -1.0
EPSILON = 1e-7

# ----------------------------------------------------------------------------------------
# Bands for the results of training, checked by the verdict functions at the end of this
# module (CONTRIBUTING.md, "What a checked cell may print"). Each band was measured on the
# notebook's code natively, under the test profile (AVX2 numerics, 2 TensorFlow threads)
# and under the second profile (SSE4.2), each with 3 training seeds
# (keras.utils.set_random_seed(N + 100 s) and the tf.data shuffle seed s, for s = 0, 1, 2;
# the data fixed): 9 runs. The comment of each constant gives the measured min / max and
# what a broken implementation gave instead.

PRETRAINED_MNIST_DEV = (0.90, 0.98)   # measured 0.931 / 0.951; untrained network 0.147
PRETRAINED_SKLEARN_DEV = (0.45, 0.75)  # measured 0.552 / 0.632; untrained network 0.120
DISTRIBUTION_COST = 0.15  # MNIST dev minus scikit-learn dev: measured 0.313 / 0.380
PRETRAINED_PARAMS = 7_690  # conv 160 + conv 4,640 + softmax 2,890: fixed by the architecture

# dev accuracy of the frozen pretrained layers + new head, for 3 / 10 / 30 labels per class
# measured 0.816 / 0.818, 0.884 / 0.888, 0.892 / 0.924; keeping the old softmax layer under
# the new head (base_model.layers instead of [:-1]) gave 0.632, 0.648, 0.722.
FROZEN_HEAD = {3: (0.74, 0.90), 10: (0.82, 0.95), 30: (0.85, 0.97)}
FINE_TUNED_30 = (0.86, 0.98)  # measured 0.914 / 0.930; old softmax kept: 0.814
NEW_HEAD_GAIN = 0.10  # frozen + new head at 3/class minus the network as is: 0.186 / 0.264
TRANSFER_GAIN_10 = 0.02  # frozen + new head minus from scratch at 10/class: 0.054 / 0.070
FINE_TUNED_GAIN_30 = 0.01  # fine-tuned minus from scratch at 30/class: 0.032 / 0.046

# multi-task: mean dev accuracy over the four tasks of each network, measured 0.880 / 0.908;
# a loss that does not skip the missing labels (-1 used as a target) gave 0.552 for all.
MULTI_TASK_MEAN = (0.84, 0.95)
MULTI_TASK_PARAMS = {"four single-task (width 8)": 13_444, "one multi-task (width 16)": 13_316,
                     "one multi-task (width 8)": 3_460}
# width 16 multi-task minus four single-task means: 0.008 / 0.022 (so only "higher": the
# margin is too small for more); width 16 minus width 8 multi-task: 0.016 / 0.023.
WIDE_OVER_NARROW = 0.005

# pipeline vs end-to-end, for 300 and 4,000 training pairs. Pipeline measured 0.8565 / 0.870
# and 0.927 / 0.947; end-to-end 0.151 / 0.172 and 0.357 / 0.472. A make_pair_dataset that
# puts the same image on both sides (right = left) gave end-to-end 0.901 and 0.9585.
PIPELINE = {300: (0.80, 0.92), 4000: (0.89, 0.98)}
END_TO_END = {300: (0.08, 0.30), 4000: (0.25, 0.65)}
PIPELINE_LEAD = {300: 0.5, 4000: 0.3}  # measured leads: 0.685 / 0.719 and 0.467 / 0.574
END_TO_END_GAIN = 0.10  # end-to-end at 4,000 minus at 300 pairs: 0.191 / 0.311
SQUARE_RULE = 0.02  # |pipeline - digit accuracy^2|: measured at most 0.0064


def _tf():
    import tensorflow as tf

    return tf


def _keras():
    import keras

    return keras


# ----------------------------------------------------------------------------------------
# build_transfer_model

BASE_SIZES = (6, 5, 4, 3)  # inputs, two hidden ReLU layers, softmax outputs


def base_weights():
    """The fixed weights of the check's base network: [W1, b1, W2, b2, W3, b3]."""
    rng = np.random.default_rng(7)
    weights = []
    for fan_in, fan_out in zip(BASE_SIZES[:-1], BASE_SIZES[1:], strict=True):
        weights.append(rng.normal(0.0, 0.8, size=(fan_in, fan_out)).astype("float32"))
        weights.append(rng.normal(0.0, 0.3, size=fan_out).astype("float32"))
    return weights


def make_base(trainable=True):
    """A small pretrained-looking base: 6 inputs -> 5 ReLU -> 4 ReLU -> 3-way softmax."""
    keras = _keras()
    model = keras.Sequential([
        keras.Input((BASE_SIZES[0],)),
        keras.layers.Dense(BASE_SIZES[1], activation="relu"),
        keras.layers.Dense(BASE_SIZES[2], activation="relu"),
        keras.layers.Dense(BASE_SIZES[3], activation="softmax"),
    ])
    model.set_weights(base_weights())
    for layer in model.layers:
        layer.trainable = trainable
    return model


def _inputs():
    return np.random.default_rng(3).normal(size=(5, BASE_SIZES[0])).astype("float32")


def _features(X):
    """The base's penultimate activations, computed with numpy."""
    W1, b1, W2, b2, _, _ = base_weights()
    return np.maximum(np.maximum(X @ W1 + b1, 0) @ W2 + b2, 0)


def _predict(model, X):
    """``model(X)`` as numpy, quiet about a one-element list of inputs receiving a tensor."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The structure of `inputs`")
        return np.asarray(model(X))


def _contains(variables, variable):
    return any(v is variable for v in variables)


def build_transfer_model(fn):
    """Check build_transfer_model(base_model, n_classes, freeze): shared, frozen base layers
    up to the penultimate one, then a fresh softmax head with n_classes units."""
    keras = _keras()
    check = Checker("build_transfer_model")
    base = make_base()
    base_layers, last_layer = base.layers[:-1], base.layers[-1]
    model = check.call(fn, base, 7, freeze=True)
    check.equal("number of layers of base_model afterwards", len(base.layers),
                len(base_layers) + 1,
                hint="leave base_model as it is (no base_model.pop()): build a new model that "
                     "calls the base's layers up to base_model.layers[-2].")
    check.type_is("the returned model", model, keras.Model,
                  hint="return a keras.Model, e.g. keras.Model(base_model.input, outputs).")
    X = _inputs()
    out = _predict(model, X)
    check.array("model(X) for 5 examples and n_classes=7", out, (5, 7),
                hint="the new head is a Dense layer with n_classes units.")
    check.close("row sums of the model's output", out.sum(axis=1), np.ones(5), rtol=1e-5,
                hint="the head needs activation='softmax', so that each row is a probability "
                     "distribution over the n_classes.")

    shared = [w for layer in base_layers for w in layer.weights]
    missing = [w.path for w in shared if not _contains(model.weights, w)]
    check.that("the model reuses the base's weight variables", not missing,
               f"{len(missing)} of {len(shared)} missing",
               "every weight of base_model.layers[:-1] among model.weights (the same objects)",
               hint="call the base's own layers (base_model.layers[-2].output, or apply the "
                    "layers in turn): cloning the model or copying weights makes new variables "
                    "that would not stay in sync with the base.")
    last = last_layer.weights
    check.that("the base's old softmax layer is not in the new model",
               not any(_contains(model.weights, w) for w in last), "used", "not used",
               hint="take the features from the penultimate layer, base_model.layers[-2], "
            "and drop the old output layer.")
    check.equal("number of weight variables", len(model.weights), len(shared) + 2,
                hint="the base's layers up to the penultimate one, plus one kernel and one bias "
                     "for the new head (and nothing else).")

    head = [w for w in model.weights if not _contains(shared, w)]
    kernel = next((w for w in head if len(w.shape) == 2), None)
    bias = next((w for w in head if len(w.shape) == 1), None)
    check.that("shape of the head's kernel",
               kernel is not None and tuple(kernel.shape) == (BASE_SIZES[2], 7),
               None if kernel is None else tuple(kernel.shape), (BASE_SIZES[2], 7),
               hint="the head reads the penultimate layer's activations (4 of them here), not the "
                    "base's softmax output.")
    check.equal("number of trainable variables with freeze=True", len(model.trainable_weights), 2,
                hint="set layer.trainable = False on every reused base layer, so that only the "
                     "head's kernel and bias are trained.")
    check.that("the trainable variables are the head's",
               all(_contains(head, w) for w in model.trainable_weights),
               [w.path for w in model.trainable_weights], "the head's kernel and bias",
               hint="freeze the base layers, not the head.")
    check.close("the head's initial bias", np.asarray(bias), np.zeros(7),
                hint="a fresh Dense layer starts with zero biases; build a new layer.")
    expected = softmax(_features(X) @ np.asarray(kernel) + np.asarray(bias), axis=1)
    check.close("model(X), against a numpy forward pass", out, expected, rtol=1e-4, atol=1e-6,
                hint="the new head must sit on the base's penultimate layer's output, "
                     "base_model.layers[-2].output, with a softmax activation.")
    base_out = _predict(base, X)
    W3, b3 = base_weights()[4:]
    check.close("the base model's own predictions afterwards", base_out,
                softmax(_features(X) @ W3 + b3, axis=1), rtol=1e-4, atol=1e-6,
                hint="do not change the base's weights or remove its layers.")

    # a second call: same number of classes as the base, so reusing its head would "fit"
    base = make_base()
    model = fn(base, 3, freeze=True)
    head = [w for w in model.weights if not any(w is b for b in base.weights)]
    check.that("a fresh head with n_classes=3 (as many classes as the base)",
               len(head) == 2 and not any(_contains(base.layers[-1].weights, w)
                                          for w in model.weights),
               f"{len(head)} new variables", "two new variables, not the base's last layer",
               hint="always create a new Dense layer: the old head was trained for the old task.")

    # unfrozen: every reused layer trains, even if the base arrived frozen
    base = make_base(trainable=False)
    model = fn(base, 7, freeze=False)
    n_trainable = len(model.trainable_weights)
    check.equal("number of trainable variables with freeze=False (base arrived frozen)",
                n_trainable, len(base.layers[:-1]) * 2 + 2,
                hint="with freeze=False set layer.trainable = True on every reused layer "
                     "(layer.trainable = not freeze), so fine-tuning updates the whole network.")
    print("output shape for 5 examples and 7 classes:", out.shape)
    print("trainable variables: freeze=True -> 2, freeze=False ->", n_trainable)
    check.done()


# ----------------------------------------------------------------------------------------
# masked_binary_crossentropy

HAND_TRUE = [[1.0, -1.0, 0.0], [-1.0, -1.0, -1.0], [0.0, 1.0, -1.0]]
HAND_PRED = [[0.8, 0.5, 0.25], [0.9, 0.1, 0.5], [0.5, 0.6, 0.99]]
# labelled entries: p=0.8 for a 1, p=0.25 for a 0, p=0.5 for a 0, p=0.6 for a 1, so the
# four likelihoods are 0.8, 0.75, 0.5, 0.6 (product 0.18) and the mean loss is -ln(0.18) / 4
HAND_VALUE = 0.42869960178659424


def numpy_masked_bce(y_true, y_pred):
    """The masked loss written with numpy: mean binary cross-entropy over labelled entries."""
    y_true = np.asarray(y_true, dtype=float)
    p = np.clip(np.asarray(y_pred, dtype=float), EPSILON, 1 - EPSILON)
    labelled = y_true != MISSING
    if not labelled.any():
        return 0.0
    y, p = y_true[labelled], p[labelled]
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))


def loss_inputs():
    """A 12x4 batch with about half the labels missing and one fully unlabelled row."""
    rng = np.random.default_rng(11)
    y_true = rng.integers(0, 2, size=(12, 4)).astype("float32")
    y_true[rng.random((12, 4)) < 0.5] = MISSING
    y_true[4] = MISSING
    y_pred = rng.uniform(0.05, 0.95, size=(12, 4)).astype("float32")
    return y_true, y_pred


def _scalar(check, value, what):
    tf = _tf()
    check.that(f"type of {what}", isinstance(value, tf.Tensor) and tuple(value.shape) == (),
               f"{type(value).__name__} of shape {getattr(value, 'shape', None)}",
               "a scalar tf.Tensor (shape ())",
               hint="reduce to a single number with TensorFlow ops (tf.reduce_sum, ...), so Keras "
                    "can differentiate it.")
    return float(value)


_GRAPH_HINT = ("compute the loss with TensorFlow ops only: during fit Keras passes symbolic "
               "tensors, on which .numpy(), np.asarray(...) and numpy functions fail.")


def masked_binary_crossentropy(fn):
    """Check masked_binary_crossentropy(y_true, y_pred): mean cross-entropy over the
    labelled entries only (label -1 means missing), a scalar tensor."""
    tf = _tf()
    check = Checker("masked_binary_crossentropy")
    got = check.call(fn, tf.constant(HAND_TRUE), tf.constant(HAND_PRED))
    value = _scalar(check, got, "the loss")
    hint = "average -[y ln p + (1 - y) ln(1 - p)] over the labelled entries only."
    if not np.isfinite(value):
        hint = ("the loss is not finite: a row with no labels must not divide by zero; "
                "average over all labelled entries of the batch.")
    row_means = (-np.log(0.8 * 0.75) / 2 - np.log(0.5 * 0.6) / 2) / 3
    task_means = (-np.log(0.8 * 0.5) / 2 - np.log(0.6) - np.log(0.75)) / 3
    check.close("loss on the 3x3 hand example", value, HAND_VALUE, rtol=1e-5, hint=hint,
                mistakes=[(-np.log(0.18) / 9, "you divided by all 9 entries; divide by the "
                                              "number of labelled entries (4), so the loss does "
                                              "not shrink when more labels are missing."),
                          (row_means, "you averaged row means over all rows; average over "
                                      "labelled entries instead."),
                          (task_means, "you averaged the mean of each task (column); average "
                                       "over all labelled entries of the batch at once."),
                          (-HAND_VALUE, "the loss is negative: cross-entropy is "
                                        "-[y ln p + (1 - y) ln(1 - p)], mind the minus sign."),
                          (-np.log(0.8 * 0.6) / 2, "you kept only the labels equal to 1; a 0 is "
                                                   "a label too, only -1 marks a missing one."),
                          # all nine entries scored, the six missing ones as label 0
                          (-np.log(0.8 * 0.5 * 0.75 * 0.1 * 0.9 * 0.5 * 0.5 * 0.6 * 0.01) / 9,
                           "the missing entries were scored as 0 labels; leave them out of the "
                           "sum and of the count.")])

    y_true, y_pred = loss_inputs()
    value = _scalar(check, fn(tf.constant(y_true), tf.constant(y_pred)), "the loss")
    check.close("loss on a 12x4 batch with a fully unlabelled row, against numpy", value,
                numpy_masked_bce(y_true, y_pred), rtol=1e-5,
                hint="normalise by the total number of labelled entries in the batch; rows "
                     "without labels simply contribute nothing.")

    try:  # Keras traces the loss into a graph during fit: symbolic tensors, no numpy
        graph_value = float(tf.function(fn)(tf.constant(y_true), tf.constant(y_pred)))
    except Exception as error:  # noqa: BLE001 - any failure here is the learner's to see
        check.fail("the loss inside tf.function (as Keras calls it during fit)",
                   f"{type(error).__name__}: {str(error)[:200]}", "a scalar loss",
                   hint=_GRAPH_HINT)
    check.close("the loss inside tf.function, against numpy", graph_value,
                numpy_masked_bce(y_true, y_pred), rtol=1e-5, hint=_GRAPH_HINT)

    full = np.where(y_true == MISSING, 1.0, y_true).astype("float32")
    keras_value = float(tf.reduce_mean(
        tf.keras.losses.binary_crossentropy(tf.constant(full), tf.constant(y_pred))))
    check.close("loss with no missing labels, against Keras's binary_crossentropy",
                float(fn(tf.constant(full), tf.constant(y_pred))), keras_value, rtol=1e-5,
                hint="with nothing missing this is the ordinary mean binary cross-entropy.")

    changed = np.where(y_true == MISSING, np.float32(0.0), y_pred).astype("float32")
    changed[0, y_true[0] == MISSING] = 1.0
    value_changed = float(fn(tf.constant(y_true), tf.constant(changed)))
    check.that("loss when predictions at missing entries are 0 or 1", np.isfinite(value_changed),
               value_changed, "a finite number",
               hint="clip the predictions to [1e-7, 1 - 1e-7] before taking logs (as Keras does): "
                    "0 * log(0) is nan, even where the mask is 0.")
    check.close("loss after changing the predictions at missing entries only", value_changed,
                numpy_masked_bce(y_true, y_pred), rtol=1e-5,
                hint="predictions where the label is missing must not change the loss.")

    empty = tf.fill((3, 4), MISSING)
    value_empty = float(fn(empty, tf.constant(y_pred[:3])))
    check.that("loss of a batch with no labels at all", value_empty == 0.0, value_empty, 0.0,
               hint="divide by max(number of labelled entries, 1) so an all-missing batch gives "
                    "0 instead of 0 / 0 = nan.")

    p = tf.Variable(changed)
    with tf.GradientTape() as tape:
        loss = fn(tf.constant(y_true), p)
    grad = tape.gradient(loss, p)
    check.that("gradient with respect to y_pred", grad is not None, None, "a tensor",
               hint="compute the loss with TensorFlow ops only (no .numpy(), no numpy functions).")
    grad = grad.numpy()
    missing = y_true == MISSING
    check.that("gradient is finite everywhere", np.all(np.isfinite(grad)),
               rounded(grad[~np.isfinite(grad)][:4]), "finite values",
               hint="clip the predictions before the logs; a nan gradient at a masked entry "
                    "still poisons the weights.")
    check.close("gradient at the missing entries", grad[missing], np.zeros(missing.sum()),
                atol=1e-9, hint="missing entries must contribute nothing: multiply by a 0/1 "
                                "mask (or keep only labelled entries) before summing.")
    y, q = y_true[~missing], np.clip(changed[~missing], EPSILON, 1 - EPSILON)
    expected = (q - y) / (q * (1 - q)) / (~missing).sum()
    check.close("gradient at the labelled entries", grad[~missing], expected, rtol=1e-3, atol=1e-6,
                hint="d loss / d p = (p - y) / (p (1 - p)) / n_labelled.")
    print("loss on the 3x3 example:", rounded(float(got)))
    print("loss of an all-missing batch:", rounded(value_empty))
    print("labelled entries with a non-zero gradient:", int(np.sum(grad != 0)), "of",
          int((~missing).sum()))
    check.done()


# ----------------------------------------------------------------------------------------
# make_pair_dataset


def pair_inputs(channels=None):
    """12 tiny 3x2 images whose pixels encode their index (100 * index + position)."""
    m, h, w = 12, 3, 2
    images = 100.0 * np.arange(m)[:, None, None] + np.arange(h * w).reshape(1, h, w)
    if channels:
        images = np.repeat(images[..., None], channels, axis=-1)
    labels = (np.arange(m) * 7) % 10  # 0 7 4 1 8 5 2 9 6 3 0 7: every digit, shuffled
    return images.astype("float32"), labels.astype(np.int64)


def _indices(check, halves, images, what):
    """Which image each half is (by its pixel code), failing when a half is not an image."""
    index = np.rint(halves[:, 0, 0, ...].reshape(len(halves), -1)[:, 0] / 100).astype(int)
    ok = (index >= 0) & (index < len(images))
    exact = ok.all() and np.array_equal(halves, images[index])
    check.that(f"every {what} half is one of the input images", bool(exact),
               "pixels that match no single image", "exact copies",
               hint="cut nothing and mix nothing: take whole images, images[left_idx] and "
                    "images[right_idx], and join them side by side along the width (axis=2).")
    return index


def make_pair_dataset(fn):
    """Check make_pair_dataset(images, labels, n_pairs, seed): pairs side by side with the
    two labels and their sum, drawn independently and reproducibly."""
    check = Checker("make_pair_dataset")
    images, labels = pair_inputs()
    global_state = np.random.get_state()  # restored at the end: this check reseeds np.random
    result = check.call_or_fail(fn, images, labels, 500, 0,
                                hint="draw with replacement (rng.integers(0, len(images), "
                                     "n_pairs)): there can be more pairs than images.")
    check.type_is("the result", result, tuple,
                  hint="return the tuple (pair_images, sums, left_labels, right_labels).")
    check.equal("number of returned arrays", len(result), 4,
                hint="return (pair_images, sums, left_labels, right_labels).")
    pairs, sums, left, right = result
    check.array("pair_images for 500 pairs of 3x2 images", pairs, (500, 3, 4),
                hint="put the two images side by side: concatenate along the width, axis=2 (the "
                     "height stays 3, the width doubles to 4).")
    check.that("dtype of pair_images", pairs.dtype == images.dtype, pairs.dtype, images.dtype,
               hint="keep the images' dtype (no conversion needed).")
    for name, value in (("sums", sums), ("left_labels", left), ("right_labels", right)):
        check.array(name, value, (500,), hint=f"{name} is a flat array with one entry per pair.")
        check.that(f"dtype of {name}", value.dtype.kind in "iu", value.dtype, "integers",
                   hint="labels and sums are whole numbers: keep the labels' integer dtype.")
    left_idx = _indices(check, pairs[:, :, :2], images, "left")
    right_idx = _indices(check, pairs[:, :, 2:], images, "right")
    check.equal("left_labels (the labels of the left images)", left, labels[left_idx],
                hint="left_labels[i] is the label of the image placed on the left of pair i.")
    check.equal("right_labels (the labels of the right images)", right, labels[right_idx],
                hint="right_labels[i] is the label of the image placed on the right of pair i.")
    check.equal("sums", sums, left + right, hint="sums = left_labels + right_labels.")
    same = float(np.mean(left_idx == right_idx))
    check.that("left and right images drawn independently", same < 0.3, f"{same:.0%} of pairs",
               "the same image on both sides in about 1 pair in 12",
               hint="draw the right-hand indices separately from the left-hand ones.")
    check.that("every image is used on both sides",
               len(np.unique(left_idx)) == 12 and len(np.unique(right_idx)) == 12,
               f"{len(np.unique(left_idx))} on the left, {len(np.unique(right_idx))} on the "
               "right",
               "all 12 images on each side",
               hint="draw indices from the whole range 0 .. len(images) - 1.")

    np.random.seed(1)
    untouched = np.random.random(3)
    np.random.seed(1)
    again = fn(images, labels, 500, 0)
    after = np.random.random(3)
    check.that("the global numpy random state is left alone", np.array_equal(after, untouched),
               "the global generator was reseeded or advanced", "unchanged",
               hint="draw from rng = np.random.default_rng(seed) only; np.random.seed(seed) "
                    "would reset the global generator that the rest of the program relies on.")
    np.random.seed(2)
    third = fn(images, labels, 500, 0)
    check.that("same seed gives the same pairs (whatever the global numpy state)",
               all(np.array_equal(a, b) and np.array_equal(a, c)
                   for a, b, c in zip(again, third, result, strict=True)),
               "different arrays", "identical arrays",
               hint="draw from rng = np.random.default_rng(seed), not from np.random.")
    other = fn(images, labels, 500, 1)
    check.that("a different seed gives different pairs", not np.array_equal(other[0], pairs),
               "identical arrays", "different arrays", hint="pass the seed to the generator.")

    colour, colour_labels = pair_inputs(channels=3)
    pairs3 = fn(colour, colour_labels, 20, 0)[0]
    check.array("pair_images from 3x2 RGB images", pairs3, (20, 3, 4, 3),
                hint="concatenate along axis=2, the width, which also works for colour images "
                     "(axis=-1 would join the colour channels instead).")
    np.random.set_state(global_state)
    print("pair_images:", pairs.shape, "sums, left_labels, right_labels:", sums.shape)
    print("sums == left_labels + right_labels for all 500 pairs:",
          bool(np.array_equal(sums, left + right)))
    check.done()


# ----------------------------------------------------------------------------------------
# results of training: verdicts, never raw numbers (bands at the top of this module)


def pretrained_network(mnist_dev_accuracy, sklearn_dev_accuracy, n_params):
    """Verdicts on the CNN pretrained on MNIST: good on MNIST dev, much worse on the other
    collection of digits, and the parameter count fixed by the architecture."""
    verdict = Verdicts("pretrained network")
    verdict.exact("number of parameters", int(n_params), PRETRAINED_PARAMS,
                  hint="make_cnn: conv 16 (3x3) - pool - conv 32 (3x3) - pool - flatten - "
                       "softmax 10, with padding='same'.")
    verdict.within("MNIST dev accuracy", mnist_dev_accuracy, *PRETRAINED_MNIST_DEV,
                   hint="near 0.1 means the network did not learn: were the labels shuffled "
                        "with the images, and did fit run for the 4 epochs?")
    verdict.within("scikit-learn dev accuracy", sklearn_dev_accuracy, *PRETRAINED_SKLEARN_DEV,
                   hint="the scikit-learn digits must be 14x14 in [0, 1] like MNIST.")
    verdict.beats("MNIST dev accuracy against scikit-learn dev accuracy", mnist_dev_accuracy,
                  sklearn_dev_accuracy, by=DISTRIBUTION_COST,
                  hint="a change of distribution should cost many points.")
    verdict.done()


def transfer_strategies(accuracies, as_is_accuracy):
    """Verdicts on the table of dev accuracies (strategy -> accuracies for 3, 10 and 30
    labels per class) and the pretrained network used as it is."""
    scratch, frozen, tuned = (np.asarray(accuracies[name], dtype=float)
                              for name in ("from scratch", "frozen + new head", "fine-tuned"))
    head_hint = ("is the head a new Dense layer on the output of base_model.layers[-2] (the "
                 "288 flattened features), not on top of the old softmax?")
    verdict = Verdicts("transfer learning")
    for k, per_class in enumerate((3, 10, 30)):
        verdict.within(f"frozen + new head, {per_class}/class", frozen[k],
                       *FROZEN_HEAD[per_class], hint=head_hint)
    verdict.within("fine-tuned, 30/class", tuned[2], *FINE_TUNED_30, hint=head_hint)
    verdict.beats("frozen + new head at 3/class against the unchanged network", frozen[0],
                  as_is_accuracy, by=NEW_HEAD_GAIN, hint=head_hint)
    verdict.beats("frozen + new head against from scratch at 10/class", frozen[1], scratch[1],
                  by=TRANSFER_GAIN_10,
                  hint="the frozen model must start from a copy of the pretrained network.")
    verdict.beats("fine-tuned against from scratch at 30/class", tuned[2], scratch[2],
                  by=FINE_TUNED_GAIN_30,
                  hint="fine-tuning continues from the trained frozen model, unfrozen.")
    verdict.done()


def multi_task(results):
    """Verdicts on {network name: (number of parameters, per-task dev accuracies)} for the
    four single-task networks and the two multi-task networks."""
    means = {name: float(np.mean(acc)) for name, (_, acc) in results.items()}
    verdict = Verdicts("multi-task learning")
    for name, expected in MULTI_TASK_PARAMS.items():
        verdict.exact(f"parameters of {name}", int(results[name][0]), expected,
                      hint="trunk: conv w - pool - conv 2w - pool - dense 4w, then sigmoids.")
    for name, mean in means.items():
        verdict.within(f"mean accuracy of {name}", mean, *MULTI_TASK_MEAN,
                       hint="about 0.5 on every task: does the loss skip the entries equal "
                            "to -1 (mask them out of the sum and of the count)?")
    verdict.beats("mean accuracy, one multi-task (width 16) against four single-task",
                  means["one multi-task (width 16)"], means["four single-task (width 8)"],
                  hint="the shared trunk learns from the labels of all four tasks.")
    verdict.beats("mean accuracy, one multi-task (width 16) against width 8",
                  means["one multi-task (width 16)"], means["one multi-task (width 8)"],
                  by=WIDE_OVER_NARROW, hint="the small shared network should fall behind.")
    verdict.done()


def pipeline_vs_end_to_end(results, digit_accuracies, pair_sizes=(300, 4000)):
    """Verdicts on the sum accuracies of the pipeline and of the end-to-end network
    (``results = {"pipeline": [...], "end-to-end": [...]}``, one value per number of
    training pairs) and on the pipeline's digit accuracies."""
    verdict = Verdicts("pipeline vs end-to-end")
    pipeline, end_to_end = results["pipeline"], results["end-to-end"]
    for k, n_pairs in enumerate(pair_sizes):
        verdict.within(f"pipeline, {n_pairs} pairs", pipeline[k], *PIPELINE[n_pairs],
                       hint="the pipeline adds the digits its classifier reads in the left "
                            "and the right half of each pair.")
        verdict.within(f"end-to-end, {n_pairs} pairs", end_to_end[k], *END_TO_END[n_pairs],
                       hint="far above: are left and right drawn independently (not the same "
                            "image twice, which makes every sum even and easy)?")
        verdict.beats(f"pipeline against end-to-end, {n_pairs} pairs", pipeline[k],
                      end_to_end[k], by=PIPELINE_LEAD[n_pairs])
        square = float(digit_accuracies[k]) ** 2
        verdict.that(f"pipeline, {n_pairs} pairs, is within {SQUARE_RULE:g} of its digit "
                     "accuracy squared", abs(float(pipeline[k]) - square) <= SQUARE_RULE,
                     f"pipeline {float(pipeline[k]):.4g}, digit accuracy squared {square:.4g}",
                     hint="a sum is right when both digits are read right: classify the two "
                          "halves separately.")
    verdict.beats("end-to-end, 4000 pairs against 300 pairs", end_to_end[-1], end_to_end[0],
                  by=END_TO_END_GAIN, hint="more pairs should help the end-to-end network.")
    verdict.done()
