"""Committed data files, verified against datasets/MANIFEST before use.

Each MANIFEST line reads ``<sha256>  <path under datasets/>  <command that rebuilds it>``;
``#`` starts a comment. A loader asks for a file with :func:`verified_path`, which fails
with a message saying how to rebuild the file when it is missing or its content changed.

    python -m utils.data.manifest check     verify every listed file
    python -m utils.data.manifest update    record the current hashes (after a rebuild)
"""

import hashlib
import sys
from pathlib import Path

from utils.notebook_setup import REPO_ROOT

DATASETS_DIR = REPO_ROOT / "datasets"
MANIFEST = DATASETS_DIR / "MANIFEST"


class DataFileError(RuntimeError):
    """A data file is missing, corrupt, or not listed in the manifest."""


def sha256(path):
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(manifest=MANIFEST):
    """{relative path: (sha256, rebuild command)} from a manifest file."""
    entries = {}
    for number, line in enumerate(Path(manifest).read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(None, 2)
        if len(parts) != 3 or len(parts[0]) != 64:
            raise DataFileError(f"{manifest}, line {number}: expected "
                                f"'<sha256>  <path>  <rebuild command>', got {line!r}")
        digest, relative, command = parts
        entries[relative] = (digest, command)
    return entries


def verified_path(relative, datasets_dir=DATASETS_DIR, manifest=MANIFEST):
    """The path of ``datasets/<relative>`` after checking it against the manifest."""
    entries = read_manifest(manifest)
    if relative not in entries:
        raise DataFileError(f"datasets/{relative} is not listed in {Path(manifest).name}; "
                            "add it with `python -m utils.data.manifest update`")
    digest, command = entries[relative]
    path = Path(datasets_dir) / relative
    restore = (f"Rebuild it with `{command}`, "
               f"or restore it with `git checkout -- datasets/{relative}`.")
    if not path.is_file():
        raise DataFileError(f"datasets/{relative} is missing. {restore}")
    if sha256(path) != digest:
        raise DataFileError(f"datasets/{relative} is corrupt or out of date (its sha256 does "
                            f"not match the manifest). {restore}")
    return path


def update(datasets_dir=DATASETS_DIR, manifest=MANIFEST):
    """Rewrite the hashes in the manifest from the files as they are now."""
    lines = []
    for line in Path(manifest).read_text(encoding="utf-8").splitlines():
        parts = line.split(None, 2)
        if line.strip() and not line.lstrip().startswith("#") and len(parts) == 3:
            line = f"{sha256(Path(datasets_dir) / parts[1])}  {parts[1]}  {parts[2]}"
        lines.append(line)
    Path(manifest).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if args == ["update"]:
        update()
        return 0
    if args == ["check"]:
        problems = 0
        for relative in read_manifest():
            try:
                verified_path(relative)
            except DataFileError as error:
                print(error, file=sys.stderr)
                problems += 1
        print(f"{len(read_manifest()) - problems} file(s) verified, {problems} problem(s)")
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
