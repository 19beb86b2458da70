"""What the arXiv shapes and the labelled-fields shape read the same way: dates as pages write
them, subject lines as tags, author lists, commentary by script, and page furniture."""

from __future__ import annotations

import datetime as dt
import re

from litdigest.content.language import is_korean

_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")), 1) for name in names}
_MONTH = r"([A-Za-z]{3,9})\.?"
_ISO = re.compile(r"\b(\d{4})[-./]\s?(\d{1,2})[-./]\s?(\d{1,2})\b")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}})\b")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})\b")
_KOREAN = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_AFFILIATION = re.compile(r"\s*\([^()]*\)$")
_CATEGORY = re.compile(r"\(([a-z-]+(?:\.[A-Za-z-]+)?)\)")
_BARE_CATEGORY = re.compile(r"^[a-z-]+(?:\.[A-Z][A-Za-z-]*|\.[a-z]{2})?$")


def find_date(text: str) -> dt.date | None:
    """The first date `text` writes: `2025-03-12`, `12 Mar 2025`, `Tuesday, 31 March 2026`,
    `12 March, 2025`, `March 12, 2025`, `2025년 3월 12일`; None when it writes none."""
    found: list[tuple[int, dt.date]] = []
    for pattern, order in ((_ISO, "ymd"), (_KOREAN, "ymd"), (_DAY_MONTH_YEAR, "dmy"),
                           (_MONTH_DAY_YEAR, "mdy")):
        for match in pattern.finditer(text):
            date = _date_of(match.groups(), order)
            if date:
                found.append((match.start(), date))
                break
    return min(found)[1] if found else None


def _date_of(groups: tuple[str, ...], order: str) -> dt.date | None:
    parts = dict(zip(order, groups))
    month = parts["m"]
    number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
    try:
        return dt.date(int(parts["y"]), number, int(parts["d"])) if number else None
    except ValueError:
        return None


def category_tags(subjects: str) -> tuple[str, ...]:
    """The category codes of a `Subjects:` value, in order: `Computation and Language (cs.CL);
    Artificial Intelligence (cs.AI)` gives cs.CL and cs.AI; bare codes (`cs.CL cs.AI`) too."""
    codes = _CATEGORY.findall(subjects)
    if not codes:
        codes = [word for word in re.split(r"[\s;,]+", subjects) if _BARE_CATEGORY.match(word)
                 and "." in word]
    return tuple(dict.fromkeys(codes))


def split_authors(text: str) -> tuple[str, ...]:
    """`A, B and C` or `A; B; C` as names, without `et al.`, an affiliation in parentheses after
    a name (`Amit Ferencz (Apple)`) and stray spaces before commas."""
    text = re.sub(r"\s+,", ",", text.strip().rstrip("."))
    separator = ";" if ";" in text else ","
    names = [_AFFILIATION.sub("", name).strip() for part in text.split(separator)
             for name in re.split(r"\s+(?:and|&)\s+", part)]
    return tuple(name for name in names if name and name.lower() not in ("et al", "et al."))


def commentary_lang(text: str) -> str:
    """`ko` for text written in Hangul, else `en`."""
    return "ko" if is_korean(text) else "en"


def add_commentary(commentary: dict[str, list[str]], text: str) -> None:
    commentary.setdefault(commentary_lang(text), []).append(text)


def commentary_tuple(commentary: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((lang, tuple(texts)) for lang, texts in commentary.items() if texts)


def is_prose(text: str, words: int = 8, sentence: bool = False) -> bool:
    """Whether a line reads as a sentence someone wrote (commentary), not a label or a button;
    with `sentence`, only a line ending as a sentence does (or one written in Hangul)."""
    if sentence and not (re.search(r"[.!?。]$", text) or is_korean(text)):
        return False
    return (len(text.split()) >= words or is_korean(text)) and bool(
        re.search(r"[^\W\d_]", text))
