"""First names from the US Census, shipped inside the pinned ``names`` package."""

from pathlib import Path

from utils.data.manifest import DataFileError
from utils.data.packaged import import_packaged

NAME_FILES = ("dist.male.first", "dist.female.first")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def load_names():
    """The US Census first names of the pinned ``names`` package, as a sorted list.

    Both files (male and female first names, upper case, one name per line followed by
    frequency columns) are read, lower-cased and deduplicated: 5,163 names made of the
    letters a-z only, in alphabetical order.
    """
    package = import_packaged("names", "names")
    folder = Path(package.__file__).resolve().parent
    found = set()
    for filename in NAME_FILES:
        path = folder / filename
        if not path.is_file():
            raise DataFileError(f"{path} is missing from the installed names package: "
                                "reinstall it with `make setup`.")
        for line in path.read_text(encoding="ascii").splitlines():
            fields = line.split()
            if fields:
                found.add(fields[0].lower())
    names = sorted(found)
    unexpected = set("".join(names)) - set(LETTERS)
    if unexpected:
        raise DataFileError(f"the names package holds unexpected characters {sorted(unexpected)}:"
                            " the installed package differs from the pinned one; reinstall it "
                            "with `make setup`.")
    return names
