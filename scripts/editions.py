"""Generate every edition of the chapter notebooks from ``chapters/``, or check that they are current.

Usage::

    python scripts/editions.py                     # (re)write every edition
    python scripts/editions.py --edition learner   # only one edition
    python scripts/editions.py --check             # exit 1 if a generated file is out of date (a test runs this)
    python scripts/editions.py --graded roster.csv --out graded [--chapters 01_neuron]
                                                   # one graded notebook per learner, own variants

An edition is a list of transforms and an output folder. A transform is a pure function
``(notebook, chapter) -> notebook``: it returns a new notebook (a JSON dict) and never changes its
argument; ``chapter`` says which chapter is being transformed and gives read-only access to the
rest of the book (page titles, labels, glossary, bibliography). :func:`Edition.notebook` applies
the transforms in order. The editions:

``student`` (``student/NN_*.ipynb``, plus ``_toc_student.yml``, ``_config_student.yml`` and
``book/*_student.md`` for ``make student-book``)
    the chapter without the solutions of its exercises (gated ``solution-start`` ...
    ``solution-end`` blocks, which may span code cells, and plain ``solution`` blocks), the answer
    cells kept with their ``...`` placeholder (an error if one has none), nbgrader metadata on the
    check cells (``checks.NAME.check()``: a locked autograder test worth ``NAME.points`` from
    ``helpers.checks.chNN``, see ``scripts/grade.py``), and a note under the title. It keeps the
    MyST markup, since it is built into a book.

``learner`` (``learner/NN_*.ipynb``)
    the chapter for Google Colab and any Jupyter without the MyST extension: the same cells and
    code, solutions included, with every MyST construct of the Markdown rewritten as plain
    Markdown (see :func:`myst_to_markdown` for each rule). A construct without a rule is an
    error naming the chapter, the cell and the construct, so nothing slips through unconverted.
    The book's Colab button opens these notebooks (``book/_ext/learner_launch.py``).

Every generated notebook is written as ``nbstripout`` would leave it (no outputs, no execution
counts, cell ids ``"0"``, ``"1"``, ...), so the pre-commit hook does not rewrite it.

``graded`` (``--graded ROSTER``: ``OUT/STUDENT/NN_*.ipynb`` and ``OUT/variants.csv``)
    the student edition for one learner: a cell that assigns the learner's variant of the
    exercises (``helpers.exercises.assign``; solutions and last hints withheld) and, above each
    answer cell of an exercise with variants, a cell that shows its numbers. Not committed: the
    variants file is the instructor's, and ``scripts/grade.py --variants`` grades with it.

Adding an edition (a translation that replaces the Markdown from gettext catalogs, a graded
variant with other numbers) is a few lines: write its transforms, then add
``Edition("zh", ROOT / "zh", (translate(catalogs), *NBSTRIPOUT))`` to
:data:`EDITIONS`.
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import posixpath
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
TOC, CONFIG = ROOT / "_toc.yml", ROOT / "_config.yml"
STUDENT, STUDENT_TOC, STUDENT_CONFIG = (
    ROOT / "student",
    ROOT / "_toc_student.yml",
    ROOT / "_config_student.yml",
)
LEARNER = ROOT / "learner"
LEARNER_ZH = ROOT / "learner_zh"  # the Chinese learner notebooks (Colab and Binder, from the Chinese pages)
SOLUTIONS = ROOT / "helpers" / "checks" / "solutions.json"
GLOSSARY, BIBLIOGRAPHY = ROOT / "book" / "glossary.md", ROOT / "book" / "references.bib"
GLOSSARY_PAGE, REFERENCES_PAGE = "book/glossary", "book/references"
#: Chapter notebooks: 01_neuron.ipynb, and sections with a letter such as 02b_learning.ipynb.
CHAPTER_GLOB = "[0-9][0-9]*_*.ipynb"


def _configured_book_url() -> str | None:
    """``html.baseurl`` of ``_config.yml`` (Jupyter Book's key for where the book is published), if set."""
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8")) if CONFIG.exists() else {}
    url = ((config or {}).get("html") or {}).get("baseurl")
    return url.rstrip("/") + "/" if url else None


# Where the rendered book is published; the learner notebooks link to its pages, glossary and
# references (Colab renders no MyST, so these links replace the book's cross-references).
# _config.yml does not say it yet: this is the GitHub Pages address of its `repository.url`.
# Once `html: baseurl:` is set in _config.yml, that value is used instead.
BOOK_URL = _configured_book_url() or "https://hands-on-transfer-learning.github.io/course/"


@functools.cache
def _translations():
    """``scripts/translations.py``, the Chinese edition's catalogs, as ``scripts.translations``."""
    import importlib

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module("scripts.translations")


class EditionError(ValueError):
    """A chapter cannot be turned into an edition; the message names the chapter and the cause."""


# ---------------------------------------------------------------------------------------------
# Notebooks and cells


def _source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def _set_source(cell: dict, text: str) -> None:
    cell["source"] = text.splitlines(keepends=True)


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _markdown_cell(cell_id: str, text: str) -> dict:
    cell = {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": []}
    _set_source(cell, text)
    return cell


def dumps(nb: dict) -> str:
    """Serialise like nbformat does (sorted keys, one-space indent), so the files are stable."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------------------
# The book around a chapter: what the transforms may read besides the notebook


@dataclass(frozen=True)
class Target:
    """Something a ``{ref}`` or ``{numref}`` can point to: a labelled section or an exercise."""

    docname: str  # the page it is on, e.g. "chapters/06_faq_outlook"
    title: str | None  # the section's heading or the exercise's title (None: there is none)
    number: int | None = None  # an exercise's number in its chapter (None: not numbered)
    exercise: bool = False  # an exercise (else a section, or whatever a `(label)=` precedes)


@dataclass(frozen=True)
class Words:
    """What the learner edition writes in its own words, in the edition's language."""

    exercise: str = "Exercise {n}"
    exercise_unnumbered: str = "Exercise"
    the_exercise: str = "the exercise"
    solution_to: str = "Solution to {name}"
    titled: str = "{heading} ({title})"
    admonitions: Mapping[str, str] = field(default_factory=dict)  # {note} -> "Note" unless given
    glue_directive: str = "*Here the book shows {ref}: see the output of the cell that computes it.*"
    computed: str = "`{name}` (computed {where})"
    above: str = "above"
    below: str = "below"
    chapter: str = "chapter {n}"  # where a page belongs, in the learner notebooks' note
    section_of: str = "a section of chapter {n}"

    def admonition(self, name: str) -> str:
        return self.admonitions.get(name, "See also" if name == "seealso" else name.capitalize())


CHINESE = Words(
    exercise="练习 {n}",
    exercise_unnumbered="练习",
    the_exercise="该练习",
    solution_to="{name}的解答",
    titled="{heading}（{title}）",
    admonitions={
        "attention": "注意",
        "caution": "小心",
        "danger": "危险",
        "error": "错误",
        "hint": "提示",
        "important": "重要",
        "note": "注",
        "seealso": "另见",
        "tip": "提示",
        "warning": "警告",
    },
    glue_directive="*书中此处显示 {ref}：请看计算它的那个单元格的输出。*",
    computed="`{name}`（在{where}计算）",
    above="上文",
    below="下文",
    chapter="第 {n} 章",
    section_of="第 {n} 章中的一节",
)


@dataclass(frozen=True)
class Book:
    """What the learner edition needs to know about the rest of the book."""

    url: str = BOOK_URL
    titles: Mapping[str, str] = field(default_factory=dict)  # docname -> page title
    labels: Mapping[str, Target] = field(default_factory=dict)  # label -> target, over all pages
    glossary: Mapping[str, str] = field(default_factory=dict)  # term in lower case -> term
    references: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # key -> (authors, year)
    numbers: Mapping[str, str] = field(default_factory=dict)  # docname -> its chapter's number, "2"
    language: str = "en"  # "en", or "zh_CN": the Chinese edition (titles and labels translated)
    words: Words = field(default_factory=Words)

    def page_url(self, docname: str, anchor: str = "") -> str:
        return f"{self.url}{docname}.html" + (f"#{anchor}" if anchor else "")


@dataclass(frozen=True)
class Chapter:
    """The chapter a transform works on: its name (``01_neuron``) and the book it belongs to."""

    name: str
    book: Book = field(default_factory=Book)

    @property
    def docname(self) -> str:
        return f"chapters/{self.name}"

    @property
    def number(self) -> str:
        """``01`` for ``01_neuron``, ``02b`` for ``02b_learning`` (see ``helpers.checks``)."""
        from helpers import checks

        return checks.chapter_number(self.name)


Transform = Callable[[dict, Chapter], dict]


@functools.cache
def load_book(language: str = "en") -> Book:
    """The book in this repository: page titles, labels, glossary terms and references.

    With ``language="zh_CN"``, the Chinese edition: titles and labels from the translated
    pages (``locales/zh_CN``), links into the Chinese book, the learner edition's words in Chinese.
    """

    def read(docname: str, markdown: list[str]) -> list[str]:
        if language == "en":
            return markdown
        catalog = _translations().messages(docname)
        return [_translations().translate_markdown(text, catalog) for text in markdown]

    titles: dict[str, str] = {}
    labels: dict[str, Target] = {}
    for path in sorted(CHAPTERS.glob(CHAPTER_GLOB)):
        docname = f"chapters/{path.stem}"
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        markdown = read(docname, [_source(c) for c in cells if c["cell_type"] == "markdown"])
        titles[docname] = _page_title(markdown) or path.stem
        labels.update(targets(markdown, docname))
    for path in sorted((ROOT / "book").glob("*.md")):
        if path.stem.endswith("_student"):
            continue
        docname = f"book/{path.stem}"
        text = read(docname, [path.read_text(encoding="utf-8")])[0]
        titles[docname] = _page_title([text]) or path.stem
        labels.update(targets([text], docname))
    return Book(
        url=BOOK_URL if language == "en" else f"{BOOK_URL}{language}/",
        titles=titles,
        labels=labels,
        glossary=glossary_terms(GLOSSARY.read_text(encoding="utf-8")),
        references=bibliography(BIBLIOGRAPHY),
        numbers=toc_numbers(TOC.read_text(encoding="utf-8")),
        language=language,
        words=Words() if language == "en" else CHINESE,
    )


def toc_numbers(toc: str) -> dict[str, str]:
    """The chapter each page of the numbered parts of a ``_toc.yml`` is numbered as: ``"2"``.

    Chapters are numbered 1, 2, ... across the numbered parts, and a chapter's sections (such
    as ``02b_learning``) map to their chapter's number. The book numbers no deeper than the
    chapters (``numbered: 1``): a deeper numbering would number a chapter's own headings first
    (2.1 to 2.12) and its section page after them (2.13, as the book showed until 2026-12-03).

    Raises
    ------
    EditionError
        If a numbered part numbers deeper than its chapters (``numbered: true`` or ``2``).
    """
    numbers: dict[str, str] = {}
    chapter = 0
    for part in yaml.safe_load(toc).get("parts", []):
        if not part.get("numbered"):
            continue
        if part["numbered"] is True or part["numbered"] != 1:  # True == 1 in Python
            raise EditionError(
                f"_toc.yml numbers part {part.get('caption')!r} with numbered: {part['numbered']!r};"
                " use numbered: 1, so that a chapter's section pages are not numbered after the"
                " chapter's own headings (2.13)"
            )
        for entry in part.get("chapters", []):
            chapter += 1
            numbers[entry["file"]] = str(chapter)
            for section in entry.get("sections", []):
                numbers[section["file"]] = str(chapter)
    return numbers


def _page_title(markdown: list[str]) -> str | None:
    for text in markdown:
        match = re.search(r"^# (.+)$", text, flags=re.M)
        if match:
            return plain_text(match.group(1))
    return None


def targets(markdown: list[str], docname: str) -> dict[str, Target]:
    """The labels defined in the Markdown of one page: ``(label)=`` targets, exercises, ``:name:``.

    Exercises are numbered in the order they appear, as the learner edition shows them
    (``:nonumber:`` ones are not counted).
    """
    found: dict[str, Target] = {}
    number = 0
    for text in markdown:
        lines = text.splitlines()
        for i, line in enumerate(lines):
            label = LABEL_LINE.match(line)
            if label:
                following = next((ln for ln in lines[i + 1 :] if ln.strip()), "")
                heading = HEADING.match(following)
                found[label.group(1)] = Target(docname, plain_text(heading.group(2)) if heading else None)
            opening = OPENING.match(line)
            if not opening:
                continue
            options = _options_after(lines, i + 1)
            title = plain_text(opening.group("argument")) or None
            if opening.group("name") != "exercise":
                if "name" in options:  # a labelled directive: a figure, a table, an admonition
                    found[options["name"]] = Target(docname, title)
            else:
                if "nonumber" not in options:
                    number += 1
                if "label" in options:
                    found[options["label"]] = Target(
                        docname, title, None if "nonumber" in options else number, exercise=True
                    )
    return found


def _options_after(lines: list[str], start: int) -> dict[str, str]:
    options = {}
    for line in lines[start:]:
        match = OPTION.match(line.strip())
        if not match:
            break
        options[match.group(1)] = match.group(2).strip()
    return options


def glossary_terms(text: str) -> dict[str, str]:
    """The terms of the ``{glossary}`` directive in ``text``, keyed by their lower-case form."""
    match = re.search(r"^(`{3,}|:{3,})\{glossary\}[^\n]*\n(.*?)^\1\s*$", text, flags=re.M | re.S)
    if not match:
        raise EditionError("book/glossary.md has no {glossary} directive")
    terms = {}
    for line in match.group(2).splitlines():
        if line.strip() and not line[0].isspace() and not OPTION.match(line):
            term = line.split(" : ")[0].strip()  # "term : classifier"
            terms[" ".join(term.lower().split())] = term
    return terms


def glossary_anchor(term: str) -> str:
    """The HTML id Sphinx gives a glossary term: ``term-`` and the term made an identifier.

    Sphinx (``sphinx.util.nodes.make_id``) keeps letters (capitals too), digits, dots and
    underscores, drops accents and other non-ASCII characters, and turns every other run of
    characters into one hyphen: "batch normalization" -> ``term-batch-normalization``.
    """
    ident = unicodedata.normalize("NFKD", f"term-{term}").encode("ascii", "ignore").decode("ascii")
    ident = re.sub(r"[^a-zA-Z0-9._]+", "-", " ".join(ident.split()))
    return re.sub(r"^[-0-9._]+|-+$", "", ident)


def bibliography(path: Path) -> dict[str, tuple[str, str]]:
    """``key -> (authors, year)`` for every entry of a BibTeX file, authors as the book cites them.

    One author: "Nielsen"; two: "Minsky and Papert"; more: "Goodfellow et al." (the style of
    sphinxcontrib-bibtex's ``author_year``).
    """
    from pybtex.database import parse_file  # installed with jupyter-book

    entries = {}
    for key, entry in parse_file(str(path)).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        last = [_latex_to_text(" ".join(p.prelast_names + p.last_names)) for p in people]
        if not last:
            raise EditionError(f"{path.name}: {key} has no author or editor")
        authors = last[0] if len(last) == 1 else " and ".join(last) if len(last) == 2 else f"{last[0]} et al."
        entries[key] = (authors, entry.fields.get("year", "n.d."))
    return entries


def _latex_to_text(text: str) -> str:
    import latexcodec  # noqa: F401  (registers the "latex" codec; installed with pybtex)

    return text.encode("utf-8").decode("latex").replace("{", "").replace("}", "")


# ---------------------------------------------------------------------------------------------
# Generic transforms


def clear_outputs(nb: dict, chapter: Chapter) -> dict:  # noqa: ARG001
    """Code cells without outputs or execution counts, like the committed chapters."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return nb


# What nbstripout removes besides outputs and counts (its default extra keys).
NBSTRIPOUT_KEYS = {
    "metadata": ("signature", "widgets"),
    "cell": ("collapsed", "ExecuteTime", "execution", "heading_collapsed", "hidden", "scrolled"),
}


def renumber_ids(nb: dict, chapter: Chapter) -> dict:  # noqa: ARG001
    """Cell ids ``"0"``, ``"1"``, ... and none of nbstripout's extra keys: what nbstripout leaves."""
    nb = copy.deepcopy(nb)
    for key in NBSTRIPOUT_KEYS["metadata"]:
        nb.get("metadata", {}).pop(key, None)
    for i, cell in enumerate(nb["cells"]):
        cell["id"] = str(i)
        for key in NBSTRIPOUT_KEYS["cell"]:
            cell.get("metadata", {}).pop(key, None)
    return nb


NBSTRIPOUT = (clear_outputs, renumber_ids)  # the last transforms of every edition


def add_note(cell_id: str, text: Callable[[Chapter], str]) -> Transform:
    """A transform that inserts a Markdown note, ``text(chapter)``, right under the title cell."""

    def transform(nb: dict, chapter: Chapter) -> dict:
        nb = copy.deepcopy(nb)
        nb["cells"] = nb["cells"][:1] + [_markdown_cell(cell_id, text(chapter))] + nb["cells"][1:]
        return nb

    transform.__name__ = f"add_note_{cell_id}"
    return transform


def replace_once(cell_id_hint: str, pattern: re.Pattern, replacement: str) -> Transform:
    """A transform that rewrites the one Markdown passage matching ``pattern`` (an error if not one).

    ``cell_id_hint`` names the transform; the chapter must hold the passage exactly once, so a
    chapter whose wording drifted fails loudly instead of keeping the old text in an edition.
    """

    def transform(nb: dict, chapter: Chapter) -> dict:
        nb = copy.deepcopy(nb)
        found = 0
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                text, n = pattern.subn(replacement, _source(cell))
                if n:
                    _set_source(cell, text)
                    found += n
        if found != 1:
            raise EditionError(
                f"{chapter.name}: expected one passage matching {pattern.pattern!r} "
                f"(for {cell_id_hint}), found {found}."
            )
        return nb

    transform.__name__ = f"replace_{cell_id_hint}"
    return transform


# ---------------------------------------------------------------------------------------------
# The student edition

CHECK = re.compile(r"^checks\.([A-Za-z_]\w*)\.check\(\)\s*$")
FENCE = re.compile(r"^(`{3,}|:{3,})\{(solution|solution-start|solution-end)\}")
STUDENT_NOTE = """:::{admonition} Student edition
:class: important
This is the student edition of the chapter: the solutions of the exercises are removed. Write
your answers in the cells marked `...` and run the check under each one.
:::"""


def strip_solutions(cells: list[dict]) -> tuple[list[dict], list[str]]:
    """Remove the solutions from ``cells``; return the kept cells and the removed text.

    Handles gated solutions (``solution-start`` ... ``solution-end``, possibly spanning
    code cells) and plain ``solution`` directives, with backtick or colon fences. Cells that
    contain no solution are returned as they are.
    """
    kept: list[dict] = []
    removed: list[str] = []
    inside = False  # inside a gated solution (between solution-start and solution-end)
    closing: str | None = None  # the fence that ends the block being dropped
    for cell in cells:
        if cell["cell_type"] != "markdown":
            if inside:
                removed.append(_source(cell))
            else:
                kept.append(cell)
            continue
        lines_out: list[str] = []
        n_removed = len(removed)
        for line in _source(cell).splitlines(keepends=True):
            match = FENCE.match(line)
            if closing is not None:  # dropping until the closing fence of a directive
                removed.append(line)
                if line.strip() == closing:
                    closing = None
                continue
            if match and match.group(2) == "solution-start":
                inside, closing = True, match.group(1)
                removed.append(line)
            elif match and match.group(2) == "solution-end":
                inside, closing = False, match.group(1)
                removed.append(line)
            elif match:  # a plain {solution} block
                closing = match.group(1)
                removed.append(line)
            elif inside:
                removed.append(line)
            else:
                lines_out.append(line)
        if len(removed) == n_removed:  # nothing removed from this cell
            kept.append(cell)
            continue
        text = re.sub(r"\n{3,}", "\n\n", "".join(lines_out)).strip("\n")
        if text:
            cell = copy.deepcopy(cell)
            _set_source(cell, text)
            kept.append(cell)
    if inside or closing is not None:
        raise ValueError("a solution block is not closed (missing solution-end or closing fence)")
    return kept, removed


def remove_solutions(nb: dict, chapter: Chapter) -> dict:
    """The notebook without the solutions of its exercises (see :func:`strip_solutions`)."""
    nb = copy.deepcopy(nb)
    try:
        nb["cells"], _ = strip_solutions(nb["cells"])
    except ValueError as error:
        raise EditionError(f"{chapter.name}: {error}") from None
    return nb


def require_placeholders(nb: dict, chapter: Chapter) -> dict:
    """Check that every answer cell (tag ``exercise-answer``) holds a ``...`` placeholder."""
    for cell in nb["cells"]:
        if "exercise-answer" in _tags(cell) and "..." not in _source(cell):
            raise EditionError(f"{chapter.name}: an exercise-answer cell has no `...` placeholder")
    return nb


def checks_module(chapter: Chapter):
    """The ``helpers.checks.chNN`` module of a chapter."""
    from helpers import checks

    return checks.for_chapter(chapter.name)


def nbgrader_checks(nb: dict, chapter: Chapter) -> dict:
    """nbgrader metadata on every check cell: a locked autograder test worth the exercise's points."""
    nb = copy.deepcopy(nb)
    module = None
    for cell in nb["cells"]:
        if "exercise-check" not in _tags(cell):
            continue
        match = CHECK.match(_source(cell).strip())
        if not match:
            raise EditionError(f"{chapter.name}: a check cell must read `checks.NAME.check()`")
        module = module or checks_module(chapter)
        exercise = getattr(module, match.group(1))
        cell["metadata"]["nbgrader"] = {
            "grade": True,
            "grade_id": exercise.name,
            "locked": True,
            "points": exercise.points,
            "schema_version": 3,
            "solution": False,
            "task": False,
        }
    return nb


def solutions(chapter: Path) -> list[str]:
    """The code of each exercise's gated solution, in order (used to build a correct submission)."""
    nb = json.loads(chapter.read_text(encoding="utf-8"))
    found: list[str] = []
    inside = False
    for cell in nb["cells"]:
        text = _source(cell)
        if cell["cell_type"] == "markdown":
            for line in text.splitlines():
                match = FENCE.match(line)
                if match and match.group(2) == "solution-start":
                    inside = True
                    found.append("")
                elif match and match.group(2) == "solution-end":
                    inside = False
        elif inside:
            found[-1] += text + "\n\n"
    return found


def worked_solutions(nb: dict, chapter: Chapter) -> dict[str, str]:
    """``name -> Markdown``: the worked solution of each checked exercise of ``nb``, as the learner edition writes it.

    A gated solution's text (in plain Markdown, see :func:`myst_to_markdown`) and code cells
    (without ``remove-cell`` guards and without the ``checks.NAME.check()`` line that names the
    exercise) are what ``Exercise.solution()`` shows: the notebook is their only source.
    """
    cells = nb["cells"]
    markdown = [_source(c) for c in cells if c["cell_type"] == "markdown"]
    state = _Conversion(chapter, targets(markdown, chapter.docname), glued_names(cells))
    found: dict[str, str] = {}
    parts: list[str] | None = None  # the solution being read
    name: str | None = None
    for i, cell in enumerate(cells):
        state.cell = i
        if cell["cell_type"] != "markdown":
            if parts is None or "remove-cell" in _tags(cell):
                continue
            code = []
            for line in _source(cell).splitlines():
                match = CHECK.match(line.strip())
                if match:
                    name = match.group(1)
                else:
                    code.append(line)
            text = "\n".join(code).strip("\n")
            if text:
                parts.append(f"```python\n{text}\n```")
            continue
        lines: list[str] = []
        header: str | None = None  # the fence that closes solution-start's options
        for line in _source(cell).splitlines():
            match = FENCE.match(line)
            if header is not None:
                header = None if line.strip() == header else header
            elif match and match.group(2) == "solution-start":
                parts, name, lines, header = [], None, [], match.group(1)
            elif match and match.group(2) == "solution-end":
                if parts is not None:
                    parts.append(convert_cell("\n".join(lines), state))
                    if name is None:
                        raise state.fail("a worked solution without `checks.NAME.check()`")
                    found[name] = re.sub(r"\n{3,}", "\n\n", "\n\n".join(p for p in parts if p.strip()))
                parts, lines = None, []
            elif parts is not None:
                lines.append(line)
        if parts is not None and lines:
            parts.append(convert_cell("\n".join(lines), state))
    return found


def solution_catalogue() -> dict[Path, str]:
    """``helpers/checks/solutions.json``: every chapter's worked solutions, for ``Exercise.solution()``."""
    book = load_book()
    catalogue: dict[str, str] = {}
    for path in sorted(CHAPTERS.glob(CHAPTER_GLOB)):
        nb = json.loads(path.read_text(encoding="utf-8"))
        catalogue.update(worked_solutions(nb, Chapter(path.stem, book)))
    return {SOLUTIONS: json.dumps(catalogue, indent=1, ensure_ascii=False) + "\n"}


def student_book_files() -> dict[Path, str]:
    """``_toc_student.yml``, ``_config_student.yml`` and the student copies of book pages.

    The table of contents is ``_toc.yml`` with ``chapters/`` replaced by ``student/`` and
    without the page for instructors; a book page that links to a chapter gets a copy,
    ``book/NAME_student.md``, that links to the student notebooks instead.
    """
    files: dict[Path, str] = {}
    toc = TOC.read_text(encoding="utf-8").replace("chapters/", "student/")
    toc = "".join(ln for ln in toc.splitlines(keepends=True) if "book/for-instructors" not in ln)
    for page in re.findall(r"^\s*-?\s*(?:root|file):\s*(book/\S+)\s*$", toc, flags=re.MULTILINE):
        path = ROOT / f"{page}.md"
        if path.exists() and "../chapters/" in path.read_text(encoding="utf-8"):
            copy_name = f"{page}_student"
            files[ROOT / f"{copy_name}.md"] = (
                f"% Generated by scripts/editions.py from {page}.md for the student edition. Do not edit.\n"
                + path.read_text(encoding="utf-8").replace("../chapters/", "../student/")
            )
            toc = re.sub(
                rf"((?:root|file):\s*){re.escape(page)}\s*$", rf"\g<1>{copy_name}", toc, flags=re.MULTILINE
            )
    header = "# Generated by scripts/editions.py from _toc.yml: the student edition. Do not edit.\n"
    files[STUDENT_TOC] = header + toc
    files[STUDENT_CONFIG] = student_config()
    return files


def student_config() -> str:
    """``_config.yml`` for the student book: notebooks are not executed, so it builds in seconds.

    The student notebooks have no outputs, so their glued numbers are missing: the warnings for
    those (``mystnb.glue``) are silenced, every other warning still fails the ``-W`` build.
    """
    config = CONFIG.read_text(encoding="utf-8")
    config, n = re.subn(
        r"^(\s*execute_notebooks:\s*)\S+.*$", r'\g<1>"off"  # student book: not executed', config, flags=re.M
    )
    if n != 1:
        raise EditionError("_config.yml should set execute_notebooks exactly once")
    config, n = re.subn(
        r"^(\s*)config:\s*$",
        r"\g<0>\n\1  suppress_warnings: [mystnb.glue]  # no outputs, no glue",
        config,
        flags=re.M,
    )
    if n != 1:
        raise EditionError("_config.yml should have one sphinx `config:` section")
    # The student book has no Chinese twin to link to (book/_ext/editions_language.py).
    config = re.sub(r"^\s*editions_language:.*\n", "", config, flags=re.M)
    header = (
        "# Generated by scripts/editions.py from _config.yml: the student book, not executed. Do not edit.\n"
    )
    return header + config


# ---------------------------------------------------------------------------------------------
# The Chinese book: the same pages, translated by Sphinx from locales/zh_CN

ZH_CONFIG = ROOT / "_config_zh.yml"
ZH_TITLE = "动手学迁移学习"
ZH_FOOTER = """<p>代码采用 MIT 许可证；文字与图采用
<a href="https://creativecommons.org/licenses/by/4.0/deed.zh-hans">CC BY 4.0</a>
许可（见仓库中的 LICENSE 与 LICENSE-TEXT）。</p>
"""


def zh_config() -> str:
    """``_config.yml`` for the Chinese book (``make book`` builds it into ``_build/html/zh_CN``).

    The same pages and table of contents with ``language: zh_CN``, so Sphinx translates every
    message from ``locales/zh_CN`` (``scripts/translations.py``), and the English build's
    execution cache, so the chapters are not executed a second time: their code, outputs and
    glued numbers are the English edition's.
    """
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    config["title"] = ZH_TITLE
    config["execute"]["cache"] = "_build/.jupyter_cache"  # the English build's (its default place)
    config["html"]["extra_footer"] = ZH_FOOTER
    sphinx = config["sphinx"]["config"]
    sphinx["language"] = "zh_CN"
    if "locale_dirs" not in sphinx:
        raise EditionError("_config.yml should set sphinx.config.locale_dirs (the translation catalogs)")
    header = (
        "# Generated by scripts/editions.py from _config.yml: the Chinese book (make book). Do not edit.\n"
    )
    return header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)


# ---------------------------------------------------------------------------------------------
# The learner edition: MyST -> plain Markdown

OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})\{(?P<name>[^}\s]+)\}(?P<argument>.*)$")
CODE_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
OPTION = re.compile(r"^:([A-Za-z][\w-]*):(.*)$")
LABEL_LINE = re.compile(r"^\s{0,3}\(([^()\s]+)\)=\s*$")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
COMMENT_LINE = re.compile(r"^\s{0,3}%")
MATH_LABEL = re.compile(r"^(\s*\$\$)\s*\([^()\s]+\)\s*$")  # dollarmath's "$$ (label)"
# A role followed by its content, or a bare code span (left alone: code is literal).
INLINE = re.compile(r"(?:\{(?P<role>[A-Za-z][\w:+-]*)\})?(?P<ticks>`+)(?P<body>.+?)(?P=ticks)", re.S)
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)

ADMONITIONS = (
    "attention",
    "caution",
    "danger",
    "error",
    "hint",
    "important",
    "note",
    "seealso",
    "tip",
    "warning",
)

# What a learner notebook must not contain any more (checked after the conversion, and by a test).
LEFTOVERS = {
    "a MyST directive": re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\{", re.M),
    "a MyST role": re.compile(r"\{[A-Za-z][\w:+-]*\}`"),
    "a MyST target": re.compile(r"^\s*\([^()\s]+\)=\s*$", re.M),
    "a glue reference": re.compile(r"\{glue"),
    "a MyST substitution": re.compile(r"\{\{[^{}]*\}\}"),
}

LEARNER_NOTE = """> **This notebook is for Colab and Jupyter**
>
> It is {where} of [Hands-On Transfer Learning]({url}) in plain Markdown: the same text and
> code, with links to the [book's glossary]({glossary}) and references. After each exercise and
> its answer cells comes the solution, folded under *Solution to Exercise N* (click to open), and
> the solution's code: try the exercise first. Where the book prints a number that the code
> computes, this notebook shows the value's name in code font, such as `test_acc` (computed
> above): run the code cell that computes it, or read the number in
> [this chapter of the book]({page})."""


#: The chapters' "Run this chapter" box sends the reader to the rocket icon of the book's page,
#: which a learner notebook does not have: it is already open.
ROCKET = re.compile(
    r"Use the rocket icon at the top of the page to open this notebook in Binder or Colab, or run it"
    r"\s+locally \(see \{doc\}`\.\./book/how-to-run`\)\."
)
LEARNER_RUN = (
    "This is the chapter's learner notebook: run its cells from the top (to run it in Binder or on\n"
    "your own machine instead, see {doc}`../book/how-to-run`)."
)


def _is_section(chapter: Chapter) -> bool:
    """A section of a chapter (``02b_learning``), not a chapter: its number has a letter."""
    return not chapter.number.isdigit()


def _chapter_number(chapter: Chapter) -> str:
    """The number of the chapter a page is (or belongs to), as the book shows it: ``"2"``."""
    return chapter.book.numbers.get(chapter.docname, str(int(chapter.number[:2])))


def _where(chapter: Chapter, words: Words) -> str:
    """Which chapter a page is, or belongs to, in the edition's words: "a section of chapter 2"."""
    return (words.section_of if _is_section(chapter) else words.chapter).format(n=_chapter_number(chapter))


def learner_note(chapter: Chapter) -> str:
    book = chapter.book
    return LEARNER_NOTE.format(
        where=_where(chapter, Words()),
        url=book.url,
        glossary=book.page_url(GLOSSARY_PAGE),
        page=book.page_url(chapter.docname),
    )


ZH_LEARNER_NOTE = """> **本笔记本供 Colab 和 Jupyter 使用**
>
> 这是[动手学迁移学习]({url}){where}的纯 Markdown 版本：文字和代码与书中相同，
> 并链接到[书中的术语表]({glossary})和参考文献。每道练习及其作答单元格之后是折叠起来的
> 解答（*练习 N 的解答*，点击展开）和解答的代码：请先自己做练习。书中由代码计算出的数字，
> 在本笔记本中显示为代码字体的变量名，例如 `test_acc`（在上文计算）：运行计算它的代码
> 单元格即可看到，也可以在[书中本章]({page})读到这个数字。"""

#: The translated "Run this chapter" sentence that sends the reader to the rocket icon.
ZH_ROCKET = re.compile(r"[^。\n>]*火箭图标[^。]*。")
ZH_LEARNER_RUN = "这是本章的学习者笔记本：从头依次运行它的单元格即可（如要改在 Binder 或自己的电脑上运行，见{doc}`../book/how-to-run`）。"


def learner_note_zh(chapter: Chapter) -> str:
    book = chapter.book
    return ZH_LEARNER_NOTE.format(
        where=_where(chapter, CHINESE),
        url=book.url,
        glossary=book.page_url(GLOSSARY_PAGE),
        page=book.page_url(chapter.docname),
    )


FIGURE_TEXT_ZH = ROOT / "helpers" / "figures_zh_CN.json"
VECTOR_FIGURES = re.compile(r"^plots\.vector_figures\(\)", re.M)


def figure_text_zh() -> str:
    """``helpers/figures_zh_CN.json``: the figures' text in Chinese, for ``plots.vector_figures``.

    From ``locales/zh_CN/LC_MESSAGES/figures.po``: every translated figure string (alt texts
    are not drawn, so they are left out: the long descriptions the notebook never shows).
    """
    translations = _translations()
    try:
        figures = translations.messages(translations.FIGURES)
    except translations.CatalogError as error:
        raise EditionError(f"{error} (after `make book`)") from error
    alts = set(translations.alt_texts())
    table = {
        english: chinese for english, chinese in figures.items() if chinese != english and english not in alts
    }
    return json.dumps(dict(sorted(table.items())), ensure_ascii=False, indent=1) + "\n"


def chinese_figures(nb: dict, chapter: Chapter) -> dict:  # noqa: ARG001
    """The chapter's ``plots.vector_figures()`` call asks for the figures' text in Chinese."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and VECTOR_FIGURES.search(_source(cell)):
            _set_source(cell, VECTOR_FIGURES.sub('plots.vector_figures(language="zh_CN")', _source(cell)))
    return nb


def translate(nb: dict, chapter: Chapter) -> dict:
    """Every Markdown cell of ``nb`` in Chinese, from the chapter's catalog in ``locales/zh_CN``.

    Code cells are the chapter's own. A message without a translation is an error naming it
    (``make translations``, then translate it), so no English paragraph slips into the edition.
    """
    translations = _translations()
    nb = copy.deepcopy(nb)
    try:
        catalog = translations.messages(chapter.docname)
    except translations.CatalogError as error:
        raise EditionError(f"{chapter.name}: {error}") from None
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        missing: list[str] = []
        _set_source(cell, translations.translate_markdown(_source(cell), catalog, missing))
        if missing:
            raise EditionError(
                f"{chapter.name}, cell {i}: no Chinese translation of {missing[0][:80]!r}: run "
                "`make translations` and translate it in "
                f"locales/zh_CN/LC_MESSAGES/{chapter.docname}.po"
            )
    return nb


@dataclass
class _Conversion:
    """What the conversion of one notebook carries from cell to cell."""

    chapter: Chapter
    local: Mapping[str, Target]  # the labels of this notebook
    glued: Mapping[str, int]  # glue name -> index of the first code cell that glues it
    cell: int = 0  # index of the cell being converted
    exercises: int = 0  # exercises seen so far
    solution: str | None = None  # the label of the gated solution we are inside

    def fail(self, what: str, no_rule: bool = False) -> EditionError:
        """An error naming the chapter, the cell and ``what``; ``no_rule``: a construct without a rule."""
        hint = (
            ". The learner edition (scripts/editions.py) has no plain-Markdown rule for it: add one "
            "there, or write the cell without it."
            if no_rule
            else "."
        )
        return EditionError(f"{self.chapter.name}, cell {self.cell}: {what}{hint}")


def glued_names(cells: list[dict]) -> dict[str, int]:
    """``name -> index`` of the first code cell that calls ``glue("name", ...)``."""
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "code":
            for name in re.findall(r"""\bglue\(\s*["']([A-Za-z0-9_]+)["']""", _source(cell)):
                found.setdefault(name, i)
    return found


def myst_to_markdown(nb: dict, chapter: Chapter) -> dict:
    """Every Markdown cell of ``nb`` in plain Markdown, for Colab. The rules:

    * admonitions (``{admonition}`` with a title, ``{note}``, ``{tip}``, ...) -> a blockquote
      with a bold title; with ``:class: dropdown``, a ``<details>`` block;
    * ``{exercise}`` -> a blockquote titled "**Exercise N (title)**", numbered in the chapter;
    * solutions (gated ``{solution-start}`` ... ``{solution-end}``, or ``{solution}``) -> their
      text in a ``<details>`` block, "Solution to Exercise N (title)"; code cells stay as they are;
    * ``{term}`` -> a link to the term in the book's glossary;
    * ``{doc}`` -> a link to the sibling learner notebook for a chapter, to the book's page otherwise;
    * ``{ref}``/``{numref}`` -> the section title or "Exercise N" as plain text when the target is
      in this notebook, a link to the notebook or book page that holds it otherwise;
    * ``{cite:t}`` -> "Author (Year)", ``{cite}``/``{cite:p}`` -> "(Author, Year)", linked to the
      book's references;
    * ``{glue:text}``, ``{glue:md}``, ``{glue}`` -> the value's name in code font and "(computed
      above)" (or "below"): the value is not stored in the notebook; ``{glue:figure}`` and the other
      glue directives -> a sentence pointing to the cell that draws it;
    * ``{math}`` role and directive -> ``$...$`` and ``$$...$$``; ``(label)=`` targets, labels of
      ``$$`` blocks and ``%`` comments are removed.

    Code spans and code blocks are copied as they are. Anything else in braces is an error.
    Markdown cells left empty are dropped.
    """
    cells = nb["cells"]
    markdown = [_source(c) for c in cells if c["cell_type"] == "markdown"]
    state = _Conversion(chapter, targets(markdown, chapter.docname), glued_names(cells))
    out = []
    for i, cell in enumerate(cells):
        state.cell = i
        if cell["cell_type"] != "markdown":
            out.append(cell)
            continue
        text = convert_cell(_source(cell), state)
        if text.strip():
            cell = copy.deepcopy(cell)
            _set_source(cell, text)
            out.append(cell)
    if state.solution is not None:
        raise state.fail(f"the solution of {state.solution} has no solution-end")
    return {**nb, "cells": out}


def convert_cell(text: str, state: _Conversion) -> str:
    """One Markdown cell in plain Markdown; the text of gated solutions goes in ``<details>`` blocks."""
    # The cell in parts: (label of the solution it belongs to or None, whether it opens it, lines).
    parts: list[tuple[str | None, bool, list[str]]] = [(state.solution, False, [])]
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = OPENING.match(lines[i])
        if match and match.group("name") in ("solution-start", "solution-end"):
            block, i = _read_block(lines, i, match, state)
            if match.group("name") == "solution-start":
                if state.solution is not None:
                    raise state.fail(f"a solution-start inside the solution of {state.solution}")
                state.solution = block.argument
                parts.append((state.solution, True, []))
            else:
                if state.solution is None:
                    raise state.fail("a solution-end without a solution-start")
                state.solution = None
                parts.append((None, False, []))
            continue
        converted, i = _convert_block(lines, i, state)
        parts[-1][2].extend(converted)
    rendered = []
    for n, (label, opens, body) in enumerate(parts):
        body_text = "\n".join(body).strip("\n")
        if label is None:
            rendered.append(body_text)
            continue
        continues = n == len(parts) - 1 and state.solution == label  # into the next cells
        if not (body_text.strip() or opens or continues):
            continue
        if continues:
            body_text += "\n\n*The solution continues in the next cell.*"
        title = _solution_title(label, state) + ("" if opens else ", continued")
        rendered.append(_details(title, body_text))
    return re.sub(r"\n{3,}", "\n\n", "\n\n".join(p for p in rendered if p.strip())).strip("\n")


def _details(title: str, body: str) -> str:
    return f"<details>\n<summary><b>{title}</b></summary>\n\n{body.strip()}\n\n</details>"


def _solution_title(label: str, state: _Conversion) -> str:
    target = state.local.get(label)
    if target is None or not target.exercise:
        raise state.fail(f"a solution for {label!r}, which is no exercise of this chapter")
    words = state.chapter.book.words
    name = words.exercise.format(n=target.number) if target.number is not None else words.the_exercise
    title = words.solution_to.format(name=name)
    return words.titled.format(heading=title, title=target.title) if target.title else title


@dataclass(frozen=True)
class _Block:
    indent: str
    name: str
    argument: str
    options: dict[str, str]
    body: list[str]


def _read_block(lines: list[str], i: int, match: re.Match, state: _Conversion) -> tuple[_Block, int]:
    """The directive that opens at ``lines[i]``: its argument, options and body; and the next index."""
    indent, fence = match.group("indent"), match.group("fence")
    closing = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    j = i + 1
    while j < len(lines) and not closing.match(lines[j]):
        j += 1
    if j == len(lines):
        raise state.fail(f"the {{{match.group('name')}}} directive is not closed (no {fence} line)")
    body = [ln[len(indent) :] if ln.startswith(indent) else ln.lstrip() for ln in lines[i + 1 : j]]
    options: dict[str, str] = {}
    if body and body[0].strip() == "---":  # options as a YAML block
        end = next((k for k in range(1, len(body)) if body[k].strip() == "---"), None)
        if end is None:
            raise state.fail(f"the options of {{{match.group('name')}}} have no closing ---")
        options = {str(k): str(v) for k, v in (yaml.safe_load("\n".join(body[1:end])) or {}).items()}
        body = body[end + 1 :]
    else:
        while body and OPTION.match(body[0].strip()):
            key, value = OPTION.match(body[0].strip()).groups()
            options[key] = value.strip()
            body = body[1:]
    return _Block(indent, match.group("name"), match.group("argument").strip(), options, body), j + 1


def _convert_block(lines: list[str], i: int, state: _Conversion) -> tuple[list[str], int]:
    """Convert the block that starts at ``lines[i]``; return its lines and the next index."""
    directive = OPENING.match(lines[i])
    if directive:
        block, after = _read_block(lines, i, directive, state)
        return [block.indent + ln if ln else ln for ln in _directive(block, state)], after
    if lines[i].lstrip().startswith(":::"):
        raise state.fail(f"a ::: fence without a {{directive}}: {lines[i].strip()!r}")
    code = CODE_FENCE.match(lines[i])
    if code:  # a code block: copied as it is
        fence = code.group("fence")
        closing = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        return lines[i : j + 1], j + 1
    # A run of ordinary lines, up to the next fence; roles may span lines within it.
    j, in_math, kept = i, False, []
    while j < len(lines) and not (OPENING.match(lines[j]) or CODE_FENCE.match(lines[j])):
        line = lines[j]
        if lines[j].lstrip().startswith(":::"):
            break
        if line.strip().startswith("$$"):
            if line.strip() == "$$" or MATH_LABEL.match(line):  # a line that opens or closes a block
                in_math = not in_math
            line = MATH_LABEL.sub(r"\1", line)
        if not in_math and (LABEL_LINE.match(line) or COMMENT_LINE.match(line)):
            j += 1
            continue
        kept.append(line)
        j += 1
    return convert_inline("\n".join(kept), state).split("\n") if kept else [], j


def _quote(lines: list[str]) -> list[str]:
    return [f"> {ln}" if ln.strip() else ">" for ln in lines]


def _convert_body(body: list[str], state: _Conversion) -> list[str]:
    out, i = [], 0
    while i < len(body):
        if OPENING.match(body[i]) and OPENING.match(body[i]).group("name").startswith("solution-"):
            raise state.fail("a gated solution inside another directive")
        block_lines, i = _convert_block(body, i, state)
        out.extend(block_lines)
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return out


def _directive(block: _Block, state: _Conversion) -> list[str]:
    """A directive (other than gated solutions) as plain Markdown lines."""
    name = block.name
    if name == "admonition" or name in ADMONITIONS:
        words = state.chapter.book.words
        title = convert_inline(block.argument, state) if block.argument else words.admonition(name)
        body = _convert_body(block.body, state)
        if "dropdown" in block.options.get("class", "").split():
            return _details(title, "\n".join(body)).split("\n")
        return _quote([f"**{title}**", "", *body])
    if name == "exercise":
        words = state.chapter.book.words
        if "nonumber" in block.options:
            heading = words.exercise_unnumbered
        else:
            state.exercises += 1
            heading = words.exercise.format(n=state.exercises)
        if block.argument:
            heading = words.titled.format(heading=heading, title=convert_inline(block.argument, state))
        return _quote([f"**{heading}**", "", *_convert_body(block.body, state)])
    if name == "solution":
        title = _solution_title(block.argument, state)
        return _details(title, "\n".join(_convert_body(block.body, state))).split("\n")
    if name == "math":
        return ["$$", *block.body, "$$"]
    if name.startswith("glue"):
        ref = _glue_reference(block.argument, state)
        shown = state.chapter.book.words.glue_directive.format(ref=ref)
        return [shown, "", *_convert_body(block.body, state)]
    raise state.fail(f"the MyST directive {{{name}}}", no_rule=True)


def plain_text(text: str) -> str:
    """``text`` with every role replaced by its visible text (for titles and link texts)."""

    def visible(match: re.Match) -> str:
        role, body = match.group("role"), " ".join(match.group("body").split())
        if not role:
            return match.group(0)
        if role.startswith("glue"):
            return f"`{body.split(':')[0]}`"
        text, target = _split(body)
        return text or target

    return INLINE.sub(visible, text).strip()


def convert_inline(text: str, state: _Conversion) -> str:
    """``text`` with every MyST role replaced by plain Markdown; code spans are left alone."""

    def replace(match: re.Match) -> str:
        role = match.group("role")
        if role is None:
            return match.group(0)
        body = " ".join(match.group("body").split())
        handler = ROLES.get(role)
        if handler is None:
            raise state.fail(f"the MyST role {{{role}}}`{body}`", no_rule=True)
        return handler(role, body, state)

    return INLINE.sub(replace, text)


def _link(text: str, url: str) -> str:
    text = text.replace("[", r"\[").replace("]", r"\]")
    return f"[{text}]({url})"


def _split(body: str) -> tuple[str | None, str]:
    explicit = EXPLICIT.match(body)
    return (explicit.group("text"), explicit.group("target").strip()) if explicit else (None, body)


def _term(role: str, body: str, state: _Conversion) -> str:  # noqa: ARG001
    text, target = _split(body)
    glossary = state.chapter.book.glossary
    term = glossary.get(" ".join(target.lower().split()))
    if term is None:
        raise state.fail(f"the term {target!r}, which is not in book/glossary.md")
    book = state.chapter.book
    return _link(text or target, book.page_url(GLOSSARY_PAGE, glossary_anchor(term)))


def _doc(role: str, body: str, state: _Conversion) -> str:  # noqa: ARG001
    text, target = _split(body)
    here = posixpath.dirname(state.chapter.docname)
    docname = (
        target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(here, target))
    )
    book = state.chapter.book
    if docname not in book.titles:
        raise state.fail(f"{{doc}}`{body}`: there is no page {docname}")
    title = text or book.titles[docname]
    if docname.startswith("chapters/"):  # the learner notebook of that chapter, next to this one
        return _link(title, f"{posixpath.basename(docname)}.ipynb")
    return _link(title, book.page_url(docname))


def _ref(role: str, body: str, state: _Conversion) -> str:
    text, label = _split(body)
    local = label in state.local
    target = state.local.get(label) or state.chapter.book.labels.get(label)
    if target is None:
        raise state.fail(f"{{{role}}}`{body}`: no label {label!r} in the book")
    number = state.chapter.book.words.exercise.format(n=target.number) if target.number is not None else None
    if text is not None:
        shown = text.replace("{number}", str(target.number)).replace("%s", str(target.number))
    elif number is not None:
        shown = number
    elif target.title:
        shown = f"*{target.title}*" if local else target.title
    else:
        raise state.fail(f"{{{role}}}`{body}`: {label!r} labels no heading, so the reference needs a text")
    if local:  # the target is in this notebook: no link out of it
        return shown
    if target.docname.startswith("chapters/"):
        return _link(shown, f"{posixpath.basename(target.docname)}.ipynb")
    return _link(shown, state.chapter.book.page_url(target.docname, label))


def _cite(role: str, body: str, state: _Conversion) -> str:
    book = state.chapter.book
    cited = []
    for key in (k.strip() for k in body.split(",")):
        if key not in book.references:
            raise state.fail(f"{{{role}}}`{body}`: {key!r} is not in book/references.bib")
        cited.append(book.references[key])
    url = book.page_url(REFERENCES_PAGE)
    if role == "cite:t":
        return ", ".join(_link(f"{authors} ({year})", url) for authors, year in cited)
    return "(" + "; ".join(_link(f"{authors}, {year}", url) for authors, year in cited) + ")"


def _glue_reference(body: str, state: _Conversion) -> str:
    name = body.split(":")[0].strip()
    if name not in state.glued:
        raise state.fail(f"the glued value {name!r}, which no code cell of this chapter glues")
    words = state.chapter.book.words
    where = words.above if state.glued[name] < state.cell else words.below
    return words.computed.format(name=name, where=where)


def _glue(role: str, body: str, state: _Conversion) -> str:  # noqa: ARG001
    return _glue_reference(body, state)


def _math(role: str, body: str, state: _Conversion) -> str:  # noqa: ARG001
    return f"${body}$"


ROLES: dict[str, Callable[[str, str, _Conversion], str]] = {
    "term": _term,
    "doc": _doc,
    "ref": _ref,
    "numref": _ref,
    "cite": _cite,
    "cite:p": _cite,
    "cite:t": _cite,
    "glue": _glue,
    "glue:any": _glue,
    "glue:text": _glue,
    "glue:md": _glue,
    "math": _math,
}


def require_plain_markdown(nb: dict, chapter: Chapter) -> dict:
    """Check that no Markdown cell has MyST left in it (a rule that missed something)."""
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for what, pattern in LEFTOVERS.items():
            match = pattern.search(_source(cell))
            if match:
                raise EditionError(f"{chapter.name}, cell {i}: {what} is left: {match.group(0)!r}")
    return nb


# ---------------------------------------------------------------------------------------------
# The editions


@dataclass(frozen=True)
class Edition:
    """An edition: the transforms that make one of its notebooks from a chapter, and where they go."""

    name: str
    folder: Path
    transforms: tuple[Transform, ...]
    extra_files: Callable[[], dict[Path, str]] = dict  # other generated files (a toc, a config)
    language: str = "en"  # the book its notebooks link to and whose words they use (load_book)

    def notebook(self, nb: dict, chapter: Chapter) -> dict:
        for transform in self.transforms:
            nb = transform(nb, chapter)
        return nb

    def files(self, chapters: list[Path], book: Book) -> dict[Path, str]:
        """Every file of this edition and its content."""
        files = {}
        for path in chapters:
            nb = json.loads(path.read_text(encoding="utf-8"))
            files[self.folder / path.name] = dumps(self.notebook(nb, Chapter(path.stem, book)))
        return {**files, **self.extra_files()}


EDITIONS = (
    Edition(
        "student",
        STUDENT,
        (
            remove_solutions,
            require_placeholders,
            nbgrader_checks,
            add_note("student-edition", lambda chapter: STUDENT_NOTE),
            *NBSTRIPOUT,
        ),
        student_book_files,
    ),
    Edition(
        "learner",
        LEARNER,
        (
            add_note("learner-edition", learner_note),
            replace_once("launch_sentence", ROCKET, LEARNER_RUN),
            myst_to_markdown,
            require_plain_markdown,
            *NBSTRIPOUT,
        ),
        solution_catalogue,
    ),
    Edition(
        "learner_zh",
        LEARNER_ZH,
        (
            translate,
            chinese_figures,
            add_note("learner-edition", learner_note_zh),
            replace_once("launch_sentence", ZH_ROCKET, ZH_LEARNER_RUN),
            myst_to_markdown,
            require_plain_markdown,
            *NBSTRIPOUT,
        ),
        lambda: {ZH_CONFIG: zh_config(), FIGURE_TEXT_ZH: figure_text_zh()},
        language="zh_CN",
    ),
)


# ---------------------------------------------------------------------------------------------
# Graded variants: the student edition, one notebook per learner, each with its own numbers

GRADED_NOTE = """:::{admonition} Graded assignment
:class: important
This notebook is your graded copy of the chapter. Some exercises have **your own numbers**,
shown under them; they replace the numbers in the exercise's text. The worked solutions and the
last hint of each exercise are not available. Do not change the cell that calls `assign`.
:::"""

ASSIGN_CELL = """from helpers.exercises import assign

assign(variant={variant})  # your variant of the exercises: do not change this cell"""


def _code_cell(cell_id: str, text: str, tags: list[str]) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": cell_id,
        "metadata": {"tags": tags},
        "outputs": [],
        "source": text,
    }


def assign_variant(variant: int) -> Transform:
    """A transform that sets the exercises' variant right after the chapter imports its checks,
    and shows each varying exercise's numbers (``checks.NAME.numbers()``) above its answer cell."""

    def transform(nb: dict, chapter: Chapter) -> dict:
        module = checks_module(chapter)
        cells: list[dict] = []
        assigned = False
        for cell in nb["cells"]:
            match = CHECK.match(_source(cell).strip()) if "exercise-check" in _tags(cell) else None
            if match and getattr(module, match.group(1)).variants is not None:
                answer = cells.pop()  # the answer cell just before its check
                numbers = f"checks.{match.group(1)}.numbers()  # the numbers of your variant"
                cells += [_code_cell(f"numbers-{match.group(1)}", numbers, ["graded-variant"]), answer]
            cells.append(cell)
            if not assigned and f"from helpers.checks import ch{chapter.number} as checks" in _source(cell):
                cells.append(
                    _code_cell("assign-variant", ASSIGN_CELL.format(variant=variant), ["graded-variant"])
                )
                assigned = True
        if not assigned:
            raise EditionError(f"{chapter.name}: no cell imports its checks, so no variant can be assigned")
        return {**nb, "cells": cells}

    transform.__name__ = f"assign_variant_{variant}"
    return transform


def graded_edition(variant: int, folder: Path) -> Edition:
    """The graded copy of the chapters for one learner: the student edition with ``variant``."""
    return Edition(
        f"graded-{variant}",
        folder,
        (
            remove_solutions,
            require_placeholders,
            nbgrader_checks,
            assign_variant(variant),
            add_note("graded-assignment", lambda chapter: GRADED_NOTE),
            *NBSTRIPOUT,
        ),
    )


def read_roster(path: Path, seed: int | None = None) -> dict[str, int]:
    """``student -> variant`` from a CSV with a ``student`` column and, optionally, ``variant``.

    Students without a variant get a random one in 1..999,999 (``seed`` makes it repeatable);
    variant 0 is the book's, whose answers are public.
    """
    import csv
    import random

    rng = random.Random(seed)
    roster: dict[str, int] = {}
    with Path(path).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            student = (row.get("student") or "").strip()
            if not re.fullmatch(r"[A-Za-z0-9_.-]+", student):
                raise ValueError(
                    f"{path}: a student name must be letters, digits, '_', '.' or '-'; got {student!r}"
                )
            if student in roster:
                raise ValueError(f"{path}: {student} is listed twice")
            given = (row.get("variant") or "").strip()
            if given and not given.isdigit():
                raise ValueError(f"{path}: the variant of {student} must be a whole number, got {given!r}")
            roster[student] = int(given) if given else rng.randint(1, 999_999)
    if not roster:
        raise ValueError(f"{path} lists no students (a CSV with a `student` column)")
    return roster


def graded_files(roster: Mapping[str, int], out: Path, names: list[str] | None = None) -> dict[Path, str]:
    """Every learner's graded notebooks (``out/STUDENT/NN_*.ipynb``) and ``out/variants.csv``."""
    book = load_book()
    selected = [p for p in chapters() if not names or p.stem in names]
    if names and len(selected) != len(set(names)):
        raise ValueError(f"unknown chapter(s): {sorted(set(names) - {p.stem for p in selected})}")
    files: dict[Path, str] = {}
    for student, variant in roster.items():
        files.update(graded_edition(variant, out / student).files(selected, book))
    lines = ["student,variant"] + [f"{student},{variant}" for student, variant in roster.items()]
    files[out / "variants.csv"] = "\n".join(lines) + "\n"
    return files


def edition(name: str) -> Edition:
    return next(e for e in EDITIONS if e.name == name)


def student_notebook(chapter: Path) -> dict:
    """The student version of ``chapter`` (a notebook as a JSON dict)."""
    nb = json.loads(chapter.read_text(encoding="utf-8"))
    return edition("student").notebook(nb, Chapter(chapter.stem, load_book()))


def learner_notebook(chapter: Path) -> dict:
    """The learner version of ``chapter`` (a notebook as a JSON dict)."""
    nb = json.loads(chapter.read_text(encoding="utf-8"))
    return edition("learner").notebook(nb, Chapter(chapter.stem, load_book()))


def chapters() -> list[Path]:
    return sorted(CHAPTERS.glob(CHAPTER_GLOB))


def expected_files(editions: tuple[Edition, ...] = EDITIONS) -> dict[Path, str]:
    """Every generated file of ``editions`` and its content."""
    return {path: text for e in editions for path, text in e.files(chapters(), load_book(e.language)).items()}


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    parser.add_argument("--edition", choices=[e.name for e in EDITIONS], help="only this edition")
    parser.add_argument("--graded", type=Path, metavar="ROSTER", help="write graded variants for a class")
    parser.add_argument("--out", type=Path, default=Path("graded"), help="with --graded: where to write")
    parser.add_argument("--chapters", nargs="*", help="with --graded: only these chapters (01_neuron ...)")
    parser.add_argument("--seed", type=int, help="with --graded: seed for the variants the roster leaves out")
    args = parser.parse_args(argv)
    if args.graded:
        try:
            files = graded_files(read_roster(args.graded, args.seed), args.out, args.chapters)
        except (EditionError, ValueError, OSError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        print(f"wrote {len(files) - 1} notebooks and {_shown(args.out / 'variants.csv')} (keep it private)")
        return 0
    editions = tuple(e for e in EDITIONS if args.edition in (None, e.name))
    try:
        files = expected_files(editions)
    except EditionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    stale = sorted(p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text)
    extra = sorted({p for e in editions for p in e.folder.glob("*.ipynb")} - set(files))
    if args.check:
        for path in stale + extra:
            print(f"{_shown(path)} is out of date; run `make editions`.")
        return 1 if stale or extra else 0
    for path in stale:
        path.parent.mkdir(exist_ok=True)
        path.write_text(files[path], encoding="utf-8")
        print(f"wrote {_shown(path)}")
    for path in extra:
        path.unlink()
        print(f"removed {_shown(path)} (its chapter is gone)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
