"""The browser's side of the preview: serve `site/` over HTTP and tell open pages to reload.

livereload gives the web server (tornado) and the reload protocol its script speaks. We use it
without its own logging (one of its lines says it watches the current folder: it does not, we
do), without its own watcher (ours says when to reload), and with its file handler's one call
deprecated since Python 3.12 (`datetime.utcfromtimestamp`) replaced. These, and the reload
itself, reach into its internals (`Server._setup_logging`, the watcher it polls through,
`Server.SFH`, `Server.application`, `LiveReloadHandler.reload_waiters`), so they stay here,
checked against livereload 2.6.3 to 2.7.1 (pyproject.toml pins the range).

What a URL may name is decided here too, before tornado's file handler looks at the disk
(`_StaticFiles.parse_url_path`): a control character (a NUL among them) is a bad request (400),
a `..` segment or an absolute path names nothing (404), and any error the system raises on the
way to a file (a path it refuses, a file gone while a rebuild swaps `site/`) is a 404, never a
500 with a traceback. What tornado logs of a request (a 404 it answered) reaches the terminal
with its control characters escaped and cut short: a URL is anyone's text.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
import re
from pathlib import Path
from typing import Any, Callable

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher as LivereloadWatcher
from tornado.ioloop import IOLoop
from tornado.web import HTTPError

from litdigest.serve.listen import Reserved, listening

LOGGED = 200  # characters of a logged line kept: a URL may be as long as a request line allows


class LiveServer:
    """A livereload server, driven from outside: `reload` and `call_soon` may be called from
    any thread; `serve` runs the server on this one until Ctrl-C or `stop`."""

    def __init__(self) -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())  # else tornado makes one through
        # asyncio.get_event_loop(), deprecated since Python 3.12 when no loop is set
        self.loop = IOLoop.current()
        self.server = _QuietServer(watcher=_NoWatching())

    def serve(self, root: Path, address: Reserved) -> None:
        """Serve `root` at the address reserved for it (released just before the server binds
        it); a bind that fails even so raises LitdigestError (listen.py)."""
        address.release()
        self.server.serve(host=address.host, port=address.port, root=str(root),
                          open_url_delay=None)

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
        for name in ("tornado.access", "tornado.application", "tornado.general"):
            logging.getLogger(name).addFilter(_printable)

    def application(self, port: int, host: str, *args: Any, **kwargs: Any) -> None:
        """livereload's: the web application, bound to `host`:`port`; a refusal in one line."""
        listening(host, port, lambda: super(_QuietServer, self).application(port, host, *args,
                                                                            **kwargs))


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _printable(record: logging.LogRecord) -> bool:
    """A log record's text with control characters escaped, cut to LOGGED characters."""
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], record.getMessage())
    record.msg = text if len(text) <= LOGGED else text[:LOGGED] + "..."
    record.args = ()
    return True


class _StaticFiles(StaticFileHandler):  # type: ignore[misc]
    """livereload's file handler, refusing what no file of `site/` can be named."""

    def parse_url_path(self, url_path: str) -> str:
        """The path below `site/` that a URL's (decoded) path names; HTTPError if none."""
        if _CONTROL.search(url_path):
            raise HTTPError(400)
        if url_path.startswith("/") or ".." in url_path.split("/"):
            raise HTTPError(404)
        return str(super().parse_url_path(url_path))

    async def get(self, path: str, include_body: bool = True) -> None:
        try:
            await super().get(path, include_body)
        except (OSError, ValueError):  # the system refused the path, or the file went meanwhile
            raise HTTPError(404) from None

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
