"""The date-translation checks pass a correct reference and catch typical mistakes."""

import numpy as np
import pytest

import utils
from tests.check_contract import blank_raises_not_implemented, mistake_is_caught
from utils.checks import c5w3_neural_machine_translation as check
from utils.checks.harness import CheckFailure

tf = utils.setup_notebook(tensorflow=True)

import keras  # noqa: E402  (after setup_notebook, which fixes TensorFlow's settings)
from keras.layers import (  # noqa: E402
    LSTM,
    Bidirectional,
    Concatenate,
    Dense,
    Dot,
    Input,
    RepeatVector,
    Softmax,
)

from utils.models.date_translator import (  # noqa: E402
    assign_weights,
    attention_maps,
    attention_model,
    attention_model_parameter_count,
    role_weights,
)

# ----------------------------------------------------------------------------------------
# module-level shared layers, as in the notebook, and a reference written here

Tx, Ty, n_a, n_s = check.TX, check.TY, check.N_A, check.N_S
repeator = RepeatVector(Tx)
concatenator = Concatenate(axis=-1)
densor1 = Dense(10, activation="tanh")
densor2 = Dense(1, activation="relu")
activator = Softmax(axis=1)
dotor = Dot(axes=1)
post_activation_LSTM_cell = LSTM(n_s, return_state=True)
output_layer = Dense(check.MACHINE_VOCAB_SIZE, activation="softmax")

# layers used only by the mistakes
last_axis_softmax = Softmax(axis=-1)
linear_densor2 = Dense(1)


def make_step(order="a_first", softmax_layer=None, energy_layer=None, pooling="attention"):
    def one_step_attention(a, s_prev):
        s_rep = repeator(s_prev)
        concat = concatenator([a, s_rep] if order == "a_first" else [s_rep, a])
        energies = (energy_layer or densor2)(densor1(concat))
        if softmax_layer == "ops":  # the same numbers, but no Softmax layer to read them from
            alphas = keras.ops.softmax(energies, axis=1)
        else:
            alphas = (softmax_layer or activator)(energies)
        if pooling == "mean":
            return keras.ops.mean(a, axis=1, keepdims=True)
        return dotor([alphas, a])
    return one_step_attention


def make_model(step=None, carry=True, swap=False, shared_attention=True, bidirectional=True):
    step = step or make_step()

    def modelf(Tx, Ty, n_a, n_s, human_vocab_size, machine_vocab_size):
        X = Input(shape=(Tx, human_vocab_size))
        s0 = Input(shape=(n_s,))
        c0 = Input(shape=(n_s,))
        s, c = s0, c0
        encoder = LSTM(n_a, return_sequences=True)
        a = Bidirectional(encoder)(X) if bidirectional else LSTM(2 * n_a,
                                                                return_sequences=True)(X)
        outputs = []
        for _ in range(Ty):
            if shared_attention:
                context = step(a, s)
            else:
                concat = Concatenate(axis=-1)([a, RepeatVector(Tx)(s)])
                alphas = Softmax(axis=1)(Dense(1, activation="relu")(
                    Dense(10, activation="tanh")(concat)))
                context = Dot(axes=1)([alphas, a])
            state = [c, s] if swap else [s, c]
            s_new, _, c_new = post_activation_LSTM_cell(context, initial_state=state)
            outputs.append(output_layer(s_new))
            if carry:
                s, c = s_new, c_new
        return keras.Model(inputs=[X, s0, c0], outputs=outputs)
    return modelf


REFERENCE = {"one_step_attention": make_step(), "modelf": make_model()}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    getattr(check, name)(REFERENCE[name])
    assert "passed" in capsys.readouterr().out


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, ["one_step_attention", "modelf"], keywords=False)


def test_check_puts_the_shared_layers_weights_back(capsys):
    make_step()(Input((Tx, 2 * n_a)), Input((n_s,)))       # builds the shared layers
    before = [w.copy() for w in densor1.get_weights() + densor2.get_weights()]
    check.one_step_attention(make_step())
    after = densor1.get_weights() + densor2.get_weights()
    assert all(np.array_equal(b, a) for b, a in zip(before, after, strict=True))


@pytest.mark.parametrize(("wrong", "word"), [
    (make_step(softmax_layer=last_axis_softmax), "Tx axis"),
    (make_step(order="s_first"), "concatenate a first"),
    (make_step(energy_layer=linear_densor2), "relu"),
    (make_step(pooling="mean"), "plain average"),
    (make_step(softmax_layer="ops"), "no layer"),
], ids=["softmax-last-axis", "s-before-a", "linear-energy", "mean-pooling", "ops-softmax"])
def test_one_step_attention_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "one_step_attention", wrong, word)


@pytest.mark.parametrize(("wrong", "word"), [
    (make_model(carry=False), "carry the state"),
    (make_model(swap=True), "hidden state first"),
    (make_model(shared_attention=False), "shared"),
    (make_model(bidirectional=False), "Bidirectional"),
    (make_model(step=make_step(softmax_layer=last_axis_softmax)), "one_step_attention"),
], ids=["state-not-carried", "s-c-swapped", "attention-not-shared", "no-bidirectional",
        "wrong-softmax-axis"])
def test_modelf_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "modelf", wrong, word)


def test_oracles_agree_with_the_library_model():
    """The numpy rollout of the check and the library model agree (both written here)."""
    model = attention_model(Tx, Ty, n_a, n_s, check.HUMAN_VOCAB_SIZE, check.MACHINE_VOCAB_SIZE)
    sizes = (Tx, Ty, n_a, n_s, check.HUMAN_VOCAB_SIZE, check.MACHINE_VOCAB_SIZE)
    assert model.count_params() == check.parameter_count(*sizes) == (
        attention_model_parameter_count(*sizes))
    rng = np.random.default_rng(0)
    X = np.eye(check.HUMAN_VOCAB_SIZE, dtype=np.float32)[rng.integers(0, 46, (2, Tx))]
    zeros = np.zeros((2, n_s), np.float32)
    w = role_weights(model, check.MACHINE_VOCAB_SIZE)
    got = np.stack(model.predict([X, zeros, zeros], verbose=0))
    w64 = {k: [x.astype(np.float64) for x in v] for k, v in w.items()}
    np.testing.assert_allclose(got, check.rollout(X, zeros, zeros, w64), rtol=1e-4, atol=1e-6)
    # weights move by role between models whose layers were created in another order
    other = make_model()(Tx, Ty, n_a, n_s, check.HUMAN_VOCAB_SIZE, check.MACHINE_VOCAB_SIZE)
    saved = role_weights(other, check.MACHINE_VOCAB_SIZE)
    assign_weights(other, w, check.MACHINE_VOCAB_SIZE)
    np.testing.assert_allclose(np.stack(other.predict([X, zeros, zeros], verbose=0)), got,
                               rtol=1e-5, atol=1e-7)
    maps = attention_maps(other, X, n_s, check.MACHINE_VOCAB_SIZE)
    assert maps.shape == (2, Ty, Tx)
    np.testing.assert_allclose(maps.sum(-1), 1.0, rtol=1e-5)
    assign_weights(other, saved, check.MACHINE_VOCAB_SIZE)


def test_verdicts():
    check.live_training([9.0, 5.0, 2.0])
    with pytest.raises(CheckFailure):
        check.live_training([9.0, 9.5, 2.0])
    check.trained_weights({"en_US": 0.99, "fr_FR": 0.975})
    with pytest.raises(CheckFailure, match="fr_FR"):
        check.trained_weights({"en_US": 0.99, "fr_FR": 0.9})
