"""Sphinx extension: the English and Chinese editions of the book, built from one source.

The Chinese edition is the same build with ``language: zh_CN`` (``_config_zh.yml``, written by
``scripts/editions.py``): Sphinx replaces every paragraph, heading and caption with its
translation from ``locales/zh_CN`` (``scripts/translations.py``). This extension does what that
leaves undone:

- **Glued values in translated text.** Sphinx parses each translation as a small document of
  its own (myst-nb even gives it a renderer of its own), which has none of the notebook's outputs, so myst-nb's ``{glue:text}`` role finds no
  value there ("No key ... found in glue data"). The notebook's renderer is remembered while
  the English text is parsed and lent to those documents,
  so a translated sentence shows the number the chapter computed, not a retyped one.
- **Exercise titles.** sphinx-exercise leaves them without a source, so gettext would skip
  them; they get one (:class:`TranslatableExerciseTitles`).
- **Figures.** The chapters draw SVG with their text kept as text (``plots.vector_figures``);
  the Chinese build translates each figure's titles, labels and legends in its SVG file, and
  its alt text, from ``locales/zh_CN/LC_MESSAGES/figures.po`` (``scripts/translations.py``).
- **The captions of the table of contents** (:class:`TranslateToctreeCaptions`).
- **A link to the same page in the other language**, as a header button on every page and a
  ``<link rel="alternate" hreflang>`` in its head. The English book is ``_build/html``, the
  Chinese one ``_build/html/zh_CN`` (``make book``).
- **Search in Chinese.** Sphinx indexes Chinese words as jieba cuts them; jieba alone cuts
  预训练 into 预 and 训练 and keeps no single character, so a search for the course's own terms
  would find nothing. The glossary's Chinese terms are given to jieba as a dictionary
  (:func:`search_words`).
- **Launch buttons of the Chinese pages** open the Chinese learner notebooks
  (``learner_zh/NN_*.ipynb``, plain Markdown, for Colab and Binder alike); English pages keep
  theirs (``book/_ext/learner_launch.py``).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
#: Output folder of each edition, relative to the English book's root.
EDITIONS = {"en": "", "zh_CN": "zh_CN/"}
LABELS = {"en": ("English", "Read this page in English"), "zh_CN": ("中文", "阅读本页的中文版")}
HREFLANG = {"en": "en", "zh_CN": "zh-CN"}
CHAPTERS, LEARNER_ZH = "chapters/", "learner_zh/"


def edition_of(language: str | None) -> str:
    """``"zh_CN"`` for a Chinese build, ``"en"`` otherwise."""
    return "zh_CN" if (language or "").lower().replace("-", "_").startswith("zh") else "en"


def other_page_url(pagename: str, language: str | None) -> tuple[str, str]:
    """``(edition, relative URL)`` of ``pagename`` in the other edition, from this page's folder."""
    here = edition_of(language)
    there = "en" if here == "zh_CN" else "zh_CN"
    depth = pagename.count("/") + (1 if here == "zh_CN" else 0)
    return there, "../" * depth + EDITIONS[there] + f"{pagename}.html"


# ---------------------------------------------------------------------------------------------
# Glued values in translated messages


#: The renderer of the notebook being read: ``(docname, renderer)`` (one at a time; Sphinx
#: would try to pickle it if it were kept in the environment).
_CURRENT: list = [None, None]


def _lend_renderer(retrieve):
    def retrieve_glue_data(document, key):
        env = getattr(document.settings, "env", None)
        if env is not None:
            # Sphinx names a translation's document "<source>:<line>:<translated>"; myst-nb
            # parses it as a notebook of its own, whose renderer has no outputs. The notebook's
            # own document is parsed first (every role of a translation is in its English
            # message too), so its renderer is remembered then and lent to the translations.
            if str(document.get("source", "")).endswith(":<translated>") and _CURRENT[0] == env.docname:
                own = document.get("nb_renderer")
                document["nb_renderer"] = _CURRENT[1]
                try:
                    return retrieve(document, key)
                finally:  # the translation's nodes end up in the pickled doctree: no renderer there
                    document["nb_renderer"] = own
            if "nb_renderer" in document:
                _CURRENT[:] = [env.docname, document["nb_renderer"]]
        return retrieve(document, key)

    retrieve_glue_data.__wrapped__ = retrieve
    return retrieve_glue_data


def patch_glue_roles() -> None:
    """Make myst-nb's glue roles and directives look up a translated message's notebook."""
    from myst_nb.ext.glue import directives, roles

    for module in (roles, directives):
        if not hasattr(module.retrieve_glue_data, "__wrapped__"):
            module.retrieve_glue_data = _lend_renderer(module.retrieve_glue_data)


class TranslatableExerciseTitles(SphinxTransform):
    """Make sphinx-exercise's titles messages that gettext extracts and Sphinx translates.

    The title of ``:::{exercise} The derivative of tanh`` is parsed into an ``exercise_subtitle``
    node without a source, which Sphinx takes for a built-in message, and a post-transform
    later moves its children into a plain title (the gettext builder reads that final tree). The
    children are wrapped in one translatable ``inline`` with the title as its message, which
    survives the move.
    """

    default_priority = 5  # before sphinx.transforms.i18n.Locale (20)

    def apply(self, **kwargs: Any) -> None:  # noqa: ARG002
        from sphinx_exercise.nodes import exercise_subtitle, solution_subtitle

        for node in list(
            self.document.findall(lambda n: isinstance(n, (exercise_subtitle, solution_subtitle)))
        ):
            text = node.astext().strip()
            if not text:
                continue
            owner = node.parent
            while owner is not None and not owner.source:
                owner = owner.parent
            children = list(node.children)
            node.clear()
            wrapper = nodes.inline(text, "", *children, translatable=True)
            wrapper.source = owner.source if owner is not None else self.document["source"]
            wrapper.line = owner.line if owner is not None else 0
            node += wrapper


class TranslateToctreeCaptions(SphinxTransform):
    """Translate the captions of the parts of the table of contents ("Getting started", ...).

    Jupyter Book inserts the toctrees from ``_toc.yml`` (sphinx-external-toc, transform priority
    100) after Sphinx has translated the page (priority 20), so their captions, which gettext
    extracts into the root page's catalog, would stay in English in the sidebar.
    """

    default_priority = 101

    def apply(self, **kwargs: Any) -> None:  # noqa: ARG002
        from sphinx import addnodes
        from sphinx.locale import init as init_locale
        from sphinx.util.i18n import docname_to_domain

        if edition_of(self.config.language) == "en":
            return
        dirs = [str(Path(self.env.srcdir) / d) for d in self.config.locale_dirs]
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        catalog, found = init_locale(dirs, self.config.language, domain)
        if not found:
            return
        for node in self.document.findall(addnodes.toctree):
            if node.get("caption"):
                node["caption"] = node["rawcaption"] = catalog.gettext(node["caption"])


# ---------------------------------------------------------------------------------------------
# The figures: alt texts and the text inside the SVG files


def _translations(app):
    """``scripts/translations.py``, the one reader of the catalogs, as ``scripts.translations``."""
    import importlib
    import sys

    if app.srcdir not in sys.path:
        sys.path.insert(0, str(app.srcdir))
    return importlib.import_module("scripts.translations")


def figure_catalog(app) -> dict[str, str]:
    """``English -> translation`` of the figures' text and alt texts, for this build's language."""
    if edition_of(app.config.language) == "en":
        return {}
    cached = getattr(app, "_hotl_figures", None)
    if cached is None:
        translations = _translations(app)
        if app.config.language != translations.LANGUAGE:
            raise ValueError(f"no figure catalog for {app.config.language}: only {translations.LANGUAGE}")
        cached = app._hotl_figures = translations.messages(translations.FIGURES)
    return cached


def translate_alt_texts(app, doctree, docname: str) -> None:  # noqa: ARG001
    """Each figure's alt text in the edition's language (from the figures' catalog)."""
    catalog = figure_catalog(app)
    if not catalog:
        return
    for node in doctree.findall(nodes.image):
        alt = " ".join(str(node.get("alt", "")).split())
        if alt in catalog:
            node["alt"] = catalog[alt]


def translate_svg_files(app, exception) -> None:
    """The titles, labels and legends of every SVG figure of the build, in its language."""
    catalog = figure_catalog(app)
    if exception is not None or not catalog:
        return
    from helpers.plots import translate_svg

    for path in (Path(app.outdir) / "_images").glob("*.svg"):
        text = path.read_text(encoding="utf-8")
        translated = translate_svg(text, catalog)
        if translated != text:
            path.write_text(translated, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Links between the editions, launch buttons


def language_links(app, pagename: str, templatename: str, context: dict, doctree) -> None:  # noqa: ARG001
    there, url = other_page_url(pagename, app.config.language)
    text, tooltip = LABELS[there]
    buttons = context.setdefault("header_buttons", [])
    buttons.insert(
        0,
        {
            "type": "link",
            "url": url,
            "text": text,
            "tooltip": tooltip,
            "icon": "fa-solid fa-language",
            "label": "language-button",
        },
    )
    link = f'<link rel="alternate" hreflang="{HREFLANG[there]}" href="{url}" />\n'
    context["metatags"] = context.get("metatags", "") + link


def chinese_launch_buttons(app, pagename: str, templatename: str, context: dict, doctree) -> None:  # noqa: ARG001
    """On a Chinese chapter page, Colab and Binder open ``learner_zh/NN_*.ipynb``."""
    if edition_of(app.config.language) != "zh_CN" or not pagename.startswith(CHAPTERS):
        return
    name = pagename[len(CHAPTERS) :]
    if not (Path(app.srcdir) / LEARNER_ZH / f"{name}.ipynb").exists():
        LOGGER.warning(
            f"{pagename}: no {LEARNER_ZH}{name}.ipynb for the Chinese launch buttons; run `make editions`"
        )
        return
    for group in context.get("header_buttons") or []:
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            url = button.get("url", "")
            for old in (f"/{pagename}.ipynb", f"/learner/{name}.ipynb"):
                if old in url:
                    button["url"] = url.replace(old, posixpath.join("/", LEARNER_ZH, f"{name}.ipynb"))
                    break


#: Words of the book theme that its own catalog (``booktheme``) leaves untranslated, by edition:
#: its launch buttons' alt texts are "<name> logo".
THEME_WORDS: dict[str, dict[str, str]] = {"zh_CN": {"logo": "标志"}}


def theme_words(app, pagename: str, templatename: str, context: dict, doctree) -> None:  # noqa: ARG001
    """Translate the theme's words that its catalog lacks (after the theme sets ``translate``)."""
    words = THEME_WORDS.get(edition_of(app.config.language))
    translate = context.get("translate")
    if not words or translate is None:
        return
    context["translate"] = lambda message: words.get(message) or translate(message)


def search_words(app, config) -> None:
    """Give Sphinx's Chinese search the glossary's Chinese terms as jieba's dictionary of words.

    The page side, ``book/_static_course/chinese_search.js``, cuts a query into the words the
    index holds, since Sphinx splits queries only at spaces and punctuation.

    The terms come from ``book/glossary.md`` (``scripts/translations.py``'s
    ``glossary_chinese``); terms with a space (``F1 分数``) are left out, since jieba's
    dictionary file separates a word from its frequency by a space.
    """
    if edition_of(config.language) == "en":
        return
    words = sorted({w for w in _translations(app).glossary_chinese().values() if " " not in w})
    path = Path(app.doctreedir) / "search-words.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{w}\n" for w in words), encoding="utf-8")
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(path)}
    app.add_js_file("chinese_search.js")  # cuts a Chinese query into the index's words


def setup(app) -> dict[str, Any]:
    patch_glue_roles()
    app.connect("config-inited", search_words)
    app.add_transform(TranslatableExerciseTitles)
    app.add_transform(TranslateToctreeCaptions)
    app.connect("doctree-resolved", translate_alt_texts)
    app.connect("build-finished", translate_svg_files)
    app.connect("html-page-context", language_links, priority=610)
    app.connect("html-page-context", chinese_launch_buttons, priority=620)  # after learner_launch (600)
    app.connect("html-page-context", theme_words, priority=630)  # after the theme's own (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
