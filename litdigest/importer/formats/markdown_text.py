"""What the Markdown shapes (`markdown-notes`, `markdown-list`, `markdown-table`) share: reading
Markdown furniture — headings, emphasis, links, wikilinks, quotes, front matter, custom language
wrappers — into plain text and the identifiers and links a paper carries. Every function reads
one line (or one front-matter block) once: linear in the input."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from litdigest.content.language import is_korean
from litdigest.importer import identity as ids
from litdigest.importer.formats.bilingual_daily import date_of
from litdigest.importer.formats.lines import Line
from litdigest.importer.formats.references import add_link

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^()\s<>]+(?:\([^()\s]*\))?[^()\s<>]*)>?"
                   r"(?:\s+\"[^\"]*\")?\s*\)")
_WIKILINK = re.compile(r"\[\[([^\[\]|]+)(?:\|([^\[\]]+))?\]\]")
_URL = re.compile(r"https?://[^\s<>()\[\]|]+[^\s<>()\[\].,;:|'\"]")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1")
_MARKS = re.compile(r"[*_~]")
_CODE = re.compile(r"`([^`]*)`")
_WRAPPER = re.compile(r"</?([a-z][a-z-]{1,20})>", re.IGNORECASE)
_BULLET = re.compile(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_ISO_DATE = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})")
_SECTION_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+")
_ET_AL = re.compile(r",?\s*(?:et\.?\s*al\.?|etc\.?|…|\.\.\.)\s*$", re.IGNORECASE)
_ENGLISH_WRAPPERS = {"english", "en", "eng"}
_KOREAN_WRAPPERS = {"korean", "ko", "kor", "hangul"}


def heading(text: str) -> tuple[int, str] | None:
    """(level, text) of a Markdown heading line `## Title`, else None."""
    match = _HEADING.match(text)
    return (len(match.group(1)), match.group(2)) if match else None


def links(text: str) -> list[tuple[str, str]]:
    """The (label, url) of every Markdown link in `text`, images' links included; a link around
    an image (`[![stars](badge)](url)`) is labelled by the image's alt text."""
    found = []
    for match in _LINK.finditer(text):
        label, url = match.group(2), match.group(3)
        inner = _LINK.search(label)
        if inner:
            if match.group(1):  # an image: its own URL is the picture, not the paper's
                continue
            label = inner.group(2)
        if not match.group(1):
            found.append((plain(label), url))
    return found


def link_texts(text: str) -> str:
    """`text` with each Markdown link written as its text alone; images dropped."""
    return _LINK.sub(lambda m: "" if m.group(1) else m.group(2), text)


def bare_urls(text: str) -> list[str]:
    """URLs written out in `text`, outside Markdown links."""
    return _URL.findall(_LINK.sub(" ", text))


def plain(text: str) -> str:
    """`text` as a reader sees it: links as their text, wikilinks as their names, emphasis,
    code marks and custom tags dropped, spaces collapsed."""
    if "[" in text:
        text = _WIKILINK.sub(lambda m: m.group(2) or m.group(1), link_texts(text))
    if "`" in text:
        text = _CODE.sub(r"\1", text)
    for _ in range(3):  # nested emphasis: `***x***`, `**_x_**`
        if not _MARKS.search(text):
            break
        text = _EMPHASIS.sub(r"\2", text)
    if "<" in text:
        text = _WRAPPER.sub("", text)
    return " ".join(text.split())


def unquoted(text: str) -> str:
    """A line without its `> ` quote marks."""
    return _QUOTE.sub("", text)


def is_quote(text: str) -> bool:
    return bool(_QUOTE.match(text))


def bullet(text: str) -> tuple[int, str] | None:
    """(indent, text after the marker) of a list item `- x`, `* x`, `1. x`, `- [ ] x`, else None."""
    match = _BULLET.match(text)
    return (len(match.group(1)), text[match.end():]) if match else None


def is_table_row(text: str) -> bool:
    return text.startswith("|") and text.endswith("|") and text.count("|") >= 3


def is_separator_row(text: str) -> bool:
    """The `|---|:---:|` line under a table's header."""
    return is_table_row(text) and bool(re.fullmatch(r"\|(?:\s*:?-{2,}:?\s*\|)+", text))


def cells(row: str) -> list[str]:
    """The cells of a table row, trimmed; `\\|` inside a cell stays in it."""
    parts = re.split(r"(?<!\\)\|", row.strip()[1:-1])
    return [part.strip().replace("\\|", "|") for part in parts]


def is_empty_cell(text: str) -> bool:
    return plain(text).lower() in ("", "-", "—", "null", "none", "n/a", "na", "nan", "–")


def wikilinks(text: str) -> list[str]:
    return [m.group(1).strip() for m in _WIKILINK.finditer(text)]


def without_embeds(text: str) -> str:
    """`text` without Obsidian embeds (`![[Screen Shot.png]]`) and images (`![alt](src)`)."""
    return re.sub(r"!\[\[[^\[\]]*\]\]|!\[[^\[\]]*\]\([^()]*\)", "", text).strip()


def only_wikilinks(text: str) -> bool:
    """A line that is nothing but wikilinks (and list marks or separators): a link list."""
    rest = _WIKILINK.sub("", text)
    return bool(_WIKILINK.search(text)) and not re.search(r"[^\W_]", rest)


def tag_text(heading_text: str) -> str:
    """A section heading as a tag: without its numbering (`2.2 Linear Attention`), links and
    emphasis, emoji and symbols at its ends."""
    text = _SECTION_NUMBER.sub("", plain(heading_text))
    return re.sub(r"^[^\w(]+|[^\w)]+$", "", text).strip()


def cell_date(text: str) -> dt.date | None:
    """The date a cell or field shows: `2025-03-12`, `**2025-03-12**`, `2026-07-01T15:22:41Z`,
    `2025.03.12`, `2025년 3월 12일`, `Mar 12, 2025`."""
    bare = plain(text).strip()
    match = _ISO_DATE.match(bare)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    return date_of(bare)


def is_date_heading(text: str) -> bool:
    """A heading that is only a date (`# 2025-03-12`, `## 2025년 3월 12일`): a digest's date."""
    found = heading(text)
    return found is not None and date_of(plain(found[1])) is not None


def author_names(text: str) -> tuple[str, ...]:
    """The names in an author list: `A, B and C`, `A; B`, `A et.al.`, `_A, B._`."""
    text = _ET_AL.sub("", plain(text).strip().rstrip(".")).strip()
    names = [re.sub(r"^(?:and|&)\s+", "", name.strip()) for name in re.split(r",|;|\s+and\s+|\s+&\s+", text)]
    return tuple(n for n in names if n and not _ET_AL.fullmatch(n))


def split_language(text: str) -> list[tuple[str, str]]:
    """(lang, text) pieces of a commentary line: `<english>…</english>` and `<korean>…</korean>`
    wrappers decide their piece's language and are dropped; other text is Korean when it reads
    as Korean, else English."""
    pieces: list[tuple[str, str]] = []
    position, lang = 0, None
    for match in _WRAPPER.finditer(text):
        name = match.group(1).lower()
        if name not in _ENGLISH_WRAPPERS | _KOREAN_WRAPPERS:
            continue
        _add_piece(pieces, text[position:match.start()], lang)
        position = match.end()
        closing = match.group(0).startswith("</")
        lang = None if closing else ("en" if name in _ENGLISH_WRAPPERS else "ko")
    _add_piece(pieces, text[position:], lang)
    return pieces


def _add_piece(pieces: list[tuple[str, str]], text: str, lang: str | None) -> None:
    text = text.strip()
    if text:
        pieces.append((lang or ("ko" if is_korean(text) else "en"), text))


@dataclass(frozen=True)
class Identified:
    """What a paper's URLs name: its arXiv number, DOI and other links."""

    arxiv: str | None = None
    doi: str | None = None
    links: tuple[tuple[str, str], ...] = ()


_LINK_NAMES = (("code", r"github\.com|gitlab\.com|\bcode\b|\brepo"),
               ("project", r"project|website|homepage|page|\bdemo\b|github\.io|sites\.google"),
               ("pdf", r"\.pdf\b|/pdf/|\bpdf\b"))


def identify(found: Identified, label: str, url: str) -> Identified:
    """`found` with what (label, url) names: an arXiv or DOI URL is the paper's id (the first one
    wins; a second, different one is kept as a link), any other URL a link named by its label or
    host (`code`, `project`, `pdf`, else `paper`)."""
    url = url.rstrip(".,;")
    if not re.match(r"https?://", url, re.IGNORECASE):
        return found
    arxiv, doi = ids.arxiv_id(url), ids.doi_id(url)
    if arxiv and found.arxiv in (None, arxiv):
        return Identified(arxiv, found.doi, found.links)
    if doi and found.doi in (None, doi):
        return Identified(found.arxiv, doi, found.links)
    return Identified(found.arxiv, found.doi,
                      tuple(add_link(list(found.links), link_kind(label, url), url)))


def link_kind(label: str, url: str) -> str:
    """The name of a link: from its label where it names one, else from its URL."""
    for probe in (label.lower(), url.lower()):
        for name, pattern in _LINK_NAMES:
            if re.search(pattern, probe):
                return name
    return "paper"


def is_pdf_url(text: str) -> bool:
    return bool(re.search(r"\.pdf(?:[?#]\S*)?$|/pdf/", text.strip(), re.IGNORECASE))


def kept_headings(headings: list[tuple[Line, str]], title: str,
                  tags: set[str]) -> tuple[list[int], list[Line]]:
    """Section headings, each with the text it gave (the digest's title, a tag, or ""): placed
    where that text is kept — the title, a tag some paper got — else unplaced (a year heading,
    `## Updated on 2025.03.12`, a section without papers), so no placed line loses its words."""
    own: list[int] = []
    unplaced: list[Line] = []
    for row, text in headings:
        if text and (text == title or text in tags):
            own.append(row[0])
        else:
            unplaced.append(row)
    return own, unplaced


def numbers(rows: list[Line]) -> tuple[int, ...]:
    return tuple(number for number, _ in rows)
