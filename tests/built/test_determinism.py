"""Same numbers twice: nbval's execution of each chapter and the book build's agree.

`make test` executes every chapter twice, in two fresh kernels: once under nbval
(`chapters/conftest.py` records what each cell printed and glued) and once in the
book build. Every glued value and every printed line must be identical.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "chapters"))
from conftest import toc_pages  # noqa: E402

NBVAL = ROOT / "_build" / "nbval-outputs"
CACHE = ROOT / "_build" / ".jupyter_cache"
CHAPTERS = [Path(p).stem for p in toc_pages() if p.startswith("chapters/")]
# Lines that legitimately differ between runs; keep this list short and justified.
VOLATILE = [
    re.compile(r"<keras\.src\.[\w.]+ object at 0x[0-9a-f]+>"),
    # 04b_backbone prints a measured time per image (wall-clock time; no claim rests on it)
    re.compile(r"[0-9]+\.[0-9]+ ms per image"),
]


def _normalise(texts: list[str]) -> list[str]:
    """Canonical form of a cell's outputs: each stream's full text, then the other outputs.

    nbval and the book build interleave stream and display messages differently, so the
    comparison is on the whole of stdout, the whole of stderr, and the set of displays (glued
    values included), each compared exactly.
    """
    streams = {"stdout: ": "", "stderr: ": ""}
    others = []
    for text in texts:
        for pattern in VOLATILE:
            text = pattern.sub("<object>", text)
        if text.startswith("text/plain: <Figure size"):
            continue  # figures are not compared (nbval may record one twice)
        prefix = text[:8]
        if prefix in streams:
            streams[prefix] += text[8:]
        else:
            others.append(text)
    return [k + v for k, v in streams.items() if v] + sorted(others)


def _book_build_execution(stem: str):
    """The chapter as the book build executed it, with all outputs (glue included)."""
    import nbformat
    from jupyter_cache import get_cache

    notebook = nbformat.read(ROOT / "chapters" / f"{stem}.ipynb", as_version=4)
    try:
        record = get_cache(CACHE).match_cache_notebook(notebook)
    except KeyError:
        pytest.fail(f"the book build has not executed the current {stem}.ipynb: run `make book`")
    return get_cache(CACHE).get_cache_bundle(record.pk).nb


def _comparable():
    import importlib.util

    spec = importlib.util.spec_from_file_location("chapters_conftest", ROOT / "chapters" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.comparable_outputs


@pytest.mark.parametrize("stem", CHAPTERS)
def test_two_fresh_executions_print_and_glue_the_same_numbers(stem):
    nbval_file = NBVAL / f"{stem}.json"
    if not nbval_file.exists() or not CACHE.exists():
        pytest.fail(f"run `make notebooks` and `make book` first (missing {nbval_file} or {CACHE})")
    comparable = _comparable()
    first = {c["cell"]: _normalise(c["outputs"]) for c in json.loads(nbval_file.read_text())}
    code_cells = [c for c in _book_build_execution(stem).cells if c.cell_type == "code"]
    second = {i: _normalise(comparable(c.get("outputs", []))) for i, c in enumerate(code_cells)}
    assert set(first) == set(second), "the two executions ran different cells"
    differing = [i for i in first if first[i] != second[i]]
    assert not differing, (
        f"cells {differing} printed different values: {first[differing[0]]} vs {second[differing[0]]}"
    )
    assert any(first.values()), "nothing was recorded: the comparison would be empty"
