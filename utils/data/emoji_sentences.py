"""Short English sentences labelled with one of five emoji, for the Emojify notebook.

The sentences were written by hand for this repository and are committed as
``datasets/emojify/sentences.csv`` (UTF-8, columns ``sentence,label``). Every word of every
sentence, lower-cased, is among the 100,000 most frequent words of GloVe 6B, and sentences
contain no punctuation, so ``sentence.lower().split()`` gives the words.

Labels (``EMOJI`` and ``CLASS_NAMES``): 0 love, 1 sport, 2 happy, 3 sad, 4 food.

:func:`load_emoji_sentences` checks the file against ``datasets/MANIFEST``, validates every
row and returns a stratified, seeded train/test split: the same arrays on every call with
the same arguments.
"""

import csv

import numpy as np

from utils.data.manifest import DataFileError, verified_path

RELATIVE_PATH = "emojify/sentences.csv"
EMOJI = ("\u2764\ufe0f", "\u26bd", "\U0001f604", "\U0001f61e", "\U0001f374")  # ❤️ ⚽ 😄 😞 🍴
CLASS_NAMES = ("love", "sport", "happy", "sad", "food")
LABEL_TO_EMOJI = dict(enumerate(EMOJI))
MIN_WORDS, MAX_WORDS = 3, 10


def label_to_emoji(label):
    """The emoji of an integer label (0-4)."""
    return EMOJI[int(label)]


def read_sentences(path=None):
    """All sentences and labels of the CSV file, in file order, after validation.

    Returns ``sentences`` (numpy array of ``str``) and ``labels`` (int64 array). With no
    ``path`` the committed file is checked against ``datasets/MANIFEST`` first; a missing,
    corrupt or malformed file raises ``utils.data.manifest.DataFileError``.
    """
    if path is None:
        path = verified_path(RELATIVE_PATH)
    sentences, labels = [], []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != ["sentence", "label"]:
            raise DataFileError(f"{path}: the first line must be 'sentence,label', got {header}")
        for number, row in enumerate(reader, start=2):
            sentence, label = _validated(row, number, path)
            sentences.append(sentence)
            labels.append(label)
    if not sentences:
        raise DataFileError(f"{path}: no sentences")
    return np.array(sentences), np.array(labels, dtype=np.int64)


def _validated(row, number, path):
    where = f"{path}, line {number}"
    if len(row) != 2:
        raise DataFileError(f"{where}: expected 2 columns (sentence,label), got {len(row)}")
    sentence, label = row[0].strip(), row[1].strip()
    if not label.isdigit() or not 0 <= int(label) < len(EMOJI):
        raise DataFileError(f"{where}: label must be an integer from 0 to {len(EMOJI) - 1}, "
                            f"got {label!r}")
    words = sentence.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        raise DataFileError(f"{where}: a sentence has {MIN_WORDS} to {MAX_WORDS} words, "
                            f"got {len(words)} in {sentence!r}")
    if not all(word.isalpha() for word in words):
        raise DataFileError(f"{where}: words are letters only (no punctuation): {sentence!r}")
    return " ".join(words), int(label)


def load_emoji_sentences(test_fraction=0.2, seed=0):
    """A stratified train/test split of the sentences.

    In each class, a seeded permutation sends ``round(test_fraction * class size)``
    sentences to the test set and the rest to the training set; each set is then shuffled
    (same seed). Returns ``X_train, Y_train, X_test, Y_test, label_to_emoji`` where the X are
    arrays of sentences (``str``), the Y int64 labels of shape ``(m,)`` and
    ``label_to_emoji`` the dict {label: emoji}.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    sentences, labels = read_sentences()
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in range(len(EMOJI)):
        members = rng.permutation(np.flatnonzero(labels == label))
        n_test = int(round(test_fraction * len(members)))
        test.extend(members[:n_test])
        train.extend(members[n_test:])
    train, test = rng.permutation(train), rng.permutation(test)
    return (sentences[train], labels[train], sentences[test], labels[test],
            dict(LABEL_TO_EMOJI))
