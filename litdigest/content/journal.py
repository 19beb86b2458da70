"""Replace a set of files under one folder all or nothing, and undo a replacement cut short.

`write_all(root, files, deleted)`:

1. writes every new version into `root/.import-staging/`, and beside it a hard link to (or,
   where links are not possible, a copy of) each file it will replace or delete;
2. saves a journal, `root/.import-journal.json`, listing every target, its staged version and
   its saved old version — atomically (temporary file, fsync, rename);
3. moves each staged version over its target (`os.replace`, atomic per file) and deletes each
   file to delete;
4. deletes the journal — the moment the whole set counts as written — then the staging folder.

Until step 2 nothing under `root` has changed. Any exception in steps 2–3, Ctrl-C included,
and SIGTERM or SIGHUP (turned into an interruption for that moment) moves every saved old
version back, deletes the files that are new and the folders made for them, and re-raises;
further signals are ignored while that runs. A process killed outright (SIGKILL, power loss)
leaves the journal, and `recover(root)` — which the importer runs first thing — rolls back
from it the same way. Every step of a rollback can be repeated, so a rollback cut short is
finished by the next.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from litdigest.content.reading import read_regular
from litdigest.errors import LitdigestError, Problem
from litdigest.signals import stops_ignored, stops_interrupt

STAGING = ".import-staging"
JOURNAL = ".import-journal.json"


@dataclass(frozen=True)
class Entry:
    """One file of the set: its path under the root, its staged version (None when it is
    deleted), its saved old version (None when the file is new)."""

    target: str
    new: str | None  # None: the file is deleted
    old: str | None


@dataclass(frozen=True)
class Replacement:
    """A set of files being replaced: each file's staged and saved versions, the folders made."""

    entries: tuple[Entry, ...]
    folders: tuple[str, ...]  # folders made for new files, outermost first


def write_all(root: Path, files: list[tuple[Path, bytes]], deleted: list[Path] | None = None) -> None:
    """Replace or create each (path, bytes) under `root` and delete each of `deleted` (those
    that exist), all of them or none."""
    if not files and not deleted:
        return
    recover(root)
    staging = root / STAGING
    try:
        plan = _stage(root, staging, files, deleted or [])
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    with stops_interrupt():
        try:
            _save_journal(root, plan)
            for folder in plan.folders:
                (root / folder).mkdir(exist_ok=True)
            for entry in plan.entries:
                if entry.new is None:
                    (root / entry.target).unlink()
                else:
                    os.replace(staging / entry.new, root / entry.target)
            (root / JOURNAL).unlink()
        except BaseException as err:
            if not roll_back(root, plan):
                raise _not_undone(root) from err
            raise
    _fsync_folder(root)
    shutil.rmtree(staging, ignore_errors=True)


def recover(root: Path) -> bool:
    """Undo a `write_all` that was killed half-way; True when there was one to undo."""
    journal = root / JOURNAL
    if journal.exists():
        if not roll_back(root, _load_journal(journal)):
            raise _not_undone(root)
        return True
    if (root / STAGING).exists():  # killed before the journal was saved or after it was deleted
        shutil.rmtree(root / STAGING, ignore_errors=True)
    return False


def unfinished(root: Path) -> Problem | None:
    """A problem when an import is replacing files under `root` right now, or was killed while
    it did; None otherwise."""
    path = root / JOURNAL
    if not path.exists():
        return None
    return Problem(str(path), None, "an import is under way or was cut short: content/ is half-written",
                   "wait for the import to finish; if it was killed, run the import again: it first "
                   "puts content/ back as it was")


def roll_back(root: Path, plan: Replacement) -> bool:
    """Put every target back as it was before the plan started; safe to repeat. False when a
    step failed: the journal then stays, for the next run to finish the rollback."""
    staging = root / STAGING
    failed = False
    with stops_ignored():
        for entry in reversed(plan.entries):
            target = root / entry.target
            try:
                if entry.old is None:
                    target.unlink(missing_ok=True)
                elif (staging / entry.old).exists():
                    os.replace(staging / entry.old, target)
            except OSError:
                failed = True
        for folder in reversed(plan.folders):
            try:
                (root / folder).rmdir()
            except OSError:
                pass
        if failed:
            return False
        (root / JOURNAL).unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    return True


def _not_undone(root: Path) -> LitdigestError:
    return LitdigestError(Problem(str(root / JOURNAL), None,
                                  "an interrupted import could not be undone completely",
                                  "fix the cause (disk space, permissions), then run the import again: "
                                  "it finishes undoing the interrupted one first"))


# ---- staging ----------------------------------------------------------------------------------


def _stage(root: Path, staging: Path, files: list[tuple[Path, bytes]],
           deleted: list[Path]) -> Replacement:
    staging.mkdir()
    entries: list[Entry] = []
    folders: list[str] = []
    for number, (path, data) in enumerate(files, 1):
        target = _inside(root, path)
        new, old = f"{number}.new", f"{number}.old"
        _write_synced(staging / new, data)
        existed = (root / target).exists()
        if existed:
            _save_old(root / target, staging / old)
        folders += _missing_folders(root, PurePosixPath(target).parent)
        entries.append(Entry(target, new, old if existed else None))
    for number, path in enumerate(deleted, len(files) + 1):
        target = _inside(root, path)
        if (root / target).exists():
            _save_old(root / target, staging / f"{number}.old")
            entries.append(Entry(target, None, f"{number}.old"))
    return Replacement(tuple(entries), tuple(dict.fromkeys(folders)))


def _inside(root: Path, path: Path) -> str:
    """`path` relative to `root` as a POSIX path, refusing anything that would leave `root` —
    through `..` or through a symbolic link (a folder or file of `root` linked elsewhere)."""
    relative = _resolved_relative(root, path)
    if relative is None:
        raise LitdigestError(Problem(str(path), None,
                                     f"refusing to write outside {root}: a symbolic link leads elsewhere",
                                     f"replace the link with a real folder or file inside {root}")) from None
    parts = relative.parts
    if not parts or any(part in ("", ".", "..") for part in parts) or parts[0] in (STAGING, JOURNAL):
        raise LitdigestError(Problem(str(path), None, "refusing to write this path",
                                     "this is a bug in litdigest; please report it"))
    return PurePosixPath(*parts).as_posix()


def _resolved_relative(root: Path, path: Path) -> Path | None:
    """`path` relative to `root` once every symbolic link is followed; None when outside it."""
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        return None


def _missing_folders(root: Path, folder: PurePosixPath) -> list[str]:
    missing = []
    while folder.parts and not (root / folder).is_dir():
        missing.append(folder.as_posix())
        folder = folder.parent
    return list(reversed(missing))


def _save_old(target: Path, saved: Path) -> None:
    try:
        os.link(target, saved)
    except OSError:
        shutil.copy2(target, saved)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# ---- the journal ----------------------------------------------------------------------------------


def _save_journal(root: Path, plan: Replacement) -> None:
    data = {"entries": [[e.target, e.new, e.old] for e in plan.entries], "folders": list(plan.folders)}
    temporary = root / STAGING / "journal.tmp"
    _write_synced(temporary, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    os.replace(temporary, root / JOURNAL)
    _fsync_folder(root)


def _load_journal(path: Path) -> Replacement:
    """The journal's plan; refused (LitdigestError naming it) unless every path it names stays
    inside the folder after following symbolic links: it is data, never a list of orders."""
    root = path.parent
    try:
        data: Any = json.loads(read_regular(path, what="journal").decode("utf-8"))
        entries = tuple(Entry(_safe_target(root, t), None if n is None else _plain_name(n),
                              None if o is None else _plain_name(o))
                        for t, n, o in data["entries"])
        if any(e.new is None and e.old is None for e in entries):
            raise ValueError("an entry neither writes nor deletes a file")
        folders = tuple(_safe_target(root, f) for f in data["folders"])
        if (root / STAGING).is_symlink():
            raise ValueError(f"{STAGING} is a symbolic link")
    except (ValueError, KeyError, TypeError) as err:
        raise LitdigestError(Problem(str(path), None, f"unreadable journal of an interrupted import ({err})",
                                     f"nothing was done with it; restore {root} from version control, "
                                     f"then delete {path} and {root / STAGING}")) from None
    return Replacement(entries, folders)


def _safe_target(root: Path, text: str) -> str:
    """A path the journal names: relative, plain, and inside `root` after following links."""
    if not isinstance(text, str):
        raise TypeError(f"path {text!r} is not text")
    path = PurePosixPath(text)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        raise ValueError(f"path {text!r} leaves the folder")
    if path.parts[0] in (STAGING, JOURNAL):
        raise ValueError(f"path {text!r} names the import's own files")
    relative = _resolved_relative(root, root / text)
    if relative is None or PurePosixPath(relative.as_posix()) != path:
        raise ValueError(f"path {text!r} leads outside the folder through a symbolic link")
    return path.as_posix()


def _plain_name(text: str) -> str:
    if "/" in text or "\\" in text or text in ("", ".", ".."):
        raise ValueError(f"staged name {text!r} is not a plain name")
    return text
