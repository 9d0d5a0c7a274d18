"""The built book in a real browser (headless Chromium), with no network.

For every page of the table of contents, in English and in Chinese (``zh_CN/``): MathJax has typeset the math (no raw TeX
left in the text), every image has loaded, the console has no errors, and on
chapter pages the launch and download buttons are present and the exercise
solutions are collapsed. A screenshot of each chapter is kept in
``_build/screenshots/`` as a build artefact.

Needs Debian's ``chromium`` and ``chromium-driver`` (``make browser`` installs
them); nothing downloads a browser. Without them the tests fail with a message
saying what to install (``tests/browser_tools.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_tools import chrome
from conftest import ROOT, toc_pages

SCREENSHOTS = ROOT / "_build" / "screenshots"
PAGES = toc_pages()
#: The Chinese edition's pages (make book builds it into _build/html/zh_CN).
ZH_PAGES = [f"zh_CN/{page}" for page in PAGES]
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\\begin\{|\\frac|\\mathbf|\\sum")
TEXT_WITHOUT_CODE = """
const body = document.body.cloneNode(true);
body.querySelectorAll('pre, code, script, style, mjx-assistive-mml').forEach(e => e.remove());
return body.innerText;
"""


@pytest.fixture(scope="module")
def browser():
    driver = chrome()
    yield driver
    driver.quit()


def _load(browser, url: str) -> list[dict]:
    """Open ``url``, wait for MathJax to finish, return the console messages."""
    browser.get_log("browser")  # drop what earlier pages logged
    browser.get(url)
    browser.execute_async_script(
        """
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
    )
    return browser.get_log("browser")


@pytest.mark.parametrize("page", PAGES + ZH_PAGES)
def test_page_renders_math_images_and_no_console_errors(browser, server, page):
    console = _load(browser, f"{server}/{page}")
    errors = [entry["message"] for entry in console if entry["level"] == "SEVERE"]
    assert not errors, f"console errors on {page}: {errors}"

    has_math = browser.execute_script("return document.querySelectorAll('.math').length") > 0
    if has_math:
        typeset = browser.execute_script("return document.querySelectorAll('mjx-container').length")
        assert typeset > 0, f"{page} has math but MathJax typeset none of it"
    raw = RAW_TEX.findall(browser.execute_script(TEXT_WITHOUT_CODE))
    assert not raw, f"raw TeX left in the text of {page}: {raw[:5]}"

    broken = browser.execute_script(
        "return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
    )
    assert not broken, f"images that did not load on {page}: {broken}"

    if page.startswith(("chapters/", "zh_CN/chapters/")):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        prefix = "zh_CN_" if page.startswith("zh_CN/") else ""
        browser.save_screenshot(str(SCREENSHOTS / f"{prefix}{Path(page).stem}.png"))


def test_a_chinese_font_is_installed_for_the_browser():
    """Without a CJK font Chromium draws every Chinese character of the Chinese edition as a box."""
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        pytest.fail(
            "fontconfig's fc-list is missing: install Debian's fontconfig and fonts-noto-cjk (make browser)"
        )
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    assert fonts.strip(), (
        "no font with Chinese glyphs is installed, so the Chinese edition's screenshots would show "
        "boxes: install Debian's fonts-noto-cjk (make browser does, as root)"
    )


@pytest.mark.parametrize("page", [p for p in PAGES if p.startswith("chapters/")])
def test_chapter_has_launch_buttons_and_collapsed_solutions(browser, server, page):
    _load(browser, f"{server}/{page}")
    links = browser.execute_script("return [...document.querySelectorAll('a')].map(a => a.href)")
    assert any("mybinder.org/v2/gh/" in href for href in links), "no Binder launch button"
    assert any("colab.research.google.com/github/" in href for href in links), "no Colab launch button"
    assert any(href.endswith(".ipynb") and "_sources" in href for href in links), "no .ipynb download"

    # sphinx-togglebutton collapses a dropdown to its title (class toggle-hidden); the
    # content stays in the DOM with visibility hidden and no height.
    solutions = browser.execute_script(
        """
        return [...document.querySelectorAll('div.solution')].map(s => {
          const content = [...s.children].filter(c => !c.classList.contains('admonition-title'));
          const hidden = c => !c.checkVisibility({visibilityProperty: true})
                              || c.getBoundingClientRect().height === 0;
          return s.classList.contains('toggle-hidden') && content.length > 0 && content.every(hidden);
        });
        """
    )
    assert solutions, "no solutions found on a chapter page"
    assert all(solutions), f"solutions shown expanded: {solutions}"


@pytest.mark.parametrize(
    ("search", "page"),
    [
        ("search.html?q=fine-tuning", "chapters/04_fine_tuning"),
        ("zh_CN/search.html?q=微调", "chapters/04_fine_tuning"),
        # a phrase, not a word of the index: book/_static_course/chinese_search.js cuts it
        ("zh_CN/search.html?q=预训练模型的微调", "chapters/04_fine_tuning"),
        ("zh_CN/search.html?q=交叉熵损失函数", "chapters/02_losses"),
    ],
)
def test_the_search_page_finds_the_chapter(browser, server, search, page):
    """Sphinx's search, run by the browser on the built index: in Chinese it needs jieba's words."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{server}/{search}")
    found = WebDriverWait(browser, 30).until(
        lambda b: b.execute_script(
            "const s = document.querySelector('.search-summary');"
            "const links = [...document.querySelectorAll('ul.search li a')].map(a => a.getAttribute('href'));"
            "return s && s.textContent.trim() ? links : false"  # the summary is written when done
        )
    )
    assert any(href.split("?")[0].endswith(f"{page}.html") for href in found), (
        f"searching {search} found {found[:5]}, not {page}"
    )
