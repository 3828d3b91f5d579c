"""Small scikit-learn models and deterministic measures of what they cost.

Course 3 compares models not only by how well they predict but by how much they cost to
store and to run. Wall-clock time depends on the machine and on whatever else it is doing,
so the costs here are counted instead of timed:

- ``model_size(model)``: how many numbers the fitted model must keep to make predictions;
- ``prediction_ops(model, X)``: the work for one prediction, averaged over the rows of
  ``X``: multiply-adds for linear models, MLPs and k-NN, comparisons for trees and forests.

``fit_models`` trains a dictionary of models on one CPU thread, with convergence warnings
silenced, so a notebook's table of models is the same from run to run (on another CPU a
score may still differ in the last digit: notebooks check such results with verdicts).
"""

import warnings

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits


def fit_models(models, X, y):
    """Fit every model of the dict ``models`` on ``(X, y)`` and return the same dict.

    Training runs with one BLAS thread (faster than two on a busy 2-core machine, and
    independent of the core count). ConvergenceWarning is silenced because the notebooks cap
    iterations on purpose (to stay within the time budget, with verdict bands measured at
    those caps) and say so where they build the models.
    """
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for model in models.values():
            model.fit(X, y)
    return models


def _tree_size(tree):
    """Numbers a fitted sklearn tree keeps: feature and threshold per split, class scores
    per leaf."""
    structure = tree.tree_
    is_leaf = structure.children_left == -1
    n_classes = structure.value.shape[-1]
    return int(2 * np.sum(~is_leaf) + n_classes * np.sum(is_leaf))


def model_size(model):
    """How many numbers a fitted classifier stores to make predictions.

    Linear models and MLPs: weights plus biases. k-NN: every stored training pixel plus one
    label per stored example. Trees: a feature index and a threshold per split plus one score
    per class per leaf, summed over the trees of a forest. SVC: the support vectors, their
    coefficients and the intercepts.
    """
    if isinstance(model, LogisticRegression):
        return int(model.coef_.size + model.intercept_.size)
    if isinstance(model, MLPClassifier):
        return int(sum(w.size for w in model.coefs_) + sum(b.size for b in model.intercepts_))
    if isinstance(model, KNeighborsClassifier):
        return int(model.n_samples_fit_ * (model.n_features_in_ + 1))
    if isinstance(model, DecisionTreeClassifier):
        return _tree_size(model)
    if isinstance(model, RandomForestClassifier):
        return int(sum(_tree_size(tree) for tree in model.estimators_))
    if isinstance(model, SVC):
        return int(model.support_vectors_.size + model.dual_coef_.size + model.intercept_.size)
    raise TypeError(f"model_size does not know how to measure a {type(model).__name__}")


def _mean_comparisons(tree, X):
    """Average number of split tests on the path from the root to a leaf, over rows of X."""
    visited = tree.decision_path(X).sum(axis=1)  # nodes on each path, leaf included
    return float(np.mean(np.asarray(visited).ravel() - 1))


def prediction_ops(model, X):
    """Operations one prediction costs, averaged over the rows of ``X`` and rounded.

    Linear models: one multiply-add per weight. MLPs: one per weight of every layer (the
    activations are not counted). k-NN (brute force): one multiply-add per pixel of every
    stored example, to get the squared distances. Trees: the number of comparisons on the
    path to a leaf, which depends on the input, hence the average over ``X``; forests add up
    their trees. SVC: one multiply-add per pixel of every support vector (the kernel).
    """
    X = np.asarray(X)
    if isinstance(model, LogisticRegression):
        return int(model.coef_.size)
    if isinstance(model, MLPClassifier):
        return int(sum(w.size for w in model.coefs_))
    if isinstance(model, KNeighborsClassifier):
        return int(model.n_samples_fit_ * model.n_features_in_)
    if isinstance(model, DecisionTreeClassifier):
        return int(round(_mean_comparisons(model, X)))
    if isinstance(model, RandomForestClassifier):
        return int(round(sum(_mean_comparisons(tree, X) for tree in model.estimators_)))
    if isinstance(model, SVC):
        return int(model.support_vectors_.size)
    raise TypeError(f"prediction_ops does not know how to measure a {type(model).__name__}")
