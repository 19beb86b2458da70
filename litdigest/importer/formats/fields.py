"""Lines that are never a title nor part of an abstract, in every format: labelled fields
(`Title:`, `Authors:`, `[Submitted on 12 Mar 2025]`, `Comments:`, `Subjects:`, `Cite as:`,
`Date:`), which go to their field or are left unplaced, and page furniture — a short line that
repeats across papers (`View PDF`, `[pdf]`, `Cite`), which is never a paper's title."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from litdigest.importer import identity as ids
from litdigest.importer.formats.lines import SHORTEST_PROSE, Line
from litdigest.importer.formats.parsed import ParsedPaper
from litdigest.importer.formats.references import attach

_LABEL = re.compile(
    r"^\s*(title|authors?|author\(s\)|by|comments?|subjects?|categories|cite as|date|published"
    r"|submitted(?: on)?|journal[- ]ref(?:erence)?|report[- ]no|keywords|tags)\s*:\s*(.*)$",
    re.IGNORECASE)
_SUBMITTED = re.compile(r"^\s*\[?\s*submitted on\s+([^\]()]+?)(?:\s*\(.*\))?\s*\]?\s*$", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(r"([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})", re.IGNORECASE)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SUBJECT_CODE = re.compile(r"\(([a-z\-]+(?:\.[A-Za-z\-]+)?)\)")
_MIN_REPEATS = 2


@dataclass(frozen=True)
class Field:
    """A labelled line: `name` is title, authors, date, tags, arxiv or other (kept unplaced)."""

    name: str
    value: str


def field(text: str) -> Field | None:
    """The labelled field a line is, or None."""
    submitted = _SUBMITTED.match(text)
    if submitted:
        return Field("date", submitted.group(1))
    match = _LABEL.match(text)
    if not match:
        return None
    label, value = match.group(1).lower(), match.group(2).strip()
    if label == "title":
        return Field("title", value)
    if label.startswith("author") or label == "by":
        return Field("authors", value)
    if label in ("date", "published") or label.startswith("submitted"):
        return Field("date", value)
    if label in ("subject", "subjects", "categories", "keywords", "tags"):
        return Field("tags", value)
    if label == "cite as" and ids.arxiv_id(value.split()[0] if value else ""):
        return Field("arxiv", value.split()[0])
    return Field("other", value)


def date_in(text: str) -> dt.date | None:
    """The date a field's value names: `12 Mar 2025`, `Mar 12, 2025`, `2025-03-12`."""
    parts: tuple[str, str, str] | None = None
    if match := _ISO.search(text):
        parts = (match.group(1), match.group(2), match.group(3))
    elif (match := _DAY_MONTH_YEAR.search(text)) and match.group(2).lower() in _MONTHS:
        parts = (match.group(3), str(_MONTHS.index(match.group(2).lower()) + 1), match.group(1))
    elif (match := _MONTH_DAY_YEAR.search(text)) and match.group(1).lower() in _MONTHS:
        parts = (match.group(3), str(_MONTHS.index(match.group(1).lower()) + 1), match.group(2))
    if parts is None:
        return None
    try:
        return dt.date(*(int(part) for part in parts))
    except ValueError:
        return None


def with_fields(paper: ParsedPaper, rows: Iterable[tuple[Line, Field]],
                stray: list[Line]) -> ParsedPaper:
    """`paper` with what its labelled lines give; a line whose field the paper already has, or
    that names none the paper keeps (`Comments:`), goes to `stray` to be reported."""
    for (number, text), found in rows:
        given = _given(paper, found)
        if given is None:
            stray.append((number, text))
        else:
            paper = replace(given, lines=tuple(sorted({*paper.lines, number})))
    return paper


def field_rows(rows: Iterable[Line]) -> list[tuple[Line, Field]]:
    """The labelled lines among `rows`, each with its field."""
    return [(row, found) for row in rows if (found := field(row[1])) is not None]


def attach_fields(papers: list[ParsedPaper], rows: list[tuple[Line, Field]], stray: list[Line],
                  lead: bool) -> list[ParsedPaper]:
    """`papers` with their labelled lines, each given to its paper as reference lines are
    (`references.owners`); a line no paper takes is reported unplaced."""
    return attach(papers, rows, lead, stray, with_fields)


def _given(paper: ParsedPaper, found: Field) -> ParsedPaper | None:
    """`paper` with `found` set, or None when it cannot take it."""
    if found.name == "title" and not paper.title and found.value:
        return replace(paper, title=found.value)
    if found.name == "authors" and not paper.authors and found.value:
        names = [n.strip() for n in re.split(r",|;|\band\b", found.value) if n.strip()]
        return replace(paper, authors=tuple(names))
    if found.name == "date" and paper.published is None and date_in(found.value):
        return replace(paper, published=date_in(found.value))
    if found.name == "tags" and not paper.tags:
        tags = subject_codes(found.value) or [t.strip() for t in re.split(r"[;,]", found.value)
                                              if t.strip()]
        return replace(paper, tags=tuple(t for t in tags if ids.tag_name(t))) if tags else None
    if found.name == "arxiv" and paper.arxiv in (None, ids.arxiv_id(found.value)):
        return replace(paper, arxiv=ids.arxiv_id(found.value))
    return None


def subject_codes(value: str) -> list[str]:
    """The arXiv codes a `Subjects:` value names: `Machine Learning (cs.LG); … (stat.ML)`."""
    return _SUBJECT_CODE.findall(value)


def furniture(texts: Iterable[str]) -> frozenset[str]:
    """The short lines that repeat over the papers of a file, each time before a different line
    (`View PDF` over every abstract): page furniture. A line must come back for at least half
    the file's prose lines: a venue (`CVPR, 2020`) shared by two papers of many is not furniture,
    and a paper listed twice repeats its title before the same abstract, so it is not either."""
    texts = list(texts)
    repeats = Counter(texts)
    enough = max(_MIN_REPEATS, sum(1 for text in texts if len(text) >= SHORTEST_PROSE) / 2)
    following: dict[str, set[str]] = {}
    for text, after in zip(texts, texts[1:]):
        if repeats[text] >= enough and len(text) < 80:
            following.setdefault(text, set()).add(after)
    return frozenset(text for text, after in following.items() if len(after) >= _MIN_REPEATS)


_LINK_WORDS = {"pdf", "abstract", "bibtex", "bib", "code", "video", "project", "page", "slides",
               "poster", "preprint", "arxiv", "website", "data", "dataset", "demo", "talk", "paper",
               "html", "supp", "supplementary", "blog", "github", "openreview", "cite", "doi",
               "link", "url", "view", "download", "extended", "version", "talks"}
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]{4,}\b")  # longer than every name particle
_PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "del", "al", "bin"}


def is_link_words(text: str) -> bool:
    """A row of link names under a paper (`pdf  project page  abstract  bibtex`): furniture."""
    if len(text) > 120 or re.search(r"\d", text):  # a venue or prose, not a row of links
        return False
    words = re.findall(r"[^\W\d_]+", text.casefold())
    return bool(words) and all(word in _LINK_WORDS for word in words)


def venue_like(text: str) -> bool:
    """A short line naming where and when a paper appeared: `ICLR, 2020`, `CVPR 2019 (Oral)`."""
    named = re.search(r"[^\W\d_]{2,}", text)  # a venue has a name, not only a date
    return bool(_YEAR.search(text) and named) and len(text.split()) <= 12 and not text.endswith(".")


def names_in(text: str) -> tuple[str, ...]:
    """The people an unlabelled byline names (`Ann Lee, Bo Kim*, and Cy Park`), or () when the
    line is not one."""
    if _LOWER_WORD.search(text):  # prose: found at once, where splitting a long line is slow
        return ()
    parts = [re.sub(r"^(?:and|&)\s+", "", part.strip()).strip(" *†‡∗")
             for part in re.split(r",|;|\band\b|&", text)]
    parts = [part for part in parts if part and part.casefold() not in ("et al.", "et. al.", "et al")]
    if len(parts) < 2 or re.search(r"\d", text):
        return ()
    for part in parts:
        words = part.replace(".", ". ").split()
        if not 1 <= len(words) <= 5 or not all(
                word[0].isupper() or word.casefold() in _PARTICLES for word in words):
            return ()
    return tuple(parts)
