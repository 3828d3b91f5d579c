"""The GloVe loader: real vectors, 1-based indices, a frequency cut-off and clear errors."""

import numpy as np
import pytest

from utils.data import glove
from utils.data.manifest import DataFileError


def test_most_frequent_words_come_first_with_one_based_indices():
    word_to_index, index_to_word, word_to_vec_map = glove.load_glove(max_words=1000)
    assert len(word_to_index) == len(word_to_vec_map) == 1000
    assert word_to_index["the"] == 1 and index_to_word[1] == "the"
    assert 0 not in index_to_word
    vector = word_to_vec_map["king"]
    assert vector.shape == (50,) and vector.dtype == np.float32


def test_related_words_are_closer_than_unrelated_ones():
    _, _, vectors = glove.load_glove(max_words=5000)

    def cosine(a, b):
        u, v = vectors[a], vectors[b]
        return float(u @ v / np.linalg.norm(u) / np.linalg.norm(v))

    assert cosine("king", "queen") > 0.6 > cosine("king", "water")


def test_missing_package_file_says_how_to_repair(monkeypatch, tmp_path):
    class FakePackage:
        ROOT = str(tmp_path)

    monkeypatch.setattr(glove, "import_packaged", lambda module, package: FakePackage)
    with pytest.raises(DataFileError, match="reinstall it with `make setup`"):
        glove.load_glove()
