"""The preview's watcher: one call per burst of changes, naming the files that changed."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from litdigest.serve.watch import Changes, Watcher


class Calls:
    """What the watcher reported, with a way to wait for the next report."""

    def __init__(self) -> None:
        self.reports: list[Changes] = []
        self.came = threading.Event()

    def __call__(self, paths: Changes) -> None:
        self.reports.append(paths)
        self.came.set()

    def next(self) -> Changes:
        assert self.came.wait(10), "no report"
        self.came.clear()
        return self.reports[-1]


def names(paths: Changes) -> set[str]:
    assert paths is not None
    return {Path(p).name for p in paths}


def test_a_burst_is_reported_once_with_its_files(tmp_path: Path) -> None:
    (tmp_path / "papers").mkdir()
    calls = Calls()
    watcher = Watcher([tmp_path], calls, step=100).start()
    try:
        for number in range(5):  # at once, as a `git checkout` or a search-and-replace
            (tmp_path / "papers" / f"p{number}.md").write_text(f"paper {number}")
        assert names(calls.next()) >= {f"p{n}.md" for n in range(5)}
        time.sleep(0.5)  # a second call would come now
    finally:
        watcher.stop()
    assert len(calls.reports) == 1


def test_a_folder_that_comes_or_goes_makes_the_change_unknown(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "o.md").write_text("old")
    calls = Calls()
    watcher = Watcher([tmp_path], calls).start()
    try:
        (tmp_path / "tags").mkdir()
        assert calls.next() is None  # files may have come with the folder: look at everything
        (tmp_path / "tags" / "t.md").write_text("tag")
        assert names(calls.next()) == {"t.md"}  # and the new folder is watched
        shutil.move(tmp_path / "old", tmp_path.parent / f"{tmp_path.name}-moved-away")
        assert calls.next() is None  # its files went with it, unnamed
    finally:
        watcher.stop()
        shutil.rmtree(tmp_path.parent / f"{tmp_path.name}-moved-away", ignore_errors=True)


def test_stop_ends_the_thread(tmp_path: Path) -> None:
    watcher = Watcher([tmp_path], Calls()).start()
    watcher.stop()
    assert not watcher.thread.is_alive()
