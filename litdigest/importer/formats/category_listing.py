"""The `category-listing` format: optional category header lines, then short title lines
alternating with long abstract lines."""

from __future__ import annotations

import re
from dataclasses import replace

from litdigest.importer.formats.lines import Line, collapse_runs, has_words, is_long, numbered
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest
from litdigest.importer.formats.references import (Reference, reference, text_rows, title_and_marker,
                                                   with_references)

NAME = "category-listing"
LISTED = 2  # its place in FORMAT_NAMES
EXAMPLE = "Category ⏎ A Short Title ⏎ A long abstract line … ⏎ Next Title ⏎ Its abstract …"


def detect(lines: list[str]) -> bool:
    """Short lines alternate with long ones, allowing for a couple of header lines."""
    return fit(lines).lacks == ""


def fit(lines: list[str]) -> Fit:
    kinds = collapse_runs("".join("L" if is_long(text) else "S" for _, text in text_rows(lines)))
    pairs = kinds.count("SL")
    if pairs == 0:
        return Fit(0.0, "no short title line followed by a long abstract line")
    if pairs * 2 < len(kinds) - 2:
        return Fit(pairs * 2 / (len(kinds) - 2),
                   f"only {pairs} title and abstract pairs among {len(kinds)} runs of lines")
    return Fit(1.0)


def parse(lines: list[str]) -> ParsedFile:
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
    return single_digest(NAME, papers, unplaced,
                         title=first_category[1] if first_category else "", own_lines=own_lines)


def _looks_like_category(text: str) -> bool:
    """A category header is a few words naming a field (`Large Language Model`, `Robotics`), not
    a listing's remark such as `Comments: 10 pages` or `Submitted on 3 Jan 2025`."""
    return len(text.split()) <= 6 and len(text) <= 60 and not re.search(r"[\d:;,.!?]", text)
