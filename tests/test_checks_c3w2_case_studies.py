"""The Course 3 week-2 case-study checks accept the right decisions and reject every wrong one.

The right answers below were worked out by hand from the scenarios' tables; the check module
recomputes them from its own copy of the data. The notebook's data cells must hold the same
numbers, and its markdown the same options, as the check module.
"""

import nbformat
import pandas as pd
import pytest

from utils.checks import c3w2_case_studies as check
from utils.checks.harness import CheckFailure
from utils.notebook_setup import REPO_ROOT

NOTEBOOK = REPO_ROOT / "course3_structuring_ml" / "week2_case_studies.ipynb"

LETTERS = {  # decision -> right letter
    "choose_metric_setup": "C",
    "choose_split": "B",
    "biggest_problem": "D",
    "synthesis_plan": "A",
    "next_focus": "C",
    "relabel_decision": "D",
    "battery_transfer_plan": "B",
    "attribute_design": "C",
    "sorting_architecture": "A",
}
NAMES = {  # decision -> (right name, every name in its table)
    "choose_model": ("cnn-medium",
                     ["cnn-large", "crnn", "cnn-medium", "cnn-small", "boosted-trees"]),
    "first_error_category": ("shrink sleeve",
                             ["shrink sleeve", "overlapping items", "mislabelled",
                              "crushed or flattened", "food residue", "motion blur"]),
}
NUMBERS = {  # decision -> (right value, [(typical wrong value, word the message must contain)])
    # 0.9 * 0.1 / 0.02**2 = 225 abnormal clips; / 0.08 = 2812.5 -> 2813 clips per set
    "s2_clips_for_training": (15_000 - 2 * 2813, [
        (15_000 - 2813, "test set"),              # forgot the test set
        (2813, "one evaluation set"),             # returned the size of one set
        (15_000 - 2 * 225, "abnormal"),           # forgot the prevalence
        (15_000 - 2 * 57, "squared"),             # se instead of se**2
        (0, "standard error"),                    # something unrelated: generic hint
    ]),
    # dev 9.0 - train-dev 4.4
    "data_mismatch_gap": (4.6, [
        (5.4, "variance"), (-4.6, "sign"), (0.046, "percent"), (4.9, "test error"),
        (6.0, "every gap"), (0.8, "train-dev"),
    ]),
    # 88 / 200 * 9.0
    "error_analysis_ceiling": (3.96, [
        (9.0 * 88 / 216, "several"), (0.44, "share"), (44.0, "percent"), (2.34, "largest"),
    ]),
    # 5.6 - 2.4 (expert panel)
    "avoidable_bias_v1": (3.2, [
        (0.6, "experienced sorter"), (1.4, "materials engineer"), (-6.4, "trainee"),
        (0.9, "variance"), (4.1, "training error"), (-3.2, "sign"), (0.032, "percent"),
    ]),
}
ALL = sorted(LETTERS) + sorted(NAMES) + sorted(NUMBERS)


def _returning(value):
    return lambda: value


def _right(name):
    if name in LETTERS:
        return LETTERS[name]
    if name in NAMES:
        return NAMES[name][0]
    return NUMBERS[name][0]


def test_fifteen_decisions_are_covered():
    graded = [n for n in dir(check) if not n.startswith("_") and callable(getattr(check, n))
              and n not in ("Checker",)]
    assert sorted(graded) == sorted(ALL)


@pytest.mark.parametrize("name", ALL)
def test_right_decision_passes_and_explains(name, capsys):
    getattr(check, name)(_returning(_right(name)))
    out = capsys.readouterr().out
    assert f"{name}: all 3 checks passed" in out
    assert len(out.splitlines()) >= 3, "a pass should explain the decision"


@pytest.mark.parametrize("name", ALL)
def test_blank_exercise_raises_not_implemented(name):
    def blank():
        raise NotImplementedError("Exercise: write it")

    with pytest.raises(NotImplementedError):
        getattr(check, name)(blank)


@pytest.mark.parametrize("name", sorted(LETTERS))
def test_every_wrong_letter_fails_without_giving_the_answer_away(name):
    right = LETTERS[name]
    for letter in check.OPTIONS[name]:
        if letter == right:
            continue
        with pytest.raises(CheckFailure) as failure:
            getattr(check, name)(_returning(letter))
        message = str(failure.value)
        assert "hint:" in message and len(message) > 150, message
        assert f"'{right}'" not in message and f"({right})" not in message, message


@pytest.mark.parametrize("name", sorted(LETTERS))
def test_letters_are_read_leniently_but_must_be_options(name, capsys):
    getattr(check, name)(_returning(f" {LETTERS[name].lower()} "))
    assert "passed" in capsys.readouterr().out
    for bad in ("E", "AB", "", 3, None, ["C"]):
        with pytest.raises(CheckFailure):
            getattr(check, name)(_returning(bad))


@pytest.mark.parametrize("name", sorted(NAMES))
def test_every_wrong_name_fails_without_naming_the_right_one(name):
    right, names = NAMES[name]
    for wrong in names:
        if wrong == right:
            continue
        with pytest.raises(CheckFailure) as failure:
            getattr(check, name)(_returning(wrong))
        assert right not in str(failure.value), str(failure.value)
    for bad in ("cnn_medium", "sleeves", 0, None):
        with pytest.raises(CheckFailure):
            getattr(check, name)(_returning(bad))


def test_model_failures_name_the_broken_limit():
    expected_words = {"cnn-large": "false-alarm rate", "crnn": "latency",
                      "cnn-small": "meets both limits", "boosted-trees": "accuracy"}
    for model, word in expected_words.items():
        with pytest.raises(CheckFailure, match=word):
            check.choose_model(_returning(model))


def test_decision_1_does_not_show_the_model_table_early(capsys):
    """Decision 1 comes before the model table: its output must name no model and quote no
    model's numbers; decision 4 (choose_model) says what the rejected set-ups would pick."""
    check.choose_metric_setup(_returning("C"))
    texts = [capsys.readouterr().out]
    for letter in "ABD":
        with pytest.raises(CheckFailure) as failure:
            check.choose_metric_setup(_returning(letter))
        texts.append(str(failure.value))
    numbers = {f"{row[k]:.2f}" for row in check.MODELS.values()
               for k in ("sensitivity", "false_alarm_rate")} | {"21.0%", "14.0%"}
    for text in texts:
        for model in check.MODELS:
            assert model not in text, (model, text)
        for number in numbers:
            assert number not in text, (number, text)
    check.choose_model(_returning("cnn-medium"))
    out = " ".join(capsys.readouterr().out.split())  # undo the line wrapping
    assert "(set-up B) would have chosen cnn-small" in out, out
    assert "(set-up D) would both have chosen boosted-trees" in out, out


@pytest.mark.parametrize("name", sorted(NUMBERS))
def test_numbers_pass_when_right_and_name_typical_mistakes(name, capsys):
    right, wrongs = NUMBERS[name]
    getattr(check, name)(_returning(right))
    getattr(check, name)(_returning(float(right)))
    assert "passed" in capsys.readouterr().out
    for value, word in wrongs:
        with pytest.raises(CheckFailure, match=word):
            getattr(check, name)(_returning(value))
    for bad in ("4.6", None, [right], float("nan")):
        with pytest.raises(CheckFailure):
            getattr(check, name)(_returning(bad))


def test_oracles_follow_the_data(monkeypatch):
    """The checks recompute the answer from the tables: change a table, the answer moves."""
    faster = {k: dict(v) for k, v in check.MODELS.items()}
    faster["crnn"]["latency_ms"] = 250
    monkeypatch.setattr(check, "MODELS", faster)
    check.choose_model(_returning("crnn"))
    with pytest.raises(CheckFailure):
        check.choose_model(_returning("cnn-medium"))

    biased = dict(check.ERRORS, train=6.0, **{"train-dev": 6.5})
    monkeypatch.setattr(check, "ERRORS", biased)
    check.biggest_problem(_returning("C"))  # avoidable bias 3.0 is now the largest gap
    check.data_mismatch_gap(_returning(2.5))


# ----------------------------------------------------------------------------------------
# the notebook shows the same scenario as the check module


def _notebook():
    return nbformat.read(str(NOTEBOOK), as_version=4)


def test_notebook_data_cells_match_the_check_module():
    namespace = {"pd": pd}
    for cell in _notebook().cells:
        if cell.cell_type == "code" and cell.source.startswith("# Scenario data"):
            exec(cell.source, namespace)  # noqa: S102 - our own notebook's data cells
    scalars = ["S1_CLIPS", "S2_CLIPS", "CLIP_SECONDS", "PREVALENCE", "MAX_FALSE_ALARM",
               "MAX_LATENCY_MS", "TARGET_SE", "EXPECTED_SENSITIVITY", "CLIPS_REVIEWED",
               "NOISE_MINUTES", "IMAGES_REVIEWED", "MODEL_V2B_DEV", "ATTRIBUTE_IMAGES",
               "ALL_FOUR_LABELLED", "RULE_CHANGES_PER_YEAR"]
    for name in scalars:
        assert namespace[name] == getattr(check, name), name
    assert namespace["models"].to_dict(orient="index") == check.MODELS
    pairs = {"errors": "ERRORS", "tally_clips": "TALLY_CLIPS", "human_errors": "HUMAN_ERRORS",
             "model_v1": "MODEL_V1", "model_v2": "MODEL_V2", "tally_images": "TALLY_IMAGES",
             "battery_data": "BATTERY_DATA", "attribute_labels": "ATTRIBUTE_LABELS",
             "sorting_data": "SORTING_DATA"}
    for notebook_name, module_name in pairs.items():
        assert namespace[notebook_name] == getattr(check, module_name), notebook_name


def test_notebook_lists_the_same_options():
    markdown = "\n".join(c.source for c in _notebook().cells if c.cell_type == "markdown")
    for name, options in check.OPTIONS.items():
        for letter, text in options.items():
            assert f"**{letter}.** {text}" in markdown, (name, letter)
