"""This user's secret key, which signs every file of the build cache so that only files this user's
litdigest wrote are ever read back.

A folder can come from anyone (a cloned repository, an archive): a cache file planted there must
not be taken for what a build left. Each cache file carries an HMAC (SHA-256) of its bytes under a
random key kept outside any project, in `$XDG_CACHE_HOME/litdigest/cache-key` (else
`~/.cache/litdigest/cache-key`), readable by this user only. Whoever can write that file can
already run code as this user. Without a usable key (no home folder, a read-only one, a key file
that others could read or write) nothing is signed, so nothing is trusted: every build is a full
one, and correct.
"""

from __future__ import annotations

import functools
import hmac
import os
import stat
from pathlib import Path

KEY_BYTES = 32
MAC_BYTES = 32  # SHA-256
KEY_FILE = "cache-key"


def key_path() -> Path | None:
    """Where this user's key is kept, or None when there is no home folder to keep it in."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        folder = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    except (RuntimeError, KeyError):
        return None
    return folder / "litdigest" / KEY_FILE


@functools.cache
def machine_key() -> bytes | None:
    """The key, made on first use (created once even when processes race); None if unusable."""
    path = key_path()
    if path is None:
        return None
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        _create_key(path)
        return _read_key(path)
    except OSError:
        return None


def sign(key: bytes, *parts: bytes | memoryview) -> bytes:
    """The MAC of the parts, in order."""
    mac = hmac.new(key, digestmod="sha256")
    for part in parts:
        mac.update(part)
    return mac.digest()


def verify(key: bytes, mac: bytes | memoryview, *parts: bytes | memoryview) -> bool:
    return hmac.compare_digest(bytes(mac), sign(key, *parts))


def _read_key(path: Path) -> bytes | None:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        st = os.fstat(fd)
        if (not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid()
                or st.st_mode & 0o077 or st.st_size != KEY_BYTES):
            return None
        key = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    return key if len(key) == KEY_BYTES else None


def _create_key(path: Path) -> None:
    """Write a new key beside its place and link it in: a racing process's key wins or ours does."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = path.with_name(f".{KEY_FILE}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)  # left by a process of this pid that was killed
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, os.urandom(KEY_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temp, path)
    except FileExistsError:
        pass
    finally:
        temp.unlink(missing_ok=True)


def read_regular(path: Path) -> bytes | None:
    """A regular file's bytes; None for anything else (a FIFO would block, a link may lead out)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    except OSError:
        return None
    finally:
        os.close(fd)
