"""A raw paper's title: the one place that decides what it is and whether it was derived."""

from __future__ import annotations

from litdigest.importer import clean
from litdigest.importer.formats import ParsedPaper


def paper_title(parsed: ParsedPaper) -> tuple[str, bool]:
    """The title a page gets from a raw paper, and whether it was derived (`title_derived`).

    In order of precedence:

    1. the format's title line — the line each format's parser takes as the title, without the
       arXiv id written before or after it (`formats.references.title_and_marker`) — cleaned as
       plain text (`clean.clean_plain`: LaTeX-isms undone, emphasis dropped, spaces collapsed);
    2. when there is none, or nothing is left of it once cleaned: a title derived from the
       cleaned abstract (`clean.derive_title`: the name the abstract gives its method, else its
       first sentence, shortened), marked derived.

    A derived title may change when the derivation improves, so it never makes a paper's id
    (`identity.paper_id`) and a real title found later replaces it (`merge.py`).
    """
    title = clean.clean_plain(parsed.title)
    if title:
        return title, False
    return clean.derive_title(clean.clean_plain(parsed.abstract)), True
