"""Render planned pages through the Jinja templates in `templates/` (autoescape on).

A page sees its own context (pages.py), the rendered bodies of the papers it shows, and the
globals `site`, `library`, `base_url` and `base_path`; rebuild.py relies on that list.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Mapping, MutableMapping
from urllib.parse import urlsplit

import jinja2
from jinja2 import nodes
from jinja2.visitor import NodeTransformer
from markupsafe import Markup
from markdown_it import MarkdownIt

from litdigest.errors import LitdigestError, Problem
from litdigest.build.library import Library
from litdigest.build.markdown import RenderedBody, make_markdown, render_body, warm_up
from litdigest.build.sitemap import Page
from litdigest.content.language import is_korean

STATIC = "static"


class SiteEnvironment(jinja2.Environment):
    """An environment whose globals are all set before its first template loads, and never
    change after: so each template's globals can be one flat dict instead of Jinja's ChainMap
    over the environment's, which every render and every `{% from … import %}` walks key by
    key (a seventh of the time of a page)."""

    def make_globals(self, d: Mapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Jinja's one hook between parsing and compiling (private, stable since Jinja 2).
        return fold_constant_labels(super()._parse(source, name, filename))


def make_environment(templates_dir: Path, compiled: jinja2.BytecodeCache | None = None,
                     site: Mapping[str, Any] | None = None) -> jinja2.Environment:
    """The templates' environment, one per build, with the site's globals: imported macros keep
    the globals they were first imported with. It never checks the files for changes again.
    `compiled` keeps templates' compiled code between builds (keyed by their source, so it is
    never stale)."""
    env = SiteEnvironment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=compiled,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,  # a plain dict: every template is kept, no LRU bookkeeping per lookup
    )
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["lang_attr"] = lang_attr
    env.globals["t"] = interface_label
    env.globals.update(site or {})
    return env


@functools.lru_cache(maxsize=4096)
def interface_label(ko: str, en: str) -> Markup:
    """`t(ko, en)` in templates: a label in both languages; CSS shows the ones the reader chose.
    A cached global rather than a Jinja macro: every page shows a dozen labels, and a macro
    call costs far more than a dictionary lookup."""
    return Markup('<span class="i18n" lang="ko">{}</span><span class="i18n" lang="en">{}</span>'
                  ).format(ko, en)


def fold_constant_labels(tree: nodes.Template) -> nodes.Template:
    """Replace each `t("…", "…")` of two literal strings by its result, at compile time: the
    compiler then writes the label into the template's code as text, so the dozen labels of
    every page cost nothing when it renders. A template that binds a name `t` of its own is
    left as it is."""
    if _binds_t(tree):
        return tree
    return _LabelFolder().visit(tree)  # type: ignore[no-any-return]


def _binds_t(tree: nodes.Template) -> bool:
    """Does the template bind `t` itself: set, for, with, a macro's parameter, an import?"""
    if any(name.name == "t" and name.ctx != "load" for name in tree.find_all(nodes.Name)):
        return True
    if any(node.target == "t" for node in tree.find_all(nodes.Import)):
        return True
    return any((name if isinstance(name, str) else name[1]) == "t"
               for node in tree.find_all(nodes.FromImport) for name in node.names)


class _LabelFolder(NodeTransformer):
    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        node = self.generic_visit(node)
        if (isinstance(node.node, nodes.Name) and node.node.name == "t" and len(node.args) == 2
                and not node.kwargs and node.dyn_args is None and node.dyn_kwargs is None
                and all(isinstance(arg, nodes.Const) and isinstance(arg.value, str)
                        for arg in node.args)):
            ko, en = (arg.value for arg in node.args)
            return nodes.Const(interface_label(ko, en), lineno=node.lineno)
        return node


def lang_attr(text: str) -> Markup:
    """` lang="ko"` for text written in Hangul, so screen readers and fonts treat it as Korean."""
    return Markup(' lang="ko"') if is_korean(text) else Markup("")


def disk_bytecode_cache(folder: Path, code: str) -> jinja2.BytecodeCache:
    """Compiled templates kept between builds. Jinja keys them by the template's source and the
    Python version; their names carry litdigest's code fingerprint too, because compiling
    depends on that code (labels are folded in), and those of other code are deleted."""
    folder.mkdir(parents=True, exist_ok=True)
    ours = f".{code}.cache"
    for old in folder.glob("__jinja2_*.cache"):
        if not old.name.endswith(ours):
            old.unlink(missing_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder), pattern=f"__jinja2_%s{ours}")


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory: `serve`'s, for its many builds in one process, and a
    full build's, compiled while it reads; `release` then puts them in the cache they belong in,
    once the build has succeeded, so that a failed build leaves no file behind."""

    def __init__(self) -> None:
        self.buckets: dict[str, jinja2.bccache.Bucket] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        known = self.buckets.get(bucket.key)
        if known is not None and known.checksum == bucket.checksum:
            bucket.code = known.code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.buckets[bucket.key] = bucket

    def release(self, into: jinja2.BytecodeCache) -> None:
        for key in sorted(self.buckets):
            into.dump_bytecode(self.buckets[key])


class Renderer:
    """Renders pages of one library; Markdown bodies are rendered once per paper and reused."""

    def __init__(self, library: Library, templates_dir: Path,
                 bodies: Mapping[str, RenderedBody] | None = None,
                 compiled: jinja2.BytecodeCache | None = None) -> None:
        self.library = library
        self.globals = site_globals(library)
        self.env = make_environment(templates_dir, compiled, self.globals)
        self.md: MarkdownIt | None = None
        self.bodies: dict[str, RenderedBody] = dict(bodies or {})  # by paper id

    def body(self, paper_id: str) -> RenderedBody:
        rendered = self.bodies.get(paper_id)
        if rendered is None:
            if self.md is None:
                self.md = make_markdown()
            rendered = self.bodies[paper_id] = render_body(self.md, self.library.by_id[paper_id])
        return rendered

    def compile(self) -> None:
        """Compile every template now, before work is shared out, so it is done once."""
        compile_templates(self.env)

    def render(self, page: Page) -> str:
        bodies = {pid: self.body(pid) for pid in page.papers}
        root = self.globals["base_path"] if page.path == "404.html" else page.root
        context = {**page.context, "page_path": page.path, "root": root, "bodies": bodies}
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


def ready(templates_dir: Path, compiled: jinja2.BytecodeCache) -> None:
    """Do now what the first page rendered would: compile every template into `compiled`, and
    ready the Markdown stack (markdown.warm_up)."""
    compile_templates(make_environment(templates_dir, compiled))
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
    return not name.startswith(STATIC + "/") and name.endswith((".html", ".xml"))


def site_globals(library: Library) -> dict[str, object]:
    base = library.config.base_url.rstrip("/") + "/"
    return {"site": library.config, "library": library, "base_url": base,
            "base_path": urlsplit(base).path or "/"}


def _syntax_problem(err: jinja2.TemplateSyntaxError, template: str) -> LitdigestError:
    return LitdigestError(Problem(err.filename or template, err.lineno,
                                  f"template error: {err.message}", "fix the template"))


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
