"""The `bilingual-daily` format: dated sections (`2024년 12월 19일`, `2024-12-19`, `Dec 19, 2024`),
each a digest of papers with a title line, an `(authors)` line, the abstract, Korean and English
commentary and `#tag` lines."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left

from litdigest.content.language import is_korean
from litdigest.importer import identity as ids
from litdigest.importer.formats.lines import Line, line_numbers, numbered
from litdigest.importer.formats.parsed import Fit, ParsedDigest, ParsedFile, ParsedPaper
from litdigest.importer.formats.references import (Reference, attach_references, links_lead,
                                                   reference, title_and_marker)

NAME = "bilingual-daily"
LISTED = 4  # its place in FORMAT_NAMES
EXAMPLE = "2024년 12월 19일 ⏎ A Title ⏎ (Author One, Author Two) ⏎ Abstract … ⏎ 한국어 코멘트 ⏎ #tag"


def detect(lines: list[str]) -> bool:
    """A Korean date line, or another date line (or none) with `(authors)` and `#tag` lines."""
    return fit(lines).lacks == ""


def fit(lines: list[str]) -> Fit:
    texts = [text for _, text in numbered(lines)]
    if any(_KOREAN_DATE.match(text) and date_of(text) for text in texts):
        return Fit(1.0)
    marks = {"a date line": any(date_of(text) for text in texts),
             "an (authors) line": any(authors_of(text) is not None for text in texts),
             "a #tag line": any(is_tag_line(text) for text in texts)}
    has_date, has_authors, has_tags = marks.values()
    if (has_authors or has_tags) and has_date or (has_authors and has_tags):
        return Fit(1.0)
    missing = [name for name, there in marks.items() if not there]
    return Fit((3 - len(missing)) / 3, "no " + " and no ".join(m.removeprefix("a ").removeprefix("an ")
                                                               for m in missing))


_HEADING = r"^(?:#{1,6}\s*)?[\[(]?\s*"
_WEEKDAY = (r"(?:\s*[,(]?\s*(?:[월화수목금토일](?:요일)?|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)\s*\)?)?"
            r"\s*[\])]?\.?$")
_KOREAN_DATE = re.compile(  # `2024년 12월 19일`, optionally with its weekday: `(목)`, `목요일`
    rf"{_HEADING}(\d{{4}})\s*년\s*(\d{{1,2}})\s*월\s*(\d{{1,2}})\s*일{_WEEKDAY}", re.IGNORECASE)
_NUMERIC_DATE = re.compile(  # `2024-12-19`, `2024. 12. 19.`, `2024/12/19`
    rf"{_HEADING}(\d{{4}})\s*([-./])\s*(\d{{1,2}})\s*\2\s*(\d{{1,2}})\.?{_WEEKDAY}", re.IGNORECASE)
_ENGLISH_DATE = re.compile(  # `December 19, 2024`, `Thu, Dec 19, 2024`
    rf"{_HEADING}(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?([a-z]{{3,9}})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})"
    r"\s*[\])]?$", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_AUTHORS = re.compile(r"^\((.+)\)$")
_NOT_AN_AUTHOR = {"…", "...", "et al.", "et al", "etc."}
_TAG = re.compile(r"#([^\s#,]+)")
_TAG_LINE = re.compile(r"^(?:#[^\s#,]+[\s,]*)+$")


def date_of(text: str) -> dt.date | None:
    """The date a date line gives (`2024년 12월 19일`, `2024-12-19`, `Dec 19, 2024`), or None."""
    parts: tuple[str, ...] | None = None
    if match := _KOREAN_DATE.match(text):
        parts = match.groups()
    elif match := _NUMERIC_DATE.match(text):
        parts = (match.group(1), match.group(3), match.group(4))
    elif (match := _ENGLISH_DATE.match(text)) and match.group(1)[:3].lower() in _MONTHS:
        month = str(_MONTHS.index(match.group(1)[:3].lower()) + 1)
        parts = (match.group(3), month, match.group(2))
    if parts is None:
        return None
    try:
        return dt.date(*(int(part) for part in parts[:3]))
    except ValueError:
        return None


def heading_text(text: str) -> str:
    """A date line as a digest's title: without Markdown heading marks or enclosing brackets."""
    text = re.sub(r"^#{1,6}\s*", "", text).strip()
    return text[1:-1].strip() if text.startswith("[") and text.endswith("]") else text


def is_tag_line(text: str) -> bool:
    return bool(_TAG_LINE.match(text))


def tags_of(text: str) -> tuple[str, ...]:
    return tuple(_TAG.findall(text))


def authors_of(text: str) -> tuple[str, ...] | None:
    """The names in an `(A, B, and C)` line, or None when the line is not one (a remark in
    parentheses has longer parts, a colon, or ends a sentence)."""
    match = _AUTHORS.match(text)
    if not match or is_korean(text):
        return None
    names = [re.sub(r"^(?:and|&)\s+", "", name.strip()) for name in re.split(r",|;| and ", match.group(1))]
    names = [n for n in names if n and n not in _NOT_AN_AUTHOR]
    return tuple(names) if names and all(_looks_like_name(n) for n in names) else None


def _looks_like_name(name: str) -> bool:
    words = name.split()
    ends_sentence = name.endswith((".", "!", "?")) and not re.search(r"(?:\b\w|al|Jr|Sr)\.$", name)
    return len(words) <= 6 and len(name) <= 60 and not re.search(r"[:!?]", name) and not ends_sentence


def parse(lines: list[str]) -> ParsedFile:
    """Each date line opens a digest; lines before the first one form an undated digest.
    Reference lines belong to the paper they stand in, before or after it as the whole file
    shows (`references.links_lead`)."""
    sections: list[tuple[Line | None, list[Line]]] = [(None, [])]
    for number, text in numbered(lines):
        if date_of(text):
            sections.append(((number, text), []))
        else:
            sections[-1][1].append((number, text))
    sections = [(heading, rows) for heading, rows in sections if heading is not None or rows]
    unplaced: list[Line] = []
    read = [_daily_papers(rows, unplaced) for _, rows in sections]
    lead = links_lead([p for papers, _ in read for p in papers],
                      [row[0] for _, refs in read for row, _ in refs], lines)
    digests: list[ParsedDigest] = []
    for (heading, rows), (papers, refs) in zip(sections, read):
        papers = attach_references(papers, refs, lines, unplaced, lead)
        line = heading[0] if heading else rows[0][0]
        title = heading_text(heading[1]) if heading else ""
        digests.append(ParsedDigest(line, tuple(papers), title, date_of(title) if heading else None,
                                    (heading[0],) if heading else ()))
    return ParsedFile(NAME, tuple(digests), tuple(sorted(set(unplaced))))


def _daily_papers(rows: list[Line], unplaced: list[Line]
                  ) -> tuple[list[ParsedPaper], list[tuple[Line, Reference]]]:
    """A section's papers, made from its text lines, and its reference lines: split at the
    papers' starts — the line above an authors line, the line after tags."""
    refs = [(row, ref) for row in rows if (ref := reference(row[1])) is not None]
    text = [row for row in rows if reference(row[1]) is None]
    ref_lines = [row[0] for row, _ in refs]
    starts = {0}
    for index, (_, line) in enumerate(text):
        if authors_of(line) is not None and index > 0:
            starts.add(index - 1)
        if is_tag_line(line) and index + 1 < len(text):
            starts.add(index + 1)
    bounds = sorted(starts) if text else []
    papers: list[ParsedPaper] = []
    for index, begin in enumerate(bounds):
        chunk = text[begin:bounds[index + 1] if index + 1 < len(bounds) else len(text)]
        after = text[bounds[index + 1]][0] if index + 1 < len(bounds) else 1 << 62
        has_refs = bisect_left(ref_lines, after) > bisect_left(ref_lines, chunk[0][0])
        if (len(chunk) < 2 and not has_refs) or is_tag_line(chunk[0][1]):
            unplaced += chunk
        else:
            papers.append(_daily_paper(chunk, unplaced))
    if not text:
        unplaced += [row for row, _ in refs]
        refs = []
    return papers, refs


def _daily_paper(text: list[Line], stray: list[Line]) -> ParsedPaper:
    """Title, optional authors, abstract, then commentary paragraphs and `#tag` lines."""
    (first, title_line), rest = text[0], text[1:]
    title, marker = title_and_marker(title_line)
    authors = authors_of(rest[0][1]) if rest else None
    if authors is not None:
        rest = rest[1:]
    abstract = ""
    if rest and not is_tag_line(rest[0][1]) and not is_korean(rest[0][1]):
        abstract, rest = rest[0][1], rest[1:]
    tags: list[str] = []
    for number, line in rest:
        if is_tag_line(line):
            named = [tag for tag in tags_of(line) if ids.tag_name(tag)]
            stray += [(number, f"#{tag}") for tag in tags_of(line) if not ids.tag_name(tag)]
            tags += named
    prose = [line for _, line in rest if not is_tag_line(line)]
    korean = tuple(line for line in prose if is_korean(line))
    english = tuple(line for line in prose if not is_korean(line))
    commentary = tuple((lang, paras) for lang, paras in (("ko", korean), ("en", english)) if paras)
    return ParsedPaper(line=first, title=title, abstract=abstract, authors=authors or (),
                       tags=tuple(tags), commentary=commentary, arxiv=marker,
                       lines=line_numbers(text))
