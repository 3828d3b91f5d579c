"""The week-2 optimisation checks pass correct optimisers and catch typical mistakes."""

import math
from functools import partial

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c2w2_optimization as check
from utils.checks.harness import CheckFailure

# ----------------------------------------------------------------------------------------
# a correct reference, written here (new dictionaries, inputs left alone)


def gd(parameters, grads, learning_rate):
    return {key: value - learning_rate * grads[f"d{key}"] for key, value in parameters.items()}


def mini_batches(X, Y, mini_batch_size=64, seed=0, *, same_perm=True, keep_last=True,
                 shuffle=True, empty_last=False):
    np.random.seed(seed)
    m = X.shape[1]
    order = np.random.permutation(m) if shuffle else np.arange(m)
    other = order if same_perm else np.random.permutation(m)
    X, Y = X[:, order], Y[:, other]
    stops = range(0, m - (m % mini_batch_size if not keep_last else 0), mini_batch_size)
    batches = [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in stops]
    if empty_last and m % mini_batch_size == 0:  # the leftover batch, even when empty
        batches.append((X[:, m:], Y[:, m:]))
    return batches


def zeros_like_grads(parameters):
    return {f"d{key}": np.zeros_like(value) for key, value in parameters.items()}


def momentum(parameters, grads, v, beta, learning_rate, *, damp=True, use_grad=False,
             return_old_v=False):
    new_v = {key: beta * v[key] + ((1 - beta) if damp else 1.0) * grads[key] for key in v}
    step = grads if use_grad else new_v
    new_p = {key: value - learning_rate * step[f"d{key}"] for key, value in parameters.items()}
    return new_p, (v if return_old_v else new_v)


def adam_init(parameters):
    return zeros_like_grads(parameters), zeros_like_grads(parameters)


def adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
         epsilon=1e-8, *, correction=lambda beta, t: 1 - beta ** t, root=np.sqrt,
         eps_inside=False):
    new_v = {key: beta1 * v[key] + (1 - beta1) * grads[key] for key in v}
    new_s = {key: beta2 * s[key] + (1 - beta2) * grads[key] ** 2 for key in s}
    v_hat = {key: value / correction(beta1, t) for key, value in new_v.items()}
    s_hat = {key: value / correction(beta2, t) for key, value in new_s.items()}
    new_p = {}
    for key, value in parameters.items():
        denominator = (root(s_hat[f"d{key}"] + epsilon) if eps_inside
                       else root(s_hat[f"d{key}"]) + epsilon)
        new_p[key] = value - learning_rate * v_hat[f"d{key}"] / denominator
    return new_p, new_v, new_s, v_hat, s_hat


def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate * epoch_num)


def schedule(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * math.floor(epoch_num / time_interval))


REFERENCE = {
    "update_parameters_with_gd": gd,
    "random_mini_batches": mini_batches,
    "initialize_velocity": zeros_like_grads,
    "update_parameters_with_momentum": momentum,
    "initialize_adam": adam_init,
    "update_parameters_with_adam": adam,
    "update_lr": update_lr,
    "schedule_lr_decay": schedule,
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, REFERENCE)


# ----------------------------------------------------------------------------------------
# typical mistakes, each with a phrase the message must contain


def _gd_in_place(parameters, grads, learning_rate):
    for key in parameters:
        parameters[key] -= learning_rate * grads[f"d{key}"]
    return parameters


def _gd_skip_last(parameters, grads, learning_rate):
    L = len(parameters) // 2
    return {key: value - (learning_rate * grads[f"d{key}"] if int(key[1:]) < L else 0)
            for key, value in parameters.items()}


def _momentum_in_place(parameters, grads, v, beta, learning_rate):
    for key in v:
        v[key] *= beta
        v[key] += (1 - beta) * grads[key]
    return {k: p - learning_rate * v[f"d{k}"] for k, p in parameters.items()}, v


def _ignores_seed(X, Y, mini_batch_size=64, seed=0):
    return mini_batches(X, Y, mini_batch_size, seed=1)


def _adam_init_shared(parameters):
    v = zeros_like_grads(parameters)
    return v, v


WRONG = [
    ("update_parameters_with_gd", lambda p, g, lr: gd(p, {k: -x for k, x in g.items()}, lr),
     "minus sign"),
    ("update_parameters_with_gd", _gd_skip_last, "last layer"),
    ("update_parameters_with_gd", _gd_in_place, "new dictionaries"),
    ("random_mini_batches", partial(mini_batches, keep_last=False),
     "dropped the last partial mini-batch"),
    ("random_mini_batches", partial(mini_batches, same_perm=False),
     "same permutation"),
    ("random_mini_batches", partial(mini_batches, shuffle=False),
     "shuffle the columns"),
    ("random_mini_batches", partial(mini_batches, empty_last=True),
     "no extra (empty) batch"),
    ("random_mini_batches", _ignores_seed,
     "np.random.seed(seed)"),
    ("initialize_velocity", lambda p: {k: np.zeros_like(x) for k, x in p.items()}, "keys"),
    ("initialize_velocity", lambda p: {f"d{k}": x for k, x in p.items()}, "zero"),
    ("update_parameters_with_momentum",
     lambda p, g, v, b, lr: momentum(p, g, v, b, lr, damp=False), "(1 - beta) * grad"),
    ("update_parameters_with_momentum",
     lambda p, g, v, b, lr: momentum(p, g, v, b, lr, return_old_v=True),
     "return the updated velocity"),
    ("update_parameters_with_momentum",
     lambda p, g, v, b, lr: momentum(p, g, v, b, lr, use_grad=True), "the new v, not the"),
    ("update_parameters_with_momentum", _momentum_in_place, "new dictionaries"),
    ("initialize_adam", _adam_init_shared, "separately"),
    ("update_parameters_with_adam",
     lambda *a, **k: adam(*a, **k, correction=lambda beta, t: 1.0), "left out the bias"),
    ("update_parameters_with_adam",
     lambda *a, **k: adam(*a, **k, correction=lambda beta, t: 1 - beta * t), "power t"),
    ("update_parameters_with_adam",
     lambda *a, **k: adam(*a, **k, correction=lambda beta, t: (1 - beta) ** t),
     "divided by (1 - beta1) ** t"),
    ("update_parameters_with_adam", lambda *a, **k: adam(*a, **k, root=lambda x: x),
     "square root of s_corrected is missing"),
    ("update_parameters_with_adam", lambda *a, **k: adam(*a, **k, eps_inside=True),
     "epsilon is added after the square root"),
    ("update_parameters_with_adam",
     lambda p, g, v, s, t, learning_rate=0.001, **k: adam(p, g, v, s, t, learning_rate, **k),
     "default values"),
    ("update_lr", lambda lr0, epoch, rate: lr0 * rate ** epoch, "learning_rate0 / (1 +"),
    ("schedule_lr_decay", lambda lr0, epoch, rate, interval=1000: update_lr(lr0, epoch, rate),
     "floor(epoch_num / time_interval)"),
    ("schedule_lr_decay",
     lambda lr0, epoch, rate, interval=1000: lr0 / (1 + rate * round(epoch / interval)),
     "not round"),
    ("schedule_lr_decay", lambda lr0, epoch, rate, time_interval=1000: schedule(lr0, epoch, rate),
     "time_interval argument"),
]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # 1 - beta1 * t can reach 0
@pytest.mark.parametrize(("name", "wrong", "phrase"), WRONG,
                         ids=[f"{n}-{p[:20]}" for n, _, p in WRONG])
def test_typical_mistakes_fail_with_a_useful_message(name, wrong, phrase, capsys):
    mistake_is_caught(check, name, wrong, phrase)
    assert "passed" not in capsys.readouterr().out


# ----------------------------------------------------------------------------------------
# verdicts on the race of section 6: results measured with the notebook's code (seed 1)

QUANTITIES = ("train accuracy", "test accuracy", "cost at 150", "final cost")


def race(**changes):
    rows = {
        "mini-batch GD": (0.8367, 0.8533, 0.5483, 0.3828),
        "momentum": (0.8367, 0.8533, 0.5489, 0.3829),
        "Adam": (0.9467, 0.9467, 0.2909, 0.1151),
        "GD + decay": (0.9467, 0.9533, 0.1630, 0.1178),
        "Adam + decay": (0.9500, 0.9433, 0.1270, 0.1152),
    }
    rows.update({name.replace("_", " "): row for name, row in changes.items()})
    return {name: dict(zip(QUANTITIES, row, strict=True)) for name, row in rows.items()}


def test_race_verdicts_hold_on_the_measured_results_and_print_no_numbers(capsys):
    check.optimizer_race(race())
    out = capsys.readouterr().out
    assert "momentum: all 4 verdicts hold" in out and "Adam + decay: all 4 verdicts hold" in out
    for measured in ("0.8367", "0.837", "0.383", "0.115", "0.2909"):
        assert measured not in out


@pytest.mark.parametrize(("broken", "word"), [
    # gradient sign flipped in update_parameters_with_gd: training diverges to NaN
    ({"mini-batch GD": (0.5, 0.5, 0.7195, math.nan)}, "minus sign"),
    # momentum without the (1 - beta) factor: 10 times larger steps, no longer like GD
    ({"momentum": (0.9233, 0.9433, 0.3843, 0.2329)}, "(1 - beta)"),
    # Adam without the bias correction: much faster start
    ({"Adam": (0.9433, 0.95, 0.1929, 0.1197)}, "bias correction"),
    # schedule_lr_decay without the floor: the rate falls every epoch and training stalls
    ({"GD + decay": (0.8533, 0.8667, 0.3782, 0.3635)}, "floor(epoch_num"),
    ({"Adam + decay": (0.8533, 0.8767, 0.3606, 0.3433)}, "time_interval"),
    # Adam no better than gradient descent
    ({"Adam": (0.91, 0.92, 0.30, 0.14), "mini-batch GD": (0.90, 0.90, 0.52, 0.34),
      "momentum": (0.90, 0.90, 0.52, 0.34)}, "clearly beat GD"),
])
def test_race_verdicts_fail_on_broken_results(broken, word):
    rows = {name.replace(" ", "_"): row for name, row in broken.items()}
    with pytest.raises(CheckFailure) as failure:
        check.optimizer_race(race(**rows))
    assert word in str(failure.value), str(failure.value)


def test_race_names_a_missing_run():
    results = race()
    del results["Adam"]
    with pytest.raises(KeyError, match="Adam"):
        check.optimizer_race(results)
