"""Small file helpers shared by the stages that write: compare before rewriting, and tell who
holds a lock."""

from __future__ import annotations

import os
from pathlib import Path


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether the file already holds exactly these bytes (a missing file holds none)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:
        return False


def lock_holder(descriptor: int) -> int | None:
    """The id of another process holding an `flock` on the file open at `descriptor`, as the
    kernel's table of locks tells (/proc/locks, Linux); None where it cannot be told."""
    status = os.fstat(descriptor)
    where = f"{os.major(status.st_dev):02x}:{os.minor(status.st_dev):02x}:{status.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as table:
            for row in table:
                fields = row.split()
                if (len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == where
                        and fields[4].isdigit() and int(fields[4]) != os.getpid()):
                    return int(fields[4])
    except OSError:
        pass
    return None
