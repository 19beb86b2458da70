"""The `abstract-lines` format: one `Abstract: …` line per paper (also `ABSTRACT —`, a lone
`Abstract` heading, Korean `초록:` and `요약:`), a short title line right above it."""

from __future__ import annotations

import re
from dataclasses import replace

from litdigest.importer.formats.fields import (Field, attach_fields, field_rows, furniture,
                                               with_fields)
from litdigest.importer.formats.lines import Line, has_words, is_long, numbered, prose_length
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest
from litdigest.importer.formats.references import (attach_references, links_lead, reference,
                                                   text_rows, title_and_marker)

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
    """One `Abstract:` line per paper; the nearest line above it that is short, not a labelled
    field and not page furniture is its title (labelled fields between them go to their field),
    long lines right after it continue it, and reference and labelled lines belong to the paper
    they stand in, before or after it as the file shows (`references.links_lead`)."""
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    refs = [((n, t), ref) for n, t in numbered(lines) if (ref := reference(t)) is not None]
    rows = text_rows(lines)
    prose = prose_length(text for _, text in rows)
    junk = furniture(text for _, text in rows)
    labelled = {row[0]: found for row, found in field_rows(rows) if not _ABSTRACT_START.match(row[1])}
    used: set[int] = set()
    for index, (number, text) in enumerate(rows):
        start = _ABSTRACT_START.match(text)
        if not start:
            if (papers and is_long(text, prose) and index > 0 and number not in labelled
                    and rows[index - 1][0] in used and number not in used
                    and papers[-1].lines[-1] == rows[index - 1][0]):
                papers[-1] = replace(papers[-1], abstract=f"{papers[-1].abstract}\n\n{text}",
                                     lines=(*papers[-1].lines, number))
                used.add(number)
            continue
        own = [number]
        abstract = text[start.end():].strip()
        if (not abstract and index + 1 < len(rows) and not _ABSTRACT_START.match(rows[index + 1][1])
                and rows[index + 1][0] not in labelled):
            abstract = rows[index + 1][1]
            own.append(rows[index + 1][0])
        if not abstract:
            continue
        title, first, fields = _title_above(rows, index, used, labelled, junk, prose)
        own += [row[0] for row, _ in fields]
        if title:
            own.append(title[0])
        used.update(own)
        name, marker = title_and_marker(title[1]) if title else ("", None)
        paper = ParsedPaper(line=min(own), title=name, abstract=abstract, arxiv=marker,
                            lines=tuple(sorted(set(own) - {row[0] for row, _ in fields})))
        papers.append(with_fields(paper, fields, unplaced))
    fields_left = [(row, found) for row, found in field_rows(rows)
                   if row[0] in labelled and row[0] not in used]
    used.update(row[0] for row, _ in fields_left)
    unplaced += [(number, text) for number, text in rows if number not in used]
    lead = links_lead(papers, [row[0] for row, _ in [*refs, *fields_left]], lines)
    papers = attach_fields(papers, fields_left, unplaced, lead)
    papers = attach_references(papers, refs, lines, unplaced, lead)
    return single_digest(NAME, papers, unplaced)


def _title_above(rows: list[Line], index: int, used: set[int], labelled: dict[int, Field],
                 junk: frozenset[str], prose: int) -> tuple[Line | None, int, list[tuple[Line, Field]]]:
    """The title line of the abstract at `rows[index]` and the labelled lines between them:
    upwards over labelled lines (`Authors:`; a `Title:` one gives the title) and furniture
    (`View PDF`) to the first other line, the title when it is short."""
    fields: list[tuple[Line, Field]] = []
    at = index - 1
    while at >= 0 and rows[at][0] not in used and (rows[at][0] in labelled or rows[at][1] in junk):
        found = labelled.get(rows[at][0])
        if found is not None and found.name == "title":
            return (rows[at][0], found.value), rows[at][0], fields
        if found is not None:
            fields.append((rows[at], found))
        at -= 1
    above = rows[at] if at >= 0 else None
    if (above and above[0] not in used and not _ABSTRACT_START.match(above[1])
            and not is_long(above[1], prose) and has_words(above[1]) and above[1] not in junk):
        return above, above[0], fields
    return None, rows[index][0], fields
