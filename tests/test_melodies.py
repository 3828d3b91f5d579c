"""The Bach melody tokens: loading, windows, split, playback helpers and clear errors."""

import shutil

import numpy as np
import pytest

import utils
from utils.data import manifest, melodies
from utils.data.manifest import DataFileError
from utils.data.music_weights import load_trained_weights
from utils.models.music_lstm import N_A, TX


def test_load_melodies_shapes_and_vocabulary():
    data = melodies.load_melodies()
    assert len(data.tokens) == len(data.names) == len(data.keys) == 298
    assert data.n_values == len(data.vocabulary) == 104
    assert len(set(data.vocabulary)) == data.n_values
    assert all(t.dtype == np.int64 and t.min() >= 0 and t.max() < data.n_values
               for t in data.tokens)
    pitches = {p for p, _ in data.vocabulary}
    assert melodies.REST in pitches and min(pitches - {melodies.REST}) >= 48
    assert all(d > 0 for _, d in data.vocabulary)
    counts = np.bincount(np.concatenate(data.tokens), minlength=data.n_values)
    assert counts.min() >= melodies.MIN_TOKEN_COUNT  # every token is common enough


def test_make_windows_targets_are_shifted_inputs():
    tokens = [np.array([0, 1, 2, 3, 4]), np.array([4, 3, 2])]
    X, Y = melodies.make_windows(tokens, Tx=2, n_values=5)
    assert X.shape == (4, 2, 5) and Y.shape == (2, 4, 5)
    assert np.array_equal(X.argmax(-1), [[0, 1], [1, 2], [2, 3], [4, 3]])
    assert np.array_equal(Y.argmax(-1).T, [[1, 2], [2, 3], [3, 4], [3, 2]])
    X, _ = melodies.make_windows(tokens, Tx=2, n_values=5, stride=2)
    assert len(X) == 3


def test_split_is_disjoint_and_fixed():
    train, val = melodies.split_melodies(100)
    assert len(val) == 10 and len(train) == 90
    assert not set(train) & set(val)
    assert np.array_equal(val, melodies.split_melodies(100)[1])


def test_playback_helpers():
    vocabulary = [(0, 1.0), (60, 1.0), (67, 0.5)]
    tokens = np.array([1, 2, 0, 1])
    assert melodies.token_names(tokens, vocabulary) == ["C4/1", "G4/0.5", "rest/1", "C4/1"]
    assert melodies.piano_roll(tokens, vocabulary) == [(0.0, 1.0, 60), (1.0, 0.5, 67),
                                                       (2.5, 1.0, 60)]
    audio = melodies.synthesize(tokens, vocabulary, fs=8000, tempo=60)
    assert audio.dtype == np.float32 and len(audio) == 3.5 * 8000 + 1
    assert 0.79 < np.abs(audio).max() <= 0.8
    assert np.abs(audio[int(2.1 * 8000):int(2.4 * 8000)]).max() < 1e-6  # the rest
    short = melodies.synthesize(tokens, vocabulary, fs=8000, tempo=60, max_seconds=1)
    assert len(short) == 8001


def test_to_midi_writes_a_file(tmp_path):
    vocabulary = [(0, 1.0), (60, 1.0), (67, 0.5)]
    path = tmp_path / "sub" / "tune.mid"
    midi = melodies.to_midi([1, 2, 0, 1], vocabulary, path, tempo=120)
    assert path.is_file() and [n.pitch for n in midi.instruments[0].notes] == [60, 67, 60]
    assert midi.get_end_time() == pytest.approx(1.75 - 0.02)


def test_trained_weights_fit_the_vocabulary():
    utils.setup_notebook(tensorflow=True)
    import keras

    n_values = melodies.load_melodies().n_values
    cell = keras.layers.LSTM(N_A, return_state=True)
    densor = keras.layers.Dense(n_values, activation="softmax")
    cell.build((None, 1, n_values))
    densor.build((None, N_A))
    history = load_trained_weights(cell, densor)
    assert history["Tx"] == TX
    assert 1 <= history["best_epoch"] <= len(history["val_loss"])
    assert history["val_loss"].min() < 2.4   # well below a bigram model's 2.6 nats


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    (tmp_path / "music").mkdir()
    shutil.copy(manifest.DATASETS_DIR / melodies.RELATIVE_PATH,
                tmp_path / melodies.RELATIVE_PATH)
    shutil.copy(manifest.MANIFEST, tmp_path / "MANIFEST")
    monkeypatch.setattr(melodies, "verified_path", lambda relative: manifest.verified_path(
        relative, tmp_path, tmp_path / "MANIFEST"))
    return tmp_path


def test_missing_file_says_how_to_rebuild(data_copy):
    (data_copy / melodies.RELATIVE_PATH).unlink()
    with pytest.raises(DataFileError, match=r"missing.*python -m utils\.builders\.melodies"):
        melodies.load_melodies()


def test_corrupt_file_says_how_to_rebuild(data_copy):
    path = data_copy / melodies.RELATIVE_PATH
    path.write_text(path.read_text(encoding="utf-8").replace("bwv", "BWV"), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"corrupt.*python -m utils\.builders\.melodies"):
        melodies.load_melodies()
