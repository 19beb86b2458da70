"""The `author-profile` format: a header whose last line names the collection, then one
blank-line-separated block each for a paper's short title, short venue and long abstract."""

from __future__ import annotations

from dataclasses import dataclass, replace

from litdigest.importer import identity as ids
from litdigest.importer.formats.lines import (Line, blocks, collapse_runs, has_words, is_long,
                                              joined, line_numbers)
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest
from litdigest.importer.formats.references import (Reference, reference, title_and_marker,
                                                   with_references)
from litdigest.importer.identity import ARXIV_MARKER

NAME = "author-profile"
LISTED = 1  # its place in FORMAT_NAMES
EXAMPLE = "Collection name ⏎⏎ A Short Title ⏎⏎ Venue 2024 ⏎⏎ A long abstract … (blank line between blocks)"


def detect(lines: list[str]) -> bool:
    """Most abstracts come right after two one-line blocks: a title and a venue."""
    return fit(lines).lacks == ""


def fit(lines: list[str]) -> Fit:
    kinds = collapse_runs(_block_kinds(lines))
    longs, triples = kinds.count("L"), kinds.count("SSL")
    if longs == 0:
        return Fit(0.0, "no blank-line-separated abstract block")
    if triples * 2 < longs:
        return Fit(triples * 2 / longs / 2 + 0.25,
                   f"only {triples} of {longs} abstract blocks follow a title block and a venue block")
    return Fit(1.0)


def _block_kinds(lines: list[str]) -> str:
    """One letter per block, reference-only blocks left out: L for prose, S for anything shorter."""
    kinds = []
    for block in blocks(lines):
        text = [row for row in block if not reference(row[1])]
        if text and not _is_separator(block):
            kinds.append("L" if is_long(joined(text)) else "S")
    return "".join(kinds)


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


def parse(lines: list[str]) -> ParsedFile:
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
    return single_digest(NAME, papers, [*header, *leftovers],
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
