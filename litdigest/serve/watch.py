"""Notice changes below some folders and report each burst of them once, after it settles.

An editor's save is often several events (a temporary file, a rename, a permission change), and
a `git checkout` is hundreds: the watcher waits until a `step` passes with no new change (bursts
longer than `longest` are cut), then calls back once with the paths that changed.

Why watchfiles (the Rust `notify` crate): the system tells it of each change, on every system
(inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows), where a watcher of our
own read inotify on Linux only and elsewhere polled every file ten times a second. On Linux it
is as quick: with a 25 ms step (a burst ends 25 to 50 ms after its last change), a save's page
is on disk as soon as when the watcher waited for 50 ms of quiet, or sooner. Its events name
paths, not what they were: a folder that came, went or moved makes the change unknown (files
may have come or gone with it unseen), so the watcher keeps the set of folders it has seen.

A watched folder replaced as a whole (`mv content content.old && cp -r content.old content`,
`rm -rf templates && git checkout templates`) takes the system's watch with it: the watch
follows the old folder, wherever it went, and the new one is not watched. So the watcher also
keeps each watched folder's identity (device and inode), and looks again after every burst and
every POLL without one: a folder whose watch ended (an event names the folder itself as gone)
or whose identity changed is watched anew as soon as it is there again, and the change is
unknown (everything is looked at).
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path
from typing import Callable, Iterable, Optional

from watchfiles._rust_notify import RustNotify  # what watchfiles.watch() wraps: made here,
# not in the thread, so the folders are watched from the moment the Watcher exists

STEP = 25  # ms: a burst has ended when this passes without a new change (the events of one
# save come within a millisecond or two)
LONGEST = 2_000  # ms a burst may last before it is reported anyway
POLL = 1_000  # ms: how often, with nothing changing, the watched folders' identities are checked
AWAIT = 100  # ms: as often, while a replaced folder is not there again
GONE = 3  # watchfiles' Change.deleted: an event naming a watched folder itself ends its watch

Changes = Optional[frozenset[str]]  # the paths that changed; None: unknown, look at everything


class Watcher:
    """Calls `on_change(paths)` once per settled burst of changes below `folders`, from its own
    thread; `paths` are the files that changed, or None when that is not known (see Changes).
    `on_gone(folder)` is told once when a watched folder is gone; it is watched again, and
    `on_change(None)` called, once a folder is there again under its name."""

    def __init__(self, folders: Iterable[Path], on_change: Callable[[Changes], None],
                 step: int = STEP, longest: int = LONGEST,
                 on_gone: Callable[[str], object] = lambda folder: None) -> None:
        self.folders = [os.path.abspath(f) for f in folders]  # as events name them
        self.on_change, self.on_gone = on_change, on_gone
        self.step, self.longest = step, longest
        self.identities = _identities(self.folders)
        self.replaced: set[str] = set()  # watched folders whose watch no longer sees them
        self.seen_folders = _folders_below(self.folders)
        self.notify = _notify(self.folders)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="litdigest-watch", daemon=True)

    def start(self) -> Watcher:
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop watching, once the callback running now, if any, has returned."""
        self.stopping.set()
        self.thread.join()
        self.notify.close()

    def _run(self) -> None:
        while not self.stopping.is_set():
            timeout = AWAIT if self.replaced else POLL
            events = self.notify.watch(self.longest, self.step, timeout, self.stopping)
            if self.stopping.is_set():
                return
            burst = events if isinstance(events, set) else set()
            if self._note_replaced(burst):
                if self._watch_anew():
                    self.on_change(None)
            elif burst:
                self.on_change(self._paths(burst))

    def _note_replaced(self, burst: set[tuple[int, str]]) -> bool:
        """Note the watched folders that went or were replaced: is any of them?"""
        ended = {path for change, path in burst if change == GONE and path in self.identities}
        now = _identities(self.folders)
        for folder in self.folders:
            if folder in ended or now[folder] != self.identities[folder]:
                if folder not in self.replaced and now[folder] is None:
                    self.on_gone(folder)
                self.replaced.add(folder)
        return bool(self.replaced)

    def _watch_anew(self) -> bool:
        """Watch every folder again, from scratch, once all are there: did it?"""
        identities = _identities(self.folders)  # before the watch: a later change is seen
        if any(identity is None for identity in identities.values()):
            return False
        try:
            notify = _notify(self.folders)
        except OSError:  # gone again meanwhile: the next look tries again
            return False
        self.notify.close()
        self.notify, self.identities, self.replaced = notify, identities, set()
        self.seen_folders = _folders_below(self.folders)
        return True

    def _paths(self, events: set[tuple[int, str]]) -> Changes:
        """The files in a burst of events, or None if a folder was among them."""
        unknown = False
        for _change, path in events:
            if os.path.isdir(path):
                unknown = True
                self.seen_folders.update(root for root, _, _ in os.walk(path))
            elif path in self.seen_folders:
                unknown = True
                self.seen_folders.discard(path)
        return None if unknown else frozenset(path for _, path in events)


def _notify(folders: list[str]) -> RustNotify:
    return RustNotify(folders, debug=False, force_polling=False, poll_delay_ms=300,
                      recursive=True, ignore_permission_denied=False)


def _identities(folders: list[str]) -> dict[str, tuple[int, int] | None]:
    """Each folder's (device, inode), None where it is not there (or not a folder)."""
    identities: dict[str, tuple[int, int] | None] = {}
    for folder in folders:
        try:
            status = os.stat(folder)
        except OSError:
            identities[folder] = None
            continue
        identities[folder] = (status.st_dev, status.st_ino) if stat.S_ISDIR(status.st_mode) else None
    return identities


def _folders_below(folders: list[str]) -> set[str]:
    return {root for folder in folders for root, _, _ in os.walk(folder)}
