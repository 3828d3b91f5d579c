"""The residual-networks weights, their loader, and the library's copy of the notebook's blocks.

``utils.models.resnet`` restates the notebook's graded ``identity_block`` and
``convolutional_block`` so that ``python -m utils.builders.small_resnet`` can train the
network the notebook builds from the learner's blocks. These tests prove that the two copies
agree (same layers in the same order, same outputs on the same weights) and that the
committed weights load into both and classify the test images as recorded.
"""

from pathlib import Path

import numpy as np
import pytest

import utils
from utils.tools import notebooks

tf = utils.setup_notebook(tensorflow=True)

import keras  # noqa: E402  (after setup_notebook, which fixes TensorFlow's settings)

from utils.data.gestures import load_gestures  # noqa: E402
from utils.data.resnet_weights import load_trained_weights  # noqa: E402
from utils.models import resnet  # noqa: E402

NOTEBOOK = Path(utils.notebook_setup.REPO_ROOT) / "course4_cnns/week2_residual_networks.ipynb"
BLOCKS = ("identity_block", "convolutional_block")


@pytest.fixture(scope="module")
def notebook_blocks():
    """The notebook's graded block functions, run from their own cells."""
    namespace = {"np": np, "keras": keras}
    namespace.update({name: getattr(keras.layers, name) for name in (
        "Activation", "Add", "BatchNormalization", "Conv2D")})
    namespace.update(glorot_uniform=keras.initializers.glorot_uniform,
                     random_uniform=keras.initializers.random_uniform)
    for cell in notebooks.read(NOTEBOOK).cells:
        if cell.cell_type == "code" and notebooks.graded_name(cell) in BLOCKS:
            exec(compile(cell.source, NOTEBOOK.name, "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def test_images():
    _, _, X_test, Y_test, _ = load_gestures()
    return (X_test / 255.0).astype(np.float32), Y_test


def _accuracy(model, X, Y):
    return float(np.mean(model.predict(X, batch_size=120, verbose=0).argmax(axis=1) == Y))


@pytest.mark.parametrize("name", BLOCKS)
def test_library_block_agrees_with_the_notebook(notebook_blocks, name):
    shape, args, kwargs = ((5, 5, 6), (3, [2, 3, 6]), {}) if name == "identity_block" else \
        ((6, 6, 4), (3, [2, 3, 7]), {"s": 2})
    models = []
    for block in (notebook_blocks[name], getattr(resnet, name)):
        X_input = keras.Input(shape)
        models.append(keras.Model(X_input, block(X_input, *args, **kwargs)))
    notebook_model, library_model = models
    assert [type(layer).__name__ for layer in notebook_model.layers] == \
        [type(layer).__name__ for layer in library_model.layers]
    for got, expected in zip(notebook_model.get_weights(), library_model.get_weights(),
                             strict=True):
        np.testing.assert_array_equal(got, expected)  # the same seeded initial weights
    rng = np.random.default_rng(0)
    for notebook_layer, library_layer in zip(notebook_model.layers, library_model.layers,
                                             strict=True):
        weights = [rng.standard_normal(w.shape).astype(np.float32)
                   for w in library_layer.get_weights()]
        if isinstance(library_layer, keras.layers.BatchNormalization):
            weights[3] = np.abs(weights[3]) + 0.5  # a positive moving variance
        for layer in (notebook_layer, library_layer):
            layer.set_weights(weights)
    x = rng.standard_normal((2, *shape)).astype(np.float32)
    for training in (False, True):
        np.testing.assert_allclose(np.asarray(notebook_model(x, training=training)),
                                   np.asarray(library_model(x, training=training)),
                                   rtol=1e-5, atol=1e-5)


def test_committed_small_resnet_loads_into_the_notebooks_blocks(notebook_blocks, test_images):
    weights, history = load_trained_weights("small_resnet")
    model = resnet.small_resnet(notebook_blocks["identity_block"],
                                notebook_blocks["convolutional_block"])
    model.set_weights(weights)
    assert all(w.dtype == np.float32 for w in weights)
    accuracy = _accuracy(model, *test_images)
    assert accuracy >= 0.95
    assert history["epochs"] == len(history["train_loss"]) == 30
    assert abs(accuracy - history["test_accuracy"][-1]) < 1e-6  # float16 cost nothing


def test_committed_plain_network_loads(test_images):
    weights, history = load_trained_weights("plain_cnn")
    model = resnet.plain_network()
    model.set_weights(weights)
    assert abs(_accuracy(model, *test_images) - history["test_accuracy"][-1]) < 1e-6
    assert not any(isinstance(layer, keras.layers.Add) for layer in model.layers)


def test_small_resnet_size():
    model = resnet.small_resnet()
    assert model.count_params() == 230_406
    assert sum(isinstance(layer, keras.layers.Conv2D) for layer in model.layers) == 22
    assert model.output_shape == (None, 6)


def test_unknown_name_is_refused():
    with pytest.raises(ValueError, match="small_resnet"):
        load_trained_weights("resnet50")


def test_gradient_norms_cover_every_convolution_but_the_stem():
    model = resnet.plain_network(batch_norm=False)
    x = np.zeros((2, 64, 64, 3), dtype=np.float32)
    norms = resnet.conv_gradient_norms(model, x, np.array([0, 1]))
    assert norms.shape == (sum(isinstance(layer, keras.layers.Conv2D)
                               for layer in model.layers) - 1,)
    assert np.all(np.isfinite(norms))
