"""Static checks of the built HTML: offline assets, launch buttons, rendered results."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import toc_pages

PAGES = toc_pages()
CHAPTER_PAGES = [p for p in PAGES if p.startswith("chapters/")]


def _read(root: Path, page: str) -> str:
    return (root / page).read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_every_toc_page_was_built(html_root, page):
    assert (html_root / page).is_file()


@pytest.mark.parametrize("page", PAGES)
def test_pages_load_no_script_or_stylesheet_from_the_network(html_root, page):
    html = _read(html_root, page)
    remote = [
        tag
        for tag in re.findall(r"<(?:script|link)\b[^>]*>", html)
        if re.search(r"(src|href)=\"(https?:)?//", tag)
    ]
    assert not remote, f"{page} loads from the network: {remote}"


def test_mathjax_is_vendored_with_its_fonts(html_root):
    html = _read(html_root, "chapters/01_neuron.html")
    src = re.search(r"<script[^>]*src=\"([^\"]*tex-mml-chtml\.js)[^\"]*\"", html)
    assert src, "MathJax script tag not found"
    assert (html_root / "chapters" / src.group(1)).resolve().is_file()
    fonts = list(
        (html_root / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff")
    )
    assert len(fonts) >= 20
    assert html.count("tex-mml-chtml.js") == 1, "MathJax is included more than once"


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_chapters_have_launch_and_download_buttons(html_root, page):
    html = _read(html_root, page)
    notebook = page.replace(".html", ".ipynb")
    assert "mybinder.org/v2/gh/" in html and f"urlpath=lab/tree/{notebook}" in html
    assert "colab.research.google.com/github/" in html and notebook in html
    assert f'href="../_sources/{notebook}"' in html


@pytest.mark.parametrize("page", PAGES)
def test_every_image_exists(html_root, page):
    html = _read(html_root, page)
    for src in re.findall(r"<img[^>]*src=\"([^\"]+)\"", html):
        if src.startswith("data:"):
            continue
        assert (html_root / page).parent.joinpath(src).resolve().is_file(), f"{page}: missing image {src}"


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_chapters_show_figures_and_glued_numbers_not_errors(html_root, page):
    html = _read(html_root, page)
    assert html.count("<img") >= 1, "a chapter without a single figure"
    assert "Traceback" not in html and "output traceback" not in html
    assert "{glue" not in html, "a glue role was not resolved"
    assert "output stderr" not in html, "a cell wrote to stderr (a warning or a TensorFlow log line)"


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_the_book_numbers_each_page_as_the_learner_notebooks_say(html_root, page):
    """A chapter's title shows its number ("2."); a section page and the headings show none.

    The learner notebooks call 02b_learning "a section of chapter 2" (scripts/editions.py's
    toc_numbers); with a deeper numbering the book had shown it as section 2.13.
    """
    from notebook_tools import script

    editions = script("editions")
    html = _read(html_root, page)
    headings = "".join(re.findall(r"<h[1-6][^>]*>.*?</h[1-6]>", html, flags=re.S))
    numbers = re.findall(r'<span class="section-number">([^<]*)</span>', headings)
    stem = page.removeprefix("chapters/").removesuffix(".html")
    expected = [] if editions._is_section(editions.Chapter(stem)) else [f"{int(stem[:2])}. "]
    assert numbers == expected, f"{page} numbers its headings {numbers}, expected {expected}"
    assert editions.load_book().numbers[f"chapters/{stem}"] == str(int(stem[:2]))
