"""Sphinx extension: the Colab button of a chapter opens its learner notebook.

Colab renders no MyST, so a chapter opened there shows raw directives and roles.
``scripts/editions.py`` writes each chapter in plain Markdown to ``learner/NN_*.ipynb``;
this extension points the Colab launch button of every chapter page at that notebook:
``.../blob/main/chapters/01_neuron.ipynb`` becomes ``.../blob/main/learner/01_neuron.ipynb``.
Binder and the download buttons keep the chapter itself.

sphinx-book-theme builds the launch buttons in an ``html-page-context`` handler with priority
501 (``sphinx_book_theme/header_buttons/launch.py``); this one runs after it, at 600.
A chapter without a learner notebook keeps its button and logs a warning (an error under
``-W``): run ``make editions``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
CHAPTERS, LEARNER = "chapters/", "learner/"


def learner_url(url: str, pagename: str) -> str | None:
    """``url`` (a Colab launch URL of ``pagename``) pointing at the learner notebook, or None."""
    if not pagename.startswith(CHAPTERS):
        return None
    suffix = f"/{pagename}.ipynb"
    if not url.endswith(suffix):
        return None
    return url[: -len(suffix)] + f"/{LEARNER}{pagename[len(CHAPTERS) :]}.ipynb"


def point_colab_to_learner(context: dict[str, Any], pagename: str) -> bool:
    """Rewrite the Colab button in ``context["header_buttons"]``; return whether there was one."""
    for group in context.get("header_buttons") or []:
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            if button.get("text") == "Colab":
                new = learner_url(button.get("url", ""), pagename)
                if new is not None:
                    button["url"] = new
                    button["tooltip"] = "Launch on Colab (the chapter in plain Markdown)"
                    return True
    return False


def use_learner_notebooks(app, pagename: str, templatename: str, context: dict, doctree) -> None:  # noqa: ARG001
    if not pagename.startswith(CHAPTERS):
        return
    learner = Path(app.srcdir) / LEARNER / f"{pagename[len(CHAPTERS) :]}.ipynb"
    if not learner.exists():
        LOGGER.warning(
            f"{pagename}: no {learner.relative_to(app.srcdir)}, so Colab opens the chapter with its MyST "
            "markup; run `make editions`"
        )
        return
    point_colab_to_learner(context, pagename)


def setup(app) -> dict[str, Any]:
    app.connect("html-page-context", use_learner_notebooks, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
