"""No broken links: a crawler walks the served site over HTTP from its home page.

It follows every internal link, stylesheet, script and image (parsed with html.parser, and
`url(…)` in stylesheets), does not follow redirects (a redirect is a failure too), checks that
every `#fragment` names an element of its page, and that every HTML page of site/ is reached
from the home page. It runs once at the server's root and once under a sub-path, as GitHub Pages
serves a project site; there the 404 page (absolute links, to the configured base path) is
crawled as well.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

from tests.helpers.serving import serve_folder

# (element, attribute) pairs whose value is a URL the browser loads or the reader follows.
URL_ATTRIBUTES = {("a", "href"), ("area", "href"), ("link", "href"), ("script", "src"),
                  ("img", "src"), ("source", "src"), ("video", "src"), ("video", "poster"),
                  ("audio", "src"), ("iframe", "src"), ("embed", "src"), ("object", "data"),
                  ("form", "action"), ("use", "href")}
SRCSET = {("img", "srcset"), ("source", "srcset")}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class _PageParser(HTMLParser):
    """Every URL a page refers to, and every id it defines (for `#fragment` links)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif tag == "base" and name == "href":
                self.base = value
            elif (tag, name) in URL_ATTRIBUTES:
                self.urls.append(value.strip())
            elif (tag, name) in SRCSET:
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name == "style":
                self.urls += [a or b for a, b in CSS_URL.findall(value)]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect comes back as an HTTPError with its 3xx status


OPENER = urllib.request.build_opener(_NoRedirects)


@dataclass
class Crawl:
    """What one crawl found: every URL fetched with its status, the pages, and the failures."""

    scope: str
    statuses: dict[str, int] = field(default_factory=dict)
    pages: dict[str, set[str]] = field(default_factory=dict)  # HTML page URL → its ids
    failures: list[str] = field(default_factory=list)
    external: set[str] = field(default_factory=set)

    @property
    def html_pages(self) -> int:
        return len(self.pages)


def fetch(url: str) -> tuple[int, str, bytes]:
    """(status, content type, body) of a GET, without following redirects."""
    try:
        with OPENER.open(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as err:
        return err.code, "", b""


def crawl(scope: str, seeds: list[str]) -> Crawl:
    """Breadth-first from `seeds`, following every URL inside `scope` (a base URL ending in /)."""
    result = Crawl(scope)
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(scope))
    queue: deque[tuple[str, str]] = deque((seed, "(start)") for seed in seeds)
    fragments: list[tuple[str, str, str]] = []  # (page, fragment, linked from)
    while queue:
        url, referrer = queue.popleft()
        if url in result.statuses:
            continue
        status, kind, body = fetch(url)
        result.statuses[url] = status
        if status != 200:
            result.failures.append(f"{url}: HTTP {status} (linked from {referrer})")
            continue
        text = body.decode("utf-8", errors="replace")
        if kind == "text/html":
            parser = _PageParser()
            parser.feed(text)
            result.pages[url] = parser.ids
            base, found = urljoin(url, parser.base or ""), parser.urls
        elif kind == "text/css":
            base, found = url, [a or b for a, b in CSS_URL.findall(text)]
        else:
            continue
        for raw in found:
            target, fragment = urldefrag(urljoin(base, raw))
            if not target.startswith(origin):
                if urlsplit(target).scheme in ("http", "https"):
                    result.external.add(target)  # never fetched: the tests run offline
                elif urlsplit(target).scheme not in ("mailto",):
                    result.failures.append(f"{raw!r} on {url}: not a web link")
                continue
            if not target.startswith(scope):
                result.failures.append(f"{raw!r} on {url} leaves the site's folder {scope}")
                continue
            if fragment:
                fragments.append((target, unquote(fragment), url))
            queue.append((target, url))
    for target, fragment, source in fragments:
        ids = result.pages.get(target)
        if ids is not None and fragment not in ids:
            result.failures.append(f"#{fragment} on {source}: no such id on {target}")
    return result


def page_urls(site: Path, base: str, keep: Callable[[Path], bool] = lambda _: True) -> set[str]:
    """The URL of every HTML file of `site` when it is served at `base`."""
    urls = set()
    for path in sorted(site.rglob("*.html")):
        if not keep(path):
            continue
        relative = path.relative_to(site).as_posix()
        urls.add(base + (relative[: -len("index.html")] if path.name == "index.html" else relative))
    return urls


def reached(result: Crawl) -> set[str]:
    """The pages a crawl reached, `…/index.html` spelled as its folder `…/`."""
    return {re.sub(r"(^|/)index\.html$", r"\1", url) for url in result.pages}


def judge(result: Crawl, site: Path, base: str, orphans_allowed: set[str]) -> None:
    assert not result.failures, "broken links:\n" + "\n".join(result.failures)
    expected = page_urls(site, base, keep=lambda p: p.relative_to(site).as_posix() not in orphans_allowed)
    orphans = sorted(expected - reached(result))
    assert not orphans, "pages no link leads to from the home page:\n" + "\n".join(orphans)


def test_every_link_from_the_home_page_works(example_site: Path, served_site: str,
                                             record_property: Callable[[str, object], None]) -> None:
    result = crawl(served_site, [served_site])
    # 404.html is shown by the host for a missing URL; no page links to it, and its links are
    # absolute to the deployed base path, so it is crawled under the sub-path, below.
    judge(result, example_site, served_site, orphans_allowed={"404.html"})
    assert served_site + "static/style.css" in result.statuses
    assert served_site + "static/litdigest.js" in result.statuses
    assert served_site + "feed.xml" in result.statuses
    assert len(result.pages) == len(page_urls(example_site, served_site)) - 1
    record_property("judged:crawled", result.html_pages)


def test_every_link_works_under_a_sub_path(example_site: Path,
                                           record_property: Callable[[str, object], None]) -> None:
    with serve_folder(example_site, prefix="litdigest") as base:
        result = crawl(base, [base, base + "404.html"])
    judge(result, example_site, base, orphans_allowed=set())
    record_property("judged:crawled", result.html_pages)


def test_the_crawler_reports_broken_links_redirects_and_escapes(tmp_path: Path) -> None:
    """The crawler itself can fail: a missing page, a redirect, a root-absolute link, a bad anchor."""
    site = tmp_path / "site"
    (site / "sub").mkdir(parents=True)
    (site / "index.html").write_text(
        '<!DOCTYPE html><title>t</title><a href="missing/">m</a> <a href="sub">r</a> '
        '<a href="/elsewhere/">e</a> <a href="#nowhere">n</a> <a href="sub/#x">x</a> '
        '<a href="javascript:alert(1)">j</a> <a href="https://example.org/">ok</a>')
    (site / "sub" / "index.html").write_text('<!DOCTYPE html><title>s</title><p id="x">x</p>')
    (site / "orphan.html").write_text("<!DOCTYPE html><title>o</title>")
    with serve_folder(site, prefix="project") as base:
        result = crawl(base, [base])
    failures = "\n".join(result.failures)
    assert f"{base}missing/: HTTP 404" in failures
    assert f"{base}sub: HTTP 301" in failures
    assert "'/elsewhere/'" in failures and "leaves the site's folder" in failures
    assert "#nowhere" in failures
    assert "#x" not in failures
    assert "'javascript:alert(1)'" in failures and "not a web link" in failures
    assert result.external == {"https://example.org/"}
    with pytest.raises(AssertionError, match="orphan.html"):
        judge(Crawl(base, pages={base: set(), base + "sub/": {"x"}}), site, base, set())
