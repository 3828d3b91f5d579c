"""setup_notebook: seeds, plot style, and TensorFlow's determinism settings."""

import os
import random
import subprocess
import sys
import textwrap

import matplotlib
import numpy as np
from threadpoolctl import threadpool_info

import utils


def test_seeds_and_plot_style():
    utils.setup_notebook(seed=3)
    first = (random.random(), np.random.rand())
    utils.setup_notebook(seed=3)
    assert (random.random(), np.random.rand()) == first
    assert matplotlib.rcParams["figure.dpi"] == 72


def test_numpy_uses_one_blas_thread():
    utils.setup_notebook()
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_tensorflow_is_deterministic_single_threaded_and_quiet():
    # A fresh interpreter: TensorFlow reads its settings once, at import.
    script = textwrap.dedent("""
        import os
        import utils
        tf = utils.setup_notebook(seed=0, tensorflow=True)
        import keras
        assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"
        assert tf.config.threading.get_intra_op_parallelism_threads() == 1
        def train():
            utils.setup_notebook(seed=0, tensorflow=True)
            x = tf.random.normal((64, 4))
            y = tf.cast(tf.reduce_sum(x, axis=1) > 0, tf.float32)
            model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, "relu"),
                                      keras.layers.Dense(1, "sigmoid")])
            model.compile("adam", "binary_crossentropy")
            return model.fit(x, y, epochs=3, verbose=0).history["loss"][-1]
        assert train() == train()
        print("ok")
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"
    assert "oneDNN" not in result.stderr and "cuda" not in result.stderr.lower()


def test_warns_when_tensorflow_was_imported_first():
    script = textwrap.dedent("""
        import warnings
        import tensorflow
        import utils
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            utils.setup_notebook(tensorflow=True)
        assert any("imported before setup_notebook" in str(w.message) for w in caught)
        print("ok")
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
