"""The `markdown-notes` format: Markdown and Obsidian notes of papers. A paper starts at a heading
that links it (`#### [Title](url)`, `### Title (https://arxiv.org/abs/…)`), a heading followed by
its fields (`Authors:`, an arXiv line), an emphasised title line (`*Title* (A, B)`), or a plain
`Title (A, B)` line right under a paper's link line (as older notes write it); a note of one
paper is its first heading, with YAML front matter. Under it: labelled fields, a quoted or
headed abstract (`> …`, `## Abstract`), links, `#tags`, and commentary (`<english>…</english>`,
`<korean>…</korean>` wrappers say its language). Date headings (`# 2025-03-12`) open digests;
sections that are not papers (`# Links`, `## References`, a list of `[[wikilinks]]`) stay
unplaced. A link line just above a paper's start is that paper's when the file puts its links
first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from litdigest.importer.formats import markdown_text as md
from litdigest.importer.formats.bilingual_daily import date_of
from litdigest.importer.formats.lines import Line, numbered
from litdigest.importer.formats.notes_fields import NoteFields, front_matter, read_line
from litdigest.importer.formats.parsed import Fit, ParsedDigest, ParsedFile, ParsedPaper

NAME = "markdown-notes"
LISTED = 8  # its place in FORMAT_NAMES
EXAMPLE = "## Title (https://arxiv.org/abs/2503.09567) / Authors: A, B / > quoted abstract / #tag"

# a heading that opens with the word, after any emoji: `## 📄 摘要（原文）`, not `Summary (from Abstract)`
_ABSTRACT_HEADING = re.compile(r"^[^\w]*(?:abstract|초록|摘要|要旨|概要|アブストラクト)", re.IGNORECASE)
_EMPHASISED_TITLE = re.compile(r"^(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1\s*(\(.+\))?\s*[.:]?$")
_BYLINE_TITLE = re.compile(r"^(?P<title>[^\s*_#>\[`|-].*?\S)\s*\((?P<names>(?:[^()]|\([^()]*\))+)\)\s*$")
_NAME_WORD = r"""['"‘“(]?[^\W\d_][\w.'’"”()-]*"""  # `Noah A. Smith`, `Hays 'Skip' McCormick`, `(Violet)Peng`
_NAME = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}")  # one to five words, no digits


def detect(lines: list[str]) -> bool:
    return fit(lines).lacks == ""


def fit(lines: list[str]) -> Fit:
    """Markdown headings or emphasised titles, and at least one of them starts a paper."""
    rows = numbered(lines)
    meta, body = front_matter(rows)
    if meta is not None and meta[0].title and not any(md.heading(text) for _, text in body):
        return Fit(1.0)  # an Obsidian literature note: front matter names the paper
    has_markdown = any(md.heading(text) or _EMPHASISED_TITLE.match(text) for _, text in rows)
    if not has_markdown and not _byline_starts(rows):
        return Fit(0.0, "no Markdown headings, emphasised titles or `Title (authors)` lines under a link")
    if not _starts(rows):
        return Fit(0.5, "no heading or emphasised title followed by a paper's fields or link")
    return Fit(1.0)


def parse(lines: list[str]) -> ParsedFile:
    rows = numbered(lines)
    meta, body = front_matter(rows)
    if meta is not None and not any(md.heading(text) for _, text in body):
        return _front_matter_note(meta, body, dict(rows))
    starts = _starts(body) if meta is None else _single_start(body)
    sections = _digest_sections(body)
    digests: list[ParsedDigest] = []
    unplaced: list[Line] = []
    for date_line, section in sections:
        papers, stray = _papers(section, starts)
        unplaced += stray  # with no paper found, every row of the section
        if date_line is None and not papers:
            continue
        title = _heading_words(date_line[1]) if date_line else ""
        line = date_line[0] if date_line else (section[0][0] if section else 1)
        digests.append(ParsedDigest(line, tuple(papers), title, date_of(title) if title else None,
                                    (date_line[0],) if date_line else ()))
    if meta is not None:
        digests, unplaced = _with_front_matter(digests, unplaced, meta, dict(rows))
    return ParsedFile(NAME, tuple(digests), tuple(sorted(set(unplaced))))


def _front_matter_note(meta: tuple[NoteFields, tuple[int, ...]], body: list[Line],
                       texts: dict[int, str]) -> ParsedFile:
    """A note whose front matter names the paper and whose body, without headings, is all
    commentary (an Obsidian literature note)."""
    fields, own = meta
    stray: list[Line] = []
    for row in body:
        fields = fields.with_line(row[1], in_abstract=False, fenced=False)
        if fields.another:
            stray.append(row)
    paper = fields.paper(own[0], tuple(sorted({*own, *md.numbers(body)} - set(md.numbers(stray)))))
    if not _names_a_paper(paper):
        return ParsedFile(NAME, (), tuple(sorted({*((n, texts[n]) for n in own), *body})))
    return ParsedFile(NAME, (ParsedDigest(own[0], (paper,)),), tuple(stray))


def _names_a_paper(paper: ParsedPaper) -> bool:
    """A title, an identifier or an abstract: without any, nothing here is a paper."""
    return bool(paper.title or paper.arxiv or paper.doi or paper.abstract)


def _heading_words(text: str) -> str:
    """A heading's words as a reader sees them (`## [Title](url)` → `Title`)."""
    return md.plain(_heading_source(text))


def _single_start(body: list[Line]) -> set[int]:
    """A note with front matter is one paper: it starts at its first heading, else its first line."""
    first = next((n for n, text in body if md.heading(text) and not md.is_date_heading(text)), None)
    return {first if first is not None else (body[0][0] if body else 0)}


def _starts(rows: list[Line]) -> set[int]:
    """The numbers of the lines that start a paper. A heading starts one when it links a paper or,
    two words at least, its first own lines (up to the next heading) hold a paper's field; an
    emphasised title line does when no heading starts one."""
    heads = [(index, number, text) for index, (number, text) in enumerate(rows)
             if md.heading(text) and not md.is_date_heading(text)]
    starts: set[int] = set()
    for position, (index, number, text) in enumerate(heads):
        end = heads[position + 1][0] if position + 1 < len(heads) else len(rows)
        words = _heading_source(text)
        titled = len(md.plain(words).split()) >= 2  # `# heading` alone is a section, not a paper
        fields = any(read_line(t).is_field for _, t in rows[index + 1:end][:6])
        if _heading_links_paper(words) or (titled and fields):
            starts.add(number)
    return starts or _emphasised_starts(rows) or _byline_starts(rows)


def _emphasised_starts(rows: list[Line]) -> set[int]:
    """Emphasised title lines that start papers: `*Title* (A, B)`, or `**Title**` with a field,
    a quote or a link line right under it; two at least, so a bold remark is never a paper —
    or one `*Title* (A, B)` with its quoted abstract right under it (a one-paper note)."""
    found, whole = set(), set()
    for index, (number, text) in enumerate(rows):
        match = _EMPHASISED_TITLE.match(text)
        if not match or md.bullet(text) is not None or len(md.plain(match.group(2)).split()) < 2:
            continue
        below = rows[index + 1][1] if index + 1 < len(rows) else ""
        kind = read_line(below)
        if match.group(3) or kind.is_field or kind.is_reference or md.is_quote(below):
            found.add(number)
        if match.group(3) and md.is_quote(below):
            whole.add(number)
    return found if len(found) >= 2 or whole else set()


def _byline_starts(rows: list[Line]) -> set[int]:
    """Plain `Title (A, B)` lines right under a link line: the title of the paper linked."""
    return {number for index, (number, text) in enumerate(rows)
            if index and read_line(rows[index - 1][1]).is_reference and byline_title(text)}


def byline_title(text: str) -> tuple[str, tuple[str, ...]] | None:
    """(title, authors) of a `Title (A, B)` line: two words of title at least, and names in the
    parentheses (one to five words each, no digits, one of two words at least), not `(ICLR 2024)`
    or `(Oral)`."""
    found = _BYLINE_TITLE.match(text)
    if found is None:
        return None
    title = found.group("title")
    if len(title.split()) < 2 or title.endswith("."):  # `… 다르긴 함. (output…)` is a sentence
        return None
    names = md.author_names(found.group("names"))
    if not names or not all(_NAME.fullmatch(name) for name in names) \
            or all(len(name.split()) < 2 for name in names):
        return None
    return title, names


def _heading_source(text: str) -> str:
    """A heading's words as written, links and marks kept; "" for a line that is no heading."""
    found = md.heading(text)
    return found[1] if found else ""


def _heading_links_paper(words: str) -> bool:
    urls = [url for _, url in md.links(words)] + md.bare_urls(words)
    return any(re.match(r"https?://", url) for url in urls)


def _digest_sections(rows: list[Line]) -> list[tuple[Line | None, list[Line]]]:
    """The rows split at date headings: (the date heading or None, the rows under it)."""
    sections: list[tuple[Line | None, list[Line]]] = [(None, [])]
    for row in rows:
        if md.is_date_heading(row[1]):
            sections.append((row, []))
        else:
            sections[-1][1].append(row)
    return [s for s in sections if s[0] is not None or s[1]]


@dataclass
class _Block:
    start: Line
    level: int  # the heading level of its start; 7 for an emphasised title line
    rows: list[Line] = field(default_factory=list)


def _papers(rows: list[Line], starts: set[int]) -> tuple[list[ParsedPaper], list[Line]]:
    """The papers of one digest section, and the rows that belong to none."""
    blocks: list[_Block] = []
    outside: list[Line] = []
    current: _Block | None = None
    links_first = _links_first(rows, starts)
    for row in rows:
        number, text = row
        found = md.heading(text)
        if number in starts:
            pending = _pending_links(current.rows if current else outside) if links_first else []
            current = _Block(row, found[0] if found else 7, pending)
            blocks.append(current)
        elif found is not None and current is not None and found[0] <= current.level:
            current = None  # a section that is not a paper: `# Links`, `## References`, `## TODO`
            outside.append(row)
        elif current is not None:
            current.rows.append(row)
        else:
            outside.append(row)
    papers = []
    for block in blocks:
        stray: list[Line] = []
        paper = _paper(block, stray)
        if _names_a_paper(paper):
            papers.append(paper)
            outside += stray
        else:  # nothing names a paper: no title, no identifier, no abstract
            outside += [block.start, *block.rows]
    return papers, outside


def _links_first(rows: list[Line], starts: set[int]) -> bool:
    """Whether the file writes a paper's link line above its start: the first paper has one."""
    first = next((index for index, (number, _) in enumerate(rows) if number in starts), None)
    return first is not None and first > 0 and read_line(rows[first - 1][1]).is_reference


def _pending_links(rows: list[Line]) -> list[Line]:
    """The reference lines ending `rows`, taken out of it: they belong to the paper below."""
    taken: list[Line] = []
    while rows and read_line(rows[-1][1]).is_reference:
        taken.append(rows.pop())
    return taken[::-1]


def _paper(block: _Block, stray: list[Line]) -> ParsedPaper:
    """A paper from its start line and the rows under it; a row naming another paper's id goes
    to `stray`, to be reported."""
    number, text = block.start
    fields = NoteFields()
    found = md.heading(text)
    byline = byline_title(text) if found is None and not _EMPHASISED_TITLE.match(text) else None
    if byline is not None:
        fields = fields.with_title_line(byline[0]).with_authors(byline[1])
    else:
        fields = fields.with_title_line(found[1] if found else text)
    in_abstract = False
    fenced = False
    used: list[Line] = []
    for row in block.rows:
        sub = md.heading(row[1])
        if row[1].startswith("```"):
            fenced = not fenced
        elif sub is not None and not fenced:
            in_abstract = bool(_ABSTRACT_HEADING.match(md.plain(sub[1])))
        else:
            fields = fields.with_line(row[1], in_abstract=in_abstract and not fenced, fenced=fenced)
            if fields.another:
                stray.append(row)
                continue
        used.append(row)
    return fields.paper(number, (number, *md.numbers(used)))


def _with_front_matter(digests: list[ParsedDigest], unplaced: list[Line],
                       meta: tuple[NoteFields, tuple[int, ...]],
                       text: dict[int, str]) -> tuple[list[ParsedDigest], list[Line]]:
    """The front matter's fields given to the note's paper (its only one), its lines to it too."""
    fields, own = meta
    papers = [p for d in digests for p in d.papers]
    if len(papers) != 1:
        return digests, unplaced + [(n, text[n]) for n in own]
    merged = fields.fill(papers[0], own)
    return ([replace(d, papers=tuple(merged if p is papers[0] else p for p in d.papers))
             for d in digests], unplaced)
