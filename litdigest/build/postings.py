"""A paper's commentary grouped by the digest that posted it, as its pages show it.

A digest page shows the commentary of that digest; a paper page every digest's, each under its
digest, in the order `site.yaml`'s `commentary_order` gives (commentary_shown). A block
naming no digest is its paper's first digest's (Paper.posted_in); a block whose digest no longer
lists the paper is still shown on the paper's page, last, under no digest, so no text is lost.
Templates call commentary_shown (jinja_env.py): what it returns depends on its arguments alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from litdigest.content.model import Digest, Paper

if TYPE_CHECKING:
    from litdigest.build.markdown import RenderedBody


@dataclass(frozen=True)
class Posting:
    """One digest's commentary on a paper: the digest (None: a digest that lists it no more), its
    day (`YYYY-MM-DD`, or "" for an undated digest), and each block's (lang, html), in the
    page's order; `bilingual`: in Korean and in English (a reader of one may open the other:
    _paper.html's `.paper-other`). Worked out here once, not by the template: every paper page
    shows one."""

    digest: Digest | None
    day: str
    commentary: tuple[tuple[str, str], ...]
    bilingual: bool


def posting(digest: Digest | None, commentary: tuple[tuple[str, str], ...]) -> Posting:
    langs = {lang for lang, _ in commentary}
    return Posting(digest, digest.date.isoformat() if digest and digest.date else "", commentary,
                   "ko" in langs and "en" in langs)


@dataclass(frozen=True)
class Shown:
    """What a page shows of a paper's commentary: its postings, and whether any is bilingual."""

    postings: tuple[Posting, ...]
    bilingual: bool


def commentary_shown(paper: Paper, body: RenderedBody, digest: Digest | None,
                     listed_in: Sequence[Digest]) -> Shown:
    """On a digest's page (`digest`), what that digest posted; else, on the paper's page, every
    digest's (postings)."""
    shown = commentary_of(paper, body, digest) if digest is not None else postings(paper, body, listed_in)
    return Shown(shown, any(p.bilingual for p in shown))


def postings(paper: Paper, body: RenderedBody, listed_in: Sequence[Digest]) -> tuple[Posting, ...]:
    """The paper's commentary by digest: the digests of `listed_in` that commented, in its order,
    then what the others posted, under no digest."""
    by_digest = _by_digest(paper, body)
    shown = [posting(d, tuple(by_digest.pop(d.id))) for d in listed_in if d.id in by_digest]
    rest = tuple(block for blocks in by_digest.values() for block in blocks)
    return (*shown, posting(None, rest)) if rest else tuple(shown)


def commentary_of(paper: Paper, body: RenderedBody, digest: Digest) -> tuple[Posting, ...]:
    """The commentary `digest` posted on the paper: one Posting, or none."""
    blocks = _by_digest(paper, body).get(digest.id)
    return (posting(digest, tuple(blocks)),) if blocks else ()


def _by_digest(paper: Paper, body: RenderedBody) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for block, rendered in zip(paper.commentary, body.commentary):
        found.setdefault(paper.posted_in(block), []).append(rendered)
    return found
