"""The promise of hostile content, at the Markdown: pasted text never makes a reader's browser
fetch anything, and text typed into math stays text.

A Markdown image in an abstract or commentary is a link to its URL reading its alt text, never an
`<img>` (on the paper page, the digest page and in the feed); typed tags inside `\\text{}` are
escaped, never MathML or HTML elements. (The browser judge, tests/judges/test_hostile_content.py,
opens the hostile fixture's pages; these tests look at the markup itself.)
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from litdigest.build.markdown import make_markdown, render_body
from litdigest.content.model import Paper
from tests.helpers.commands import litdigest_ok
from tests.helpers.paths import TEMPLATES

TRACKER = "https://attacker.example/p.png"
PAPER = "adaptive-message-wise-rlhf"  # a paper of the example content, shown in digest 003


def rendered(markdown: str) -> str:
    paper = Paper(id="", slug="", title="", abstract=markdown)
    return render_body(make_markdown(), paper).abstract_html


def test_a_pasted_image_is_a_link_on_the_paper_and_digest_pages_and_in_the_feed(
        tmp_path: Path, content_copy: Path) -> None:
    page = content_copy / "papers" / f"{PAPER}.md"
    page.write_text(page.read_text("utf-8") + f"\n![tracker]({TRACKER})\n\n"
                    f"[![inner](https://attacker.example/q.png)](https://example.org/)\n",
                    encoding="utf-8")
    litdigest_ok("build", "--templates", str(TEMPLATES), cwd=tmp_path)
    site = tmp_path / "site"
    shown = [site / "papers" / PAPER / "index.html",
             *sorted((site / "digests").glob("*/index.html")), site / "feed.xml"]
    showing = [path for path in shown if "attacker.example" in path.read_text("utf-8")]
    assert site / "papers" / PAPER / "index.html" in showing and site / "feed.xml" in showing
    assert any(path.parent.parent.name == "digests" for path in showing), "the digest page"
    for path in showing:
        text = path.read_text("utf-8")
        assert not re.search(r"(<|&lt;)img\b", text), f"{path} embeds an image"
        markup = text if path.suffix == ".html" else unescape(text)  # the feed's HTML is escaped
        assert f'<a href="{TRACKER}">tracker</a>' in markup, path
        assert "q.png" not in text, f"{path}: an image inside a link is its alt text alone"


@pytest.mark.parametrize("markdown, html", [
    (f"![x]({TRACKER})", f'<p><a href="{TRACKER}">x</a></p>'),
    (f'![a *b* `c`]({TRACKER} "title")', f'<p><a href="{TRACKER}">a b c</a></p>'),
    (f"![x][r]\n\n[r]: {TRACKER}", f'<p><a href="{TRACKER}">x</a></p>'),
    (f"![]({TRACKER})", f'<p><a href="{TRACKER}">{TRACKER}</a></p>'),
    (f"[![x]({TRACKER})](https://example.org/)", '<p><a href="https://example.org/">x</a></p>'),
    ("![<img src=x onerror=alert(1)>](javascript:alert(1))",
     "<p>![&lt;img src=x onerror=alert(1)&gt;](javascript:alert(1))</p>"),
])
def test_an_image_in_markdown_never_embeds(markdown: str, html: str) -> None:
    assert rendered(markdown).strip() == html


@pytest.mark.parametrize("typed", [
    "<mi>x</mi>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<math>",
    "<mtext>", "</math><script>alert(1)</script>", "<a href=https://attacker.example/>y</a>",
    "</mtext></mrow></math><img src=x onerror=alert(1)>", "<!--x-->", "<![CDATA[x]]>",
])
@pytest.mark.parametrize("command", ["text", "mbox", "textrm", "textbf"])
def test_tags_typed_in_math_text_stay_text(typed: str, command: str) -> None:
    for math in (f"${{\\{command}{{{typed}}}}}$", f"$$\\{command}{{{typed}}}$$"):
        html = rendered(math)
        inside = re.search(r"<mtext[^>]*>(.*?)</mtext>", html, re.S)
        assert inside, html
        assert "<" not in inside.group(1) and ">" not in inside.group(1), html
        assert re.findall(r"</?([a-z]+)", html) == re.findall(r"</?([a-z]+)", rendered(
            math.replace(typed, "plain"))), f"{typed!r} made elements: {html}"


def test_math_still_renders() -> None:
    html = rendered(r"$\frac{a}{b} \, \text{a & b} < c$")
    assert "<mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac>" in html
    assert '<mspace width="0.167em"></mspace>' in html
    assert "<mtext>a\u00a0&amp;\u00a0b</mtext><mo>&lt;</mo>" in html


def test_an_entity_typed_in_math_text_shows_as_typed() -> None:
    html = rendered(r"$\text{&lt;b&gt; &amp;}$")
    assert "<mtext>&amp;lt;b&amp;gt;\u00a0&amp;amp;</mtext>" in html
