"""The `markdown-list` format: Markdown lists of papers, one item a paper, as awesome-lists and
reading lists write them: `- [Title](url) - Authors (2025)`, `* **Title** … [[paper]](url)
[[code]](url)`, `1. [**Title.**](url) _A, B._ ICML 2024. [pdf]`. Lines nested under an item
(indented bullets, `> ` quotes) are its commentary; section headings are its tags."""

from __future__ import annotations

import re

from litdigest.importer.formats import markdown_text as md
from litdigest.importer.formats.lines import Line, numbered
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest

NAME = "markdown-list"
LISTED = 9  # its place in FORMAT_NAMES
EXAMPLE = "- [Title](https://arxiv.org/abs/2503.09567) - Authors (2025)  /  * **Title** [[paper]](url) [[code]](url)"

_PAPER_HOSTS = r"arxiv\.org|doi\.org|openreview\.net|aclanthology|\.pdf\b|/pdf/|proceedings|papers\.nips|ieee|acm\.org|springer|sciencedirect"
_GENERIC_HEADINGS = {"papers", "paper", "contents", "table of contents", "references", "resources",
                     "useful resources", "news", "links", "todo", "논문", "목차"}
# after the title: `_A, B._` or `*A, B.*` authors, then `Venue 2024.`
_EMPHASISED = re.compile(r"^\s*(?:_([^_]+)_|\*([^*]+)\*)\s*")
_VENUE = re.compile(r"^\s*([A-Za-z][\w&@'’./ -]{0,60}?\s(?:19|20)\d{2}(?:\s+[A-Z][\w-]*)*)\s*\.?(?=\s|$)")
_ITEM_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])+)\]\(([^()\s]+)\)")
_DATED = re.compile(r"^\s*\((\d{4})(?:-(\d{2}))?\)\s*")


def detect(lines: list[str]) -> bool:
    return fit(lines).lacks == ""


def fit(lines: list[str]) -> Fit:
    """At least three top-level items that read as papers, more than headings that do."""
    texts = [text for _, text in numbered(lines)]
    items = [b[1] for b in map(md.bullet, texts) if b is not None and b[0] == 0]
    papers = sum(1 for item in items if _title_of(item)[0] and _names_a_paper(item))
    headed = sum(1 for text in texts if (h := md.heading(text)) and md.links(h[1]))
    share = min(1.0, papers / 3)
    if papers < 3:
        return Fit(share, "no list of papers (`- [Title](url) - Authors`, `* **Title** [paper](url)`)")
    if papers <= headed:
        return Fit(share / 2, "more papers under headings than in list items")
    return Fit(1.0)


def _names_a_paper(item: str) -> bool:
    """An item links a paper (arXiv, DOI, a PDF, a venue's page) or shows authors and a year."""
    urls = [url for _, url in md.links(item)] + md.bare_urls(item)
    return (any(re.search(_PAPER_HOSTS, url, re.IGNORECASE) for url in urls)
            or bool(re.search(r"(?:19|20)\d{2}", md.plain(item)) and re.search(r"[_*]\w[^_*]*,", item)))


def parse(lines: list[str]) -> ParsedFile:
    papers: list[ParsedPaper] = []
    unplaced: list[Line] = []
    headings: list[tuple[Line, str]] = []
    title, tag = "", ""
    current: tuple[Line, list[Line], str] | None = None  # item, its nested lines, its tag
    for number, text in numbered(lines):
        found = md.heading(text)
        item = md.bullet(text)
        # lines come without their indentation: what follows an item and is neither a heading nor
        # an item with a title of its own is nested under it
        starts_item = item is not None and bool(_title_of(item[1])[0])
        own_item = item is not None and bool(re.search(r"\[\[[^\[\]]+\]\]\(https?://", item[1]))
        if current is not None and found is None and not starts_item and not own_item:
            current[1].append((number, text))
            continue
        if current is not None:
            papers.append(item_paper(*current))
            current = None
        if found is not None:
            level, words = found
            if level == 1 and not title:
                title = md.plain(words)
            elif level > 1:
                tag = _heading_tag(words)
            headings.append(((number, text), title if level == 1 else tag))
        elif item is not None and starts_item:
            current = ((number, item[1]), [], tag)
        else:
            unplaced.append((number, text))
    if current is not None:
        papers.append(item_paper(*current))
    own, stray = md.kept_headings(headings, title, {t for p in papers for t in p.tags})
    return single_digest(NAME, papers, unplaced + stray, title, tuple(own))


def _heading_tag(words: str) -> str:
    """A section heading as a tag; a year (`### 2023`) or a generic heading (`## Papers`) is none."""
    text = md.tag_text(words)
    return "" if re.fullmatch(r"\d{4}s?", text) or text.lower() in _GENERIC_HEADINGS else text


def _title_of(item: str) -> tuple[str, str, str]:
    """(title, its link's URL, the rest of the item) of an item: `[**Title.**](url)`,
    `[Title](url)`, `**Title**` or `*Title*`, after an optional `(2023-01)`; ("", "", item)
    when it starts with none of these."""
    rest = _DATED.sub("", item, count=1)
    link = re.match(r"^\[((?:[^\[\]]|\[[^\[\]]*\])+)\]\(([^()\s]+)\)", rest)
    if link and not link.group(1).startswith("!"):
        return _clean_title(link.group(1)), link.group(2), rest[link.end():]
    emphasised = re.match(r"^(\*\*|__)(.+?)\1|^([*_])(?!\s)(.+?)\3(?!\w)", rest)
    if emphasised and not re.match(r"\s*[:：]", rest[emphasised.end():]):  # `**Authors**:` is a field
        return _clean_title(emphasised.group(2) or emphasised.group(4)), "", rest[emphasised.end():]
    return _plain_title(rest) or ("", "", item)


_PAPER_LABEL = re.compile(r"^\[?(?:paper|pdf|arxiv|abs|openreview|doi)\]?$", re.IGNORECASE)


def _plain_title(rest: str) -> tuple[str, str, str] | None:
    """`Title. Authors. Venue 2024. [pdf](url)`, `Title [[Paper]](url)`: a plain title is the
    item's first sentence when a paper link (by its label or host) follows it."""
    for match in _ITEM_LINK.finditer(rest):
        label, url = md.plain(match.group(1)), match.group(2)
        if _PAPER_LABEL.match(label) or re.search(_PAPER_HOSTS, url, re.IGNORECASE):
            head = rest[:match.start()].strip()
            parts = re.split(r"(?<=[a-z0-9)\]?!])\.\s+(?=[A-Z])", head, maxsplit=1)
            title, after = (parts[0], parts[1]) if len(parts) == 2 else (head, "")
            title = _clean_title(title)
            if len(title.split()) < 2 or md.links(title):
                return None
            return title, "", f"{after} {rest[match.start():]}"
    return None


def _clean_title(text: str) -> str:
    """A title without its emphasis and the period a list puts after it (`**Title.**`)."""
    title = md.plain(text)
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


def item_paper(item: Line, nested: list[Line], tag: str) -> ParsedPaper:
    number, text = item
    title, url, rest = _title_of(text)
    found = md.identify(md.Identified(), "paper", url) if url else md.Identified()
    for label, link in md.links(rest):
        found = md.identify(found, label, link)
    for link in md.bare_urls(rest):
        found = md.identify(found, "", link)
    authors, venue = _authors_and_venue(rest)
    notes = nested
    if not authors and nested and _name_list(_nested_text(nested[0][1])):  # `    * A, B, C` below
        authors, notes = md.author_names(_nested_text(nested[0][1])), nested[1:]
    return ParsedPaper(line=number, title=title, arxiv=found.arxiv, doi=found.doi, authors=authors,
                       venue=venue, links=found.links, tags=(tag,) if tag else (),
                       commentary=_commentary(notes), lines=(number, *md.numbers(nested)))


def _nested_text(text: str) -> str:
    bare = md.unquoted(text.strip())
    item = md.bullet(bare)
    return item[1] if item else bare


def _name_list(text: str) -> bool:
    """A line that is only names: `Zhang-Wei Hong, Joni Pajarinen, Jan Peters`."""
    names = [n.strip() for n in re.split(r",|\band\b", text) if n.strip()]
    return (len(names) >= 2 and not re.search(r"[\d:;!?()\[\]]|\.$", text)
            and all(1 <= len(n.split()) <= 4 and n[:1].isupper() for n in names))


def _authors_and_venue(rest: str) -> tuple[tuple[str, ...], str | None]:
    """The authors and venue written after a title: `_A, B._ ICML 2024.`, `- A, B (2025)`,
    ` A et al.` before the links."""
    text = re.sub(r"\[(?:[^\[\]]|\[[^\[\]]*\])*\]\([^()]*\)", " ", rest)  # links are not authors
    text = re.sub(r"\s*\|\s*", " ", text).strip()
    emphasised = _EMPHASISED.match(text)
    if emphasised:
        authors = md.author_names(emphasised.group(1) or emphasised.group(2))
        venue = _VENUE.match(text[emphasised.end():])
        return authors, venue.group(1).strip() if venue else None
    text = re.sub(r"^[-–—:,]\s*", "", text)
    sentences = re.split(r"(?<=[a-z)])\.\s+", text)  # `A, B. ICML 2024.`
    venue = _VENUE.fullmatch(sentences[-1].rstrip(".")) if len(sentences) > 1 else None
    text = " ".join(sentences[:-1]) if venue else text
    year = re.search(r"\(?((?:19|20)\d{2})\)?\.?\s*$", text)
    names = text[:year.start()] if year else text
    if names and re.search(r"[A-Za-z]", names) and not re.search(r"[:!?]", names) and len(names) < 300:
        return md.author_names(names), venue.group(1).strip() if venue else None
    return (), venue.group(1).strip() if venue else None


def _commentary(nested: list[Line]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A paper's nested lines as commentary paragraphs, grouped by language."""
    by_lang: dict[str, list[str]] = {}
    for _, text in nested:
        for lang, piece in md.split_language(_nested_text(text)):
            by_lang.setdefault(lang, []).append(piece)
    return tuple((lang, tuple(by_lang[lang])) for lang in ("ko", "en") if lang in by_lang)
