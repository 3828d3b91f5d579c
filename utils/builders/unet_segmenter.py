"""Train the U-Net notebook's segmentation network on road scenes; write its weights.

    python -m utils.builders.unet_segmenter   # 18 min on 2 shared cores (816 s of CPU)
    python -m utils.data.manifest update      # then record the new hash

The Course 4 notebook *Image segmentation with a U-Net* builds
:func:`utils.models.unet.unet_model` (four contracting blocks, a bottleneck, four expanding
blocks, ``n_filters=8``: 0.54 M parameters) from the learner's blocks, trains it live for a
few seconds, then loads the weights this script trains for longer.

Data: :data:`TRAIN_SCENES` scenes of ``utils.data.road_scenes.make_scenes(seed=TRAIN_SEED)``
(128x128, pixels scaled to [0, 1]) with their masks merged into the 8 classes of
``utils.models.unet.CLASS_NAMES``. A validation set of :data:`VAL_SCENES` scenes from
another seed is only evaluated, once per epoch, to record the curve the notebook plots; the
notebook's test scenes come from a third seed that no part of training sees.

Training: Adam with a cosine-decaying learning rate, sparse categorical cross-entropy on the
logits, batches of :data:`BATCH_SIZE`, a fixed number of epochs (no early stopping).

The output ``datasets/unet/unet_segmenter.npz`` holds the weights in ``model.get_weights()``
order as ``w000, w001, ...`` in float16 (the validation mean IoU of the rounded weights is
recorded next to the float32 one), the settings and the per-epoch history. Training is seeded
and deterministic on one CPU; another CPU changes the weights in their last digits, and so
the file's hash.
"""

import sys
import time

import numpy as np

from utils.data.manifest import DATASETS_DIR
from utils.data.unet_weights import RELATIVE_PATH

N_FILTERS = 8
INPUT_SIZE = (128, 128, 3)
TRAIN_SCENES = 2000
TRAIN_SEED = 100
VAL_SCENES = 60
VAL_SEED = 200
EPOCHS = 8
BATCH_SIZE = 16
LEARNING_RATE = 0.003
SEED = 0


def scenes(n, seed):
    """``(images float32 in [0, 1], masks of CLASS_NAMES indices)`` of n road scenes."""
    from utils.data.road_scenes import SEGMENT_CLASSES, make_scenes
    from utils.models.unet import group_masks

    images, masks, _, _ = make_scenes(n, seed=seed)
    return (images / np.float32(255)).astype(np.float32), group_masks(masks, SEGMENT_CLASSES)


def evaluate(model, X, Y):
    """``(loss, mean IoU over classes)`` of the model on images X with masks Y."""
    import keras

    from utils.models.unet import confusion_matrix, iou_per_class

    logits = model.predict(X, batch_size=20, verbose=0)
    loss = float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(Y, logits))
    iou = iou_per_class(confusion_matrix(Y, logits.argmax(-1)))
    return loss, float(np.nanmean(iou))


def train(epochs=EPOCHS, verbose=True):
    """Train from a fresh seed; return (model, history dict, seconds)."""
    import utils

    tf = utils.setup_notebook(seed=SEED, tensorflow=True)
    import keras

    from utils.models.unet import N_CLASSES, unet_model

    X, Y = scenes(TRAIN_SCENES, TRAIN_SEED)
    X_val, Y_val = scenes(VAL_SCENES, VAL_SEED)
    model = unet_model(INPUT_SIZE, N_FILTERS, N_CLASSES)
    steps = epochs * int(np.ceil(len(X) / BATCH_SIZE))
    schedule = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, decay_steps=steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    data = tf.data.Dataset.from_tensor_slices((X, Y)).shuffle(len(X), seed=SEED)
    data = data.batch(BATCH_SIZE)
    history = {"train_loss": [], "train_accuracy": [], "val_loss": [], "val_mean_iou": []}
    start = time.perf_counter()
    for epoch in range(epochs):
        fit = model.fit(data, epochs=1, verbose=0)
        val_loss, val_iou = evaluate(model, X_val, Y_val)
        history["train_loss"].append(fit.history["loss"][0])
        history["train_accuracy"].append(fit.history["accuracy"][0])
        history["val_loss"].append(val_loss)
        history["val_mean_iou"].append(val_iou)
        if verbose:
            print(f"epoch {epoch + 1}: loss {fit.history['loss'][0]:.4f}, accuracy "
                  f"{fit.history['accuracy'][0]:.4f}, validation loss {val_loss:.4f}, "
                  f"validation mean IoU {val_iou:.4f} ({time.perf_counter() - start:.0f} s)",
                  flush=True)
    seconds = time.perf_counter() - start
    return model, {k: np.asarray(v, dtype=np.float32) for k, v in history.items()}, seconds


def save(model, history, output=None):
    """Write the weights as float16 with the history; return (path, float16 val mean IoU)."""
    X_val, Y_val = scenes(VAL_SCENES, VAL_SEED)
    weights = [w.astype(np.float16) for w in model.get_weights()]
    full = model.get_weights()
    model.set_weights([w.astype(np.float32) for w in weights])
    _, half_iou = evaluate(model, X_val, Y_val)
    model.set_weights(full)
    output = DATASETS_DIR / RELATIVE_PATH if output is None else output
    output.parent.mkdir(parents=True, exist_ok=True)
    arrays = {f"w{i:03d}": w for i, w in enumerate(weights)}
    np.savez_compressed(output, **arrays, **history,
                        epochs=np.int64(len(history["train_loss"])),
                        n_filters=np.int64(N_FILTERS), n_classes=np.int64(model.output_shape[-1]),
                        input_size=np.asarray(INPUT_SIZE, dtype=np.int64),
                        train_scenes=np.int64(TRAIN_SCENES), train_seed=np.int64(TRAIN_SEED),
                        float16_val_mean_iou=np.float32(half_iou))
    return output, half_iou


def main(epochs=EPOCHS):
    model, history, seconds = train(epochs)
    output, half_iou = save(model, history)
    print(f"U-Net: {model.count_params()} parameters, {epochs} epochs in {seconds:.0f} s; final "
          f"train loss {history['train_loss'][-1]:.4f}, validation mean IoU "
          f"{history['val_mean_iou'][-1]:.4f} (float16 weights: {half_iou:.4f}); wrote "
          f"{output} ({output.stat().st_size / 1e6:.2f} MB)", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else EPOCHS)
    sys.exit(0)
