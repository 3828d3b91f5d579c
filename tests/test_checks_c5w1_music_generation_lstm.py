"""The music-generation checks pass a correct reference and catch typical mistakes."""

import numpy as np
import pytest

import utils
from tests.check_contract import blank_raises_not_implemented
from utils.checks import c5w1_music_generation_lstm as check
from utils.checks.harness import CheckFailure

utils.setup_notebook(tensorflow=True)
import keras  # noqa: E402  (after the set-up call, which imports TensorFlow)

# ----------------------------------------------------------------------------------------
# a correct reference, written here, and its typical wrong variants


def djmodel(Tx, LSTM_cell, densor, reshaper, mistake=None):
    n_values, n_a = densor.units, LSTM_cell.units
    X = keras.Input(shape=(Tx, n_values))
    a0, c0 = keras.Input(shape=(n_a,)), keras.Input(shape=(n_a,))
    a, c, outputs = a0, c0, []
    for t in range(Tx):
        x = reshaper(X[:, 0 if mistake == "first_input" else t, :])
        cell = keras.layers.LSTM(n_a, return_state=True) if mistake == "new_cell" else LSTM_cell
        if mistake == "no_states":
            _, a, c = cell(x)
        elif mistake == "reset_states":
            _, a, c = cell(x, initial_state=[a0, c0])
        else:
            _, a, c = cell(x, initial_state=[a, c])
        outputs.append(densor(a))
    if mistake == "last_only":
        outputs = outputs[-1:]
    return keras.Model(inputs=[X, a0, c0], outputs=outputs)


def music_inference_model(LSTM_cell, densor, Ty=100, mistake=None):
    n_values, n_a = densor.units, LSTM_cell.units
    x0 = keras.Input(shape=(1, n_values))
    a0, c0 = keras.Input(shape=(n_a,)), keras.Input(shape=(n_a,))
    axis = 0 if mistake == "wrong_axis" else -1
    to_one_hot = keras.layers.Lambda(
        lambda p: keras.ops.one_hot(keras.ops.argmax(p, axis=axis), n_values))
    reshape = keras.layers.Reshape((1, n_values))
    x, a, c, outputs = x0, a0, c0, []
    for _ in range(Ty):
        _, a, c = LSTM_cell(x, initial_state=[a, c])
        out = densor(a)
        outputs.append(out)
        if mistake == "probabilities":
            x = reshape(out)
        elif mistake != "no_feedback":
            x = reshape(to_one_hot(out))
    return keras.Model(inputs=[x0, a0, c0], outputs=outputs)


def predict_and_sample(model, x, a, c, mistake=None):
    if mistake == "swapped":
        a, c = c, a
    pred = np.stack([np.asarray(p) for p in model.predict([x, a, c], verbose=0)])
    if mistake == "wrong_axis":
        indices = np.argmax(pred, axis=0)
    else:
        indices = np.argmax(pred, axis=-1)
    if mistake == "probabilities":
        return pred[:, 0, :], indices
    if mistake == "flat_indices":
        return np.eye(x.shape[-1])[indices[:, 0]], indices.ravel()
    return np.eye(x.shape[-1])[indices[:, 0]], indices


# ----------------------------------------------------------------------------------------


def test_correct_reference_passes(capsys):
    check.djmodel(djmodel)
    check.music_inference_model(music_inference_model)
    check.predict_and_sample(predict_and_sample)
    out = capsys.readouterr().out
    for name in ("djmodel", "music_inference_model", "predict_and_sample"):
        assert f"{name}: all " in out


@pytest.mark.parametrize("mistake, message", [
    ("new_cell", "trainable weights"),
    ("reset_states", "started again from a0 and c0"),
    ("no_states", "ignored a0 and c0"),
    ("first_input", "X\\[:, 0, :\\]"),
    ("last_only", "number of model outputs"),
])
def test_djmodel_mistakes_fail(mistake, message):
    with pytest.raises(CheckFailure, match=message):
        check.djmodel(lambda *args: djmodel(*args, mistake=mistake))


@pytest.mark.parametrize("mistake, message", [
    ("probabilities", "fed the probabilities back"),
    ("no_feedback", "every step read x0"),
    ("wrong_axis", "axis"),
])
def test_music_inference_model_mistakes_fail(mistake, message):
    with pytest.raises(CheckFailure, match=message):
        check.music_inference_model(
            lambda cell, densor, Ty=100: music_inference_model(cell, densor, Ty, mistake))


@pytest.mark.parametrize("mistake, message", [
    ("swapped", "swapped"),
    ("wrong_axis", "shape of indices"),
    ("flat_indices", "shape of indices"),
    ("probabilities", "one-hot"),
])
def test_predict_and_sample_mistakes_fail(mistake, message):
    with pytest.raises(CheckFailure, match=message):
        check.predict_and_sample(lambda *args: predict_and_sample(*args, mistake=mistake))


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, ["djmodel", "music_inference_model", "predict_and_sample"])


# ----------------------------------------------------------------------------------------
# verdicts on the notebook's results of training

HISTORY = {"val_loss": np.array([3.0, 2.6, 2.4, 2.254, 2.3], dtype=np.float32), "best_epoch": 4}


def test_live_training_verdict(capsys):
    check.live_training([3.484, 2.870], [3.210, 2.820])
    assert "all 4 verdicts hold" in capsys.readouterr().out


@pytest.mark.parametrize(("train", "val", "word"), [
    ([4.306, 3.626], [3.866, 3.689], "learning rate"),   # Adam 0.0002 instead of 0.002
    ([69.7, 57.4], [64.2, 56.4], "divided by Tx"),       # Keras's summed loss, not per token
])
def test_live_training_verdict_fails(train, val, word):
    with pytest.raises(CheckFailure, match=word):
        check.live_training(train, val)


def test_loaded_weights_verdict(capsys):
    check.loaded_weights(2.2541, HISTORY, [3.210, 2.820])
    assert "all 3 verdicts hold" in capsys.readouterr().out


def test_loaded_weights_verdict_fails_when_the_weights_were_not_loaded():
    with pytest.raises(CheckFailure, match="not loaded"):
        check.loaded_weights(2.820, HISTORY, [3.210, 2.820])
