"""One build at a time per output folder: an exclusive `flock` on the folder that holds the site.

`holding(output_dir, waiting)` locks the output's parent folder (the folder itself, not a file in
it: taking the lock writes nothing, so a refused build still leaves everything as it was). A
second build of the same site — or of another site in the same folder — calls `waiting(pid)`
with the holder's process id (read from /proc/locks; None where it cannot be told), then waits.
The lock belongs to the open folder, so it is released when the holder exits however it ends —
a killed build never leaves a stale lock — and the processes a build forks share it while they
live. Where there is no `fcntl` (Windows), builds are not serialised.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from litdigest.files import lock_holder

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


@contextmanager
def holding(output_dir: Path, waiting: Callable[[int | None], None]) -> Iterator[None]:
    """Hold the site's lock for the duration of the block; `waiting(pid)` is called first when
    another process holds it."""
    folder = output_dir.absolute().parent
    if fcntl is None:  # pragma: no cover
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(lock_holder(fd))
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
