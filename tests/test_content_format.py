"""The normalized page format: reading a page and writing it back gives the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.paths import CONTENT
from litdigest.content.folder import load_content
from litdigest.errors import LitdigestError
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
    assert paper.date is None  # its own date: the digest's day is the digest's
    assert paper.tags == ("transformer",)
    assert paper.digests == ("004-2024-12-19",)
    assert [(c.lang, c.digest) for c in paper.commentary] == [("ko", "004-2024-12-19"),
                                                               ("en", "004-2024-12-19")]
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


def test_a_url_in_a_commentary_excerpt_reads_as_its_domain_and_path_too(example_site: Path) -> None:
    """The home page's excerpt is plain text: its URLs read as the commentary's links do."""
    html = (example_site / "index.html").read_text()
    assert "MAR (arxiv.org/abs/2406.11838). 프레임" in html
    assert "(https://arxiv.org/abs/2406.11838)" not in html


@pytest.mark.parametrize("written, read", [("2024-10-17", "2024-10-17"), ("2024-10", "2024-10"),
                                           ("2017", "2017"), ('"2024-10"', "2024-10")])
def test_a_paper_date_is_as_precise_as_its_source(written: str, read: str) -> None:
    text = f"---\nid: x\nslug: x\ntitle: \"X\"\ndate: {written}\n---\n"
    paper = parse_paper(text, "papers/x.md")
    assert paper.date == read
    assert parse_paper(paper_text(paper), "papers/x.md") == paper


@pytest.mark.parametrize("written", ["2024-13", "24-10", "October 2024", "2024-02-30", "true"])
def test_a_paper_date_that_is_no_date_is_reported_on_its_line(written: str) -> None:
    text = f"---\nid: x\nslug: x\ntitle: \"X\"\ndate: {written}\n---\n"
    with pytest.raises(LitdigestError) as raised:
        parse_paper(text, "papers/x.md")
    (problem,) = raised.value.problems
    assert problem.line == 5 and "date" in problem.message


def test_a_commentary_block_names_the_digest_that_posted_it() -> None:
    body = ("Abstract.\n\n::: commentary ko 004-2024-12-19\n코멘트.\n:::\n\n"
            "::: commentary en\nWritten by hand, naming no digest.\n:::")
    text = f"---\nid: x\nslug: x\ntitle: \"X\"\ndigests: [\"003\", 004-2024-12-19]\n---\n\n{body}\n"
    paper = parse_paper(text, "papers/x.md")
    assert [(c.lang, c.digest) for c in paper.commentary] == [("ko", "004-2024-12-19"), ("en", "")]
    assert [paper.posted_in(c) for c in paper.commentary] == ["004-2024-12-19", "003"]
    assert paper_text(paper).endswith(body + "\n")
