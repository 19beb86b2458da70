"""The `arxiv-listing` format: arXiv listing pages (`/list/cs.CL/new`, `/recent`, `/pastweek`,
author pages `arxiv.org/a/…`) and arXiv search results, as a browser copies them.

Each entry opens with its id line — `[2] arXiv:2604.14182 [pdf, html, other]` on listings,
`arXiv:2503.09567 [pdf, other] cs.CL cs.AI` in search results — then `Title:`, the authors
(`Authors:` or an unlabelled line right after the title), `Comments:`, `Journal-ref:` (venue),
`Subjects:` (tags: the category codes), and the abstract where the page shows one (`/new` and
search results; `Abstract: … ▽ More` there), or `Submitted 12 March, 2025; originally announced
…` (the paper's own date). The page's header — `Showing new listings for Tuesday, 31 March
2026` (the digest's date), `Total of 87 entries`, `Showing up to 1000 entries per page: fewer |
more | all`, section headings — is the digest's own text, never a paper. On `/recent`, each day
heading (`Fri, 3 Mar 2023 (showing 25 of 120 entries )`) opens a digest of that date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from litdigest.importer import identity as ids
from litdigest.importer.formats import arxiv_furniture as furniture
from litdigest.importer.formats.arxiv_text import (add_commentary, category_tags,
                                                   commentary_tuple, find_date, split_authors)
from litdigest.importer.formats.lines import Line
from litdigest.importer.formats.parsed import Fit, ParsedDigest, ParsedFile, ParsedPaper
from litdigest.importer.formats.references import Reference, reference, with_references

NAME = "arxiv-listing"
LISTED = 6  # its place in FORMAT_NAMES
EXAMPLE = "[1] arXiv:2604.14182 [pdf, html, other] / Title: … / Authors: … / Subjects: … (cs.CL)"

_ID = r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
LISTING_ENTRY = re.compile(rf"^\[\d+\]\s*arXiv:{_ID}\b(.*)$")
SEARCH_ENTRY = re.compile(rf"^arXiv:{_ID}\s*\[(?:pdf|ps|html|other)[^\]]*\](.*)$")
_ENTRY_FLAGS = re.compile(r"\((?:replaced|cross-list from [^)]*)\)|\[[^\]]*\]")
_LABEL = re.compile(r"^(Title|Authors?|Comments?|Journal-ref|Journal ref|Subjects|Abstract|"
                    r"Report-no|MSC-class|ACM-class|DOI)\s*:\s*(.*)$", re.IGNORECASE)
_FIELD = {"title": "title", "author": "authors", "authors": "authors", "comment": "comments",
          "comments": "comments", "journal-ref": "venue", "journal ref": "venue",
          "subjects": "subjects", "abstract": "abstract", "doi": "doi"}
_NEW_DATE = re.compile(r"^Showing new listings for (.+)$", re.IGNORECASE)
_DAY_HEADING = re.compile(r"^\w{3},\s+\d{1,2}\s+\w{3}\s+\d{4}(?:\s*\(showing.*\))?$")
_SECTION = re.compile(r"^(?:New submissions|Cross(?:-lists| submissions)|Replacement submissions|"
                      r"Replacements)\b.*$", re.IGNORECASE)
_SUBMITTED = re.compile(r"^Submitted\s+(.+?);\s*(?:v1\s+)?originally announced", re.IGNORECASE)
_FIRST_VERSION = re.compile(r"v1 submitted (.+)$", re.IGNORECASE)
_MORE = re.compile(r"\s*(?:…|\.\.\.)?\s*▽ More\s*$")
_LESS = re.compile(r"\s*△ Less\s*$")
_DOI_LINE = re.compile(r"^doi\s*:?\s*(10\.\S+)$", re.IGNORECASE)


def detect(lines: list[str]) -> bool:
    """Entry lines (`[1] arXiv:… [pdf, …]` or `arXiv:… [pdf, …]`), and `Title:` lines or a
    listing's header, and no `[Submitted on` line (that is an abstract page)."""
    return not fit(lines).lacks


def fit(lines: list[str]) -> Fit:
    entries = titles = header = 0
    for text in lines:
        stripped = text.strip()
        if LISTING_ENTRY.match(stripped) or SEARCH_ENTRY.match(stripped):
            entries += 1
        elif stripped.lower().startswith("title:"):
            titles += 1
        elif _NEW_DATE.match(stripped) or stripped.startswith("Total of ") or _SUBMITTED.match(stripped):
            header += 1
        elif stripped.startswith("[Submitted on"):
            return Fit(0.5, 'a "[Submitted on" line: an abstract page, not a listing')
    if not entries:
        return Fit(0.5 if titles else 0.0, 'no entry line such as "[1] arXiv:2604.14182 [pdf, …]"')
    if not (titles or header):
        return Fit(0.5, 'entry lines but no "Title:" line or listing header')
    return Fit(1.0)


@dataclass
class _Entry:
    start: int
    arxiv: str
    lines: list[int] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    published: dt.date | None = None
    refs: list[tuple[Line, Reference]] = field(default_factory=list)
    key: str = ""

    def add(self, key: str, text: str) -> None:
        if text:
            self.values.setdefault(key, []).append(text)


@dataclass
class _Digest:
    line: int
    date: dt.date | None = None
    title: str = ""
    lines: list[int] = field(default_factory=list)
    entries: list[_Entry] = field(default_factory=list)


def parse(lines: list[str]) -> ParsedFile:
    """Header lines to the digest, entry lines to their entry; a `/recent` day heading opens a
    new digest dated that day."""
    digests = [_Digest(line=1)]
    unplaced: list[Line] = []
    for number, raw in enumerate(lines, 1):
        text = raw.strip()
        if text:
            _read_line(digests, number, text, unplaced)
    found = [d for d in digests if d.entries or d.lines]
    return ParsedFile(NAME, tuple(_digest(d, unplaced) for d in found), tuple(sorted(set(unplaced))))


def _read_line(digests: list[_Digest], number: int, text: str, unplaced: list[Line]) -> None:
    digest = digests[-1]
    entry = digest.entries[-1] if digest.entries else None
    opened = LISTING_ENTRY.match(text) or SEARCH_ENTRY.match(text)
    if opened:
        new = _Entry(start=number, arxiv=ids.canonical_arxiv(opened.group(1)), lines=[number])
        new.tags = category_tags(_ENTRY_FLAGS.sub("", opened.group(2)))
        digest.entries.append(new)
    elif _DAY_HEADING.match(text) and find_date(text):
        if digest.entries:
            digests.append(_Digest(line=number, date=find_date(text), lines=[number]))
        else:
            digest.date, digest.line = find_date(text), number
            digest.lines.append(number)
    elif _NEW_DATE.match(text) and entry is None:
        digest.date = find_date(text)
        digest.lines.append(number)
    elif _SECTION.match(text) or furniture.LISTING.match(text):
        digest.lines.append(number)
    elif entry is None and not digest.title and _names_the_page(text):
        digest.title = text  # the category's name above the listing
        digest.lines.append(number)
    elif entry is None:
        unplaced.append((number, text))
    else:
        _entry_line(entry, number, text)


def _names_the_page(text: str) -> bool:
    return not reference(text) and len(text.split()) <= 12 and not text.endswith(".")


def _entry_line(entry: _Entry, number: int, text: str) -> None:
    entry.lines.append(number)
    labelled = _LABEL.match(text)
    submitted = _SUBMITTED.match(text)
    if labelled:
        entry.key = _FIELD.get(labelled.group(1).lower(), "comments")
        value = labelled.group(2).strip()
        entry.add(entry.key, _MORE.sub("", _LESS.sub("", value)) if entry.key == "abstract" else value)
    elif submitted:
        first = _FIRST_VERSION.search(submitted.group(1))
        entry.published = find_date(first.group(1) if first else submitted.group(1))
        entry.key = "submitted"
    elif _DOI_LINE.match(text) or reference(text):
        ref = reference(_DOI_LINE.sub(r"doi:\1", text))
        if ref:
            entry.refs.append(((number, text), ref))
    elif entry.key == "" and "title" not in entry.values:  # search results: the title unlabelled
        entry.key = "title"
        entry.add("title", text)
    elif entry.key in ("title", "") and "title" in entry.values and "authors" not in entry.values:
        entry.key = "authors"
        entry.add("authors", text)
    elif entry.key == "title" and "title" not in entry.values:
        entry.add("title", text)
    else:
        entry.key = "abstract"
        entry.add("abstract", _MORE.sub("", _LESS.sub("", text)))


def _digest(digest: _Digest, unplaced: list[Line]) -> ParsedDigest:
    papers = tuple(_paper(entry, unplaced) for entry in digest.entries)
    line = min([*digest.lines, *(p.line for p in papers)], default=digest.line)
    return ParsedDigest(line, papers, digest.title, digest.date, tuple(digest.lines))


def _paper(entry: _Entry, unplaced: list[Line]) -> ParsedPaper:
    values = entry.values
    subjects = category_tags(" ".join(values.get("subjects", [])))
    comments: dict[str, list[str]] = {}
    if values.get("comments"):
        add_commentary(comments, " ".join(values["comments"]))  # the authors': pages, venue
    paper = ParsedPaper(
        line=entry.start, title=" ".join(values.get("title", [])),
        authors=tuple(name for value in values.get("authors", []) for name in split_authors(value)),
        abstract="\n\n".join(values.get("abstract", [])), arxiv=entry.arxiv,
        venue=" ".join(values["venue"]) if "venue" in values else None,
        tags=tuple(dict.fromkeys((*subjects, *entry.tags))), published=entry.published,
        commentary=commentary_tuple(comments),
        lines=tuple(entry.lines))
    return with_references(paper, entry.refs, unplaced)
