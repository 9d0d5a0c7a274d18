"""The student edition of the book contains the exercises and no solution text.

Builds the student book (``_toc_student.yml`` with ``_config_student.yml``, which does not
execute notebooks: the build takes seconds) into a temporary folder, then searches every HTML
page, and every page source offered for download, for solutions: the solution boxes of
sphinx-exercise, their titles, the directives, and the distinctive lines of each chapter's
solutions. As a control, the same search must find the solutions in the teacher's edition
(``_toc.yml``, built the same way), so that a search that finds nothing proves something.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from notebook_tools import script, toc_files

ROOT = Path(__file__).resolve().parents[2]
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"

editions = script("editions")

# What only a rendered (or source) solution contains. The hint cells mention `solution()`, so the
# bare word is not enough.
MARKERS = {
    "a solution box": re.compile(r'class="[^"]*\bsolution\b[^"]*"'),
    "a solution title": re.compile(r"Solution to"),
    "a solution directive": re.compile(r"\{solution(-start|-end)?\}"),
}


def _build(toc: str, out: Path) -> Path:
    """Build the book with ``toc`` and the student config (not executed); return the HTML root."""
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(ROOT), "--toc", str(ROOT / toc)]
        + ["--config", str(ROOT / "_config_student.yml"), "--path-output", str(out), "--keep-going"]
        + (["-W"] if toc == "_toc_student.yml" else []),  # the teacher's control need not be clean
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (
        f"building with {toc} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return out / "_build" / "html"


@pytest.fixture(scope="module")
def student_html(tmp_path_factory) -> Path:
    return _build("_toc_student.yml", tmp_path_factory.mktemp("student_book"))


@pytest.fixture(scope="module")
def teacher_html(tmp_path_factory) -> Path:
    return _build("_toc.yml", tmp_path_factory.mktemp("teacher_book"))


STUDENT_PAGES = toc_files("_toc_student.yml")
CHAPTERS = sorted(p.stem for p in (ROOT / "student").glob("*.ipynb") if f"student/{p.stem}" in STUDENT_PAGES)


def _text(page: str) -> str:
    """The visible text of an HTML page: tags removed, entities decoded, spaces collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def _solution_lines(chapter: str) -> set[str]:
    """Distinctive lines of a chapter's solutions: long, and not part of any line outside them."""
    cells = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
    kept, removed = editions.strip_solutions(cells)
    lines = {" ".join(ln.split()) for block in removed for ln in block.splitlines()}
    elsewhere = "\n".join(" ".join(ln.split()) for c in kept for ln in editions._source(c).splitlines())
    return {
        ln
        for ln in lines
        if len(ln) >= 25 and ln not in elsewhere and not ln.startswith(("```", ":class:", "#"))
    }


def _leaks(html_root: Path, chapter: str, folder: str) -> list[str]:
    """Every trace of the chapter's solutions in its built page and its downloadable source."""
    page = (html_root / folder / f"{chapter}.html").read_text(encoding="utf-8")
    found = [name for name, pattern in MARKERS.items() if pattern.search(page)]
    text = _text(page)
    sources = [p.read_text(encoding="utf-8") for p in (html_root / "_sources" / folder).glob(f"{chapter}.*")]
    for line in _solution_lines(chapter):
        if line in text or any(line in " ".join(s.split()) for s in sources):
            found.append(line)
    return found


def test_every_student_page_was_built(student_html):
    for page in STUDENT_PAGES:
        assert (student_html / f"{page}.html").is_file(), page
    assert CHAPTERS, "the student table of contents lists no student notebook"


def test_no_page_of_the_student_book_has_a_solution(student_html):
    pages = [p for p in student_html.rglob("*.html") if "_static" not in p.parts]
    pages += list((student_html / "_sources").rglob("*"))
    assert len(pages) > len(STUDENT_PAGES)
    for path in pages:
        if path.is_file():
            content = path.read_text(encoding="utf-8", errors="replace")
            found = [name for name, pattern in MARKERS.items() if pattern.search(content)]
            assert not found, f"{path.relative_to(student_html)} contains {found}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_student_chapter_pages_have_no_solution_text(student_html, chapter):
    leaked = _leaks(student_html, chapter, "student")
    assert not leaked, f"solution text in the student page of {chapter}: {leaked[:3]}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_student_chapter_pages_keep_every_exercise_with_its_cells(student_html, chapter):
    source = (ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8")
    page = (student_html / "student" / f"{chapter}.html").read_text(encoding="utf-8")
    n_exercises = source.count("```{exercise}")
    assert n_exercises >= 3, f"{chapter} should have 3 to 6 exercises"
    assert len(re.findall(r'class="exercise admonition"', page)) == n_exercises
    checks = set(re.findall(r"checks\.(\w+)\.check\(\)", source))
    for tag in ("exercise-answer", "exercise-check", "exercise-hint"):
        assert page.count(f"tag_{tag} ") == len(checks), (chapter, tag)
    text = _text(page)
    for name in checks:
        assert f"checks.{name}.check()" in text, name


def test_the_search_finds_the_solutions_in_the_teachers_edition(teacher_html):
    """The control: with the same search, every chapter with checked exercises leaks as expected."""
    for chapter in CHAPTERS:
        source = (ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8")
        if "{solution-start}" not in source:
            continue
        leaked = _leaks(teacher_html, chapter, "chapters")
        assert {"a solution box", "a solution title"} <= set(leaked), (chapter, leaked[:3])
        lines = [item for item in leaked if item not in MARKERS]
        assert len(lines) >= 2, f"the search found too few solution lines in {chapter}: {lines}"
