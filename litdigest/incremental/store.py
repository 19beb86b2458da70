"""Keep what a build learned for the next one, in `.litdigest-cache/<site>/` beside the output.

A build leaves these files there:

- `index.pickle`, small: the stamp of every source file and template, the code's fingerprint and
  the output folder's identity, so a build with nothing to do knows it without reading more;
- `last-build.pickle`: the LastBuild: every parsed source file and the key of every page written
  (see stale.py);
- `bodies-N.pickle`: rendered Markdown bodies by the content hash of their paper's file, one
  shard per process that rendered them.

Only reuse.py reads and writes the cache through this module (the preview also clears what a
stopped writer left); the format, pickle for now, is its business alone.

The files of one build are written as `….pending-<token>` (by whichever process has the data,
while the pages render) and put in place by `commit` once the site is, the index last; the index
and the LastBuild carry the same token, so a LastBuild is never used with another build's index. A
failed build discards its pending files; a build drops the index before it touches the site, so
an interrupted one leaves no index to trust. Anything unreadable, from another version of the
code, or not matching is ignored, and the build that finds it is a full one. Deleting the cache
costs one slow build, nothing else.
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from litdigest.content.model import Digest, Paper, SiteConfig, Tag
from litdigest.incremental.hashes import text_hash

if TYPE_CHECKING:  # the Markdown stack is slow to import, and a build with nothing to do needs none of it
    from litdigest.build.markdown import RenderedBody

CACHE_FOLDER = ".litdigest-cache"
INDEX, LAST_BUILD, BODIES = "index.pickle", "last-build.pickle", "bodies-{}.pickle"
BODIES_SHARDS = "bodies-*.pickle"
FORMAT = 1
DEPENDENCIES = ("jinja2", "markupsafe", "markdown_it", "mdit_py_plugins", "linkify_it",
                "latex2mathml", "yaml")


Stamp = tuple[int, int, int, int]  # what `stat` says of a file: mtime, ctime (ns), size, inode


def stamp_of(st: os.stat_result) -> Stamp:
    """A file whose stamp is unchanged is taken as unchanged (a plain tuple: cheap by the ten
    thousand, to make, compare and pickle)."""
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


@dataclass(frozen=True)
class Source:
    """One file of `content/` as the build read it: its stamp, the hash of its bytes, its data."""

    stamp: Stamp | None  # None: changed too recently to trust the stamp next time
    content_hash: str
    item: Paper | Tag | Digest | SiteConfig


@dataclass(frozen=True)
class LastBuild:
    """What the last build knew, handed to the next (kept in memory by `serve`, on disk otherwise)."""

    code: str  # fingerprint of litdigest, its dependencies and Python
    sources: Mapping[str, Source]  # by path relative to content/: "papers/x.md", "site.yaml"
    templates: Mapping[str, tuple[Stamp | None, str]]  # (stamp, content hash) by path in templates/
    page_keys: Mapping[str, str] | None  # output path -> key of what the page was made from;
    # None when a build in memory planned by its snapshot instead (then snapshot.keys() has them)
    site: tuple[int, int]  # (device, inode) of the output folder that holds those pages
    bodies: Mapping[str, RenderedBody] = field(default_factory=dict)  # by paper file's hash
    counts: tuple[int, int, int, int] = (0, 0, 0, 0)  # pages, papers, tags, digests
    base: str = ""  # stale.base_key: what every page depends on
    snapshot: Any = None  # stale.Snapshot, in memory only (serve); never written


@dataclass(frozen=True)
class Index:
    """The small part of a LastBuild that tells whether anything changed at all."""

    token: str
    code: str
    stamps: Mapping[str, Stamp | None]  # "content/…" and "templates/…" paths
    site: tuple[int, int]
    counts: tuple[int, int, int, int]


def cache_dir(output_dir: Path) -> Path:
    """`site/` keeps its cache in `.litdigest-cache/site/` beside it."""
    return output_dir.parent / CACHE_FOLDER / output_dir.name


def code_fingerprint() -> str:
    """Changes whenever litdigest's code, a dependency or Python changes: stale caches go unused."""
    parts = [sys.version, str(FORMAT)]
    package = Path(__file__).parents[1]  # the whole litdigest package, every subpackage
    for path in sorted(package.rglob("*.py")):
        st = path.stat()
        parts.append(f"{path.relative_to(package).as_posix()}:{st.st_size}:{st.st_mtime_ns}")
    for name in DEPENDENCIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin and os.path.exists(origin):
            st = os.stat(origin)
            parts.append(f"{name}:{origin}:{st.st_size}:{st.st_mtime_ns}")
        else:
            parts.append(f"{name}:missing")
    return text_hash("\n".join(parts))


def index_of(last: LastBuild, token: str) -> Index:
    stamps: dict[str, Stamp | None] = {f"content/{k}": s.stamp for k, s in last.sources.items()}
    stamps.update({f"templates/{k}": v[0] for k, v in last.templates.items()})
    return Index(token, last.code, stamps, last.site, last.counts)


def load_index(folder: Path) -> Index | None:
    index = _load(folder / INDEX)
    return index if isinstance(index, Index) else None


def load_last_build(folder: Path, index: Index) -> LastBuild | None:
    """The LastBuild saved with `index`, without bodies; None if it is missing or not its pair."""
    saved = _load(folder / LAST_BUILD)
    if not (isinstance(saved, tuple) and len(saved) == 2 and saved[0] == index.token):
        return None
    last = saved[1]
    return last if isinstance(last, LastBuild) and last.code == index.code else None


def load_bodies(folder: Path, code: str) -> dict[str, RenderedBody]:
    """Every cached body, from all shards written for this code."""
    bodies: dict[str, RenderedBody] = {}
    for path in sorted(folder.glob(BODIES_SHARDS)):
        saved = _load(path)
        if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == code and isinstance(saved[1], dict):
            bodies.update(saved[1])
    return bodies


def forget(folder: Path) -> None:
    """Drop the index before the site changes: an interrupted build must not trust it."""
    try:
        (folder / INDEX).unlink()
    except FileNotFoundError:
        pass


def new_token() -> str:
    return os.urandom(8).hex()


def write_last_build(folder: Path, last: LastBuild, token: str) -> None:
    """Write the LastBuild, without bodies, as a pending file of build `token` (see `commit`)."""
    if last.page_keys is None:
        last = replace(last, page_keys=last.snapshot.keys())
    slim = replace(last, bodies={}, snapshot=None)
    _dump(_pending(folder / LAST_BUILD, token), (token, slim))


def write_bodies(folder: Path, number: int, code: str, bodies: Mapping[str, RenderedBody],
                 token: str) -> None:
    """Write one share's bodies as a pending shard of build `token`."""
    _dump(_pending(folder / BODIES.format(number), token), (code, dict(bodies)))


def commit(folder: Path, last: LastBuild, token: str, bodies_written: bool) -> None:
    """Put build `token`'s pending files in place (its shards replacing all older ones), then
    write the index that makes them count."""
    pending = sorted(folder.glob(f"*.pending-{token}"))
    if bodies_written:
        for old in folder.glob(BODIES_SHARDS):
            old.unlink()
    for path in pending:
        os.replace(path, path.with_name(path.name.removesuffix(f".pending-{token}")))
    _dump(folder / INDEX, index_of(last, token))


def discard(folder: Path, token: str) -> None:
    """Delete build `token`'s pending files, and the temporary ones of a worker stopped mid-write."""
    for path in folder.glob(f"*.pending-{token}*"):
        path.unlink(missing_ok=True)


def discard_all(folder: Path) -> None:
    """Delete every pending file: those of a writer that was stopped before it could."""
    for path in folder.glob("*.pending-*"):
        path.unlink(missing_ok=True)


def prepare(folder: Path) -> None:
    """Make the folder, telling git to leave it alone."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder.parent / ".gitignore"
    if not marker.exists():
        marker.write_text("# litdigest's build cache: safe to delete\n*\n", encoding="utf-8")


def _pending(path: Path, token: str) -> Path:
    return path.with_name(f"{path.name}.pending-{token}")


def _load(path: Path) -> Any:
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError,
            TypeError, ValueError):
        return None


def _dump(path: Path, value: Any) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
