"""sitemap.xml lists every HTML page of the site at its absolute URL, with a `lastmod` only where
the content gives a real date; robots.txt points at it; and a rebuild rewrites the files that
show every paper (sitemap.xml, papers.json) when what they show changes, and only then."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest

from litdigest.build import web_index
from litdigest.build.library import build_library
from litdigest.build.pipeline import UPDATE, build_site
from litdigest.content.folder import load_content
from tests.helpers.corpus import write_corpus
from tests.helpers.paths import CONTENT, TEMPLATES

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_rows(site: Path, name: str = "sitemap.xml") -> dict[str, str | None]:
    """URL → lastmod (None where there is none), from a parsed sitemap file."""
    root = ET.fromstring((site / name).read_bytes())
    assert root.tag == f"{SITEMAP}urlset"
    rows: dict[str, str | None] = {}
    for url in root.findall(f"{SITEMAP}url"):
        loc = url.findtext(f"{SITEMAP}loc")
        assert loc and loc not in rows, f"missing or twice: {loc}"
        rows[loc] = url.findtext(f"{SITEMAP}lastmod")
    return rows


def html_pages(site: Path, base_url: str) -> set[str]:
    """The public URL of every HTML page found by walking site/, but the 404 page (served for
    any unknown URL, it is no page of its own)."""
    urls = set()
    for page in site.rglob("*.html"):
        path = page.relative_to(site).as_posix()
        if path != "404.html":
            urls.add(base_url + quote(path.removesuffix("index.html")))
    return urls


def test_the_sitemap_lists_every_html_page_of_the_example_site(example_site: Path) -> None:
    rows = sitemap_rows(example_site)
    assert set(rows) == html_pages(example_site, "https://example.github.io/litdigest/")
    assert len(rows) >= 68  # 44 papers, 11 tags, 5 digests and the listings; not the 404 page


def test_the_sitemap_lists_every_page_of_a_site_with_korean_tags(tmp_path: Path) -> None:
    content = write_corpus(tmp_path / "content")
    site = tmp_path / "site"
    build_site(content, TEMPLATES, site)
    rows = sitemap_rows(site)
    assert set(rows) == html_pages(site, "https://example.org/corpus/")
    korean = quote("한국어-태그")
    assert f"https://example.org/corpus/tags/{korean}/" in rows
    assert all(loc.isascii() for loc in rows)


def test_a_site_beyond_one_sitemap_gets_an_index_of_several(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The protocol allows 50,000 URLs a file (a site of 100,000 papers has more): beyond the
    limit (made small here) sitemap.xml is an index of parts that list every page once."""
    monkeypatch.setattr(web_index, "SITEMAP_LIMIT", 40)
    content = write_corpus(tmp_path / "content")
    site = tmp_path / "site"
    build_site(content, TEMPLATES, site)
    index = ET.fromstring((site / "sitemap.xml").read_bytes())
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = {s.findtext(f"{SITEMAP}loc"): s.findtext(f"{SITEMAP}lastmod")
             for s in index.findall(f"{SITEMAP}sitemap")}
    rows: dict[str, str | None] = {}
    for loc, lastmod in parts.items():
        name = loc.removeprefix("https://example.org/corpus/")
        part = sitemap_rows(site, name)
        assert 0 < len(part) <= 40 and not set(part) & set(rows)
        assert lastmod == max(value for value in part.values() if value)
        rows.update(part)
    assert len(parts) > 1 and set(rows) == html_pages(site, "https://example.org/corpus/")
    assert "Sitemap: https://example.org/corpus/sitemap.xml" in (site / "robots.txt").read_text()


def test_lastmod_comes_only_from_real_dates(example_site: Path) -> None:
    library = build_library(load_content(CONTENT))
    base = "https://example.github.io/litdigest/"
    rows = sitemap_rows(example_site)
    for paper in library.papers:  # the newest digest that listed it, else its first day
        listed = [d.date for d in library.listings[paper.id] if d.date]
        expected = max(listed) if listed else library.listed_on(paper)
        assert rows[f"{base}papers/{paper.slug}/"] == (expected.isoformat() if expected else None), paper.slug
    for entry in library.digests:
        expected = entry.digest.date.isoformat() if entry.digest.date else None
        assert rows[f"{base}digests/{entry.digest.id}/"] == expected, entry.digest.id
    for name, entry in library.tags.items():  # a listing: its newest item's date
        dates = [library.listed_on(p) for p in entry.papers[: library.config.page_size]]
        dates = [d for d in dates if d]
        assert rows[f"{base}tags/{name}/"] == (max(dates).isoformat() if dates else None), name
    newest_digest = max(e.digest.date for e in library.digests if e.digest.date)
    assert rows[base] == rows[f"{base}digests/"] == newest_digest.isoformat()
    dated = [value for value in rows.values() if value]
    assert dated and None in rows.values()  # both kinds are there, so both were checked
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) for value in dated)
    assert dt.date.today().isoformat() not in dated  # never the build's own date


def test_robots_txt_points_at_the_sitemap(example_site: Path) -> None:
    lines = (example_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: https://example.github.io/litdigest/sitemap.xml" in lines
    assert not [line for line in lines if line.startswith("Disallow:") and line != "Disallow:"]


def _rewritten(site: Path, before: dict[str, int]) -> set[str]:
    return {p for p, ino in _inodes(site).items() if before.get(p) != ino}


def _inodes(site: Path) -> dict[str, int]:
    """(inode, mtime) of every file: a file written again, even with the same bytes, differs."""
    return {p.relative_to(site).as_posix(): hash((p.stat().st_ino, p.stat().st_mtime_ns))
            for p in site.rglob("*") if p.is_file()}


def test_files_of_every_paper_are_rewritten_when_what_they_show_changes_and_only_then(
        tmp_path: Path) -> None:
    content = write_corpus(tmp_path / "content")
    site = tmp_path / "site"
    build_site(content, TEMPLATES, site)

    paper = content / "papers" / "paper-0005.md"  # a title: papers.json shows it, the sitemap not
    paper.write_text(paper.read_text(encoding="utf-8").replace('title: "', 'title: "New ', 1),
                     encoding="utf-8")
    before = _inodes(site)
    assert build_site(content, TEMPLATES, site).mode == UPDATE
    rewritten = _rewritten(site, before)
    assert "papers.json" in rewritten and "sitemap.xml" not in rewritten
    assert "papers.schema.json" not in rewritten and "robots.txt" not in rewritten

    text = paper.read_text(encoding="utf-8")  # a date: the sitemap's lastmod of its page moves
    start = text.index("date: ") + 6
    paper.write_text(text[:start] + "2025-02-03" + text[start + 10:], encoding="utf-8")
    before = _inodes(site)
    build_site(content, TEMPLATES, site)
    assert {"papers.json", "sitemap.xml"} <= _rewritten(site, before)

    before = _inodes(site)  # the digest listing of a page that changes nothing they show
    tag = content / "tags" / "vision.md"
    tag.write_text(tag.read_text(encoding="utf-8").replace('en: "Vision"', 'en: "Sight"'),
                   encoding="utf-8")
    build_site(content, TEMPLATES, site)
    rewritten = _rewritten(site, before)
    assert "tags/vision/index.html" in rewritten
    assert not {"papers.json", "sitemap.xml"} & rewritten
