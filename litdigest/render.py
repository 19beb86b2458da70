"""Render planned pages through the Jinja templates in `templates/` (autoescape on)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from .errors import LitdigestError, Problem
from .library import Library
from .markdown import RenderedBody, make_markdown, render_body
from .pages import Page


def make_environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    return env


def _feed_updated(library: Library) -> str:
    """The newest date the content gives; never the time of the build, so output is reproducible."""
    dates = [p.date for p in library.papers if p.date]
    return f"{max(dates).isoformat()}T00:00:00Z" if dates else "1970-01-01T00:00:00Z"


class Renderer:
    """Renders pages of one library; Markdown bodies are rendered once per paper and reused."""

    def __init__(self, library: Library, templates_dir: Path) -> None:
        self.library = library
        self.env = make_environment(templates_dir)
        self.md = make_markdown()
        self.bodies: dict[str, RenderedBody] = {}
        base = library.config.base_url.rstrip("/") + "/"
        self.env.globals.update({
            "site": library.config,
            "library": library,
            "base_url": base,
            "base_path": urlsplit(base).path or "/",
            "feed_updated": _feed_updated(library),
        })

    def body(self, paper_id: str) -> RenderedBody:
        rendered = self.bodies.get(paper_id)
        if rendered is None:
            rendered = self.bodies[paper_id] = render_body(self.md, self.library.by_id[paper_id])
        return rendered

    def render(self, page: Page) -> str:
        bodies = {pid: self.body(pid) for pid in page.papers}
        root = self.env.globals["base_path"] if page.path == "404.html" else page.root
        context = {**page.context, "page_path": page.path, "root": root, "bodies": bodies}
        try:
            return self.env.get_template(page.template).render(context)
        except jinja2.TemplateSyntaxError as err:
            raise LitdigestError(Problem(err.filename or page.template, err.lineno,
                                         f"template error: {err.message}",
                                         "fix the template")) from None
        except jinja2.TemplateNotFound as err:
            raise LitdigestError(Problem(page.template, None, f"template not found: {err.name}",
                                         "add it to templates/")) from None
        except jinja2.UndefinedError as err:
            path, line = _template_frame(err, page.template)
            raise LitdigestError(Problem(path, line, f"template error: {err.message}",
                                         f"fix the template (rendering {page.path})")) from None


def _template_frame(err: Exception, fallback: str) -> tuple[str, int | None]:
    """The innermost template file and line of a rendering error (Jinja rewrites the traceback)."""
    found: tuple[str, int | None] = (fallback, None)
    tb = err.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
