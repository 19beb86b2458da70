"""One import at a time per `content/`: the folder itself is locked with `flock` for the whole run.

A second import on the same folder meanwhile is refused at once, before it reads or writes
anything, with the pid of the import that holds the lock (read from the kernel's table of
locks, /proc/locks, where there is one). Locking the folder, not a file in it, leaves nothing
behind: the kernel lets go of a `flock` when its process ends, however it ends (SIGKILL
included), so there is never a stale lock to take over nor a lock file in `content/`.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from litdigest.errors import LitdigestError, Problem
from litdigest.files import lock_holder



@contextmanager
def import_lock(content_dir: Path) -> Iterator[None]:
    """Hold the import lock of `content_dir` (made if missing, removed again if left empty);
    LitdigestError naming the holder when another import holds it."""
    made = _make_folder(content_dir)
    try:
        descriptor = _take(content_dir)
    except BaseException:
        _remove_if_empty(content_dir, made)
        raise
    try:
        yield
    finally:
        os.close(descriptor)
        _remove_if_empty(content_dir, made)


def _take(content_dir: Path) -> int:
    """An open descriptor of the folder, locked."""
    try:
        descriptor = os.open(content_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as err:
        raise _problem(content_dir, f"cannot open the folder: {err.strerror or err}",
                       "check the path and its permissions") from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as err:
        pid = lock_holder(descriptor)
        holder = f"pid {pid}" if pid is not None else "pid unknown"
        os.close(descriptor)
        if err.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise _problem(content_dir, f"cannot lock the folder: {err.strerror or err}",
                           "check the folder's permissions") from None
        raise _problem(content_dir, f"another import is running on this folder ({holder})",
                       "wait for it to finish, then import again") from None
    return descriptor


def _make_folder(content_dir: Path) -> bool:
    """Make `content_dir` if missing; True when it was made here."""
    if content_dir.is_dir():
        return False
    try:
        content_dir.mkdir(parents=True)
    except FileExistsError:
        if content_dir.is_dir():
            return False
        raise _problem(content_dir, "not a folder", "pass --content with a folder") from None
    except OSError as err:
        raise _problem(content_dir, f"cannot make the folder: {err.strerror or err}",
                       "check the path and its permissions") from None
    return True


def _remove_if_empty(content_dir: Path, made: bool) -> None:
    if made:
        try:
            content_dir.rmdir()
        except OSError:
            pass


def _problem(path: Path, message: str, hint: str) -> LitdigestError:
    return LitdigestError(Problem(str(path), None, message, hint))
