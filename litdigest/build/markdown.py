"""Markdown to HTML for abstracts and commentary: text, never trusted HTML.

markdown-it-py with raw HTML off, `::: commentary <lang>` containers and `$math$` through
mdit-py-plugins; math becomes MathML (no JavaScript, no CDN) through latex2mathml, and that
MathML is re-serialized through an allow-list so TeX can never smuggle in markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser
from typing import Any, Callable

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

from litdigest.content.model import Paper
from litdigest.content.pages import join_body

LIVE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class RenderedBody:
    """A paper's body as HTML: the abstract, then each commentary block by language."""

    abstract_html: str
    commentary: tuple[tuple[str, str], ...]  # (lang, html)

    @property
    def bilingual(self) -> bool:
        """Commentary in Korean and in English: the paper gets a language switch of its own."""
        langs = {lang for lang, _ in self.commentary}
        return "ko" in langs and "en" in langs


def make_markdown() -> MarkdownIt:
    """The one Markdown dialect of litdigest pages."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.linkify = PrefilteredLinkify()
    md.enable(["linkify", "table", "strikethrough"])
    md.validateLink = _is_live_link  # type: ignore[method-assign]
    dollarmath_plugin(md, allow_space=False, allow_digits=False, allow_labels=False,
                      renderer=_memoized(_math_to_mathml))
    container_plugin(md, name="commentary")
    return md


def warm_up() -> None:
    """Do now what rendering the first body would: import latex2mathml and compile linkify's
    patterns (Python keeps them). render.ready calls it: in a full build while the other
    processes read the content (pipeline._Readying), so no render process does it again; in
    `serve` while it waits for the first save, so that save is shown as fast as the later ones."""
    import latex2mathml.converter  # noqa: F401

    render_body(make_markdown(), Paper(id="", slug="", title="", abstract="$x$ www.example.org"))


class PrefilteredLinkify(LinkifyIt):  # type: ignore[misc]
    """linkify-it with a cheap first look: most text cannot hold a link at all.

    linkify-it's own pretest is one large Unicode regular expression, slow on every paragraph;
    `_may_hold_link` is true wherever it could be (see there), so the answer is the same, sooner.
    """

    def pretest(self, text: str) -> bool:
        return _may_hold_link(text) and bool(super().pretest(text))


# linkify-it's pretest (case-insensitive) is: a schema (http: https: ftp: mailto: //), or `@`, or
# its fuzzy-host test: localhost, www., a dot and one to three digits and a dot (an IP address),
# or a dot and a top-level domain — every one of which starts with two letters (com, de, рф,
# xn--…). Case-folding covers the case-insensitive match of every letter involved except the
# dotless ı, which matches i; so a text with none of these cannot pass it.
_FUZZY_DOT = re.compile(r"\.(?:[^\W\d_]{2}|\d{1,3}\.)")


def _may_hold_link(text: str) -> bool:
    if "@" in text or "//" in text or "\u0131" in text:
        return True
    folded = text.casefold()
    if ":" in text and ("http" in folded or "ftp:" in folded or "mailto:" in folded):
        return True
    return "www." in folded or "localhost" in folded or _FUZZY_DOT.search(text) is not None


def _memoized(render: Callable[[str, dict[str, Any]], str]) -> Callable[[str, dict[str, Any]], str]:
    """The same formula gives the same MathML: convert each (TeX, display) pair once per parser."""
    seen: dict[tuple[str, bool], str] = {}

    def cached(tex: str, options: dict[str, Any]) -> str:
        key = (tex, bool(options.get("display_mode")))
        html = seen.get(key)
        if html is None:
            html = seen[key] = render(tex, options)
        return html

    return cached


def _is_live_link(url: str) -> bool:
    return url.strip().lower().startswith(LIVE_SCHEMES)


def render_body(md: MarkdownIt, paper: Paper) -> RenderedBody:
    """Parse a paper's body once and split the HTML at its commentary containers."""
    tokens = md.parse(join_body(paper.abstract, paper.commentary))
    abstract: list[Token] = []
    blocks: list[tuple[str, list[Token]]] = []
    depth = 0
    for token in tokens:
        if token.type == "container_commentary_open":
            if depth == 0:
                blocks.append((_lang_of(token), []))
                depth += 1
                continue
            depth += 1
        elif token.type == "container_commentary_close":
            depth -= 1
            if depth == 0:
                continue
        (blocks[-1][1] if depth else abstract).append(token)
    render = md.renderer.render
    return RenderedBody(
        abstract_html=render(abstract, md.options, {}),
        commentary=tuple((lang, render(toks, md.options, {})) for lang, toks in blocks),
    )


def _lang_of(token: Token) -> str:
    words = token.info.split()
    return words[1] if len(words) > 1 else ""


# ---- math ---------------------------------------------------------------------------------

def _math_to_mathml(tex: str, options: dict[str, Any]) -> str:
    import latex2mathml.converter  # only sites with math pay for importing it

    display = "block" if options.get("display_mode") else "inline"
    try:
        mathml = latex2mathml.converter.convert(tex, display=display)
    except Exception:  # latex2mathml raises many types on TeX it does not know
        return f'<code class="math-source">{escape(tex)}</code>'
    return sanitize_mathml(mathml)


MATHML_TAGS = frozenset(
    "math mrow mi mn mo ms mtext mspace msqrt mroot mfrac msub msup msubsup munder mover "
    "munderover mtable mtr mtd mstyle mpadded mphantom menclose merror semantics annotation "
    "mmultiscripts mprescripts none".split())
MATHML_ATTRS = frozenset(
    "display stretchy mathvariant fence separator lspace rspace accent accentunder "
    "movablelimits columnalign columnlines columnspacing rowspacing rowlines rowalign width "
    "height depth linethickness minsize maxsize symmetric largeop form notation open close "
    "scriptlevel displaystyle frame framespacing equalrows equalcolumns encoding".split())


class _MathMLSanitizer(HTMLParser):
    """Re-serializes MathML, keeping only allow-listed elements and attributes.

    latex2mathml copies the text of `\\text{…}` into `<mtext>` unescaped, so markup a person
    typed there (`$\\text{<b>x</b>}$`) reaches this parser as tags: anything that is not an
    allow-listed MathML element is that typed text, and is kept as text, never as markup.
    """

    CDATA_CONTENT_ELEMENTS = ()  # a typed `<script>` or `<style>` is text like any other tag

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in MATHML_TAGS:
            self._as_text(self.get_starttag_text() or "")
            return
        kept = "".join(f' {k}="{escape(v or "")}"' for k, v in attrs if k in MATHML_ATTRS)
        self.out.append(f"<{tag}{kept}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in MATHML_TAGS:
            self._as_text(self.get_starttag_text() or "")
            return
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in MATHML_TAGS:
            self.out.append(f"</{tag}>")
        else:
            self._as_text(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        self._as_text(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._as_text(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self._as_text(f"<![{data}]]>")

    def handle_pi(self, data: str) -> None:
        self._as_text(f"<?{data}>")

    def _as_text(self, raw: str) -> None:
        self.out.append(escape(unescape(raw), quote=False))


def sanitize_mathml(mathml: str) -> str:
    parser = _MathMLSanitizer()
    parser.feed(mathml)
    parser.close()
    return "".join(parser.out)
