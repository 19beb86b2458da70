"""Render planned pages through the site's Jinja templates (theme.py: its own over the theme's; autoescape on).

A page sees its own context (site_pages.py), its own absolute URL (`page_url`), the rendered
bodies of the papers it shows, and the globals `site`, `library`, `tag_labels` (each tag's
name in the reader's language, by tag: what a paper's tag links read), `base_url`,
`base_path`, `url` (an output path's absolute URL), `shorten` and `metadata` (a paper's
description and head metadata, metadata.py); incremental/stale.py relies on that list.
`papers.json` and its schema are made in Python (papers_json.py), not through a template.
The template environment itself, and what it changes in Jinja, is jinja_env.py's.
"""

from __future__ import annotations

import os
from typing import Mapping
from functools import partial
from urllib.parse import urlsplit

import jinja2
import markupsafe
from markdown_it import MarkdownIt

from litdigest.errors import LitdigestError, Problem
from litdigest.build.jinja_env import clean_text, make_environment, tag_label
from litdigest.build.library import Library
from litdigest.build.markdown import RenderedBody, make_markdown, render_body, warm_up
from litdigest.build.metadata import PaperMetadata, absolute_url, shorten, site_base_url
from litdigest.build.papers_json import MADE_IN_PYTHON, Records
from litdigest.build.output import STATIC
from litdigest.build.site_pages import Page
from litdigest.build.theme import Templates


class Renderer:
    """Renders pages of one library; Markdown bodies are rendered once per paper and reused."""

    def __init__(self, library: Library, templates: Templates,
                 bodies: Mapping[str, RenderedBody] | None = None,
                 compiled: jinja2.BytecodeCache | None = None,
                 records: Records | None = None) -> None:
        """`records`: papers.json's lines at hand, which it then keeps up to date (the preview's)."""
        self.library, self.templates = library, templates
        self.records = records
        self.globals = site_globals(library)
        self.base_url = site_base_url(library.config)
        self.env = make_environment(templates, compiled, self.globals)
        self.md: MarkdownIt | None = None
        self.bodies: dict[str, RenderedBody] = dict(bodies or {})  # by paper id

    def body(self, paper_id: str) -> RenderedBody:
        rendered = self.bodies.get(paper_id)
        if rendered is None:
            if self.md is None:
                self.md = make_markdown()
            made = render_body(self.md, self.library.by_id[paper_id])
            rendered = self.bodies[paper_id] = _cleaned(made)
        return rendered

    def compile(self) -> None:
        """Compile every template now, before work is shared out, so it is done once."""
        compile_templates(self.env)

    def page_bytes(self, page: Page) -> bytes | bytearray:
        """The file of a page: made in Python (papers.json), or rendered and encoded."""
        made = MADE_IN_PYTHON.get(page.template)
        if made is not None:
            return made(self.library, self.records)
        return self.render(page).encode("utf-8")

    def render(self, page: Page) -> str:
        made = MADE_IN_PYTHON.get(page.template)
        if made is not None:
            return made(self.library, self.records).decode("utf-8")
        bodies = {pid: self.body(pid) for pid in page.papers}
        root = self.globals["base_path"] if page.path == "404.html" else page.root
        context = {**page.context, "page_path": page.path, "root": root, "bodies": bodies,
                   "page_url": absolute_url(self.base_url, page.path)}
        try:
            return self.env.get_template(page.template).render(context)
        except jinja2.TemplateSyntaxError as err:
            raise _syntax_problem(err, page.template) from None
        except jinja2.TemplateNotFound as err:
            raise LitdigestError(Problem(page.template, None, f"template not found: {err.name}",
                                         "add it to templates/")) from None
        except jinja2.UndefinedError as err:
            path, line = _template_frame(err, page.template)
            raise LitdigestError(Problem(path, line, f"template error: {err.message}",
                                         f"fix the template (rendering {page.path})")) from None
        except RecursionError as err:
            path, line = _template_frame(err, str(self.templates.path_of(page.template)))
            raise LitdigestError(Problem(
                path, line, "template error: templates include, extend or call themselves "
                "without end", f"fix the template (rendering {page.path})")) from None
        except Exception as err:
            if not _raised_by_template(err):
                raise  # litdigest's own code failed: a bug, reported as one
            path, line = _template_frame(err, str(self.templates.path_of(page.template)))
            raise LitdigestError(Problem(path, line, f"template error: {_describe(err)}",
                                         f"fix the template (rendering {page.path})")) from None


def _cleaned(body: RenderedBody) -> RenderedBody:
    """A body without the characters XML and HTML cannot carry: templates show it as Markup,
    which the environment's finalize (jinja_env.printable) leaves alone."""
    return RenderedBody(clean_text(body.abstract_html),
                        tuple((lang, clean_text(html)) for lang, html in body.commentary))


def ready(templates: Templates, compiled: jinja2.BytecodeCache) -> None:
    """Do now what the first page rendered would: compile every template into `compiled`, and
    ready the Markdown stack (markdown.warm_up)."""
    compile_templates(make_environment(templates, compiled))
    warm_up()


def compile_templates(env: jinja2.Environment) -> None:
    """Compile every template of `env` (into its bytecode cache, if it has one). A template that
    does not compile is left alone: the page that uses it reports the error."""
    for name in env.list_templates(filter_func=_is_template):
        try:
            env.get_template(name)
        except (jinja2.TemplateError, UnicodeDecodeError):
            pass


def _is_template(name: str) -> bool:
    return not name.startswith(STATIC + "/") and name.endswith((".html", ".xml", ".txt"))


def site_globals(library: Library) -> dict[str, object]:
    base = site_base_url(library.config)
    return {"site": library.config, "library": library,
            "tag_labels": {name: tag_label(entry.tag) for name, entry in library.tags.items()},
            "base_url": base,
            "base_path": urlsplit(base).path or "/", "url": partial(absolute_url, base),
            "shorten": shorten, "metadata": PaperMetadata(library, base)}


def _syntax_problem(err: jinja2.TemplateSyntaxError, template: str) -> LitdigestError:
    return LitdigestError(Problem(err.filename or template, err.lineno,
                                  f"template error: {err.message}", "fix the template"))


_JINJA = (os.path.dirname(jinja2.__file__) + os.sep, os.path.dirname(markupsafe.__file__) + os.sep)


def _raised_by_template(err: Exception) -> bool:
    """Was the error raised by a template's own code (`{{ 1/0 }}`, a bad `%`, a call with the
    wrong arguments), rather than inside code a template called? Jinja's and MarkupSafe's own
    frames stand for the template that called them."""
    if isinstance(err, jinja2.TemplateError):
        return True
    innermost = None
    tb = err.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith(_JINJA):
            innermost = filename
        tb = tb.tb_next
    return innermost is not None and innermost.endswith((".html", ".xml", ".txt"))


def _describe(err: Exception) -> str:
    text = str(err)
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _template_frame(err: Exception, fallback: str) -> tuple[str, int | None]:
    """The innermost template file and line of a rendering error (Jinja rewrites the traceback)."""
    found: tuple[str, int | None] = (fallback, None)
    tb = err.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
