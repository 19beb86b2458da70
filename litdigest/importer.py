"""The `import` stage: raw digests in, merged paper, tag and digest pages in `content/` out.

Every input file is read and parsed before anything is written; any user mistake in any file
stops the run with all problems listed and `content/` untouched. Pages are merged with what
`content/` already holds (gaining what was missing, never losing what a person wrote) and
written through temporary files, each only when its bytes change, so a second import of the
same files changes nothing.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from . import clean, formats
from . import identity as ids
from .content import (DIGESTS, PAPERS, TAGS, digest_text, paper_text, parse_digest, parse_paper,
                      read_text, tag_text)
from .errors import LitdigestError, Problem
from .formats import FORMAT_NAMES, ParsedDigest, ParsedFile, ParsedPaper
from .model import Commentary, Digest, Paper, Tag
from .progress import Progress, silent

UNPLACED_SHOWN = 72  # characters of an unplaced line quoted in the report
T = TypeVar("T")


# ---- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FileReport:
    """What one raw file gave: its format, its papers' fate, and every line left unplaced."""

    path: Path
    format: str
    papers: int
    new: int
    updated: int
    unchanged: int
    unplaced: tuple[tuple[int, str], ...]

    def text(self) -> str:
        head = (f"{self.path}: {self.format}, {_count(self.papers, 'paper')} "
                f"({self.new} new, {self.updated} updated, {self.unchanged} unchanged)")
        if self.unplaced:
            head += f", {_count(len(self.unplaced), 'line')} not placed:"
        lines = [f"  line {number}: {clean.shorten(text, UNPLACED_SHOWN)}"
                 for number, text in self.unplaced]
        return "\n".join([head, *lines])


@dataclass(frozen=True)
class ImportReport:
    """The whole run: one entry per raw file, and the pages whose bytes changed."""

    files: tuple[FileReport, ...]
    written: tuple[Path, ...]

    @property
    def unplaced_count(self) -> int:
        return sum(len(f.unplaced) for f in self.files)

    def text(self) -> str:
        total = sum(f.papers for f in self.files)
        summary = (f"{_count(total, 'paper')} from {_count(len(self.files), 'file')}: "
                   f"{sum(f.new for f in self.files)} new, {sum(f.updated for f in self.files)} updated, "
                   f"{sum(f.unchanged for f in self.files)} unchanged; "
                   f"{_count(self.unplaced_count, 'line')} not placed; "
                   f"{_count(len(self.written), 'page')} written")
        return "\n".join([*(f.text() for f in self.files), summary])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# ---- the stage ------------------------------------------------------------------------------


def run_import(raw_paths: list[Path], content_dir: Path, fmt: str | None = None,
               strict: bool = False, encoding: str | None = None,
               progress: Progress | None = None) -> ImportReport:
    """Import raw digests into `content_dir`; raise LitdigestError listing every problem."""
    progress = progress or silent()
    paths = sorted({Path(p) for p in raw_paths}, key=str)
    parsed = parse_all(paths, fmt, encoding)
    if strict:
        _refuse_unplaced(parsed)
    store = Store.read(content_dir, progress)
    reports = [store.add_file(path, found) for path, found in parsed]
    written = write_pages(store.pages(), progress)
    return ImportReport(tuple(reports), tuple(written))


def parse_all(paths: list[Path], fmt: str | None,
              encoding: str | None) -> list[tuple[Path, ParsedFile]]:
    """Every file parsed, or one error listing the problems of all of them."""
    problems = _option_problems(fmt, encoding)
    if problems:
        raise LitdigestError(problems)
    parsed: list[tuple[Path, ParsedFile]] = []
    for path in paths:
        result = parse_file(path, fmt, encoding)
        if isinstance(result, Problem):
            problems.append(result)
        else:
            parsed.append((path, result))
    if problems:
        raise LitdigestError(problems)
    problems = _digest_clashes(parsed)
    if problems:
        raise LitdigestError(problems)
    return parsed


def _option_problems(fmt: str | None, encoding: str | None) -> list[Problem]:
    problems = []
    if fmt is not None and fmt not in FORMAT_NAMES:
        problems.append(Problem("--format", None, f"unknown format '{fmt}'",
                                f"use one of: {', '.join(FORMAT_NAMES)}"))
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            problems.append(Problem("--encoding", None, f"unknown encoding '{encoding}'",
                                    "use a Python codec name such as cp949, euc-kr or latin-1"))
    return problems


def parse_file(path: Path, fmt: str | None, encoding: str | None) -> ParsedFile | Problem:
    """One raw file parsed, or the problem that stops it."""
    text = read_raw(path, encoding)
    if isinstance(text, Problem):
        return text
    lines = clean.split_lines(text)
    if not any(lines):
        return Problem(str(path), None, "empty file", "put a digest in it or leave it out")
    found = fmt or formats.detect_format(lines)
    if found is None:
        return Problem(str(path), 1, "format not recognised",
                       f"pass --format NAME (one of {', '.join(FORMAT_NAMES)})")
    return formats.parse(lines, found)


def read_raw(path: Path, encoding: str | None) -> str | Problem:
    """The text of a raw digest: UTF-8 (BOM or not), UTF-16 with a BOM, or `encoding`."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        return Problem(str(path), None, f"cannot read: {err.strerror or err}", "check the path")
    codec = encoding or ("utf-16" if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
                         else "utf-8")
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as err:
        line = clean.count_lines(raw[:err.start].decode(codec, errors="replace"))
        if encoding:
            return Problem(str(path), line, f"not {encoding} text",
                           "pass the encoding the file was saved in, or save it as UTF-8")
        return Problem(str(path), line, "not UTF-8", "save as UTF-8 or pass --encoding cp949")


def _refuse_unplaced(parsed: list[tuple[Path, ParsedFile]]) -> None:
    problems = [Problem(str(path), number, f"line not placed: {clean.shorten(text, UNPLACED_SHOWN)}",
                        "fix or remove the line, or import without --strict")
                for path, found in parsed for number, text in found.unplaced]
    if problems:
        raise LitdigestError(problems)


def _digest_clashes(parsed: list[tuple[Path, ParsedFile]]) -> list[Problem]:
    """Two raw files must not make the same digest (`000_a1b2c3d4.txt` and `000.txt`)."""
    owners: dict[str, Path] = {}
    problems = []
    for path, found in parsed:
        for digest in found.digests:
            name = digest_id_of(path, digest)
            owner = owners.setdefault(name, path)
            if owner != path:
                problems.append(Problem(str(path), digest.line,
                                        f"digest '{name}' is also made by {owner}",
                                        "rename one of the files"))
    return problems


def digest_id_of(path: Path, digest: ParsedDigest) -> str:
    return ids.digest_id(path.name, digest.date.isoformat() if digest.date else None)


# ---- turning parsed papers into pages -----------------------------------------------------------


def paper_from(parsed: ParsedPaper, digest: str, date: dt.date | None) -> Paper:
    """A page for a parsed paper (its slug still to be chosen): cleaned, titled, identified."""
    abstract = clean.clean_markdown(parsed.abstract)
    title = clean.clean_plain(parsed.title)
    derived = not title
    if derived:
        title = clean.derive_title(clean.clean_plain(parsed.abstract))
    links = ((("arxiv", ids.arxiv_url(parsed.arxiv)),) if parsed.arxiv else ()) + parsed.links
    return Paper(
        id=ids.paper_id(arxiv=parsed.arxiv, title=title, title_derived=derived, abstract=abstract),
        slug="",
        title=title,
        title_derived=derived,
        authors=parsed.authors,
        date=date,
        tags=_unique(t for t in (ids.tag_name(tag) for tag in parsed.tags) if t),
        venue=clean.clean_plain(parsed.venue) if parsed.venue else None,
        links=tuple(dict(links).items()),
        digests=(digest,),
        abstract=abstract,
        commentary=tuple(Commentary(lang, "\n\n".join(clean.clean_markdown(p) for p in paragraphs))
                         for lang, paragraphs in parsed.commentary),
    )


def merge_paper(old: Paper, new: Paper) -> Paper:
    """`old` gaining what `new` knows and it lacks; nothing of `old` is lost or overwritten."""
    better_title = old.title_derived and not new.title_derived
    old_links = dict(old.links)
    return replace(
        old,
        title=new.title if better_title else old.title,
        title_derived=False if better_title else old.title_derived,
        authors=old.authors or new.authors,
        date=old.date or new.date,
        tags=_unique([*old.tags, *new.tags]),
        venue=old.venue or new.venue,
        links=old.links + tuple((k, v) for k, v in new.links if k not in old_links),
        digests=_unique([*old.digests, *new.digests]),
        abstract=old.abstract or new.abstract,
        commentary=old.commentary + tuple(c for c in new.commentary if c.lang not in old.languages),
    )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    """The items in their first-seen order, each once."""
    return tuple(dict.fromkeys(items))


def new_tag(name: str, written: str) -> Tag:
    """A first tag page: its display name as written (`Large Language Model`), Korean kept in ko."""
    display = written.lstrip("#").strip() or name
    return Tag(name=name, en=display, ko=display if formats.is_korean(display) else "")


def merge_digest(old: Digest, new: Digest) -> Digest:
    return replace(old, title=old.title or new.title, date=old.date or new.date,
                   source=old.source or new.source, papers=_unique([*old.papers, *new.papers]))


# ---- what content/ holds, and what it will hold --------------------------------------------------


class Store:
    """The pages of `content/` during one import: those read, as merged, and the new ones."""

    def __init__(self, content_dir: Path) -> None:
        self.content_dir = content_dir
        self.papers: dict[Path, Paper] = {}
        self.tags: dict[str, Tag] = {}
        self.existing_tags: set[str] = set()
        self.digests: dict[str, Digest] = {}
        self.by_id: dict[str, Path] = {}
        self.by_title: dict[str, Path] = {}
        self.by_abstract: dict[str, Path] = {}
        self.slugs: set[str] = set()

    @classmethod
    def read(cls, content_dir: Path, progress: Progress | None = None) -> Store:
        """What `content/` holds now; a page that does not read is the user's to fix first."""
        store = cls(content_dir)
        problems: list[Problem] = []
        papers = _pages(content_dir / PAPERS)
        for path in (progress or silent()).track(papers, "reading content", len(papers)):
            paper = _read_page(path, parse_paper, problems)
            store.slugs.add(path.stem)
            if paper is not None:
                store.remember(path, paper)
        for path in _pages(content_dir / DIGESTS):
            digest = _read_page(path, parse_digest, problems)
            if digest is not None:
                store.digests[path.stem] = digest
        store.existing_tags = {path.stem for path in _pages(content_dir / TAGS)}
        if problems:
            raise LitdigestError(problems)
        return store

    def remember(self, path: Path, paper: Paper) -> None:
        self.papers[path] = paper
        self.slugs.add(paper.slug)
        self.by_id.setdefault(paper.id, path)
        if not paper.title_derived:
            self.by_title.setdefault(ids.normalized(paper.title), path)
        if paper.abstract.strip():
            self.by_abstract.setdefault(ids.normalized(paper.abstract), path)

    def find(self, paper: Paper) -> Path | None:
        """The page of the same paper: same id, else same real title, else same abstract."""
        if paper.id in self.by_id:
            return self.by_id[paper.id]
        if not paper.title_derived and ids.normalized(paper.title) in self.by_title:
            return self.by_title[ids.normalized(paper.title)]
        return self.by_abstract.get(ids.normalized(paper.abstract)) if paper.abstract.strip() else None

    def add_file(self, path: Path, found: ParsedFile) -> FileReport:
        counts = {"new": 0, "updated": 0, "unchanged": 0}
        for digest in found.digests:
            name = digest_id_of(path, digest)
            paper_ids = [self.add_paper(p, name, digest.date, counts) for p in digest.papers]
            self.add_digest(Digest(name, digest.title, digest.date, path.name, _unique(paper_ids)))
            for parsed in digest.papers:
                self.add_tags(parsed)
        return FileReport(path, found.format, len(found.papers), counts["new"], counts["updated"],
                          counts["unchanged"], found.unplaced)

    def add_paper(self, parsed: ParsedPaper, digest: str, date: dt.date | None,
                  counts: dict[str, int]) -> str:
        """Merge or create the paper's page; return the id it is known by."""
        paper = paper_from(parsed, digest, date)
        page = self.find(paper)
        if page is None:
            slug = ids.paper_slug(paper.title, paper.id, self.slugs)
            paper, page = replace(paper, slug=slug), self.content_dir / PAPERS / f"{slug}.md"
            counts["new"] += 1
        else:
            old, paper = self.papers[page], merge_paper(self.papers[page], paper)
            counts["updated" if paper != old else "unchanged"] += 1
        self.remember(page, paper)
        return paper.id

    def add_digest(self, digest: Digest) -> None:
        old = self.digests.get(digest.id)
        self.digests[digest.id] = merge_digest(old, digest) if old else digest

    def add_tags(self, parsed: ParsedPaper) -> None:
        for written in parsed.tags:
            name = ids.tag_name(written)
            if name and name not in self.existing_tags and name not in self.tags:
                self.tags[name] = new_tag(name, written)

    def pages(self) -> list[tuple[Path, str]]:
        """Every page this import may write, as (path, text), in a stable order."""
        found = [(path, paper_text(paper)) for path, paper in self.papers.items()]
        found += [(self.content_dir / TAGS / f"{name}.md", tag_text(tag)) for name, tag in self.tags.items()]
        found += [(self.content_dir / DIGESTS / f"{name}.md", digest_text(digest))
                  for name, digest in self.digests.items()]
        return sorted(found)


def _pages(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def _read_page(path: Path, parse: Callable[[str, Path], tuple[T | None, list[Problem]]],
               problems: list[Problem]) -> T | None:
    try:
        page, found = parse(read_text(path), path)
    except LitdigestError as err:
        page, found = None, err.problems
    problems += found
    return page


# ---- writing --------------------------------------------------------------------------------------


def write_pages(pages: list[tuple[Path, str]], progress: Progress | None = None) -> list[Path]:
    """Write the pages whose bytes differ: all to temporary files first, then each moved in place."""
    checked = (progress or silent()).track(pages, "comparing pages", len(pages))
    changed = [(path, text.encode("utf-8")) for path, text in checked if not _same_bytes(path, text)]
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in changed:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temp.write_bytes(data)
            staged.append((temp, path))
        for temp, path in staged:
            os.replace(temp, path)
    finally:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
    return [path for path, _ in changed]


def _same_bytes(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False
