"""Names that stay put: paper ids, page slugs, tag names and digest ids, all safe as file names.

Paper ids, in order of preference:

* `arxiv:YYMM.NNNNN` (or old-style `arxiv:cs/0601001`) — the arXiv identifier, without its
  version (`v2`), however it was written: `arXiv:2501.01234v3`, `https://arxiv.org/abs/…`,
  `arxiv.org/pdf/…v2.pdf`;
* `doi:10.…` — a DOI, lower-cased (DOIs are case-insensitive), from `doi:…`, `DOI: …` or a
  `https://doi.org/…` link;
* `title:<12 hex>` — for a paper known only by a real title: the first 12 hex digits of the
  SHA-1 of the normalized title (see `normalized`);
* `abstract:<12 hex>` — for a paper with neither id nor real title (a derived title may change
  when the derivation improves, the abstract does not): the same hash of the normalized abstract.

A page is also known by the arXiv and DOI ids its links name (`identifiers`), so a page first
made from a title alone is found again when a later digest gives the paper's arXiv id.
Once a page is written its id and slug never change; the importer keeps them when it merges.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Container

from slugify import slugify

from litdigest.content.pages import SLUG_SAFE
from litdigest.importer import clean

SLUG_LENGTH = 60
NAME_LENGTH = 80  # tag names and digest ids
HASH_DIGITS = 12

# New-style `2501.01234` (four digits before 2015), old-style `cs/0601001`, `math.GT/0309136`.
_ARXIV_ID = r"(\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[a-z]{2})?/\d{7})(?:v\d+)?"
ARXIV_MARKER = re.compile(
    rf"(?:arXiv\s*:\s*|(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/){_ARXIV_ID}"
    r"(?:\.pdf)?",
    re.IGNORECASE,
)
_DOI = re.compile(r"^(?:doi\s*:\s*|(?:https?://)?(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s\"<>]+)$",
                  re.IGNORECASE)
_RAW_HASH_SUFFIX = re.compile(r"_[0-9a-f]{8,}$")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                     *(f"lpt{i}" for i in range(10))}


def arxiv_id(marker: str) -> str | None:
    """`2410.14940` from `arXiv:2410.14940v2` or `https://arxiv.org/abs/2410.14940`."""
    match = ARXIV_MARKER.fullmatch(marker.strip())
    return canonical_arxiv(match.group(1)) if match else None


def canonical_arxiv(number: str) -> str:
    """An arXiv number as arXiv writes it: `2501.01234`, `cs/0601001`, `math.GT/0309136`."""
    if "/" not in number:
        return number
    archive, serial = number.split("/", 1)
    name, _, subject = archive.partition(".")
    return f"{name.lower()}{'.' + subject.upper() if subject else ''}/{serial}"


def arxiv_month(number: str) -> str | None:
    """The month an arXiv number was given (`2410.14940`, `cs/0601001`: its first four digits,
    YYMM), as `YYYY-MM`: the paper's own date when its source gives none."""
    digits = number.rsplit("/", 1)[-1][:4]
    year, month = int(digits[:2]), int(digits[2:])
    if not 1 <= month <= 12:
        return None
    return f"{(1900 if year >= 91 else 2000) + year}-{month:02d}"


def arxiv_url(number: str) -> str:
    return f"https://arxiv.org/abs/{number}"


def doi_id(text: str) -> str | None:
    """`10.1145/3597503` from `doi:10.1145/3597503`, `DOI: …` or `https://doi.org/…`."""
    match = _DOI.match(text.strip())
    return _trim_doi(match.group(1)).lower() if match else None


def _trim_doi(doi: str) -> str:
    """A DOI without the sentence punctuation after it; `)` only when it closes nothing in it."""
    while doi and doi[-1] in ".,;:])" and not (doi[-1] == ")" and doi.count("(") >= doi.count(")")):
        doi = doi[:-1]
    return doi


def doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}"


def identifiers(paper_id: str, links: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """Every id a page is known by: its own, and the arXiv and DOI ids its links name."""
    found = [paper_id]
    for _name, url in links:
        number = arxiv_id(url)
        doi = doi_id(url) if number is None else None
        if number:
            found.append(f"arxiv:{number}")
        elif doi:
            found.append(f"doi:{doi}")
    return tuple(dict.fromkeys(found))


def conflicting(ours: tuple[str, ...], theirs: tuple[str, ...]) -> bool:
    """Whether two sets of ids name different papers: both have an arXiv id (or both a DOI),
    and those differ. Papers in such a pair are never merged on a matching title."""
    for kind in ("arxiv:", "doi:"):
        mine = {i for i in ours if i.startswith(kind)}
        other = {i for i in theirs if i.startswith(kind)}
        if mine and other and not mine & other:
            return True
    return False


def paper_id(*, arxiv: str | None = None, doi: str | None = None, title: str = "",
             title_derived: bool = False, abstract: str = "") -> str:
    """The id of a paper from the best identifier it has (see the module's docstring)."""
    if arxiv:
        return f"arxiv:{arxiv}"
    if doi:
        return f"doi:{doi.lower()}"
    if title and not title_derived:
        return f"title:{short_hash(normalized(title))}"
    return f"abstract:{short_hash(normalized(abstract or title))}"


@functools.lru_cache(maxsize=1024)  # a paper's title and abstract are asked for many times
def normalized(text: str) -> str:
    """Text reduced to what identifies it, so that two spellings of one title match: LaTeX-isms
    undone (`\\textit{X}` is `X`), accents dropped (`Sören` is `Soren`), case-folded, and every
    run of anything but letters and digits (punctuation, spaces of any kind) one space."""
    text = unicodedata.normalize("NFKD", clean.clean_plain(text))
    text = unicodedata.normalize("NFKC", "".join(c for c in text if not unicodedata.combining(c)))
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:HASH_DIGITS]


def paper_slug(title: str, paper_id: str, taken: set[str]) -> str:
    """A new, unused slug for a paper: its title in ASCII, then `-2`, `-3` … if taken."""
    base = slugify(title, max_length=SLUG_LENGTH, word_boundary=True, save_order=True)
    if not is_safe_name(base):
        base = "paper-" + slugify(paper_id.split(":", 1)[-1], max_length=SLUG_LENGTH)
    return numbered_name(base, taken)


def numbered_name(name: str, taken: Container[str]) -> str:
    """`name`, else `name-2`, `name-3` …: the first that is not taken (slugs, link names)."""
    unique, number = name, 2
    while unique in taken:
        unique, number = f"{name}-{number}", number + 1
    return unique


def tag_name(text: str) -> str:
    """A tag's name: lower-case, hyphenated, Korean kept (`#Video Generation` → `video-generation`);
    "" when nothing nameable is left (`#🔥`, `#..`)."""
    name = slugify(text.lstrip("#"), allow_unicode=True, max_length=NAME_LENGTH, word_boundary=True)
    return _never_reserved(_within_bytes(name), "tag") if name else ""


def _within_bytes(name: str, limit: int = 200) -> str:
    """`name` cut at a hyphen (or a character) so its UTF-8 fits a file name with room to spare."""
    while len(name.encode("utf-8")) > limit:
        name = name.rsplit("-", 1)[0] if "-" in name else name[:-1]
    return name


def digest_id(raw_name: str, date: str | None = None) -> str:
    """`000_beb79d89408d957d.txt` → `000`; with a section's date `004-2024-12-19`; a file named
    by that date already (`2024-12-19.txt`, `notes-2024-12-19.md`) keeps its name."""
    stem = _digest_stem(raw_name)
    return _never_reserved(f"{stem}-{date}" if date and not stem.endswith(date) else stem, "digest")


def legacy_digest_id(raw_name: str, date: str | None = None) -> str:
    """The id litdigest gave before a file named by its date kept its name
    (`2024-12-19-2024-12-19`): a digest already made under it keeps it (store.py)."""
    stem = _digest_stem(raw_name)
    return _never_reserved(f"{stem}-{date}" if date else stem, "digest")


def raw_stem(raw_name: str) -> str:
    """A raw file's name without its folder, extension and hash: `000_beb79d89408d957d.txt` → `000`."""
    stem = raw_name.rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    return _RAW_HASH_SUFFIX.sub("", stem)


def _digest_stem(raw_name: str) -> str:
    return slugify(raw_stem(raw_name), allow_unicode=True, max_length=NAME_LENGTH,
                   word_boundary=True) or "digest"


def _never_reserved(name: str, suffix: str) -> str:
    """`name`, or `name-suffix` where `name` alone is a reserved device name such as `nul`."""
    return f"{name}-{suffix}" if name.lower() in _WINDOWS_RESERVED else name


def is_safe_name(name: str) -> bool:
    """Whether `name` can be a file name inside content/ on every system without escaping it:
    the page format's safe name (`SLUG_SAFE`, the whole name), not a reserved device name, and
    short enough in UTF-8."""
    return (bool(SLUG_SAFE.fullmatch(name)) and name.lower() not in _WINDOWS_RESERVED
            and len(name.encode("utf-8")) <= 200)
