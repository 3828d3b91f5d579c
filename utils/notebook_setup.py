"""The one call at the top of every notebook: seeds, determinism, threads, logs, plot style."""

import os
import random
import sys
import warnings
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

REPO_ROOT = Path(__file__).resolve().parent.parent
# the numeric profile of the tests (utils/tools/numeric_profile.py) sets this to 2
TF_THREADS_VARIABLE = "DL_TF_INTRA_OP_THREADS"

# Environment that TensorFlow reads once, when it is first imported. One intra-op thread and
# no oneDNN kernels make float results identical on every machine, whatever its core count.
# Log level 3 also hides C++ "E0000" lines (timestamped, harmless, e.g. a tf.data thread-pool
# notice after Keras predicts on a partial batch) that would land in cell outputs; Python
# errors are raised as usual.
TF_ENVIRONMENT = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
}

PLOT_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 72,
    "savefig.dpi": 72,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": "viridis",
    "font.size": 10,
}


def setup_notebook(seed=0, tensorflow=False):
    """Seed every random generator, fix determinism and thread settings, set the plot style.

    Call it once, in the first code cell, before importing TensorFlow. With
    ``tensorflow=True`` it also imports TensorFlow, enables op determinism and fixes its
    thread counts (one intra-op thread; the tests' numeric profile sets
    DL_TF_INTRA_OP_THREADS to imitate another machine), and returns the module.
    """
    # TensorFlow reads these once, at import: too late if it was imported without them
    settings_missed = "tensorflow" in sys.modules and any(
        os.environ.get(key) != value for key, value in TF_ENVIRONMENT.items()
    )
    for key, value in TF_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    # One BLAS thread: the small matrix products of these notebooks gain nothing from more,
    # and two notebooks under test at once would otherwise oversubscribe the cores badly
    threadpool_limits(limits=1, user_api="blas")
    random.seed(seed)
    np.random.seed(seed)
    np.set_printoptions(precision=5, suppress=True)
    _set_plot_style()
    if tensorflow:
        if settings_missed:
            warnings.warn(
                "TensorFlow was imported before setup_notebook(), so its oneDNN and logging "
                "settings could not be fixed and results may differ in the last digits. "
                "Restart the kernel and call setup_notebook first.",
                stacklevel=2,
            )
        return _setup_tensorflow(seed)
    return None


def _set_plot_style():
    import matplotlib

    matplotlib.rcParams.update(PLOT_STYLE)


def tensorflow_intra_op_threads():
    """One thread, unless the numeric profile of the tests asks for another count."""
    text = os.environ.get(TF_THREADS_VARIABLE, "1")
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{TF_THREADS_VARIABLE} must be a positive whole number, got {text!r}")
    return int(text)


def _setup_tensorflow(seed):
    import keras
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(tensorflow_intra_op_threads())
        tf.config.threading.set_inter_op_parallelism_threads(2)
    except RuntimeError:
        pass  # already initialised by an earlier call in this kernel: settings are in force
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    return tf
