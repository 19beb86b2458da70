"""Recognise which of the five raw digest formats a file is in, and read its papers out of it.

Input is the file's lines as `clean.split_lines` gives them (line N is `lines[N - 1]`); output
is plain parsed data that remembers where everything came from. Text is left as written
(cleaning, ids and titles are the importer's job); every non-blank line either lands in a
paper or digest or is returned as unplaced, so nothing is dropped silently.

Detection uses general shapes, tried in this order:

* `bilingual-daily`  a Korean date line such as `2024년 12월 19일`;
* `abstract-lines`   most lines start with `Abstract:`;
* `arxiv-markers`    a line starts (or ends) with an arXiv marker glued to text;
* `author-profile`   blank-line-separated blocks: short title, short venue, long abstract;
* `category-listing` short lines alternating with long ones, under an optional header.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .identity import ARXIV_MARKER

ARXIV_MARKERS = "arxiv-markers"
AUTHOR_PROFILE = "author-profile"
CATEGORY_LISTING = "category-listing"
ABSTRACT_LINES = "abstract-lines"
BILINGUAL_DAILY = "bilingual-daily"
FORMAT_NAMES = (ARXIV_MARKERS, AUTHOR_PROFILE, CATEGORY_LISTING, ABSTRACT_LINES, BILINGUAL_DAILY)

Line = tuple[int, str]  # (1-based line number, text)


@dataclass(frozen=True)
class ParsedPaper:
    """One paper as the raw file gave it; `line` is where it starts."""

    line: int
    abstract: str = ""
    title: str = ""
    arxiv: str | None = None  # the bare number, `2410.14940`
    authors: tuple[str, ...] = ()
    venue: str | None = None
    links: tuple[tuple[str, str], ...] = ()  # (name, url) besides arXiv: code, project, …
    tags: tuple[str, ...] = ()  # as written, without `#`: "video-generation", "Large Language Model"
    commentary: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (lang, paragraphs in order)


@dataclass(frozen=True)
class ParsedDigest:
    """A run of papers posted together: the whole file, or one dated section of it."""

    line: int
    papers: tuple[ParsedPaper, ...]
    title: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class ParsedFile:
    format: str
    digests: tuple[ParsedDigest, ...]
    unplaced: tuple[Line, ...]

    @property
    def papers(self) -> tuple[ParsedPaper, ...]:
        return tuple(p for d in self.digests for p in d.papers)


# ---- shapes every format shares -----------------------------------------------------------

LONG_LINE = 250  # characters; titles, venues and headers are shorter, abstracts longer
_SENTENCE_BREAK = re.compile(r"[.!?] +[A-Z]")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN = re.compile(r"[A-Za-z]")
KOREAN_SHARE = 0.2  # Korean prose mixes in English terms; English prose has no Hangul at all


def numbered(lines: list[str]) -> list[Line]:
    """The non-blank lines with their 1-based numbers."""
    return [(number, text) for number, text in enumerate(lines, 1) if text]


def is_long(text: str) -> bool:
    """Whether a line reads as prose (an abstract) rather than a title, venue or header."""
    return len(text) >= LONG_LINE or (len(text) >= 120 and len(_SENTENCE_BREAK.findall(text)) >= 2)


def hangul_share(text: str) -> float:
    hangul, latin = len(_HANGUL.findall(text)), len(_LATIN.findall(text))
    return hangul / (hangul + latin) if hangul + latin else 0.0


def is_korean(text: str) -> bool:
    return hangul_share(text) >= KOREAN_SHARE


def blocks(lines: list[str]) -> list[list[Line]]:
    """Runs of non-blank lines separated by blank lines."""
    found: list[list[Line]] = [[]]
    for number, text in enumerate(lines, 1):
        if text:
            found[-1].append((number, text))
        elif found[-1]:
            found.append([])
    return [block for block in found if block]


def joined(block: Iterable[Line]) -> str:
    return " ".join(text for _, text in block)


# ---- detection --------------------------------------------------------------------------------


def detect_format(lines: list[str]) -> str | None:
    """The name of the format `lines` are in, or None when no shape fits."""
    checks: tuple[tuple[str, Callable[[list[str]], bool]], ...] = (
        (BILINGUAL_DAILY, _has_korean_date),
        (ABSTRACT_LINES, _mostly_abstract_lines),
        (ARXIV_MARKERS, _has_glued_markers),
        (AUTHOR_PROFILE, _has_profile_blocks),
        (CATEGORY_LISTING, _alternates_short_long),
    )
    return next((name for name, fits in checks if fits(lines)), None)


def _has_korean_date(lines: list[str]) -> bool:
    return any(_KOREAN_DATE.match(text) and date_of(text) for text in lines)


def _mostly_abstract_lines(lines: list[str]) -> bool:
    texts = [text for _, text in numbered(lines)]
    starts = sum(1 for text in texts if _ABSTRACT_START.match(text))
    return starts > 0 and starts * 2 >= len(texts)


def _has_glued_markers(lines: list[str]) -> bool:
    return any(_marker_at_start(text) or _marker_at_end(text) for text in lines)


def _has_profile_blocks(lines: list[str]) -> bool:
    """Most abstracts come right after two one-line blocks: a title and a venue."""
    kinds = "".join("L" if is_long(joined(block)) else "S" for block in blocks(lines))
    longs = kinds.count("L")
    return longs > 0 and kinds.count("SSL") * 2 >= longs


def _alternates_short_long(lines: list[str]) -> bool:
    kinds = "".join("L" if is_long(text) else "S" for _, text in numbered(lines))
    pairs = kinds.count("SL")
    return pairs > 0 and pairs * 2 >= len(kinds) - 2


# ---- parsing ------------------------------------------------------------------------------------


def parse(lines: list[str], fmt: str) -> ParsedFile:
    """Read the papers of a file in format `fmt` (one of FORMAT_NAMES)."""
    parsers: dict[str, Callable[[list[str]], ParsedFile]] = {
        ARXIV_MARKERS: parse_arxiv_markers,
        AUTHOR_PROFILE: parse_author_profile,
        CATEGORY_LISTING: parse_category_listing,
        ABSTRACT_LINES: parse_abstract_lines,
        BILINGUAL_DAILY: parse_bilingual_daily,
    }
    return parsers[fmt](lines)


def _single_digest(fmt: str, papers: list[ParsedPaper], unplaced: list[Line],
                   title: str = "") -> ParsedFile:
    line = papers[0].line if papers else 1
    return ParsedFile(fmt, (ParsedDigest(line, tuple(papers), title),), tuple(sorted(unplaced)))


# ---- arxiv-markers: `abstract…arXiv:2410.14940Next abstract…` ------------------------------------

_LINK_LABELS = r"code|project(?: page)?|github|homepage|website|page|demo|data(?:set)?|models?|weights"
_LINK_LINE = re.compile(rf"^({_LINK_LABELS})\s*:\s*(https?://\S+)$", re.IGNORECASE)
_TRAILING_LINK = re.compile(rf"(?:^|\s)({_LINK_LABELS})\s*:\s*(https?://\S+?)\.?$", re.IGNORECASE)


def _marker_at_start(text: str) -> re.Match[str] | None:
    return ARXIV_MARKER.match(text)


def _marker_at_end(text: str) -> re.Match[str] | None:
    found = [m for m in ARXIV_MARKER.finditer(text) if m.end() == len(text)]
    return found[-1] if found else None


def _link_name(label: str) -> str:
    return label.lower().replace(" ", "-")


@dataclass(frozen=True)
class _Pending:
    """The abstract and link lines read since the last marker."""

    text: tuple[Line, ...] = ()
    links: tuple[Line, ...] = ()

    def add(self, line: Line) -> _Pending:
        if _LINK_LINE.match(line[1]):
            return _Pending(self.text, (*self.links, line))
        return _Pending((*self.text, line), self.links)


def parse_arxiv_markers(lines: list[str]) -> ParsedFile:
    """Abstracts each closed by their arXiv marker; the next one starts right after it."""
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    pending = _Pending()
    for number, text in numbered(lines):
        start = _marker_at_start(text)
        if start:
            pending = _close_marked(pending, (number, start.group(0)), papers, unplaced)
            text = text[start.end():].strip()
        end = _marker_at_end(text) if text else None
        if end:
            pending = pending.add((number, text[:end.start()].strip()))
            pending = _close_marked(pending, (number, end.group(0)), papers, unplaced)
        elif text:
            pending = pending.add((number, text))
    unplaced += [*pending.text, *pending.links]  # text after the last marker names no paper
    return _single_digest(ARXIV_MARKERS, papers, unplaced)


def _close_marked(pending: _Pending, marker: Line, papers: list[ParsedPaper],
                  unplaced: list[Line]) -> _Pending:
    text = [line for line in pending.text if line[1]]
    if not text:
        unplaced += [*pending.links, marker]
        return _Pending()
    abstract = joined(text)
    links = [(_link_name(m.group(1)), m.group(2))
             for m in (_LINK_LINE.match(t) for _, t in pending.links) if m]
    trailing = _TRAILING_LINK.search(abstract)
    if trailing and _link_name(trailing.group(1)) not in dict(links):
        links.insert(0, (_link_name(trailing.group(1)), trailing.group(2)))
    number = ARXIV_MARKER.match(marker[1])
    papers.append(ParsedPaper(line=text[0][0], abstract=abstract,
                              arxiv=number.group(1) if number else None,
                              links=tuple(_first_of_each(links))))
    return _Pending()


def _first_of_each(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each link name once, with the first URL given for it."""
    kept: dict[str, str] = {}
    for name, url in pairs:
        kept.setdefault(name, url)
    return list(kept.items())


# ---- author-profile: header, then blocks title / venue / abstract --------------------------------


def parse_author_profile(lines: list[str]) -> ParsedFile:
    """The header's last line names the collection; each paper is a title, venue, abstract block."""
    found = blocks(lines)
    kinds = ["L" if is_long(joined(block)) else "S" for block in found]
    papers: list[ParsedPaper] = []
    leftovers: list[Line] = []
    header: list[Line] = []
    index = 0
    while index < len(found):
        shape = "".join(kinds[index:index + 3])
        if shape == "SSL":
            title, venue, abstract = found[index:index + 3]
            papers.append(ParsedPaper(line=title[0][0], title=joined(title), venue=joined(venue),
                                      abstract=joined(abstract)))
            index += 3
        elif shape.startswith("SL"):
            title, abstract = found[index:index + 2]
            papers.append(ParsedPaper(line=title[0][0], title=joined(title), abstract=joined(abstract)))
            index += 2
        else:
            (header if not papers else leftovers).extend(found[index])
            index += 1
    name = header[-1][1] if header else ""
    return _single_digest(AUTHOR_PROFILE, papers, [*header[:-1], *leftovers], title=name)


# ---- category-listing: header, then title line / abstract line -------------------------------------


def parse_category_listing(lines: list[str]) -> ParsedFile:
    """A category header (which tags every paper), then alternating title and abstract lines."""
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    pending: list[Line] = []
    category = ""
    for number, text in numbered(lines):
        if not is_long(text):
            pending.append((number, text))
            continue
        if not pending:
            unplaced.append((number, text))  # an abstract with no title line above it
            continue
        title = pending.pop()
        if not papers and not category and pending:
            category = pending.pop(0)[1]
        unplaced += pending
        pending = []
        papers.append(ParsedPaper(line=title[0], title=title[1], abstract=text,
                                  tags=(category,) if category else ()))
    unplaced += pending
    return _single_digest(CATEGORY_LISTING, papers, unplaced, title=category)


# ---- abstract-lines: `Abstract: …` one paper a line ------------------------------------------------

_ABSTRACT_START = re.compile(r"^abstract\s*[:.\-\u2013\u2014]\s*", re.IGNORECASE)


def parse_abstract_lines(lines: list[str]) -> ParsedFile:
    """One `Abstract:` line per paper; a short line right above one is taken as its title."""
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    rows = numbered(lines)
    used: set[int] = set()
    for index, (number, text) in enumerate(rows):
        start = _ABSTRACT_START.match(text)
        if not start:
            continue
        abstract, first = text[start.end():].strip(), number
        if not abstract and index + 1 < len(rows) and not _ABSTRACT_START.match(rows[index + 1][1]):
            abstract = rows[index + 1][1]
            used.add(rows[index + 1][0])
        title = ""
        above = rows[index - 1] if index > 0 else None
        if above and above[0] not in used and not _ABSTRACT_START.match(above[1]) and not is_long(above[1]):
            title, first = above[1], above[0]
            used.add(above[0])
        used.add(number)
        if abstract:
            papers.append(ParsedPaper(line=first, title=title, abstract=abstract))
        else:
            unplaced.append((number, text))
    unplaced += [(number, text) for number, text in rows if number not in used]
    return _single_digest(ABSTRACT_LINES, papers, unplaced)


# ---- bilingual-daily: dated sections of papers with Korean and English commentary -------------------

_KOREAN_DATE = re.compile(  # `2024년 12월 19일`, optionally with its weekday: `(목)`
    r"^(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일(?:\s*\(?[월화수목금토일]\)?)?\.?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_AUTHORS = re.compile(r"^\((.+)\)$")
_NOT_AN_AUTHOR = {"…", "...", "et al.", "et al", "etc."}


def date_of(text: str) -> dt.date | None:
    """The date a date line gives (`2024년 12월 19일` or `2024-12-19`), or None."""
    match = _KOREAN_DATE.match(text) or _ISO_DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()[:3]))
    except ValueError:
        return None


def is_tag_line(text: str) -> bool:
    words = text.split()
    return bool(words) and all(w.startswith("#") and len(w) > 1 for w in words)


def authors_of(text: str) -> tuple[str, ...] | None:
    """The names in an `(A, B, and C)` line, or None when the line is not one."""
    match = _AUTHORS.match(text)
    if not match or is_korean(text):
        return None
    names = [re.sub(r"^and\s+", "", name.strip()) for name in match.group(1).split(",")]
    return tuple(n for n in names if n and n not in _NOT_AN_AUTHOR)


def parse_bilingual_daily(lines: list[str]) -> ParsedFile:
    """Each date line opens a digest; lines before the first one form an undated digest."""
    sections: list[tuple[Line | None, list[Line]]] = [(None, [])]
    for number, text in numbered(lines):
        if date_of(text):
            sections.append(((number, text), []))
        else:
            sections[-1][1].append((number, text))
    digests: list[ParsedDigest] = []
    unplaced: list[Line] = []
    for heading, rows in sections:
        if heading is None and not rows:
            continue
        papers, stray = _daily_papers(rows)
        unplaced += stray
        line = heading[0] if heading else rows[0][0]
        title = heading[1] if heading else ""
        digests.append(ParsedDigest(line, tuple(papers), title, date_of(title) if heading else None))
    return ParsedFile(BILINGUAL_DAILY, tuple(digests), tuple(sorted(unplaced)))


def _daily_papers(rows: list[Line]) -> tuple[list[ParsedPaper], list[Line]]:
    """Split a section at its papers' starts: the line above an authors line, the line after tags."""
    starts = {0}
    for index, (_, text) in enumerate(rows):
        if authors_of(text) is not None and index > 0:
            starts.add(index - 1)
        if is_tag_line(text) and index + 1 < len(rows):
            starts.add(index + 1)
    bounds = sorted(starts) + [len(rows)]
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    for begin, end in zip(bounds, bounds[1:]):
        chunk = rows[begin:end]
        if len(chunk) < 2 or is_tag_line(chunk[0][1]):
            unplaced += chunk
        else:
            papers.append(_daily_paper(chunk))
    return papers, unplaced


def _daily_paper(chunk: list[Line]) -> ParsedPaper:
    """Title, optional authors, abstract, then commentary paragraphs and `#tag` lines."""
    (first, title), rest = chunk[0], [text for _, text in chunk[1:]]
    authors = authors_of(rest[0]) if rest else None
    if authors is not None:
        rest = rest[1:]
    abstract = ""
    if rest and not is_tag_line(rest[0]) and not is_korean(rest[0]):
        abstract, rest = rest[0], rest[1:]
    tags = tuple(w[1:] for text in rest if is_tag_line(text) for w in text.split())
    prose = [text for text in rest if not is_tag_line(text)]
    korean = tuple(text for text in prose if is_korean(text))
    english = tuple(text for text in prose if not is_korean(text))
    commentary = tuple((lang, paras) for lang, paras in (("ko", korean), ("en", english)) if paras)
    return ParsedPaper(line=first, title=title, abstract=abstract, authors=authors or (),
                       tags=tags, commentary=commentary)
