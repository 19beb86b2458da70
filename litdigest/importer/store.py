"""The pages of `content/` during one import — as read, as merged so far, and the new ones —
with the import state beside them; what the import will write comes from here (`Store.files`).

`Store.read` reads content/ and the state; `Store.add_file` finds each listing of a parsed file
among the pages (`matching.PaperIndex`) and merges it into its page (`merge.py`) or makes a new
page, its slug set once; tag pages are made for new tags.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from functools import reduce
from pathlib import Path
from typing import TypeVar

from litdigest.content.language import is_korean
from litdigest.content.model import Digest, Paper, Tag
from litdigest.content.folder import DIGESTS, PAPERS, TAGS, page_paths, read_source
from litdigest.content.pages import digest_text, paper_text, tag_text
from litdigest.errors import LitdigestError, Problem
from litdigest.importer import identity as ids
from litdigest.importer.digest_titles import digest_title
from litdigest.importer.formats import ParsedDigest, ParsedFile
from litdigest.importer.listings import best_id, cluster_listings, paper_from, unique
from litdigest.importer.matching import PaperIndex
from litdigest.importer.merge import (Kept, combine, merge_digest, merge_paper, new_digest_record,
                                      new_paper_record)
from litdigest.importer.migrate import commentary_to_digest
from litdigest.importer.raw import digest_id_of
from litdigest.importer.report import FileReport, KeptEdit
from litdigest.importer.state import STATE_FILE, DigestState, ImportState, PaperState, read_state, state_text
from litdigest.progress import Progress, silent

T = TypeVar("T")


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
        self.removed: dict[str, str] = {}  # id or alias of a paper a person removed -> its id
        self.not_readded: list[tuple[int, str]] = []  # this file's listings of them: line, slug

    @classmethod
    def read(cls, content_dir: Path, progress: Progress | None = None) -> Store:
        """What `content/` holds now; a page that does not read is the user's to fix first."""
        store = cls(content_dir, read_state(content_dir))
        problems: list[Problem] = []
        papers = page_paths(content_dir, PAPERS)
        for path in (progress or silent()).track(papers, "reading content", len(papers)):
            paper = _read_page(content_dir, PAPERS, path, problems)
            store.slugs.add(path.stem)
            if isinstance(paper, Paper):
                store.read_papers[path] = paper
                store.remember(path, paper)
        for path in page_paths(content_dir, DIGESTS):
            digest = _read_page(content_dir, DIGESTS, path, problems)
            if isinstance(digest, Digest):
                store.digests[path.stem] = store.read_digests[path.stem] = digest
        store.existing_tags = {_nfc(path.stem) for path in page_paths(content_dir, TAGS)}
        if problems:
            raise LitdigestError(problems)
        store.take_removals()
        return store

    def take_removals(self) -> None:
        """Papers a person took off the site: those marked removed, and those the importer wrote
        whose page is gone (deleting a page by hand removes the paper, as `litdigest remove`
        does), each known by its id and aliases; they leave every digest's list. A removed
        paper whose page is back (put back by hand) is no longer removed."""
        on_pages = {paper.id for paper in self.papers.values()}
        for pid, record in list(self.paper_records.items()):
            if pid in on_pages or record.slug in self.slugs:
                if record.removed and pid in on_pages:
                    self.paper_records[pid] = replace(record, removed=False)
                continue
            if not record.removed:
                self.paper_records[pid] = record = replace(record, removed=True)
            self.slugs.add(record.slug)  # kept for its restore: no new page takes it
            for known in (pid, *record.aliases):
                self.removed[known] = pid
        for name, digest in self.digests.items():
            kept = tuple(pid for pid in digest.papers if pid not in self.removed)
            if kept != digest.papers:
                self.digests[name] = replace(digest, papers=kept)

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
        self.not_readded = []
        repeated: list[tuple[int, int]] = []
        kept: list[KeptEdit] = []
        untitled: list[tuple[str, str]] = []
        for digest in found.digests:
            name = self._digest_id(path, digest)
            groups, fresh = self._group(digest, name)
            self._refuse_another_digest(path, digest, name, groups)
            for page, listings in groups.items():
                repeated += [(line, listings[0][0]) for line, _ in listings[1:]]
                incoming = reduce(combine, [paper for _, paper in listings])
                status, edits = self._merge(page, incoming, name, page in fresh)
                self._remember_aliases(page, [paper.id for _, paper in listings])
                counts[status] += 1
                kept += [self._kept(listings[0][0], page, edit) for edit in edits]
            paper_ids = unique(self.papers[page].id for page in groups)
            title, derived = digest_title(path, digest)
            kept += self._add_digest(Digest(name, title, digest.date, path.name, paper_ids, derived),
                                     digest.line)
            shown = self.digests[name]
            if not shown.title or (shown.title_derived and shown.title == title):
                untitled.append((name, shown.label))
            for parsed in digest.papers:
                for written in parsed.tags:
                    self.spellings.setdefault(ids.tag_name(written), written)
        return FileReport(path, found.format, len(found.papers), counts["new"], counts["merged"],
                          counts["unchanged"], found.unplaced, tuple(sorted(repeated)),
                          tuple(sorted(kept, key=lambda k: (k.line, k.page, k.field))),
                          tuple(sorted(self.not_readded)), tuple(untitled))

    def _digest_id(self, path: Path, digest: ParsedDigest) -> str:
        """The digest's id (raw.digest_id_of); a digest this file made under the id it had
        before (identity.legacy_digest_id) keeps that one, so its URL never changes."""
        legacy = ids.legacy_digest_id(path.name, digest.date.isoformat() if digest.date else None)
        known = self.digests.get(legacy)
        return legacy if known is not None and known.source == path.name else digest_id_of(path, digest)

    def _group(self, digest: ParsedDigest, name: str) -> tuple[dict[Path, list[tuple[int, Paper]]], set[Path]]:
        """The digest's listings by the page they belong to (new pages made as needed). Listings
        of one paper are recognised among themselves first, so what any of them says (an arXiv
        id in one, a real title in another) helps find the page, whatever their order."""
        clusters = cluster_listings([(parsed.line, paper_from(parsed, name))
                                     for parsed in digest.papers])
        groups: dict[Path, list[tuple[int, Paper]]] = {}
        fresh: set[Path] = set()
        for listings in clusters:
            combined = reduce(combine, [paper for _, paper in listings])
            page = self.index.find(combined)
            if page is None:
                gone = self._removed_paper([combined, *(paper for _, paper in listings)])
                if gone is not None:  # a person took it off the site: it stays off
                    self.not_readded.append((listings[0][0], self.paper_records[gone].slug))
                    continue
                page = self._new_page(combined)
                fresh.add(page)
            groups.setdefault(page, []).extend(listings)
        return groups, fresh

    def _refuse_another_digest(self, path: Path, digest: ParsedDigest, name: str,
                               groups: dict[Path, list[tuple[int, Paper]]]) -> None:
        """A raw file makes the digest its name says (with its date, where it has one); if that
        digest is already in content/ and this is not the file it came from (another file name,
        or not one paper in common), the import stops rather than merge two digests into one."""
        current = self.read_digests.get(name)
        if current is None or not current.papers:
            return
        listed = {self.papers[page].id for page in groups}
        if current.source and current.source != path.name:
            why = f"was imported from {current.source}"
        elif listed and not listed & set(current.papers):
            why = f"lists {len(current.papers)} other papers, none of this file's"
        else:
            return
        raise LitdigestError(Problem(
            str(path), digest.line, f"this file would be merged into digest '{name}', which {why}",
            f"rename this file (say {ids.digest_id(path.name)}-2{path.suffix}) and import it "
            f"again: each file makes a digest of its own"))

    def _removed_paper(self, listings: list[Paper]) -> str | None:
        """The id of the removed paper these listings name, if any: by id or alias."""
        return next((self.removed[p.id] for p in listings if p.id in self.removed), None)

    def _new_page(self, listing: Paper) -> Path:
        """A new page for a paper, under the slug the state knows for its id, else a new one."""
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
            named, recorded = commentary_to_digest(current, self.paper_records.get(current.id),
                                                   incoming, digest)
            merged = merge_paper(named, recorded, incoming, digest)
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
        used = unique(tag for path in sorted(self.touched) for tag in self.papers[path].tags)
        return [(name, new_tag(name, self.spellings.get(name, name)))
                for name in used if name not in self.existing_tags and ids.is_safe_name(name)]


def new_tag(name: str, written: str) -> Tag:
    """A first tag page: its display name as written (`Large Language Model`), Korean kept in ko."""
    display = written.lstrip("#").strip() or name
    return Tag(name=name, en=display, ko=display if is_korean(display) else "")


def _nfc(name: str) -> str:
    """A file name as composed Unicode (macOS lists Korean file names decomposed)."""
    return unicodedata.normalize("NFC", name)


def _read_page(content_dir: Path, folder: str, path: Path, problems: list[Problem]) -> object:
    """A page through the one reader of content/; its problems join `problems`."""
    try:
        return read_source(content_dir, f"{folder}/{path.name}")
    except LitdigestError as err:
        problems += err.problems
        return None
