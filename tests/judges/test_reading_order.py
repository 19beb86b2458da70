"""Commentary first, in a real browser: on a digest page the first paper's commentary is on the
first screen of a laptop; on a paper page the commentary comes before the abstract, which folds;
a long author list shows its first names and opens, from the mouse or the keyboard, to the rest."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

pytestmark = pytest.mark.browser

DIGEST = "digests/004-2024-12-19/"
PAPER = "papers/alignment-faking-in-large-language-models/"  # 20 authors, both commentaries


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def opened(width: int, height: int) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return context.new_page()

    yield opened
    for context in contexts:
        context.close()


def top(page: Any, selector: str) -> float:
    return page.eval_on_selector(selector, "e => e.getBoundingClientRect().top")


def test_the_first_commentary_of_a_digest_is_on_a_laptops_first_screen(open_page: Any,
                                                                       served_site: str) -> None:
    page = open_page(1280, 800)
    page.goto(served_site + DIGEST)
    first = "article.paper >> nth=0"
    assert top(page, f"{first} >> .commentary >> nth=0") < 800 - 48  # a line of it shows, at least


def test_a_paper_page_leads_with_its_commentary_and_folds_the_abstract(open_page: Any,
                                                                      served_site: str) -> None:
    page = open_page(360, 740)
    page.goto(served_site + PAPER)
    assert top(page, ".commentary >> nth=0") < top(page, "details.abstract")
    assert top(page, ".commentary >> nth=0") < 740
    assert not page.is_visible("details.abstract > div")
    page.click("details.abstract > summary")
    assert page.is_visible("details.abstract > div")


def test_a_long_author_list_shows_three_names_and_opens_to_all(open_page: Any, served_site: str) -> None:
    page = open_page(1280, 800)
    page.goto(served_site + PAPER)
    authors = page.locator("article.paper .authors").first
    shown = authors.inner_text()
    assert shown.count(",") == 3 and "외 17명" in shown and "Evan Hubinger" not in shown  # Korean UI
    page.focus(".more-authors > summary")
    page.keyboard.press("Enter")
    assert "Evan Hubinger" in authors.inner_text()


def test_the_home_page_shows_each_papers_commentary_and_tags_in_the_readers_language(
        open_page: Any, served_site: str) -> None:
    page = open_page(1280, 800)
    page.goto(served_site)
    first = page.locator(".digest-papers > li").first
    assert "도메인을 다 섞어서" in first.locator(".excerpt[lang=ko]").inner_text()
    assert first.locator(".tags a.tag").count() >= 1
    assert "외 " in first.locator(".authors").inner_text()  # "et al." in the reader's language
    page.click("header [data-set-lang=en]")
    assert not first.locator(".excerpt[lang=ko]").is_visible()
    assert first.locator(".excerpt[lang=en]").is_visible()
    assert top(page, ".excerpt >> nth=0") < 800  # commentary on the first screen of the site
