"""Decide what a build must redo: the pages whose inputs changed since the previous build.

Each planned page gets a key: a fingerprint of everything its output is made from — the code,
the templates, the site's settings (the `base` key), and the page's own context, where a paper
stands for the hash of its file and for the display names of its tags (the templates look
those up in `library.tags`). A page whose key is the one it had last time has the same bytes
as last time and is neither rendered nor written. A page with a new key is rendered; it is
written only if its bytes differ from the file on disk. Keys are kept in the cache.

`serve` keeps the last build's pages and library in memory (a Snapshot) and compares each new
page's context with the old one directly, which says the same as comparing keys (a paper that
did not change is the very same object) at a fraction of the cost.

So a template may use anything in its page's context and the site's settings. A template that
reached into `library` for more than tag names would see pages go stale: the tests compare every
kind of incremental build with a fresh one to catch exactly that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

from litdigest.build.library import DigestEntry, Library, TagEntry
from litdigest.content.model import Paper, Tag
from litdigest.build.site_pages import Page, Pager
from litdigest.build.papers_json import EveryPaper
from litdigest.build.web_index import FeedEntry, SitemapEntries
from litdigest.build.tuning import FULL_FROM
from litdigest.incremental.hashes import text_hash

FULL, UPDATE = "full", "update"
TAGS_INLINE = 8  # a paper with more tags stands for their hash in keys, not for their tokens


@dataclass(frozen=True)
class Plan:
    """What this build does: write a whole new site, or update some pages of the old one."""

    mode: str  # FULL or UPDATE
    render: tuple[Page, ...]  # pages to render (all of them when FULL)
    remove: tuple[str, ...]  # output paths of pages the site no longer has (UPDATE only)


@dataclass(frozen=True)
class Snapshot:
    """A build's pages and library, kept in memory by `serve` so that the next build can compare
    each page's context with the last one directly (unchanged papers are the same objects, so
    that is mostly identity checks) instead of working out every page's key."""

    base: str
    pages: Mapping[str, Page]
    library: Library
    paper_hashes: Mapping[int, str]

    def keys(self) -> dict[str, str]:
        return page_keys(self.pages.values(), self.library, self.paper_hashes, self.base)


def plan_against(pages: list[Page], library: Library, snapshot: Snapshot, base: str,
                 part: Callable[[str], bool] | None = None) -> Plan | None:
    """Plan by comparing contexts with the snapshot's; None when the comparison would not be
    enough (other templates or settings, other tag names). `part`: the output paths `pages`
    stand for, when they are one part of the site planned on its own (then a plan is always an
    update of that part; None: the whole site)."""
    if snapshot.base != base or _tag_names(snapshot.library) != _tag_names(library):
        return None
    before, old_papers, papers = snapshot.pages, snapshot.library.by_id, library.by_id
    stale = []
    for page in pages:
        old = before.get(page.path)
        if (old is None or old.template != page.template or old.context != page.context
                or [old_papers[p] for p in old.papers] != [papers[p] for p in page.papers]):
            stale.append(page)
    if part is None and mostly_stale(stale, pages):
        return Plan(FULL, tuple(pages), ())
    now = {page.path for page in pages}
    gone = tuple(sorted(path for path in before
                        if path not in now and (part is None or part(path))))
    return Plan(UPDATE, tuple(stale), gone)


def mostly_stale(stale: Sequence[Page], pages: Sequence[Page]) -> bool:
    """Are so many pages stale that writing a whole new site is cheaper than updating the old?"""
    return len(stale) > FULL_FROM * max(len(pages), 1)


def _tag_names(library: Library) -> dict[str, Tag]:
    """What templates look up in `library.tags`: each tag's display data."""
    return {name: entry.tag for name, entry in library.tags.items()}


def base_key(code: str, templates_hash: str, config: Any) -> str:
    """What every page depends on: the code, the templates, the site's settings."""
    return text_hash(f"{code}\n{templates_hash}\n{config!r}")


def templates_hash(hashes: Mapping[str, str], static: str) -> str:
    """A hash of every template file, leaving out the static assets (copied, never rendered)."""
    listed = [f"{path}:{hashed}" for path, hashed in sorted(hashes.items())
              if not path.startswith(static + "/")]
    return text_hash("\n".join(listed))


def page_keys(pages: Iterable[Page], library: Library, paper_hashes: Mapping[int, str],
              base: str) -> dict[str, str]:
    """The key of every page; `paper_hashes` maps id(paper) to the content hash of its file.

    A key is the fingerprint itself, not a hash of it: comparing strings is cheaper than
    hashing them, and they are short (a paper is its file's hash and its tags' short hashes,
    or one hash of them all beyond TAGS_INLINE tags): a key grows with what its page shows,
    never with how many tags the papers on it have."""
    fingerprint = _Fingerprint(library, paper_hashes)
    return {page.path: fingerprint.page(page, base) for page in pages}


def plan(pages: list[Page], keys: Mapping[str, str], previous: Mapping[str, str] | None,
         site_is_previous: bool) -> Plan:
    """Render the pages whose key changed; a whole new site when there is no trusted old one."""
    if previous is None or not site_is_previous:
        return Plan(FULL, tuple(pages), ())
    stale = tuple(page for page in pages if previous.get(page.path) != keys[page.path])
    if mostly_stale(stale, pages):
        return Plan(FULL, tuple(pages), ())
    gone = tuple(sorted(set(previous) - set(keys)))
    return Plan(UPDATE, stale, gone)


class _Fingerprint:
    """Turns a page's context into a string that changes exactly when what it shows may change."""

    def __init__(self, library: Library, paper_hashes: Mapping[int, str]) -> None:
        self.library = library
        self.paper_hashes = paper_hashes
        self.memo: dict[int, str] = {}  # by id() of objects the library keeps alive
        self.tags: dict[str, str] = {}
        self.papers = {id(p): self._paper_token(p) for p in library.papers}
        self.compound: dict[type, Callable[[Any], str]] = {
            tuple: self._sequence, list: self._sequence, dict: self._mapping,
            TagEntry: self._tag_entry, DigestEntry: self._digest_entry, Pager: self._pager,
            FeedEntry: self._feed_entry, SitemapEntries: _sitemap_entries,
            EveryPaper: self._every_paper}

    def page(self, page: Page, base: str) -> str:
        token = f"{base}\x1f{page.template}\x1f{self.value(page.context)}"
        if page.papers:
            by_id = self.library.by_id
            token += "\x1f" + ",".join([self.paper(by_id[pid]) for pid in page.papers])
        return token

    def paper(self, paper: Paper) -> str:
        return self.papers.get(id(paper)) or self._paper_token(paper)

    def value(self, value: Any) -> str:
        kind = type(value)
        if kind is Paper:
            return self.paper(value)
        if value is None or kind in _SCALARS:
            return repr(value)
        key = id(value)
        known = self.memo.get(key)
        if known is None:
            known = self.memo[key] = self._compound(value)
        return known

    def _compound(self, value: Any) -> str:
        handler = self.compound.get(type(value))
        if handler is not None:
            return handler(value)
        if isinstance(value, (str, int, float, dt.date)):
            return repr(value)
        if is_dataclass(value) and not isinstance(value, type):
            inner = ",".join(f"{f.name}={self.value(getattr(value, f.name))}" for f in fields(value))
            return f"{type(value).__name__}({inner})"
        raise TypeError(f"rebuild cannot fingerprint a {type(value).__name__} in a page's context")

    def _sequence(self, items: tuple[Any, ...] | list[Any]) -> str:
        if set(map(type, items)) == {Paper}:  # the common case, looked up without a call each
            try:
                return "(" + ",".join(map(self.papers.__getitem__, map(id, items))) + ")"
            except KeyError:
                pass
        return "(" + ",".join(map(self.value, items)) + ")"

    def _mapping(self, mapping: dict[str, Any]) -> str:
        return "{" + ",".join(f"{k!r}:{self.value(v)}" for k, v in sorted(mapping.items())) + "}"

    def _tag_entry(self, entry: TagEntry) -> str:
        return "T" + text_hash(f"{entry.tag!r}{self.value(entry.papers)}")

    def _digest_entry(self, entry: DigestEntry) -> str:
        return "D" + text_hash(f"{entry.digest!r}{self.value(entry.papers)}")

    def _pager(self, pager: Pager) -> str:
        return f"G{pager.number},{pager.count},{pager.first_path!r},{self.value(pager.items)}"

    def _every_paper(self, every: EveryPaper) -> str:
        return "A" + text_hash(self._sequence(every.papers) + repr(every.digests))

    def _feed_entry(self, entry: FeedEntry) -> str:
        return f"F{self.paper(entry.paper)}{entry.updated}"

    def _paper_token(self, paper: Paper) -> str:
        """A paper: the hash of its file and the display data of its tags, made once per paper.
        Beyond a few tags their tokens are hashed into one: every page that shows the paper
        (each of its tags' listings among them) carries its token, so a token that grew with
        the tags would make keys grow with tags × pages."""
        tags = self.tags
        shown = "".join([tags.get(name) or self._tag(name) for name in paper.tags])
        if len(paper.tags) > TAGS_INLINE:
            shown = text_hash(shown)  # 32 hex digits, never mistaken for the <…> of one tag
        return "P" + self.paper_hashes[id(paper)] + shown

    def _tag(self, name: str) -> str:
        """A tag's display data as the templates look it up in `library.tags`."""
        entry = self.library.tags.get(name)
        tag = entry.tag if entry is not None else Tag(name=name)
        token = self.tags[name] = "<" + text_hash(repr(tag))[:12] + ">"
        return token


def _sitemap_entries(entries: SitemapEntries) -> str:
    """A sitemap file's rows: strings only, so their repr says all they show, made in one step,
    and hashed: a row per page of the site, which a key must not hold."""
    return "S" + text_hash(f"{entries.rows!r}{entries.parts!r}")


_SCALARS = frozenset({str, int, float, bool, dt.date})

