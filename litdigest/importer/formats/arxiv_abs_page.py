"""The `arxiv-abstract-page` format: arXiv abstract pages (arxiv.org/abs/…) as a browser copies
them, one or several pasted one after another, each field read to its field.

A page is found by its `[Submitted on 12 Mar 2025 …]` line (with the subject line
`Computer Science > Computation and Language` above it when copied); around it stand `Title:`,
`Authors:`, `View PDF` furniture, `Abstract:`, `Comments:`, `Subjects:` (tags: the category
codes), `Journal reference:` (venue), `Cite as: arXiv:…` (the id), the arXiv DOI and the
submission history. A field's label may stand alone on its line, its value on the next lines,
or glue to its value (`Title:ODMA: …`, `View PDF HTML (experimental)Abstract:Existing …`).
Link lines and furniture just above a page belong to it (link-first pastes); lines of prose a
digest author wrote between pages are commentary of the page above (of the first page, when
they open the file). The paper's date is the v1 submission date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from litdigest.importer import identity as ids
from litdigest.importer.formats import arxiv_furniture as furniture
from litdigest.importer.formats.arxiv_text import (add_commentary, category_tags,
                                                   commentary_tuple, find_date, is_prose,
                                                   split_authors)
from litdigest.importer.formats.lines import Line
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest
from litdigest.importer.formats.references import Reference, reference, with_references

NAME = "arxiv-abstract-page"
LISTED = 5  # its place in FORMAT_NAMES
EXAMPLE = "[Submitted on 12 Mar 2025] / Title: … / Authors: … / Abstract: … / Subjects: … (cs.CL)"

SUBMITTED = re.compile(r"^\[Submitted on\b", re.IGNORECASE)
SUBJECT_LINE = re.compile(r"^[A-Z][A-Za-z ,&()'-]{2,60} > [A-Z][A-Za-z ,&()'-]{2,80}$")
_TAB_TITLE = re.compile(r"^\[(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\]\s+\S")
_FURNITURE_GLUE = re.compile(r"^(?:View (?:a )?PDF|HTML \(experimental\)|\s)+", re.IGNORECASE)
# label -> the field it fills; a label may stand alone or glue to its value
_LABELS = {"title": "title", "authors": "authors", "author": "authors", "abstract": "abstract",
           "comments": "comments", "subjects": "subjects", "journal reference": "venue",
           "journal-ref": "venue", "cite as": "cite", "report number": "comments",
           "msc classes": "comments", "acm classes": "comments", "related doi": "related-doi"}
_LABEL = re.compile(rf"^({'|'.join(sorted(_LABELS, key=len, reverse=True))})\s*:\s*(.*)$",
                    re.IGNORECASE)
# where a page's own text ends and its furniture (and a digest author's additions) begins
_TAIL = re.compile(r"^(?:Submission history|References & Citations|Current browse context:|"
                   r"Full-text links:|Access Paper:|Bibliographic and Citation Tools)", re.IGNORECASE)
_ARXIV_DOI = "10.48550/"  # the DOI arXiv issues every paper
_DOI_LINK = re.compile(r"^(?:https?://)?(?:dx\.)?doi\.org/\S+$", re.IGNORECASE)


def detect(lines: list[str]) -> bool:
    """A `[Submitted on …]` line, with a subject line, `Title:`, `Abstract:` or `Subjects:` in
    the file."""
    return not fit(lines).lacks


def fit(lines: list[str]) -> Fit:
    submitted = fields = 0
    for text in lines:
        stripped = text.strip()
        if SUBMITTED.match(stripped):
            submitted += 1
        elif SUBJECT_LINE.match(stripped) or _LABEL.match(_FURNITURE_GLUE.sub("", stripped)):
            fields += 1
    if not submitted:
        return Fit(0.2 if fields else 0.0, 'no "[Submitted on …]" line')  # labels alone are any note's
    if not fields:
        return Fit(0.5, "no Title:, Abstract: or Subjects: line")
    return Fit(1.0)


@dataclass
class _Page:
    """A page being read: where it starts and what its lines gave so far."""

    start: int
    lines: list[int] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)
    refs: list[tuple[Line, Reference]] = field(default_factory=list)
    commentary: dict[str, list[str]] = field(default_factory=dict)
    published: dt.date | None = None
    author_names: set[str] | None = None

    def add(self, key: str, text: str) -> None:
        if text:
            self.values.setdefault(key, []).append(text)


def parse(lines: list[str]) -> ParsedFile:
    """Every page of the file, each from its head (links, furniture) to the next page's head."""
    rows = [(n, t.strip()) for n, t in enumerate(lines, 1) if t.strip()]
    anchors = _anchors(rows)
    unplaced: list[Line] = []
    pages: list[_Page] = []
    starts = _page_starts(rows, anchors)
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(rows)
        pages.append(_read_page(rows, start, anchors[index], end, unplaced))
    if pages and starts[0] > 0:
        _opening_lines(rows[:starts[0]], pages[0], unplaced)
    if not pages:
        unplaced.extend(rows)
    papers = [_paper(page, unplaced) for page in pages]
    return single_digest(NAME, papers, unplaced)


def _anchors(rows: list[Line]) -> list[int]:
    """Each page's first own line: its subject line, else its `[Submitted on` line."""
    found: list[int] = []
    for index, (_, text) in enumerate(rows):
        if not SUBMITTED.match(text):
            continue
        anchor = index
        for back in range(index - 1, max(index - 4, found[-1] if found else -1), -1):
            if SUBJECT_LINE.match(rows[back][1]):
                anchor = back
                break
        found.append(anchor)
    return found


def _page_starts(rows: list[Line], anchors: list[int]) -> list[int]:
    """Each page's head: the link lines, browser-tab title and site furniture above its anchor."""
    starts = []
    for index, anchor in enumerate(anchors):
        floor = anchors[index - 1] + 1 if index else 0
        start = anchor
        while start > floor and _is_head(rows[start - 1][1]):
            start -= 1
        starts.append(start)
    return starts


def _is_head(text: str) -> bool:
    return bool(reference(text) or _TAB_TITLE.match(text) or furniture.HEAD.match(text))


def _read_page(rows: list[Line], start: int, anchor: int, end: int,
               unplaced: list[Line]) -> _Page:
    page = _Page(start=rows[start][0])
    key = ""
    in_tail = False
    index = start
    while index < end:
        number, text = rows[index]
        page.lines.append(number)
        if index < anchor:
            _head_line(page, number, text)
        elif SUBMITTED.match(text):
            index = _submitted(rows, index, end, page)
            key = ""
        elif in_tail:
            _tail_line(page, number, text, unplaced)
        elif _TAIL.match(text):
            in_tail = True
        else:
            key = _body_line(page, number, text, key)
        index += 1
    return page


def _head_line(page: _Page, number: int, text: str) -> None:
    ref = reference(text)
    if ref:
        page.refs.append(((number, text), ref))
    elif _TAB_TITLE.match(text):
        page.add("tab", text)


def _submitted(rows: list[Line], index: int, end: int, page: _Page) -> int:
    """Read `[Submitted on 10 Jan 2024 (v1), last revised …]`, which a copy may break over lines;
    the index of its last line."""
    parts = [rows[index][1]]
    while "]" not in parts[-1] and index + 1 < end and len(parts) < 8:
        index += 1
        parts.append(rows[index][1])
        page.lines.append(rows[index][0])
    page.published = page.published or find_date(" ".join(parts))
    return index


def _body_line(page: _Page, number: int, text: str, key: str) -> str:
    """One line between the submitted line and the submission history; the field it continues."""
    if furniture.BODY.match(text) or SUBJECT_LINE.match(text):
        return key
    labelled = _LABEL.match(_FURNITURE_GLUE.sub("", text))
    if labelled:
        key, value = _LABELS[labelled.group(1).lower()], labelled.group(2).strip()
        ref = reference(value) if key == "related-doi" else None
        if ref:
            page.refs.append(((number, text), ref))
        else:
            page.add(key, value)
        return key
    ref = reference(text)
    if ref and (key in ("cite", "related-doi", "") or _DOI_LINK.match(text)):
        page.refs.append(((number, text), ref))
        return key
    page.add(key or _unlabelled_key(page), text)
    return key


def _unlabelled_key(page: _Page) -> str:
    """Where a line with no label goes: the title first, then the authors, then the abstract."""
    return next((k for k in ("title", "authors") if k not in page.values), "abstract")


def _tail_line(page: _Page, number: int, text: str, unplaced: list[Line]) -> None:
    """Below the page's text: the v1 date, the page's boxes and buttons (set aside), links and
    commentary a digest author added; any other line is not placed."""
    if text.startswith("[v1]") or (page.published is None and text.startswith("From:")):
        page.published = page.published or find_date(text)
    ref = reference(text)
    if ref and ref.kind not in ("arxiv", "doi"):
        page.refs.append(((number, text), ref))
    elif is_prose(text, sentence=True) and not furniture.TAIL.match(text):
        add_commentary(page.commentary, text)
    elif not (ref or furniture.TAIL.match(text) or _names_an_author(page, text)):
        page.lines.pop()  # appended just before: this line
        unplaced.append((number, text))


def _names_an_author(page: _Page, text: str) -> bool:
    """The page's DBLP box lists its authors again, one a line."""
    if page.author_names is None:  # read once: the authors are all above the tail
        page.author_names = {name for value in page.values.get("authors", [])
                             for name in split_authors(value)}
    return text in page.author_names


def _opening_lines(rows: list[Line], first: _Page, unplaced: list[Line]) -> None:
    """Lines above the first page's head: a digest author's commentary, else not placed."""
    for number, text in rows:
        if is_prose(text, sentence=True):
            add_commentary(first.commentary, text)
            first.lines.append(number)
        else:
            unplaced.append((number, text))


def _paper(page: _Page, unplaced: list[Line]) -> ParsedPaper:
    values = page.values
    title = " ".join(values.get("title", []))
    if not title and "tab" in values:
        title = _TAB_TITLE.sub("", values["tab"][0]).strip() or values["tab"][0]
    authors = tuple(name for value in values.get("authors", []) for name in split_authors(value))
    paper = ParsedPaper(
        line=page.start, title=title, authors=authors,
        abstract="\n\n".join(values.get("abstract", [])),
        arxiv=_own_arxiv(page),
        venue=" ".join(values["venue"]) if "venue" in values else None,
        tags=category_tags(" ".join(values.get("subjects", []))),
        commentary=commentary_tuple(_with_comments(page.commentary, values.get("comments", []))),
        published=page.published,
        lines=tuple(sorted(page.lines)))
    return with_references(paper, _own_references(page.refs, paper.arxiv), unplaced)


def _own_references(refs: list[tuple[Line, Reference]],
                    arxiv: str | None) -> list[tuple[Line, Reference]]:
    """The page's references less its own id said again (`Cite as:`, `(or arXiv:…v2`), and less
    the arXiv-issued DOI where a `Related DOI:` names the published paper's."""
    published = any(r.kind == "doi" and not r.value.startswith(_ARXIV_DOI) for _, r in refs)
    return [(line, r) for line, r in refs
            if not (r.kind == "arxiv" and r.value == arxiv)
            and not (published and r.kind == "doi" and r.value.startswith(_ARXIV_DOI))]


def _with_comments(commentary: dict[str, list[str]], comments: list[str]) -> dict[str, list[str]]:
    """The authors' `Comments:` (pages, figures, where it appeared) first, then the digest
    author's commentary."""
    merged: dict[str, list[str]] = {}
    if comments:
        add_commentary(merged, " ".join(comments))
    for texts in commentary.values():
        for text in texts:
            add_commentary(merged, text)
    return merged


def _own_arxiv(page: _Page) -> str | None:
    """The page's own id: the one `Cite as:` names, else the browser tab's, else its links'."""
    for text in page.values.get("cite", []):
        number = ids.arxiv_id(text.split()[0]) if text.split() else None
        if number:
            return number
    for text in page.values.get("tab", []):
        match = _TAB_TITLE.match(text)
        if match:
            return ids.canonical_arxiv(match.group(1))
    return next((ref.value for _, ref in page.refs if ref.kind == "arxiv"), None)

