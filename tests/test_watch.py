"""The preview's watcher: one call per burst of changes, naming the files that changed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from litdigest.serve.watch import Watcher


@pytest.mark.parametrize("inotify", [True, False], ids=["inotify", "polling"])
def test_a_burst_is_reported_once_with_its_files(tmp_path: Path, inotify: bool) -> None:
    (tmp_path / "papers").mkdir()
    calls: list[frozenset[str] | None] = []
    called = threading.Event()

    def on_change(paths: frozenset[str] | None) -> None:
        calls.append(paths)
        called.set()

    watcher = Watcher([tmp_path], on_change, settle=0.4, interval=0.05, use_inotify=inotify)
    watcher.start()
    try:
        time.sleep(0.2)
        for number in range(5):
            (tmp_path / "papers" / f"p{number}.md").write_text(f"paper {number}")
        assert called.wait(10)
        time.sleep(0.8)  # a second call would come now
    finally:
        watcher.stop()
    assert len(calls) == 1
    assert calls[0] is not None
    assert {Path(p).name for p in calls[0]} >= {f"p{n}.md" for n in range(5)}


def test_a_new_folder_is_watched_and_makes_the_change_unknown(tmp_path: Path) -> None:
    calls: list[frozenset[str] | None] = []
    called = threading.Event()
    watcher = Watcher([tmp_path], lambda paths: (calls.append(paths), called.set()), settle=0.2)
    if watcher.kind != "inotify":
        pytest.skip("polling watcher: folders need no watching of their own")
    watcher.start()
    try:
        (tmp_path / "tags").mkdir()
        assert called.wait(10)
        called.clear()
        (tmp_path / "tags" / "t.md").write_text("tag")
        assert called.wait(10)
    finally:
        watcher.stop()
    assert calls[0] is None  # files may have come with the folder: look at everything
    assert calls[1] is not None and {Path(p).name for p in calls[1]} == {"t.md"}
