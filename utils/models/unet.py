"""A U-Net for the road scenes' segmentation masks (Course 4, week 3).

The notebook *Image segmentation with a U-Net* teaches :func:`conv_block`,
:func:`upsampling_block` and :func:`unet_model`; this module restates them so that
``python -m utils.builders.unet_segmenter`` trains the same network outside the notebook.
One source of truth with the notebook's solution cells:
``tests/test_checks_c4w3_image_segmentation_unet.py`` runs those cells, gives both networks
the same weights and proves that they compute the same logits (the layers are created in
the same order, so ``model.set_weights`` moves the trained weights between them), and runs
these copies through the notebook's checks.

It also holds what both need besides the network: :data:`CLASS_NAMES` and
:func:`group_masks`, which merge the 14 classes of ``utils.data.road_scenes`` into the 8 the
network predicts, and :func:`confusion_matrix`, :func:`iou_per_class` for the scores.

Channels-last throughout; every 3x3 convolution is ``padding="same"``, ReLU, He-normal.
"""

import keras
import numpy as np
from keras.layers import Conv2D, Conv2DTranspose, Dropout, Input, MaxPooling2D, concatenate

# The classes the network predicts, and which of road_scenes.SEGMENT_CLASSES each takes.
GROUPS = (
    ("sky", ("sky",)),
    ("building", ("building",)),
    ("tree", ("tree",)),
    ("grass", ("grass",)),
    ("road", ("road",)),
    ("lane marking", ("lane_marking",)),
    ("vehicle", ("car", "taxi", "bus", "truck", "bicycle")),
    ("sign", ("traffic_light", "stop_sign", "pole")),
)
CLASS_NAMES = tuple(name for name, _ in GROUPS)
N_CLASSES = len(CLASS_NAMES)
# one colour per class (RGB 0-255), for the masks drawn in the notebook
PALETTE = np.array([
    (135, 190, 240),  # sky
    (150, 100, 200),  # building
    (30, 110, 40),    # tree
    (140, 215, 100),  # grass
    (90, 90, 90),     # road
    (250, 240, 60),   # lane marking
    (230, 40, 40),    # vehicle
    (255, 150, 0),    # sign
], dtype=np.uint8)


def group_lookup(segment_classes):
    """``lookup[i]``: the index in :data:`CLASS_NAMES` of ``segment_classes[i]``."""
    lookup = np.full(len(segment_classes), -1, dtype=np.int64)
    for new, (_, members) in enumerate(GROUPS):
        for member in members:
            lookup[segment_classes.index(member)] = new
    if (lookup < 0).any():
        missing = [segment_classes[i] for i in np.flatnonzero(lookup < 0)]
        raise ValueError(f"no group for the segment classes {missing}")
    return lookup


def group_masks(masks, segment_classes):
    """Masks of indices into ``segment_classes`` -> uint8 masks of indices into CLASS_NAMES."""
    return group_lookup(segment_classes).astype(np.uint8)[np.asarray(masks)]


def confusion_matrix(truth, predicted, n_classes=N_CLASSES):
    """``counts[i, j]``: pixels of true class i predicted as class j."""
    truth = np.asarray(truth, dtype=np.int64).ravel()
    predicted = np.asarray(predicted, dtype=np.int64).ravel()
    return np.bincount(truth * n_classes + predicted,
                       minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def iou_per_class(counts):
    """Intersection over union of each class from a confusion matrix (NaN if absent from
    both the truth and the prediction)."""
    counts = np.asarray(counts, dtype=np.float64)
    intersection = np.diag(counts)
    union = counts.sum(axis=0) + counts.sum(axis=1) - intersection
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, intersection / union, np.nan)


# ----------------------------------------------------------------------------------------
# the network (the library's copies of the notebook's graded functions)


def conv_block(inputs=None, n_filters=32, dropout_prob=0, max_pooling=True):
    """Two 3x3 ReLU convolutions, optional dropout, optional 2x2 max pooling.

    Returns ``(next_layer, skip_connection)``: the pooled map (or the unpooled one when
    ``max_pooling`` is False) and the map before pooling, for the decoder's skip.
    """
    conv = Conv2D(n_filters, 3, activation="relu", padding="same",
                  kernel_initializer="he_normal")(inputs)
    conv = Conv2D(n_filters, 3, activation="relu", padding="same",
                  kernel_initializer="he_normal")(conv)
    if dropout_prob > 0:
        conv = Dropout(dropout_prob)(conv)
    next_layer = MaxPooling2D(pool_size=(2, 2))(conv) if max_pooling else conv
    return next_layer, conv


def upsampling_block(expansive_input, contractive_input, n_filters=32):
    """Transposed 3x3 convolution (stride 2), the skip concatenated after it on the channel
    axis, then two 3x3 ReLU convolutions."""
    up = Conv2DTranspose(n_filters, 3, strides=(2, 2), padding="same")(expansive_input)
    merge = concatenate([up, contractive_input], axis=3)
    conv = Conv2D(n_filters, 3, activation="relu", padding="same",
                  kernel_initializer="he_normal")(merge)
    conv = Conv2D(n_filters, 3, activation="relu", padding="same",
                  kernel_initializer="he_normal")(conv)
    return conv


def unet_model(input_size=(128, 128, 3), n_filters=32, n_classes=N_CLASSES):
    """The U-Net: four contracting blocks (filters doubling), a bottleneck, four expanding
    blocks with skips, a 3x3 convolution and a 1x1 convolution to one logit per class."""
    inputs = Input(input_size)
    cblock1 = conv_block(inputs, n_filters)
    cblock2 = conv_block(cblock1[0], 2 * n_filters)
    cblock3 = conv_block(cblock2[0], 4 * n_filters)
    cblock4 = conv_block(cblock3[0], 8 * n_filters, dropout_prob=0.3)
    cblock5 = conv_block(cblock4[0], 16 * n_filters, dropout_prob=0.3, max_pooling=False)
    ublock6 = upsampling_block(cblock5[0], cblock4[1], 8 * n_filters)
    ublock7 = upsampling_block(ublock6, cblock3[1], 4 * n_filters)
    ublock8 = upsampling_block(ublock7, cblock2[1], 2 * n_filters)
    ublock9 = upsampling_block(ublock8, cblock1[1], n_filters)
    conv9 = Conv2D(n_filters, 3, activation="relu", padding="same",
                   kernel_initializer="he_normal")(ublock9)
    conv10 = Conv2D(n_classes, 1, padding="same")(conv9)
    return keras.Model(inputs=inputs, outputs=conv10)
