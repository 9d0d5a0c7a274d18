"""The student edition: generated notebooks without solutions, kept in sync with the chapters."""

from __future__ import annotations

import importlib.util
import json
import re

import pytest
from notebook_tools import CHAPTERS, ROOT, cells, source

spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts" / "make_student.py")
make_student = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_student)

STUDENT = sorted((ROOT / "student").glob("*.ipynb"))
IDS = [p.stem for p in STUDENT]


def md(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def code(text: str) -> dict:
    return {"cell_type": "code", "metadata": {}, "source": text, "outputs": [], "execution_count": None}


def test_student_notebooks_and_toc_are_up_to_date():
    assert make_student.main(["--check"]) == 0, "student/ is out of date: run `make student`"


def test_every_chapter_has_a_student_notebook():
    assert [p.name for p in STUDENT] == [p.name for p in CHAPTERS]


def _solution_lines(path) -> set[str]:
    """The distinctive lines of a chapter's solutions: long, and not also outside the solutions."""
    kept, removed = make_student.strip_solutions(cells(path))
    lines = {ln.strip() for block in removed for ln in block.splitlines()}
    elsewhere = {ln.strip() for c in kept for ln in source(c).splitlines()}
    return {ln for ln in lines - elsewhere if len(ln) >= 25}


@pytest.mark.parametrize("path", STUDENT, ids=IDS)
def test_student_notebooks_contain_no_solution_text(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\{solution(-start|-end)?\}", text)
    chapter = ROOT / "chapters" / path.name
    student_lines = {ln.strip() for c in cells(path) for ln in source(c).splitlines()}
    leaked = _solution_lines(chapter) & student_lines
    assert not leaked, f"solution text in {path.name}: {sorted(leaked)[:3]}"


@pytest.mark.parametrize("path", STUDENT, ids=IDS)
def test_student_notebooks_keep_every_exercise_with_its_placeholder(path):
    chapter = ROOT / "chapters" / path.name
    text = "\n".join(source(c) for c in cells(path))
    assert text.count("```{exercise}") == "\n".join(source(c) for c in cells(chapter)).count("```{exercise}")
    for cell in cells(path, "code"):
        if "exercise-answer" in cell["metadata"].get("tags", []):
            assert "..." in source(cell)
        if "exercise-check" in cell["metadata"].get("tags", []):
            grading = cell["metadata"]["nbgrader"]
            assert grading["grade"] and grading["locked"] and grading["points"] >= 1
    assert "Student edition" in source(cells(path)[1])


def test_student_toc_lists_the_student_notebooks_only():
    toc = (ROOT / "_toc_student.yml").read_text()
    for name in re.findall(r"(?:root|file):\s*(\S+)", toc):
        page = next(ROOT.glob(f"{name}.*"), None)
        assert page is not None, f"_toc_student.yml lists {name}, which does not exist"
        assert "../chapters/" not in page.read_text(), f"{page.name} links to a chapter with solutions"
        assert not re.search(r"\{solution(-start|-end)?\}", page.read_text()), f"{page.name} has a solution"
    assert "chapters/" not in toc and "for-instructors" not in toc
    for path in STUDENT:
        if f"chapters/{path.stem}" in (ROOT / "_toc.yml").read_text():
            assert f"student/{path.stem}" in toc


def test_gated_solutions_spanning_cells_are_removed():
    kept, removed = make_student.strip_solutions(
        [
            md(
                "Intro\n\n```{exercise} One\n:label: ex-one\nDo it.\n```\n\n```{solution-start} ex-one\n"
                ":class: dropdown\n```\n\nThe secret."
            ),
            code("secret_code = 1"),
            md("```{solution-end}\n```\n\n```{exercise} Two\n:label: ex-two\nAgain.\n```"),
            code("answer = ..."),
        ]
    )
    text = "\n".join(source(c) for c in kept)
    assert "secret" not in text and "solution" not in text
    assert "Intro" in text and "Again." in text and "answer = ..." in text
    assert any("secret_code" in r for r in removed)


@pytest.mark.parametrize("fence", ["```", ":::", "````"])
def test_plain_solution_directives_are_removed_with_any_fence(fence):
    kept, _ = make_student.strip_solutions(
        [md(f"Before.\n\n{fence}{{solution}} ex-one\n:class: dropdown\nThe secret.\n{fence}\n\nAfter.")]
    )
    assert source(kept[0]) == "Before.\n\nAfter."


def test_an_unclosed_solution_is_an_error():
    with pytest.raises(ValueError, match="not closed"):
        make_student.strip_solutions([md("```{solution-start} ex-one\n```\n\nNo end.")])


def test_cells_without_solutions_are_kept_byte_for_byte():
    cell = md("Some text\n\n\n\nwith blank lines\n")
    kept, _ = make_student.strip_solutions([cell])
    assert kept == [cell]


def test_an_answer_cell_without_placeholder_is_refused(tmp_path):
    nb = json.loads((ROOT / "chapters" / "01_neuron.ipynb").read_text())
    for cell in nb["cells"]:
        if "exercise-answer" in cell["metadata"].get("tags", []):
            cell["source"] = "neuron_output = 0.6"
            break
    path = tmp_path / "01_neuron.ipynb"
    path.write_text(json.dumps(nb))
    with pytest.raises(ValueError, match="placeholder"):
        make_student.student_notebook(path)
