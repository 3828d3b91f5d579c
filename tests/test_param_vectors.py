"""utils.models.param_vectors: a fixed layout, exact round trips, copies rather than views."""

import numpy as np
import pytest

from utils.models.param_vectors import (
    gradients_to_vector,
    ordered_keys,
    parameters_to_vector,
    vector_to_parameters,
)


def _parameters():
    # filled in a scrambled order on purpose: the layout must not depend on it
    return {
        "b2": np.array([[7.0]]),
        "W10": np.array([[8.0, 9.0]]),
        "W1": np.array([[1.0, 2.0], [3.0, 4.0]]),
        "W2": np.array([[5.0, 6.0]]),
        "b1": np.array([[10.0], [11.0]]),
    }


def test_keys_are_ordered_by_layer_then_name():
    assert ordered_keys(_parameters()) == ["W1", "b1", "W2", "b2", "W10"]
    assert ordered_keys({"b": 0, "W": 0}) == ["W", "b"]


def test_parameters_to_vector_layout():
    theta = parameters_to_vector(_parameters())
    assert theta.shape == (11, 1)
    # W1 row by row, then b1, W2, b2, W10
    np.testing.assert_array_equal(theta.ravel(), [1, 2, 3, 4, 10, 11, 5, 6, 7, 8, 9])


def test_round_trip_and_copies():
    parameters = _parameters()
    theta = parameters_to_vector(parameters)
    back = vector_to_parameters(theta, parameters)
    assert sorted(back) == sorted(parameters)
    for key in parameters:
        np.testing.assert_array_equal(back[key], parameters[key])
        assert back[key].shape == parameters[key].shape
    theta[0, 0] = -100.0
    assert back["W1"][0, 0] == 1.0          # not a view of theta
    back["W1"][0, 0] = 42.0
    assert parameters["W1"][0, 0] == 1.0    # the template is untouched
    np.testing.assert_array_equal(parameters_to_vector(vector_to_parameters(
        parameters_to_vector(parameters), parameters)), parameters_to_vector(parameters))


def test_gradients_follow_parameter_layout_and_ignore_extras():
    parameters = _parameters()
    gradients = {"d" + key: -value for key, value in reversed(list(parameters.items()))}
    gradients["dZ1"] = np.ones((5, 5))
    gradients["dA0"] = np.ones((2, 3))
    np.testing.assert_array_equal(gradients_to_vector(gradients, parameters),
                                  -parameters_to_vector(parameters))


def test_helpful_errors():
    parameters = _parameters()
    gradients = {"d" + key: value for key, value in parameters.items()}
    del gradients["db1"]
    with pytest.raises(KeyError, match="db1"):
        gradients_to_vector(gradients, parameters)
    gradients["db1"] = np.zeros((1, 2))
    with pytest.raises(ValueError, match="shape"):
        gradients_to_vector(gradients, parameters)
    with pytest.raises(ValueError, match="11"):
        vector_to_parameters(np.zeros((10, 1)), parameters)
