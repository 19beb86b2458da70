"""Keep what a build learned for the next one, in `.litdigest-cache/<site>/` beside the output.

A build leaves these files there:

- `index.msgpack`, small: the stamp of every source file and template, the code's fingerprint and
  the output folder's identity, so a build with nothing to do knows it without reading more;
- `last-build.msgpack`: the LastBuild: every parsed source file and the key of every page written
  (see stale.py);
- `bodies-N.msgpack`: rendered Markdown bodies by the content hash of their paper's file, one
  shard per process that rendered them.

Only reuse.py reads and writes the cache through this module (the preview also clears what a
stopped writer left); the format is its business alone.

A cache file is data, never code, and only this user's own is read: each file is a header (magic
and format), an HMAC of the rest under this user's secret key (secret.py), then MessagePack that
msgspec decodes into exact types (the model's frozen dataclasses, strings, ints), which cannot
run anything. A file planted by someone else (a cache committed to a repository, a folder from a
stranger) fails the MAC and is ignored before it is decoded, so it can neither run code nor pass
for what a parser or the Markdown renderer made. No pickle is read from disk (the render
processes send their results to their parent pickled through a pipe: parallel.py; that never
touches a file).

The files of one build are written as `….pending-<token>` (by whichever process has the data,
while the pages render) and put in place by `commit` once the site is, the index last; the index
and the LastBuild carry the same token, so a LastBuild is never used with another build's index. A
failed build discards its pending files; a build drops the index before it touches the site, so
an interrupted one leaves no index to trust. Anything unreadable, unsigned, from another version
of the code, or not matching is ignored, and the build that finds it is a full one. Deleting the
cache costs one slow build, nothing else.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

import msgspec

from litdigest.content.model import Digest, Paper, SiteConfig, Tag
from litdigest.incremental.hashes import content_hash, text_hash
from litdigest.incremental.secret import MAC_BYTES, machine_key, read_regular, sign, verify

if TYPE_CHECKING:  # the Markdown stack is slow to import, and a build with nothing to do needs none of it
    from litdigest.build.markdown import RenderedBody

CACHE_FOLDER = ".litdigest-cache"
INDEX, LAST_BUILD, BODIES = "index.msgpack", "last-build.msgpack", "bodies-{}.msgpack"
BODIES_SHARDS = "bodies-*.msgpack"
OLD_FILES = ("*.pickle", "*.pickle.pending-*")  # what litdigest before format 2 left: never read
FORMAT = 2
MAGIC = b"litdigest-cache\n" + FORMAT.to_bytes(2, "big")
# What the pages are made with, as (module, distribution): their versions are in the fingerprint.
DEPENDENCIES = (("jinja2", "Jinja2"), ("markupsafe", "MarkupSafe"),
                ("markdown_it", "markdown-it-py"), ("mdit_py_plugins", "mdit-py-plugins"),
                ("linkify_it", "linkify-it-py"), ("latex2mathml", "latex2mathml"),
                ("yaml", "PyYAML"), ("msgspec", "msgspec"))


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
    site: tuple[int, int]  # which writing of the output folder holds them: output.folder_identity
    bodies: Mapping[str, RenderedBody] = field(default_factory=dict)  # by paper file's hash
    counts: tuple[int, int, int, int] = (0, 0, 0, 0)  # pages, papers, tags, digests
    base: str = ""  # stale.base_key: what every page depends on
    snapshot: Any = None  # stale.Snapshot, in memory only (serve); never written
    records: Any = None  # papers_json.Records, papers.json's lines, in memory only (serve)


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
    """Changes whenever litdigest's code, a dependency or Python changes: stale caches go unused.

    It is made of what the code is, not of when its files were written: the bytes of litdigest's
    own files and the version of each dependency. A fresh clone or a fresh install (a CI runner,
    each time) writes every file anew, and the cache it restored must still count (about a
    millisecond for litdigest's files, on every build)."""
    parts = [sys.version, str(FORMAT), _package_hash(Path(__file__).parents[1])]
    for name, distribution in DEPENDENCIES:
        parts.append(f"{name}:{_installed_version(name, distribution)}")
    return text_hash("\n".join(parts))


def _package_hash(package: Path) -> str:
    """The hash of every .py file of the package, every subpackage, by path relative to it."""
    files: list[str] = []
    folders = [str(package)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        folders.append(entry.path)
                elif entry.name.endswith(".py"):
                    files.append(entry.path)
    root = len(str(package))
    parts = []
    for path in sorted(files):
        with open(path, "rb") as f:
            data = f.read()
        parts += [f"{path[root:]}:{len(data)}\n".encode(), data]
    return content_hash(b"".join(parts))


def _installed_version(name: str, distribution: str) -> str:
    """A dependency's version, from the name of its `*.dist-info` folder beside it (reading
    importlib.metadata would cost more than the whole of a build with nothing to do); where there
    is none, the hash of the module's file; "missing" where it is not installed."""
    spec = importlib.util.find_spec(name)
    origin = spec.origin if spec is not None else None
    if not origin or not os.path.exists(origin):
        return "missing"
    site = Path(origin).parent.parent if spec.submodule_search_locations else Path(origin).parent
    wanted = _folded(distribution)
    for entry in _entries(str(site)):
        if entry.endswith(".dist-info"):
            found, _, version = entry.removesuffix(".dist-info").rpartition("-")
            if _folded(found) == wanted:
                return version
    with open(origin, "rb") as f:
        return content_hash(f.read())


def _folded(distribution: str) -> str:
    """A distribution's name as its dist-info folder may spell it (PEP 503, underscores)."""
    return re.sub(r"[-_.]+", "_", distribution).lower()


@functools.cache
def _entries(folder: str) -> tuple[str, ...]:
    try:
        return tuple(os.listdir(folder))
    except OSError:
        return ()


def index_of(last: LastBuild, token: str) -> Index:
    stamps: dict[str, Stamp | None] = {f"content/{k}": s.stamp for k, s in last.sources.items()}
    stamps.update({f"templates/{k}": v[0] for k, v in last.templates.items()})
    return Index(token, last.code, stamps, last.site, last.counts)


def load_index(folder: Path) -> Index | None:
    saved = _load(folder / INDEX, b"index", _decoder("index"))
    if saved is None:
        return None
    return Index(saved.token, saved.code, saved.stamps, saved.site, saved.counts)


def load_last_build(folder: Path, index: Index) -> LastBuild | None:
    """The LastBuild saved with `index`, without bodies; None if it is missing or not its pair."""
    saved = _load(folder / LAST_BUILD, b"last-build", _decoder("last-build"))
    if saved is None or saved.token != index.token or saved.code != index.code:
        return None
    sources = {path: Source(stamp, hashed, item)
               for group in (saved.config, saved.papers, saved.tags, saved.digests)
               for path, stamp, hashed, item in group}
    return LastBuild(code=saved.code, sources=sources, templates=saved.templates,
                     page_keys=saved.page_keys, site=saved.site, counts=saved.counts,
                     base=saved.base)


def load_bodies(folder: Path, code: str) -> dict[str, RenderedBody]:
    """Every cached body, from all shards written for this code."""
    bodies: dict[str, RenderedBody] = {}
    for path in sorted(folder.glob(BODIES_SHARDS)):
        saved = _load(path, b"bodies", _decoder("bodies"))
        if saved is not None and saved[0] == code:
            bodies.update(saved[1])
    return bodies


def forget(folder: Path) -> None:
    """Drop the index before the site changes: an interrupted build must not trust it."""
    _clear(folder / INDEX)


def new_token() -> str:
    return os.urandom(8).hex()


def write_last_build(folder: Path, last: LastBuild, token: str) -> None:
    """Write the LastBuild, without bodies, as a pending file of build `token` (see `commit`)."""
    page_keys = last.page_keys if last.page_keys is not None else last.snapshot.keys()
    groups: dict[type, list[tuple[str, Stamp | None, str, Any]]] = {
        SiteConfig: [], Paper: [], Tag: [], Digest: []}
    for path, source in last.sources.items():  # in reading order: site.yaml, papers, tags, digests
        groups[type(source.item)].append((path, source.stamp, source.content_hash, source.item))
    saved = _SavedBuild(token, last.code, groups[SiteConfig], groups[Paper], groups[Tag],
                        groups[Digest], dict(last.templates), dict(page_keys), last.site,
                        last.counts, last.base)
    _dump(_pending(folder / LAST_BUILD, token), b"last-build", saved)


def write_bodies(folder: Path, number: int, code: str, bodies: Mapping[str, RenderedBody],
                 token: str) -> None:
    """Write one share's bodies as a pending shard of build `token`."""
    _dump(_pending(folder / BODIES.format(number), token), b"bodies", (code, dict(bodies)))


def commit(folder: Path, last: LastBuild, token: str, bodies_written: bool) -> None:
    """Put build `token`'s pending files in place (its shards replacing all older ones), then
    write the index that makes them count."""
    pending = sorted(folder.glob(f"*.pending-{token}"))
    if bodies_written:
        for old in folder.glob(BODIES_SHARDS):
            _clear(old)
    for path in pending:
        target = path.with_name(path.name.removesuffix(f".pending-{token}"))
        _clear(target)
        os.replace(path, target)
    index = index_of(last, token)
    _dump(folder / INDEX, b"index", _SavedIndex(index.token, index.code, dict(index.stamps),
                                                 index.site, index.counts))


def discard(folder: Path, token: str) -> None:
    """Delete build `token`'s pending files, and the temporary ones of a worker stopped mid-write."""
    for path in folder.glob(f"*.pending-{token}*"):
        _clear(path)


def discard_all(folder: Path) -> None:
    """Delete every pending file: those of a writer that was stopped before it could."""
    for path in folder.glob("*.pending-*"):
        _clear(path)


def prepare(folder: Path) -> None:
    """Make the folder, telling git to leave it alone, and drop what older versions left."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder.parent / ".gitignore"
    if not marker.exists():
        marker.write_text("# litdigest's build cache: safe to delete\n*\n", encoding="utf-8")
    for pattern in OLD_FILES:
        for old in folder.glob(pattern):
            _clear(old)


# ---- the files' format -------------------------------------------------------------------------

class _SavedIndex(msgspec.Struct, array_like=True, frozen=True):
    """An Index as written: the fields of Index, in order."""

    token: str
    code: str
    stamps: dict[str, Stamp | None]
    site: tuple[int, int]
    counts: tuple[int, int, int, int]


class _SavedBuild(msgspec.Struct, array_like=True, frozen=True):
    """A LastBuild as written, with this build's token; its sources grouped by kind (an item's
    type then needs no tag), each group in reading order."""

    token: str
    code: str
    config: list[tuple[str, Stamp | None, str, SiteConfig]]
    papers: list[tuple[str, Stamp | None, str, Paper]]
    tags: list[tuple[str, Stamp | None, str, Tag]]
    digests: list[tuple[str, Stamp | None, str, Digest]]
    templates: dict[str, tuple[Stamp | None, str]]
    page_keys: dict[str, str]
    site: tuple[int, int]
    counts: tuple[int, int, int, int]
    base: str


_ENCODER = msgspec.msgpack.Encoder()
_DECODERS: dict[str, msgspec.msgpack.Decoder[Any]] = {}


def _decoder(kind: str) -> msgspec.msgpack.Decoder[Any]:
    """The decoder of one kind of file, made on first use (bodies need the Markdown module's type)."""
    decoder = _DECODERS.get(kind)
    if decoder is None:
        if kind == "bodies":
            from litdigest.build.markdown import RenderedBody

            decoder = msgspec.msgpack.Decoder(tuple[str, dict[str, RenderedBody]])
        else:
            decoder = msgspec.msgpack.Decoder(_SavedIndex if kind == "index" else _SavedBuild)
        _DECODERS[kind] = decoder
    return decoder


def _clear(path: Path) -> None:
    """Remove whatever stands at a name of the cache: a file, or a folder someone put there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _pending(path: Path, token: str) -> Path:
    return path.with_name(f"{path.name}.pending-{token}")


def _load(path: Path, kind: bytes, decoder: msgspec.msgpack.Decoder[Any]) -> Any:
    """The file's data, if it is a regular file this user's litdigest signed; else None."""
    key = machine_key()
    data = read_regular(path) if key is not None else None
    if data is None or not data.startswith(MAGIC) or len(data) < len(MAGIC) + MAC_BYTES:
        return None
    view = memoryview(data)
    mac, payload = view[len(MAGIC):len(MAGIC) + MAC_BYTES], view[len(MAGIC) + MAC_BYTES:]
    if not verify(key, mac, MAGIC, kind, payload):  # type: ignore[arg-type]
        return None
    try:
        return decoder.decode(payload)
    except (msgspec.MsgspecError, ValueError, TypeError, RecursionError):
        return None


def _dump(path: Path, kind: bytes, value: Any) -> None:
    """Write `value` signed; without a key, write nothing (nothing unsigned would be read)."""
    key = machine_key()
    if key is None:
        return
    payload = _ENCODER.encode(value)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "wb") as f:
            f.write(MAGIC)
            f.write(sign(key, MAGIC, kind, payload))
            f.write(payload)
        _clear(path)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
