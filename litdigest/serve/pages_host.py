"""Answer the preview's requests for `site/` as GitHub Pages answers them for the published site.

The site lives under the path of its base URL (`/notes/` for `https://user.github.io/notes/`),
as a GitHub project page does, and only there:

- a file is served as it is (`/notes/papers/x/index.html` too), a folder by its `index.html`;
- a folder named without its closing slash (`/notes/papers/x`, `/notes`) is redirected to it
  (301, as Pages does), a file named with one (`/notes/feed.xml/`) is not found, and a name
  without `.html` is the `.html` file of that name, as on Pages;
- `/` is redirected to the site's path, where serve says the site is (302: the next site
  previewed on this port may live elsewhere, and a browser keeps a 301 for good);
- anything else, at any depth and outside the site's path too, is answered with the site's own
  `404.html` and status 404 (the build writes its links absolute, from the same path).

What a URL may name is decided before the disk is looked at: a control character (a NUL among
them) is a bad request (400), a `.` or `..` segment or an absolute path names nothing (404);
both get the server's plain answer, not the site's page, and no file outside `site/` is ever
read. Any error the system raises on the way to a file (a path it refuses, a file gone while a
rebuild swaps `site/`) is a 404 too, never a 500 with a traceback.
"""

from __future__ import annotations

import datetime
import os
import re
from typing import Any
from urllib.parse import quote, unquote

from livereload.handlers import StaticFileHandler
from tornado.web import HTTPError

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
NOT_FOUND_PAGE = "404.html"
INDEX = "index.html"
_SAFE_IN_PATH = "/!$&'()*+,;=:@~"  # what a path keeps unencoded in a Location header


def site_handlers(root: str, base_path: str) -> list[tuple[str, type, dict[str, Any]]]:
    """The web application's routes for the site in `root`, published under `base_path` (the
    path of its base URL, ending in /): every URL goes to SiteFiles."""
    return [(r"/(.*)", SiteFiles, {"path": root, "default_filename": INDEX,
                                   "base_path": unquote(base_path)})]


class _Refused(HTTPError):
    """A URL that names no file by its very form: answered plainly, not with the site's page."""


class SiteFiles(StaticFileHandler):  # type: ignore[misc]
    """livereload's file handler (tornado's, never answering 304: a reloaded page is always
    fetched anew), routing as Pages does and answering 404 with the site's page."""

    def initialize(self, path: str, default_filename: str | None = None,
                   base_path: str = "/") -> None:
        super().initialize(path, default_filename)
        self.base_path = base_path  # decoded, as the paths tornado hands to `get`

    async def get(self, path: str, include_body: bool = True) -> None:
        """Answer for the URL path `/` + `path` (decoded)."""
        below = self._below_base("/" + path)
        if below is None:
            return
        try:
            await super().get(self._with_html(below), include_body)
        except (OSError, ValueError):  # the system refused the path, or the file went meanwhile
            raise HTTPError(404) from None

    def _below_base(self, url_path: str) -> str | None:
        """The path below the site's folder that a (decoded) URL path names; None once answered
        with a redirect; HTTPError if it names nothing."""
        if CONTROL.search(url_path):
            raise _Refused(400)
        segments = url_path.split("/")
        if {".", ".."} & set(segments) or "" in segments[1:-1]:  # `//`: an absolute path below
            raise _Refused(404)
        if url_path.startswith(self.base_path):
            return url_path[len(self.base_path):]
        if url_path + "/" == self.base_path:
            self.redirect(quote(self.base_path, safe=_SAFE_IN_PATH), permanent=True)
        elif url_path == "/":
            self.redirect(quote(self.base_path, safe=_SAFE_IN_PATH), permanent=False)
        else:
            raise HTTPError(404)
        return None

    def _with_html(self, below: str) -> str:
        """The path to serve: Pages' one liberty, a name that is no file or folder is its
        `.html` file, if any; a name ending in / that is no folder names nothing (HTTPError)."""
        named = os.path.join(self.root, below)
        if not below or below.endswith("/"):
            if not os.path.isdir(named):
                raise HTTPError(404)
            return below
        if not os.path.exists(named) and os.path.isfile(named + ".html"):
            return below + ".html"
        return below

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A 404 shows the site's own page (where it has one); anything else tornado's."""
        error = kwargs.get("exc_info", (None, None))[1]
        plain = status_code != 404 or isinstance(error, _Refused)
        page = None if plain else self._not_found_page()
        if page is None:
            super().write_error(status_code, **kwargs)
            return
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(page)

    def _not_found_page(self) -> bytes | None:
        """The bytes of `site/404.html`, if it is a file inside `site/`."""
        root = os.path.realpath(self.root)
        page = os.path.realpath(os.path.join(root, NOT_FOUND_PAGE))
        if not page.startswith(root + os.sep) or not os.path.isfile(page):
            return None
        try:
            with open(page, "rb") as file:
                return file.read()
        except OSError:
            return None

    @classmethod
    def get_content_modified_time(cls, abspath: str) -> datetime.datetime:
        """As livereload's: the modification time in UTC, to the second, without a zone (its
        own calls `datetime.utcfromtimestamp`, deprecated since Python 3.12)."""
        seconds = int(os.stat(abspath).st_mtime)
        return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).replace(tzinfo=None)
