"""How a bare URL reads in prose: its domain and path (`github.com/org/repo`), as GitHub and most
readers show links, while the link itself goes to the whole URL. Three URLs in a row then read as
three places, not three strings of `https://`."""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore

_SCHEME = re.compile(r"^(?:(?:https?:)?//)?(?:www\.)?", re.IGNORECASE)


def shown_url(url: str) -> str:
    """`https://www.github.com/org/repo/` (or `www.github.com/org/repo`) as `github.com/org/repo`;
    a URL of another kind (mailto:) as written."""
    shown = _SCHEME.sub("", url, count=1)
    if shown == url:
        return url
    return shown.rstrip("/") or url


# a URL in plain text: its scheme, then up to a space or a bracket that closes around it
_PLAIN_URL = re.compile(r"\bhttps?://[^\s<>()\[\]]+", re.IGNORECASE)


def urls_read_short(text: str) -> str:
    """Plain text (a commentary's excerpt) with each URL in it as `shown_url` reads it."""
    return _PLAIN_URL.sub(lambda m: shown_url(m.group(0)), text) if "://" in text else text


def bare_links_read_short(state: StateCore) -> None:
    """markdown-it core rule, after linkify: the text of each link linkify made (its text is
    the URL) becomes the URL as `shown_url` reads it; links written as links keep their text."""
    for block in state.tokens:
        children = block.children if block.type == "inline" else None
        if not children or not any(t.markup == "linkify" for t in children):
            continue
        for opening, text in zip(children, children[1:]):
            if opening.type == "link_open" and opening.markup == "linkify" and text.type == "text":
                text.content = shown_url(text.content)
