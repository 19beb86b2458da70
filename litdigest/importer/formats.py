"""Recognise which of the five raw digest formats a file is in, and read its papers out of it.

Input is the file's lines as `clean.split_lines` gives them (line N is `lines[N - 1]`); output
is plain parsed data that remembers where everything came from. Text is left as written
(cleaning, ids and titles are the importer's job). Every non-blank line either lands in a paper
or digest — each records the numbers of the lines it was made from — or is returned as
unplaced, so nothing is dropped silently (`unaccounted` checks exactly that).

Lines that only name a paper's identifier or one of its links — `arXiv:2501.01234v2`,
`https://arxiv.org/pdf/2501.01234`, `doi:10.1145/…`, `Code: https://…` — are *references*
and belong to the paper they stand in, in every format.

Detection uses general shapes, tried in this order:

* `bilingual-daily`  a Korean date line such as `2024년 12월 19일`, or another date line
                     (`2024-12-19`, `2024. 12. 19.`, `Dec 19, 2024`) or no date at all with
                     `(authors)` lines and `#tag` lines;
* `abstract-lines`   most lines start with `Abstract:`;
* `author-profile`   blank-line-separated blocks: short title, short venue, long abstract;
* `arxiv-markers`    abstracts without titles, each closed by an arXiv marker;
* `category-listing` short lines alternating with long ones, under optional header lines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from litdigest.importer import identity as ids
from litdigest.importer.identity import ARXIV_MARKER
from litdigest.content.language import is_korean

ARXIV_MARKERS = "arxiv-markers"
AUTHOR_PROFILE = "author-profile"
CATEGORY_LISTING = "category-listing"
ABSTRACT_LINES = "abstract-lines"
BILINGUAL_DAILY = "bilingual-daily"
FORMAT_NAMES = (ARXIV_MARKERS, AUTHOR_PROFILE, CATEGORY_LISTING, ABSTRACT_LINES, BILINGUAL_DAILY)

Line = tuple[int, str]  # (1-based line number, text)


@dataclass(frozen=True)
class ParsedPaper:
    """One paper as the raw file gave it; `line` is where it starts, `lines` every line used."""

    line: int
    abstract: str = ""
    title: str = ""
    arxiv: str | None = None  # the bare number, `2410.14940`
    authors: tuple[str, ...] = ()
    venue: str | None = None
    links: tuple[tuple[str, str], ...] = ()  # (name, url) besides arXiv: code, project, …
    tags: tuple[str, ...] = ()  # as written, without `#`: "video-generation", "Large Language Model"
    commentary: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (lang, paragraphs in order)
    doi: str | None = None  # lower-cased, `10.1145/3597503`
    lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class ParsedDigest:
    """A run of papers posted together: the whole file, or one dated section of it.
    `lines` are the digest's own lines: its date line, its header."""

    line: int
    papers: tuple[ParsedPaper, ...]
    title: str = ""
    date: dt.date | None = None
    lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class ParsedFile:
    format: str
    digests: tuple[ParsedDigest, ...]
    unplaced: tuple[Line, ...]

    @property
    def papers(self) -> tuple[ParsedPaper, ...]:
        return tuple(p for d in self.digests for p in d.papers)

    def placed(self) -> set[int]:
        """The numbers of the lines that went into a paper or a digest."""
        return ({n for p in self.papers for n in p.lines}
                | {n for d in self.digests for n in d.lines})


def unaccounted(lines: list[str], found: ParsedFile) -> list[Line]:
    """The non-blank lines neither placed nor reported unplaced: always none, unless a parser
    has a bug; the importer reports any as unplaced all the same."""
    known = found.placed() | {number for number, _ in found.unplaced}
    return [(number, text) for number, text in numbered(lines) if number not in known]


# ---- shapes every format shares -----------------------------------------------------------

LONG_LINE = 250  # characters; titles, venues and headers are shorter, abstracts longer
_SENTENCE_BREAK = re.compile(r"[.!?] +[A-Z]")


def numbered(lines: list[str]) -> list[Line]:
    """The non-blank lines with their 1-based numbers."""
    return [(number, text) for number, text in enumerate(lines, 1) if text]


def is_long(text: str) -> bool:
    """Whether a line reads as prose (an abstract) rather than a title, venue or header."""
    return len(text) >= LONG_LINE or (len(text) >= 120 and len(_SENTENCE_BREAK.findall(text)) >= 2)


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


def line_numbers(rows: Iterable[Line]) -> tuple[int, ...]:
    return tuple(number for number, _ in rows)


def collapse_runs(kinds: str) -> str:
    """`SLLSL` → `SLSL`: a run of long blocks or lines is one abstract in several paragraphs."""
    return re.sub(r"L+", "L", kinds)


# ---- references: lines that only name an identifier or a link ----------------------------------

_LINK_LABELS = r"code|project(?: page)?|github|homepage|website|page|demo|data(?:set)?|models?|weights"
_ID_LABELS = r"arxiv|paper|pdf|doi|link|url"
_LABELLED = re.compile(rf"^({_LINK_LABELS}|{_ID_LABELS})\s*:\s*(\S+)$", re.IGNORECASE)
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_TRAILING_LINK = re.compile(rf"(?:^|\s)({_LINK_LABELS})\s*:\s*(https?://\S+?)\.?$", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """What a reference line gives: `kind` is "arxiv", "doi" or a link name such as "code";
    `value` the arXiv number, the DOI or the URL."""

    kind: str
    value: str


def reference(text: str) -> Reference | None:
    """The identifier or link a line names when that is all it does, else None."""
    bare = text.strip().strip("[]()<>").strip()
    number, doi = ids.arxiv_id(bare), ids.doi_id(bare)
    if number:
        return Reference("arxiv", number)
    if doi:
        return Reference("doi", doi)
    labelled = _LABELLED.match(bare)
    if not labelled:
        return None
    label, value = labelled.group(1).lower(), labelled.group(2).strip("<>").rstrip(".,;")
    number, doi = ids.arxiv_id(value), ids.doi_id(value)
    if number:
        return Reference("arxiv", number)
    if doi:
        return Reference("doi", doi)
    if _URL.match(value) and re.fullmatch(_LINK_LABELS, label, re.IGNORECASE):
        return Reference(link_name(label), value)
    if _URL.match(value):
        return Reference("paper" if label in ("paper", "pdf") else "web", value)
    return None


def has_words(text: str) -> bool:
    """Whether a line has any letter or digit: `---` and `* * *` are separators, never titles."""
    return bool(re.search(r"[^\W_]", text))


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
    taken = {n for n, _ in links}
    unique, number = name, 2
    while unique in taken:
        unique, number = f"{name}-{number}", number + 1
    return [*links, (unique, url)]


_TRAILING_MARKER = re.compile(rf"\s*[\[(]?\s*(?:{ARXIV_MARKER.pattern})\s*[\])]?$", re.IGNORECASE)
_LEADING_MARKER = re.compile(
    rf"^(?:\[(\d{{4}}\.\d{{4,5}})(?:v\d+)?\]|[\[(]?(?:{ARXIV_MARKER.pattern})[\])]?)\s+(?=\S)",
    re.IGNORECASE)


def title_and_marker(text: str) -> tuple[str, str | None]:
    """A title line without the arXiv id written before or after it (`[2501.01234] Title`,
    `Title (arXiv:2501.01234v2)`), and that id."""
    for pattern in (_LEADING_MARKER, _TRAILING_MARKER):
        match = pattern.search(text)
        if match and match.group(0).strip() != text.strip():
            number = next(g for g in match.groups() if g)
            return (text[:match.start()] + text[match.end():]).strip(), ids.canonical_arxiv(number)
    return text, None


# ---- detection --------------------------------------------------------------------------------


def detect_format(lines: list[str]) -> str | None:
    """The name of the format `lines` are in, or None when no shape fits."""
    checks: tuple[tuple[str, Callable[[list[str]], bool]], ...] = (
        (BILINGUAL_DAILY, _is_daily),
        (ABSTRACT_LINES, _mostly_abstract_lines),
        (AUTHOR_PROFILE, _has_profile_blocks),
        (ARXIV_MARKERS, _has_markers_without_titles),
        (CATEGORY_LISTING, _alternates_short_long),
    )
    return next((name for name, fits in checks if fits(lines)), None)


def _text_rows(lines: list[str]) -> list[Line]:
    """The non-blank lines that are not reference lines."""
    return [(number, text) for number, text in numbered(lines) if not reference(text)]


def _is_daily(lines: list[str]) -> bool:
    texts = [text for _, text in numbered(lines)]
    if any(_KOREAN_DATE.match(text) and date_of(text) for text in texts):
        return True
    has_authors = any(authors_of(text) is not None for text in texts)
    has_tags = any(is_tag_line(text) for text in texts)
    has_date = any(date_of(text) for text in texts)
    return (has_authors or has_tags) and has_date or (has_authors and has_tags)


def _mostly_abstract_lines(lines: list[str]) -> bool:
    texts = [text for _, text in _text_rows(lines)]
    starts = sum(1 for text in texts if _ABSTRACT_START.match(text))
    return starts > 0 and starts * 2 >= len(texts)


def _block_kinds(lines: list[str]) -> str:
    """One letter per block, reference-only blocks left out: L for prose, S for anything shorter."""
    kinds = []
    for block in blocks(lines):
        text = [row for row in block if not reference(row[1])]
        if text and not _is_separator(block):
            kinds.append("L" if is_long(joined(text)) else "S")
    return "".join(kinds)


def _has_profile_blocks(lines: list[str]) -> bool:
    """Most abstracts come right after two one-line blocks: a title and a venue."""
    kinds = collapse_runs(_block_kinds(lines))
    longs = kinds.count("L")
    return longs > 0 and kinds.count("SSL") * 2 >= longs


def _has_markers_without_titles(lines: list[str]) -> bool:
    """arXiv markers on their own lines or at the edges of prose, and no title lines: the text
    does not alternate short title lines with long abstracts the way a listing does."""
    has_markers = any(_split_points(text) or _is_marker_line(text) for _, text in numbered(lines))
    return has_markers and not _alternates_short_long(lines)


def _alternates_short_long(lines: list[str]) -> bool:
    kinds = collapse_runs("".join("L" if is_long(text) else "S" for _, text in _text_rows(lines)))
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
                   title: str = "", own_lines: tuple[int, ...] = ()) -> ParsedFile:
    line = min([*own_lines, *(p.line for p in papers)], default=1)
    return ParsedFile(fmt, (ParsedDigest(line, tuple(papers), title, None, own_lines),),
                      tuple(sorted(set(unplaced))))


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


# ---- arxiv-markers: `abstract…arXiv:2410.14940Next abstract…` ------------------------------------


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


@dataclass(frozen=True)
class _Pending:
    """The abstract and reference lines read since the last marker."""

    text: tuple[Line, ...] = ()
    refs: tuple[tuple[Line, Reference], ...] = ()

    def add_text(self, line: Line) -> _Pending:
        return _Pending((*self.text, line), self.refs) if line[1] else self

    def add_ref(self, line: Line, ref: Reference) -> _Pending:
        return _Pending(self.text, (*self.refs, (line, ref)))


def parse_arxiv_markers(lines: list[str]) -> ParsedFile:
    """Abstracts each closed by their arXiv marker; the next one starts right after it.
    `Code:`/`Project:` lines and DOI lines before a marker belong to that paper."""
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    pending = _Pending()
    for number, text in numbered(lines):
        ref = reference(text)
        if ref is not None and ref.kind == "arxiv":
            pending = _close_marked(pending, (number, text), ref.value, papers, unplaced)
        elif ref is not None:
            pending = pending.add_ref((number, text), ref)
        else:
            start = 0
            for match in _split_points(text):
                pending = pending.add_text((number, text[start:match.start()].strip()))
                pending = _close_marked(pending, (number, match.group(0)),
                                        ids.canonical_arxiv(match.group(1)), papers, unplaced)
                start = match.end()
            pending = pending.add_text((number, text[start:].strip()))
    unplaced += [*pending.text, *(line for line, _ in pending.refs)]  # after the last marker
    return _single_digest(ARXIV_MARKERS, papers, unplaced)


def _close_marked(pending: _Pending, marker: Line, number: str, papers: list[ParsedPaper],
                  unplaced: list[Line]) -> _Pending:
    if not pending.text:
        unplaced += [*(line for line, _ in pending.refs), marker]
        return _Pending()
    abstract = joined(pending.text)
    paper = ParsedPaper(line=pending.text[0][0], abstract=abstract, arxiv=number,
                        lines=tuple(sorted({*line_numbers(pending.text), marker[0]})))
    paper = with_references(paper, pending.refs, unplaced)
    trailing = _TRAILING_LINK.search(abstract)
    if trailing and link_name(trailing.group(1)) not in dict(paper.links):
        paper = replace(paper, links=((link_name(trailing.group(1)), trailing.group(2)), *paper.links))
    papers.append(paper)
    return _Pending()


# ---- author-profile: header, then blocks title / venue / abstract --------------------------------


@dataclass(frozen=True)
class _Block:
    """A blank-line-separated block: its prose lines, its reference lines, and its kind."""

    text: tuple[Line, ...]
    refs: tuple[tuple[Line, Reference], ...]

    @property
    def kind(self) -> str:
        if not self.text:
            return "R"
        return "L" if is_long(joined(self.text)) else "S"


def _is_separator(block: list[Line]) -> bool:
    return not any(has_words(text) for _, text in block)


def _split_block(block: list[Line]) -> _Block:
    text: list[Line] = []
    refs: list[tuple[Line, Reference]] = []
    for row in block:
        ref = reference(row[1])
        if ref is None:
            text.append(row)
        else:
            refs.append((row, ref))
    return _Block(tuple(text), tuple(refs))


def parse_author_profile(lines: list[str]) -> ParsedFile:
    """The header's last line names the collection; each paper is a title, venue, abstract block.
    A long block right after an abstract continues it; reference blocks and lines belong to the
    paper they are in or follow."""
    separators = [row for block in blocks(lines) if _is_separator(block) for row in block]
    found = [_split_block(block) for block in blocks(lines) if not _is_separator(block)]
    kinds = "".join(block.kind for block in found)
    papers: list[ParsedPaper] = []
    header: list[Line] = []
    leftovers: list[Line] = list(separators)
    index, after_abstract = 0, False
    while index < len(found):
        shape = kinds[index:index + 3]
        if shape == "SSL" or shape.startswith("SL"):
            size = 3 if shape == "SSL" else 2
            papers.append(_profile_paper(found[index:index + size], leftovers))
            index, after_abstract = index + size, True
            continue
        block = found[index]
        if block.kind == "L" and after_abstract:
            papers[-1] = _continued(papers[-1], block, leftovers)
        elif block.kind == "R" and papers:
            papers[-1] = with_references(papers[-1], block.refs, leftovers)
        else:
            (header if not papers else leftovers).extend([*block.text, *(r for r, _ in block.refs)])
            after_abstract = False
        index += 1
    named = [row for row in header if not reference(row[1])]
    name = named[-1] if named else None
    header = [row for row in header if row != name]
    return _single_digest(AUTHOR_PROFILE, papers, [*header, *leftovers],
                          title=name[1] if name else "", own_lines=(name[0],) if name else ())


def _profile_paper(parts: list[_Block], stray: list[Line]) -> ParsedPaper:
    title_block, *middle, abstract_block = parts
    title, number = title_and_marker(joined(title_block.text))
    venue = joined(middle[0].text) if middle else None
    if venue and number is None:
        in_venue = ARXIV_MARKER.search(venue)
        number = ids.canonical_arxiv(in_venue.group(1)) if in_venue else None
    used = [row for part in parts for row in part.text]
    paper = ParsedPaper(line=title_block.text[0][0], title=title, venue=venue,
                        abstract=joined(abstract_block.text), arxiv=number,
                        lines=line_numbers(used))
    return with_references(paper, [ref for part in parts for ref in part.refs], stray)


def _continued(paper: ParsedPaper, block: _Block, stray: list[Line]) -> ParsedPaper:
    """`paper` with one more paragraph of abstract."""
    longer = replace(paper, abstract=f"{paper.abstract}\n\n{joined(block.text)}",
                     lines=tuple(sorted({*paper.lines, *line_numbers(block.text)})))
    return with_references(longer, block.refs, stray)


# ---- category-listing: header, then title line / abstract line -------------------------------------


def parse_category_listing(lines: list[str]) -> ParsedFile:
    """Category header lines (each tags the papers under it), then alternating title and abstract
    lines. A long line right after an abstract continues it; reference lines belong to the paper
    whose title is waiting for its abstract, else to the paper above."""
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    pending: list[Line] = []
    waiting_refs: list[tuple[Line, Reference]] = []
    category: Line | None = None
    first_category: Line | None = None
    after_abstract = False
    for number, text in numbered(lines):
        ref = reference(text)
        if ref is not None:
            if pending or not papers:
                waiting_refs.append(((number, text), ref))
            else:
                papers[-1] = with_references(papers[-1], [((number, text), ref)], unplaced)
            continue
        if not has_words(text):
            unplaced.append((number, text))
            continue
        if not is_long(text):
            pending.append((number, text))
            after_abstract = False
            continue
        if not pending:
            if after_abstract:
                papers[-1] = replace(papers[-1], abstract=f"{papers[-1].abstract}\n\n{text}",
                                     lines=(*papers[-1].lines, number))
            else:
                unplaced.append((number, text))  # an abstract with no title line above it
            continue
        title_line = pending.pop()
        if pending and _looks_like_category(pending[0][1]):
            category = pending.pop(0)
            first_category = first_category or category
        unplaced += pending
        title, marker = title_and_marker(title_line[1])
        own = (title_line[0], number) + ((category[0],) if category else ())
        paper = ParsedPaper(line=title_line[0], title=title, abstract=text, arxiv=marker,
                            tags=(category[1],) if category else (), lines=tuple(sorted(own)))
        papers.append(with_references(paper, waiting_refs, unplaced))
        pending, waiting_refs, after_abstract = [], [], True
    unplaced += [*pending, *(line for line, _ in waiting_refs)]
    own_lines = (first_category[0],) if first_category else ()
    return _single_digest(CATEGORY_LISTING, papers, unplaced,
                          title=first_category[1] if first_category else "", own_lines=own_lines)


def _looks_like_category(text: str) -> bool:
    """A category header is a few words naming a field (`Large Language Model`, `Robotics`), not
    a listing's remark such as `Comments: 10 pages` or `Submitted on 3 Jan 2025`."""
    return len(text.split()) <= 6 and len(text) <= 60 and not re.search(r"[\d:;,.!?]", text)


# ---- abstract-lines: `Abstract: …` one paper a line ------------------------------------------------

# `Abstract:`, `ABSTRACT —`, `Abstract.`, a lone `Abstract` heading; Korean `초록:` and `요약:`.
_ABSTRACT_START = re.compile(r"^(?:abstract|초록|요약)(?:\s*[:.\-\u2013\u2014]\s*|\s*$)", re.IGNORECASE)


def parse_abstract_lines(lines: list[str]) -> ParsedFile:
    """One `Abstract:` line per paper; a short line right above one is taken as its title, long
    lines right after it continue it, and reference lines belong to the paper above them."""
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    refs = [((n, t), ref) for n, t in numbered(lines) if (ref := reference(t)) is not None]
    rows = _text_rows(lines)
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
    return _single_digest(ABSTRACT_LINES, papers, unplaced)


# ---- bilingual-daily: dated sections of papers with Korean and English commentary -------------------

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
        title = heading_text(heading[1]) if heading else ""
        digests.append(ParsedDigest(line, tuple(papers), title, date_of(title) if heading else None,
                                    (heading[0],) if heading else ()))
    return ParsedFile(BILINGUAL_DAILY, tuple(digests), tuple(sorted(set(unplaced))))


def _daily_papers(rows: list[Line]) -> tuple[list[ParsedPaper], list[Line]]:
    """Split a section at its papers' starts: the line above an authors line, the line after tags.
    Reference lines do not count in that; each belongs to the paper it is in or follows."""
    text = [row for row in rows if not reference(row[1])]
    starts = {0}
    for index, (_, line) in enumerate(text):
        if authors_of(line) is not None and index > 0:
            starts.add(index - 1)
        if is_tag_line(line) and index + 1 < len(text):
            starts.add(index + 1)
    bounds = [text[i][0] for i in sorted(starts)] if text else []
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    for index, begin in enumerate(bounds):
        end = bounds[index + 1] if index + 1 < len(bounds) else None
        chunk = [row for row in rows if row[0] >= begin and (end is None or row[0] < end)]
        lines_of_text = [row for row in chunk if not reference(row[1])]
        has_refs = len(lines_of_text) < len(chunk)
        if (len(lines_of_text) < 2 and not has_refs) or is_tag_line(lines_of_text[0][1]):
            unplaced += chunk
        else:
            papers.append(_daily_paper(chunk, unplaced))
    if bounds:
        unplaced += [row for row in rows if row[0] < bounds[0]]
    else:
        unplaced += rows
    return papers, unplaced


def _daily_paper(chunk: list[Line], stray: list[Line]) -> ParsedPaper:
    """Title, optional authors, abstract, then commentary paragraphs and `#tag` lines."""
    refs = [(row, ref) for row in chunk if (ref := reference(row[1])) is not None]
    text = [row for row in chunk if reference(row[1]) is None]
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
    paper = ParsedPaper(line=first, title=title, abstract=abstract, authors=authors or (),
                        tags=tuple(tags), commentary=commentary, arxiv=marker,
                        lines=line_numbers(text))
    return with_references(paper, refs, stray)
