"""Process-level settings: quiet TensorFlow logs, seeds and op determinism.

TensorFlow reads ``TF_CPP_MIN_LOG_LEVEL`` and ``TF_ENABLE_ONEDNN_OPTS`` only
once, when it is first imported, so :func:`configure_environment` must run
before that import. ``import helpers`` runs it, which is why every chapter
imports ``helpers`` before ``keras`` or ``tensorflow``.
"""

from __future__ import annotations

import os
import sys
import warnings

import numpy as np

#: Environment variables set before TensorFlow is imported, and why.
TF_ENVIRONMENT: dict[str, str] = {
    # Hide TensorFlow's C++ INFO/WARNING/ERROR lines ("oneDNN custom operations
    # are on", "Unable to register cuDNN factory", ...) that leak into outputs.
    "TF_CPP_MIN_LOG_LEVEL": "3",
    # oneDNN kernels reorder floating-point sums, which changes the last bits
    # of results from run to run; the course wants bit-identical numbers.
    "TF_ENABLE_ONEDNN_OPTS": "0",
    # Keras 3 can run on several backends; the course is written for TensorFlow.
    "KERAS_BACKEND": "tensorflow",
}


def configure_environment() -> None:
    """Set the environment variables in :data:`TF_ENVIRONMENT`.

    Values already present in the environment are kept, so a user can still
    override them. It also makes NumPy print scalars as ``0.25`` rather than
    ``np.float64(0.25)``, so that glued numbers can be formatted in the book. If TensorFlow was imported before this call the settings
    cannot take effect any more, and a :class:`RuntimeWarning` says so.
    """
    for name, value in TF_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    # NumPy 2 prints scalars as `np.float64(0.25)`; the pre-2.0 style prints `0.25`. That reads
    # better in a course, and Jupyter Book's glue can only format numbers printed that way.
    np.set_printoptions(legacy="1.25")
    if "tensorflow" in sys.modules and not getattr(configure_environment, "_warned", False):
        configure_environment._warned = True  # type: ignore[attr-defined]
        warnings.warn(
            "TensorFlow was imported before `helpers`, so its log level and oneDNN "
            "settings could not be applied. Restart the kernel and put `import helpers` "
            "before `import keras` / `import tensorflow`.",
            RuntimeWarning,
            stacklevel=2,
        )


def set_seed(seed: int) -> None:
    """Seed Python, NumPy and TensorFlow and turn on op determinism.

    After this call, building and training the same model on the same data
    gives bit-identical weights on the same machine.

    Parameters
    ----------
    seed : int
        A non-negative integer (below 2**32).

    Raises
    ------
    TypeError
        If ``seed`` is not an integer.
    ValueError
        If ``seed`` is negative or too large.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} ({seed!r}).")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be between 0 and 2**32 - 1, got {seed}.")
    import keras
    import tensorflow as tf

    # Seeds Python's `random`, NumPy's global generator and TensorFlow.
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
