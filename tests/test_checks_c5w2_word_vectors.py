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


# more mistakes tried in the review of issue #14


def _cosine(norm=np.linalg.norm, zero_check="both", numerator=np.dot, combine="product"):
    """cosine_similarity with one part swapped for a usual mistake."""
    def cosine(u, v):
        nu, nv = norm(u), norm(v)
        if (zero_check == "u" and nu == 0) or (zero_check == "both" and (nu == 0 or nv == 0)):
            return 0.0
        with np.errstate(invalid="ignore", divide="ignore"):
            return float(numerator(u, v) / (nu * nv if combine == "product" else nu + nv))
    return cosine


def _analogy_loop(skip_word="c", update_best=True, return_in_loop=False):
    """complete_analogy's loop with the usual slips in its bookkeeping."""
    def complete_analogy(word_a, word_b, word_c, word_to_vec_map):
        a, b, c = word_a.lower(), word_b.lower(), word_c.lower()
        e_a, e_b, e_c = word_to_vec_map[a], word_to_vec_map[b], word_to_vec_map[c]
        skipped = {"a": a, "c": c}[skip_word]
        best, best_score = None, -np.inf
        for word, e_w in word_to_vec_map.items():
            if word == skipped:
                continue
            if return_in_loop:
                return word
            score = cosine_ok(e_b - e_a, e_w - e_c)
            if score > best_score:
                best = word
                if update_best:
                    best_score = score
        return best
    return complete_analogy


def _no_lower(word_a, word_b, word_c, word_to_vec_map):
    e_a, e_b, e_c = (word_to_vec_map[w] for w in (word_a, word_b, word_c))
    return max((w for w in word_to_vec_map if w != word_c),
               key=lambda w: cosine_ok(e_b - e_a, word_to_vec_map[w] - e_c))


def _returns_vector(word_a, word_b, word_c, word_to_vec_map):
    return word_to_vec_map[REFERENCE["complete_analogy"](word_a, word_b, word_c, word_to_vec_map)]


def _equalize_variant(variant):
    """The published equalisation with one step changed."""
    def equalize(pair, bias_axis, word_to_vec_map):
        r1, r2 = (word_to_vec_map[w] for w in pair)
        w1, w2 = (r1, r2) if variant == "normalise at the end" else (r1 / np.linalg.norm(r1),
                                                                      r2 / np.linalg.norm(r2))

        def along(x):
            if variant == "(x . axis) axis":  # as if the axis had length 1
                return (x @ bias_axis) * bias_axis
            return (x @ bias_axis) / (bias_axis @ bias_axis) * bias_axis

        mu = (w1 + w2) / 2
        mu_b = along(mu)
        nu = mu if variant == "nu = mu" else mu - mu_b
        length = np.sqrt(abs(1 - (mu @ mu if variant == "length from mu" else nu @ nu)))
        d1, d2 = along(w1) - mu_b, along(w2) - mu_b
        if variant == "same side":
            d2 = d1
        if variant == "whole vectors":
            d1, d2 = w1 - mu_b, w2 - mu_b
        n1, n2 = np.linalg.norm(d1), np.linalg.norm(d2)
        if variant == "course denominator":
            n1, n2 = np.linalg.norm(w1 - nu - mu_b), np.linalg.norm(w2 - nu - mu_b)
        if variant == "direction not normalised":
            n1 = n2 = 1.0
        sign = -1 if variant == "-nu" else 1
        e1, e2 = sign * nu + length * d1 / n1, sign * nu + length * d2 / n2
        if variant == "nu of w1 for e1":
            e1 = (w1 - along(w1)) + length * d1 / n1
        if variant == "normalise at the end":
            e1, e2 = e1 / np.linalg.norm(e1), e2 / np.linalg.norm(e2)
        return [e1, e2] if variant == "list" else (e1, e2)
    return equalize


def _neutralize_unit_e(word, g, word_to_vec_map):
    e = word_to_vec_map[word]
    return neutralize_ok(word, g, {word: e / np.linalg.norm(e)})


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
    # review of issue #14
    ("cosine_similarity", _cosine(zero_check="u"), "test BOTH lengths"),
    ("cosine_similarity", _cosine(numerator=lambda u, v: abs(np.dot(u, v))), "no abs()"),
    ("cosine_similarity", _cosine(norm=lambda x: np.linalg.norm(x, 1)), "BOTH lengths"),
    ("cosine_similarity", _cosine(combine="sum"), "BOTH lengths"),
    ("cosine_similarity", lambda u, v: 1 - cosine_ok(u, v), "DISTANCE"),
    ("cosine_similarity", lambda u, v: np.array([cosine_ok(u, v)]), "single number"),
    ("cosine_similarity", _cosine(zero_check="none"), "return 0.0"),
    ("complete_analogy", _analogy(lambda a, b, c, w, cos: cos(b - a, w - a)), "maximise"),
    ("complete_analogy", _analogy(lambda a, b, c, w, cos: cos(b - a + c, w)), "maximise"),
    ("complete_analogy", _analogy(lambda a, b, c, w, cos: cos(c - a, w - b)), "maximise"),
    ("complete_analogy", _analogy(lambda a, b, c, w, cos: -cos(b - a, w - c)), "wrong way"),
    ("complete_analogy", _analogy_loop(skip_word="a"), "skip word_c itself"),
    ("complete_analogy", _analogy_loop(update_best=False), "update the best similarity"),
    ("complete_analogy", _analogy_loop(return_in_loop=True), "return after the loop"),
    ("complete_analogy", _no_lower, "lower-casing"),
    ("complete_analogy", _returns_vector, "not its vector"),
    ("neutralize", lambda word, g, m: (m[word] @ g) / (g @ g) * g, "subtract it"),
    ("neutralize", lambda word, g, m: m[word] - (m[word] @ g) / (m[word] @ m[word]) * m[word],
     "SQUARED"),
    ("neutralize", lambda word, g, m: m[word] - (m[word] @ g) / np.sum(g) ** 2 * g, "SQUARED"),
    ("neutralize", lambda word, g, m: m[word] - (m[word] @ g) / (g @ g) * m[word], "SQUARED"),
    ("neutralize", lambda word, g, m: m[word] - (m[word] @ g) / (g @ g), "SQUARED"),
    ("neutralize", lambda word, g, m: m[word] - (m[word] * g) / (g @ g) * g, "SQUARED"),
    ("neutralize", _neutralize_unit_e, "leave the rest of e alone"),
    ("equalize", _equalize_variant("nu = mu"), "equal and opposite"),
    ("equalize", _equalize_variant("length from mu"), "sqrt(1 - ||nu||**2)"),
    ("equalize", _equalize_variant("same side"), "equal and opposite"),
    ("equalize", _equalize_variant("whole vectors"), "equal and opposite"),
    ("equalize", _equalize_variant("course denominator"), "sqrt(1 - ||nu||**2)"),
    ("equalize", _equalize_variant("direction not normalised"), "sqrt(1 - ||nu||**2)"),
    ("equalize", _equalize_variant("-nu"), "share nu"),
    ("equalize", _equalize_variant("nu of w1 for e1"), "different lengths"),
    ("equalize", _equalize_variant("normalise at the end"), "share nu"),
    ("equalize", _equalize_variant("list"), "return e1, e2"),
    ("equalize", _equalize_variant("(x . axis) axis"), "||axis||**2"),
]


@pytest.mark.parametrize("name, wrong, words", MISTAKES,
                         ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(MISTAKES)])
def test_mistake_is_caught(name, wrong, words, capsys):
    mistake_is_caught(check, name, wrong, words)
