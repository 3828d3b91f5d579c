"""The case-study scenario file loads, is complete, and bad copies fail with a clear message."""

import pytest

from utils.data.case_studies import CASE_STUDIES, REQUIRED, load_case_studies
from utils.data.manifest import DataFileError, read_manifest
from utils.notebook_setup import REPO_ROOT

COMMITTED = REPO_ROOT / "datasets" / "case_studies" / "scenarios.toml"


def test_committed_file_is_listed_and_complete():
    assert "case_studies/scenarios.toml" in read_manifest()
    scenarios = load_case_studies()
    assert tuple(scenarios) == CASE_STUDIES
    for case, names in REQUIRED.items():
        assert set(names) <= set(scenarios[case]), case
    models = scenarios["stethoscope"]["models"]
    assert list(models) == ["cnn-large", "crnn", "cnn-medium", "cnn-small", "boosted-trees"]
    assert models["cnn-medium"] == {"sensitivity": 0.91, "false_alarm_rate": 0.09,
                                    "latency_ms": 170}
    assert scenarios["stethoscope"]["s1_clips"] == 180_000
    assert list(scenarios["sorting_robot"]["options"]["sorting_architecture"]) == ["A", "B", "C"]


def test_every_call_returns_a_fresh_copy():
    first = load_case_studies()
    first["stethoscope"]["errors"]["dev"] = 1.0
    assert load_case_studies()["stethoscope"]["errors"]["dev"] == 9.0


def _copy_without(tmp_path, line_start):
    lines = COMMITTED.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(line_start)]
    assert len(kept) == len(lines) - 1
    path = tmp_path / "scenarios.toml"
    path.write_text("".join(kept), encoding="utf-8")
    return path


def test_missing_value_is_named(tmp_path):
    with pytest.raises(DataFileError, match=r"\[stethoscope\] lacks target_se"):
        load_case_studies(_copy_without(tmp_path, "target_se ="))


def test_bad_options_and_bad_toml_are_rejected(tmp_path):
    path = tmp_path / "scenarios.toml"
    text = COMMITTED.read_text(encoding="utf-8")
    path.write_text(text.replace('D = "Train a bigger network for longer."',
                                 'd = "Train a bigger network for longer."'), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"options\.synthesis_plan\] must map capital"):
        load_case_studies(path)
    path.write_text(text.replace("s1_clips = 180_000", "s1_clips = "), encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid TOML"):
        load_case_studies(path)
