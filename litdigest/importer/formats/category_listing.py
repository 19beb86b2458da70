"""The `category-listing` format: optional category header lines, then short title lines
alternating with long abstract lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from litdigest.importer.formats.fields import (Field, attach_fields, field, furniture,
                                               is_link_words, names_in, venue_like)
from litdigest.importer.formats.lines import (Line, collapse_runs, has_words, is_long, numbered,
                                              prose_length)
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest
from litdigest.importer.formats.references import (attach_references, links_lead, reference,
                                                   text_rows, title_and_marker)

NAME = "category-listing"
LISTED = 2  # its place in FORMAT_NAMES
EXAMPLE = "Category ⏎ A Short Title ⏎ A long abstract line … ⏎ Next Title ⏎ Its abstract …"


def detect(lines: list[str]) -> bool:
    """Short lines alternate with long ones, allowing for a couple of header lines."""
    return fit(lines).lacks == ""


def fit(lines: list[str]) -> Fit:
    texts = [text for _, text in text_rows(lines)]
    junk = furniture(texts)
    prose = prose_length(text for text in texts if not _byline_like(text))
    kinds = collapse_runs("".join(
        "L" if _is_abstract(text, prose, before) else "S"
        for before, text in zip(["", *texts], texts)
        if text not in junk and field(text) is None and not _byline_like(text)))
    pairs = kinds.count("SL")
    if pairs == 0:
        return Fit(0.0, "no short title line followed by a long abstract line")
    if pairs * 2 < len(kinds) - 2:
        return Fit(pairs * 2 / (len(kinds) - 2),
                   f"only {pairs} title and abstract pairs among {len(kinds)} runs of lines")
    return Fit(1.0)


def parse(lines: list[str]) -> ParsedFile:
    """Category header lines (each tags the papers under it), then alternating title and abstract
    lines. A long line right after an abstract continues it; reference and labelled lines
    (`Authors:`, `Comments:`) belong to the paper they stand in, before or after it as the file
    shows (`references.links_lead`); page furniture (`View PDF` over every paper) is never a
    title nor a category."""
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    pending: list[Line] = []
    labelled: list[tuple[Line, Field]] = []
    category: Line | None = None
    first_category: Line | None = None
    after_abstract = False
    refs = [((n, t), ref) for n, t in numbered(lines) if (ref := reference(t)) is not None]
    rows = text_rows(lines)
    prose = prose_length(text for _, text in rows if not _byline_like(text))
    junk = furniture(text for _, text in rows)
    for (number, text), before in zip(rows, ["", *(text for _, text in rows)]):
        found = field(text)
        if found is not None and found.name == "title" and found.value:
            pending.append((number, found.value))
            after_abstract = False
            continue
        if found is not None:
            labelled.append(((number, text), found))
            continue
        if not has_words(text) or text in junk:
            unplaced.append((number, text))
            continue
        if not _is_abstract(text, prose, before):
            pending.append((number, text))
            after_abstract = False
            continue
        if not pending:
            if after_abstract:
                papers[-1] = replace(papers[-1], abstract=f"{papers[-1].abstract}\n\n{text}",
                                     lines=(*papers[-1].lines, number))
            else:
                unplaced.append((number, text))  # an abstract with no title line above it
            continue
        title_line, byline = _title_and_byline(pending, unplaced)
        if title_line is None:
            unplaced.append((number, text))
            pending, after_abstract = [], False
            continue
        if pending and _looks_like_category(pending[0][1]):
            category = pending.pop(0)
            first_category = first_category or category
        unplaced += pending
        title, marker = title_and_marker(title_line[1])
        own = (title_line[0], number, *byline.numbers) + ((category[0],) if category else ())
        papers.append(ParsedPaper(line=title_line[0], title=title, abstract=text, arxiv=marker,
                                  tags=(category[1],) if category else (), lines=tuple(sorted(own)),
                                  authors=byline.authors, venue=byline.venue))
        pending, after_abstract = [], True
    unplaced += pending
    lead = links_lead(papers, [row[0] for row, _ in [*refs, *labelled]], lines)
    papers = attach_fields(papers, labelled, unplaced, lead)
    papers = attach_references(papers, refs, lines, unplaced, lead)
    own_lines = (first_category[0],) if first_category else ()
    return single_digest(NAME, papers, unplaced,
                         category=first_category[1] if first_category else "", own_lines=own_lines)


@dataclass(frozen=True)
class _Byline:
    """The authors and venue found between a title and its abstract, and their line numbers."""

    authors: tuple[str, ...] = ()
    venue: str | None = None
    numbers: tuple[int, ...] = ()


def _is_abstract(text: str, prose: int, before: str) -> bool:
    """Whether a line is an abstract: prose for this file (a byline of 30 names is none however
    long), or — on a publication page — the sentence right under a paper's row of link names,
    however short (`Simulating the world with video models lets you make … consistent.`)."""
    if names_in(text):
        return False
    if is_long(text, prose):
        return True
    return is_link_words(before) and len(text.split()) >= 6 and text.rstrip(" )").endswith((".", "…"))


def _byline_like(text: str) -> bool:
    """A line of a publication page's byline (link names, a venue, the authors) or one of its
    year headings (`2020`)."""
    return (is_link_words(text) or venue_like(text) or bool(names_in(text))
            or bool(re.fullmatch(r"(?:19|20)\d\d", text.strip())))


def _title_and_byline(pending: list[Line], unplaced: list[Line]) -> tuple[Line | None, _Byline]:
    """The title line among the short lines above an abstract, taken off `pending`: the last
    one, unless the lines under the title are a publication page's byline — a row of link names
    (`pdf  abstract  bibtex`, unplaced), a venue (`ICLR, 2020`) and the authors (on one line or
    more), each above the next — which then go to their fields."""
    while pending and is_link_words(pending[-1][1]):
        unplaced.append(pending.pop())
    venue: Line | None = None
    if len(pending) >= 2 and venue_like(pending[-1][1]) and not venue_like(pending[-2][1]):
        venue = pending.pop()
    elif (len(pending) >= 3 and names_in(pending[-2][1]) and not names_in(pending[-1][1])
          and len(pending[-1][1].split()) <= 8):
        venue = pending.pop()  # a venue with no year (`Nature Astronomy`) between byline and links
    authors: list[Line] = []
    while len(pending) >= 2 and names_in(pending[-1][1]):  # a byline may wrap over lines
        authors.insert(0, pending.pop())
    names = tuple(name for _, text in authors for name in names_in(text))
    byline = _Byline(names, venue[1] if venue else None,
                     tuple(row[0] for row in (*authors, venue) if row))
    return (pending.pop() if pending else None), byline


def _looks_like_category(text: str) -> bool:
    """A category header is a few words naming a field (`Large Language Model`, `Robotics`), not
    a listing's remark such as `Comments: 10 pages` or `Submitted on 3 Jan 2025`."""
    return len(text.split()) <= 6 and len(text) <= 60 and not re.search(r"[\d:;,.!?]", text)
