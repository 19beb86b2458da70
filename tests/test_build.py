"""Build: content/ + templates/ → site/, one page per paper, tag and digest; reproducible, atomic."""

from __future__ import annotations

import gc
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import feedparser
import pytest

from tests.helpers.paths import CONTENT, ROOT, TEMPLATES
from tests.helpers.serving import serve_folder
from tests.helpers.trees import tree_digest
from litdigest.build.pipeline import build_site
from litdigest.check.links import check_site
from litdigest.errors import LitdigestError

TAGS = ["alignment", "autoregressive-model", "diffusion", "large-language-model", "reasoning",
        "review", "safety", "text-to-image", "transformer", "video-generation", "vision-language"]
DIGESTS = ["000", "001", "002", "003", "004-2024-12-19"]


def folders(site: Path, section: str) -> list[str]:
    return sorted(p.name for p in (site / section).iterdir() if (p / "index.html").is_file()
                  and p.name != "page")


def test_a_page_for_every_paper_tag_and_digest(example_site: Path) -> None:
    assert len(folders(example_site, "papers")) == 44
    assert folders(example_site, "tags") == TAGS
    assert folders(example_site, "digests") == DIGESTS
    for page in ["index.html", "tags/index.html", "digests/index.html", "papers/index.html",
                 "feed.xml", "404.html", "static/style.css", "static/litdigest.js"]:
        assert (example_site / page).is_file(), page


def test_long_listings_are_paginated(example_site: Path) -> None:
    # 44 papers at 10 a page: papers/, papers/page/2/ … papers/page/5/
    assert sorted(p.name for p in (example_site / "papers/page").iterdir()) == ["2", "3", "4", "5"]
    assert not (example_site / "tags/large-language-model/page").exists()  # 10 papers: one page
    first = (example_site / "papers/index.html").read_text()
    assert 'href="../papers/page/2/"' in first


def test_the_tag_index_counts_the_papers_of_each_tag_and_sets_the_larger_tags_larger(
        example_site: Path) -> None:
    html = (example_site / "tags/index.html").read_text()
    found = re.findall(r'<li class="w(\d)"><a href="\.\./tags/([^/]+)/">.*?</a> <span class="count">(\d+)<', html)
    assert {name: (int(count), int(weight)) for weight, name, count in found} == {
        "alignment": (2, 2), "autoregressive-model": (3, 3), "diffusion": (2, 2),
        "large-language-model": (10, 5), "reasoning": (1, 1), "review": (1, 1), "safety": (1, 1),
        "text-to-image": (1, 1), "transformer": (1, 1), "video-generation": (1, 1),
        "vision-language": (1, 1)}


def test_a_tag_reads_in_the_readers_language(example_site: Path) -> None:
    """A tag with a Korean name shows it to a Korean reader, its English one to an English reader
    (as interface labels do); a tag with one name shows it to both."""
    html = (example_site / "papers/alignment-faking-in-large-language-models/index.html").read_text()
    assert ('<a class="tag" href="../../tags/safety/">#<span class="i18n" lang="ko">안전성</span>'
            '<span class="i18n" lang="en">safety</span></a>') in html
    assert '<h1>#<span class="i18n" lang="ko">안전성</span><span class="i18n" lang="en">safety</span></h1>' in \
        (example_site / "tags/safety/index.html").read_text()


def test_the_digest_index_is_a_timeline_by_year_with_each_digests_tags(example_site: Path) -> None:
    html = (example_site / "digests/index.html").read_text()
    years = re.findall(r"<h2>(.*?)</h2>", html)
    assert years == ["2024", '<span class="i18n" lang="ko">날짜 없음</span><span class="i18n" lang="en">Undated</span>']
    titles = re.findall(r'class="timeline-title" href="\.\./digests/([^/]+)/"[^>]*>([^<]+)</a>', html)
    assert titles == [("004-2024-12-19", "2024년 12월 19일"),
                      ("000", "Papers from September to October 2024"), ("001", "Papers by Ning Ding"),
                      ("002", "Category: Large Language Model"), ("003", "Digest 003")]
    first = html[html.index("004-2024-12-19"):html.index('href="../digests/000/"')]
    # its papers' most used tags, most first, then by name
    assert re.findall(r'href="\.\./tags/([^/]+)/"', first) == [
        "autoregressive-model", "alignment", "diffusion", "reasoning"]


def test_digest_page_keeps_posting_order_and_commentary(example_site: Path) -> None:
    html = (example_site / "digests/004-2024-12-19/index.html").read_text()
    titles = re.findall(r'<h2 class="paper-title">\s*<a href="[^"]+">([^<]+)</a>', html)
    assert titles == [
        "Unveiling the Secret Recipe: A Guide For Supervised Fine-Tuning Small LLMs",
        "Autoregressive Video Generation without Vector Quantization",
        "E-CAR: Efficient Continuous Autoregressive Image Generation via Multistage Modeling",
        "Mix-LN: Unleashing the Power of Deeper Layers by Combining Pre-LN and Post-LN",
        "Scaling of Search and Learning: A Roadmap to Reproduce o1 from Reinforcement Learning Perspective",
        "MetaMorph: Multimodal Understanding and Generation via Instruction Tuning",
        "Alignment faking in large language models",
    ]
    assert html.count('<section class="commentary" lang="ko"') == 7
    assert html.count('<section class="commentary" lang="en"') == 7


def test_math_becomes_mathml(example_site: Path) -> None:
    html = (example_site / "digests/002/index.html").read_text()
    assert "<math display=\"inline\"><mrow><mi>n</mi></mrow></math>" in html
    assert "$n$" not in html


def test_every_internal_link_resolves(example_site: Path) -> None:
    problems, pages, links = check_site(example_site)
    assert problems == []
    assert pages == 69 and links > 800


def test_links_are_relative_so_a_sub_path_works(example_site: Path) -> None:
    for page in example_site.rglob("*.html"):
        if page.name != "404.html":
            assert not re.search(r'(href|src)="/', page.read_text()), page
    with serve_folder(example_site, prefix="litdigest") as base:
        html = urllib.request.urlopen(base + "papers/").read().decode()
        css = re.search(r'href="([^"]+style\.css)"', html).group(1)
        assert urllib.request.urlopen(base + "papers/" + css).status == 200


def test_feed_reads_in_a_feed_reader(example_site: Path) -> None:
    feed = feedparser.parse((example_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == 44
    first = feed.entries[0]
    assert first.link.startswith("https://example.github.io/litdigest/papers/")
    assert first.updated.startswith("2024-12-19")


def test_builds_are_reproducible(tmp_path: Path, example_site: Path) -> None:
    again = tmp_path / "site"
    build_site(CONTENT, TEMPLATES, again)
    assert tree_digest(again) == tree_digest(example_site)


def test_a_failed_build_leaves_the_previous_site(tmp_path: Path, content_copy: Path) -> None:
    site = tmp_path / "site"
    build_site(content_copy, TEMPLATES, site)
    before = tree_digest(site)
    page = next((content_copy / "papers").glob("*.md"))
    page.write_text(page.read_text().replace("title_derived:", "title_derived: [oops", 1))
    with pytest.raises(LitdigestError) as err:
        build_site(content_copy, TEMPLATES, site)
    assert f"{page}:5:" in str(err.value)
    assert tree_digest(site) == before
    assert not list(tmp_path.glob(".site.*"))  # no staging folder left behind


def test_a_build_leaves_the_cycle_collector_as_it_found_it(tmp_path: Path, content_copy: Path) -> None:
    """A build pauses Python's cycle collector while it works; a program that builds must get
    it back as it was, whether the build succeeds or fails."""
    assert gc.isenabled()
    build_site(content_copy, TEMPLATES, tmp_path / "site")
    assert gc.isenabled()
    page = next((content_copy / "papers").glob("*.md"))
    page.write_text(page.read_text().replace("title_derived:", "title_derived: [oops", 1))
    with pytest.raises(LitdigestError):
        build_site(content_copy, TEMPLATES, tmp_path / "other")
    assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(LitdigestError):
            build_site(content_copy, TEMPLATES, tmp_path / "third")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_raw_html_in_content_is_shown_as_text(tmp_path: Path, content_copy: Path) -> None:
    page = content_copy / "papers" / "mix-ln-unleashing-the-power-of-deeper-layers-by-combining.md"
    text = page.read_text()
    page.write_text(text.replace("Large Language Models", "<script>alert(1)</script> [x](javascript:alert(1))", 1))
    site = tmp_path / "site"
    build_site(content_copy, TEMPLATES, site)
    html = (site / "papers" / page.stem / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html


def test_build_py_with_no_command_builds_the_example_site_as_the_quick_start_says(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    result = subprocess.run([sys.executable, str(ROOT / "build.py")], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built ") and (tmp_path / "site" / "index.html").is_file()


def test_build_py_builds_the_example_site() -> None:
    result = subprocess.run([sys.executable, "build.py", "build", "--output", "site"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert re.fullmatch(r"built \d+ pages \(44 papers, 11 tags, 5 digests\) into site in [\d.]+ s(: .+)?\n",
                        result.stdout), result.stdout


def test_a_digest_page_links_the_digests_either_side_on_the_timeline(example_site: Path) -> None:
    def neighbours(digest: str) -> list[tuple[str, str]]:
        html = (example_site / f"digests/{digest}/index.html").read_text()
        nav = html[html.index('<nav class="digest-nav"'):]
        return re.findall(r'<a class="(older|newer)" href="\.\./\.\./digests/([^/]+)/"', nav)
    assert neighbours("004-2024-12-19") == [("older", "000")]  # the newest: nothing newer
    assert neighbours("000") == [("older", "001"), ("newer", "004-2024-12-19")]
    assert neighbours("003") == [("newer", "002")]  # the last on the timeline


def test_korean_digest_titles_carry_their_language(example_site: Path) -> None:
    html = (example_site / "digests/004-2024-12-19/index.html").read_text()
    assert '<h1 lang="ko">2024년 12월 19일</h1>' in html
    assert "<h1>Papers by Ning Ding</h1>" in (example_site / "digests/001/index.html").read_text()


def test_a_paper_page_names_the_digests_that_listed_it(example_site: Path) -> None:
    html = (example_site / "papers/mix-ln-unleashing-the-power-of-deeper-layers-by-combining/index.html").read_text()
    assert '<a href="../../digests/004-2024-12-19/" lang="ko">2024년 12월 19일</a>' in html
    html = (example_site / "papers/ultrafeedback-boosting-language-models-with-high-quality/index.html").read_text()
    assert '<a href="../../digests/001/">Papers by Ning Ding</a>' in html
