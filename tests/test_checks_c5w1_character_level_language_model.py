"""The character-level language model checks pass a correct solution and catch typical
mistakes."""

import numpy as np
import pytest

from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c5w1_character_level_language_model as check
from utils.checks.harness import CheckFailure
from utils.models import char_rnn

KEYS = ("dWax", "dWaa", "dWya", "db", "dby")

# ----------------------------------------------------------------------------------------
# a correct reference, built on utils.models.char_rnn (tested against numeric gradients in
# test_char_rnn.py)


def clip(gradients, maxValue):
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in KEYS}


def _sampler(pick="draw", feed_input=True, carry_state=True, seeded=True, cap_newline=True,
             always_newline=False, start_newline=False):
    def sample(parameters, char_to_ix, seed):
        vocab = parameters["by"].shape[0]
        n_a = parameters["Waa"].shape[0]
        # the unseeded mistake draws from numpy's global generator, which the check reseeds
        # differently between its two calls: deterministic, so the test cannot flake
        rng = np.random.default_rng(seed if seeded else np.random.randint(2**31))
        x, a_prev = np.zeros((vocab, 1)), np.zeros((n_a, 1))
        newline, indices = char_to_ix["\n"], []
        if start_newline:
            x[newline] = 1
        while len(indices) < 50:
            a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a_prev + parameters["b"])
            y = char_rnn.softmax(parameters["Wya"] @ a + parameters["by"])
            if pick == "argmax":
                index = int(np.argmax(y))
            else:
                index = int(rng.choice(vocab, p=y.ravel()))
            indices.append(index)
            if index == newline:
                break
            if feed_input:
                x = np.zeros((vocab, 1))
                x[index] = 1
            if carry_state:
                a_prev = a
        if always_newline or (cap_newline and indices[-1] != newline):
            indices.append(newline)
        return indices

    return sample


sample = _sampler()


def _optimizer(clip_first=True, sign=1.0, fixed_rate=None, mean_loss=False, last=True):
    def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
        rate = learning_rate if fixed_rate is None else fixed_rate
        vocab = parameters["by"].shape[0]
        loss, cache = char_rnn.rnn_forward(X, Y, a_prev, parameters, vocab)
        gradients, a = char_rnn.rnn_backward(X, Y, parameters, cache)
        if clip_first:
            gradients = clip(gradients, 5)
        char_rnn.update_parameters_in_place(parameters, {k: sign * v for k, v in gradients.items()},
                                   rate)
        if not clip_first:
            gradients = clip(gradients, 5)
        if mean_loss:
            loss = loss / len(X)
        return loss, gradients, a[len(X) - 1] if last else a[-1]

    return optimize


optimize = _optimizer()


def _modeler(first_only=False, no_start=False, carry_state=False, rate="argument"):
    def model(data_x, ix_to_char, char_to_ix, num_iterations=2000, n_a=50, dino_names=7,
              vocab_size=27, verbose=False, loss_history=None, learning_rate=0.01):
        parameters = char_rnn.initialize_parameters(n_a, vocab_size, vocab_size, seed=1)
        examples = [data_x[i] for i in np.random.default_rng(0).permutation(len(data_x))]
        losses = [] if loss_history is None else loss_history
        a_prev = np.zeros((n_a, 1))
        for j in range(num_iterations):
            name = examples[0 if first_only else j % len(examples)]
            X, Y = char_rnn.encode(name, char_to_ix)
            if no_start:
                X, Y = X[1:], Y[1:]
            if not carry_state:
                a_prev = np.zeros((n_a, 1))
            if rate == "argument":
                loss, _, a_prev = optimize(X, Y, a_prev, parameters, learning_rate)
            elif rate == "default":
                loss, _, a_prev = optimize(X, Y, a_prev, parameters)
            else:
                loss, _, a_prev = optimize(X, Y, a_prev, parameters, rate)
            losses.append(loss)
        return parameters

    return model


model = _modeler()

REFERENCE = {"clip": clip, "sample": sample, "optimize": optimize, "model": model}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, REFERENCE)


def test_course_style_sampler_passes(capsys):
    """np.random.seed + np.random.choice, as many learners write it, is also accepted."""

    def legacy(parameters, char_to_ix, seed):
        vocab, n_a = parameters["by"].shape[0], parameters["Waa"].shape[0]
        x, a_prev, indices, index = np.zeros((vocab, 1)), np.zeros((n_a, 1)), [], -1
        np.random.seed(seed)
        while index != char_to_ix["\n"] and len(indices) != 50:
            a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a_prev + parameters["b"])
            y = char_rnn.softmax(parameters["Wya"] @ a + parameters["by"])
            index = np.random.choice(list(range(vocab)), p=y.ravel())
            indices.append(index)
            x = np.zeros((vocab, 1))
            x[index] = 1
            a_prev = a
        if indices[-1] != char_to_ix["\n"]:
            indices.append(char_to_ix["\n"])
        return indices

    check.sample(legacy)
    assert "passed" in capsys.readouterr().out


# ----------------------------------------------------------------------------------------
# typical mistakes, each with a word the message must contain


def _clip_in_place(gradients, maxValue):
    for key in KEYS:
        np.clip(gradients[key], -maxValue, maxValue, out=gradients[key])
    return gradients


def _clip_into_same_dict(gradients, maxValue):
    for key in KEYS:
        gradients[key] = np.clip(gradients[key], -maxValue, maxValue)
    return gradients


def _clip_above_only(gradients, maxValue):
    return {key: np.minimum(gradients[key], maxValue) for key in KEYS}


def _clip_forgets_dby(gradients, maxValue):
    clipped = {key: np.clip(gradients[key], -maxValue, maxValue) for key in KEYS}
    clipped["dby"] = np.copy(gradients["dby"])
    return clipped


def _clip_fixed_five(gradients, maxValue):
    return {key: np.clip(gradients[key], -5, 5) for key in KEYS}


def _unseeded(parameters, char_to_ix, seed):
    return _sampler(seeded=False)(parameters, char_to_ix, seed)


MISTAKES = [
    ("clip", _clip_in_place, "without out=g"),
    ("clip", _clip_into_same_dict, "instead of assigning"),
    ("clip", _clip_above_only, "from below"),
    ("clip", _clip_forgets_dby, "unclipped"),
    ("clip", _clip_fixed_five, "not at a fixed 5"),
    ("sample", _sampler(pick="argmax"), "argmax"),
    ("sample", _sampler(feed_input=False), "one-hot"),
    ("sample", _sampler(carry_state=False), "a_prev = a"),
    ("sample", _sampler(always_newline=True), "already ended"),
    ("sample", _sampler(cap_newline=False), "append the newline"),
    ("sample", _unseeded, "seed"),
    ("optimize", _optimizer(clip_first=False), "clip first"),
    ("optimize", _optimizer(sign=-1.0), "wrong sign"),
    ("optimize", _optimizer(fixed_rate=0.01), "learning_rate argument"),
    ("optimize", _optimizer(mean_loss=True), "not the mean"),
    ("optimize", _optimizer(last=False), "last step"),
    ("model", _modeler(first_only=True), "every name of the corpus"),
    ("model", _modeler(no_start=True), "None"),
    ("model", _modeler(carry_state=True), "zero hidden state"),
    ("model", _modeler(rate="default"), "learning rate of 0.01"),
    ("model", _modeler(rate=0.05), "learning rate of 0.05"),
    ("sample", _sampler(start_newline=True), "newline's one-hot"),
]


@pytest.mark.parametrize(
    ("name", "wrong", "word"), MISTAKES,
    ids=[f"{name}-{getattr(wrong, '__name__', 'wrong')}-{i}"
         for i, (name, wrong, _) in enumerate(MISTAKES)],
)
def test_mistake_is_caught(name, wrong, word):
    mistake_is_caught(check, name, wrong, word)


def test_optimize_problem_clips_some_but_not_all_entries():
    X, Y, a_prev, parameters = check._optimize_problem()
    raw = check._numeric_gradients(X, Y, a_prev, parameters)
    sizes = np.concatenate([np.abs(value).ravel() for value in raw.values()])
    assert 5 <= np.sum(sizes > 5) < sizes.size // 2


# ----------------------------------------------------------------------------------------
# verdicts on the notebook's results of training: a realistic result holds, a result typical
# of a broken implementation fails with a helpful word

TRAIN = [f"name{i}" for i in range(200)]
HELD = [f"held{i}" for i in range(20)]


def _samples(real, total=300, held=0):
    """``total`` generated names of which ``real`` are real (``held`` of them held out)."""
    return TRAIN[: real - held] + HELD[:held] + [f"new{i}" for i in range(total - real)]


def _losses(final, steps=20000):
    """A loss history whose smoothed value ends close to ``final``."""
    return list(np.linspace(2 * final, final, steps // 2)) + [final] * (steps // 2)


def test_trained_rnn_verdict(capsys):
    check.trained_rnn(_losses(14.96))
    assert "all 2 verdicts hold" in capsys.readouterr().out


@pytest.mark.parametrize(("history", "word"), [
    (_losses(16.95), "learning rate"),              # learning rate 0.001 instead of 0.01
    (_losses(14.96)[:-1] + [np.inf], "wrong sign"),  # gradient ascent ends in inf
    (_losses(14.96, steps=2000), "one loss per step"),
])
def test_trained_rnn_verdict_fails(history, word):
    with pytest.raises(CheckFailure, match=word):
        check.trained_rnn(history)


SCORES = {"uniform guess": np.log(27), "unigram": 2.808, "bigram": 2.335, "numpy RNN": 2.122}


def test_held_out_scores_verdict(capsys):
    check.held_out_scores(SCORES, 2.114)
    assert "all 3 verdicts hold" in capsys.readouterr().out


@pytest.mark.parametrize(("rnn", "train", "word"), [
    (2.406, 2.408, "learning rate"),    # learning rate 0.001
    (2.214, 2.200, "carried over"),     # hidden state carried from name to name
    (2.122, 1.900, "memorised"),
])
def test_held_out_scores_verdict_fails(rnn, train, word):
    with pytest.raises(CheckFailure, match=word):
        check.held_out_scores({**SCORES, "numpy RNN": rnn}, train)


def test_temperature_samples_verdict(capsys):
    samples = {0.5: _samples(55, held=3), 1.0: _samples(10), 1.5: _samples(2)}
    check.temperature_samples(samples, TRAIN, HELD)
    assert "all 3 verdicts hold" in capsys.readouterr().out


@pytest.mark.parametrize(("counts", "word"), [
    ((22, 12, 4), "learned too little"),    # learning rate 0.001
    ((40, 38, 5), "sharpen"),               # temperature without effect
    ((55, 10, 45), "not multiplied"),
])
def test_temperature_samples_verdict_fails(counts, word):
    samples = {t: _samples(n) for t, n in zip((0.5, 1.0, 1.5), counts, strict=True)}
    with pytest.raises(CheckFailure, match=word):
        check.temperature_samples(samples, TRAIN, HELD)


LSTM_HELD_OUT = [2.279, 2.134, 2.043, 2.006, 1.962, 1.942]


def test_lstm_scores_verdict(capsys):
    check.lstm_scores(LSTM_HELD_OUT, SCORES)
    assert "all 3 verdicts hold" in capsys.readouterr().out


def test_lstm_scores_verdict_fails_for_a_small_learning_rate():
    # Adam with learning rate 0.001 instead of 0.01
    slow = [2.685, 2.578, 2.421, 2.347, 2.308, 2.278]
    with pytest.raises(CheckFailure, match="learning rate"):
        check.lstm_scores(slow, SCORES)


def test_lstm_samples_verdict(capsys):
    check.lstm_samples({0.5: _samples(116, held=4)}, {0.5: _samples(55)}, TRAIN, HELD)
    assert "all 2 verdicts hold" in capsys.readouterr().out


def test_lstm_samples_verdict_fails_for_a_small_learning_rate():
    with pytest.raises(CheckFailure, match="learned too little"):
        check.lstm_samples({0.5: _samples(36)}, {0.5: _samples(55)}, TRAIN, HELD)
