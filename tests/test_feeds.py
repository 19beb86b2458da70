"""The Atom feeds, read by a real feed reader (feedparser): the site's and one per tag, each
without a flaw, announced on the pages they belong to, with entry dates that belong to their
papers and do not move when a new digest is posted."""

from __future__ import annotations

import calendar
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser

from litdigest.build.library import build_library
from litdigest.build.pipeline import build_site
from litdigest.content.folder import load_content
from tests.helpers.head import parse_head
from tests.helpers.paths import CONTENT, TEMPLATES

BASE = "https://example.github.io/litdigest/"


def read_feed(path: Path) -> Any:
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, (path, feed.get("bozo_exception"))
    return feed


def feeds_of(site: Path) -> dict[str, Any]:
    """Every feed of the site by its path: the site's and each tag's."""
    paths = [site / "feed.xml", *sorted(site.glob("tags/*/feed.xml"))]
    return {p.relative_to(site).as_posix(): read_feed(p) for p in paths}


def stamp(entry: Any) -> int:
    return calendar.timegm(entry.updated_parsed)


def test_every_feed_reads_without_a_flaw(example_site: Path) -> None:
    library = build_library(load_content(CONTENT))
    feeds = feeds_of(example_site)
    assert set(feeds) == {"feed.xml"} | {f"tags/{name}/feed.xml" for name in library.tags}
    for path, feed in feeds.items():
        tag = path.split("/")[1] if path.startswith("tags/") else None
        members = library.tags[tag].papers if tag else library.papers
        assert feed.feed.links[0].href in (BASE, f"{BASE}tags/{tag}/")
        assert {link.rel: link.href for link in feed.feed.links}["self"] == BASE + path
        assert len(feed.entries) == min(len(members), library.config.feed_size), path
        stamps = [stamp(e) for e in feed.entries]
        assert stamps == sorted(stamps, reverse=True), path  # newest first
        assert calendar.timegm(feed.feed.updated_parsed) == max(stamps), path  # its newest entry's
        by_slug = {p.slug: p for p in members}
        for entry in feed.entries:
            assert entry.id == entry.link and entry.link.startswith(f"{BASE}papers/")
            slug = entry.link[len(f"{BASE}papers/"):].rstrip("/")
            paper = by_slug[slug]  # every entry is one of the feed's papers, with its page
            assert (example_site / "papers" / slug / "index.html").is_file()
            assert entry.title == paper.title
            assert [a.name for a in entry.get("authors", [])] == list(paper.authors)
            assert [t.term for t in entry.get("tags", [])] == list(paper.tags)
            if tag:
                assert tag in paper.tags and entry.summary  # the paper's description
            else:
                assert entry.content[0].value  # the whole body: abstract and commentary
            listed_on = library.listed_on(paper)  # the day it appeared: test_entry_dates_…
            assert entry.updated[:10] == (listed_on.isoformat() if listed_on else "1970-01-01")


def test_entry_dates_are_the_day_of_the_first_digest_else_the_papers_own(example_site: Path) -> None:
    """The first digest its page names, where that digest is dated (the bilingual daily of
    2024-12-19); else the paper's own date (the arXiv listing's papers: their numbers' months,
    the digest being undated); else the fixed fallback date."""
    library = build_library(load_content(CONTENT))
    dates = {e.digest.id: e.digest.date for e in library.digests}
    by_slug = {p.slug: p for p in library.papers}
    seen = set()
    for entry in read_feed(example_site / "feed.xml").entries:
        paper = by_slug[entry.link[len(f"{BASE}papers/"):].rstrip("/")]
        first = dates[paper.digests[0]]
        expected = (first.isoformat() if first else f"{paper.date}-01" if paper.date
                    else "1970-01-01")
        assert entry.updated[:10] == expected, paper.slug
        seen.add("digest" if first else "own" if paper.date else "fallback")
    assert seen == {"digest", "own", "fallback"}


def test_tag_pages_announce_their_feed_and_the_sites(example_site: Path) -> None:
    pages = sorted(example_site.glob("tags/*/index.html")) + sorted(
        example_site.glob("tags/*/page/*/index.html"))
    assert pages
    for page in pages:
        tag = page.relative_to(example_site).parts[1]
        head = parse_head(page.read_text(encoding="utf-8"))
        found = head.link("alternate", type="application/atom+xml")
        url = page.relative_to(example_site).as_posix()
        resolved = {urljoin(f"{BASE}{url}", href) for href in found}
        assert resolved == {f"{BASE}feed.xml", f"{BASE}tags/{tag}/feed.xml"}, page
    paper_page = next(example_site.glob("papers/*/index.html"))
    head = parse_head(paper_page.read_text(encoding="utf-8"))
    assert head.link("alternate", type="application/atom+xml") == ["../../feed.xml"]


def entry_dates(site: Path) -> dict[tuple[str, str], str]:
    """(feed, entry id) → its date, for every entry of every feed."""
    return {(path, entry.id): entry.updated
            for path, feed in feeds_of(site).items() for entry in feed.entries}


def post_digest(content: Path, digest_id: str, date: str, papers: list[str]) -> None:
    (content / "digests" / f"{digest_id}.md").write_text(
        f'---\nid: {digest_id}\ntitle: "Digest of {date}"\ndate: {date}\nsource: ""\npapers:\n'
        + "".join(f"  - {pid}\n" for pid in papers) + "---\n", encoding="utf-8")


def test_a_new_digest_moves_no_entry_date(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    site = tmp_path / "site"
    # A paper without a date of its own, first listed by the digest of 2024-12-20.
    (content / "papers" / "brand-new.md").write_text(
        '---\nid: arxiv:2412.99999\nslug: brand-new\ntitle: "Brand new"\ntitle_derived: false\n'
        'authors: [A. Person]\ndate: null\ntags: [alignment]\nvenue: null\n'
        'links: {arxiv: "https://arxiv.org/abs/2412.99999"}\ndigests: [005-2024-12-20]\n---\n\n'
        "A new abstract.\n", encoding="utf-8")
    post_digest(content, "005-2024-12-20", "2024-12-20", ["arxiv:2412.99999"])
    build_site(content, TEMPLATES, site)
    before = entry_dates(site)
    new = f"{BASE}papers/brand-new/"
    assert before[("feed.xml", new)] == before[("tags/alignment/feed.xml", new)] == \
        "2024-12-20T00:00:00Z"

    # The next day's digest lists it again, with a dated paper and an undated one.
    library = build_library(load_content(content))
    dated = next(p for p in library.papers if p.date is not None)
    undated = next(p for p in library.papers if p.date is None and p.id != "arxiv:2412.99999")
    post_digest(content, "006-2024-12-21", "2024-12-21",
                ["arxiv:2412.99999", dated.id, undated.id])
    build_site(content, TEMPLATES, site)
    after = entry_dates(site)

    kept = set(before) & set(after)
    assert ("feed.xml", new) in kept and len(kept) >= len(before) - 2
    assert ("feed.xml", f"{BASE}papers/{undated.slug}/") in kept
    assert {key: after[key] for key in kept} == {key: before[key] for key in kept}
