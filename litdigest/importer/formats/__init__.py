"""Recognise which raw digest format a file is in, and read its papers out of it.

Input is the file's lines as `clean.split_lines` gives them (line N is `lines[N - 1]`); output
is plain parsed data (`parsed.py`) that remembers where everything came from. Text is left as
written (cleaning, ids and titles are the importer's job). Every non-blank line either lands in
a paper or digest — each records the numbers of the lines it was made from — or is returned as
unplaced, so nothing is dropped silently (`unaccounted` checks exactly that).

Each format is one module with its `NAME`, `LISTED`, `EXAMPLE` (one line showing the shape, for
`--format`'s list), `detect(lines)`, `fit(lines)` (how near a file is to the shape and what it
lacks: a file no format fits is refused naming the two nearest, `refusal`) and `parse(lines)`;
lines that only name an identifier or a link are references in every format (`references.py`),
and labelled fields, bylines and furniture lines are read alike in every format (`fields.py`).
`FORMATS` is the one registry, and its order is the detection order — the first format whose
shape fits wins:

* `csl-json`         CSL JSON (Zotero, Better BibTeX, Manubot, pandoc): an array of items, each a
                     paper;
* `bibtex`           a `.bib` file: `@article{key, …}` entries (bibtexparser 2), each a paper;
* `ris`              an RIS export: `TY  - JOUR` … `ER  -` records, each a paper;
* `arxiv-abstract-page`  arXiv abstract pages as a browser copies them: `[Submitted on …]`
                     with `Title:`, `Abstract:`, `Subjects:` (specific: goes first);
* `arxiv-listing`    arXiv listings and search results: `[1] arXiv:… [pdf, …]` entry lines
                     with `Title:` or a listing header;
* `markdown-table`   Markdown tables of papers (`|date|title|authors|[id](url)|code|`), as the
                     daily-arXiv repositories publish them;
* `markdown-list`    Markdown bullet lists of papers (`- [Title](url) - Authors`), awesome-lists;
* `markdown-notes`   Markdown or Obsidian notes of papers: titles as headings that link a paper or
                     carry its fields, or emphasised titles with authors; before `bilingual-daily`
                     so a note under a Korean date heading (`## 2025년 3월 12일`) stays a note;
* `bilingual-daily`  a Korean date line such as `2024년 12월 19일`, or another date line
                     (`2024-12-19`, `2024. 12. 19.`, `Dec 19, 2024`) or no date at all with
                     `(authors)` lines and `#tag` lines;
* `abstract-lines`   most lines start with `Abstract:`;
* `labelled-fields`  blocks of labelled fields (`Title:`, `Authors:`, `Date:`, `URL:`, …; after
                     `abstract-lines`, which keeps files of mostly `Abstract:` lines);
* `author-profile`   blank-line-separated blocks: short title, short venue, long abstract;
* `arxiv-markers`    abstracts without titles, each closed by an arXiv marker;
* `category-listing` short lines alternating with long ones, under optional header lines (a lab
                     publication page's bylines and year headings aside).

Messages and `--help` list the formats in another order, `FORMAT_NAMES`: the order they were
added (the sample digests `content/raw/000…` to `004…`), which each module's `LISTED` gives.
A new format is one more module, with the next `LISTED`, and one more line in `FORMATS`: its
`EXAMPLE` and `fit` put it in `--format`'s list and in every refusal's two nearest shapes, and
the property tests force it on every source, with nothing else to change.
"""

from __future__ import annotations

from typing import Protocol

from litdigest.importer.formats import (abstract_lines, arxiv_abs_page, arxiv_listing, arxiv_markers,
                                        author_profile, bibtex, bilingual_daily, category_listing,
                                        csl_json, labelled_fields, markdown_list, markdown_notes,
                                        markdown_table, ris)
from litdigest.importer.formats.parsed import Fit, ParsedDigest, ParsedFile, ParsedPaper, unaccounted

__all__ = ["FORMATS", "FORMAT_NAMES", "ParsedDigest", "ParsedFile", "ParsedPaper", "RawFormat",
           "detect_format", "examples", "nearest", "parse", "refusal", "unaccounted"]


class RawFormat(Protocol):
    """What a format module provides."""

    NAME: str
    LISTED: int  # its place in FORMAT_NAMES
    EXAMPLE: str  # one line showing the shape: `Title: … / Authors: … / Abstract: …`

    def detect(self, lines: list[str]) -> bool: ...

    def fit(self, lines: list[str]) -> Fit: ...

    def parse(self, lines: list[str]) -> ParsedFile: ...


FORMATS: tuple[RawFormat, ...] = (
    csl_json,
    bibtex,
    ris,
    arxiv_abs_page,
    arxiv_listing,
    markdown_table,
    markdown_list,
    markdown_notes,
    bilingual_daily,
    abstract_lines,
    labelled_fields,
    author_profile,
    arxiv_markers,
    category_listing,
)
FORMAT_NAMES = tuple(f.NAME for f in sorted(FORMATS, key=lambda f: f.LISTED))
_BY_NAME = {f.NAME: f for f in FORMATS}


def detect_format(lines: list[str]) -> str | None:
    """The name of the first format in `FORMATS` whose shape `lines` fit, or None."""
    return next((f.NAME for f in FORMATS if f.detect(lines)), None)


def parse(lines: list[str], fmt: str) -> ParsedFile:
    """Read the papers of a file in format `fmt` (one of FORMAT_NAMES)."""
    return _BY_NAME[fmt].parse(lines)


def examples() -> list[tuple[str, str]]:
    """(name, one-line example) of every format, in FORMAT_NAMES order: `--format`'s list."""
    return [(name, _BY_NAME[name].EXAMPLE) for name in FORMAT_NAMES]


def nearest(lines: list[str], count: int = 2) -> list[tuple[str, Fit]]:
    """The `count` formats whose shape `lines` come nearest to, nearest first (ties in
    FORMAT_NAMES order), each with what it found lacking."""
    fits = [(name, _BY_NAME[name].fit(lines)) for name in FORMAT_NAMES]
    return sorted(fits, key=lambda found: -found[1].share)[:count]


def refusal(lines: list[str]) -> str:
    """Why no format fits `lines`, naming the two nearest and what each lacks:
    `no shape fits; nearest: author-profile (only 1 of 4 …), category-listing (…)`; a file that
    shows no mark of any shape is told so, not given two arbitrary "nearest" ones."""
    near = [(name, fit) for name, fit in nearest(lines) if fit.share > 0]
    if not near:
        return "no shape fits: it shows no mark of any (no paper titles with abstracts, ids or fields)"
    named = ", ".join(f"{name} (lacks: {fit.lacks or 'nothing'})" for name, fit in near)
    return f"no shape fits; nearest: {named}"
