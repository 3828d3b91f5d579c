"""Unit tests of utils.models.char_rnn, the numpy character-level language model and its data."""

import math

import numpy as np
import pytest

from utils.checks.oracles import numeric_gradient, relative_difference
from utils.data import names as names_module
from utils.data.manifest import DataFileError
from utils.models import char_rnn

PARAMETER_KEYS = ("Wax", "Waa", "Wya", "b", "by")

# ----------------------------------------------------------------------------------- data


def test_load_names_reads_the_census_first_names():
    names = names_module.load_names()
    assert len(names) == 5163
    assert names == sorted(set(names))
    assert set("".join(names)) <= set("abcdefghijklmnopqrstuvwxyz")
    assert {"james", "mary", "robert", "patricia"} <= set(names)
    assert min(map(len, names)) >= 2 and max(map(len, names)) <= 11


def test_load_names_says_how_to_install_a_missing_package(monkeypatch):
    def missing(module, package):
        raise DataFileError(f"{module} is not importable: install the pinned {package}")

    monkeypatch.setattr(names_module, "import_packaged", missing)
    with pytest.raises(DataFileError, match="install the pinned names"):
        names_module.load_names()


def test_vocabulary_encode_and_decode():
    char_to_ix, ix_to_char = char_rnn.vocabulary()
    assert len(char_to_ix) == len(ix_to_char) == 27
    assert char_to_ix["\n"] == 0 and char_to_ix["a"] == 1 and char_to_ix["z"] == 26
    assert all(ix_to_char[i] == ch for ch, i in char_to_ix.items())
    X, Y = char_rnn.encode("ada", char_to_ix)
    assert X == [None, 1, 4, 1] and Y == [1, 4, 1, 0]
    assert char_rnn.decode(Y, ix_to_char) == "ada\n"


# -------------------------------------------------------------------------------- network


def _parameters(n_a=5, vocab=7, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "Wax": rng.standard_normal((n_a, vocab)) * 0.8,
        "Waa": rng.standard_normal((n_a, n_a)) * 0.5,
        "Wya": rng.standard_normal((vocab, n_a)),
        "b": rng.standard_normal((n_a, 1)) * 0.3,
        "by": rng.standard_normal((vocab, 1)),
    }


SEQUENCE_X = [None, 3, 1, 4, 1, 5]
SEQUENCE_Y = [3, 1, 4, 1, 5, 0]


def test_initialize_parameters_shapes_and_scale():
    parameters = char_rnn.initialize_parameters(50, 27, 27, seed=1)
    shapes = {"Wax": (50, 27), "Waa": (50, 50), "Wya": (27, 50), "b": (50, 1), "by": (27, 1)}
    assert {k: v.shape for k, v in parameters.items()} == shapes
    assert np.all(parameters["b"] == 0) and np.all(parameters["by"] == 0)
    assert 0.008 < np.std(parameters["Wax"]) < 0.012
    again = char_rnn.initialize_parameters(50, 27, 27, seed=1)
    assert all(np.array_equal(parameters[k], again[k]) for k in PARAMETER_KEYS)


def test_softmax_columns_sum_to_one_and_survive_large_scores():
    z = np.array([[1000.0, 0.0], [1001.0, 1.0], [999.0, -1.0]])
    p = char_rnn.softmax(z)
    assert np.allclose(p.sum(axis=0), 1.0)
    assert np.allclose(p[:, 0], p[:, 1])
    assert np.all(np.isfinite(p))


def test_rnn_step_forward_matches_its_formula():
    parameters = _parameters()
    a_prev = np.linspace(-0.5, 0.5, 5).reshape(5, 1)
    x = char_rnn.one_hot(2, 7)
    a_next, p = char_rnn.rnn_step_forward(parameters, a_prev, x)
    expected_a = np.tanh(parameters["Wax"][:, [2]] + parameters["Waa"] @ a_prev
                         + parameters["b"])
    scores = parameters["Wya"] @ expected_a + parameters["by"]
    assert np.allclose(a_next, expected_a)
    assert np.allclose(p, np.exp(scores) / np.exp(scores).sum())


def _loss_step_by_step(parameters, a0):
    a, loss = a0, 0.0
    for x_index, y_index in zip(SEQUENCE_X, SEQUENCE_Y, strict=True):
        a, p = char_rnn.rnn_step_forward(parameters, a, char_rnn.one_hot(x_index, 7))
        loss -= math.log(p[y_index, 0])
    return loss, a


def test_rnn_forward_equals_the_step_by_step_loop():
    parameters, a0 = _parameters(), np.full((5, 1), 0.2)
    loss, (p, a, x) = char_rnn.rnn_forward(SEQUENCE_X, SEQUENCE_Y, a0, parameters, 7)
    expected_loss, expected_last = _loss_step_by_step(parameters, a0)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    assert np.allclose(a[:, [-1]], expected_last)
    assert p.shape == (7, 6) and a.shape == (5, 7) and x.shape == (7, 6)
    assert np.all(x[:, 0] == 0) and np.all(x.sum(axis=0)[1:] == 1)


def test_rnn_backward_matches_numeric_gradients():
    parameters, a0 = _parameters(), np.full((5, 1), 0.2)
    loss, cache = char_rnn.rnn_forward(SEQUENCE_X, SEQUENCE_Y, a0, parameters, 7)
    gradients, a = char_rnn.rnn_backward(SEQUENCE_X, SEQUENCE_Y, parameters, cache)
    assert sorted(gradients) == sorted("d" + k for k in PARAMETER_KEYS)
    for key in PARAMETER_KEYS:
        def loss_of(value, key=key):
            return char_rnn.rnn_forward(SEQUENCE_X, SEQUENCE_Y, a0,
                                        {**parameters, key: value}, 7)[0]
        numeric = numeric_gradient(loss_of, parameters[key])
        assert relative_difference(gradients["d" + key], numeric) < 1e-7, key
    assert np.allclose(a[-1], a0)
    assert np.allclose(a[len(SEQUENCE_X) - 1], _loss_step_by_step(parameters, a0)[1])


def test_rnn_backward_equals_accumulated_step_backward():
    parameters, a0 = _parameters(), np.full((5, 1), -0.1)
    _, cache = char_rnn.rnn_forward(SEQUENCE_X, SEQUENCE_Y, a0, parameters, 7)
    p, a, x = cache
    gradients = {"d" + k: np.zeros_like(v) for k, v in parameters.items()}
    gradients["da_next"] = np.zeros((5, 1))
    for t in reversed(range(len(SEQUENCE_X))):
        dy = p[:, [t]].copy()
        dy[SEQUENCE_Y[t]] -= 1
        gradients = char_rnn.rnn_step_backward(dy, gradients, parameters, x[:, [t]],
                                               a[:, [t + 1]], a[:, [t]])
    expected, _ = char_rnn.rnn_backward(SEQUENCE_X, SEQUENCE_Y, parameters, cache)
    for key, value in expected.items():
        assert np.allclose(gradients[key], value), key


def test_update_parameters_in_place_steps_downhill_in_the_same_arrays():
    parameters = _parameters()
    arrays = {k: v for k, v in parameters.items()}
    before = {k: v.copy() for k, v in parameters.items()}
    gradients = {"d" + k: np.ones_like(v) for k, v in parameters.items()}
    assert char_rnn.update_parameters_in_place(parameters, gradients, 0.1) is None
    for key in PARAMETER_KEYS:
        assert parameters[key] is arrays[key]
        assert np.allclose(parameters[key], before[key] - 0.1)


def test_a_few_steps_of_gradient_descent_lower_the_loss():
    parameters, a0 = _parameters(), np.zeros((5, 1))
    losses = []
    for _ in range(30):
        loss, cache = char_rnn.rnn_forward(SEQUENCE_X, SEQUENCE_Y, a0, parameters, 7)
        gradients, _ = char_rnn.rnn_backward(SEQUENCE_X, SEQUENCE_Y, parameters, cache)
        char_rnn.update_parameters_in_place(parameters, gradients, 0.05)
        losses.append(loss)
    assert losses[-1] < 0.5 * losses[0]


# --------------------------------------------------------------------------- bookkeeping


def test_smooth_starts_at_the_first_value_and_follows_a_constant():
    assert np.allclose(char_rnn.smooth([3.0] * 10), 3.0)
    curve = char_rnn.smooth([10.0, 0.0, 0.0], beta=0.5)
    assert curve[0] == 10.0 and np.all(np.diff(curve) < 0)


def test_loss_per_character_of_a_uniform_model_is_log_27():
    char_to_ix, _ = char_rnn.vocabulary()
    parameters = char_rnn.initialize_parameters(8, 27, 27)
    parameters["Wya"][:] = 0.0
    assert char_rnn.loss_per_character(parameters, ["ada", "otto"], char_to_ix) == (
        pytest.approx(math.log(27)))
