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


def test_what_only_the_author_needs_shows_in_the_preview_and_never_on_the_site(
        browser: Any, served: Served, served_site: str) -> None:
    """The note that a title was derived from the abstract: for the author, in the preview."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(served.url + DERIVED)
        page.wait_for_function("document.documentElement.classList.contains('preview')")
        assert page.locator(".derived").is_visible()
        page.goto(served_site + DERIVED, wait_until="load")
        assert page.locator(".derived").count() == 1 and not page.locator(".derived").is_visible()
        assert "preview" not in page.evaluate("document.documentElement.className")
        digest = page.goto(served_site + "digests/003/")
        assert digest is not None and ".txt" not in page.locator("main").inner_text()  # no raw file name
    finally:
        context.close()
