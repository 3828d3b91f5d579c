"""The Course 3 week 2 checks pass correct functions and catch the typical mistakes."""

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c3w2_error_analysis as check
from utils.checks.harness import CheckFailure

# ----------------------------------------------------------------------------------------
# correct references, written here independently of the notebook


def _in_unit(*values):
    for value in values:
        value = np.asarray(value, dtype=float)
        if np.any(np.isnan(value)) or np.any(value < 0) or np.any(value > 1):
            raise ValueError(f"{value} outside [0, 1]")


def tally_error_categories(tags, categories, dedupe=True, denominator="mistakes",
                           validate=True, keep_empty=True):
    tags = [set(t) if dedupe else list(t) for t in tags]
    if not tags:
        raise ValueError("no mistakes")
    if validate and any(tag not in categories for t in tags for tag in t):
        raise ValueError("unknown tag")
    total = {"mistakes": len(tags), "tagged": sum(bool(t) for t in tags),
             "tags": sum(len(t) for t in tags)}[denominator]
    result = {}
    for category in categories:
        count = sum(list(t).count(category) for t in tags)
        if count or keep_empty:
            result[category] = (count, count / total)
    return result


def ceiling_on_improvement(error_rate, fraction):
    _in_unit(error_rate, fraction)
    return np.multiply(error_rate, fraction)


def _error_left(error_rate, fraction):
    """The other quantity: the error left after a perfect fix, E (1 - f), done properly."""
    rate, share = np.asarray(error_rate, dtype=float), np.asarray(fraction, dtype=float)
    _in_unit(rate, share)
    return rate * (1 - share)


def _ceiling_raw_arguments(error_rate, fraction):
    """Validates converted copies but computes with the raw arguments: fails on lists."""
    rate, share = np.asarray(error_rate, dtype=float), np.asarray(fraction, dtype=float)
    _in_unit(rate, share)
    return error_rate * fraction


def ceiling_analysis(stages, accuracies):
    accuracies = list(accuracies)
    if len(accuracies) != len(stages) + 1:
        raise ValueError("length")
    _in_unit(accuracies)
    return {s: accuracies[k + 1] - accuracies[k] for k, s in enumerate(stages)}


def flip_labels(y, fraction, seed, mapping=None):
    if not 0 <= fraction <= 1:
        raise ValueError("fraction")
    rng = np.random.default_rng(seed)
    out = np.array(y, copy=True)
    pool = np.arange(len(y)) if mapping is None else np.flatnonzero(np.isin(y, list(mapping)))
    picked = rng.permutation(pool)[: int(round(fraction * len(pool)))]
    classes = np.unique(y)
    for i in picked:
        out[i] = rng.choice(classes[classes != y[i]]) if mapping is None else mapping[y[i]]
    return out


def error_gaps(human_error, train_error, train_dev_error, dev_error):
    _in_unit(human_error, train_error, train_dev_error, dev_error)
    return {"avoidable_bias": train_error - human_error,
            "variance": train_dev_error - train_error,
            "data_mismatch": dev_error - train_dev_error}


REFERENCE = {
    "tally_error_categories": tally_error_categories,
    "ceiling_on_improvement": ceiling_on_improvement,
    "ceiling_analysis": ceiling_analysis,
    "flip_labels": flip_labels,
    "error_gaps": error_gaps,
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys, expect="checks passed")


def test_not_implemented_propagates():
    blank_raises_not_implemented(check, REFERENCE)


# ----------------------------------------------------------------------------------------
# typical wrong answers


def _flip_bernoulli(y, fraction, seed, mapping=None):
    rng = np.random.default_rng(seed)
    out = y.copy()
    for i in np.flatnonzero(rng.random(len(y)) < fraction):
        out[i] = (y[i] + rng.integers(1, 10)) % 10
    return out


def _flip_any_class(y, fraction, seed, mapping=None):
    rng = np.random.default_rng(seed)
    out = y.copy()
    picked = rng.choice(len(y), int(round(fraction * len(y))), replace=False)
    out[picked] = rng.integers(0, 10, len(picked))  # may draw the old label again
    return out


def _flip_next_class(y, fraction, seed, mapping=None):
    rng = np.random.default_rng(seed)
    out = y.copy()
    picked = rng.choice(len(y), int(round(fraction * len(y))), replace=False)
    if mapping is None:
        out[picked] = (y[picked] + 1) % 10
    else:
        out[picked] = [mapping.get(v, v) for v in y[picked]]
    return out


def _flip_first_k(y, fraction, seed, mapping=None):
    out = y.copy()
    k = int(round(fraction * len(y)))
    classes = np.unique(y)
    out[:k] = classes[(np.searchsorted(classes, y[:k]) + 1) % len(classes)]
    return out


def _flip_in_place(y, fraction, seed, mapping=None):
    noisy = flip_labels(y, fraction, seed, mapping)
    y[:] = noisy
    return y


def _flip_range10(y, fraction, seed, mapping=None):
    rng = np.random.default_rng(seed)
    out = y.copy()
    picked = rng.choice(len(y), int(round(fraction * len(y))), replace=False)
    out[picked] = (y[picked] + rng.integers(1, 10, len(picked))) % 10
    return out


def _flip_mapping_on_all(y, fraction, seed, mapping=None):
    if mapping is None:
        return flip_labels(y, fraction, seed)
    rng = np.random.default_rng(seed)
    out = y.copy()
    eligible = np.flatnonzero(np.isin(y, list(mapping)))
    k = min(int(round(fraction * len(y))), len(eligible))  # fraction of all labels
    picked = rng.choice(eligible, k, replace=False)
    out[picked] = [mapping[v] for v in y[picked]]
    return out


def _flip_unseeded(y, fraction, seed, mapping=None):
    return flip_labels(y, fraction, np.random.randint(1_000_000), mapping)


def _flip_chained(y, fraction, seed, mapping=None):
    """Applies the mapping one replacement after the other (3 -> 5, then 5 -> 3), so a
    chosen 3 that became a 5 is turned back into a 3."""
    if mapping is None:
        return flip_labels(y, fraction, seed)
    rng = np.random.default_rng(seed)
    eligible = np.flatnonzero(np.isin(y, list(mapping)))
    chosen = rng.choice(eligible, int(round(fraction * len(eligible))), replace=False)
    noisy = y.copy()
    for old, new in mapping.items():
        noisy[chosen[noisy[chosen] == old]] = new
    return noisy


def _tally_first_tag_only(tags, categories):
    tags = [list(t) for t in tags]
    if any(t and t[0] not in categories for t in tags):
        raise ValueError("unknown tag")
    return tally_error_categories(tags, categories, validate=False)


def _tally_first_mistake_only(tags, categories):
    tags = [list(t) for t in tags]
    if tags and any(tag not in categories for tag in tags[0]):
        raise ValueError("unknown tag")
    return tally_error_categories(tags, categories, validate=False)


def _tally_any_known_tag(tags, categories):
    tags = [list(t) for t in tags]
    if any(t and not any(tag in categories for tag in t) for t in tags):
        raise ValueError("unknown tag")
    return tally_error_categories(tags, categories, validate=False)


def _ceiling_analysis_upper_only(stages, accuracies):
    accuracies = list(accuracies)
    if len(accuracies) != len(stages) + 1:
        raise ValueError("length")
    if max(accuracies) > 1:
        raise ValueError("above 1")
    return {s: accuracies[k + 1] - accuracies[k] for k, s in enumerate(stages)}


WRONG = [
    ("tally_error_categories", lambda t, c: tally_error_categories(t, c, dedupe=False),
     "tagged 'dark' twice"),
    ("tally_error_categories", lambda t, c: tally_error_categories(t, c, denominator="tagged"),
     "number of tagged mistakes"),
    ("tally_error_categories", lambda t, c: tally_error_categories(t, c, denominator="tags"),
     "total number of tags"),
    ("tally_error_categories", lambda t, c: tally_error_categories(t, c, validate=False),
     "misspelt"),
    ("tally_error_categories", lambda t, c: tally_error_categories(t, c, keep_empty=False),
     "keys of"),
    ("tally_error_categories", _tally_first_tag_only, "validate every tag"),
    ("tally_error_categories", _tally_first_mistake_only, "misspelt tag"),
    ("tally_error_categories", _tally_any_known_tag, "validate every tag"),
    ("ceiling_on_improvement", _error_left, "the dev error left after the fix"),
    ("ceiling_on_improvement", lambda e, f: f, "you returned the fraction"),
    ("ceiling_on_improvement", lambda e, f: e - f, "do not add or subtract"),
    ("ceiling_on_improvement", lambda e, f: float(e * f), "elementwise"),
    ("ceiling_on_improvement", _ceiling_raw_arguments, "compute with the converted values"),
    ("ceiling_on_improvement", lambda e, f: np.asarray(e) * np.asarray(f),
     "must raise ValueError"),
    ("ceiling_analysis", lambda s, a: {k: a[i + 1] - a[0] for i, k in enumerate(s)},
     "from the first accuracy"),
    ("ceiling_analysis", lambda s, a: {k: abs(a[i + 1] - a[i]) for i, k in enumerate(s)},
     "keep the sign"),
    ("ceiling_analysis", lambda s, a: {k: a[i + 1] - a[i] for i, k in enumerate(s)}
     if len(a) == len(s) + 1 else {k: 0.0 for k in s}, "n + 1 accuracies"),
    ("ceiling_analysis", _ceiling_analysis_upper_only, "an accuracy of -0.25"),
    ("flip_labels", _flip_bernoulli, "number of labels changed"),
    ("flip_labels", _flip_any_class, "equalled the original"),
    ("flip_labels", _flip_next_class, "uniformly from the other classes"),
    ("flip_labels", _flip_first_k, "not the first k"),
    ("flip_labels", _flip_in_place, "changed in place"),
    ("flip_labels", _flip_range10, "np.unique(y)"),
    ("flip_labels", _flip_mapping_on_all, "eligible labels"),
    ("flip_labels", _flip_unseeded, "default_rng(seed)"),
    ("error_gaps", lambda h, t, td, d: {**error_gaps(h, t, td, d), "data_mismatch": d - t},
     "starts at the train-dev error"),
    ("error_gaps", lambda h, t, td, d: {k: abs(v) for k, v in error_gaps(h, t, td, d).items()},
     "keep the signs"),
    ("error_gaps", lambda h, t, td, d: {"avoidable_bias": t - h, "variance": d - t,
                                        "data_mismatch": d - td}, "measured on train-dev"),
    ("error_gaps", lambda h, t, td, d: {"bias": t - h, "variance": td - t,
                                        "mismatch": d - td}, "exactly the keys"),
    ("error_gaps", lambda h, t, td, d: {"avoidable_bias": t - h, "variance": td - t,
                                        "data_mismatch": d - td}, "must raise ValueError"),
]


@pytest.mark.parametrize(("name", "wrong", "message"), WRONG,
                         ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(WRONG)])
def test_wrong_answers_fail_with_a_helpful_message(name, wrong, message):
    mistake_is_caught(check, name, wrong, message)


def test_chained_mapping_flips_back_and_is_caught():
    """The notebook's look-alike mapping swaps 3 and 5: applying 3 -> 5 then 5 -> 3 one after
    the other leaves the chosen 3s unchanged, so too few labels change."""
    y = check._balanced_labels(100, range(10), seed=1)
    chained = _flip_chained(y, 0.5, 8, mapping={3: 5, 5: 3})
    right = flip_labels(y, 0.5, 8, mapping={3: 5, 5: 3})
    assert int(np.sum(right != y)) == check.SWAP_FLIPS == 100
    changed = int(np.sum(chained != y))
    assert changed == int(np.sum((chained != y) & (y == 5)))  # only the chosen 5s moved
    assert changed < 100
    message = mistake_is_caught(check, "flip_labels", _flip_chained, "5 -> 3 one after")
    assert f"got:      {changed}" in message and "expected: 100" in message


def test_chained_mapping_passes_the_old_mapping_check():
    """With {7: 1, 4: 9} no target is a key, so only the swap case can catch the chaining."""
    y = check._balanced_labels(100, range(10), seed=1)
    noisy = _flip_chained(y, 0.3, 7, {7: 1, 4: 9})
    changed = noisy != y
    assert int(changed.sum()) == 60
    assert np.all(noisy[changed & (y == 7)] == 1) and np.all(noisy[changed & (y == 4)] == 9)
    assert np.all(np.isin(y[changed], [7, 4]))


# ----------------------------------------------------------------------------------------
# verdicts on results of training: the notebook's measured results hold, broken ones fail

CATEGORY_NAMES = ["look-alike pair", "faint", "heavy", "unusual slant", "unusual width"]
MISTAKE_TALLY = dict(zip(CATEGORY_NAMES, [(14, 14 / 33), (9, 9 / 33), (4, 4 / 33), (5, 5 / 33),
                                          (3, 3 / 33)], strict=True))
ALL_DEV_TALLY = dict(zip(CATEGORY_NAMES, [(14, 0.014), (98, 0.098), (94, 0.094), (94, 0.094),
                                          (35, 0.035)], strict=True))
FRACTIONS = [0.0, 0.1, 0.2, 0.3, 0.4]
SWEEP = {"random": [0.967, 0.954, 0.935, 0.912, 0.898],
         "systematic": [0.967, 0.951, 0.903, 0.824, 0.667]}
SWEEP_CHAINED = {"random": SWEEP["random"],  # flip_labels applying 3 -> 5 then 5 -> 3
                 "systematic": [0.967, 0.962, 0.926, 0.853, 0.76]}
BEFORE = {"train": 0.001, "train-dev": 0.033, "dev": 0.686}
AFTER = {"train": 0.00667, "train-dev": 0.111, "dev": 0.122}
AFTER_CLEAN_TRAIN_DEV = {"train": 0.00667, "train-dev": 0.737, "dev": 0.122}


def _gaps(errors, human=0.01):
    return error_gaps(human, errors["train"], errors["train-dev"], errors["dev"])


def _verdict_fails(call, word):
    with pytest.raises(CheckFailure) as failure:
        call()
    assert word in str(failure.value), str(failure.value)


def test_svm_verdicts(capsys):
    check.svm_classifier(0.001, 0.033, n_mistakes=33)
    assert "all 3 verdicts hold" in capsys.readouterr().out
    _verdict_fails(lambda: check.svm_classifier(0.9, 0.88, n_mistakes=880), "train_idx")


def test_error_tally_verdicts(capsys):
    check.error_tally(MISTAKE_TALLY, ALL_DEV_TALLY)
    assert "all 3 verdicts hold" in capsys.readouterr().out
    _verdict_fails(lambda: check.error_tally(ALL_DEV_TALLY, ALL_DEV_TALLY), "error_tags")


def test_pipeline_verdicts(capsys):
    check.pipeline_accuracies(0.756, 0.923, read_near=0.8996, read_far=0.2231)
    assert "all 4 verdicts hold" in capsys.readouterr().out
    _verdict_fails(lambda: check.pipeline_accuracies(0.756, 0.756, 0.8996, 0.2231),
                   "true_corners")


def test_stage_gain_verdicts(capsys):
    check.stage_gains({"localisation": 0.923 - 0.756, "classification": 1.0 - 0.923}, 0.756)
    assert "all 4 verdicts hold" in capsys.readouterr().out
    from_first = {"localisation": 0.923 - 0.756, "classification": 1.0 - 0.756}
    _verdict_fails(lambda: check.stage_gains(from_first, 0.756), "step from the accuracy")


def test_label_noise_verdicts(capsys):
    check.label_noise(FRACTIONS, SWEEP)
    assert "all 8 verdicts hold" in capsys.readouterr().out
    _verdict_fails(lambda: check.label_noise(FRACTIONS, SWEEP_CHAINED), "in one step")


def test_data_mismatch_verdicts(capsys):
    check.mismatch_before(BEFORE, _gaps(BEFORE))
    check.mismatch_after(BEFORE, AFTER, _gaps(AFTER))
    check.phone_test_set(0.122, 0.122)
    out = capsys.readouterr().out
    assert out.count("verdicts hold") == 3, out
    _verdict_fails(lambda: check.mismatch_after(BEFORE, AFTER_CLEAN_TRAIN_DEV,
                                                _gaps(AFTER_CLEAN_TRAIN_DEV)), "phone_camera")
    _verdict_fails(lambda: check.mismatch_after(BEFORE, BEFORE, _gaps(BEFORE)),
                   "trained on the synthesised digits")
    _verdict_fails(lambda: check.phone_test_set(0.122, 0.20), "tuned on test")
