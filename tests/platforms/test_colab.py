"""The Colab-like run (`make colab`): every learner notebook ran, at the lowest supported
TensorFlow and Keras, without myst-nb."""

from __future__ import annotations

import json

import lock
import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def summary() -> dict:
    path = ROOT / "_build" / "colab" / "summary.json"
    if not path.exists():
        pytest.fail("the Colab-like run has not run: `make colab` (or `make test`)")
    return json.loads(path.read_text())


def test_every_learner_notebook_ran_in_the_colab_like_environment(summary):
    learner = sorted(p.stem for p in (ROOT / "learner").glob("[0-9][0-9]*_*.ipynb"))
    assert learner, "no learner notebooks"
    assert sorted(summary["notebooks"]) == learner
    failed = [name for name, result in summary["notebooks"].items() if not result["ok"]]
    assert not failed, f"failed in the Colab-like run: {failed}"


def test_the_colab_like_run_used_the_lowest_supported_versions(summary):
    colab = lock.pins(ROOT / "requirements" / "colab.txt")
    assert summary["versions"]["tensorflow"] == colab["tensorflow-cpu"]
    assert summary["versions"]["keras"] == colab["keras"]
    assert summary["versions"]["python"].startswith("3.12.")
