"""The built book is accessible: WCAG 2.1 A and AA, checked by axe-core in headless Chromium.

For every page of every edition of the built book (``EDITIONS``), axe-core, vendored in
``tests/_vendor/axe-core`` so that nothing is downloaded, runs the rules tagged ``wcag2a``,
``wcag2aa``, ``wcag21a`` and ``wcag21aa`` in the theme's light mode, then its colour rules again
in dark mode (a reader can switch), and the test fails on any violation of impact ``serious`` or
``critical``, naming the rule, what it asks, and the first elements that break it.

Two checks axe does not make with these rules, on the HTML files: no id is used twice on a page
(WCAG 2.0's 4.1.1, dropped from WCAG 2.2 and from axe's WCAG tags, but a duplicate id still
breaks links and ARIA references to it), and every image of a chapter has alt text that
describes it rather than its file name (Sphinx falls back to the image's path when there is
none). A chapter's figure gets its alt text from the metadata of the cell that draws it,
``"mystnb": {"image": {"alt": "..."}}``, or from a ``{figure}``'s ``:alt:``.

The fixes for what axe found are in ``book/_static_course/course.css`` (colours) and
``book/_ext/accessibility.py`` (ids, roles, button labels). Needs Debian's ``chromium`` and
``chromium-driver`` (``make browser``), like ``test_browser.py``.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_tools import chrome
from conftest import HTML, ROOT, serve, toc_pages


@dataclass(frozen=True)
class Edition:
    name: str
    html: Path  # the built book's HTML root
    toc: str  # its table of contents
    build: str  # the command that builds it
    required: bool = False  # True: fail when it is not built; False: checked when it is built


# One line per edition of the book. The English and Chinese books must be built (`make book`
# builds both, `make test` runs it); the student book is checked when it is built.
EDITIONS = (
    Edition("en", HTML, "_toc.yml", "make book", required=True),
    Edition("zh_CN", HTML / "zh_CN", "_toc.yml", "make book", required=True),
    Edition("student", ROOT / "_build/student/_build/html", "_toc_student.yml", "make student-book"),
)

AXE = ROOT / "tests" / "_vendor" / "axe-core" / "axe.min.js"  # see the README there
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
# pydata-sphinx-theme's two colour modes, both offered to the reader, and the rules run in each:
# all of WCAG 2.1 A and AA in light mode (the default); in dark mode only the WCAG rules whose
# outcome depends on colours (the rest would find the same as in light mode, at twice the cost).
MODES = {
    "light": {"type": "tag", "values": WCAG_TAGS},
    "dark": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
}
SHOWN_TARGETS = 3  # elements named per broken rule in a failure message

CASES = [
    (edition, page)
    for edition in EDITIONS
    if edition.required or (edition.html / "index.html").is_file()
    for page in toc_pages(edition.toc)
]
CHAPTER_CASES = [(e, page) for e, page in CASES if (ROOT / page).with_suffix(".ipynb").is_file()]


def _case_id(case) -> str:
    return case.name if isinstance(case, Edition) else str(case)


def _page_file(edition: Edition, page: str) -> Path:
    """The built HTML file of ``page``; fails, saying how to build it, when it is not there."""
    if not (edition.html / "index.html").is_file():
        pytest.fail(f"the {edition.name} book is not built in {edition.html}: run `{edition.build}`")
    path = edition.html / page
    if not path.is_file():
        pytest.fail(f"{page} is missing from the built {edition.name} book: run `{edition.build}` again")
    return path


# --- axe-core in the browser ---------------------------------------------------------------------

WAIT_FOR_PAGE = """
const done = arguments[arguments.length - 1];
const wait = () => {
  if (document.readyState !== 'complete') return setTimeout(wait, 50);
  if (window.MathJax && MathJax.startup && MathJax.startup.promise)
    return MathJax.startup.promise.then(() => done(true), () => done(false));
  if (!document.querySelector('.math')) return done(true);
  setTimeout(wait, 50);
};
wait();
"""

# Switches the colour mode as the theme's button does (the data-mode and data-theme attributes of
# <html>, which its CSS reads), lets the CSS transitions end, then runs axe: only the violations of
# impact serious or critical come back, with what a message needs.
RUN_AXE = """
const [mode, runOnly, impacts, done] = arguments;
const root = document.documentElement;
root.dataset.mode = mode;
root.dataset.theme = mode;
document.querySelectorAll('.dropdown-menu')
  .forEach(menu => menu.classList.toggle('dropdown-menu-dark', mode === 'dark'));
const settled = Promise.race([
  Promise.allSettled(document.getAnimations().map(a => a.finished)),
  new Promise(resolve => setTimeout(resolve, 2000)),
]);
settled
  .then(() => axe.run(document, {runOnly, resultTypes: ['violations']}))
  .then(results => done(results.violations.map(v => ({
      id: v.id, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.filter(n => impacts.includes(n.impact || v.impact)).map(n => ({
        impact: n.impact || v.impact, target: n.target, summary: n.failureSummary})),
    })).filter(v => v.nodes.length > 0)),
    error => done({error: String(error)}));
"""


@pytest.fixture(scope="module")
def browser():
    driver = chrome()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def url_of():
    """``url_of(folder)``: the URL of a local HTTP server for ``folder``, started once."""
    with contextlib.ExitStack() as servers:
        started: dict[Path, str] = {}

        def url_of(folder: Path) -> str:
            if folder not in started:
                started[folder] = servers.enter_context(serve(folder))
            return started[folder]

        yield url_of


def _selector(target) -> str:
    """axe's target: a CSS selector, or a list of them (through iframes and shadow roots)."""
    return " >>> ".join(_selector(t) for t in target) if isinstance(target, list) else str(target)


def _describe(violation: dict) -> str:
    nodes = violation["nodes"]
    impacts = "/".join(sorted({n["impact"] for n in nodes}))
    targets = ", ".join(_selector(n["target"]) for n in nodes[:SHOWN_TARGETS])
    more = f" and {len(nodes) - SHOWN_TARGETS} more" if len(nodes) > SHOWN_TARGETS else ""
    why = next((ln.strip() for ln in nodes[0]["summary"].splitlines()[1:] if ln.strip()), "")
    return (
        f"  {violation['id']} ({impacts}, {len(nodes)} element{'s' * (len(nodes) > 1)}): "
        f"{violation['help']}\n    at {targets}{more}\n    first: {why}\n    {violation['helpUrl']}"
    )


@pytest.mark.parametrize(("edition", "page"), CASES, ids=_case_id)
def test_page_has_no_serious_wcag_violation_in_either_colour_mode(browser, url_of, edition, page):
    _page_file(edition, page)
    browser.get(f"{url_of(edition.html)}/{page}")
    browser.execute_async_script(WAIT_FOR_PAGE)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    report = []
    for mode, rules in MODES.items():
        violations = browser.execute_async_script(RUN_AXE, mode, rules, list(FAILING_IMPACTS))
        assert not isinstance(violations, dict), f"axe-core failed on {page}: {violations}"
        report += [f"in {mode} mode:"] + [_describe(v) for v in violations] if violations else []
    assert not report, (
        f"WCAG 2.1 AA violations (serious or critical) on {page} of the {edition.name} book:\n"
        + "\n".join(report)
    )


# --- the HTML files ------------------------------------------------------------------------------

FILE_NAME = re.compile(r"_images/|\.(png|jpe?g|gif|svg|webp|pdf)\b", re.IGNORECASE)


class _Tags(HTMLParser):
    """The ids and the <img> tags of an HTML page."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id") is not None:
            self.ids.append(attributes["id"])
        if tag == "img":
            self.images.append(attributes)


def _tags(edition: Edition, page: str) -> _Tags:
    return _Tags(_page_file(edition, page).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("edition", "page"), CASES, ids=_case_id)
def test_no_id_is_used_twice_on_a_page(edition, page):
    ids = _tags(edition, page).ids
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    assert not repeated, f"ids used more than once on {page} of the {edition.name} book: {repeated}"


def _alt_problem(image: dict[str, str | None]) -> str | None:
    alt, src = (image.get("alt") or "").strip(), image.get("src") or ""
    if not alt:
        return "no alt text"
    if FILE_NAME.search(alt) or alt in {src, Path(src).name}:
        return "its file name as alt text" + ("" if alt == src else f" ({alt!r})")
    return None


@pytest.mark.parametrize(("edition", "page"), CHAPTER_CASES, ids=_case_id)
def test_every_image_of_a_chapter_has_alt_text_that_is_not_a_file_name(edition, page):
    problems = [
        f"{image.get('src')}: {problem}"
        for image in _tags(edition, page).images
        if (problem := _alt_problem(image))
    ]
    assert not problems, (
        f"{len(problems)} image(s) of {page} ({edition.name} book) without a description; give the "
        'cell that draws each figure the metadata "mystnb": {"image": {"alt": "what the figure '
        'shows"}} (or use a {figure} with :alt:):\n  ' + "\n  ".join(problems[:10])
    )
