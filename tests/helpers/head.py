"""What a machine reads in a page's head, parsed by the standard library's HTML parser: every
`<meta>` (by name or property, in order), every `<link>`, and the text of every `<script>`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Head:
    meta: list[tuple[str, str]] = field(default_factory=list)  # (name or property, content)
    links: list[dict[str, str]] = field(default_factory=list)
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)  # (attributes, text)
    title: str = ""

    def all(self, name: str) -> list[str]:
        return [content for key, content in self.meta if key == name]

    def one(self, name: str) -> str:
        found = self.all(name)
        assert len(found) == 1, (name, found)
        return found[0]

    def link(self, rel: str, **attrs: str) -> list[str]:
        return [link["href"] for link in self.links if link.get("rel") == rel
                and all(link.get(k) == v for k, v in attrs.items())]

    def json_ld(self) -> list[Any]:
        return [json.loads(text) for attrs, text in self.scripts
                if attrs.get("type") == "application/ld+json"]


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head = Head()
        self.script: dict[str, str] | None = None
        self.text: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and "content" in values and ("name" in values or "property" in values):
            self.head.meta.append((values.get("name") or values["property"], values["content"]))
        elif tag == "link":
            self.head.links.append(values)
        elif tag == "script":
            self.script, self.text = values, []
        elif tag == "title":
            self.in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self.head.scripts.append((self.script, "".join(self.text)))
            self.script = None
        elif tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.text.append(data)
        elif self.in_title:
            self.head.title += data


def parse_head(html: str) -> Head:
    parser = _HeadParser()
    parser.feed(html)
    parser.close()
    return parser.head
