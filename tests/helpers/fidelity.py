"""How faithfully the importer reads real text: each raw file of the real corpus
(tests/fixtures/real/) imported alone into an empty content/, its pages compared fact by fact
with the facts a person wrote down from the source (`<stem>.expected.yaml` beside the file).

A golden file:

    shape: arxiv-abstract-page        # the shape the file must be detected as
    papers:                           # every paper on the source, in its order
      - arxiv: "2503.09567"           # each key is optional; what the source shows, as it shows it
        doi: "10.1145/3597503"
        title: "Exact Title As Written"
        authors: ["First Author", "Second Author"]
        date: 2025-03-12              # the file's date for the paper: its digest's date line,
                                      # else the paper's own date (Submitted on, Date:, a column);
                                      # kept as the page's own date or its digest's
        venue: "ICLR 2025"
        tags: ["cs.CL", "강화학습"]
        abstract: "a phrase of the abstract"
        commentary: {ko: ["a phrase"], en: ["a phrase"]}
        links: ["https://github.com/org/repo"]

One fact is: the arXiv id, the DOI, the title, the date, the venue, each author, each tag, the
abstract phrase, each commentary phrase, each link. A paper is found when a page has its arXiv id,
else its DOI, else its exact title; a page no golden paper found is spurious (junk read as a
paper). A file the importer refuses keeps no fact.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from litdigest.content.folder import load_content
from litdigest.content.model import Paper
from litdigest.errors import LitdigestError
from litdigest.importer import identity as ids
from litdigest.importer.run import run_import

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "real"
GOLDEN_SUFFIX = ".expected.yaml"
KEYS = {"arxiv", "doi", "title", "authors", "date", "venue", "tags", "abstract", "commentary",
        "links"}


@dataclass(frozen=True)
class Miss:
    """One fact the import lost: which paper, which fact, what the source says."""

    paper: str
    fact: str
    expected: str


@dataclass(frozen=True)
class FileFidelity:
    name: str
    shape: str
    detected: str | None  # None when refused
    refusal: str  # the importer's message when refused
    papers: int
    found: int
    facts: int
    kept: int
    spurious: tuple[str, ...]  # titles of pages no golden paper matched
    misses: tuple[Miss, ...]


def corpus_files(corpus: Path = CORPUS) -> list[Path]:
    """Every raw file of the corpus: each file with a golden file beside it."""
    return sorted(p for p in corpus.iterdir()
                  if p.is_file() and not p.name.endswith(GOLDEN_SUFFIX)
                  and golden_path(p).is_file())


def golden_path(raw: Path) -> Path:
    return raw.with_name(raw.stem + GOLDEN_SUFFIX)


def load_golden(raw: Path) -> dict:
    data = yaml.safe_load(golden_path(raw).read_text(encoding="utf-8"))
    for number, paper in enumerate(data["papers"], 1):
        unknown = set(paper) - KEYS
        if unknown:
            raise ValueError(f"{golden_path(raw)}: paper {number}: unknown keys {sorted(unknown)}")
    return data


def measure(raw: Path) -> FileFidelity:
    """Import `raw` alone into an empty content/ and compare its pages with the golden facts."""
    golden = load_golden(raw)
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        try:
            report = run_import([raw], content)
        except LitdigestError as err:
            return _refused(raw.name, golden, str(err))
        detected = report.files[0].format
        loaded = load_content(content)
    listed: dict[str, set[str]] = {}
    for digest in loaded.digests:
        for paper_id in digest.papers:
            listed.setdefault(paper_id, set()).add(digest.date.isoformat() if digest.date else "")
    return _compare(raw.name, golden, detected, list(loaded.papers), listed)


def measure_corpus(corpus: Path = CORPUS) -> list[FileFidelity]:
    return [measure(raw) for raw in corpus_files(corpus)]


def _refused(name: str, golden: dict, message: str) -> FileFidelity:
    facts = sum(len(list(_facts(p))) for p in golden["papers"])
    return FileFidelity(name, golden["shape"], None, message, len(golden["papers"]), 0, facts, 0,
                        (), ())


def _compare(name: str, golden: dict, detected: str, pages: list[Paper],
             listed: dict[str, set[str]]) -> FileFidelity:
    """`listed`: by paper id, the dates of the digests that list it."""
    matched: set[str] = set()
    found = facts = kept = 0
    misses: list[Miss] = []
    for expected in golden["papers"]:
        page = _find(expected, pages)
        label = str(expected.get("arxiv") or expected.get("doi") or expected.get("title"))
        if page is not None:
            found += 1
            matched.add(page.id)
        for fact, value, holds in _facts(expected, listed):
            facts += 1
            if page is not None and holds(page):
                kept += 1
            else:
                misses.append(Miss(label, fact, value))
    spurious = tuple(p.title for p in pages if p.id not in matched)
    return FileFidelity(name, golden["shape"], detected, "", len(golden["papers"]), found, facts,
                        kept, spurious, tuple(misses))


def _find(expected: dict, pages: list[Paper]) -> Paper | None:
    if expected.get("arxiv"):
        wanted = f"arxiv:{expected['arxiv']}"
        return next((p for p in pages if p.id == wanted), None)
    if expected.get("doi"):
        wanted = f"doi:{str(expected['doi']).lower()}"
        return next((p for p in pages if p.id == wanted), None)
    title = _spaces(str(expected["title"]))
    return next((p for p in pages if _spaces(p.title) == title), None)


def _facts(expected: dict, listed: dict[str, set[str]] | None = None) -> Iterator[tuple[str, str, object]]:
    """(fact, expected value, test of a page) for every fact of a golden paper; `listed`, by
    paper id, the dates of the digests that list it (a digest's date line is the digest's)."""
    listed = listed or {}
    if "arxiv" in expected:
        arxiv = str(expected["arxiv"])
        yield "arxiv", arxiv, lambda p: p.id == f"arxiv:{arxiv}" or p.link("arxiv") == ids.arxiv_url(arxiv)
    if "doi" in expected:
        doi = str(expected["doi"]).lower()
        yield "doi", doi, lambda p: p.link("doi") == ids.doi_url(doi)
    if "title" in expected:
        title = _spaces(str(expected["title"]))
        yield "title", title, lambda p: _spaces(p.title) == title and not p.title_derived
    if "date" in expected:
        date = expected["date"]
        if not isinstance(date, dt.date):
            date = dt.date.fromisoformat(str(date))
        day = date.isoformat()
        yield "date", day, lambda p: p.date == day or day in listed.get(p.id, ())
    if "venue" in expected:
        venue = _spaces(str(expected["venue"]))
        yield "venue", venue, lambda p: _spaces(p.venue or "") == venue
    for author in expected.get("authors", ()):
        yield "author", author, lambda p, a=_spaces(author): a in map(_spaces, p.authors)
    for tag in expected.get("tags", ()):
        yield "tag", tag, lambda p, t=ids.tag_name(str(tag)): t in p.tags
    if "abstract" in expected:
        phrase = _spaces(str(expected["abstract"]))
        yield "abstract", phrase, lambda p: phrase in _spaces(p.abstract)
    for lang, phrases in (expected.get("commentary") or {}).items():
        for phrase in phrases:
            yield f"commentary:{lang}", phrase, (
                lambda p, lang=lang, w=_spaces(phrase):
                any(w in _spaces(c.text) for c in p.commentary if c.lang == lang))
    for url in expected.get("links", ()):
        yield "link", url, lambda p, u=url.rstrip("/"): u in {v.rstrip("/") for _, v in p.links}


def _spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
