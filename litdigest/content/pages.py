"""The page format: a paper, tag or digest page as text, and its text parsed back.

This is the contract every stage shares. Writing a page that was read gives back the same
bytes, so re-imports and hand edits never churn files. A parser returns the page or raises
LitdigestError with every problem the file has, each with its line.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from litdigest.content import frontmatter as fm
from litdigest.errors import LitdigestError, Problem
from litdigest.content.model import PAPER_DATE, Commentary, Digest, Paper, Tag, first_day

COMMENTARY_LANG = r"[\w-]+"  # a commentary block's language: one word
# `::: commentary ko 004-2024-12-19`: the language, then the digest that posted it, if named
_COMMENTARY_OPEN = re.compile(rf"^::: *commentary +({COMMENTARY_LANG})(?: +([^\W_][\w-]*))? *$")
_COMMENTARY_CLOSE = re.compile(r"^::: *$")


# ---- the body: abstract, then `::: commentary <lang> [<digest>]` blocks ------------------------


def split_body(body: str) -> tuple[str, tuple[Commentary, ...]]:
    """Separate the abstract from the commentary blocks that follow it."""
    abstract: list[str] = []
    commentary: list[Commentary] = []
    lang: str | None = None
    digest = ""
    block: list[str] = []
    for line in body.split("\n"):
        opened = _COMMENTARY_OPEN.match(line) if lang is None else None
        if opened:
            lang, digest, block = opened.group(1), opened.group(2) or "", []
        elif lang is not None and _COMMENTARY_CLOSE.match(line):
            commentary.append(Commentary(lang, "\n".join(block).strip("\n"), digest))
            lang = None
        elif lang is not None:
            block.append(line)
        else:
            abstract.append(line)
    if lang is not None:  # unclosed block: keep its text rather than lose it
        commentary.append(Commentary(lang, "\n".join(block).strip("\n"), digest))
    return "\n".join(abstract).strip("\n"), tuple(commentary)


def join_body(abstract: str, commentary: tuple[Commentary, ...]) -> str:
    parts = [abstract.strip("\n")] if abstract.strip() else []
    parts += [f"::: commentary {c.lang}{' ' + c.digest if c.digest else ''}\n{c.text}\n:::"
              for c in commentary]
    return "\n\n".join(parts)


# ---- papers -------------------------------------------------------------------------------

MAX_TAGS = 1_000  # tags on one page: more is a mistake, and every page showing it would pay for each

PAPER_KEYS = ("id", "slug", "title", "title_derived", "authors", "date", "tags", "venue",
              "links", "digests")


def paper_text(paper: Paper) -> str:
    """The normalized Markdown page of a paper."""
    lines = [
        f"id: {fm.scalar(paper.id)}",
        f"slug: {fm.scalar(paper.slug)}",
        f"title: {fm.quoted(paper.title)}",
        f"title_derived: {fm.scalar(paper.title_derived)}",
        f"authors: {fm.flow_list(paper.authors)}",
    ]
    if paper.date is not None:
        lines.append(f"date: {paper.date}")
    lines += [
        f"tags: {fm.flow_list(paper.tags)}",
        f"venue: {fm.quoted(paper.venue) if paper.venue else 'null'}",
        f"links: {fm.flow_map(paper.links)}",
        f"digests: {fm.flow_list(paper.digests)}",
    ]
    return fm.document(lines, join_body(paper.abstract, paper.commentary))


def parse_paper(text: str, path: Path | str) -> Paper:
    data, body = fm.split(text, path)
    check = _Checker(text, path, data)
    for key in sorted(set(data) - set(PAPER_KEYS)):
        check.fail(key, f"unknown front matter key '{key}'",
                   f"use one of: {', '.join(PAPER_KEYS)}")
    paper_id = check.string("id", required=True)
    slug = check.string("slug", required=True)
    title = check.string("title", required=True)
    if slug and not SLUG_SAFE.match(slug):
        check.fail("slug", f"slug '{slug}' is not a safe file name",
                   "use lower-case letters, digits and hyphens")
    abstract, commentary = split_body(body)
    paper = Paper(
        id=paper_id,
        slug=slug,
        title=title,
        title_derived=check.boolean("title_derived"),
        authors=check.strings("authors"),
        date=check.paper_date("date"),
        tags=check.tags("tags"),
        venue=check.string("venue") or None,
        links=check.links("links"),
        digests=check.names("digests", "digest id"),
        abstract=abstract,
        commentary=commentary,
    )
    check.raise_any()
    return paper


SLUG_SAFE = re.compile(r"^[^\W_][\w-]*$")


class _Checker:
    """Reads typed values out of front matter, collecting a located problem for each bad one."""

    def __init__(self, text: str, path: Path | str, data: dict[str, Any]) -> None:
        self.text, self.path, self.data = text, str(path), data
        self.problems: list[Problem] = []

    def fail(self, key: str, message: str, hint: str) -> None:
        self.problems.append(Problem(self.path, fm.key_line(self.text, key) or 1, message, hint))

    def raise_any(self) -> None:
        if self.problems:
            raise LitdigestError(self.problems)

    def string(self, key: str, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(key, f"missing '{key}'", f"add a '{key}:' line to the front matter")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(key, f"'{key}' must be text", f"write it as {key}: \"…\"")
            return ""
        return str(value)

    def boolean(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"'{key}' must be true or false", f"write {key}: true or {key}: false")
            return False
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            self.fail(key, f"'{key}' must be a list of text", f"write it as {key}: [a, b]")
            return ()
        return tuple(str(v) for v in value)

    def names(self, key: str, what: str) -> tuple[str, ...]:
        """Names that become folders of site/ (tags, digest ids): `../x` must never be one."""
        values = self.strings(key)
        for value in values:
            if not SLUG_SAFE.match(value):
                self.fail(key, f"{what} '{value}' is not a safe name",
                          "use letters, digits and hyphens")
        return values

    def tags(self, key: str) -> tuple[str, ...]:
        """A page's tags: safe names, at most MAX_TAGS of them."""
        value = self.data.get(key)
        if isinstance(value, list) and len(value) > MAX_TAGS:
            self.fail(key, f"{len(value)} tags, more than the limit of {MAX_TAGS} for one page",
                      "keep the tags that matter and remove the others")
            return ()
        return self.names(key, "tag")

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        self.fail(key, f"'{key}' is not a date", f"write it as {key}: YYYY-MM-DD")
        return None

    def paper_date(self, key: str) -> str | None:
        """A paper's own date, as precise as its source: a year, a month or a day."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.date):
            return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        if PAPER_DATE.match(text):
            try:
                first_day(text) if len(text) < 10 else dt.date.fromisoformat(text)
                return text
            except ValueError:
                pass
        self.fail(key, f"'{key}' is not a date", f"write it as {key}: YYYY-MM-DD, YYYY-MM or YYYY")
        return None

    def links(self, key: str) -> tuple[tuple[str, str], ...]:
        value = self.data.get(key) or {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.fail(key, f"'{key}' must map names to URLs", f"write {key}: {{code: \"https://…\"}}")
            return ()
        return tuple((str(k), v) for k, v in value.items())


# ---- tags and digests -----------------------------------------------------------------------


def tag_text(tag: Tag) -> str:
    lines = [f"name: {fm.scalar(tag.name)}", f"ko: {fm.quoted(tag.ko)}", f"en: {fm.quoted(tag.en)}"]
    return fm.document(lines, tag.description)


def parse_tag(text: str, path: Path | str) -> Tag:
    data, body = fm.split(text, path)
    check = _Checker(text, path, data)
    tag = Tag(name=check.string("name", required=True), ko=check.string("ko"),
              en=check.string("en"), description=body.strip("\n"))
    if tag.name and Path(path).stem != tag.name:
        check.fail("name", f"tag name '{tag.name}' does not match the file name",
                   f"rename the file to {tag.name}.md or fix the name")
    check.raise_any()
    return tag


def digest_text(digest: Digest) -> str:
    lines = [f"id: {fm.scalar(digest.id)}", f"title: {fm.quoted(digest.title)}"]
    if digest.title_derived:
        lines.append("title_derived: true")
    if digest.date is not None:
        lines.append(f"date: {digest.date.isoformat()}")
    lines += [f"source: {fm.quoted(digest.source)}", "papers:"]
    lines += [f"  - {fm.scalar(p)}" for p in digest.papers]
    return fm.document(lines, "")


def parse_digest(text: str, path: Path | str) -> Digest:
    data, _body = fm.split(text, path)
    check = _Checker(text, path, data)
    digest = Digest(id=check.string("id", required=True), title=check.string("title"),
                    date=check.date("date"), source=check.string("source"),
                    papers=check.strings("papers"), title_derived=check.boolean("title_derived"))
    if digest.id and not SLUG_SAFE.match(digest.id):
        check.fail("id", f"digest id '{digest.id}' is not a safe name",
                   "use letters, digits and hyphens")
    check.raise_any()
    return digest
