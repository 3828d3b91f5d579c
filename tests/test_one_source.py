"""One source for code that is taught and reused, and one meaning per name in utils.models.

1. ``utils.models.dnn`` restates the solutions of ``week4_deep_nn_step_by_step``,
   ``utils.models.batchnorm_net`` those of ``week3_batch_normalization``,
   ``utils.models.qa.best_span`` the question-answering notebook's ``best_answer_span``,
   ``utils.models.yolo.detect_boxes`` the detection notebook's ``yolo_eval`` (with its greedy
   non-max suppression against TensorFlow's),
   and ``utils.models.date_translator.attention_model`` the translation notebook's ``modelf``.
   The notebook's functions are run here, straight from its cells, and must give the
   library's results on seeded inputs (values to 1e-12, float32 Keras outputs to 1e-5, and the
   same structure of caches and gradient dicts), except where a short list of documented
   differences says otherwise.
2. A function name defined in several model modules has one signature there and one
   behaviour, and never changes its arguments.
"""

import ast
import copy
import importlib
import inspect
import pkgutil
from pathlib import Path

import numpy as np
import pytest

import utils.models
from utils.models import batchnorm_net, date_translator, dnn, qa, yolo
from utils.tools import notebooks

ROOT = Path(__file__).resolve().parents[1]
STEP_BY_STEP = ROOT / "course1_neural_networks" / "week4_deep_nn_step_by_step.ipynb"
BATCH_NORM = ROOT / "course2_improving_dnns" / "week3_batch_normalization.ipynb"
QUESTION_ANSWERING = ROOT / "course5_sequence_models" / "week4_transformer_qa.ipynb"
DETECTION = ROOT / "course4_cnns" / "week3_car_detection_yolo.ipynb"
TRANSLATION = ROOT / "course5_sequence_models" / "week3_neural_machine_translation.ipynb"
# Functions of the step-by-step notebook that are not graded but that dnn restates too.
STEP_BY_STEP_HELPERS = ("sigmoid", "relu", "sigmoid_backward", "relu_backward", "predict")

# Where the library differs from the notebook on purpose (each library docstring says so).
DOCUMENTED_DIFFERENCES = {
    (dnn, "initialize_parameters"): "He scale sqrt(2 / n_prev) instead of 0.01, same draws",
    (dnn, "initialize_parameters_deep"): "He scale sqrt(2 / n_prev) instead of 0.01, same draws",
    (dnn, "compute_cost"): "an AL of exactly 0 or 1 is clipped into (0, 1): finite, not nan",
    (dnn, "L_model_backward"): "the output layer's dZ is AL - Y: finite, not nan, at saturation",
    (dnn, "sigmoid"): "computed from exp(-|Z|): never overflows (same values to rounding)",
    (batchnorm_net, "batchnorm_forward"): "a mode other than train or test raises ValueError",
}


def notebook_functions(path, helpers=(), constants=None):
    """The graded functions of a notebook and the named helpers, run from its own cells.

    Each graded cell runs whole; of other cells only the ``def`` of a helper runs. The
    namespace starts with nothing but numpy and the given ``constants``, so a solution that
    leans on anything else fails.
    """
    namespace = {"np": np, **(constants or {})}
    for cell in notebooks.read(path).cells:
        if cell.cell_type != "code":
            continue
        name = notebooks.graded_name(cell)
        if name is not None:
            exec(compile(cell.source, f"{path.name}: {name}", "exec"), namespace)
        elif any(f"def {helper}(" in cell.source for helper in helpers):
            defs = [node for node in ast.parse(cell.source).body
                    if isinstance(node, ast.FunctionDef) and node.name in helpers]
            exec(compile(ast.Module(body=defs, type_ignores=[]), path.name, "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def step_by_step():
    return notebook_functions(STEP_BY_STEP, STEP_BY_STEP_HELPERS)


@pytest.fixture(scope="module")
def batch_norm():
    return notebook_functions(BATCH_NORM)


def assert_same(got, expected, where="result"):
    """Same structure (types, lengths, keys in order) and values to 1e-12."""
    if isinstance(expected, dict):
        assert isinstance(got, dict), f"{where}: a {type(got).__name__}, expected a dict"
        assert list(got) == list(expected), f"{where}: keys {list(got)}, expected {list(expected)}"
        for key in expected:
            assert_same(got[key], expected[key], f"{where}[{key!r}]")
    elif isinstance(expected, tuple | list):
        assert type(got) is type(expected), f"{where}: {type(got).__name__}, not tuple/list"
        assert len(got) == len(expected), f"{where}: {len(got)} items, expected {len(expected)}"
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            assert_same(g, e, f"{where}[{i}]")
    elif isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray), f"{where}: a {type(got).__name__}, not an array"
        assert got.shape == expected.shape, f"{where}: shape {got.shape}, not {expected.shape}"
        assert got.dtype.kind == expected.dtype.kind, f"{where}: dtype {got.dtype}"
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-13, err_msg=where)
    else:
        assert type(got) is type(expected), f"{where}: {type(got).__name__}"
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-13), where


def both(nb, library, name, *args):
    """Call the notebook's and the library's ``name`` on deep copies of the same arguments."""
    return (nb[name](*copy.deepcopy(args)), getattr(library, name)(*copy.deepcopy(args)))


# ----------------------------------------------------------------------------------------
# 1. dnn and the step-by-step notebook

LAYER_DIMS = [[3, 1], [4, 5, 1], [4, 5, 3, 1], [6, 8, 8, 4, 1]]


def network(dims, m, seed):
    """Inputs, 0/1 labels and parameters of moderate size (no saturated sigmoid)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(np.int64)
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * np.sqrt(2 / dims[l - 1])
        parameters[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.3
    _, caches = dnn.L_model_forward(X, parameters)
    assert all(np.any(Z > 0) for _, Z in caches[:-1]), "a dead layer would hide differences"
    return X, Y, parameters


CASES = [(dims, m, seed) for seed, (dims, m) in
         enumerate((dims, m) for dims in LAYER_DIMS for m in (1, 7, 40))]


def test_every_graded_function_has_a_library_copy(step_by_step, batch_norm):
    for path, module in ((STEP_BY_STEP, dnn), (BATCH_NORM, batchnorm_net)):
        graded = [notebooks.graded_name(c) for c in notebooks.read(path).cells]
        graded = [name for name in graded if name]
        assert graded, path
        assert [name for name in graded if not hasattr(module, name)] == [], path


def test_the_documented_differences_are_in_the_library_docstrings():
    for (module, name), _ in DOCUMENTED_DIFFERENCES.items():
        assert "notebook" in getattr(module, name).__doc__, f"{module.__name__}.{name}"


@pytest.mark.parametrize("seed", range(3))
def test_activations_and_their_backward_steps(step_by_step, seed):
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((4, 9)) * 10
    dA = rng.standard_normal(Z.shape)
    for name in ("sigmoid", "relu"):
        assert_same(*both(step_by_step, dnn, name, Z), name)
    for name in ("sigmoid_backward", "relu_backward"):
        assert_same(*both(step_by_step, dnn, name, dA, Z), name)


@pytest.mark.parametrize(("dims", "m", "seed"), CASES)
def test_forward_pass_cost_and_prediction(step_by_step, dims, m, seed):
    X, Y, parameters = network(dims, m, seed)
    W, b = parameters["W1"], parameters["b1"]
    assert_same(*both(step_by_step, dnn, "linear_forward", X, W, b), "linear_forward")
    for activation in ("relu", "sigmoid"):
        assert_same(*both(step_by_step, dnn, "linear_activation_forward", X, W, b, activation),
                    f"linear_activation_forward, {activation}")
    got, expected = both(step_by_step, dnn, "L_model_forward", X, parameters)
    assert_same(got, expected, "L_model_forward")
    AL = expected[0]
    assert_same(*both(step_by_step, dnn, "compute_cost", AL, Y), "compute_cost")
    assert_same(*both(step_by_step, dnn, "predict", X, parameters), "predict")


@pytest.mark.parametrize(("dims", "m", "seed"), CASES)
def test_backward_pass(step_by_step, dims, m, seed):
    X, Y, parameters = network(dims, m, seed)
    AL, caches = step_by_step["L_model_forward"](X, parameters)
    dA = np.random.default_rng(seed).standard_normal(AL.shape)
    assert_same(*both(step_by_step, dnn, "linear_backward", dA, caches[-1][0]),
                "linear_backward")
    for activation in ("relu", "sigmoid"):
        assert_same(*both(step_by_step, dnn, "linear_activation_backward", dA, caches[-1],
                          activation), f"linear_activation_backward, {activation}")
    assert_same(*both(step_by_step, dnn, "L_model_backward", AL, Y, caches), "L_model_backward")


@pytest.mark.parametrize(("dims", "m", "seed"), CASES[::3])
def test_update_parameters(step_by_step, dims, m, seed):
    X, Y, parameters = network(dims, m, seed)
    AL, caches = dnn.L_model_forward(X, parameters)
    grads = dnn.L_model_backward(AL, Y, caches)
    for rate in (0.0075, 1.2):
        assert_same(*both(step_by_step, dnn, "update_parameters", parameters, grads, rate),
                    f"update_parameters, learning_rate {rate}")


@pytest.mark.parametrize("dims", LAYER_DIMS)
def test_initialisers_take_the_same_draws_at_the_documented_scale(step_by_step, dims):
    for name, args in (("initialize_parameters_deep", (dims,)),
                       ("initialize_parameters", (dims[0], 3, dims[-1]))):
        sizes = list(args[0]) if len(args) == 1 else list(args)
        np.random.seed(len(dims))
        expected = step_by_step[name](*args)
        np.random.seed(len(dims))
        got = getattr(dnn, name)(*args)
        assert list(got) == list(expected), name
        for l in range(1, len(sizes)):
            he_over_small = np.sqrt(2 / sizes[l - 1]) / 0.01
            assert_same(got[f"W{l}"], expected[f"W{l}"] * he_over_small, f"{name} W{l}")
            assert_same(got[f"b{l}"], expected[f"b{l}"], f"{name} b{l}")


def test_where_the_notebook_saturates_the_library_stays_finite(step_by_step):
    # Z = 40 and Z = -800 round the sigmoid to exactly 1 and 0.
    X, Y = np.array([[40.0, -800.0, 1.0]]), np.array([[0, 1, 1]])
    parameters = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    with np.errstate(all="ignore"):
        AL, caches = step_by_step["L_model_forward"](X, parameters)
        assert AL[0, :2].tolist() == [1.0, 0.0]
        assert not np.isfinite(step_by_step["compute_cost"](AL, Y))
        assert np.isnan(step_by_step["L_model_backward"](AL, Y, caches)["dW1"]).all()
    assert np.isfinite(dnn.compute_cost(AL, Y))
    grads = dnn.L_model_backward(AL, Y, caches)
    np.testing.assert_allclose(grads["dW1"], [[(40.0 + 800.0 + 1.0 * (AL[0, 2] - 1)) / 3]])


# ----------------------------------------------------------------------------------------
# 1. batchnorm_net and the batch-normalisation notebook


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("mode", ["train", "test"])
def test_batchnorm_forward_and_backward(batch_norm, seed, mode):
    rng = np.random.default_rng(seed)
    n, m = ((3, 8), (5, 64), (1, 2), (7, 33))[seed]
    Z = rng.normal(2.0, 3.0, size=(n, m))
    gamma, beta = rng.normal(1.0, 0.5, size=(n, 1)), rng.normal(size=(n, 1))
    running = {"mean": rng.normal(size=(n, 1)), "var": rng.random((n, 1)) + 0.5}
    momentum, epsilon = (0.9, 1e-5) if seed % 2 else (0.99, 1e-3)
    args = (Z, gamma, beta, running, mode, momentum, epsilon)
    nb_running, lib_running = copy.deepcopy(running), copy.deepcopy(running)
    expected = batch_norm["batchnorm_forward"](Z, gamma, beta, nb_running, *args[4:])
    got = batchnorm_net.batchnorm_forward(Z, gamma, beta, lib_running, *args[4:])
    assert_same(got, expected, f"batchnorm_forward, {mode}")
    assert_same(lib_running, nb_running, f"running statistics after {mode}")
    if mode == "train":
        dout = rng.standard_normal(Z.shape)
        assert_same(*both(batch_norm, batchnorm_net, "batchnorm_backward", dout, expected[1]),
                    "batchnorm_backward")


def test_batchnorm_forward_rejects_an_unknown_mode_where_the_notebook_runs_test(batch_norm):
    Z, ones = np.arange(6.0).reshape(2, 3), np.ones((2, 1))
    running = {"mean": 0 * ones, "var": ones}
    expected = batch_norm["batchnorm_forward"](Z, ones, 0 * ones, dict(running), "test")
    assert_same(batch_norm["batchnorm_forward"](Z, ones, 0 * ones, dict(running), "eval"),
                expected, "the notebook's mode='eval'")
    with pytest.raises(ValueError, match="eval"):
        batchnorm_net.batchnorm_forward(Z, ones, 0 * ones, dict(running), "eval")


@pytest.fixture(scope="module")
def question_answering():
    return notebook_functions(QUESTION_ANSWERING, constants={
        "MAX_LENGTH": qa.MAX_LENGTH, "MAX_ANSWER_TOKENS": qa.MAX_ANSWER_TOKENS})


@pytest.mark.parametrize("seed", range(60))
def test_the_library_answer_span_is_the_notebooks(question_answering, seed):
    rng = np.random.default_rng(seed)
    length = int(rng.integers(6, 40))
    first = int(rng.integers(1, length - 1))  # [CLS] and the question come before the context
    last = int(rng.integers(first, length))  # padding (or nothing) after it
    in_context = np.zeros(length, dtype=bool)
    in_context[first:last + 1] = True
    starts, ends = rng.standard_normal((2, length)) * 3
    longest = int(rng.integers(1, 10))
    s, e = question_answering["best_answer_span"](starts, ends, in_context, longest)
    assert (s, e, starts[s] + ends[e]) == pytest.approx(qa.best_span(starts, ends, in_context,
                                                                     longest), rel=1e-12)


TRANSLATION_LAYERS = ("LSTM", "Bidirectional", "Concatenate", "Dense", "Dot", "Input",
                      "RepeatVector", "Softmax")


def translation_notebook_namespace():
    """The translation notebook's shared layers and its graded functions, from its cells."""
    import keras
    from keras import layers

    from utils.data import dates

    namespace = {"keras": keras, **{name: getattr(layers, name) for name in TRANSLATION_LAYERS},
                 "Tx": dates.TX, "Ty": dates.TY, "human_vocab_size": len(dates.HUMAN_VOCAB),
                 "machine_vocab_size": len(dates.MACHINE_VOCAB)}
    for cell in notebooks.read(TRANSLATION).cells:
        layer_cell = "repeator = " in cell.source or "post_activation_LSTM_cell = " in cell.source
        if cell.cell_type == "code" and (layer_cell or notebooks.graded_name(cell)):
            exec(compile(cell.source, TRANSLATION.name, "exec"), namespace)
    return namespace


def test_the_library_attention_model_is_the_notebooks_modelf():
    import keras

    nb = translation_notebook_namespace()
    sizes = [nb[k] for k in ("Tx", "Ty", "n_a", "n_s", "human_vocab_size",
                             "machine_vocab_size")]
    keras.utils.set_random_seed(0)
    notebook_model = nb["modelf"](*sizes)
    library_model = date_translator.attention_model(*sizes)
    count = date_translator.attention_model_parameter_count(*sizes)
    assert notebook_model.count_params() == library_model.count_params() == count
    date_translator.assign_weights(
        notebook_model, date_translator.role_weights(library_model, sizes[-1]), sizes[-1])
    rng = np.random.default_rng(0)
    Tx, n_s, human = sizes[0], sizes[3], sizes[4]
    X = np.eye(human, dtype=np.float32)[rng.integers(0, human, (5, Tx))]
    s0, c0 = rng.standard_normal((2, 5, n_s)).astype(np.float32) * 0.5
    got = notebook_model.predict([X, s0, c0], verbose=0)
    expected = library_model.predict([X, s0, c0], verbose=0)
    assert len(got) == len(expected) == sizes[1]
    for step, (g, e) in enumerate(zip(got, expected, strict=True)):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-7, err_msg=f"output step {step}")
    assert np.ptp(expected[0], axis=0).max() > 1e-3, "the inputs should change the outputs"


def test_the_library_detections_are_the_notebooks_yolo_eval():
    import tensorflow as tf

    nb = notebook_functions(DETECTION, constants={
        "tf": tf, "yolo_boxes_to_corners": yolo.yolo_boxes_to_corners,
        "scale_boxes": yolo.scale_boxes})
    rng = np.random.default_rng(0)
    raw = rng.standard_normal((6, yolo.GRID, yolo.GRID, yolo.N_ANCHORS, yolo.OUTPUTS))
    raw[..., 2:4] *= 0.2  # boxes close to their anchors' shapes
    raw[..., 4] -= 4  # objects likely only in two 3x3 blocks of cells: overlapping candidates
    raw[:, 1:4, 1:4, :, 4] += 7
    raw[:, 4:7, 3:6, :, 4] += 6
    raw = raw.astype(np.float32)
    anchors = np.array([[40, 44], [48, 36], [36, 56], [56, 48], [64, 60]], dtype=np.float32)
    decoded = [d.numpy() for d in yolo.decode_output(raw, anchors)]
    above = ((decoded[2] * decoded[3]).max(axis=-1) >= 0.05).sum(axis=(1, 2, 3))
    options = {"score_threshold": 0.05, "max_boxes": 100}
    library = yolo.detect_boxes(raw, anchors, **options)
    for i, (scores, boxes, classes) in enumerate(library):
        got = [v.numpy() for v in nb["yolo_eval"](tuple(d[i] for d in decoded), **options)]
        assert len(got[0]) == len(scores), f"scene {i}: {len(got[0])} boxes, not {len(scores)}"
        assert len(scores) < above[i] / 2, f"scene {i}: NMS should remove most candidates"
        np.testing.assert_allclose(got[0], scores, rtol=1e-6, err_msg=f"scene {i}")
        np.testing.assert_allclose(got[1], boxes, rtol=1e-6, err_msg=f"scene {i}")
        np.testing.assert_array_equal(got[2], classes, err_msg=f"scene {i}")


# ----------------------------------------------------------------------------------------
# 2. One name, one meaning across the model modules

# Each model's own entry points: the course gives them the sizes or options of that model, so
# their parameter lists differ. Every other shared name must agree.
PER_MODEL = {
    "initialize_parameters": "dnn (n_x, n_h, n_y) is graded in Course 1 week 4; char_rnn "
                             "(n_a, n_x, n_y, seed) is Course 5's, imported by its check",
    "train": "three_layer_net: full-batch GD with pluggable forward/backward/cost; "
             "batchnorm_net: mini-batch GD with batch norm; both take X, Y, layer_dims first",
}


def model_functions():
    """``{name: {module name: function}}`` for the public functions of every model module."""
    found = {}
    for info in pkgutil.iter_modules(utils.models.__path__):
        module = importlib.import_module(f"utils.models.{info.name}")
        for name, value in vars(module).items():
            defined_here = getattr(value, "__module__", None) == module.__name__  # not imports
            if inspect.isfunction(value) and defined_here and not name.startswith("_"):
                found.setdefault(name, {})[info.name] = value
    return found


SHARED = {name: where for name, where in model_functions().items() if len(where) > 1}


def shared_inputs(name):
    """Arguments that every module's ``name`` must accept: a [4, 5, 3, 1] network."""
    X, Y, parameters = network([4, 5, 3, 1], 9, seed=11)
    AL, caches = dnn.L_model_forward(X, parameters)
    grads = dnn.L_model_backward(AL, Y, caches)
    return {"relu": (AL - 0.5,), "sigmoid": (AL - 0.5,), "compute_cost": (AL, Y),
            "update_parameters": (parameters, grads, 0.1), "predict_proba": (X, parameters),
            "predict": (X, parameters), "accuracy": (X, Y, parameters)}[name]


def test_the_per_model_exceptions_are_exactly_the_names_that_differ():
    differing = {name for name, where in SHARED.items()
                 if len({str(inspect.signature(f)) for f in where.values()}) > 1}
    assert differing == set(PER_MODEL), (
        "names defined in several model modules with different signatures: make them agree, "
        "name them apart, or (a model's own entry point only) list them in PER_MODEL")


@pytest.mark.parametrize("name", sorted(set(SHARED) - set(PER_MODEL)))
def test_a_shared_name_has_one_behaviour_and_leaves_its_arguments_alone(name):
    args = shared_inputs(name)
    results = {}
    for module, function in SHARED[name].items():
        copies = copy.deepcopy(args)
        results[module] = function(*copies)
        assert_same(copies, args, f"{module}.{name} changed its arguments")
    first, *others = results
    for module in others:
        assert_same(results[module], results[first], f"{module}.{name} vs {first}.{name}")


def test_update_parameters_returns_a_new_dict_everywhere():
    parameters, grads, rate = shared_inputs("update_parameters")
    for module, function in model_functions()["update_parameters"].items():
        updated = function(parameters, grads, rate)
        assert updated is not parameters, module
        assert all(updated[k] is not parameters[k] for k in parameters), module
