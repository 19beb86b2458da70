"""The `import` stage: raw digests in, merged paper, tag and digest pages in `content/` out.

A run, in order:

1. an earlier import that was killed half-way is rolled back (`journal.recover`);
2. every input file is read and parsed before anything is written; any user mistake in any
   file stops the run with all problems listed and `content/` untouched;
3. `content/` and the import state (`state.py`: what the importer last wrote) are read;
4. per file and per digest in it, each listed paper is found — by any of its ids (arXiv, DOI,
   or the hash id of a paper with neither), else by its normalized real title, else by its
   normalized abstract, never across two different arXiv ids or DOIs; the listings of one paper
   in one digest are combined and merged into its page (`merge.py`: it gains what it lacked,
   loses nothing, and keeps every edit a person made), or a new page is made, its slug set once;
5. the pages whose data changed, new tag pages and the state are written all or nothing
   (`journal.py`). A second import of the same files changes no byte.

The report counts, per file, papers, new, merged and unchanged ones, lists every line it could
not place (with its number), every repeated listing and every person's edit that won over what
the digest says.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import reduce
from pathlib import Path
from typing import TypeVar

from litdigest.importer import clean
from litdigest.importer import formats
from litdigest.content import journal
from litdigest.importer import identity as ids
from litdigest.content.folder import DIGESTS, PAPERS, TAGS, read_text
from litdigest.content.pages import digest_text, paper_text, parse_digest, parse_paper, tag_text
from litdigest.errors import LitdigestError, Problem
from litdigest.files import same_bytes
from litdigest.importer.formats import FORMAT_NAMES, ParsedDigest, ParsedFile, ParsedPaper
from litdigest.importer.matching import PaperIndex
from litdigest.importer.merge import (EARLIER, EDIT, Kept, combine, merge_digest, merge_paper, new_digest_record,
                    new_paper_record)
from litdigest.content.model import Commentary, Digest, Paper, Tag
from litdigest.progress import Progress, silent
from litdigest.content.language import is_korean
from litdigest.importer.state import STATE_FILE, DigestState, ImportState, PaperState, read_state, state_text

UNPLACED_SHOWN = 72  # characters of an unplaced line quoted in the report
T = TypeVar("T")


# ---- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeptEdit:
    """A value that won over what a digest says, where the digest lists the paper: a person's
    edit, or (`by` EARLIER) what an earlier digest gave."""

    line: int
    page: str  # `papers/x.md`, relative to content/
    field: str
    page_value: str
    source_value: str
    by: str = EDIT

    def text(self) -> str:
        page, source = _brief(self.page_value, 40), _brief(self.source_value, 40)
        if self.by == EARLIER:
            return (f"{self.page}: {self.field} stays \"{page}\" from an earlier digest; "
                    f"this one says \"{source}\" (not used)")
        if not self.page_value and self.field in ("tag", "link", "digest", "paper"):
            return (f"kept your edit of {self.page}: {self.field} "
                    f"'{_brief(self.source_value, 60)}' stays removed")
        return f"kept your edit of {self.page}: {self.field} is \"{page}\", the digest says \"{source}\""


def _brief(value: str, length: int) -> str:
    """A value on one line of the report: its spaces and line breaks as single spaces, shortened."""
    return clean.shorten(" ".join(value.split()), length)


@dataclass(frozen=True)
class FileReport:
    """What one raw file gave: its format, its papers' fate, and every line left unplaced."""

    path: Path
    format: str
    papers: int
    new: int
    merged: int
    unchanged: int
    unplaced: tuple[tuple[int, str], ...]
    repeated: tuple[tuple[int, int], ...] = ()  # (line, line of the paper's first listing)
    kept: tuple[KeptEdit, ...] = ()

    @property
    def updated(self) -> int:
        """The number of merged papers, by its earlier name."""
        return self.merged

    def text(self) -> str:
        counts = f"{self.new} new, {self.merged} merged, {self.unchanged} unchanged"
        if self.repeated:
            counts += f", {len(self.repeated)} repeated"
        head = f"{self.path}: {self.format}, {_count(self.papers, 'paper')} ({counts})"
        if self.unplaced:
            head += f", {_count(len(self.unplaced), 'line')} not placed"
        edits = sum(1 for k in self.kept if k.by == EDIT)
        if edits:
            head += f", {_count(edits, 'edit')} kept"
        if len(self.kept) > edits:
            head += f", {_count(len(self.kept) - edits, 'value')} not used"
        details = [f"  line {number}: {clean.shorten(text, UNPLACED_SHOWN)}" for number, text in self.unplaced]
        details += [f"  line {number}: the same paper as line {first}, merged into it"
                    for number, first in self.repeated]
        details += [f"  line {edit.line}: {edit.text()}" for edit in self.kept]
        return "\n".join([head + (":" if details else ""), *details])


@dataclass(frozen=True)
class ImportReport:
    """The whole run: one entry per raw file, and the files whose bytes changed."""

    files: tuple[FileReport, ...]
    written: tuple[Path, ...]
    recovered: bool = False  # an earlier, interrupted import was rolled back first

    @property
    def unplaced_count(self) -> int:
        return sum(len(f.unplaced) for f in self.files)

    @property
    def kept_count(self) -> int:
        """Edits kept against what a digest says."""
        return sum(1 for f in self.files for k in f.kept if k.by == EDIT)

    @property
    def unused_count(self) -> int:
        """Values a digest gave that differ from an earlier digest's and were not used."""
        return sum(1 for f in self.files for k in f.kept if k.by == EARLIER)

    def text(self) -> str:
        total = sum(f.papers for f in self.files)
        summary = (f"{_count(total, 'paper')} from {_count(len(self.files), 'file')}: "
                   f"{sum(f.new for f in self.files)} new, {sum(f.merged for f in self.files)} merged, "
                   f"{sum(f.unchanged for f in self.files)} unchanged; "
                   f"{_count(self.unplaced_count, 'line')} not placed; ")
        if self.kept_count:
            summary += f"{_count(self.kept_count, 'edit')} kept; "
        if self.unused_count:
            summary += f"{_count(self.unused_count, 'value')} not used; "
        summary += f"{_count(len(self.written), 'file')} written"
        first = ["rolled back an earlier import that was interrupted"] if self.recovered else []
        return "\n".join([*first, *(f.text() for f in self.files), summary])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# ---- the stage ------------------------------------------------------------------------------


def run_import(raw_paths: list[Path], content_dir: Path, fmt: str | None = None,
               strict: bool = False, encoding: str | None = None,
               progress: Progress | None = None) -> ImportReport:
    """Import raw digests into `content_dir`; raise LitdigestError listing every problem."""
    progress = progress or silent()
    paths = sorted({Path(p) for p in raw_paths}, key=str)
    recovered = journal.recover(content_dir) if content_dir.is_dir() else False
    parsed = parse_all(paths, fmt, encoding)
    if strict:
        _refuse_unplaced(parsed)
    store = Store.read(content_dir, progress)
    reports = [store.add_file(path, found) for path, found in parsed]
    written = write_files(content_dir, store.files(), progress)
    return ImportReport(tuple(reports), tuple(written), recovered)


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
    """One raw file parsed, or the problem that stops it. A line no parser accounted for (a bug)
    is reported as unplaced all the same: nothing is dropped silently."""
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
    parsed = formats.parse(lines, found)
    missing = formats.unaccounted(lines, parsed)
    return replace(parsed, unplaced=tuple(sorted({*parsed.unplaced, *missing}))) if missing else parsed


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

_FENCE = re.compile(r"^:::", re.MULTILINE)


def guard_fences(text: str) -> str:
    """Text with every line that would open or close a `::: commentary` block escaped as `\\:::`
    (Markdown shows it as `:::`), so a pasted `:::` can never cut a page's body apart."""
    return _FENCE.sub(r"\\:::", text)


def paper_from(parsed: ParsedPaper, digest: str, date: dt.date | None) -> Paper:
    """A page for a parsed paper (its slug still to be chosen): cleaned, titled, identified."""
    abstract = guard_fences(clean.clean_markdown(parsed.abstract))
    title = clean.clean_plain(parsed.title)
    derived = not title
    if derived:
        title = clean.derive_title(clean.clean_plain(parsed.abstract))
    links = (((("arxiv", ids.arxiv_url(parsed.arxiv)),) if parsed.arxiv else ())
             + ((("doi", ids.doi_url(parsed.doi)),) if parsed.doi else ()) + parsed.links)
    paragraphs = ((lang, [guard_fences(clean.clean_markdown(p)) for p in texts])
                  for lang, texts in parsed.commentary)
    return Paper(
        id=ids.paper_id(arxiv=parsed.arxiv, doi=parsed.doi, title=title, title_derived=derived,
                        abstract=abstract),
        slug="",
        title=title,
        title_derived=derived,
        authors=parsed.authors,
        date=date,
        tags=_unique(t for t in (ids.tag_name(tag) for tag in parsed.tags) if t),
        venue=clean.clean_plain(parsed.venue) if parsed.venue else None,
        links=_first_per_name(links),
        digests=(digest,),
        abstract=abstract,
        commentary=tuple(Commentary(lang, "\n\n".join(p for p in texts if p))
                         for lang, texts in paragraphs if any(texts)),
    )


def _first_per_name(links: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    kept: dict[str, str] = {}
    for name, url in links:
        kept.setdefault(name, url)
    return tuple(kept.items())


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    """The items in their first-seen order, each once."""
    return tuple(dict.fromkeys(items))


def new_tag(name: str, written: str) -> Tag:
    """A first tag page: its display name as written (`Large Language Model`), Korean kept in ko."""
    display = written.lstrip("#").strip() or name
    return Tag(name=name, en=display, ko=display if is_korean(display) else "")


# ---- what content/ holds, and what it will hold --------------------------------------------------


class Store:
    """The pages of `content/` during one import: as read, as merged so far, and the new ones,
    with the import state beside them."""

    def __init__(self, content_dir: Path, state: ImportState) -> None:
        self.content_dir = content_dir
        self.papers: dict[Path, Paper] = {}
        self.read_papers: dict[Path, Paper] = {}
        self.digests: dict[str, Digest] = {}
        self.read_digests: dict[str, Digest] = {}
        self.paper_records: dict[str, PaperState] = dict(state.papers)
        self.digest_records: dict[str, DigestState] = dict(state.digests)
        self.state_before = state_text(state)
        self.existing_tags: set[str] = set()
        self.spellings: dict[str, str] = {}  # tag name → how an input first wrote it
        self.touched: set[Path] = set()
        self.index: PaperIndex[Path] = PaperIndex()
        self.slugs: set[str] = set()

    @classmethod
    def read(cls, content_dir: Path, progress: Progress | None = None) -> Store:
        """What `content/` holds now; a page that does not read is the user's to fix first."""
        store = cls(content_dir, read_state(content_dir))
        problems: list[Problem] = []
        papers = _pages(content_dir / PAPERS)
        for path in (progress or silent()).track(papers, "reading content", len(papers)):
            paper = _read_page(path, parse_paper, problems)
            store.slugs.add(path.stem)
            if paper is not None:
                store.read_papers[path] = paper
                store.remember(path, paper)
        for path in _pages(content_dir / DIGESTS):
            digest = _read_page(path, parse_digest, problems)
            if digest is not None:
                store.digests[path.stem] = store.read_digests[path.stem] = digest
        store.existing_tags = {_nfc(path.stem) for path in _pages(content_dir / TAGS)}
        if problems:
            raise LitdigestError(problems)
        return store

    # -- finding papers

    def remember(self, path: Path, paper: Paper) -> None:
        self.papers[path] = paper
        self.slugs.add(paper.slug)
        record = self.paper_records.get(paper.id)
        self.index.remember(path, paper, also=record.links if record else (),
                            aliases=record.aliases if record else ())

    # -- adding a file

    def add_file(self, path: Path, found: ParsedFile) -> FileReport:
        counts = {"new": 0, "merged": 0, "unchanged": 0}
        repeated: list[tuple[int, int]] = []
        kept: list[KeptEdit] = []
        for digest in found.digests:
            name = digest_id_of(path, digest)
            groups, fresh = self._group(digest, name)
            for page, listings in groups.items():
                repeated += [(line, listings[0][0]) for line, _ in listings[1:]]
                incoming = reduce(combine, [paper for _, paper in listings])
                status, edits = self._merge(page, incoming, name, page in fresh)
                self._remember_aliases(page, [paper.id for _, paper in listings])
                counts[status] += 1
                kept += [self._kept(listings[0][0], page, edit) for edit in edits]
            paper_ids = _unique(self.papers[page].id for page in groups)
            kept += self._add_digest(Digest(name, digest.title, digest.date, path.name, paper_ids),
                                     digest.line)
            for parsed in digest.papers:
                for written in parsed.tags:
                    self.spellings.setdefault(ids.tag_name(written), written)
        return FileReport(path, found.format, len(found.papers), counts["new"], counts["merged"],
                          counts["unchanged"], found.unplaced, tuple(sorted(repeated)),
                          tuple(sorted(kept, key=lambda k: (k.line, k.page, k.field))))

    def _group(self, digest: ParsedDigest, name: str) -> tuple[dict[Path, list[tuple[int, Paper]]], set[Path]]:
        """The digest's listings by the page they belong to (new pages made as needed). Listings
        of one paper are recognised among themselves first, so what any of them says (an arXiv
        id in one, a real title in another) helps find the page, whatever their order."""
        clusters = cluster_listings([(parsed.line, paper_from(parsed, name, digest.date))
                                     for parsed in digest.papers])
        groups: dict[Path, list[tuple[int, Paper]]] = {}
        fresh: set[Path] = set()
        for listings in clusters:
            combined = reduce(combine, [paper for _, paper in listings])
            page = self.index.find(combined)
            if page is None:
                page = self._new_page(combined)
                fresh.add(page)
            groups.setdefault(page, []).extend(listings)
        return groups, fresh

    def _new_page(self, listing: Paper) -> Path:
        """A new page for a paper, under the slug it had if it was deleted, else a new one."""
        record = self.paper_records.get(listing.id)
        slug = record.slug if record and ids.is_safe_name(record.slug) and record.slug not in self.slugs \
            else ids.paper_slug(listing.title, listing.id, self.slugs)
        page = self.content_dir / PAPERS / f"{slug}.md"
        self.remember(page, replace(listing, id=best_id(listing), slug=slug))
        return page

    def _merge(self, page: Path, incoming: Paper, digest: str, fresh: bool) -> tuple[str, tuple[Kept, ...]]:
        current = self.papers[page]
        if fresh:
            paper = replace(incoming, id=current.id, slug=current.slug)
            record, kept, status = new_paper_record(paper, digest), (), "new"
        else:
            merged = merge_paper(current, self.paper_records.get(current.id), incoming, digest)
            paper, record, kept = merged.page, merged.record, merged.kept
            status = "unchanged" if paper == current else "merged"
        self.paper_records[paper.id] = record
        self.touched.add(page)
        self.remember(page, paper)
        return status, kept

    def _remember_aliases(self, page: Path, listing_ids: list[str]) -> None:
        """Record the ids of listings recognised as the page's paper, so that they name it in
        the next import too, whatever the page has become since."""
        paper = self.papers[page]
        record = self.paper_records[paper.id]
        known = {*ids.identifiers(paper.id, (*paper.links, *record.links)), *record.aliases}
        # another page's own id is never an alias
        new = {pid for pid in listing_ids if pid not in known and pid not in self.paper_records}
        if new:
            self.paper_records[paper.id] = replace(record, aliases=tuple(sorted({*record.aliases, *new})))
            self.remember(page, paper)

    def _add_digest(self, incoming: Digest, line: int) -> list[KeptEdit]:
        current = self.digests.get(incoming.id)
        if current is None:
            self.digests[incoming.id] = incoming
            self.digest_records[incoming.id] = new_digest_record(incoming)
            return []
        merged = merge_digest(current, self.digest_records.get(incoming.id), incoming)
        self.digests[incoming.id], self.digest_records[incoming.id] = merged.page, merged.record
        page = self.content_dir / DIGESTS / f"{incoming.id}.md"
        return [self._kept(line, page, edit) for edit in merged.kept]

    def _kept(self, line: int, page: Path, edit: Kept) -> KeptEdit:
        where = page.relative_to(self.content_dir).as_posix()
        return KeptEdit(line, where, edit.field, edit.page, edit.source, edit.by)

    # -- what to write

    def files(self) -> list[tuple[Path, str]]:
        """Every file whose data this import changed or made, as (path, text), in a stable order:
        pages untouched keep their bytes even where a person formatted them differently."""
        found = [(path, paper_text(paper)) for path, paper in self.papers.items()
                 if self.read_papers.get(path) != paper]
        found += [(self.content_dir / DIGESTS / f"{name}.md", digest_text(digest))
                  for name, digest in self.digests.items() if self.read_digests.get(name) != digest]
        found += [(self.content_dir / TAGS / f"{name}.md", tag_text(tag)) for name, tag in self._new_tags()]
        state = state_text(ImportState(self.paper_records, self.digest_records))
        if state != self.state_before or not (self.content_dir / STATE_FILE).exists():
            found.append((self.content_dir / STATE_FILE, state))
        return sorted(found)

    def _new_tags(self) -> list[tuple[str, Tag]]:
        """A page for each tag a paper of this import carries that has none yet."""
        used = _unique(tag for path in sorted(self.touched) for tag in self.papers[path].tags)
        return [(name, new_tag(name, self.spellings.get(name, name)))
                for name in used if name not in self.existing_tags and ids.is_safe_name(name)]


def best_id(paper: Paper) -> str:
    """The id a new page gets: its arXiv id, else its DOI (either may come from a link a second
    listing added), else the id it has."""
    known = ids.identifiers(paper.id, paper.links)
    return next((key for kind in ("arxiv:", "doi:") for key in known if key.startswith(kind)), paper.id)


def cluster_listings(listings: list[tuple[int, Paper]]) -> list[list[tuple[int, Paper]]]:
    """A digest's (line, paper) listings grouped by paper, in the order each paper first appears."""
    index: PaperIndex[int] = PaperIndex()
    clusters: list[list[tuple[int, Paper]]] = []
    for line, paper in listings:
        found = index.find(paper)
        if found is None:
            found = len(clusters)
            clusters.append([])
        clusters[found].append((line, paper))
        index.remember(found, reduce(combine, [p for _, p in clusters[found]]))
    return clusters


def _nfc(name: str) -> str:
    """A file name as composed Unicode (macOS lists Korean file names decomposed)."""
    return unicodedata.normalize("NFC", name)


def _pages(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def _read_page(path: Path, parse: Callable[[str, Path], T], problems: list[Problem]) -> T | None:
    try:
        return parse(read_text(path), path)
    except LitdigestError as err:
        problems += err.problems
        return None


# ---- writing --------------------------------------------------------------------------------------


def write_files(content_dir: Path, files: list[tuple[Path, str]],
                progress: Progress | None = None) -> list[Path]:
    """Write the files whose bytes differ, all or nothing (`journal.write_all`)."""
    checked = (progress or silent()).track(files, "comparing pages", len(files))
    encoded = [(path, text.encode("utf-8")) for path, text in checked]
    changed = [(path, data) for path, data in encoded if not same_bytes(path, data)]
    if changed:
        try:
            content_dir.mkdir(parents=True, exist_ok=True)
            journal.write_all(content_dir, changed)
        except OSError as err:
            raise LitdigestError(Problem(str(err.filename or content_dir), None,
                                         f"cannot write: {err.strerror or err}",
                                         "nothing was changed; fix the cause (disk space, permissions) "
                                         "and import again")) from None
    return [path for path, _ in changed]
