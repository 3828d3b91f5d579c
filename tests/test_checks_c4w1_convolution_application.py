"""The week-1 Keras application checks pass a correct reference and catch typical mistakes."""

import numpy as np
import pytest

import utils
from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c4w1_convolution_application as check
from utils.checks.harness import CheckFailure

tf = utils.setup_notebook(tensorflow=True)
tfl = tf.keras.layers


# ----------------------------------------------------------------------------------------
# a correct reference, written here, and its typical mistakes


def make_happy(pad=3, batchnorm=True, pool=2, activation="sigmoid", units=1, functional=False,
               conv_relu=False):
    def happyModel():
        layers = [tfl.ZeroPadding2D(padding=pad)] if pad else []
        layers.append(tfl.Conv2D(32, (7, 7), activation="relu" if conv_relu else None))
        if batchnorm:
            layers.append(tfl.BatchNormalization(axis=3))
        if not conv_relu:
            layers.append(tfl.ReLU())
        layers += [tfl.MaxPooling2D(pool), tfl.Flatten(), tfl.Dense(units, activation=activation)]
        if functional:
            x = inputs = tf.keras.Input(shape=(64, 64, 3))
            for layer in layers:
                x = layer(x)
            return tf.keras.Model(inputs, x)
        return tf.keras.Sequential([tf.keras.Input(shape=(64, 64, 3)), *layers])

    return happyModel


def make_gesture(filters=(16, 32), kernels=(4, 3), pools=(4, 4), activation="softmax",
                 units=6, sequential=False, fixed_shape=False, skip_from_input=False,
                 padding="same"):
    def convolutional_model(input_shape):
        shape = (64, 64, 3) if fixed_shape else input_shape
        layers = [tfl.Conv2D(filters[0], kernels[0], padding=padding), tfl.ReLU(),
                  tfl.MaxPool2D(pools[0], pools[0], padding="same"),
                  tfl.Conv2D(filters[1], kernels[1], padding="same"), tfl.ReLU(),
                  tfl.MaxPool2D(pools[1], pools[1], padding="same"), tfl.Flatten(),
                  tfl.Dense(units, activation=activation)]
        if sequential:
            return tf.keras.Sequential([tf.keras.Input(shape=shape), *layers])
        inputs = tf.keras.Input(shape=shape)
        x = inputs
        for layer in layers:
            x = layer(x)
        return tf.keras.Model(inputs, x)

    return convolutional_model


REFERENCE = {"happyModel": make_happy(), "convolutional_model": make_gesture()}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    out = reference_passes(check, REFERENCE, name, capsys)
    assert "parameters:" in out


def test_blank_exercises_raise_not_implemented():
    blank_raises_not_implemented(check, ["happyModel", "convolutional_model"], keywords=False)


def test_hand_counted_parameters_match_keras():
    assert check.parameter_count(check.HAPPY_LAYERS) == 37633
    assert check.parameter_count(check.gesture_layers()) == 8502
    keras_count = make_gesture()((64, 64, 3)).count_params()
    assert check.parameter_count(check.gesture_layers()) == keras_count


@pytest.mark.parametrize("wrong, word", [
    (make_happy(pad=0), "ZeroPadding2D(padding=3) layer is missing"),
    (make_happy(pad=2), "ZeroPadding2D(padding=3) adds 3 pixels"),
    (make_happy(batchnorm=False), "BatchNormalization(axis=3) layer is missing"),
    (make_happy(pool=4), "wrong pool size"),
    (make_happy(activation="softmax"), "a softmax over one unit"),
    (make_happy(units=2, activation="sigmoid"), "one unit per output"),
    (make_happy(functional=True), "keras.Sequential"),
    (make_happy(conv_relu=True), "activation='relu' built in"),
], ids=["no padding", "padding 2", "no batchnorm", "pool 4", "softmax", "2 units",
        "functional", "relu inside conv"])
def test_happy_mistakes(wrong, word):
    mistake_is_caught(check, "happyModel", wrong, word)


@pytest.mark.parametrize("wrong, word", [
    (make_gesture(sequential=True), "use the Functional API"),
    (make_gesture(filters=(8, 16), kernels=(4, 2), pools=(8, 4)), "filters"),
    (make_gesture(pools=(8, 4)), "wrong pool size"),
    (make_gesture(activation="sigmoid"), "six classes need activation='softmax'"),
    (make_gesture(units=5), "one unit per output"),
    (make_gesture(fixed_shape=True), "use the input_shape argument"),
    (make_gesture(padding="valid"), "padding='same'"),
], ids=["sequential", "course filters", "pool 8", "sigmoid", "5 units", "fixed shape",
        "valid padding"])
def test_gesture_mistakes(wrong, word):
    mistake_is_caught(check, "convolutional_model", wrong, word)


def history(loss, accuracy, val_accuracy):
    return {"loss": loss, "accuracy": accuracy, "val_accuracy": val_accuracy}


def test_training_verdicts(capsys):
    check.happy_training(history([0.8, 0.1], [0.7, 1.0], [0.6, 0.97]))
    check.gesture_training(history([1.5, 0.1], [0.5, 0.98], [0.5, 0.92]))
    assert "all 4 verdicts hold" in capsys.readouterr().out
    with pytest.raises(CheckFailure, match="accuracy is in"):
        check.happy_training(history([0.7, 0.69], [0.5, 0.5], [0.5, 0.5]))  # softmax on 1 unit
    with pytest.raises(CheckFailure, match="loss fell"):
        check.gesture_training(history([1.5, 1.6], [0.9, 0.9], [0.9, 0.9]))
    assert np.isclose(check.FULLY_CONNECTED_BEST, 0.625)
