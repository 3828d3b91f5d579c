"""The chatbot checks pass correct references and catch typical mistakes."""

import re

import numpy as np
import pytest

from tests.check_contract import (
    blank_raises_not_implemented,
    mistake_is_caught,
    reference_passes,
)
from utils.checks import c5w4_chatbot as check
from utils.checks.harness import CheckFailure

BACK_REFERENCES = {"it", "its", "that", "they", "them", "their", "those"}

# ----------------------------------------------------------------------------------------
# references written here, with switches for the typical mistakes


def make_pool(masked=True, normalise=True, divide_by="real", axis=1, in_place=False):
    def mean_pool(token_vectors, attention_mask):
        mask = attention_mask[:, :, None].astype(float)
        if in_place:
            token_vectors *= mask
        summed = (token_vectors * mask).sum(1) if masked else token_vectors.sum(1)
        count = mask.sum(1) if divide_by == "real" else token_vectors.shape[1]
        mean = summed / count
        if not normalise:
            return mean
        return mean / np.linalg.norm(mean, axis=axis, keepdims=True)
    return mean_pool


def make_topk(normalise=True, order="desc", as_list=False, axis=1):
    def top_k_passages(query_vectors, passage_vectors, k):
        q, p = query_vectors, passage_vectors
        if normalise:
            q = q / np.linalg.norm(q, axis=1, keepdims=True)
            p = p / np.linalg.norm(p, axis=1, keepdims=True)
        sim = q @ p.T
        key = -sim if order == "desc" else sim
        idx = np.argsort(key, axis=1, kind="stable")[:, :k]
        if order == "unsorted":
            idx = np.sort(np.argsort(-sim, axis=1, kind="stable")[:, :k], axis=1)
        scores = np.take_along_axis(sim, idx, 1)
        if as_list:
            return idx.tolist(), scores
        return idx, scores
    return top_k_passages


def make_rerank(on_dense=False, positions=False, ascending=False, reorder_scores=True,
                k_ignored=False, reversed_sort=False, dense_scores=False, unstable=False):
    def rerank_with_keywords(candidates, dense_scores_, keyword_scores, weight, k):
        if on_dense:
            hybrid = weight * dense_scores_ + keyword_scores
        else:
            hybrid = dense_scores_ + weight * keyword_scores
        if ascending:
            order = np.argsort(hybrid, axis=1, kind="stable")
        elif reversed_sort:
            order = np.argsort(hybrid, axis=1, kind="stable")[:, ::-1]
        else:
            order = np.argsort(-hybrid, axis=1, kind="quicksort" if unstable else "stable")
        if not k_ignored:
            order = order[:, :k]
        indices = order if positions else np.take_along_axis(candidates, order, axis=1)
        source = dense_scores_ if dense_scores else hybrid
        if reorder_scores:
            scores = np.take_along_axis(source, order, axis=1)
        else:
            scores = source[:, :order.shape[1]]
        return indices, scores
    return rerank_with_keywords


def make_follow(substring=False, starts=True, refs=True, strict=False, split=False,
                prefix=False, anywhere=False, own_list=False):
    def is_follow_up(question, max_words=4):
        text = question.lower()
        words = text.split() if split else re.findall(r"[a-z0-9']+", text)
        short = len(words) < max_words if strict else len(words) <= max_words
        begin = words[:1] == ["and"] or words[:2] in (["what", "about"], ["how", "about"])
        if prefix:
            begin = text.startswith(("and", "what about", "how about"))
        if anywhere:
            begin = "and" in words or begin
        if own_list:
            ref = any(w in ("it", "that", "they") for w in words)
        elif substring:
            ref = any(r in text for r in BACK_REFERENCES) or "and" in text
        else:
            ref = any(w in BACK_REFERENCES for w in words)
        return short or (begin and starts) or (ref and refs)
    return is_follow_up


def make_memory(normalise=True, convex=False, always=False, swap=False):
    def query_with_memory(question_vector, previous_vector, follow_up, weight):
        if previous_vector is None or (not follow_up and not always):
            return question_vector
        if convex:
            blend = (1 - weight) * question_vector + weight * previous_vector
        elif swap:
            blend = weight * question_vector + previous_vector
        else:
            blend = question_vector + weight * previous_vector
        return blend / np.linalg.norm(blend) if normalise else blend
    return query_with_memory


def make_threshold(balanced=True, strict=False, highest_tie=False):
    def choose_threshold(on_topic_scores, off_topic_scores):
        on, off = np.asarray(on_topic_scores), np.asarray(off_topic_scores)
        cands = np.unique(np.concatenate([on, off]))
        def score(t):
            hit_on = on > t if strict else on >= t
            hit_off = off <= t if strict else off < t
            if balanced:
                return (hit_on.mean() + hit_off.mean()) / 2
            return np.concatenate([hit_on, hit_off]).mean()
        values = np.array([score(t) for t in cands])
        if highest_tie:
            return float(cands[len(values) - 1 - int(np.argmax(values[::-1]))])
        return float(cands[int(np.argmax(values))])
    return choose_threshold


REFERENCE = {
    "mean_pool": make_pool(),
    "top_k_passages": make_topk(),
    "rerank_with_keywords": make_rerank(),
    "query_with_memory": make_memory(),
    "choose_threshold": make_threshold(),
}
NAMES = list(REFERENCE)


@pytest.mark.parametrize("name", NAMES)
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_is_follow_up_reference_passes(capsys):
    check.is_follow_up(make_follow(), BACK_REFERENCES)
    assert "is_follow_up: all" in capsys.readouterr().out


def test_blank_raises_not_implemented():
    blank_raises_not_implemented(check, NAMES, keywords=False)

    def blank(*args):
        raise NotImplementedError("fill me in")

    with pytest.raises(NotImplementedError):
        check.is_follow_up(blank, BACK_REFERENCES)
    with pytest.raises(NotImplementedError):
        check.mean_pool_on_minilm(blank, FakeModel(), _tokenizer())


@pytest.mark.parametrize("name, wrong, word", [
    ("mean_pool", make_pool(masked=False), "padding positions were averaged in"),
    ("mean_pool", make_pool(normalise=False), "not normalised"),
    ("mean_pool", make_pool(divide_by="padded", normalise=False), "number of REAL tokens"),
    ("mean_pool", make_pool(axis=0), "axis=1"),
    ("mean_pool", make_pool(in_place=True), "changed in place"),
    ("top_k_passages", make_topk(normalise=False), "raw dot product"),
    ("top_k_passages", make_topk(order="asc"), "LEAST similar"),
    ("top_k_passages", make_topk(order="unsorted"), "np.argsort(-scores"),
    ("top_k_passages", make_topk(as_list=True), "ndarray"),
    ("rerank_with_keywords", make_rerank(on_dense=True), "multiplies the KEYWORD scores"),
    ("rerank_with_keywords", make_rerank(positions=True), "not passage indices"),
    ("rerank_with_keywords", make_rerank(ascending=True), "WORST candidates"),
    ("rerank_with_keywords", make_rerank(reorder_scores=False), "still in the candidates' "
     "order"),
    ("rerank_with_keywords", make_rerank(dense_scores=True), "HYBRID scores"),
    ("rerank_with_keywords", make_rerank(k_ignored=True), "keep only the k best"),
    ("rerank_with_keywords", make_rerank(reversed_sort=True), "reverses tied candidates"),
    ("rerank_with_keywords", make_rerank(unstable=True), "may swap tied entries"),
    ("query_with_memory", make_memory(normalise=False), "unit length"),
    ("query_with_memory", make_memory(convex=True), "not (1 - weight)"),
    ("query_with_memory", make_memory(swap=True), "PREVIOUS question"),
    ("query_with_memory", make_memory(always=True), "not a follow-up keeps its own vector"),
    ("choose_threshold", make_threshold(balanced=False), "balanced accuracy"),
    ("choose_threshold", make_threshold(strict=True), "score >= t"),
    ("choose_threshold", make_threshold(highest_tie=True), "lowest candidate"),
])
def test_mistake_is_caught(name, wrong, word):
    mistake_is_caught(check, name, wrong, word)


@pytest.mark.parametrize("wrong, word", [
    (make_follow(substring=True), "whole words"),
    (make_follow(starts=False), "starts with 'and'"),
    (make_follow(refs=False), "contains the word 'it'"),
    (make_follow(strict=True), "at most max_words"),
    (make_follow(split=True), "once the punctuation is set aside"),
    (make_follow(prefix=True), "is not the word 'and'"),
    (make_follow(anywhere=True), "only as the FIRST word"),
    (make_follow(own_list=True), "not a list of your own"),
])
def test_follow_up_mistake_is_caught(wrong, word):
    with pytest.raises(CheckFailure) as failure:
        check.is_follow_up(wrong, BACK_REFERENCES)
    assert word in str(failure.value), str(failure.value)


# ----------------------------------------------------------------------------------------
# mean_pool_on_minilm with a stand-in model (the real one is run by the notebook)

def _tokenizer():
    from utils.data.minilm import load_tokenizer

    return load_tokenizer()


class _Output:
    def __init__(self, hidden):
        self.last_hidden_state = _Tensor(hidden)


class _Tensor:
    def __init__(self, array):
        self.array = array

    def numpy(self):
        return self.array


class FakeModel:
    """Token vectors that depend on the token id, and on the padded length at the padding
    (as BERT's do)."""

    def __call__(self, inputs, training=False):
        ids = np.asarray(inputs["input_ids"])
        mask = np.asarray(inputs["attention_mask"])
        rng = np.random.default_rng(0)
        table = rng.normal(size=(30522, 8))
        hidden = table[ids]
        noise = np.random.default_rng(ids.shape[1]).normal(size=hidden.shape)
        return _Output(np.where(mask[..., None] == 1, hidden, 3 * noise))


def test_mean_pool_on_minilm_with_a_stand_in(capsys):
    check.mean_pool_on_minilm(make_pool(), FakeModel(), _tokenizer())
    assert "all 7 checks passed" in capsys.readouterr().out
    with pytest.raises(CheckFailure, match="must not depend on how much padding"):
        check.mean_pool_on_minilm(make_pool(masked=False), FakeModel(), _tokenizer())


def test_verdicts_hold_and_fail():
    check.retrieval_results(0.946, 0.993, 1.0, 0.973, 0.891)
    check.conversation_results(11 / 12, 11 / 12, 0.91, 0.70)
    with pytest.raises(CheckFailure, match="top-1"):
        check.retrieval_results(0.5, 0.993, 1.0, 0.973, 0.4)
    with pytest.raises(CheckFailure, match="dense scores alone"):
        check.retrieval_results(0.891, 0.98, 1.0, 0.973, 0.891)
    with pytest.raises(CheckFailure, match="off-topic"):
        check.retrieval_results(0.946, 0.993, 0.3, 0.973, 0.891)
    with pytest.raises(CheckFailure, match="tuning follow-ups"):
        check.conversation_results(11 / 12, 11 / 12, 0.70, 0.70)
    with pytest.raises(CheckFailure, match="with memory on the test follow-ups"):
        check.conversation_results(9 / 12, 3 / 12, 0.83, 0.15)  # weight * q + previous
    with pytest.raises(CheckFailure, match="not worse than none"):
        check.conversation_results(10 / 12, 11 / 12, 0.91, 0.70)
