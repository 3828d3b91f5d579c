"""Tests of utils.data.ner_sentences: BIO validity, held-out pools, determinism, lengths."""

import pytest

from utils.data import ner_sentences as ns


@pytest.fixture(scope="module")
def data():
    return ns.load_ner_sentences()


def test_labels():
    assert len(ns.LABELS) == 11 and ns.LABELS[0] == "O"
    assert ns.LABEL_TO_ID["B-PER"] == 1 and ns.LABEL_TO_ID["I-SKILL"] == 10


def test_sizes_and_valid_bio(data):
    for split, n in (("train", 2000), ("test", 400)):
        words, tags = data[f"{split}_words"], data[f"{split}_tags"]
        assert len(words) == len(tags) == n
        for w, t in zip(words, tags, strict=True):
            assert len(w) == len(t) > 0
            assert set(t) <= set(ns.LABELS)
            for previous, tag in zip(["O"] + t, t, strict=False):
                if tag.startswith("I-"):  # an I- tag always continues its own type
                    assert previous[2:] == tag[2:], (w, t)
    assert sum(data["test_unseen_template"]) == 200


def test_same_seed_same_sentences_other_seed_other_ones(data):
    again = ns.load_ner_sentences()
    assert again == data
    assert ns.load_ner_sentences(n_train=50, n_test=10, seed=1)["train_words"] != \
        data["train_words"][:50]
    # pinned: a change of the templates, pools or sampling shows up here
    assert ns.join_words(data["train_words"][0]) == PINNED_FIRST


PINNED_FIRST = "Orchid Bank signed a contract with officials in Argentina on November 15, 2011."


def test_pools_are_disjoint_except_suffixes():
    pools = ns.entity_pools()
    for key in pools["train"]:
        shared = set(pools["train"][key]) & set(pools["test"][key])
        assert (shared == set(ns.ORG_SUFFIXES)) if key in ns.SHARED_POOLS else not shared, key
    names_train = set(pools["train"]["first"]) | set(pools["train"]["surname"])
    names_test = set(pools["test"]["first"]) | set(pools["test"]["surname"])
    assert not names_train & names_test


def test_test_entities_never_appear_in_training(data):
    def entities(words, tags, kind):
        found = set()
        for w, t in zip(words, tags, strict=True):
            for i, tag in enumerate(t):
                if tag == f"B-{kind}":
                    j = i + 1
                    while j < len(t) and t[j] == f"I-{kind}":
                        j += 1
                    found.add(" ".join(w[i:j]))
        return found
    for kind in ("PER", "LOC", "SKILL"):
        train = entities(data["train_words"], data["train_tags"], kind)
        test = entities(data["test_words"], data["test_tags"], kind)
        assert not train & test, (kind, sorted(train & test)[:5])


def test_sentences_fit_the_model_length(data):
    from utils.data.minilm import load_tokenizer

    tokenizer = load_tokenizer()
    for split in ("train", "test"):
        encoding = tokenizer(data[f"{split}_words"], is_split_into_words=True)
        assert max(len(ids) for ids in encoding["input_ids"]) <= 32  # utils.models.ner.MAX_LENGTH


def test_split_and_join_words():
    assert ns.split_words("Hi, Node.js and C++ (2019).") == \
        ["Hi", ",", "Node.js", "and", "C++", "(", "2019", ")", "."]
    assert ns.join_words(["Certified", "in", "C++", "(", "2019", ")", "."]) == \
        "Certified in C++ (2019)."
    with pytest.raises(ValueError):
        ns.make_sentences(3, split="dev")
