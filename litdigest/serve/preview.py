"""Preview: build, serve `site/` on loopback, rebuild what a change touches and reload the browser.

The site is built for the preview's address and served under its base URL's path, as it will be
published (preview_url.py, pages_host.py).

The preview keeps the last build's state in memory (parsed pages, rendered bodies, page keys,
compiled templates), so a rebuild re-reads only the files the watcher (watch.py) saw change in
a burst of saves and re-renders only the pages they touch (build_site decides: nothing, some
pages, or everything). The builds run in a builder process (builder.py), which serve forks
before it starts any thread; the browser is told to reload (livereload_server.py) only after
the rebuild has written its files, and only if a file changed; a rebuild that fails is reported
and the last good site stays served. The cache on disk is brought up to date after the reload,
by a forked copy of the builder, off the path from a save to the page.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import click

from litdigest.build.jinja_env import MemoryBytecodeCache
from litdigest.build.parallel import can_fork, start_in_child
from litdigest.build.pipeline import UNCHANGED, BuildResult, Options, PreviewOptions, build_site
from litdigest.build.theme import Templates
from litdigest.build.render import ready
from litdigest.build.tuning import collector_paused
from litdigest.errors import LitdigestError
from litdigest.incremental.reuse import save_cache
from litdigest.incremental.store import LastBuild, cache_dir, discard_all
from litdigest.serve.builder import Builder
from litdigest.serve.listen import reserve
from litdigest.serve.livereload_server import LiveServer
from litdigest.serve.preview_url import preview_url
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
    base_url: str | None = None  # where the preview is, over site.yaml's (preview_url.py)
    state: LastBuild | None = None
    compiled: MemoryBytecodeCache = field(default_factory=MemoryBytecodeCache)
    lock: threading.Lock = field(default_factory=threading.Lock)  # one build or save at a time
    writer: CacheWriter = field(default_factory=CacheWriter)
    failed: bool = False  # the last build failed: the files it saw changed are still to build

    def build(self, changed: Changes = None,
              shown: Callable[[], None] | None = None) -> BuildResult:
        """Build from the last state, knowing which files changed if the watcher could tell
        (after a failed build, every file is looked at again); raises LitdigestError as
        build_site does. `shown`: called as soon as an update's pages a browser shows are in
        place, before the files machines read (PreviewOptions.pages_shown)."""
        with self.lock:
            self.writer.stop(self.output_dir)
            try:
                result = build_site(self.content_dir, self.templates_dir, self.output_dir,
                                    Options(base_url=self.base_url, preview=PreviewOptions(
                                        last_build=self.state, compiled=self.compiled,
                                        changed=None if self.failed else changed,
                                        pages_shown=shown)))
            except LitdigestError:
                self.failed = True
                raise
            self.failed = False
            if result.last_build is not None:
                self.state = result.last_build
            return result

    def start(self) -> None:
        """The first build, reported; then the cache is saved, and the templates compiled and
        the Markdown stack readied while nothing waits (a start from the cache renders nothing,
        and the first save would otherwise pay for both)."""
        click.echo(self.build().summary())
        self.save()
        ready(Templates(self.templates_dir), self.compiled)

    def save(self) -> None:
        """Bring the cache on disk up to the last build, so a later `litdigest build` starts
        from it (CacheWriter: in the background); then set the garbage collector up for the next
        rebuild."""
        with self.lock:
            settle_memory()  # first, so that the copy and the preview share the frozen memory
            if self.state is not None:
                self.writer.write(self.output_dir, self.state)

    def rebuild(self, changed: Changes, written: Callable[[bool], object]) -> None:
        """One rebuild after a change, reported; `written(True)` as soon as the pages a browser
        shows are on disk (the browser may reload; the files machines read follow), else once
        the build is done, `written(False)` if no file changed or it failed. The collector stays
        paused until the state is saved, so the rebuild's garbage is collected after the
        reload, not before it."""
        told: list[bool] = []

        def shown() -> None:
            told.append(True)
            written(True)

        with collector_paused():
            result = self._report(changed, shown)
            wrote = result is not None and result.mode != UNCHANGED
            if not told:
                written(wrote)
            if wrote:
                self.save()

    def _report(self, changed: Changes, shown: Callable[[], None]) -> BuildResult | None:
        """Build and print the summary; on failure, print why and return None."""
        try:
            result = self.build(changed, shown)
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
        return result


def settle_memory() -> None:
    """Collect the last build's garbage, then freeze what is left (the state kept for the next
    build): the collector then never walks the whole library again during a rebuild."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def serve_site(content_dir: Path, templates_dir: Path, output_dir: Path, host: str, port: int,
               published: str | None = None) -> None:
    """Build, serve `output_dir` under the path of the address the site is published at
    (`published`, else site.yaml's), and rebuild after every settled burst of changes to the
    content or the templates, until Ctrl-C. The address is taken first (a port in use is said
    before anything is built); the builds run in the builder, forked before any thread exists;
    where there is no fork (Windows), here, on the server's thread."""
    address = reserve(host, port)
    url = preview_url(content_dir, published, host, port)
    preview = Preview(content_dir, templates_dir, output_dir, url.base_url)
    builder = Builder.fork(preview, address.release) if can_fork() else None
    try:
        if builder is None:
            preview.start()
        else:
            builder.wait_started()
    except BaseException:
        address.release()
        raise
    server = LiveServer()
    on_change = _in_builder(builder, server) if builder else _in_server(preview, server)
    watched = [content_dir, *(f for f in Templates(templates_dir).folders if f.is_dir())]
    watcher = Watcher(watched, on_change, on_gone=_say_gone).start()
    # said from the server's loop as it starts, once it listens: the reserved port is let go just
    # before the server binds it, and one who connects on reading the line must be answered
    server.call_soon(lambda: click.echo(f"serving {output_dir}/ at {url.base_url} (Ctrl-C stops)"))
    try:
        server.serve(output_dir, address, url.path)
    finally:
        watcher.stop()
        if builder is None:
            preview.writer.finish()
        else:
            builder.stop()
    if builder is not None and builder.lost:
        raise SystemExit("litdigest: the builder process stopped unexpectedly")


def _say_gone(folder: str) -> None:
    click.echo(f"{folder}: gone — still serving the last site; it is rebuilt when the folder "
               "is back", err=True)


def _in_builder(builder: Builder, server: LiveServer) -> Callable[[Changes], None]:
    """Hand each burst to the builder; reload the browser once it has written files."""

    def on_change(changed: Changes) -> None:
        try:
            if builder.rebuild(changed):
                server.reload()
        except (EOFError, OSError):
            builder.lost = True
            server.stop()

    return on_change


def _in_server(preview: Preview, server: LiveServer) -> Callable[[Changes], None]:
    """Rebuild on the server's thread, between requests; reload once files are written."""

    def reload_if(wrote: bool) -> None:
        if wrote:
            server.reload()

    def on_change(changed: Changes) -> None:
        server.call_soon(lambda: preview.rebuild(changed, reload_if))

    return on_change
