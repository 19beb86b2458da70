"""What a format's parser gives: the papers and digests of one raw file, each remembering the
numbers of the lines it was made from, and the lines it could not place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from litdigest.importer.formats.lines import Line, numbered


@dataclass(frozen=True)
class ParsedPaper:
    """One paper as the raw file gave it; `line` is where it starts, `lines` every line used."""

    line: int
    abstract: str = ""
    title: str = ""
    arxiv: str | None = None  # the bare number, `2410.14940`
    authors: tuple[str, ...] = ()
    venue: str | None = None
    # (name, url) besides the arXiv id and DOI: code, project, …; names unique, never `arxiv` or
    # `doi` (references.add_link numbers a name's second URL: `code-2`)
    links: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()  # as written, without `#`: "video-generation", "Large Language Model"
    commentary: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (lang, paragraphs in order)
    doi: str | None = None  # lower-cased, `10.1145/3597503`
    # the paper's own date where the file shows one (`[Submitted on 12 Mar 2025]`, `Date:`, a
    # date column); the page is dated by its digest's date, and by this one when the digest has none
    published: dt.date | None = None
    lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class ParsedDigest:
    """A run of papers posted together: the whole file, or one dated section of it.
    `lines` are the digest's own lines: its date line, its header."""

    line: int
    papers: tuple[ParsedPaper, ...]
    title: str = ""  # the file's own heading for it: `# Reading list`, `2024년 12월 19일`
    date: dt.date | None = None
    lines: tuple[int, ...] = ()
    person: str = ""  # whose profile the file is, as written: `Ding, Ning`
    category: str = ""  # the category a listing file shows first: `Large Language Model`


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


def single_digest(fmt: str, papers: list[ParsedPaper], unplaced: list[Line],
                  title: str = "", own_lines: tuple[int, ...] = (), *, person: str = "",
                  category: str = "") -> ParsedFile:
    """A file that is one digest: its papers, and `title` (or `person`, `category`) from its own
    lines if it has any."""
    line = min([*own_lines, *(p.line for p in papers)], default=1)
    digest = ParsedDigest(line, tuple(papers), title, None, own_lines, person, category)
    return ParsedFile(fmt, (digest,), tuple(sorted(set(unplaced))))


def unaccounted(lines: list[str], found: ParsedFile) -> list[Line]:
    """The non-blank lines neither placed nor reported unplaced: always none, unless a parser
    has a bug; the importer reports any as unplaced all the same."""
    known = found.placed() | {number for number, _ in found.unplaced}
    return [(number, text) for number, text in numbered(lines) if number not in known]


@dataclass(frozen=True)
class Fit:
    """How near a file is to one format's shape: the `share` of the shape's marks it shows (0 to
    1), and what it lacks, in a few words (`no line starts with "Abstract:"`); "" when it fits.
    A file no format fits is refused naming the two nearest and what each lacks."""

    share: float
    lacks: str = ""
