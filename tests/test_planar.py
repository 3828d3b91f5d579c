"""The flower generator: shapes, balance, determinism, difficulty and argument errors."""

import numpy as np
import pytest

from utils.data.planar import make_flower


def test_shapes_and_types():
    X, Y = make_flower(m=50)
    assert X.shape == (2, 50) and X.dtype == np.float64
    assert Y.shape == (1, 50) and Y.dtype == np.int64
    assert set(np.unique(Y)) == {0, 1}
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize(("m", "petals"), [(400, 6), (401, 6), (37, 4), (10, 2), (2, 8)])
def test_classes_are_balanced(m, petals):
    _, Y = make_flower(m=m, petals=petals)
    counts = np.bincount(Y.ravel(), minlength=2)
    assert counts.sum() == m
    assert abs(counts[0] - counts[1]) <= 1


def test_same_seed_same_data_and_different_seed_different_data():
    X1, Y1 = make_flower(seed=7)
    X2, Y2 = make_flower(seed=7)
    X3, _ = make_flower(seed=8)
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)
    assert not np.allclose(X1, X3)


def test_does_not_touch_global_random_state():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    make_flower()
    assert np.array_equal(np.random.get_state()[1], before)


def test_without_noise_points_stay_inside_their_petal():
    petals, radius = 6, 4.0
    X, Y = make_flower(m=600, petals=petals, noise=0.0, radius=radius, seed=3)
    r = np.hypot(X[0], X[1])
    assert r.max() <= radius + 1e-12
    # angle measured from the nearest petal centre: within half a petal's width
    theta = np.arctan2(X[1], X[0])
    petal = np.round(theta / (2 * np.pi / petals)).astype(int) % petals
    assert np.array_equal(petal % 2, Y.ravel())


def test_radius_scales_the_flower():
    X_small, _ = make_flower(noise=0.0, radius=1.0, seed=1)
    X_large, _ = make_flower(noise=0.0, radius=3.0, seed=1)
    np.testing.assert_allclose(X_large, 3.0 * X_small)


def test_classes_are_centred_so_a_linear_model_cannot_separate_them():
    from sklearn.linear_model import LogisticRegression

    X, Y = make_flower(m=400, petals=6)
    for label in (0, 1):
        assert np.linalg.norm(X[:, Y[0] == label].mean(axis=1)) < 0.4
    accuracy = LogisticRegression().fit(X.T, Y.ravel()).score(X.T, Y.ravel())
    assert accuracy < 0.65


def test_two_petals_are_linearly_separable_without_noise():
    X, Y = make_flower(m=200, petals=2, noise=0.0)
    assert np.all((X[0] > 0) == (Y[0] == 0))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"m": 1}, ValueError, "m must be at least 2"),
        ({"m": 10.0}, TypeError, "m must be an integer"),
        ({"m": True}, TypeError, "m must be an integer"),
        ({"petals": 5}, ValueError, "petals must be even"),
        ({"petals": 0}, ValueError, "petals must be at least 2"),
        ({"petals": "4"}, TypeError, "petals must be an integer"),
        ({"noise": -0.1}, ValueError, "noise must be a finite number >= 0"),
        ({"noise": float("nan")}, ValueError, "noise must be a finite number"),
        ({"noise": None}, TypeError, "noise must be a real number"),
        ({"radius": 0.0}, ValueError, "radius must be a finite number > 0"),
        ({"radius": float("inf")}, ValueError, "radius must be a finite number"),
        ({"seed": -1}, ValueError, "seed must be at least 0"),
        ({"seed": 1.5}, TypeError, "seed must be an integer"),
    ],
)
def test_bad_arguments_give_clear_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        make_flower(**kwargs)


def test_numpy_integers_are_accepted():
    X, Y = make_flower(m=np.int64(20), petals=np.int32(4), noise=np.float32(0.1),
                       seed=np.int64(3))
    assert X.shape == (2, 20) and Y.shape == (1, 20)
