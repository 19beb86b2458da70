"""The one reader of `content/`: which files it holds, in which order, and each file parsed.

Import, build and check all read `content/` through here, so a page means the same to each and
its problems are reported in the same words and order: `site.yaml` first, then the papers, tags
and digests, each folder by file name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Union

from litdigest.content.config import parse_config
from litdigest.content.model import Content, Digest, Paper, SiteConfig, Tag
from litdigest.content.pages import parse_digest, parse_paper, parse_tag
from litdigest.content.reading import read_regular
from litdigest.errors import LitdigestError, Problem

PAPERS = "papers"
TAGS = "tags"
DIGESTS = "digests"
RAW = "raw"
SITE_YAML = "site.yaml"
FOLDERS = (PAPERS, TAGS, DIGESTS)  # the folders of pages, in reading order

Item = Union[Paper, Tag, Digest, SiteConfig]
PARSERS: dict[str, Callable[[str, Path | str], Item]] = {
    SITE_YAML: parse_config, PAPERS: parse_paper, TAGS: parse_tag, DIGESTS: parse_digest}


def reading_order(rel: str) -> tuple[int, str]:
    """Where a file of `content/` (a path relative to it) comes in reading and reporting order."""
    first = rel.split("/", 1)[0]
    return (0 if rel == SITE_YAML else 1 + FOLDERS.index(first) if first in FOLDERS else 9, rel)


def is_source(rel: str) -> bool:
    """Whether a path relative to `content/` is a file the build reads."""
    if rel == SITE_YAML:
        return True
    folder, _, name = rel.partition("/")
    return folder in FOLDERS and name.endswith(".md") and "/" not in name


def page_paths(content_dir: Path, folder: str) -> list[Path]:
    """The pages of one folder of `content/`, by name."""
    target = content_dir / folder
    return sorted(target.glob("*.md")) if target.is_dir() else []


def decode_text(data: bytes, path: Path | str) -> str:
    """The text of a content file's bytes; undecodable bytes are the user's mistake."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise LitdigestError(Problem(str(path), line, "not UTF-8 text",
                                     "save the file as UTF-8")) from None


def read_text(path: Path) -> str:
    """A content file's text (a regular file only: `reading.read_regular`)."""
    return decode_text(read_regular(path), path)


def parse_source(rel: str, data: bytes, path: Path | str) -> Item:
    """One file of `content/` (`rel`: its path relative to the folder) from its bytes; raise
    LitdigestError with every problem it has."""
    parse = PARSERS[SITE_YAML if rel == SITE_YAML else rel.split("/", 1)[0]]
    return parse(decode_text(data, path), path)


def read_source(content_dir: Path, rel: str) -> Item:
    """One file of `content/`, read and parsed; raise LitdigestError on any problem."""
    path = content_dir / rel
    return parse_source(rel, read_regular(path), path)


@dataclass(frozen=True)
class ContentFiles:
    """Every page of `content/` with the path it came from, and every problem found reading them."""

    config: SiteConfig
    papers: list[tuple[Path, Paper]]
    tags: list[tuple[Path, Tag]]
    digests: list[tuple[Path, Digest]]
    problems: list[Problem]


def read_content_files(content_dir: Path) -> ContentFiles:
    """Every file of `content/`, each parsed; the problems of all of them, in reading order."""
    config = SiteConfig()
    found: dict[str, list[tuple[Path, Item]]] = {folder: [] for folder in FOLDERS}
    problems: list[Problem] = []
    rels = ([SITE_YAML] if os.path.lexists(content_dir / SITE_YAML) else [])  # a broken link is reported
    rels += [f"{folder}/{path.name}" for folder in FOLDERS for path in page_paths(content_dir, folder)]
    for rel in rels:
        try:
            item = read_source(content_dir, rel)
        except LitdigestError as err:
            problems += err.problems
            continue
        if isinstance(item, SiteConfig):
            config = item
        else:
            found[rel.split("/", 1)[0]].append((content_dir / rel, item))
    return ContentFiles(config, found[PAPERS], found[TAGS], found[DIGESTS],  # type: ignore[arg-type]
                        problems)


def load_content(content_dir: Path) -> Content:
    """Read all of `content/`; raise one error listing every problem in it."""
    files = read_content_files(content_dir)
    if files.problems:
        raise LitdigestError(files.problems)
    return Content(config=files.config, papers=tuple(p for _, p in files.papers),
                   tags={t.name: t for _, t in files.tags},
                   digests=tuple(d for _, d in files.digests))
