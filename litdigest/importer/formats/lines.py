"""A raw file's lines and the shapes every format reads them by: numbered lines, blank-line
blocks, and whether a line is prose (an abstract) or something shorter."""

from __future__ import annotations

import re
from collections.abc import Iterable

Line = tuple[int, str]  # (1-based line number, text)

LONG_LINE = 250  # characters; titles, venues and headers are shorter, abstracts longer
_SENTENCE_BREAK = re.compile(r"[.!?] +[A-Z]")


def numbered(lines: list[str]) -> list[Line]:
    """The non-blank lines with their 1-based numbers."""
    return [(number, text) for number, text in enumerate(lines, 1) if text]


def is_long(text: str) -> bool:
    """Whether a line reads as prose (an abstract) rather than a title, venue or header."""
    return len(text) >= LONG_LINE or (len(text) >= 120 and len(_SENTENCE_BREAK.findall(text)) >= 2)


def has_words(text: str) -> bool:
    """Whether a line has any letter or digit: `---` and `* * *` are separators, never titles."""
    return bool(re.search(r"[^\W_]", text))


def blocks(lines: list[str]) -> list[list[Line]]:
    """Runs of non-blank lines separated by blank lines."""
    found: list[list[Line]] = [[]]
    for number, text in enumerate(lines, 1):
        if text:
            found[-1].append((number, text))
        elif found[-1]:
            found.append([])
    return [block for block in found if block]


def joined(block: Iterable[Line]) -> str:
    return " ".join(text for _, text in block)


def line_numbers(rows: Iterable[Line]) -> tuple[int, ...]:
    return tuple(number for number, _ in rows)


def collapse_runs(kinds: str) -> str:
    """`SLLSL` → `SLSL`: a run of long blocks or lines is one abstract in several paragraphs."""
    return re.sub(r"L+", "L", kinds)
