"""The trigger-word checks pass a correct reference and catch typical mistakes; the notebook's
solutions and ``utils.models.trigger_word`` agree (one source)."""

from pathlib import Path

import numpy as np
import pytest

import utils
from tests.check_contract import blank_raises_not_implemented, mistake_is_caught
from utils.checks import c5w3_trigger_word_detection as check
from utils.models import trigger_word as tw
from utils.tools import notebooks

utils.setup_notebook(tensorflow=True)
import keras  # noqa: E402  (after the set-up call, which imports TensorFlow)
from keras import layers  # noqa: E402

NOTEBOOK = (Path(__file__).resolve().parents[1] / "course5_sequence_models"
            / "week3_trigger_word_detection.ipynb")

# ----------------------------------------------------------------------------------------
# wrong variants of the library's (correct) functions


def overlap_strict(segment_time, previous_segments):
    start, end = segment_time
    return any(start < p_end and end > p_start for p_start, p_end in previous_segments)


def overlap_first_only(segment_time, previous_segments):
    start, end = segment_time
    for p_start, p_end in previous_segments:
        return start <= p_end and end >= p_start
    return False


def overlap_starts_only(segment_time, previous_segments):
    start, _ = segment_time
    return any(p_start <= start <= p_end for p_start, p_end in previous_segments)


def insert_at_sample(background, audio_clip, previous_segments, rng):
    clip_ms = len(audio_clip) // tw.SAMPLES_PER_MS
    total_ms = len(background) // tw.SAMPLES_PER_MS
    for _ in range(tw.MAX_TRIES):
        start = int(rng.integers(0, total_ms - clip_ms + 1))
        segment_time = (start, start + clip_ms - 1)
        if not tw.is_overlapping(segment_time, previous_segments):
            previous_segments.append(segment_time)
            new = background.copy()
            new[start:start + len(audio_clip)] += audio_clip
            return new, segment_time
    return background.copy(), None


def insert_global_rng(background, audio_clip, previous_segments, rng):
    return tw.insert_audio_clip(background, audio_clip, previous_segments,
                                np.random.default_rng(np.random.randint(1000)))


def insert_fixed_rng(background, audio_clip, previous_segments, rng):
    return tw.insert_audio_clip(background, audio_clip, previous_segments,
                                np.random.default_rng(0))


def insert_end_off_by_one(background, audio_clip, previous_segments, rng):
    new, segment = tw.insert_audio_clip(background, audio_clip, previous_segments, rng)
    if segment is None:
        return new, segment
    previous_segments[-1] = (segment[0], segment[1] + 1)
    return new, previous_segments[-1]


def insert_ignoring_overlaps(background, audio_clip, previous_segments, rng):
    new, segment = tw.insert_audio_clip(background, audio_clip, [], rng)
    previous_segments.append(segment)
    return new, segment


def insert_not_recorded(background, audio_clip, previous_segments, rng):
    return tw.insert_audio_clip(background, audio_clip, list(previous_segments), rng)


def insert_in_place(background, audio_clip, previous_segments, rng):
    new, segment = tw.insert_audio_clip(background, audio_clip, previous_segments, rng)
    background[:] = new
    return background, segment


def insert_replacing(background, audio_clip, previous_segments, rng):
    new, segment = tw.insert_audio_clip(background, audio_clip, previous_segments, rng)
    if segment is not None:
        first = segment[0] * tw.SAMPLES_PER_MS
        new[first:first + len(audio_clip)] = audio_clip
    return new, segment


def insert_drawing(tries=tw.MAX_TRIES, high_offset=1):
    """insert_audio_clip with another number of draws or another upper end of the draw."""
    def insert_audio_clip(background, audio_clip, previous_segments, rng):
        clip_ms = len(audio_clip) // tw.SAMPLES_PER_MS
        total_ms = len(background) // tw.SAMPLES_PER_MS
        for _ in range(tries):
            start = int(rng.integers(0, total_ms - clip_ms + high_offset))
            segment_time = (start, start + clip_ms - 1)
            if not tw.is_overlapping(segment_time, previous_segments):
                previous_segments.append(segment_time)
                new = background.copy()
                new[start * tw.SAMPLES_PER_MS:start * tw.SAMPLES_PER_MS + len(audio_clip)] += \
                    audio_clip
                return new, segment_time
        return background.copy(), None
    return insert_audio_clip


def ones_from(step_of, count=tw.LABEL_STEPS, fresh=False, clip=True):
    def insert_ones(y, segment_end_ms):
        Ty = y.shape[1]
        first = step_of(segment_end_ms, Ty)
        out = np.zeros_like(y) if fresh else y.copy()
        for i in range(first, first + count):
            if i < Ty or not clip:
                out[0, i] = 1
        return out
    return insert_ones


def example_with(mistake):
    def create_training_example(background, activates, negatives, Ty, rng):
        y = np.zeros((1, Ty), dtype=np.float32)
        previous = []
        audio = background.copy()
        def negative_words():
            nonlocal audio, y
            for index in rng.integers(0, len(negatives), int(rng.integers(0, 3))):
                audio, segment = tw.insert_audio_clip(audio, negatives[index], previous, rng)
                if mistake == "negatives_labelled" and segment is not None:
                    y = tw.insert_ones(y, segment[1])

        if mistake == "negatives_first":
            negative_words()
        most = 4 if mistake == "zero_to_three" else 5
        for index in rng.integers(0, len(activates), int(rng.integers(0, most))):
            audio, segment = tw.insert_audio_clip(audio, activates[index],
                                                  [] if mistake == "overlaps" else previous,
                                                  rng)
            if segment is not None:
                where = segment[0] if mistake == "start" else segment[1]
                labelled = tw.insert_ones(y, where)
                if mistake != "dropped_labels":
                    y = labelled
        if mistake != "negatives_first":
            negative_words()
        x = tw.spectrogram(background if mistake == "x_background" else audio)
        return x, y, audio
    return create_training_example


def model_with(mistake):
    def modelf(input_shape):
        X_input = keras.Input(shape=input_shape)
        strides = 2 if mistake == "stride" else tw.STRIDE
        X = layers.Conv1D(tw.FILTERS, tw.KERNEL, strides=strides)(X_input)
        X = layers.BatchNormalization()(X)
        X = layers.Activation("relu")(X)
        X = layers.Dropout(tw.DROPOUT)(X)
        X = layers.GRU(tw.UNITS, return_sequences=True)(X)
        if mistake == "bn_before_dropout":
            X = layers.BatchNormalization()(X)
            X = layers.Dropout(tw.DROPOUT)(X)
        else:
            X = layers.Dropout(tw.DROPOUT)(X)
            X = layers.BatchNormalization()(X)
        units = 128 if mistake == "units" else tw.UNITS
        X = layers.GRU(units, return_sequences=mistake != "last_only")(X)
        X = layers.Dropout(tw.DROPOUT)(X)
        if mistake != "no_bn":
            X = layers.BatchNormalization()(X)
        X = layers.Dropout(0.8 if mistake == "keep_rate" else tw.DROPOUT)(X)
        activation = "softmax" if mistake == "softmax" else "sigmoid"
        X = layers.TimeDistributed(layers.Dense(1, activation=activation))(X)
        if mistake == "fixed_shape":
            return tw.modelf((tw.TX, tw.N_FREQ))
        return keras.Model(X_input, X)
    return modelf


# ----------------------------------------------------------------------------------------


def test_correct_reference_passes(capsys):
    check.is_overlapping(tw.is_overlapping)
    check.insert_audio_clip(tw.insert_audio_clip)
    check.insert_ones(tw.insert_ones)
    check.create_training_example(tw.create_training_example)
    check.modelf(tw.modelf)
    out = capsys.readouterr().out
    for name in ("is_overlapping", "insert_audio_clip", "insert_ones",
                 "create_training_example", "modelf"):
        assert f"{name}: all " in out, out
    assert f"modelf: {tw.parameter_count()} parameters" in out


def test_insert_ones_in_place_is_accepted(capsys):
    def in_place(y, segment_end_ms):
        end_step = int(segment_end_ms * y.shape[1] / tw.CLIP_MS)
        for i in range(end_step + 1, end_step + 1 + tw.LABEL_STEPS):
            if i < y.shape[1]:
                y[0, i] = 1
        return y
    check.insert_ones(in_place)
    assert "insert_ones: all" in capsys.readouterr().out


def test_parameter_count_by_hand():
    # Conv1D 15*129*64 + 64, three batch norms 3 * 4 * 64, two GRUs 3 * (64*64 + 64*64 + 128)
    # each, Dense 64 + 1
    assert tw.parameter_count() == 123904 + 768 + 2 * 24960 + 65 == 174657


@pytest.mark.parametrize("wrong, word", [
    (overlap_strict, "<= and >="),
    (overlap_first_only, "every previous segment"),
    (overlap_starts_only, "one segment inside the other"),
])
def test_is_overlapping_mistakes_fail(wrong, word):
    mistake_is_caught(check, "is_overlapping", wrong, word)


@pytest.mark.parametrize("wrong, word", [
    (insert_at_sample, "start_ms * SAMPLES_PER_MS"),
    (insert_global_rng, "not np.random"),
    (insert_fixed_rng, "number of different starts"),
    (insert_end_off_by_one, "start + clip_ms - 1"),
    (insert_ignoring_overlaps, "is_overlapping"),
    (insert_not_recorded, "append the new segment_time"),
    (insert_in_place, "changed in place"),
    (insert_replacing, "do not replace"),
    (insert_drawing(tries=1), "draw again after an overlap"),
    (insert_drawing(tries=tw.MAX_TRIES + 1), "at most MAX_TRIES"),
    (insert_drawing(high_offset=0), "the upper end is excluded"),
])
def test_insert_audio_clip_mistakes_fail(wrong, word):
    mistake_is_caught(check, "insert_audio_clip", wrong, word)


@pytest.mark.parametrize("wrong, word", [
    (ones_from(lambda ms, Ty: int(ms * Ty / tw.CLIP_MS)), "segment_end_y + 1"),
    (ones_from(lambda ms, Ty: int(ms * Ty / 10000) + 1), "not 10 s"),
    (ones_from(lambda ms, Ty: int(ms * Ty / tw.CLIP_MS) + 1, count=tw.LABEL_STEPS + 1),
     "exactly LABEL_STEPS"),
    (ones_from(lambda ms, Ty: int(ms * Ty / tw.CLIP_MS) + 1, fresh=True), "keep the ones"),
    (ones_from(lambda ms, Ty: int(ms * 121 / tw.CLIP_MS) + 1), "y.shape[1]"),
    (ones_from(lambda ms, Ty: int(ms * Ty / tw.CLIP_MS) + 1, clip=False), "stop at Ty"),
])
def test_insert_ones_mistakes_fail(wrong, word):
    mistake_is_caught(check, "insert_ones", wrong, word)


@pytest.mark.parametrize("mistake, word", [
    ("start", "segment_time[1]"),
    ("dropped_labels", "segment_time[1]"),
    ("overlaps", "no two words overlap"),
    ("negatives_labelled", "negative words get no ones"),
    ("x_background", "not from the original background"),
    ("zero_to_three", "rng.integers(0, 5): 0 to 4"),
    ("negatives_first", "insert the activates first"),
])
def test_create_training_example_mistakes_fail(mistake, word):
    mistake_is_caught(check, "create_training_example", example_with(mistake), word)


def test_create_training_example_global_rng_fails():
    def global_rng(background, activates, negatives, Ty, rng):
        return tw.create_training_example(background, activates, negatives, Ty,
                                          np.random.default_rng(np.random.randint(1000)))
    mistake_is_caught(check, "create_training_example", global_rng, "take every random")


@pytest.mark.parametrize("mistake, word", [
    ("stride", "Conv1D"),
    ("units", "GRU 2"),
    ("last_only", "return_sequences=True"),
    ("no_bn", "BatchNormalization"),
    ("keep_rate", "Dropout"),
    ("softmax", "sigmoid"),
    ("fixed_shape", "from input_shape"),
    ("bn_before_dropout", "Dropout, then BatchNormalization"),
])
def test_modelf_mistakes_fail(mistake, word):
    mistake_is_caught(check, "modelf", model_with(mistake), word)


def test_clip_indices_drawn_one_at_a_time_are_accepted(capsys):
    # [rng.integers(0, k) for _ in range(n)] gives the numbers of rng.integers(0, k, n)
    def one_at_a_time(background, activates, negatives, Ty, rng):
        y = np.zeros((1, Ty), dtype=np.float32)
        previous, audio = [], background.copy()
        n = int(rng.integers(0, 5))
        for index in [int(rng.integers(0, len(activates))) for _ in range(n)]:
            audio, segment = tw.insert_audio_clip(audio, activates[index], previous, rng)
            if segment is not None:
                y = tw.insert_ones(y, segment[1])
        n = int(rng.integers(0, 3))
        for index in [int(rng.integers(0, len(negatives))) for _ in range(n)]:
            audio, _ = tw.insert_audio_clip(audio, negatives[index], previous, rng)
        return tw.spectrogram(audio), y, audio
    check.create_training_example(one_at_a_time)
    assert "create_training_example: all" in capsys.readouterr().out


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, ["is_overlapping", "insert_audio_clip", "insert_ones",
                                         "create_training_example", "modelf"])


def test_live_training_verdicts():
    check.live_training([0.6, 0.4])
    with pytest.raises(AssertionError):
        check.live_training([0.5, 0.6])
    with pytest.raises(AssertionError):
        check.live_training([0.9, 0.8])


# ----------------------------------------------------------------------------------------
# one source: the notebook's solutions against the library


@pytest.fixture(scope="module")
def notebook():
    namespace = {"np": np, "keras": keras, "layers": layers}
    namespace.update({name: getattr(tw, name) for name in (
        "RATE", "SAMPLES_PER_MS", "CLIP_MS", "LABEL_STEPS", "MAX_TRIES", "TX", "TY",
        "N_FREQ", "KERNEL", "STRIDE", "FILTERS", "UNITS", "DROPOUT", "spectrogram")})
    for cell in notebooks.read(NOTEBOOK).cells:
        if cell.cell_type == "code" and notebooks.graded_name(cell) is not None:
            exec(compile(cell.source, NOTEBOOK.name, "exec"), namespace)
    return namespace


def test_notebook_and_library_agree(notebook):
    clips = [np.full(n * tw.SAMPLES_PER_MS, v, np.float32)
             for n, v in ((450, 0.5), (700, 0.3), (300, -0.2), (520, -0.4))]
    for seed in range(5):
        background = np.random.default_rng(seed).standard_normal(tw.N_SAMPLES) * 0.01
        background = background.astype(np.float32)
        got = notebook["create_training_example"](background, clips[:2], clips[2:], tw.TY,
                                                  np.random.default_rng(seed))
        expected = tw.create_training_example(background, clips[:2], clips[2:], tw.TY,
                                              np.random.default_rng(seed))
        for a, b in zip(got, expected, strict=True):
            np.testing.assert_array_equal(a, b)
    for segment, previous, _, _ in check._OVERLAP_CASES:
        assert notebook["is_overlapping"](segment, previous) == tw.is_overlapping(segment,
                                                                                  previous)
    assert notebook["modelf"]((tw.TX, tw.N_FREQ)).count_params() == tw.parameter_count()


# ----------------------------------------------------------------------------------------
# scoring helpers and the committed weights


def test_detect_match_and_f1_by_hand():
    p = np.zeros(20)
    p[[2, 3, 4]] = 0.9
    p[[10]] = 0.6
    p[[15, 16]] = 0.51
    assert tw.detect(p) == [(2, 4), (10, 10), (15, 16)]
    assert tw.detect(p, threshold=0.55) == [(2, 4), (10, 10)]
    truths = [(4, 8), (11, 14), (17, 19)]
    # (2, 4) meets (4, 8); (10, 10) meets nothing; (15, 16) ends before (17, 19) starts
    assert tw.match_detections(tw.detect(p), truths) == (1, 2, 2)
    # one true word is matched by one detection only
    assert tw.match_detections([(0, 3), (5, 6)], [(2, 6)]) == (1, 1, 0)
    assert tw.f1_score(1, 2, 2) == pytest.approx(2 / 6)
    assert tw.f1_score(0, 0, 0) == 1.0
    y = np.zeros((1, 30))
    y[0, 3:12] = 1
    y[0, 20:29] = 1
    assert tw.activate_segments(y) == [(3, 11), (20, 28)]


def test_chime_lands_where_the_detection_starts():
    audio = np.zeros(tw.N_SAMPLES, dtype=np.float32)
    p = np.zeros(tw.TY)
    p[60:65] = 0.9
    bell = np.ones(100, dtype=np.float32)
    out = tw.chime_on_activate(audio, p, bell)
    start = int(60 * tw.N_SAMPLES / tw.TY)
    assert np.flatnonzero(out).tolist() == list(range(start, start + 100))
    assert not audio.any()


def test_committed_weights_fit_modelf():
    from utils.data.trigger_word_weights import load_trained_weights

    weights, history = load_trained_weights()
    model = tw.modelf((tw.TX, tw.N_FREQ))
    assert [w.shape for w in weights] == [tuple(w.shape) for w in model.get_weights()]
    assert all(w.dtype == np.float32 for w in weights)
    assert len(history["dev_f1"]) == history["epochs"] == 20
    assert history["dev_f1"][-1] >= check.DEV_F1_FLOOR
