"""What one paper's lines in a Markdown note say, line by line: labelled fields (`Authors:`,
`**作者**:`, `- URL:`, `Published:`, `Tags:`), link lines, author lines, the abstract and the
commentary; and a note's YAML front matter. A builder reads each line once (linear), then gives
the paper."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from litdigest.importer.formats import markdown_text as md
from litdigest.importer.formats.bilingual_daily import authors_of, is_tag_line, tags_of
from litdigest.importer.formats.lines import Line
from litdigest.importer.formats.parsed import ParsedPaper
from litdigest.importer import identity as ids
from litdigest.importer.formats.references import add_link, link_name, reference

_LABELS = (("authors", r"authors?|저자|作者|著者"),
           ("date", r"published|publish date|date|submitted|발표일?|发布日期|日期|公開日"),
           ("tags", r"tags?|(?:topic )?keywords?|키워드|关键词|태그"),
           ("venue", r"venue|conference|journal|학회|会议|期刊"),
           ("title", r"title|제목|标题"),
           ("abstract", r"abstract|초록|摘要"),
           ("link", r"url|link|arxiv|pdf|paper|code|github|project(?: page)?|source url|pdf url|doi"))
_FIELD = re.compile(r"^(?:[-*+]\s+)?(?:\*\*|__)?([^:*_：]{1,24}?)(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*(.*)$")
_FRONT_KEYS = {"tags": "tags", "keywords": "tags", "title": "title", "authors": "authors",
               "author": "authors", "url": "link", "arxiv": "link", "link": "link", "doi": "link",
               "published": "date", "date": "date", "venue": "venue", "abstract": "abstract"}


@dataclass(frozen=True)
class LineKind:
    is_field: bool  # a labelled field a paper has: `Authors: …`, `arXiv: …`
    is_reference: bool  # nothing but links or an identifier


def label_of(text: str) -> tuple[str, str] | None:
    """(field, value) of a labelled line such as `- **Authors**: A, B`, else None."""
    match = _FIELD.match(md.unquoted(text))
    if not match:
        return None
    label = md.plain(match.group(1)).strip().lower()
    kind = next((name for name, pattern in _LABELS if re.fullmatch(pattern, label)), None)
    return (kind, match.group(2).strip()) if kind else None


def read_line(text: str) -> LineKind:
    labelled = label_of(text)
    reference_line = is_reference_line(text)
    field = labelled is not None and (
        labelled[0] in ("authors", "venue") and bool(re.search(r"[^\W_]", labelled[1]))
        or labelled[0] == "date" and md.cell_date(labelled[1]) is not None
        or labelled[0] == "link" and (reference_line or bool(md.bare_urls(labelled[1]) or md.links(labelled[1]))))
    return LineKind(field, reference_line)


def is_reference_line(text: str) -> bool:
    """A line of links only (`[arXiv](…) | [code](…)`, a bare URL, `arXiv:2503.09567`)."""
    bare = md.unquoted(text)
    if reference(bare) is not None:
        return True
    rest = re.sub(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\([^()]*\)", " ", bare)
    rest = re.sub(r"https?://\S+", " ", rest)
    has_link = bool(md.bare_urls(bare) or any(re.match(r"https?://", u) for _, u in md.links(bare)))
    return has_link and not re.search(r"[^\W_]", rest)


@dataclass
class NoteFields:
    """The fields of one paper, filled in line by line (a builder: lists grow in place)."""

    title: str = ""
    identified: md.Identified = md.Identified()
    authors: tuple[str, ...] = ()
    venue: str | None = None
    published: dt.date | None = None
    tags: list[str] = field(default_factory=list)
    abstract: list[str] = field(default_factory=list)
    commentary: dict[str, list[str]] = field(default_factory=dict)
    quoting: bool = False  # inside the quoted abstract right under the title
    another: bool = False  # the last line named another paper's id: not this paper's line

    def with_title_line(self, words: str) -> NoteFields:
        """The title from a heading or an emphasised line, and what it links or lists."""
        for label, url in md.links(words):
            self.identified = md.identify(self.identified, label, url)
        for url in md.bare_urls(words):
            self.identified = md.identify(self.identified, "", url)
        emphasised = re.match(r"^(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1\s*\((.+)\)\s*[.:]?$", words)
        if emphasised:
            self.authors = md.author_names(emphasised.group(3))
            words = emphasised.group(2)
        words = md.link_texts(words)
        words = re.sub(r"[(\[<]?\s*https?://\S+?\s*[)\]>]?(?=\s|$)", " ", words)
        title = re.sub(r"^\d{1,3}[.)]\s+", "", md.plain(words).strip(" -–—:|"))  # `### 1. Title`
        self.title = "" if re.fullmatch(r"(?:\S+\.pdf|www\.\S+)", title) else title
        self.quoting = True
        return self

    def with_authors(self, names: tuple[str, ...]) -> NoteFields:
        """The authors a title line names beside the title (`Title (A, B)`)."""
        self.authors = names
        return self

    def with_line(self, text: str, *, in_abstract: bool, fenced: bool) -> NoteFields:
        if fenced:
            self._comment(text)
            return self
        quoted = md.is_quote(text)
        bare = md.unquoted(text)
        item = md.bullet(bare)
        bare = item[1] if item else bare
        labelled = label_of(bare)
        self.another = (is_reference_line(bare) or (labelled is not None and labelled[0] == "link")) \
            and self._names_another_paper(bare)
        if self.another:
            pass  # a second, different arXiv id or DOI: the caller reports the line
        elif labelled is not None and self._field(*labelled, line=bare):
            pass
        elif is_tag_line(bare):
            self.tags += tags_of(bare)
        elif not self.authors and authors_of(bare) is not None:
            self.authors = authors_of(bare) or ()
        elif is_reference_line(bare) or _author_links(bare):
            self._links(bare)
        elif not re.search(r"[^\W_]", md.without_embeds(bare)):
            pass  # an image, a rule, an empty item: nothing a reader reads
        elif in_abstract or (quoted and self.quoting and not self.commentary):
            self.abstract.append(md.plain(bare))
            return self
        elif md.only_wikilinks(bare):
            self._comment(md.plain(md.without_embeds(bare)))
        else:
            self._comment(_numbered(md.unquoted(text), bare) if item else bare)
            self.quoting = False  # prose under the title: a later quote is commentary
        return self

    def _field(self, kind: str, value: str, line: str = "") -> bool:
        """Whether the labelled line gave its field something; one that did not is commentary."""
        if not re.search(r"[^\W_]", value):
            return False
        if kind == "authors" and not self.authors:
            self.authors = md.author_names(value)
        elif kind == "date" and md.cell_date(value):
            self.published = self.published or md.cell_date(value)
        elif kind == "tags":
            coded = re.findall(r"`([^`]+)`", value)
            self.tags += coded or [t for t in re.split(r"[,;#]|\s{2,}", md.plain(value)) if t.strip()]
        elif kind == "venue" and not self.venue:
            self.venue = md.plain(value)
        elif kind == "title" and not self.title:
            self.title = md.plain(value)
        elif kind == "abstract":
            self.abstract.append(md.plain(value))
        elif kind == "link":  # `arXiv: 2503.09567` names its id only with its label
            before = self.identified
            self._links(line or value)
            if self.identified != before and not is_reference_line(value) and reference(line) is None:
                self._comment(line)  # words beside the link (`Code: https://… (soon)`) are kept
            return self.identified != before
        else:
            return False
        return True

    def _names_another_paper(self, text: str) -> bool:
        """Whether `text` names an arXiv id or DOI other than the one this paper has."""
        urls = [url for _, url in md.links(text)] + md.bare_urls(text)
        ref = reference(text)
        arxivs = {ids.arxiv_id(url) for url in urls} | {ref.value if ref and ref.kind == "arxiv" else None}
        dois = {ids.doi_id(url) for url in urls} | {ref.value if ref and ref.kind == "doi" else None}
        found = self.identified
        return (found.arxiv is not None and bool(arxivs - {None, found.arxiv})
                or found.doi is not None and bool(dois - {None, found.doi}))

    def _links(self, text: str) -> None:
        ref = reference(text)  # a whole line naming one id or link, as every format reads it
        if ref is not None and ref.kind not in ("arxiv", "doi"):
            links = add_link(list(self.identified.links), ref.kind, ref.value)
            self.identified = replace(self.identified, links=tuple(links))
            return
        for label, url in md.links(text):
            if re.match(r"https?://", url):
                self.identified = md.identify(self.identified, label, url)
            elif not url.startswith("#") and not self.authors:
                self.authors = (label,)
            elif not url.startswith("#"):
                self.authors = (*self.authors, label)
        labelled = _FIELD.match(text)  # `Code: https://…`, `Project page: https://…` name their link
        label = md.plain(labelled.group(1)).lower() if labelled else ""
        for url in md.bare_urls(text):
            if label and not re.fullmatch(r"url|link|arxiv|pdf|paper|doi|source url|pdf url", label) \
                    and not ids.arxiv_id(url) and not ids.doi_id(url):
                links = add_link(list(self.identified.links), link_name(label), url)
                self.identified = replace(self.identified, links=tuple(links))
            else:
                self.identified = md.identify(self.identified, label, url)
        ref = reference(text)
        if ref is not None and ref.kind == "arxiv" and self.identified.arxiv is None:
            self.identified = replace(self.identified, arxiv=ref.value)
        if ref is not None and ref.kind == "doi" and self.identified.doi is None:
            self.identified = replace(self.identified, doi=ref.value)

    def _comment(self, text: str) -> None:
        if not text:
            return
        for lang, piece in md.split_language(text):
            self.commentary.setdefault(lang, []).append(piece)

    def paper(self, line: int, lines: tuple[int, ...]) -> ParsedPaper:
        found = self.identified
        return ParsedPaper(line=line, title=self.title, arxiv=found.arxiv, doi=found.doi,
                           authors=self.authors, venue=self.venue, links=found.links,
                           tags=tuple(t.strip() for t in self.tags if t.strip()),
                           abstract=" ".join(self.abstract),
                           commentary=tuple((lang, tuple(self.commentary[lang]))
                                            for lang in ("ko", "en") if lang in self.commentary),
                           published=self.published, lines=lines)

    def fill(self, paper: ParsedPaper, own: tuple[int, ...]) -> ParsedPaper:
        """`paper` with the front matter's fields where it has none of its own."""
        found = self.identified
        return replace(paper, title=paper.title or self.title, arxiv=paper.arxiv or found.arxiv,
                       doi=paper.doi or found.doi, authors=paper.authors or self.authors,
                       venue=paper.venue or self.venue, published=paper.published or self.published,
                       tags=tuple(dict.fromkeys((*self.tags, *paper.tags))),
                       abstract=paper.abstract or " ".join(self.abstract),
                       links=tuple(dict.fromkeys((*paper.links, *found.links))),
                       lines=tuple(sorted({*paper.lines, *own})))


def _author_links(text: str) -> bool:
    """A line of links to author pages (`[Name](../Authors/name.md) [Name](…)`), nothing else."""
    found = md.links(text)
    rest = re.sub(r"\[[^\[\]]*\]\([^()]*\)", " ", text)
    return bool(found) and all(not re.match(r"https?://|#", url) for _, url in found) \
        and not re.search(r"[^\W_]", rest)


def front_matter(rows: list[Line]) -> tuple[tuple[NoteFields, tuple[int, ...]] | None, list[Line]]:
    """A note's front matter (`---` … `---` first in the file) read into fields, with its line
    numbers; and the rows after it. Read as simple `key: value` lines and `- item` lists, not as
    YAML: Obsidian titles carry colons (`title: WebGPT: Browser-assisted …`) YAML refuses."""
    if not rows or rows[0][1] != "---":
        return None, rows
    end = next((i for i in range(1, min(len(rows), 200)) if rows[i][1] in ("---", "...")), None)
    if end is None:
        return None, rows
    values: dict[str, list[str]] = {}
    key = ""
    for _, text in rows[1:end]:
        item = re.match(r"^-\s+(.*)$", text)
        pair = re.match(r"^([A-Za-z_][\w -]*?)\s*:\s*(.*)$", text)
        if item and key:
            values.setdefault(key, []).append(_unquote(item.group(1)))
        elif pair:
            key = pair.group(1).strip().lower()
            value = pair.group(2).strip()
            listed = re.fullmatch(r"\[(.*)\]", value)
            values[key] = ([_unquote(v) for v in listed.group(1).split(",") if v.strip()] if listed
                           else [_unquote(value)] if value else [])
    fields = NoteFields()
    for name, found in values.items():
        kind = _FRONT_KEYS.get(name)
        if kind is None or not found:
            continue
        if kind == "tags":
            fields.tags += [t.lstrip("#") for v in found for t in re.split(r"[,\s]+", v) if t]
        elif kind == "authors":
            fields.authors = tuple(found) if len(found) > 1 else md.author_names(found[0])
        else:
            for one in found:
                fields._field(kind, one)
    return (fields, tuple(number for number, _ in rows[:end + 1])), rows[end + 1:]


def _unquote(text: str) -> str:
    text = text.strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'" else text


def _numbered(item: str, words: str) -> str:
    """A numbered list item of commentary as its number and words (`3. 하이퍼파라미터 …`): the
    number is part of what it says; a bullet's mark is not."""
    number = re.match(r"\s*(\d{1,9}[.)])\s", item)
    return f"{number.group(1)} {words}" if number else words
