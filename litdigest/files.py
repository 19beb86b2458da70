"""Small file helpers shared by the stages that write: compare before rewriting."""

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
