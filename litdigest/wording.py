"""How a count reads in what litdigest prints: `1 tag`, `11 tags`."""

from __future__ import annotations


def counted(number: int, noun: str) -> str:
    """`number` and `noun`, plural unless the number is one (nouns that take an `s`)."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
