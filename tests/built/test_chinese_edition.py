"""The Chinese edition of the built book (``_build/html/zh_CN``, made by ``make book``).

Every page of the table of contents exists in Chinese, says so (``lang="zh-CN"``), links to
its English twin and back, has no English prose paragraph left (code, formulas, glued numbers,
citations and names aside), and shows exactly the numbers the English page shows: both come
from one execution of the chapter, so a translation cannot retype or drop one. Chinese chapter
pages launch the Chinese learner notebooks.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import HTML, toc_pages
from notebook_tools import script

PAGES = toc_pages()
ZH = HTML / "zh_CN"


translations = script("translations")
CJK = re.compile(r"[\u3400-\u9fff]")
#: Runs of English words that a Chinese paragraph may keep: names of libraries, datasets,
#: methods and people, and the English terms the glossary gives beside the Chinese ones.
WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]+")
#: Elements whose text is not prose to translate.
SKIPPED = {"pre", "code", "script", "style", "math", "mjx-container", "svg", "kbd", "cite"}
SKIPPED_CLASSES = {
    "math",
    "pasted-text",
    "pasted-inline",
    "cell_output",
    "cell_input",
    "highlight",
    "citation",
}
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "td", "th", "dd", "dt", "figcaption", "summary"}


class _Prose(HTMLParser):
    """The text of each block element of the article, without code, math and glued values."""

    def __init__(self) -> None:
        super().__init__()
        self.in_article = 0
        self.skip: list[str] = []
        self.stack: list[str] = []
        self.blocks: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.in_article += 1
        classes = set((attrs.get("class") or "").split())
        if self.skip or tag in SKIPPED or classes & SKIPPED_CLASSES:
            if tag not in ("br", "img", "input", "meta", "link", "hr"):
                self.skip.append(tag)
            return
        if tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag in BLOCKS:
            self._flush()
        if tag == "article":
            self.in_article -= 1

    def handle_data(self, data):
        if self.in_article and not self.skip:
            self.current.append(data)

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def prose_blocks(html: str) -> list[str]:
    parser = _Prose()
    parser.feed(html)
    parser._flush()
    return parser.blocks


def english_blocks(blocks: list[str], run: int = 3) -> list[str]:
    """Blocks without Chinese that hold a run of ``run`` or more English words: untranslated prose."""
    found = []
    for text in blocks:
        if CJK.search(text):
            continue
        words = WORDS.findall(text)
        if len(words) >= run:
            found.append(text)
    return found


def glued(html: str) -> list[str]:
    """The glued values of a page, in order (myst-nb's ``pasted-text`` spans)."""
    return re.findall(r'<span class="pasted-text">(.*?)</span>', html)


@pytest.fixture(scope="module")
def zh_root(html_root):
    if not (ZH / "index.html").exists():
        pytest.fail("the Chinese edition is not built: run `make book` (it builds _build/html/zh_CN)")
    return ZH


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_translated(zh_root, page):
    html = (zh_root / page).read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in html, f"{page}: not marked as Chinese"
    blocks = prose_blocks(html)
    assert blocks and CJK.search(blocks[0]), f"{page}: its title is not in Chinese: {blocks[:1]}"
    left = english_blocks(blocks)
    assert not left, f"zh_CN/{page} still has English prose: {left[:3]}"


def test_the_english_prose_check_can_fail():
    english = "<article><p>This paragraph was never translated into Chinese at all.</p></article>"
    chinese = "<article><p>这一段已经译成中文，保留 <code>Dense</code> 和 Keras TensorFlow NumPy MNIST ImageNet。</p></article>"
    assert english_blocks(prose_blocks(english)) == [
        "This paragraph was never translated into Chinese at all."
    ]
    assert english_blocks(prose_blocks(chinese)) == []


@pytest.mark.parametrize("page", PAGES)
def test_the_same_numbers_as_the_english_page(zh_root, html_root, page):
    english = glued((html_root / page).read_text(encoding="utf-8"))
    chinese = glued((zh_root / page).read_text(encoding="utf-8"))
    assert sorted(chinese) == sorted(english), (
        f"{page}: the Chinese page glues other values than the English one"
    )


@pytest.mark.parametrize("page", PAGES)
def test_each_page_links_to_its_twin(zh_root, html_root, page):
    depth = page.count("/")
    english = (html_root / page).read_text(encoding="utf-8")
    chinese = (zh_root / page).read_text(encoding="utf-8")
    to_zh = "../" * depth + f"zh_CN/{page}"
    to_en = "../" * (depth + 1) + page
    assert f'href="{to_zh}"' in english and (html_root / f"zh_CN/{page}").exists()
    assert f'href="{to_en}"' in chinese
    assert ((zh_root / page).parent / to_en).resolve() == (html_root / page).resolve()
    assert 'hreflang="zh-CN"' in english and 'hreflang="en"' in chinese


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("chapters/")])
def test_chinese_chapters_launch_chinese_notebooks(zh_root, page):
    html = (zh_root / page).read_text(encoding="utf-8")
    name = page.split("/")[-1].removesuffix(".html")
    launches = re.findall(r'href="(https://(?:mybinder\.org|colab\.research\.google\.com)[^"]+)"', html)
    assert len(launches) == 2, f"{page}: expected a Binder and a Colab button, found {launches}"
    assert all(url.endswith(f"learner_zh/{name}.ipynb") for url in launches), launches


def test_the_sidebar_is_in_chinese(zh_root):
    html = (zh_root / "chapters" / "01_neuron.html").read_text(encoding="utf-8")
    captions = re.findall(
        r'<p aria-level="2" class="caption" role="heading"><span class="caption-text">(.*?)</span>', html
    )
    assert captions and all(CJK.search(c) for c in captions), captions


#: Chinese words a reader would search for, and a page that must be among the results.
SEARCHES = {
    "神经元": "chapters/01_neuron",
    "交叉熵": "chapters/02_losses",
    "反向传播": "chapters/02b_learning",
    "预训练": "chapters/03_pretraining",
    "微调": "chapters/04_fine_tuning",
    "校准": "chapters/05_evaluation",
}


def _search_index(root: Path) -> dict:
    text = (root / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


@pytest.mark.parametrize(("word", "page"), SEARCHES.items())
def test_the_search_index_knows_chinese_words(zh_root, word, page):
    """Sphinx indexes Chinese words only as jieba cuts the text (sphinx.search.zh): without jieba
    the index holds no Chinese term at all, and without the glossary's terms as jieba's dictionary
    (book/_ext/editions_language.py) 预训练 and 交叉熵 are cut into pieces no search finds."""
    index = _search_index(zh_root)
    docs = []
    for mapping in ("terms", "titleterms"):  # a word in a page's title is indexed there only
        found = index[mapping].get(word, [])
        docs += found if isinstance(found, list) else [found]
    assert docs, f"{word} is not in the Chinese search index: is jieba installed (requirements/authoring.in)?"
    assert index["docnames"].index(page) in docs, f"searching {word} does not find {page}"


# --- the figures -------------------------------------------------------------------------------


def test_the_figures_catalog_matches_the_built_figures():
    """figures.po holds exactly the text of the executed chapters' figures and their alt texts."""
    found = [
        p for p in translations.problems(executed=translations.EXECUTED) if p.catalog == translations.FIGURES
    ]
    assert not found, "\n".join(map(str, found[:20])) + "\nrun `make translations`, then translate figures.po"


def _elsewhere(text: str) -> str:
    """``text`` as another machine's figures might show it: each decimal number's last digit moved
    by one (4.54 -> 4.55, 0.95 -> 0.96)."""
    return re.sub(r"\d+\.\d+", lambda m: m.group(0)[:-1] + str((int(m.group(0)[-1]) + 1) % 10), text)


def test_a_catalog_made_where_computed_numbers_differed_still_translates_the_figures(html_root):
    """figures.po was made on one machine; on another, a legend's ECE or a fitted temperature
    can end in other digits. With every decimal number of the catalog changed (as if made
    elsewhere; alt texts are written by hand, so they stay), the catalog check finds nothing new or
    stale, and the English book's figures come out with no number-carrying text left in English."""
    from helpers import plots

    catalog = translations.messages(translations.FIGURES)
    alts = set(translations.alt_texts())  # written by hand in the chapters: the same everywhere
    moved = {
        en if en in alts else _elsewhere(en): zh if en in alts else _elsewhere(zh)
        for en, zh in catalog.items()
    }
    assert sum(en not in catalog for en in moved) >= 10, "too few decimal numbers in figures.po to test this"
    new, gone = translations.figure_catalog_differences(
        translations.figure_messages(translations.EXECUTED), moved
    )
    assert (new, gone) == ([], []), (new[:5], gone[:5])
    english = []
    for svg in sorted((html_root / "_images").glob("*.svg")):
        texts = plots.svg_texts(plots.translate_svg(svg.read_text(encoding="utf-8"), moved))
        english += [t for t in texts if re.search(r"\d\.\d", t) and t in catalog and t != catalog[t]]
    assert not english, f"figure text left in English with another machine's catalog: {english[:5]}"


def test_make_translations_keeps_a_catalog_made_where_computed_numbers_differed(tmp_path, monkeypatch):
    """`make translations` here neither adds this machine's digits of a computed number nor drops
    the other machine's message that translates them (translations.refresh_figures)."""
    import shutil

    import polib

    shutil.copytree(translations.CATALOGS, tmp_path / "catalogs")
    monkeypatch.setattr(translations, "CATALOGS", tmp_path / "catalogs")
    path = tmp_path / "catalogs" / f"{translations.FIGURES}.po"
    po = polib.pofile(str(path))
    alts = set(translations.alt_texts())
    for entry in po:
        if entry.msgid not in alts:
            entry.msgid, entry.msgstr = _elsewhere(entry.msgid), _elsewhere(entry.msgstr)
    po.save()
    before = {e.msgid: e.msgstr for e in polib.pofile(str(path))}
    translations.refresh_figures()
    assert {e.msgid: e.msgstr for e in polib.pofile(str(path))} == before


def _kept_names() -> set[str]:
    import polib

    path = translations.CATALOGS / f"{translations.FIGURES}.po"
    return {e.msgid for e in polib.pofile(str(path)) if e.msgstr == e.msgid}


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("chapters/")])
def test_every_image_has_a_chinese_alt_text(zh_root, page):
    """Figures and the theme's images (its launch buttons' logos) alike."""
    html = (zh_root / page).read_text(encoding="utf-8")
    alts = re.findall(r'<img\b[^>]*\balt="([^"]*)"', html)
    assert alts and all(CJK.search(alt) for alt in alts), [a for a in alts if not CJK.search(a)]


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("chapters/")])
def test_chinese_figures_have_chinese_text_and_alt_texts(zh_root, page):
    html = (zh_root / page).read_text(encoding="utf-8")
    images = re.findall(r'<img\b[^>]*\bsrc="([^"]+\.svg)"[^>]*>', html)
    alts = re.findall(r'<img\b[^>]*\balt="([^"]*)"[^>]*\bsrc="[^"]*_images/[^"]+"', html)  # the figures
    assert all(CJK.search(alt) for alt in alts), (
        f"{page}: English alt texts: {[a for a in alts if not CJK.search(a)][:2]}"
    )
    kept = _kept_names()
    for src in images:
        svg = ((zh_root / page).parent / src).read_text(encoding="utf-8")
        english = [
            t
            for t in translations.svg_texts(svg)
            if translations.needs_translation(t) and not CJK.search(t) and t not in kept
        ]
        assert not english, f"{page}: {src} still shows English text: {english[:5]}"
