"""The neural-style-transfer checks pass correct functions and catch the usual mistakes."""

import numpy as np
import pytest

import utils
from tests.check_contract import (
    blank_raises_not_implemented,
    mistake_is_caught,
    reference_passes,
)
from utils.checks import c4w4_neural_style_transfer as check

tf = utils.setup_notebook(tensorflow=True)

# ----------------------------------------------------------------------------------------
# correct references written here, with switches for the typical mistakes


def make_content_cost(layer=-1, denominator=4, square=True):
    def compute_content_cost(content_output, generated_output):
        a_C, a_G = content_output[layer], generated_output[layer]
        _, n_H, n_W, n_C = a_G.shape
        difference = tf.square(a_C - a_G) if square else tf.abs(a_C - a_G)
        return tf.reduce_sum(difference) / (denominator * n_H * n_W * n_C)
    return compute_content_cost


def content_cost_as_numpy(content_output, generated_output):
    a_C, a_G = (np.asarray(x[-1]) for x in (content_output, generated_output))
    _, n_H, n_W, n_C = a_G.shape
    return np.sum((a_C - a_G) ** 2) / (4 * n_H * n_W * n_C)


def content_cost_with_mean(content_output, generated_output):
    return tf.reduce_mean(tf.square(content_output[-1] - generated_output[-1]))


def make_gram(transpose_first=False):
    def gram_matrix(A):
        if transpose_first:
            return tf.matmul(tf.transpose(A), A)
        return tf.matmul(A, tf.transpose(A))
    return gram_matrix


def gram_as_numpy(A):
    A = np.asarray(A)
    return A @ A.T


gram_matrix = make_gram()


def make_layer_style_cost(unroll="right", normaliser="right"):
    def compute_layer_style_cost(a_S, a_G):
        _, n_H, n_W, n_C = a_G.shape
        if unroll == "right":
            S = tf.transpose(tf.reshape(a_S, [-1, n_C]))
            G = tf.transpose(tf.reshape(a_G, [-1, n_C]))
        elif unroll == "no transpose":
            S = tf.reshape(a_S, [n_C, -1])
            G = tf.reshape(a_G, [n_C, -1])
        elif unroll == "channels first":  # a correct alternative: positions in another order
            S = tf.reshape(tf.transpose(a_S, [0, 3, 2, 1]), [n_C, -1])
            G = tf.reshape(tf.transpose(a_G, [0, 3, 2, 1]), [n_C, -1])
        difference = tf.reduce_sum(tf.square(gram_matrix(S) - gram_matrix(G)))
        scale = {"right": 4.0 * n_C ** 2 * (n_H * n_W) ** 2,
                 "no 4": 1.0 * n_C ** 2 * (n_H * n_W) ** 2,
                 "n_C not squared": 4.0 * n_C * (n_H * n_W) ** 2,
                 "positions not squared": 4.0 * n_C ** 2 * (n_H * n_W)}[normaliser]
        return difference / scale
    return compute_layer_style_cost


def layer_style_cost_with_big_gram(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    S = tf.transpose(tf.reshape(a_S, [-1, n_C]))
    G = tf.transpose(tf.reshape(a_G, [-1, n_C]))
    GS, GG = tf.matmul(tf.transpose(S), S), tf.matmul(tf.transpose(G), G)
    return tf.reduce_sum(tf.square(GS - GG)) / (4.0 * n_C ** 2 * (n_H * n_W) ** 2)


def layer_style_cost_as_numpy(a_S, a_G):
    return tf.constant(np.float32(check._layer_style_cost(np.asarray(a_S), np.asarray(a_G))))


compute_layer_style_cost = make_layer_style_cost()

GLOBAL_STYLE_LAYERS = [("block_1_expand_relu", 0.1), ("block_3_expand_relu", 0.2),
                       ("block_6_expand_relu", 0.3), ("block_13_expand_relu", 0.4)]


def make_style_cost(weighted=True, skip="last", mean=False, reversed_weights=False,
                    use_global=False):
    def compute_style_cost(style_image_output, generated_image_output,
                           STYLE_LAYERS=GLOBAL_STYLE_LAYERS):
        layers = GLOBAL_STYLE_LAYERS if use_global else STYLE_LAYERS
        weights = [w for _, w in layers]
        if reversed_weights:
            weights = weights[::-1]
        if skip == "last":
            a_S, a_G = style_image_output[:-1], generated_image_output[:-1]
        else:
            a_S, a_G = style_image_output[1:], generated_image_output[1:]
        J_style = 0.0
        for weight, s, g in zip(weights, a_S, a_G, strict=False):
            J_style += (weight if weighted else 1.0) * compute_layer_style_cost(s, g)
        return J_style / len(layers) if mean else J_style
    return compute_style_cost


compute_style_cost = make_style_cost()


def make_total_cost(swapped=False, fixed=False):
    @tf.function
    def total_cost(J_content, J_style, alpha=10, beta=40):
        if fixed:
            alpha, beta = 10, 40
        if swapped:
            return beta * J_content + alpha * J_style
        return alpha * J_content + beta * J_style
    return total_cost


total_cost = make_total_cost()


def make_train_step(clip=True, fixed_weights=False, ascend=False, update=True,
                    decorate=True, content_from_style=False):
    def train_step(generated_image, feature_model, a_C, a_S, optimizer,
                   STYLE_LAYERS=GLOBAL_STYLE_LAYERS, alpha=10, beta=40):
        with tf.GradientTape() as tape:
            a_G = feature_model(generated_image)
            J_style = compute_style_cost(a_S, a_G, STYLE_LAYERS)
            J_content = compute_content_cost(a_S if content_from_style else a_C, a_G)
            if fixed_weights:
                J = total_cost(J_content, J_style)
            else:
                J = total_cost(J_content, J_style, alpha=alpha, beta=beta)
        grad = tape.gradient(J, generated_image)
        if ascend:
            grad = -grad
        if update:
            optimizer.apply_gradients([(grad, generated_image)])
        if clip:
            generated_image.assign(tf.clip_by_value(generated_image, 0.0, 1.0))
        return J
    return tf.function(train_step) if decorate else train_step


compute_content_cost = make_content_cost()

REFERENCE = {"compute_content_cost": compute_content_cost, "gram_matrix": gram_matrix,
             "compute_layer_style_cost": compute_layer_style_cost,
             "compute_style_cost": compute_style_cost, "total_cost": total_cost,
             "train_step": make_train_step()}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, sorted(REFERENCE))


def test_blank_under_tf_function_raises_not_implemented():
    """A blank train_step keeps its @tf.function in the exercise copy."""
    @tf.function
    def train_step(generated_image, feature_model, a_C, a_S, optimizer, STYLE_LAYERS=None,
                   alpha=10, beta=40):
        raise NotImplementedError("fill me in")

    with pytest.raises(NotImplementedError) as error:
        check.train_step(train_step)
    assert str(error.value) == "fill me in"


def test_blank_function_called_by_train_step_is_named():
    """The grader reads "Exercise: write <name>" at the start of the message, which
    tf.function would otherwise bury in a traceback of the graph's code."""
    @tf.function
    def train_step(generated_image, feature_model, a_C, a_S, optimizer, STYLE_LAYERS=None,
                   alpha=10, beta=40):
        raise NotImplementedError("Exercise: write compute_style_cost")

    with pytest.raises(NotImplementedError) as error:
        check.train_step(train_step)
    assert str(error.value) == "Exercise: write compute_style_cost"


def test_unrolling_in_another_position_order_passes(capsys):
    """Any order of the positions gives the same Gram matrix, so it is not a mistake."""
    check.compute_layer_style_cost(make_layer_style_cost(unroll="channels first"))
    assert "passed" in capsys.readouterr().out


@pytest.mark.parametrize(("wrong", "word"), [
    (make_content_cost(layer=0), "LAST element"),
    (make_content_cost(denominator=1), "four times"),
    (content_cost_with_mean, "four times"),
    (make_content_cost(square=False), "value of J_content"),
    (content_cost_as_numpy, "tf.Tensor"),
], ids=["first layer", "no 4", "mean", "absolute difference", "numpy"])
def test_content_cost_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "compute_content_cost", wrong, word)


@pytest.mark.parametrize(("wrong", "word"), [
    (make_gram(transpose_first=True), "A^T A"),
    (gram_as_numpy, "tf.Tensor"),
], ids=["A^T A", "numpy"])
def test_gram_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "gram_matrix", wrong, word)


@pytest.mark.parametrize(("wrong", "word"), [
    (make_layer_style_cost(unroll="no transpose"), "straight to (n_C, -1)"),
    (layer_style_cost_with_big_gram, "not A^T A"),
    (make_layer_style_cost(normaliser="no 4"), "factor 4"),
    (make_layer_style_cost(normaliser="n_C not squared"), "square n_C"),
    (make_layer_style_cost(normaliser="positions not squared"), "square n_H n_W"),
    (layer_style_cost_as_numpy, "differentiable"),
], ids=["reshape without transpose", "A^T A", "no 4", "n_C not squared",
        "n_H n_W not squared", "no gradient"])
def test_layer_style_cost_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "compute_layer_style_cost", wrong, word)


@pytest.mark.parametrize(("wrong", "word"), [
    (make_style_cost(weighted=False), "by its weight"),
    (make_style_cost(weighted=False, mean=True), "not a plain mean"),
    (make_style_cost(skip="first"), "LAST output"),
    (make_style_cost(reversed_weights=True), "same order"),
    (make_style_cost(use_global=True), "not a global"),
], ids=["unweighted", "mean", "skips the first", "weights reversed", "global layers"])
def test_style_cost_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "compute_style_cost", wrong, word)


@pytest.mark.parametrize(("wrong", "word"), [
    (make_total_cost(swapped=True), "not the other way round"),
    (make_total_cost(fixed=True), "not fixed 10 and 40"),
], ids=["swapped", "fixed weights"])
def test_total_cost_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "total_cost", wrong, word)


@pytest.mark.parametrize(("wrong", "word"), [
    (make_train_step(clip=False), "clip the image to [0, 1]"),
    (make_train_step(fixed_weights=True), "pass alpha and beta on"),
    (make_train_step(ascend=True), "up the gradient"),
    (make_train_step(update=False), "did not change"),
    (make_train_step(content_from_style=True), "the returned J"),
    (make_train_step(decorate=False), "@tf.function"),
], ids=["no clipping", "fixed alpha beta", "gradient ascent", "no update",
        "content cost on the style", "no tf.function"])
def test_train_step_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "train_step", wrong, word)


def test_oracles_agree_with_tensorflow():
    """The numpy Gram oracle equals tf.einsum's, and the hand-worked gradient of a layer's
    style cost equals a numeric gradient (guards the oracles themselves)."""
    from utils.checks.oracles import numeric_gradient

    a_S, a_G = check._activations([(1, 3, 2, 4)] * 2, 11)
    S = check._unroll(a_S)
    np.testing.assert_allclose(S @ S.T, tf.einsum("bhwc,bhwd->cd", a_S, a_S).numpy(),
                               rtol=1e-5)
    a_G = a_G.astype(float) + 0.1
    numeric = numeric_gradient(lambda x: check._layer_style_cost(a_S, x), a_G)
    np.testing.assert_allclose(check._layer_style_gradient(a_S, a_G), numeric, rtol=1e-5,
                               atol=1e-9)


# ----------------------------------------------------------------------------------------
# verdicts on measurements: they hold on measured values and fail on broken ones

MEASURED_ROLES = {  # natively, section 4 of the notebook
    "block_1_expand_relu": (0.34, 0.38, 0.002, 0.35),
    "block_3_expand_relu": (0.66, 0.45, 0.015, 0.74),
    "block_6_expand_relu": (0.79, 0.41, 0.073, 0.49),
    "block_10_expand_relu": (1.00, 0.45, 0.37, 0.70),
    "block_13_expand_relu": (1.20, 0.51, 0.41, 0.51),
    "block_16_expand_relu": (0.80, 0.44, 0.29, 0.32),
}
ROLE_KEYS = ("content, shuffled tiles", "content, noisy", "style, shuffled tiles",
             "style, noisy")


def roles(measured=MEASURED_ROLES, **changes):
    table = {layer: dict(zip(ROLE_KEYS, values, strict=True))
             for layer, values in measured.items()}
    for layer, (key, value) in changes.items():
        table[layer][key] = value
    return table


def test_layer_role_verdicts_hold_on_the_measured_values(capsys):
    check.layer_roles(roles())
    assert "all 3 verdicts hold" in capsys.readouterr().out


@pytest.mark.parametrize(("changes", "word"), [
    ({"block_3_expand_relu": ("style, shuffled tiles", 0.6)}, "shuffled tiles as for noise"),
    ({"block_1_expand_relu": ("style, noisy", 0.01)}, "notice the noise"),
    ({"block_13_expand_relu": ("content, shuffled tiles", 0.6)}, "count the shuffle"),
], ids=["gram sees layout", "gram blind to noise", "content blind to layout"])
def test_layer_role_verdicts_fail_on_other_values(changes, word):
    with pytest.raises(AssertionError, match=word):
        check.layer_roles(roles(**changes))


def run(content=(1.33e-3, 1.47e-3, 1.30e-3, 1.19e-3), style=(4.85e-5, 3e-7, 1e-7, 5.3e-8)):
    return {"content": list(content), "style": list(style)}


def test_transfer_verdicts_hold_on_the_measured_run(capsys):
    check.transfer_run(run())
    assert "all 3 verdicts hold" in capsys.readouterr().out


@pytest.mark.parametrize(("history", "word"), [
    (run(style=(9.4e-5, 3e-5, 1.5e-5, 1.1e-5)), "style cost's fall"),
    (run(content=(1.33e-3, 1.47e-3, 1.45e-3, 1.40e-3)), "ends below where it started"),
    (run(content=(1.33e-3, 1.35e-3, 1.32e-3, 1.31e-3)), "below its peak"),
], ids=["beta 40", "content rises", "content stalls"])
def test_transfer_verdicts_fail_on_broken_runs(history, word):
    with pytest.raises(AssertionError, match=word):
        check.transfer_run(history)
