"""MobileNetV2 with real ImageNet weights, offline: ``datasets/mobilenet_v2/``.

    model = load_mobilenet_v2()                         # keras.applications.MobileNetV2
    probabilities = model.predict(preprocess_input(resize_and_crop(photo)[None]))
    decode_predictions(probabilities, top=3)            # [[(285, "Egyptian cat", 0.6), ...]]

The weights are torchvision's ImageNet MobileNetV2 (alpha 1.0), converted once to the
variables of ``keras.applications.MobileNetV2`` by ``python -m utils.builders.mobilenet_v2``
(see that module and the data card in ``datasets/README.md`` for how, and how closely the
Keras model follows the PyTorch one) and stored as float16. Every file is checked against
``datasets/MANIFEST`` before it is read.

Preprocessing: these weights expect torchvision's input, **not** Keras's
``keras.applications.mobilenet_v2.preprocess_input`` (which maps pixels to [-1, 1]): RGB
scaled to [0, 1], minus the ImageNet channel means, divided by the channel standard
deviations. Use :func:`preprocess_input` below; :func:`resize_and_crop` does torchvision's
evaluation resizing (shorter side to 256, centre 224x224 crop).

Input size: Keras pads a stride-2 convolution of an even-sized feature map by one pixel at
the bottom and right only, PyTorch by one pixel on every side. At 224x224 the Keras model
therefore looks at a grid shifted by a pixel from the one the weights were trained on, and
its answers differ somewhat from torchvision's (same top-1 class on 85 % of the builder's
test crops where torchvision is confident, 63 % of all of them). At an input side of
``32 k + 1`` pixels (97, 129, 161, 193, 225) every feature map that a stride-2 convolution
reads has an odd size, Keras pads it symmetrically too, and the model computes what
torchvision's computes at that size (same top-1 on every test crop, logits within 0.07,
the float16 rounding). Pass e.g. ``input_shape=(225, 225, 3)`` and
``resize_and_crop(photo, size=225)`` for that.
"""

import numpy as np

from utils.data.manifest import DataFileError, verified_path

WEIGHTS_FILE = "mobilenet_v2/mobilenet_v2_imagenet_f16.npz"
CLASSES_FILE = "mobilenet_v2/imagenet_classes.txt"
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def preprocess_input(images):
    """torchvision's normalisation of RGB pixels in [0, 255]; returns float32.

    ``images`` is an array whose last axis holds the 3 channels (one image or a batch),
    ``uint8`` or float in [0, 255], like the input of Keras's own ``preprocess_input``.
    """
    images = np.asarray(images)
    if images.shape[-1:] != (3,):
        raise ValueError(f"expected RGB images with 3 channels last, got shape {images.shape}")
    return ((images.astype(np.float32) / 255.0 - IMAGENET_MEAN) / IMAGENET_STD).astype(
        np.float32)


def resize_and_crop(image, size=224, resize=256):
    """torchvision's evaluation transform for one image: the shorter side resized to
    ``resize`` (bilinear, Pillow), then the central ``size`` x ``size`` square. Greyscale
    images are repeated into 3 channels and an alpha channel is dropped; returns uint8."""
    from PIL import Image

    image = np.asarray(image)
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    image = image[..., :3]
    if image.dtype != np.uint8:
        scale = 255.0 if image.max() <= 1.0 else 1.0
        image = np.clip(np.round(image * scale), 0, 255).astype(np.uint8)
    height, width = image.shape[:2]
    if height <= width:
        new_height, new_width = resize, int(resize * width / height)
    else:
        new_height, new_width = int(resize * height / width), resize
    resized = np.asarray(Image.fromarray(image).resize((new_width, new_height),
                                                       Image.Resampling.BILINEAR))
    top = int(round((new_height - size) / 2.0))
    left = int(round((new_width - size) / 2.0))
    return resized[top:top + size, left:left + size]


def load_weights(model):
    """Set the converted ImageNet weights on a ``keras.applications.MobileNetV2`` (alpha
    1.0, any input size, with or without its top); return the model."""
    path = verified_path(WEIGHTS_FILE)
    with np.load(path) as saved:
        for layer in model.layers:
            if not layer.weights:
                continue
            keys = [f"{layer.name}/{weight.name}" for weight in layer.weights]
            missing = [key for key in keys if key not in saved.files]
            if missing:
                raise DataFileError(f"{path.name} has no {missing}: is the model a "
                                    "keras.applications.MobileNetV2 with alpha=1.0?")
            values = [saved[key].astype(np.float32) for key in keys]
            shapes = [tuple(weight.shape) for weight in layer.weights]
            if [v.shape for v in values] != shapes:
                raise DataFileError(f"{layer.name}: the file holds shapes "
                                    f"{[v.shape for v in values]}, the model {shapes}")
            layer.set_weights(values)
    return model


def load_mobilenet_v2(input_shape=(224, 224, 3), include_top=True, pooling=None,
                      classifier_activation="softmax"):
    """``keras.applications.MobileNetV2`` (alpha 1.0) with the ImageNet weights.

    The arguments are those of ``keras.applications.MobileNetV2``: ``include_top=False``
    drops the 1,000-class classifier (any ``input_shape`` of at least 32x32 then works, e.g.
    ``(160, 160, 3)`` for transfer learning), ``pooling`` is ``None``, ``"avg"`` or ``"max"``,
    and ``classifier_activation=None`` returns logits instead of probabilities. Feed it
    images through :func:`preprocess_input` (torchvision's normalisation).
    """
    import keras

    model = keras.applications.MobileNetV2(input_shape=input_shape, alpha=1.0,
                                           include_top=include_top, weights=None,
                                           pooling=pooling,
                                           classifier_activation=classifier_activation)
    return load_weights(model)


def imagenet_class_names():
    """The 1,000 ImageNet class names, index = the model's output unit (torchvision's order)."""
    names = verified_path(CLASSES_FILE).read_text(encoding="utf-8").splitlines()
    if len(names) != 1000:
        raise DataFileError(f"{CLASSES_FILE} has {len(names)} names, expected 1000")
    return names


def decode_predictions(predictions, top=5):
    """For each row of ``predictions`` (m, 1000), its ``top`` classes as
    ``(index, name, score)`` tuples, highest score first."""
    predictions = np.asarray(predictions)
    if predictions.ndim != 2 or predictions.shape[1] != 1000:
        raise ValueError(f"expected predictions of shape (m, 1000), got {predictions.shape}")
    names = imagenet_class_names()
    order = np.argsort(-predictions, axis=1, kind="stable")[:, :top]
    return [[(int(k), names[k], float(row[k])) for k in indices]
            for row, indices in zip(predictions, order, strict=True)]
