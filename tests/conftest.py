"""Shared fixtures. Importing helpers first keeps TensorFlow quiet in tests too."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

import helpers  # noqa: F401  (configures TensorFlow before any test imports it)

matplotlib.use("Agg")

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
