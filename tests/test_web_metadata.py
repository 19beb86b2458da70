"""What search engines, Google Scholar and link previews read in every page's head: a canonical
URL, a description, OpenGraph and Twitter card meta; on a paper's page its `citation_*` meta and
its JSON-LD ScholarlyArticle, field by field; and a hostile title that stays inert in all of it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import feedparser

from litdigest.build.theme import Templates
from litdigest.build.library import build_library
from litdigest.build.metadata import plain_text
from litdigest.build.render import Renderer
from litdigest.build.site_pages import plan_pages
from litdigest.content.folder import load_content
from litdigest.content.model import Commentary, Content, Paper, SiteConfig, Tag
from tests.helpers.head import Head, parse_head
from tests.helpers.paths import CONTENT, TEMPLATES

BASE = "https://example.github.io/litdigest/"
HOSTILE = "</script><script>alert(1)</script> \"quoted\" & 'single' <!-- ]]> \u2028"


def heads(site: Path) -> dict[str, Head]:
    return {p.relative_to(site).as_posix(): parse_head(p.read_text(encoding="utf-8"))
            for p in sorted(site.rglob("*.html"))}


def test_every_page_has_a_canonical_url_a_description_and_card_meta(example_site: Path) -> None:
    config = load_content(CONTENT).config
    for path, head in heads(example_site).items():
        description = head.one("description")
        assert description.strip() and len(description) <= 161, path
        assert head.one("og:description") == description and head.one("og:title"), path
        assert head.one("og:site_name") == config.title
        assert head.one("og:locale") == "en_US" and head.one("og:locale:alternate") == "ko_KR"
        assert head.one("twitter:card") == "summary"
        kind = "article" if path.startswith(("papers/", "digests/")) and path.count("/") == 2 \
            else "website"
        assert head.one("og:type") == kind, path
        if path == "404.html":  # served at any URL: it names none
            assert head.link("canonical") == [] and head.all("og:url") == []
            continue
        url = BASE + quote(path.removesuffix("index.html"))
        assert head.link("canonical") == [url] and head.one("og:url") == url, path


def test_a_paper_page_is_described_by_its_commentary_else_its_abstract(example_site: Path) -> None:
    content = load_content(CONTENT)
    sources = {"commentary": 0, "abstract": 0}
    for paper in content.papers:
        head = parse_head((example_site / "papers" / paper.slug / "index.html")
                          .read_text(encoding="utf-8"))
        english = [c.text for c in paper.commentary if c.lang == "en"]
        texts = english or [c.text for c in paper.commentary]
        source = plain_text(" ".join(texts) if texts else paper.abstract)
        sources["commentary" if texts else "abstract"] += 1
        description = head.one("description")
        assert head.one("og:title") == paper.title
        if len(source) <= 160:
            assert description == source
        else:  # shortened at a word, with an ellipsis
            assert description.endswith("…") and len(description) <= 160
            kept = description[:-1]
            assert source.startswith(kept) and source[len(kept.rstrip(" ,;:.-–—"))] in " ,;:.-–—"
    assert sources["commentary"] and sources["abstract"]  # both rules were checked


def arxiv_of(paper: Paper) -> str | None:
    if paper.id.startswith("arxiv:"):
        return paper.id.removeprefix("arxiv:")
    match = re.fullmatch(r"https?://arxiv\.org/abs/(.+)", paper.link("arxiv") or "")
    return match.group(1) if match else None


def doi_of(paper: Paper) -> str | None:
    if paper.id.startswith("doi:"):
        return paper.id.removeprefix("doi:")
    match = re.fullmatch(r"https?://(?:dx\.)?doi\.org/(.+)", paper.link("doi") or "")
    return match.group(1) if match else None


def expected_scholar_meta(paper: Paper) -> list[tuple[str, str]]:
    meta = [("citation_title", paper.title)]
    meta += [("citation_author", author) for author in paper.authors]
    if paper.date:
        meta.append(("citation_publication_date", paper.date.replace("-", "/")))  # 2024/10 too
    arxiv, doi = arxiv_of(paper), doi_of(paper)
    if arxiv:
        meta.append(("citation_arxiv_id", arxiv))
    if doi:
        meta.append(("citation_doi", doi))
    pdf = paper.link("pdf") or (f"https://arxiv.org/pdf/{arxiv}" if arxiv else None)
    if pdf:
        meta.append(("citation_pdf_url", pdf))
    return meta


def test_every_paper_page_carries_its_scholar_meta(example_site: Path) -> None:
    papers = load_content(CONTENT).papers
    for paper in papers:
        head = parse_head((example_site / "papers" / paper.slug / "index.html")
                          .read_text(encoding="utf-8"))
        found = [(k, v) for k, v in head.meta if k.startswith("citation_")]
        assert found == expected_scholar_meta(paper), paper.slug
    assert any(arxiv_of(p) for p in papers) and any(p.date for p in papers)
    assert any(len(p.authors) > 1 for p in papers)


def expected_article(paper: Paper, tags: dict[str, Tag], description: str) -> dict[str, object]:
    url = f"{BASE}papers/{paper.slug}/"
    article: dict[str, object] = {
        "@context": "https://schema.org", "@type": "ScholarlyArticle", "headline": paper.title,
        "name": paper.title, "url": url,
        "author": [{"@type": "Person", "name": name} for name in paper.authors]}
    if paper.date:
        article["datePublished"] = paper.date  # ISO 8601, as precise as known: 2024-10
    if description:
        article["description"] = description  # the page's own, from its commentary or abstract
    if paper.tags:
        article["keywords"] = [(tags[n].en if n in tags and tags[n].en else n) for n in paper.tags]
    arxiv, doi = arxiv_of(paper), doi_of(paper)
    ids = [("arXiv", arxiv, f"https://arxiv.org/abs/{arxiv}"), ("DOI", doi, f"https://doi.org/{doi}")]
    known = [(name, value, same) for name, value, same in ids if value]
    if known:
        article["identifier"] = [{"@type": "PropertyValue", "propertyID": name, "value": value}
                                 for name, value, _ in known]
        article["sameAs"] = [same for _, _, same in known]
    return article


def test_every_paper_page_carries_its_json_ld_article(example_site: Path) -> None:
    content = load_content(CONTENT)
    for paper in content.papers:
        head = parse_head((example_site / "papers" / paper.slug / "index.html")
                          .read_text(encoding="utf-8"))
        [article] = head.json_ld()
        description = dict(head.meta)["description"]
        assert article == expected_article(paper, content.tags, description), paper.slug
    other = parse_head((example_site / "tags" / "index.html").read_text(encoding="utf-8"))
    assert other.json_ld() == [] and not [k for k, _ in other.meta if k.startswith("citation_")]


def hostile_site() -> dict[str, str]:
    """A paper whose every field is hostile, rendered through the real templates."""
    paper = Paper(id="arxiv:2412.00001", slug="hostile", title=HOSTILE, date="2024-12-01",
                  authors=(HOSTILE, "Plain Author"), tags=("x",), abstract=HOSTILE,
                  links=(("arxiv", "https://arxiv.org/abs/2412.00001"),),
                  digests=("d",), commentary=(Commentary("en", HOSTILE),))
    config = SiteConfig(title=HOSTILE, description=HOSTILE, base_url="https://example.org/")
    library = build_library(Content(config=config, papers=(paper,)))
    renderer = Renderer(library, Templates(TEMPLATES))
    return {page.path: renderer.render(page) for page in plan_pages(library)}


def test_a_hostile_title_stays_inert_in_meta_and_json_ld() -> None:
    site = hostile_site()
    html = site["papers/hostile/index.html"]
    head = parse_head(html)
    # Only the page's own scripts exist: the language switch, the JSON-LD, litdigest.js.
    kinds = [(attrs.get("type"), attrs.get("src")) for attrs, _ in head.scripts]
    assert kinds == [(None, None), ("application/ld+json", None), (None, "../../static/litdigest.js")]
    assert "alert" not in head.scripts[0][1] and "<script>alert" not in html
    [(_, raw)] = [(a, t) for a, t in head.scripts if a.get("type") == "application/ld+json"]
    assert not set("<>&\u2028") & set(raw)  # written as \u003c…: nothing to close the element
    [article] = head.json_ld()
    assert article["headline"] == article["name"] == HOSTILE  # and JSON readers see the title
    assert article["author"][0] == {"@type": "Person", "name": HOSTILE}
    assert head.one("citation_title") == head.one("og:title") == HOSTILE
    assert head.all("citation_author") == [HOSTILE, "Plain Author"]
    assert head.one("og:site_name") == HOSTILE
    assert head.title == f"{HOSTILE} · {HOSTILE}"
    assert json.loads(site["papers.json"])["papers"][0]["title"] == HOSTILE
    for feed_path in ("feed.xml", "tags/x/feed.xml"):  # and feed readers read it as it is
        feed = feedparser.parse(site[feed_path].encode("utf-8"))
        assert feed.bozo == 0 and feed.entries[0].title == HOSTILE.strip(), feed_path
    for path, text in site.items():
        if path.endswith(".html"):
            assert "<script>alert" not in text, path
