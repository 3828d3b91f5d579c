"""The word-vector checks pass correct implementations and catch typical mistakes."""

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c5w2_word_vectors as check

# ----------------------------------------------------------------------------------------
# correct references, written here


def cosine_ok(u, v):
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    return 0.0 if nu == 0 or nv == 0 else float(np.dot(u, v) / (nu * nv))


def _analogy(score, skip="c", cosine=cosine_ok, start=-np.inf):
    """complete_analogy skipping word_c only (the original interface); `skip` and `start`
    (the initial best similarity) give the usual mistakes."""
    def complete_analogy(word_a, word_b, word_c, word_to_vec_map):
        a, b, c = word_a.lower(), word_b.lower(), word_c.lower()
        e_a, e_b, e_c = word_to_vec_map[a], word_to_vec_map[b], word_to_vec_map[c]
        skipped = {"all": {a, b, c}, "c": {c}, "none": set()}[skip]
        best, best_score = None, start
        for word, e_w in word_to_vec_map.items():
            if word in skipped:
                continue
            value = score(e_a, e_b, e_c, e_w, cosine)
            if value > best_score:
                best, best_score = word, value
        return best

    return complete_analogy


def offset_cosine(e_a, e_b, e_c, e_w, cosine):
    return cosine(e_b - e_a, e_w - e_c)


def neutralize_ok(word, g, word_to_vec_map):
    e = word_to_vec_map[word]
    return e - (e @ g) / (g @ g) * g


def _equalize(normalise=True, squared=True, swap=False):
    def equalize(pair, bias_axis, word_to_vec_map):
        w1, w2 = (word_to_vec_map[w] for w in pair)
        if normalise:
            w1, w2 = w1 / np.linalg.norm(w1), w2 / np.linalg.norm(w2)
        scale = bias_axis @ bias_axis if squared else np.linalg.norm(bias_axis)

        def along(x):
            return (x @ bias_axis) / scale * bias_axis

        mu = (w1 + w2) / 2
        mu_b = along(mu)
        nu = mu - mu_b
        length = np.sqrt(abs(1 - nu @ nu))
        d1, d2 = along(w1) - mu_b, along(w2) - mu_b
        if swap:
            d1, d2 = d2, d1
        return nu + length * d1 / np.linalg.norm(d1), nu + length * d2 / np.linalg.norm(d2)

    return equalize


REFERENCE = {
    "cosine_similarity": cosine_ok,
    "complete_analogy": _analogy(offset_cosine),
    "neutralize": neutralize_ok,
    "equalize": _equalize(),
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, REFERENCE, keywords=False)


# ----------------------------------------------------------------------------------------
# typical mistakes, each with a word the message must contain


def _in_place_neutralize(word, g, word_to_vec_map):
    e = word_to_vec_map[word]
    e -= (e @ g) / (g @ g) * g
    return e


def _in_place_equalize(pair, bias_axis, word_to_vec_map):
    for word in pair:
        word_to_vec_map[word] /= np.linalg.norm(word_to_vec_map[word])
    return _equalize()(pair, bias_axis, word_to_vec_map)


def _cosine_nan_for_zero(u, v):
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))


MISTAKES = [
    ("cosine_similarity", lambda u, v: float(np.dot(u, v)), "BOTH lengths"),
    ("cosine_similarity", lambda u, v: float(np.dot(u, v) / np.linalg.norm(u)), "BOTH lengths"),
    ("cosine_similarity",
     lambda u, v: float(np.dot(u, v) / (np.sum(u * u) * np.sum(v * v))), "BOTH lengths"),
    ("cosine_similarity", _cosine_nan_for_zero, "return 0.0"),
    ("complete_analogy", _analogy(offset_cosine, skip="none"), "skip word_c itself"),
    ("complete_analogy", _analogy(offset_cosine, skip="all"), "skip only word_c"),
    ("complete_analogy", _analogy(offset_cosine, start=0.0), "-np.inf"),
    ("complete_analogy", _analogy(offset_cosine, cosine=lambda u, v: float(u @ v)), "np.dot"),
    ("complete_analogy", _analogy(lambda a, b, c, w, cos: cos(a - b, w - c)), "wrong way"),
    ("complete_analogy", _analogy(lambda a, b, c, w, cos: cos(b - a, w)), "offset e_w - e_c"),
    ("neutralize", lambda word, g, m: m[word] - (m[word] @ g) / np.linalg.norm(g) * g,
     "SQUARED"),
    ("neutralize", lambda word, g, m: m[word] - (m[word] @ g) * g, "SQUARED"),
    ("neutralize", lambda word, g, m: m[word] + (m[word] @ g) / (g @ g) * g, "SQUARED"),
    ("neutralize", _in_place_neutralize, "unchanged"),
    ("equalize", _equalize(normalise=False), "divide both word vectors by their length"),
    ("equalize", _equalize(squared=False), "||axis||**2"),
    ("equalize", _equalize(swap=True), "sign of (e1 - e2)"),
    ("equalize", _in_place_equalize, "unchanged"),
]


@pytest.mark.parametrize("name, wrong, words", MISTAKES,
                         ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(MISTAKES)])
def test_mistake_is_caught(name, wrong, words, capsys):
    mistake_is_caught(check, name, wrong, words)
