"""The question-answering checks pass correct references and catch typical mistakes."""

import string
from collections import Counter

import numpy as np
import pytest

from tests.check_contract import (
    blank_raises_not_implemented,
    mistake_is_caught,
    reference_passes,
)
from utils.checks import c5w4_transformer_qa as check
from utils.checks.harness import CheckFailure

# ----------------------------------------------------------------------------------------
# references written here, with switches for the typical mistakes


def make_label(end_past=False, one_token=False, question_too=False, by_text=False,
               cut="zero", never_found=False):
    def label_answer_spans(tokenizer, questions, contexts, answer_starts, answers,
                           max_length=64):
        enc = tokenizer(list(questions), list(contexts),
                        truncation="only_second",
                        padding="max_length", max_length=max_length,
                        return_offsets_mapping=True)
        m = len(questions)
        starts, ends = np.zeros(m, dtype=int), np.zeros(m, dtype=int)
        for i in range(m):
            first = answer_starts[i]
            if by_text:
                first = contexts[i].index(answers[i])
            last = first + len(answers[i])
            seq = enc.sequence_ids(i)
            start = end = None
            last_context = 0
            for t, (a, b) in enumerate(enc["offset_mapping"][i]):
                if never_found or seq[t] is None or (seq[t] == 0 and not question_too):
                    continue
                last_context = t if seq[t] == 1 else last_context
                if a <= first < b and start is None:
                    start = t
                if a < last <= b and end is None:
                    end = t
            if one_token and start is not None:
                end = start
            if end_past and end is not None:
                end += 1
            if start is not None and end is not None:
                starts[i], ends[i] = start, end
            elif cut == "last":
                starts[i] = ends[i] = last_context
            elif cut == "start_kept" and start is not None:  # end cut off: (start, 0)
                starts[i] = start
            elif cut == "end_clamped" and start is not None:
                starts[i], ends[i] = start, last_context
        return {"input_ids": np.array(enc["input_ids"]),
                "attention_mask": np.array(enc["attention_mask"]),
                "token_type_ids": np.array(enc["token_type_ids"]),
                "start_positions": starts, "end_positions": ends}
    return label_answer_spans


def make_span(independent=False, ignore_mask=False, no_bound=False, strict_bound=False):
    def best_answer_span(start_logits, end_logits, context_mask, max_answer_length=8):
        n = len(start_logits)
        mask = np.ones(n, dtype=bool) if ignore_mask else np.asarray(context_mask)
        if independent:
            s = int(np.argmax(np.where(mask, start_logits, -np.inf)))
            e = int(np.argmax(np.where(mask, end_logits, -np.inf)))
            return s, e
        best, pair = -np.inf, (0, 0)
        limit = n if no_bound else max_answer_length - (1 if strict_bound else 0)
        for s in range(n):
            for e in range(s, min(n, s + limit)):
                if mask[s] and mask[e] and start_logits[s] + end_logits[e] > best:
                    best, pair = start_logits[s] + end_logits[e], (s, e)
        return pair
    return best_answer_span


def make_normalize(articles=True, boundaries=True, punctuation="delete", spaces=True,
                   articles_first=False):
    def normalize_answer(text):
        text = text.lower()
        if articles_first:
            text = " ".join(w for w in text.split() if w not in ("a", "an", "the"))
        if punctuation == "delete":
            text = "".join(c for c in text if c not in string.punctuation)
        elif punctuation == "space":
            text = "".join(" " if c in string.punctuation else c for c in text)
        elif punctuation == "own list":
            text = "".join(c for c in text if c not in ".,!?;:'\"")
        if articles and not boundaries:
            for article in ("the", "an", "a "):
                text = text.replace(article, "")
        if not spaces:
            return text.replace("the", "")
        words = text.split()
        if articles and boundaries and not articles_first:
            words = [w for w in words if w not in ("a", "an", "the")]
        return " ".join(words)
    return normalize_answer


def make_scores(normalize=None, sets=False, recall_only=False, product=False,
                precision_only=False):
    normalize = make_normalize() if normalize is None else normalize

    def exact_match_and_f1(prediction, truth):
        p, t = normalize(prediction).split(), normalize(truth).split()
        exact = float(p == t)
        if not p or not t:
            return exact, exact
        shared = len(set(p) & set(t)) if sets else sum((Counter(p) & Counter(t)).values())
        if shared == 0:
            return exact, 0.0
        precision, recall = shared / len(p), shared / len(t)
        if sets:
            precision, recall = shared / len(set(p)), shared / len(set(t))
        if precision_only:
            return exact, precision
        if recall_only:
            return exact, recall
        if product:
            return exact, precision * recall
        return exact, 2 * precision * recall / (precision + recall)
    return exact_match_and_f1


REFERENCE = {"label_answer_spans": make_label(), "best_answer_span": make_span(),
             "normalize_answer": make_normalize(), "exact_match_and_f1": make_scores()}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, sorted(REFERENCE), keywords=False)


@pytest.mark.parametrize("wrong, word", [
    (make_label(end_past=True), "not one past it"),
    (make_label(one_token=True), "can span several tokens"),
    (make_label(question_too=True), "search only the context's tokens"),
    (make_label(by_text=True), "not by its text"),
    (make_label(cut="last"), "not the last context token"),
    (make_label(cut="start_kept"), "BOTH positions 0"),
    (make_label(cut="end_clamped"), "instead of ending it at the last context"),
    (make_label(never_found=True), "every example was labelled (0, 0)"),
])
def test_label_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "label_answer_spans", wrong, word)


@pytest.mark.parametrize("wrong, word", [
    (make_span(independent=True), "choose the pair"),
    (make_span(ignore_mask=True), "inside the context"),
    (make_span(no_bound=True), "at most max_answer_length"),
    (make_span(strict_bound=True), "exactly max_answer_length tokens is allowed"),
])
def test_span_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "best_answer_span", wrong, word)


@pytest.mark.parametrize("wrong, word", [
    (make_normalize(articles=False), "remove the articles"),
    (make_normalize(boundaries=False), "whole words only"),
    (make_normalize(punctuation="keep"), "remove punctuation"),
    (make_normalize(punctuation="space"), "rather than replacing"),
    (make_normalize(spaces=False), "collapse white space"),
    (make_normalize(articles_first=True), "BEFORE the articles"),
    (make_normalize(punctuation="own list"), "not a list of your own"),
])
def test_normalize_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "normalize_answer", wrong, word)


@pytest.mark.parametrize("wrong, word", [
    (make_scores(normalize=lambda s: s), "normalise both strings first"),
    (make_scores(sets=True), "not as sets"),
    (make_scores(recall_only=True), "the recall alone"),
    (make_scores(precision_only=True), "precision AND recall"),
    (make_scores(product=True), "not p * r"),
])
def test_scores_mistake_is_caught(wrong, word):
    mistake_is_caught(check, "exact_match_and_f1", wrong, word)


def test_hand_positions_agree_with_the_real_tokenizer():
    tokenizer = check._tokenizer()
    enc = tokenizer(check.HAND_QUESTIONS, check.HAND_CONTEXTS, truncation="only_second",
                    padding="max_length", max_length=check.HAND_LENGTH)
    assert enc.tokens(1)[15:19] == ["ok", "##on", "##k", "##wo"]
    assert enc.tokens(2)[19:21] == ["watering", "can"]
    assert enc.tokens(3)[15:17] == ["ngo", "##zi"]
    assert "mary" not in enc.tokens(4)[9 + 5:]  # the last Mary of story B is cut off
    for i, (context, answer, start) in enumerate(zip(check.HAND_CONTEXTS, check.HAND_ANSWERS,
                                                     check.HAND_STARTS, strict=True)):
        assert context[start:start + len(answer)] == answer
        s, e = check.HAND_POSITIONS[i]
        if s:
            assert enc.char_to_token(i, start, sequence_index=1) == s
            assert enc.char_to_token(i, start + len(answer) - 1, sequence_index=1) == e


def test_verdicts(capsys):
    check.live_training(1.0, 0.5)
    check.trained_reader(0.95, 0.96, {"where_person": 0.9, "carrying": 0.99})
    assert "all 3 verdicts hold" in capsys.readouterr().out
    with pytest.raises(CheckFailure, match="training loss"):
        check.live_training(8.3, 0.0)  # ln(64) * 2: nothing learnt
    with pytest.raises(CheckFailure, match="committed weights"):
        check.trained_reader(0.5, 0.5, {"where_person": 0.5})
