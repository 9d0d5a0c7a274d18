"""The generated editions of the chapters (scripts/editions.py): current, correct, and each transform.

The student edition has no solutions and carries nbgrader metadata; the learner edition (for
Colab) has the same cells and code as the chapter and no MyST left in its Markdown.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest
from notebook_tools import CHAPTERS, ROOT, cells, load_module, script, source

import helpers.checks

editions = script("editions")
learner_launch = load_module(ROOT / "book" / "_ext" / "learner_launch.py", "learner_launch")

STUDENT = sorted((ROOT / "student").glob("*.ipynb"))
LEARNER = sorted((ROOT / "learner").glob("*.ipynb"))
IDS = [p.stem for p in STUDENT]
LEARNER_IDS = [p.stem for p in LEARNER]


def md(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def code(text: str) -> dict:
    return {"cell_type": "code", "metadata": {}, "source": text, "outputs": [], "execution_count": None}


# ---------------------------------------------------------------------------------------------
# Every edition is current, and each is what nbstripout leaves


def test_every_edition_is_up_to_date():
    assert editions.main(["--check"]) == 0, "a generated edition is out of date: run `make editions`"


def test_every_chapter_has_a_student_and_a_learner_notebook():
    assert [p.name for p in STUDENT] == [p.name for p in CHAPTERS]
    assert [p.name for p in LEARNER] == [p.name for p in CHAPTERS]


def test_generated_notebooks_are_what_nbstripout_leaves():
    """The pre-commit hook (nbstripout) must not rewrite them, or they would always look stale."""
    result = subprocess.run(
        [sys.executable, "-m", "nbstripout", "--verify", *map(str, STUDENT + LEARNER)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_reports_a_stale_file_and_an_orphan_notebook(tmp_path, monkeypatch, capsys):
    student = editions.edition("student")
    moved = editions.Edition("student", tmp_path, student.transforms)
    monkeypatch.setattr(editions, "EDITIONS", (moved,))
    (tmp_path / "99_gone.ipynb").write_text("{}")
    assert editions.main(["--check"]) == 1
    report = capsys.readouterr().out
    assert "99_gone.ipynb is out of date" in report and "01_neuron.ipynb is out of date" in report


# ---------------------------------------------------------------------------------------------
# The student edition


def _solution_lines(path) -> set[str]:
    """The distinctive lines of a chapter's solutions: long, and not also outside the solutions."""
    kept, removed = editions.strip_solutions(cells(path))
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
    kept, removed = editions.strip_solutions(
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


def test_worked_solutions_come_from_the_notebook_text_and_code_without_the_check():
    nb = {
        "cells": [
            md(
                "```{exercise} One\n:label: ex-one\nDo it.\n```\n\n```{solution-start} ex-one\n:class: dropdown\n```\n\nBy {term}`hand`."
            ),
            code("answer = 2\nchecks.one.check()"),
            {**code("assert answer == 2"), "metadata": {"tags": ["remove-cell"]}},
            md("```{solution-end}\n```\n\nAfter the solution."),
        ]
    }
    book = editions.Book(
        glossary={"hand": "hand"}, labels={"ex-one": editions.Target("chapters/01_x", "One", 1, True)}
    )
    found = editions.worked_solutions(nb, editions.Chapter("01_x", book))
    assert list(found) == ["one"]
    text = found["one"]
    assert text.startswith("By [hand](") and "```python\nanswer = 2\n```" in text
    assert "check()" not in text and "assert" not in text and "After" not in text and "dropdown" not in text


def test_every_exercise_shows_its_chapters_worked_solution(capsys):
    import helpers.checks
    from helpers.exercises import worked_solutions

    catalogue = json.loads((ROOT / "helpers" / "checks" / "solutions.json").read_text())
    names = []
    for chapter in CHAPTERS:
        module = helpers.checks.for_chapter(chapter.stem)
        names += [ex.name for ex in module.EXERCISES]
    assert sorted(catalogue) == sorted(names) and worked_solutions() == catalogue
    assert helpers.checks  # the package holds the catalogue
    for name in names:
        assert "```python" in catalogue[name], name
    module.EXERCISES[0].solution()
    assert catalogue[module.EXERCISES[0].name] in capsys.readouterr().out


@pytest.mark.parametrize("fence", ["```", ":::", "````"])
def test_plain_solution_directives_are_removed_with_any_fence(fence):
    kept, _ = editions.strip_solutions(
        [md(f"Before.\n\n{fence}{{solution}} ex-one\n:class: dropdown\nThe secret.\n{fence}\n\nAfter.")]
    )
    assert source(kept[0]) == "Before.\n\nAfter."


def test_an_unclosed_solution_is_an_error():
    with pytest.raises(ValueError, match="not closed"):
        editions.strip_solutions([md("```{solution-start} ex-one\n```\n\nNo end.")])


def test_cells_without_solutions_are_kept_byte_for_byte():
    cell = md("Some text\n\n\n\nwith blank lines\n")
    kept, _ = editions.strip_solutions([cell])
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
        editions.student_notebook(path)


def test_a_check_cell_gets_locked_nbgrader_metadata_worth_its_points():
    from helpers.checks import ch01

    check = {**code("checks.xor_width.check()"), "metadata": {"tags": ["exercise-check"]}}
    nb = {"cells": [md("# T"), check], "metadata": {}}
    out = editions.nbgrader_checks(nb, editions.Chapter("01_neuron"))
    grading = out["cells"][1]["metadata"]["nbgrader"]
    assert grading["grade_id"] == ch01.xor_width.name and grading["points"] == ch01.xor_width.points
    assert grading["locked"] and not grading["solution"]
    assert "nbgrader" not in nb["cells"][1]["metadata"], "a transform must not change its input"


def test_the_grading_helpers_are_still_reachable_as_make_student():
    make_student = script("make_student")
    assert make_student.solutions is editions.solutions
    assert make_student.strip_solutions is editions.strip_solutions


# ---------------------------------------------------------------------------------------------
# The learner edition, as generated

MYST_LEFT = {
    "a backtick directive": re.compile(r"```\{"),
    "a colon directive": re.compile(r":::\{"),
    "a role": re.compile(r"\{[A-Za-z][\w:+-]*\}`"),
    "a target": re.compile(r"^\s*\([^()\s]+\)=\s*$", re.M),
    "a glue reference": re.compile(r"\{glue"),
}


@pytest.mark.parametrize("path", LEARNER, ids=LEARNER_IDS)
def test_learner_notebooks_have_no_myst_left(path):
    text = "\n".join(source(c) for c in cells(path, "markdown"))
    found = {what: m.group(0) for what, pattern in MYST_LEFT.items() if (m := pattern.search(text))}
    assert not found, f"{path.name} still has {found}"


@pytest.mark.parametrize("path", LEARNER, ids=LEARNER_IDS)
def test_learner_notebooks_have_the_chapters_code_cells_unchanged(path):
    chapter = ROOT / "chapters" / path.name
    assert [source(c) for c in cells(path, "code")] == [source(c) for c in cells(chapter, "code")]
    assert [c["metadata"].get("tags") for c in cells(path, "code")] == [
        c["metadata"].get("tags") for c in cells(chapter, "code")
    ]


@pytest.mark.parametrize("path", LEARNER, ids=LEARNER_IDS)
def test_learner_notebooks_number_every_exercise_and_fold_its_solution(path):
    chapter = "\n".join(source(c) for c in cells(ROOT / "chapters" / path.name, "markdown"))
    text = "\n".join(source(c) for c in cells(path, "markdown"))
    n = chapter.count("```{exercise}")
    assert re.findall(r"^> \*\*Exercise (\d+)", text, flags=re.M) == [str(i) for i in range(1, n + 1)]
    assert len(re.findall(r"<summary><b>Solution to Exercise \d+[^<]*?(?<!continued)</b>", text)) == n
    assert text.count("<details>") == text.count("</details>")
    assert "This notebook is for Colab and Jupyter" in source(cells(path)[1])


@pytest.mark.parametrize("path", LEARNER, ids=LEARNER_IDS)
def test_learner_links_to_notebooks_point_to_existing_siblings(path):
    text = "\n".join(source(c) for c in cells(path, "markdown"))
    for target in re.findall(r"\]\(([^)#:]+\.ipynb)\)", text):
        assert (path.parent / target).is_file(), f"{path.name} links to {target}"


# ---------------------------------------------------------------------------------------------
# The learner transforms, on hand-made cells

BOOK = editions.Book(
    url="https://book.example/",
    titles={
        "chapters/01_test": "Test",
        "chapters/02_other": "The other chapter",
        "book/how-to-run": "How to run",
    },
    labels={
        "sec-other": editions.Target("chapters/02_other", "Other section"),
        "ex-other": editions.Target("chapters/02_other", "Elsewhere", 2, exercise=True),
        "page-label": editions.Target("book/how-to-run", "Local set-up"),
    },
    glossary={
        "neuron": "neuron",
        "weight": "weight",
        "batch normalization": "batch normalization",
        "relu": "ReLU",
    },
    references={"alpha2020": ("Alpha et al.", "2020"), "beta2019": ("Beta and Gamma", "2019")},
)
CHAPTER = editions.Chapter("01_test", BOOK)
GLOSSARY = "https://book.example/book/glossary.html"
REFERENCES = "https://book.example/book/references.html"


def convert(*cells_: dict) -> list[str]:
    """The learner sources of ``cells_``."""
    nb = {"cells": list(cells_), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return [source(c) for c in editions.myst_to_markdown(nb, CHAPTER)["cells"]]


def one(text: str) -> str:
    return convert(md(text))[0]


def test_a_colon_admonition_becomes_a_blockquote_with_a_bold_title():
    text = ":::{admonition} Learning objectives\n:class: tip\nYou can\n1. do it;\n\n2. and this.\n:::"
    assert one(text) == "> **Learning objectives**\n>\n> You can\n> 1. do it;\n>\n> 2. and this."


@pytest.mark.parametrize("fence", ["```", "````", ":::"])
def test_typed_admonitions_take_their_type_as_title(fence):
    assert one(f"{fence}{{warning}}\nCareful.\n{fence}") == "> **Warning**\n>\n> Careful."


def test_a_dropdown_admonition_becomes_a_details_block():
    text = ":::{admonition} More\n:class: note dropdown\nHidden.\n:::"
    assert one(text) == "<details>\n<summary><b>More</b></summary>\n\nHidden.\n\n</details>"


def test_nested_directives_are_converted_inside_out():
    text = "::::{admonition} Outer\n:::{note}\nInner {term}`neuron`.\n:::\n::::"
    assert one(text) == f"> **Outer**\n>\n> > **Note**\n> >\n> > Inner [neuron]({GLOSSARY}#term-neuron)."


def test_exercises_are_numbered_and_their_gated_solutions_folded_across_cells():
    out = convert(
        md("```{exercise} First\n:label: ex-a\nDo $x$.\n```"),
        code("x = ..."),
        md("```{solution-start} ex-a\n:class: dropdown\n```\n\nBecause."),
        code("x = 1"),
        md("More of it.\n\n```{solution-end}\n```\n\n```{exercise}\n:label: ex-b\nAgain.\n```"),
        md("```{solution-start} ex-b\n```\nShort.\n```{solution-end}\n```\nAfter."),
    )
    assert out[0] == "> **Exercise 1 (First)**\n>\n> Do $x$."
    assert out[1] == "x = ..." and out[3] == "x = 1"
    assert out[2] == (
        "<details>\n<summary><b>Solution to Exercise 1 (First)</b></summary>\n\nBecause.\n\n"
        "*The solution continues in the next cell.*\n\n</details>"
    )
    assert out[4] == (
        "<details>\n<summary><b>Solution to Exercise 1 (First), continued</b></summary>\n\nMore of it."
        "\n\n</details>\n\n> **Exercise 2**\n>\n> Again."
    )
    assert (
        out[5]
        == "<details>\n<summary><b>Solution to Exercise 2</b></summary>\n\nShort.\n\n</details>\n\nAfter."
    )


def test_a_plain_solution_directive_becomes_a_details_block():
    out = convert(
        md("```{exercise} E\n:label: ex-e\nQ.\n```\n\n```{solution} ex-e\n:class: dropdown\nA.\n```")
    )
    assert out[0].endswith(
        "<details>\n<summary><b>Solution to Exercise 1 (E)</b></summary>\n\nA.\n\n</details>"
    )


def test_a_solution_without_its_end_is_an_error():
    with pytest.raises(editions.EditionError, match="no solution-end"):
        convert(md("```{exercise}\n:label: ex-a\nQ.\n```"), md("```{solution-start} ex-a\n```\nA."))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("{term}`neuron`", f"[neuron]({GLOSSARY}#term-neuron)"),
        ("{term}`weights <weight>`", f"[weights]({GLOSSARY}#term-weight)"),
        ("{term}`Batch\nNormalization`", f"[Batch Normalization]({GLOSSARY}#term-batch-normalization)"),
        ("{term}`relu`", f"[relu]({GLOSSARY}#term-ReLU)"),
    ],
)
def test_terms_link_to_the_glossary_entry(role, expected):
    assert one(f"A {role}.") == f"A {expected}."


def test_glossary_anchors_are_the_ones_sphinx_makes():
    from sphinx.util.nodes import _make_id

    terms = editions.glossary_terms((ROOT / "book" / "glossary.md").read_text(encoding="utf-8"))
    assert len(terms) >= 20
    for term in [*terms.values(), "Café au lait", "LoRA (low-rank)", "2-step"]:
        assert editions.glossary_anchor(term) == _make_id(f"term-{term}"), term


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("{doc}`../book/how-to-run`", "[How to run](https://book.example/book/how-to-run.html)"),
        ("{doc}`02_other`", "[The other chapter](02_other.ipynb)"),
        ("{doc}`next chapter <02_other>`", "[next chapter](02_other.ipynb)"),
        ("{doc}`/chapters/02_other`", "[The other chapter](02_other.ipynb)"),
        ("{ref}`sec-other`", "[Other section](02_other.ipynb)"),
        ("{numref}`ex-other`", "[Exercise 2](02_other.ipynb)"),
        ("{numref}`Task {number} <ex-other>`", "[Task 2](02_other.ipynb)"),
        (
            "{ref}`setting up <page-label>`",
            "[setting up](https://book.example/book/how-to-run.html#page-label)",
        ),
    ],
)
def test_cross_references_link_to_the_sibling_notebook_or_the_book(role, expected):
    assert one(f"See {role}.") == f"See {expected}."


def test_references_within_the_notebook_are_plain_text():
    out = convert(
        md("(sec-here)=\n## Here we are\n\nText."),
        md("```{exercise} Local\n:label: ex-here\nQ.\n```"),
        md("See {ref}`sec-here`, {numref}`ex-here` and {ref}`that one <sec-here>`."),
    )
    assert out[0] == "## Here we are\n\nText."
    assert out[2] == "See *Here we are*, Exercise 1 and that one."


def test_a_named_directive_can_be_referenced_with_a_text():
    out = convert(
        md(":::{admonition} Why\n:name: box-why\nBecause.\n:::"), md("See {ref}`the box <box-why>`.")
    )
    assert out[1] == "See the box."


def test_citations_become_author_year_links_to_the_references():
    assert one("As {cite:t}`alpha2020` showed") == f"As [Alpha et al. (2020)]({REFERENCES}) showed"
    assert one("shown {cite}`alpha2020,beta2019`.") == (
        f"shown ([Alpha et al., 2020]({REFERENCES}); [Beta and Gamma, 2019]({REFERENCES}))."
    )
    assert one("shown {cite:p}`beta2019`.") == f"shown ([Beta and Gamma, 2019]({REFERENCES}))."


def test_the_bibliography_names_authors_as_the_book_does():
    refs = editions.bibliography(ROOT / "book" / "references.bib")
    assert refs["goodfellow2016deep"] == ("Goodfellow et al.", "2016")
    assert refs["minsky1969perceptrons"] == ("Minsky and Papert", "1969")
    assert refs["nielsen2015neural"] == ("Nielsen", "2015")


def test_glued_values_show_their_name_and_where_they_are_computed():
    out = convert(
        code('glue("acc", 0.9)'),
        md("Accuracy {glue:text}`acc:.1f` %, then {glue:md}`later` and {glue}`acc`."),
        code('glue("later", "x", display=False)'),
    )
    assert (
        out[1]
        == "Accuracy `acc` (computed above) %, then `later` (computed below) and `acc` (computed above)."
    )


def test_a_glue_directive_points_to_the_cell_that_draws_it():
    out = convert(
        code('glue("fig_loss", fig)'), md("```{glue:figure} fig_loss\n:name: fig-loss\nCaption.\n```")
    )
    assert "`fig_loss` (computed above)" in out[1] and "{glue" not in out[1]
    assert out[1].endswith("\n\nCaption.")


def test_a_glued_name_that_the_chapter_never_glues_is_an_error():
    with pytest.raises(editions.EditionError, match="'missing'"):
        one("Value {glue:text}`missing:.2f`.")


def test_math_roles_and_directives_become_dollar_math():
    assert one("A {math}`x^2` here.") == "A $x^2$ here."
    assert one("```{math}\n:label: eq-one\na = b\n```") == "$$\na = b\n$$"


def test_labels_comments_and_math_labels_are_removed():
    text = "(my-label)=\n## Title\n% a comment\n$$\nx % not a comment\n$$ (eq-x)\nEnd."
    assert one(text) == "## Title\n$$\nx % not a comment\n$$\nEnd."


def test_code_is_left_exactly_as_it_is():
    text = (
        "Write `{term}`x`` like this:\n\n```markdown\n{doc}`page` and :::{note}\n```\n\n````\n```{note}\n````"
    )
    assert one(text) == text


def test_an_unknown_directive_is_an_error_naming_the_chapter_and_the_directive():
    with pytest.raises(editions.EditionError, match=r"01_test, cell 1: the MyST directive \{figure\}"):
        convert(md("# T"), md("```{figure} a.png\nCaption.\n```"))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("An {abbr}`LR (learning rate)`.", r"the MyST role \{abbr\}"),
        ("A {term}`unicorn`.", "'unicorn', which is not in book/glossary.md"),
        ("A {doc}`nowhere`.", "no page chapters/nowhere"),
        ("A {ref}`no-such-label`.", "no label 'no-such-label'"),
        ("A {cite}`nobody1999`.", "'nobody1999' is not in book/references.bib"),
        (":::\nplain colons\n:::", "a ::: fence without a {directive}"),
        ("```{note}\nnever closed", "not closed"),
        ("```{solution-end}\n```", "without a solution-start"),
        ("(sec-x)=\n## X\n\n```{solution} sec-x\nA.\n```", "'sec-x', which is no exercise"),
    ],
)
def test_constructs_without_a_rule_are_errors(text, match):
    with pytest.raises(editions.EditionError, match=match):
        one(text)


def test_leftover_myst_is_caught_after_the_conversion():
    nb = {"cells": [md("Fine."), md("A {{ substitution }}.")], "metadata": {}}
    with pytest.raises(editions.EditionError, match="01_test, cell 1: a MyST substitution"):
        editions.require_plain_markdown(nb, CHAPTER)


def test_transforms_do_not_change_their_input(monkeypatch):
    chinese = {  # the test chapter's catalog, for the Chinese learner edition
        "T": "标题",
        "A {term}`neuron` {glue:text}`a`.": "一个{term}`神经元 <neuron>` {glue:text}`a`。",
        "Use the rocket icon at the top of the page to open this notebook in Binder or Colab, or run it "
        "locally (see {doc}`../book/how-to-run`).": "点击页面顶部的火箭图标打开本笔记本（见{doc}`../book/how-to-run`）。",
    }
    monkeypatch.setattr(editions._translations(), "messages", lambda docname: chinese)
    ran = {**code('glue("a", 1)'), "outputs": [{"output_type": "stream", "name": "stdout", "text": "1"}]}
    ran = {**ran, "execution_count": 3, "id": "ran", "metadata": {"scrolled": True}}
    launch = (
        "Use the rocket icon at the top of the page to open this notebook in Binder or Colab, or run it\n"
    )
    launch += "locally (see {doc}`../book/how-to-run`)."  # the chapters' sentence, rewritten for learners
    cells_ = [md("# T"), ran, md("A {term}`neuron` {glue:text}`a`."), md(launch)]
    nb = {"cells": cells_, "metadata": {"widgets": {}}}
    for edition in editions.EDITIONS:
        current = nb
        for transform in edition.transforms:
            before = json.dumps(current, sort_keys=True)
            result = transform(current, CHAPTER)
            assert json.dumps(current, sort_keys=True) == before, (edition.name, transform.__name__)
            current = result


def test_a_new_edition_is_a_list_of_transforms_and_a_folder(tmp_path):
    def shout(nb, chapter):
        return {**nb, "cells": [{**c, "source": source(c).upper()} for c in nb["cells"]]}

    loud = editions.Edition("loud", tmp_path, (shout, *editions.NBSTRIPOUT))
    nb = loud.notebook(
        {"cells": [md("hello"), {**code("x = 1"), "outputs": [1], "id": "abc"}], "metadata": {}}, CHAPTER
    )
    assert [source(c) for c in nb["cells"]] == ["HELLO", "X = 1"]
    assert nb["cells"][1]["outputs"] == [] and [c["id"] for c in nb["cells"]] == ["0", "1"]


# ---------------------------------------------------------------------------------------------
# The book's Colab button opens the learner notebook


def _launch_context(pagename: str) -> dict:
    """The page context after sphinx-book-theme has added its launch buttons, as in our book."""
    from sphinx_book_theme.header_buttons.launch import add_launch_buttons

    theme = {
        "launch_buttons": {
            "notebook_interface": "jupyterlab",
            "binderhub_url": "https://mybinder.org",
            "colab_url": "https://colab.research.google.com",
        },
        "repository_branch": "main",
    }
    app = SimpleNamespace(
        config={"html_theme_options": theme},
        env=SimpleNamespace(
            doc2path=lambda name: f"/src/{name}.ipynb", metadata={pagename: {"kernelspec": {}}}
        ),
    )
    context = {
        "pagename": pagename,
        "sourcename": f"{pagename}.ipynb",
        "header_buttons": [],
        "github_url": "https://github.com",
        "github_user": "hands-on-transfer-learning",
        "github_repo": "course",
    }
    add_launch_buttons(app, pagename, "page.html", context, None)
    return context


def _urls(context: dict) -> dict[str, str]:
    return {b["text"]: b["url"] for group in context["header_buttons"] for b in group.get("buttons", [])}


def test_the_colab_button_of_a_chapter_opens_its_learner_notebook():
    context = _launch_context("chapters/01_neuron")
    binder = _urls(context)["Binder"]
    assert learner_launch.point_colab_to_learner(context, "chapters/01_neuron")
    urls = _urls(context)
    assert urls["Colab"] == (
        "https://colab.research.google.com/github/hands-on-transfer-learning/course/blob/main/learner/01_neuron.ipynb"
    )
    assert urls["Binder"] == binder, "Binder keeps the chapter"


def test_other_pages_keep_their_colab_button():
    context = _launch_context("student/01_neuron")
    before = _urls(context)["Colab"]
    assert not learner_launch.point_colab_to_learner(context, "student/01_neuron")
    assert _urls(context)["Colab"] == before


def test_the_extension_needs_the_learner_notebook(tmp_path):
    context = _launch_context("chapters/01_neuron")
    before = _urls(context)["Colab"]
    app = SimpleNamespace(srcdir=str(tmp_path))
    learner_launch.use_learner_notebooks(app, "chapters/01_neuron", "page.html", context, None)
    assert _urls(context)["Colab"] == before, "no learner notebook: the button keeps the chapter"
    (tmp_path / "learner").mkdir()
    (tmp_path / "learner" / "01_neuron.ipynb").write_text("{}")
    learner_launch.use_learner_notebooks(app, "chapters/01_neuron", "page.html", context, None)
    assert _urls(context)["Colab"].endswith("/blob/main/learner/01_neuron.ipynb")


def test_learner_notebooks_do_not_send_the_learner_to_a_rocket_icon_they_lack():
    for path in sorted((ROOT / "learner").glob("*.ipynb")):
        text = "".join(source(c) for c in cells(path, "markdown"))
        assert "rocket icon" not in text, path.name
        assert "This is the chapter's learner notebook" in text, path.name


def test_replace_once_fails_when_the_passage_is_missing_or_repeated():
    transform = editions.replace_once("demo", re.compile("old"), "new")
    chapter = SimpleNamespace(name="99_demo")
    assert source(transform({"cells": [md("the old text")]}, chapter)["cells"][0]) == "the new text"
    for text in ("nothing here", "old and old"):
        with pytest.raises(editions.EditionError, match="99_demo: expected one passage"):
            transform({"cells": [md(text)]}, chapter)


# ---------------------------------------------------------------------------------------------
# Graded variants


def test_a_roster_gives_each_learner_a_variant_repeatably(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student,variant\nalice,7\nbob,\ncarol\n")
    first = editions.read_roster(roster, seed=1)
    assert first["alice"] == 7 and first == editions.read_roster(roster, seed=1)
    assert all(1 <= first[s] <= 999_999 for s in ("bob", "carol"))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("student\n", "lists no students"),
        ("student\nalice\nalice\n", "listed twice"),
        ("student\n../etc\n", "letters, digits"),
        ("student,variant\nalice,x\n", "whole number"),
    ],
)
def test_a_bad_roster_is_refused_with_a_clear_message(tmp_path, text, match):
    roster = tmp_path / "roster.csv"
    roster.write_text(text)
    with pytest.raises(ValueError, match=match):
        editions.read_roster(roster)


def test_each_learner_gets_the_student_edition_with_their_variant(tmp_path):
    chapter = CHAPTERS[0]
    files = editions.graded_files({"alice": 7, "bob": 8}, tmp_path, [chapter.stem])
    assert (tmp_path / "variants.csv") in files and "alice,7" in files[tmp_path / "variants.csv"]
    nb = json.loads(files[tmp_path / "alice" / chapter.name])
    student = editions.student_notebook(chapter)
    text = [source(c) for c in nb["cells"]]
    assert "assign(variant=7)" in "\n".join(text) and "assign(variant=8)" not in "\n".join(text)
    assert "Graded assignment" in text[1]
    ours = [c for c in nb["cells"] if "graded-variant" in c["metadata"].get("tags", [])]
    assert len(nb["cells"]) == len(student["cells"]) + len(ours)  # its note replaces the student note
    module = helpers.checks.for_chapter(chapter.stem)
    varying = [ex.name for ex in module.EXERCISES if ex.variants is not None]
    assert [source(c).split(".")[1] for c in ours[1:]] == varying
    for name in varying:  # the numbers come right above the answer cell, then the check
        i = next(i for i, t in enumerate(text) if t.startswith(f"checks.{name}.numbers()"))
        assert "exercise-answer" in nb["cells"][i + 1]["metadata"]["tags"]
        assert text[i + 2] == f"checks.{name}.check()"


def test_unknown_chapters_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown chapter"):
        editions.graded_files({"alice": 1}, tmp_path, ["99_nothing"])


TOC = """
format: jb-book
root: book/intro
parts:
  - caption: Getting started
    chapters:
      - file: book/how-to-run
  - caption: Chapters
    numbered: 1
    chapters:
      - file: chapters/01_neuron
      - file: chapters/02_losses
        sections:
          - file: chapters/02b_learning
          - file: chapters/02c_more
      - file: chapters/03_pretraining
"""


def test_toc_numbers_number_the_chapters_and_give_a_section_its_chapters_number():
    assert editions.toc_numbers(TOC) == {
        "chapters/01_neuron": "1",
        "chapters/02_losses": "2",
        "chapters/02b_learning": "2",
        "chapters/02c_more": "2",
        "chapters/03_pretraining": "3",
    }
    book = editions.load_book()
    assert book.numbers["chapters/02b_learning"] == "2" and book.numbers["chapters/05_evaluation"] == "5"


@pytest.mark.parametrize("numbered", ["true", "2"])
def test_a_toc_numbering_deeper_than_the_chapters_is_refused(numbered):
    # Sphinx would number chapter 2's headings 2.1-2.12 and its section page 2.13.
    with pytest.raises(editions.EditionError, match="numbered: 1"):
        editions.toc_numbers(TOC.replace("numbered: 1", f"numbered: {numbered}"))


def test_a_sections_learner_note_names_its_chapter():
    book = editions.load_book()
    assert "It is a section of chapter 2 of" in editions.learner_note(editions.Chapter("02b_learning", book))
    assert "It is chapter 5 of" in editions.learner_note(editions.Chapter("05_evaluation", book))
    zh = editions.load_book("zh_CN")
    assert ")第 2 章中的一节的纯" in editions.learner_note_zh(editions.Chapter("02b_learning", zh))
    assert ")第 5 章的纯" in editions.learner_note_zh(editions.Chapter("05_evaluation", zh))
