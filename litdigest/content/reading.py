"""Reading a file's bytes only when it is a regular file (after following a symbolic link) and,
when a limit is given, no larger than it: a FIFO, a device or a socket is refused before a byte
is read, so nothing waits on a pipe or reads `/dev/zero` forever.

Every reader of user files — `content/` (folder.py) and raw digests (importer/raw.py) — reads
through `read_regular`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from litdigest.errors import LitdigestError, Problem

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def read_regular(path: Path, limit: int | None = None, what: str = "file") -> bytes:
    """The bytes of `path`; raise LitdigestError when it cannot be read, is not a regular file,
    or holds more than `limit` bytes. Opened without blocking, so a FIFO never makes it wait."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise _problem(path, f"cannot read it: {err.strerror or err}", _hint_for(err, what)) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise _problem(path, f"{kind}, not a regular file",
                           f"only a regular file can be a {what}: replace or remove it")
        os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
    except OSError as err:
        raise _problem(path, f"cannot read it: {err.strerror or err}", _hint_for(err, what)) from None
    finally:
        os.close(descriptor)
    if limit is not None and len(data) > limit:
        raise _problem(path, f"larger than {limit // 1_000_000} MB, the limit for a {what}",
                       f"split it into smaller {what}s")
    return data


def _hint_for(err: OSError, what: str) -> str:
    if isinstance(err, FileNotFoundError) and os.path.islink(str(err.filename or "")):
        return "it is a symbolic link to nothing: fix or remove the link"
    if isinstance(err, IsADirectoryError):
        return f"a folder cannot be a {what}: rename or remove it"
    if isinstance(err, PermissionError):
        return "allow reading it (chmod u+r) or remove it"
    return "check the path and try again"


def _problem(path: Path, message: str, hint: str) -> LitdigestError:
    return LitdigestError(Problem(str(path), None, message, hint))
