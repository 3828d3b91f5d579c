"""A small YOLO-style grid detector for the road scenes (Course 4, week 3, car detection).

The network (:func:`build_detector`) looks at a 128x128 scene and answers, for each cell of
an 8x8 grid (16 pixels a side) and each of a few *anchor boxes* (typical box shapes found by
:func:`kmeans_anchors` on the training boxes), twelve numbers: ``tx, ty, tw, th``, an
objectness logit ``to`` and one logit per class. :func:`decode_output` turns them into what the
notebook's post-processing (``yolo_eval``) takes, as in the course:

- ``box_xy`` ``(..., 8, 8, A, 2)``: the box centre as a fraction of the image, ``x`` then
  ``y``: ``((col + sigmoid(tx)) / 8, (row + sigmoid(ty)) / 8)``;
- ``box_wh`` ``(..., 8, 8, A, 2)``: width and height as a fraction of the image,
  ``anchor_w * exp(tw) / 128`` and ``anchor_h * exp(th) / 128``;
- ``box_confidence`` ``(..., 8, 8, A, 1)``: ``sigmoid(to)``, how sure the cell is that an
  object's centre lies in it with this anchor;
- ``box_class_probs`` ``(..., 8, 8, A, 7)``: the softmax of the class logits.

Boxes are corners ``(x1, y1, x2, y2)`` everywhere in this repository (the order of
``utils.data.road_scenes``), not the course's ``(y1, x1, y2, x2)``: intersection over union
does not care which axis comes first, so ``tf.image.non_max_suppression`` takes them as they
are. :func:`yolo_boxes_to_corners` and :func:`scale_boxes` are the two helpers the course
gives the learner.

Training: :func:`encode_targets` writes each true box into the cell holding its centre, in
the anchor whose shape matches it best (IoU of shapes), and :func:`yolo_loss` compares.
Evaluation: :func:`average_precision` (VOC all-point interpolation) per class, and
:func:`mean_average_precision` over the classes.
"""

import numpy as np

CLASS_NAMES = ("car", "taxi", "bus", "truck", "bicycle", "traffic_light", "stop_sign")
N_CLASSES = len(CLASS_NAMES)
IMAGE_SIZE = 128
GRID = 8
STRIDE = IMAGE_SIZE // GRID
N_ANCHORS = 5
OUTPUTS = 5 + N_CLASSES  # tx, ty, tw, th, objectness, class logits

# loss weights
COORD_WEIGHT = 5.0
NOOBJ_WEIGHT = 0.5


# ----------------------------------------------------------------------------------------
# anchors


def shape_iou(wh, anchors):
    """IoU of boxes and anchors placed on a common centre: ``(n, k)`` from ``wh (n, 2)`` and
    ``anchors (k, 2)``."""
    wh = np.asarray(wh, dtype=np.float64)[:, None, :]
    anchors = np.asarray(anchors, dtype=np.float64)[None, :, :]
    inter = np.minimum(wh[..., 0], anchors[..., 0]) * np.minimum(wh[..., 1], anchors[..., 1])
    return inter / (wh[..., 0] * wh[..., 1] + anchors[..., 0] * anchors[..., 1] - inter)


def kmeans_anchors(wh, k=N_ANCHORS, seed=0, iterations=100):
    """``k`` anchor shapes ``(k, 2)`` (width, height in pixels), by k-means on the box shapes
    ``wh (n, 2)`` with the distance ``1 - IoU`` (so big boxes do not dominate), sorted by
    area. Each centre is the median of its cluster, which keeps it a typical shape."""
    wh = np.asarray(wh, dtype=np.float64)
    rng = np.random.default_rng(seed)
    centres = wh[rng.choice(len(wh), k, replace=False)]
    assign = None
    for _ in range(iterations):
        new = np.argmax(shape_iou(wh, centres), axis=1)
        if assign is not None and np.array_equal(new, assign):
            break
        assign = new
        for j in range(k):
            if np.any(assign == j):
                centres[j] = np.median(wh[assign == j], axis=0)
    return centres[np.argsort(centres[:, 0] * centres[:, 1])].astype(np.float32)


def mean_best_iou(wh, anchors):
    """Average over boxes of the IoU with their best-matching anchor (shapes only)."""
    return float(np.mean(np.max(shape_iou(wh, anchors), axis=1)))


# ----------------------------------------------------------------------------------------
# the network


def build_detector(n_anchors=N_ANCHORS, n_classes=N_CLASSES, seed=0):
    """The detector: a 128x128x3 image (pixels 0-255, uint8 or float) -> raw output ``(8, 8,
    n_anchors, 5 + n_classes)``. A rescaling to [0, 1], seven 3x3 convolutions (batch norm,
    leaky ReLU), four of them with stride 2, then a 1x1 convolution that answers for every
    cell; about 0.3 M parameters."""
    import keras
    from keras import layers

    init = keras.initializers.HeNormal(seed=seed)
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, 3), name="image")
    x = layers.Rescaling(1.0 / 255.0, name="rescale")(inputs)
    for i, (filters, stride) in enumerate(((16, 2), (32, 2), (32, 1), (64, 2), (64, 1),
                                           (128, 2), (128, 1))):
        x = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False,
                          kernel_initializer=init, name=f"conv{i + 1}")(x)
        x = layers.BatchNormalization(name=f"bn{i + 1}")(x)
        x = layers.LeakyReLU(0.1, name=f"leaky{i + 1}")(x)
    x = layers.Conv2D(n_anchors * (5 + n_classes), 1,
                      kernel_initializer=keras.initializers.RandomNormal(stddev=0.01, seed=seed),
                      bias_initializer=_head_bias(n_anchors, n_classes), name="head")(x)
    outputs = layers.Reshape((GRID, GRID, n_anchors, 5 + n_classes), name="raw")(x)
    return keras.Model(inputs, outputs, name="tiny_yolo")


def _head_bias(n_anchors, n_classes):
    """Start the objectness logits at -4 (sigmoid 0.018): most cells hold no object."""
    import keras

    bias = np.zeros((n_anchors, 5 + n_classes), dtype=np.float32)
    bias[:, 4] = -4.0
    return keras.initializers.Constant(bias.reshape(-1))


def decode_output(raw, anchors):
    """``(box_xy, box_wh, box_confidence, box_class_probs)`` from the raw output ``(..., 8, 8,
    A, 5 + C)`` (one image or a batch), as TensorFlow tensors; see the module docstring."""
    import tensorflow as tf

    raw = tf.convert_to_tensor(raw, dtype=tf.float32)
    anchors = tf.constant(np.asarray(anchors, dtype=np.float32))
    grid = np.arange(GRID, dtype=np.float32)
    cols, rows = np.meshgrid(grid, grid)  # cols varies along x (axis 1)
    offsets = tf.constant(np.stack([cols, rows], axis=-1)[:, :, None, :])  # (8, 8, 1, 2)
    box_xy = (tf.sigmoid(raw[..., 0:2]) + offsets) / GRID
    box_wh = anchors * tf.exp(tf.minimum(raw[..., 2:4], 8.0)) / IMAGE_SIZE
    box_confidence = tf.sigmoid(raw[..., 4:5])
    box_class_probs = tf.nn.softmax(raw[..., 5:], axis=-1)
    return box_xy, box_wh, box_confidence, box_class_probs


def yolo_boxes_to_corners(box_xy, box_wh):
    """Centres and sizes ``(..., 2)`` -> corners ``(..., 4)`` ``(x1, y1, x2, y2)``."""
    import tensorflow as tf

    half = box_wh / 2.0
    return tf.concat([box_xy - half, box_xy + half], axis=-1)


def scale_boxes(boxes, image_shape):
    """Corners as fractions of the image -> pixels; ``image_shape`` is ``(height, width)``."""
    import tensorflow as tf

    height, width = float(image_shape[0]), float(image_shape[1])
    return boxes * tf.constant([width, height, width, height], dtype=boxes.dtype)


def detect_boxes(raw, anchors, max_boxes=10, score_threshold=0.05, iou_threshold=0.5):
    """Per image of a raw batch, ``(scores, boxes, classes)`` as numpy arrays (pixel corners):
    score = confidence x best class probability, boxes below ``score_threshold`` dropped, then
    class-agnostic ``tf.image.non_max_suppression``. The builder's evaluation; the notebook
    has the learner write the same steps as ``yolo_eval``."""
    import tensorflow as tf

    box_xy, box_wh, confidence, probs = decode_output(raw, anchors)
    corners = scale_boxes(yolo_boxes_to_corners(box_xy, box_wh), (IMAGE_SIZE, IMAGE_SIZE))
    scores_all = confidence * probs
    results = []
    for n in range(int(raw.shape[0])):
        scores = tf.reshape(tf.reduce_max(scores_all[n], axis=-1), [-1])
        classes = tf.reshape(tf.argmax(scores_all[n], axis=-1), [-1])
        boxes = tf.reshape(corners[n], [-1, 4])
        keep = scores >= score_threshold
        scores, classes, boxes = (tf.boolean_mask(v, keep) for v in (scores, classes, boxes))
        chosen = tf.image.non_max_suppression(boxes, scores, max_boxes, iou_threshold)
        results.append(tuple(tf.gather(v, chosen).numpy() for v in (scores, boxes, classes)))
    return results


# ----------------------------------------------------------------------------------------
# training targets and loss


def encode_targets(boxes, classes, anchors):
    """Training targets ``(n, 8, 8, A, 6)`` float32 from per-scene ``boxes`` (``(k, 4)`` pixel
    corners) and ``classes``: for each object, in the cell holding its centre and the anchor
    of the most similar shape, ``(x offset in the cell, y offset, log(w / anchor_w),
    log(h / anchor_h), 1, class)``; every other slot is zero (no object). When two objects
    want one slot, the larger keeps it."""
    anchors = np.asarray(anchors, dtype=np.float64)
    target = np.zeros((len(boxes), GRID, GRID, len(anchors), 6), dtype=np.float32)
    for n, (scene_boxes, scene_classes) in enumerate(zip(boxes, classes, strict=True)):
        scene_boxes = np.asarray(scene_boxes, dtype=np.float64).reshape(-1, 4)
        wh = scene_boxes[:, 2:] - scene_boxes[:, :2]
        order = np.argsort(wh[:, 0] * wh[:, 1])  # small first, so the larger overwrites
        best = np.argmax(shape_iou(wh, anchors), axis=1) if len(wh) else []
        for i in order:
            cx, cy = (scene_boxes[i, :2] + scene_boxes[i, 2:]) / 2 / STRIDE
            col, row = min(int(cx), GRID - 1), min(int(cy), GRID - 1)
            a = best[i]
            target[n, row, col, a] = (cx - col, cy - row, np.log(wh[i, 0] / anchors[a, 0]),
                                      np.log(wh[i, 1] / anchors[a, 1]), 1.0, scene_classes[i])
    return target


def yolo_loss(y_true, y_pred):
    """Sum over cells and anchors, mean over the batch: objectness cross-entropy everywhere
    (empty slots weighted :data:`NOOBJ_WEIGHT`), and where an object is, squared errors of
    the centre offsets and log-sizes (weighted :data:`COORD_WEIGHT`) and the class
    cross-entropy."""
    import tensorflow as tf

    obj = y_true[..., 4]
    bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=obj, logits=y_pred[..., 4])
    obj_loss = tf.reduce_sum(bce * (obj + NOOBJ_WEIGHT * (1.0 - obj)), axis=[1, 2, 3])
    xy_error = tf.reduce_sum(tf.square(tf.sigmoid(y_pred[..., 0:2]) - y_true[..., 0:2]), -1)
    wh_error = tf.reduce_sum(tf.square(y_pred[..., 2:4] - y_true[..., 2:4]), -1)
    coord_loss = COORD_WEIGHT * tf.reduce_sum(obj * (xy_error + wh_error), axis=[1, 2, 3])
    labels = tf.cast(y_true[..., 5], tf.int32)
    ce = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=y_pred[..., 5:])
    class_loss = tf.reduce_sum(obj * ce, axis=[1, 2, 3])
    return tf.reduce_mean(obj_loss + coord_loss + class_loss)


# ----------------------------------------------------------------------------------------
# evaluation


def box_iou_matrix(a, b):
    """IoU of every box in ``a (n, 4)`` with every box in ``b (m, 4)``, corners, -> (n, m)."""
    a = np.asarray(a, dtype=np.float64).reshape(-1, 1, 4)
    b = np.asarray(b, dtype=np.float64).reshape(1, -1, 4)
    w = np.clip(np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]), 0, None)
    h = np.clip(np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]), 0, None)
    inter = w * h
    area_a = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    area_b = (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    union = area_a + area_b - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)


def average_precision(recall, precision):
    """VOC all-point interpolated AP: the area under the precision-recall curve after
    replacing each precision by the best precision at any higher recall."""
    r = np.concatenate([[0.0], np.asarray(recall, dtype=np.float64), [1.0]])
    p = np.concatenate([[0.0], np.asarray(precision, dtype=np.float64), [0.0]])
    p = np.maximum.accumulate(p[::-1])[::-1]
    steps = np.nonzero(r[1:] != r[:-1])[0]
    return float(np.sum((r[steps + 1] - r[steps]) * p[steps + 1]))


def match_boxes(detections, truths, cls, iou_threshold=0.5):
    """For one class: ``(scores, is_true_positive, n_truths)`` over all images.

    ``detections`` is a list (per image) of ``(scores, boxes, classes)``; ``truths`` a list of
    ``(boxes, classes)``. Detections are taken best score first over all images; each one is
    a true positive when its best-overlapping true box of the class (IoU >= threshold) has not
    been claimed by a better detection, otherwise a false positive."""
    records = []
    n_truths = 0
    for image, ((scores, boxes, classes), (true_boxes, true_classes)) in enumerate(
            zip(detections, truths, strict=True)):
        scores, boxes, classes = (np.asarray(v) for v in (scores, boxes, classes))
        mine = np.asarray(true_boxes).reshape(-1, 4)[np.asarray(true_classes) == cls]
        n_truths += len(mine)
        keep = classes == cls
        for s, b in zip(scores[keep], boxes.reshape(-1, 4)[keep], strict=True):
            records.append((float(s), image, b))
    records.sort(key=lambda r: -r[0])
    claimed = {}
    hits = np.zeros(len(records), dtype=bool)
    for k, (_, image, box) in enumerate(records):
        true_boxes, true_classes = truths[image]
        mine = np.asarray(true_boxes).reshape(-1, 4)[np.asarray(true_classes) == cls]
        if len(mine) == 0:
            continue
        ious = box_iou_matrix(box, mine)[0]
        best = int(np.argmax(ious))
        if ious[best] >= iou_threshold and (image, best) not in claimed:
            claimed[(image, best)] = True
            hits[k] = True
    return np.array([r[0] for r in records]), hits, n_truths


def class_average_precision(detections, truths, cls, iou_threshold=0.5):
    """AP@``iou_threshold`` of one class (NaN if the class never appears in ``truths``)."""
    _, hits, n_truths = match_boxes(detections, truths, cls, iou_threshold)
    if n_truths == 0:
        return float("nan")
    if len(hits) == 0:
        return 0.0
    tp = np.cumsum(hits)
    recall = tp / n_truths
    precision = tp / np.arange(1, len(hits) + 1)
    return average_precision(recall, precision)


def mean_average_precision(detections, truths, n_classes=N_CLASSES, iou_threshold=0.5):
    """``(mAP, per-class APs (n_classes,))``: the mean over the classes present in
    ``truths`` of their VOC all-point AP at ``iou_threshold``."""
    aps = np.array([class_average_precision(detections, truths, c, iou_threshold)
                    for c in range(n_classes)])
    return float(np.nanmean(aps)), aps
