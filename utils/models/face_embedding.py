"""A small face-embedding network and the triplet loss that trains it (Course 4, week 4).

:func:`face_embedding_model` maps a ``(48, 48, 3)`` photo (pixels in [0, 1]) to a point on
the unit sphere in 64 dimensions: four convolution stages (16, 32, 64, 128 filters, each a
3x3 convolution, batch normalisation and a ReLU, the first three followed by 2x2 max
pooling), global average pooling, a dense layer to 64 numbers and an L2 normalisation
(``keras.layers.UnitNormalization``). About 0.11 M parameters. The distance between two
photos is the Euclidean distance between their embeddings, between 0 (same direction) and
2 (opposite).

:func:`triplet_loss` restates the notebook's graded ``triplet_loss`` on three tensors (one
source of truth: ``tests/test_face_embedding.py`` runs both on the same inputs and proves
they agree); :func:`batch_hard_triplets` picks, for every photo of a batch, its hardest
positive (the farthest photo of the same identity) and its hardest negative (the closest
photo of another identity), the "batch-hard" mining of Hermans, Beyer and Leibe (2017), "In
defense of the triplet loss for person re-identification". ``python -m
utils.builders.face_embedding`` trains the network with them; the notebook does the same for
a few steps with the learner's loss.
"""

import keras
import numpy as np
import tensorflow as tf
from keras import layers

INPUT_SIZE = 48
EMBEDDING_DIM = 64
STAGES = (16, 32, 64, 128)


def face_embedding_model(input_size=INPUT_SIZE, embedding_dim=EMBEDDING_DIM, seed=0):
    """The embedding network (a ``keras.Model``, not compiled); weights seeded by ``seed``."""
    inputs = keras.Input((input_size, input_size, 3), name="photo")
    x = inputs
    for i, filters in enumerate(STAGES):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False,
                          kernel_initializer=keras.initializers.HeNormal(seed=seed + i),
                          name=f"conv{i + 1}")(x)
        x = layers.BatchNormalization(name=f"bn{i + 1}")(x)
        x = layers.Activation("relu", name=f"relu{i + 1}")(x)
        if i < len(STAGES) - 1:
            x = layers.MaxPooling2D(2, name=f"pool{i + 1}")(x)
    x = layers.GlobalAveragePooling2D(name="average")(x)
    x = layers.Dense(embedding_dim, name="embedding",
                     kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 10))(x)
    outputs = layers.UnitNormalization(name="l2_normalise")(x)
    return keras.Model(inputs, outputs, name="face_embedding")


def triplet_loss(anchor, positive, negative, alpha=0.2):
    """Sum over the batch of ``max(||a - p||^2 - ||a - n||^2 + alpha, 0)`` (a scalar tensor).

    ``anchor``, ``positive`` and ``negative`` are ``(batch, d)`` embeddings. The library's
    copy of the notebook's graded function, which takes them as one ``y_pred`` triple.
    """
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)
    return tf.reduce_sum(tf.maximum(pos_dist - neg_dist + alpha, 0.0))


def pairwise_squared_distances(embeddings):
    """``(n, n)`` squared Euclidean distances between the rows of ``embeddings``."""
    squared = tf.reduce_sum(tf.square(embeddings), axis=1)
    gram = tf.matmul(embeddings, embeddings, transpose_b=True)
    return tf.maximum(squared[:, None] - 2.0 * gram + squared[None, :], 0.0)


def batch_hard_triplets(embeddings, labels):
    """``(anchor, positive, negative)``: every row of ``embeddings`` as an anchor, with the
    farthest row of the same label and the closest row of another label.

    Each label must appear at least twice in the batch, and at least two labels must appear
    (a P x K batch: P identities with K photos each).
    """
    labels = tf.convert_to_tensor(labels)
    distances = pairwise_squared_distances(embeddings)
    same = tf.equal(labels[:, None], labels[None, :])
    big = tf.reduce_max(distances) + 1.0
    positive_index = tf.argmax(tf.where(same, distances, -1.0), axis=1)
    negative_index = tf.argmin(tf.where(same, distances + big, distances), axis=1)
    return (embeddings, tf.gather(embeddings, positive_index),
            tf.gather(embeddings, negative_index))


def pk_batches(labels, identities_per_batch, photos_per_identity, rng):
    """Endless P x K batches of indices into ``labels``: ``identities_per_batch`` identities
    drawn without replacement, ``photos_per_identity`` photos of each (numpy generator)."""
    labels = np.asarray(labels)
    by_label = [np.flatnonzero(labels == label) for label in np.unique(labels)]
    while True:
        chosen = rng.choice(len(by_label), size=identities_per_batch, replace=False)
        yield np.concatenate([rng.choice(by_label[c], size=photos_per_identity, replace=False)
                              for c in chosen])


def embed(model, images, batch_size=256):
    """Embeddings (float32 numpy array) of uint8 ``images``, pixels scaled to [0, 1]."""
    x = np.asarray(images, dtype=np.float32) / 255.0
    return np.asarray(model.predict(x, batch_size=batch_size, verbose=0))


def pair_distances(embeddings, labels):
    """Euclidean distances of every unordered pair of rows and whether each pair shares a
    label: ``(distances, same)``, both 1-D of length ``n (n - 1) / 2``."""
    embeddings = np.asarray(embeddings, dtype=np.float64)
    labels = np.asarray(labels)
    i, j = np.triu_indices(len(labels), k=1)
    distances = np.linalg.norm(embeddings[i] - embeddings[j], axis=1)
    return distances, labels[i] == labels[j]


def balanced_pairs(embeddings, labels, rng):
    """Every same-identity pair and as many different-identity pairs drawn at random (without
    replacement): ``(distances, same)``, half of them same-identity."""
    distances, same = pair_distances(embeddings, labels)
    positives = np.flatnonzero(same)
    negatives = rng.choice(np.flatnonzero(~same), size=len(positives), replace=False)
    keep = np.concatenate([positives, negatives])
    return distances[keep], same[keep]


def roc_points(distances, same):
    """False- and true-positive rates of "same person if distance < t" for every threshold
    ``t`` between consecutive sorted distances: ``(fpr, tpr, thresholds)``, thresholds
    increasing (from below the smallest distance to above the largest)."""
    distances = np.asarray(distances, dtype=np.float64)
    same = np.asarray(same, dtype=bool)
    order = np.argsort(distances, kind="stable")
    d, s = distances[order], same[order]
    # accepting the first k sorted pairs, for every k where the distance changes
    cuts = np.concatenate([[0], np.flatnonzero(np.diff(d) > 0) + 1, [len(d)]])
    true_accepts = np.concatenate([[0], np.cumsum(s)])[cuts]
    false_accepts = np.concatenate([[0], np.cumsum(~s)])[cuts]
    tpr = true_accepts / max(s.sum(), 1)
    fpr = false_accepts / max((~s).sum(), 1)
    inner = (d[cuts[1:-1] - 1] + d[cuts[1:-1]]) / 2
    thresholds = np.concatenate([[d[0] - 1e-6], inner, [d[-1] + 1e-6]])
    return fpr, tpr, thresholds


def best_threshold(distances, same):
    """The threshold that maximises ``tpr - fpr`` (Youden's J; on balanced pairs the same as
    the best accuracy), with its ``(fpr, tpr)``."""
    fpr, tpr, thresholds = roc_points(distances, same)
    best = int(np.argmax(tpr - fpr))
    return float(thresholds[best]), float(fpr[best]), float(tpr[best])
