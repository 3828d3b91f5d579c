"""utils.models.yolo: anchors, target encoding and decoding, the loss, mAP."""

import numpy as np
import pytest

import utils
from utils.data.road_scenes import CLASSES
from utils.models import yolo

tf = utils.setup_notebook(tensorflow=True)


def test_class_names_follow_the_road_scenes():
    assert yolo.CLASS_NAMES == CLASSES


def test_kmeans_finds_three_clear_shapes():
    rng = np.random.default_rng(0)
    centres = np.array([[10, 12], [30, 20], [45, 40]], dtype=float)
    wh = np.concatenate([c * rng.uniform(0.97, 1.03, (50, 2)) for c in centres])
    anchors = yolo.kmeans_anchors(wh, k=3)
    np.testing.assert_allclose(anchors, centres, rtol=0.03)
    assert yolo.mean_best_iou(wh, anchors) > 0.9


def _scene_boxes():
    boxes = [np.array([[10, 20, 30, 36], [60, 50, 100, 90], [3, 100, 15, 127]], np.float32),
             np.zeros((0, 4), np.float32)]
    classes = [np.array([0, 2, 6]), np.zeros(0, dtype=np.int64)]
    return boxes, classes


ANCHORS = np.array([[12, 12], [20, 16], [30, 24], [40, 40], [15, 30]], np.float32)


def _raw_from_targets(target):
    """Raw logits that decode exactly to the targets (objectness +-12)."""
    offsets = np.clip(target[..., 0:2], 1e-6, 1 - 1e-6)
    raw = np.zeros(target.shape[:-1] + (yolo.OUTPUTS,), np.float32)
    raw[..., 0:2] = np.log(offsets / (1 - offsets))
    raw[..., 2:4] = target[..., 2:4]
    raw[..., 4] = np.where(target[..., 4] > 0, 12.0, -12.0)
    classes = target[..., 5].astype(int)
    raw[..., 5:] = -6.0
    np.put_along_axis(raw[..., 5:], classes[..., None], 6.0, axis=-1)
    return raw


def test_encoding_then_decoding_gives_the_boxes_back():
    boxes, classes = _scene_boxes()
    target = yolo.encode_targets(boxes, classes, ANCHORS)
    assert target.shape == (2, 8, 8, 5, 6)
    assert target[..., 4].sum() == 3 and target[1, ..., 4].sum() == 0
    # the car's centre (20, 28) is in row 1, column 1; its shape 20x16 is anchor 1
    assert target[0, 1, 1, 1, 4] == 1
    np.testing.assert_allclose(target[0, 1, 1, 1, :4], [0.25, 0.75, 0, 0], atol=1e-6)
    found = yolo.detect_boxes(_raw_from_targets(target), ANCHORS, score_threshold=0.5)
    scores, got_boxes, got_classes = found[0]
    order = np.argsort(got_classes)
    np.testing.assert_allclose(got_boxes[order], boxes[0], atol=1e-3)
    np.testing.assert_array_equal(got_classes[order], classes[0])
    assert np.all(scores > 0.99)
    assert len(found[1][0]) == 0


def test_decode_shapes_and_ranges():
    raw = np.random.default_rng(1).normal(0, 2, (3, 8, 8, 5, yolo.OUTPUTS)).astype(np.float32)
    xy, wh, conf, probs = (v.numpy() for v in yolo.decode_output(raw, ANCHORS))
    assert xy.shape == wh.shape == (3, 8, 8, 5, 2)
    assert conf.shape == (3, 8, 8, 5, 1) and probs.shape == (3, 8, 8, 5, 7)
    # each centre lies in its own cell: column from x, row from y
    np.testing.assert_array_equal(np.floor(xy[0, 2, 5, :, 0] * 8), 5)
    np.testing.assert_array_equal(np.floor(xy[0, 2, 5, :, 1] * 8), 2)
    np.testing.assert_allclose(probs.sum(-1), 1, rtol=1e-5)


def test_corners_and_scaling():
    corners = yolo.yolo_boxes_to_corners(tf.constant([[0.5, 0.25]]), tf.constant([[0.2, 0.1]]))
    np.testing.assert_allclose(corners.numpy(), [[0.4, 0.2, 0.6, 0.3]], rtol=1e-6)
    scaled = yolo.scale_boxes(corners, (100.0, 200.0))
    np.testing.assert_allclose(scaled.numpy(), [[80, 20, 120, 30]], rtol=1e-5)


def test_loss_is_lower_for_the_right_answer():
    boxes, classes = _scene_boxes()
    target = yolo.encode_targets(boxes, classes, ANCHORS)
    good = yolo.yolo_loss(tf.constant(target), tf.constant(_raw_from_targets(target)))
    bad = yolo.yolo_loss(tf.constant(target), tf.zeros(target.shape[:-1] + (yolo.OUTPUTS,)))
    assert float(good) < 0.05 < float(bad)


def test_box_iou_matrix_by_hand():
    got = yolo.box_iou_matrix([[0, 0, 2, 2]], [[1, 1, 3, 3], [2, 2, 4, 4], [0, 0, 2, 2]])
    np.testing.assert_allclose(got, [[1 / 7, 0, 1]])


def test_average_precision_by_hand():
    truths = [(np.array([[0, 0, 10, 10], [20, 20, 30, 30]]), np.array([0, 0]))]
    # a hit (0.9), a miss (0.8), the other hit (0.7): recall .5 .5 1, precision 1 .5 .667
    detections = [(np.array([0.9, 0.8, 0.7]),
                   np.array([[0, 0, 10, 10], [50, 50, 60, 60], [21, 20, 31, 30]]),
                   np.array([0, 0, 0]))]
    ap = yolo.class_average_precision(detections, truths, 0)
    assert ap == pytest.approx(0.5 * 1 + 0.5 * 2 / 3)
    # a duplicate of a claimed box is a false positive
    dup = [(np.array([0.9, 0.8]), np.array([[0, 0, 10, 10], [0, 0, 10, 10]]), np.array([0, 0]))]
    assert yolo.class_average_precision(dup, truths, 0) == pytest.approx(0.5)
    # a class that never appears is left out of the mean; one never detected counts 0
    mean, aps = yolo.mean_average_precision(detections, truths, n_classes=3)
    assert np.isnan(aps[1]) and np.isnan(aps[2]) and mean == pytest.approx(ap)
    truths2 = [(np.array([[0, 0, 10, 10], [40, 40, 50, 50]]), np.array([0, 1]))]
    perfect = [(np.array([0.9]), np.array([[0, 0, 10, 10]]), np.array([0]))]
    mean, aps = yolo.mean_average_precision(perfect, truths2, n_classes=2)
    assert aps.tolist() == [1.0, 0.0] and mean == 0.5


def test_detector_output_shape():
    model = yolo.build_detector()
    out = model(np.zeros((2, 128, 128, 3), np.uint8))
    assert tuple(out.shape) == (2, 8, 8, 5, 12)
    assert 250_000 < model.count_params() < 350_000
