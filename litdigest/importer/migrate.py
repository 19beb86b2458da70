"""Pages written before commentary named its digest, brought to the present format by the import.

A commentary block that names no digest (`::: commentary ko`) was written by an importer that
added every digest's paragraphs to one block, or by a person. When a digest that comments on
the paper in that language is imported, it takes what is its own, and nothing is lost:

* the whole block, where it can only be that digest's: the paper is listed by that digest alone,
  or the import state says the block came from it (a person's edit kept, as an edit);
* else the block's paragraphs that digest gives, word for word; the others stay in the block
  that names no digest, for the other digests to take when they are imported (a paragraph no
  digest gives, a person's, stays there, and the build reads it as the first digest's).

Every record moves with its text: a block the importer wrote, unedited, is still known as the
importer's under its new name, so the next import can update it; an edited one stays an edit.
"""

from __future__ import annotations

from dataclasses import replace

from litdigest.content.model import Commentary, Paper
from litdigest.importer.merge import commentary_field, paragraphs
from litdigest.importer.state import PaperState, Value, fingerprint


def commentary_to_digest(current: Paper, recorded: PaperState | None, incoming: Paper,
                         digest: str) -> tuple[Paper, PaperState | None]:
    """`current` and its record with `digest`'s part of each unnamed commentary block named."""
    blocks = list(current.commentary)
    values = dict(recorded.values) if recorded else {}
    for lang in dict.fromkeys(b.lang for b in incoming.commentary):
        if any(b.lang == lang and b.digest == digest for b in blocks):
            continue  # already the present format
        unnamed = [i for i, b in enumerate(blocks) if b.lang == lang and not b.digest]
        if not unnamed:
            continue
        old = values.get(commentary_field(lang, ""))
        if current.digests == (digest,) or (old is not None and old.source == digest):
            _name_whole(blocks, values, unnamed, lang, digest)
        else:
            given = paragraphs("\n\n".join(b.text for b in incoming.commentary if b.lang == lang))
            _take_paragraphs(blocks, values, unnamed[0], given, digest)
    if blocks == list(current.commentary):
        return current, recorded
    page = replace(current, commentary=_by_digest(current.digests, [b for b in blocks if b.text]))
    return page, replace(recorded, values=values) if recorded else None


def _by_digest(digests: tuple[str, ...], blocks: list[Commentary]) -> tuple[Commentary, ...]:
    """The blocks in the order an import writes them: digest by digest, in the order the page
    lists its digests, then the blocks of no digest it lists; each group in its own order."""
    place = {digest: number for number, digest in enumerate(digests)}
    return tuple(sorted(blocks, key=lambda b: place.get(b.digest, len(digests))))


def _name_whole(blocks: list[Commentary], values: dict[str, Value], unnamed: list[int],
                lang: str, digest: str) -> None:
    """Every unnamed block of `lang` becomes `digest`'s, its record (`commentary:ko#2` too)
    moving with it."""
    old_name, new_name = commentary_field(lang, ""), commentary_field(lang, digest)
    for number, index in enumerate(unnamed, start=1):
        suffix = f"#{number}" if number > 1 else ""
        blocks[index] = replace(blocks[index], digest=digest)
        record = values.pop(old_name + suffix, None)
        if record is not None:
            values[new_name + suffix] = record


def _take_paragraphs(blocks: list[Commentary], values: dict[str, Value], index: int,
                     given: list[str], digest: str) -> None:
    """The paragraphs of the unnamed block at `index` that `digest` gives become a block of
    `digest`'s, just before it; the rest stay."""
    block = blocks[index]
    have = paragraphs(block.text)
    taken = [p for p in have if p in given]
    if not taken:
        return
    rest = "\n\n".join(p for p in have if p not in given)
    old_name = commentary_field(block.lang, "")
    old = values.get(old_name)
    if old is not None and old.hash == fingerprint(block.text):  # as the importer wrote it
        values[commentary_field(block.lang, digest)] = Value(fingerprint("\n\n".join(taken)), digest)
        if rest:
            values[old_name] = Value(fingerprint(rest), old.source)
        else:
            del values[old_name]
    blocks[index:index + 1] = [Commentary(block.lang, "\n\n".join(taken), digest),
                               replace(block, text=rest)]
