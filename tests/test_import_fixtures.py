"""The importer tried as a new user would: realistic raw digests in the five shapes that are not
the samples (tests/fixtures/raw/, three per shape, each with its own quirks), one at a time and
all together, in any order, then built into a site."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT, TEMPLATES
from tests.helpers.raw_digests import fixture, fixture_names, loaded, parsed_file, sample, SAMPLE_NUMBERS
from tests.helpers.trees import snapshot
from litdigest.importer import formats
from litdigest.importer import identity as ids
from litdigest.build.pipeline import build_site
from litdigest.check.checks import check_all
from litdigest.importer.run import run_import
from litdigest.content.model import Paper

SHAPES = {
    "markers_urls": "arxiv-markers", "markers_versions_blank": "arxiv-markers", "markers_glued_mid": "arxiv-markers",
    "profile_scholar": "author-profile", "profile_crlf_refs": "author-profile", "profile_korean": "author-profile",
    "listing_two_categories": "category-listing", "listing_links": "category-listing",
    "listing_mess": "category-listing", "abstracts_titled": "abstract-lines",
    "abstracts_korean_labels": "abstract-lines", "abstracts_dupes": "abstract-lines",
    "daily_two_dates": "bilingual-daily", "daily_iso_dates": "bilingual-daily", "daily_undated_crlf": "bilingual-daily",
}
UNPLACED = {
    "markers_urls": [(8, "Source: my reading list, January")],
    "markers_versions_blank": [(11, "\u2014 3 papers, compiled from my Zotero export \u2014")],
    "profile_scholar": [(1, "Google Scholar"), (2, "Sort by citations"), (3, "Title  Cited by  Year"), (35, "Show more")],
    "profile_crlf_refs": [(1, "\U0001F4DA Publications"), (24, "* * *")],
    "profile_korean": [(1, "논문 목록")],
    "listing_mess": [(4, "Comments: 22 pages, ICLR 2021 camera-ready")],
    "abstracts_dupes": [(2, "---"), (8, "- end -")],
    "daily_iso_dates": [(6, "#\U0001F525")],
}
PAPERS = {"markers_urls": 4, "markers_versions_blank": 3, "markers_glued_mid": 3, "profile_scholar": 4,
          "profile_crlf_refs": 3, "profile_korean": 3, "listing_two_categories": 6, "listing_links": 3,
          "listing_mess": 3, "abstracts_titled": 3, "abstracts_korean_labels": 3, "abstracts_dupes": 4,
          "daily_two_dates": 3, "daily_iso_dates": 2, "daily_undated_crlf": 2}


def test_there_are_three_realistic_digests_per_shape() -> None:
    assert sorted(fixture_names()) == sorted(SHAPES)
    assert sorted(SHAPES.values()) == sorted(formats.FORMAT_NAMES * 3)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_is_detected_and_read_whole(tmp_path: Path, name: str) -> None:
    lines, found = parsed_file(fixture(name))
    assert found.format == SHAPES[name]
    assert formats.unaccounted(lines, found) == []
    report = run_import([fixture(name)], tmp_path / "content")
    (file_report,) = report.files
    assert (file_report.format, file_report.papers) == (SHAPES[name], PAPERS[name])
    assert list(file_report.unplaced) == UNPLACED.get(name, [])


def imported(tmp_path: Path, name: str) -> list[Paper]:
    """The papers of one realistic digest imported alone, in posting order."""
    content = tmp_path / "content"
    run_import([fixture(name)], content)
    pages = {p.id: p for p in loaded(content).papers}
    return [pages[i] for d in sorted(loaded(content).digests, key=lambda d: d.id) for i in d.papers]


# ---- arxiv-markers -------------------------------------------------------------------------------------


def test_markers_as_urls_with_versions_and_a_code_line(tmp_path: Path) -> None:
    dpo, llama2, lora, cot = imported(tmp_path, "markers_urls")
    assert [p.id for p in (dpo, llama2, lora, cot)] == ["arxiv:2305.18290", "arxiv:2307.09288",
                                                        "arxiv:2106.09685", "arxiv:2201.11903"]
    assert llama2.link("code") == "https://github.com/facebookresearch/llama"
    assert (lora.title, lora.title_derived) == ("Low-Rank Adaptation", True)
    assert lora.abstract.endswith("adding no inference latency.")  # the marker is not part of it


def test_markers_old_style_ids_blank_lines_and_a_project_page(tmp_path: Path) -> None:
    ads, ricci, vit = imported(tmp_path, "markers_versions_blank")
    assert [p.id for p in (ads, ricci, vit)] == ["arxiv:hep-th/9711200", "arxiv:math/0211159", "arxiv:2010.11929"]
    assert ads.link("arxiv") == "https://arxiv.org/abs/hep-th/9711200"
    assert ricci.link("project-page") == "https://www.example.org/ricci-flow"


def test_markers_glued_mid_line_a_citation_left_alone_and_a_doi(tmp_path: Path) -> None:
    flash, paged, mixtral = imported(tmp_path, "markers_glued_mid")
    assert [(p.id, p.title) for p in (flash, paged, mixtral)] == [
        ("arxiv:2205.14135", "FlashAttention"), ("arxiv:2309.06180", "PagedAttention"),
        ("arxiv:2401.04088", "Mixtral 8x7B")]
    assert "(see arXiv:2005.14165 for the model sizes we target)" in flash.abstract
    assert "IO-aware, accounting" in flash.abstract and "3$\\times$" in flash.abstract
    assert paged.link("doi") == "https://doi.org/10.48550/arxiv.2309.06180"
    assert "*near-zero*" in paged.abstract
    assert "the \u201cexperts\u201d" in mixtral.abstract and "e.g. on mathematics" in mixtral.abstract


# ---- author-profile ------------------------------------------------------------------------------------


def test_a_scholar_profile_with_a_venue_id_a_missing_venue_and_two_paragraphs(tmp_path: Path) -> None:
    flan, palm, emergent, collection = imported(tmp_path, "profile_scholar")
    (digest,) = loaded(tmp_path / "content").digests
    assert digest.title == "Hyung Won Chung"
    assert (flan.id, flan.venue) == ("arxiv:2210.11416", "arXiv preprint arXiv:2210.11416")
    assert palm.venue == "Journal of Machine Learning Research 24 (240), 1-113"
    assert (emergent.venue, emergent.title) == (None, "Emergent Abilities of Large Language Models")
    assert collection.abstract.count("\n\n") == 1
    assert collection.abstract.endswith("datasets, templates and methods.")


def test_a_profile_with_crlf_reference_blocks_and_a_doi_in_the_venue(tmp_path: Path) -> None:
    cosine, attention, mamba = imported(tmp_path, "profile_crlf_refs")
    assert cosine.title == "Is Cosine-Similarity of Embeddings Really About Similarity?"
    assert cosine.venue == "Companion Proceedings of the ACM Web Conference 2024"
    assert dict(cosine.links) == {"arxiv": "https://arxiv.org/abs/2403.05440",
                                  "doi": "https://doi.org/10.1145/3589335.3651526",
                                  "code": "https://github.com/example/cosine-similarity"}
    assert (attention.id, mamba.id) == ("arxiv:1706.03762", "arxiv:2312.00752")
    assert not attention.abstract.endswith("v7")


def test_a_korean_profile_with_a_korean_title_and_a_repeated_paper(tmp_path: Path) -> None:
    lora, korean = imported(tmp_path, "profile_korean")
    report = run_import([fixture("profile_korean")], tmp_path / "content")
    assert report.files[0].repeated == ((20, 6),)
    assert (lora.id, lora.title) == ("arxiv:2106.09685", "LoRA: Low-Rank Adaptation of Large Language Models")
    assert korean.title == "대규모 언어 모델을 위한 한국어 지시문 데이터셋 구축"
    assert korean.slug.startswith("daegyumo-eoneo-model") and ids.is_safe_name(korean.slug)
    assert korean.venue == "한국정보과학회 학술발표논문집, 2024"


# ---- category-listing -----------------------------------------------------------------------------------


def test_a_listing_with_two_categories(tmp_path: Path) -> None:
    papers = imported(tmp_path, "listing_two_categories")
    assert [p.tags for p in papers] == [("reinforcement-learning",)] * 2 + [("robotics",)] * 4
    content = loaded(tmp_path / "content")
    assert content.digests[0].title == "Reinforcement Learning"
    assert (content.tags["robotics"].en, content.tags["reinforcement-learning"].en) == ("Robotics",
                                                                                        "Reinforcement Learning")
    assert papers[-1].title == "Do As I Can, Not As I Say: Grounding Language in Robotic Affordances"


def test_a_listing_with_arxiv_numbers_url_lines_and_a_korean_category(tmp_path: Path) -> None:
    llama, mistral, dpo = imported(tmp_path, "listing_links")
    assert (llama.id, llama.title) == ("arxiv:2302.13971", "LLaMA: Open and Efficient Foundation Language Models")
    assert (mistral.id, mistral.link("code")) == ("arxiv:2310.06825", "https://github.com/mistralai/mistral-src")
    assert mistral.abstract.count("\n\n") == 1
    assert dpo.id == "arxiv:2305.18290" and dpo.abstract.startswith("Aligning a large unsupervised")
    assert {p.tags for p in (llama, mistral, dpo)} == {("대규모-언어-모델",)}
    assert loaded(tmp_path / "content").tags["대규모-언어-모델"].ko == "대규모 언어 모델"


def test_a_listing_with_cr_line_ends_odd_spaces_a_remark_and_a_very_long_title(tmp_path: Path) -> None:
    vit, clip, ldm = imported(tmp_path, "listing_mess")
    assert loaded(tmp_path / "content").digests[0].title == "Computer Vision"
    assert vit.title == "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale"
    assert "16x16 image patches" in vit.abstract and "  " not in vit.abstract
    assert ldm.title.startswith("\U0001F680 High-Resolution Image Synthesis") and len(ldm.title) > 200
    assert ldm.slug == "high-resolution-image-synthesis-with-latent-diffusion-models"
    assert clip.tags == ("computer-vision",)


# ---- abstract-lines --------------------------------------------------------------------------------------


def test_abstract_lines_with_titles_labels_and_reference_lines(tmp_path: Path) -> None:
    tot, rag, react = imported(tmp_path, "abstracts_titled")
    assert (tot.id, tot.title_derived) == ("arxiv:2305.10601", False)
    assert (rag.title_derived, rag.link("code")) == (True, "https://github.com/huggingface/transformers")
    assert (react.id, react.title) == ("arxiv:2210.03629", "ReAct: Synergizing Reasoning and Acting in Language Models")
    assert react.abstract.startswith("Large language models have shown")


def test_abstract_lines_with_a_heading_a_korean_label_and_a_period(tmp_path: Path) -> None:
    cai, korean, instruct = imported(tmp_path, "abstracts_korean_labels")
    assert cai.abstract.startswith("As AI systems grow more capable")
    assert korean.abstract.startswith("본 논문은") and korean.title_derived
    assert instruct.title == "Training language models to follow instructions with human feedback"


def test_abstract_lines_with_a_repeated_paper_and_separators(tmp_path: Path) -> None:
    llama, gpt4, bitnet = imported(tmp_path, "abstracts_dupes")
    report = run_import([fixture("abstracts_dupes")], tmp_path / "content")
    assert report.files[0].repeated == ((5, 3),)
    assert (gpt4.id, bitnet.title) == ("arxiv:2303.08774", "BitNet")
    assert llama.title_derived


# ---- bilingual-daily ----------------------------------------------------------------------------------------


def test_a_daily_digest_with_two_dates_korean_tags_and_uneven_commentary(tmp_path: Path) -> None:
    tot, rag, r1 = imported(tmp_path, "daily_two_dates")
    digests = sorted(loaded(tmp_path / "content").digests, key=lambda d: d.id)
    assert [(d.id, d.title, d.date) for d in digests] == [
        ("daily-two-dates-2025-01-06", "2025년 1월 6일 (월)", dt.date(2025, 1, 6)),
        ("daily-two-dates-2025-01-07", "2025년 1월 7일 화요일", dt.date(2025, 1, 7))]
    assert (tot.id, len(tot.authors), tot.tags) == ("arxiv:2305.10601", 7, ("reasoning", "프롬프팅"))
    assert rag.languages == ("ko",) and rag.tags == ("retrieval", "in-context-learning")
    assert "Heinrich Küttler" in rag.authors
    assert [len(c.text.split("\n\n")) for c in r1.commentary] == [2, 1]
    assert (r1.authors, r1.link("code")) == (("DeepSeek-AI",), "https://github.com/deepseek-ai/DeepSeek-R1")


def test_a_daily_digest_with_markdown_dates_an_id_in_the_title_and_markup(tmp_path: Path) -> None:
    kan, galore = imported(tmp_path, "daily_iso_dates")
    assert sorted(d.title for d in loaded(tmp_path / "content").digests) == ["2025-02-03", "2025-02-04"]
    assert (kan.id, kan.title, kan.authors, kan.tags) == ("arxiv:2404.19756", "Kolmogorov-Arnold Networks", (),
                                                          ("interpretability",))
    assert '<script>alert("x")</script>' in kan.commentary[1].text
    assert "\U0001F525" in kan.commentary[0].text
    assert [len(c.text.split("\n\n")) for c in galore.commentary] == [2, 1]


def test_an_undated_daily_digest_with_crlf_a_bom_a_doi_and_et_al(tmp_path: Path) -> None:
    alphafold, dpo = imported(tmp_path, "daily_undated_crlf")
    (digest, ) = loaded(tmp_path / "content").digests
    assert (digest.id, digest.date) == ("daily-undated-crlf", None)
    assert alphafold.id == "doi:10.1038/s41586-021-03819-2"
    assert alphafold.authors == ("John Jumper", "Richard Evans", "Alexander Pritzel", "Tim Green", "Michael Figurnov")
    assert [len(c.text.split("\n\n")) for c in dpo.commentary] == [1, 2]


# ---- all of them together ---------------------------------------------------------------------------------

ALL = [*(sample(n) for n in SAMPLE_NUMBERS), *(fixture(n) for n in fixture_names())]


def partition(content: Path) -> set[frozenset[str]]:
    """Which digests share a page: the dedup result, whatever ids the pages got."""
    return {frozenset(p.digests) for p in loaded(content).papers}


def test_all_together_one_page_per_paper(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = run_import(ALL, content)
    papers = loaded(content).papers
    assert len(papers) == 44 + 40
    shared = sorted(sorted(p.digests) for p in papers if len(p.digests) > 1)
    assert shared == [
        ["abstracts-dupes", "listing-links"],                                   # LLaMA, by its abstract
        ["abstracts-titled", "daily-two-dates-2025-01-06"],                     # RAG, by its abstract
        ["abstracts-titled", "daily-two-dates-2025-01-06"],                     # Tree of Thoughts, by arXiv id
        ["daily-undated-crlf", "listing-links", "markers-urls"],                # DPO, by abstract and arXiv id
        ["listing-mess", "markers-versions-blank"],                             # ViT, by its abstract
        ["markers-urls", "profile-korean"],                                     # LoRA, by arXiv id
    ]
    dpo = next(p for p in papers if len(p.digests) == 3)
    assert (dpo.title, dpo.title_derived) == ("Direct Preference Optimization: Your Language Model is Secretly "
                                              "a Reward Model", False)
    assert dpo.link("arxiv") == "https://arxiv.org/abs/2305.18290" and dpo.languages == ("ko", "en")
    assert len(dpo.authors) == 6 and dpo.tags == ("alignment", "rlhf", "대규모-언어-모델")
    assert sum(f.papers for f in report.files) == 44 + 49
    before = snapshot(content)
    again = run_import(ALL, content)
    assert again.written == () and snapshot(content) == before
    assert sum(f.unchanged for f in again.files) == 44 + 47


def test_the_order_of_imports_does_not_change_which_listings_share_a_page(tmp_path: Path) -> None:
    forward, backward = tmp_path / "forward", tmp_path / "backward"
    for path in ALL:
        run_import([path], forward)
    for path in reversed(ALL):
        run_import([path], backward)
    assert partition(forward) == partition(backward) == partition_all_at_once(tmp_path)


def partition_all_at_once(tmp_path: Path) -> set[frozenset[str]]:
    run_import(ALL, tmp_path / "at-once")
    return partition(tmp_path / "at-once")


def test_a_new_user_imports_builds_and_checks(tmp_path: Path) -> None:
    content, site = tmp_path / "content", tmp_path / "site"
    command = [sys.executable, str(ROOT / "build.py"), "import", *map(str, ALL), "--content", str(content)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for path in ALL:
        assert f"{path}: " in result.stdout
    assert "93 papers from 20 files: 84 new, 7 merged, 0 unchanged; 14 lines not placed;" in result.stdout
    build_site(content, TEMPLATES, site)
    assert check_all(content, site).startswith("ok: 84 papers")
