"""A digest is kept as it was posted, over weeks of posting: each digest page shows its own
papers and the commentary of that day, a paper page shows every digest's commentary under its
date, a paper's own date is never a digest's, feed entries keep the day they first appeared,
removals stick, and importing the same files again changes nothing.

The history, as an author would post it (the papers and their commentary are the sample
bilingual digest's, content/raw/004_…, re-posted over three weeks):

* week 1 (2025-03-04): SFT, NOVA, E-CAR;
* the author edits SFT's Korean commentary by hand, and removes E-CAR (`litdigest remove`);
* week 2 (2025-03-11): SFT again, with new commentary, and Mix-LN;
* week 3 (2025-03-18): NOVA again, E-CAR again (removed: not re-added), and the o1 roadmap;
* `litdigest restore` brings E-CAR back, in week 1's digest, where it was; the next import
  lists it in week 3's too, as if it had never been removed.
"""

from __future__ import annotations

import re
from pathlib import Path

import feedparser

from litdigest.content.folder import load_content
from litdigest.importer.run import run_import
from tests.helpers.commands import litdigest_ok
from tests.helpers.paths import RAW
from tests.helpers.trees import snapshot

SAMPLE = RAW / "004_3611374432c9d306.txt"
SFT, NOVA, ECAR = "unveiling-the-secret-recipe-a-guide-for-supervised-fine", \
    "autoregressive-video-generation-without-vector-quantization", \
    "e-car-efficient-continuous-autoregressive-image-generation"
MIXLN, O1 = "mix-ln-unleashing-the-power-of-deeper-layers-by-combining", \
    "scaling-of-search-and-learning-a-roadmap-to-reproduce-o1"
WEEKS = ("2025-03-04", "2025-03-11", "2025-03-18")
DIGESTS = tuple(f"{number:03d}-{day}" for number, day in enumerate(WEEKS, start=5))  # 005.txt…
EDITED = "SFT 경험담 (손으로 고친 코멘트)."
SECOND = {SFT: ("두 번째로 읽은 SFT 코멘트.", "SFT, read a second time."),
          NOVA: ("NOVA를 다시 보니 프레임 단위 예측이 핵심.", "NOVA again: frame-level prediction is the key.")}


def sample_papers() -> dict[str, list[str]]:
    """The sample digest's papers, each its six lines (title, authors, abstract, Korean and
    English commentary, tags), by the slug its page gets."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[1:]
    blocks = [lines[i:i + 6] for i in range(0, len(lines), 6)]
    slugs = (SFT, NOVA, ECAR, MIXLN, O1)
    return dict(zip(slugs, blocks))


def week(raw: Path, number: int, slugs: list[str], papers: dict[str, list[str]]) -> Path:
    """The raw file of week `number`: its date, then each paper; a paper seen before comes with
    new commentary."""
    lines = [WEEKS[number - 1]]
    for slug in slugs:
        title, authors, abstract, ko, en, tags = papers[slug]
        if number > 1 and slug in SECOND:
            ko, en = SECOND[slug]
        lines += [title, authors, abstract, ko, en, tags]
    path = raw / f"{number + 4:03d}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def page_of(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def papers_shown(html: str) -> list[str]:
    return re.findall(r'<article class="paper[^"]*" id="([^"]+)"', html)


def build(tmp_path: Path, content: Path) -> Path:
    site = tmp_path / "site"
    litdigest_ok("build", "--content", str(content), "--output", str(site))
    return site


def feed_dates(site: Path) -> dict[str, str]:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    return {entry.link.rstrip("/").rsplit("/", 1)[-1]: entry.updated for entry in feed.entries}


def test_three_weeks_of_digests_each_shown_as_posted(tmp_path: Path) -> None:
    content, raw = tmp_path / "content", tmp_path / "raw"
    raw.mkdir()
    papers = sample_papers()
    files = [week(raw, 1, [SFT, NOVA, ECAR], papers)]
    run_import(files, content)
    site = build(tmp_path, content)
    first_feed = feed_dates(site)
    assert set(first_feed) == {SFT, NOVA, ECAR}

    sft = content / "papers" / f"{SFT}.md"
    sft.write_text(sft.read_text(encoding="utf-8").replace(papers[SFT][3], EDITED), encoding="utf-8")
    litdigest_ok("remove", ECAR, "--content", str(content))

    files.append(week(raw, 2, [SFT, MIXLN], papers))
    run_import(files[1:], content)
    files.append(week(raw, 3, [NOVA, ECAR, O1], papers))
    third = run_import(files[2:], content)
    assert third.files[0].removed == ((8, ECAR),)  # its title, after the date and NOVA: not re-added
    assert not (content / "papers" / f"{ECAR}.md").exists()

    site = build(tmp_path, content)
    week1, week2, week3 = (page_of(site, f"digests/{d}") for d in DIGESTS)
    assert papers_shown(week1) == [SFT, NOVA]
    assert papers_shown(week2) == [SFT, MIXLN]
    assert papers_shown(week3) == [NOVA, O1]
    # each digest page, the commentary of that day only; the author's edit kept
    assert EDITED in week1 and SECOND[SFT][0] not in week1 and SECOND[NOVA][1] not in week1
    assert SECOND[SFT][0] in week2 and SECOND[SFT][1] in week2 and EDITED not in week2
    assert SECOND[NOVA][0] in week3 and papers[NOVA][4] not in week3
    # a paper page, every digest's commentary under its digest, the newest first
    sft_page = page_of(site, f"papers/{SFT}")
    assert sft_page.index(SECOND[SFT][0]) < sft_page.index(EDITED)
    assert sft_page.index(f'href="../../digests/{DIGESTS[1]}/"') < sft_page.index(SECOND[SFT][0])
    # a paper's date is its own (none here), never the day a digest listed it
    assert "Published" not in sft_page and f"date: {WEEKS[0]}" not in sft.read_text(encoding="utf-8")
    # feed entries keep the day they first appeared
    later_feed = feed_dates(site)
    assert {slug: later_feed[slug] for slug in (SFT, NOVA)} == {
        slug: first_feed[slug] for slug in (SFT, NOVA)}
    assert later_feed[MIXLN].startswith(WEEKS[1]) and later_feed[O1].startswith(WEEKS[2])

    before = snapshot(content)
    assert run_import(files, content).written == ()  # the whole history again: a no-op
    assert snapshot(content) == before

    litdigest_ok("restore", ECAR, "--content", str(content))
    site = build(tmp_path, content)
    assert papers_shown(page_of(site, f"digests/{DIGESTS[0]}")) == [SFT, NOVA, ECAR]
    assert papers_shown(page_of(site, f"digests/{DIGESTS[2]}")) == [NOVA, O1]
    # restored, it is as if never removed: the next import adds it to week 3 (at the end)
    run_import(files, content)
    assert papers_shown(page_of(build(tmp_path, content), f"digests/{DIGESTS[2]}")) == [NOVA, O1, ECAR]
    assert run_import(files, content).written == ()


def test_the_oldest_commentary_leads_where_the_site_says_so(tmp_path: Path) -> None:
    content, raw = tmp_path / "content", tmp_path / "raw"
    raw.mkdir()
    papers = sample_papers()
    run_import([week(raw, 1, [SFT], papers), week(raw, 2, [SFT], papers)], content)
    (content / "site.yaml").write_text("commentary_order: oldest\n", encoding="utf-8")
    sft_page = page_of(build(tmp_path, content), f"papers/{SFT}")
    assert sft_page.index(papers[SFT][3]) < sft_page.index(SECOND[SFT][0])


def test_each_commentary_block_names_its_digest_in_the_content_format(tmp_path: Path) -> None:
    content, raw = tmp_path / "content", tmp_path / "raw"
    raw.mkdir()
    papers = sample_papers()
    run_import([week(raw, 1, [SFT], papers), week(raw, 2, [SFT], papers)], content)
    text = (content / "papers" / f"{SFT}.md").read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith(":::") and line != ":::"] == [
        f"::: commentary ko {DIGESTS[0]}", f"::: commentary en {DIGESTS[0]}",
        f"::: commentary ko {DIGESTS[1]}", f"::: commentary en {DIGESTS[1]}"]
    (paper,) = load_content(content).papers
    assert [(c.lang, c.digest) for c in paper.commentary] == [
        ("ko", DIGESTS[0]), ("en", DIGESTS[0]), ("ko", DIGESTS[1]), ("en", DIGESTS[1])]
