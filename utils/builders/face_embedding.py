"""Train the face-recognition notebook's embedding network with the triplet loss; write the
weights.

    python -m utils.builders.face_embedding   # about 310 s on 2 cores
    python -m utils.data.manifest update      # then record the new hash

The network is :func:`utils.models.face_embedding.face_embedding_model` (48x48 photos to
64-d unit vectors). It trains on photos of the 126 *training* identities of
:mod:`utils.data.identities` (``PHOTOS`` photos each, composed once with a fixed seed) in
P x K batches: ``P`` identities drawn at random, ``K`` photos of each. Every photo of a batch
is an anchor; its hardest positive and hardest negative in the batch complete the triplet
(:func:`~utils.models.face_embedding.batch_hard_triplets`), and the loss is the triplet loss
(:func:`~utils.models.face_embedding.triplet_loss`, margin ``ALPHA``) divided by the batch
size. Adam, with a learning rate that decays along a cosine to zero, for a fixed number of
steps: no early stopping.

Every ``RECORD_EVERY`` steps the script records the mean training loss and the verification
accuracy on the 30 *validation* identities (10 photos each, every same-identity pair and as
many different-identity pairs, at the best threshold on those pairs). At the end it stores
the weights in float16, picks the threshold on the validation pairs with the float16 weights,
and measures the verification accuracy at that threshold on the 30 *test* identities, which
neither training nor the choice of the threshold has seen. The output file holds the weights
as ``w000, w001, ...`` (``model.get_weights()`` order) and the record (``step``,
``train_loss``, ``validation_accuracy``, ``steps``, ``threshold``, ``test_accuracy``).
Training is seeded; another CPU changes the weights in their last digits, and so the file's
hash.
"""

import sys
import time

import numpy as np

from utils.data.manifest import DATASETS_DIR

PHOTOS = 60
STEPS = 2000
IDENTITIES_PER_BATCH = 16
PHOTOS_PER_IDENTITY = 4
ALPHA = 0.2
LEARNING_RATE = 0.002
RECORD_EVERY = 250
SEED = 0


def evaluation_sets():
    """Validation and test photos (10 per identity) exactly as the notebook loads them."""
    from utils.data.identities import load_people

    return load_people("validation", per_identity=10), load_people("test", per_identity=10)


def verification(model, validation, test):
    """(validation accuracy at its best threshold, that threshold, test accuracy there)."""
    from utils.models.face_embedding import balanced_pairs, best_threshold, embed

    results = []
    for images, labels, _ in (validation, test):
        rng = np.random.default_rng(SEED)
        results.append(balanced_pairs(embed(model, images), labels, rng))
    (val_d, val_same), (test_d, test_same) = results
    threshold, fpr, tpr = best_threshold(val_d, val_same)
    val_accuracy = float(np.mean((val_d < threshold) == val_same))
    test_accuracy = float(np.mean((test_d < threshold) == test_same))
    return val_accuracy, threshold, test_accuracy


def train(steps=STEPS, verbose=True):
    """Train from a fresh seed; return (model, history dict, seconds)."""
    import utils

    tf = utils.setup_notebook(seed=SEED, tensorflow=True)
    import keras

    from utils.data.identities import load_people
    from utils.models.face_embedding import (
        batch_hard_triplets,
        face_embedding_model,
        pk_batches,
        triplet_loss,
    )

    images, labels, _ = load_people("train", per_identity=PHOTOS)
    images = images.astype(np.float32) / 255.0
    validation, test = evaluation_sets()
    model = face_embedding_model()
    schedule = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, decay_steps=steps)
    optimizer = keras.optimizers.Adam(schedule)

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            anchor, positive, negative = batch_hard_triplets(model(x, training=True), y)
            loss = triplet_loss(anchor, positive, negative, ALPHA) / tf.cast(tf.shape(x)[0],
                                                                             tf.float32)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss

    batches = pk_batches(labels, IDENTITIES_PER_BATCH, PHOTOS_PER_IDENTITY,
                         np.random.default_rng(SEED))
    history = {"step": [], "train_loss": [], "validation_accuracy": []}
    losses = []
    start = time.perf_counter()
    for i in range(1, steps + 1):
        index = next(batches)
        losses.append(float(step(tf.constant(images[index]), tf.constant(labels[index]))))
        if i % RECORD_EVERY == 0 or i == steps:
            val_accuracy, _, _ = verification(model, validation, test)
            history["step"].append(i)
            history["train_loss"].append(np.mean(losses))
            history["validation_accuracy"].append(val_accuracy)
            losses = []
            if verbose:
                print(f"step {i}: loss {history['train_loss'][-1]:.4f}, validation "
                      f"verification accuracy {val_accuracy:.4f} "
                      f"({time.perf_counter() - start:.0f} s)", flush=True)
    seconds = time.perf_counter() - start
    return model, {k: np.asarray(v, dtype=np.float32) for k, v in history.items()}, seconds


def save(model, history, output=None):
    """Write the float16 weights and the record; return (path, threshold, test accuracy)."""
    from utils.data.face_embedding_weights import RELATIVE_PATH

    weights = [w.astype(np.float16) for w in model.get_weights()]
    model.set_weights([w.astype(np.float32) for w in weights])
    validation, test = evaluation_sets()
    _, threshold, test_accuracy = verification(model, validation, test)
    output = DATASETS_DIR / RELATIVE_PATH if output is None else output
    output.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(output, **{f"w{i:03d}": w for i, w in enumerate(weights)}, **history,
                        steps=np.int64(history["step"][-1]), threshold=np.float32(threshold),
                        test_accuracy=np.float32(test_accuracy))
    return output, threshold, test_accuracy


def main(steps=STEPS):
    model, history, seconds = train(steps)
    output, threshold, test_accuracy = save(model, history)
    print(f"{model.count_params()} parameters, {steps} steps in {seconds:.0f} s; threshold "
          f"{threshold:.4f} (validation), test verification accuracy {test_accuracy:.4f} "
          f"(float16 weights); wrote {output} ({output.stat().st_size / 1e6:.2f} MB)",
          flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else STEPS)
    sys.exit(0)
