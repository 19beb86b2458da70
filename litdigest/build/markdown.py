"""Markdown to HTML for abstracts and commentary: text, never trusted HTML.

markdown-it-py with raw HTML off, `::: commentary <lang>` containers and `$math$` through
mdit-py-plugins; math becomes MathML (mathml.py). An image is a link to its URL, so nothing
pasted makes a reader's browser fetch anything; and the cost of linking is bounded
(LONGEST_LINK), as math's is, so rendering is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

from litdigest.build.link_text import bare_links_read_short
from litdigest.build.mathml import tex_to_mathml
from litdigest.build.plain_prose import InlineMath, plain_paragraphs
from litdigest.content.model import Paper
from litdigest.content.pages import COMMENTARY_LANG, join_body

LIVE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class RenderedBody:
    """A paper's body as HTML: the abstract, then each commentary block by language."""

    abstract_html: str
    commentary: tuple[tuple[str, str], ...]  # (lang, html)


def make_markdown() -> MarkdownIt:
    """The one Markdown dialect of litdigest pages."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.linkify = PrefilteredLinkify()
    md.enable(["linkify", "table", "strikethrough"])
    md.inline.ruler.at("linkify", _linkify_after_scheme)
    md.validateLink = _is_live_link  # type: ignore[method-assign]
    dollarmath_plugin(md, allow_space=False, allow_digits=False, allow_labels=False,
                      renderer=_memoized(tex_to_mathml))
    container_plugin(md, name="commentary")
    md.core.ruler.after("linkify", "images_as_links", _images_as_links)
    md.core.ruler.after("images_as_links", "bare_links_read_short", bare_links_read_short)
    return md


def warm_up() -> None:
    """Do now what rendering the first body would: import latex2mathml and compile linkify's
    patterns (Python keeps them). render.ready calls it: in a full build while the other
    processes read the content (pipeline._Readying), so no render process does it again; in
    `serve` while it waits for the first save, so that save is shown as fast as the later ones."""
    import latex2mathml.converter  # noqa: F401

    render_body(make_markdown(), Paper(id="", slug="", title="", abstract="$x$ www.example.org"))


# ---- links --------------------------------------------------------------------------------

# What bounds the linkifier's cost, so that rendering stays linear in the text however it is
# made: a link is at most LONGEST_LINK characters, and a run of more characters than that
# without a space (no link holds a space) holds no link at all — so no search for a link looks
# further than about LONGEST_LINK characters. Without these a 90 KB run of `http://a.` took 18 s.
LONGEST_LINK = 2048
# linkify-it's paths allow a bracketed, parenthesized, braced or quoted part (`wiki/A_(b)`),
# and look for its closer as far as the text goes: at every candidate link, which is quadratic
# in a run like `a.com/[a.com/[…`. A part of a link that long is never meant; they are bounded.
LONGEST_BRACKETED = 256
_GROUP_SCAN = re.compile(r"\)\.\)([*+])(?=\\[\]\)\}\"'])")
_WORD = re.compile(r"\S+")
_NOT_SPACE = re.compile(r"\S*")


class PrefilteredLinkify(LinkifyIt):  # type: ignore[misc]
    """linkify-it with a cheap first look (most text cannot hold a link at all) and a bounded
    cost (see LONGEST_LINK).

    linkify-it's own pretest is one large Unicode regular expression, slow on every paragraph;
    `_may_hold_link` is true wherever it could be (see there), so the answer is the same, sooner.
    """

    def __init__(self) -> None:
        super().__init__()
        self.add("ftp:", None)  # never a live link here (LIVE_SCHEMES): not worth looking for

    def pretest(self, text: str) -> bool:
        return _may_hold_link(text) and bool(super().pretest(text))

    def _on_compile(self) -> None:
        """linkify-it's hook for changing its patterns before they are used."""
        self.re = {name: _GROUP_SCAN.sub(_bounded_group, pattern) if isinstance(pattern, str)
                   else pattern for name, pattern in self.re.items()}

    def match(self, text: str) -> list[Any] | None:
        """The links in the text outside its runs without a space longer than LONGEST_LINK."""
        if len(text) <= LONGEST_LINK:
            return super().match(text)
        found: list[Any] = []
        start = 0
        for word in _WORD.finditer(text):
            if word.end() - word.start() > LONGEST_LINK:
                found += _shifted(super().match(text[start:word.start()]) or [], start)
                start = word.end()
        found += _shifted(super().match(text[start:]) or [], start)
        return found or None


def _bounded_group(scan: re.Match[str]) -> str:
    """A `(?:(?!…).)*` (or `+`) scan for a closing bracket or quote, at most LONGEST_BRACKETED."""
    return f").){{{0 if scan.group(1) == '*' else 1},{LONGEST_BRACKETED}}}"


def _shifted(links: list[Any], offset: int) -> list[Any]:
    for link in links:
        link.index += offset
        link.last_index += offset
    return links


_SCHEME_AT_END = re.compile(r"(?:^|[^a-z0-9.+-])([a-z][a-z0-9.+-]*)$", re.IGNORECASE)
_LONGEST_SCHEME = len("mailto")  # the longest of linkify-it's schemes: http https ftp mailto


def _linkify_after_scheme(state: StateInline, silent: bool) -> bool:
    """markdown-it's linkify rule (markdown_it/rules_inline/linkify.py) made linear: it looked
    for the scheme before `://` in all the text pending since the last token, and handed
    linkify-it all the source from there to the end — at every `://`. This looks at the last
    few characters only (a scheme is at most _LONGEST_SCHEME letters), and hands over the rest of
    the run without a space the link is in (no link holds a space), at most LONGEST_LINK long:
    a run longer than that holds no link.
    """
    src, pos = state.src, state.pos
    if state.linkLevel > 0 or pos + 3 > state.posMax or src[pos:pos + 3] != "://":
        return False
    scheme = _SCHEME_AT_END.search(state.pending[-(_LONGEST_SCHEME + 1):])
    if not scheme or len(scheme.group(1)) > _LONGEST_SCHEME:
        return False
    proto = scheme.group(1)
    if not state.md.validateLink(proto + "://"):  # a scheme never linked (ftp): no need to look
        return False
    start = pos - len(proto)
    end = _end_of_short_run(src, start)
    if end is None:
        return False
    link = state.md.linkify.match_at_start(src[start:end + 1])  # with the space that ends it
    if not link:
        return False
    url = link.url.rstrip("*")  # a `*` at the end is emphasis (as in markdown-it)
    full_url = state.md.normalizeLink(url)
    if not state.md.validateLink(full_url):
        return False
    if not silent:
        state.pending = state.pending[: -len(proto)]
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": full_url}
        token.markup = "linkify"
        token.info = "auto"
        token = state.push("text", "", 0)
        token.content = state.md.normalizeLinkText(url)
        token = state.push("link_close", "a", -1)
        token.markup = "linkify"
        token.info = "auto"
    state.pos += len(url) - len(proto)
    return True


def _end_of_short_run(src: str, start: int) -> int | None:
    """Where the run without a space around src[start] ends, or None if that run is longer than
    LONGEST_LINK (found looking no further than that on either side of start)."""
    before = _NOT_SPACE.match(src[max(0, start - LONGEST_LINK - 1):start][::-1]).end()
    end = _NOT_SPACE.match(src, start, start + LONGEST_LINK + 1).end()
    return end if before + end - start <= LONGEST_LINK else None


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
        if block.type == "inline" and block.children and "![" in block.content:
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
        opened = Token("link_open", "a", 1, attrs={"href": src}, level=token.level)
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
    """The body as HTML: the abstract and each commentary block.

    Commentary of plain prose is written without parsing (plain_prose.py), and then the abstract
    is parsed alone, unless it holds what could reach past its end into the commentary (a fence
    or a container left open); anything else is parsed whole, as one document. Every road gives
    the same HTML."""
    math = inline_math(md)
    commentary = _plain_commentary(paper, math)
    if commentary is None or _may_reach_past_its_end(paper.abstract):
        return parse_body(md, paper)
    abstract_html = None if _may_hold_link(paper.abstract) else plain_paragraphs(paper.abstract, math)
    if abstract_html is None:
        alone = paper.abstract.strip("\n") if paper.abstract.strip() else ""  # as join_body puts it
        abstract_html = md.renderer.render(md.parse(alone), md.options, {})
    return RenderedBody(abstract_html=abstract_html, commentary=commentary)


def parse_body(md: MarkdownIt, paper: Paper) -> RenderedBody:
    """Parse a paper's body as one document and split the HTML at its commentary containers."""
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


_ONE_WORD = re.compile(COMMENTARY_LANG)


def _plain_commentary(paper: Paper, math: InlineMath) -> tuple[tuple[str, str], ...] | None:
    """Each commentary block's HTML if all are plain prose with no link and a one-word language
    (their container's info, read back whole); else None."""
    out: list[tuple[str, str]] = []
    for block in paper.commentary:
        html = plain_paragraphs(block.text, math) if _ONE_WORD.fullmatch(block.lang) else None
        if html is None or _may_hold_link(block.text):
            return None
        out.append((block.lang, html))
    return tuple(out)


def inline_math(md: MarkdownIt) -> InlineMath:
    """markdown-it's own inline math, for plain_prose: its dollarmath rule says whether a `$`
    opens math and where that ends, and its render rule gives the HTML, so the shortcut reads
    and writes math exactly as parsing would."""
    rule = next(r.fn for r in md.inline.ruler.__rules__ if r.name == "math_inline")
    render = md.renderer.rules["math_inline"]

    def math_at(paragraph: str, dollar: int) -> tuple[int, str] | None:
        state = StateInline(paragraph, md, {}, [])
        state.pos = dollar
        if not rule(state, False):
            return None
        return state.pos, render(state.tokens, len(state.tokens) - 1, md.options, {})

    return math_at


def _may_reach_past_its_end(abstract: str) -> bool:
    """Could the abstract, parsed with the commentary after it, take some of it in: a code fence
    or math block left open runs to the end of the document, and so does a container."""
    return "```" in abstract or "~~~" in abstract or "$$" in abstract or ":::" in abstract


def _lang_of(token: Token) -> str:
    words = token.info.split()
    return words[1] if len(words) > 1 else ""
