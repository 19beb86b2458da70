"""Merge what a digest says about a paper or a digest into its page, keeping what a person wrote.

Three versions of every field meet, as in a version-control merge:

* `current`  — the page as it is now, hand edits and all;
* recorded   — what the importer last wrote into it (a fingerprint, from `state.py`);
* `incoming` — what the digest being imported says.

A single-valued field (title with `title_derived`, authors, date, venue, abstract, each
digest's commentary in each language: a field of its own, which only that digest writes) that is

* still as the importer wrote it may be updated: it gains a value it lacked (an empty field, a
  real title over a derived one); it follows the digest that gave it when that digest now says
  something else (the raw file was corrected), or nothing (it is emptied); a commentary block
  of no digest's gains the paragraphs a digest adds; otherwise the first value stays, and a
  second digest's different one is not used — the report says so (a `Kept` by the earlier
  digest);
* changed by a person keeps the change; where the digest it follows says otherwise, a `Kept`
  tells the report so;
* without a record (a page written by hand, or from before the state file) only gains what it
  lacks — exactly what a person's page would.

A list field (tags, links, digests) gains the items the digest adds; an item the importer once
wrote that is no longer on the page was removed by a person and never comes back (a `Kept`
tells the report when the digest still lists it). Ids and slugs never change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from litdigest.importer import identity as ids
from litdigest.content.model import Commentary, Digest, Paper
from litdigest.importer.state import DigestState, PaperState, Value, fingerprint

T = TypeVar("T")
MIXED = "*"  # the source of a commentary merged from several digests
_COMMENTARY = "commentary:"


EDIT, EARLIER = "edit", "earlier digest"  # who the value a digest did not change came from


@dataclass(frozen=True)
class Kept:
    """A value that won over what a digest says: a person's edit, or what an earlier digest gave.
    The field, the page's value, the digest's (for a removed list item: "" and the item)."""

    field: str
    page: str
    source: str
    by: str = EDIT


@dataclass(frozen=True)
class MergedPaper:
    page: Paper
    record: PaperState
    kept: tuple[Kept, ...]


@dataclass(frozen=True)
class MergedDigest:
    page: Digest
    record: DigestState
    kept: tuple[Kept, ...]


# ---- a paper's single-valued fields as plain values ---------------------------------------------


def paper_values(paper: Paper) -> dict[str, Any]:
    """The single-valued fields, JSON-able. Each digest's commentary in a language is a field of
    its own, `commentary:ko@004` (`commentary:ko` for a block that names no digest); a second
    block of one name (written by hand) is `commentary:ko@004#2`, so nothing on a page is lost in
    the round trip."""
    values: dict[str, Any] = {
        "title": [paper.title, paper.title_derived],
        "authors": list(paper.authors),
        "date": paper.date,
        "venue": paper.venue,
        "abstract": paper.abstract,
    }
    for block in paper.commentary:
        first = commentary_field(block.lang, block.digest)
        name, number = first, 2
        while name in values:
            name, number = f"{first}#{number}", number + 1
        values[name] = block.text
    return values


def commentary_field(lang: str, digest: str) -> str:
    """The name of a commentary block's field: `commentary:ko@004`, or `commentary:ko`."""
    return f"{_COMMENTARY}{lang}{'@' + digest if digest else ''}"


def commentary_block(name: str, text: str) -> Commentary:
    """The block a `commentary:…` field stands for (commentary_field's inverse)."""
    lang, _, digest = name[len(_COMMENTARY):].split("#")[0].partition("@")
    return Commentary(lang, text, digest)


def with_values(paper: Paper, values: Mapping[str, Any]) -> Paper:
    title, derived = values["title"]
    commentary = tuple(commentary_block(name, text) for name, text in values.items()
                       if name.startswith(_COMMENTARY) and text)
    return replace(paper, title=title, title_derived=derived, authors=tuple(values["authors"]),
                   date=values["date"], venue=values["venue"], abstract=values["abstract"],
                   commentary=commentary)


def empty(name: str) -> Any:
    return {"title": ["", True], "authors": [], "date": None, "venue": None}.get(name, "")


def is_empty(name: str, value: Any) -> bool:
    return value[0] == "" if name == "title" else value in (None, "", [])


def lacks(name: str, base: Any, new: Any) -> bool:
    """Whether `base` lacks what `new` has: it is empty, a derived title meets a real one, or an
    abstract cut short (`…`) meets the whole of it."""
    if name == "title":
        return (base[0] == "" or base[1]) and not new[1] and new[0] != ""
    if name == "abstract" and base and new:
        return cut_short(base, new)
    return is_empty(name, base) and not is_empty(name, new)


def cut_short(base: str, new: str) -> bool:
    """Whether `base` is the start of `new` and nothing more (a digest that truncated it)."""
    start, whole = ids.normalized(base), ids.normalized(new)
    return len(start) >= 80 and len(whole) > len(start) and whole.startswith(start)


def paragraphs(text: str) -> list[str]:
    """A commentary's paragraphs (blocks between blank lines), trimmed, the empty left out."""
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def more_paragraphs(base: str, new: str) -> str:
    """`base` followed by the paragraphs of `new` it does not have yet."""
    have = paragraphs(base)
    extra = [p for p in paragraphs(new) if p not in have]
    return "\n\n".join([*have, *extra]) if extra else base


# ---- one field -------------------------------------------------------------------------------------


def gained(name: str, base: Any, source: str | None, new: Any, digest: str) -> tuple[Any, str | None]:
    """An unedited field after `digest` says `new`: its value and the digest it now follows."""
    if lacks(name, base, new):
        return new, digest
    if source is None:  # not known where it came from: as if a person wrote it
        return base, None
    if name == "title" and not base[1] and new[1]:  # a real title never gives way to a derived one
        return base, source
    if source == digest:
        return new, digest
    if name.startswith(_COMMENTARY):
        merged = more_paragraphs(base, new)
        return merged, source if merged == base else MIXED
    return base, source


def merge_value(name: str, current: Any, recorded: Value | None, new: Any,
                digest: str) -> tuple[Any, Value | None, Kept | None]:
    """The field's new value, its new record, and the person's edit it kept, if it disagrees.
    A field the digest says nothing about keeps its record, or stays without one."""
    edited = recorded is not None and fingerprint(current) != recorded.hash
    if is_empty(name, new):
        if recorded is not None and not edited and recorded.source == digest and not is_empty(name, current):
            return new, Value(fingerprint(new), digest), None  # the digest gives it no more
        return current, recorded, None
    if recorded is not None and edited:  # a person changed it
        follows = recorded.source == digest or recorded.hash == fingerprint(empty(name))
        record = Value(fingerprint(new), digest) if follows else recorded
        # a title the importer made up (title_derived) is no word of the digest's against yours
        disagrees = follows and new != current and not (name == "title" and new[1])
        return current, record, Kept(name, _shown(current), _shown(new)) if disagrees else None
    value, source = gained(name, current, recorded.source if recorded else None, new, digest)
    unused = source not in (None, digest, MIXED) and _leaves_out(name, value, new)
    return (value, Value(fingerprint(value), source),
            Kept(name, _shown(value), _shown(new), EARLIER) if unused else None)


def _leaves_out(name: str, kept: Any, new: Any) -> bool:
    """Whether keeping `kept` leaves out something `new` says: not when they differ only in case,
    spaces or punctuation, nor for a derived title, a shortened abstract or commentary (whose
    new paragraphs are added)."""
    if name.startswith(_COMMENTARY):
        return False
    if name == "title":
        return not new[1] and ids.normalized(kept[0]) != ids.normalized(new[0])
    if name == "abstract":
        return not cut_short(new, kept) and ids.normalized(kept) != ids.normalized(new)
    return bool(kept != new)


def _shown(value: Any) -> str:
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], bool):
        return str(value[0])  # a title
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def merge_items(current: tuple[T, ...], recorded: tuple[T, ...] | None, new: tuple[T, ...],
                key: Callable[[T], Hashable]) -> tuple[tuple[T, ...], tuple[T, ...], list[T]]:
    """A list field: (its items, its record, the items a person removed that `new` lists again)."""
    base = current if recorded is None else recorded
    base_keys, current_keys = {key(x) for x in base}, {key(x) for x in current}
    added = _unique_by([x for x in new if key(x) not in base_keys and key(x) not in current_keys], key)
    removed = [x for x in new if key(x) in base_keys and key(x) not in current_keys]
    record = list(dict.fromkeys([*base, *(x for x in new if key(x) not in base_keys)]))
    return (*current, *added), tuple(record), removed


def _unique_by(items: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    seen: dict[Hashable, T] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


def _url(link: tuple[str, str]) -> str:
    return link[1]


def _named_links(current: tuple[tuple[str, str], ...],
                 links: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """`links` (current ones first) with names made unique: a second `code` becomes `code-2`."""
    named: list[tuple[str, str]] = list(current)
    for name, url in links[len(current):]:
        named.append((ids.numbered_name(name, {n for n, _ in named}), url))
    return tuple(named)


# ---- papers ---------------------------------------------------------------------------------------


def new_paper_record(paper: Paper, digest: str) -> PaperState:
    """The record of a page the importer has just made from `digest`."""
    return PaperState(slug=paper.slug,
                      values={name: Value(fingerprint(v), digest) for name, v in paper_values(paper).items()},
                      tags=paper.tags, links=paper.links, digests=paper.digests)


def merge_paper(current: Paper, recorded: PaperState | None, incoming: Paper, digest: str) -> MergedPaper:
    """`current` after `digest` says `incoming` about the same paper (see the module's docstring)."""
    now, new = paper_values(current), paper_values(incoming)
    old = recorded.values if recorded else {}
    values, records, kept = merge_values(dict.fromkeys([*now, *new, *old]), now, old, new, digest)
    base_tags, recorded_tags = _without_withdrawn_tags(current, recorded, incoming, digest)
    tags, tag_record, tags_removed = merge_items(base_tags, recorded_tags, incoming.tags, str)
    links, link_record, links_removed = merge_items(current.links, recorded.links if recorded else None,
                                                    incoming.links, _url)
    digests, digest_record, digests_removed = merge_items(
        current.digests, recorded.digests if recorded else None, incoming.digests, str)
    kept += [Kept("tag", "", t) for t in tags_removed]
    kept += [Kept("link", "", f"{n}: {u}") for n, u in links_removed]
    kept += [Kept("digest", "", d) for d in digests_removed]
    page = replace(with_values(current, values), tags=tags, links=_named_links(current.links, links),
                   digests=digests)
    record = PaperState(slug=recorded.slug if recorded else current.slug, values=records,
                        tags=tag_record, links=link_record, digests=digest_record,
                        aliases=recorded.aliases if recorded else ())
    return MergedPaper(page, record, tuple(kept))


def _without_withdrawn_tags(current: Paper, recorded: PaperState | None, incoming: Paper,
                            digest: str) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """The page's tags and their record, less the tags the digest gave before and lists no more:
    where that digest is the only one that listed the paper and nobody edited the page's tags
    (they are the ones the importer put there), a tag the raw digest dropped leaves the paper."""
    if recorded is None or recorded.digests != (digest,) or set(current.tags) != set(recorded.tags):
        return current.tags, recorded.tags if recorded else None
    withdrawn = set(recorded.tags) - set(incoming.tags)
    return (tuple(t for t in current.tags if t not in withdrawn),
            tuple(t for t in recorded.tags if t not in withdrawn))


def merge_values(names: Iterable[str], now: Mapping[str, Any], old: Mapping[str, Value],
                 new: Mapping[str, Any], digest: str) -> tuple[dict[str, Any], dict[str, Value], list[Kept]]:
    """The single-valued fields `names`, each merged (`merge_value`): their values, their new
    records, and what was kept over the digest."""
    values: dict[str, Any] = {}
    records: dict[str, Value] = {}
    kept: list[Kept] = []
    for name in names:
        value, record, disagreement = merge_value(name, now.get(name, empty(name)), old.get(name),
                                                  new.get(name, empty(name)), digest)
        values[name] = value
        records.update({name: record} if record else {})
        kept += [disagreement] if disagreement else []
    return values, records, kept


def combine(first: Paper, second: Paper) -> Paper:
    """Two listings of one paper in one digest as one: the first, gaining what the second adds."""
    values = paper_values(first)
    for name, new in paper_values(second).items():
        base = values.get(name, empty(name))
        if lacks(name, base, new):
            values[name] = new
        elif name.startswith(_COMMENTARY) and not is_empty(name, new):
            values[name] = more_paragraphs(base, new)
    links = tuple(_unique_by([*first.links, *second.links], _url))
    return replace(with_values(first, values),
                   tags=tuple(dict.fromkeys([*first.tags, *second.tags])),
                   links=_named_links(first.links, links),
                   digests=tuple(dict.fromkeys([*first.digests, *second.digests])))


# ---- digests --------------------------------------------------------------------------------------


def digest_values(digest: Digest) -> dict[str, Any]:
    """A digest's own fields; its title is `heading`, a plain text unlike a paper's title."""
    return {"heading": digest.title, "date": digest.date.isoformat() if digest.date else None,
            "source": digest.source}


def new_digest_record(digest: Digest) -> DigestState:
    return DigestState(values={name: Value(fingerprint(v), digest.id)
                               for name, v in digest_values(digest).items()},
                       papers=digest.papers)


def merge_digest(current: Digest, recorded: DigestState | None, incoming: Digest) -> MergedDigest:
    """A digest page after its raw file is imported again: its own title, date and source follow
    the file unless a person changed them; its papers gain the ones the file adds."""
    now, new = digest_values(current), digest_values(incoming)
    old = recorded.values if recorded else {}
    values, records, kept = merge_values(now, now, old, new, incoming.id)
    if incoming.title_derived:  # as a paper's derived title (merge_value): never against yours
        kept = [k for k in kept if k.field != "heading"]
    papers, paper_record, removed = merge_items(current.papers, recorded.papers if recorded else None,
                                                incoming.papers, str)
    kept += [Kept("paper", "", p) for p in removed]
    # the importer's title carries its mark; a person's title keeps the page's (theirs to delete)
    derived = incoming.title_derived if values["heading"] == incoming.title else current.title_derived
    page = replace(current, title=values["heading"], source=values["source"], papers=papers,
                   date=dt.date.fromisoformat(values["date"]) if values["date"] else None,
                   title_derived=derived)
    return MergedDigest(page, DigestState(values=records, papers=paper_record), tuple(kept))
