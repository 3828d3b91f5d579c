"""The numeric profile that imitates another CPU, and setup_notebook's thread override."""

import pytest

from utils.notebook_setup import tensorflow_intra_op_threads
from utils.tools.numeric_profile import TF_THREADS_VARIABLE, other_cpu_profile, shell_words

X86_TARGETS = ["X86_V3", "X86_V4", "AVX512_ICL", "AVX512_SPR"]


def test_avx512_machine_imitates_an_avx2_one():
    features = {"AVX2": True, "AVX512F": True, "X86_V3": True, "X86_V4": True,
                "AVX512_ICL": True, "AVX512_SPR": False}
    profile = other_cpu_profile(X86_TARGETS, features)
    assert profile["NPY_DISABLE_CPU_FEATURES"] == "X86_V4 AVX512_ICL"  # only what it has
    assert profile["OPENBLAS_CORETYPE"] == "Haswell"
    assert profile["XLA_FLAGS"] == "--xla_cpu_max_isa=AVX2"
    assert profile[TF_THREADS_VARIABLE] == "2"


def test_avx2_machine_imitates_an_older_one():
    profile = other_cpu_profile(X86_TARGETS, {"AVX2": True, "X86_V3": True})
    assert profile["NPY_DISABLE_CPU_FEATURES"] == "X86_V3"
    assert profile["OPENBLAS_CORETYPE"] == "Sandybridge"
    assert profile["XLA_FLAGS"] == "--xla_cpu_max_isa=SSE4_2"


def test_other_machines_still_change_numpy_and_threads():
    profile = other_cpu_profile(["ASIMDHP", "ASIMDDP"], {"ASIMDHP": True, "ASIMDDP": True})
    assert profile == {"NPY_DISABLE_CPU_FEATURES": "ASIMDDP", TF_THREADS_VARIABLE: "2"}
    assert other_cpu_profile([], {}) == {TF_THREADS_VARIABLE: "2"}


def test_shell_words_quote_values():
    assert shell_words({"A": "x y", "B": "1"}) == "A='x y' B='1'"


def test_thread_override(monkeypatch):
    monkeypatch.delenv(TF_THREADS_VARIABLE, raising=False)
    assert tensorflow_intra_op_threads() == 1
    monkeypatch.setenv(TF_THREADS_VARIABLE, "3")
    assert tensorflow_intra_op_threads() == 3
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv(TF_THREADS_VARIABLE, bad)
        with pytest.raises(ValueError, match=TF_THREADS_VARIABLE):
            tensorflow_intra_op_threads()
