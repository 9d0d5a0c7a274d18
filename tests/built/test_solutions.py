"""Every worked solution passes its own check, in every chapter (read from the built book).

Each solution of a chapter ends with the exercise's ``checks.NAME.check()``; the book build
executes it, and the feedback it displays is in the page. A solution that its check does not
accept, or a solution without a check, fails here.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import toc_pages

from helpers import checks
from helpers.exercises import Status

CHAPTER_PAGES = [p for p in toc_pages() if p.startswith("chapters/")]
STATUSES = {status.value for status in Status}


def _verdicts(html: str) -> tuple[list[str], list[str]]:
    """The check verdicts shown inside solution boxes, and those shown outside them."""
    soup = BeautifulSoup(html, "html.parser")
    inside, outside = [], []
    for strong in soup.find_all("strong"):
        text = strong.get_text(strip=True)
        if text not in STATUSES or "border-left" not in (strong.parent.get("style") or ""):
            continue
        in_solution = any("solution" in (parent.get("class") or []) for parent in strong.parents)
        (inside if in_solution else outside).append(text)
    return inside, outside


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_every_worked_solution_is_accepted_by_its_check(html_root, page):
    exercises = checks.for_chapter(page.split("/")[1].removesuffix(".html")).EXERCISES
    inside, outside = _verdicts((html_root / page).read_text(encoding="utf-8"))
    assert inside == [Status.CORRECT.value] * len(exercises), (
        f"{page}: the worked solutions' checks say {inside}; expected one 'Correct' for each of "
        f"its {len(exercises)} exercises"
    )
    # the checks under the placeholders ran too, and said what a learner sees first
    assert outside == [Status.NOT_ATTEMPTED.value] * len(exercises), (page, outside)
