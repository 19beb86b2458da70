"""Prose with no Markdown in it, to the HTML markdown-it would give, without parsing it.

Most commentaries and abstracts are paragraphs of words, perhaps with `$math$`: no emphasis,
link, list or heading, so markdown-it turns each paragraph into `<p>…</p>` with its text escaped
and its math rendered, and nothing else. `plain_paragraphs` recognises such a text by what it
lacks (every character and line start that could begin other Markdown) and writes that HTML
itself, many times faster; a text with any of them is left to markdown-it (`None`). Where math
begins and ends, and its HTML, it asks markdown-it's own math rule (`InlineMath`, from
markdown.py). It cannot see links: the caller asks linkify's first look too.
tests/test_fast_paths.py holds the two roads equal.
"""

from __future__ import annotations

import re
from typing import Callable, Optional

# What could be Markdown: a character that may start inline Markdown or an entity (escapes,
# code, emphasis, links and images, autolinks, entities, math, strikethrough, table cells); a
# line start that may open a block (list item, quote, heading, setext underline, container
# fence, thematic break, fence, indented code, ordered item); a space ending a line (two make a
# hard break, one is dropped). Searches that each scan fast (for one character, or from a line
# break), rather than one alternation tried at every character.
_INLINE_MARK = re.compile(r"[\\`*_\[\]<>&$~|]")
_BLOCK_START = re.compile(r"\n(?:[-+*>#=:_~` ]|\d{1,9}[.)])")
_BLANK_LINES = re.compile(r"\n\n+")

# Where the `$` at an index of a paragraph opens math: (the index after its closing `$`, its
# HTML), or None where markdown-it would leave that `$` as text.
InlineMath = Callable[[str, int], Optional[tuple[int, str]]]


def plain_paragraphs(text: str, math: InlineMath | None = None) -> str | None:
    """The HTML of text made only of plain paragraphs (lines of words, blank lines between
    paragraphs; with `math`, inline math on one line), or None if any of it could be other
    Markdown."""
    # isprintable() is false for tabs, carriage returns, NUL and every space but " ": nothing
    # markdown-it would replace, strip or read as a line end.
    if not text.replace("\n", "").isprintable():
        return None
    text = text.strip("\n")
    if "$" not in text:
        if _could_be_markdown(text):
            return None
        return "".join(_paragraph(paragraph) for paragraph in _BLANK_LINES.split(text) if paragraph)
    if math is None:
        return None
    paragraphs = [_paragraph_with_math(paragraph, math) for paragraph in _BLANK_LINES.split(text)]
    return None if None in paragraphs else "".join(paragraphs)  # type: ignore[arg-type]


def _could_be_markdown(text: str) -> bool:
    return (_INLINE_MARK.search(text) is not None or " \n" in text or text.endswith(" ")
            or _BLOCK_START.match("\n" + text[:10]) is not None  # the first line's start
            or _BLOCK_START.search(text) is not None)


def _paragraph(text: str) -> str:
    return "<p>" + text.replace('"', "&quot;") + "</p>\n"


def _paragraph_with_math(paragraph: str, math: InlineMath) -> str | None:
    """A paragraph's HTML, its math rendered by `math`, or None if the text around the math
    could be Markdown (a `$` left as text counts) or the math spans lines."""
    html: list[str] = []
    outside: list[str] = []
    start = 0
    dollar = paragraph.find("$")
    while dollar != -1:
        found = math(paragraph, dollar)
        if found is None:
            return None
        end, math_html = found
        if "\n" in paragraph[dollar:end]:
            return None
        outside.append(paragraph[start:dollar])
        html += [paragraph[start:dollar].replace('"', "&quot;"), math_html]
        start = end
        dollar = paragraph.find("$", start)
    outside.append(paragraph[start:])
    html.append(paragraph[start:].replace('"', "&quot;"))
    if _could_be_markdown("x".join(outside)):  # math stands in as a letter: line starts stay
        return None
    return "<p>" + "".join(html) + "</p>\n"
