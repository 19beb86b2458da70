"""Cross-reference the content once: papers by id and tag, digests in posting order.

The build reads only this; every lookup is by key, never by scanning a list, so the cost of
the site grows with its size and not with its size squared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from litdigest.content.model import Content, Digest, Paper, SiteConfig, Tag, first_day


@dataclass(frozen=True)
class TagEntry:
    tag: Tag
    papers: tuple[Paper, ...]


@dataclass(frozen=True)
class DigestEntry:
    digest: Digest
    papers: tuple[Paper, ...]


@dataclass(frozen=True)
class Library:
    config: SiteConfig
    papers: tuple[Paper, ...]  # newest first (_newest_first)
    by_id: dict[str, Paper]
    tags: dict[str, TagEntry]  # sorted by name
    digests: tuple[DigestEntry, ...]  # newest first
    listings: dict[str, tuple[Digest, ...]]  # by paper id: the digests that list it, oldest first
    appeared: dict[str, dt.date | None]  # by paper id: the day it appeared (first_listed)

    def listed_on(self, paper: Paper) -> dt.date | None:
        """When the paper appeared on the site: a day no later digest changes (first_listed)."""
        return self.appeared[paper.id]

    def last_listed_on(self, paper: Paper) -> dt.date | None:
        """The day the paper was last listed by a dated digest (its page shows that digest's
        commentary), else as listed_on."""
        dates = [d.date for d in self.listings.get(paper.id, ()) if d.date]
        return max(dates) if dates else self.listed_on(paper)


def build_library(content: Content) -> Library:
    by_id = {p.id: p for p in content.papers}
    digests = digest_entries(content.papers, content.digests, by_id)
    listings = _listings(digests)
    appeared = {p.id: first_listed(p, listings.get(p.id, ())) for p in content.papers}
    papers = tuple(sorted(content.papers, key=lambda p: _newest_first(p, appeared[p.id])))
    return Library(
        config=content.config,
        papers=papers,
        by_id={p.id: p for p in papers},
        tags=_tag_entries(papers, content.tags),
        digests=digests,
        listings=listings,
        appeared=appeared,
    )


def first_listed(paper: Paper, listed: tuple[Digest, ...]) -> dt.date | None:
    """The day of the first digest that listed the paper — the first its page names (the
    importer adds each new one at the end), else the oldest — or, where that digest has no date,
    the first day of the paper's own date: a day no later digest changes."""
    if len(listed) > 1:
        by_id = {d.id: d for d in listed}
        first = next((by_id[d] for d in paper.digests if d in by_id), listed[0])
    else:
        first = listed[0] if listed else None
    if first is not None and first.date is not None:
        return first.date
    return first_day(paper.date) if paper.date else None


def _newest_first(paper: Paper, day: dt.date | None) -> tuple[int, str, str]:
    """Papers by the day they appeared (first_listed), newest first, then the undated; each by
    title."""
    return (-(day.toordinal() if day else 0), paper.title.casefold(), paper.id)


def _listings(digests: tuple[DigestEntry, ...]) -> dict[str, tuple[Digest, ...]]:
    """For each paper, the digests that list it: the dated oldest first, then the undated."""
    found: dict[str, tuple[Digest, ...]] = {}
    for entry in sorted(digests, key=lambda e: _oldest_first(e.digest)):
        alone = (entry.digest,)
        for paper in entry.papers:
            listed = found.get(paper.id)
            found[paper.id] = alone if listed is None else listed + alone  # most papers: one digest
    return found


def _oldest_first(digest: Digest) -> tuple[int, str]:
    return (digest.date.toordinal() if digest.date else dt.date.max.toordinal() + 1, digest.id)


def _tag_entries(papers: tuple[Paper, ...], tags: dict[str, Tag]) -> dict[str, TagEntry]:
    members: dict[str, list[Paper]] = {}
    for paper in papers:
        for name in paper.tags:
            members.setdefault(name, []).append(paper)
    return {name: TagEntry(tags.get(name) or Tag(name=name), tuple(members[name]))
            for name in sorted(members)}


def digest_entries(papers: Sequence[Paper], digests: tuple[Digest, ...],
                   by_id: dict[str, Paper]) -> tuple[DigestEntry, ...]:
    """A digest shows the papers its file lists, in that order: the list is its author's, so a
    paper taken off it stays off, whatever the paper's own `digests` says. Only a digest whose
    file lists no papers, or that has no file, shows the papers that name it (by slug). The one
    place this rule is written: `check` asks it too (check/content.py)."""
    listed: dict[str, list[Paper]] = {}
    for paper in papers:
        for digest_id in paper.digests:
            listed.setdefault(digest_id, []).append(paper)
    known = {d.id: d for d in digests}
    entries = []
    for digest_id in sorted(set(known) | set(listed)):
        digest = known.get(digest_id) or _implied_digest(digest_id, listed[digest_id])
        ordered = [by_id[pid] for pid in digest.papers if pid in by_id]
        if not digest.papers:
            ordered = sorted(listed.get(digest_id, []), key=lambda p: p.slug)
        entries.append(DigestEntry(digest, tuple(ordered)))
    entries.sort(key=lambda e: (-(e.digest.date.toordinal() if e.digest.date else 0), e.digest.id))
    return tuple(entries)


def _implied_digest(digest_id: str, papers: list[Paper]) -> Digest:
    """A digest named by papers but with no file of its own: dated by its papers' newest own
    date that names a day."""
    days = [p.date for p in papers if p.date and len(p.date) == 10]  # ISO: as text, in date order
    return Digest(id=digest_id, date=dt.date.fromisoformat(max(days)) if days else None)
