"""The Jinja template environment, and the three Jinja internals litdigest relies on, in one place.

Checked against Jinja 3.1.6 (pyproject.toml pins jinja2 below 3.2). What is not public API:

- `SiteEnvironment.make_globals` (documented, but meant to be left alone): each template's
  globals become one flat dict instead of a ChainMap over the environment's, which every render
  and every `{% from … import %}` walks key by key (a seventh of the time of a page). It holds
  because every global is set before the first template loads and never changes after.
- `SiteEnvironment._parse` (private): Jinja's one hook between parsing and compiling, where
  `t("…", "…")` calls of two literal strings are folded into their result (fold_constant_labels).
- `OutputCodeGenerator._output_child_pre` and `_post` (private): what the compiled code wraps
  around each `{{ … }}`. Jinja writes `escape(environment.finalize(…))`: three calls through
  MarkupSafe's Python layer for every value written, a million at 10,000 papers (a fifth of the
  time of a page). With autoescape on, it writes `environment.output(…)` instead: one call of
  `escaped_output`, which gives the same text (printable, then escaped as MarkupSafe escapes).

A newer Jinja that changed any of them would fail tests/test_fast_paths.py and tests/test_incremental.py
rather than a reader. Also here: the `t`, `isodate` and `lang_attr` helpers the templates call
(and postings.py's commentary_shown), and the caches of compiled templates (on disk between
builds, in memory for the preview and for a full build that compiles while it reads).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from pathlib import Path
from typing import Any, Mapping, MutableMapping

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.visitor import NodeTransformer
from markupsafe import Markup, escape

from litdigest.build.postings import commentary_shown
from litdigest.build.theme import Templates
from litdigest.content.language import is_korean
from litdigest.content.model import Tag
from litdigest.incremental.secret import MAC_BYTES, machine_key, read_regular, sign, verify


def escaped_output(value: Any) -> str:
    """What an autoescaped `{{ value }}` writes: the text of `escape(printable(value))`. A string,
    the usual value, is escaped here as MarkupSafe escapes it (`&#39;`, `&#34;`) and given back as
    a plain string: the page joins it as text, so it needs no Markup wrapper."""
    if type(value) is not str:
        return escape(printable(value))
    if not value.isprintable():
        value = clean_text(value)
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "'" in value:
        value = value.replace("'", "&#39;")
    if '"' in value:
        value = value.replace('"', "&#34;")
    return value


class OutputCodeGenerator(CodeGenerator):
    """Jinja's compiler, writing `environment.output(value)` around an autoescaped `{{ value }}`."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.output(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


class SiteEnvironment(jinja2.Environment):
    """Jinja's environment with the three overrides described above."""

    code_generator_class = OutputCodeGenerator
    output = staticmethod(escaped_output)  # what OutputCodeGenerator's code calls

    def make_globals(self, d: Mapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return fold_constant_labels(super()._parse(source, name, filename))


def isodate(date: dt.date | str | None) -> str:
    """A digest's date, or a paper's own (already `YYYY`, `YYYY-MM` or `YYYY-MM-DD`), as ISO
    8601 writes it."""
    if not date:
        return ""
    return date if isinstance(date, str) else date.isoformat()


def make_environment(templates: Templates, compiled: jinja2.BytecodeCache | None = None,
                     site: Mapping[str, Any] | None = None) -> jinja2.Environment:
    """The templates' environment, one per build, with the site's globals: imported macros keep
    the globals they were first imported with. It never checks the files for changes again.
    `compiled` keeps templates' compiled code between builds (keyed by their source, so it is
    never stale)."""
    env = SiteEnvironment(
        loader=TemplateLoader([str(folder) for folder in templates.folders]),
        bytecode_cache=compiled,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,  # a plain dict: every template is kept, no LRU bookkeeping per lookup
        finalize=printable,
    )
    env.filters["e"] = env.filters["escape"] = _escape
    env.filters["isodate"] = isodate
    env.filters["lang_attr"] = lang_attr
    env.globals["t"] = interface_label
    env.globals["commentary_shown"] = commentary_shown
    env.globals.update(site or {})
    return env


# What XML 1.0 cannot carry even escaped (C0 controls but tab, newline and return; U+FFFE, U+FFFF;
# lone surrogates), and what HTML calls a parse error (DEL, C1 controls, the BMP's noncharacters).
# (The noncharacters beyond the BMP, which XML allows, are left: a class holding them makes
# every search ten times slower.)
UNCARRIABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
                         "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def printable(value: Any) -> Any:
    """Every `{{ … }}` goes through this (Jinja's finalize) before it is escaped: text loses the
    characters no feed or page may hold, so any text in content/ gives well-formed XML and valid
    HTML. Only plain text is looked at (most of it printable, a fast check): Markup is made by
    the templates themselves from values that went through here, or is a rendered body, which
    render.py cleans once per paper (`clean_text`); the `e` filter cleans what it marks safe."""
    if type(value) is str and not value.isprintable():
        return clean_text(value)
    return value


def clean_text(text: str) -> str:
    """`text` without the characters XML and HTML cannot carry."""
    return UNCARRIABLE.sub("", text) if UNCARRIABLE.search(text) is not None else text


def _escape(value: Any) -> Markup:
    return escape(printable(value))


class TemplateLoader(jinja2.FileSystemLoader):
    """Jinja's loader of template files, which reports a template that is not UTF-8 text as a
    template error at the line of its first bad byte (Jinja would raise UnicodeDecodeError)."""

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Any]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as err:
            data = bytes(err.object)
            line = data.count(b"\n", 0, err.start) + 1
            filename = next((path for folder in self.searchpath
                             if os.path.isfile(path := os.path.join(folder, template))), template)
            raise jinja2.TemplateSyntaxError(
                f"not UTF-8 text (byte 0x{data[err.start]:02x}): save it as UTF-8",
                line, template, filename) from None


@functools.lru_cache(maxsize=4096)
def interface_label(ko: str, en: str) -> Markup:
    """`t(ko, en)` in templates: a label in both languages; CSS shows the ones the reader chose.
    A cached global rather than a Jinja macro: every page shows a dozen labels, and a macro
    call costs far more than a dictionary lookup."""
    return Markup('<span class="i18n" lang="ko">{}</span><span class="i18n" lang="en">{}</span>'
                  ).format(ko, en)


def tag_label(tag: Tag) -> Markup:
    """A tag's name as pages show it: in the reader's language where its Korean and English
    names differ (as interface labels are), else its one name."""
    en = tag.label("en")
    ko = tag.ko or en
    return interface_label(ko, en) if ko != en else Markup.escape(en)


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


def disk_bytecode_cache(folder: Path, code: str) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between builds, signed with this user's key (None without one).
    Jinja keys them by the template's source and the Python version; their names carry
    litdigest's code fingerprint too, because compiling depends on that code (labels are folded
    in), and those of other code are deleted."""
    key = machine_key()
    if key is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    ours = f".{code}.cache"
    for old in folder.glob("__jinja2_*.cache"):
        if not old.name.endswith(ours):
            old.unlink(missing_ok=True)
    return SignedBytecodeCache(folder, ours, key)


class SignedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates on disk, each file signed with this user's key.

    A compiled template is a marshalled code object that Jinja runs (behind a pickled checksum):
    a file planted in the cache would be code from a folder. Here a file is handed to Jinja only
    if its MAC, over the template's cache key and the bytes, is this user's (secret.py); anything
    else is compiled again from the template's source. Keeping the cache rather than compiling
    every template for every build saves what compiling costs (about 80 ms for the example
    templates) in every rebuild that renders something; checking the MAC of a dozen small files
    costs well under a millisecond."""

    def __init__(self, folder: Path, suffix: str, key: bytes) -> None:
        self.folder, self.suffix, self.key = folder, suffix, key

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"__jinja2_{bucket.key}{self.suffix}"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = read_regular(self._path(bucket))
        if data is None or len(data) < MAC_BYTES:
            return
        mac, compiled = data[:MAC_BYTES], data[MAC_BYTES:]
        if verify(self.key, mac, bucket.key.encode("ascii"), compiled):
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = bucket.bytecode_to_string()
        path = self._path(bucket)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with open(temp, "wb") as f:
                f.write(sign(self.key, bucket.key.encode("ascii"), compiled))
                f.write(compiled)
            os.replace(temp, path)
        except OSError:
            pass  # a cache that cannot be written costs a compile next time, nothing else
        finally:
            temp.unlink(missing_ok=True)


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
