"""Shared fixtures. Importing helpers first keeps TensorFlow quiet in tests too."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

import helpers  # noqa: F401  (configures TensorFlow before any test imports it)

matplotlib.use("Agg")

# The same examples on every run, in a course whose promise is the same numbers on every run:
# a failure found once is found again, and CI cannot pass by luck.
settings.register_profile("course", derandomize=True, print_blob=True)
settings.load_profile("course")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def mnist():
    """The full MNIST, loaded once per test session."""
    from helpers import data

    return data.load_mnist()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
