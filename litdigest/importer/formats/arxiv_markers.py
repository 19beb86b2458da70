"""The `arxiv-markers` format: abstracts without titles, each closed by its arXiv marker —
`abstract…arXiv:2410.14940Next abstract…`, the marker on its own line or glued to the next
abstract. `Code:`/`Project:` lines and DOI lines before a marker belong to that paper."""

from __future__ import annotations

import re
from dataclasses import replace

from litdigest.importer import identity as ids
from litdigest.importer.formats import category_listing
from litdigest.importer.formats.lines import Line, joined, line_numbers, numbered
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest
from litdigest.importer.formats.references import (TRAILING_LINK, Reference, link_name, reference,
                                                   with_references)
from litdigest.importer.identity import ARXIV_MARKER

NAME = "arxiv-markers"
LISTED = 0  # its place in FORMAT_NAMES
EXAMPLE = "An abstract without a title …arXiv:2410.14940 Next abstract …arXiv:2410.15001"


def detect(lines: list[str]) -> bool:
    """arXiv markers on their own lines or at the edges of prose, and no title lines: the text
    does not alternate short title lines with long abstracts the way a listing does."""
    return fit(lines).lacks == ""


def fit(lines: list[str]) -> Fit:
    if not any(_split_points(text) or _is_marker_line(text) for _, text in numbered(lines)):
        return Fit(0.0, "no arXiv marker such as arXiv:2410.14940 closing an abstract")
    if category_listing.detect(lines):
        return Fit(0.5, "it has title lines above its abstracts, as a listing has")
    return Fit(1.0)


def _is_marker_line(text: str) -> bool:
    found = reference(text)
    return found is not None and found.kind == "arxiv"


def _split_points(text: str) -> list[re.Match[str]]:
    """The markers in a line that end one paper: at its start or end, or glued to the next
    abstract (`…arXiv:2410.14940As the scale…`). A citation mid-sentence, `(arXiv:2406.11838)`,
    is none of these and stays text."""
    points = []
    for match in ARXIV_MARKER.finditer(text):
        at_edge = match.start() == 0 or match.end() == len(text)
        glued = match.end() < len(text) and text[match.end()].isalpha()
        if at_edge or glued:
            points.append(match)
    return points


class _Pending:
    """The abstract and reference lines read since the last marker. Lines are appended in place
    (a frozen tuple copied per line made a long run of text quadratic)."""

    def __init__(self) -> None:
        self.text: list[Line] = []
        self.refs: list[tuple[Line, Reference]] = []

    def add_text(self, line: Line) -> None:
        if line[1]:
            self.text.append(line)

    def add_ref(self, line: Line, ref: Reference) -> None:
        self.refs.append((line, ref))


def parse(lines: list[str]) -> ParsedFile:
    """Abstracts each closed by their arXiv marker; the next one starts right after it."""
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    pending = _Pending()
    for number, text in numbered(lines):
        ref = reference(text)
        if ref is not None and ref.kind == "arxiv":
            pending = _close_marked(pending, (number, text), ref.value, papers, unplaced)
        elif ref is not None:
            pending.add_ref((number, text), ref)
        else:
            start = 0
            for match in _split_points(text):
                pending.add_text((number, text[start:match.start()].strip()))
                pending = _close_marked(pending, (number, match.group(0)),
                                        ids.canonical_arxiv(match.group(1)), papers, unplaced)
                start = match.end()
            pending.add_text((number, text[start:].strip()))
    unplaced += [*pending.text, *(line for line, _ in pending.refs)]  # after the last marker
    return single_digest(NAME, papers, unplaced)


def _close_marked(pending: _Pending, marker: Line, number: str, papers: list[ParsedPaper],
                  unplaced: list[Line]) -> _Pending:
    if not pending.text:
        unplaced += [*(line for line, _ in pending.refs), marker]
        return _Pending()
    abstract = joined(pending.text)
    paper = ParsedPaper(line=pending.text[0][0], abstract=abstract, arxiv=number,
                        lines=tuple(sorted({*line_numbers(pending.text), marker[0]})))
    paper = with_references(paper, tuple(pending.refs), unplaced)
    trailing = TRAILING_LINK.search(abstract)
    if trailing and link_name(trailing.group(1)) not in dict(paper.links):
        paper = replace(paper, links=((link_name(trailing.group(1)), trailing.group(2)), *paper.links))
    papers.append(paper)
    return _Pending()
