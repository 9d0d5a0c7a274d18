"""Checks of the learners' platforms, run by `make platforms` after `make notebooks` and
`make colab`: Binder's environment (built by `make learner-env`), JupyterLab as a learner sees
it, a chapter under a 1-CPU quota, and the results of the Colab-like run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEARNER = ROOT / ".venv-learner"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture(scope="session")
def learner() -> Path:
    """The learner (Binder-like) environment's folder; fails if it is not built."""
    if not (LEARNER / ".installed").exists():
        pytest.fail("the learner environment is not built: run `make learner-env` (or `make test`)")
    return LEARNER
