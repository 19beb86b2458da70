"""A digest's title: the one its file gives, or, for a file with none (an author's profile, a
category listing, a page of bare abstracts), a readable one made from what the file does give,
marked derived so the import report asks the author for one of their own."""

from __future__ import annotations

import re
from pathlib import Path

from litdigest.content.language import is_korean
from litdigest.importer import identity as ids
from litdigest.importer.formats.parsed import ParsedDigest
from litdigest.importer.listings import own_date

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_SURNAME_FIRST = re.compile(r"^([^,]+),\s*([^,]+)$")  # `Ding, Ning`
_MORE_THAN_A_NAME = re.compile(r"[—–:|/\d]|\b(?:papers?|publications?|selected)\b|논문", re.IGNORECASE)


def digest_title(path: Path, digest: ParsedDigest) -> tuple[str, bool]:
    """The title and whether it was derived: the file's own; else, in this order, whose profile
    it is (its line is the title where it says more than a name), the category it lists, the
    months of its papers, or the file's name."""
    if digest.title:
        return digest.title, False
    if digest.person:
        return person_title(digest.person)
    if digest.category:
        return (f"분류: {digest.category}" if is_korean(digest.category)
                else f"Category: {digest.category}"), True
    months = sorted(filter(None, (_month(own_date(paper)) for paper in digest.papers)))
    if months:
        return f"Papers from {month_span(months[0], months[-1])}", True
    return file_title(path.name), True


def person_title(written: str) -> tuple[str, bool]:
    """`Ding, Ning` → `Papers by Ning Ding`, `홍길동` → `홍길동의 논문` (derived); a profile's line
    that is more than a name (`Jane Q. Researcher — selected papers`) is the file's own title."""
    if _MORE_THAN_A_NAME.search(written) or len(written.split()) > 5:
        return written.strip(), False
    name = person_name(written)
    return (f"{name}의 논문" if is_korean(name) else f"Papers by {name}"), True


def person_name(written: str) -> str:
    """`Ding, Ning` → `Ning Ding`; any other name as written."""
    match = _SURNAME_FIRST.match(written.strip())
    return f"{match.group(2).strip()} {match.group(1).strip()}" if match else written.strip()


def month_span(first: str, last: str) -> str:
    """`2024-09`, `2024-10` → `September to October 2024`; one month alone as `October 2024`."""
    (y1, m1), (y2, m2) = (int(p) for p in first.split("-")), (int(p) for p in last.split("-"))
    if (y1, m1) == (y2, m2):
        return f"{_MONTHS[m1 - 1]} {y1}"
    if y1 == y2:
        return f"{_MONTHS[m1 - 1]} to {_MONTHS[m2 - 1]} {y1}"
    return f"{_MONTHS[m1 - 1]} {y1} to {_MONTHS[m2 - 1]} {y2}"


def file_title(raw_name: str) -> str:
    """The file's name without its hash and extension, as words: `reading-list_ab12….txt` →
    `Reading list`; a name that is only a number, `003`, → `Digest 003`."""
    stem = ids.raw_stem(raw_name)
    words = re.sub(r"[-_\s]+", " ", stem).strip()
    if not words or words.replace(" ", "").isdigit():
        return f"Digest {words or stem}".strip()
    return words[0].upper() + words[1:]


def _month(date: str | None) -> str | None:
    """A partial ISO date's month (`2024-10-03` → `2024-10`), or None for a year alone."""
    return date[:7] if date and len(date) >= 7 else None
