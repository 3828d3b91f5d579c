"""The U-Net checks pass a correct reference and catch typical mistakes."""

import numpy as np
import pytest

import utils
from tests.check_contract import (
    blank_raises_not_implemented,
    mistake_is_caught,
    reference_passes,
)
from utils.checks import c4w3_image_segmentation_unet as check

tf = utils.setup_notebook(tensorflow=True)

import keras  # noqa: E402  (after setup_notebook, which fixes TensorFlow's settings)
from keras.layers import (  # noqa: E402
    Concatenate,
    Conv2D,
    Conv2DTranspose,
    Dropout,
    Input,
    MaxPooling2D,
    UpSampling2D,
)

# ----------------------------------------------------------------------------------------
# a correct reference written here, with switches for the typical mistakes


def make_conv_block(first_relu=True, second_relu=True, always_pool=False, always_dropout=False,
                    rate=None, skip_after_pool=False, swap_outputs=False, padding="same",
                    initializer="he_normal", skip_before_dropout=False):
    def conv_block(inputs=None, n_filters=32, dropout_prob=0, max_pooling=True):
        conv = Conv2D(n_filters, 3, activation="relu" if first_relu else None, padding=padding,
                      kernel_initializer=initializer)(inputs)
        conv = Conv2D(n_filters, 3, activation="relu" if second_relu else None,
                      padding=padding, kernel_initializer=initializer)(conv)
        before_dropout = conv
        if dropout_prob > 0 or always_dropout:
            conv = Dropout(rate if rate is not None else (dropout_prob or 0.3))(conv)
        next_layer = MaxPooling2D((2, 2))(conv) if (max_pooling or always_pool) else conv
        skip = before_dropout if skip_before_dropout else conv
        if skip_after_pool:
            skip = next_layer
        if swap_outputs:
            return skip, next_layer
        return next_layer, skip
    return conv_block


def make_upsampling_block(order=("up", "skip"), axis=3, up_activation=None, second_relu=True,
                          up_layer="transpose", kernel=3):
    def upsampling_block(expansive_input, contractive_input, n_filters=32):
        if up_layer == "transpose":
            up = Conv2DTranspose(n_filters, kernel, strides=(2, 2), padding="same",
                                 activation=up_activation)(expansive_input)
        else:
            up = UpSampling2D((2, 2))(expansive_input)
            up = Conv2D(n_filters, 2, padding="same")(up)
        parts = {"up": up, "skip": contractive_input}
        merge = Concatenate(axis=axis)([parts[k] for k in order])
        conv = Conv2D(n_filters, 3, activation="relu", padding="same",
                      kernel_initializer="he_normal")(merge)
        return Conv2D(n_filters, 3, activation="relu" if second_relu else None, padding="same",
                      kernel_initializer="he_normal")(conv)
    return upsampling_block


conv_block = make_conv_block()
upsampling_block = make_upsampling_block()


def make_unet(dropouts=(0.0, 0.0, 0.0, 0.3, 0.3), doubling=2, last_activation=None,
              extra_conv9=True, skip_index=1):
    def unet_model(input_size=(128, 128, 3), n_filters=32, n_classes=8):
        inputs = Input(input_size)
        blocks, x = [], inputs
        for level in range(5):
            block = conv_block(x, n_filters * doubling ** level, dropout_prob=dropouts[level],
                               max_pooling=level < 4)
            blocks.append(block)
            x = block[0]
        for level in (3, 2, 1, 0):
            x = upsampling_block(x, blocks[level][skip_index], n_filters * doubling ** level)
        if extra_conv9:
            x = Conv2D(n_filters, 3, activation="relu", padding="same",
                       kernel_initializer="he_normal")(x)
        outputs = Conv2D(n_classes, 1, padding="same", activation=last_activation)(x)
        return keras.Model(inputs=inputs, outputs=outputs)
    return unet_model


REFERENCE = {"conv_block": conv_block, "upsampling_block": upsampling_block,
             "unet_model": make_unet()}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_library_model_passes(capsys):
    """utils.models.unet (trained by the builder) passes the notebook's checks."""
    from utils.models import unet

    check.conv_block(unet.conv_block)
    check.upsampling_block(unet.upsampling_block)
    check.unet_model(unet.unet_model)
    assert capsys.readouterr().out.count("passed") == 3


def test_library_model_creates_its_layers_in_the_reference_order():
    """set_weights moves the committed weights between the library's model and one built
    from blocks written like the notebook's: same weight shapes in the same order."""
    from utils.models import unet

    ours = unet.unet_model((32, 32, 3), 2, 8)
    theirs = make_unet()((32, 32, 3), 2, 8)
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, sorted(REFERENCE))


def test_parameter_formula_matches_the_course_size():
    """The course's U-Net (n_filters=32, 23 classes, 96x128x3 input) has 8,640,471
    parameters; the formula gives the same."""
    assert check.unet_parameter_count(3, 32, 23) == 8_640_471


CONV_BLOCK_MISTAKES = [
    (make_conv_block(second_relu=False), "second Conv2D needs activation='relu'"),
    (make_conv_block(first_relu=False), "first Conv2D needs activation='relu'"),
    (make_conv_block(always_pool=True), "max_pooling=False no pooling"),
    (make_conv_block(always_dropout=True), "dropout_prob=0 there is no Dropout"),
    (make_conv_block(rate=0.5), "use the argument"),
    (make_conv_block(skip_after_pool=True), "skip connection is the map before pooling"),
    (make_conv_block(swap_outputs=True), "return (next_layer, skip_connection)"),
    (make_conv_block(padding="valid"), "padding='same'"),
    (make_conv_block(initializer="glorot_uniform"), "he_normal"),
    (make_conv_block(skip_before_dropout=True), "as the skip connection"),
]


@pytest.mark.parametrize(("wrong", "word"), CONV_BLOCK_MISTAKES,
                         ids=["no second relu", "no first relu", "pools when not asked",
                              "dropout when not asked", "fixed dropout rate",
                              "skip after pooling", "outputs swapped", "valid padding",
                              "glorot initializer", "skip before dropout"])
def test_conv_block_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "conv_block", wrong, word)


UPSAMPLING_MISTAKES = [
    (make_upsampling_block(order=("skip", "up")), "upsampled map comes first"),
    (make_upsampling_block(axis=1), "channel axis"),
    (make_upsampling_block(up_activation="relu"), "Conv2DTranspose has no activation"),
    (make_upsampling_block(second_relu=False), "second Conv2D needs activation='relu'"),
    (make_upsampling_block(up_layer="upsampling"), "one Conv2DTranspose"),
    (make_upsampling_block(kernel=2), "a 3x3 kernel"),
]


@pytest.mark.parametrize(("wrong", "word"), UPSAMPLING_MISTAKES,
                         ids=["skip first", "axis 1", "relu on transpose", "no second relu",
                              "UpSampling2D", "2x2 transpose kernel"])
def test_upsampling_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "upsampling_block", wrong, word)


UNET_MISTAKES = [
    (make_unet(dropouts=(0.0, 0.0, 0.0, 0.0, 0.3)), "number of Dropout layers"),
    (make_unet(dropouts=(0.0, 0.0, 0.3, 0.0, 0.3)), "fourth (8 n_filters)"),
    (make_unet(dropouts=(0.0, 0.0, 0.0, 0.5, 0.5)), "dropout rates"),
    (make_unet(last_activation="softmax"), "logits"),
    (make_unet(extra_conv9=False), "conv9"),
    (make_unet(skip_index=0), "skip connection (the second value of conv_block)"),
]


@pytest.mark.parametrize(("wrong", "word"), UNET_MISTAKES,
                         ids=["one dropout", "dropout in block 3", "dropout 0.5",
                              "softmax output", "no conv9", "pooled skips"])
def test_unet_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "unet_model", wrong, word)


def test_filters_not_doubled_is_caught():
    """Filters growing by 3 (not 2) per level change the parameter count and the shapes."""
    mistake_is_caught(check, "unet_model", make_unet(doubling=3), "shape after each")


def test_oracle_agrees_with_keras_transpose():
    """tf.nn.conv2d_transpose with 'SAME' and Keras's Conv2DTranspose(padding='same') agree
    (guards the oracle itself)."""
    x = np.random.default_rng(0).standard_normal((1, 3, 5, 4)).astype(np.float32)
    layer = Conv2DTranspose(2, 3, strides=(2, 2), padding="same")
    got = np.asarray(layer(x))
    expected = check._conv_transpose(x, np.asarray(layer.kernel), np.asarray(layer.bias))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


# ----------------------------------------------------------------------------------------
# verdicts on training results: they hold on measured runs and fail on broken ones

MEASURED_LIVE = [1.9107, 1.6376, 1.441]  # native, seed 0 (see the check module)


def test_live_training_verdicts_hold_on_the_measured_run(capsys):
    check.live_training(MEASURED_LIVE)
    assert "all 4 verdicts hold" in capsys.readouterr().out


@pytest.mark.parametrize(("run", "word"), [
    ([2.0, 1.9, 1.95], "falls every epoch"),
    ([2.0, 1.95, 1.9], "last loss / first loss"),
    ([2.711e9, 1.6874, 1.6697], "loss of the first epoch"),
    ([10.8784, 1.9472, 1.7829], "pixels are not scaled"),
], ids=["loss rises", "loss barely falls", "learning rate 0.1", "unscaled pixels"])
def test_live_training_verdicts_fail_on_broken_runs(run, word):
    with pytest.raises(AssertionError, match=word):
        check.live_training(run)


NAMES = ("sky", "building", "tree", "grass", "road", "lane marking", "vehicle", "sign")


def test_trained_unet_verdicts(capsys):
    check.trained_unet([0.9792, 0.9726, 0.9502, 0.9846, 0.9654, 0.8226, 0.8718, 0.8214], 0.98087,
                       NAMES)
    assert "all 3 verdicts hold" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="mean IoU"):
        check.trained_unet([0.9, 0.8, 0.7, 0.9, 0.9, 0.3, 0.6, 0.5], 0.93, NAMES)
    with pytest.raises(AssertionError, match="'lane marking' is mostly missed"):
        check.trained_unet([0.99, 0.99, 0.99, 0.99, 0.99, 0.3, 0.99, 0.99], 0.99, NAMES)


def test_notebook_solution_and_library_are_one_network():
    """The notebook's solution cells, run here, build the library's network: the same
    weights in the same order give the same logits (so the committed weights fit both)."""
    from pathlib import Path

    from utils.models import unet
    from utils.tools import notebooks

    path = (Path(__file__).resolve().parents[1] / "course4_cnns"
            / "week3_image_segmentation_unet.ipynb")
    namespace = {"keras": keras, "Conv2D": Conv2D, "Conv2DTranspose": Conv2DTranspose,
                 "Dropout": Dropout, "Input": Input, "MaxPooling2D": MaxPooling2D,
                 "concatenate": keras.layers.concatenate}
    for cell in notebooks.read(path).cells:
        if cell.cell_type == "code" and notebooks.graded_name(cell) is not None:
            exec(compile(cell.source, path.name, "exec"), namespace)
    theirs = namespace["unet_model"]((32, 32, 3), 2, 8)
    ours = unet.unet_model((32, 32, 3), 2, 8)
    weights = ours.get_weights()
    assert [w.shape for w in theirs.get_weights()] == [w.shape for w in weights]
    rng = np.random.default_rng(0)
    weights = [rng.normal(0, 0.3, w.shape).astype(np.float32) for w in weights]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    x = rng.uniform(0, 1, (2, 32, 32, 3)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(theirs(x, training=False)),
                               np.asarray(ours(x, training=False)), rtol=1e-5, atol=1e-5)
