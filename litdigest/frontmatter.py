"""Split a Markdown file into YAML front matter and body, and write YAML that reads back the same."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

try:  # libyaml is ten times faster; the pure-Python loader gives the same data
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

FENCE = "---"


def split(text: str, path: Path | str) -> tuple[dict[str, Any], str, list[Problem]]:
    """Return (front matter, body, problems) of a page; body lines keep their place for errors."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return {}, text, [Problem(str(path), 1, "no front matter", "start the file with a '---' line")]
    for end in range(1, len(lines)):
        if lines[end].rstrip() == FENCE:
            break
    else:
        return {}, text, [Problem(str(path), 1, "front matter is not closed", "add a '---' line after it")]
    source = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    try:
        data = yaml.load(source, Loader=_Loader)
    except yaml.YAMLError as err:
        # The context mark is where the broken construct (a list, a quote) began: the line to fix.
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        return {}, body, [Problem(str(path), line, f"broken YAML front matter: {reason}",
                                  "fix the YAML between the '---' lines")]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, body, [Problem(str(path), 2, "front matter is not a mapping of keys to values",
                                  "write it as 'key: value' lines")]
    return data, body, []


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
            if yaml.load(f"[{text}]", Loader=_Loader) == [text]:
                return text
        except (yaml.YAMLError, ValueError):  # `2025-02-30` looks like a date and is none
            pass
    return quoted(text)


def quoted(text: str) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)


def flow_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def flow_map(pairs: tuple[tuple[str, str], ...]) -> str:
    return "{" + ", ".join(f"{scalar(k)}: {quoted(v)}" for k, v in pairs) + "}"


def document(lines: list[str], body: str) -> str:
    """A whole page: front matter lines between fences, a blank line, the body, one final newline."""
    head = "\n".join([FENCE, *lines, FENCE])
    body = body.strip("\n")
    return f"{head}\n\n{body}\n" if body else f"{head}\n"
