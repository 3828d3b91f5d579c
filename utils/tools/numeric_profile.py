"""The environment that makes this machine compute like another CPU, for the notebook tests.

Seeded runs are bit-identical on one machine but differ in the last bits between machines:
numpy picks SIMD kernels for the CPU (AVX2, AVX-512, NEON), OpenBLAS picks a kernel for the
CPU, XLA generates code for the host, and TensorFlow's thread count changes how sums are
split. Training amplifies those bits. Running the notebooks once under this profile, and
comparing with outputs recorded natively, proves that their checked cells print the same on
another CPU.

    python -m utils.tools.numeric_profile            # KEY=VALUE ... for `env`
    python -m utils.tools.numeric_profile --explain  # what each setting does here
"""

import sys

from utils.notebook_setup import TF_THREADS_VARIABLE

PROFILE_TF_THREADS = "2"


def numpy_cpu_features():
    """(dispatch targets numpy was built with, {feature: available on this CPU})."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    return list(__cpu_dispatch__), dict(__cpu_features__)


def other_cpu_profile(dispatch_targets, features):
    """Environment variables that imitate a lesser CPU than the one described.

    numpy refuses to disable a feature the CPU lacks, so only targets present are named: all
    but the lowest when the CPU has several (AVX-512 -> AVX2), the only one otherwise.
    OpenBLAS and XLA are lowered one step the same way.
    """
    present = [target for target in dispatch_targets if features.get(target)]
    disabled = present[1:] if len(present) > 1 else present
    profile = {TF_THREADS_VARIABLE: PROFILE_TF_THREADS}
    if disabled:
        profile["NPY_DISABLE_CPU_FEATURES"] = " ".join(disabled)
    if features.get("AVX512F"):
        profile["OPENBLAS_CORETYPE"] = "Haswell"
        profile["XLA_FLAGS"] = "--xla_cpu_max_isa=AVX2"
    elif features.get("AVX2"):
        profile["OPENBLAS_CORETYPE"] = "Sandybridge"
        profile["XLA_FLAGS"] = "--xla_cpu_max_isa=SSE4_2"
    return profile


def shell_words(profile):
    """The profile as KEY=VALUE words, quoted for a POSIX shell."""
    return " ".join(f"{key}='{value}'" for key, value in profile.items())


def main(argv):
    profile = other_cpu_profile(*numpy_cpu_features())
    if "--explain" in argv:
        for key, value in profile.items():
            print(f"{key}={value}")
        return
    print(shell_words(profile))


if __name__ == "__main__":
    main(sys.argv[1:])
