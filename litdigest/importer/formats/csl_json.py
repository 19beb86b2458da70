"""The `csl-json` format: CSL JSON, the citation data that Zotero ("CSL JSON"), Better BibTeX
("Better CSL JSON", the `My Library.json` of Obsidian's citation plugins), Mendeley, Manubot and
pandoc export and read: a JSON array of items, each a paper.

Fields: `title`; `author` (`given family`, particles and suffix included, or `literal`);
`issued` (`date-parts` or `raw`) as the paper's own date when it gives a day; `abstract`; `DOI`;
`URL` as a link; the arXiv id from an arxiv.org `URL`, an `arXiv:…` in `number`,
`container-title` or `note` (Zotero writes it there), arXiv's DOI, or Semantic Scholar's
`volume: abs/…` under `container-title: ArXiv` (as Manubot passes it on);
`container-title`/`event-title`/`collection-title` as the venue (not arXiv itself); `keyword`
as tags. `note` is not read as commentary: exporters fill it with their own variables (Zotero's
Extra field, Manubot's provenance lines), not with the reader's words. Rich text in a title or
an abstract (`<i>`, `<sup>`, Crossref's `<jats:p>`) is read as its text.

Each item is decoded where it stands in the file (`json.JSONDecoder.raw_decode`), so every
paper keeps the lines it came from; the array's brackets are the digest's own lines, and an
item that names no paper is returned unplaced.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from bisect import bisect_right
from typing import Any

from litdigest.importer.formats import citation_fields as fields
from litdigest.importer.formats.lines import Line
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest

NAME = "csl-json"
LISTED = 13  # its place in FORMAT_NAMES
EXAMPLE = '[{"title": "…", "author": [{"family": "Last", "given": "First"}], "URL": "…"}, …]'

_CSL_KEYS = ("title", "author", "issued", "DOI", "URL", "abstract", "container-title")
_VENUES = ("container-title", "event-title", "collection-title")
_BLOCK_TAG = re.compile(r"</?(?:jats:)?(?:p|title|sec|br)\b[^<>]*>", re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
_SPACES = re.compile(r"\s+")
_ARXIV_VOLUME = re.compile(r"^abs/(\S+)$")

# An item as found in the file: where its text starts and ends, and what it decodes to.
_Item = tuple[int, int, Any]


def detect(lines: list[str]) -> bool:
    return fit(lines).lacks == ""


def fit(lines: list[str]) -> Fit:
    """A CSL JSON file is a JSON array whose items are objects with CSL fields (`type` with a
    `title`, `author`, `issued`, `DOI` or `URL`)."""
    text = "\n".join(lines)
    if not text.lstrip().startswith("["):
        return Fit(0.0, "not a JSON array (`[{…}, …]`)")
    items = _items(text)
    if items is None:
        return Fit(0.3, "a `[` that does not open a JSON array")
    if not any(_is_item(value) for _, _, value in items):
        return Fit(0.5, "a JSON array without CSL items (objects with `type` and `title`)")
    return Fit(1.0)


def parse(lines: list[str]) -> ParsedFile:
    """Each CSL item a paper; what is not an item naming a paper is unplaced. The lines outside
    every item hold only the array's `[`, `,` and `]`: the digest's own."""
    text = "\n".join(lines)
    starts = _line_starts(lines)
    items = _items(text)
    if items is None:  # not one JSON array (a shape forced on another file): nothing is placed
        return single_digest(NAME, [], [(n, line) for n, line in enumerate(lines, 1) if line.strip()])
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    covered: set[int] = set()
    for start, end, value in items:
        numbers = tuple(range(_line_of(starts, start), _line_of(starts, end - 1) + 1))
        covered.update(numbers)
        paper = _paper(value, numbers) if _is_item(value) else None
        if paper is not None and fields.names_a_paper(paper):
            papers.append(paper)
        else:
            unplaced += [(n, lines[n - 1]) for n in numbers if lines[n - 1].strip()]
    own = tuple(n for n, line in enumerate(lines, 1) if line.strip() and n not in covered)
    return single_digest(NAME, papers, unplaced, own_lines=own)


def _items(text: str) -> list[_Item] | None:
    """The array's items with their spans in `text`; None if `text` is not one JSON array."""
    decoder = json.JSONDecoder()
    at = _skip_space(text, 0)
    if not text.startswith("[", at):
        return None
    at = _skip_space(text, at + 1)
    items: list[_Item] = []
    while not text.startswith("]", at):
        try:
            value, end = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            return None
        items.append((at, end, value))
        at = _skip_space(text, end)
        if text.startswith(",", at):
            at = _skip_space(text, at + 1)
        elif not text.startswith("]", at):
            return None
    return items if not text[at + 1:].strip() else None


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _line_starts(lines: list[str]) -> list[int]:
    """The offset in the joined text where each line starts."""
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset)


def _is_item(value: Any) -> bool:
    return isinstance(value, dict) and any(key in value for key in _CSL_KEYS)


def _paper(item: dict[str, Any], numbers: tuple[int, ...]) -> ParsedPaper:
    doi = fields.doi_of(_text(item.get("DOI")))
    url = _text(item.get("URL"))
    venues = [_text(item.get(key)) for key in _VENUES]
    arxiv = fields.arxiv_in([doi or "", url, _text(item.get("number")), venues[0],
                             _text(item.get("note")), _text(item.get("archive_location"))])
    arxiv = arxiv or _arxiv_volume(item, venues[0])
    return ParsedPaper(
        line=numbers[0],
        title=_rich_text(_text(item.get("title"))),
        abstract=_rich_text(_text(item.get("abstract"))),
        arxiv=arxiv,
        doi=doi,
        authors=tuple(name for name in map(_name, _list(item.get("author"))) if name),
        venue=fields.venue_of(venues),
        links=fields.links_of([url], arxiv, doi),
        tags=fields.keywords([_text(item.get("keyword"))]),
        published=_issued(item.get("issued")),
        lines=numbers,
    )


def _arxiv_volume(item: dict[str, Any], container: str) -> str | None:
    """Semantic Scholar's way: `container-title: ArXiv` with `volume: abs/2410.03306`."""
    found = _ARXIV_VOLUME.match(_text(item.get("volume")).strip())
    if found and container.strip().lower() == "arxiv":
        return fields.eprint_arxiv(found.group(1))
    return None


def _name(author: Any) -> str:
    """`given family` with particles and suffix (`J. D. van der Waals Jr.`), or `literal`."""
    if not isinstance(author, dict):
        return ""
    literal = _text(author.get("literal")).strip()
    if literal:
        return literal
    parts = (author.get(key) for key in ("given", "dropping-particle", "non-dropping-particle",
                                         "family", "suffix"))
    return " ".join(_text(part).strip() for part in parts if _text(part).strip())


def _issued(issued: Any) -> dt.date | None:
    """The paper's date when `issued` gives its day: `date-parts` `[[2019, 6, 24]]` (numbers or
    strings) or `raw` `2019-06-24`; a year or a month alone dates no page."""
    if not isinstance(issued, dict):
        return None
    parts = _list(issued.get("date-parts"))
    first = _list(parts[0]) if parts else []
    if len(first) >= 3:
        return fields.date_of(year=_text(first[0]), month=_text(first[1]), day=_text(first[2]))
    return fields.date_of(_text(issued.get("raw")))


def _rich_text(value: str) -> str:
    """CSL rich text as its text: block tags become spaces, other tags go, spaces close up."""
    if "<" not in value:
        return value.strip()
    return _SPACES.sub(" ", _INLINE_TAG.sub("", _BLOCK_TAG.sub(" ", value))).strip()


def _text(value: Any) -> str:
    """A field's text: a string or a number as written; Crossref's one-string lists as their
    string; anything else as nothing."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list) and value and isinstance(value[0], str):
        return value[0]
    return ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
