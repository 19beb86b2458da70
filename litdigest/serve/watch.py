"""Notice changes below some folders and report each burst of them once, after it settles.

An editor's save is often several events (a temporary file, a rename, a permission change), and
a `git checkout` is hundreds: the watcher waits until nothing has changed for `settle` seconds
(longer bursts are cut at `longest`), then calls back once. On Linux it is told of changes by
the kernel (inotify, through ctypes: no dependency, no polling); elsewhere it compares every
file's modification time and size every `interval` seconds.
"""

from __future__ import annotations

import ctypes
import os
import select
import struct
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterable, Optional

SETTLE = 0.05  # seconds without a change that end a burst: the events of one save come within
# a millisecond or two, and 50 ms is what watchexec waits by default
LONGEST = 2.0  # seconds a burst may last before it is reported anyway
INTERVAL = 0.1  # seconds between scans when polling


Changes = Optional[frozenset[str]]  # the paths that changed; None: unknown, look at everything


class Watcher:
    """Calls `on_change(paths)` once per settled burst of changes below `folders`, from its own
    thread; `paths` are the files that changed, or None when that is not known (see Changes)."""

    def __init__(self, folders: Iterable[Path], on_change: Callable[[Changes], None],
                 settle: float = SETTLE, longest: float = LONGEST, interval: float = INTERVAL,
                 use_inotify: bool = True) -> None:
        self.folders = [Path(f) for f in folders]
        self.on_change = on_change
        self.settle, self.longest = settle, longest
        self.stopping = threading.Event()
        inotify = _Inotify.open(self.folders) if use_inotify else None
        self.source: _Source = inotify or _Poller(self.folders, interval)
        self.thread = threading.Thread(target=self._run, name="litdigest-watch", daemon=True)

    @property
    def kind(self) -> str:
        return self.source.kind

    def start(self) -> Watcher:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        self.source.close()

    def _run(self) -> None:
        while not self.stopping.is_set():
            if not self.source.wait(0.5):
                continue
            began = last = time.monotonic()
            while not self.stopping.is_set():
                now = time.monotonic()
                if now - last >= self.settle or now - began >= self.longest:
                    break
                if self.source.wait(min(self.settle - (now - last), self.longest - (now - began))):
                    last = time.monotonic()
            if not self.stopping.is_set():
                self.on_change(self.source.take())


class _Source:
    kind = "none"

    def __init__(self) -> None:
        self.changed: set[str] | None = set()

    def wait(self, timeout: float) -> bool:
        """True as soon as something changed, False if nothing did within `timeout` seconds."""
        raise NotImplementedError

    def take(self) -> Changes:
        """The paths changed since the last call (None if unknown), forgetting them."""
        changed, self.changed = self.changed, set()
        return None if changed is None else frozenset(changed)

    def note(self, paths: Iterable[str] | None) -> None:
        if paths is None or self.changed is None:
            self.changed = None
        else:
            self.changed.update(paths)

    def close(self) -> None:
        pass


class _Poller(_Source):
    """Compares (modification time, size) of every file with the previous scan."""

    kind = "polling"

    def __init__(self, folders: list[Path], interval: float) -> None:
        super().__init__()
        self.folders, self.interval = folders, interval
        self.seen = self._scan()

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            now = self._scan()
            if now != self.seen:
                self.note(p for p in now.keys() | self.seen.keys() if now.get(p) != self.seen.get(p))
                self.seen = now
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(self.interval, left))

    def _scan(self) -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        for folder in self.folders:
            for root, _dirs, files in os.walk(folder):
                for name in files:
                    path = os.path.join(root, name)
                    try:
                        st = os.stat(path)
                    except OSError:
                        continue
                    found[path] = (st.st_mtime_ns, st.st_size)
        return found


# inotify(7): the flags and the event header, as in <sys/inotify.h>
_IN_MODIFY, _IN_ATTRIB, _IN_CLOSE_WRITE = 0x2, 0x4, 0x8
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_DELETE_SELF, _IN_MOVE_SELF, _IN_Q_OVERFLOW, _IN_IGNORED = 0x400, 0x800, 0x4000, 0x8000
_IN_ISDIR = 0x40000000
_IN_NONBLOCK, _IN_CLOEXEC = 0o4000, 0o2000000
_MASK = (_IN_MODIFY | _IN_ATTRIB | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE
         | _IN_DELETE | _IN_DELETE_SELF | _IN_MOVE_SELF)
_HEADER = struct.Struct("iIII")


class _Inotify(_Source):
    """The kernel's change notices for every folder below the watched ones (Linux only)."""

    kind = "inotify"

    def __init__(self, libc: ctypes.CDLL, fd: int) -> None:
        super().__init__()
        self.libc, self.fd = libc, fd
        self.paths: dict[int, bytes] = {}  # watch descriptor -> folder

    @classmethod
    def open(cls, folders: list[Path]) -> _Inotify | None:
        if not sys.platform.startswith("linux"):
            return None
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            fd = libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        except (OSError, AttributeError):
            return None
        if fd < 0:
            return None
        source = cls(libc, fd)
        for folder in folders:
            if not source._add_tree(folder):
                source.close()
                return None
        return source

    def wait(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except BlockingIOError:
            return False
        self._read_events(data)
        return True

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def _add_tree(self, folder: Path) -> bool:
        for root, _dirs, _files in os.walk(folder):
            path = os.fsencode(root)
            wd = self.libc.inotify_add_watch(self.fd, path, _MASK)
            if wd < 0:
                return False
            self.paths[wd] = path
        return folder.is_dir()

    def _read_events(self, data: bytes) -> None:
        """Note the path of each event. A folder made inside a watched one is watched too, and
        then what changed is unknown (files may have come with it before the watch)."""
        offset = 0
        while offset + _HEADER.size <= len(data):
            wd, mask, _cookie, length = _HEADER.unpack_from(data, offset)
            offset += _HEADER.size + length
            name = data[offset - length : offset].rstrip(b"\0")
            parent = self.paths.get(wd)
            if parent is None or mask & (_IN_Q_OVERFLOW | _IN_IGNORED | _IN_DELETE_SELF
                                         | _IN_MOVE_SELF):
                self.note(None)
            elif mask & _IN_ISDIR:
                self.note(None)
                if mask & (_IN_CREATE | _IN_MOVED_TO):
                    self._add_tree(Path(os.fsdecode(os.path.join(parent, name))))
            elif name:
                self.note([os.fsdecode(os.path.join(parent, name))])
