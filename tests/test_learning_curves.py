"""Learning curves: error rates, nested subsets, determinism, argument errors and the plot."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.neighbors import KNeighborsClassifier

from utils.models.learning_curves import error_rate, learning_curve, plot_learning_curve


def _data(seed=0, m=120):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, 3))
    y = (X[:, 0] + 0.5 * rng.standard_normal(m) > 0).astype(int)
    return X, y


class _Recorder:
    """A model that remembers the rows it was trained on and predicts 0."""

    seen = []

    def fit(self, X, y):
        _Recorder.seen.append(X.copy())
        return self

    def predict(self, X):
        return np.zeros(len(X), dtype=int)


def test_error_rate_counts_mismatches():
    model = DummyClassifier(strategy="constant", constant=1).fit([[0], [1]], [0, 1])
    assert error_rate(model, np.zeros((4, 1)), np.array([1, 0, 1, 1])) == 0.25
    assert error_rate(model, np.zeros((2, 1)), np.array([[1, 1]])) == 0.0  # a (1, m) row


def test_curve_shapes_and_one_nearest_neighbour_memorises():
    X, y = _data()
    Xd, yd = _data(seed=1, m=50)
    curve = learning_curve(lambda: KNeighborsClassifier(1), X, y, Xd, yd, [10, 40, 120])
    assert curve["sizes"].tolist() == [10, 40, 120]
    assert curve["train"].shape == (3,) and curve["dev"].shape == (3,)
    assert np.all(curve["train"] == 0.0)  # 1-NN recalls every training label
    assert np.all((curve["dev"] >= 0) & (curve["dev"] <= 1))


def test_subsets_are_nested_and_seeded():
    X, y = _data()
    _Recorder.seen = []
    learning_curve(_Recorder, X, y, X, y, [5, 20, 60], seed=3)
    small, middle, large = _Recorder.seen
    assert len(small) == 5 and len(middle) == 20 and len(large) == 60
    assert np.array_equal(middle[:5], small) and np.array_equal(large[:20], middle)
    _Recorder.seen = []
    learning_curve(_Recorder, X, y, X, y, [5], seed=3)
    assert np.array_equal(_Recorder.seen[0], small)


def test_same_seed_same_curve():
    X, y = _data()
    make = lambda: KNeighborsClassifier(5)  # noqa: E731
    a = learning_curve(make, X, y, X[:30], y[:30], [20, 80], seed=1)
    b = learning_curve(make, X, y, X[:30], y[:30], [20, 80], seed=1)
    assert np.array_equal(a["train"], b["train"]) and np.array_equal(a["dev"], b["dev"])


@pytest.mark.parametrize("sizes", [[0, 10], [10, 121], [], [[10]]])
def test_bad_sizes_raise(sizes):
    X, y = _data()
    with pytest.raises(ValueError):
        learning_curve(_Recorder, X, y, X, y, sizes)


def test_plot_has_log_axis_three_lines_and_gap_labels():
    curve = {"sizes": np.array([10, 100, 1000]), "train": np.array([0.0, 0.0, 0.0]),
             "dev": np.array([0.4, 0.3, 0.2])}
    fig, ax = plt.subplots()
    plot_learning_curve(curve, 0.1, ax, title="demo")
    assert ax.get_xscale() == "log"
    assert len(ax.get_lines()) == 3
    assert ax.get_title() == "demo"
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "variance" in texts and "bias" in texts
    plt.close(fig)


def test_repeats_average_over_permutations_and_full_size_is_trained_once():
    X, y = _data()
    _Recorder.seen = []
    learning_curve(_Recorder, X, y, X, y, [10, 120], seed=0, repeats=3)
    assert [len(rows) for rows in _Recorder.seen] == [10, 10, 10, 120]
    assert not np.array_equal(_Recorder.seen[0], _Recorder.seen[1])
    make = lambda: KNeighborsClassifier(3)  # noqa: E731
    single = [learning_curve(make, X, y, X[:40], y[:40], [30], seed=0, repeats=1)]
    averaged = learning_curve(make, X, y, X[:40], y[:40], [30], seed=0, repeats=2)
    rng = np.random.default_rng(0)
    orders = [rng.permutation(len(y)) for _ in range(2)]
    by_hand = []
    for order in orders:
        model = make().fit(X[order[:30]], y[order[:30]])
        by_hand.append(error_rate(model, X[:40], y[:40]))
    assert np.isclose(averaged["dev"][0], np.mean(by_hand))
    assert np.isclose(single[0]["dev"][0], by_hand[0])
    with pytest.raises(ValueError):
        learning_curve(make, X, y, X, y, [10], repeats=0)
