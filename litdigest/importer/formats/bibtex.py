"""The `bibtex` format: a `.bib` file as Zotero, Google Scholar, DBLP, the ACL Anthology or
arXiv's "Export BibTeX Citation" write it, read by bibtexparser 2; every entry is a paper.

Fields, BibTeX's and BibLaTeX's: `title`; `author` (`Last, First and …`, shown `First Last`;
`and others` dropped); `date`, or `year` + `month` + `day`, as the paper's own date when they
give a day; `abstract`; the arXiv id from `eprint` (with `archivePrefix`/`eprinttype` arXiv or
none), else an `arXiv:…` or arxiv.org link in any field (`journal = {arXiv preprint arXiv:…}`,
`url`, Zotero's `note = {arXiv:… [cs]}`) or arXiv's DOI; `doi`; `url` as a link; `keywords`
as tags; `booktitle`/`journal`/`journaltitle`/`eventtitle` as venue (not arXiv itself);
`note`/`annote`/`annotation` as commentary. LaTeX in values becomes text (`latex_text.py`:
`{\\"u}` → ü, `{BERT}` → BERT, `--` → –); `$math$` stays as written. `@string` macros are
expanded, and their lines, like the code fences around entries copied from a README's Markdown
(```` ```bibtex ````), are the digest's own. What is not imported is shown, returned unplaced
with its line numbers: `%` comments, `@comment` and `@preamble` blocks, headings, any other
text between entries, and an entry bibtexparser cannot read (the other entries are imported).
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser import model
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from litdigest.importer.formats import citation_fields as fields
from litdigest.importer.formats.latex_text import latex_to_text
from litdigest.importer.formats.lines import Line
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest

NAME = "bibtex"
LISTED = 11  # its place in FORMAT_NAMES
EXAMPLE = "@article{key, title = {…}, author = {Last, First and …}, eprint = {2401.01234}}"

_ENTRY_START = re.compile(r"^@\s*([A-Za-z]+)\s*[{(]")
_NOT_ENTRIES = {"string", "preamble", "comment"}
_URL_ESCAPE = re.compile(r"\\([_%&#~])")
_FENCE = re.compile(r"^```[\w+-]*$")  # ```, ```bibtex
_HEADING = re.compile(r"^#{1,6}\s")  # `## Citations`, not a `#tag`

# bibtexparser logs what it cannot read to stderr; the import reports those lines itself, as
# unplaced, with their numbers, so bibtexparser's own messages stay out of its output.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False


def detect(lines: list[str]) -> bool:
    return fit(lines).lacks == ""


def fit(lines: list[str]) -> Fit:
    """A BibTeX file opens (after `%` comments, code fences and headings) with an `@…{` block
    and has an entry such as `@article{key,`."""
    meaningful = [text for text in lines if text and not _is_wrapping(text)]
    starts = [m.group(1).lower() for text in meaningful if (m := _ENTRY_START.match(text))]
    entries = sum(1 for kind in starts if kind not in _NOT_ENTRIES)
    if not entries:
        return Fit(0.0, "no line starts an entry such as `@article{key,`")
    if not _ENTRY_START.match(meaningful[0]):
        return Fit(0.5, "text before the first `@entry{`: not a .bib file")
    return Fit(1.0)


def _is_wrapping(text: str) -> bool:
    """What may come before a file's first entry: a `%` comment, or what wraps entries copied
    from a README's citations, a code fence (```` ```bibtex ````) or a heading (`## Citations`)."""
    return text.startswith("%") or bool(_FENCE.match(text) or _HEADING.match(text))


def parse(lines: list[str]) -> ParsedFile:
    """Every entry a paper, its lines the entry's; `@string` macros and code fences are the
    digest's own lines; the rest is returned unplaced: comments and preambles (nothing of them is
    imported), unreadable entries, entries with no title, abstract, arXiv id or DOI."""
    library = bibtexparser.parse_string("\n".join(lines))
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    own: list[int] = []
    for block in library.blocks:
        numbers = _block_lines(block, lines)
        entry = _readable_entry(block)
        if entry is not None and fields.names_a_paper(paper := _paper(entry, numbers)):
            papers.append(paper)
        elif isinstance(block, model.String):  # its value is in the papers that use it
            own += numbers
        elif isinstance(block, model.ImplicitComment):  # text between entries: only fences are markup
            own += [n for n in numbers if _FENCE.match(lines[n - 1])]
            unplaced += [(n, lines[n - 1]) for n in numbers if not _FENCE.match(lines[n - 1])]
        else:  # an unreadable entry, a comment, a preamble: nothing of it is imported, so it is shown
            unplaced += [(n, lines[n - 1]) for n in numbers]
    return single_digest(NAME, papers, unplaced, own_lines=tuple(sorted(own)))


def _block_lines(block: model.Block, lines: list[str]) -> list[int]:
    """The 1-based numbers of a block's non-blank lines (bibtexparser counts from 0)."""
    first = block.start_line + 1
    last = min(first + block.raw.count("\n"), len(lines))
    return [n for n in range(first, last + 1) if lines[n - 1]]


def _readable_entry(block: model.Block) -> model.Entry | None:
    """The entry a block is: a plain entry, or one bibtexparser flagged for a repeated key or
    field but read all the same (a concatenated .bib repeats keys; that loses no paper)."""
    if isinstance(block, model.Entry):
        return block
    if isinstance(block, (model.DuplicateBlockKeyBlock, model.DuplicateFieldKeyBlock)):
        kept = block.ignore_error_block
        return kept if isinstance(kept, model.Entry) else None
    return None


def _paper(entry: model.Entry, numbers: list[int]) -> ParsedPaper:
    values = {f.key.lower(): _value(f.value) for f in reversed(entry.fields)}  # first one wins
    get = values.get
    arxiv = _arxiv(values)
    doi = fields.doi_of(_unescaped(get("doi", "")))
    return ParsedPaper(
        line=numbers[0] if numbers else entry.start_line + 1,
        title=text_of(get("title", "")),
        abstract=text_of(get("abstract", "")),
        arxiv=arxiv,
        doi=doi,
        authors=authors_of(get("author", "")),
        venue=(fields.venue_of(text_of(get(key, "")) for key in
                               ("booktitle", "journal", "journaltitle", "eventtitle"))),
        links=fields.links_of([_unescaped(get("url", ""))], arxiv, doi),
        tags=fields.keywords([text_of(get("keywords", ""))]),
        commentary=fields.commentary_of(_note_lines(get(key, ""))
                                        for key in ("note", "annote", "annotation")),
        published=fields.date_of(get("date", ""), get("year", ""), get("month", ""), get("day", "")),
        lines=tuple(numbers),
    )


def _unescaped(value: str) -> str:
    """A URL or DOI as written, less the LaTeX escapes some exporters put in it (`\\_`, `\\%`)."""
    return _URL_ESCAPE.sub(r"\1", value.strip().strip("{}"))


def _value(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def _arxiv(values: dict[str, str]) -> str | None:
    """The arXiv id: `eprint` when its prefix is arXiv or absent, else any field naming one."""
    prefix = (values.get("archiveprefix") or values.get("eprinttype") or "arxiv").strip().lower()
    if values.get("eprint") and prefix == "arxiv":
        found = fields.eprint_arxiv(values["eprint"])
        if found:
            return found
    return fields.arxiv_in(values.get(key, "") for key in
                           ("doi", "url", "journal", "journaltitle", "volume", "number", "note",
                            "eid", "pages", "howpublished"))


def text_of(value: str) -> str:
    """A field's LaTeX as plain text on one line: accents and escapes decoded, grouping braces
    gone, dashes typographic, `$math$` kept as written."""
    return latex_to_text(value) if value else ""


def _note_lines(value: str) -> str:
    """A note as text, line by line: its lines may be separate remarks (Zotero's Extra)."""
    return "\n".join(text_of(line) for line in value.splitlines())


def authors_of(value: str) -> tuple[str, ...]:
    """`Devlin, Jacob and von Glehn, Tamara and others` as (`Jacob Devlin`, `Tamara von Glehn`):
    `others` (et al.) names no one and is dropped."""
    names = []
    for person in split_multiple_persons_names(value) if value.strip() else []:
        if person.strip().lower() in ("others", "and"):
            continue
        try:
            parts = parse_single_name_into_parts(person, strict=False)
            name = " ".join(" ".join(p) for p in (parts.first, parts.von, parts.last, parts.jr) if p)
        except Exception:  # a name bibtexparser cannot split stays as written
            name = person
        name = text_of(name)
        if name:
            names.append(name)
    return tuple(names)
