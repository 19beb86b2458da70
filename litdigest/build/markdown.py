"""Markdown to HTML for abstracts and commentary: text, never trusted HTML.

markdown-it-py with raw HTML off, `::: commentary <lang>` containers and `$math$` through
mdit-py-plugins; math becomes MathML (no JavaScript, no CDN) through latex2mathml, and that
MathML is re-serialized through an allow-list so TeX can never smuggle in markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any, Callable
from xml.etree.ElementTree import Element

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
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
    md.core.ruler.after("linkify", "images_as_links", _images_as_links)
    return md


def warm_up() -> None:
    """Do now what rendering the first body would: import latex2mathml and compile linkify's
    patterns (Python keeps them). `serve` calls it while it waits for the first save, so that
    save is shown as fast as the later ones."""
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


# ---- images -------------------------------------------------------------------------------

def _images_as_links(state: StateCore) -> None:
    """Pasted text never makes a reader's browser fetch anything: `![alt](url)` becomes a link
    to the URL reading its alt text (or, inside a link, the alt text alone), never an `<img>`.

    This is the one place Markdown could embed a resource: raw HTML is off, autolinks and
    linkify make links, and math becomes allow-listed MathML (see `sanitize_mathml`).
    """
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _without_images(block.children)


def _without_images(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    links_open = 0
    for token in tokens:
        if token.type == "link_open":
            links_open += 1
        elif token.type == "link_close":
            links_open -= 1
        if token.type != "image":
            out.append(token)
            continue
        src = token.attrGet("src") or ""
        words = _plain_text(token.children or []) or str(src)  # no alt text: the URL reads
        alt = Token("text", "", 0, content=words, level=token.level)
        if links_open:
            out.append(alt)
            continue
        opened = Token("link_open", "a", 1, attrs={"href": src},
                       level=token.level)
        closed = Token("link_close", "a", -1, level=token.level)
        alt.level += 1
        out += [opened, alt, closed]
    return out


def _plain_text(tokens: list[Token]) -> str:
    """An image's alt text as a reader would read it (markdown-it's own alt rendering)."""
    return "".join(_plain_text(t.children or []) if t.type == "image"
                   else t.content if t.type in ("text", "code_inline", "text_special")
                   else "\n" if t.type in ("softbreak", "hardbreak") else ""
                   for t in tokens)


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


def render_inline(md: MarkdownIt, text: str) -> str:
    """One line of Markdown (a title), without the surrounding paragraph."""
    return md.renderInline(text)


def _lang_of(token: Token) -> str:
    words = token.info.split()
    return words[1] if len(words) > 1 else ""


# ---- math ---------------------------------------------------------------------------------

def _math_to_mathml(tex: str, options: dict[str, Any]) -> str:
    import latex2mathml.converter  # only sites with math pay for importing it

    display = "block" if options.get("display_mode") else "inline"
    try:
        return sanitize_mathml(latex2mathml.converter.convert_to_element(tex, display=display))
    except Exception:  # latex2mathml raises many types on TeX it does not know; RecursionError
        return f'<code class="math-source">{escape(tex)}</code>'


MATHML_TAGS = frozenset(
    "math mrow mi mn mo ms mtext mspace msqrt mroot mfrac msub msup msubsup munder mover "
    "munderover mtable mtr mtd mstyle mpadded mphantom menclose merror semantics annotation "
    "mmultiscripts mprescripts none".split())
MATHML_ATTRS = frozenset(
    "display stretchy mathvariant fence separator lspace rspace accent accentunder "
    "movablelimits columnalign columnlines columnspacing rowspacing rowlines rowalign width "
    "height depth linethickness minsize maxsize symmetric largeop form notation open close "
    "scriptlevel displaystyle frame framespacing equalrows equalcolumns encoding".split())


def sanitize_mathml(math: Element) -> str:
    """latex2mathml's element tree as markup, keeping only allow-listed elements and attributes.

    The tree is serialized here, not by latex2mathml: its own serializer un-escapes `<`, `>`
    and `&` after escaping them (so that the character references it writes into the text,
    `&#x000A0;`, survive), which turns the text of `\\text{<mi>x</mi>}` into elements. Here
    every text is escaped once after decoding only those references, so whatever a person typed
    stays text, and an element not on the allow-list (never one a person typed) is left out
    around its content.
    """
    out: list[str] = []
    _serialize(math, out)
    return "".join(out)


def _serialize(element: Element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    allowed = tag in MATHML_TAGS
    if allowed:
        out.append(f"<{tag}" + "".join(f' {name}="{escape(_decoded(value))}"'
                                        for name, value in element.attrib.items()
                                        if name in MATHML_ATTRS) + ">")
    out.append(_text(element.text))
    for child in element:
        _serialize(child, out)
    if allowed:
        out.append(f"</{tag}>")
    out.append(_text(element.tail))


_CHAR_REF = re.compile(r"&#x([0-9a-fA-F]{1,6});")


def _decoded(text: str) -> str:
    """latex2mathml writes characters as `&#x…;` into its text: those become the characters."""
    return _CHAR_REF.sub(lambda m: _char(int(m.group(1), 16)), text) if "&#x" in text else text


def _char(code: int) -> str:
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _text(text: str | None) -> str:
    return escape(_decoded(text), quote=False) if text else ""
