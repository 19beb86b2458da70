"""From `litdigest init` to a site published under a sub-path, as a new user goes: init a new
site in an empty folder, paste one real raw digest and import it, build it for a GitHub project
page (`https://someone.github.io/notes/`), preview it with `litdigest serve` under `/notes/` on
loopback and crawl it: no broken link or asset, no orphan page, and the 404 page styled at any
depth, in Chromium. Only the repository and the package's own theme are used: nothing built
before, no templates of the site's own."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

import pytest

from tests.helpers.commands import litdigest_ok
from tests.helpers.judge_tools import THEME_APPLIED, open_themed
from tests.helpers.raw_digests import sample
from tests.helpers.serving import Served, serving
from tests.judges.test_crawl import crawl, judge

pytestmark = pytest.mark.browser

PUBLISHED = "https://someone.github.io/notes/"


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site made by `litdigest init`, one sample digest pasted and imported, then built."""
    folder = tmp_path_factory.mktemp("publish") / "notes"
    litdigest_ok("init", str(folder), "--title", "Reading notes", "--base-url", PUBLISHED,
                 "--language", "both", cwd=folder.parent)
    pasted = folder / "content" / "raw" / sample("004").name
    pasted.parent.mkdir(exist_ok=True)
    shutil.copyfile(sample("004"), pasted)
    litdigest_ok("import", "--strict", str(pasted.relative_to(folder)), cwd=folder)
    litdigest_ok("build", cwd=folder)
    return folder


@pytest.fixture(scope="module")
def preview(new_site: Path) -> Iterator[Served]:
    with serving(new_site) as served:
        yield served


def test_the_new_site_is_built_for_its_sub_path_with_the_packages_theme(new_site: Path) -> None:
    assert not (new_site / "templates").exists()
    site = new_site / "site"
    assert len(list((site / "papers").glob("*/index.html"))) == 7  # the sample's seven papers
    assert f"{PUBLISHED}papers/" in (site / "feed.xml").read_text()
    not_found = (site / "404.html").read_text()
    for asset in ("static/style.css", "static/litdigest.js", "static/icon.svg", "feed.xml"):
        assert f'="/notes/{asset}"' in not_found, asset


def test_the_preview_under_the_sub_path_has_no_broken_link_and_no_orphan(
        new_site: Path, preview: Served, record_property: Callable[[str, object], None]) -> None:
    assert urlsplit(preview.url).path == "/notes/"
    result = crawl(preview.url, [preview.url])
    # 404.html: no page links to it; the server shows it for a missing URL (crawled below)
    judge(result, new_site / "site", preview.url, orphans_allowed={"404.html"})
    for asset in ("static/style.css", "static/litdigest.js", "static/icon.svg", "feed.xml"):
        assert result.statuses[preview.url + asset] == 200
    from_404 = crawl(preview.url, [preview.url + "404.html"])
    assert not from_404.failures, from_404.failures
    record_property("judged:crawled", result.html_pages)


@pytest.mark.parametrize("where", ["nothing", "a/nothing", "a/b/nothing", "a/b/c/nothing",
                                   "papers/no-such-paper/", "/elsewhere/x/y"])
def test_the_404_page_is_styled_at_any_depth(browser: Any, preview: Served, where: str) -> None:
    url = (f"http://127.0.0.1:{preview.port}{where}" if where.startswith("/")
           else preview.url + where)
    status, themed, failed = open_themed(browser, url)
    assert status == 404
    assert themed == THEME_APPLIED, themed
    assert not failed, failed
