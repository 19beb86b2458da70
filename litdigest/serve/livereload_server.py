"""The browser's side of the preview: serve `site/` over HTTP and tell open pages to reload.

livereload gives the web server (tornado) and the reload protocol its script speaks. We use it
without its own logging (one of its lines says it watches the current folder: it does not, we
do), without its own watcher (ours says when to reload), and without its routes to files.
These, and the reload itself, reach into its internals (`Server._setup_logging`, the watcher it
polls through, `Server.get_web_handlers`, `Server.application`,
`LiveReloadHandler.reload_waiters`), so they stay here (and pages_host.py's handler derives from
livereload's file handler), checked against livereload 2.6.3 to 2.7.1 (pyproject.toml pins the
range).

How each URL is answered (the site under its base URL's path, as GitHub Pages serves it) is
pages_host.py's: its handler takes the place of livereload's. The reload's own URLs
(`/livereload.js`, `/livereload`) stay at the server's root, whatever the site's path: the
livereload.js that livereload ships looks for its socket there. What tornado logs of a request
(a 404 it answered) reaches the terminal with its control characters escaped and cut short: a
URL is anyone's text.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, Callable

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher as LivereloadWatcher
from tornado.ioloop import IOLoop

from litdigest.serve.listen import Reserved, listening
from litdigest.serve.pages_host import CONTROL, site_handlers

LOGGED = 200  # characters of a logged line kept: a URL may be as long as a request line allows


class LiveServer:
    """A livereload server, driven from outside: `reload` and `call_soon` may be called from
    any thread; `serve` runs the server on this one until Ctrl-C or `stop`."""

    def __init__(self) -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())  # else tornado makes one through
        # asyncio.get_event_loop(), deprecated since Python 3.12 when no loop is set
        self.loop = IOLoop.current()
        self.server = _QuietServer(watcher=_NoWatching())

    def serve(self, root: Path, address: Reserved, base_path: str = "/") -> None:
        """Serve `root` under `base_path` (a URL's path, ending in /) at the address reserved for
        it (released just before the server binds it); a bind that fails even so raises
        LitdigestError (listen.py)."""
        self.server.base_path = base_path
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
        self.base_path = "/"

    def _setup_logging(self) -> None:
        logging.getLogger("livereload").setLevel(logging.WARNING)
        for name in ("tornado.access", "tornado.application", "tornado.general"):
            logging.getLogger(name).addFilter(_printable)

    def application(self, port: int, host: str, *args: Any, **kwargs: Any) -> None:
        """livereload's: the web application, bound to `host`:`port`; a refusal in one line."""
        listening(host, port, lambda: super(_QuietServer, self).application(port, host, *args,
                                                                            **kwargs))

    def get_web_handlers(self, script: bytes) -> list[Any]:
        """livereload's: the routes of the site's own URLs (the reload's come before them)."""
        return site_handlers(str(self.root), self.base_path)


def _printable(record: logging.LogRecord) -> bool:
    """A log record's text with control characters escaped, cut to LOGGED characters."""
    text = CONTROL.sub(lambda m: repr(m.group())[1:-1], record.getMessage())
    record.msg = text if len(text) <= LOGGED else text[:LOGGED] + "..."
    record.args = ()
    return True


class _NoWatching(LivereloadWatcher):  # type: ignore[misc]
    def start(self, callback: Callable[[], None]) -> bool:
        return True  # "started": livereload then sets up no polling of its own

    def examine(self) -> tuple[None, None]:
        return None, None
