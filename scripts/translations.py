"""The Chinese edition's translation catalogs: refresh them from the English text, or check them.

Usage::

    python scripts/translations.py           # refresh locales/zh_CN from the English pages (make translations)
    python scripts/translations.py --check   # exit 1 if a catalog is stale, untranslated, fuzzy or inconsistent

The catalogs are Sphinx's own (``sphinx-build -b gettext``, then ``sphinx-intl update``): one
``.po`` file per page under ``locales/zh_CN/LC_MESSAGES/``, one message per paragraph, heading,
list item, table cell, admonition title or caption, with the MyST source of that element as its
``msgid``. The Chinese book (``_config_zh.yml``) and the Chinese learner notebooks
(``scripts/editions.py``, edition ``zh``) both read them, so a sentence is translated once.

Refreshing extracts the messages without executing a chapter (the text does not depend on the
outputs), merges them into the catalogs (a changed English message becomes *fuzzy*, a new one
untranslated, a removed one is dropped), and fills in the messages that have nothing to
translate (formulas, code, numbers). Then translate what :func:`problems` lists.

A translated message must keep what the English one computes or points to (:func:`problems`):
every formula, code span, glued value, citation and cross-reference target, every number of
its prose (:func:`dropped_numbers`), and every
``{term}`` role names its glossary term with the Chinese term of ``book/glossary.md``
(``{term}`神经元 <neuron>```), so one term is translated one way across the book.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE = "zh_CN"
LOCALES = ROOT / "locales"
CATALOGS = LOCALES / LANGUAGE / "LC_MESSAGES"
GLOSSARY = ROOT / "book" / "glossary.md"
#: The text of the chapters' figures (titles, axis labels, legends, from the executed chapters'
#: SVG outputs) and their alt texts (cell metadata): one catalog, not from Sphinx's gettext.
FIGURES = "figures"
EXECUTED = ROOT / "_build" / ".jupyter_cache"  # the book build's execution cache (jupyter-cache)
BIN = Path(sys.executable).parent

#: Inline constructs a translation must carry over: math, roles with their content, code spans.
ROLE = re.compile(r"\{(?P<role>[A-Za-z][\w:+-]*)\}(?P<ticks>`+)(?P<body>.+?)(?P=ticks)", re.S)
CODE = re.compile(r"(?<![}`])(?P<ticks>`+)(?P<body>[^`].*?)(?P=ticks)", re.S)
MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?!\s)[^$]+?(?<![\s\\])\$", re.S)
LINK_URL = re.compile(r"\]\((?P<url>[^)\s]+)\)")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
#: Roles whose whole content is data (a glued value, a citation key): kept verbatim.
VERBATIM = ("glue", "cite", "math", "eq", "download")
#: Roles whose target is kept and whose text may be translated.
TARGETED = ("doc", "ref", "numref", "term")
#: A word of English prose: what a message without one has nothing to translate.
WORD = re.compile(r"[A-Za-z]{2,}")
#: A number of the prose: "42", "0.25", "2,000" (a number inside a word, "mnist04", is not one).
NUMBER = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?(?![\w]|\.\d)")
#: How Chinese may write the whole numbers up to ten ("3-class" -> 三类, "two" -> 两个).
CHINESE_NUMERALS = {
    0: "零",
    1: "一",
    2: "二两",
    3: "三",
    4: "四",
    5: "五",
    6: "六",
    7: "七",
    8: "八",
    9: "九",
    10: "十",
}
#: English large-number words and their value, which Chinese counts in 万 (10^4) and 亿 (10^8).
LARGE = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
CJK = re.compile(r"[\u3400-\u9fff]")
#: A translation that Markdown would read as a list item or heading, not a paragraph.
BLOCK_START = re.compile(r"^(\d+[.)]|[-*+]|#{1,6})\s")


class CatalogError(RuntimeError):
    """The catalogs cannot be refreshed; the message says what to install or run."""


# ---------------------------------------------------------------------------------------------
# The glossary's Chinese terms


def glossary_chinese(text: str | None = None) -> dict[str, str]:
    """``english term (lower case) -> Chinese term`` from the glossary's definitions.

    Each definition in ``book/glossary.md`` opens with the Chinese term, then its pinyin in
    parentheses: ``准确率 (zhǔnquèlǜ). The share of ...``; the Chinese term is what comes
    before `` (``.
    """
    text = GLOSSARY.read_text(encoding="utf-8") if text is None else text
    match = re.search(r"^(`{3,}|:{3,})\{glossary\}[^\n]*\n(.*?)^\1\s*$", text, flags=re.M | re.S)
    if not match:
        raise CatalogError(f"{GLOSSARY.relative_to(ROOT)} has no {{glossary}} directive")
    terms: dict[str, str] = {}
    term = None
    for line in match.group(2).splitlines():
        if line.strip() and not line[0].isspace():
            term = " ".join(line.split(" : ")[0].lower().split())
        elif line.strip() and term is not None and term not in terms:
            chinese = line.strip().split(" (")[0].strip()
            if not CJK.search(chinese):
                raise CatalogError(f"the glossary term {term!r} does not open with its Chinese term")
            terms[term] = chinese
    return terms


# ---------------------------------------------------------------------------------------------
# What a message must keep


def _split(body: str) -> tuple[str | None, str]:
    match = EXPLICIT.match(body)
    return (match["text"], match["target"]) if match else (None, body)


def kept(text: str) -> Counter:
    """What a translation of ``text`` must carry over unchanged, as a multiset of strings.

    Formulas, code spans, glued values and citations verbatim; the targets of ``{doc}``,
    ``{ref}``, ``{numref}`` and ``{term}`` (their shown text is translated); link URLs.
    """
    found: Counter = Counter()

    def role(match: re.Match) -> str:
        name, body = match["role"], match["body"]
        if name.split(":")[0] in VERBATIM:
            found[match.group(0)] += 1
        else:
            target = _split(body)[1]
            found[f"{{{name}}}->{' '.join(target.lower().split()) if name == 'term' else target}"] += 1
        return " "

    rest = ROLE.sub(role, text)
    for match in CODE.finditer(rest):
        found[match.group(0)] += 1
    rest = CODE.sub(" ", rest)
    for match in MATH.finditer(rest):
        found[match.group(0)] += 1
    for match in LINK_URL.finditer(rest):
        found[f"({match['url']})"] += 1
    return found


def prose(text: str) -> str:
    """``text`` without its formulas, roles, code spans and link URLs: what is left to translate."""
    text = ROLE.sub(" ", text)
    text = CODE.sub(" ", text)
    text = MATH.sub(" ", text)
    return LINK_URL.sub("]", text)


def needs_translation(msgid: str) -> bool:
    """Whether ``msgid`` has words to translate (not only formulas, code, roles or numbers).

    A display formula (``$$ ... $$``) is a message of its own, its LaTeX between newlines.
    """
    if msgid.startswith("\n") and msgid.endswith("\n"):
        return False
    return bool(WORD.search(prose(msgid)))


def term_texts(msgstr: str) -> list[tuple[str, str]]:
    """``(shown text, glossary term)`` of every ``{term}`` role in ``msgstr``."""
    pairs = []
    for match in ROLE.finditer(msgstr):
        if match["role"] == "term":
            text, target = _split(match["body"])
            pairs.append((text if text is not None else target, " ".join(target.lower().split())))
    return pairs


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalog: the file, the English message and what is wrong."""

    catalog: str
    msgid: str
    what: str

    def __str__(self) -> str:
        short = self.msgid if len(self.msgid) < 70 else self.msgid[:67] + "..."
        return f"{self.catalog}: {self.what}: {short!r}"


def dropped_numbers(msgid: str, msgstr: str) -> list[str]:
    """The numbers of ``msgid``'s prose that ``msgstr`` does not give.

    A number counts as given when it appears as digits (thousands separators aside), when a
    whole number up to ten appears as a Chinese numeral ("3 classes" -> 三个类别), and when an
    English "400 million" appears counted in 万 or 亿 (4 亿). A translation that leaves out a
    sentence usually leaves out its numbers, which the other checks do not see.
    """
    given = {n.replace(",", "") for n in NUMBER.findall(prose(msgstr))}
    english = prose(msgid)
    dropped = []
    for found in NUMBER.finditer(english):
        number = found.group(0).replace(",", "")
        if number in given:
            continue
        if number.isdigit() and int(number) in CHINESE_NUMERALS:
            if any(numeral in msgstr for numeral in CHINESE_NUMERALS[int(number)]):
                continue
        word = re.match(r"\s+(\w+)", english[found.end() :])
        if word and word.group(1) in LARGE:
            value = float(number) * LARGE[word.group(1)]
            counted = {f"{value / 10**8:g}亿", f"{value / 10**4:g}万"}
            if counted & {f"{n}{unit}" for n, unit in re.findall(r"(\d+(?:\.\d+)?)\s*([万亿])", msgstr)}:
                continue
        dropped.append(found.group(0))
    return dropped


def message_problems(msgid: str, msgstr: str, terms: dict[str, str]) -> list[str]:
    """What is wrong with one translated message (an empty list: nothing)."""
    problems = []
    missing = kept(msgid) - kept(msgstr)
    added = kept(msgstr) - kept(msgid)
    if missing:
        problems.append(f"the translation drops {sorted(missing)}")
    if added:
        problems.append(f"the translation adds {sorted(added)}")
    numbers = dropped_numbers(msgid, msgstr)
    if numbers:
        problems.append(f"the translation drops the number(s) {numbers}")
    for text, term in term_texts(msgstr):
        chinese = terms.get(term)
        if chinese is not None and text not in (chinese, term) and text.lower() != term:
            problems.append(f"the term {term!r} is shown as {text!r}, not as the glossary's {chinese!r}")
    if BLOCK_START.match(msgstr) and not msgid.startswith("\n"):
        problems.append(
            "the translation starts like a list or heading, so Sphinx parses it as one and keeps the "
            "English: escape it (1\\. instead of 1.)"
        )
    if needs_translation(msgid) and not CJK.search(msgstr):
        problems.append("the translation has no Chinese text")
    return problems


# ---------------------------------------------------------------------------------------------
# Translating a notebook's Markdown (the Chinese learner notebooks)

OPTION_LINE = re.compile(r"^\s*:[\w-]+:.*$")
#: Directives whose argument is a title (a message); other arguments are labels or paths.
TITLED = ("admonition", "exercise", "exercise-start")
DIRECTIVE_INFO = re.compile(r"^\{(?P<name>[^}\s]+)\}\s*(?P<argument>.*)$")


@functools.cache
def _markdown_parser():
    """markdown-it as MyST-Parser configures it for the book (the same blocks Sphinx sees)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    extensions = set(config.get("parse", {}).get("myst_enable_extensions", []))
    return create_md_parser(MdParserConfig(enable_extensions=extensions), RendererHTML)


def message_of(text: str) -> str:
    """The msgid Sphinx's gettext builder makes of an element's source: its lines joined by spaces."""
    return " ".join(text.split("\n")).strip()


def messages(name: str) -> dict[str, str]:
    """``msgid -> msgstr`` of the translated, non-fuzzy messages of catalog ``name`` (``chapters/01_neuron``)."""
    import polib

    path = CATALOGS / f"{name}.po"
    if not path.exists():
        raise CatalogError(f"no catalog {path.relative_to(ROOT)}: run `make translations`")
    return {e.msgid: e.msgstr for e in polib.pofile(str(path)).translated_entries() if "fuzzy" not in e.flags}


def translate_markdown(text: str, translated: dict[str, str], missing: list[str] | None = None) -> str:
    """``text`` (a Markdown cell in MyST) with every translatable element replaced by its translation.

    The elements are those Sphinx's gettext builder extracts, found with the same parser:
    paragraphs, headings, list items and table cells (each becomes one line, the translation
    after the line's own prefix such as ``## `` or ``1. ``), directive titles
    (``:::{admonition} Title``) and, recursively, directive bodies. Formulas, code and
    everything else are left as they are. A message without a translation is kept in English
    and appended to ``missing``.
    """
    lines = text.split("\n")
    replacements: dict[int, tuple[int, str]] = {}  # first line -> (end line, new text)

    def translation(source: str) -> str | None:
        msgid = message_of(source)
        if msgid in translated:
            return translated[msgid]
        if missing is not None and needs_translation(msgid):
            missing.append(msgid)
        return None

    def walk(body: list[str], offset: int) -> None:
        tokens = _markdown_parser().parse("\n".join(body))
        in_table = False
        for token in tokens:
            if token.type == "table_open":
                in_table = True
            elif token.type == "table_close":
                in_table = False
            if token.type == "inline" and token.map:
                start, end = token.map[0] + offset, token.map[1] + offset
                new = translation(token.content)
                if new is None:
                    continue
                if in_table:  # a cell: replace its text within the row
                    row = replacements.get(start, (end, lines[start]))[1]
                    cell = token.content.strip()
                    replacements[start] = (start + 1, row.replace(cell, new.replace("|", "\\|"), 1))
                    continue
                first = lines[start]
                head = token.content.split("\n")[0]
                prefix = first[: first.find(head)] if head and head in first else ""
                replacements[start] = (end, prefix + new)
            elif token.type in ("colon_fence", "fence") and token.map and token.info.startswith("{"):
                match = DIRECTIVE_INFO.match(token.info.strip())
                start = token.map[0] + offset
                if match and match["argument"] and match["name"] in TITLED:
                    new = translation(match["argument"])
                    if new is not None:
                        replacements[start] = (start + 1, lines[start].replace(match["argument"], new, 1))
                inner = token.content.split("\n")
                skip = 0
                if inner and inner[0].strip() == "---":
                    skip = next((k + 1 for k in range(1, len(inner)) if inner[k].strip() == "---"), 0)
                while skip < len(inner) and OPTION_LINE.match(inner[skip]):
                    skip += 1
                if match and match["name"] not in ("code-cell", "code-block", "math"):
                    walk(inner[skip:], start + 1 + skip)

    walk(lines, 0)
    out, i = [], 0
    while i < len(lines):
        if i in replacements:
            end, new = replacements[i]
            out.append(new)
            i = max(end, i + 1)
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# The figures' text


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def svg_texts(svg: str) -> list[str]:
    """The plain ``<text>`` strings of an SVG figure (``helpers.plots.svg_texts``)."""
    from helpers.plots import svg_texts as texts

    return texts(svg)


def alt_texts(chapters: Path = ROOT / "chapters") -> list[str]:
    """Every alt text of the chapters' figures (``mystnb.image.alt`` in a cell's metadata), in order."""
    import json

    found: dict[str, None] = {}
    for path in sorted(chapters.glob("[0-9][0-9]*_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            alt = ((cell.get("metadata", {}).get("mystnb") or {}).get("image") or {}).get("alt")
            if alt:
                found[" ".join(str(alt).split())] = None
    return list(found)


def executed_chapter(path: Path, cache: Path = EXECUTED):
    """The executed version of chapter ``path`` from the book build's execution cache, or None.

    The cache (jupyter-cache, ``_build/.jupyter_cache``) holds the outputs of the chapter's
    current code, exactly what both editions of the book show.
    """
    import nbformat
    from jupyter_cache import get_cache

    store = get_cache(str(cache))
    try:
        record = store.match_cache_notebook(nbformat.read(str(path), as_version=4))
    except KeyError:  # no execution of this version of the chapter
        return None
    return store.get_cache_bundle(record.pk).nb


def figure_messages(executed: Path = EXECUTED, chapters: Path = ROOT / "chapters") -> list[str]:
    """The figures' messages, in order: every alt text of a chapter's cells (``mystnb.image.alt``)
    and every text with words in the SVG outputs of the executed chapters (``make book``'s cache)."""
    if not (executed / "global.db").exists():
        raise CatalogError(
            f"no execution cache in {_shown(executed)}: run `make book` first (the figures' "
            "text comes from the chapters' outputs)"
        )
    found: dict[str, None] = dict.fromkeys(alt_texts(chapters))
    for path in sorted(chapters.glob("[0-9][0-9]*_*.ipynb")):
        ran = executed_chapter(path, executed)
        if ran is None:
            raise CatalogError(
                f"{_shown(path)} has no execution of its current code in {_shown(executed)}: run `make book`"
            )
        for cell in ran.cells:
            for output in cell.get("outputs", []):
                svg = output.get("data", {}).get("image/svg+xml")
                if svg:
                    svg = svg if isinstance(svg, str) else "".join(svg)
                    for text in svg_texts(svg):  # helpers.plots: what the Chinese build translates
                        if needs_translation(text):
                            found[text] = None
    return list(found)


def _by_template(entries: dict[str, str]) -> dict[str, str]:
    """Each catalog message that translates its text with any numbers (``helpers.plots``'
    ``number_templates``), by its English template."""
    from helpers.plots import number_template, number_templates

    usable = number_templates(entries)
    by_template: dict[str, str] = {}
    for msgid in entries:
        shape = number_template(msgid)
        if shape is not None and shape[0] in usable:
            by_template.setdefault(shape[0], msgid)
    return by_template


def _covering(text: str, by_template: dict[str, str]) -> str | None:
    """The catalog message of :func:`_by_template` that translates ``text``, if any."""
    from helpers.plots import number_template

    shape = number_template(text)
    return None if shape is None else by_template.get(shape[0])


def figure_catalog_differences(wanted: list[str], entries: dict[str, str]) -> tuple[list[str], list[str]]:
    """The figure texts the catalog lacks, and the catalog's messages no figure shows.

    A computed number in a figure (an ECE, a fitted temperature) may differ in its last digits
    from the one the catalog was made from, on another processor or library version. Such a text
    is not missing when a message with the same words and other numbers translates it (see
    ``helpers.plots.number_templates``), and that message is not stale.

    Parameters
    ----------
    wanted : list of str
        The figures' messages (:func:`figure_messages`).
    entries : dict
        The catalog's messages: English -> translation ('' when untranslated).

    Returns
    -------
    (new, gone) : tuple of lists of str, sorted
    """
    by_template = _by_template(entries)
    covering = {text: _covering(text, by_template) for text in set(wanted)}
    new = sorted(text for text, message in covering.items() if text not in entries and message is None)
    gone = sorted(set(entries) - set(wanted) - set(covering.values()))
    return new, gone


def refresh_figures(executed: Path = EXECUTED) -> Path:
    """Merge the figures' messages into ``figures.po`` (new: untranslated; gone: dropped).

    A text whose numbers differ from a translated message with the same words keeps that
    message (see :func:`figure_catalog_differences`).
    """
    import polib

    path = CATALOGS / f"{FIGURES}.po"
    old = polib.pofile(str(path)) if path.exists() else None
    have = {e.msgid: e.msgstr for e in old} if old is not None else {}
    by_template = _by_template(have)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": LANGUAGE}
    for text in figure_messages(executed):
        msgid = text if text in have else _covering(text, by_template) or text
        if po.find(msgid) is None:
            po.append(polib.POEntry(msgid=msgid, msgstr=have.get(msgid, "")))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------
# Extracting and merging


def _jupyter_book() -> Path:
    path = BIN / "jupyter-book"
    if not path.exists():
        raise CatalogError("jupyter-book is not installed here: run `make env` and use .venv/bin/python")
    return path


def gettext_config(folder: Path) -> Path:
    """A copy of ``_config.yml`` that does not execute the chapters, written into ``folder``."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "off"
    sphinx = config["sphinx"]
    sphinx["local_extensions"] = {k: str(ROOT / v) for k, v in sphinx.get("local_extensions", {}).items()}
    sphinx["config"]["suppress_warnings"] = ["mystnb.glue"]  # not executed: nothing is glued
    path = folder / "_config.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def extract(out: Path) -> Path:
    """Extract the English messages into ``.pot`` files under ``out`` (Sphinx's gettext builder)."""
    out.mkdir(parents=True, exist_ok=True)
    config = gettext_config(out)
    cmd = [str(_jupyter_book()), "build", str(ROOT), "--config", str(config), "--path-output", str(out)]
    cmd += ["--builder", "custom", "--custom-builder", "gettext", "--keep-going"]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise CatalogError(f"the gettext build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return out / "_build" / "gettext"


def templates(pot_dir: Path) -> dict[str, set[str]]:
    """``catalog name -> msgids`` of the ``.pot`` files in ``pot_dir`` (``chapters/01_neuron``)."""
    import polib

    return {
        str(p.relative_to(pot_dir).with_suffix("")): {e.msgid for e in polib.pofile(str(p)) if e.msgid}
        for p in sorted(pot_dir.rglob("*.pot"))
    }


def catalogs() -> dict[str, object]:
    """``catalog name -> polib.POFile`` of ``locales/zh_CN``."""
    import polib

    return {
        str(p.relative_to(CATALOGS).with_suffix("")): polib.pofile(str(p))
        for p in sorted(CATALOGS.rglob("*.po"))
    }


def refresh() -> list[Path]:
    """Merge the English messages into the catalogs; returns the catalogs written."""
    with tempfile.TemporaryDirectory() as tmp:
        pot_dir = extract(Path(tmp))
        intl = BIN / "sphinx-intl"
        if not intl.exists():
            raise CatalogError("sphinx-intl is not installed here: run `make env`")
        subprocess.run(
            [str(intl), "update", "-p", str(pot_dir), "-l", LANGUAGE, "-d", str(LOCALES), "-w", "0"],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        names = set(templates(pot_dir))
    written = []
    for name, po in catalogs().items():
        path = Path(po.fpath)
        if name == FIGURES:
            continue
        if name not in names:  # its page is gone
            path.unlink()
            continue
        for entry in po.obsolete_entries():
            po.remove(entry)
        for entry in po.untranslated_entries():
            if not needs_translation(entry.msgid):
                entry.msgstr = entry.msgid
        po.metadata["Language"] = LANGUAGE
        po.save(str(path))
        written.append(path)
    try:
        written.append(refresh_figures())
    except CatalogError as error:
        print(f"figures.po not refreshed: {error}", file=sys.stderr)
    return written


# ---------------------------------------------------------------------------------------------
# Checking


def problems(pot_dir: Path | None = None, executed: Path | None = None) -> list[Problem]:
    """Everything wrong with the catalogs; with ``pot_dir``, also whether they match its templates;
    with ``executed`` (the executed chapters), whether ``figures.po`` matches their figures."""
    terms = glossary_chinese()
    found: list[Problem] = []
    books = catalogs()
    if not books:
        return [
            Problem(str(CATALOGS.relative_to(ROOT)), "", "there are no catalogs: run `make translations`")
        ]
    if executed is not None:
        figures = books.get(FIGURES)
        entries = {e.msgid: e.msgstr for e in figures} if figures is not None else {}
        new, gone = figure_catalog_differences(figure_messages(executed), entries)
        found += [
            Problem(FIGURES, msgid, "new figure text, not in the catalog: run `make translations`")
            for msgid in new
        ]
        found += [
            Problem(FIGURES, msgid, "no longer in any figure: run `make translations`") for msgid in gone
        ]
    if pot_dir is not None:
        for name, msgids in templates(pot_dir).items():
            po = books.get(name)
            have = {e.msgid for e in po if not e.obsolete} if po is not None else set()
            for msgid in sorted(msgids - have):
                found.append(
                    Problem(name, msgid, "new English text, not in the catalog: run `make translations`")
                )
            for msgid in sorted(have - msgids):
                found.append(Problem(name, msgid, "no longer in the English text: run `make translations`"))
        for name in sorted(set(books) - set(templates(pot_dir)) - {FIGURES}):
            found.append(Problem(name, "", "a catalog for a page that is gone: run `make translations`"))
    for name, po in books.items():
        for entry in po:
            if entry.obsolete:
                found.append(Problem(name, entry.msgid, "obsolete (run `make translations`)"))
            elif "fuzzy" in entry.flags:
                found.append(Problem(name, entry.msgid, "fuzzy: the English changed, check the translation"))
            elif not entry.msgstr:
                found.append(Problem(name, entry.msgid, "untranslated"))
            elif name == FIGURES and entry.msgstr == entry.msgid:
                continue  # a name the figure keeps as it is (a strategy, a library)
            else:
                found += [
                    Problem(name, entry.msgid, what)
                    for what in message_problems(entry.msgid, entry.msgstr, terms)
                ]
    shown: dict[str, set[str]] = {}
    for po in books.values():
        for entry in po.translated_entries():
            for text, term in term_texts(entry.msgstr):
                if CJK.search(text):
                    shown.setdefault(term, set()).add(text)
    for term, texts in sorted(shown.items()):
        if len(texts) > 1:
            found.append(Problem("(all)", term, f"the term is translated {len(texts)} ways: {sorted(texts)}"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report what is wrong with the catalogs")
    parser.add_argument(
        "--no-extract", action="store_true", help="with --check: skip the comparison with the English text"
    )
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    try:
        if args.check:
            if args.no_extract:
                found = problems()
            else:
                with tempfile.TemporaryDirectory() as tmp:
                    found = problems(extract(Path(tmp)))
            for problem in found:
                print(problem)
            print(f"{len(found)} problem(s) in {CATALOGS.relative_to(ROOT)}")
            return 1 if found else 0
        for path in refresh():
            print(f"updated {path.relative_to(ROOT)}")
        left = problems()
        print(
            f"{len(left)} message(s) to translate or fix: `python scripts/translations.py --check --no-extract` lists them"
        )
    except CatalogError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
