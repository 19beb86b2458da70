"""TeX to MathML for `$math$` in abstracts and commentary (no JavaScript, no CDN), through
latex2mathml, re-serialized through an allow-list so TeX can never smuggle in markup, and
bounded (LONGEST_MATH) so a page's cost stays linear in its text."""

from __future__ import annotations

import re
from html import escape
from typing import Any
from xml.etree.ElementTree import Element

# latex2mathml's cost grows faster than the formula (`\text{\text{…` is quadratic): a formula
# longer than this is shown as its TeX, which keeps a page's cost linear in its text. Formulas
# in abstracts run to a few dozen characters.
LONGEST_MATH = 2000


def tex_to_mathml(tex: str, options: dict[str, Any]) -> str:
    """A `$…$` formula as sanitised MathML; its TeX as code where it is too long or unknown."""
    import latex2mathml.converter  # only sites with math pay for importing it

    display = "block" if options.get("display_mode") else "inline"
    if len(tex) > LONGEST_MATH:
        return f'<code class="math-source">{escape(tex)}</code>'
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
