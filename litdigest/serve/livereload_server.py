"""The browser's side of the preview: serve `site/` over HTTP and tell open pages to reload.

livereload gives the web server (tornado) and the reload protocol its script speaks. We use it
without its own logging (one of its lines says it watches the current folder: it does not, we
do), without its own watcher (ours says when to reload), and with its file handler's one call
deprecated since Python 3.12 (`datetime.utcfromtimestamp`) replaced. These, and the reload
itself, reach into its internals (`Server._setup_logging`, the watcher it polls through,
`Server.SFH`, `LiveReloadHandler.reload_waiters`), so they stay here, checked against
livereload 2.6.3 to 2.7.1 (pyproject.toml pins the range).
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
from pathlib import Path
from typing import Callable

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher as LivereloadWatcher
from tornado.ioloop import IOLoop


class LiveServer:
    """A livereload server, driven from outside: `reload` and `call_soon` may be called from
    any thread; `serve` runs the server on this one until Ctrl-C or `stop`."""

    def __init__(self) -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())  # else tornado makes one through
        # asyncio.get_event_loop(), deprecated since Python 3.12 when no loop is set
        self.loop = IOLoop.current()
        self.server = _QuietServer(watcher=_NoWatching())

    def serve(self, root: Path, host: str, port: int) -> None:
        self.server.serve(host=host, port=port, root=str(root), open_url_delay=None)

    def reload(self) -> None:
        """Tell every open page to reload."""
        self.call_soon(LiveReloadHandler.reload_waiters)

    def call_soon(self, work: Callable[[], object]) -> None:
        """Run `work` on the server's thread, between two requests."""
        self.loop.add_callback(work)

    def stop(self) -> None:
        self.call_soon(self.loop.stop)


class _QuietServer(Server):  # type: ignore[misc]
    def __init__(self, watcher: LivereloadWatcher) -> None:
        super().__init__(watcher=watcher)
        self.SFH = _StaticFiles

    def _setup_logging(self) -> None:
        logging.getLogger("livereload").setLevel(logging.WARNING)


class _StaticFiles(StaticFileHandler):  # type: ignore[misc]
    @classmethod
    def get_content_modified_time(cls, abspath: str) -> datetime.datetime:
        """As livereload's: the modification time in UTC, to the second, without a zone."""
        seconds = int(os.stat(abspath).st_mtime)
        return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).replace(tzinfo=None)


class _NoWatching(LivereloadWatcher):  # type: ignore[misc]
    def start(self, callback: Callable[[], None]) -> bool:
        return True  # "started": livereload then sets up no polling of its own

    def examine(self) -> tuple[None, None]:
        return None, None
