"""`content/site.yaml`: the site's settings, read and checked against one schema.

Every setting has a type and a range; a value outside them is reported with the line it is on,
never passed on to fail later (a page size of 0 divides by zero, "ten" cannot slice a list, a
`javascript:` base URL would reach the feed). A setting left out, or given as `null`, takes its
default.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit


from litdigest.content import frontmatter as fm
from litdigest.content.model import LANGUAGES, SiteConfig
from litdigest.errors import LitdigestError, Problem

MAX_PAGE_SIZE = 10_000


@dataclass(frozen=True)
class Setting:
    """One key of `site.yaml`: how to tell a good value, and what to say of a bad one."""

    accepts: Callable[[Any], bool]
    wrong: str  # what is wrong, after "'<key>' "
    hint: str


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _count(least: int) -> Callable[[Any], bool]:
    def accepts(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and least <= value <= MAX_PAGE_SIZE
    return accepts


def _site_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.query


SCHEMA: dict[str, Setting] = {
    "title": Setting(_text, "must be text", 'write it as title: "…"'),
    "description": Setting(_text, "must be text", 'write it as description: "…"'),
    "base_url": Setting(_site_url, "must be the http(s) address the site is published at",
                        'write it as base_url: "https://example.org/digest/"'),
    "default_language": Setting(lambda v: v in LANGUAGES, "must be ko, en or both",
                                "pick one of the three"),
    "page_size": Setting(_count(1), f"must be a whole number from 1 to {MAX_PAGE_SIZE:,}",
                         "write it as page_size: 10"),
    "feed_size": Setting(_count(0), f"must be a whole number from 0 to {MAX_PAGE_SIZE:,}",
                         "write it as feed_size: 100"),
    "author": Setting(_text, "must be text", 'write it as author: "…"'),
    "commentary_order": Setting(lambda v: v in ("newest", "oldest"), "must be newest or oldest",
                                "write it as commentary_order: newest"),
}
assert set(SCHEMA) == {f.name for f in fields(SiteConfig)}, "every setting has a rule"


def parse_config(text: str, path: Path | str) -> SiteConfig:
    """The settings in `site.yaml`'s text; raise LitdigestError with every problem in it."""
    data = fm.load_mapping(text, path, first_line=1, what="site.yaml", hint="fix site.yaml")
    problems = []
    values = {}
    for key in sorted(data, key=str):
        value, setting = data[key], SCHEMA.get(str(key))
        line = fm.key_line(text, str(key)) or 1
        if setting is None:
            problems.append(Problem(str(path), line, f"unknown setting '{key}'",
                                    f"use one of: {', '.join(SCHEMA)}"))
        elif value is None:
            continue  # `key:` with no value: the default
        elif not setting.accepts(value):
            problems.append(Problem(str(path), line, f"'{key}' {setting.wrong}, not {value!r}",
                                    setting.hint))
        else:
            values[key] = value
    if problems:
        raise LitdigestError(sorted(problems, key=lambda p: p.line or 0))
    return SiteConfig(**values)
