"""Data files are verified against the manifest, with errors that say how to fix them."""

import pytest

from utils.data.manifest import DataFileError, read_manifest, sha256, update, verified_path


@pytest.fixture
def data_dir(tmp_path):
    (tmp_path / "points.csv").write_text("x,y\n1,2\n")
    manifest = tmp_path / "MANIFEST"
    manifest.write_text(f"# comment\n{sha256(tmp_path / 'points.csv')}  points.csv  "
                        "python -m utils.data.points\n")
    return tmp_path, manifest


def test_good_file_is_returned(data_dir):
    folder, manifest = data_dir
    assert verified_path("points.csv", folder, manifest) == folder / "points.csv"


def test_missing_file_says_how_to_rebuild(data_dir):
    folder, manifest = data_dir
    (folder / "points.csv").unlink()
    with pytest.raises(DataFileError, match=r"missing\. Rebuild it with `python -m utils\.data"):
        verified_path("points.csv", folder, manifest)


def test_corrupt_file_is_detected(data_dir):
    folder, manifest = data_dir
    (folder / "points.csv").write_text("x,y\n1,3\n")
    with pytest.raises(DataFileError, match="corrupt or out of date.*git checkout"):
        verified_path("points.csv", folder, manifest)


def test_unlisted_file_and_bad_manifest_line(data_dir, tmp_path):
    folder, manifest = data_dir
    with pytest.raises(DataFileError, match="not listed"):
        verified_path("other.csv", folder, manifest)
    bad = tmp_path / "BAD"
    bad.write_text("abc points.csv\n")
    with pytest.raises(DataFileError, match="line 1"):
        read_manifest(bad)


def test_update_records_new_hash(data_dir):
    folder, manifest = data_dir
    (folder / "points.csv").write_text("x,y\n5,6\n")
    update(folder, manifest)
    assert verified_path("points.csv", folder, manifest).is_file()
    assert manifest.read_text().startswith("# comment\n")


def test_repository_manifest_is_consistent():
    for relative in read_manifest():
        assert verified_path(relative).is_file()
