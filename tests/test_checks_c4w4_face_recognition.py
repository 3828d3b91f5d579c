"""The face-recognition checks pass a correct reference and catch typical mistakes."""

import numpy as np
import pytest

import utils
from tests.check_contract import (
    blank_raises_not_implemented,
    mistake_is_caught,
    reference_passes,
)
from utils.checks import c4w4_face_recognition as check
from utils.checks.harness import CheckFailure

tf = utils.setup_notebook(tensorflow=True)

THRESHOLD = 0.7

# ----------------------------------------------------------------------------------------
# correct references written here, with switches for the typical mistakes


def make_triplet_loss(reduce="sum", square=True, clip=True, sign=1.0, axis=-1, use_numpy=False):
    def triplet_loss(y_true, y_pred, alpha=0.2):
        anchor, positive, negative = y_pred[0], y_pred[1], y_pred[2]
        if use_numpy:
            a, p, n = (np.asarray(x) for x in (anchor, positive, negative))
            pos = np.sum((a - p) ** 2, axis=-1)
            neg = np.sum((a - n) ** 2, axis=-1)
            return np.sum(np.maximum(pos - neg + alpha, 0.0))
        pos = tf.reduce_sum(tf.square(anchor - positive), axis=axis)
        neg = tf.reduce_sum(tf.square(anchor - negative), axis=axis)
        if not square:
            pos, neg = tf.sqrt(pos), tf.sqrt(neg)
        basic = pos - neg + sign * alpha
        if clip:
            basic = tf.maximum(basic, 0.0)
        if reduce == "none":
            return basic
        return tf.reduce_mean(basic) if reduce == "mean" else tf.reduce_sum(basic)
    return triplet_loss


def img_to_encoding(image_path, model):
    x = np.asarray(image_path, dtype=np.float32)[None] / 255.0
    return np.asarray(model(x, training=False))[0]


def make_verify(squared=False, fixed=None, swap=False, batch=False, greater=False,
                at_most=False):
    def verify(image_path, identity, database, model, threshold=THRESHOLD):
        encoding = img_to_encoding(image_path, model)
        if batch:
            encoding = encoding[None]
            dist = np.linalg.norm(encoding - database[identity], axis=-1)
        else:
            dist = np.linalg.norm(encoding - database[identity])
        if squared:
            dist = dist ** 2
        limit = threshold if fixed is None else fixed
        door_open = dist > limit if greater else (dist <= limit if at_most else dist < limit)
        print("welcome" if door_open else "go away")
        return (door_open, dist) if swap else (dist, door_open)
    return verify


def make_who_is_it(start=np.inf, largest=False, no_threshold=False, squared=False,
                   name_when_far=False, first_under=False, last_of_ties=False,
                   none_only_above=False):
    def who_is_it(image_path, database, model, threshold=THRESHOLD):
        encoding = img_to_encoding(image_path, model)
        min_dist = -np.inf if largest else start
        identity = None
        for name, db_enc in database.items():
            dist = np.linalg.norm(encoding - db_enc)
            if squared:
                dist = dist ** 2
            if first_under and dist < threshold:
                return dist, name
            if largest:
                better = dist > min_dist
            else:
                better = dist <= min_dist if last_of_ties else dist < min_dist
            if better:
                min_dist, identity = dist, name
        far = min_dist > threshold if none_only_above else min_dist >= threshold
        if far and not no_threshold and not name_when_far:
            print("not in the database")
            identity = None
        return min_dist, identity
    return who_is_it


def verify_without_threshold(image_path, identity, database, model):
    encoding = img_to_encoding(image_path, model)
    dist = np.linalg.norm(encoding - database[identity])
    return dist, bool(dist < 0.5)


REFERENCE = {"triplet_loss": make_triplet_loss(), "verify": make_verify(),
             "who_is_it": make_who_is_it()}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    out = reference_passes(check, REFERENCE, name, capsys)
    assert "welcome" not in out and "not in the database" not in out


def test_library_triplet_loss_passes(capsys):
    from utils.models.face_embedding import triplet_loss

    check.triplet_loss(lambda y_true, y_pred, alpha=0.2: triplet_loss(*y_pred, alpha=alpha))
    assert "passed" in capsys.readouterr().out


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, sorted(REFERENCE))


def test_check_model_encoding_matches_keras():
    image = check._photo(3)
    got = img_to_encoding(image, check.check_model())
    np.testing.assert_allclose(got, check._check_encoding(image), rtol=1e-5, atol=1e-6)


TRIPLET_MISTAKES = [
    (make_triplet_loss(reduce="mean"), "tf.reduce_mean divides"),
    (make_triplet_loss(square=False), "no square root"),
    (make_triplet_loss(clip=False), "clip each triplet's term at zero"),
    (make_triplet_loss(sign=-1.0), "the margin is added"),
    (make_triplet_loss(axis=0), "over the embedding axis"),
    (make_triplet_loss(reduce="none"), "the loss is one number"),
    (make_triplet_loss(use_numpy=True), "TensorFlow ops"),
]


@pytest.mark.parametrize(("wrong", "word"), TRIPLET_MISTAKES,
                         ids=["mean", "no square", "no max", "alpha sign", "batch axis",
                              "not reduced", "numpy"])
def test_triplet_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "triplet_loss", wrong, word)


VERIFY_MISTAKES = [
    (make_verify(squared=True), "not its square"),
    (make_verify(fixed=0.7), "use the threshold argument"),
    (make_verify(swap=True), "return dist, door_open"),
    (make_verify(batch=True), "one number"),
    (make_verify(greater=True), "dist < threshold"),
    (verify_without_threshold, "threshold"),
    (make_verify(at_most=True), "not dist <= threshold"),
]


@pytest.mark.parametrize(("wrong", "word"), VERIFY_MISTAKES,
                         ids=["squared", "fixed threshold", "swapped", "batch of one",
                              "greater", "no threshold parameter", "tie opens the door"])
def test_verify_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "verify", wrong, word)


WHO_MISTAKES = [
    (make_who_is_it(largest=True), "not the largest"),
    (make_who_is_it(start=1.0), "np.inf"),
    (make_who_is_it(squared=True), "not its square"),
    (make_who_is_it(no_threshold=True), "return None"),
    (make_who_is_it(name_when_far=True), "return None"),
    (make_who_is_it(first_under=True), "do not stop at the first name"),
    (make_who_is_it(none_only_above=True), "min_dist >= threshold"),
    (make_who_is_it(last_of_ties=True), "keep the first one found"),
]


@pytest.mark.parametrize(("wrong", "word"), WHO_MISTAKES,
                         ids=["largest", "start at 1", "squared", "no threshold",
                              "name when far", "first under the threshold",
                              "tie gives a name", "last of equal distances"])
def test_who_is_it_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "who_is_it", wrong, word)


def test_who_is_it_that_ignores_the_threshold_argument_fails():
    def who_is_it(image_path, database, model, threshold=THRESHOLD):
        return make_who_is_it()(image_path, database, model, threshold=0.7)

    with pytest.raises(CheckFailure, match="threshold"):
        check.who_is_it(who_is_it)


def test_verdicts_hold_for_measured_numbers(capsys):
    check.live_training(np.linspace(0.25, 0.19, 60), 0.672, 0.89)
    check.trained_embedding(0.991, 0.617, 0.988, 0.989)
    assert "verdicts hold" in capsys.readouterr().out


def test_verdicts_fail_for_untrained_numbers():
    with pytest.raises(CheckFailure):
        check.live_training(np.linspace(0.25, 0.19, 60), 0.672, 0.689)  # margin subtracted
    with pytest.raises(CheckFailure):
        check.live_training(np.linspace(0.03, 0.0, 60), 0.672, 0.85)  # margin forgotten
    with pytest.raises(CheckFailure):
        check.trained_embedding(0.672, 0.617, 0.66, 0.5)  # untrained model
