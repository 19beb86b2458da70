"""What search engines, Google Scholar and link previews read in a page's head: descriptions
(plain text, shortened at a word), the `citation_*` meta of a paper and its JSON-LD.

Each is a function of one paper (and the site's settings), made once per paper per build by
`PaperMetadata`, which templates reach as the global `metadata`; what they return is escaped by
the templates like any text, except the JSON-LD, which is made inert here.
"""

from __future__ import annotations

import re
import json
from typing import Any
from urllib.parse import quote

import msgspec
from markupsafe import Markup, escape

from litdigest.build.jinja_env import clean_text, printable
from litdigest.build.library import Library
from litdigest.build.link_text import urls_read_short
from litdigest.content.model import Paper, SiteConfig

DESCRIPTION_LENGTH = 160  # what search results show of a description
ARXIV_ABS = "https://arxiv.org/abs/"
ARXIV_PDF = "https://arxiv.org/pdf/"
DOI_ORG = "https://doi.org/"
LOCALES = {"ko": "ko_KR", "en": "en_US"}

# Markdown that is markup, not text: images and links keep their text, autolinks their URL,
# `$math$` its TeX; emphasis and code marks, heading and quote marks and backslash escapes go.
# Each pattern runs only on text holding its first character (most text holds none).
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]*)>")
_MATH = re.compile(r"\$\$?([^$]+)\$\$?")
_LINE_MARKS = re.compile(r"^(?:#{1,6}\s+|>\s?)", re.MULTILINE)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_UNRESERVED_PATH = re.compile(r"[A-Za-z0-9/_.~-]*")  # what quote(path, safe="/") never changes


def plain_text(markdown: str) -> str:
    """The text a reader sees of a Markdown paragraph or two, on one line."""
    text = markdown
    if "](" in text:
        text = _LINK.sub(r"\1", text.replace("![", "["))
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
    if "$" in text:
        text = _MATH.sub(r"\1", text)
    if "#" in text or ">" in text:
        text = _LINE_MARKS.sub("", text)
    for mark in ("*", "`"):
        if mark in text:
            text = text.replace(mark, "")
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return one_line(text)


def one_line(text: str) -> str:
    """`text` with each line break and run of spaces one space, trimmed. Page text is cleaned on
    import (one kind of space, one kind of line break), so a few fast replacements do what
    splitting it into words would. What no page may hold is taken out where the text is
    written: by the templates' finalize (jinja_env.printable), by inert_json."""
    text = text.replace("\n", " ").strip()
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """`text` cut at the last word boundary within `limit` characters, with an ellipsis; a text
    without a space that early (a long Korean phrase, a URL) is cut at `limit`."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def describing_text(paper: Paper, language: str) -> str:
    """The paper's commentary in the site's language (English for a bilingual site), else in any
    language, else its abstract, as plain text."""
    preferred = "ko" if language == "ko" else "en"
    texts = [c.text for c in paper.commentary if c.lang == preferred]
    texts = texts or [c.text for c in paper.commentary]
    return plain_text(" ".join(texts) if texts else paper.abstract)


def site_base_url(config: SiteConfig) -> str:
    """The site's base URL, ending in one `/`: every absolute URL starts with it."""
    return config.base_url.rstrip("/") + "/"


def absolute_url(base_url: str, path: str) -> str:
    """The public URL of an output path (`papers/x/index.html` → `<base>papers/x/`), each
    segment percent-encoded as sitemaps and canonical links want it (a Korean tag, say)."""
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    if _UNRESERVED_PATH.fullmatch(path):  # nearly every path: quote would give it back as it is
        return base_url + path
    return base_url + quote(path, safe="/")


def arxiv_id(paper: Paper) -> str | None:
    """The paper's arXiv identifier, from its id or its `arxiv` link."""
    return _identifier(paper, "arxiv", (ARXIV_ABS, "http://arxiv.org/abs/"))


def doi(paper: Paper) -> str | None:
    """The paper's DOI, from its id or its `doi` link."""
    return _identifier(paper, "doi", (DOI_ORG, "http://doi.org/", "https://dx.doi.org/"))


def _identifier(paper: Paper, kind: str, prefixes: tuple[str, ...]) -> str | None:
    """What follows `kind:` in the paper's id, else what follows one of `prefixes` in its link
    named `kind`."""
    if paper.id.startswith(f"{kind}:"):
        return paper.id[len(kind) + 1:]
    link = paper.link(kind) or ""
    for prefix in prefixes:
        if link.startswith(prefix) and len(link) > len(prefix):
            return link[len(prefix):]
    return None


def pdf_url(paper: Paper) -> str | None:
    """Where the paper's PDF is: its `pdf` link, else arXiv's PDF of its arXiv id."""
    link = paper.link("pdf")
    if link and link.lower().startswith(("https://", "http://")):
        return link
    number = arxiv_id(paper)
    return f"{ARXIV_PDF}{number}" if number else None


def citation_meta(paper: Paper) -> tuple[tuple[str, str], ...]:
    """Google Scholar's `citation_*` meta, in its documented order: title, each author, the
    publication date (YYYY/MM/DD), then the identifiers and the PDF it knows."""
    return tuple((name, printable(value)) for name, value in _citation_pairs(paper, _Known(paper)))


def _citation_pairs(paper: Paper, known: _Known) -> list[tuple[str, str]]:
    """citation_meta's pairs, their values not yet made printable."""
    meta = [("citation_title", paper.title)]
    meta += [("citation_author", author) for author in paper.authors]
    if paper.date:
        meta.append(("citation_publication_date", paper.date.replace("-", "/")))
    if known.arxiv:
        meta.append(("citation_arxiv_id", known.arxiv))
    if known.doi:
        meta.append(("citation_doi", known.doi))
    if known.pdf:
        meta.append(("citation_pdf_url", known.pdf))
    return meta


# The UTF-8 of every character JSON leaves as it is and a page may not hold as it is (DEL, the
# C1 controls, U+2028, U+2029, U+FDD0-U+FFFF's noncharacters), by a byte it begins with, or
# more: a JSON text holding none of these (nearly every one) need not be looked at further.
_UNPRINTABLE_UTF8 = (b"\x7f", b"\xc2", b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef")


def escaped_texts(values: list[Any]) -> list[str]:
    """Each value as a template's `{{ … }}` writes it (made printable, then escaped; Markup as
    it is). Plain strings, the usual case, are escaped in one call: joined by a NUL, which no
    printable text holds and escaping leaves alone."""
    if not all(type(value) is str for value in values):
        return [str(escape(printable(value))) for value in values]
    if not "".join(values).isprintable():  # the rare text to clean (printable)
        values = [printable(value) for value in values]
    return str(escape("\0".join(values))).split("\0")


def inert_json(text: str) -> Markup:
    """JSON text made safe inside a `<script>` element: `<`, `>` and `&` are written as
    `\\u003c` … so no text can close the element or open a comment; JSON readers see the same
    characters."""
    if not text.isprintable():  # JSON escapes line breaks: this is the rare case
        text = clean_text(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return _inert_printable(text)


def _inert_printable(text: str) -> Markup:
    """inert_json of a text known to be printable."""
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        if char in text:
            text = text.replace(char, escaped)
    return Markup(text)


def site_head(config: SiteConfig) -> Markup:
    """The head meta every page shares, made once: the site's name, its locale (and Korean as
    the other, for a site in both languages), and the Twitter card, which reads its title and
    description from OpenGraph's."""
    locale = LOCALES.get(config.default_language, LOCALES["en"])
    lines = [f'<meta property="og:site_name" content="{escape(printable(config.title))}">',
             f'<meta property="og:locale" content="{locale}">']
    if config.default_language == "both":
        lines.append(f'<meta property="og:locale:alternate" content="{LOCALES["ko"]}">')
    lines.append('<meta name="twitter:card" content="summary">')
    return Markup("\n".join(lines))


class PaperMetadata:
    """Descriptions and head metadata of the papers of one build, each made once."""

    def __init__(self, library: Library, base_url: str) -> None:
        self.library, self.base_url = library, base_url
        self.language = library.config.default_language
        self.descriptions: dict[int, str] = {}  # by id() of papers the library keeps alive
        self.labels: dict[str, str] = {}  # tags' English labels, by name
        self.site_head = site_head(library.config)

    def description(self, paper: Paper) -> str:
        known = self.descriptions.get(id(paper))
        if known is None:
            known = self.descriptions[id(paper)] = shorten(describing_text(paper, self.language))
        return known

    def excerpts(self, paper: Paper, digest: str) -> tuple[tuple[str, str], ...]:
        """(language, the start of its commentary as plain text, cut at a word near 160
        characters) for each language `digest` commented on the paper in, in its order: what
        the digest's listing shows of it."""
        by_lang: dict[str, list[str]] = {}
        for block in paper.commentary:
            if paper.posted_in(block) == digest:
                by_lang.setdefault(block.lang, []).append(block.text)
        return tuple((lang, shorten(urls_read_short(plain_text(" ".join(texts)))))
                     for lang, texts in by_lang.items())

    def head(self, paper: Paper) -> Markup:
        """The paper's page's own head: Google Scholar's meta, then its JSON-LD. Made here in one
        string rather than in a template loop (a paper has many authors, its page is one of
        thousands), its values escaped in one call (escaped_texts)."""
        known = _Known(paper)
        meta = _citation_pairs(paper, known)
        escaped = escaped_texts([value for _, value in meta])
        lines = [f'<meta name="{name}" content="{value}">\n'
                 for (name, _), value in zip(meta, escaped)]
        lines.append(f'<script type="application/ld+json">{self.json_ld(paper, known)}</script>\n')
        return Markup("".join(lines))

    def page_head(self, page_url: str | None, og_type: object, og_title: object,
                  description: object) -> Markup:
        """The head meta of every page, for base.html: its description, its canonical URL and
        OpenGraph's (none for the 404 page, served at any URL), OpenGraph's type, title and
        description, then the site's own (site_head). One call with its values escaped at once,
        rather than a template line each: every page of the site has them."""
        values = [description, og_type, og_title, *([page_url] if page_url else [])]
        text, kind, title, *url = escaped_texts(values)
        lines = [f'<meta name="description" content="{text}">\n']
        if url:
            lines += [f'<link rel="canonical" href="{url[0]}">\n',
                      f'<meta property="og:url" content="{url[0]}">\n']
        lines += [f'<meta property="og:type" content="{kind}">\n',
                  f'<meta property="og:title" content="{title}">\n',
                  f'<meta property="og:description" content="{text}">\n', self.site_head]
        return Markup("".join(lines))

    def json_ld(self, paper: Paper, known: _Known | None = None) -> Markup:
        """schema.org's ScholarlyArticle for the paper, as inert JSON, encoded in one call by
        msgspec (in C, compact, keys in the order given: the same bytes as json's own encoder
        with no spaces, at a fraction of the cost on every paper's page)."""
        known = known or _Known(paper)
        title = paper.title
        document: dict[str, object] = {
            "@context": "https://schema.org", "@type": "ScholarlyArticle", "headline": title,
            "name": title, "url": absolute_url(self.base_url, f"papers/{paper.slug}/"),
            "author": [{"@type": "Person", "name": name} for name in paper.authors]}
        if paper.date:
            document["datePublished"] = paper.date
        description = self.description(paper)  # the page's own; the whole abstract would
        if description:  # double the page's head, for no reader of it
            document["description"] = description
        if paper.tags:
            document["keywords"] = [self._label(name) for name in paper.tags]
        ids = [(kind, value, same) for kind, value, same in
               (("arXiv", known.arxiv, f"{ARXIV_ABS}{known.arxiv}"),
                ("DOI", known.doi, f"{DOI_ORG}{known.doi}")) if value]
        if ids:
            document["identifier"] = [{"@type": "PropertyValue", "propertyID": kind, "value": value}
                                      for kind, value, _ in ids]
            document["sameAs"] = [same for _, _, same in ids]
        try:
            data = _JSON.encode(document)
        except UnicodeEncodeError:  # a lone surrogate (no file read as UTF-8 holds one)
            return inert_json(json.dumps(document, ensure_ascii=False, separators=(",", ":")))
        if any(lead in data for lead in _UNPRINTABLE_UTF8):
            return inert_json(data.decode("utf-8"))
        return _inert_printable(data.decode("utf-8"))

    def _label(self, name: str) -> str:
        """A tag's English label, as JSON-LD's keywords name it, looked up once per tag."""
        label = self.labels.get(name)
        if label is None:
            entry = self.library.tags.get(name)
            label = self.labels[name] = entry.tag.label("en") if entry is not None else name
        return label


_JSON = msgspec.json.Encoder()


class _Known:
    """A paper's identifiers and PDF, worked out once for its citation meta and its JSON-LD."""

    __slots__ = ("arxiv", "doi", "pdf")

    def __init__(self, paper: Paper) -> None:
        self.arxiv, self.doi, self.pdf = arxiv_id(paper), doi(paper), pdf_url(paper)
