"""The preview of a site published under a path, in a real browser: the site's 404 page is styled
and scripted at any depth, and an open page reloads itself after a save. A real `litdigest serve`
on a free loopback port, and Debian's Chromium through Playwright."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.helpers.judge_tools import THEME_APPLIED, open_themed
from tests.helpers.serving import Served, serving

pytestmark = pytest.mark.browser

NOTES = "https://user.github.io/notes/"


@pytest.fixture
def served(tmp_path: Path, content_copy: Path) -> Iterator[Served]:
    with serving(tmp_path, "--base-url", NOTES) as preview:
        yield preview


@pytest.mark.parametrize("depth", [0, 1, 3])
def test_the_404_page_is_styled_at_any_depth(browser: Any, served: Served, depth: int) -> None:
    url = served.url + "a/" * depth + "nothing"
    status, themed, failed = open_themed(browser, url)
    assert status == 404
    assert themed == THEME_APPLIED, themed
    assert not failed, failed


def test_a_page_outside_the_sites_path_is_the_styled_404_page(browser: Any, served: Served) -> None:
    status, themed, failed = open_themed(browser, f"http://127.0.0.1:{served.port}/elsewhere/x/y")
    assert (status, themed, failed) == (404, THEME_APPLIED, [])


def test_an_open_page_reloads_after_a_save_under_the_path(browser: Any, served: Served) -> None:
    paper = sorted((served.project / "content" / "papers").glob("*.md"))[0]
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{served.url}papers/{paper.stem}/")
        page.wait_for_function("() => window.LiveReload && window.LiveReload.connector"
                               " && window.LiveReload.connector._isSocketConnected()")
        page.evaluate("() => { window.notReloaded = true; }")
        paper.write_text(paper.read_text().replace('title: "', 'title: "Reloaded: ', 1))
        page.wait_for_function("() => !window.notReloaded && document.title.includes('Reloaded: ')",
                               timeout=30_000)
        assert page.url == f"{served.url}papers/{paper.stem}/"
    finally:
        context.close()


DERIVED = "papers/adaptive-message-wise-rlhf/"  # its title was derived from its abstract
UNTITLED = "digests/003/"  # its file gives no title: the importer made "Digest 003"


@pytest.mark.parametrize(("path", "note"), [(DERIVED, "Title derived from the abstract"),
                                            (UNTITLED, "give it one in digests/003.md")])
def test_what_only_the_author_needs_shows_in_the_preview_and_never_on_the_site(
        browser: Any, served: Served, served_site: str, path: str, note: str) -> None:
    """The note that a title was derived (from a paper's abstract, from a digest's file): for the
    author, in the preview."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(served.url + path)
        page.click("header [data-set-lang=en]")
        page.wait_for_function("document.documentElement.classList.contains('preview')")
        first = page.locator(".derived").first  # the page's own: a digest's papers may have theirs
        assert first.is_visible() and note in first.inner_text()
        page.goto(served_site + path, wait_until="load")
        assert page.locator(".derived").count() >= 1
        assert page.locator(".derived:visible").count() == 0
        assert "preview" not in page.evaluate("document.documentElement.className")
        assert ".txt" not in page.locator("main").inner_text()  # no raw file name
    finally:
        context.close()
