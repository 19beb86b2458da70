"""Format detection and parsing of the five shapes: each real sample gives exactly its papers, and
the general rules of each shape (URL markers, titles above abstracts, several dates) hold."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from tests.helpers.raw_digests import raw_file, sample
from litdigest.importer import clean
from litdigest.importer import formats
from litdigest.importer.digest_titles import digest_title, file_title, person_name, person_title
from litdigest.content.folder import load_content
from litdigest.importer.run import run_import
from litdigest.content.model import Content, Paper


def parsed(number: str, text: str | None = None) -> formats.ParsedFile:
    lines = clean.split_lines(text if text is not None else sample(number).read_text("utf-8"))
    fmt = formats.detect_format(lines)
    assert fmt is not None
    return formats.parse(lines, fmt)


def imported(raw_dir: Path, content_dir: Path, number: str) -> tuple[Content, list[Paper]]:
    """Import one sample; its papers in posting order."""
    run_import([raw_file(raw_dir, number)], content_dir)
    content = load_content(content_dir)
    by_id = {p.id: p for p in content.papers}
    (digest, *_) = content.digests
    return content, [by_id[i] for i in digest.papers]


# ---- detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize("number, name", [
    ("000", "arxiv-markers"), ("001", "author-profile"), ("002", "category-listing"),
    ("003", "abstract-lines"), ("004", "bilingual-daily"),
])
def test_each_sample_is_detected(number: str, name: str) -> None:
    assert formats.detect_format(clean.split_lines(sample(number).read_text("utf-8"))) == name


def test_format_names_are_listed_in_the_order_they_were_added() -> None:
    assert formats.FORMAT_NAMES[:5] == ("arxiv-markers", "author-profile", "category-listing",
                                        "abstract-lines", "bilingual-daily")  # the five samples'
    assert formats.FORMAT_NAMES[5:8] == ("arxiv-abstract-page", "arxiv-listing", "labelled-fields")
    assert formats.FORMAT_NAMES[8:] == ("markdown-notes", "markdown-list", "markdown-table",
                                       "bibtex", "ris", "csl-json")


def test_prose_in_no_known_shape_is_not_detected() -> None:
    lines = clean.split_lines("Just a note to myself.\nBuy milk.\n")
    assert formats.detect_format(lines) is None


@pytest.mark.parametrize("number, papers", [("000", 10), ("001", 10), ("002", 10), ("003", 7), ("004", 7)])
def test_each_sample_gives_its_number_of_papers(number: str, papers: int) -> None:
    assert len(parsed(number).papers) == papers


# ---- 000 arxiv-markers ----------------------------------------------------------------------------

IDS_000 = ["2410.14940", "2410.13333", "2410.12952", "2410.09412", "2410.09008", "2410.07171",
           "2409.19890", "2409.17527", "2409.12887", "2409.03365"]
TITLES_000 = [
    "Baichuan Alignment", "Malleus", "BUTTON", "FB-Bench", "SuperCorrect", "IterComp", "UniMed",
    "Large language models (LLMs) have demonstrated exceptional performance across\u2026",
    "GCSE",
    "Recent foundation models are capable of handling multiple machine learning\u2026",
]


def test_arxiv_markers_pages(raw_dir: Path, content_dir: Path) -> None:
    _, papers = imported(raw_dir, content_dir, "000")
    assert [p.id for p in papers] == [f"arxiv:{n}" for n in IDS_000]
    assert [p.title for p in papers] == TITLES_000
    assert all(p.title_derived for p in papers)
    assert [p.link("arxiv") for p in papers] == [f"https://arxiv.org/abs/{n}" for n in IDS_000]
    assert papers[0].abstract.startswith("We introduce Baichuan Alignment, a detailed analysis")
    assert papers[1].abstract.startswith("As the scale of models and training data continues")
    # dated by their arXiv numbers' months (2410.14940: 2024-10), their sources giving no date
    assert [p.date for p in papers] == [f"20{n[:2]}-{n[2:4]}" for n in IDS_000]
    assert all(p.authors == () and p.tags == () for p in papers)


def test_arxiv_markers_links_before_a_marker_belong_to_that_paper(raw_dir: Path, content_dir: Path) -> None:
    _, papers = imported(raw_dir, content_dir, "000")
    super_correct, iter_comp = papers[4], papers[5]
    assert dict(super_correct.links) == {
        "arxiv": "https://arxiv.org/abs/2410.09008",
        "code": "https://github.com/YangLing0818/SuperCorrect-llm",
        "project": "https://github.com/YangLing0818/SuperCorrect-llm",
    }
    assert iter_comp.link("project") == "https://github.com/YangLing0818/IterComp"
    assert "Project:" not in super_correct.abstract
    assert [len(p.links) for p in papers].count(1) == 8


def test_arxiv_markers_as_urls_with_versions() -> None:
    text = ("First abstract. We propose Foo, a method.\nhttps://arxiv.org/abs/2401.00001v2Second one is here."
            "\nCode: https://example.org/x\narXiv:2401.00002v3\n")
    found = parsed("000", text)
    assert [(p.arxiv, p.line) for p in found.papers] == [("2401.00001", 1), ("2401.00002", 2)]
    assert found.papers[1].links == (("code", "https://example.org/x"),)
    assert found.unplaced == ()


def test_arxiv_markers_text_after_the_last_marker_is_unplaced() -> None:
    found = parsed("000", "An abstract here.\narXiv:2401.00001\nA stray footer")
    assert found.unplaced == ((3, "A stray footer"),)


# ---- 001 author-profile ------------------------------------------------------------------------------

TITLES_001 = [
    "Advancing LLM Reasoning Generalists with Preference Trees",
    "Mastering Text, Code and Math Simultaneously via Fusing Highly Specialized Language Models",
    "Controllable Preference Optimization: Toward Controllable Multi-Objective Alignment",
    "UltraLink: An Open-Source Knowledge-Enhanced Multilingual Supervised Fine-tuning Dataset",
    "INTERVENOR: Prompt the Coding Ability of Large Language Models with the Interactive Chain of Repairing",
    "Exploring the Impact of Model Scaling on Parameter-Efficient Tuning",
    "Predicting Emergent Abilities with Infinite Resolution Evaluation",
    "Sparse Low-rank Adaptation of Pre-trained Language Models",
    "CRaSh: Clustering, Removing, and Sharing Enhance Fine-tuning without Full Large Language Model",
    "UltraFeedback: Boosting Language Models with High-quality Feedback",
]


def test_author_profile_parse() -> None:
    found = parsed("001")
    assert found.unplaced == ((1, "Plotting"),)
    (digest,) = found.digests
    assert (digest.title, digest.person) == ("", "Ding, Ning")
    assert [p.title for p in found.papers] == TITLES_001
    assert [p.line for p in found.papers] == list(range(6, 70, 7))
    assert {p.venue for p in found.papers} == {"arXiv.org Artificial Intelligence"}


def test_author_profile_pages(raw_dir: Path, content_dir: Path) -> None:
    content, papers = imported(raw_dir, content_dir, "001")
    assert [p.title for p in papers] == TITLES_001
    assert not any(p.title_derived for p in papers)
    assert all(p.id.startswith("title:") and len(p.id) == len("title:") + 12 for p in papers)
    assert len({p.id for p in papers}) == 10
    assert {p.venue for p in papers} == {"arXiv.org Artificial Intelligence"}
    assert (content.digests[0].title, content.digests[0].title_derived) == ("Papers by Ning Ding", True)
    assert papers[0].abstract.startswith("We introduce Eurus, a suite of large language models")


# ---- 002 category-listing ----------------------------------------------------------------------------

TITLES_002 = [
    "BoNBoN Alignment for Large Language Models and the Sweetness of Best-of-n Sampling",
    "SocialGPT: Prompting LLMs for Social Relation Reasoning via Greedy Segment Optimization",
    "AlchemistCoder: Harmonizing and Eliciting Code Capability by Hindsight Tuning on Multi-source Data",
    "JiuZhang3.0: Efficiently Improving Mathematical Reasoning by Training Small Data Synthesis Models",
    "D-LLM: A Token Adaptive Computing Resource Allocation Strategy for Large Language Models",
    "Efficient Adversarial Training in LLMs with Continuous Attacks",
    "HelpSteer 2: Open-source dataset for training top-performing reward models",
    "SciInstruct: a Self-Reflective Instruction Annotated Dataset for Training Scientific Language Models",
    "KVQuant: Towards 10 Million Context Length LLM Inference with KV Cache Quantization",
    "Open LLMs are Necessary for Current Private Adaptations and Outperform their Closed Alternatives",
]


def test_category_listing_pages(raw_dir: Path, content_dir: Path) -> None:
    content, papers = imported(raw_dir, content_dir, "002")
    assert [p.title for p in papers] == TITLES_002
    assert {p.tags for p in papers} == {("large-language-model",)}
    assert (content.digests[0].title, content.digests[0].title_derived) == ("Category: Large Language Model", True)
    tag = content.tags["large-language-model"]
    assert (tag.en, tag.ko) == ("Large Language Model", "")
    assert papers[0].abstract.startswith("This paper concerns the problem of aligning samples")
    assert "*best-of-$n$*" in papers[0].abstract


def test_category_listing_without_header_has_no_tag() -> None:
    found = parsed("002", "\n".join(sample("002").read_text("utf-8").splitlines()[1:]))
    assert len(found.papers) == 10
    assert found.papers[0].tags == ()
    assert found.digests[0].title == ""


# ---- 003 abstract-lines ------------------------------------------------------------------------------

TITLES_003 = [
    "Adaptive Message-wise RLHF", "DDK", "C4", "D-CPT Law", "PICASSO",
    "Mixture-of-Experts (MoE) models can achieve promising results with outrageous\u2026",
    "VICTOR",
]


def test_abstract_lines_pages(raw_dir: Path, content_dir: Path) -> None:
    _, papers = imported(raw_dir, content_dir, "003")
    assert [p.title for p in papers] == TITLES_003
    assert all(p.title_derived for p in papers)
    assert all(p.id.startswith("abstract:") for p in papers)
    assert papers[0].abstract.startswith("Reinforcement Learning from Human Feedback (RLHF)")
    assert not any(p.abstract.startswith("Abstract:") for p in papers)


def test_abstract_lines_with_a_title_above() -> None:
    found = parsed("003", "A Real Title\nAbstract: Some text about things. More text here.\n"
                          "Abstract: Another paper.\n")
    assert [(p.title, p.line) for p in found.papers] == [("A Real Title", 1), ("", 3)]


# ---- 004 bilingual-daily -----------------------------------------------------------------------------

TITLES_004 = [
    "Unveiling the Secret Recipe: A Guide For Supervised Fine-Tuning Small LLMs",
    "Autoregressive Video Generation without Vector Quantization",
    "E-CAR: Efficient Continuous Autoregressive Image Generation via Multistage Modeling",
    "Mix-LN: Unleashing the Power of Deeper Layers by Combining Pre-LN and Post-LN",
    "Scaling of Search and Learning: A Roadmap to Reproduce o1 from Reinforcement Learning Perspective",
    "MetaMorph: Multimodal Understanding and Generation via Instruction Tuning",
    "Alignment faking in large language models",
]
TAGS_004 = [
    ("alignment",), ("video-generation", "diffusion", "autoregressive-model"),
    ("autoregressive-model", "diffusion"), ("transformer",), ("reasoning", "review"),
    ("autoregressive-model", "text-to-image", "vision-language"), ("alignment", "safety"),
]


def test_bilingual_daily_pages(raw_dir: Path, content_dir: Path) -> None:
    content, papers = imported(raw_dir, content_dir, "004")
    (digest,) = content.digests
    assert (digest.id, digest.title, digest.date) == ("004-2024-12-19", "2024년 12월 19일", dt.date(2024, 12, 19))
    assert [p.title for p in papers] == TITLES_004
    assert [p.tags for p in papers] == TAGS_004
    assert {p.date for p in papers} == {None}  # the date line is the digest's, not the papers'
    assert [len(p.authors) for p in papers] == [13, 9, 10, 3, 9, 10, 20]
    assert papers[3].authors == ("Pengxiang Li", "Lu Yin", "Shiwei Liu")
    assert "Sören Mindermann" in papers[6].authors
    assert papers[0].abstract.startswith("The rise of large language models (LLMs)")


def test_bilingual_daily_pairs_korean_and_english_paragraphs(raw_dir: Path, content_dir: Path) -> None:
    _, papers = imported(raw_dir, content_dir, "004")
    for paper in papers:
        assert paper.languages == ("ko", "en")
    faking = {c.lang: c.text.split("\n\n") for c in papers[6].commentary}
    assert [len(faking["ko"]), len(faking["en"])] == [2, 2]
    assert faking["ko"][0].startswith("참 Anthropic스러운 연구네요.")
    assert faking["ko"][1].startswith("복잡한 형태의 Distribution Shift")
    assert faking["en"][0].startswith("This is a very Anthropic-style study.")
    assert faking["en"][1].startswith("While this could be considered")
    mix = {c.lang: c.text for c in papers[3].commentary}
    assert mix["ko"].startswith("Layer Norm 잔혹사.")  # Korean despite its English words
    assert mix["en"].startswith("The cruel history of Layer Normalization continues.")


def test_bilingual_daily_several_dates_and_one_language() -> None:
    text = "\n".join([
        "2024년 12월 19일",
        "Paper One", "(A. Author, B. Author)", "Abstract one is here. It has two sentences.",
        "한국어 코멘트입니다.", "English comment.", "#deep-learning #강화학습",
        "2024년 12월 20일",
        "Paper Two", "(C. Author)", "Abstract two.", "한국어로만 쓴 코멘트.", "#rl",
    ])
    found = parsed("004", text)
    assert [(d.date, d.title, len(d.papers)) for d in found.digests] == [
        (dt.date(2024, 12, 19), "2024년 12월 19일", 1), (dt.date(2024, 12, 20), "2024년 12월 20일", 1)]
    one, two = found.papers
    assert one.tags == ("deep-learning", "강화학습")
    assert one.commentary == (("ko", ("한국어 코멘트입니다.",)), ("en", ("English comment.",)))
    assert two.commentary == (("ko", ("한국어로만 쓴 코멘트.",)),)
    assert two.authors == ("C. Author",)
    assert found.unplaced == ()


def test_bilingual_daily_korean_tags_stay_korean(tmp_path: Path) -> None:
    raw = tmp_path / "notes.txt"
    raw.write_text("2025년 1월 2일\nA Title\n(Ann Lee)\nAn abstract. Of two sentences.\n코멘트.\n#강화학습 #RL\n",
                   encoding="utf-8")
    run_import([raw], tmp_path / "content")
    content = load_content(tmp_path / "content")
    (paper,) = content.papers
    assert paper.tags == ("강화학습", "rl")
    assert (content.tags["강화학습"].ko, content.tags["강화학습"].en) == ("강화학습", "강화학습")
    assert (content.tags["rl"].ko, content.tags["rl"].en) == ("", "RL")
    assert content.digests[0].id == "notes-2025-01-02"


# ---- forcing a format -------------------------------------------------------------------------------


def test_a_forced_format(raw_dir: Path, content_dir: Path) -> None:
    report = run_import([raw_file(raw_dir, "003")], content_dir, fmt="abstract-lines")
    assert report.files[0].papers == 7


def test_forced_format_reads_a_file_detection_would_not() -> None:
    lines = clean.split_lines("Abstract: one paper.\nMore notes\n\nAnd more\nAbstract: another.\nA note")
    assert formats.detect_format(lines) is None
    found = formats.parse(lines, "abstract-lines")
    assert [(p.line, p.title, p.abstract) for p in found.papers] == [
        (1, "", "one paper."), (4, "And more", "another.")]
    assert found.unplaced == ((2, "More notes"), (6, "A note"))


def test_the_report_asks_for_a_title_a_digest_lacks_until_it_has_one(raw_dir: Path, content_dir: Path) -> None:
    """An arXiv-markers file gives its digest no title: the site calls it by the months of its
    papers (their arXiv numbers) until the author writes one, and the report asks for it."""
    report = run_import([raw_file(raw_dir, "000")], content_dir)
    assert report.files[0].untitled == (("000", "Papers from September to October 2024"),)
    assert ("  digests/000.md has no title of its own: give it one (`title: \"…\"`, and delete "
            "`title_derived: true`); until then the site calls it \"Papers from September to "
            "October 2024\"") in report.text()
    digest = content_dir / "digests" / "000.md"
    text = digest.read_text("utf-8")
    assert 'title: "Papers from September to October 2024"\ntitle_derived: true\n' in text
    digest.write_text(text.replace("Papers from September to October 2024\"\ntitle_derived: true",
                                   "October picks\""), "utf-8")
    again = run_import([raw_file(raw_dir, "000")], content_dir)
    assert again.files[0].untitled == () and "has no title" not in again.text()
    assert load_content(content_dir).digests[0] == replace(
        load_content(content_dir).digests[0], title="October picks", title_derived=False)


@pytest.mark.parametrize(("number", "title"), [
    ("000", "Papers from September to October 2024"),  # arXiv markers: its papers' months
    ("001", "Papers by Ning Ding"),                     # an author's profile: whose it is
    ("002", "Category: Large Language Model"),          # a category listing: its category
    ("003", "Digest 003"),                              # bare abstracts: the file's name
    ("004", "2024년 12월 19일"),                         # a dated heading: the file's own
])
def test_each_sample_digest_gets_a_readable_title(number: str, title: str) -> None:
    assert digest_title(sample(number), parsed(number).digests[0]) == (title, number != "004")


@pytest.mark.parametrize(("name", "title"), [
    ("reading-list_3e530ec069d8d74f.txt", "Reading list"),
    ("week_12.md", "Week 12"),
    ("2025 03 picks.txt", "2025 03 picks"),
    ("17.txt", "Digest 17"),
])
def test_a_file_name_without_its_hash_titles_a_digest_that_has_nothing_else(name: str, title: str) -> None:
    assert file_title(name) == title


def test_a_profile_is_titled_by_whose_it_is_in_its_language() -> None:
    assert [person_name(n) for n in ("Ding, Ning", "Yoshua Bengio", "김, 철수")] == [
        "Ning Ding", "Yoshua Bengio", "철수 김"]
    assert [person_title(n) for n in ("Ding, Ning", "홍길동 (Gildong Hong)",
                                      "Jane Q. Researcher — selected papers")] == [
        ("Papers by Ning Ding", True), ("홍길동 (Gildong Hong)의 논문", True),
        ("Jane Q. Researcher — selected papers", False)]  # a title already: the file's own


def test_a_file_named_by_its_date_makes_the_digest_of_that_name_and_an_older_id_stays(
        raw_dir: Path, tmp_path: Path) -> None:
    """`2024-12-19.txt` holding the digest of 2024-12-19 makes `digests/2024-12-19.md`; a site
    whose import made it `2024-12-19-2024-12-19` before keeps that id (and its URL)."""
    raw = tmp_path / "2024-12-19.txt"
    raw.write_bytes(raw_file(raw_dir, "004").read_bytes())
    fresh = tmp_path / "fresh"
    run_import([raw], fresh)
    assert [d.id for d in load_content(fresh).digests] == ["2024-12-19"]

    older = tmp_path / "older"
    (older / "digests").mkdir(parents=True)
    (older / "digests" / "2024-12-19-2024-12-19.md").write_text(
        '---\nid: 2024-12-19-2024-12-19\ntitle: "Thursday"\ndate: 2024-12-19\n'
        'source: "2024-12-19.txt"\npapers:\n---\n', encoding="utf-8")
    run_import([raw], older)
    (digest,) = load_content(older).digests
    assert (digest.id, digest.title, len(digest.papers)) == ("2024-12-19-2024-12-19", "Thursday", 7)
