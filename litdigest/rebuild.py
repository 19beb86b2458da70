"""Decide what a build must redo: the pages whose inputs changed since the previous build.

Each planned page gets a key: a digest of everything its output is made from — the code, the
templates, the site's settings (the `base` key), and the page's own context, where a paper
stands for the digest of its file and for the display names of its tags (the templates look
those up in `library.tags`). A page whose key is the one it had last time has the same bytes
as last time and is neither rendered nor written. A page with a new key is rendered; it is
written only if its bytes differ from the file on disk.

So a template may use anything in its page's context and the site's settings. A template that
reached into `library` for more than tag names would see pages go stale: the tests compare every
kind of incremental build with a fresh one to catch exactly that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Iterable, Mapping

from .library import DigestEntry, Library, TagEntry
from .model import Paper, Tag
from .pages import Page, Pager

FULL, UPDATE = "full", "update"
FULL_FROM = 0.5  # re-rendering more than this share of the site: write a whole new one


@dataclass(frozen=True)
class Plan:
    """What this build does: write a whole new site, or update some pages of the old one."""

    mode: str  # FULL or UPDATE
    render: tuple[Page, ...]  # pages to render (all of them when FULL)
    remove: tuple[str, ...]  # output paths of pages the site no longer has (UPDATE only)


def base_key(code: str, templates_digest: str, config: Any) -> str:
    """What every page depends on: the code, the templates, the site's settings."""
    return _digest(f"{code}\n{templates_digest}\n{config!r}")


def templates_digest(digests: Mapping[str, str], static: str) -> str:
    """A digest of every template file, leaving out the static assets (copied, never rendered)."""
    listed = [f"{path}:{digest}" for path, digest in sorted(digests.items())
              if not path.startswith(static + "/")]
    return _digest("\n".join(listed))


def page_keys(pages: Iterable[Page], library: Library, paper_digests: Mapping[int, str],
              base: str) -> dict[str, str]:
    """The key of every page; `paper_digests` maps id(paper) to the digest of its file."""
    fingerprint = _Fingerprint(library, paper_digests)
    return {page.path: fingerprint.page(page, base) for page in pages}


def plan(pages: list[Page], keys: Mapping[str, str], previous: Mapping[str, str] | None,
         site_is_previous: bool) -> Plan:
    """Render the pages whose key changed; a whole new site when there is no trusted old one."""
    if previous is None or not site_is_previous:
        return Plan(FULL, tuple(pages), ())
    stale = tuple(page for page in pages if previous.get(page.path) != keys[page.path])
    if len(stale) > FULL_FROM * max(len(pages), 1):
        return Plan(FULL, tuple(pages), ())
    gone = tuple(sorted(set(previous) - set(keys)))
    return Plan(UPDATE, stale, gone)


class _Fingerprint:
    """Turns a page's context into a string that changes exactly when what it shows may change."""

    def __init__(self, library: Library, paper_digests: Mapping[int, str]) -> None:
        self.library = library
        self.paper_digests = paper_digests
        self.memo: dict[int, str] = {}
        self.tags: dict[str, str] = {}

    def page(self, page: Page, base: str) -> str:
        parts = [base, page.path, page.template, self.value(page.context)]
        parts += [self.paper(self.library.by_id[pid]) for pid in page.papers]
        return _digest("\x1f".join(parts))

    def value(self, value: Any) -> str:
        if value is None or isinstance(value, (str, int, float, bool, dt.date)):
            return repr(value)
        if isinstance(value, Paper):
            return self.paper(value)
        key = id(value)
        known = self.memo.get(key)
        if known is None:
            known = self.memo[key] = self._compound(value)
        return known

    def _compound(self, value: Any) -> str:
        if isinstance(value, (tuple, list)):
            return "(" + ",".join(self.value(v) for v in value) + ")"
        if isinstance(value, dict):
            return "{" + ",".join(f"{k!r}:{self.value(v)}" for k, v in sorted(value.items())) + "}"
        if isinstance(value, TagEntry):
            return _digest(f"T{value.tag!r}{self.value(value.papers)}")
        if isinstance(value, DigestEntry):
            return _digest(f"D{value.digest!r}{self.value(value.papers)}")
        if isinstance(value, Pager):
            return f"G{value.number},{value.count},{value.first_path!r},{self.value(value.items)}"
        if is_dataclass(value) and not isinstance(value, type):
            inner = ",".join(f"{f.name}={self.value(getattr(value, f.name))}" for f in fields(value))
            return f"{type(value).__name__}({inner})"
        raise TypeError(f"rebuild cannot fingerprint a {type(value).__name__} in a page's context")

    def paper(self, paper: Paper) -> str:
        key = id(paper)
        known = self.memo.get(key)
        if known is None:
            tags = "".join(self.tag(name) for name in paper.tags)
            known = self.memo[key] = f"P{self.paper_digests[key]}{tags}"
        return known

    def tag(self, name: str) -> str:
        known = self.tags.get(name)
        if known is None:
            entry = self.library.tags.get(name)
            tag = entry.tag if entry is not None else Tag(name=name)
            known = self.tags[name] = f"<{tag!r}>"
        return known


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
