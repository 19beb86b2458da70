"""Write the site so that a failed, interrupted or killed build leaves the old or the new site whole.

Three ways, chosen by the plan (incremental/stale.py) and by what `site/` is:

- a whole new site is written into a staging folder beside the output (`.site.staging-PID`)
  and swapped in once every page is there: in one atomic exchange of the two folders where the
  system has one (Linux), else in two renames (`.site.old-PID` holds the old site between them),
  with SIGINT, SIGTERM and SIGHUP held back, so they happen both or neither; the old site is
  then deleted; a failed build deletes the staging folder, nothing else;
- an update writes each changed page to a temporary file beside it (`*.litdigest-new`); only
  when every page rendered does it save the list of renames and deletions in a journal beside
  the output (`.site.update`), make them, and delete the journal;
- a site that cannot be replaced by a rename — a mount point, or a symbolic link (replacing the
  link would break what it points to) — is written in place like an update: every file of the
  new site renamed over the old one, and the files it no longer has deleted.

Every file is old or new, never half-written; unchanged files keep their bytes and their
modification time, but for the site's marker, which every build that writes the site renews (it
tells the cache which writing of the site a folder holds: `folder_identity`). A build killed
outright (SIGKILL, power loss) leaves litter that the next build clears first, under the site's
lock (`recover`): staging and old folders go, a site found missing between the two renames is
put back, an update cut short while writing its temporary files is dropped, one cut short while
renaming them (the journal says so) is finished.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from litdigest.build.output_folder import MARKER, write_marker
from litdigest.build.theme import Templates
from litdigest.files import same_bytes
from litdigest.signals import stops_held_back

STATIC = "static"  # the static assets' folder, among the templates and in the site alike
TEMP_SUFFIX = ".litdigest-new"


class SiteChanged(KeyboardInterrupt):
    """An interruption that came once the new site was in place: `site/` is the new site (the
    pipeline holds signals back from the swap to the end of the build, then raises this)."""


# ---- names beside the output ------------------------------------------------------------------


def staging_dir(output_dir: Path) -> Path:
    return output_dir.with_name(f".{output_dir.name}.staging-{os.getpid()}")


def _old_dir(output_dir: Path) -> Path:
    return output_dir.with_name(f".{output_dir.name}.old-{os.getpid()}")


def _update_journal(output_dir: Path) -> Path:
    return output_dir.with_name(f".{output_dir.name}.update")


def _litter(output_dir: Path, kind: str) -> list[Path]:
    """Staging (`kind` "staging") or old ("old") folders any build of `output_dir` left."""
    prefix = f".{output_dir.name}.{kind}-"
    try:
        with os.scandir(output_dir.parent) as entries:
            return sorted(output_dir.parent / e.name for e in entries
                          if e.name.startswith(prefix) and e.name[len(prefix):].isdigit())
    except FileNotFoundError:
        return []


def in_place(output_dir: Path) -> bool:
    """True when the site must be updated in place: a mount point or a symbolic link."""
    return output_dir.is_symlink() or (output_dir.is_dir() and os.path.ismount(output_dir))


# ---- a whole new site ------------------------------------------------------------------------


def fresh_staging(output_dir: Path) -> Path:
    staging = staging_dir(output_dir)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    write_marker(staging)
    return staging


def swap_into_place(staging: Path, output_dir: Path) -> None:
    """Replace the old site with the new one: in one atomic exchange where the system has one
    (Linux's renameat2), else in two renames, both or neither; the old one is removed after."""
    old = _old_dir(output_dir)
    with stops_held_back():
        if output_dir.exists() and _exchange(staging, output_dir):
            os.replace(staging, old)  # the old site, under the name the next build clears
        else:
            _two_renames(staging, output_dir, old)
    shutil.rmtree(old, ignore_errors=True)


def _two_renames(staging: Path, output_dir: Path, old: Path) -> None:
    moved = output_dir.exists()
    if moved:
        os.replace(output_dir, old)
    try:
        os.replace(staging, output_dir)
    except BaseException:
        if moved:
            os.replace(old, output_dir)
        raise


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders' names in one step (Linux renameat2 RENAME_EXCHANGE); False where the
    system or the file system cannot, and nothing was done."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    return False


@functools.cache
def _renameat2() -> Any:
    try:
        import ctypes

        return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except (OSError, ImportError, AttributeError):  # pragma: no cover - no C library here
        return None


def folder_identity(folder: Path) -> tuple[int, int]:
    """Which writing of a site the folder holds: the modification time (ns) and size of its
    marker, which every build that writes the site renews; (0, 0) without a marker. Another
    answer means it is not the site the cache describes: a site deleted, rebuilt by other means,
    or put back from before a later build. The same site put back as it was (a CI runner
    restoring site/ with the cache, `cp -a`) gives the same answer, which its folder's inode
    never would."""
    try:
        st = os.lstat(folder / MARKER)
    except (FileNotFoundError, NotADirectoryError):
        return (0, 0)
    return (st.st_mtime_ns, st.st_size) if stat.S_ISREG(st.st_mode) else (0, 0)


class Writer:
    """Writes one process's share of pages: straight into a staging folder, or beside the old file."""

    def __init__(self, root: Path, update: bool) -> None:
        self.root = root
        self.update = update
        self.made: set[Path] = set()

    def write(self, rel: str, data: bytes) -> bool:
        """Write a page; in an update, only if its bytes changed. True if it was written."""
        path = self.root / rel
        if self.update:
            if same_bytes(path, data):
                return False
            path = path.with_name(path.name + TEMP_SUFFIX)
        folder = path.parent
        if folder not in self.made:
            folder.mkdir(parents=True, exist_ok=True)
            self.made.add(folder)
        _write_file(path, data)
        return True


def _write_file(path: Path, data: bytes) -> None:
    """open/write/close without a buffered file object: thousands of pages, each written once."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def copy_static(templates: Templates, names: Iterable[str], root: Path) -> None:
    """Copy the static assets (by path relative to the static folder) into a new site at `root`."""
    for rel in names:
        path = root / STATIC / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(templates.path_of(f"{STATIC}/{rel}"), path)


# ---- an update, or a site written in place ---------------------------------------------------


@dataclass(frozen=True)
class StaticChanges:
    """Static assets to copy again and to delete, by path relative to the static folder."""

    copy: tuple[str, ...]
    delete: tuple[str, ...]


def begin_update(output_dir: Path) -> None:
    """Temporary files are about to be written into the site: say so beside it, so that a build
    killed meanwhile has its temporary files removed by the next."""
    _update_journal(output_dir).write_bytes(b"writing\n")


def stage_static(templates: Templates, output_dir: Path, changes: StaticChanges) -> list[str]:
    """Copy the changed static assets beside their old versions; return their paths in the site."""
    staged = []
    for rel in changes.copy:
        path = output_dir / STATIC / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(templates.path_of(f"{STATIC}/{rel}"), path.with_name(path.name + TEMP_SUFFIX))
        staged.append(f"{STATIC}/{rel}")
    return staged


def files_not_in(output_dir: Path, kept: Iterable[str]) -> list[str]:
    """Every file of the site (by path relative to it) but those kept and the marker: what a
    site written in place no longer has."""
    keep = set(kept) | {MARKER}
    gone = []
    for folder, _, files in os.walk(output_dir):
        base = Path(folder).relative_to(output_dir)
        for name in files:
            rel = (base / name).as_posix()
            if rel not in keep and not name.endswith(TEMP_SUFFIX):
                gone.append(rel)
    return sorted(gone)


def commit_update(output_dir: Path, written: Iterable[str], removed: Iterable[str]) -> None:
    """Move the updated files into place, then delete the files that are gone: first the list
    is saved in the journal (so a kill is finished by the next build), then the renames run with
    SIGINT and SIGTERM held back."""
    journal = _update_journal(output_dir)
    plan = {"written": sorted(written), "removed": sorted(removed)}
    temporary = journal.with_name(journal.name + TEMP_SUFFIX)
    temporary.write_text(json.dumps(plan), encoding="utf-8")
    os.replace(temporary, journal)
    with stops_held_back():
        _finish(output_dir, plan["written"], plan["removed"])
        journal.unlink()


def _finish(output_dir: Path, written: Iterable[str], removed: Iterable[str]) -> None:
    """Make the renames and deletions of a commit; those already made are skipped (repeatable)."""
    for rel in written:
        path = output_dir / rel
        temporary = path.with_name(path.name + TEMP_SUFFIX)
        if temporary.exists():
            os.replace(temporary, path)
    for rel in removed:
        path = output_dir / rel
        path.unlink(missing_ok=True)
        _remove_empty_folders(path.parent, output_dir)


def discard_update(output_dir: Path, written: Iterable[str]) -> None:
    """A failed update: delete its temporary files, leaving the site as it was — unless it was
    already renaming them, which is then finished (the site is the new one)."""
    if _committing(output_dir) is not None:
        recover(output_dir)
        return
    for rel in written:
        path = output_dir / rel
        path.with_name(path.name + TEMP_SUFFIX).unlink(missing_ok=True)
    _update_journal(output_dir).unlink(missing_ok=True)


def _committing(output_dir: Path) -> dict[str, list[str]] | None:
    """The journal's renames and deletions if an update was renaming its files; else None."""
    try:
        plan = json.loads(_update_journal(output_dir).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(plan, dict) and all(isinstance(plan.get(k), list) for k in ("written", "removed"))):
        return None
    lists = {k: [p for p in plan[k] if isinstance(p, str) and _plain_relative(p)]
             for k in ("written", "removed")}
    return lists


def _plain_relative(rel: str) -> bool:
    parts = rel.split("/")
    return bool(rel) and not rel.startswith("/") and all(p not in ("", ".", "..") for p in parts)


# ---- what earlier builds left -------------------------------------------------------------------


def recover(output_dir: Path) -> bool:
    """Clear what builds killed earlier left, leaving the old or the new site whole: finish an
    update cut short while renaming, drop the temporary files of one cut short before, put back
    a site missing between the two renames of a swap, delete staging and old folders. Run under
    the site's lock, so no other build is using any of them. True when there was anything."""
    found = False
    journal = _update_journal(output_dir)
    if journal.exists() or journal.with_name(journal.name + TEMP_SUFFIX).exists():
        found = True
        plan = _committing(output_dir)
        if plan is not None and output_dir.is_dir():
            _finish(output_dir, plan["written"], plan["removed"])
        _remove_temporary_files(output_dir)
        journal.unlink(missing_ok=True)
        journal.with_name(journal.name + TEMP_SUFFIX).unlink(missing_ok=True)
    olds = _litter(output_dir, "old")
    if olds and not output_dir.exists() and not output_dir.is_symlink():
        newest = max(olds, key=lambda p: p.stat().st_ctime_ns)
        os.replace(newest, output_dir)
        olds.remove(newest)
    for folder in olds + _litter(output_dir, "staging"):
        found = True
        shutil.rmtree(folder, ignore_errors=True)
    return found


def _remove_temporary_files(output_dir: Path) -> None:
    for folder, _, files in os.walk(output_dir):
        for name in files:
            if name.endswith(TEMP_SUFFIX):
                Path(folder, name).unlink(missing_ok=True)


def _remove_empty_folders(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
