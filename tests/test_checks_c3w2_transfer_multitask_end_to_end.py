"""The Course 3 week 2 checks pass correct functions and catch the typical mistakes."""

import numpy as np
import pytest

import utils
from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c3w2_transfer_multitask_end_to_end as check
from utils.checks.harness import CheckFailure

tf = utils.setup_notebook(tensorflow=True)
import keras  # noqa: E402  (after the set-up call, which configures TensorFlow first)

# ----------------------------------------------------------------------------------------
# correct references, written here independently of the notebook


def build_transfer_model(base_model, n_classes, freeze=True):
    for layer in base_model.layers[:-1]:
        layer.trainable = not freeze
    features = base_model.layers[-2].output
    head = keras.layers.Dense(n_classes, activation="softmax")(features)
    return keras.Model(base_model.inputs, head)


def masked_binary_crossentropy(y_true, y_pred):
    keep = tf.not_equal(y_true, -1.0)
    y = tf.boolean_mask(y_true, keep)
    p = tf.clip_by_value(tf.boolean_mask(y_pred, keep), 1e-7, 1 - 1e-7)
    total = -tf.reduce_sum(y * tf.math.log(p) + (1 - y) * tf.math.log(1 - p))
    return total / tf.maximum(tf.cast(tf.size(y), tf.float32), 1.0)


def make_pair_dataset(images, labels, n_pairs, seed):
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(images), size=(2, n_pairs))
    left, right = chosen
    pairs = np.concatenate([images[left], images[right]], axis=2)
    return pairs, labels[left] + labels[right], labels[left], labels[right]


REFERENCE = {f.__name__: f for f in (build_transfer_model, masked_binary_crossentropy,
                                     make_pair_dataset)}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, REFERENCE)


def test_hand_value_matches_numpy_oracle():
    assert np.isclose(check.numpy_masked_bce(check.HAND_TRUE, check.HAND_PRED),
                      check.HAND_VALUE, rtol=1e-12)


# ----------------------------------------------------------------------------------------
# typical mistakes, each with a word the message must contain


def transfer_cloned(base_model, n_classes, freeze=True):
    copy = keras.models.clone_model(base_model)
    copy.set_weights(base_model.get_weights())
    return build_transfer_model(copy, n_classes, freeze)


def transfer_on_softmax(base_model, n_classes, freeze=True):
    for layer in base_model.layers:
        layer.trainable = not freeze
    head = keras.layers.Dense(n_classes, activation="softmax")(base_model.layers[-1].output)
    return keras.Model(base_model.inputs, head)


def transfer_not_frozen(base_model, n_classes, freeze=True):
    head = keras.layers.Dense(n_classes, activation="softmax")(base_model.layers[-2].output)
    return keras.Model(base_model.inputs, head)


def transfer_freeze_only(base_model, n_classes, freeze=True):
    if freeze:
        for layer in base_model.layers[:-1]:
            layer.trainable = False
    head = keras.layers.Dense(n_classes, activation="softmax")(base_model.layers[-2].output)
    return keras.Model(base_model.inputs, head)


def transfer_linear_head(base_model, n_classes, freeze=True):
    for layer in base_model.layers[:-1]:
        layer.trainable = not freeze
    head = keras.layers.Dense(n_classes)(base_model.layers[-2].output)
    return keras.Model(base_model.inputs, head)


def transfer_reuse_old_head(base_model, n_classes, freeze=True):
    if n_classes == base_model.output_shape[-1]:
        for layer in base_model.layers[:-1]:
            layer.trainable = not freeze
        return keras.Model(base_model.inputs, base_model.outputs)
    return build_transfer_model(base_model, n_classes, freeze)


def _bce(y, p):
    p = tf.clip_by_value(p, 1e-7, 1 - 1e-7)
    return -(y * tf.math.log(p) + (1 - y) * tf.math.log(1 - p))


def loss_mean_over_all(y_true, y_pred):
    mask = tf.cast(tf.not_equal(y_true, -1.0), tf.float32)
    return tf.reduce_mean(_bce(y_true, y_pred) * mask)


def loss_unmasked(y_true, y_pred):
    return tf.reduce_mean(_bce(y_true, y_pred))


def loss_row_means(y_true, y_pred):
    mask = tf.cast(tf.not_equal(y_true, -1.0), tf.float32)
    rows = tf.reduce_sum(_bce(y_true, y_pred) * mask, axis=1) / tf.reduce_sum(mask, axis=1)
    return tf.reduce_mean(rows)


def loss_no_guard(y_true, y_pred):
    mask = tf.cast(tf.not_equal(y_true, -1.0), tf.float32)
    return tf.reduce_sum(_bce(y_true, y_pred) * mask) / tf.reduce_sum(mask)


def loss_no_clip(y_true, y_pred):
    mask = tf.cast(tf.not_equal(y_true, -1.0), tf.float32)
    raw = -(y_true * tf.math.log(y_pred) + (1 - y_true) * tf.math.log(1 - y_pred))
    return tf.reduce_sum(raw * mask) / tf.maximum(tf.reduce_sum(mask), 1.0)


def loss_numpy(y_true, y_pred):
    return tf.constant(check.numpy_masked_bce(np.asarray(y_true), np.asarray(y_pred)),
                       dtype=tf.float32)


def pairs_same_index(images, labels, n_pairs, seed):
    idx = np.random.default_rng(seed).integers(0, len(images), n_pairs)
    return (np.concatenate([images[idx], images[idx]], axis=2), 2 * labels[idx], labels[idx],
            labels[idx])


def pairs_stacked(images, labels, n_pairs, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, len(images), n_pairs), rng.integers(0, len(images), n_pairs)
    return np.concatenate([images[a], images[b]], axis=1), labels[a] + labels[b], labels[a], \
        labels[b]


def pairs_last_axis(images, labels, n_pairs, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, len(images), n_pairs), rng.integers(0, len(images), n_pairs)
    return np.concatenate([images[a], images[b]], axis=-1), labels[a] + labels[b], labels[a], \
        labels[b]


def pairs_global_seed(images, labels, n_pairs, seed):
    a = np.random.randint(0, len(images), n_pairs)
    b = np.random.randint(0, len(images), n_pairs)
    return np.concatenate([images[a], images[b]], axis=2), labels[a] + labels[b], labels[a], \
        labels[b]


def pairs_swapped_labels(images, labels, n_pairs, seed):
    pairs, sums, left, right = make_pair_dataset(images, labels, n_pairs, seed)
    return pairs, sums, right, left


def pairs_float_sums(images, labels, n_pairs, seed):
    pairs, sums, left, right = make_pair_dataset(images, labels, n_pairs, seed)
    return pairs, sums.astype(float), left, right


def transfer_pops_base(base_model, n_classes, freeze=True):
    base_model.pop()  # removes the old head from the caller's model
    for layer in base_model.layers:
        layer.trainable = not freeze
    head = keras.layers.Dense(n_classes, activation="softmax")(base_model.layers[-1].output)
    return keras.Model(base_model.inputs, head)


def transfer_freeze_inverted(base_model, n_classes, freeze=True):
    for layer in base_model.layers[:-1]:
        layer.trainable = freeze
    head = keras.layers.Dense(n_classes, activation="softmax")(base_model.layers[-2].output)
    return keras.Model(base_model.inputs, head)


def transfer_head_frozen_too(base_model, n_classes, freeze=True):
    head = keras.layers.Dense(n_classes, activation="softmax")(base_model.layers[-2].output)
    model = keras.Model(base_model.inputs, head)
    for layer in model.layers:
        layer.trainable = not freeze
    return model


def transfer_one_layer_short(base_model, n_classes, freeze=True):
    inputs = keras.Input(base_model.input_shape[1:])
    x = inputs
    for layer in base_model.layers[:-2]:
        layer.trainable = not freeze
        x = layer(x)
    return keras.Model(inputs, keras.layers.Dense(n_classes, activation="softmax")(x))


def transfer_old_width(base_model, n_classes, freeze=True):
    return build_transfer_model(base_model, base_model.output_shape[-1], freeze)


def loss_task_means(y_true, y_pred):
    mask = tf.cast(tf.not_equal(y_true, -1.0), tf.float32)
    per_task = (tf.reduce_sum(_bce(y_true, y_pred) * mask, axis=0)
                / tf.maximum(tf.reduce_sum(mask, axis=0), 1.0))
    return tf.reduce_mean(per_task)


def loss_negated(y_true, y_pred):
    return -masked_binary_crossentropy(y_true, y_pred)


def loss_numpy_mask(y_true, y_pred):  # works eagerly, fails on Keras's symbolic tensors
    mask = tf.constant((np.asarray(y_true) != -1).astype("float32"))
    return tf.reduce_sum(_bce(y_true, y_pred) * mask) / tf.maximum(tf.reduce_sum(mask), 1.0)


def loss_positives_only(y_true, y_pred):
    mask = tf.cast(y_true > 0, tf.float32)
    return tf.reduce_sum(_bce(y_true, y_pred) * mask) / tf.maximum(tf.reduce_sum(mask), 1.0)


def loss_missing_as_zero(y_true, y_pred):
    return tf.reduce_mean(_bce(tf.maximum(y_true, 0.0), y_pred))


def pairs_without_replacement(images, labels, n_pairs, seed):
    rng = np.random.default_rng(seed)
    a = rng.choice(len(images), n_pairs, replace=False)
    b = rng.choice(len(images), n_pairs, replace=False)
    return np.concatenate([images[a], images[b]], axis=2), labels[a] + labels[b], labels[a], \
        labels[b]


def pairs_reseed_global(images, labels, n_pairs, seed):
    np.random.seed(seed)  # reproducible, but resets the caller's global generator
    return pairs_global_seed(images, labels, n_pairs, seed)


def pairs_last_image_never(images, labels, n_pairs, seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, len(images) - 1, n_pairs)
    b = rng.integers(0, len(images) - 1, n_pairs)
    return np.concatenate([images[a], images[b]], axis=2), labels[a] + labels[b], labels[a], \
        labels[b]


def pairs_same_seed_twice(images, labels, n_pairs, seed):
    a = np.random.default_rng(seed).integers(0, len(images), n_pairs)
    b = np.random.default_rng(seed).integers(0, len(images), n_pairs)
    return np.concatenate([images[a], images[b]], axis=2), labels[a] + labels[b], labels[a], \
        labels[b]


def pairs_permutation(images, labels, n_pairs, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.permutation(len(images))[:n_pairs], rng.permutation(len(images))[:n_pairs]
    return np.concatenate([images[a], images[b]], axis=2), labels[a] + labels[b], labels[a], \
        labels[b]


def pairs_as_list(images, labels, n_pairs, seed):
    return list(make_pair_dataset(images, labels, n_pairs, seed))


MISTAKES = [
    ("build_transfer_model", transfer_cloned, "same objects"),
    ("build_transfer_model", transfer_on_softmax, "penultimate"),
    ("build_transfer_model", transfer_not_frozen, "trainable"),
    ("build_transfer_model", transfer_freeze_only, "freeze=False"),
    ("build_transfer_model", transfer_linear_head, "softmax"),
    ("build_transfer_model", transfer_reuse_old_head, "new Dense layer"),
    ("masked_binary_crossentropy", loss_mean_over_all, "labelled entries (4)"),
    ("masked_binary_crossentropy", loss_unmasked, "labelled entries"),
    ("masked_binary_crossentropy", loss_row_means, "row"),
    ("masked_binary_crossentropy", loss_no_guard, "max(number of labelled"),
    ("masked_binary_crossentropy", loss_no_clip, "clip"),
    ("masked_binary_crossentropy", loss_numpy, "TensorFlow ops only"),
    ("make_pair_dataset", pairs_same_index, "independently"),
    ("make_pair_dataset", pairs_stacked, "width"),
    ("make_pair_dataset", pairs_last_axis, "axis=2"),
    ("make_pair_dataset", pairs_global_seed, "default_rng(seed)"),
    ("make_pair_dataset", pairs_swapped_labels, "left_labels"),
    ("make_pair_dataset", pairs_float_sums, "integer"),
    ("build_transfer_model", transfer_pops_base, "base_model.pop()"),
    ("build_transfer_model", transfer_freeze_inverted, "trainable = False"),
    ("build_transfer_model", transfer_head_frozen_too, "only the head"),
    ("build_transfer_model", transfer_one_layer_short, "the same objects"),
    ("build_transfer_model", transfer_old_width, "n_classes units"),
    ("masked_binary_crossentropy", loss_task_means, "each task"),
    ("masked_binary_crossentropy", loss_negated, "minus sign"),
    ("masked_binary_crossentropy", loss_numpy_mask, "symbolic"),
    ("masked_binary_crossentropy", loss_positives_only, "a 0 is a label too"),
    ("masked_binary_crossentropy", loss_missing_as_zero, "scored as 0 labels"),
    ("make_pair_dataset", pairs_without_replacement, "with replacement"),
    ("make_pair_dataset", pairs_reseed_global, "global numpy random state"),
    ("make_pair_dataset", pairs_last_image_never, "whole range"),
    ("make_pair_dataset", pairs_same_seed_twice, "separately"),
    ("make_pair_dataset", pairs_permutation, "500 pairs"),
    ("make_pair_dataset", pairs_as_list, "tuple"),
]


def test_pair_check_restores_the_global_random_state(capsys):
    np.random.seed(123)
    expected = np.random.random(3)
    np.random.seed(123)
    check.make_pair_dataset(make_pair_dataset)
    assert np.array_equal(np.random.random(3), expected)


@pytest.mark.parametrize(("name", "wrong", "word"), MISTAKES,
                         ids=[wrong.__name__ for _, wrong, _ in MISTAKES])
def test_typical_mistakes_fail_with_a_helpful_message(name, wrong, word):
    mistake_is_caught(check, name, wrong, word)


# ----------------------------------------------------------------------------------------
# verdicts on results of training: a run measured here holds, a broken one is caught

TRANSFER = {"from scratch": [0.81, 0.816, 0.884], "frozen + new head": [0.818, 0.886, 0.924],
            "fine-tuned": [0.82, 0.884, 0.93]}  # native run, seed 0
TRANSFER_OLD_HEAD = {"from scratch": [0.81, 0.816, 0.884],  # head on the old softmax
                     "frozen + new head": [0.632, 0.648, 0.722],
                     "fine-tuned": [0.678, 0.75, 0.814]}
MULTI_TASK = {"four single-task (width 8)": (13_444, [0.907, 0.867, 0.883, 0.898]),
              "one multi-task (width 16)": (13_316, [0.907, 0.865, 0.927, 0.889]),
              "one multi-task (width 8)": (3_460, [0.904, 0.871, 0.874, 0.871])}  # seed 1
UNMASKED = {name: (n, [0.475, 0.529, 0.604, 0.6]) for name, (n, _) in MULTI_TASK.items()}
E2E = {"pipeline": [0.8565, 0.9305], "end-to-end": [0.1665, 0.357]}  # seed 1, test profile
E2E_DIGITS = [0.922, 0.966]
E2E_SAME_IMAGE = {"pipeline": [0.918, 0.9595], "end-to-end": [0.901, 0.9585]}  # right = left


def _caught(call, word):
    with pytest.raises(CheckFailure) as failure:
        call()
    assert word in str(failure.value), str(failure.value)
    return str(failure.value)


def test_pretrained_network_verdicts(capsys):
    check.pretrained_network(0.932, 0.552, 7_690)
    assert "all 4 verdicts hold" in capsys.readouterr().out
    _caught(lambda: check.pretrained_network(0.147, 0.12, 7_690), "did not learn")
    _caught(lambda: check.pretrained_network(0.945, 0.632, 7_722), "padding='same'")


def test_transfer_verdicts(capsys):
    check.transfer_strategies(TRANSFER, as_is_accuracy=0.632)
    assert "all 7 verdicts hold" in capsys.readouterr().out
    _caught(lambda: check.transfer_strategies(TRANSFER_OLD_HEAD, as_is_accuracy=0.632),
            "not on top of the old softmax")


def test_multi_task_verdicts(capsys):
    check.multi_task(MULTI_TASK)
    assert "all 8 verdicts hold" in capsys.readouterr().out
    _caught(lambda: check.multi_task(UNMASKED), "skip the entries equal to -1")


def test_pipeline_verdicts(capsys):
    check.pipeline_vs_end_to_end(E2E, E2E_DIGITS)
    assert "all 9 verdicts hold" in capsys.readouterr().out
    _caught(lambda: check.pipeline_vs_end_to_end(E2E_SAME_IMAGE, [0.958, 0.979]),
            "not the same image twice")
    broken_halves = {"pipeline": [0.10, 0.11], "end-to-end": E2E["end-to-end"]}
    _caught(lambda: check.pipeline_vs_end_to_end(broken_halves, E2E_DIGITS),
            "adds the digits its classifier reads")
