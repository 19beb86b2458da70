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
