"""Checks for Course 2, week 3: a first network in TensorFlow.

Oracles: numpy matrix products on the same seeded constants, ``scipy.special.expit``,
one-hot vectors written by hand, the Glorot-uniform bound sqrt(6 / (fan_in + fan_out)) and
the variance of a uniform distribution, a forward pass written here with numpy, and the
softmax cross-entropy computed with ``scipy.special.log_softmax`` (plus hand values, and a
logit gap of 120 that a log of softmax probabilities turns into nan), and for ``train_step``
one SGD step compared with the numeric gradient of that numpy loss.

Shape convention (the course's): examples are columns. ``X`` is ``(n_x, m)``, the logits
and the one-hot labels given to ``compute_total_loss`` are both ``(classes, m)``.

TensorFlow is imported inside the functions, so importing this module before
``utils.setup_notebook(tensorflow=True)`` does not import TensorFlow too early.

``trained_network`` is the verdict on the 40-epoch training run (bands measured as described
at FINAL_COST_BAND), not a check of one function.
"""

import numpy as np
from scipy.special import expit, log_softmax

from utils.checks.harness import Checker, rounded, shared
from utils.checks.oracles import numeric_gradient
from utils.checks.verdicts import Verdicts

# ----------------------------------------------------------------------------------------
# Bands for the trained network of section 8 (``trained_network``). Measured with the
# notebook's code and data (40 epochs of Adam, lr 1e-4, mini-batches of 32), training seeds
# 1-3 (the seed of GlorotUniform and of the tf.data shuffle; the notebook uses 1), natively
# (AVX-512, 1 TF thread), under the test profile (XLA for AVX2, 2 intra-op threads, AVX2
# numpy/OpenBLAS) and under the second profile (XLA for SSE4.2): 9 runs. The profiles
# matter: seed 1 gave a test accuracy of 0.625 natively and 0.575 under the test profile.
# measured: final cost 0.719-0.830, train accuracy 0.787-0.832, test accuracy 0.533-0.625,
# train minus test accuracy 0.207-0.274, and the cost fell in every one of the 40 epochs.
# Broken, seed 1: the loss without the transposes (softmax across the examples) -> final
# cost 2.58, train accuracy 0.630; the mean instead of the sum -> final cost 0.024.
FINAL_COST_BAND = (0.62, 0.93)
TRAIN_ACCURACY_BAND = (0.70, 0.90)
TEST_ACCURACY_BAND = (0.43, 0.72)
OVERFITTING_GAP = 0.1  # train accuracy above test accuracy by more than this
ABOVE_CHANCE = 0.25  # test accuracy above 1/6 by more than this


def _tf():
    import tensorflow as tf

    return tf


def _tensor(check, value, what, hint):
    tf = _tf()
    check.that(f"type of {what}",
               isinstance(value, tf.Tensor) and not isinstance(value, tf.Variable),
               type(value).__name__, "a TensorFlow tensor (tf.Tensor)", hint=hint)
    return value.numpy()


# ----------------------------------------------------------------------------------------


def linear_constants():
    """The constants linear_function() must use, drawn here independently with numpy."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((3, 1))
    W = rng.standard_normal((4, 3))
    b = rng.standard_normal((4, 1))
    return X, W, b


def linear_function(fn):
    """Check linear_function(): Y = W X + b on the seeded constants, as a tf tensor."""
    check = Checker("linear_function")
    got = check.call(fn)
    values = _tensor(check, got, "the result",
                     "build X, W and b with tf.constant and combine them with tf.matmul and "
                     "tf.add (or @ and +), so the result stays a tensor.")
    check.that("shape of Y", tuple(values.shape) == (4, 1), tuple(values.shape), (4, 1),
               hint="W (4, 3) times X (3, 1) gives a (4, 1) column; use a matrix product "
                    "(tf.matmul), not an elementwise one, and keep W on the left.")
    X, W, b = linear_constants()
    expected = W @ X + b
    check.close("Y = W X + b", values, expected, rtol=1e-5,
                hint="draw X (3, 1), then W (4, 3), then b (4, 1) from "
                     "np.random.default_rng(1).",
                mistakes=[(W @ X, "you forgot to add the bias b.")])
    print("Y =", rounded(values.ravel()))
    check.done()


def sigmoid(fn):
    """Check sigmoid(z) on an integer, a float and a tensor: tf float32 values of expit."""
    tf = _tf()
    check = Checker("sigmoid")
    try:
        got = check.call(fn, -1)
    except (tf.errors.InvalidArgumentError, TypeError) as error:
        check.fail("sigmoid(-1) raised " + type(error).__name__, str(error).splitlines()[0][:120],
                   "a float32 tensor",
                   hint="cast z to tf.float32 first (tf.cast): the sigmoid op refuses integers.")
    value = _tensor(check, got, "sigmoid(-1)", "return the TensorFlow op's result.")
    check.that("dtype of sigmoid(-1)", got.dtype == tf.float32, got.dtype.name, "float32",
               hint="cast z to tf.float32 first (tf.cast), so integers work too.")
    check.close("sigmoid(-1)", value, expit(-1.0), rtol=1e-6,
                hint="sigmoid(z) = 1 / (1 + exp(-z)); tf.keras.activations.sigmoid computes "
                "it (watch the sign of z).")
    z = tf.constant([-2.5, 0.0, 0.75, 4.0])
    got = check.call(fn, z)
    values = _tensor(check, got, "sigmoid of a vector", "return the TensorFlow op's result.")
    check.close("sigmoid([-2.5, 0, 0.75, 4])", values, expit(np.array([-2.5, 0.0, 0.75, 4.0])),
                rtol=1e-6, hint="apply the sigmoid elementwise (not a softmax over the vector).")
    print("sigmoid([-2.5, 0, 0.75, 4]) =", rounded(values))
    check.done()


def one_hot_matrix(fn):
    """Check one_hot_matrix(label, C): a length-C float vector with a single 1."""
    tf = _tf()
    check = Checker("one_hot_matrix")
    got = check.call(fn, tf.constant(2), 6)
    values = _tensor(check, got, "one_hot_matrix(2, C=6)", "return tf.one_hot's result.")
    check.that("shape of one_hot_matrix(2, C=6)", tuple(values.shape) == (6,), tuple(values.shape),
               (6,), hint="return a flat vector of length C: reshape tf.one_hot's output to (C,).")
    check.equal("one_hot_matrix(2, C=6)", values, np.array([0, 0, 1, 0, 0, 0], dtype=values.dtype),
                hint="the 1 goes at position `label` (counting from 0).")
    for label, C in ((0, 4), (3, 4)):
        got = check.call(fn, tf.constant(label), C)
        values = _tensor(check, got, f"one_hot_matrix({label}, C={C})",
                         "return tf.one_hot's result.")
        expected = np.zeros(C)
        expected[label] = 1.0
        check.that(f"shape of one_hot_matrix({label}, C={C})", tuple(values.shape) == (C,),
                   tuple(values.shape), (C,), hint="use the depth C passed in, not a fixed 6.")
        check.close(f"one_hot_matrix({label}, C={C})", values, expected)
    # a label read from a dataset of shape (m, 1) arrives as a length-1 vector
    got = check.call(fn, tf.constant([4]), 6)
    values = _tensor(check, got, "one_hot_matrix([4], C=6)", "return tf.one_hot's result.")
    check.that("shape of one_hot_matrix([4], C=6)", tuple(values.shape) == (6,),
               tuple(values.shape), (6,),
               hint="a label of shape (1,) gives tf.one_hot(..., axis=0) the "
"shape (C, 1): reshape it to (C,).")
    print("one_hot_matrix(2, C=6) =", rounded(tf.cast(fn(tf.constant(2), 6), tf.int32).numpy()))
    check.done()


SHAPES = {"W1": (25, 12288), "b1": (25, 1), "W2": (12, 25), "b2": (12, 1), "W3": (6, 12),
          "b3": (6, 1)}


def initialize_parameters(fn):
    """Check initialize_parameters(): seeded Glorot-uniform tf.Variables of the right shapes."""
    tf = _tf()
    check = Checker("initialize_parameters")
    parameters = check.call(fn)
    check.keys("the returned parameters", parameters, list(SHAPES))
    for key, shape in SHAPES.items():
        value = parameters[key]
        check.that(f"type of parameters[{key!r}]", isinstance(value, tf.Variable),
                   type(value).__name__, "tf.Variable",
                   hint="wrap each initial value in tf.Variable(...): the optimizer can only "
                        "update variables, and GradientTape watches them automatically.")
        check.that(f"shape of parameters[{key!r}]", tuple(value.shape) == shape, tuple(value.shape),
                   shape, hint="W[l] is (units in layer l, units in layer l-1); b[l] is a column.")
        check.that(f"dtype of parameters[{key!r}]", value.dtype == tf.float32, value.dtype.name,
                   "float32")
    for key in ("b1", "b2", "b3"):
        check.that(f"parameters[{key!r}] all zero", np.all(parameters[key].numpy() == 0),
                   rounded(parameters[key].numpy().ravel()[:4]) + " ...", "zeros",
                   hint="start the biases at zero (tf.zeros); the random weights already break "
                        "the symmetry.")
    for key in ("W1", "W2", "W3"):
        W = parameters[key].numpy()
        limit = np.sqrt(6.0 / sum(W.shape))
        largest = float(np.max(np.abs(W)))
        check.that(f"|{key}| within the Glorot bound", largest <= limit * (1 + 1e-6),
                   f"max |w| = {rounded(largest, 4)}",
                   f"all |w| <= sqrt(6 / (fan_in + fan_out)) = {rounded(limit, 4)}",
                   hint="use tf.keras.initializers.GlorotUniform (a uniform draw), not a normal "
                        "one or a fixed scale.")
        spread = float(np.std(W))
        check.that(f"spread of {key}",
                   abs(spread / (limit / np.sqrt(3)) - 1) < 0.25 and largest > 0.8 * limit,
                   f"std {rounded(spread, 3)}", f"std about {rounded(limit / np.sqrt(3), 3)} "
                            "(uniform over the whole Glorot range)",
                   hint="use tf.keras.initializers.GlorotUniform.")
    W1 = parameters["W1"].numpy()
    check.that("mean of W1", abs(float(np.mean(W1))) < 0.001, rounded(float(np.mean(W1)), 3),
               "about 0", hint="the weights must be centred on 0.")
    again = fn()
    same = all(np.array_equal(parameters[k].numpy(), again[k].numpy()) for k in SHAPES)
    check.that("two calls give the same weights", same, "different values",
               "identical (seeded initializer)",
               hint="create the initializer with a fixed seed, GlorotUniform(seed=1), so every "
                    "run starts from the same weights.")
    print("shapes:", {k: tuple(v.shape) for k, v in parameters.items()})
    check.done()


def _small_network():
    """Fixed parameters of a 4 -> 5 -> 3 -> 2 network and 7 examples, as TF objects."""
    tf = _tf()
    rng = np.random.default_rng(14)  # mixed signs in every layer, half the logits negative
    dims = [4, 5, 3, 2]
    arrays = {}
    for layer in range(1, 4):
        arrays[f"W{layer}"] = rng.standard_normal((dims[layer], dims[layer - 1])) * 0.9
        arrays[f"b{layer}"] = rng.standard_normal((dims[layer], 1)) * 0.5
    X = rng.standard_normal((4, 7))
    parameters = {k: tf.Variable(v.astype(np.float32)) for k, v in arrays.items()}
    return X, arrays, parameters


def forward_propagation(fn):
    """Check forward_propagation(X, parameters) against a numpy forward pass."""
    tf = _tf()
    check = Checker("forward_propagation")
    X, arrays, parameters = _small_network()
    X_tf = tf.constant(X.astype(np.float32))
    with tf.GradientTape() as tape:
        got = check.call(fn, X_tf, parameters)
        values = _tensor(check, got, "the logits",
                         "use TensorFlow ops (tf.matmul, tf.add, tf.keras.activations.relu) "
                         "so that the result stays a tensor and gradients can flow.")
        total = tf.reduce_sum(got)
    check.that("shape of the logits", tuple(values.shape) == (2, 7), tuple(values.shape), (2, 7),
               hint="Z3 = W3 A2 + b3 has one row per class, one column per example.")

    def relu(z):
        return np.maximum(z, 0.0)

    Z1 = arrays["W1"] @ X + arrays["b1"]
    Z2 = arrays["W2"] @ relu(Z1) + arrays["b2"]
    Z3 = arrays["W3"] @ relu(Z2) + arrays["b3"]
    hint = "LINEAR -> RELU -> LINEAR -> RELU -> LINEAR, each linear step W A + b."
    if np.all(values >= 0) and np.all(values <= 1):
        hint = ("the output went through a sigmoid or softmax: return the logits Z3; the "
                "loss applies the softmax (from_logits=True).")
    check.close("the logits Z3", values, Z3, rtol=1e-4, atol=1e-5, hint=hint,
                mistakes=[(relu(Z3), "the output went through a ReLU: return the last linear "
                                     "step Z3 as it is (the logits); the loss applies the "
                                     "softmax.")])
    gradient = tape.gradient(total, parameters["W1"])
    check.that("gradient of the logits with respect to W1", gradient is not None, "None",
               "a tensor",
               hint="stay inside TensorFlow (no .numpy() or np. calls) so the tape can follow.")
    print("Z3[:, :3] =", rounded(values[:, :3]))
    check.done()


def _loss_inputs():
    rng = np.random.default_rng(3)
    logits = (rng.standard_normal((6, 5)) * 2).astype(np.float32)
    classes = np.array([0, 5, 2, 2, 4])
    labels = np.zeros((6, 5), dtype=np.float32)
    labels[classes, np.arange(5)] = 1.0
    return logits, labels


def compute_total_loss(fn):
    """Check compute_total_loss(logits, labels): sum over examples of softmax cross-entropy."""
    tf = _tf()
    check = Checker("compute_total_loss")
    logits, labels = _loss_inputs()
    got = check.call(fn, tf.constant(logits), tf.constant(labels))
    value = _tensor(check, got, "the total loss", "return the TensorFlow result.")
    check.that("shape of the total loss", value.shape == (), value.shape, "a scalar ()",
               hint="add up the per-example losses with tf.reduce_sum.")
    per_example = -np.sum(labels * log_softmax(logits, axis=0), axis=0)  # (m,)
    expected = per_example.sum()
    hint = ("sum over the examples of the categorical cross-entropy of each column; call "
            "tf.keras.losses.categorical_crossentropy on the transposed tensors (examples in "
            "rows) with from_logits=True.")
    m = logits.shape[1]
    wrong_axis = -np.sum(labels * log_softmax(logits, axis=1))
    softmax_twice = -np.sum(labels * log_softmax(np.exp(log_softmax(logits, axis=0)), axis=0))
    # Keras's from_logits=False: each column divided by its sum, clipped to [1e-7, 1 - 1e-7]
    no_softmax = -np.sum(labels * np.log(np.clip(logits / logits.sum(axis=0), 1e-7, 1 - 1e-7)))
    check.close("total loss on 5 examples", value, expected, rtol=1e-5, hint=hint, mistakes=[
        (expected / m, f"that is the mean over the {m} examples: return the sum "
                       "(tf.reduce_sum)."),
        (wrong_axis, "the softmax ran across the examples instead of the classes: transpose "
                     "logits and labels to (m, classes) before the loss."),
        (softmax_twice, "the softmax was applied twice: pass the raw logits with "
                        "from_logits=True."),
        (no_softmax, "the logits were treated as probabilities: set from_logits=True."),
    ])
    uniform = fn(tf.zeros((6, 4)), tf.constant(np.eye(6, 4, dtype=np.float32)))
    check.close("total loss of all-zero logits, 4 examples", uniform.numpy(), 4 * np.log(6),
                rtol=1e-5, hint="equal logits give each class 1/6, so each example costs "
                "log 6 and 4 examples cost 4 log 6.")
    # Two examples whose logits differ by 120: exp(-120) underflows to 0 in float32, so
    # log(softmax(z)) is log(0) = -inf, and 0 * -inf is nan. The true loss is about 0 + 120.
    gap_logits = np.zeros((6, 2), dtype=np.float32)
    gap_logits[0, 0] = gap_logits[1, 1] = 120.0
    gap_labels = np.zeros((6, 2), dtype=np.float32)
    gap_labels[0, 0] = gap_labels[3, 1] = 1.0
    gap = fn(tf.constant(gap_logits), tf.constant(gap_labels)).numpy()
    gap_hint = ("with a logit gap of 120 the softmax probabilities of the other classes round "
                "to 0 in float32, and log(0) gives -inf (times a zero label: nan). Let the loss "
                "take the logits (categorical_crossentropy(..., from_logits=True)): it "
                "computes log softmax(z) = z - log sum exp(z) without forming the "
                "probabilities.")
    check.that("total loss is finite for logits 120 apart", bool(np.isfinite(gap)), gap,
               "a finite number", hint=gap_hint)
    check.close("total loss for logits 120 apart", gap, 120.0, rtol=1e-5, hint=gap_hint)
    print("total loss =", rounded(value), "| zero logits, 4 examples:",
          rounded(uniform.numpy()), "= 4 log 6 | logits 120 apart:", rounded(gap))
    check.done()


def _numpy_total_loss(arrays, X, labels):
    """Sum over the examples of the softmax cross-entropy of the 3-layer network, in numpy."""
    A1 = np.maximum(arrays["W1"] @ X + arrays["b1"], 0.0)
    A2 = np.maximum(arrays["W2"] @ A1 + arrays["b2"], 0.0)
    Z3 = arrays["W3"] @ A2 + arrays["b3"]
    return float(-np.sum(labels * log_softmax(Z3, axis=0)))


def _step_inputs():
    """The small network of _small_network, one-hot labels for its 7 examples, both with
    examples in rows as tf.data serves them, and a fresh SGD optimizer (learning rate 0.1)."""
    tf = _tf()
    X, arrays, parameters = _small_network()
    labels = np.eye(2, dtype=np.float32)[[0, 1, 1, 0, 1, 0, 0]].T  # (2, 7)
    batch_X = tf.constant(X.T.astype(np.float32))
    batch_Y = tf.constant(labels.T)
    return X, labels, arrays, parameters, batch_X, batch_Y, tf.keras.optimizers.SGD(0.1)


def train_step(fn):
    """Check train_step(minibatch_X, minibatch_Y, parameters, optimizer): one SGD step on a
    small network, against a numpy loss and its numeric gradient."""
    tf = _tf()
    check = Checker("train_step")
    X, labels, arrays, parameters, batch_X, batch_Y, optimizer = _step_inputs()
    originals = dict(parameters)
    shape_hint = ("the mini-batches hold examples in rows, as tf.data serves them: transpose "
                  "minibatch_X and minibatch_Y so that examples are columns before calling "
                  "forward_propagation and compute_total_loss.")
    try:
        loss = check.call(fn, batch_X, batch_Y, shared(parameters), shared(optimizer))
    except (tf.errors.InvalidArgumentError, ValueError) as error:
        hint = shape_hint
        if "No gradients provided" in str(error):
            hint = ("the tape recorded no operation that leads to the loss: run "
                    "forward_propagation and compute_total_loss inside "
                    "`with tf.GradientTape() as tape:`, then call tape.gradient(loss, "
                    "variables) after the block.")
        check.fail(f"calling train_step raised {type(error).__name__}", str(error)[:200],
                   "one optimizer step", hint=hint)
    value = _tensor(check, loss, "the returned loss",
                    "return the loss tensor computed inside the tape (no .numpy() or float(): "
                    "the step must also run inside tf.function).")
    before = _numpy_total_loss(arrays, X, labels)
    check.close("loss returned for the 7 examples", value, before, rtol=1e-4,
                hint="return compute_total_loss of the mini-batch, computed before the update.")
    for key, variable in parameters.items():
        check.that(f"parameters['{key}'] is still the same tf.Variable",
                   variable is originals[key], type(variable).__name__, "the original Variable",
                   hint="let the optimizer update the variables in place "
                        "(optimizer.apply_gradients); do not put new tensors in the dict.")
    check.equal("steps taken by the optimizer passed in (optimizer.iterations)",
                int(optimizer.iterations.numpy()), 1,
                hint="apply the gradients once, with the optimizer given as an argument (not a "
                     "new one).")
    for key, old in arrays.items():
        def loss_of(w, key=key):
            return _numpy_total_loss({**arrays, key: w}, X, labels)

        gradient = numeric_gradient(loss_of, old)
        check.close(f"{key} after one SGD step (learning rate 0.1)", parameters[key].numpy(),
                    old - 0.1 * gradient, rtol=1e-4, atol=1e-5,
                    hint=f"{key} must move by -0.1 x dJ/d{key}: take tape.gradient(loss, "
                         "variables) with all six parameters in `variables`, and apply it with "
                         "optimizer.apply_gradients(zip(gradients, variables)).",
                    mistakes=[(old, f"{key} did not change: include it in the variables you "
                                    "differentiate and update."),
                              (old + 0.1 * gradient, f"{key} moved up the gradient: pass the "
                                                     "gradients themselves to the optimizer, "
                                                     "which subtracts them.")])
    # The notebook compiles the step with tf.function: it must also work as a graph.
    X, labels, arrays, parameters, batch_X, batch_Y, optimizer = _step_inputs()
    optimizer.build(list(parameters.values()))
    try:
        compiled = tf.function(fn)(batch_X, batch_Y, parameters, optimizer)
    except (TypeError, AttributeError, NotImplementedError) as error:
        if isinstance(error, NotImplementedError):
            raise
        check.fail("train_step inside tf.function", f"{type(error).__name__}: {error}"[:200],
                   "the same step as a graph",
                   hint="stay with TensorFlow operations: no .numpy(), float() or numpy calls "
                        "inside the step.")
    check.close("loss returned inside tf.function", compiled.numpy(), value, rtol=1e-5,
                hint="the compiled step must compute what the eager one does.")
    print("mini-batch loss before the step =", rounded(value))
    check.done()


# ----------------------------------------------------------------------------------------
# the trained network of section 8 (a verdict on training results)


def trained_network(history):
    """Verdicts on the 40-epoch training run of section 8.

    ``history`` holds ``"cost"``, ``"train_acc"`` and ``"test_acc"``, one value per epoch.
    """
    cost = [float(c) for c in history["cost"]]
    train_accuracy = float(history["train_acc"][-1])
    test_accuracy = float(history["test_acc"][-1])
    hint = ("a cost far above the band: does compute_total_loss transpose logits and labels "
            "to (examples, classes) and use from_logits=True? Far below: it must return the "
            "sum over the examples, not the mean.")
    verdict = Verdicts("3-layer network, 40 epochs")
    checkpoints = cost[9::10]
    verdict.that(
        "the cost after epochs 10, 20, 30 and 40 falls each time",
        len(checkpoints) >= 4 and all(np.diff(checkpoints) < 0),
        "costs " + ", ".join(f"{c:.4g}" for c in checkpoints),
        "Adam with a small learning rate should lower the cost steadily; check the loss and "
        "that the optimizer updates the tf.Variables of initialize_parameters.")
    verdict.within("final cost", cost[-1], *FINAL_COST_BAND, hint=hint)
    verdict.within("train accuracy", train_accuracy, *TRAIN_ACCURACY_BAND, hint=hint)
    verdict.within("test accuracy", test_accuracy, *TEST_ACCURACY_BAND, hint=hint)
    verdict.beats("train accuracy over test accuracy (overfitting)", train_accuracy,
                  test_accuracy, by=OVERFITTING_GAP,
                  hint="a fully connected network with 300,000 first-layer weights and 1,080 "
                       "images should fit the training set clearly better.")
    verdict.beats("test accuracy over chance (1/6)", test_accuracy, 1 / 6, by=ABOVE_CHANCE,
                  hint=hint)
    verdict.done()
