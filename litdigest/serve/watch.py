"""Notice changes below some folders and report each burst of them once, after it settles.

An editor's save is often several events (a temporary file, a rename, a permission change), and
a `git checkout` is hundreds: the watcher waits until a `step` passes without a new change
(bursts longer than `longest` are cut), then calls back once with the paths that changed.

The events come from watchfiles (the Rust `notify` crate: inotify on Linux, FSEvents on macOS,
ReadDirectoryChangesW on Windows): the system tells us of each change, on every system, where a
watcher of our own would have to poll every file elsewhere (10,000 files, ten times a second).
On Linux it is as quick as inotify read directly: with a 25 ms step, the same median time from
a save to the callback as waiting for 50 ms of quiet. Its events name paths, not what they
were: a folder that came, went or moved makes the change unknown (files may have come or gone
with it unseen), so the watcher keeps the set of folders it has seen.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Iterable, Optional

from watchfiles._rust_notify import RustNotify  # watchfiles' documented low-level API: made
# here, so the folders are watched from the moment the Watcher exists

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
        self.notify = RustNotify(self.folders, False, False, 300, True, False)
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
