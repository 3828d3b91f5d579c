"""Spoken words, background noise and a chime for the trigger-word notebook (8 kHz audio).

- :func:`load_speech_clips` reads ``datasets/speech/words_8khz_mulaw.npz``, clips of the
  trigger word "activate" and of 40 other words synthesised with espeak-ng by
  ``python -m utils.builders.speech_clips`` (checked against ``datasets/MANIFEST``).
- :func:`make_background` generates a few seconds of background sound from a seeded numpy
  Generator: coloured noise, sometimes mains hum, sometimes distant babble made of other
  words. espeak-ng's output is perfectly silent between words; real recordings never are.
- :func:`chime` is a short decaying bell tone to mark a detection.

All audio is float32 at ``RATE`` = 8,000 samples per second, roughly in [-1, 1].
"""

from dataclasses import dataclass

import numpy as np

from utils.data.manifest import verified_path

RATE = 8000
CLIPS_PATH = "speech/words_8khz_mulaw.npz"
MU = 255


HALF = 127  # codes 0-254: code 127 is exactly 0, so silence stays silent


def mu_law_encode(audio):
    """8-bit mu-law codes (uint8, 0-254, 127 for zero) of audio in [-1, 1]."""
    audio = np.clip(np.asarray(audio, dtype=np.float64), -1.0, 1.0)
    compressed = np.sign(audio) * np.log1p(MU * np.abs(audio)) / np.log1p(MU)
    return np.round(compressed * HALF + HALF).astype(np.uint8)


def mu_law_decode(codes):
    """Audio in [-1, 1] (float32) from 8-bit mu-law codes."""
    compressed = (np.asarray(codes, dtype=np.float64) - HALF) / HALF
    audio = np.sign(compressed) * np.expm1(np.abs(compressed) * np.log1p(MU)) / MU
    return audio.astype(np.float32)


@dataclass
class SpeechClips:
    """The clips of one split, grouped for the notebook.

    ``activates`` and ``negatives`` are lists of float32 arrays (8 kHz, each a whole number of
    milliseconds long, already at their stored loudness); ``negative_words`` names the word
    of each negative clip, ``close_words`` lists the words that sound like the trigger;
    ``voices`` gives ``accent+variant`` for every activate clip.
    """

    activates: list
    negatives: list
    negative_words: list
    voices: list
    trigger: str
    close_words: list
    espeak_version: str
    rate: int = RATE


def load_speech_clips(split="train"):
    """The espeak-ng clips of ``split`` ("train", "dev" or "all") as :class:`SpeechClips`.

    The dev split holds the utterances of six voice variants that never occur in "train".
    """
    if split not in ("train", "dev", "all"):
        raise ValueError(f"split must be 'train', 'dev' or 'all', got {split!r}")
    with np.load(verified_path(CLIPS_PATH)) as saved:
        data = {key: saved[key] for key in saved.files}
    ends = np.cumsum(data["lengths"])
    audio = mu_law_decode(data["codes"])
    trigger = str(data["trigger"])
    activates, negatives, negative_words, voices = [], [], [], []
    for i, (start, end) in enumerate(zip(ends - data["lengths"], ends, strict=True)):
        if split != "all" and data["split"][i] != split:
            continue
        clip = audio[start:end] * data["gain"][i]
        if data["word"][i] == trigger:
            activates.append(clip)
            voices.append(f"{data['accent'][i]}+{data['variant'][i]}")
        else:
            negatives.append(clip)
            negative_words.append(str(data["word"][i]))
    return SpeechClips(activates, negatives, negative_words, voices, trigger,
                       [str(w) for w in data["close_words"]], str(data["espeak_version"]),
                       int(data["rate"]))


def coloured_noise(rng, n_samples, exponent):
    """Gaussian noise whose power falls as 1 / f**exponent (0 white, 1 pink, 2 brown),
    scaled to unit RMS."""
    spectrum = rng.standard_normal(n_samples // 2 + 1) + 1j * rng.standard_normal(
        n_samples // 2 + 1)
    freqs = np.fft.rfftfreq(n_samples)
    freqs[0] = freqs[1]
    noise = np.fft.irfft(spectrum / freqs ** (exponent / 2), n_samples)
    return noise / noise.std()


def mains_hum(rng, n_samples, rate=RATE):
    """A 50 or 60 Hz hum with a few decaying harmonics, unit peak, random phases."""
    t = np.arange(n_samples) / rate
    base = 50.0 if rng.random() < 0.5 else 60.0
    hum = sum(0.6 ** k * np.sin(2 * np.pi * base * (k + 1) * t + rng.uniform(0, 2 * np.pi))
              for k in range(5))
    return hum / np.abs(hum).max()


def babble(rng, n_samples, clips):
    """Several quiet words from ``clips`` at random places, summed (unit RMS)."""
    out = np.zeros(n_samples)
    for _ in range(int(rng.integers(6, 13))):
        clip = clips[int(rng.integers(len(clips)))]
        start = int(rng.integers(0, max(n_samples - len(clip), 1)))
        piece = clip[: n_samples - start]
        out[start:start + len(piece)] += piece * rng.uniform(0.5, 1.0)
    return out / max(out.std(), 1e-6)


def make_background(rng, n_samples=5 * RATE, babble_clips=None, rate=RATE):
    """A seeded background recording: coloured noise, hum (half of the time) and, when
    ``babble_clips`` (words that are *not* the trigger) are given, babble (half of the time).

    ``rng`` is a ``numpy.random.Generator``; the same state gives the same sound. The level
    of each part is drawn at random; the result is float32.
    """
    noise = coloured_noise(rng, n_samples, rng.uniform(0.0, 2.0))
    out = noise * 10 ** rng.uniform(-2.3, -1.3)  # RMS 0.005-0.05
    if rng.random() < 0.5:
        out += mains_hum(rng, n_samples, rate) * 10 ** rng.uniform(-2.3, -1.5)
    if babble_clips is not None and len(babble_clips) and rng.random() < 0.5:
        out += babble(rng, n_samples, babble_clips) * 10 ** rng.uniform(-2.0, -1.3)
    return out.astype(np.float32)


def chime(rate=RATE, frequency=1320.0, seconds=0.3):
    """A bell-like tone: a sine and its octave with an exponential decay (float32)."""
    t = np.arange(int(rate * seconds)) / rate
    tone = np.sin(2 * np.pi * frequency * t) + 0.4 * np.sin(2 * np.pi * 2 * frequency * t)
    envelope = np.exp(-t / (seconds / 5)) * np.minimum(t / 0.005, 1.0)
    return (0.5 * tone * envelope / 1.4).astype(np.float32)
