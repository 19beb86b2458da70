"""The `author-profile` format: a header whose last line names the collection, then one
blank-line-separated block each for a paper's short title, short venue and long abstract."""

from __future__ import annotations

from dataclasses import dataclass, replace

from litdigest.importer import identity as ids
from litdigest.importer.formats.fields import (Field, attach_fields, field, furniture,
                                               with_fields)
from litdigest.importer.formats.lines import (Line, blocks, collapse_runs, has_words, is_long,
                                              joined, line_numbers, prose_length)
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest
from litdigest.importer.formats.references import (Reference, attach_references, links_lead,
                                                   reference, title_and_marker, with_references)
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
    """One letter per block, reference-only, labelled and furniture blocks left out: L for
    prose, S for anything shorter."""
    return "".join(block.kind for block in _read_blocks(lines)[0] if block.kind in "SL")


@dataclass(frozen=True)
class _Block:
    """A blank-line-separated block: its prose lines, its reference lines, its labelled lines
    and its kind: L prose, S shorter, R references only, F labelled fields only. A `furniture`
    block repeats before different blocks: a venue, never a title."""

    text: tuple[Line, ...]
    refs: tuple[tuple[Line, Reference], ...]
    fields: tuple[tuple[Line, Field], ...]
    kind: str
    furniture: bool = False


def _is_separator(block: list[Line]) -> bool:
    return not any(has_words(text) for _, text in block)


def _read_blocks(lines: list[str]) -> tuple[list[_Block], list[Line]]:
    """The file's blocks, and its separator lines (`---`, `* * *`)."""
    found = blocks(lines)
    separators = [row for block in found if _is_separator(block) for row in block]
    found = [block for block in found if not _is_separator(block)]
    texts = [joined(row for row in block if not reference(row[1])) for block in found]
    prose = prose_length(texts)
    junk = furniture(texts)
    return [_split_block(block, text, prose, junk) for block, text in zip(found, texts)], separators


def _split_block(block: list[Line], joined_text: str, prose: int, junk: frozenset[str]) -> _Block:
    text: list[Line] = []
    refs: list[tuple[Line, Reference]] = []
    fields: list[tuple[Line, Field]] = []
    for row in block:
        ref = reference(row[1])
        found = field(row[1]) if ref is None else None
        if ref is not None:
            refs.append((row, ref))
        elif found is not None and found.name != "title":
            fields.append((row, found))
        else:
            text.append(row)
    if not text:
        kind = "F" if fields else "R"
    else:
        kind = "L" if is_long(joined(text), prose) else "S"
    return _Block(tuple(text), tuple(refs), tuple(fields), kind, kind == "S" and joined_text in junk)


def parse(lines: list[str]) -> ParsedFile:
    """The header's last line names the collection; each paper is a title, venue, abstract block.
    A long block right after an abstract continues it; reference and labelled lines and blocks
    belong to the paper they are in, or stand before or after as the file shows
    (`references.links_lead`); a furniture block (`Cite` under every paper) is never a title."""
    found, separators = _read_blocks(lines)
    leftovers: list[Line] = list(separators)
    loose_refs = [ref for block in found if block.kind == "R" for ref in block.refs]
    loose_fields = [f for block in found if block.kind == "F" for f in block.fields]
    found = [block for block in found if block.kind in "SL"]
    kinds = "".join(block.kind for block in found)
    papers: list[ParsedPaper] = []
    header: list[Line] = []
    index, after_abstract = 0, False
    while index < len(found):
        shape = kinds[index:index + 3]
        if (shape == "SSL" or shape.startswith("SL")) and not found[index].furniture:
            size = 3 if shape == "SSL" else 2
            papers.append(_profile_paper(found[index:index + size], leftovers))
            index, after_abstract = index + size, True
            continue
        block = found[index]
        if block.kind == "L" and after_abstract:
            papers[-1] = _continued(papers[-1], block, leftovers)
        else:
            (header if not papers else leftovers).extend(
                [*block.text, *(r for r, _ in block.refs), *(r for r, _ in block.fields)])
            after_abstract = False
        index += 1
    named = [row for row in header if not reference(row[1]) and field(row[1]) is None]
    name = named[-1] if named else None
    header = [row for row in header if row != name]
    lead = links_lead(papers, [row[0] for row, _ in [*loose_refs, *loose_fields]], lines)
    papers = attach_fields(papers, loose_fields, leftovers, lead)
    papers = attach_references(papers, loose_refs, lines, leftovers, lead)
    return single_digest(NAME, papers, [*header, *leftovers],
                         person=name[1] if name else "", own_lines=(name[0],) if name else ())


def _profile_paper(parts: list[_Block], stray: list[Line]) -> ParsedPaper:
    title_block, *middle, abstract_block = parts
    title, number = title_and_marker(_untitled(joined(title_block.text)))
    venue = joined(middle[0].text) if middle else None
    if venue and number is None:
        in_venue = ARXIV_MARKER.search(venue)
        number = ids.canonical_arxiv(in_venue.group(1)) if in_venue else None
    used = [row for part in parts for row in part.text]
    paper = ParsedPaper(line=title_block.text[0][0], title=title, venue=venue,
                        abstract=joined(abstract_block.text), arxiv=number,
                        lines=line_numbers(used))
    paper = with_fields(paper, [f for part in parts for f in part.fields], stray)
    return with_references(paper, [ref for part in parts for ref in part.refs], stray)


def _untitled(text: str) -> str:
    """A title block's text without its `Title:` label."""
    found = field(text)
    return found.value if found is not None and found.name == "title" and found.value else text


def _continued(paper: ParsedPaper, block: _Block, stray: list[Line]) -> ParsedPaper:
    """`paper` with one more paragraph of abstract."""
    longer = replace(paper, abstract=f"{paper.abstract}\n\n{joined(block.text)}",
                     lines=tuple(sorted({*paper.lines, *line_numbers(block.text)})))
    return with_references(with_fields(longer, block.fields, stray), block.refs, stray)
