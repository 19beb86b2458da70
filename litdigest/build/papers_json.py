"""`papers.json`, every paper with its fields for programs to read, and `papers.schema.json`,
the JSON Schema (draft 2020-12) it follows, published beside it and named by its `$schema`.

Both are written from Python, not through a template, and papers.json by msgspec's JSON encoder
(the cache's format already): at 10,000 papers it writes the file in a fifth of the time
Python's `json` takes and a fraction of a template's, and escapes every string correctly. One paper
per line, papers in the order of their ids, keys in a fixed order: the same content gives the
same bytes, and a changed paper changes one line, which is all the preview encodes again
(`Records`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import msgspec

from litdigest.build.jinja_env import clean_text
from litdigest.build.library import Library
from litdigest.build.metadata import absolute_url, site_base_url
from litdigest.content.model import PAPER_DATE, Digest, Paper

PAPERS_JSON = "papers.json"
SCHEMA_JSON = "papers.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class EveryPaper:
    """papers.json's context: every paper. Its key is one hash of theirs (incremental/stale.py),
    not a token per paper: it changes when any paper does, and stays short."""

    papers: tuple[Paper, ...]
    digests: tuple[Digest, ...]  # each with the day it listed its papers


def paper_record(paper: Paper, base_url: str) -> dict[str, Any]:
    """One paper as papers.json holds it: its page's fields, its URL, its own date, and its
    commentary block by block, each with its language and the digest that posted it."""
    return {
        "id": paper.id, "slug": paper.slug,
        "url": absolute_url(base_url, f"papers/{paper.slug}/"),
        "title": paper.title, "title_derived": paper.title_derived,
        "authors": list(paper.authors), "date": paper.date,
        "tags": list(paper.tags), "venue": paper.venue, "links": dict(paper.links),
        "digests": list(paper.digests), "abstract": paper.abstract,
        "commentary": [{"digest": paper.posted_in(block), "lang": block.lang, "text": block.text}
                       for block in paper.commentary],
    }


def digest_record(digest: Digest, papers: tuple[Paper, ...], base_url: str) -> dict[str, Any]:
    """One digest as papers.json holds it: the day it listed its papers, and their ids."""
    return {"id": digest.id, "url": absolute_url(base_url, f"digests/{digest.id}/"),
            "title": digest.title, "date": digest.date.isoformat() if digest.date else None,
            "papers": [paper.id for paper in papers]}


class Records:
    """Each paper's line of papers.json, kept by the preview from one build to the next (in
    memory, in its LastBuild), so that a save encodes only the papers it changed: by id() of the
    paper, with the paper itself (kept alive, so its id is not another's; a paper that did not
    change is the very same object from build to build). The lines hold the base URL: they are
    kept for one base URL only."""

    def __init__(self, base_url: str = "") -> None:
        self.base_url = base_url
        self.lines: dict[int, tuple[Paper, bytes]] = {}

    def line(self, paper: Paper, base_url: str) -> bytes | None:
        known = self.lines.get(id(paper)) if base_url == self.base_url else None
        return known[1] if known is not None and known[0] is paper else None

    def travelling(self) -> tuple[str, dict[str, bytes]]:
        """The lines by paper id, to send from the process that made them to the build's."""
        return self.base_url, {paper.id: line for paper, line in self.lines.values()}

    def arrived(self, sent: tuple[str, dict[str, bytes]], library: Library) -> None:
        """Take the lines another process sent (`travelling`), for this process's papers."""
        self.base_url, lines = sent
        self.lines = {id(paper): (paper, lines[paper.id])
                      for paper in library.papers if paper.id in lines}

    def missing(self, papers: Sequence[Paper], base_url: str) -> int:
        """How many of `papers` have no line yet."""
        return sum(self.line(paper, base_url) is None for paper in papers)


def papers_document(library: Library, records: Records | None = None) -> bytes | bytearray:
    """The file, encoded paper by paper into one buffer (at 10,000 papers it is 30 MB, held
    once). With `records`, a paper's line is taken from them where it is there (for the base URL
    of this build), and they then hold exactly this build's lines."""
    base_url = site_base_url(library.config)
    encoder = msgspec.json.Encoder()
    digests = [digest_record(e.digest, e.papers, base_url)
               for e in sorted(library.digests, key=lambda e: e.digest.id)]
    document = bytearray(encoder.encode({"$schema": base_url + SCHEMA_JSON,
                                         "title": library.config.title, "base_url": base_url,
                                         "digests": digests}))
    document[-1:] = b',"papers":['
    kept: dict[int, tuple[Paper, bytes]] = {}
    for number, paper in enumerate(sorted(library.papers, key=lambda p: p.id)):
        document += b",\n" if number else b"\n"
        line = records.line(paper, base_url) if records is not None else None
        if line is not None:
            document += line
        else:
            start = len(document)
            encoder.encode_into(paper_record(paper, base_url), document, -1)
            if records is not None:
                line = bytes(document[start:])
        if line is not None:
            kept[id(paper)] = (paper, line)
    if records is not None:
        records.base_url, records.lines = base_url, kept
    document += b"\n]}\n" if library.papers else b"]}\n"
    return _carriable(document)


# jinja_env.UNCARRIABLE as UTF-8 bytes, but the C0 controls and lone surrogates, which JSON
# escapes and UTF-8 cannot hold: DEL, C1 controls, U+FDD0-U+FDEF, U+FFFE and U+FFFF.
_UNCARRIABLE_UTF8 = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xef\xb7[\x90-\xaf]|\xef\xbf[\xbe\xbf]")


def _carriable(document: bytearray) -> bytes | bytearray:
    """UTF-8 JSON without the characters no file of the site holds (jinja_env.clean_text),
    looked for in the bytes: a document without any (nearly every one) is not decoded."""
    if all(lead not in document for lead in (b"\x7f", b"\xc2", b"\xef")) or (
            _UNCARRIABLE_UTF8.search(document) is None):  # (the lead bytes: a first look, fast)
        return document
    return clean_text(document.decode("utf-8")).encode("utf-8")


def schema(base_url: str) -> dict[str, Any]:
    """The JSON Schema of papers.json."""
    text = {"type": "string"}
    texts = {"type": "array", "items": text}
    paper = {
        "type": "object", "additionalProperties": False,
        "required": ["id", "slug", "url", "title", "title_derived", "authors", "date", "tags",
                     "venue", "links", "digests", "abstract", "commentary"],
        "properties": {
            "id": {"type": "string", "minLength": 1,
                   "description": "arxiv:<id>, doi:<doi>, or the hash id of a paper known "
                                  "only by its title or abstract; unique"},
            "slug": {"type": "string", "minLength": 1,
                     "description": "the paper's page is papers/<slug>/; never changes"},
            "url": {"type": "string", "format": "uri", "description": "the paper's page"},
            "title": text,
            "title_derived": {"type": "boolean",
                              "description": "true: the title was derived from the abstract"},
            "authors": texts,
            "date": {"type": ["string", "null"], "pattern": PAPER_DATE.pattern,
                     "description": "the paper's own date (published), as precise as its source "
                                    "gives it: YYYY-MM-DD, YYYY-MM (from its arXiv number) or "
                                    "YYYY; null when unknown. The day a digest listed it is the "
                                    "digest's date"},
            "tags": {**texts, "description": "tag names: tags/<name>/ is the tag's page"},
            "venue": {"type": ["string", "null"]},
            "links": {"type": "object", "additionalProperties": text,
                      "description": "by name (arxiv, doi, pdf, code, project…): a URL"},
            "digests": {**texts, "description": "ids of the digests that listed it: "
                                                "digests/<id>/"},
            "abstract": {**text, "description": "Markdown, $math$ allowed"},
            "commentary": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["digest", "lang", "text"],
                "properties": {
                    "digest": {**text, "description": "the id of the digest that posted it "
                                                      "(\"\" for none)"},
                    "lang": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$",
                             "description": "ko, en, …"},
                    "text": {**text, "description": "Markdown"}}},
                "description": "block by block, in the page's order"},
        },
    }
    digest = {
        "type": "object", "additionalProperties": False,
        "required": ["id", "url", "title", "date", "papers"],
        "properties": {
            "id": {"type": "string", "minLength": 1}, "url": {"type": "string", "format": "uri"},
            "title": text,
            "date": {"type": ["string", "null"], "format": "date",
                     "description": "the day it was posted: the day it listed its papers"},
            "papers": {**texts, "description": "ids of its papers, in posting order"}},
    }
    return {
        "$schema": DRAFT, "$id": base_url + SCHEMA_JSON,
        "title": "papers.json of a litdigest site",
        "description": "Every paper of the site with its fields, in the order of their ids.",
        "type": "object", "additionalProperties": False,
        "required": ["$schema", "title", "base_url", "digests", "papers"],
        "properties": {
            "$schema": {"const": base_url + SCHEMA_JSON},
            "title": {**text, "description": "the site's title"},
            "base_url": {"type": "string", "format": "uri"},
            "digests": {"type": "array", "items": {"$ref": "#/$defs/digest"},
                        "description": "every digest, in the order of their ids"},
            "papers": {"type": "array", "items": {"$ref": "#/$defs/paper"}},
        },
        "$defs": {"paper": paper, "digest": digest},
    }


def schema_document(library: Library) -> bytes:
    return (json.dumps(schema(site_base_url(library.config)), ensure_ascii=False, indent=2)
            + "\n").encode("utf-8")


# The pages made here rather than through a template, by the name plan_pages gives as template,
# from the library and the papers' lines the build has at hand.
MADE_IN_PYTHON: dict[str, Callable[[Library, Records | None], bytes | bytearray]] = {
    PAPERS_JSON: papers_document, SCHEMA_JSON: lambda library, _: schema_document(library)}
