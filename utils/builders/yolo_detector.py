"""Train the car-detection notebook's small YOLO-style detector; write its weights.

    python -m utils.builders.yolo_detector   # about 7 minutes on 2 shared cores
    python -m utils.data.manifest update     # then record the new hash

The Course 4 notebook *Car detection with YOLO* runs the learner's post-processing
(``yolo_eval``) on the raw output of :func:`utils.models.yolo.build_detector` and measures
mAP@0.5 on held-out scenes. This script trains that network.

Data: :data:`N_TRAIN` road scenes from ``utils.data.road_scenes.make_scenes(N_TRAIN,
TRAIN_SEED)``, generated here from the seed (nothing is read but the sprites), each shown
mirrored left-right at random in every epoch. Anchors: :data:`N_ANCHORS` shapes by k-means
(distance 1 - IoU) on the training boxes' widths and heights. Targets:
``utils.models.yolo.encode_targets``; loss ``utils.models.yolo.yolo_loss``; Adam with a
cosine-decaying learning rate for a fixed number of epochs (no early stopping). After each
epoch the mAP@0.5 on :data:`N_VALID` validation scenes (seed :data:`VALID_SEED`, used for
nothing else) is recorded; the notebook's test scenes (seed 2026) are never seen here.

``datasets/yolo/tiny_yolo.npz`` holds the weights in ``model.get_weights()`` order as
``w000, w001, ...`` in float16, the ``anchors`` (pixels), the per-epoch ``train_loss`` and
``valid_map``, and ``float16_valid_map`` (the validation mAP of the rounded weights).
"""

import sys
import time

import numpy as np

from utils.data.manifest import DATASETS_DIR
from utils.data.yolo_weights import RELATIVE_PATH

N_TRAIN = 4000
TRAIN_SEED = 1000
N_VALID = 200
VALID_SEED = 77
EPOCHS = 12
BATCH_SIZE = 32
LEARNING_RATE = 2e-3
SEED = 0


def _flip(image, target):
    """Mirror one scene and its targets left-right (the x offset in a cell becomes 1 - x)."""
    import tensorflow as tf

    image = image[:, ::-1]
    target = target[:, ::-1]
    x = tf.where(target[..., 4:5] > 0, 1.0 - target[..., 0:1], 0.0)
    # the log-width of a mirrored box is unchanged: the anchor shapes are symmetric
    return image, tf.concat([x, target[..., 1:]], axis=-1)


def _pipeline(images, targets, seed):
    import tensorflow as tf

    data = tf.data.Dataset.from_tensor_slices((images, targets))
    data = data.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    counter = tf.data.Dataset.counter()
    data = tf.data.Dataset.zip((data, counter)).map(
        lambda pair, i: _random_flip(pair[0], pair[1], seed, i))
    return data.batch(BATCH_SIZE).prefetch(2)


def _random_flip(image, target, seed, i):
    import tensorflow as tf

    flip = tf.random.stateless_uniform([], seed=tf.stack([tf.cast(seed, tf.int64), i])) < 0.5
    return tf.cond(flip, lambda: _flip(image, target), lambda: (image, target))


def valid_map(model, anchors, images, boxes, classes):
    """mAP@0.5 of ``model`` on scenes, through the class-agnostic post-processing."""
    from utils.models import yolo

    raw = model.predict(images, batch_size=100, verbose=0)
    detections = yolo.detect_boxes(raw, anchors)
    return yolo.mean_average_precision(detections, list(zip(boxes, classes, strict=True)))


def train(epochs=EPOCHS, n_train=N_TRAIN, verbose=True):
    """Train from the seeds; return (model, anchors, history, seconds)."""
    import utils

    utils.setup_notebook(seed=SEED, tensorflow=True)
    import keras

    from utils.data.road_scenes import make_scenes
    from utils.models import yolo

    start = time.perf_counter()
    images, _, boxes, classes = make_scenes(n_train, TRAIN_SEED)
    v_images, _, v_boxes, v_classes = make_scenes(N_VALID, VALID_SEED)
    wh = np.concatenate([b[:, 2:] - b[:, :2] for b in boxes])
    anchors = yolo.kmeans_anchors(wh, yolo.N_ANCHORS, seed=SEED)
    targets = yolo.encode_targets(boxes, classes, anchors)
    if verbose:
        print(f"{n_train} scenes, {len(wh)} boxes, generated in "
              f"{time.perf_counter() - start:.0f} s; anchors {anchors.tolist()}, mean best "
              f"IoU {yolo.mean_best_iou(wh, anchors):.3f}", flush=True)

    model = yolo.build_detector(seed=SEED)
    steps = epochs * int(np.ceil(n_train / BATCH_SIZE))
    schedule = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, decay_steps=steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss=yolo.yolo_loss)
    data = _pipeline(images, targets, SEED)
    history = {"train_loss": [], "valid_map": []}
    for epoch in range(epochs):
        fit = model.fit(data, epochs=1, verbose=0)
        score, aps = valid_map(model, anchors, v_images, v_boxes, v_classes)
        history["train_loss"].append(fit.history["loss"][0])
        history["valid_map"].append(score)
        if verbose:
            print(f"epoch {epoch + 1}: loss {fit.history['loss'][0]:.3f}, valid mAP@0.5 "
                  f"{score:.4f}, APs {np.round(aps, 3).tolist()} "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
    seconds = time.perf_counter() - start
    valid = (v_images, v_boxes, v_classes)
    return model, anchors, {k: np.asarray(v, dtype=np.float32) for k, v in history.items()}, \
        seconds, valid


def save(model, anchors, history, valid, output=None):
    """Write float16 weights, anchors and history; return (path, float16 validation mAP)."""
    weights = [w.astype(np.float16) for w in model.get_weights()]
    full = model.get_weights()
    model.set_weights([w.astype(np.float32) for w in weights])
    half_map, _ = valid_map(model, anchors, *valid)
    model.set_weights(full)
    output = DATASETS_DIR / RELATIVE_PATH if output is None else output
    output.parent.mkdir(parents=True, exist_ok=True)
    arrays = {f"w{i:03d}": w for i, w in enumerate(weights)}
    np.savez_compressed(output, **arrays, **history, anchors=anchors.astype(np.float32),
                        epochs=np.int64(len(history["train_loss"])),
                        float16_valid_map=np.float32(half_map))
    return output, half_map


def main(epochs=EPOCHS):
    model, anchors, history, seconds, valid = train(epochs)
    output, half_map = save(model, anchors, history, valid)
    print(f"tiny_yolo: {model.count_params()} parameters, {epochs} epochs in {seconds:.0f} s; "
          f"final loss {history['train_loss'][-1]:.3f}, valid mAP@0.5 "
          f"{history['valid_map'][-1]:.4f} (float16 weights: {half_map:.4f}); wrote {output} "
          f"({output.stat().st_size / 1e6:.2f} MB)", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else EPOCHS)
    sys.exit(0)
