"""Decide which pages the site has, at which paths, with which data: plain data, rendered later.

(Not the `sitemap.xml` for search engines: that is one of the pages planned here, web_index.py.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

from litdigest.build.library import Library
from litdigest.build.indexes import timeline, weighted_tags
from litdigest.build.metadata import site_base_url
from litdigest.build.papers_json import PAPERS_JSON, SCHEMA_JSON, EveryPaper
from litdigest.build.tuning import FEED_ENTRY_WEIGHT, PAPERS_JSON_WEIGHT, SITEMAP_ROW_WEIGHT
from litdigest.build.web_index import FeedOrder, entry_dates, feed_updated, newest, sitemap_files
from litdigest.content.model import Digest, Paper


@dataclass(frozen=True)
class Pager:
    """One page of a paginated listing, with relative paths to its neighbours."""

    number: int
    count: int
    items: tuple[Any, ...]
    first_path: str  # the listing's own folder, e.g. "tags/alignment/"

    def path_of(self, number: int) -> str:
        return self.first_path if number == 1 else f"{self.first_path}page/{number}/"

    @property
    def prev(self) -> str | None:
        return self.path_of(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.path_of(self.number + 1) if self.number < self.count else None


@dataclass(frozen=True)
class Page:
    """A file to write: its path under `site/`, the template, and what the template sees."""

    path: str
    template: str
    context: dict[str, Any]
    papers: tuple[str, ...] = ()  # ids of the papers whose bodies this page shows
    lastmod: dt.date | None = None  # the newest real date of what it shows, for sitemap.xml
    weight: float = 0.0  # its cost beyond 3 render units and one per paper (tuning.py)

    @property
    def root(self) -> str:
        """The relative path back to the site's root, so links work under any sub-path."""
        return "../" * self.path.count("/")


def paginate(items: Sequence[Any], size: int, folder: str) -> list[Pager]:
    count = max(1, -(-len(items) // size))
    return [Pager(n, count, tuple(items[(n - 1) * size : n * size]), folder)
            for n in range(1, count + 1)]


def plan_pages(library: Library) -> list[Page]:
    """Every page of the site, in a fixed order: the HTML pages, then what machines read."""
    pages = html_pages(library)
    return pages + machine_pages(library, pages)


def for_browsers(path: str) -> bool:
    """Is the page at this output path one a browser shows (an HTML page), not a file machines
    read (feeds, sitemaps, robots.txt, papers.json and its schema)?"""
    return path.endswith(".html")


def machine_pages(library: Library, html: Sequence[Page]) -> list[Page]:
    """The files machines read: the feeds, the sitemap of the HTML pages `html`, robots.txt,
    papers.json and its schema."""
    pages = _feeds(library)
    base_url = site_base_url(library.config)
    pages += [Page(path, "sitemap.xml", {"sitemap": entries},
                   weight=SITEMAP_ROW_WEIGHT * (len(entries.rows) + len(entries.parts)))
              for path, entries in sitemap_files(((p.path, p.lastmod) for p in html), base_url)]
    pages.append(Page("robots.txt", "robots.txt", {}))
    # papers.json shows every field of every paper: its key holds them all (a paper stands for
    # its file's hash), so it is made again when any paper changes, and only then.
    every = EveryPaper(library.papers, tuple(e.digest for e in library.digests))
    pages.append(Page(PAPERS_JSON, PAPERS_JSON, {"every": every},
                      weight=PAPERS_JSON_WEIGHT * len(library.papers)))
    pages.append(Page(SCHEMA_JSON, SCHEMA_JSON, {}))
    return pages


def html_pages(library: Library) -> list[Page]:
    """The HTML pages. A listing's lastmod is the date of the first paper or digest it shows:
    the library keeps both newest first, the undated last (library.py)."""
    size = library.config.page_size
    digests = library.digests
    newest_digest = digests[0].digest.date if digests else None
    pages = [Page("index.html", "home.html",
                  {"digests": digests[:size], "more": len(digests) > size},
                  lastmod=newest_digest)]
    # The indexes hold what they show (indexes.py: counts, weights, tags), not every paper: a
    # changed paper re-renders them only when what they show of it changes.
    pages.append(Page("digests/index.html", "digests.html",
                      {"years": timeline(digests, library.tags), "count": len(digests)},
                      lastmod=newest_digest))
    pages += [Page(f"digests/{e.digest.id}/index.html", "digest.html",
                   {"entry": e, "newer": digests[i - 1].digest if i else None,
                    "older": digests[i + 1].digest if i + 1 < len(digests) else None},
                   papers=tuple(p.id for p in e.papers), lastmod=e.digest.date)
              for i, e in enumerate(digests)]
    latest_first = library.config.commentary_order == "newest"
    pages += [Page(f"papers/{p.slug}/index.html", "paper.html",
                   {"paper": p, "listed_in": _in_order(library.listings.get(p.id, ()), latest_first)},
                   papers=(p.id,), lastmod=library.last_listed_on(p))
              for p in library.papers]
    pages += [Page(f"{pager.path_of(pager.number)}index.html", "papers.html", {"pager": pager},
                   lastmod=_first_date(library, pager.items))
              for pager in paginate(library.papers, size, "papers/")]
    pages.append(Page("tags/index.html", "tags.html",
                      {"tags": weighted_tags(library.tags.values())},
                      lastmod=newest(_first_date(library, e.papers) for e in library.tags.values())))
    for name, entry in library.tags.items():
        # Only the page of the tag's listing that shows a changed paper is re-rendered.
        pages += [Page(f"{pager.path_of(pager.number)}index.html", "tag.html",
                       {"tag": entry.tag, "count": len(entry.papers), "pager": pager},
                       lastmod=_first_date(library, pager.items))
                  for pager in paginate(entry.papers, size, f"tags/{name}/")]
    pages.append(Page("404.html", "404.html", {}))
    return pages


def _in_order(listed: tuple[Digest, ...], latest_first: bool) -> tuple[Digest, ...]:
    """A paper's digests (oldest first) in the order its page shows their commentary."""
    return tuple(reversed(listed)) if latest_first else listed


def _first_date(library: Library, papers: Sequence[Paper]) -> dt.date | None:
    """The newest day among papers in the library's order (newest first, the undated last): the
    day the first of them appeared."""
    return library.listed_on(papers[0]) if papers else None


def _feeds(library: Library) -> list[Page]:
    """The site's feed (each entry's whole body) and each tag's (each entry's description)."""
    size = library.config.feed_size
    order = FeedOrder(library.papers, entry_dates(library))
    entries = order.newest(size)
    feeds = [Page("feed.xml", "feed.xml",
                  {"entries": entries, "feed_updated": feed_updated(entries), "tag": None},
                  papers=tuple(e.paper.id for e in entries),
                  weight=FEED_ENTRY_WEIGHT * len(entries))]
    by_tag = order.newest_by_tag(size)
    for name, tag_entry in library.tags.items():
        entries = by_tag.get(name, ())
        feeds.append(Page(f"tags/{name}/feed.xml", "feed.xml",
                          {"entries": entries, "feed_updated": feed_updated(entries),
                           "tag": tag_entry.tag}, weight=FEED_ENTRY_WEIGHT * len(entries)))
    return feeds
