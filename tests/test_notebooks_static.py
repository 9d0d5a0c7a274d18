"""Static checks of every chapter notebook: structure, conventions, glue."""

from __future__ import annotations

import re

import pytest
from notebook_tools import CHAPTERS, ROOT, cells, glued_names, referenced_glue_names, source, toc_files

IDS = [p.stem for p in CHAPTERS]


def test_there_are_chapters():
    assert CHAPTERS, "no chapters/NN_*.ipynb found"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_is_in_the_table_of_contents(path):
    toc = (ROOT / "_toc.yml").read_text()
    assert f"chapters/{path.stem}" in toc


def test_every_toc_entry_exists_and_has_content():
    for name in toc_files():
        candidates = [ROOT / f"{name}{ext}" for ext in (".md", ".ipynb")]
        existing = [c for c in candidates if c.exists()]
        assert existing, f"_toc.yml lists {name}, which does not exist"
        assert len(existing[0].read_text()) > 500, f"{name} is nearly empty"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_helpers_is_imported_before_tensorflow(path):
    code = "\n".join(source(c) for c in cells(path, "code"))
    helpers_at = re.search(r"^import helpers\b", code, flags=re.MULTILINE)
    tf_at = re.search(r"^\s*(import|from) (keras|tensorflow)\b", code, flags=re.MULTILINE)
    assert helpers_at, "the chapter never runs `import helpers`"
    assert tf_at is None or helpers_at.start() < tf_at.start(), "import helpers before keras/tensorflow"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_seeds_everything(path):
    code = "\n".join(source(c) for c in cells(path, "code"))
    assert "helpers.set_seed(" in code


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_has_objectives_takeaways_exercises_and_reading(path):
    text = "\n".join(source(c) for c in cells(path, "markdown"))
    assert "Learning objectives" in text
    assert "## Key takeaways" in text
    assert "## Further reading" in text
    exercises = re.findall(r"```\{exercise\}", text)
    solutions = re.findall(r"```\{solution(?:-start)?\} ", text)
    assert len(exercises) >= 3, f"only {len(exercises)} exercises"
    assert len(solutions) == len(exercises), "every exercise needs a solution"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_every_glued_name_in_the_text_is_computed(path):
    missing = referenced_glue_names(path) - glued_names(path)
    assert not missing, f"the text uses glue names that no cell computes: {sorted(missing)}"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_keras_progress_bars_are_never_printed(path):
    for cell in cells(path, "code"):
        # scikit-learn's fit/predict print nothing; mark such a line with "# scikit-learn".
        for call in re.findall(r"\.(?:fit|predict|evaluate)\((?:[^()]|\([^()]*\))*\)[^\n]*", source(cell)):
            assert "verbose=0" in call or "# scikit-learn" in call, (
                f"use verbose=0 or helpers.training.train: {call[:80]}"
            )


def test_colab_setup_cell_is_identical_in_every_chapter():
    setups = {
        path.stem: source(c) for path in CHAPTERS for c in cells(path, "code") if "google.colab" in source(c)
    }
    assert set(setups) == set(IDS), "every chapter needs the Colab set-up cell"
    assert len(set(setups.values())) == 1, "the Colab set-up cells differ between chapters"


def test_how_to_run_gives_each_chapters_benchmarked_time_and_its_date():
    """book/how-to-run's table of run times is the benchmark's (benchmarks/results.json), row by
    row in the order of the table of contents, with the date each figure was measured."""
    import json

    text = (ROOT / "book" / "how-to-run.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([0-9][0-9.]*\. [^|]+?) \| ([0-9]+) s \| ([0-9-]+) \|$", text, flags=re.MULTILINE)
    measured = {
        c["notebook"]: c for c in json.loads((ROOT / "benchmarks" / "results.json").read_text())["chapters"]
    }
    chapters = [f"{name}.ipynb" for name in toc_files() if name.startswith("chapters/")]
    assert len(rows) == len(chapters), f"how-to-run lists {len(rows)} chapters, the book has {len(chapters)}"
    for (label, seconds, date), notebook in zip(rows, chapters):
        assert notebook in measured, f"{notebook} was never benchmarked: run scripts/benchmark.py {notebook}"
        run = measured[notebook]
        assert (int(seconds), date) == (round(run["wall_s"]), run["measured"]), (label, notebook, run)


def test_each_sidebar_toggle_gets_the_name_of_its_own_page():
    """book/_ext/accessibility.py names the theme's empty <summary> toggles (axe summary-name)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "accessibility", ROOT / "book" / "_ext" / "accessibility.py"
    )
    accessibility = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(accessibility)
    nav = (
        '<li><a class="reference internal" href="how.html">How to run</a></li>'
        '<li class="has-children"><a class="reference internal" href="02.html">2. Loss &amp; <em>training</em></a>'
        '<details open="open"><summary><span role="presentation"></span></summary><ul></ul></details></li>'
    )
    labelled = accessibility.label_summaries(nav)
    assert labelled.count("aria-label") == 1
    assert '<summary aria-label="Sections of 2. Loss &amp; training">' in labelled
    assert accessibility.label_summaries("<ul><li>no sections</li></ul>") == "<ul><li>no sections</li></ul>"
    current = (
        '<a class="current reference internal" href="#">4. Fine-tuning</a><details><summary>'  # this page
    )
    assert '<summary aria-label="Sections of 4. Fine-tuning">' in accessibility.label_summaries(current)
