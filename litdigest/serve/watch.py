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
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Iterable, Optional

from watchfiles._rust_notify import RustNotify  # what watchfiles.watch() wraps: made here,
# not in the thread, so the folders are watched from the moment the Watcher exists

STEP = 25  # ms: a burst has ended when this passes without a new change (the events of one
# save come within a millisecond or two)
LONGEST = 2_000  # ms a burst may last before it is reported anyway

Changes = Optional[frozenset[str]]  # the paths that changed; None: unknown, look at everything


class Watcher:
    """Calls `on_change(paths)` once per settled burst of changes below `folders`, from its own
    thread; `paths` are the files that changed, or None when that is not known (see Changes)."""

    def __init__(self, folders: Iterable[Path], on_change: Callable[[Changes], None],
                 step: int = STEP, longest: int = LONGEST) -> None:
        self.folders = [str(f) for f in folders]
        self.on_change = on_change
        self.step, self.longest = step, longest
        self.seen_folders = {root for folder in self.folders for root, _, _ in os.walk(folder)}
        self.notify = RustNotify(self.folders, debug=False, force_polling=False, poll_delay_ms=300,
                                 recursive=True, ignore_permission_denied=False)
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
            events = self.notify.watch(self.longest, self.step, 0, self.stopping)
            if isinstance(events, set) and not self.stopping.is_set():
                self.on_change(self._paths(events))

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
