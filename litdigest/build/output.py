"""Write the site so that a failed or interrupted build leaves the previous one whole.

Two ways, chosen by the plan (incremental/stale.py):

- a whole new site is written into a staging folder beside the output and swapped in with two
  renames once every page is there (a failed build deletes the staging folder, nothing else);
- an update writes each changed page to a temporary file beside it, and only when every page
  rendered renames them into place, then deletes the pages the site no longer has. Every file is
  old or new, never half-written; unchanged files keep their bytes and their modification time.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from litdigest.files import same_bytes

STATIC = "static"  # the static assets' folder, in templates/ and in the site alike
TEMP_SUFFIX = ".litdigest-new"


def staging_dir(output_dir: Path) -> Path:
    return output_dir.with_name(f".{output_dir.name}.staging-{os.getpid()}")


def fresh_staging(output_dir: Path) -> Path:
    staging = staging_dir(output_dir)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def swap_into_place(staging: Path, output_dir: Path) -> None:
    """Replace the old site with the new one in two renames; the old one is removed after."""
    old = output_dir.with_name(f".{output_dir.name}.old-{os.getpid()}")
    if output_dir.exists():
        os.replace(output_dir, old)
    os.replace(staging, output_dir)
    shutil.rmtree(old, ignore_errors=True)


def folder_identity(folder: Path) -> tuple[int, int]:
    """(device, inode) of a folder: a different one means it is not the site the cache describes."""
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        return (0, 0)
    return (st.st_dev, st.st_ino)


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


def commit_update(output_dir: Path, written: Iterable[str], removed: Iterable[str]) -> None:
    """Move the updated pages into place, then delete the pages that are gone."""
    for rel in written:
        path = output_dir / rel
        os.replace(path.with_name(path.name + TEMP_SUFFIX), path)
    for rel in removed:
        path = output_dir / rel
        path.unlink(missing_ok=True)
        _remove_empty_folders(path.parent, output_dir)


def discard_update(output_dir: Path, written: Iterable[str]) -> None:
    """A failed update: delete its temporary files, leaving the site as it was."""
    for rel in written:
        path = output_dir / rel
        path.with_name(path.name + TEMP_SUFFIX).unlink(missing_ok=True)


def copy_static(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)


@dataclass(frozen=True)
class StaticChanges:
    """Static assets to copy again and to delete, by path relative to the static folder."""

    copy: tuple[str, ...]
    delete: tuple[str, ...]


def update_static(source: Path, target: Path, changes: StaticChanges) -> None:
    """Copy changed assets in atomically (temporary file, rename); delete removed ones."""
    for rel in changes.copy:
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(path.name + TEMP_SUFFIX)
        shutil.copyfile(source / rel, temp)
        os.replace(temp, path)
    for rel in changes.delete:
        (target / rel).unlink(missing_ok=True)
        _remove_empty_folders((target / rel).parent, target)


def _remove_empty_folders(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
