"""Checks for Course 5, week 2: operations on word vectors (similarity, analogies, debiasing).

Oracles:

- ``cosine_similarity``: ``1 - scipy.spatial.distance.cosine`` on fixed random vectors, and
  values known by hand (parallel 1, orthogonal 0, opposite -1, a 3-4-5 triangle, the same
  value after rescaling either vector, 0 when either vector is zero, by this notebook's
  convention);
- ``complete_analogy``: tiny hand-made vocabularies built so that the answer is known by
  construction, and so that each usual mistake returns a *different*, known word (a long
  distractor for a raw dot product, a mirrored word for a sign error, word_c itself when it
  is not skipped, another word when word_a and word_b are skipped too, which the original
  interface does not do, ...); then two real GloVe analogies on the 10,000 most frequent
  words, one of which ("small : smaller :: large : ?") returns the input word "smaller"
  because only word_c is skipped;
- ``neutralize``: a value worked out by hand and properties: the result is orthogonal to
  ``g``, it differs from the input only along ``g`` (the orthogonal part is unchanged), and
  the caller's vocabulary is left alone; ``g`` is deliberately not of unit length;
- ``equalize``: a pair worked out by hand, and properties of the published equalisation
  (Bolukbasi et al., 2016): unit length outputs, equal and opposite components along the
  bias axis, identical components orthogonal to it (the orthogonal part of the mean of the
  two unit-length inputs), the sign of the difference along the axis preserved, equal
  cosine with any vector orthogonal to the axis, inputs left alone.
"""

from functools import lru_cache

import numpy as np
from scipy.spatial.distance import cosine as cosine_distance

from utils.checks.harness import Checker, rounded

# ----------------------------------------------------------------------------------------
# helpers (oracles written independently of the notebook)


def _rng(seed):
    return np.random.default_rng(seed)


# given when a function changes word_to_vec_map (Checker.call compares it with a snapshot)
_KEEP_VOCABULARY_HINT = ("work on new arrays (e = e - ..., not e -= ...); never write into "
                         "word_to_vec_map.")


def _tidy(x):
    """Round away float noise so that a tiny -1e-17 prints as 0.0, identically every run."""
    return np.round(np.asarray(x, dtype=float), 9) + 0.0


def _project(x, axis):
    """Component of x along axis (any length)."""
    return (x @ axis) / (axis @ axis) * axis


# ----------------------------------------------------------------------------------------
# cosine_similarity


def cosine_similarity(fn):
    """Check cosine_similarity(u, v) against scipy and hand values."""
    check = Checker("cosine_similarity")
    rng = _rng(5)
    u, v = rng.standard_normal(6) * 3.0, rng.standard_normal(6) * 0.5 + 0.4
    got = check.call(fn, u, v)
    check.number("cosine_similarity(u, v)", got)
    expected = 1.0 - cosine_distance(u, v)
    print("cosine_similarity(u, v) =", rounded(got), "(scipy:", rounded(expected) + ")")
    check.close("cosine_similarity(u, v) on random 6-d vectors", got, expected, rtol=1e-6,
                hint="divide the dot product by BOTH lengths: u.v / (||u|| * ||v||).",
                mistakes=[(1.0 - expected, "you returned the cosine DISTANCE 1 - cos (what "
                                           "scipy.spatial.distance.cosine computes): return "
                                           "u.v / (||u|| * ||v||) itself.")])
    hand = [
        ("parallel", [1.0, 2.0, 3.0], [2.0, 4.0, 6.0], 1.0),
        ("orthogonal", [1.0, 0.0, 2.0], [0.0, 5.0, 0.0], 0.0),
        ("opposite", [1.0, -1.0, 0.5], [-2.0, 2.0, -1.0], -1.0),
        ("3-4-5", [3.0, 4.0], [1.0, 0.0], 0.6),
    ]
    for name, a, b, value in hand:
        result = check.call(fn, np.array(a), np.array(b))
        check.close(f"cosine_similarity of {name} vectors {a} and {b}", result, value, atol=1e-9,
                    hint="cosine is u.v / (||u|| * ||v||), with ||x|| = sqrt(sum(x**2)).",
                    mistakes=[(-value, "keep the sign of the dot product (no abs()): vectors "
                                       "pointing in opposite directions have cosine -1.")]
                    if value < 0 else [])
    scaled = check.call(fn, 7.5 * u, 0.2 * v)
    check.close("cosine_similarity(7.5 * u, 0.2 * v) (rescaling changes nothing)", scaled, expected,
                rtol=1e-6, hint="the cosine depends only on the angle: normalise by both lengths.")
    zero = check.call(fn, np.zeros(3), np.array([1.0, 2.0, 3.0]))
    check.number("cosine_similarity(zeros, v)", zero)
    check.that("cosine_similarity(np.zeros(3), [1, 2, 3])", not np.isnan(zero) and zero == 0,
               rounded(zero), "0.0 (the zero vector has no direction)",
               hint="return 0.0 when ||u|| or ||v|| is 0 instead of dividing by zero.")
    zero_v = check.call(fn, np.array([1.0, 2.0, 3.0]), np.zeros(3))
    check.number("cosine_similarity(u, zeros)", zero_v)
    check.that("cosine_similarity([1, 2, 3], np.zeros(3)) (the zero vector second)",
               not np.isnan(zero_v) and zero_v == 0, rounded(zero_v),
               "0.0 (the zero vector has no direction)",
               hint="test BOTH lengths: return 0.0 when ||u|| == 0 or ||v|| == 0.")
    print("parallel, orthogonal, opposite, zero vector:",
          rounded([float(check.call(fn, np.array(a), np.array(b))) for _, a, b, _ in hand[:3]]
                  + [float(zero)]))
    check.done()


# ----------------------------------------------------------------------------------------
# complete_analogy

# Three questions on hand-made vocabularies; complete_analogy skips word_c only, as the
# original assignment does.
#
# 1. big : bigger :: large : ?  The offset bigger - big is [0, 0, 2, 0]. By construction:
#    - larger - large = [0, 0, 2, 0.1] points almost exactly that way (cosine 0.9988): the answer;
#    - bigger - large = [0, -0.2, 2, 0] comes close (0.995) but loses;
#    - huge - large has the largest raw dot product with the offset (12) but cosine 0.768;
#    - smaller - large is exactly opposite (cosine -1): a sign error picks it;
#    - more is parallel to the offset itself: comparing with e_w instead of e_w - e_c picks it.
# 2. fast : faster :: quick : ?  fast and quick are near-synonyms, so faster - quick (cosine
#    0.995 with the offset faster - fast) beats quicker - quick (0.970): with only word_c
#    skipped the answer is the input word "faster"; skipping word_a and word_b too gives
#    "quicker".
#    A loop that never updates the best similarity returns the last word (quicker); one that
#    returns inside the loop, the first (big).
# 3. one : two :: ten : ?  Every candidate offset points against [1, 0] (nine: -0.707, the
#    best), so ten itself, whose offset is the zero vector (similarity 0), wins unless it is
#    skipped, and a search that starts its best similarity at 0 finds nothing (None).
ANALOGY_VOCABULARY = {
    "big": [3.0, 0.0, 0.0, 1.0],
    "large": [3.0, 0.2, 0.0, 1.0],
    "bigger": [3.0, 0.0, 2.0, 1.0],
    "larger": [3.0, 0.2, 2.0, 1.1],
    "huge": [3.0, 5.2, 6.0, 1.0],
    "smaller": [3.0, 0.2, -2.0, 1.0],
    "more": [0.0, 0.0, 1.0, 0.0],
    "city": [-1.0, 2.0, 0.5, -2.0],
    "fast": [0.0, 3.0, 0.0, 1.0],
    "quick": [0.0, 3.0, 0.2, 1.0],
    "faster": [0.0, 3.0, 0.0, 3.0],
    "quicker": [0.5, 3.0, 0.2, 3.0],
}
NEGATIVE_VOCABULARY = {"one": [1.0, 0.0], "two": [2.0, 0.0], "ten": [10.0, 0.0], "nine": [9.0, 1.0]}

SKIP_ONLY_C = ("skip only word_c itself, as the original assignment does: word_a and word_b "
               "stay candidates (the notebook shows the effect of skipping them too "
               "separately, outside complete_analogy).")
HAND_QUESTIONS = [
    # (question, vocabulary, expected answer, {wrong answer: hint})
    (("Big", "BIGGER", "large"), ANALOGY_VOCABULARY, "larger", {
        "huge": "huge has the largest raw dot product but not the largest cosine: use "
                "cosine_similarity, not np.dot.",
        "smaller": "smaller points exactly the wrong way: compare (e_b - e_a) with "
                   "(e_w - e_c), not with (e_c - e_w) or (e_a - e_b).",
        "more": "compare e_b - e_a with the offset e_w - e_c, not with e_w itself.",
        "quicker": "quicker is the LAST word of this vocabulary: when a word beats the best "
                   "similarity so far, update the best similarity as well as the best word.",
        "big": "big is the FIRST word of this vocabulary: compare every word before "
               "returning, and return after the loop, not inside it.",
    }),
    (("fast", "faster", "quick"), ANALOGY_VOCABULARY, "faster", {
        "quicker": "faster is an input word (word_b) but the best candidate here: " + SKIP_ONLY_C,
    }),
    (("one", "two", "ten"), NEGATIVE_VOCABULARY, "nine", {
        "ten": "word_c won with similarity 0 (its offset e_c - e_c is the zero vector, and "
               "every real candidate scores below 0 here): skip word_c itself.",
        None: "no word was chosen: every similarity is negative here, so start the best "
              "similarity at -np.inf (or -100), not at 0.",
    }),
]
GLOVE_QUESTIONS = [
    (("italy", "italian", "spain"), "spanish", {}),
    (("small", "smaller", "large"), "smaller", {
        "larger": "you skipped word_a or word_b as well: " + SKIP_ONLY_C,
    }),
]
GENERAL_HINT = ("maximise cosine_similarity(e_b - e_a, e_w - e_c) over every word w of "
                "word_to_vec_map except word_c itself.")


@lru_cache(maxsize=1)
def _glove_sample():
    from utils.data.glove import load_glove

    return load_glove(max_words=10_000)[2]


def complete_analogy(fn):
    """Check complete_analogy on hand-made vocabularies, then on two real GloVe analogies."""
    check = Checker("complete_analogy", in_place_hint=_KEEP_VOCABULARY_HINT)
    hint = "look the three words up in word_to_vec_map after lower-casing them."
    for (a, b, c), words, answer, wrong in HAND_QUESTIONS:
        vocabulary = {word: np.array(vector) for word, vector in words.items()}
        got = check.call_or_fail(fn, a, b, c, vocabulary, hint=hint)
        what = f'complete_analogy("{a}", "{b}", "{c}", <hand-made vocabulary>)'
        if got is not None:
            check.type_is(what, got, str,
                          hint="return the best word itself (a string), not its vector or "
                               "similarity.")
        check.equal(what, got, answer, hint=wrong.get(got, GENERAL_HINT))
        print(f"hand-made  {a.lower()} : {b.lower()} :: {c.lower()} :", got)
    glove = _glove_sample()
    for (a, b, c), answer, wrong in GLOVE_QUESTIONS:
        word = check.call_or_fail(fn, a, b, c, glove, hint=hint)
        check.equal(f'complete_analogy("{a}", "{b}", "{c}", <GloVe, 10,000 words>)', word, answer,
                    hint=wrong.get(word, GENERAL_HINT))
        print(f"GloVe      {a} : {b} :: {c} :", word)
    check.done()


# ----------------------------------------------------------------------------------------
# neutralize


def neutralize(fn):
    """Check neutralize(word, g, word_to_vec_map) by hand and by its geometric properties."""
    check = Checker("neutralize", in_place_hint=_KEEP_VOCABULARY_HINT)
    rng = _rng(11)
    g = rng.standard_normal(6) * 2.0  # deliberately not of unit length
    vocabulary = {"nurse": rng.standard_normal(6) + 0.5 * g, "tree": rng.standard_normal(6)}
    hint = "look up e = word_to_vec_map[word] and remove its component along g."
    got = check.call_or_fail(fn, "nurse", g, vocabulary, hint=hint)
    check.array('neutralize("nurse", g, ...)', got, (6,), hint="return a vector of e's shape.")
    check.that("the returned vector is a new array",
               not np.shares_memory(got, vocabulary["nurse"]), "the vocabulary's own array",
               "a new array",
               hint="compute e - projection into a new array; never return or edit the map's "
                    "vector.")
    e = vocabulary["nurse"]
    along = float(got @ g / np.linalg.norm(g))
    print("component of the result along g:", rounded(_tidy(along), 3))
    hint_norm = ("project onto g with (e . g) / ||g||**2 * g: divide by the SQUARED length "
                 f"(g here has length {np.linalg.norm(g):.3g}, not 1).")
    check.close("component of neutralize(...) along g", along, 0.0, atol=1e-9,
                hint=hint_norm + " Then subtract it: e - projection.")
    removed = e - got
    check.close("e - neutralize(...) should point along g (the orthogonal part of e is unchanged)",
                removed - _project(removed, g), np.zeros(6), atol=1e-9,
                hint="only remove the component along g; leave the rest of e alone.")
    hand = check.call(fn, "w", np.array([0.0, 0.0, 2.0]), {"w": np.array([1.0, 2.0, 3.0])})
    check.close('neutralize("w", g=[0, 0, 2], {"w": [1, 2, 3]})', hand, [1.0, 2.0, 0.0], atol=1e-9,
                hint=hint_norm.split(" (")[0] + "; subtract it (a sign error gives [1, 2, 6]).")
    print('neutralize("w", [0, 0, 2], {"w": [1, 2, 3]}) =', rounded(_tidy(hand)))
    check.done()


# ----------------------------------------------------------------------------------------
# equalize


def equalize(fn):
    """Check equalize(pair, bias_axis, word_to_vec_map) by hand and by its properties."""
    check = Checker("equalize", in_place_hint=_KEEP_VOCABULARY_HINT)
    rng = _rng(21)
    axis = np.array([1.5, -0.5, 2.0, 0.3, -1.0])  # not of unit length, not along a basis axis
    vocabulary = {
        "actor": rng.standard_normal(5) * 2.0 - 0.4 * axis,
        "actress": rng.standard_normal(5) * 1.5 + 0.6 * axis,
        "stage": rng.standard_normal(5),
    }
    hint = "look both words of the pair up in word_to_vec_map."
    result = check.call_or_fail(fn, ("actor", "actress"), axis, vocabulary, hint=hint)
    check.type_is('equalize(("actor", "actress"), ...)', result, tuple, hint="return e1, e2.")
    check.that("number of returned values", len(result) == 2, len(result), 2, hint="return e1, e2.")
    e1, e2 = result
    check.array("e1", e1, (5,), hint="e1 is a vector of the words' shape.")
    check.array("e2", e2, (5,), hint="e2 is a vector of the words' shape.")

    unit = axis / np.linalg.norm(axis)
    along1, along2 = float(e1 @ unit), float(e2 @ unit)
    print("e1, e2 along the bias axis:", rounded(along1, 4), rounded(along2, 4))
    print("lengths of e1, e2:", rounded(float(np.linalg.norm(e1)), 4),
          rounded(float(np.linalg.norm(e2)), 4))
    check.close("components of e1 and e2 along bias_axis (equal and opposite)", along1, -along2,
                rtol=1e-6, hint="project with (x . axis) / ||axis||**2 * axis, and subtract the "
                                "mean's projection mu_B from each word's projection.")
    lengths = [float(np.linalg.norm(e1)), float(np.linalg.norm(e2))]
    unequal = not np.isclose(lengths[0], lengths[1], rtol=1e-6)
    check.close("lengths of e1 and e2", lengths, [1.0, 1.0], rtol=1e-6,
                hint="e1 and e2 have different lengths: both are the same nu (computed once, "
                     "from the mean mu) plus equal and opposite parts along the axis."
                if unequal else
                "divide both word vectors by their length first; the equations then "
                "give unit vectors, with sqrt(1 - ||nu||**2) as the length along the axis "
                "and no abs() needed.")
    sign = np.sign((vocabulary["actor"] - vocabulary["actress"]) @ axis)
    check.that("sign of (e1 - e2) along the axis",
               np.sign(along1 - along2) == sign and along1 != along2, rounded(along1 - along2, 4),
               f"the sign of (e_actor - e_actress) along it ({'+' if sign > 0 else '-'})",
               hint="e1 goes with pair[0] and keeps the side of the axis its word was on: use "
                    "(e_w1B - mu_B) for e1, not (e_w2B - mu_B).")
    unit_words = [vocabulary[w] / np.linalg.norm(vocabulary[w]) for w in ("actor", "actress")]
    mean = (unit_words[0] + unit_words[1]) / 2
    nu = mean - (mean @ unit) * unit
    check.close("components of e1 and e2 orthogonal to the axis (both equal to the orthogonal part "
                "of the mean of the two unit-length words)",
                [e1 - along1 * unit, e2 - along2 * unit], [nu, nu], atol=1e-7,
                hint="both outputs share nu = mu - mu_B, the mean with its bias component removed.")
    other = rng.standard_normal(5)
    other = other - (other @ unit) * unit
    cosines = [float(e @ other / np.linalg.norm(e) / np.linalg.norm(other)) for e in (e1, e2)]
    check.close("cosines of e1 and e2 with a vector orthogonal to the axis", cosines[0], cosines[1],
                rtol=1e-6, hint="a neutral word must end up equally similar to both words.")
    hand = check.call(fn, ("p", "q"), np.array([2.0, 0.0, 0.0]),
                      {"p": np.array([3.0, 4.0, 0.0]), "q": np.array([0.0, 1.2, 1.6])})
    expected = [[np.sqrt(0.35), 0.7, 0.4], [-np.sqrt(0.35), 0.7, 0.4]]
    check.close('equalize(("p", "q"), [2, 0, 0], {"p": [3, 4, 0], "q": [0, 1.2, 1.6]})',
                np.asarray(hand, dtype=float), expected, atol=1e-7,
                hint="unit vectors [0.6, 0.8, 0] and [0, 0.6, 0.8]: mu = [0.3, 0.7, 0.4], "
                     "nu = [0, 0.7, 0.4], and the part along the axis is +/- sqrt(1 - 0.65).")
    print("hand-made pair: e1 =", rounded(np.asarray(hand[0], dtype=float), 4),
          " e2 =", rounded(np.asarray(hand[1], dtype=float), 4))
    check.done()
