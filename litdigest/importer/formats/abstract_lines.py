"""The `abstract-lines` format: one `Abstract: …` line per paper (also `ABSTRACT —`, a lone
`Abstract` heading, Korean `초록:` and `요약:`), a short title line right above it."""

from __future__ import annotations

import re
from dataclasses import replace

from litdigest.importer.formats.lines import Line, has_words, is_long, numbered
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest
from litdigest.importer.formats.references import (Reference, reference, text_rows, title_and_marker,
                                                   with_references)

NAME = "abstract-lines"
LISTED = 3  # its place in FORMAT_NAMES
EXAMPLE = "A Short Title / Abstract: We propose … / A Short Title / Abstract: …"

_ABSTRACT_START = re.compile(r"^(?:abstract|초록|요약)(?:\s*[:.\-\u2013\u2014]\s*|\s*$)", re.IGNORECASE)


def detect(lines: list[str]) -> bool:
    """At least half the lines that are not references start with `Abstract:`."""
    return fit(lines).lacks == ""


def fit(lines: list[str]) -> Fit:
    texts = [text for _, text in text_rows(lines)]
    starts = sum(1 for text in texts if _ABSTRACT_START.match(text))
    if starts == 0:
        return Fit(0.0, 'no line starts with "Abstract:"')
    if starts * 2 < len(texts):
        return Fit(starts * 2 / len(texts),
                   f'only {starts} of {len(texts)} lines start with "Abstract:" (half should)')
    return Fit(1.0)


def parse(lines: list[str]) -> ParsedFile:
    """One `Abstract:` line per paper; a short line right above one is taken as its title, long
    lines right after it continue it, and reference lines belong to the paper above them."""
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    refs = [((n, t), ref) for n, t in numbered(lines) if (ref := reference(t)) is not None]
    rows = text_rows(lines)
    used: set[int] = set()
    for index, (number, text) in enumerate(rows):
        start = _ABSTRACT_START.match(text)
        if not start:
            if (papers and is_long(text) and index > 0 and rows[index - 1][0] in used
                    and number not in used and papers[-1].lines[-1] == rows[index - 1][0]):
                papers[-1] = replace(papers[-1], abstract=f"{papers[-1].abstract}\n\n{text}",
                                     lines=(*papers[-1].lines, number))
                used.add(number)
            continue
        own = [number]
        abstract = text[start.end():].strip()
        if not abstract and index + 1 < len(rows) and not _ABSTRACT_START.match(rows[index + 1][1]):
            abstract = rows[index + 1][1]
            own.append(rows[index + 1][0])
        title, first = "", number
        above = rows[index - 1] if index > 0 else None
        if (above and above[0] not in used and not _ABSTRACT_START.match(above[1])
                and not is_long(above[1]) and has_words(above[1])):
            title, first = above[1], above[0]
            own.append(above[0])
        used.update(own)
        if abstract:
            title, marker = title_and_marker(title)
            papers.append(ParsedPaper(line=first, title=title, abstract=abstract, arxiv=marker,
                                      lines=tuple(sorted(own))))
        else:
            used.difference_update(own)
    unplaced += [(number, text) for number, text in rows if number not in used]
    papers = _attach_by_position(papers, refs, unplaced)
    return single_digest(NAME, papers, unplaced)


def _attach_by_position(papers: list[ParsedPaper], refs: list[tuple[Line, Reference]],
                        unplaced: list[Line]) -> list[ParsedPaper]:
    """Each reference line goes to the last paper that starts at or above it."""
    starts = [paper.line for paper in papers]
    grouped: dict[int, list[tuple[Line, Reference]]] = {}
    for (number, text), ref in refs:
        index = max((i for i, start in enumerate(starts) if start <= number), default=None)
        if index is None:
            unplaced.append((number, text))
        else:
            grouped.setdefault(index, []).append(((number, text), ref))
    return [with_references(paper, grouped.get(i, []), unplaced) for i, paper in enumerate(papers)]
