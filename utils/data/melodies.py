"""Bach chorale melodies as token sequences, for the Course 5 music-generation notebook.

The data: the soprano line (the tune) of every Bach chorale in the corpus that ships with the
pinned ``music21``, transposed so that major chorales are in C major and minor ones in A
minor, and written as a sequence of tokens. A token is one (MIDI pitch, duration) pair; a
rest has pitch 0; durations are in quarter notes (1.0 is a crotchet, 0.5 a quaver).

Parsing some 400 scores with music21 takes minutes, so ``python -m utils.builders.melodies``
does it once and writes ``datasets/music/bach_soprano_tokens.json`` (listed in
``datasets/MANIFEST``); the notebook only reads that small file.

- :func:`load_melodies` reads the committed file (checked against the manifest);
- :func:`split_melodies` splits the melodies into training and validation ones;
- :func:`make_windows` cuts melodies into one-hot training windows ``X (m, Tx, n_values)``
  with next-token targets ``Y (Tx, m, n_values)``;
- :func:`token_names`, :func:`to_midi`, :func:`piano_roll` and :func:`synthesize` turn a
  token sequence into readable text, a MIDI file, rectangles for a plot, and audio.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from utils.data.manifest import verified_path

RELATIVE_PATH = "music/bach_soprano_tokens.json"
REST = 0
MIN_TOKEN_COUNT = 5      # rarer (pitch, duration) pairs are left out of the vocabulary
DEFAULT_TEMPO = 100      # crotchets per minute when a melody is played back

# ----------------------------------------------------------------------------------------
# loading


@dataclass(frozen=True)
class Melodies:
    """Token sequences and the vocabulary that gives each token its (pitch, duration)."""

    tokens: list          # one int array per chorale, values in range(len(vocabulary))
    vocabulary: list      # [(midi pitch or 0 for a rest, duration in quarter notes), ...]
    names: list           # the chorale of each melody, e.g. "bwv26.6"
    keys: list            # its original key, e.g. "F# minor"

    @property
    def n_values(self):
        """Size of the vocabulary (the length of a one-hot token)."""
        return len(self.vocabulary)


def load_melodies():
    """The committed Bach soprano melodies as a :class:`Melodies` record.

    The file is verified against ``datasets/MANIFEST`` first; a missing or altered file
    raises ``utils.data.manifest.DataFileError`` naming the command that rebuilds it.
    """
    data = json.loads(verified_path(RELATIVE_PATH).read_text(encoding="utf-8"))
    melodies = data["melodies"]
    return Melodies(
        tokens=[np.asarray(m["tokens"], dtype=np.int64) for m in melodies],
        vocabulary=[(int(p), float(d)) for p, d in data["vocabulary"]],
        names=[m["name"] for m in melodies],
        keys=[m["key"] for m in melodies],
    )


def split_melodies(n_melodies, validation_fraction=0.1, seed=0):
    """Indices ``(train, validation)`` of a fixed random split of whole melodies."""
    order = np.random.default_rng(seed).permutation(n_melodies)
    n_validation = int(round(validation_fraction * n_melodies))
    return np.sort(order[n_validation:]), np.sort(order[:n_validation])


def make_windows(token_lists, Tx, n_values, stride=1):
    """One-hot windows of ``Tx`` tokens and their next-token targets.

    Every window starts at a multiple of ``stride`` inside one melody and needs ``Tx + 1``
    tokens. Returns ``X`` of shape ``(m, Tx, n_values)`` and ``Y`` of shape
    ``(Tx, m, n_values)`` with ``Y[t] = X[:, t + 1]`` (and the token after the window last),
    the layout Keras expects for a model with ``Tx`` separate outputs (``list(Y)``).
    """
    starts = [(k, s) for k, tokens in enumerate(token_lists)
              for s in range(0, len(tokens) - Tx, stride)]
    windows = np.array([token_lists[k][s:s + Tx + 1] for k, s in starts], dtype=np.int64)
    windows = windows.reshape(len(starts), Tx + 1)
    eye = np.eye(n_values, dtype=np.float32)
    X = eye[windows[:, :Tx]]
    Y = np.transpose(eye[windows[:, 1:]], (1, 0, 2))
    return X, Y


# ----------------------------------------------------------------------------------------
# listening and looking


def _notes(tokens, vocabulary, tempo=DEFAULT_TEMPO):
    """(start s, end s, midi pitch) of each sounding note; rests only move the clock."""
    seconds_per_quarter = 60.0 / tempo
    notes, clock = [], 0.0
    for token in np.asarray(tokens).ravel():
        pitch, duration = vocabulary[int(token)]
        length = duration * seconds_per_quarter
        if pitch != REST:
            notes.append((clock, clock + length, int(pitch)))
        clock += length
    return notes


NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")


def token_names(tokens, vocabulary):
    """Readable tokens, e.g. ``["E4/1", "D4/0.5", "rest/1"]`` (pitch name / quarter notes)."""
    names = []
    for token in np.asarray(tokens).ravel():
        pitch, duration = vocabulary[int(token)]
        note = "rest" if pitch == REST else f"{NOTE_NAMES[pitch % 12]}{pitch // 12 - 1}"
        names.append(f"{note}/{duration:g}")
    return names


def piano_roll(tokens, vocabulary):
    """Rectangles ``(start, length, pitch)`` in quarter notes, for a piano-roll plot."""
    rects = _notes(tokens, vocabulary, tempo=60)   # at 60 bpm a second is a quarter note
    return [(start, end - start, pitch) for start, end, pitch in rects]


def to_midi(tokens, vocabulary, path=None, tempo=DEFAULT_TEMPO, program=19):
    """A ``pretty_midi.PrettyMIDI`` with the melody (organ by default); saved if ``path``."""
    import pretty_midi

    midi = pretty_midi.PrettyMIDI(initial_tempo=tempo)
    instrument = pretty_midi.Instrument(program=program, name="melody")
    for start, end, pitch in _notes(tokens, vocabulary, tempo):
        instrument.notes.append(pretty_midi.Note(velocity=90, pitch=pitch,
                                                 start=start, end=end - 0.02))
    midi.instruments.append(instrument)
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        midi.write(str(path))
    return midi


def synthesize(tokens, vocabulary, fs=8000, tempo=DEFAULT_TEMPO, max_seconds=None):
    """A mono float32 waveform of the melody: a few harmonics with a soft attack and decay.

    Plain numpy additive synthesis (fundamental plus two quieter overtones), so it needs no
    sound font. ``max_seconds`` cuts the audio short.
    """
    notes = _notes(tokens, vocabulary, tempo)
    total = notes[-1][1] if notes else 0.0
    if max_seconds is not None:
        total = min(total, max_seconds)
    audio = np.zeros(int(round(total * fs)) + 1, dtype=np.float64)
    for start, end, pitch in notes:
        first, last = int(round(start * fs)), min(int(round(end * fs)), len(audio))
        if first >= last:
            continue
        t = np.arange(last - first) / fs
        frequency = 440.0 * 2.0 ** ((pitch - 69) / 12)
        tone = sum(weight * np.sin(2 * np.pi * k * frequency * t)
                   for k, weight in ((1, 1.0), (2, 0.35), (3, 0.15)))
        envelope = np.minimum(1.0, t / 0.02) * np.exp(-1.5 * t)
        release = np.minimum(1.0, (t[-1] - t) / 0.03 + 1e-9)
        audio[first:last] += tone * envelope * release
    peak = np.abs(audio).max()
    return (audio / peak * 0.8 if peak > 0 else audio).astype(np.float32)
