"""scripts/execute.py: the chapters run side by side into the cache that the book build reads."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from notebook_tools import ROOT, script, toc_files

execute = script("execute")


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_chapters_are_the_notebook_pages_of_the_toc_in_reading_order():
    expected = [ROOT / f"{name}.ipynb" for name in toc_files() if name.startswith("chapters/")]
    assert execute.chapters() == expected and len(expected) >= 10


def test_longest_first_orders_by_the_benchmark_and_puts_unmeasured_chapters_first(tmp_path):
    results = tmp_path / "results.json"
    runs = [
        {"notebook": "chapters/a.ipynb", "wall_s": 10.0},
        {"notebook": "chapters/b.ipynb", "wall_s": 200.0},
    ]
    results.write_text(json.dumps({"chapters": runs}))
    a, b, new = (ROOT / "chapters" / f"{n}.ipynb" for n in ("a", "b", "new"))
    assert execute.longest_first([a, b, new], results) == [new, b, a]
    assert execute.longest_first([a, b], tmp_path / "missing.json") == [a, b]  # no benchmark: as given


def test_executed_notebooks_are_what_myst_nb_finds_in_the_cache_and_failures_are_reported(tmp_path):
    from jupyter_cache import get_cache

    good = _notebook(tmp_path / "good.ipynb", "x = 6 * 7", "print(x)")
    bad = _notebook(tmp_path / "bad.ipynb", "raise ValueError('on purpose')")
    cache_path = tmp_path / "cache"
    failures = execute.execute([good, bad], cache_path, jobs=2)
    assert len(failures) == 1 and "bad.ipynb" in failures[0] and "on purpose" in failures[0]
    cache = get_cache(str(cache_path))
    # myst-nb's cache mode looks a chapter up by its code (NotebookClientCache.start_client)
    record = cache.match_cache_notebook(nbformat.read(good, as_version=4))
    outputs = cache.get_cache_bundle(record.pk).nb.cells[1].outputs
    assert outputs[0]["text"] == "42\n"
    with pytest.raises(KeyError):
        cache.match_cache_notebook(nbformat.read(bad, as_version=4))
    assert execute.execute([good], cache_path, jobs=1) == []  # cached: nothing runs again


@pytest.mark.parametrize("jobs", [0, -1, 1.5, True])
def test_execute_refuses_a_number_of_jobs_that_is_not_a_positive_whole_number(tmp_path, jobs):
    with pytest.raises(ValueError, match="jobs must be a whole number"):
        execute.execute([], tmp_path / "cache", jobs=jobs)
