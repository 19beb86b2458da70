"""One build at a time per output folder: a lock file beside the site's cache, held with flock.

`holding(output_dir, waiting)` takes `.litdigest-cache/<site>.lock` (an exclusive `flock`): a
second build of the same site calls `waiting(pid)` with the holder's process id, then waits for
it. The lock belongs to the open file, so it is released when the holder exits however it ends —
a killed build never leaves a stale lock — and the processes a build forks share it while they
live. Where there is no `fcntl` (Windows), builds are not serialised.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from litdigest.incremental import store

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


def lock_path(output_dir: Path) -> Path:
    return store.cache_dir(output_dir).with_name(f"{output_dir.name}.lock")


@contextmanager
def holding(output_dir: Path, waiting: Callable[[int | None], None]) -> Iterator[None]:
    """Hold the site's lock for the duration of the block; `waiting(pid)` is called first when
    another process holds it (pid None if it cannot be told)."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    path = lock_path(output_dir)
    store.prepare(path.parent / output_dir.name)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(_holder(fd))
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def _holder(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None
