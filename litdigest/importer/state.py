"""Remember what the importer last wrote, so a re-import can tell a person's edit from a new fact.

`content/.import-state.json` is written by every import that changes it, through the same
all-or-nothing writes as the pages, and is read back by the next one. It is the importer's own
bookkeeping: not for hand-editing, safe to delete (the next import then treats every page as
possibly hand-edited and only fills in what is missing, as if the pages were written by hand).

Per paper id it holds:

* `slug`   — the slug the page was given, so a restored page comes back under the same URL;
* `values` — for each single-valued field (`title` with `title_derived`, `authors`, `date`,
  `venue`, `abstract`, and each digest's commentary in a language, `commentary:<lang>@<digest>`;
  `commentary:<lang>` for a block naming no digest): `[fingerprint, digest]`, a 16-hex SHA-1 of the
  value the importer last wrote (or would have, where a person's edit was kept) and the digest
  that value came from (`null` when several did or it is not known);
* `tags`, `links`, `digests` — the items the importer has put in those lists, so an item a
  person removed is known as removed and never comes back;
* `removed` — `true` for a paper a person took off the site (`litdigest remove`, or its page
  deleted by hand): no import makes its page again until `litdigest restore` (`removal.py`).

Per digest id it holds the same `values` for `title`, `date` and `source`, and its `papers`.

The file is deterministic: keys sorted, one line per paper or digest, UTF-8, a final newline.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litdigest.content.reading import read_regular
from litdigest.errors import LitdigestError, Problem

STATE_FILE = ".import-state.json"
VERSION = 1


@dataclass(frozen=True)
class Value:
    """What the importer last wrote for one field: its fingerprint, and the digest it came from."""

    hash: str
    source: str | None = None


@dataclass(frozen=True)
class PaperState:
    slug: str
    values: Mapping[str, Value] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    digests: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # ids of listings once recognised as this paper
    removed: bool = False  # taken off the site by a person: never re-added by an import


@dataclass(frozen=True)
class DigestState:
    values: Mapping[str, Value] = field(default_factory=dict)
    papers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportState:
    papers: Mapping[str, PaperState] = field(default_factory=dict)
    digests: Mapping[str, DigestState] = field(default_factory=dict)


def fingerprint(value: Any) -> str:
    """A short, stable hash of a JSON-able value."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


# ---- reading -------------------------------------------------------------------------------------


def read_state(content_dir: Path) -> ImportState:
    """The state an earlier import left; an empty one when there is none."""
    path = content_dir / STATE_FILE
    if not os.path.lexists(path):
        return ImportState()
    raw = read_regular(path, what="state file")
    try:
        data = json.loads(raw.decode("utf-8"))
        if data.get("version") != VERSION:
            raise ValueError(f"unknown version {data.get('version')!r}")
        return ImportState(
            papers={key: _paper_state(item) for key, item in data["papers"].items()},
            digests={key: _digest_state(item) for key, item in data["digests"].items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as err:
        raise LitdigestError(Problem(str(path), None, f"unreadable import state ({err})",
                                     "delete the file; the next import rebuilds it and keeps "
                                     "every page as it is")) from None


def _values(data: Mapping[str, Any]) -> dict[str, Value]:
    return {name: Value(str(pair[0]), None if pair[1] is None else str(pair[1]))
            for name, pair in data.items()}


def _paper_state(data: Mapping[str, Any]) -> PaperState:
    return PaperState(slug=str(data["slug"]), values=_values(data["values"]),
                      tags=tuple(map(str, data["tags"])),
                      links=tuple((str(n), str(u)) for n, u in data["links"]),
                      digests=tuple(map(str, data["digests"])),
                      aliases=tuple(map(str, data.get("aliases", ()))),
                      removed=data.get("removed", False) is True)


def _digest_state(data: Mapping[str, Any]) -> DigestState:
    return DigestState(values=_values(data["values"]), papers=tuple(map(str, data["papers"])))


# ---- writing -------------------------------------------------------------------------------------


def state_text(state: ImportState) -> str:
    """The state file's text: sorted, one line per paper and per digest."""
    papers = {key: {"slug": s.slug, "values": _values_json(s.values), "tags": list(s.tags),
                    "links": [list(pair) for pair in s.links], "digests": list(s.digests),
                    **({"aliases": list(s.aliases)} if s.aliases else {}),
                    **({"removed": True} if s.removed else {})}
              for key, s in state.papers.items()}
    digests = {key: {"values": _values_json(s.values), "papers": list(s.papers)}
               for key, s in state.digests.items()}
    lines = ["{", f' "version": {VERSION},', ' "papers": {', *_entries(papers), " },",
             ' "digests": {', *_entries(digests), " }", "}"]
    return "\n".join(lines) + "\n"


def _values_json(values: Mapping[str, Value]) -> dict[str, list[str | None]]:
    return {name: [value.hash, value.source] for name, value in values.items()}


def _entries(items: Mapping[str, Any]) -> list[str]:
    keys = sorted(items)
    return [f"  {_json(key)}: {_json(items[key])}{',' if index < len(keys) - 1 else ''}"
            for index, key in enumerate(keys)]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
