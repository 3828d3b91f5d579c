"""The face-embedding network, its triplet loss and mining, the committed weights and their
loader, and the library's copy of the notebook's graded triplet_loss."""

from pathlib import Path

import numpy as np
import pytest

import utils
from utils.tools import notebooks

tf = utils.setup_notebook(tensorflow=True)

from utils.data.face_embedding_weights import load_trained_weights  # noqa: E402
from utils.data.identities import load_people  # noqa: E402
from utils.models import face_embedding as fe  # noqa: E402

NOTEBOOK = Path(utils.notebook_setup.REPO_ROOT) / "course4_cnns/week4_face_recognition.ipynb"


def test_model_shapes_and_unit_length():
    model = fe.face_embedding_model()
    assert model.input_shape == (None, 48, 48, 3) and model.output_shape == (None, 64)
    out = np.asarray(model(np.random.default_rng(0).random((3, 48, 48, 3), dtype=np.float32)))
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-5)


def test_batch_hard_picks_farthest_positive_and_closest_negative():
    e = tf.constant([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [0.0, 2.0], [0.0, 5.0]])
    labels = tf.constant([0, 0, 0, 1, 1])
    a, p, n = (np.asarray(t) for t in fe.batch_hard_triplets(e, labels))
    np.testing.assert_array_equal(a, np.asarray(e))
    np.testing.assert_array_equal(p[:, 0], [3.0, 3.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(p[3:, 1], [5.0, 2.0])
    # the closest row of the other label: (0, 2) for the first three, (0, 0) for the last two
    np.testing.assert_array_equal(n, [[0.0, 2.0]] * 3 + [[0.0, 0.0]] * 2)


def test_roc_and_best_threshold():
    d = np.array([0.1, 0.2, 0.35, 0.4, 0.9, 1.2])
    same = np.array([True, True, False, True, False, False])
    fpr, tpr, thresholds = fe.roc_points(d, same)
    for f, t, th in zip(fpr, tpr, thresholds, strict=True):
        assert t == np.mean(d[same] < th) and f == np.mean(d[~same] < th)
    assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0, 0, 1, 1)
    threshold, f, t = fe.best_threshold(d, same)
    assert 0.4 < threshold < 0.9 and (f, t) == (pytest.approx(1 / 3), 1.0)


def test_pk_batches_draw_p_identities_with_k_photos():
    labels = np.repeat(np.arange(10), 5)
    index = next(fe.pk_batches(labels, 4, 3, np.random.default_rng(0)))
    assert len(index) == 12 and len(set(index)) == 12
    assert sorted(np.bincount(labels[index])[np.bincount(labels[index]) > 0]) == [3] * 4


@pytest.fixture(scope="module")
def notebook_triplet_loss():
    namespace = {"np": np, "tf": tf}
    for cell in notebooks.read(NOTEBOOK).cells:
        if notebooks.graded_name(cell) == "triplet_loss":
            exec(compile(cell.source, NOTEBOOK.name, "exec"), namespace)
    return namespace["triplet_loss"]


@pytest.mark.parametrize("alpha", [0.2, 1.0])
def test_library_triplet_loss_agrees_with_the_notebook(notebook_triplet_loss, alpha):
    rng = np.random.default_rng(5)
    a, p, n = (tf.constant(rng.standard_normal((6, 8)).astype(np.float32)) for _ in range(3))
    ours = float(fe.triplet_loss(a, p, n, alpha))
    theirs = float(notebook_triplet_loss(None, (a, p, n), alpha=alpha))
    assert ours == pytest.approx(theirs, rel=1e-6)


def test_committed_weights_verify_unseen_identities():
    weights, record = load_trained_weights()
    model = fe.face_embedding_model()
    model.set_weights(weights)
    assert record["steps"] == int(record["step"][-1])
    assert len(record["train_loss"]) == len(record["validation_accuracy"])
    X, y, _ = load_people("test", per_identity=10)
    d, same = fe.balanced_pairs(fe.embed(model, X), y, np.random.default_rng(0))
    accuracy = float(np.mean((d < record["threshold"]) == same))
    assert accuracy == pytest.approx(record["test_accuracy"], abs=0.005)
    assert accuracy >= 0.95
