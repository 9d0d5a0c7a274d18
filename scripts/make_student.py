"""Generate the student edition: ``student/NN_*.ipynb``, ``_toc_student.yml`` and ``_config_student.yml``.

Usage::

    python scripts/make_student.py           # (re)write student/ and _toc_student.yml
    python scripts/make_student.py --check   # exit 1 if they are out of date (used by a test)

A student notebook is its chapter with

* every solution removed: the Markdown between ```{solution-start}`` and the closing fence
  of ```{solution-end}`` (and any ```{solution}`` block), and every cell in between;
* the answer cells (tag ``exercise-answer``) left as they are, with their ``...``
  placeholder (the script fails if one has none);
* nbgrader metadata on the check cells (tag ``exercise-check``, source
  ``checks.NAME.check()``): a locked autograder-test cell worth ``NAME.points`` from
  ``helpers.checks.chNN``, so that nbgrader can grade a submission (``scripts/grade.py``);
* a note under the title saying that this is the student edition, and no outputs.

``_toc_student.yml`` is ``_toc.yml`` with ``chapters/`` replaced by ``student/`` (and without
the page for instructors; a book page that links to a chapter is copied to ``book/*_student.md``
with its links pointing to the student notebooks): build the
student edition of the book with ``make student-book``. ``_config_student.yml`` is ``_config.yml``
with notebook execution off, so that this build takes seconds.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
STUDENT = ROOT / "student"
TOC, STUDENT_TOC = ROOT / "_toc.yml", ROOT / "_toc_student.yml"
CONFIG, STUDENT_CONFIG = ROOT / "_config.yml", ROOT / "_config_student.yml"

CHECK = re.compile(r"^checks\.([A-Za-z_]\w*)\.check\(\)\s*$")
FENCE = re.compile(r"^(`{3,}|:{3,})\{(solution|solution-start|solution-end)\}")
NOTE = """:::{admonition} Student edition
:class: important
This is the student edition of the chapter: the solutions of the exercises are removed. Write
your answers in the cells marked `...` and run the check under each one.
:::"""


def _source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def _set_source(cell: dict, text: str) -> None:
    cell["source"] = text.splitlines(keepends=True)


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def strip_solutions(cells: list[dict]) -> tuple[list[dict], list[str]]:
    """Remove the solutions from ``cells``; return the kept cells and the removed text.

    Handles gated solutions (``solution-start`` ... ``solution-end``, possibly spanning
    code cells) and plain ``solution`` directives, with backtick or colon fences.
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


def checks_module(chapter: Path):
    """The ``helpers.checks.chNN`` module of ``chapters/NN_*.ipynb``."""
    return importlib.import_module(f"helpers.checks.ch{chapter.name[:2]}")


def student_notebook(chapter: Path) -> dict:
    """The student version of ``chapter`` (a notebook as a JSON dict)."""
    nb = json.loads(chapter.read_text(encoding="utf-8"))
    cells, _ = strip_solutions(nb["cells"])
    module = None
    for cell in cells:
        if cell["cell_type"] == "code":  # committed without outputs, like the chapters
            cell["outputs"], cell["execution_count"] = [], None
        tags = _tags(cell)
        if "exercise-answer" in tags and "..." not in _source(cell):
            raise ValueError(f"{chapter.name}: an exercise-answer cell has no `...` placeholder")
        if "exercise-check" in tags:
            match = CHECK.match(_source(cell).strip())
            if not match:
                raise ValueError(f"{chapter.name}: a check cell must read `checks.NAME.check()`")
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
    note = {"cell_type": "markdown", "id": "student-edition", "metadata": {}, "source": []}
    _set_source(note, NOTE)
    nb["cells"] = cells[:1] + [note] + cells[1:]
    return nb


def solutions(chapter: Path) -> list[str]:
    """The code of each exercise's solution, in order (used to build a correct submission)."""
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


def dumps(nb: dict) -> str:
    """Serialise like nbformat does, so the files are stable."""
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def expected_files() -> dict[Path, str]:
    """Every generated file and its content."""
    files = {
        STUDENT / path.name: dumps(student_notebook(path))
        for path in sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))
    }
    toc = TOC.read_text(encoding="utf-8").replace("chapters/", "student/")
    toc = "".join(ln for ln in toc.splitlines(keepends=True) if "book/for-instructors" not in ln)
    # Pages that link to a chapter get a student copy that links to the student notebook.
    for page in re.findall(r"^\s*-?\s*(?:root|file):\s*(book/\S+)\s*$", toc, flags=re.MULTILINE):
        path = ROOT / f"{page}.md"
        if path.exists() and "../chapters/" in path.read_text(encoding="utf-8"):
            copy_name = f"{page}_student"
            files[ROOT / f"{copy_name}.md"] = (
                f"% Generated by scripts/make_student.py from {page}.md for the student edition. Do not edit.\n"
                + path.read_text(encoding="utf-8").replace("../chapters/", "../student/")
            )
            toc = re.sub(
                rf"((?:root|file):\s*){re.escape(page)}\s*$", rf"\g<1>{copy_name}", toc, flags=re.MULTILINE
            )
    header = "# Generated by scripts/make_student.py from _toc.yml: the student edition. Do not edit.\n"
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
        raise ValueError("_config.yml should set execute_notebooks exactly once")
    config, n = re.subn(
        r"^(\s*)config:\s*$",
        r"\g<0>\n\1  suppress_warnings: [mystnb.glue]  # no outputs, no glue",
        config,
        flags=re.M,
    )
    if n != 1:
        raise ValueError("_config.yml should have one sphinx `config:` section")
    header = "# Generated by scripts/make_student.py from _config.yml: the student book, not executed. Do not edit.\n"
    return header + config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    args = parser.parse_args(argv)
    files = expected_files()
    stale = sorted(p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text)
    extra = sorted(set(STUDENT.glob("*.ipynb")) - set(files))
    if args.check:
        for path in stale + extra:
            print(f"{path.relative_to(ROOT)} is out of date; run `make student`.")
        return 1 if stale or extra else 0
    STUDENT.mkdir(exist_ok=True)
    for path in stale:
        path.write_text(files[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    for path in extra:
        path.unlink()
        print(f"removed {path.relative_to(ROOT)} (its chapter is gone)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
