"""A raw file's lines and the shapes every format reads them by: numbered lines, blank-line
blocks, and whether a line is prose (an abstract) or something shorter — decided relative to
the file (`prose_length`), since a listing may cut its abstracts to 150 characters."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

Line = tuple[int, str]  # (1-based line number, text)

LONG_LINE = 250  # characters; titles, venues and headers are shorter, abstracts longer
SHORTEST_PROSE = 110  # characters; a title can be this long, so a shorter line is never prose
_TITLE_SIZED = 40  # characters; shorter lines are labels, headers and furniture, not titles
_SENTENCE_BREAK = re.compile(r"[.!?] +[A-Z]")


def numbered(lines: list[str]) -> list[Line]:
    """The non-blank lines with their 1-based numbers."""
    return [(number, text) for number, text in enumerate(lines, 1) if text]


def is_long(text: str, prose: int = LONG_LINE) -> bool:
    """Whether a line reads as prose (an abstract) rather than a title, venue or header, in a
    file whose prose starts at `prose` characters (`prose_length`): below LONG_LINE, a line must
    also read as sentences — end as one (`.`, `…`) or hold a sentence break, and not be
    title-cased — since a long title can be as long as a short abstract."""
    if len(text) >= LONG_LINE or (len(text) >= 120 and len(_SENTENCE_BREAK.findall(text)) >= 2):
        return True
    return len(text) >= prose and _reads_as_sentences(text)


def _reads_as_sentences(text: str) -> bool:
    words = [word for word in re.findall(r"[^\W\d_][\w'-]*", text) if len(word) > 3]
    capitalised = sum(1 for word in words if word[0].isupper())
    ends = text.rstrip(" \"')]").endswith((".", "…", "!", "?")) or bool(_SENTENCE_BREAK.search(text))
    return ends and capitalised * 2 < len(words)


def prose_length(texts: Iterable[str]) -> int:
    """The length from which a line of this file is prose: where its title-sized lines part into
    short ones (titles) and long ones (abstracts) — the split of their log-lengths into two
    groups that differ most (Otsu's method) — kept between SHORTEST_PROSE and LONG_LINE, so
    lines of LONG_LINE or more are prose in every file."""
    sizes = sorted(math.log(len(text)) for text in texts if len(text) >= _TITLE_SIZED)
    if len(sizes) < 4:
        return LONG_LINE
    total, count = sum(sizes), len(sizes)
    best, split, below = -1.0, LONG_LINE, 0.0
    for index in range(1, count):
        below += sizes[index - 1]
        if sizes[index] == sizes[index - 1]:
            continue
        low, high = below / index, (total - below) / (count - index)
        spread = index * (count - index) * (high - low) ** 2
        if spread > best:
            best, split = spread, round(math.exp(sizes[index]))
    return max(SHORTEST_PROSE, min(LONG_LINE, split))


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
