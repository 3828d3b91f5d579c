"""model_size and prediction_ops count what they say on models small enough to count by hand."""

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from utils.models.model_zoo import fit_models, model_size, prediction_ops


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 5))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    return X, y


def test_fit_models_fits_every_model_and_returns_the_dict(data):
    X, y = data
    models = {"lr": LogisticRegression(), "mlp": MLPClassifier((3,), max_iter=5, random_state=0)}
    assert fit_models(models, X, y) is models
    assert all(hasattr(m, "classes_") for m in models.values())


def test_linear_and_mlp_counts(data):
    X, y = data
    models = fit_models({"lr": LogisticRegression(),
                         "mlp": MLPClassifier((4, 3), max_iter=20, random_state=0)}, X, y)
    assert model_size(models["lr"]) == 5 + 1
    assert prediction_ops(models["lr"], X) == 5
    # 5 -> 4 -> 3 -> 1 (binary output): weights 20 + 12 + 3, biases 4 + 3 + 1
    assert model_size(models["mlp"]) == 35 + 8
    assert prediction_ops(models["mlp"], X) == 35


def test_knn_counts_every_stored_pixel(data):
    X, y = data
    knn = fit_models({"knn": KNeighborsClassifier(3)}, X, y)["knn"]
    assert model_size(knn) == 60 * (5 + 1)
    assert prediction_ops(knn, X) == 60 * 5


def test_tree_and_forest_count_comparisons_on_the_path():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 0, 1, 1])
    stump = DecisionTreeClassifier(random_state=0).fit(X, y)  # one split, two leaves
    assert stump.tree_.node_count == 3
    assert prediction_ops(stump, X) == 1
    assert model_size(stump) == 2 + 2 * 2  # feature + threshold, two classes per leaf
    forest = RandomForestClassifier(7, max_depth=1, bootstrap=False, random_state=0).fit(X, y)
    assert prediction_ops(forest, X) == 7
    assert model_size(forest) == 7 * model_size(stump)


def test_svc_counts_support_vectors(data):
    X, y = data
    svc = SVC().fit(X, y)
    n_support = svc.support_vectors_.shape[0]
    assert prediction_ops(svc, X) == n_support * 5
    assert model_size(svc) == n_support * 5 + n_support + 1


def test_unknown_model_raises_type_error(data):
    with pytest.raises(TypeError, match="does not know"):
        model_size(object())
    with pytest.raises(TypeError, match="does not know"):
        prediction_ops(object(), data[0])
