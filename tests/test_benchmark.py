"""scripts/benchmark.py's report: every figure says when and on which processor it was measured."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import benchmark  # noqa: E402


def test_the_processor_is_named_with_its_avx512_support():
    name = benchmark.processor()
    assert name and isinstance(name, str)
    if Path("/proc/cpuinfo").exists():
        assert name.endswith(("with AVX-512", "without AVX-512")), name


def test_the_report_keeps_each_rows_processor_and_says_when_one_was_not_recorded(tmp_path, monkeypatch):
    monkeypatch.setattr(benchmark, "OUT_DIR", tmp_path)
    old = {
        "notebook": "chapters/01_neuron.ipynb",
        "wall_s": 40.0,
        "peak_rss_mb": 900.0,
        "cells": 3,
        "measured": "2026-12-03",
    }
    (tmp_path / "results.json").write_text(
        json.dumps({"chapters": [old], "book": {"clean_build_s": 600.0, "cached_rebuild_s": 30.0}})
    )
    new = benchmark.ChapterRun(
        "chapters/02_losses.ipynb", 60.0, 1400.0, 5, "2026-12-04", "Some CPU, with AVX-512"
    )
    report = benchmark.write_report([new], None)
    assert "| `chapters/02_losses.ipynb` | 60.0 | 1400 | 2026-12-04 | Some CPU, with AVX-512 |" in report
    assert "| `chapters/01_neuron.ipynb` | 40.0 | 900 | 2026-12-03 | not recorded |" in report
    assert "processor not recorded" in report  # the kept build figure has none
    rows = json.loads((tmp_path / "results.json").read_text())["chapters"]
    assert {r["notebook"]: r["processor"] for r in rows} == {
        "chapters/01_neuron.ipynb": "",
        "chapters/02_losses.ipynb": "Some CPU, with AVX-512",
    }


@pytest.mark.parametrize("cpuinfo", ["", "flags\t: fpu sse2\n"])
def test_a_cpuinfo_without_a_model_name_still_gives_a_name(tmp_path, monkeypatch, cpuinfo):
    fake = tmp_path / "cpuinfo"
    fake.write_text(cpuinfo)
    real_path = benchmark.Path
    monkeypatch.setattr(benchmark, "Path", lambda p: fake if p == "/proc/cpuinfo" else real_path(p))
    assert benchmark.processor().endswith("without AVX-512")
