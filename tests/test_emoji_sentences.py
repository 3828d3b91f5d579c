"""The emoji-sentence loader: a valid committed file, GloVe coverage, a stratified split."""

from collections import Counter

import numpy as np
import pytest

from utils.data import emoji_sentences as es
from utils.data.glove import load_glove
from utils.data.manifest import DataFileError


def test_committed_file_is_valid_and_balanced():
    sentences, labels = es.read_sentences()
    assert len(sentences) >= 300
    counts = Counter(labels.tolist())
    assert sorted(counts) == [0, 1, 2, 3, 4]
    assert max(counts.values()) <= 1.15 * min(counts.values())
    assert len({s.lower() for s in sentences}) == len(sentences), "duplicate sentences"
    lengths = [len(s.split()) for s in sentences]
    assert min(lengths) >= 3 and max(lengths) <= 10


def test_every_word_is_in_the_glove_vocabulary_the_notebook_loads():
    word_to_index, _, _ = load_glove(max_words=100_000)
    sentences, _ = es.read_sentences()
    missing = {w for s in sentences for w in s.lower().split() if w not in word_to_index}
    assert not missing


def test_split_is_stratified_disjoint_and_deterministic():
    X_train, Y_train, X_test, Y_test, mapping = es.load_emoji_sentences()
    sentences, labels = es.read_sentences()
    assert len(X_train) + len(X_test) == len(sentences)
    assert not set(X_train) & set(X_test)
    assert sorted(np.concatenate([X_train, X_test])) == sorted(sentences)
    for label in range(5):
        n_class = int(np.sum(labels == label))
        assert np.sum(Y_test == label) == round(0.2 * n_class)
    # labels still belong to their sentences
    truth = dict(zip(sentences, labels, strict=True))
    assert all(truth[s] == y for s, y in zip(X_test, Y_test, strict=True))
    again = es.load_emoji_sentences()
    assert np.array_equal(again[0], X_train) and np.array_equal(again[3], Y_test)
    other = es.load_emoji_sentences(seed=1)
    assert not np.array_equal(other[0], X_train)
    assert mapping == {0: "\u2764\ufe0f", 1: "\u26bd", 2: "\U0001f604", 3: "\U0001f61e",
                       4: "\U0001f374"}
    assert Y_train.dtype == np.int64 and X_train.dtype.kind == "U"


@pytest.mark.parametrize("body, message", [
    ("text,label\nI like it a lot,0\n", "first line"),
    ("sentence,label\nI like it a lot,7\n", "label must be"),
    ("sentence,label\nI like it a lot,happy\n", "label must be"),
    ("sentence,label\nHi there,2\n", "3 to 10 words"),
    ("sentence,label\nI like it a lot!,2\n", "no punctuation"),
    ("sentence,label\nI like it a lot,2,3\n", "2 columns"),
])
def test_malformed_rows_are_reported_with_their_line(tmp_path, body, message):
    path = tmp_path / "sentences.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        es.read_sentences(path)


def test_label_to_emoji():
    assert es.label_to_emoji(np.int64(4)) == "\U0001f374"
    assert len(es.EMOJI) == len(es.CLASS_NAMES) == 5
