"""The week-3 batch-norm checks pass a correct layer and catch the typical mistakes."""

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented
from utils.checks import c2w3_batch_normalization as check
from utils.checks.harness import CheckFailure

# ----------------------------------------------------------------------------------------
# a correct reference, written here, and variants with one mistake each


def make_forward(axis=1, ddof=0, use_epsilon=True, test_uses_batch=False, swap_momentum=False,
                 running_ddof=0, update_in_test=False, keepdims=True, in_place=False,
                 new_dict=False):
    def forward(Z, gamma, beta, running, mode="train", momentum=0.9, epsilon=1e-5):
        batch_mean = np.mean(Z, axis=axis, keepdims=keepdims)
        batch_var = np.var(Z, axis=axis, ddof=ddof, keepdims=keepdims)
        if mode == "train" or update_in_test:
            keep = 1 - momentum if swap_momentum else momentum
            running_var = np.var(Z, axis=axis, ddof=running_ddof, keepdims=keepdims)
            if in_place:  # update the caller's arrays themselves, as Keras and PyTorch do
                running["mean"] *= keep
                running["mean"] += (1 - keep) * batch_mean
                running["var"] *= keep
                running["var"] += (1 - keep) * running_var
            elif new_dict:  # binds the local name to a new dictionary: the caller never sees it
                running = {"mean": keep * running["mean"] + (1 - keep) * batch_mean,
                           "var": keep * running["var"] + (1 - keep) * running_var}
            else:
                running["mean"] = keep * running["mean"] + (1 - keep) * batch_mean
                running["var"] = keep * running["var"] + (1 - keep) * running_var
        if mode == "train" or test_uses_batch:
            mean, var = batch_mean, batch_var
        else:
            mean, var = running["mean"], running["var"]
        std = np.sqrt(var + epsilon) if use_epsilon else np.sqrt(var)
        Z_hat = (Z - mean) / std
        return gamma * Z_hat + beta, (Z_hat, gamma, std)

    return forward


def make_backward(mean_term=True, var_term=True, sum_axis=1, reduce="sum"):
    def backward(dout, cache):
        Z_hat, gamma, std = cache
        total = np.sum if reduce == "sum" else np.mean
        dbeta = total(dout, axis=sum_axis, keepdims=True)
        dgamma = total(dout * Z_hat, axis=sum_axis, keepdims=True)
        dZ_hat = dout * gamma
        dZ = dZ_hat.copy()
        if mean_term:
            dZ = dZ - dZ_hat.mean(axis=1, keepdims=True)
        if var_term:
            dZ = dZ - Z_hat * (dZ_hat * Z_hat).mean(axis=1, keepdims=True)
        return dZ / std, dgamma, dbeta

    return backward


def test_reference_passes(capsys):
    check.batchnorm_forward(make_forward())
    check.batchnorm_backward(make_backward())
    out = capsys.readouterr().out
    assert "batchnorm_forward: all" in out and "batchnorm_backward: all" in out


def test_in_place_update_of_the_running_statistics_is_correct(capsys):
    """The contract is what the dictionary holds after a train call: new arrays under the
    keys or the same arrays updated in place (*=, +=) are both right, and both pass."""
    check.batchnorm_forward(make_forward(in_place=True))
    assert "batchnorm_forward: all" in capsys.readouterr().out


def test_in_place_update_changes_the_callers_arrays_and_keeps_its_memory():
    forward = make_forward(in_place=True)
    mean, var = np.zeros((2, 1)), np.ones((2, 1))
    running = {"mean": mean, "var": var}
    Z = np.array([[1.0, 3.0, 5.0, 7.0], [2.0, 2.0, 2.0, 2.0]])
    for _ in range(2):
        forward(Z, np.ones((2, 1)), np.zeros((2, 1)), running, momentum=0.75)
    assert running["mean"] is mean  # updated in place
    np.testing.assert_allclose(mean, [[0.4375 * 4.0], [0.4375 * 2.0]])  # (1 - 0.75 ** 2) * mu


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, ["batchnorm_forward", "batchnorm_backward"])


@pytest.mark.parametrize(("mistake", "words"), [
    (dict(axis=0), "axis"),
    (dict(ddof=1), "unbiased"),
    (dict(use_epsilon=False), "epsilon"),
    (dict(test_uses_batch=True), "running"),
    (dict(swap_momentum=True), "momentum"),
    (dict(running_ddof=1), "biased"),
    (dict(update_in_test=True), "running"),
    (dict(keepdims=False), "keepdims"),
    # named mistake: `running = {...}` rebinds the local name; the caller's dict stays as it was
    (dict(new_dict=True), "caller's dictionary still holds the old value"),
])
def test_forward_mistakes_are_caught(mistake, words):
    with pytest.raises(CheckFailure, match=words), np.errstate(all="ignore"):
        check.batchnorm_forward(make_forward(**mistake))


@pytest.mark.parametrize(("mistake", "words"), [
    (dict(mean_term=False, var_term=False), "depend on every entry"),
    (dict(var_term=False), "variance is missing"),
    (dict(mean_term=False), "mean is missing"),
    (dict(sum_axis=0), "axis=1"),
    (dict(reduce="mean"), "do not average"),
])
def test_backward_mistakes_are_caught(mistake, words):
    with pytest.raises(CheckFailure, match=words):
        check.batchnorm_backward(make_backward(**mistake))


# ----------------------------------------------------------------------------------------
# verdicts on the training results: measured with the notebook's code, seed 0, natively


def lr_histories(changes=None):
    def history(loss1, loss12, dev):
        return {"loss": [loss1] + [0.3] * 10 + [loss12], "dev_accuracy": [0.5] * 11 + [dev]}

    runs = {
        (0.1, False): (0.5413, 0.0522, 0.9565),
        (0.1, True): (0.4413, 0.0157, 0.9530),
        (1.0, False): (0.7588, 0.6941, 0.5000),
        (1.0, True): (0.3166, 0.0176, 0.9635),
        (2.0, False): (float("nan"), float("nan"), float("nan")),
    }
    runs.update(changes or {})
    return {key: history(*values) for key, values in runs.items()}


def test_learning_rate_runs_hold_on_the_measured_results(capsys):
    check.learning_rate_runs(lr_histories(), 0)
    out = capsys.readouterr().out
    assert "lr 1, batch norm: all 4 verdicts hold" in out and "lr 2, plain" in out
    assert "0.5413" not in out and "0.953" not in out


@pytest.mark.parametrize(("changes", "active", "words"), [
    # the shortcut backward (dZ = dout * gamma / std): slow to fit at lr 0.1
    ({(0.1, True): (0.4661, 0.1258, 0.9195)}, 0, "batchnorm_backward is incomplete"),
    # the forward never stores the running statistics: test mode is wrong
    ({(0.1, True): (0.4413, 0.0157, 0.6385)}, 0, "running statistics"),
    # backward without the mean term: worse at lr 1
    ({(1.0, True): (0.3546, 0.0695, 0.8375)}, 0, "batchnorm_backward is incomplete"),
    # the learning rate ignored (lr 1 behaves like lr 0.1): the layer stays alive
    ({(1.0, False): (0.7588, 0.2, 0.9)}, 55, "at most 32"),
    # a dead layer, yet not a constant prediction: the count or the accuracy is wrong
    ({(1.0, False): (0.7588, 0.6941, 0.52)}, 0, "exactly 0.5"),
    # the plain network at lr 2 did not blow up
    ({(2.0, False): (0.69, 0.69, 0.5)}, 0, "not finite"),
])
def test_learning_rate_runs_fail_on_broken_results(changes, active, words):
    with pytest.raises(CheckFailure) as failure:
        check.learning_rate_runs(lr_histories(changes), active)
    assert words in str(failure.value), str(failure.value)


GRID = np.column_stack([axis.ravel() for axis in np.meshgrid(np.logspace(-3, 1, 3),
                                                              np.logspace(-8, -2, 3))])
GRID_SCORES = np.array([0.524, 0.9325, 0.814, 0.524, 0.934, 0.858, 0.5245, 0.933, 0.845])
RANDOM = np.column_stack([[0.0022, 0.0089, 1.6036, 0.2131, 0.0024, 0.054, 0.0825, 0.0044,
                           0.8676], [5e-8, 2e-6, 1e-5, 4e-6, 3e-5, 3e-4, 5e-3, 5e-7, 8e-5]])
RANDOM_SCORES = np.array([0.5845, 0.8215, 0.9495, 0.9445, 0.596, 0.9135, 0.9265, 0.7085,
                          0.9585])


def test_search_results_hold_on_the_measured_results(capsys):
    check.search_results(GRID, GRID_SCORES, RANDOM, RANDOM_SCORES)
    out = capsys.readouterr().out
    assert "grid search: all 4 verdicts hold" in out
    assert "random search: all 3 verdicts hold" in out and "0.9585" not in out


def _shortcut_scores():
    # the shortcut backward, measured: grid at lr 0.1 about 0.910, random best 0.931
    grid = GRID_SCORES.copy()
    grid[[1, 4, 7]] = [0.9100, 0.9095, 0.9110]
    rand = RANDOM_SCORES.copy()
    rand[[2, 3, 8]] = [0.8130, 0.9310, 0.9265]
    return grid, rand


def test_search_results_fail_on_the_shortcut_backward():
    grid, rand = _shortcut_scores()
    with pytest.raises(CheckFailure, match="batchnorm_backward is incomplete"):
        check.search_results(GRID, grid, RANDOM, rand)


def test_search_results_fail_when_epsilon_changes_the_score():
    grid = GRID_SCORES.copy()
    grid[4] = 0.9150 + 0.03
    grid[1] = 0.9160
    with pytest.raises(CheckFailure, match="epsilon"):
        check.search_results(GRID, grid, RANDOM, RANDOM_SCORES)
