"""The promise of bounded cost: what a build keeps grows with what its pages show. A page's key
in the cache does not grow with the number of tags of the papers it shows (it did: a token per tag
of every paper on every page, so one paper with 10,000 tags took 5.5 GB to build).
"""

from __future__ import annotations

from pathlib import Path

from litdigest.build.library import build_library
from litdigest.build.site_pages import plan_pages
from litdigest.content.model import Content, Paper, SiteConfig
from litdigest.content.pages import MAX_TAGS, paper_text
from litdigest.incremental import stale
from tests.helpers.commands import litdigest_ok
from tests.helpers.paths import TEMPLATES

MANY = 10_000  # tags: ten times what a page may carry (MAX_TAGS), for the keys alone


def tagged_paper(tags: int) -> Paper:
    return Paper(id="many", slug="many", title="A paper with many tags", date="2024-05-01",
                 tags=tuple(f"t{n:05d}" for n in range(tags)), abstract="Tagged.")


def keys_for(tags: int) -> dict[str, str]:
    """The page keys of a site of one paper with `tags` tags, and one other paper."""
    papers = (tagged_paper(tags), Paper(id="other", slug="other", title="Other", tags=("t00000",)))
    library = build_library(Content(config=SiteConfig(), papers=papers))
    pages = plan_pages(library)
    hashes = {id(p): f"{n:032x}" for n, p in enumerate(library.papers)}
    return stale.page_keys(pages, library, hashes, base="b" * 32)


def test_a_page_key_does_not_grow_with_the_tags_of_the_papers_it_shows() -> None:
    few, many = keys_for(20), keys_for(MANY)
    for path in ("tags/t00000/index.html", "tags/t00001/index.html", "papers/other/index.html",
                 "papers/index.html", "feed.xml"):
        assert len(many[path]) == len(few[path]), path
    # every page's key is short, but the tag index's, which lists every tag once: no key holds
    # a token per tag of a paper
    index = many.pop("tags/index.html")
    assert max(len(key) for key in many.values()) < 1_000
    assert len(index) < 100 * MANY


def test_a_paper_with_the_most_tags_a_page_may_carry_builds(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    (content / "papers" / "many.md").write_text(paper_text(tagged_paper(MAX_TAGS)), encoding="utf-8")
    litdigest_ok("build", "--templates", str(TEMPLATES), cwd=tmp_path)
    site = tmp_path / "site"
    assert (site / "tags" / f"t{MAX_TAGS - 1:05d}" / "index.html").is_file()
    page = (site / "papers" / "many" / "index.html").read_text("utf-8")
    assert page.count('class="tag"') == MAX_TAGS
