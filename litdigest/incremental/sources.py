"""Read `content/` into its pages, reusing what the previous build read from files that did not change.

A file whose stamp (what `stat` says) is unchanged is not opened; one whose stamp changed is read,
and parsed again only if its bytes changed. The result, and every error message, is the same as
reading the whole folder afresh with content.folder.load_content.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from litdigest.build.tuning import PARALLEL_FROM_FILES, RACY_NS, TRAVEL_WEIGHT
from litdigest.incremental.hashes import content_hash
from litdigest.incremental.store import Source, Stamp, stamp_of
from litdigest.content.reading import read_regular
from litdigest.content.folder import FOLDERS, SITE_YAML, is_source, parse_source, reading_order
from litdigest.errors import LitdigestError, Problem
from litdigest.content.model import Content, Digest, Paper, SiteConfig, Tag
from litdigest.build.parallel import fork_map, split
from litdigest.build.theme import Templates
from litdigest.progress import Progress



def scan_content(content_dir: Path) -> dict[str, Stamp]:
    """The stamp of every file the build reads: site.yaml and the pages of each folder, in order."""
    stamps: dict[str, Stamp] = {}
    try:
        stamps[SITE_YAML] = stamp_of(os.stat(content_dir / SITE_YAML))
    except FileNotFoundError:  # none; but a link to nothing is read, and so reported
        if os.path.islink(content_dir / SITE_YAML):
            stamps[SITE_YAML] = stamp_of(os.lstat(content_dir / SITE_YAML))
    for folder in FOLDERS:
        stamps.update(_scan_pages(content_dir, folder))
    return stamps


def restamp(content_dir: Path, previous: Mapping[str, Source],
            changed: Iterable[str]) -> dict[str, Stamp]:
    """What scan_content would give, knowing which files changed since `previous` was read
    (from the watcher): only those, and files with no trusted stamp, are looked at again."""
    root = os.path.abspath(content_dir)
    touched = set()
    for path in changed:
        rel = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
        if is_source(rel):
            touched.add(rel)
    paths = set(previous) | touched
    stamps: dict[str, Stamp] = {}
    for rel in sorted(paths, key=reading_order):
        old = previous.get(rel)
        if rel in touched or old is None or old.stamp is None:
            try:
                stamps[rel] = stamp_of(os.stat(content_dir / rel))
            except FileNotFoundError:
                continue
        else:
            stamps[rel] = old.stamp
    return stamps


def _scan_pages(content_dir: Path, folder: str) -> dict[str, Stamp]:
    try:
        entries = sorted((e.name, e) for e in os.scandir(content_dir / folder)
                         if e.name.endswith(".md"))
    except (FileNotFoundError, NotADirectoryError):
        return {}
    return {f"{folder}/{name}": _stamp_of_entry(entry) for name, entry in entries}


def _stamp_of_entry(entry: os.DirEntry[str]) -> Stamp:
    """A page's stamp; a link to nothing is stamped itself, so that it is read, and reported."""
    try:
        return stamp_of(entry.stat())
    except FileNotFoundError:
        return stamp_of(entry.stat(follow_symlinks=False))


def scan_tree(folder: Path) -> dict[str, Stamp]:
    """The stamp of every file below a folder (the templates), by relative POSIX path. Only
    regular files are taken, and links only to files inside the folder: a link that loops or
    leads nowhere, a link to a folder (copying the static assets would follow it, maybe in a
    loop), a link out of the folder (its file would be published), a FIFO or a device are each
    reported, all at once, before anything is read or written."""
    stamps: dict[str, Stamp] = {}
    problems: list[Problem] = []
    inside = os.path.realpath(folder) + os.sep
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        base = Path(root).relative_to(folder).as_posix()
        for name in [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            dirs.remove(name)
            problems.append(_tree_problem(root, name, "a link to a folder"))
        for name in sorted(files):
            path = os.path.join(root, name)
            rel = name if base == "." else f"{base}/{name}"
            try:
                st = os.stat(path)
            except OSError as err:
                problems.append(_tree_problem(root, name, f"cannot read it: {err.strerror}"))
                continue
            if not stat.S_ISREG(st.st_mode):
                problems.append(_tree_problem(root, name, "not a regular file"))
            elif os.path.islink(path) and not os.path.realpath(path).startswith(inside):
                problems.append(_tree_problem(root, name, "a link to a file outside the folder"))
            else:
                stamps[rel] = stamp_of(st)
    if problems:
        raise LitdigestError(problems)
    return stamps


def scan_templates(templates: Templates) -> dict[str, Stamp]:
    """The stamp of every template file, by path relative to its folder: the site's own over
    the theme's (theme.py)."""
    stamps: dict[str, Stamp] = {}
    for folder in reversed(templates.folders):
        stamps.update(scan_tree(folder))
    return dict(sorted(stamps.items()))


def _tree_problem(root: str, name: str, what: str) -> Problem:
    return Problem(os.path.join(root, name), None, what,
                   "fix the template: put the file itself there")


@dataclass(frozen=True)
class Loaded:
    """`content/` as read now: each file's record, and the Content they make."""

    sources: dict[str, Source]
    content: Content
    changed: frozenset[str]  # files added, removed or with other bytes than last time


@dataclass(frozen=True)
class Meanwhile:
    """Other work for this process while the others read (`weight`: its cost in files read)."""

    run: Callable[[], None]
    weight: float


def load(content_dir: Path, stamps: Mapping[str, Stamp], previous: Mapping[str, Source],
         scanned_at_ns: int, progress: Progress, jobs: int = 1,
         meanwhile: Meanwhile | None = None) -> Loaded:
    """Every page of `content/`; raise one error listing every problem, as load_content does.
    Many files to read are read on `jobs` cores, this process doing `meanwhile` first."""
    unchanged = {path for path, stamp in stamps.items()
                 if path in previous and previous[path].stamp == stamp}
    to_read = [path for path in stamps if path not in unchanged]
    read = _read_all(content_dir, to_read, previous, progress, jobs, meanwhile)
    sources: dict[str, Source] = {}
    changed = set(previous) - set(stamps)
    problems: dict[str, list[Problem]] = {}
    for path, stamp in stamps.items():
        if path in unchanged:
            sources[path] = previous[path]
            continue
        hashed, item, found = read[path]
        trusted = stamp if stamp[0] < scanned_at_ns - RACY_NS else None
        if found:
            problems[path] = found
        elif item is None:  # the same bytes as last time
            sources[path] = Source(trusted, hashed, previous[path].item)
        else:
            sources[path] = Source(trusted, hashed, item)  # type: ignore[arg-type]
            changed.add(path)
    if problems:
        raise LitdigestError([p for path in sorted(problems, key=reading_order)
                              for p in problems[path]])
    return Loaded(sources, content_of(sources), frozenset(changed))


_Read = tuple[str, object | None, list[Problem]]  # content hash, item (None: bytes as known), problems


def _read_all(content_dir: Path, paths: list[str], previous: Mapping[str, Source],
              progress: Progress, jobs: int, meanwhile: Meanwhile | None) -> dict[str, _Read]:
    """Read and parse files, on several cores when there are many (the parsed pages travel back
    pickled, which costs far less than parsing them)."""
    known = {path: previous[path].content_hash for path in paths if path in previous}
    processes = jobs if len(paths) >= PARALLEL_FROM_FILES else 1
    # A file read in another process then travels back pickled: that share's files cost more.
    sent_back = TRAVEL_WEIGHT * len(paths) / processes
    shares = split(paths, [1.0] * len(paths), processes,
                   preload=[meanwhile.weight if meanwhile else 0.0] + [sent_back] * (processes - 1))
    progress.stage("reading content", len(paths))

    def read_share(number: int, share: Sequence[str]) -> list[_Read]:
        if number == 0 and meanwhile is not None:
            meanwhile.run()
        found = []
        for path in share:
            found.append(_read(content_dir, path, known.get(path)))
            if number == 0:
                progress.advance(len(shares))
        return found

    results = fork_map(read_share, shares)
    return {path: read for share, found in zip(shares, results) for path, read in zip(share, found)}


def _read(content_dir: Path, path: str, known: str | None) -> tuple[str, object | None, list[Problem]]:
    """(content hash, parsed item or None if the bytes are the known ones, problems) of one file."""
    file = content_dir / path
    try:
        data = read_regular(file)
    except LitdigestError as err:
        return "", None, err.problems
    hashed = content_hash(data)
    if hashed == known:
        return hashed, None, []
    try:
        return hashed, parse_source(path, data, file), []
    except LitdigestError as err:
        return hashed, None, err.problems


def content_of(sources: Mapping[str, Source]) -> Content:
    """The Content of the records, in reading order (content.folder.reading_order)."""
    config = SiteConfig()
    papers: list[Paper] = []
    tags: dict[str, Tag] = {}
    digests: list[Digest] = []
    for source in sources.values():
        item = source.item
        if isinstance(item, SiteConfig):
            config = item
        elif isinstance(item, Paper):
            papers.append(item)
        elif isinstance(item, Tag):
            tags[item.name] = item
        elif isinstance(item, Digest):
            digests.append(item)
    return Content(config=config, papers=tuple(papers), tags=tags, digests=tuple(digests))
