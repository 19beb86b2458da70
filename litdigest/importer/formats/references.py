"""Reference lines — lines that only name a paper's identifier or one of its links — and the
arXiv ids written beside a title.

`arXiv:2501.01234v2`, `https://arxiv.org/pdf/2501.01234`, `doi:10.1145/…`, `Code: https://…`
are references and belong to the paper they stand in, in every format; `with_references`
gives a paper what its reference lines name, and `attach_references` gives each reference line
to its paper, before or after it as the file itself shows (`links_lead`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TypeVar

from litdigest.importer import identity as ids
from litdigest.importer.formats.lines import Line, numbered
from litdigest.importer.formats.parsed import ParsedPaper
from litdigest.importer.identity import ARXIV_MARKER

_LINK_LABELS = r"code|project(?: page)?|github|homepage|website|page|demo|data(?:set)?|models?|weights"
_ID_LABELS = r"arxiv|paper|pdf|doi|link|url"
_LABELLED = re.compile(rf"^({_LINK_LABELS}|{_ID_LABELS})\s*:\s*(\S+)$", re.IGNORECASE)
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
# `… Code: https://…` closing a line of prose
TRAILING_LINK = re.compile(rf"(?:^|\s)({_LINK_LABELS})\s*:\s*(https?://\S+?)\.?$", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """What a reference line gives: `kind` is "arxiv", "doi" or a link name such as "code";
    `value` the arXiv number, the DOI or the URL."""

    kind: str
    value: str


def reference(text: str) -> Reference | None:
    """The identifier or link a line names when that is all it does, else None."""
    bare = text.strip().strip("[]()<>").strip()
    named = _identifier(bare)
    if named:
        return named
    labelled = _LABELLED.match(bare)
    if not labelled:
        return None
    label, value = labelled.group(1).lower(), labelled.group(2).strip("<>").rstrip(".,;")
    named = _identifier(value)
    if named:
        return named
    if _URL.match(value) and re.fullmatch(_LINK_LABELS, label, re.IGNORECASE):
        return Reference(link_name(label), value)
    if _URL.match(value):
        return Reference("paper" if label in ("paper", "pdf") else "web", value)
    return None


def _identifier(text: str) -> Reference | None:
    """The arXiv id, else the DOI, that `text` is, in any spelling; else None."""
    number = ids.arxiv_id(text)
    if number:
        return Reference("arxiv", number)
    doi = ids.doi_id(text)
    return Reference("doi", doi) if doi else None


def text_rows(lines: list[str]) -> list[Line]:
    """The non-blank lines that are not reference lines."""
    return [(number, text) for number, text in numbered(lines) if not reference(text)]


def link_name(label: str) -> str:
    return label.lower().replace(" ", "-")


def with_references(paper: ParsedPaper, refs: Iterable[tuple[Line, Reference]],
                    stray: list[Line]) -> ParsedPaper:
    """`paper` with what its reference lines name; a second, different arXiv id or DOI is not
    this paper's, so its line goes to `stray` to be reported."""
    arxiv, doi, links, lines = paper.arxiv, paper.doi, list(paper.links), list(paper.lines)
    for (number, text), ref in refs:
        if ref.kind == "arxiv" or ref.kind == "doi":
            current = arxiv if ref.kind == "arxiv" else doi
            if current not in (None, ref.value):
                stray.append((number, text))
                continue
            arxiv, doi = (ref.value, doi) if ref.kind == "arxiv" else (arxiv, ref.value)
        else:
            links = add_link(links, ref.kind, ref.value)
        lines.append(number)
    return replace(paper, arxiv=arxiv, doi=doi, links=tuple(links), lines=tuple(sorted(set(lines))))


def add_link(links: list[tuple[str, str]], name: str, url: str) -> list[tuple[str, str]]:
    """`links` with (name, url) added: once per URL; a second URL for a name as `name-2`."""
    if any(existing == url for _, existing in links):
        return links
    return [*links, (ids.numbered_name(name, {n for n, _ in links}), url)]


_TRAILING_MARKER = re.compile(rf"\s*[\[(]?\s*(?:{ARXIV_MARKER.pattern})\s*[\])]?$", re.IGNORECASE)
_LEADING_MARKER = re.compile(
    rf"^(?:\[(\d{{4}}\.\d{{4,5}})(?:v\d+)?\]|[\[(]?(?:{ARXIV_MARKER.pattern})[\])]?)\s+(?=\S)",
    re.IGNORECASE)


_BADGE = re.compile(r"^[\[(](?:new|updated|hot)!?[\])]\s+(?=\S)", re.IGNORECASE)


def title_and_marker(text: str) -> tuple[str, str | None]:
    """A title line without the arXiv id written before or after it (`[2501.01234] Title`,
    `Title (arXiv:2501.01234v2)`), nor a page's `[New]` badge before it, and that id."""
    text = _BADGE.sub("", text)
    for pattern in (_LEADING_MARKER, _TRAILING_MARKER):
        match = pattern.search(text)
        if match and match.group(0).strip() != text.strip():
            number = next(g for g in match.groups() if g)
            return (text[:match.start()] + text[match.end():]).strip(), ids.canonical_arxiv(number)
    return text, None


def links_lead(papers: list[ParsedPaper], refs: Iterable[int], lines: list[str]) -> bool:
    """Whether this file writes a paper's reference lines before it (`https://arxiv.org/abs/…`
    above the title, as arXiv pages and most notes do) rather than after it, judged from the
    file itself: reference lines above the first paper or below the last, and which side of a
    blank line the ones between papers stand on. Ties go to "after", the samples' way."""
    spans = _spans(papers)
    if not spans:
        return False
    before = after = 0
    for number in refs:
        index = bisect_right(spans, (number, 1 << 62)) - 1
        if index < 0:
            before += 1
        elif number <= spans[index][1]:
            continue  # inside its paper: says nothing of the file's way
        elif index == len(spans) - 1:
            after += 1
        else:
            blank_above = not lines[number - 2] if number >= 2 else False
            blank_below = number < len(lines) and not lines[number]
            before += blank_above and not blank_below
            after += blank_below and not blank_above
    return before > after


def attach_references(papers: list[ParsedPaper], refs: list[tuple[Line, Reference]],
                      lines: list[str], stray: list[Line], lead: bool | None = None,
                      ) -> list[ParsedPaper]:
    """`papers` (made from their text lines only) with their reference lines (`owners`), the
    file's way (`links_lead`, unless `lead` is given)."""
    if lead is None:
        lead = links_lead(papers, (number for (number, _), _ in refs), lines)
    return attach(papers, refs, lead, stray, with_references)


T = TypeVar("T")


def attach(papers: list[ParsedPaper], rows: list[tuple[Line, T]], lead: bool, stray: list[Line],
           give: Callable[[ParsedPaper, list[tuple[Line, T]], list[Line]], ParsedPaper],
           ) -> list[ParsedPaper]:
    """Each paper given (`give`) the rows that are its own (`owners`); a row nobody owns goes to
    `stray`, to be reported unplaced."""
    grouped: dict[int, list[tuple[Line, T]]] = {}
    for (row, what), owner in zip(rows, owners(papers, [row[0] for row, _ in rows], lead)):
        if owner is None:
            stray.append(row)
        else:
            grouped.setdefault(owner, []).append((row, what))
    return [give(paper, grouped[i], stray) if i in grouped else paper
            for i, paper in enumerate(papers)]


def owners(papers: list[ParsedPaper], numbers: list[int], lead: bool) -> list[int | None]:
    """Which paper each line belongs to (its index in `papers`, in the file's order): a line
    within a paper's lines is that paper's; one between two papers is the next paper's when the
    file's links `lead`, else the previous one's; one outside all papers on the wrong side of
    them is nobody's (None: reported unplaced)."""
    spans = _spans(papers)
    found: list[int | None] = []
    for number in numbers:
        index = bisect_right(spans, (number, 1 << 62)) - 1
        inside = index >= 0 and number <= spans[index][1]
        owner = index if inside or not lead else index + 1
        found.append(owner if 0 <= owner < len(papers) else None)
    return found


def _spans(papers: list[ParsedPaper]) -> list[tuple[int, int]]:
    """(first line, last line) of each paper, in the file's order."""
    return [(paper.line, max(paper.lines, default=paper.line)) for paper in papers]
