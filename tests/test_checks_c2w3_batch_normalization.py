"""The week-3 batch-norm checks pass a correct layer and catch the typical mistakes."""

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented
from utils.checks import c2w3_batch_normalization as check
from utils.checks.harness import CheckFailure

# ----------------------------------------------------------------------------------------
# a correct reference, written here, and variants with one mistake each


def make_forward(axis=1, ddof=0, use_epsilon=True, test_uses_batch=False, swap_momentum=False,
                 running_ddof=0, update_in_test=False, keepdims=True):
    def forward(Z, gamma, beta, running, mode="train", momentum=0.9, epsilon=1e-5):
        batch_mean = np.mean(Z, axis=axis, keepdims=keepdims)
        batch_var = np.var(Z, axis=axis, ddof=ddof, keepdims=keepdims)
        if mode == "train" or update_in_test:
            keep = 1 - momentum if swap_momentum else momentum
            running["mean"] = keep * running["mean"] + (1 - keep) * batch_mean
            running["var"] = keep * running["var"] + (1 - keep) * np.var(
                Z, axis=axis, ddof=running_ddof, keepdims=keepdims)
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
