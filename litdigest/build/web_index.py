"""The files that describe the whole site to machines, as plain data for their templates: the
entries of `sitemap.xml` (every HTML page, with a `lastmod` only where the content gives a real
date) and the entries of the Atom feeds, the site's and each tag's.

Dates are the content's, never the build's: an entry's date is the day its paper was first
listed by a digest (else its own date, else FALLBACK_DATE), so posting a new digest never moves
the date of an entry already in a feed; a feed's own date is its newest entry's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Sequence

from litdigest.build.library import Library
from litdigest.build.metadata import absolute_url
from litdigest.content.model import Paper

FALLBACK_DATE = dt.date(1970, 1, 1)
SITEMAP_LIMIT = 50_000  # URLs in one sitemap file: the protocol's own limit (sitemaps.org)
NOT_LISTED = ("404.html",)  # served for any unknown URL: not a page of its own


@dataclass(frozen=True)
class FeedEntry:
    """One paper in a feed, with the date that stays its own."""

    paper: Paper
    updated: str  # RFC 3339, midnight UTC


@dataclass(frozen=True)
class SitemapEntries:
    """One sitemap file: its rows (absolute URL, `YYYY-MM-DD` or "" for no real date), by URL,
    so a page that moves in a listing moves no row; or, for an index, its parts (their URL and
    newest lastmod). Tuples of strings, so the page's key is made in one step."""

    rows: tuple[tuple[str, str], ...]
    parts: tuple[tuple[str, str], ...] = ()


def timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def entry_dates(library: Library) -> dict[str, dt.date]:
    """Each paper's date in feeds: the day it was first listed (Library.listed_on), else
    FALLBACK_DATE."""
    return {paper.id: library.listed_on(paper) or FALLBACK_DATE for paper in library.papers}


class FeedOrder:
    """The entries of every feed, worked out once per build: the papers newest first by entry
    date (ties keep the library's order), each with its one FeedEntry, which every feed showing
    it shares (its date is the paper's own, whichever feed shows it)."""

    def __init__(self, papers: Sequence[Paper], dates: dict[str, dt.date]) -> None:
        self.ranked = sorted(papers, key=lambda p: -dates[p.id].toordinal())
        self.dates = dates
        self.made: dict[str, FeedEntry] = {}

    def newest(self, size: int) -> tuple[FeedEntry, ...]:
        """The site feed's entries: the `size` newest papers."""
        return tuple([self._entry(paper) for paper in self.ranked[:size]])

    def newest_by_tag(self, size: int) -> dict[str, tuple[FeedEntry, ...]]:
        """Each tag's feed entries: the `size` newest of its papers, found in one pass over the
        papers, newest first (not a sort per tag)."""
        chosen: dict[str, list[FeedEntry]] = {}
        for paper in self.ranked:
            for name in paper.tags:
                entries = chosen.setdefault(name, [])
                if len(entries) < size:
                    entries.append(self._entry(paper))
        return {name: tuple(entries) for name, entries in chosen.items()}

    def _entry(self, paper: Paper) -> FeedEntry:
        entry = self.made.get(paper.id)
        if entry is None:
            entry = self.made[paper.id] = FeedEntry(paper, timestamp(self.dates[paper.id]))
        return entry


def feed_updated(entries: Sequence[FeedEntry]) -> str:
    """A feed's date: its newest entry's (the entries are newest first)."""
    return entries[0].updated if entries else timestamp(FALLBACK_DATE)


def newest(dates: Iterable[dt.date | None]) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def sitemap_files(pages: Iterable[tuple[str, dt.date | None]],
                  base_url: str) -> list[tuple[str, SitemapEntries]]:
    """(output path, entries) of each sitemap file for the site's pages, given as (output path,
    lastmod): every HTML page but those NOT_LISTED. One `sitemap.xml`, or beyond SITEMAP_LIMIT
    URLs `sitemap.xml` as the index of `sitemap-1.xml`, `sitemap-2.xml`…, as the protocol asks."""
    rows = tuple(sorted(
        (absolute_url(base_url, path), lastmod.isoformat() if lastmod else "")
        for path, lastmod in pages if path.endswith(".html") and path not in NOT_LISTED))
    if len(rows) <= SITEMAP_LIMIT:
        return [("sitemap.xml", SitemapEntries(rows))]
    files = [(f"sitemap-{number}.xml", SitemapEntries(rows[start:start + SITEMAP_LIMIT]))
             for number, start in enumerate(range(0, len(rows), SITEMAP_LIMIT), 1)]
    index = tuple((base_url + path, max(lastmod for _, lastmod in part.rows))
                  for path, part in files)
    return [("sitemap.xml", SitemapEntries((), index)), *files]
