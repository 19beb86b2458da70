"""Recognise the same paper however a digest spells it: one paper, one page.

Two records are the same paper when, in this order of trust:

1. they share an id: arXiv (any version, abs/pdf URL, old-style), DOI, or the hash id of a paper
   known only by its title or abstract — a page is known by its own id, then by the arXiv and
   DOI ids its links name (a page's own id wins over another page's link to the same id), then
   by the ids of listings once recognised as it (its aliases);
2. their real titles are equal once normalized (case, punctuation, spacing, LaTeX and accents
   folded; see `identity.normalized`) — derived titles are guesses and never match;
3. their abstracts are equal once normalized, or one is a cut-short copy of the other: both
   share their first `ABSTRACT_START` normalized characters (and their real titles, if both
   have one, are not different).

Matches by title or abstract never join two records that name different arXiv ids or DOIs.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

from litdigest.importer import identity as ids
from litdigest.content.model import Paper

K = TypeVar("K", bound=Hashable)
ABSTRACT_START = 200  # normalized characters two copies of one abstract surely share


class PaperIndex(Generic[K]):
    """Papers by every way they can be recognised; `K` is where each is (a page's path, a
    cluster's number)."""

    def __init__(self) -> None:
        self.papers: dict[K, Paper] = {}
        # Trusted in this order: a page's own id, the ids its links name, its aliases.
        self.by_id: dict[str, K] = {}
        self.by_key: dict[str, K] = {}
        self.by_alias: dict[str, K] = {}
        self.by_text: dict[str, list[K]] = {}

    def remember(self, where: K, paper: Paper, also: tuple[tuple[str, str], ...] = (),
                 aliases: tuple[str, ...] = ()) -> None:
        """Know `paper` at `where`; `also` are links it once had (the import state's record),
        whose ids still name it after a person removed them from the page; `aliases` are the ids
        of listings once recognised as it (a cut-short abstract that matched the page's abstract
        before the whole one replaced it still names the page)."""
        self.papers[where] = paper
        self.by_id.setdefault(paper.id, where)
        for key in ids.identifiers(paper.id, (*paper.links, *also)):
            self.by_key.setdefault(key, where)
        for alias in aliases:
            self.by_alias.setdefault(alias, where)
        for key in text_keys(paper):
            places = self.by_text.setdefault(key, [])
            if where not in places:
                places.append(where)

    def find(self, paper: Paper) -> K | None:
        """Where the same paper is, if it is known (see the module's docstring)."""
        keys = ids.identifiers(paper.id, paper.links)
        for known in (self.by_id, self.by_key, self.by_alias):
            for key in keys:
                if key in known:
                    return known[key]
        for text_key in text_keys(paper):
            for where in self.by_text.get(text_key, []):
                other = self.papers[where]
                if ids.conflicting(keys, ids.identifiers(other.id, other.links)):
                    continue
                if text_key.startswith("start ") and _titles_differ(paper, other):
                    continue
                return where
        return None


def _titles_differ(one: Paper, other: Paper) -> bool:
    """Both have real titles, and they are not the same title: a shared start of an abstract
    is then not enough to call them one paper."""
    return (not one.title_derived and not other.title_derived
            and ids.normalized(one.title) != ids.normalized(other.title))


def text_keys(paper: Paper) -> list[str]:
    """The keys a paper's text is known by, most trusted first."""
    keys = []
    if not paper.title_derived and paper.title.strip():
        title = ids.normalized(paper.title)
        keys += [f"title {title}"] if title else []
    abstract = ids.normalized(paper.abstract) if paper.abstract.strip() else ""
    if abstract:
        keys.append(f"abstract {abstract}")
        if len(abstract) >= ABSTRACT_START:
            keys.append(f"start {abstract[:ABSTRACT_START]}")
    return keys
