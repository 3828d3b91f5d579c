"""The Course 4 week 2 MobileNetV2 checks pass correct functions and catch the usual mistakes."""

import numpy as np
import pytest

import utils
from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c4w2_transfer_learning_mobilenet as check
from utils.checks.harness import CheckFailure
from utils.data.mobilenet_v2 import IMAGENET_MEAN, IMAGENET_STD, load_mobilenet_v2

tf = utils.setup_notebook(tensorflow=True)
import keras  # noqa: E402  (after the set-up call, which configures TensorFlow first)

# ----------------------------------------------------------------------------------------
# correct references, written here independently of the notebook


def data_augmenter():
    return keras.Sequential([keras.layers.RandomFlip("horizontal", seed=4),
                             keras.layers.RandomRotation(0.2, seed=5)])


def build(image_shape, data_augmentation, *, preprocess="torchvision", include_top=False,
          frozen=True, training=False, head=None, augment=True, pool=True, weights=True):
    """The alpaca model with one thing changed at a time, for the mistake tests."""
    inputs = keras.Input(shape=tuple(image_shape) + (3,))
    x = data_augmentation(inputs) if augment else inputs
    if preprocess == "torchvision":
        x = keras.layers.Rescaling(1 / 255.0)(x)
        x = keras.layers.Normalization(mean=IMAGENET_MEAN, variance=IMAGENET_STD ** 2)(x)
    elif preprocess == "keras":
        x = keras.layers.Rescaling(1 / 127.5, offset=-1.0)(x)
    if weights:
        base = load_mobilenet_v2(input_shape=tuple(image_shape) + (3,), include_top=include_top)
    else:
        base = keras.applications.MobileNetV2(input_shape=tuple(image_shape) + (3,),
                                              include_top=False, weights=None)
    base.trainable = not frozen
    x = base(x, training=training)
    if pool:
        x = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Dropout(0.2)(x)
    outputs = (head or keras.layers.Dense(1))(x)
    return keras.Model(inputs, outputs)


def alpaca_model(image_shape=(97, 97), data_augmentation=None):
    if data_augmentation is None:
        data_augmentation = data_augmenter()
    return build(image_shape, data_augmentation)


REFERENCE = {"data_augmenter": data_augmenter, "alpaca_model": alpaca_model}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, REFERENCE)


def test_hand_count_matches_keras():
    trainable, frozen = check.mobilenet_v2_parameter_counts()
    model = keras.applications.MobileNetV2(input_shape=(33, 33, 3), include_top=False,
                                           weights=None)
    assert (trainable, frozen) == (2_223_872, 34_112)
    assert trainable + frozen == model.count_params()


# ----------------------------------------------------------------------------------------
# typical mistakes


def augmenter_both_ways():
    return keras.Sequential([keras.layers.RandomFlip(), keras.layers.RandomRotation(0.2)])


def augmenter_vertical():
    return keras.Sequential([keras.layers.RandomFlip("vertical"),
                             keras.layers.RandomRotation(0.2)])


def augmenter_no_rotation():
    return keras.Sequential([keras.layers.RandomFlip("horizontal")])


def augmenter_swapped():
    return keras.Sequential([keras.layers.RandomRotation(0.2),
                             keras.layers.RandomFlip("horizontal")])


def augmenter_degrees():
    return keras.Sequential([keras.layers.RandomFlip("horizontal"),
                             keras.layers.RandomRotation(0.5)])


def augmenter_list():
    return [keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.2)]


@pytest.mark.parametrize("wrong, word", [
    (augmenter_both_ways, "horizontal"),
    (augmenter_vertical, "horizontal"),
    (augmenter_no_rotation, "RandomRotation"),
    (augmenter_swapped, "first keras.layers.RandomFlip"),
    (augmenter_degrees, "20 %"),
    (augmenter_list, "keras.Sequential"),
], ids=lambda v: getattr(v, "__name__", "")[:30])
def test_augmenter_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "data_augmenter", wrong, word)


def not_frozen(image_shape=(97, 97), data_augmentation=None):
    return build(image_shape, data_augmentation, frozen=False)


def training_true(image_shape=(97, 97), data_augmentation=None):
    return build(image_shape, data_augmentation, training=True)


def training_unset(image_shape=(97, 97), data_augmentation=None):
    return build(image_shape, data_augmentation, training=None)


def sigmoid_head(image_shape=(97, 97), data_augmentation=None):
    return build(image_shape, data_augmentation,
                 head=keras.layers.Dense(1, activation="sigmoid"))


def softmax_head(image_shape=(97, 97), data_augmentation=None):
    return build(image_shape, data_augmentation,
                 head=keras.layers.Dense(1, activation="softmax"))


def two_units(image_shape=(97, 97), data_augmentation=None):
    return build(image_shape, data_augmentation, head=keras.layers.Dense(2))


def no_preprocessing(image_shape=(97, 97), data_augmentation=None):
    return build(image_shape, data_augmentation, preprocess=None)


def keras_preprocessing(image_shape=(97, 97), data_augmentation=None):
    return build(image_shape, data_augmentation, preprocess="keras")


def scale_only(image_shape=(97, 97), data_augmentation=None):
    inputs = keras.Input(shape=tuple(image_shape) + (3,))
    x = data_augmentation(inputs)
    x = keras.layers.Rescaling(1 / 255.0)(x)
    base = load_mobilenet_v2(input_shape=tuple(image_shape) + (3,), include_top=False)
    base.trainable = False
    x = keras.layers.GlobalAveragePooling2D()(base(x, training=False))
    return keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Dropout(0.2)(x)))


def include_top(image_shape=(97, 97), data_augmentation=None):
    return build(image_shape, data_augmentation, include_top=True)


def include_top_no_pool(image_shape=(97, 97), data_augmentation=None):
    return build(image_shape, data_augmentation, include_top=True, pool=False)


def no_augmentation(image_shape=(97, 97), data_augmentation=None):
    return build(image_shape, data_augmentation, augment=False)


def new_augmenter(image_shape=(97, 97), data_augmentation=None):
    return build(image_shape, data_augmenter())


def fixed_shape(image_shape=(97, 97), data_augmentation=None):
    return build((97, 97), data_augmentation)


def random_weights(image_shape=(97, 97), data_augmentation=None):
    return build(image_shape, data_augmentation, weights=False)


def wrong_dropout(image_shape=(97, 97), data_augmentation=None):
    inputs = keras.Input(shape=tuple(image_shape) + (3,))
    x = data_augmentation(inputs)
    x = keras.layers.Normalization(mean=255 * IMAGENET_MEAN,
                                   variance=(255 * IMAGENET_STD) ** 2)(x)
    base = load_mobilenet_v2(input_shape=tuple(image_shape) + (3,), include_top=False)
    base.trainable = False
    x = keras.layers.GlobalAveragePooling2D()(base(x, training=False))
    return keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Dropout(0.5)(x)))


@pytest.mark.parametrize("wrong, word", [
    (not_frozen, "base.trainable = False"),
    (training_true, "training=False"),
    (training_unset, "training=False"),
    (sigmoid_head, "from_logits=True"),
    (softmax_head, "softmax over one unit"),
    (two_units, "Dense(1)"),
    (no_preprocessing, "torchvision's normalisation"),
    (keras_preprocessing, "Keras's own MobileNetV2 preprocessing"),
    (scale_only, "subtract the ImageNet mean"),
    (include_top, "include_top=False"),
    (include_top_no_pool, "include_top=False"),
    (no_augmentation, "data_augmentation(inputs)"),
    (new_augmenter, "instead of the argument"),
    (fixed_shape, "image_shape argument"),
    (random_weights, "ImageNet weights"),
    (wrong_dropout, "Dropout(0.2)"),
], ids=lambda v: getattr(v, "__name__", "")[:30])
def test_model_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "alpaca_model", wrong, word)


# ----------------------------------------------------------------------------------------
# verdicts

GOOD_TOP3 = {"chelsea": [(285, "Egyptian cat", 0.61)], "coffee": [(967, "espresso", 0.93)],
             "motorcycle": [(665, "moped", 0.52)], "camera": [(872, "tripod", 0.92)],
             "rocket": [(682, "obelisk", 0.24)]}


def test_photo_verdicts_hold(capsys):
    check.photo_predictions(GOOD_TOP3)
    assert "all 2 verdicts hold" in capsys.readouterr().out


@pytest.mark.parametrize("change", [{"chelsea": [(0, "tench", 0.3)]},
                                    {"coffee": [(1, "goldfish", 0.3)]}])
def test_photo_verdicts_catch_wrong_classes(change):
    with pytest.raises(CheckFailure):
        check.photo_predictions({**GOOD_TOP3, **change})


def test_transfer_verdicts(capsys):
    check.transfer_results({"frozen": 0.96, "fine-tuned": 0.99, "from scratch": 0.5})
    assert "all 6 verdicts hold" in capsys.readouterr().out
    for bad in ({"frozen": 0.55, "fine-tuned": 0.99, "from scratch": 0.5},
                {"frozen": 0.96, "fine-tuned": 0.80, "from scratch": 0.5},
                {"frozen": 0.96, "fine-tuned": 0.99, "from scratch": 0.9}):
        with pytest.raises(CheckFailure):
            check.transfer_results(bad)


def test_images_are_not_flip_symmetric():
    images = check._image_batch((9, 11), 4, seed=1)
    assert not np.allclose(images, np.flip(images, axis=2), atol=1)
