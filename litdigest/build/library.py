"""Cross-reference the content once: papers by id and tag, digests in posting order.

The build reads only this; every lookup is by key, never by scanning a list, so the cost of
the site grows with its size and not with its size squared.
"""

from __future__ import annotations

from dataclasses import dataclass

from litdigest.content.model import Content, Digest, Paper, SiteConfig, Tag


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
    papers: tuple[Paper, ...]  # newest first
    by_id: dict[str, Paper]
    tags: dict[str, TagEntry]  # sorted by name
    digests: tuple[DigestEntry, ...]  # newest first


def newest_first(paper: Paper) -> tuple[int, str, str]:
    """Dated papers newest first, then undated ones, each by title."""
    return (-(paper.date.toordinal() if paper.date else 0), paper.title.casefold(), paper.id)


def build_library(content: Content) -> Library:
    papers = tuple(sorted(content.papers, key=newest_first))
    by_id = {p.id: p for p in papers}
    return Library(
        config=content.config,
        papers=papers,
        by_id=by_id,
        tags=_tag_entries(papers, content.tags),
        digests=_digest_entries(papers, content.digests, by_id),
    )


def _tag_entries(papers: tuple[Paper, ...], tags: dict[str, Tag]) -> dict[str, TagEntry]:
    members: dict[str, list[Paper]] = {}
    for paper in papers:
        for name in paper.tags:
            members.setdefault(name, []).append(paper)
    return {name: TagEntry(tags.get(name) or Tag(name=name), tuple(members[name]))
            for name in sorted(members)}


def _digest_entries(papers: tuple[Paper, ...], digests: tuple[Digest, ...],
                    by_id: dict[str, Paper]) -> tuple[DigestEntry, ...]:
    """A digest shows the papers its file lists, in that order: the list is its author's, so a
    paper taken off it stays off, whatever the paper's own `digests` says. Only a digest whose
    file lists no papers, or that has no file, shows the papers that name it (by slug)."""
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
    """A digest named by papers but with no file of its own: dated by its newest paper."""
    dates = [p.date for p in papers if p.date]
    return Digest(id=digest_id, date=max(dates) if dates else None)
