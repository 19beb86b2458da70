"""A paper as one digest lists it: a raw paper turned into a page (cleaned, titled, identified),
the listings of one paper in a digest grouped together, and the id a new page gets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import reduce

from litdigest.content.model import Commentary, Paper
from litdigest.importer import clean
from litdigest.importer import identity as ids
from litdigest.importer.formats import ParsedPaper
from litdigest.importer.matching import PaperIndex
from litdigest.importer.merge import combine
from litdigest.importer.titles import paper_title

_FENCE = re.compile(r"^:::", re.MULTILINE)


def guard_fences(text: str) -> str:
    """Text with every line that would open or close a `::: commentary` block escaped as `\\:::`
    (Markdown shows it as `:::`), so a pasted `:::` can never cut a page's body apart."""
    return _FENCE.sub(r"\\:::", text)


def paper_from(parsed: ParsedPaper, digest: str) -> Paper:
    """A page for a parsed paper (its slug still to be chosen): cleaned, titled, identified,
    dated by its own date (its source's, else its arXiv number's month: never the digest's), its
    commentary the digest's."""
    abstract = guard_fences(clean.clean_markdown(parsed.abstract))
    title, derived = paper_title(parsed)
    # a raw paper's link names are unique and never `arxiv` or `doi` (see ParsedPaper.links)
    links = (((("arxiv", ids.arxiv_url(parsed.arxiv)),) if parsed.arxiv else ())
             + ((("doi", ids.doi_url(parsed.doi)),) if parsed.doi else ()) + parsed.links)
    paragraphs = ((lang, [guard_fences(clean.clean_markdown(p)) for p in texts])
                  for lang, texts in parsed.commentary)
    return Paper(
        id=ids.paper_id(arxiv=parsed.arxiv, doi=parsed.doi, title=title, title_derived=derived,
                        abstract=abstract),
        slug="",
        title=title,
        title_derived=derived,
        authors=parsed.authors,
        date=own_date(parsed),
        tags=unique(t for t in (ids.tag_name(tag) for tag in parsed.tags) if t),
        venue=clean.clean_plain(parsed.venue) if parsed.venue else None,
        links=links,
        digests=(digest,),
        abstract=abstract,
        commentary=tuple(Commentary(lang, "\n\n".join(p for p in texts if p), digest)
                         for lang, texts in paragraphs if any(texts)),
    )


def own_date(parsed: ParsedPaper) -> str | None:
    """The paper's own date: its source's, else the month of its arXiv number, else unknown."""
    if parsed.published is not None:
        return parsed.published.isoformat()
    return ids.arxiv_month(parsed.arxiv) if parsed.arxiv else None


def unique(items: Iterable[str]) -> tuple[str, ...]:
    """The items in their first-seen order, each once."""
    return tuple(dict.fromkeys(items))


def cluster_listings(listings: list[tuple[int, Paper]]) -> list[list[tuple[int, Paper]]]:
    """A digest's (line, paper) listings grouped by paper, in the order each paper first appears."""
    index: PaperIndex[int] = PaperIndex()
    clusters: list[list[tuple[int, Paper]]] = []
    for line, paper in listings:
        found = index.find(paper)
        if found is None:
            found = len(clusters)
            clusters.append([])
        clusters[found].append((line, paper))
        index.remember(found, reduce(combine, [p for _, p in clusters[found]]))
    return clusters


def best_id(paper: Paper) -> str:
    """The id a new page gets: its arXiv id, else its DOI (either may come from a link a second
    listing added), else the id it has."""
    known = ids.identifiers(paper.id, paper.links)
    return next((key for kind in ("arxiv:", "doi:") for key in known if key.startswith(kind)), paper.id)
