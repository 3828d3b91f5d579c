"""The bAbI-style stories: deterministic, answers are spans, held-out words stay held out."""

import re
from collections import Counter

from utils.data.babi_stories import HELD_OUT, TASKS, load_babi_qa, make_examples


def test_same_seed_same_examples():
    assert make_examples(20) == make_examples(20)
    assert make_examples(20) != make_examples(20, seed=5)


def test_answer_is_the_span_at_answer_start():
    for split in ("train", "test"):
        for e in make_examples(200, split):
            start = e["answer_start"]
            assert e["context"][start:start + len(e["answer"])] == e["answer"]
            assert e["task"] in TASKS
            assert isinstance(e["answer"], str) and isinstance(e["answer_start"], int)


def test_held_out_words_only_in_test_stories():
    held = {w for words in HELD_OUT.values() for w in words}
    data = load_babi_qa()
    train_words = {w for e in data["train"]
                   for w in re.findall(r"\w+", e["context"] + " " + e["question"])}
    assert not train_words & held
    for e in data["test"]:
        assert set(re.findall(r"\w+", e["context"])) & held


def test_every_task_is_asked_in_both_splits():
    data = load_babi_qa()
    for split in ("train", "test"):
        counts = Counter(e["task"] for e in data[split])
        assert set(counts) == set(TASKS)
        assert min(counts.values()) >= 25


def test_where_person_is_the_last_move():
    for e in make_examples(100):
        if e["task"] != "where_person":
            continue
        person = e["question"].split()[-1].rstrip("?")
        moves = re.findall(rf"{person} [a-z ]+ to the (\w+)\.", e["context"])
        assert moves[-1] == e["answer"]


def test_carrying_answer_was_picked_up_or_handed_over():
    for e in make_examples(100):
        if e["task"] != "carrying":
            continue
        person = e["question"].split()[2]
        before = e["context"][:e["answer_start"]]
        sentence = before[before.rfind(".") + 1:]
        assert person in sentence + e["context"][e["answer_start"]:].split(".")[0]
