"""The scenarios of the Course 3, week 2 case studies, for the notebook and its checks.

The numbers and lettered options of both case studies were written by hand for this
repository and are committed as ``datasets/case_studies/scenarios.toml``, with a comment on
every value. The notebook ``course3_structuring_ml/week2_case_studies.ipynb`` shows them and
``utils.checks.c3w2_case_studies`` judges the learner's decisions against them, so both read
the same file through :func:`load_case_studies`.

The result is ``{case study: {name: value}}`` with the case studies ``"stethoscope"`` and
``"sorting_robot"`` (:data:`CASE_STUDIES`); tables (models, error rates, tallies) are dicts
in the file's order, and ``options`` maps each lettered decision to ``{letter: text}``.
"""

import tomllib

from utils.data.manifest import DataFileError, verified_path

RELATIVE_PATH = "case_studies/scenarios.toml"
CASE_STUDIES = ("stethoscope", "sorting_robot")
REQUIRED = {  # case study -> the names every reader relies on
    "stethoscope": (
        "s1_clips", "s2_clips", "clip_seconds", "prevalence", "max_false_alarm",
        "max_latency_ms", "target_se", "expected_sensitivity", "clips_reviewed",
        "noise_minutes", "setup_b_min_sensitivity", "setup_a_dev_share", "models", "errors",
        "tally_clips", "options",
    ),
    "sorting_robot": (
        "model_v2b_dev", "images_reviewed", "attribute_images", "all_four_labelled",
        "rule_changes_per_year", "human_errors", "model_v1", "model_v2", "tally_images",
        "battery_data", "attribute_labels", "sorting_data", "options",
    ),
}


def load_case_studies(path=None):
    """Both scenarios as ``{case study: {name: value}}``, a fresh copy on every call.

    With no ``path`` the committed file is checked against ``datasets/MANIFEST`` first; a
    missing, corrupt or incomplete file raises ``utils.data.manifest.DataFileError``.
    """
    if path is None:
        path = verified_path(RELATIVE_PATH)
    try:
        with open(path, "rb") as handle:
            scenarios = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"{path}: not valid TOML ({error})") from error
    for case, names in REQUIRED.items():
        missing = [name for name in names if name not in scenarios.get(case, {})]
        if missing:
            raise DataFileError(f"{path}: [{case}] lacks {', '.join(missing)}")
        for decision, options in scenarios[case]["options"].items():
            if not options or not all(len(k) == 1 and k.isupper() and isinstance(v, str)
                                      for k, v in options.items()):
                raise DataFileError(f"{path}: [{case}.options.{decision}] must map capital "
                                    "letters to option texts")
    return scenarios
