"""Split a Markdown file into YAML front matter and body, and write YAML that reads back the same."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml

from litdigest.errors import LitdigestError, Problem

try:  # libyaml is ten times faster; the pure-Python loader gives the same data
    _BaseLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """YAML's safe loader, strict where a silent reading would lose what the person wrote: a key
    given twice is an error (YAML would keep the last), and so is a date no calendar has
    (YAML would raise a bare ValueError)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, (str, int, float, bool, dt.date)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be plain text, not a list or mapping", key_node.start_mark)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"'{key}' is given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]

    def construct_date(self, node: yaml.ScalarNode) -> dt.date:
        try:
            return self.construct_yaml_timestamp(node)  # type: ignore[no-any-return]
        except ValueError as err:
            raise yaml.constructor.ConstructorError(
                None, None, f"'{node.value}' is not a real date ({err})", node.start_mark) from None


Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_date)

FENCE = "---"


def split(text: str, path: Path | str) -> tuple[dict[str, Any], str]:
    """Return (front matter, body) of a page; raise LitdigestError when the front matter is
    missing or broken."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise LitdigestError(Problem(str(path), 1, "no front matter",
                                     "start the file with a '---' line"))
    for end in range(1, len(lines)):
        if lines[end].rstrip() == FENCE:
            break
    else:
        raise LitdigestError(Problem(str(path), 1, "front matter is not closed",
                                     "add a '---' line after it"))
    source = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    fast = fast_load(source)
    if fast is not None:
        return fast, body
    return load_mapping(source, path, first_line=2, what="front matter",
                        hint="fix the YAML between the '---' lines"), body


def load_mapping(source: str, path: Path | str, first_line: int, what: str, hint: str) -> dict[str, Any]:
    """YAML a person wrote (front matter, site.yaml) as a mapping, through the strict Loader;
    raise LitdigestError, at the line of `path` where it goes wrong (`first_line`: the file's line
    of the source's first), when it nests past MAX_NESTING, does not parse or is no mapping."""
    if len(source) > DEEP_FROM and nesting_bound(source) > MAX_NESTING:
        raise LitdigestError(Problem(str(path), first_line,
                                     f"{what} nested more than {MAX_NESTING} levels deep",
                                     "write lists and mappings flat: tags: [a, b]"))
    try:
        data = yaml.load(source, Loader=Loader)
    except yaml.YAMLError as err:
        # The context mark is where the broken construct (a list, a quote) began: the line to fix.
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise LitdigestError(Problem(str(path), line, f"broken YAML {what}: {reason}", hint)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LitdigestError(Problem(str(path), first_line,
                                     f"{what} is not a mapping of keys to values",
                                     "write it as 'key: value' lines"))
    return data

DEEP_FROM = 20_000  # characters of front matter: fewer cannot nest deep enough to matter
MAX_NESTING = 1_000  # levels; libyaml's loader overflows the C stack somewhere past 20,000


def nesting_bound(source: str) -> int:
    """An upper bound of how deeply YAML text nests, in one linear pass: the deepest run of
    open brackets plus the most a line can nest by indentation and `- ` or `key: ` prefixes.
    (libyaml's loader recurses per level in C: 100,000 levels crash the process.)"""
    depth = deepest = 0
    for match in re.finditer(r"[\[\]{}]", source):
        depth = max(depth + (1 if match.group(0) in "[{" else -1), 0)
        deepest = max(deepest, depth)
    by_line = max((len(line) - len(line.lstrip()) + line.count("- ") + line.count(": ")
                   for line in source.split("\n")), default=0)
    return deepest + by_line


def key_line(text: str, key: str) -> int | None:
    """The 1-based line where a front-matter key is set, for error messages."""
    pattern = re.compile(rf"^{re.escape(key)}\s*:", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


_PLAIN_SAFE = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^,\[\]{}#]*$")


def scalar(value: Any) -> str:
    """One YAML scalar, plain where that reads back as the same string, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    text = str(value)
    if _PLAIN_SAFE.match(text) and not text.endswith((" ", ":")) and ": " not in text:
        try:
            if yaml.load(f"[{text}]", Loader=Loader) == [text]:
                return text
        except (yaml.YAMLError, ValueError):  # "0:?" does not read back; `2025-02-30` is no date
            pass
    return quoted(text)


# Characters YAML cannot read back as written inside a double-quoted scalar: those outside its
# printable set (C0 and C1 controls, DEL, U+FFFE/U+FFFF) and the line breaks it folds
# (NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR). JSON escapes only C0; these get `\uXXXX` too.
_UNREADABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def quoted(text: str) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is a subset of it) that reads back as
    the same string, whatever characters it holds."""
    written = json.dumps(text, ensure_ascii=False)
    if _UNREADABLE.search(written):
        written = _UNREADABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", written)
    return written


def flow_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def flow_map(pairs: tuple[tuple[str, str], ...]) -> str:
    return "{" + ", ".join(f"{scalar(k)}: {quoted(v)}" for k, v in pairs) + "}"


def document(lines: list[str], body: str) -> str:
    """A whole page: front matter lines between fences, a blank line, the body, one final newline."""
    head = "\n".join([FENCE, *lines, FENCE])
    body = body.strip("\n")
    return f"{head}\n\n{body}\n" if body else f"{head}\n"


# ---- the fast path ----------------------------------------------------------------------------
#
# Most front matter is what `document` writes: one `key: value` per line, each value a
# double-quoted string, a plain word, null, true or false, a date, or a one-line flow list or
# map of those. Parsing that shape directly is several times faster than building YAML nodes.
# `fast_load` gives exactly what `yaml.load` gives, or None the moment anything falls outside
# that shape (a comment, a block list, a number, an escape it does not know, a word YAML would
# read as a bool) — then the YAML parser reads the text as always, errors and all.

_KEY_VALUE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): (\S.*)\Z", re.DOTALL)
_DATE = re.compile(r"\d{4}-\d\d-\d\d\Z")
_BLOCK_UNSAFE = re.compile(r"[#,\[\]{}\"'\t]|: |:\Z| \Z")
_FLOW_UNSAFE = re.compile(r"[#,\[\]{}\"':\t]| \Z")
_NOT_SIMPLE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_PLAIN_LIST = re.compile(  # a flow list of plain words: [a b, c-d, 한국어]
    r"\[(?:[^\W_][^#,\[\]{}\"':\t]*(?<! )(?:, [^\W_][^#,\[\]{}\"':\t]*(?<! ))*)?\]\Z")
# YAML's implicit resolvers (bool, null, int, float, date…), as one pattern per first character
_TYPED = {first: re.compile("|".join(f"(?{'x' if p.flags & re.VERBOSE else ''}:{p.pattern})"
                                     for _tag, p in resolvers))
          for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items() if first}
_NO_VALUE = object()


def fast_load(source: str) -> dict[str, Any] | None:
    """`yaml.load(source)` for front matter of the common shape, else None (see above)."""
    if _NOT_SIMPLE.search(source) or "\\u" in source or "\\U" in source:
        return None  # control characters, line separators, surrogates: YAML's own rules apply
    data: dict[str, Any] = {}
    for line in source.split("\n"):
        match = _KEY_VALUE.match(line)
        if match is None or not _untyped(match.group(1)):  # the pattern allows no unsafe character
            return None
        value = _value(match.group(2))
        if value is _NO_VALUE or match.group(1) in data:  # a key given twice: YAML reports it
            return None
        data[match.group(1)] = value
    return data


def _value(text: str) -> Any:
    if text == "null":
        return None
    if text in ("true", "false"):
        return text == "true"
    first = text[0]
    if first == '"':
        found = _quoted(text, 0)
        return found[0] if found is not None and found[1] == len(text) else _NO_VALUE
    if first == "[":
        if _PLAIN_LIST.match(text):
            words = text[1:-1].split(", ") if len(text) > 2 else []
            return words if all(_untyped(word) for word in words) else _NO_VALUE
        return _flow_list(text)
    if first == "{":
        return _flow_map(text)
    if _DATE.match(text):
        try:
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        except ValueError:
            return _NO_VALUE
    return text if _plain_word(text, _BLOCK_UNSAFE) else _NO_VALUE


def _plain_word(text: str, unsafe: re.Pattern[str]) -> bool:
    """A plain scalar YAML reads back as this very string: it starts with a letter or digit, has
    no character that could end it or start a comment, and no implicit type (bool, null, number,
    date…) of YAML's own resolver claims it."""
    return text[:1].isalnum() and not unsafe.search(text) and _untyped(text)


def _untyped(word: str) -> bool:
    """No implicit type of YAML's resolver (bool, null, int, float, date…) claims the word."""
    typed = _TYPED.get(word[0])
    return typed is None or typed.match(word) is None


def _quoted(text: str, start: int) -> tuple[str, int] | None:
    """A double-quoted string at `start` (JSON's escapes, which YAML reads the same) and its end."""
    try:
        return json.decoder.scanstring(text, start + 1)  # type: ignore[no-any-return]
    except ValueError:
        return None


def _flow_items(text: str, close: str) -> list[str | tuple[str]] | None:
    """The items of `[a, "b"]` or `{a: "b"}` as plain words and (quoted,) strings, or None."""
    if not text.endswith(close):
        return None
    items: list[str | tuple[str]] = []
    at, end = 1, len(text) - 1
    while at < end:
        if text[at] == '"':
            found = _quoted(text, at)
            if found is None:
                return None
            items.append((found[0],))
            at = found[1]
        else:
            stop = at
            while stop < end and text[stop] not in ",\"":
                stop += 1
            items.append(text[at:stop])
            at = stop
        if at < end:
            if text[at : at + 2] != ", ":
                return None
            at += 2
            if at >= end:
                return None
    return items


def _flow_list(text: str) -> Any:
    items = _flow_items(text, "]")
    if items is None:
        return _NO_VALUE
    values: list[str] = []
    for item in items:
        if isinstance(item, tuple):
            values.append(item[0])
        elif _plain_word(item, _FLOW_UNSAFE):
            values.append(item)
        else:
            return _NO_VALUE
    return values


def _flow_map(text: str) -> Any:
    """`{name: "value", …}`: plain-word keys, double-quoted values."""
    if not text.endswith("}"):
        return _NO_VALUE
    pairs: dict[str, str] = {}
    at, end = 1, len(text) - 1
    while at < end:
        colon = text.find(": ", at, end)
        if colon < 0 or text[colon + 2 : colon + 3] != '"':
            return _NO_VALUE
        key = text[at:colon]
        found = _quoted(text, colon + 2)
        if not _plain_word(key, _FLOW_UNSAFE) or found is None or key in pairs:
            return _NO_VALUE
        pairs[key] = found[0]
        at = found[1]
        if at < end:
            if text[at : at + 2] != ", " or at + 2 >= end:
                return _NO_VALUE
            at += 2
    return pairs
