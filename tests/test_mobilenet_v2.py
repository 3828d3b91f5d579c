"""The converted ImageNet MobileNetV2: complete weights, real photos classified, clear errors.

The builder's PyTorch comparison needs torch, which the course's venv does not have; these
tests check what a learner relies on: the file fits ``keras.applications.MobileNetV2``, the
model names real photos, the helpers follow torchvision, and the conversion's pure-numpy
parts (layer order, BatchNorm epsilon, byte-identical zip) are right.
"""

import functools
import shutil

import numpy as np
import pytest
import skimage.data

from utils.builders import mobilenet_v2 as builder
from utils.data import manifest
from utils.data import mobilenet_v2 as mobilenet
from utils.data.manifest import DataFileError

CATS = {"Egyptian cat", "tabby", "tiger cat"}
# photo -> ImageNet classes that name its subject; measured top-3 at 224x224 (probabilities):
# chelsea   Egyptian cat 0.59, tiger cat 0.26, tabby 0.13
# coffee    espresso 0.92, consomme 0.04, soup bowl 0.02
# motorcycle  moped 0.61, disk brake 0.25, motor scooter 0.12
# camera    tripod 0.98, binoculars 0.01, microphone 0.00   (the cameraman's tripod)
# rocket    obelisk 0.32, space shuttle 0.11, missile 0.09  (top-1 misses)
SENSIBLE = {
    "chelsea": CATS,
    "coffee": {"espresso", "cup", "coffee mug", "eggnog", "cappuccino"},
    "motorcycle": {"moped", "motor scooter", "disk brake", "crash helmet"},
    "camera": {"tripod", "reflex camera", "Polaroid camera"},
    "rocket": {"space shuttle", "missile", "projectile"},
}


def photo(name):
    return (skimage.data.stereo_motorcycle()[0] if name == "motorcycle"
            else getattr(skimage.data, name)())


@pytest.fixture(scope="module")
def model():
    return mobilenet.load_mobilenet_v2()


@pytest.fixture(scope="module")
def top3(model):
    batch = np.stack([mobilenet.resize_and_crop(photo(name)) for name in SENSIBLE])
    probabilities = model.predict(mobilenet.preprocess_input(batch), verbose=0)
    assert probabilities.shape == (5, 1000)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)
    decoded = mobilenet.decode_predictions(probabilities, top=3)
    return {name: [label for _, label, _ in row] for name, row in zip(SENSIBLE, decoded,
                                                                      strict=True)}


def test_chelsea_is_a_cat(top3):
    assert top3["chelsea"][0] in CATS, top3["chelsea"]


def test_at_least_four_of_five_photos_get_a_sensible_class(top3):
    right = [name for name, labels in top3.items() if labels[0] in SENSIBLE[name]]
    assert len(right) >= 4, top3
    assert top3["rocket"][0] in SENSIBLE["rocket"] or set(top3["rocket"]) & SENSIBLE["rocket"]


def test_file_holds_every_variable_as_float16(model):
    with np.load(manifest.verified_path(mobilenet.WEIGHTS_FILE)) as saved:
        keys = set(saved.files)
        assert {saved[key].dtype for key in keys} == {np.dtype(np.float16)}
    expected = {f"{layer.name}/{w.name}" for layer in model.layers for w in layer.weights}
    assert keys == expected
    assert model.count_params() == 3_538_984          # MobileNetV2 1.0, 224, with its top


def test_headless_model_for_transfer_learning_shares_the_weights(model):
    base = mobilenet.load_mobilenet_v2(input_shape=(161, 161, 3), include_top=False)
    assert base.output_shape == (None, 6, 6, 1280)
    for name in ("Conv1", "block_16_project_BN", "Conv_1_bn"):
        for a, b in zip(base.get_layer(name).get_weights(), model.get_layer(name).get_weights(),
                        strict=True):
            np.testing.assert_array_equal(a, b)
    logits = mobilenet.load_mobilenet_v2(classifier_activation=None, input_shape=(225, 225, 3))
    assert logits.get_layer("predictions").activation.__name__ == "linear"


def test_class_names_in_torchvision_order():
    names = mobilenet.imagenet_class_names()
    assert len(names) == 1000
    assert names[0] == "tench" and names[285] == "Egyptian cat" and names[999] == "toilet tissue"
    assert names[281] == "tabby" and names[967] == "espresso"


def test_preprocess_input_is_torchvisions_normalisation():
    pixels = np.array([[[0, 128, 255]]], dtype=np.uint8)
    got = mobilenet.preprocess_input(pixels)
    expected = (np.array([0, 128, 255]) / 255 - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]
    assert got.dtype == np.float32 and got.shape == (1, 1, 3)
    np.testing.assert_allclose(got[0, 0], expected, rtol=1e-6)
    np.testing.assert_array_equal(mobilenet.preprocess_input(pixels.astype(float)), got)
    with pytest.raises(ValueError, match="3 channels last"):
        mobilenet.preprocess_input(np.zeros((3, 8, 8)))


def test_resize_and_crop_keeps_the_centre():
    image = mobilenet.resize_and_crop(skimage.data.chelsea())      # 300x451 RGB
    assert image.shape == (224, 224, 3) and image.dtype == np.uint8
    grey = mobilenet.resize_and_crop(skimage.data.camera(), size=225)
    assert grey.shape == (225, 225, 3)
    assert np.array_equal(grey[..., 0], grey[..., 2])
    # a left-right symmetric picture stays symmetric: the crop is centred
    ramp = np.tile(np.abs(np.arange(400) - 199.5), (300, 1)).astype(np.uint8)
    cropped = mobilenet.resize_and_crop(ramp)[..., 0].astype(int)
    assert np.abs(cropped - cropped[:, ::-1]).max() <= 2


def test_decode_predictions_orders_and_checks_shape():
    scores = np.zeros((1, 1000))
    scores[0, [3, 285, 7]] = [0.2, 0.5, 0.3]
    assert mobilenet.decode_predictions(scores, top=2) == [[(285, "Egyptian cat", 0.5),
                                                            (7, "cock", 0.3)]]
    with pytest.raises(ValueError, match=r"\(m, 1000\)"):
        mobilenet.decode_predictions(np.zeros(1000))


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_damaged_file_says_how_to_rebuild(monkeypatch, tmp_path, damage):
    target = tmp_path / mobilenet.WEIGHTS_FILE
    target.parent.mkdir(parents=True)
    if damage == "corrupt":
        shutil.copy(manifest.DATASETS_DIR / mobilenet.WEIGHTS_FILE, target)
        with open(target, "r+b") as handle:
            handle.seek(1000)
            handle.write(b"\x00\x01\x02")
    monkeypatch.setattr(mobilenet, "verified_path",
                        functools.partial(manifest.verified_path, datasets_dir=tmp_path))
    with pytest.raises(DataFileError,
                       match=r"Rebuild it with `python -m utils\.builders\.mobilenet_v2`"):
        mobilenet.load_mobilenet_v2(input_shape=(32, 32, 3), include_top=False)


def test_builder_maps_torchvision_layers_onto_keras_in_order(model):
    import keras

    convolutions = [layer.name for layer in model.layers
                    if isinstance(layer, (keras.layers.Conv2D, keras.layers.DepthwiseConv2D))]
    assert [conv for conv, _, _ in builder.keras_names()] == convolutions
    assert all(isinstance(model.get_layer(bn), keras.layers.BatchNormalization)
               and model.get_layer(bn).epsilon == builder.KERAS_EPSILON
               for _, bn, _ in builder.keras_names())


def test_epsilon_shift_keeps_torchs_scale_exactly():
    gamma = np.array([1.0, 0.5, -2.0, 0.3], dtype=np.float32)
    variance = np.array([2.0, 1e-3, 5e-4, 0.0], dtype=np.float32)
    new_gamma, new_variance = builder._epsilon_shift(gamma, variance)
    np.testing.assert_allclose(new_gamma / np.sqrt(new_variance + 1e-3),
                               gamma / np.sqrt(variance + 1e-5), rtol=1e-6)
    assert np.all(new_variance >= 0)
    assert np.array_equal(new_gamma[:2], gamma[:2])          # large variances: shifted only


def test_weights_zip_is_byte_identical(tmp_path):
    arrays = {"b/kernel": np.arange(6, dtype=np.float16).reshape(2, 3),
              "a/bias": np.ones(3, np.float16)}
    builder.write_npz(tmp_path / "one.npz", arrays)
    builder.write_npz(tmp_path / "two.npz", dict(reversed(arrays.items())))
    assert (tmp_path / "one.npz").read_bytes() == (tmp_path / "two.npz").read_bytes()
    with np.load(tmp_path / "one.npz") as saved:
        np.testing.assert_array_equal(saved["b/kernel"], arrays["b/kernel"])
