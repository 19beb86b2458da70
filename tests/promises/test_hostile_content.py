"""The promise about hostile content: whatever text a page holds, the site stays well-formed.
Characters that XML 1.0 cannot carry even escaped (most C0 controls, U+FFFE) and that HTML calls
parse errors (DEL, C1 controls) are dropped from every value a template shows, so `feed.xml`
parses (it did not: a control character in a title made it ill-formed while build said ok).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser

from litdigest.build.theme import Templates
from litdigest.build.library import build_library
from litdigest.build.render import Renderer
from litdigest.build.site_pages import plan_pages
from litdigest.content.model import Commentary, Content, Paper, SiteConfig
from tests.helpers.paths import TEMPLATES

UNCARRIABLE = "\x01\x0b\x1f\x7f\ufffe"


def rendered_site() -> dict[str, str]:
    dirty = f"a{UNCARRIABLE}b"
    paper = Paper(id="dirty", slug="dirty", title=f"Title {dirty}", date="2024-05-01",
                  authors=(f"Author {dirty}", "Second Author"), tags=("plain",),
                  abstract=f"Abstract {dirty} with *emphasis* and {dirty}.",
                  commentary=(Commentary("en", f"Commentary {dirty}"),
                              Commentary("ko", f"코멘트 {dirty}")))
    library = build_library(Content(config=SiteConfig(title=f"Site {dirty}"), papers=(paper,)))
    renderer = Renderer(library, Templates(TEMPLATES))
    return {page.path: renderer.render(page) for page in plan_pages(library)}


def test_a_feed_of_text_with_control_characters_is_well_formed() -> None:
    feed = rendered_site()["feed.xml"]
    root = ET.fromstring(feed.encode("utf-8"))  # raises on ill-formed XML
    entry = root.find("{http://www.w3.org/2005/Atom}entry")
    assert entry is not None
    assert entry.findtext("{http://www.w3.org/2005/Atom}title") == "Title ab"
    parsed = feedparser.parse(feed.encode("utf-8"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    [item] = parsed.entries
    assert item.title == "Title ab"
    assert [a.name for a in item.authors] == ["Author ab", "Second Author"]
    assert "Abstract ab with" in item.content[0].value
    assert "Commentary ab" in item.content[0].value and "코멘트 ab" in item.content[0].value


def test_no_page_holds_a_character_html_calls_a_parse_error() -> None:
    for path, text in rendered_site().items():
        assert not set(text) & set(UNCARRIABLE), path
