"""Trigger-word detection: spectrograms, synthetic training examples, the model, scoring.

The notebook ``course5_sequence_models/week3_trigger_word_detection.ipynb`` teaches
``is_overlapping``, ``insert_audio_clip``, ``insert_ones``, ``create_training_example`` and
``modelf``; this module restates them for the weight builder
(``python -m utils.builders.trigger_word_model``) and for the checks, and
``tests/test_checks_c5w3_trigger_word_detection.py`` proves that both copies agree on
seeded inputs. It also holds what the notebook uses without teaching: the spectrogram, the
detection of words in the model's output and the F1 score against the true words.

Audio is float32 at ``RATE`` = 8,000 Hz; a training clip lasts ``CLIP_MS`` = 5,000 ms.
Times of inserted words are whole milliseconds, ``(start_ms, end_ms)`` with both ends
inside the word (a word of ``d`` ms starting at ``s`` ends at ``s + d - 1``). No file I/O.
"""

import numpy as np

RATE = 8000
SAMPLES_PER_MS = RATE // 1000
CLIP_MS = 5000
N_SAMPLES = CLIP_MS * SAMPLES_PER_MS     # 40,000
WINDOW = 200                              # 25 ms frames ...
HOP = 80                                  # ... every 10 ms
N_FFT = 256
N_FREQ = N_FFT // 2 + 1                   # 129 frequency bins, 0-4,000 Hz
TX = 1 + (N_SAMPLES - WINDOW) // HOP      # 498 spectrogram frames
KERNEL, STRIDE = 15, 4                    # the first Conv1D
TY = 1 + (TX - KERNEL) // STRIDE          # 121 output steps, one every 41.3 ms
LABEL_STEPS = 9                           # ones after the end of each "activate" (372 ms)
FILTERS, UNITS, DROPOUT = 64, 64, 0.2
MAX_TRIES = 10


def spectrogram(audio):
    """Log power spectrogram, shape (TX, N_FREQ): Hann-windowed 25 ms frames every 10 ms,
    ``log10(power + 1e-8)`` of a 256-point FFT, shifted by +4 so typical values sit around
    0."""
    audio = np.asarray(audio, dtype=np.float32)
    frames = np.lib.stride_tricks.sliding_window_view(audio, WINDOW)[::HOP]
    power = np.abs(np.fft.rfft(frames * np.hanning(WINDOW).astype(np.float32), N_FFT)) ** 2
    return (np.log10(power + 1e-8) + 4.0).astype(np.float32)


# ------------------------------------------------------------------------------------------
# the graded functions, restated


def is_overlapping(segment_time, previous_segments):
    """True when ``(start_ms, end_ms)`` shares at least one millisecond with one of
    ``previous_segments`` (both ends inclusive, so touching segments overlap)."""
    start, end = segment_time
    return any(start <= prev_end and end >= prev_start
               for prev_start, prev_end in previous_segments)


def insert_audio_clip(background, audio_clip, previous_segments, rng):
    """Add ``audio_clip`` at a random free place; return ``(new_background, segment_time)``.

    Up to ``MAX_TRIES`` draws of ``rng.integers(0, total_ms - clip_ms + 1)``; the chosen
    segment is appended to ``previous_segments``. When no draw is free the background comes
    back unchanged (a copy) with ``segment_time = None``.
    """
    clip_ms = len(audio_clip) // SAMPLES_PER_MS
    total_ms = len(background) // SAMPLES_PER_MS
    for _ in range(MAX_TRIES):
        start = int(rng.integers(0, total_ms - clip_ms + 1))
        segment_time = (start, start + clip_ms - 1)
        if not is_overlapping(segment_time, previous_segments):
            previous_segments.append(segment_time)
            new_background = np.array(background, copy=True)
            first = start * SAMPLES_PER_MS
            new_background[first:first + len(audio_clip)] += audio_clip
            return new_background, segment_time
    return np.array(background, copy=True), None


def insert_ones(y, segment_end_ms):
    """Labels ``y`` (1, Ty) with ones on the LABEL_STEPS steps after the one holding
    ``segment_end_ms``, clipped at the end of the clip."""
    Ty = y.shape[1]
    end_step = int(segment_end_ms * Ty / CLIP_MS)
    y = np.array(y, copy=True)
    y[0, end_step + 1:end_step + 1 + LABEL_STEPS] = 1.0
    return y


def create_training_example(background, activates, negatives, Ty, rng):
    """One synthetic example: ``(x, y, audio)`` with 0-4 activates and 0-2 negatives."""
    y = np.zeros((1, Ty), dtype=np.float32)
    previous_segments = []
    audio = np.array(background, dtype=np.float32, copy=True)
    n_activates = int(rng.integers(0, 5))
    for index in rng.integers(0, len(activates), n_activates):
        audio, segment_time = insert_audio_clip(audio, activates[index], previous_segments, rng)
        if segment_time is not None:
            y = insert_ones(y, segment_time[1])
    n_negatives = int(rng.integers(0, 3))
    for index in rng.integers(0, len(negatives), n_negatives):
        audio, _ = insert_audio_clip(audio, negatives[index], previous_segments, rng)
    x = spectrogram(audio)
    return x, y, audio


def modelf(input_shape):
    """Conv1D + BN + ReLU + dropout, two GRU blocks, a sigmoid at every step."""
    import keras
    from keras import layers

    X_input = keras.Input(shape=input_shape)
    X = layers.Conv1D(FILTERS, KERNEL, strides=STRIDE)(X_input)
    X = layers.BatchNormalization()(X)
    X = layers.Activation("relu")(X)
    X = layers.Dropout(DROPOUT)(X)
    X = layers.GRU(UNITS, return_sequences=True)(X)
    X = layers.Dropout(DROPOUT)(X)
    X = layers.BatchNormalization()(X)
    X = layers.GRU(UNITS, return_sequences=True)(X)
    X = layers.Dropout(DROPOUT)(X)
    X = layers.BatchNormalization()(X)
    X = layers.Dropout(DROPOUT)(X)
    X = layers.TimeDistributed(layers.Dense(1, activation="sigmoid"))(X)
    return keras.Model(inputs=X_input, outputs=X)


def parameter_count(n_freq=N_FREQ, filters=FILTERS, kernel=KERNEL, units=UNITS):
    """modelf's parameter count by hand: Conv1D, three batch norms (4 numbers per channel,
    2 of them trainable), two GRUs (Keras's reset_after form: 3 gates, each with an input
    kernel, a recurrent kernel and two biases) and the Dense(1) at every step."""
    conv = kernel * n_freq * filters + filters
    batch_norms = 4 * filters + 4 * units + 4 * units
    gru1 = 3 * (filters * units + units * units + 2 * units)
    gru2 = 3 * (units * units + units * units + 2 * units)
    dense = units + 1
    return conv + batch_norms + gru1 + gru2 + dense


# ------------------------------------------------------------------------------------------
# scoring


def activate_segments(y):
    """The runs of ones in a label row: a list of (first_step, last_step)."""
    return detect(np.asarray(y).ravel(), threshold=0.5)


def detect(probabilities, threshold=0.5):
    """Runs of consecutive steps with probability above ``threshold``: each run is one
    detection, returned as (first_step, last_step)."""
    above = np.concatenate([[False], np.asarray(probabilities).ravel() > threshold, [False]])
    edges = np.flatnonzero(np.diff(above.astype(np.int8)))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def match_detections(detections, truths):
    """Pair detections with true words: a pair must share at least one step, each true word
    and each detection is used once (greedily, in time order). Returns (tp, fp, fn)."""
    used = set()
    tp = 0
    for first, last in detections:
        for k, (t_first, t_last) in enumerate(truths):
            if k not in used and first <= t_last and last >= t_first:
                used.add(k)
                tp += 1
                break
    return tp, len(detections) - tp, len(truths) - tp


def f1_score(tp, fp, fn):
    """2 tp / (2 tp + fp + fn), and 1.0 when there was nothing to find and nothing found."""
    return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def chime_on_activate(audio, probabilities, chime, threshold=0.5, Ty=TY):
    """A copy of ``audio`` with ``chime`` added where each detection run starts (the step
    just after the detected word)."""
    out = np.array(audio, dtype=np.float32, copy=True)
    for first, _ in detect(probabilities, threshold):
        start = int(first * len(out) / Ty)
        piece = chime[: len(out) - start]
        out[start:start + len(piece)] += piece
    return out
