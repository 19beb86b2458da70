"""The normalized page format: reading a page and writing it back gives the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.paths import CONTENT
from litdigest.content.folder import load_content
from litdigest.content.pages import digest_text, paper_text, parse_digest, parse_paper, parse_tag, tag_text

PAGES = sorted((CONTENT / "papers").glob("*.md"))
TAGS = sorted((CONTENT / "tags").glob("*.md"))
DIGESTS = sorted((CONTENT / "digests").glob("*.md"))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_paper_round_trip(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    paper = parse_paper(text, path)
    assert paper_text(paper) == text
    assert path.stem == paper.slug


@pytest.mark.parametrize("path", TAGS, ids=lambda p: p.stem)
def test_tag_round_trip(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert tag_text(parse_tag(text, path)) == text


@pytest.mark.parametrize("path", DIGESTS, ids=lambda p: p.stem)
def test_digest_round_trip(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert digest_text(parse_digest(text, path)) == text


def test_the_example_content_has_every_paper_digest_and_tag() -> None:
    content = load_content(CONTENT)
    assert len(content.papers) == 44
    assert len(content.digests) == 5
    assert len(content.tags) == 11


def test_the_page_of_a_bilingual_paper() -> None:
    page = CONTENT / "papers" / "mix-ln-unleashing-the-power-of-deeper-layers-by-combining.md"
    paper = parse_paper(page.read_text(encoding="utf-8"), page)
    assert paper.title == "Mix-LN: Unleashing the Power of Deeper Layers by Combining Pre-LN and Post-LN"
    assert paper.authors == ("Pengxiang Li", "Lu Yin", "Shiwei Liu")
    assert str(paper.date) == "2024-12-19"
    assert paper.tags == ("transformer",)
    assert paper.digests == ("004-2024-12-19",)
    assert [c.lang for c in paper.commentary] == ["ko", "en"]
    assert paper.commentary[0].text.startswith("Layer Norm 잔혹사.")
    assert paper.commentary[1].text.startswith("The cruel history of Layer Normalization continues.")


def test_a_bare_url_in_prose_reads_as_its_domain_and_path() -> None:
    """Three URLs in a row read as three places; the links go to the whole URLs, and a link
    written as a link, or as `<…>`, keeps its own text."""
    from litdigest.build.markdown import make_markdown

    html = make_markdown().render(
        "Code: https://github.com/org/repo/ https://www.example.org/a?b=1 www.foo.com/bar "
        "[the paper](https://arxiv.org/abs/2401.00001) <https://auto.org/p> mailto:me@x.org")
    assert '<a href="https://github.com/org/repo/">github.com/org/repo</a>' in html
    assert '<a href="https://www.example.org/a?b=1">example.org/a?b=1</a>' in html
    assert '<a href="http://www.foo.com/bar">foo.com/bar</a>' in html
    assert '<a href="https://arxiv.org/abs/2401.00001">the paper</a>' in html
    assert '<a href="https://auto.org/p">https://auto.org/p</a>' in html
    assert '<a href="mailto:me@x.org">mailto:me@x.org</a>' in html
