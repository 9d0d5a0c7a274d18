"""Sphinx extension: fixes for accessibility problems in the HTML the tool-chain generates.

Checked by ``tests/built/test_accessibility.py`` (axe-core, WCAG 2.1 A and AA). Colours are in
``book/_static_course/course.css``; what cannot be fixed with CSS is here:

- **Duplicate ids.** sphinx-exercise gives the body of every exercise the id
  ``exercise-content`` and of every solution ``solution-content``, so a chapter with four
  exercises has four elements with the same id (invalid HTML; a link or ARIA reference to it
  finds only the first). Each gets ``<label>-content`` instead, from the id of its exercise or
  solution (``ex-xor-width-content``), and keeps the old name as a class.
- **Citations in a list without list items.** docutils writes the bibliography as
  ``<div role="list">`` whose entries have the role ``doc-biblioentry``, deprecated in
  DPUB-ARIA 1.1 and no longer a list item: screen readers see a list whose children are links
  (axe ``aria-required-children``, critical). The entries get ``role="listitem"``, the
  replacement DPUB-ARIA recommends.
- **Sidebar toggles without a name** (axe ``summary-name``, serious): pydata-sphinx-theme gives
  a page with sections (``sections:`` in ``_toc.yml``) a ``<summary>`` that holds only a
  decorative chevron. Each gets ``aria-label="Sections of <page title>"``.
- **Buttons whose accessible name leaves out their visible text** (WCAG 2.5.3, axe
  ``label-content-name-mismatch``): two components of pydata-sphinx-theme are overridden by the
  templates in ``accessibility_templates/`` (see the comment at the top of each).
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import Any

from docutils import nodes

TEMPLATES = Path(__file__).resolve().parent / "accessibility_templates"
SHARED_IDS = ("exercise-content", "solution-content")


def unique_content_ids(app, doctree: nodes.document, docname: str) -> None:  # noqa: ARG001
    """Rename sphinx-exercise's shared section ids after their exercise or solution."""
    taken = {i for node in doctree.findall(nodes.Element) for i in node.get("ids", [])}
    for section in doctree.findall(nodes.section):
        shared = [i for i in section["ids"] if i in SHARED_IDS]
        if not shared:
            continue
        owner = next((p["ids"][0] for p in _ancestors(section) if p.get("ids")), shared[0])
        new, n = f"{owner}-content", 1
        while new in taken:
            n += 1
            new = f"{owner}-content-{n}"
        taken.add(new)
        section["ids"] = [new if i in SHARED_IDS else i for i in section["ids"]]
        section["classes"] += [i for i in shared if i not in section["classes"]]


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def citations_as_list_items(app, pagename, templatename, context, doctree) -> None:  # noqa: ARG001
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


#: A sidebar entry with sections: its link, then the <details> whose <summary> has no text.
_TOGGLE = re.compile(
    r'(<a class="[^"]*\breference\b[^"]*" href="[^"]*">(?P<title>(?:(?!</a>).)*)</a>\s*<details[^>]*>\s*<summary)>',
    re.S,
)


def label_summaries(nav: str) -> str:
    """Give each section toggle of the sidebar an accessible name from the page it belongs to."""

    def labelled(match: re.Match) -> str:
        title = html.unescape(re.sub(r"<[^>]+>", "", match["title"])).strip()
        return f'{match[1]} aria-label="{html.escape(f"Sections of {title}", quote=True)}">'

    return _TOGGLE.sub(labelled, nav)


def label_sidebar_toggles(app, pagename, templatename, context, doctree) -> None:  # noqa: ARG001
    """Wrap the theme's sidebar generator (set in its own html-page-context handler)."""
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    @functools.wraps(generate)
    def generate_labelled(*args, **kwargs):
        from markupsafe import Markup

        return Markup(label_summaries(str(generate(*args, **kwargs))))

    context["generate_toctree_html"] = generate_labelled


def add_templates(app, config) -> None:
    """Put the overriding templates before the themes' own components."""
    config.templates_path.insert(0, str(TEMPLATES))


def setup(app) -> dict[str, Any]:
    app.connect("config-inited", add_templates)
    app.connect("doctree-resolved", unique_content_ids)
    app.connect("html-page-context", citations_as_list_items)
    app.connect("html-page-context", label_sidebar_toggles, priority=900)  # after the theme's
    return {"parallel_read_safe": True, "parallel_write_safe": True}
