"""Checks for Course 5, week 4: a retrieval chatbot about this programme.

Oracles.

- ``mean_pool``: a tiny case worked out by hand (two sentences of 2 and 3 real tokens, with
  vectors chosen so that the masked means and their lengths are round numbers), then random
  token vectors compared with a loop over the real tokens of each sentence followed by
  ``np.linalg.norm``, and padding invariance: more padding positions holding large random
  vectors must not change anything. ``mean_pool_on_minilm`` runs the real MiniLM on the same
  sentences padded to two different lengths: the token vectors of the padding differ (BERT
  computes a vector there too), the pooled sentence vectors must not.
- ``top_k_passages``: a hand case on 2-d vectors of different lengths (so that a dot product
  without normalising ranks differently), then random data compared with a brute-force
  oracle: a Python loop computing each cosine with ``np.linalg.norm`` and sorting.
- ``rerank_with_keywords``: a hand case (two rows of three candidates whose hybrid order
  differs from the dense order, the keyword order and the order of weight * dense +
  keyword), a row of exact ties (dyadic numbers, so the sums are exact) that must keep the
  candidates' order, random rows compared with a brute-force loop sorting each row by
  (-hybrid, position), and weight 0, which must return the candidates and dense scores
  unchanged.
- ``is_follow_up``: questions labelled by hand, one per rule and per exception.
- ``query_with_memory``: the formula evaluated by hand on 2-d vectors; no memory or no
  follow-up must return the question's own vector.
- ``choose_threshold``: a hand case, then random scores compared with a dense grid of
  thresholds: none may reach a higher balanced accuracy than the returned one, and the
  returned one must be the lowest of the best (the tie rule).

The known wrong answers (padding counted in the mean, no normalisation, dividing by the
padded length, normalising the wrong axis; dot product instead of cosine, the k worst,
unsorted scores; the weight on the dense part, positions within the candidates instead of
passage indices, ascending order, scores left in the candidates' order or dense instead of
hybrid, k ignored, ties reversed; follow-up blending not normalised, memory used for new questions;
plain accuracy instead of balanced accuracy, answering strictly above the threshold) are
named when they are met.

``retrieval_results`` and ``conversation_results`` are verdicts on the evaluation.
"""

import numpy as np

from utils.checks.harness import Checker
from utils.checks.verdicts import Verdicts

# ----------------------------------------------------------------------------------------
# Bands for the evaluation (inference only, no training: the same up to float rounding on
# every CPU; a band keeps a near-tie that flips on another CPU from failing the check).
# Hybrid search: 20 dense candidates re-ranked by dense + 0.6 * TF-IDF keyword similarity.
# Measured natively (AVX-512, 1 TF thread), under the AVX2 profile (2 threads) and under
# SSE4.2 numpy/OpenBLAS/XLA with 1 thread: identical everywhere, to the last digit printed.
# Test (147 answerable, 25 off-topic, 12 follow-ups): top-1 0.946 (139/147), top-3 0.993,
# dense scores alone top-1 0.891 (131/147), answered 0.973, off-topic declined 1.000 (25/25),
# follow-ups 11/12 with memory and 11/12 without. Tuning: keyword weight 0.6 (top-1 0.945
# against 0.903 dense), threshold 0.503, memory weight 0.3 (follow-ups 0.91 against 0.70).
# Broken: rerank_with_keywords sorting ascending, or returning positions within the
# candidates instead of passage indices, gives top-1 0.000, far below the band. Putting the
# weight on the dense part (weight * dense + keyword) ranks like dense + keyword / weight and
# gives the same 0.946: the rerank_with_keywords check catches it, not this band. Blending
# the follow-ups as weight * q + previous gives 9/12 on the test follow-ups (under the
# floor) and its tuning optimum 0.83 at w = 1.3.
TEST_TOP1_BAND = (0.85, 0.99)   # the 0.85 target is the lower bound
TEST_TOP3_FLOOR = 0.95
KEYWORD_GAIN = 0.02              # hybrid over dense-only top-1: at least 3 test questions more
OFF_TOPIC_IDK_FLOOR = 0.90       # share of off-topic test questions answered "I don't know"
ON_TOPIC_ANSWERED_FLOOR = 0.90   # share of paraphrases answered (not "I don't know")
TUNING_FOLLOW_UP_GAIN = 0.1      # memory over none on the 46 tuning follow-ups (0.91 vs 0.70)
TEST_FOLLOW_UP_FLOOR = 0.8       # with memory on the 12 test follow-ups: at least 10 right


# ----------------------------------------------------------------------------------------
# mean_pool

POOL_HINT = ("multiply the token vectors by the mask (attention_mask[:, :, None]), sum over "
             "the tokens (axis 1), divide by the number of real tokens (the mask summed over "
             "axis 1, shape (m, 1)), then divide each row by its L2 norm "
             "(np.linalg.norm(..., axis=1, keepdims=True)).")

# Sentence 0: real tokens (1, 2, 2) and (3, 2, 6) -> mean (2, 2, 4), norm 4.899 -> ...
# Sentence 1: real tokens (3, 0, 0), (0, 4, 0), (0, 0, 0) -> mean (1, 4/3, 0), norm 5/3.
HAND_TOKENS = np.array([
    [[1.0, 2.0, 2.0], [3.0, 2.0, 6.0], [50.0, -7.0, 9.0]],
    [[3.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 0.0]],
])
HAND_MASK = np.array([[1, 1, 0], [1, 1, 1]])
HAND_POOLED = np.array([[2.0, 2.0, 4.0] / np.sqrt(24.0), [0.6, 0.8, 0.0]])


def _unit_rows(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _pool_mistakes(tokens, mask):
    m = mask[:, :, None].astype(float)
    summed = (tokens * m).sum(1)
    counts = m.sum(1)
    mean = summed / counts
    return [
        (_unit_rows(tokens.mean(1)), "the padding positions were averaged in: multiply by "
         "the mask before summing, so that only real tokens count."),
        (mean, "the mean is right but not normalised: divide each sentence vector by its "
         "L2 norm, so that a dot product becomes a cosine similarity."),
        (summed / tokens.shape[1], "divide by the number of REAL tokens of each sentence "
         "(the mask summed over axis 1), not by the padded length."),
        (mean / np.linalg.norm(mean, axis=0, keepdims=True), "normalise each sentence "
         "vector (axis=1), not each feature over the batch (axis=0)."),
    ]


def _pool_oracle(tokens, mask):
    out = np.zeros((tokens.shape[0], tokens.shape[2]))
    for i in range(tokens.shape[0]):
        real = [tokens[i, j] for j in range(tokens.shape[1]) if mask[i, j]]
        vector = np.sum(real, axis=0) / len(real)
        out[i] = vector / np.linalg.norm(vector)
    return out


def mean_pool(fn):
    check = Checker("mean_pool")
    got = check.call(fn, HAND_TOKENS, HAND_MASK)
    check.array("mean_pool(tokens, mask) for 2 hand-made sentences", got, (2, 3),
                hint="one vector per sentence: sum over the token axis (axis 1).")
    check.close("mean_pool(tokens, mask) for 2 hand-made sentences", got, HAND_POOLED,
                hint=POOL_HINT, mistakes=_pool_mistakes(HAND_TOKENS, HAND_MASK))
    rng = np.random.default_rng(5)
    tokens = rng.normal(size=(6, 9, 16)).astype(np.float32)
    lengths = np.array([9, 1, 4, 7, 2, 5])
    mask = (np.arange(9)[None, :] < lengths[:, None]).astype(np.int32)
    got = check.call(fn, tokens, mask)
    check.array("mean_pool on 6 random sentences of 1 to 9 tokens", got, (6, 16))
    check.close("mean_pool on 6 random sentences of 1 to 9 tokens", got,
                _pool_oracle(tokens, mask), rtol=1e-4, atol=1e-5, hint=POOL_HINT,
                mistakes=_pool_mistakes(tokens, mask))
    check.close("the L2 norms of the pooled vectors", np.linalg.norm(got, axis=1),
                np.ones(6), rtol=1e-4, hint="divide each pooled vector by its norm.")
    padded = np.concatenate([tokens, 100 * rng.normal(size=(6, 5, 16)).astype(np.float32)], 1)
    padded_mask = np.concatenate([mask, np.zeros((6, 5), np.int32)], 1)
    got_padded = check.call(fn, padded, padded_mask)
    check.close("mean_pool after 5 more padding tokens holding large random vectors",
                got_padded, got, rtol=1e-4, atol=1e-5,
                hint="padding must change nothing: only tokens whose mask is 1 may enter the "
                     "sum, and the divisor is the number of real tokens.")
    check.done()


PADDING_SENTENCES = ["What does dropout do?", "Residual connections help very deep networks."]


def mean_pool_on_minilm(fn, model, tokenizer):
    """``fn`` on MiniLM's token vectors of two sentences padded to 16 and to 40 tokens."""
    check = Checker("mean_pool on MiniLM")
    outputs = []
    for length in (16, 40):
        encoding = tokenizer(PADDING_SENTENCES, padding="max_length", max_length=length,
                             return_tensors="np")
        hidden = model(dict(encoding), training=False).last_hidden_state.numpy()
        mask = encoding["attention_mask"]
        pooled = check.call(fn, hidden, mask)
        check.array(f"mean_pool of MiniLM's vectors padded to {length} tokens", pooled,
                    (2, hidden.shape[2]))
        outputs.append((hidden, mask, pooled))
    (h16, m16, p16), (h40, _, p40) = outputs
    check.that("MiniLM's vectors at the padding differ from zero (so the check means "
               "something)", np.abs(h40[:, 16:]).max() > 0.1, "zeros", "non-zero vectors")
    check.close("mean_pool with 40 tokens against 16 tokens", p40, p16, rtol=1e-3, atol=1e-4,
                hint="the sentence vector must not depend on how much padding follows it: "
                     "leave out the tokens whose attention mask is 0.")
    check.close("mean_pool of MiniLM's vectors (16 tokens)", p16, _pool_oracle(h16, m16),
                rtol=1e-4, atol=1e-5, hint=POOL_HINT)
    check.done()


# ----------------------------------------------------------------------------------------
# top_k_passages

TOPK_HINT = ("normalise the queries and the passages to unit length (rows), take the matrix "
             "of dot products (n_queries, n_passages), then for each query the indices of "
             "the k largest values in decreasing order (np.argsort(-scores, axis=1)[:, :k]) "
             "and their scores (np.take_along_axis).")

# Passages: p0 = (10, 0) long, p1 = (1, 1), p2 = (0, 1), p3 = (-1, 0.2)
# Query (1, 2): cosines 0.4472, 0.9487, 0.8944, -0.2631 -> order 1, 2, 0
# dot products: 10, 3, 2, -0.6 -> order 0, 1, 2 (the mistake)
HAND_PASSAGES = np.array([[10.0, 0.0], [1.0, 1.0], [0.0, 1.0], [-1.0, 0.2]])
HAND_QUERIES = np.array([[1.0, 2.0], [0.0, -3.0]])
# Query (0, -3): cosines 0, -0.7071, -1, -0.1961 -> order 0, 3, 1
HAND_INDICES = np.array([[1, 2, 0], [0, 3, 1]])


def _cosine_oracle(queries, passages, k):
    indices, scores = [], []
    for q in queries:
        cos = [float(np.dot(q, p) / (np.linalg.norm(q) * np.linalg.norm(p))) for p in passages]
        order = sorted(range(len(passages)), key=lambda j: (-cos[j], j))[:k]
        indices.append(order)
        scores.append([cos[j] for j in order])
    return np.array(indices), np.array(scores)


def _topk_result(check, result, n, k, what):
    check.type_is(what, result, tuple, hint="return a tuple (indices, scores).")
    check.that(f"length of {what}", len(result) == 2, len(result), 2,
               hint="return exactly two arrays: (indices, scores).")
    indices, scores = result
    check.array(f"indices of {what}", indices, (n, k),
                hint="one row per query, k passage indices per row.")
    check.that(f"dtype of the indices of {what}", indices.dtype.kind in "iu",
               indices.dtype, "an integer dtype", hint="indices are integers (np.argsort).")
    check.array(f"scores of {what}", scores, (n, k),
                hint="one row per query: the cosine similarity of each returned passage.")
    return indices, scores


def top_k_passages(fn):
    check = Checker("top_k_passages")
    result = check.call(fn, HAND_QUERIES, HAND_PASSAGES, 3)
    indices, scores = _topk_result(check, result, 2, 3, "top_k_passages(hand case, k=3)")
    dots = HAND_QUERIES @ HAND_PASSAGES.T
    check.equal("the indices for 2 queries and 4 passages of different lengths", indices,
                HAND_INDICES, hint=TOPK_HINT, mistakes=[
                    (np.argsort(-dots, axis=1)[:, :3], "this ranks by the raw dot product, "
                     "which favours long vectors: normalise queries and passages first "
                     "(cosine similarity)."),
                    (np.argsort(HAND_QUERIES @ _unit_rows(HAND_PASSAGES).T, axis=1)[:, :3],
                     "these are the k LEAST similar passages: sort by decreasing similarity "
                     "(np.argsort(-scores))."),
                ])
    _, expected = _cosine_oracle(HAND_QUERIES, HAND_PASSAGES, 3)
    check.close("the scores of the hand case", scores, expected, rtol=1e-6, hint=TOPK_HINT,
                mistakes=[(np.take_along_axis(dots, HAND_INDICES, 1), "the scores must be "
                           "cosine similarities (normalised vectors), not dot products.")])
    rng = np.random.default_rng(11)
    passages = rng.normal(size=(40, 12)) * rng.uniform(0.2, 5, size=(40, 1))
    queries = rng.normal(size=(7, 12)) * rng.uniform(0.2, 5, size=(7, 1))
    result = check.call(fn, queries, passages, 5)
    indices, scores = _topk_result(check, result, 7, 5, "top_k_passages(7 queries, 40 "
                                   "passages, k=5)")
    want_indices, want_scores = _cosine_oracle(queries, passages, 5)
    check.equal("the indices for 7 random queries against a brute-force search", indices,
                want_indices, hint=TOPK_HINT)
    check.close("the scores for 7 random queries", scores, want_scores, rtol=1e-6,
                hint=TOPK_HINT)
    check.that("the scores of each query in decreasing order",
               bool(np.all(np.diff(scores, axis=1) <= 1e-12)), "not sorted",
               "best first", hint="return the best passage first.")
    result = check.call(fn, queries[:1], passages, 1)
    indices, _ = _topk_result(check, result, 1, 1, "top_k_passages(1 query, k=1)")
    check.equal("the single best passage", indices, want_indices[:1, :1], hint=TOPK_HINT)
    check.done()


# ----------------------------------------------------------------------------------------
# rerank_with_keywords

RERANK_HINT = ("hybrid = dense_scores + weight * keyword_scores; order each row by decreasing "
               "hybrid score with a stable sort (np.argsort(-hybrid, axis=1, kind=\"stable\")"
               "[:, :k]), then take the candidates' passage indices and the hybrid scores in "
               "that order (np.take_along_axis on both).")

# Row 0: candidates 4, 7, 1; dense 0.9, 0.8, 0.7; keyword 0, 0.5, 0.1; weight 0.4
#        hybrid 0.9, 1.0, 0.74 -> order 7, 4 (k=2), scores 1.0, 0.9
# Row 1: candidates 2, 0, 5; dense 0.6, 0.5, 0.45; keyword 0.2, 0, 0.5
#        hybrid 0.68, 0.5, 0.65 -> order 2, 5, scores 0.68, 0.65
HAND_CANDIDATES = np.array([[4, 7, 1], [2, 0, 5]])
HAND_DENSE = np.array([[0.9, 0.8, 0.7], [0.6, 0.5, 0.45]])
HAND_KEYWORD = np.array([[0.0, 0.5, 0.1], [0.2, 0.0, 0.5]])
HAND_RERANKED = np.array([[7, 4], [2, 5]])
HAND_HYBRID = np.array([[1.0, 0.9], [0.68, 0.65]])
# Ties: dense 0.5, 0.25, 0.25 and keyword 0, 0.5, 0.5 with weight 0.5 all give 0.5 exactly
TIE_CANDIDATES = np.array([[3, 8, 6]])
TIE_DENSE = np.array([[0.5, 0.25, 0.25]])
TIE_KEYWORD = np.array([[0.0, 0.5, 0.5]])
# 40 candidates with 4 distinct hybrid scores: an unstable sort (numpy's default, whatever
# the CPU) misorders their ties within the top 10.
_tie_rng = np.random.default_rng(3)
MANY_TIES_CANDIDATES = np.arange(100, 140)[None]
MANY_TIES_DENSE = np.sort(_tie_rng.choice([0.25, 0.5, 0.75], size=40))[::-1][None]
MANY_TIES_KEYWORD = _tie_rng.choice([0.0, 0.5], size=40)[None]
TIE_HINT = ("ties keep the candidates' order (the dense order): use a stable sort of the "
            "NEGATED scores, np.argsort(-hybrid, kind=\"stable\"); numpy's default sort may "
            "swap tied entries, and reversing an ascending sort reverses the ties too.")


def _rerank_oracle(candidates, dense, keyword, weight, k):
    """A loop: each row's candidates sorted by (-hybrid, position in the row)."""
    indices, scores = [], []
    for row in range(candidates.shape[0]):
        hybrid = [float(dense[row, j]) + weight * float(keyword[row, j])
                  for j in range(candidates.shape[1])]
        order = sorted(range(len(hybrid)), key=lambda j: (-hybrid[j], j))[:k]
        indices.append([int(candidates[row, j]) for j in order])
        scores.append([hybrid[j] for j in order])
    return np.array(indices), np.array(scores)


def _rerank_result(check, result, n, k, what):
    check.type_is(what, result, tuple, hint="return a tuple (indices, scores).")
    check.that(f"length of {what}", len(result) == 2, len(result), 2,
               hint="return exactly two arrays: (indices, scores).")
    indices, scores = result
    k_hint = (f"one row per question and k={k} columns: keep only the k best candidates "
              "([:, :k]).")
    check.array(f"indices of {what}", indices, (n, k), hint=k_hint)
    check.that(f"dtype of the indices of {what}", indices.dtype.kind in "iu", indices.dtype,
               "an integer dtype", hint="passage indices are integers.")
    check.array(f"scores of {what}", scores, (n, k), hint=k_hint)
    return indices, scores


def rerank_with_keywords(fn):
    check = Checker("rerank_with_keywords")
    what = "rerank_with_keywords(hand case, weight=0.4, k=2)"
    result = check.call(fn, HAND_CANDIDATES, HAND_DENSE, HAND_KEYWORD, 0.4, 2)
    indices, scores = _rerank_result(check, result, 2, 2, what)
    hybrid = HAND_DENSE + 0.4 * HAND_KEYWORD
    on_dense = 0.4 * HAND_DENSE + HAND_KEYWORD
    positions = np.argsort(-hybrid, axis=1, kind="stable")[:, :2]
    check.equal(f"the indices of {what}", indices, HAND_RERANKED, hint=RERANK_HINT, mistakes=[
        (np.take_along_axis(HAND_CANDIDATES, np.argsort(-on_dense, axis=1)[:, :2], 1),
         "the weight multiplies the KEYWORD scores: hybrid = dense + weight * keyword, not "
         "weight * dense + keyword."),
        (positions, "these are positions within each row of candidates (0 to c-1), not "
         "passage indices: take the candidates in that order "
         "(np.take_along_axis(candidates, order, axis=1))."),
        (np.take_along_axis(HAND_CANDIDATES, np.argsort(hybrid, axis=1)[:, :2], 1),
         "these are the k WORST candidates: sort by decreasing hybrid score "
         "(np.argsort(-hybrid))."),
    ])
    check.close(f"the scores of {what}", scores, HAND_HYBRID, rtol=1e-9, hint=RERANK_HINT,
                mistakes=[
                    (hybrid[:, :2], "the scores are still in the candidates' order: reorder "
                     "them with the same order as the indices."),
                    (np.take_along_axis(HAND_DENSE, positions, 1), "return the HYBRID scores "
                     "(dense + weight * keyword) of the reordered candidates, not their "
                     "dense scores."),
                ])
    result = check.call(fn, TIE_CANDIDATES, TIE_DENSE, TIE_KEYWORD, 0.5, 3)
    indices, _ = _rerank_result(check, result, 1, 3, "rerank_with_keywords(3 tied candidates)")
    check.equal("the order of 3 candidates whose hybrid scores are all 0.5", indices,
                TIE_CANDIDATES, hint=TIE_HINT,
                mistakes=[(TIE_CANDIDATES[:, ::-1], "reversing an ascending sort "
                           "(np.argsort(hybrid)[:, ::-1]) reverses tied candidates too: sort "
                           "-hybrid with kind=\"stable\" instead.")])
    what = "rerank_with_keywords(40 candidates with 4 distinct hybrid scores, k=10)"
    result = check.call(fn, MANY_TIES_CANDIDATES, MANY_TIES_DENSE, MANY_TIES_KEYWORD, 0.5, 10)
    indices, _ = _rerank_result(check, result, 1, 10, what)
    check.equal(f"the indices of {what}", indices, _rerank_oracle(
        MANY_TIES_CANDIDATES, MANY_TIES_DENSE, MANY_TIES_KEYWORD, 0.5, 10)[0], hint=TIE_HINT)
    rng = np.random.default_rng(17)
    n, c, k = 6, 10, 4
    candidates = np.array([rng.permutation(60)[:c] for _ in range(n)])
    dense = -np.sort(-rng.uniform(0.2, 0.8, size=(n, c)), axis=1)  # best first, as from top-k
    keyword = rng.uniform(0, 0.6, size=(n, c)) * (rng.uniform(size=(n, c)) < 0.6)
    what = f"rerank_with_keywords({n} random rows of {c} candidates, weight=0.7, k={k})"
    result = check.call(fn, candidates, dense, keyword, 0.7, k)
    indices, scores = _rerank_result(check, result, n, k, what)
    want_indices, want_scores = _rerank_oracle(candidates, dense, keyword, 0.7, k)
    check.equal(f"the indices of {what} against a brute-force loop", indices, want_indices,
                hint=RERANK_HINT)
    check.close(f"the scores of {what}", scores, want_scores, rtol=1e-9, hint=RERANK_HINT)
    what = f"rerank_with_keywords(the same rows, weight=0, k={c})"
    result = check.call(fn, candidates, dense, keyword, 0.0, c)
    indices, scores = _rerank_result(check, result, n, c, what)
    check.equal(f"the indices of {what} (keywords off: the dense order)", indices, candidates,
                hint="with weight 0 the hybrid score is the dense score, and the candidates "
                     "arrive sorted by it: they must come back unchanged. " + RERANK_HINT)
    check.close(f"the scores of {what}", scores, dense, rtol=1e-12, hint=RERANK_HINT)
    check.done()


# ----------------------------------------------------------------------------------------
# is_follow_up

FOLLOW_UP_CASES = [  # (question, max_words, expected, why)
    ("and for RNNs?", 4, True, "it starts with 'and'"),
    ("And in convolutional networks with many layers?", 4, True,
     "it starts with 'and' (in any case), however long it is"),
    ("what about GRUs?", 4, True, "it starts with 'what about'"),
    ("How about the test set?", 4, True, "it starts with 'how about'"),
    ("why does it help?", 4, True, "it is short (4 words)"),
    ("why does it help deep networks so much?", 4, True, "it contains the word 'it'"),
    ("How is that computed in practice for images?", 4, True, "it contains 'that'"),
    ("what do they learn in the deeper layers?", 4, True, "it contains 'they'"),
    ("What is batch normalisation in a network?", 4, False,
     "it has 7 words, no connective and no back-reference"),
    ("What does dropout do in a recurrent network?", 4, False,
     "it has 8 words, no connective at the start and no back-reference"),
    ("How does non-max suppression remove duplicate boxes?", 4, False,
     "a complete question with its own topic"),
    ("What is the candle in the handbook about?", 4, False,
     "'and' inside other words ('candle', 'handbook') does not count: compare whole words"),
    ("How many bits does a float16 number use?", 4, False,
     "'it' inside another word ('bits') is not the word 'it': compare whole words"),
    ("Android phones run which small CNN models?", 4, False,
     "'android' starts with the letters 'and' but is not the word 'and'"),
    ("How do we balance precision and recall?", 4, False,
     "'and' makes a follow-up only as the FIRST word"),
    ("What does dropout do to it?", 4, True,
     "'it?' is the word 'it' once the punctuation is set aside"),
    ("Explain the triplet loss", 3, False, "4 words is more than max_words=3"),
    ("Explain the triplet loss", 4, True, "4 words is at most max_words=4"),
    ("Summarise convolutional neural networks", 4, True,
     "it has 4 words (count words, not characters)"),
]

FOLLOW_UP_HINT = ("lower-case the question, take its words without punctuation (e.g. "
                  "re.findall(r\"[a-z0-9']+\", question.lower())); it is a follow-up when it "
                  "has at most max_words words, or its first word is 'and', or it starts with "
                  "'what about' or 'how about', or one of its words is in BACK_REFERENCES.")


def is_follow_up(fn, back_references):
    check = Checker("is_follow_up")
    # Any word of BACK_REFERENCES beyond the three required ones (e.g. 'their') counts too.
    extra = sorted(set(back_references) - {"it", "that", "they"})[:1]
    cases = FOLLOW_UP_CASES + [
        (f"Which layers does this method use for {word} gradients?", 4, True,
         f"'{word}' is in BACK_REFERENCES: use the set, not a list of your own")
        for word in extra]
    for question, max_words, expected, why in cases:
        got = check.call(fn, question, max_words)
        check.type_is(f"is_follow_up({question!r}, {max_words})", got, (bool, np.bool_),
                      hint="return True or False.")
        check.equal(f"is_follow_up({question!r}, max_words={max_words})", bool(got),
                    expected, hint=f"expected {expected} because {why}. " + FOLLOW_UP_HINT)
    check.that("BACK_REFERENCES holds 'it', 'that' and 'they'",
               {"it", "that", "they"} <= set(back_references), sorted(back_references),
               "a set containing them")
    check.done()


# ----------------------------------------------------------------------------------------
# query_with_memory

def query_with_memory(fn):
    check = Checker("query_with_memory")
    question = np.array([0.6, 0.8])
    previous = np.array([1.0, 0.0])
    got = check.call(fn, question, previous, True, 0.5)
    check.array("query_with_memory((0.6, 0.8), (1, 0), True, 0.5)", got, (2,))
    # (0.6 + 0.5, 0.8) = (1.1, 0.8), norm sqrt(1.85)
    expected = np.array([1.1, 0.8]) / np.sqrt(1.85)
    check.close("query_with_memory((0.6, 0.8), (1, 0), True, 0.5)", got, expected,
                hint="add weight * previous_vector to question_vector, then divide by the "
                     "norm of the sum.", mistakes=[
                    (np.array([1.1, 0.8]), "normalise the blend to unit length, as every "
                     "other vector compared by cosine similarity here."),
                    (np.array([1.3, 0.4]) / np.linalg.norm([1.3, 0.4]), "the weight goes on "
                     "the PREVIOUS question's vector: q + weight * previous."),
                    (np.array([0.8, 0.4]) / np.linalg.norm([0.8, 0.4]),
                     "blend as q + weight * previous, not (1 - weight) q + weight previous."),
                ])
    got = check.call(fn, question, previous, False, 0.5)
    check.close("query_with_memory(q, previous, follow_up=False, 0.5)", got, question,
                hint="a question that is not a follow-up keeps its own vector.")
    got = check.call(fn, question, None, True, 0.5)
    check.close("query_with_memory(q, None, True, 0.5) (no previous question)", got,
                question, hint="with nothing in memory (previous_vector is None), return "
                               "the question's vector.")
    rng = np.random.default_rng(3)
    q, p = _unit_rows(rng.normal(size=(2, 384)))
    got = check.call(fn, q, p, True, 0.3)
    check.close("query_with_memory on 384-d vectors, weight 0.3", got,
                (q + 0.3 * p) / np.linalg.norm(q + 0.3 * p), rtol=1e-6)
    check.done()


# ----------------------------------------------------------------------------------------
# choose_threshold

THRESHOLD_HINT = ("try every distinct score (of both lists) as the threshold t; answer when "
                  "score >= t; balanced accuracy = (share of on-topic scores >= t + share of "
                  "off-topic scores < t) / 2. Return the t with the highest balanced "
                  "accuracy, the lowest t among ties.")


def _balanced(on, off, t):
    return 0.5 * (np.mean(np.asarray(on) >= t) + np.mean(np.asarray(off) < t))


def choose_threshold(fn):
    check = Checker("choose_threshold")
    # on-topic 0.9 0.8 0.7 0.5 0.45, off-topic 0.6 0.4 0.3 0.2
    # t=0.45: on 5/5, off 3/4 -> 0.875;  t=0.7: on 3/5, off 4/4 -> 0.8;  t=0.5: 4/5, 3/4
    on = np.array([0.9, 0.5, 0.8, 0.45, 0.7])
    off = np.array([0.3, 0.6, 0.2, 0.4])
    got = check.call(fn, on, off)
    check.number("choose_threshold(hand case)", got)
    plain = max(sorted(set(on) | set(off)),
                key=lambda t: (np.mean(np.r_[on >= t, off < t]), -t))
    check.close("choose_threshold(hand case)", got, 0.45, hint=THRESHOLD_HINT, mistakes=[
        (0.6, "answering when score > t (strictly) loses the on-topic question scored "
         "exactly t: answer when score >= t."),
        (plain, "plain accuracy over all questions weighs the larger list more: use the "
         "balanced accuracy (the mean of the two shares)."),
    ])
    # a tie: on 0.9, 0.5; off 0.6, 0.1 -> t=0.5: (1 + 1/2)/2 = 0.75, t=0.6: 0.5,
    # t=0.9: (1/2 + 1)/2 = 0.75; the lowest of the best is 0.5
    got = check.call(fn, np.array([0.9, 0.5]), np.array([0.6, 0.1]))
    check.close("choose_threshold([0.9, 0.5], [0.6, 0.1]) (two equally good thresholds)", got,
                0.5, hint="among equally good thresholds return the lowest candidate score.")
    rng = np.random.default_rng(8)
    on = rng.normal(0.6, 0.1, size=60)
    off = rng.normal(0.3, 0.12, size=35)
    got = check.call(fn, on, off)
    check.number("choose_threshold(60 on-topic, 35 off-topic random scores)", got)
    best = max(_balanced(on, off, t) for t in np.linspace(-0.2, 1.2, 20001))
    check.close("the balanced accuracy at your threshold against the best over a fine grid",
                _balanced(on, off, float(got)), best, rtol=1e-9, hint=THRESHOLD_HINT)
    candidates = np.sort(np.r_[on, off])
    lower = candidates[candidates < float(got)]
    check.that("no lower candidate score is as good (the tie rule)",
               not any(_balanced(on, off, t) >= best for t in lower[-50:]),
               float(got), "the lowest of the best", hint=THRESHOLD_HINT)
    check.done()


# ----------------------------------------------------------------------------------------
# Verdicts on the evaluation

def retrieval_results(top1, top3, idk_off_topic, answered_on_topic, dense_top1):
    verdict = Verdicts("chatbot on the test questions")
    verdict.within("retrieval top-1 accuracy", top1, *TEST_TOP1_BAND,
                   hint="far lower: are the passages and questions embedded the same way "
                        "(mean_pool, normalised)? Does rerank_with_keywords sort best first "
                        "and return passage indices?")
    verdict.above("retrieval top-3 accuracy", top3, TEST_TOP3_FLOOR)
    verdict.beats("top-1 accuracy of hybrid search over dense scores alone", top1, dense_top1,
                  by=KEYWORD_GAIN, hint="is the keyword weight chosen on the tuning set, and "
                  "does rerank_with_keywords add weight * keyword_scores to the dense scores?")
    verdict.above("share of off-topic questions answered 'I don't know'", idk_off_topic,
                  OFF_TOPIC_IDK_FLOOR, hint="is the threshold chosen on the tuning set's "
                  "hybrid scores?")
    verdict.above("share of paraphrases answered", answered_on_topic, ON_TOPIC_ANSWERED_FLOOR,
                  hint="a threshold too high turns real questions into 'I don't know'.")
    verdict.done()


def conversation_results(with_memory, without_memory, tuning_with_memory,
                         tuning_without_memory):
    verdict = Verdicts("follow-up questions")
    verdict.beats("top-1 accuracy with memory over without on the tuning follow-ups (where "
                  "the memory weight was chosen)", tuning_with_memory, tuning_without_memory,
                  by=TUNING_FOLLOW_UP_GAIN,
                  hint="is_follow_up and query_with_memory decide this: is the blend "
                       "q + weight * previous, normalised?")
    verdict.within("top-1 accuracy with memory on the test follow-ups", with_memory,
                   TEST_FOLLOW_UP_FLOOR, 1.0, hint="is_follow_up and query_with_memory "
                   "decide this.")
    verdict.that("memory is not worse than none on the test follow-ups",
                 with_memory >= without_memory,
                 f"{with_memory:.3g} with memory, {without_memory:.3g} without",
                 hint="a follow-up blended with the previous question should not lose its "
                      "answer: check query_with_memory.")
    verdict.done()
