"""Placed means kept: the words of a raw line the parser placed are in what it made of the file."""

from __future__ import annotations

import re

from litdigest.importer import formats
from litdigest.importer.formats import labelled_fields
from litdigest.importer.formats.fields import date_in, field, subject_codes
from litdigest.importer.identity import ARXIV_MARKER

LABEL_WORDS = {"abstract", "초록", "요약", "arxiv", "and", "et", "al", "etc", "doi", "https", "http", "www",
               "org", "abs", "pdf", "html", "url", "link", "title", "authors", "author", "by", "cite",
               "as", "date", "published", "submitted", "on", "subjects", "subject", "categories",
               "keywords", "tags",
               # the labels the labelled-fields and arXiv shapes read (`Journal-ref:`, `저자:`)
               *(word for label in labelled_fields.LABELS for word in re.findall(r"[^\W_]+", label))}


def parsed_texts(found: formats.ParsedFile) -> list[str]:
    """Every text the parser kept from a file: each digest's title (or whose profile, which
    category) and every field of every paper."""
    texts = [text for d in found.digests for text in (d.title, d.person, d.category)]
    for paper in found.papers:
        texts += [paper.title, paper.abstract, paper.venue or "", paper.arxiv or "", paper.doi or "",
                  *paper.authors, *paper.tags, *(f"{n} {u}" for n, u in paper.links)]
        texts += [p for _, paragraphs in paper.commentary for p in paragraphs]
        texts += [f"{paper.published:%d %b %B %Y} {paper.published.day}"] if paper.published else []
    return texts


def line_words(text: str) -> list[str]:
    """The words of a raw line that must survive parsing (labels, list words, arXiv versions aside;
    a labelled date as its date, labelled subjects as their codes: `cs.CL`)."""
    labelled = field(text)
    if labelled is not None and labelled.name == "date" and date_in(labelled.value):
        text = f"{date_in(labelled.value):%d %b %Y}"
    elif labelled is not None and labelled.name == "tags" and subject_codes(labelled.value):
        text = " ".join(subject_codes(labelled.value))
    text = ARXIV_MARKER.sub(lambda m: f" {m.group(1)} ", text)  # versions dropped, glued text apart
    return [w for w in re.findall(r"[^\W_]+", text.casefold())
            if w not in LABEL_WORDS and not re.fullmatch(r"v\d+", w)]
