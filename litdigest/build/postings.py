"""A paper's commentary grouped by the digest that posted it, as its pages show it.

A digest page shows the commentary of that digest (commentary_of); a paper page every digest's,
each under its digest, in the order `site.yaml`'s `commentary_order` gives (postings). A block
naming no digest is its paper's first digest's (Paper.posted_in); a block whose digest no longer
lists the paper is still shown on the paper's page, last, under no digest, so no text is lost.
Templates call both (jinja_env.py); what they return depends on their arguments alone.
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
    """One digest's commentary on a paper: the digest (None: a digest that lists it no more),
    and each block's (lang, html), in the page's order."""

    digest: Digest | None
    commentary: tuple[tuple[str, str], ...]

    @property
    def bilingual(self) -> bool:
        """Commentary in Korean and in English: the paper gets a language switch of its own."""
        langs = {lang for lang, _ in self.commentary}
        return "ko" in langs and "en" in langs


def postings(paper: Paper, body: RenderedBody, listed_in: Sequence[Digest]) -> tuple[Posting, ...]:
    """The paper's commentary by digest: the digests of `listed_in` that commented, in its order,
    then what the others posted, under no digest."""
    by_digest = _by_digest(paper, body)
    shown = [Posting(d, tuple(by_digest.pop(d.id))) for d in listed_in if d.id in by_digest]
    rest = tuple(block for blocks in by_digest.values() for block in blocks)
    return (*shown, Posting(None, rest)) if rest else tuple(shown)


def commentary_of(paper: Paper, body: RenderedBody, digest: Digest) -> tuple[Posting, ...]:
    """The commentary `digest` posted on the paper: one Posting, or none."""
    blocks = _by_digest(paper, body).get(digest.id)
    return (Posting(digest, tuple(blocks)),) if blocks else ()


def _by_digest(paper: Paper, body: RenderedBody) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for block, rendered in zip(paper.commentary, body.commentary):
        found.setdefault(paper.posted_in(block), []).append(rendered)
    return found
