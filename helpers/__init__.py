"""Helpers for the *Hands-On Transfer Learning* course.

Importing this package first configures the process so that TensorFlow stays
quiet and deterministic (see :mod:`helpers.runtime`). Every chapter therefore
starts with ``import helpers`` **before** it imports Keras or TensorFlow; a
test in ``tests/test_notebooks_static.py`` enforces that order.

The package is split into one module per concern, imported in one direction:

``runtime``     environment variables, allocator, thread pools, seeding and op determinism
``book``        ``glue``: computed values for the book's prose (works without myst-nb)
``data``        MNIST from the repository's file, UCI digits, splits, sampling and resizing
``models``      the course's Keras models
``pretrained``  the shipped models in ``models/``: SHA-256-checked loading, portable saving
``training``    compact, deterministic training loops and their logs; learning-rate comparisons;
                tf.data pipelines without the autotuner's wait
``records``     results of seeds a chapter cannot afford to run (``records/``), checked against its recipe
``transfer``    cutting, freezing, feature extraction, weight change and label-budget sweeps
``sweep``       one training rule for a sweep's networks: held-out fifth, early stopping, warm starts
``evaluation``  predicted labels, accuracy intervals, paired comparisons, confusion matrices, calibration
``plots``       matplotlib figures used by the chapters
``evidence``    a graded check's answers as JSON, re-checked by the grader in its own process
``exercises``   checked exercises: ``Exercise.check()``, ``hint()``, ``solution()``
``checks``      the exercises of each chapter (``checks.chNN``; ``checks.for_chapter("02b_learning")``)
"""

from helpers.runtime import configure_environment, set_seed

configure_environment()

__all__ = ["configure_environment", "set_seed"]
__version__ = "0.1.0"
