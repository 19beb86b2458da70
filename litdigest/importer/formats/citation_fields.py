"""The fields of a reference manager's record (BibTeX, RIS) as a raw paper's: its arXiv id from
wherever the record hides it, its DOI, links, date, venue, keywords and notes.

The record formats differ in syntax, not in what their fields mean; `bibtex.py` and `ris.py`
read their syntax and hand the field values here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from litdigest.content.language import is_korean
from litdigest.importer import identity as ids
from litdigest.importer.formats.parsed import ParsedPaper
from litdigest.importer.formats.references import add_link

# `10.48550/arXiv.2005.07513`: the DOI arXiv gives every paper
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
# `arXiv:2306.06918 [cs]`, `arXiv: 2410.08164`: a note that only names the paper's arXiv id
_ID_NOTE = re.compile(r"^arxiv\s*:\s*\S+(?:\s*\[[\w.\- ,]+\])?\.?$", re.IGNORECASE)
# Zotero's "Extra" field, exported inside `note`: `type: article`, `original-date: 2019` lines
_ZOTERO_EXTRA = re.compile(r"^(?:type|original-date|publisher-place|event-place|status|"
                           r"citation key|container-title|number-of-pages)\s*:\s*\S.*$", re.IGNORECASE)
_ARXIV_VENUE = re.compile(r"^arxiv\b", re.IGNORECASE)
_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")), 1) for name in names}
_ISO_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})\b")
_KEYWORD_SEPARATOR = re.compile(r"\s*[;,]\s*")


def arxiv_in(texts: Iterable[str]) -> str | None:
    """The first arXiv id named in `texts`: an `arXiv:…` marker or an arxiv.org link anywhere in
    them (`journal = {arXiv preprint arXiv:2301.00303}`), or arXiv's own DOI."""
    for text in texts:
        doi = ids.doi_id(text) or ""
        from_doi = _ARXIV_DOI.match(doi)
        if from_doi and ids.arxiv_id(f"arXiv:{from_doi.group(1)}"):
            return ids.arxiv_id(f"arXiv:{from_doi.group(1)}")
        marker = ids.ARXIV_MARKER.search(text)
        if marker:
            return ids.canonical_arxiv(marker.group(1))
    return None


def eprint_arxiv(eprint: str) -> str | None:
    """An `eprint` field's arXiv id (`2005.07513`, `arXiv:2005.07513v2`, `cs/0601001`)."""
    value = eprint.strip()
    return ids.arxiv_id(value if value.lower().startswith("arxiv") else f"arXiv:{value}")


def doi_of(text: str) -> str | None:
    """A DOI field's DOI, lower-cased, from `10.…`, `doi:10.…` or a doi.org link."""
    return ids.doi_id(text.strip()) if text.strip() else None


def links_of(urls: Iterable[str], arxiv: str | None, doi: str | None) -> tuple[tuple[str, str], ...]:
    """(name, url) for every URL that is not the paper's arXiv or DOI link: a PDF is `paper`,
    anything else `web` (a second one `web-2`)."""
    links: list[tuple[str, str]] = []
    for url in urls:
        url = url.strip()
        if not re.match(r"^https?://\S+$", url, re.IGNORECASE):
            continue
        if arxiv and ids.arxiv_id(url.removesuffix("/")) == arxiv:
            continue
        if doi and ids.doi_id(url) == doi:
            continue
        links = add_link(links, "paper" if url.lower().endswith(".pdf") else "web", url)
    return tuple(links)


def venue_of(texts: Iterable[str]) -> str | None:
    """The first venue that is not arXiv itself (`arXiv preprint arXiv:…`, `arXiv e-prints`):
    that says where the paper waits, not where it was published (its id is kept as the arXiv id)."""
    return next((t.strip() for t in texts if t.strip() and not _ARXIV_VENUE.match(t.strip())), None)


def date_of(full: str = "", year: str = "", month: str = "", day: str = "") -> dt.date | None:
    """The paper's own date when the record gives its day (`2020-05-15`, `2021/08/10/`, or year,
    month and day fields); a year or a month alone dates no page, so it gives None."""
    match = _ISO_DATE.match(full.strip())
    if match:
        return _date(*match.groups())
    number = _MONTHS.get(month.strip().lower().rstrip("."), None)
    if number is None and month.strip().isdigit():
        number = int(month.strip())
    if number is None or not day.strip().isdigit():
        return None
    return _date(year.strip(), str(number), day.strip())


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def keywords(values: Iterable[str]) -> tuple[str, ...]:
    """Each keyword once, in order: a field may hold several, split at `,` or `;`."""
    found = (part.strip() for value in values for part in _KEYWORD_SEPARATOR.split(value))
    return tuple(dict.fromkeys(part for part in found if part))


def is_id_note(text: str) -> bool:
    """Whether a note only repeats the arXiv id (Zotero writes `arXiv:2306.06918 [cs]`)."""
    return bool(_ID_NOTE.match(text.strip()))


def commentary_of(notes: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Notes as commentary: Korean ones under `ko`, the others under `en`, each a paragraph;
    lines that only repeat the arXiv id or carry Zotero's "Extra" variables are left out."""
    korean: list[str] = []
    english: list[str] = []
    for note in notes:
        kept = [line.strip() for line in note.splitlines()
                if line.strip() and not is_id_note(line) and not _ZOTERO_EXTRA.match(line.strip())]
        if kept:
            text = " ".join(kept)
            (korean if is_korean(text) else english).append(text)
    return tuple((lang, tuple(paras)) for lang, paras in (("ko", korean), ("en", english)) if paras)


def names_a_paper(paper: ParsedPaper) -> bool:
    """Whether a record has anything to make a page of: a title, an abstract, an arXiv id or a
    DOI (a record with only a URL or a year is returned unplaced, for the user to see)."""
    return bool(paper.title or paper.abstract or paper.arxiv or paper.doi)


def inverted_name(name: str) -> str:
    """`Last, First` as `First Last` (`Smith, Jr., John` as `John Smith Jr.`); a name without a
    comma stays as written."""
    parts = [part.strip() for part in name.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and all(parts):
        return f"{parts[2]} {parts[0]} {parts[1]}"
    return name.strip()
