"""scripts/run_like_colab.py's quick mode reaches every seed knob (`make colab --quick`)."""

from __future__ import annotations

import re

from notebook_tools import ROOT, cells, script, source

colab = script("run_like_colab")


def test_quick_mode_finds_the_seed_knob_of_every_learner_notebook_that_has_one():
    knobs = {}
    for path in sorted((ROOT / "learner").glob("[0-9][0-9]*_*.ipynb")):
        code = "\n".join(source(c) for c in cells(path, "code"))
        if re.search(r"^N_SEEDS\b", code, flags=re.MULTILINE):
            knobs[path.stem] = bool(colab.QUICK.search(code))
    # a knob written another way (ruff wraps a long comment in parentheses) would run every seed
    assert knobs and all(knobs.values()), f"N_SEEDS that --quick does not set: {knobs}"
    assert {"04_fine_tuning", "04c_few_labels"} <= set(knobs)
