"""Preview: build, serve `site/` on loopback, rebuild what a change touches and reload the browser.

The preview keeps the last build's state in memory (parsed pages, rendered bodies, page keys,
compiled templates), so a rebuild re-reads only the changed files and re-renders only the pages
they touch (rebuild.py). Its own watcher (watch.py) turns a burst of saves into one rebuild.
The browser is told to reload only after the rebuild has written its files, and only if a file
changed; a rebuild that fails is reported and the last good site stays served. The cache on
disk is brought up to date after the reload, by a forked copy of the process, off the path
from a save to the page.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import click

from litdigest.build.pipeline import UNCHANGED, BuildResult, Options, PreviewOptions, build_site
from litdigest.build.tuning import collector_paused
from litdigest.incremental.reuse import save_cache
from litdigest.incremental.store import LastBuild, cache_dir, discard_all
from litdigest.errors import LitdigestError
from litdigest.build.parallel import start_in_child
from litdigest.build.jinja_env import MemoryBytecodeCache
from litdigest.build.render import ready
from litdigest.serve.watch import Changes, Watcher


class CacheWriter:
    """Writes the preview's state to the cache from a forked copy of the process: writing it
    takes a quarter of a second at 10,000 papers, and the preview must be free for the next save
    at once. `finish` waits for the copy; the preview calls it before it stops, and a Ctrl-C that
    stops the preview does not stop the copy.

    One copy at a time, and never one behind `site/`: a newer state, or a build about to change
    the site, first stops the copy still writing an older state. Stopped halfway, a copy leaves
    no index (each write drops the old one first), so the next `litdigest build` is a full one,
    never a wrong one."""

    def __init__(self) -> None:
        self.child: int | None = None

    def write(self, output_dir: Path, state: LastBuild) -> None:
        self.stop(output_dir)
        self.child = start_in_child(lambda: save_cache(output_dir, state), deaf_to_ctrl_c=True)

    def stop(self, output_dir: Path) -> None:
        """Stop the copy writing now, if any, and delete what it left half-written."""
        if self.child is not None and not _reaped(self.child, os.WNOHANG):
            os.kill(self.child, signal.SIGKILL)
            _reaped(self.child, 0)
            discard_all(cache_dir(output_dir))
        self.child = None

    def finish(self) -> None:
        """Wait for the copy writing now, if any."""
        if self.child is not None:
            _reaped(self.child, 0)
            self.child = None


def _reaped(pid: int, flags: int) -> bool:
    """Has the child ended (and been waited for)? With flags 0, wait until it has."""
    try:
        done, _ = os.waitpid(pid, flags)
    except ChildProcessError:  # already waited for
        return True
    return done != 0


@dataclass
class Preview:
    """The site being previewed: its folders and the state of its last good build."""

    content_dir: Path
    templates_dir: Path
    output_dir: Path
    state: LastBuild | None = None
    compiled: MemoryBytecodeCache = field(default_factory=MemoryBytecodeCache)
    lock: threading.Lock = field(default_factory=threading.Lock)
    writer: CacheWriter = field(default_factory=CacheWriter)
    failed: bool = False  # the last build failed: the files it saw changed are still to build

    def build(self, changed: Changes = None) -> BuildResult:
        """Build from the last state, knowing which files changed if the watcher could tell
        (after a failed build, every file is looked at again); raises LitdigestError as
        build_site does."""
        with self.lock:
            self.writer.stop(self.output_dir)
            try:
                result = build_site(self.content_dir, self.templates_dir, self.output_dir,
                                    Options(preview=PreviewOptions(
                                        last_build=self.state, compiled=self.compiled,
                                        changed=None if self.failed else changed)))
            except LitdigestError:
                self.failed = True
                raise
            self.failed = False
            if result.last_build is not None:
                self.state = result.last_build
            return result

    def warm_up(self) -> None:
        """Compile the templates and ready the Markdown stack while nothing waits: a start from
        the cache renders nothing, and the first save would otherwise pay for both."""
        ready(self.templates_dir, self.compiled)

    def save(self) -> None:
        """Bring the cache on disk up to the last build, so a later `litdigest build` starts
        from it (CacheWriter: in the background); then set the garbage collector up for the next
        rebuild."""
        with self.lock:
            settle_memory()  # first, so that the copy and the preview share the frozen memory
            if self.state is not None:
                self.writer.write(self.output_dir, self.state)

    def rebuild(self, reload: Callable[[], None], changed: Changes = None) -> BuildResult | None:
        """One rebuild after a change: report it, reload the browser if a file changed. The
        collector stays paused until the state is saved, so the rebuild's garbage is collected
        after the reload, not before it."""
        with collector_paused():
            return self._rebuild(reload, changed)

    def _rebuild(self, reload: Callable[[], None], changed: Changes) -> BuildResult | None:
        try:
            result = self.build(changed)
        except LitdigestError as err:
            for problem in err.problems:
                click.echo(f"error: {problem}", err=True)
            click.echo("litdigest: the build failed; still serving the last good site", err=True)
            return None
        except Exception as err:  # noqa: BLE001 - the preview outlives a bug in one rebuild
            self.failed = True
            click.echo(f"litdigest: the rebuild failed ({type(err).__name__}: {err}); "
                       "still serving the last good site", err=True)
            return None
        click.echo(result.summary())
        if result.mode != UNCHANGED:
            reload()
            self.save()
        return result


def settle_memory() -> None:
    """Collect the last build's garbage, then freeze what is left (the state kept for the next
    build): the collector then never walks the whole library again during a rebuild."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def serve_site(content_dir: Path, templates_dir: Path, output_dir: Path, host: str, port: int) -> None:
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    preview = Preview(content_dir, templates_dir, output_dir)
    click.echo(preview.build().summary())
    preview.save()
    preview.warm_up()
    loop = IOLoop.current()

    def reload() -> None:
        loop.add_callback(LiveReloadHandler.reload_waiters)

    watcher = Watcher([content_dir, templates_dir],
                      lambda changed: preview.rebuild(reload, changed)).start()
    server = _quiet(Server)(watcher=_no_watching())
    click.echo(f"serving {output_dir}/ at http://{host}:{port}/ (Ctrl-C stops)")
    try:
        server.serve(host=host, port=port, root=str(output_dir), open_url_delay=None)
    finally:
        watcher.stop()
        preview.writer.finish()


def _quiet(server: type) -> type:
    """livereload's server without its log lines (one of which says it watches the current
    folder: it does not, ours does)."""

    class Quiet(server):  # type: ignore[misc, valid-type]
        def _setup_logging(self) -> None:
            logging.getLogger("livereload").setLevel(logging.WARNING)

    return Quiet


def _no_watching() -> object:
    """livereload's server with its own watcher switched off: ours tells it when to reload."""
    from livereload.watcher import Watcher as LivereloadWatcher

    class Idle(LivereloadWatcher):  # type: ignore[misc]
        def start(self, callback: Callable[[], None]) -> bool:
            return True  # "started": livereload then sets up no polling of its own

        def examine(self) -> tuple[None, None]:
            return None, None

    return Idle()
