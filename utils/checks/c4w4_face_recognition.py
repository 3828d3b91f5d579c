"""Checks for Course 4, week 4: face recognition with the triplet loss.

Oracles. ``triplet_loss`` is compared with the formula worked out here with plain numpy,
triplet by triplet in a Python loop, on a hand-made batch (where one triplet's margin is
met, so its term clips to zero) and on seeded random batches with two margins; the common
wrong variants (mean over the batch, distances not squared, no clipping at zero, the margin
subtracted, distances summed over the batch axis) are computed the same way and named when
the learner's value matches one. A gradient through the loss must exist (TensorFlow ops, not
numpy).

``verify`` and ``who_is_it`` run on a small embedding model of the check's own (average
pooling to 3x3, a dense layer with fixed weights, L2 normalisation) whose encoding of a photo
is recomputed here in numpy, and on a database built around that encoding at chosen
distances, so the expected distance, decision and nearest name are known exactly. One
database holds two names under the threshold with the nearer one later in dict order (a loop
that stops at the first name under the threshold fails). The notebook states strict
comparisons (``dist < threshold``; the nearest kept only when strictly smaller), so ties are
checked too: the photo's own encoding, computed by the Keras model as ``img_to_encoding``
does, is at distance exactly 0, and a threshold of 0 must turn it away; two identical
entries must give the first name. Both functions' printed messages are swallowed by the
checks.

TensorFlow and Keras are imported inside the functions, so importing this module before
``utils.setup_notebook(tensorflow=True)`` does not import TensorFlow too early.

``live_training`` and ``trained_embedding`` are verdicts on training results, not checks of
one function.
"""

import contextlib
import inspect
import io

import numpy as np

from utils.checks.harness import Checker
from utils.checks.verdicts import Verdicts

# ----------------------------------------------------------------------------------------
# Bands for the notebook's training results (see each function); min and max over the runs
# are written next to each band.

# Live run (section 5): 60 steps of batch-hard training (P x K = 16 x 4, Adam 0.002) with the
# learner's loss from the seeded initial weights, on 8 photos of each training identity; the
# validation verification accuracy (balanced pairs, best threshold) before and after.
# Measured with seeds 0-2 (global seed and batch order; the notebook uses 0) natively (AVX-512,
# 1 TF thread) and under the test profile (XLA for AVX2, 2 intra-op threads, AVX2 numpy and
# OpenBLAS), and seeds 0-1 under the second profile (XLA for SSE4.2, SSE4.2 numpy, Nehalem
# OpenBLAS; it gave the native numbers exactly): 8 runs. First-quarter mean loss 0.226-0.238,
# accuracy 0.672 untrained (the initial weights do not depend on the seed), 0.888-0.907 after
# (gain 0.216-0.235). Broken, seed 0: margin subtracted (alpha -> -0.2): first-quarter loss
# 0.004, gain 0.017 (both outside); margin forgotten (alpha 0): loss 0.033 (outside), gain 0.18.
LIVE_FIRST_LOSS_BAND = (0.18, 0.35)
LIVE_ACCURACY_GAIN_MIN = 0.1

# Committed weights (python -m utils.builders.face_embedding), evaluated in the notebook
# (inference only). measured natively: threshold 0.617, validation accuracy 0.991, test
# verification accuracy 0.988 (2,700 balanced pairs of unseen identities), recognition
# accuracy 0.989 (270 photos against a database of 30 unseen identities); the builder's own
# record over training: validation accuracy 0.976-0.991 from step 250 on. A model left
# untrained verifies validation pairs at 0.672 (outside).
VALIDATION_ACCURACY_BAND = (0.95, 1.0)
TEST_ACCURACY_BAND = (0.95, 1.0)
RECOGNITION_ACCURACY_BAND = (0.93, 1.0)
THRESHOLD_BAND = (0.4, 0.9)


def _tf():
    import tensorflow as tf

    return tf


# ----------------------------------------------------------------------------------------
# triplet_loss


def _numpy_triplet(anchor, positive, negative, alpha, *, square=True, clip=True, mean=False,
                   sign=1.0, batch_axis=False):
    """The triplet loss, or one of its usual wrong variants, one triplet at a time."""
    a, p, n = (np.asarray(x, dtype=np.float64) for x in (anchor, positive, negative))
    if batch_axis:  # distances summed over the batch axis instead of the embedding axis
        pos = ((a - p) ** 2).sum(axis=0)
        neg = ((a - n) ** 2).sum(axis=0)
        return float(np.maximum(pos - neg + alpha, 0.0).sum())
    terms = []
    for i in range(a.shape[0]):
        pos = sum((a[i, k] - p[i, k]) ** 2 for k in range(a.shape[1]))
        neg = sum((a[i, k] - n[i, k]) ** 2 for k in range(a.shape[1]))
        if not square:
            pos, neg = np.sqrt(pos), np.sqrt(neg)
        term = pos - neg + sign * alpha
        terms.append(max(term, 0.0) if clip else term)
    return float(np.mean(terms) if mean else np.sum(terms))


def _triplet_mistakes(a, p, n, alpha):
    return [
        (_numpy_triplet(a, p, n, alpha, mean=True),
         "add up the clipped terms over the batch with tf.reduce_sum; tf.reduce_mean divides "
         "by the batch size."),
        (_numpy_triplet(a, p, n, alpha, square=False),
         "the distances are squared: tf.reduce_sum(tf.square(anchor - positive), axis=-1), "
         "with no square root."),
        (_numpy_triplet(a, p, n, alpha, clip=False),
         "clip each triplet's term at zero with tf.maximum(basic_loss, 0.0) before adding "
         "them up: a triplet that already meets the margin should cost nothing."),
        (_numpy_triplet(a, p, n, alpha, sign=-1.0),
         "the margin is added: pos_dist - neg_dist + alpha."),
        (_numpy_triplet(a, p, n, alpha, square=False, clip=False),
         "square the distances and clip each term at zero."),
        (_numpy_triplet(a, p, n, alpha, batch_axis=True),
         "sum the squared differences over the embedding axis (axis=-1), one distance per "
         "triplet, not over the batch axis."),
        (-_numpy_triplet(a, p, n, alpha),
         "the loss is positive: pos_dist - neg_dist + alpha, clipped at zero."),
    ]


def _loss_value(check, what, got):
    """The learner's loss as a float, after checking that it is one scalar."""
    check.that(f"shape of {what}", np.shape(got) == (), np.shape(got), "() (a scalar)",
               hint="reduce over the batch too: the loss is one number, "
                    "tf.reduce_sum(tf.maximum(basic_loss, 0.0)).")
    return float(np.asarray(got))


def triplet_loss(fn):
    """Check triplet_loss(y_true, y_pred, alpha) against a numpy oracle and known mistakes."""
    tf = _tf()
    check = Checker("triplet_loss")
    # a hand-made batch of three 2-d triplets:
    #   1) |a-p|^2 = 1, |a-n|^2 = 4: 1 - 4 + 0.2 < 0, clipped to 0 (the margin is met)
    #   2) |a-p|^2 = 0.25, |a-n|^2 = 0.25: 0 + 0.2 = 0.2 (a tie costs the margin)
    #   3) |a-p|^2 = 2, |a-n|^2 = 1: 2 - 1 + 0.2 = 1.2 (the negative is closer)
    anchor = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]], dtype=np.float32)
    positive = np.array([[1.0, 0.0], [1.5, 1.0], [1.0, 0.0]], dtype=np.float32)
    negative = np.array([[0.0, 2.0], [1.0, 0.5], [1.0, 1.0]], dtype=np.float32)
    y_pred = [tf.constant(anchor), tf.constant(positive), tf.constant(negative)]
    got = check.call(fn, None, y_pred)
    value = _loss_value(check, "triplet_loss(None, y_pred) on the hand-made batch", got)
    check.close("the loss of three hand-worked triplets (terms 0, 0.2 and 1.2; alpha=0.2)",
                value, 1.4, rtol=1e-5, atol=1e-6,
                hint="per triplet: squared distances to the positive and to the negative, "
                     "pos_dist - neg_dist + alpha clipped at 0; then the sum.",
                mistakes=_triplet_mistakes(anchor, positive, negative, 0.2))

    rng = np.random.default_rng(4)
    for alpha, batch, dim in ((0.2, 5, 8), (1.5, 7, 4)):
        a, p, n = (rng.standard_normal((batch, dim)).astype(np.float32) * 0.5 for _ in range(3))
        got = check.call(fn, None, [tf.constant(a), tf.constant(p), tf.constant(n)],
                         alpha=alpha)
        what = f"triplet_loss on {batch} random {dim}-d triplets with alpha={alpha}"
        value = _loss_value(check, what, got)
        check.close(what, value, _numpy_triplet(a, p, n, alpha), rtol=1e-4, atol=1e-5,
                    hint="use the alpha argument, square the distances, clip each term at "
                         "0 and sum over the batch.",
                    mistakes=_triplet_mistakes(a, p, n, alpha))

    # the loss must be differentiable: training takes its gradient
    variable = tf.Variable(anchor)
    with tf.GradientTape() as tape:
        loss = fn(None, [variable, tf.constant(positive), tf.constant(negative)])
    gradient = tape.gradient(loss, variable) if tf.is_tensor(loss) else None
    check.that("a gradient of the loss with respect to the anchors", gradient is not None,
               "no gradient (None)", "a (3, 2) gradient",
               hint="compute with TensorFlow ops (tf.square, tf.reduce_sum, tf.maximum) on "
                    "the tensors, not numpy, so that training can differentiate the loss.")
    # d/da of the three terms: 0 for the clipped one, 2(n - p) for the others
    expected = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, -2.0]]) * 1.0
    expected[1:] = 2 * (negative[1:] - positive[1:])
    check.close("the gradient with respect to the anchors", np.asarray(gradient), expected,
                rtol=1e-5, atol=1e-6,
                hint="a clipped triplet contributes no gradient; the others 2 (n - p).")
    check.done()


# ----------------------------------------------------------------------------------------
# a small embedding model whose encoding is recomputed here


CHECK_SIZE = 48
CHECK_DIM = 8


def _check_model_weights():
    rng = np.random.default_rng(7)
    kernel = rng.standard_normal((27, CHECK_DIM)).astype(np.float32) * 0.3
    bias = rng.uniform(-0.2, 0.2, CHECK_DIM).astype(np.float32)
    return kernel, bias


def check_model():
    """A tiny Keras embedding model (48x48x3 photo -> unit 8-vector) with fixed weights."""
    import keras

    inputs = keras.Input((CHECK_SIZE, CHECK_SIZE, 3))
    x = keras.layers.AveragePooling2D(16)(inputs)
    x = keras.layers.Flatten()(x)
    dense = keras.layers.Dense(CHECK_DIM)
    x = keras.layers.UnitNormalization()(dense(x))
    model = keras.Model(inputs, x, name="check_embedding")
    dense.set_weights(list(_check_model_weights()))
    return model


def _check_encoding(image):
    """The check model's encoding of a uint8 photo, in numpy: pixels / 255, 16x16 average
    pooling, the dense layer, division by the norm."""
    x = np.asarray(image, dtype=np.float64) / 255.0
    pooled = x.reshape(3, 16, 3, 16, 3).mean(axis=(1, 3)).reshape(-1)
    kernel, bias = _check_model_weights()
    z = pooled @ kernel.astype(np.float64) + bias
    return z / np.linalg.norm(z)


def _photo(seed):
    return np.random.default_rng(seed).integers(0, 256, (CHECK_SIZE, CHECK_SIZE, 3),
                                                dtype=np.uint8)


def _at_distance(encoding, distance, seed):
    """A database vector exactly ``distance`` away from ``encoding``."""
    direction = np.random.default_rng(seed).standard_normal(encoding.shape)
    direction /= np.linalg.norm(direction)
    return (encoding + distance * direction).astype(np.float32)


def _model_encoding(model, image):
    """The check model's encoding of ``image`` computed by Keras the way img_to_encoding does
    it, so that a database entry made from it is at distance exactly 0 from the photo."""
    x = np.asarray(image, dtype=np.float32)[None] / 255.0
    return np.asarray(model(x, training=False))[0].copy()


def _quiet(check, fn, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return check.call_or_fail(
            fn, *args, hint="img_to_encoding(image_path, model) gives the photo's encoding; "
                            "database[name] is a vector of the same length.", **kwargs)


def _pair(check, what, got, hint):
    check.that(f"type of {what}", isinstance(got, tuple) and len(got) == 2,
               type(got).__name__, "a tuple of two values", hint=hint)
    return got


def verify(fn):
    """Check verify(image_path, identity, database, model, threshold=...)."""
    check = Checker("verify")
    model = check_model()
    image = _photo(1)
    encoding = _check_encoding(image)
    database = {"ana": _at_distance(encoding, 1.1, 2), "ben": _at_distance(encoding, 0.3, 3),
                "cy": _at_distance(encoding, 0.8, 4)}
    order_hint = "return dist, door_open (in that order)."
    for identity, threshold, dist, door_open in (("ben", 0.5, 0.3, True),
                                                 ("cy", 0.5, 0.8, False),
                                                 ("cy", 1.0, 0.8, True),
                                                 ("ana", 1.0, 1.1, False)):
        what = f"verify(photo, {identity!r}, database, model, threshold={threshold})"
        got = _pair(check, what, _quiet(check, fn, image, identity, database, model,
                                        threshold=threshold), order_hint)
        check.number(f"dist from {what}", got[0],
                     hint="np.linalg.norm(encoding - database[identity]) is one number; "
                          "check that the encoding is a vector, not a batch of one." +
                          (" The first value is the distance: " + order_hint
                           if isinstance(got[0], (bool, np.bool_)) else ""))
        check.close(f"dist from {what}", float(got[0]), dist, rtol=1e-4, atol=1e-5,
                    hint="the Euclidean distance between the photo's encoding and "
                         "database[identity].",
                    mistakes=[(dist ** 2, "use the distance itself (np.linalg.norm), not "
                                          "its square.")])
        check.that(f"type of door_open from {what}", isinstance(got[1], (bool, np.bool_)),
                   type(got[1]).__name__, "bool", hint="door_open = dist < threshold.")
        hint = ("open the door when dist < threshold." if door_open == (dist < 0.7) else
                "use the threshold argument, not a fixed number.")
        check.equal(f"door_open from {what}", bool(got[1]), door_open, hint=hint)
    # a tie: the photo's own encoding is in the database (distance exactly 0) and the
    # threshold is 0; the distance is not below the threshold, so the door stays shut
    own = {"dot": _model_encoding(model, image)}
    what = "verify(photo, 'dot', database, model, threshold=0.0)"
    got = _pair(check, what, _quiet(check, fn, image, "dot", own, model, threshold=0.0),
                order_hint)
    check.close(f"dist from {what} (the photo's own encoding)", float(got[0]), 0.0,
                atol=1e-6, hint="the Euclidean distance between the photo's encoding and "
                                "database[identity].")
    check.equal(f"door_open from {what} (a distance equal to the threshold)", bool(got[1]),
                False, hint="a distance equal to the threshold is not below it: "
                            "door_open = dist < threshold, not dist <= threshold.")
    params = inspect.signature(fn).parameters
    check.that("a threshold parameter of verify", "threshold" in params, list(params),
               "a parameter named threshold",
               hint="def verify(image_path, identity, database, model, threshold=THRESHOLD).")
    check.done()


def who_is_it(fn):
    """Check who_is_it(image_path, database, model, threshold=...)."""
    check = Checker("who_is_it")
    model = check_model()
    image = _photo(5)
    encoding = _check_encoding(image)
    near = {"ana": _at_distance(encoding, 0.9, 6), "ben": _at_distance(encoding, 1.4, 7),
            "cy": _at_distance(encoding, 0.25, 8), "dee": _at_distance(encoding, 0.6, 9)}
    far = {"eve": _at_distance(encoding, 1.3, 10), "fay": _at_distance(encoding, 1.15, 11),
           "gus": _at_distance(encoding, 1.8, 12)}
    # two names under the threshold, the nearer one later in the dict
    close = {"hal": _at_distance(encoding, 0.45, 13), "ivy": _at_distance(encoding, 1.25, 14),
             "jo": _at_distance(encoding, 0.15, 15), "kim": _at_distance(encoding, 0.35, 16)}
    # ties: the photo's own encoding twice (distance exactly 0 to both), threshold 0
    own = _model_encoding(model, image)
    twins = {"lee": _at_distance(encoding, 0.8, 17), "max": own.copy(), "ned": own.copy()}
    pair_hint = "return min_dist, identity (in that order)."
    for database, threshold, min_dist, identity in ((near, 0.5, 0.25, "cy"),
                                                    (near, 0.2, 0.25, None),
                                                    (far, 0.5, 1.15, None),
                                                    (far, 1.2, 1.15, "fay"),
                                                    (close, 1.0, 0.15, "jo"),
                                                    (twins, 0.0, 0.0, None),
                                                    (twins, 0.5, 0.0, "max")):
        what = (f"who_is_it(photo, database of {list(database)}, model, "
                f"threshold={threshold})")
        got = _pair(check, what, _quiet(check, fn, image, database, model,
                                        threshold=threshold), pair_hint)
        check.number(f"min_dist from {what}", got[0],
                     hint="min_dist is one number, the smallest distance found. " + pair_hint)
        in_order = [float(np.linalg.norm(encoding - v)) for v in database.values()]
        distances = sorted(in_order)
        first_under = next((d for d in in_order if d < threshold), None)
        stop_early = ([] if first_under is None or abs(first_under - min_dist) < 1e-3 else
                      [(first_under, "do not stop at the first name under the threshold: "
                                     "look at every entry and keep the nearest, then compare "
                                     "that smallest distance with the threshold.")])
        check.close(f"min_dist from {what}", float(got[0]), min_dist, rtol=1e-4, atol=1e-5,
                    hint="loop over every name of the database and keep the smallest "
                         "distance; start from a min_dist larger than any distance (np.inf).",
                    mistakes=stop_early + [
                              (distances[-1], "keep the smallest distance (dist < min_dist), "
                                              "not the largest."),
                              (min_dist ** 2, "use the distance itself (np.linalg.norm), not "
                                              "its square."),
                              (1.0, "start from a min_dist larger than any distance: "
                                    "np.inf.")])
        if identity is None and min_dist == threshold:
            hint = ("the nearest distance equals the threshold, so it is not below it: "
                    "return None when min_dist >= threshold (not only when it is larger).")
        elif identity is None:
            hint = ("the nearest entry is farther than the threshold: return None for the "
                    "identity (the person is not in the database).")
        elif database is twins:
            hint = ("two entries are exactly as near: keep the first one found, replacing "
                    "the nearest only when a distance is strictly smaller (dist < min_dist).")
        else:
            hint = ("return the name of the nearest entry when its distance is below the "
                    "threshold (use the threshold argument).")
        check.equal(f"identity from {what}", got[1], identity, hint=hint)
    params = inspect.signature(fn).parameters
    check.that("a threshold parameter of who_is_it", "threshold" in params, list(params),
               "a parameter named threshold",
               hint="def who_is_it(image_path, database, model, threshold=THRESHOLD).")
    check.done()


# ----------------------------------------------------------------------------------------
# verdicts on training results


def live_training(losses, accuracy_before, accuracy_after):
    """Verdicts on the few live training steps: the loss starts near the margin, and the
    encodings verify validation pairs better after training than before."""
    losses = np.asarray(losses, dtype=np.float64)
    verdict = Verdicts(f"{len(losses)} live steps")
    quarter = max(len(losses) // 4, 1)
    verdict.within("mean loss per triplet over the first quarter of the steps",
                   losses[:quarter].mean(), *LIVE_FIRST_LOSS_BAND,
                   hint="an untrained network's batch-hard loss is a little above the margin "
                        "alpha = 0.2; far from it, check the loss's sum, squares and margin.")
    verdict.above("gain in validation verification accuracy from the live steps",
                  accuracy_after - accuracy_before, LIVE_ACCURACY_GAIN_MIN,
                  hint="training should improve the encodings: is the gradient flowing "
                       "(TensorFlow ops), and is the margin added, not subtracted?")
    verdict.done()


def trained_embedding(validation_accuracy, threshold, test_accuracy, recognition_accuracy):
    """Verdicts on the committed weights: verification at the chosen threshold on validation
    and on unseen test identities, and recognition against a database of unseen ones."""
    verdict = Verdicts("committed embedding")
    verdict.within("threshold chosen on the validation ROC", threshold, *THRESHOLD_BAND)
    verdict.within("verification accuracy on validation pairs", validation_accuracy,
                   *VALIDATION_ACCURACY_BAND)
    verdict.within("verification accuracy on pairs of unseen identities", test_accuracy,
                   *TEST_ACCURACY_BAND,
                   hint="were the committed weights loaded into the model?")
    verdict.within("recognition accuracy against the database of unseen identities",
                   recognition_accuracy, *RECOGNITION_ACCURACY_BAND)
    verdict.done()
