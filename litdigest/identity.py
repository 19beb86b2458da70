"""Names that stay put: paper ids, page slugs, tag names and digest ids, all safe as file names.

Paper ids, in order of preference:

* `arxiv:YYMM.NNNNN` — the arXiv identifier, without its version (`v2`);
* `doi:10.…` — a DOI, lower-cased (DOIs are case-insensitive);
* `title:<12 hex>` — for a paper known only by a real title: the first 12 hex digits of the
  SHA-1 of the normalized title (case-folded, every run of non-letters/digits one space);
* `abstract:<12 hex>` — for a paper with neither id nor real title (a derived title may change
  when the derivation improves, the abstract does not): the same hash of the normalized abstract.

Once a page is written its id and slug never change; the importer keeps them when it merges.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from slugify import slugify

SLUG_LENGTH = 60
NAME_LENGTH = 80  # tag names and digest ids
HASH_DIGITS = 12

_ARXIV_ID = r"(\d{4}\.\d{4,5})(?:v\d+)?"
ARXIV_MARKER = re.compile(
    rf"(?:arXiv:\s*|(?:https?://)?(?:www\.)?arxiv\.org/(?:abs|pdf)/){_ARXIV_ID}(?:\.pdf)?",
    re.IGNORECASE,
)
_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_RAW_HASH_SUFFIX = re.compile(r"_[0-9a-f]{8,}$")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                     *(f"lpt{i}" for i in range(10))}


def arxiv_id(marker: str) -> str | None:
    """`2410.14940` from `arXiv:2410.14940v2` or `https://arxiv.org/abs/2410.14940`."""
    match = ARXIV_MARKER.fullmatch(marker.strip())
    return match.group(1) if match else None


def arxiv_url(number: str) -> str:
    return f"https://arxiv.org/abs/{number}"


def doi_id(text: str) -> str | None:
    match = _DOI.match(text.strip())
    return match.group(1).lower() if match else None


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


def normalized(text: str) -> str:
    """Text reduced to what identifies it: case-folded letters and digits, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", text)).replace("_", " ")


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:HASH_DIGITS]


def paper_slug(title: str, paper_id: str, taken: set[str]) -> str:
    """A new, unused slug for a paper: its title in ASCII, then `-2`, `-3` … if taken."""
    base = slugify(title, max_length=SLUG_LENGTH, word_boundary=True, save_order=True)
    if not is_safe_name(base):
        base = "paper-" + slugify(paper_id.split(":", 1)[-1], max_length=SLUG_LENGTH)
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def tag_name(text: str) -> str:
    """A tag's name: lower-case, hyphenated, Korean kept (`#Video Generation` → `video-generation`)."""
    return _never_reserved(slugify(text.lstrip("#"), allow_unicode=True, max_length=NAME_LENGTH,
                                   word_boundary=True), "tag")


def digest_id(raw_name: str, date: str | None = None) -> str:
    """`000_beb79d89408d957d.txt` → `000`; with a section's date `004-2024-12-19`."""
    stem = raw_name.rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    stem = slugify(_RAW_HASH_SUFFIX.sub("", stem), allow_unicode=True, max_length=NAME_LENGTH,
                   word_boundary=True) or "digest"
    return _never_reserved(f"{stem}-{date}" if date else stem, "digest")


def _never_reserved(name: str, suffix: str) -> str:
    """`name`, or `name-suffix` where `name` alone is a reserved device name such as `nul`."""
    return f"{name}-{suffix}" if name.lower() in _WINDOWS_RESERVED else name


def is_safe_name(name: str) -> bool:
    """Whether `name` can be a file name inside content/ on every system without escaping it."""
    return (bool(re.fullmatch(r"[^\W_][\w-]*", name)) and name.lower() not in _WINDOWS_RESERVED
            and len(name.encode("utf-8")) <= 200)
