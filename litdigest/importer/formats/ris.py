"""The `ris` format: an RIS export (Zotero, Mendeley, EndNote, PubMed, Google Scholar, Scopus),
records of `XX  - value` lines from `TY  - JOUR` to `ER  -`; every record is a paper.

Tags: `TI`/`T1` title; `AU`/`A1` authors (`Last, First` shown `First Last`); `DA`, else
`PY`/`Y1` (`2021/08/10/`), as the paper's own date when it gives a day; `AB`/`N2` abstract;
`KW` tags; `DO` DOI; `UR`/`L1`/`L2` links, the arXiv id from an arxiv.org link, an
`arXiv:…` note or arXiv's DOI; `T2`/`BT`/`JO`/`JF`/`T3` venue (not arXiv itself); `N1` notes
as commentary. A line without a tag continues the field above it (exports wrap long values).
Lines outside a record are returned unplaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from litdigest.importer.formats import citation_fields as fields
from litdigest.importer.formats.lines import Line, numbered
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest

NAME = "ris"
LISTED = 12  # its place in FORMAT_NAMES
EXAMPLE = "TY  - JOUR / TI  - Title / AU  - Last, First / PY  - 2024 / AB  - … / ER  -"

# `TY  - JOUR`; exports vary the spacing, and a few write four-letter tags (`NOTE - …`)
_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3})\s{1,2}-(?:\s(.*))?$")
_VENUES = ("T2", "BT", "JO", "JF", "JA", "T3")


@dataclass
class _Record:
    """One record while it is read: its tags' values in order, and its line numbers."""

    line: int
    values: dict[str, list[str]] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)
    last_tag: str = ""

    def add(self, number: int, tag: str, value: str) -> None:
        self.values.setdefault(tag, []).append(value.strip())
        self.lines.append(number)
        self.last_tag = tag

    def extend(self, number: int, text: str) -> None:
        """A wrapped value's next line: the value above it goes on."""
        values = self.values[self.last_tag]
        values[-1] = f"{values[-1]} {text}".strip()
        self.lines.append(number)

    def first(self, *tags: str) -> str:
        return next((self.values[t][0] for t in tags if self.values.get(t)), "")

    def every(self, *tags: str) -> list[str]:
        return [value for t in tags for value in self.values.get(t, [])]


def detect(lines: list[str]) -> bool:
    return fit(lines).lacks == ""


def fit(lines: list[str]) -> Fit:
    """An RIS file opens with a `TY  - ` line and closes records with `ER  -`."""
    texts = [text for _, text in numbered(lines)]
    tags = [m.group(1) for text in texts if (m := _TAG.match(text))]
    if "TY" not in tags or "ER" not in tags:
        return Fit(0.0, "no `TY  - ` … `ER  -` record")
    if not texts[0].startswith("TY"):
        return Fit(0.5, "text before the first `TY  - ` line: not an RIS export")
    return Fit(1.0)


def parse(lines: list[str]) -> ParsedFile:
    """Each `TY` … `ER` record a paper; lines outside a record, and records with no title,
    abstract, arXiv id or DOI, are unplaced."""
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    record: _Record | None = None
    for number, text in numbered(lines):
        tagged = _TAG.match(text)
        tag, value = (tagged.group(1), tagged.group(2) or "") if tagged else ("", text)
        if tag == "TY":
            if record is not None:  # a record never closed: what it had is still a paper
                _close(record, papers, unplaced, lines)
            record = _Record(number)
            record.add(number, tag, value)
        elif record is None:
            unplaced.append((number, text))
        elif tag == "ER":
            record.lines.append(number)
            _close(record, papers, unplaced, lines)
            record = None
        elif tag:
            record.add(number, tag, value)
        else:
            record.extend(number, text)
    if record is not None:
        _close(record, papers, unplaced, lines)
    return single_digest(NAME, papers, unplaced)


def _close(record: _Record, papers: list[ParsedPaper], unplaced: list[Line], lines: list[str]) -> None:
    """A finished record: a paper, or its lines unplaced when it names no paper."""
    paper = _paper(record)
    if fields.names_a_paper(paper):
        papers.append(paper)
    else:
        unplaced.extend((n, lines[n - 1]) for n in record.lines)


def _paper(record: _Record) -> ParsedPaper:
    doi = fields.doi_of(record.first("DO"))
    urls = record.every("UR", "L1", "L2", "L3", "LK")
    arxiv = fields.arxiv_in([doi or "", *urls, *record.every("N1", "JO", "T2", "M3")])
    return ParsedPaper(
        line=record.line,
        title=record.first("TI", "T1"),
        abstract=record.first("AB", "N2"),
        arxiv=arxiv,
        doi=doi,
        authors=tuple(fields.inverted_name(a) for a in record.every("AU", "A1") if a.strip()),
        venue=fields.venue_of(record.every(*_VENUES)),
        links=fields.links_of(urls, arxiv, doi),
        tags=tuple(dict.fromkeys(k for k in record.every("KW") if k)),  # one keyword a line
        commentary=fields.commentary_of(record.every("N1")),
        published=fields.date_of(record.first("DA", "PY", "Y1")),
        lines=tuple(record.lines),
    )
