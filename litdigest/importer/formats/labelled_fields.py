"""The `labelled-fields` format: blocks of labelled fields, as people write paper notes and as
many tools print papers — `Title:`, `Authors:`, `Abstract:`/`Summary:`, `Date:`/`Published:`,
`URL:`/`Link:`/`PDF:`/`Code:`, `Tags:`/`Keywords:`, `Venue:`, `Notes:`/`Comment:`/`코멘트:`
(commentary, Korean or English by its script), in any order, English or Korean (`제목:`,
`저자:`, `초록:`, `날짜:`).

A paper ends where a blank line is followed by the label the file's papers start with, or where
a label it already has comes again. A line with no label continues the field above it (a blank
line inside an abstract or a note starts its next paragraph). Bare link lines right after a
blank line belong to the paper below them (link-first notes), else to the paper they stand in.
Also read: arXiv's subscription mails (`\\` lines around the abstract, `Categories:` codes as
tags), labels behind an emoji (`📄 논문 링크:`), freely named links (`📄 ByteTrack: https://…`),
and a note's sections (`━━ 핵심 기여 ━━`) as its commentary.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from litdigest.importer import identity as ids
from litdigest.importer.formats.arxiv_text import (add_commentary, category_tags,
                                                   commentary_tuple, find_date, split_authors)
from litdigest.importer.formats.lines import Line
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest
from litdigest.importer.formats.references import (Reference, link_name, reference,
                                                   with_references)

NAME = "labelled-fields"
LISTED = 7  # its place in FORMAT_NAMES
EXAMPLE = "Title: … / Authors: … / Date: 2025-03-12 / URL: https://arxiv.org/abs/… / Abstract: …"

_KINDS = {
    "title": ("title", "paper title", "제목", "논문 제목", "논문"),
    "authors": ("authors", "author", "저자", "저자들"),
    "abstract": ("abstract", "summary", "초록", "요약", "abstract (original)"),
    "date": ("date", "published", "publication date", "submitted", "year", "날짜", "발행일",
             "게재일", "출판일"),
    "link": ("url", "link", "links", "related doi", "pdf", "pdf_url", "paper", "arxiv", "doi",
             "code", "github", "project", "project page", "homepage", "website", "링크", "코드",
             "논문 링크", "공식 코드"),
    "tags": ("tags", "tag", "keywords", "keyword", "categories", "category", "subjects", "태그",
             "키워드"),
    "venue": ("venue", "conference", "journal", "journal-ref", "journal ref", "journal reference",
              "published in", "학회", "저널"),
    # `Comments:` is the authors' own on arXiv (pages, venue), a reader's in notes: commentary
    "commentary": ("notes", "note", "comment", "comments", "thoughts", "takeaway",
                   "코멘트", "메모", "노트", "한줄평", "리뷰", "생각"),
    # arXiv's classification lines: nothing a page shows; reported as not placed
    "metadata": ("acm-class", "msc-class", "report-no", "license", "proxy", "subj-class",
                 "acm classes", "msc classes", "report number"),
}
_MARK = r"[^\w\s*#\[(]{1,3}\s*"  # an emoji or symbol before a label: `📄 논문 링크:`
_KIND_OF = {label: kind for kind, labels in _KINDS.items() for label in labels}
LABELS = tuple(_KIND_OF)  # every label this shape reads (the arXiv shapes' are among them)
_LABEL = re.compile(
    r"^(?:[-*•]\s+|" + _MARK + r")?(?:\*\*)?("
    + "|".join(sorted(map(re.escape, _KIND_OF), key=len, reverse=True))
    + r")(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*(.*)$", re.IGNORECASE)
_LINK_NAMES = {"코드": "code", "공식 코드": "code", "링크": "link", "논문 링크": "paper",
               "pdf_url": "pdf"}
# `📄 ByteTrack:   https://arxiv.org/abs/2110.06864  (ECCV 2022)`: a link a note names freely
_NAMED_LINK = re.compile(
    r"^(?:[-*•]\s+|" + _MARK + r")?([^:：]{1,40}?)\s*[:：]\s*(https?://\S+)(?:\s+.*)?$")
# `━━ 핵심 기여 ━━`, `## Notes`: a section of the note, its lines the note author's commentary
_SECTION = re.compile(r"^(?:━+\s*(.+?)\s*━+|#{2,6}\s+(.+))$")
_TAG_SPLIT = re.compile(r"\s*[,;]\s*|\s+(?=#)")
# lines that part papers: arXiv mailings' `\\` lines and dashed rules, Markdown rules
_SEPARATOR = re.compile(r"^(?:\\\\|-{3,}|={3,}|━{3,}|\*{3,}|_{3,})$")
# an arXiv mailing's header, above its first paper
_MAIL_HEADER = re.compile(r"^(?:Send any comments regarding submissions directly to submitter\.|"
                          r"Archives at https?://arxiv\.org/?|To unsubscribe, e-mail To: .*|"
                          r"Submissions to:|received from .+ to .+)$", re.IGNORECASE)
# an arXiv mailing's closing line: `\\ ( https://arxiv.org/abs/2306.07353 ,  27kb)`
_CLOSING = re.compile(r"^\\\\\s*\(\s*(https?://\S+)\s*,.*\)$")


def label_of(text: str) -> tuple[str, str, str] | None:
    """(kind, label as written, value) of a labelled line, else None."""
    match = _LABEL.match(text.strip())
    if not match:
        return None
    return _KIND_OF[match.group(1).lower()], match.group(1), match.group(2).strip()


def detect(lines: list[str]) -> bool:
    """A title or an abstract label, with another label describing the paper (or several
    titles with links or notes), and labels making up enough of the file."""
    return not fit(lines).lacks


_CORE = {"title", "authors", "abstract", "date", "venue"}  # the kinds that describe a paper


def fit(lines: list[str]) -> Fit:
    kinds: set[str] = set()
    labelled = texts = titles = 0
    for text in lines:
        if not text.strip():
            continue
        texts += 1
        found = label_of(text)
        if found:
            labelled += 1
            kinds.add(found[0])
            titles += found[0] == "title"
    if not kinds & {"title", "abstract"}:
        return Fit(min(len(kinds), 1) * 0.3, 'no "Title:" or "Abstract:" line')
    # two kinds that describe a paper (title and authors, say), or titles of several papers
    # with their links or notes; and labels not lost among the lines
    if len(kinds & _CORE) < 2 and not (titles >= 2 and len(kinds) >= 2):
        return Fit(0.5, 'one field of a paper ("Title:" or "Abstract:") but no other '
                        '("Authors:", "Date:", …)')
    if len(kinds) < 3 and labelled * 5 < texts:
        return Fit(0.6, "labelled lines are fewer than one in five")
    return Fit(1.0)


@dataclass
class _Block:
    """A paper being read: the fields its lines gave so far."""

    start: int
    lines: list[int] = field(default_factory=list)
    # each field's paragraphs, each a list of its lines' texts (joined once, at the end)
    values: dict[str, list[list[str]]] = field(default_factory=dict)
    labels: set[str] = field(default_factory=set)
    refs: list[tuple[Line, Reference]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: list[list[str]] = field(default_factory=list)  # commentary paragraphs, likewise
    published: dt.date | None = None
    key: str = ""  # the field a line with no label continues
    broken: bool = False  # a blank line since the last line: a continuation is a new paragraph
    unread: list[Line] = field(default_factory=list)  # labelled lines with nothing to keep


def parse(lines: list[str]) -> ParsedFile:
    """Papers from the labelled lines; every other line continues a field, parts papers (the
    file's own lines) or is not placed."""
    reader = _Reader()
    for number, raw in enumerate(lines, 1):
        text = raw.strip()
        if text:
            reader.read(number, text)
        else:
            reader.blank()
    return reader.parsed(lines)


@dataclass
class _Reader:
    """The papers read so far, and what the next line may continue."""

    blocks: list[_Block] = field(default_factory=list)
    pending: list[tuple[int, str]] = field(default_factory=list)  # links for the paper below
    unplaced: list[Line] = field(default_factory=list)
    own: list[int] = field(default_factory=list)  # separator lines: the file's own
    first_kind: str = ""
    after_blank: bool = True
    # the last line when it opened a paragraph after a blank line: a heading, if a rule follows
    opener: tuple[int, _Block] | None = None

    def blank(self) -> None:
        self.after_blank = True
        if self.blocks:
            self.blocks[-1].broken = True

    def read(self, number: int, text: str) -> None:
        current = self.blocks[-1] if self.blocks else None
        found = label_of(text)
        closing = _CLOSING.match(text)
        if found:
            current = self._block_for(found[0], number, current)
            _field(current, number, text, found)
        elif closing and current is not None:
            ref = reference(closing.group(1))
            if ref:
                current.refs.append(((number, text), ref))
            current.lines.append(number)
            self.blank()
        elif _SEPARATOR.match(text):
            self._separator(number, text, current)
        elif current is not None and _SECTION.match(text):
            _section(current, number, text)
        elif current is not None and not reference(text) and _NAMED_LINK.match(text):
            _named_link(current, number, text)
        elif reference(text) and (current is None or self.after_blank):
            self.pending.append((number, text))
        elif current is not None and reference(text):
            current.refs.append(((number, text), reference(text)))  # type: ignore[arg-type]
            current.lines.append(number)
        elif current is not None and current.key not in ("", "link", "date"):
            opens = current.broken
            _continue(current, number, text)
            if opens and len(text.split()) <= 10:
                self.opener = (number, current)
        else:
            self.unplaced.append((number, text))
        if self.opener and self.opener[0] != number:
            self.opener = None
        self.after_blank = self.after_blank and bool(_SEPARATOR.match(text) or closing)

    def _block_for(self, kind: str, number: int, current: _Block | None) -> _Block:
        """The paper a labelled line belongs to: a new one at a label the current paper already
        has, or at the file's first label after a blank line."""
        self.first_kind = self.first_kind or kind
        if (current is None or (kind in current.labels and kind not in ("link", "metadata"))
                or (self.after_blank and kind == self.first_kind and current.labels)):
            current = _Block(start=number)
            self.blocks.append(current)
            _take_pending(current, self.pending)
        return current

    def _separator(self, number: int, text: str, current: _Block | None) -> None:
        """`\\` after a paper's labelled lines opens its abstract (arXiv mailings); any other
        separator ends the paper."""
        if text == "\\\\" and current is not None and _opens_abstract(current) and not self.after_blank:
            current.lines.append(number)
            current.key, current.broken = "abstract", True
            return
        self.own.append(number)
        if self.opener and self.opener[0] == number - 1:
            self._heading(*self.opener)
        self.blank()

    def _heading(self, number: int, block: _Block) -> None:
        """A short line right above a rule heads the next note, not the one above: the file's
        own line, taken back from the paragraph it opened."""
        paragraphs = block.notes if block.key == "commentary" else block.values.get(block.key, [])
        if paragraphs and len(paragraphs[-1]) == 1:
            paragraphs.pop()
            if block.lines[-1] == number:
                block.lines.pop()
            self.own.append(number)
        self.opener = None

    def parsed(self, lines: list[str]) -> ParsedFile:
        if self.pending:
            if self.blocks:
                _take_pending(self.blocks[-1], self.pending)
            else:
                self.unplaced.extend(self.pending)
        first = self.blocks[0].start if self.blocks else 0
        header = _header([line for line in self.unplaced if line[0] < first], set(self.own))
        unplaced = [line for line in self.unplaced if line[0] not in header]
        papers = [_paper(block, unplaced) for block in self.blocks if block.values or block.refs]
        # a block that gave no paper (a repeated `year:` alone opens one) keeps none of its lines
        unplaced += [(number, lines[number - 1].strip()) for block in self.blocks
                     if not (block.values or block.refs) for number in block.lines]
        return single_digest(NAME, papers, unplaced, own_lines=tuple(sorted([*self.own, *header])))


def _header(lines: list[Line], rules: set[int]) -> set[int]:
    """The numbers of the file's header lines among the lines above the first paper: a heading
    right above a rule, an arXiv mailing's fixed lines and the category names between its
    `Submissions to:` and `received from`."""
    header: set[int] = set()
    listing = False
    for number, text in lines:
        if _MAIL_HEADER.match(text):
            header.add(number)
            listing = text.lower() == "submissions to:"
        elif listing or number + 1 in rules:
            header.add(number)
    return header


def _opens_abstract(block: _Block) -> bool:
    """Whether a `\\` line here opens the abstract: the paper has labels but no abstract yet."""
    return bool(block.labels) and "abstract" not in block.values


def _take_pending(block: _Block, pending: list[tuple[int, str]]) -> None:
    for number, text in pending:
        block.refs.append(((number, text), reference(text)))  # type: ignore[arg-type]
        block.lines.append(number)
    if pending:
        block.start = min(block.start, pending[0][0])
    pending.clear()


def _field(block: _Block, number: int, text: str, found: tuple[str, str, str]) -> None:
    kind, label, value = found
    block.lines.append(number)
    block.labels.add(kind)
    block.key, block.broken = kind, False
    if kind == "link":
        _link(block, number, text, label, value)
    elif kind == "date":
        block.published = block.published or find_date(value)
    elif kind == "tags":
        block.tags.extend(_tags(value))
    elif kind == "commentary":
        if value:
            block.notes.append([value])
    elif kind == "metadata":
        block.unread.append((number, text))
    elif value:
        block.values.setdefault(kind, []).append([value])


def _link(block: _Block, number: int, text: str, label: str, value: str) -> None:
    name = _LINK_NAMES.get(label.lower(), label)
    ref = reference(f"{name}: {value}") or reference(value)
    if ref and ref.kind == "web" and name.lower() not in ("url", "link", "links"):
        ref = Reference(link_name(name), ref.value)
    if ref:
        block.refs.append(((number, text), ref))
    else:
        block.unread.append((number, text))


def _tags(value: str) -> list[str]:
    """`a, b; c`, `#a #b`, or arXiv's `cs.AI cs.LG stat.ML` as tags."""
    codes = category_tags(value)
    if codes and " ".join(codes) == " ".join(value.split()):
        return list(codes)
    return [tag.lstrip("#").strip() for tag in _TAG_SPLIT.split(value) if tag.strip("# ")]


def _section(block: _Block, number: int, text: str) -> None:
    """A section of a note (`━━ 핵심 기여 ━━`): its name opens a commentary paragraph that the
    section's lines continue."""
    match = _SECTION.match(text)
    name = next(group for group in match.groups() if group) if match else text
    block.notes.append([f"{name}:"])
    block.lines.append(number)
    block.key, block.broken = "commentary", False


def _named_link(block: _Block, number: int, text: str) -> None:
    """`📄 ByteTrack: https://arxiv.org/abs/2110.06864`: an arXiv id or DOI as the note's
    reference (the first one is the paper's), any other address a link by its name."""
    match = _NAMED_LINK.match(text)
    assert match is not None
    name, url = match.group(1).strip(), match.group(2).rstrip(".,;")
    ref = reference(url)
    if ref is None or ref.kind not in ("arxiv", "doi"):
        ref = Reference(ids.tag_name(name) or "link", url)
    block.refs.append(((number, text), ref))
    block.lines.append(number)


def _continue(block: _Block, number: int, text: str) -> None:
    """A line with no label: more of the field above it; after a blank line, its next paragraph."""
    key, new_paragraph = block.key, block.broken
    block.lines.append(number)
    block.broken = False
    if key == "tags":
        block.tags.extend(_tags(text))
        return
    if key == "metadata":
        block.unread.append((number, text))
        return
    paragraphs = block.notes if key == "commentary" else block.values.setdefault(key, [])
    if paragraphs and not new_paragraph:
        paragraphs[-1].append(text)
    else:
        paragraphs.append([text])


_ITEM = re.compile(r"^(?:[-*•]\s|\d+[.)]\s|[┌├└│])")


def _joined(parts: list[str]) -> str:
    """A note's paragraph from its lines: wrapped lines joined by a space, list items (`- …`,
    `├─ …`) each kept on its own line."""
    return "".join(part if i == 0 else ("\n" if _ITEM.match(part) else " ") + part
                   for i, part in enumerate(parts))


def _paper(block: _Block, unplaced: list[Line]) -> ParsedPaper:
    values = {key: [" ".join(parts) for parts in paragraphs]
              for key, paragraphs in block.values.items()}
    commentary: dict[str, list[str]] = {}
    for parts in block.notes:
        add_commentary(commentary, _joined(parts))
    unplaced.extend(block.unread)
    unread = {number for number, _ in block.unread}
    paper = ParsedPaper(
        line=block.start, title=" ".join(values.get("title", [])),
        authors=tuple(name for value in values.get("authors", []) for name in split_authors(value)),
        abstract="\n\n".join(values.get("abstract", [])),
        venue=" ".join(values["venue"]) if "venue" in values else None,
        tags=tuple(dict.fromkeys(block.tags)), commentary=commentary_tuple(commentary),
        published=block.published, lines=tuple(sorted(n for n in block.lines if n not in unread)))
    return with_references(paper, block.refs, unplaced)
