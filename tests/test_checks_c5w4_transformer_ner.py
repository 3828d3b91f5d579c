"""The NER checks pass correct references and catch typical mistakes."""

import numpy as np
import pytest

from tests.check_contract import (
    blank_raises_not_implemented,
    mistake_is_caught,
    reference_passes,
)
from utils.checks import c5w4_transformer_ner as check
from utils.checks.harness import CheckFailure

# ----------------------------------------------------------------------------------------
# references written here, with switches for the typical mistakes


def make_align(later="ignore", special=-100, aligned=True, as_list=False, pad=True,
               use_map=True):
    def tokenize_and_align_labels(sentences, tags, tokenizer, label_to_id, max_length=32):
        labels_map = label_to_id if use_map else check.CHECK_LABELS | {"B-LOC": 9}
        if not use_map:
            from utils.data.ner_sentences import LABEL_TO_ID
            labels_map = LABEL_TO_ID
        enc = tokenizer(sentences, is_split_into_words=True, truncation=True,
                        padding="max_length" if pad else True, max_length=max_length)
        length = len(enc["input_ids"][0])
        labels = np.full((len(sentences), length), -100)
        for i, sentence_tags in enumerate(tags):
            ids = enc.word_ids(i)
            if not aligned:
                for j, tag in enumerate(sentence_tags[:length - 2]):
                    labels[i, j + 1] = labels_map[tag]
                continue
            previous = None
            for position, word in enumerate(ids):
                if word is None:
                    labels[i, position] = special
                elif word != previous:
                    labels[i, position] = labels_map[sentence_tags[word]]
                elif later == "same":
                    labels[i, position] = labels_map[sentence_tags[word]]
                elif later == "inside":
                    tag = sentence_tags[word]
                    labels[i, position] = labels_map["I-" + tag[2:] if tag != "O" else "O"]
                previous = word
        out = {"input_ids": np.array(enc["input_ids"]),
               "attention_mask": np.array(enc["attention_mask"]), "labels": labels}
        if as_list:
            out["labels"] = labels.tolist()
        return out
    return tokenize_and_align_labels


def make_extract(inclusive=False, flush=True, merge_b=False, i_any=False, i_needs_b=False,
                 prefix=False):
    def extract_entities(tags):
        out, kind, start = [], None, None
        for i, tag in enumerate(tags):
            p, k = (tag[0], tag[2:]) if tag != "O" else ("O", None)
            continues = kind is not None and p == "I" and (k == kind or i_any)
            continues = continues or (merge_b and kind is not None and p == "B" and k == kind)
            if kind is not None and not continues:
                out.append((kind, start, i))
                kind = None
            if p in ("B", "I") and kind is None and not (i_needs_b and p == "I"):
                kind, start = k, i
        if kind is not None and flush:
            out.append((kind, start, len(tags)))
        if inclusive:
            out = [(k, a, b - 1) for k, a, b in out]
        if prefix:
            out = [("B-" + k, a, b) for k, a, b in out]
        return out
    return extract_entities


def make_scores(extract=None, by_sentence=True, macro=False, swap=False, zero_guard=True,
                true_kinds_only=False, joined=False):
    extract = extract or make_extract()

    def entity_scores(true_tags, pred_tags):
        def spans(all_tags):
            if joined:  # every sentence's tags run together
                all_tags = [[tag for tags in all_tags for tag in tags]]
            return {((i,) if by_sentence else ()) + tuple(e)
                    for i, tags in enumerate(all_tags) for e in extract(tags)}
        true, pred = spans(true_tags), spans(pred_tags)
        at = 1 if by_sentence else 0
        kinds = sorted({e[at] for e in (true if true_kinds_only else true | pred)})
        out = {}
        for kind in kinds + ["overall"]:
            t = {e for e in true if kind in ("overall", e[at])}
            p = {e for e in pred if kind in ("overall", e[at])}
            hits = len(t & p)
            if zero_guard:
                precision = hits / len(p) if p else 0.0
                recall = hits / len(t) if t else 0.0
            else:
                precision, recall = hits / len(p), hits / len(t)
            if swap:
                precision, recall = recall, precision
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            out[kind] = {"precision": precision, "recall": recall, "f1": f1,
                         "support": len(t)}
        if macro:
            keys = ("precision", "recall", "f1")
            out["overall"].update({k: float(np.mean([out[c][k] for c in kinds])) for k in keys})
        return out
    return entity_scores


REFERENCE = {"tokenize_and_align_labels": make_align(), "extract_entities": make_extract(),
             "entity_scores": make_scores()}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, sorted(REFERENCE), keywords=False)


@pytest.mark.parametrize("wrong, word", [
    (make_align(later="same"), "only the FIRST sub-word"),
    (make_align(later="inside"), "I- tag is a choice"),
    (make_align(special=0), "not 0, which is the id of 'O'"),
    (make_align(aligned=False), "word_ids(i) to find the word"),
    (make_align(as_list=True), "numpy array"),
    (make_align(pad=False), "padding='max_length'"),
    (make_align(use_map=False), "label_to_id[tag]"),
])
def test_align_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "tokenize_and_align_labels", wrong, word)


@pytest.mark.parametrize("wrong, word", [
    (make_extract(inclusive=True), "one PAST the last word"),
    (make_extract(prefix=True), "without its B-/I- prefix"),
    (make_extract(flush=False), "still open after the last tag"),
    (make_extract(merge_b=True), "always starts a NEW entity"),
    (make_extract(i_any=True), "I-ORG cannot continue a PER"),
    (make_extract(i_needs_b=True), "no entity of its type open starts one"),
])
def test_extract_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "extract_entities", wrong, word)


@pytest.mark.parametrize("wrong, word", [
    (make_scores(by_sentence=False), "not paired with their sentence index"),
    (make_scores(macro=True), "micro average"),
    (make_scores(swap=True), "they are swapped"),
    (make_scores(extract=make_extract(inclusive=True, flush=False)), "is extract_entities right"),
    (make_scores(true_kinds_only=True), "from the true AND the predicted tags"),
    (make_scores(joined=True), "are two entities"),
])
def test_scores_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "entity_scores", wrong, word)


def test_scores_division_by_zero_is_a_failure_not_a_crash():
    mistake_is_caught(check, "entity_scores", make_scores(zero_guard=False), "not a division")


def test_hand_labels_agree_with_the_real_tokenizer():
    tokenizer = check._tokenizer()
    enc = tokenizer(check.HAND_SENTENCES, is_split_into_words=True, truncation=True,
                    padding="max_length", max_length=check.HAND_LENGTH)
    assert enc.tokens(0)[:7] == ["[CLS]", "ngo", "##zi", "ok", "##on", "##k", "##wo"]
    assert enc.tokens(1)[3:6] == ["c", "+", "+"]


def test_verdicts(capsys):
    check.live_training(0.9, 0.7)
    scores = {k: {"f1": 0.95} for k in ("PER", "ORG", "LOC", "DATE", "SKILL", "overall")}
    check.trained_tagger(scores)
    assert "all 2 verdicts hold" in capsys.readouterr().out
    with pytest.raises(CheckFailure, match="training loss"):
        check.live_training(2.3, 0.0)  # no learning at all
    scores["overall"]["f1"] = 0.5
    with pytest.raises(CheckFailure, match="committed weights"):
        check.trained_tagger(scores)
