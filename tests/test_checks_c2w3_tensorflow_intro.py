"""The week-3 TensorFlow checks pass a correct reference and catch typical mistakes."""

import numpy as np
import pytest

import utils
from tests.check_contract import blank_raises_not_implemented, reference_passes
from utils.checks import c2w3_tensorflow_intro as check
from utils.checks.harness import CheckFailure

tf = utils.setup_notebook(tensorflow=True)


# ----------------------------------------------------------------------------------------
# a correct reference, written here


def linear_function():
    rng = np.random.default_rng(1)
    X = tf.constant(rng.standard_normal((3, 1)))
    W = tf.constant(rng.standard_normal((4, 3)))
    b = tf.constant(rng.standard_normal((4, 1)))
    return tf.add(tf.matmul(W, X), b)


def sigmoid(z):
    return tf.math.sigmoid(tf.cast(z, tf.float32))


def one_hot_matrix(label, C=6):
    return tf.reshape(tf.one_hot(label, C, axis=0), (C,))


def initialize_parameters(initializer=None, make=tf.Variable):
    init = initializer or tf.keras.initializers.GlorotUniform(seed=1)
    return {k: make(init(shape=s) if k[0] == "W" else tf.zeros(s))
            for k, s in check.SHAPES.items()}


def forward_propagation(X, p, last=tf.identity):
    A1 = tf.nn.relu(p["W1"] @ X + p["b1"])
    A2 = tf.nn.relu(p["W2"] @ A1 + p["b2"])
    return last(p["W3"] @ A2 + p["b3"])


def compute_total_loss(logits, labels):
    losses = tf.keras.losses.categorical_crossentropy(tf.transpose(labels), tf.transpose(logits),
                                                      from_logits=True)
    return tf.reduce_sum(losses)


def make_train_step(transpose=True, in_tape=True, keys=("W1", "b1", "W2", "b2", "W3", "b3"),
                    sign=1.0, own_optimizer=False, replace=False, as_float=False):
    """train_step, or one of its typical mistakes."""
    def train_step(minibatch_X, minibatch_Y, parameters, optimizer):
        X = tf.transpose(minibatch_X) if transpose else minibatch_X
        Y = tf.transpose(minibatch_Y) if transpose else minibatch_Y
        variables = [parameters[k] for k in keys]
        if not in_tape:
            loss = compute_total_loss(forward_propagation(X, parameters), Y)
        with tf.GradientTape() as tape:
            if in_tape:
                loss = compute_total_loss(forward_propagation(X, parameters), Y)
        gradients = [sign * g if g is not None else None
                     for g in tape.gradient(loss, variables)]
        if replace:
            for k, g in zip(keys, gradients, strict=True):
                parameters[k] = parameters[k] - 0.1 * g
        else:
            step = tf.keras.optimizers.SGD(0.1) if own_optimizer else optimizer
            step.apply_gradients(zip(gradients, variables, strict=True))
        return float(loss) if as_float else loss

    return train_step


train_step = make_train_step()

REFERENCE = {f.__name__: f for f in (linear_function, sigmoid, one_hot_matrix,
                                     initialize_parameters, forward_propagation,
                                     compute_total_loss, train_step)}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, REFERENCE, keywords=False)


def _naive_loss(logits, labels):
    return -tf.reduce_sum(labels * tf.math.log(tf.nn.softmax(logits, axis=0)))


def test_naive_loss_passes_the_small_logits_but_not_the_gap():
    """-sum y log softmax(z) is right for moderate logits and nan at a logit gap of 120."""
    logits, labels = check._loss_inputs()
    assert np.isclose(float(_naive_loss(logits, labels)),
                      float(compute_total_loss(logits, labels)), rtol=1e-5)
    with pytest.raises(CheckFailure, match="logit gap of 120"):
        check.compute_total_loss(_naive_loss)


def test_loss_oracle_agrees_with_tensorflow():
    logits, labels = check._loss_inputs()
    per_example = tf.nn.softmax_cross_entropy_with_logits(labels=labels.T, logits=logits.T)
    got = compute_total_loss(tf.constant(logits), tf.constant(labels))
    assert np.isclose(float(tf.reduce_sum(per_example)), float(got), rtol=1e-6)


# ----------------------------------------------------------------------------------------
# typical mistakes, each with a word the message must contain


def _no_bias():
    rng = np.random.default_rng(1)
    X = tf.constant(rng.standard_normal((3, 1)))
    W = tf.constant(rng.standard_normal((4, 3)))
    return tf.matmul(W, X)


def _numpy_linear():
    return linear_function().numpy()


def _mean_loss(logits, labels):
    return compute_total_loss(logits, labels) / logits.shape[1]


def _untransposed_loss(logits, labels):
    return tf.reduce_sum(tf.keras.losses.categorical_crossentropy(labels, logits,
                                                                  from_logits=True))


def _softmax_twice(logits, labels):
    return compute_total_loss(tf.nn.softmax(logits, axis=0), labels)


def _not_from_logits(logits, labels):
    return tf.reduce_sum(tf.keras.losses.categorical_crossentropy(
        tf.transpose(labels), tf.transpose(logits)))


def _per_example(logits, labels):
    return tf.keras.losses.categorical_crossentropy(tf.transpose(labels), tf.transpose(logits),
                                                    from_logits=True)


MISTAKES = [
    ("linear_function", _no_bias, "forgot to add the bias"),
    ("linear_function", _numpy_linear, "tf.Tensor"),
    ("sigmoid", lambda z: tf.math.sigmoid(-tf.cast(z, tf.float32)), "sign of z"),
    ("sigmoid", lambda z: sigmoid(z).numpy(), "tf.Tensor"),
    ("sigmoid", lambda z: tf.math.tanh(tf.cast(z, tf.float32)), "1 / \\(1 \\+ exp"),
    ("sigmoid", lambda z: tf.math.sigmoid(z), "cast z"),
    ("one_hot_matrix", lambda label, C=6: tf.one_hot(label, C, axis=0)[None, :], "flat vector"),
    ("one_hot_matrix", lambda label, C=6: tf.one_hot(label, 6), "depth C"),
    ("one_hot_matrix", lambda label, C=6: tf.one_hot(label, C, axis=0), "the shape \\(C, 1\\)"),
    ("initialize_parameters", lambda: initialize_parameters(make=tf.constant), "tf.Variable"),
    ("initialize_parameters",
     lambda: initialize_parameters(tf.keras.initializers.GlorotUniform()), "seed"),
    ("initialize_parameters",
     lambda: initialize_parameters(tf.keras.initializers.GlorotNormal(seed=1)), "GlorotUniform"),
    ("initialize_parameters",
     lambda: {k: tf.Variable(tf.transpose(v)) for k, v in initialize_parameters().items()},
     "units in layer"),
    ("forward_propagation", lambda X, p: forward_propagation(X, p, tf.nn.relu), "ReLU"),
    ("forward_propagation",
     lambda X, p: forward_propagation(X, p, lambda z: tf.nn.softmax(z, axis=0)), "logits"),
    ("forward_propagation",
     lambda X, p: tf.constant(forward_propagation(X, p).numpy()), "gradient"),
    ("compute_total_loss", _mean_loss, "mean"),
    ("compute_total_loss", _untransposed_loss, "transpose"),
    ("compute_total_loss", _softmax_twice, "twice"),
    ("compute_total_loss", _not_from_logits, "treated as probabilities"),
    ("compute_total_loss", _per_example, "scalar"),
    ("compute_total_loss", _naive_loss, "from_logits=True"),
    ("train_step", make_train_step(transpose=False), "examples in rows"),
    ("train_step", make_train_step(in_tape=False), "inside `with tf.GradientTape"),
    ("train_step", make_train_step(keys=("W1", "W2", "W3")), "b1 did not change"),
    ("train_step", make_train_step(sign=-1.0), "moved up the gradient"),
    ("train_step", make_train_step(own_optimizer=True), "optimizer.iterations"),
    ("train_step", make_train_step(replace=True), "same tf.Variable"),
    ("train_step", make_train_step(as_float=True), "tf.function"),
]


@pytest.mark.parametrize(("name", "wrong", "word"), MISTAKES,
                         ids=[f"{n}-{w}" for n, _, w in MISTAKES])
def test_mistake_is_caught(name, wrong, word):
    with pytest.raises(CheckFailure, match=word) as info:
        getattr(check, name)(wrong)
    assert name in str(info.value)


# ----------------------------------------------------------------------------------------
# verdicts on the trained network: histories shaped like the notebook's, at the measured
# checkpoints (seed 1 natively; the loss variants measured with the same seed)


def history(checkpoints, train_accuracy, test_accuracy):
    """40 epochs whose cost falls linearly between the given values at epochs 10-40."""
    cost = list(np.interp(np.arange(1, 41), [1, 10, 20, 30, 40], [1.81, *checkpoints]))
    return {"cost": cost, "train_acc": [0.2] * 39 + [train_accuracy],
            "test_acc": [0.2] * 39 + [test_accuracy]}


def test_trained_network_verdicts_hold_on_the_measured_run(capsys):
    check.trained_network(history([1.406, 1.151, 0.931, 0.779], 0.832, 0.625))
    out = capsys.readouterr().out
    assert "all 6 verdicts hold" in out and "0.625" not in out and "0.779" not in out
    # the same seed under the test profile: another test accuracy, the same verdicts
    check.trained_network(history([1.405, 1.154, 0.940, 0.778], 0.827, 0.575))


@pytest.mark.parametrize(("run", "word"), [
    # loss without the transposes: softmax across the examples
    (history([3.096, 2.9, 2.7, 2.577], 0.630, 0.483), "transpose"),
    # the mean over the mini-batch instead of the sum
    (history([0.0448, 0.035, 0.028, 0.024], 0.834, 0.533), "not the mean"),
    # the cost rises again: the optimizer is not updating the variables as it should
    (history([1.406, 1.151, 1.2, 0.779], 0.832, 0.625), "falls each time"),
    # no gap between train and test accuracy
    (history([1.406, 1.151, 0.931, 0.779], 0.75, 0.70), "fit the training set"),
])
def test_trained_network_verdicts_fail_on_broken_runs(run, word):
    with pytest.raises(CheckFailure) as failure:
        check.trained_network(run)
    assert word in str(failure.value), str(failure.value)
