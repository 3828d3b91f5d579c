"""The car-detection checks pass a correct reference and catch typical mistakes."""

import numpy as np
import pytest

import utils
from tests.check_contract import (
    blank_raises_not_implemented,
    mistake_is_caught,
    reference_passes,
)
from utils.checks import c4w3_car_detection_yolo as check
from utils.checks.verdicts import CheckFailure

tf = utils.setup_notebook(tensorflow=True)

from utils.models.yolo import scale_boxes, yolo_boxes_to_corners  # noqa: E402

# ----------------------------------------------------------------------------------------
# correct references written here, with switches for the typical mistakes


def make_filter(score="product", compare="ge", mask_classes=True):
    def yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.6):
        box_scores = box_confidence * box_class_probs
        classes = tf.math.argmax(box_scores, axis=-1)
        best = tf.math.reduce_max(box_scores, axis=-1)
        if score == "probability":
            best = tf.math.reduce_max(box_class_probs, axis=-1)
        on = best if score != "confidence" else box_confidence[..., 0]
        mask = on >= threshold if compare == "ge" else on > threshold
        if score == "probability":
            mask = tf.math.reduce_max(box_scores, axis=-1) >= threshold
        kept_classes = tf.boolean_mask(classes, mask) if mask_classes else tf.reshape(classes, [-1])
        return tf.boolean_mask(best, mask), tf.boolean_mask(boxes, mask), kept_classes
    return yolo_filter_boxes


def make_iou(clamp="each", union="right", plus_one=False, ordered=False, truncate=False):
    def iou(box1, box2):
        one = 1 if plus_one else 0
        if ordered:  # takes box1's start and box2's end
            x1, y1, x2, y2 = box2[0], box2[1], box1[2], box1[3]
        else:
            x1, y1 = max(box1[0], box2[0]), max(box1[1], box2[1])
            x2, y2 = min(box1[2], box2[2]), min(box1[3], box2[3])
        w, h = x2 - x1 + one, y2 - y1 + one
        if truncate:  # whole pixels only
            w, h = int(w), int(h)
        if clamp == "each":
            inter = max(w, 0) * max(h, 0)
        elif clamp == "product":
            inter = max(w * h, 0)
        else:
            inter = w * h
        area1 = (box1[2] - box1[0] + one) * (box1[3] - box1[1] + one)
        area2 = (box2[2] - box2[0] + one) * (box2[3] - box2[1] + one)
        total = area1 + area2 - (inter if union == "right" else 0)
        return float(inter / total)
    return iou


def _iou(a, b):
    return make_iou()(a, b)


def make_nms(mode="right"):
    def yolo_non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
        s, b, c = np.asarray(scores), np.asarray(boxes), np.asarray(classes)
        if mode == "unsorted":
            order = list(range(len(s)))
        elif mode == "unstable":
            order = list(np.lexsort((-np.arange(len(s)), -s)))
        else:
            order = list(np.argsort(-s, kind="stable"))
        keep = []
        if mode == "any_better":
            for i in order:
                rank_i = order.index(i)
                if not any(_iou(b[i], b[j]) > iou_threshold for j in order[:rank_i]):
                    keep.append(i)
            keep = keep[:max_boxes]
        elif mode in ("unsorted", "per_class"):
            for i in order:
                if len(keep) < max_boxes and all(
                        _iou(b[i], b[j]) <= iou_threshold
                        or (mode == "per_class" and c[i] != c[j]) for j in keep):
                    keep.append(i)
        else:
            rest = order
            while rest and (len(keep) < max_boxes or mode == "no_max"):
                best, rest = rest[0], rest[1:]
                keep.append(best)
                if mode == "top_k":
                    continue
                if mode == "ge":
                    rest = [j for j in rest if _iou(b[best], b[j]) < iou_threshold]
                else:
                    rest = [j for j in rest if _iou(b[best], b[j]) <= iou_threshold]
        keep = np.array(keep, dtype=np.int64)
        return tf.gather(scores, keep), tf.gather(boxes, keep), tf.gather(classes, keep)
    return yolo_non_max_suppression


REFERENCE_FILTER = make_filter()
REFERENCE_NMS = make_nms()


def make_eval(scale=True, swap=False, corners="centre", pass_threshold=True, pass_nms=True):
    def yolo_eval(yolo_outputs, image_shape=(128.0, 128.0), max_boxes=10, score_threshold=0.6,
                  iou_threshold=0.5):
        box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
        if corners == "centre":
            boxes = yolo_boxes_to_corners(box_xy, box_wh)
        else:
            boxes = tf.concat([box_xy, box_xy + box_wh], axis=-1)
        scores, boxes, classes = REFERENCE_FILTER(
            boxes, box_confidence, box_class_probs,
            threshold=score_threshold if pass_threshold else 0.6)
        if scale:
            shape = image_shape[::-1] if swap else image_shape
            boxes = scale_boxes(boxes, shape)
        if pass_nms:
            return REFERENCE_NMS(scores, boxes, classes, max_boxes, iou_threshold)
        return REFERENCE_NMS(scores, boxes, classes)
    return yolo_eval


REFERENCE = {
    "yolo_filter_boxes": REFERENCE_FILTER,
    "iou": make_iou(),
    "yolo_non_max_suppression": REFERENCE_NMS,
    "yolo_eval": make_eval(),
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercises_raise_not_implemented():
    blank_raises_not_implemented(check, sorted(REFERENCE))


def test_nms_reference_in_numpy_without_tf_outputs_passes(capsys):
    """Returning numpy arrays instead of tensors is fine."""
    def numpy_nms(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
        s, b, c = (np.asarray(v) for v in (scores, boxes, classes))
        out = [np.asarray(v) for v in REFERENCE_NMS(s, b, c, max_boxes, iou_threshold)]
        return tuple(out)
    check.yolo_non_max_suppression(numpy_nms)
    assert "passed" in capsys.readouterr().out


MISTAKES = [
    ("yolo_filter_boxes", make_filter(score="confidence"), "confidence alone"),
    ("yolo_filter_boxes", make_filter(score="probability"), "not the class probability alone"),
    ("yolo_filter_boxes", make_filter(compare="gt"), "use >=, not >"),
    ("yolo_filter_boxes", make_filter(mask_classes=False), "mask the classes"),
    ("iou", make_iou(clamp="none"), "clamp the width and the height"),
    ("iou", make_iou(clamp="product"), "clamping only the product"),
    ("iou", make_iou(union="no_subtract"), "area1 + area2 - intersection"),
    ("iou", make_iou(plus_one=True), "no + 1"),
    ("iou", make_iou(ordered=True), "max(x1)"),
    ("iou", make_iou(truncate=True), "int() or // cuts off the fraction"),
    ("yolo_non_max_suppression", make_nms("top_k"), "remove every remaining box"),
    ("yolo_non_max_suppression", make_nms("any_better"), "only with the boxes already kept"),
    ("yolo_non_max_suppression", make_nms("ge"), "not equal to it"),
    ("yolo_non_max_suppression", make_nms("unsorted"), "from the highest score down"),
    ("yolo_non_max_suppression", make_nms("no_max"), "stop once max_boxes"),
    ("yolo_non_max_suppression", make_nms("unstable"), "stable sort"),
    ("yolo_non_max_suppression", make_nms("per_class"), "ignores the classes"),
    ("yolo_eval", make_eval(scale=False), "scale_boxes"),
    ("yolo_eval", make_eval(swap=True), "(height, width)"),
    ("yolo_eval", make_eval(corners="corner"), "centre"),
    ("yolo_eval", make_eval(pass_threshold=False), "pass these arguments on"),
    ("yolo_eval", make_eval(pass_nms=False), "pass these arguments on"),
]


@pytest.mark.parametrize(("name", "wrong", "word"), MISTAKES,
                         ids=[f"{n}-{w[:24]}" for n, _, w in MISTAKES])
def test_mistake_is_caught(name, wrong, word):
    mistake_is_caught(check, name, wrong, word)


def test_trained_detector_verdicts(capsys):
    check.trained_detector(0.9, np.array([0.8, 0.9, 0.95]), 200, 200)
    assert "all 3 verdicts hold" in capsys.readouterr().out
    with pytest.raises(CheckFailure):
        check.trained_detector(0.5, np.array([0.8, 0.9]), 200, 200)
    with pytest.raises(CheckFailure):
        check.trained_detector(0.9, np.array([0.8, 0.9]), 199, 200)
