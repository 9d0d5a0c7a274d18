"""Binder's budget: no chapter may need more than its 2 GB of memory.

The figure is the peak resident memory of the kernel that nbval ran the chapter
in (recorded by ``chapters/conftest.py``). Time is measured by
``scripts/benchmark.py``, not asserted here.
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, toc_pages

BINDER_MEMORY_MB = 2048
PEAKS = ROOT / "_build" / "nbval-outputs" / "peak-memory.json"
CHAPTERS = [p.split("/")[1].removesuffix(".html") for p in toc_pages() if p.startswith("chapters/")]


@pytest.mark.parametrize("stem", CHAPTERS)
def test_chapter_fits_in_binders_memory(stem):
    if not PEAKS.exists():
        pytest.fail("no memory figures: run `make notebooks` first (it records them)")
    peaks = json.loads(PEAKS.read_text())
    assert stem in peaks, f"nbval did not run {stem}"
    assert peaks[stem] < BINDER_MEMORY_MB, f"{stem} peaked at {peaks[stem]:.0f} MB, over Binder's 2 GB"
