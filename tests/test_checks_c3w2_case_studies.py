"""The Course 3 week-2 case-study checks accept the right decisions and reject every wrong one.

The right answers below were worked out by hand from the scenarios' tables; the check module
recomputes them from datasets/case_studies/scenarios.toml. The notebook must take its numbers
and options from that file too, and its prose must quote the same numbers.
"""

import re

import nbformat
import pandas as pd
import pytest

from utils.checks import c3w2_case_studies as check
from utils.checks.harness import CheckFailure
from utils.data.case_studies import load_case_studies
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
        (15_000 - 2 * 188, "Square both sides"),  # n = sqrt(p(1 - p)) / se
        (15_000 - 2 * 18, "Divide by the prevalence"),  # 225 * 0.08 instead of 225 / 0.08
        (2 * 2813, "dev and test together"),      # returned what dev and test take
        (0, "standard error"),                    # something unrelated: generic hint
    ]),
    # dev 9.0 - train-dev 4.4
    "data_mismatch_gap": (4.6, [
        (5.4, "variance"), (-4.6, "sign"), (0.046, "percent"), (4.9, "test error"),
        (6.0, "every gap"), (0.8, "train-dev"), (0.3, "overfitting to the dev set"),
    ]),
    # 88 / 200 * 9.0
    "error_analysis_ceiling": (3.96, [
        (9.0 * 88 / 216, "several"), (0.44, "share"), (44.0, "percent"), (2.34, "largest"),
        (9.0 - 3.96, "left after a perfect fix"), (9.3 * 88 / 200, "not the test error"),
    ]),
    # 5.6 - 2.4 (expert panel)
    "avoidable_bias_v1": (3.2, [
        (0.6, "experienced sorter"), (1.4, "materials engineer"), (-6.4, "trainee"),
        (0.9, "variance"), (4.1, "training error"), (-3.2, "sign"), (0.032, "percent"),
        (5.6 - (12.0 + 5.0 + 4.2 + 2.4) / 4, "average"),
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
              and n not in ("Checker", "load_case_studies")]
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
    models = check.STETHOSCOPE["models"]
    numbers = {f"{row[k]:.2f}" for row in models.values()
               for k in ("sensitivity", "false_alarm_rate")} | {"21.0%", "14.0%"}
    for text in texts:
        for model in models:
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
    faster = {k: dict(v) for k, v in check.STETHOSCOPE["models"].items()}
    faster["crnn"]["latency_ms"] = 250
    monkeypatch.setitem(check.STETHOSCOPE, "models", faster)
    check.choose_model(_returning("crnn"))
    with pytest.raises(CheckFailure):
        check.choose_model(_returning("cnn-medium"))

    biased = dict(check.STETHOSCOPE["errors"], train=6.0, **{"train-dev": 6.5})
    monkeypatch.setitem(check.STETHOSCOPE, "errors", biased)
    check.biggest_problem(_returning("C"))  # avoidable bias 3.0 is now the largest gap
    check.data_mismatch_gap(_returning(2.5))


# ----------------------------------------------------------------------------------------
# the notebook shows the scenario file's numbers and options


def _notebook():
    return nbformat.read(str(NOTEBOOK), as_version=4)


# notebook variable -> (case study, name in the scenario file)
NOTEBOOK_VARIABLES = {
    "S1_CLIPS": ("stethoscope", "s1_clips"), "S2_CLIPS": ("stethoscope", "s2_clips"),
    "CLIP_SECONDS": ("stethoscope", "clip_seconds"), "PREVALENCE": ("stethoscope", "prevalence"),
    "MAX_FALSE_ALARM": ("stethoscope", "max_false_alarm"),
    "MAX_LATENCY_MS": ("stethoscope", "max_latency_ms"),
    "TARGET_SE": ("stethoscope", "target_se"),
    "EXPECTED_SENSITIVITY": ("stethoscope", "expected_sensitivity"),
    "errors": ("stethoscope", "errors"), "CLIPS_REVIEWED": ("stethoscope", "clips_reviewed"),
    "tally_clips": ("stethoscope", "tally_clips"),
    "NOISE_MINUTES": ("stethoscope", "noise_minutes"),
    "human_errors": ("sorting_robot", "human_errors"), "model_v1": ("sorting_robot", "model_v1"),
    "model_v2": ("sorting_robot", "model_v2"),
    "IMAGES_REVIEWED": ("sorting_robot", "images_reviewed"),
    "tally_images": ("sorting_robot", "tally_images"),
    "MODEL_V2B_DEV": ("sorting_robot", "model_v2b_dev"),
    "battery_data": ("sorting_robot", "battery_data"),
    "ATTRIBUTE_IMAGES": ("sorting_robot", "attribute_images"),
    "attribute_labels": ("sorting_robot", "attribute_labels"),
    "ALL_FOUR_LABELLED": ("sorting_robot", "all_four_labelled"),
    "sorting_data": ("sorting_robot", "sorting_data"),
    "RULE_CHANGES_PER_YEAR": ("sorting_robot", "rule_changes_per_year"),
}


def test_notebook_data_cells_read_the_scenario_file():
    scenarios = load_case_studies()
    namespace = {"pd": pd, "scenarios": load_case_studies()}
    data_cells = [c.source for c in _notebook().cells
                  if c.cell_type == "code" and "# Scenario data" in c.source]
    assert len(data_cells) == 12
    for source in data_cells:
        assert not re.search(r"= *-?\d", source), f"a number typed into a data cell:\n{source}"
        exec(source, namespace)  # noqa: S102 - our own notebook's data cells
    for variable, (case, name) in NOTEBOOK_VARIABLES.items():
        assert namespace[variable] == scenarios[case][name], variable
    assert namespace["models"].to_dict(orient="index") == scenarios["stethoscope"]["models"]


def test_notebook_shows_each_decisions_options_before_its_exercise():
    cells = _notebook().cells
    sources = [c.source for c in cells]
    for name in check.OPTIONS:
        shown = sources.index(f'show_options(options["{name}"])')
        graded = next(i for i, source in enumerate(sources)
                      if source.startswith(f"# GRADED FUNCTION: {name}"))
        assert shown < graded, name
    markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert "**A.**" not in markdown, "options belong in the scenario file, not in the markdown"


def test_notebook_prose_quotes_the_files_numbers():
    """The markdown tells the story with some of the file's numbers: they must agree."""
    clinic, plant = (load_case_studies()[case] for case in ("stethoscope", "sorting_robot"))
    markdown = "\n".join(c.source for c in _notebook().cells if c.cell_type == "markdown")
    quoted = [f"{clinic['s1_clips']:,} labelled S1 clips", f"{clinic['s2_clips']:,} labelled S2",
              f"{clinic['prevalence']:.0%} of clips are abnormal",
              f"in {clinic['max_latency_ms']} ms per clip",
              f"{clinic['errors']['dev']}% of the S2 dev clips",
              f"listened to {clinic['clips_reviewed']} of the misclassified",
              f"{plant['model_v2']['train']}% training\nerror, {plant['model_v2']['dev']}% dev",
              f"reviewed {plant['images_reviewed']} of v2's",
              f"It scores {plant['model_v2b_dev']}% on"]
    for text in quoted:
        assert " ".join(text.split()) in " ".join(markdown.split()), text
