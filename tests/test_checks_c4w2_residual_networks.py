"""The residual-network checks pass a correct reference and catch typical mistakes."""

import numpy as np
import pytest

import utils
from tests.check_contract import (
    blank_raises_not_implemented,
    mistake_is_caught,
    reference_passes,
)
from utils.checks import c4w2_residual_networks as check

tf = utils.setup_notebook(tensorflow=True)

import keras  # noqa: E402  (after setup_notebook, which fixes TensorFlow's settings)
from keras.initializers import glorot_uniform, random_uniform  # noqa: E402
from keras.layers import (  # noqa: E402
    Activation,
    Add,
    AveragePooling2D,
    BatchNormalization,
    Conv2D,
    Dense,
    Flatten,
    Input,
    MaxPooling2D,
    ZeroPadding2D,
)

# ----------------------------------------------------------------------------------------
# a correct reference written here, with switches for the typical mistakes


def make_block(shortcut=True, relu_after_add=True, middle_padding="same", stride_on="first",
               shortcut_bn=True, shortcut_conv=True, filters_order=(0, 1, 2), bn_axis=3,
               final_relu=True):
    """A residual block (identity when called without s, convolutional with s) or a mistake."""
    def block(X, f, filters, s=None, initializer=glorot_uniform):
        identity = s is None
        s = 1 if identity else s
        F1, F2, F3 = (filters[i] for i in filters_order)
        X_shortcut = X
        first_stride = s if stride_on == "first" else 1
        middle_stride = s if stride_on == "middle" else 1
        X = Conv2D(F1, 1, strides=first_stride, padding="valid")(X)
        X = BatchNormalization(axis=bn_axis)(X)
        X = Activation("relu")(X)
        X = Conv2D(F2, f, strides=middle_stride, padding=middle_padding)(X)
        X = BatchNormalization(axis=bn_axis)(X)
        X = Activation("relu")(X)
        X = Conv2D(F3, 1, strides=1, padding="valid")(X)
        X = BatchNormalization(axis=bn_axis)(X)
        if not identity and shortcut_conv:
            X_shortcut = Conv2D(F3, 1, strides=s, padding="valid")(X_shortcut)
            if shortcut_bn:
                X_shortcut = BatchNormalization(axis=3)(X_shortcut)
        if not relu_after_add:
            X = Activation("relu")(X)
        if shortcut:
            X = Add()([X, X_shortcut])
        if final_relu and (relu_after_add or not shortcut):
            X = Activation("relu")(X)
        return X

    return block


def as_identity(block):
    def identity_block(X, f, filters, initializer=random_uniform):
        return block(X, f, filters)
    return identity_block


def as_convolutional(block):
    def convolutional_block(X, f, filters, s=2, initializer=glorot_uniform):
        return block(X, f, filters, s=s)
    return convolutional_block


identity_block = as_identity(make_block())
convolutional_block = as_convolutional(make_block())


def make_resnet50(stages=check.RESNET50_STAGES, pool=2, stem_stride=2):
    def ResNet50(input_shape=(64, 64, 3), classes=6):
        X_input = Input(input_shape)
        X = ZeroPadding2D((3, 3))(X_input)
        X = Conv2D(64, (7, 7), strides=(stem_stride, stem_stride))(X)
        X = BatchNormalization(axis=3)(X)
        X = Activation("relu")(X)
        X = MaxPooling2D((3, 3), strides=(2, 2))(X)
        for filters, s, n_identity in stages:
            X = convolutional_block(X, 3, list(filters), s=s)
            for _ in range(n_identity):
                X = identity_block(X, 3, list(filters))
        X = AveragePooling2D((pool, pool))(X)
        X = Flatten()(X)
        X = Dense(classes, activation="softmax")(X)
        return keras.Model(inputs=X_input, outputs=X)
    return ResNet50


REFERENCE = {"identity_block": identity_block, "convolutional_block": convolutional_block,
             "ResNet50": make_resnet50()}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_library_blocks_pass(capsys):
    from utils.models import resnet

    check.identity_block(resnet.identity_block)
    check.convolutional_block(resnet.convolutional_block)
    assert capsys.readouterr().out.count("passed") == 2


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, sorted(REFERENCE))


def test_parameter_formula_is_the_known_resnet50_size():
    total, trainable = check.resnet50_parameter_count()
    assert total == 23_600_006 and trainable == 23_546_886


IDENTITY_MISTAKES = [
    (make_block(shortcut=False), "Add"),
    (make_block(relu_after_add=False), "after adding the shortcut"),
    (make_block(final_relu=False), "ReLU is missing after the addition"),
    (make_block(middle_padding="valid"), "padding='same'"),
    (make_block(filters_order=(1, 0, 2)), "F1, F2, F3 in order"),
    (make_block(bn_axis=1), "BatchNormalization"),
]

CONVOLUTIONAL_MISTAKES = [
    (make_block(shortcut=False), "Add"),
    (make_block(relu_after_add=False), "after adding the shortcut"),
    (make_block(middle_padding="valid"), "padding='same'"),
    (make_block(stride_on="middle"), "stride"),
    (make_block(shortcut_bn=False), "one batch norm after every convolution, the shortcut"),
    (make_block(shortcut_conv=False), "Conv2D"),
    (make_block(filters_order=(0, 2, 1)), "F1, F2, F3 in order"),
]


@pytest.mark.parametrize(("wrong", "word"), IDENTITY_MISTAKES,
                         ids=["no shortcut", "relu before add", "no final relu",
                              "valid padding", "filters swapped", "bn axis 1"])
def test_identity_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "identity_block", as_identity(wrong), word)


@pytest.mark.parametrize(("wrong", "word"), CONVOLUTIONAL_MISTAKES,
                         ids=["no shortcut", "relu before add", "valid padding",
                              "stride on middle conv", "shortcut without bn",
                              "shortcut without conv", "filters swapped"])
def test_convolutional_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "convolutional_block", as_convolutional(wrong), word)


@pytest.mark.parametrize(("wrong", "word"), [
    (make_resnet50(stages=(((64, 64, 256), 1, 2), ((128, 128, 512), 2, 3),
                           ((256, 256, 1024), 2, 4), ((512, 512, 2048), 2, 2))),
     "number of Conv2D layers"),
    (make_resnet50(stages=(((64, 64, 256), 2, 2), ((128, 128, 512), 2, 3),
                           ((256, 256, 1024), 2, 5), ((512, 512, 2048), 2, 2))),
     "stage 2 keeps the size"),
    (make_resnet50(stem_stride=1), "stem convolution"),
], ids=["4 identity blocks in stage 4", "stride 2 in stage 2", "stem stride 1"])
def test_resnet50_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "ResNet50", wrong, word)


def test_relu_before_add_is_named_when_the_values_match():
    message = mistake_is_caught(check, "identity_block",
                                as_identity(make_block(relu_after_add=False)), "got")
    assert "apply the ReLU after adding the shortcut" in message


def test_block_check_does_not_depend_on_the_initializer(capsys):
    """The check sets its own weights, so any initializer passes."""
    def block(X, f, filters, initializer=random_uniform):
        return identity_block(X, f, filters, initializer=keras.initializers.Zeros)
    check.identity_block(block)
    assert "passed" in capsys.readouterr().out


def test_oracle_agrees_with_keras_on_a_correct_block():
    """The numpy/tf.nn recomputation and Keras agree (guards the oracle itself)."""
    x = np.random.default_rng(0).standard_normal((1, 6, 6, 4)).astype(np.float32)
    X_input = keras.Input((6, 6, 4))
    model = keras.Model(X_input, convolutional_block(X_input, 3, [2, 3, 7], s=2))
    kernels = {"first": ((1, 1, 4, 2), 2, "valid"), "middle": ((3, 3, 2, 3), 1, "same"),
               "last": ((1, 1, 3, 7), 1, "valid"), "shortcut": ((1, 1, 4, 7), 2, "valid")}
    w = check._block_layers(check.Checker("oracle"), model, kernels, True)
    expected, _ = check._expected_block(x, w, 2, True)
    np.testing.assert_allclose(np.asarray(model(x, training=False)), expected,
                               rtol=1e-4, atol=1e-4)


# ----------------------------------------------------------------------------------------
# verdicts on training results: they hold on measured runs and fail on broken ones

MEASURED_LIVE = {"loss": [2.0001, 1.6888, 1.3771], "accuracy": [0.2167, 0.2944, 0.4333]}
LR_TOO_HIGH = {"loss": [3.8696, 1.8178, 1.8120], "accuracy": [0.1778, 0.1630, 0.1648]}


def test_live_training_verdicts_hold_on_the_measured_run(capsys):
    check.live_training(MEASURED_LIVE)
    assert "all 3 verdicts hold" in capsys.readouterr().out


@pytest.mark.parametrize(("run", "word"), [
    (LR_TOO_HIGH, "final training loss"),
    ({"loss": [2.0, 1.7, 1.8], "accuracy": [0.2, 0.3, 0.4]}, "falls every epoch"),
], ids=["learning rate 0.2", "loss rises"])
def test_live_training_verdicts_fail_on_broken_runs(run, word):
    with pytest.raises(AssertionError, match=word):
        check.live_training(run)


def test_trained_weights_verdicts(capsys):
    check.trained_weights(0.9667, 0.95)
    assert "all 2 verdicts hold" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="small ResNet"):
        check.trained_weights(0.9, 0.95)


def _norms(residual_spread=29.5, plain_spread=1739.0, no_bn=1e-10):
    depth = np.linspace(0, 1, 54)
    return {"residual": 2.41 * residual_spread ** (1 - depth),
            "plain, with batch norm": 2.35 * plain_spread ** (1 - depth),
            "plain, no batch norm": np.full(54, no_bn)}


def test_gradient_norm_verdicts(capsys):
    check.gradient_norms(_norms())
    assert "all 4 verdicts hold" in capsys.readouterr().out
    for broken, word in ((_norms(residual_spread=1739.0), "residual network"),
                         (_norms(plain_spread=20.0), "plain network with batch norm"),
                         (_norms(no_bn=1e-3), "without batch norm")):
        with pytest.raises(AssertionError, match=word):
            check.gradient_norms(broken)
