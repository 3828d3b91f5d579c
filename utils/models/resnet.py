"""Residual blocks and a small ResNet for the hand-gesture images (Course 4, week 2).

The notebook *Residual networks* teaches :func:`identity_block` and
:func:`convolutional_block`; this module restates them (one source of truth with the
notebook's solution cells: ``tests/test_resnet_weights.py`` runs both on the same weights and
inputs and proves they agree) so that ``python -m utils.builders.small_resnet`` can train the
same network outside the notebook.

:func:`small_resnet` takes the two block functions as arguments, so the notebook builds the
network from the learner's own blocks, and the builder from these. Both create their layers
in the same order, so ``model.set_weights`` moves trained weights from one to the other.
Passing :func:`plain_identity_block` and :func:`plain_convolutional_block` builds the same
network with every skip connection removed (and so without the shortcut's 1x1 convolution):
the "plain" comparison of the notebook.

Channels-last throughout; ``BatchNormalization(axis=3)`` normalises each channel.
"""

import keras
import numpy as np
from keras.initializers import glorot_uniform, random_uniform
from keras.layers import (
    Activation,
    Add,
    BatchNormalization,
    Conv2D,
    Dense,
    Flatten,
    GlobalAveragePooling2D,
    Input,
    MaxPooling2D,
    ZeroPadding2D,
)

# stage -> (filters [F1, F2, F3], stride of its convolutional block, identity blocks after it)
SMALL_STAGES = (
    ((16, 16, 64), 1, 1),
    ((32, 32, 128), 2, 1),
    ((64, 64, 256), 2, 1),
)
STEM_FILTERS = 32


def _main_path(X, f, filters, s, initializer):
    """The three Conv2D + BN steps both blocks share (1x1 stride s, f x f same, 1x1), with
    ReLUs between them; the caller adds the shortcut and the last ReLU."""
    F1, F2, F3 = filters
    X = Conv2D(F1, 1, strides=s, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X)
    X = Activation("relu")(X)
    X = Conv2D(F2, f, strides=1, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = BatchNormalization(axis=3)(X)
    X = Activation("relu")(X)
    X = Conv2D(F3, 1, strides=1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    return BatchNormalization(axis=3)(X)


def identity_block(X, f, filters, initializer=random_uniform):
    """Residual block whose input and output have the same shape (the library's copy)."""
    X = Add()([_main_path(X, f, filters, 1, initializer), X])
    X = Activation("relu")(X)
    return X


def convolutional_block(X, f, filters, s=2, initializer=glorot_uniform):
    """Residual block that changes the shape: a 1x1 stride-s Conv2D + BN on the shortcut."""
    main = _main_path(X, f, filters, s, initializer)
    X_shortcut = Conv2D(filters[2], 1, strides=s, padding="valid",
                        kernel_initializer=initializer(seed=0))(X)
    X_shortcut = BatchNormalization(axis=3)(X_shortcut)
    X = Add()([main, X_shortcut])
    X = Activation("relu")(X)
    return X


def _plain_path(X, f, filters, s, initializer, batch_norm=True):
    F1, F2, F3 = filters
    for n_filters, size, stride, padding in ((F1, 1, s, "valid"), (F2, f, 1, "same"),
                                             (F3, 1, 1, "valid")):
        X = Conv2D(n_filters, size, strides=stride, padding=padding,
                   kernel_initializer=initializer(seed=0))(X)
        if batch_norm:
            X = BatchNormalization(axis=3)(X)
        X = Activation("relu")(X)
    return X


def plain_identity_block(X, f, filters, initializer=random_uniform):
    """The identity block's main path alone: the same three convolutions, no skip."""
    return _plain_path(X, f, filters, 1, initializer)


def plain_convolutional_block(X, f, filters, s=2, initializer=glorot_uniform):
    """The convolutional block's main path alone: no shortcut convolution, no skip."""
    return _plain_path(X, f, filters, s, initializer)


def _no_bn_identity_block(X, f, filters, initializer=glorot_uniform):
    return _plain_path(X, f, filters, 1, initializer, batch_norm=False)


def _no_bn_convolutional_block(X, f, filters, s=2, initializer=glorot_uniform):
    return _plain_path(X, f, filters, s, initializer, batch_norm=False)


def small_resnet(identity_block=identity_block, convolutional_block=convolutional_block,
                 input_shape=(64, 64, 3), classes=6, stages=SMALL_STAGES,
                 stem_filters=STEM_FILTERS, name="small_resnet"):
    """A three-stage ResNet (about 0.23 M parameters) built from the given block functions.

    Stem: ZeroPadding2D(3), Conv2D(stem_filters, 7, stride 2), BN, ReLU, MaxPooling2D(3, 2);
    then for each stage one ``convolutional_block`` (3x3 middle convolution) followed by
    identity blocks; global average pooling; a softmax ``Dense(classes)``. With 64x64 inputs
    the feature maps are 32x32 after the stem's convolution, 15x15 after its pooling, then
    15, 8 and 4 pixels wide in the three stages.
    """
    X_input = Input(input_shape)
    X = ZeroPadding2D((3, 3))(X_input)
    X = Conv2D(stem_filters, 7, strides=2, kernel_initializer=glorot_uniform(seed=0))(X)
    X = BatchNormalization(axis=3)(X)
    X = Activation("relu")(X)
    X = MaxPooling2D((3, 3), strides=(2, 2))(X)
    for filters, stride, n_identity in stages:
        X = convolutional_block(X, f=3, filters=list(filters), s=stride)
        for _ in range(n_identity):
            X = identity_block(X, 3, list(filters))
    X = GlobalAveragePooling2D()(X)
    X = Flatten()(X)
    X = Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs=X_input, outputs=X, name=name)


def plain_network(input_shape=(64, 64, 3), classes=6, stages=SMALL_STAGES,
                  stem_filters=STEM_FILTERS, name="plain_cnn", batch_norm=True):
    """:func:`small_resnet` with every skip connection removed (same depth and widths).

    With ``batch_norm=False`` the blocks also drop their batch norms and every convolution
    starts from Glorot-uniform weights: the classic deep plain network (the stem keeps its
    batch norm).
    """
    if batch_norm:
        blocks = plain_identity_block, plain_convolutional_block
    else:
        blocks = _no_bn_identity_block, _no_bn_convolutional_block
    return small_resnet(*blocks, input_shape, classes, stages, stem_filters, name)


def deep_stages(blocks_per_stage=5):
    """:data:`SMALL_STAGES` with more identity blocks per stage, for a deep network."""
    return tuple((filters, stride, blocks_per_stage) for filters, stride, _ in SMALL_STAGES)


def conv_gradient_norms(model, X, Y):
    """Norm of the loss gradient for every Conv2D kernel of ``model``, input side first.

    One forward pass in training mode (batch norm uses the batch's statistics, as in
    training) on the images ``X`` with integer labels ``Y``, mean sparse cross-entropy, and
    ``tf.GradientTape``. The stem's 7x7 convolution is left out. Returns a numpy array.
    """
    import tensorflow as tf

    kernels = [layer.kernel for layer in model.layers
               if isinstance(layer, Conv2D) and layer.kernel.shape[0] != 7]
    with tf.GradientTape() as tape:
        probabilities = model(X, training=True)
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(Y, probabilities))
    gradients = tape.gradient(loss, kernels)
    return np.array([float(tf.norm(g)) for g in gradients])
