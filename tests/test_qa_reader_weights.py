"""The QA reader's weights: three files that fit together, and clear errors when one is wrong."""

import shutil

import numpy as np
import pytest

from utils.data import manifest, qa_reader_weights
from utils.data.manifest import DataFileError
from utils.data.qa_reader_weights import PART_PATHS, load_reader_weights, part_of


def test_each_file_holds_two_layers_and_the_last_one_the_head():
    assert PART_PATHS == ("qa_reader/layers_0_1_f16.npz", "qa_reader/layers_2_3_f16.npz",
                          "qa_reader/layers_4_5_head_f16.npz")
    layer = "bert/encoder/layer_._{}/attention/self/query/kernel:0"
    assert [part_of(layer.format(k)) for k in range(6)] == [0, 0, 1, 1, 2, 2]
    assert part_of("qa_outputs/kernel:0") == 2


def test_committed_files_are_listed_small_and_complete():
    listed = manifest.read_manifest()
    for relative in PART_PATHS:
        assert relative in listed
        assert (manifest.DATASETS_DIR / relative).stat().st_size <= 10_000_000, relative
    weights, names, history = load_reader_weights()
    assert len(weights) == len(names) == 6 * 16 + 2  # 16 variables per BERT layer, the head's 2
    assert sum(w.size for w in weights) == 6 * 1_774_464 + 770
    assert all(w.dtype == np.float32 for w in weights)
    assert history["epochs"] == len(history["test_exact_match"]) >= 1


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    (tmp_path / "qa_reader").mkdir()
    for relative in PART_PATHS:
        shutil.copy(manifest.DATASETS_DIR / relative, tmp_path / relative)
    shutil.copy(manifest.MANIFEST, tmp_path / "MANIFEST")
    monkeypatch.setattr(qa_reader_weights, "verified_path", lambda relative: manifest.verified_path(
        relative, tmp_path, tmp_path / "MANIFEST"))
    return tmp_path


def test_a_missing_part_says_how_to_rebuild(data_copy):
    (data_copy / PART_PATHS[1]).unlink()
    with pytest.raises(DataFileError, match=r"missing.*python -m utils\.builders\.qa_reader"):
        load_reader_weights()


def test_a_corrupt_part_says_how_to_rebuild(data_copy):
    path = data_copy / PART_PATHS[0]
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(DataFileError, match=r"corrupt.*python -m utils\.builders\.qa_reader"):
        load_reader_weights()
