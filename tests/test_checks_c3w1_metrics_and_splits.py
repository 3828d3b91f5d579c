"""The Course 3 week-1 checks pass correct functions and catch typical mistakes."""

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c3w1_metrics_and_splits as check
from utils.checks.harness import CheckFailure

# ----------------------------------------------------------------------------------------
# correct references, written here independently of the notebook


def prf(y_true, y_pred):
    t = np.ravel(y_true) == 1
    p = np.ravel(y_pred) == 1
    tp, fp, fn = np.sum(t & p), np.sum(~t & p), np.sum(t & ~p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)


def pick(table, optimize, constraints):
    best = None
    for name, row in table.items():
        if all(row[key] <= bound for key, bound in constraints.items()):
            if best is None or row[optimize] > table[best][optimize]:
                best = name
    if best is None:
        raise ValueError(f"no model satisfies {constraints}")
    return best


def split(n, fractions, seed=0):
    fractions = np.asarray(fractions, dtype=float)
    if fractions.shape != (3,) or np.any(fractions < 0) or abs(fractions.sum() - 1) > 1e-6:
        raise ValueError("fractions must be three non-negative numbers adding up to 1")
    order = np.random.default_rng(seed).permutation(n)
    n_train, n_dev = round(fractions[0] * n), round(fractions[1] * n)
    return order[:n_train], order[n_train:n_train + n_dev], order[n_train + n_dev:]


REFERENCE = {"precision_recall_f1": prf, "pick_best_model": pick, "split_indices": split}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, REFERENCE, keywords=False)


# ----------------------------------------------------------------------------------------
# typical mistakes, each with a word the failure message must contain


def prf_swapped(y_true, y_pred):
    p, r, f = prf(y_true, y_pred)
    return r, p, f


def prf_arithmetic_mean(y_true, y_pred):
    p, r, _ = prf(y_true, y_pred)
    return p, r, (p + r) / 2


def prf_unguarded(y_true, y_pred):
    t, p = np.ravel(y_true), np.ravel(y_pred)
    tp, fp, fn = np.sum(t * p), np.sum((1 - t) * p), np.sum(t * (1 - p))
    with np.errstate(all="ignore"):
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        return precision, recall, 2 * precision * recall / (precision + recall)


def prf_python_division(y_true, y_pred):
    t, p = np.ravel(y_true).tolist(), np.ravel(y_pred).tolist()
    tp = sum(a and b for a, b in zip(t, p, strict=True))
    precision, recall = tp / sum(p), tp / sum(t)
    return precision, recall, 2 * precision * recall / (precision + recall)


def prf_accuracy_as_precision(y_true, y_pred):
    _, r, _ = prf(y_true, y_pred)
    a = float(np.mean(np.ravel(y_true) == np.ravel(y_pred)))
    return a, r, 2 * a * r / (a + r) if a + r else 0.0


def prf_list(y_true, y_pred):
    return list(prf(y_true, y_pred))


def pick_strict(table, optimize, constraints):
    feasible = {n: r for n, r in table.items()
                if all(r[k] < b for k, b in constraints.items())}
    if not feasible:
        raise ValueError("none")
    return max(feasible, key=lambda n: feasible[n][optimize])


def pick_first_constraint_only(table, optimize, constraints):
    first = dict(list(constraints.items())[:1])
    return pick(table, optimize, first)


def pick_returns_none(table, optimize, constraints):
    try:
        return pick(table, optimize, constraints)
    except ValueError:
        return None


def pick_last_on_tie(table, optimize, constraints):
    best = None
    for name, row in table.items():
        if all(row[k] <= b for k, b in constraints.items()):
            if best is None or row[optimize] >= table[best][optimize]:
                best = name
    if best is None:
        raise ValueError("none")
    return best


def pick_sorted_names(table, optimize, constraints):
    return pick({name: table[name] for name in sorted(table)}, optimize, constraints)


def pick_hardcoded_f1(table, optimize, constraints):
    return pick(table, "f1", constraints)


def pick_mutates(table, optimize, constraints):
    for name in [n for n, r in table.items()
                 if not all(r[k] <= b for k, b in constraints.items())]:
        del table[name]
    if not table:
        raise ValueError("none")
    return max(table, key=lambda n: table[n][optimize])


def split_unshuffled(n, fractions, seed=0):
    order = np.arange(n)
    n_train, n_dev = round(fractions[0] * n), round(fractions[1] * n)
    return order[:n_train], order[n_train:n_train + n_dev], order[n_train + n_dev:]


def split_floor_each(n, fractions, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    sizes = [int(f * n) for f in fractions]
    return (order[:sizes[0]], order[sizes[0]:sizes[0] + sizes[1]],
            order[sizes[0] + sizes[1]:sum(sizes)])


def split_overlapping(n, fractions, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    n_train, n_dev = round(fractions[0] * n), round(fractions[1] * n)
    return order[:n_train], order[:n_dev], order[n_train + n_dev:]


def split_unseeded(n, fractions, seed=0):
    return split(n, fractions, seed=None)


def split_global_seed(n, fractions, seed=0):
    np.random.seed(seed)
    order = np.random.permutation(n)
    n_train, n_dev = round(fractions[0] * n), round(fractions[1] * n)
    return order[:n_train], order[n_train:n_train + n_dev], order[n_train + n_dev:]


def split_no_validation(n, fractions, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    n_train, n_dev = round(fractions[0] * n), round(fractions[1] * n)
    return order[:n_train], order[n_train:n_train + n_dev], order[n_train + n_dev:]


def split_round_each(n, fractions, seed=0):
    split(n, fractions, seed)  # the same validation as the reference
    order = np.random.default_rng(seed).permutation(n)
    n_train, n_dev, n_test = (round(f * n) for f in fractions)
    return (order[:n_train], order[n_train:n_train + n_dev],
            order[n_train + n_dev:n_train + n_dev + n_test])


def split_exact_sum(n, fractions, seed=0):
    if sum(fractions) != 1:
        raise ValueError("fractions must add up to 1")
    return split(n, fractions, seed)


def split_cumulative_floor(n, fractions, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    cuts = [int(fractions[0] * n), int((fractions[0] + fractions[1]) * n)]
    return tuple(np.split(order, cuts))


WRONG = [
    ("precision_recall_f1", prf_swapped, "swapped"),
    ("precision_recall_f1", prf_arithmetic_mean, "harmonic"),
    ("precision_recall_f1", prf_unguarded, "nan"),
    ("precision_recall_f1", prf_python_division, "ZeroDivisionError"),
    ("precision_recall_f1", prf_accuracy_as_precision, "predicted positives"),
    ("precision_recall_f1", prf_list, "tuple"),
    ("pick_best_model", pick_strict, "inclusive"),
    ("pick_best_model", pick_first_constraint_only, "every constraint"),
    ("pick_best_model", pick_returns_none, "raise ValueError"),
    ("pick_best_model", pick_last_on_tie, "tie"),
    ("pick_best_model", pick_sorted_names, "tie"),
    ("pick_best_model", pick_hardcoded_f1, "accuracy"),
    ("pick_best_model", pick_mutates, "unchanged"),
    ("split_indices", split_unshuffled, "shuffle"),
    ("split_indices", split_floor_each, "round(fraction * n)"),
    ("split_indices", split_overlapping, "disjoint"),
    ("split_indices", split_unseeded, "same split"),
    ("split_indices", split_global_seed, "recipe"),
    ("split_indices", split_no_validation, "ValueError"),
    ("split_indices", split_round_each, "the rest of the permutation"),
    ("split_indices", split_exact_sum, "0.9999999999999999"),
    ("split_indices", split_cumulative_floor, "round(fraction * n)"),
]


@pytest.mark.parametrize(("name", "wrong", "word"), WRONG,
                         ids=[f"{n}-{w.__name__}" for n, w, _ in WRONG])
def test_wrong_implementation_fails_with_helpful_message(name, wrong, word):
    mistake_is_caught(check, name, wrong, word)


# ----------------------------------------------------------------------------------------
# verdicts on results of training: the notebook's measured results hold, broken ones fail


def _score(accuracy, precision, recall):
    return {"accuracy": accuracy, "precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall)}


SCORES = {"logreg": _score(0.9825, 0.9324, 0.9019),
          "logreg balanced": _score(0.967, 0.7846, 0.9533),
          "3-NN": _score(0.989, 0.9615, 0.9346), "MLP-16": _score(0.9845, 0.942, 0.9112),
          "MLP-128": _score(0.99, 0.9663, 0.9393), "tree": _score(0.961, 0.7982, 0.8505),
          "forest-10": _score(0.973, 0.9598, 0.7804),
          "forest-100": _score(0.977, 0.9828, 0.7991)}  # random_state 1: MLP-128 first
MISALIGNED = {name: _score(0.89, 0.1, 0.05) for name in SCORES}  # labels of other rows
COSTS = {"logreg": {"ops": 196, "size": 197}, "logreg balanced": {"ops": 196, "size": 197},
         "3-NN": {"ops": 588_000, "size": 591_000}, "MLP-16": {"ops": 3_152, "size": 3_169},
         "MLP-128": {"ops": 25_216, "size": 25_345}, "tree": {"ops": 8, "size": 270},
         "forest-10": {"ops": 77, "size": 3_796}, "forest-100": {"ops": 777, "size": 37_568}}
PICKS = {"no budget": "MLP-128", "ops <= 100,000": "MLP-128", "ops <= 10,000": "MLP-16",
         "ops <= 100": "forest-10", "ops <= 100, size <= 1,000": "tree", "ops <= 5": "ValueError"}
SHIFT = {"logreg": {"MNIST dev": 0.894, "target dev": 0.549, "target test": 0.5417},
         "5-NN": {"MNIST dev": 0.941, "target dev": 0.6503, "target test": 0.6529},
         "MLP-64": {"MNIST dev": 0.917, "target dev": 0.5824, "target test": 0.5818},
         "forest-100": {"MNIST dev": 0.939, "target dev": 0.3552, "target test": 0.3648},
         "SVM (RBF)": {"MNIST dev": 0.947, "target dev": 0.5902, "target test": 0.574}}
SHIFT_UNSCALED = {  # target pixels left in 0..16
    "logreg": {"MNIST dev": 0.894, "target dev": 0.3519, "target test": 0.3593},
    "5-NN": {"MNIST dev": 0.941, "target dev": 0.235, "target test": 0.2414},
    "MLP-64": {"MNIST dev": 0.917, "target dev": 0.5167, "target test": 0.5172},
    "forest-100": {"MNIST dev": 0.939, "target dev": 0.3185, "target test": 0.337},
    "SVM (RBF)": {"MNIST dev": 0.947, "target dev": 0.0924, "target test": 0.1046}}


def _verdict_fails(call, word):
    with pytest.raises(CheckFailure) as failure:
        call()
    assert word in str(failure.value), str(failure.value)


def test_detector_verdicts(capsys):
    check.detectors(SCORES)
    assert "all 10 verdicts hold" in capsys.readouterr().out
    _verdict_fails(lambda: check.detectors(MISALIGNED), "same train_idx")
    swapped = {name: {**row, "precision": row["recall"], "recall": row["precision"]}
               for name, row in SCORES.items()}
    _verdict_fails(lambda: check.detectors(swapped), "precision and recall swapped")


def test_cost_verdicts(capsys):
    check.model_costs(COSTS)
    assert "all 11 verdicts hold" in capsys.readouterr().out
    every_node = {**COSTS, "tree": {"ops": 135, "size": 270}}
    _verdict_fails(lambda: check.model_costs(every_node), "one path from the root")


def test_budget_verdicts(capsys):
    check.budget_picks(PICKS)
    check.budget_picks({**PICKS, "no budget": "3-NN", "ops <= 10,000": "logreg"})
    assert capsys.readouterr().out.count("all 6 verdicts hold") == 2
    _verdict_fails(lambda: check.budget_picks({**PICKS, "ops <= 100": "tree"}), "forest-10")
    _verdict_fails(lambda: check.budget_picks({**PICKS, "ops <= 10,000": "MLP-128"}),
                   "logreg or MLP-16")


def test_distribution_shift_verdicts(capsys):
    check.distribution_shift(SHIFT)
    assert "all 8 verdicts hold" in capsys.readouterr().out
    _verdict_fails(lambda: check.distribution_shift(SHIFT_UNSCALED), "scaled to [0, 1]")


def test_rank_verdicts(capsys):
    check.rank_agreement({"MNIST dev": 0.3, "target dev": 0.9}, "5-NN", "5-NN")
    assert "all 2 verdicts hold" in capsys.readouterr().out
    _verdict_fails(lambda: check.rank_agreement({"MNIST dev": 0.8, "target dev": 0.9}, "5-NN",
                                                "5-NN"), "target dev against MNIST dev")


P_VALUES = {("5-NN", "SVM (RBF)", "target test"): 1.37e-7,
            ("SVM (RBF)", "MLP-64", "target test"): 0.41,
            ("SVM (RBF)", "5-NN", "MNIST dev"): 0.47}


def test_paired_verdicts(capsys):
    check.paired_tests(P_VALUES)
    assert "all 3 verdicts hold" in capsys.readouterr().out
    # b and c counted on different digits (unpaired): the real lead is no longer detected
    unpaired = {**P_VALUES, ("5-NN", "SVM (RBF)", "target test"): 0.2}
    _verdict_fails(lambda: check.paired_tests(unpaired), "binomtest(b, b + c, 0.5)")
