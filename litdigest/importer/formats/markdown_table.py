"""The `markdown-table` format: Markdown tables of papers, as the daily-arXiv repositories publish
them (`|Publish Date|Title|Authors|PDF|Code|` rows such as `|**2025-03-12**|**Title**|A et.al.|
[2503.09567](http://arxiv.org/abs/2503.09567)|null|`), one row a paper. A header row decides
which column is which; a table without one is read by what its cells hold. Section headings
(`## Language Models`) are the rows' tags, a date column the paper's own date."""

from __future__ import annotations

import re

from litdigest.importer.formats import markdown_text as md
from litdigest.importer.formats.lines import Line, numbered
from litdigest.importer.formats.parsed import Fit, ParsedFile, ParsedPaper, single_digest

NAME = "markdown-table"
LISTED = 10  # its place in FORMAT_NAMES
EXAMPLE = "|Publish Date|Title|Authors|PDF|Code| / |**2025-03-12**|**Title**|A et.al.|[2503.09567](…)|null|"

_ROLES = (("date", r"date|published|submitted|time|day|날짜|日期"),
          ("title", r"title|paper|name|제목|论文|标题"),
          ("authors", r"authors?|저자|作者"),
          ("abstract", r"abstract|summary|tl;?dr|요약|摘要"),
          ("tags", r"tags?|keywords?|topics?|categor(?:y|ies)|subjects?|키워드|关键词"),
          ("code", r"code|github|repo(?:sitory)?|코드|代码"),
          ("link", r"pdf|url|link|arxiv|id|doi|논문|链接"))


def detect(lines: list[str]) -> bool:
    return fit(lines).lacks == ""


def fit(lines: list[str]) -> Fit:
    """At least two rows that read as papers, and rows are a fair part of the file."""
    texts = [text for _, text in numbered(lines)]
    rows = [text for text in texts if md.is_table_row(text) and not md.is_separator_row(text)]
    papers = sum(1 for row in rows if _reads_as_paper(md.cells(row)))
    prose = sum(1 for text in texts if not md.is_table_row(text) and md.heading(text) is None)
    share = min(1.0, papers / 2) * (0.5 if papers and papers < prose / 3 else 1.0)
    if papers < 2:
        return Fit(share, "no Markdown table rows of papers (`|date|title|authors|[id](url)|`)")
    if papers < prose / 3:
        return Fit(share, "more prose than table rows of papers")
    return Fit(1.0)


def _reads_as_paper(row: list[str]) -> bool:
    """A row with a title-like cell (three words or more) and a link or an arXiv id."""
    has_title = any(len(md.plain(cell).split()) >= 3 for cell in row)
    has_link = any(md.links(cell) or md.bare_urls(cell) for cell in row)
    return len(row) >= 2 and has_title and has_link


def parse(lines: list[str]) -> ParsedFile:
    papers: list[ParsedPaper] = []
    own: list[int] = []
    unplaced: list[Line] = []
    headings: list[tuple[Line, str]] = []
    title = ""
    tag = ""
    roles: list[str] | None = None
    rows = numbered(lines)
    for index, (number, text) in enumerate(rows):
        found = md.heading(text)
        if found is not None:
            level, words = found
            if level == 1 and not title:
                title = md.plain(words)
            elif level > 1:
                tag = "" if md.cell_date(words) or re.search(r"\d{4}[-./]\d", words) else md.tag_text(words)
            headings.append(((number, text), title if level == 1 else tag))
            roles = None
        elif md.is_separator_row(text):
            own.append(number)
        elif md.is_table_row(text):
            following = rows[index + 1][1] if index + 1 < len(rows) else ""
            if md.is_separator_row(following):
                roles = header_roles(md.cells(text))
                own.append(number)
                continue
            paper = row_paper(number, md.cells(text), roles, tag)
            if paper is None:
                unplaced.append((number, text))
            else:
                papers.append(paper)
        else:  # prose ends a table; HTML or a shortcode around one (`{{< table >}}`) does not
            roles = None if not text.startswith(("<", "{")) else roles
            unplaced.append((number, text))
    kept, stray = md.kept_headings(headings, title, {t for p in papers for t in p.tags})
    return single_digest(NAME, papers, unplaced + stray, title, tuple(own + kept))


def header_roles(header: list[str]) -> list[str]:
    """The role of each column, from its header's name; "" for a column no role names."""
    roles = []
    for name in header:
        bare = md.plain(name).lower()
        role = next((role for role, pattern in _ROLES if re.search(pattern, bare)), "")
        roles.append(role if role not in roles else "")
    return roles


def guessed_roles(row: list[str]) -> list[str]:
    """The roles of a header-less row's cells, by what they hold: a date, an arXiv or paper link,
    a code link, a name list (`A et.al.`, commas), and the title (the first other cell of words)."""
    roles = []
    for cell in row:
        bare = md.plain(cell)
        urls = [url for _, url in md.links(cell)] + md.bare_urls(cell)
        if md.cell_date(cell) and len(bare) <= 30:
            role = "date"
        elif urls and md.link_kind(bare, urls[0]) == "code":
            role = "code"
        elif urls and len(bare.split()) <= 2:
            role = "link"
        elif re.search(r"\bet\.?\s*al\b", bare) or (bare.count(",") >= 2 and len(bare) / (bare.count(",") + 1) < 25):
            role = "authors"
        elif "title" not in roles and len(bare.split()) >= 2:
            role = "title"
        else:
            role = ""
        roles.append(role if role not in roles else "")
    return roles


def row_paper(number: int, row: list[str], roles: list[str] | None, tag: str) -> ParsedPaper | None:
    """A paper from one row; None when the row names no title and no identifier."""
    roles = roles if roles is not None and "title" in roles else guessed_roles(row)
    found = md.Identified()
    fields: dict[str, str] = {}
    for role, cell in zip(roles, row):
        if md.is_empty_cell(cell):
            continue
        for label, url in md.links(cell):
            found = md.identify(found, "code" if role == "code" else label, url)
        for url in md.bare_urls(cell):
            found = md.identify(found, "code" if role == "code" else role, url)
        if role and role not in ("link", "code"):
            fields[role] = cell
    title = md.plain(fields.get("title", ""))
    if not title and not found.arxiv and not found.doi:
        return None
    tags = tuple(t for t in (tag, *_cell_tags(fields.get("tags", ""))) if t)
    return ParsedPaper(line=number, title=title, arxiv=found.arxiv, doi=found.doi,
                       authors=md.author_names(fields.get("authors", "")),
                       abstract=md.plain(fields.get("abstract", "")), links=found.links, tags=tags,
                       published=md.cell_date(fields["date"]) if "date" in fields else None,
                       lines=(number,))


def _cell_tags(cell: str) -> list[str]:
    return [t.strip().lstrip("#") for t in re.split(r"[,;]|\s#|<br>", md.plain(cell)) if t.strip()]
