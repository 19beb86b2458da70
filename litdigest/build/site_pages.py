"""Decide which pages the site has, at which paths, with which data: plain data, rendered later.

(Not the `sitemap.xml` for search engines: that is one of the pages planned here, web_index.py.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from litdigest.build.library import Library


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

    @property
    def root(self) -> str:
        """The relative path back to the site's root, so links work under any sub-path."""
        return "../" * self.path.count("/")


def feed_updated(library: Library) -> str:
    """The newest date the content gives; never the time of the build, so output is reproducible."""
    dates = [p.date for p in library.papers if p.date]
    return f"{max(dates).isoformat()}T00:00:00Z" if dates else "1970-01-01T00:00:00Z"


def paginate(items: Sequence[Any], size: int, folder: str) -> list[Pager]:
    count = max(1, -(-len(items) // size))
    return [Pager(n, count, tuple(items[(n - 1) * size : n * size]), folder)
            for n in range(1, count + 1)]


def plan_pages(library: Library) -> list[Page]:
    """Every page of the site, in a fixed order."""
    size = library.config.page_size
    pages = [Page("index.html", "home.html",
                  {"digests": library.digests[:size], "more": len(library.digests) > size})]
    # Listings hold what they show, (digest, count) and (tag, count), not every paper: a changed
    # paper does not re-render them.
    pages.append(Page("digests/index.html", "digests.html",
                      {"digests": tuple((e.digest, len(e.papers)) for e in library.digests)}))
    pages += [Page(f"digests/{e.digest.id}/index.html", "digest.html", {"entry": e},
                   papers=tuple(p.id for p in e.papers)) for e in library.digests]
    labels = {e.digest.id: e.digest.label for e in library.digests}
    pages += [Page(f"papers/{p.slug}/index.html", "paper.html",
                   {"paper": p, "listed_in": tuple((d, labels[d]) for d in p.digests)},
                   papers=(p.id,))
              for p in library.papers]
    pages += [Page(f"{pager.path_of(pager.number)}index.html", "papers.html", {"pager": pager})
              for pager in paginate(library.papers, size, "papers/")]
    pages.append(Page("tags/index.html", "tags.html",
                      {"tags": tuple((e.tag, len(e.papers)) for e in library.tags.values())}))
    for name, entry in library.tags.items():
        # Only the page of the tag's listing that shows a changed paper is re-rendered.
        pages += [Page(f"{pager.path_of(pager.number)}index.html", "tag.html",
                       {"tag": entry.tag, "count": len(entry.papers), "pager": pager})
                  for pager in paginate(entry.papers, size, f"tags/{name}/")]
    feed = library.papers[: library.config.feed_size]
    pages.append(Page("feed.xml", "feed.xml", {"papers": feed, "feed_updated": feed_updated(library)},
                      papers=tuple(p.id for p in feed)))
    pages.append(Page("404.html", "404.html", {}))
    return pages
