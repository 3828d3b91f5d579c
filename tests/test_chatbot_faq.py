"""The chatbot's FAQ and question files load, are consistent, and bad copies fail clearly."""

import re

import pytest

from utils.data.chatbot_faq import FIELDS, load_faq, load_questions
from utils.data.manifest import DataFileError, read_manifest
from utils.notebook_setup import REPO_ROOT

FAQ = REPO_ROOT / "datasets" / "chatbot" / "faq.toml"
QUESTIONS = REPO_ROOT / "datasets" / "chatbot" / "questions.toml"


def test_committed_files_are_listed_and_complete():
    manifest = read_manifest()
    assert "chatbot/faq.toml" in manifest and "chatbot/questions.toml" in manifest
    faq = load_faq()
    assert len(faq) >= 150
    assert all(tuple(entry) == FIELDS for entry in faq)
    for entry in faq:  # 1-3 sentences each
        sentences = re.findall(r"[.!?](?:\s|$)", entry["answer"])
        assert 1 <= len(sentences) <= 3, entry["id"]
    sets = load_questions()
    assert len(sets["test"]["paraphrases"]) >= 100
    assert len(sets["test"]["off_topic"]) >= 20 and len(sets["test"]["follow_ups"]) >= 10
    assert len(sets["tuning"]["paraphrases"]) >= 100


def test_no_question_is_copied_from_the_faq_or_shared_between_sets():
    faq = load_faq()
    faq_questions = {e["question"].lower().rstrip("?") for e in faq}
    examples = {q.lower().rstrip("?") for e in faq for q in e["examples"]}
    sets = load_questions()
    for name in ("tuning", "test"):
        for question, _ in sets[name]["paraphrases"]:
            assert question.lower().rstrip("?") not in faq_questions, question
    # (a few tuning questions happen to equal examples written later, without seeing them)
    for question, _ in sets["test"]["paraphrases"]:
        assert question.lower().rstrip("?") not in examples, question
    tuning = {q for q, _ in sets["tuning"]["paraphrases"]}
    assert not tuning & {q for q, _ in sets["test"]["paraphrases"]}


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_field_and_duplicate_id_are_reported(tmp_path):
    text = FAQ.read_text(encoding="utf-8")
    no_also = re.sub(r'^also = .*\n', "", text, count=1, flags=re.MULTILINE)
    with pytest.raises(DataFileError, match="entry 1 lacks also"):
        load_faq(_write(tmp_path, "a.toml", no_also))
    no_examples = re.sub(r'^examples = .*\n', "examples = []\n", text, count=1,
                         flags=re.MULTILINE)
    with pytest.raises(DataFileError, match="entry 1 lacks examples"):
        load_faq(_write(tmp_path, "e.toml", no_examples))
    duplicate = text.replace('id = "sigmoid"', 'id = "neuron"')
    with pytest.raises(DataFileError, match="'neuron' is used twice"):
        load_faq(_write(tmp_path, "b.toml", duplicate))
    with pytest.raises(DataFileError, match="not valid TOML"):
        load_faq(_write(tmp_path, "c.toml", text + "\n[[entry]\n"))


def test_unknown_id_and_shared_question_are_reported(tmp_path):
    text = QUESTIONS.read_text(encoding="utf-8")
    unknown = text.replace('"what is ctc loss", "ctc"', '"what is ctc loss", "no-such-id"')
    with pytest.raises(DataFileError, match="no-such-id"):
        load_questions(_write(tmp_path, "q.toml", unknown))
    test_question = '"sigmoid activation, what values can come out of it", "sigmoid"'
    assert text.count(test_question) == 1 and text.index(test_question) > text.index("[test]")
    shared = text.replace(test_question, '"explain adam", "adam"')
    with pytest.raises(DataFileError, match="questions in both sets"):
        load_questions(_write(tmp_path, "r.toml", shared))
