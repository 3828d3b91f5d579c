"""utils.data.speech: the committed espeak-ng clips, generated backgrounds, the chime."""

import numpy as np
import pytest

from utils.data import speech


def test_mu_law_round_trip_is_close():
    x = np.linspace(-1, 1, 2001)
    codes = speech.mu_law_encode(x)
    assert codes.dtype == np.uint8 and codes.min() == 0 and codes.max() == 254
    assert speech.mu_law_decode(speech.mu_law_encode(np.zeros(3))).tolist() == [0, 0, 0]
    back = speech.mu_law_decode(codes)
    # mu-law keeps the relative error small for quiet samples, the absolute one for loud
    assert np.max(np.abs(back - x)) < 0.025
    quiet = np.linspace(-0.01, 0.01, 101)
    assert np.max(np.abs(speech.mu_law_decode(speech.mu_law_encode(quiet)) - quiet)) < 4e-4


def test_clips_load_and_split():
    train, dev = speech.load_speech_clips("train"), speech.load_speech_clips("dev")
    everything = speech.load_speech_clips("all")
    assert len(train.activates) + len(dev.activates) == len(everything.activates) == 320
    assert len(train.negatives) + len(dev.negatives) == len(everything.negatives) == 460
    assert train.trigger == "activate" and "captivate" in train.close_words
    assert train.rate == speech.RATE == 8000
    # the dev split's voice variants never occur in training
    train_variants = {v.split("+")[1] for v in train.voices}
    dev_variants = {v.split("+")[1] for v in dev.voices}
    assert train_variants.isdisjoint(dev_variants)
    for clip in train.activates + dev.negatives:
        assert clip.dtype == np.float32 and len(clip) % (speech.RATE // 1000) == 0
        assert 0.2 < np.abs(clip).max() < 0.8  # stored loudness 0.3-0.8 times peak 0.95
    assert "activate" not in set(train.negative_words)


def test_unknown_split_is_refused():
    with pytest.raises(ValueError, match="split"):
        speech.load_speech_clips("test")


def test_background_is_seeded_and_never_silent():
    a = speech.make_background(np.random.default_rng(5), 8000)
    b = speech.make_background(np.random.default_rng(5), 8000)
    c = speech.make_background(np.random.default_rng(6), 8000)
    assert a.dtype == np.float32 and a.shape == (8000,)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    levels = [speech.make_background(np.random.default_rng(s), 8000).std() for s in range(20)]
    assert 0.003 < min(levels) and max(levels) < 0.15
    assert np.all(a != 0)


def test_coloured_noise_slope():
    rng = np.random.default_rng(0)
    for exponent in (0.0, 1.0, 2.0):
        noise = speech.coloured_noise(rng, 2 ** 16, exponent)
        power = np.abs(np.fft.rfft(noise)) ** 2
        freqs = np.fft.rfftfreq(2 ** 16)
        band = (freqs > 0.001) & (freqs < 0.4)
        slope = np.polyfit(np.log(freqs[band]), np.log(power[band]), 1)[0]
        assert abs(slope + exponent) < 0.1, (exponent, slope)


def test_chime_decays():
    tone = speech.chime()
    assert tone.dtype == np.float32 and len(tone) == int(0.3 * speech.RATE)
    assert np.abs(tone[:400]).max() > 10 * np.abs(tone[-400:]).max()
    assert np.abs(tone).max() <= 0.5
