"""The Markdown shapes — `markdown-notes`, `markdown-list`, `markdown-table` — on real text from the
corpus (tests/fixtures/real/, sources in its SOURCES.md) and on the failure patterns of issue #13
they meet: `*Title* (Author, …)` split into title and authors, `> ` quotes stripped, custom
language wrappers not shown, a `# Links` section of wikilinks never a paper, a PDF URL never a
title, link-first files, date headings as digests' dates, tables read by their header names; and
the corpus' Markdown mutated (hypothesis) is refused or imported with every line accounted for,
valid pages and a second import that writes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litdigest.check.content import check_content
from litdigest.content.folder import load_content
from litdigest.errors import LitdigestError
from litdigest.importer import clean, formats
from litdigest.importer.formats import markdown_list, markdown_notes, markdown_table
from litdigest.importer.run import run_import
from tests.helpers.fidelity import CORPUS
from tests.test_import_property import Mutation, mutate, mutations, workspace

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "content" / "raw").iterdir())


def read(text: str) -> formats.ParsedFile:
    """A text parsed in the shape detected for it; every line placed or reported."""
    lines = clean.split_lines(text)
    name = formats.detect_format(lines)
    assert name is not None, "refused"
    found = formats.parse(lines, name)
    assert formats.unaccounted(lines, found) == []
    return found


def read_file(name: str) -> formats.ParsedFile:
    return read((CORPUS / name).read_text(encoding="utf-8"))


def by_title(found: formats.ParsedFile) -> dict[str, formats.ParsedPaper]:
    return {paper.title: paper for paper in found.papers}


# ---- the samples stay theirs -------------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name[:3] for p in SAMPLES])
def test_no_markdown_shape_takes_a_sample_digest(sample: Path) -> None:
    lines = clean.split_lines(sample.read_text(encoding="utf-8"))
    assert not any(shape.detect(lines) for shape in (markdown_table, markdown_list, markdown_notes))


def test_each_markdown_shape_has_its_place_and_example() -> None:
    for shape, listed in ((markdown_notes, 8), (markdown_list, 9), (markdown_table, 10)):
        assert shape.NAME in formats.FORMAT_NAMES and shape.LISTED == listed and shape.EXAMPLE


# ---- markdown-table on real text ---------------------------------------------------------------


def test_a_daily_arxiv_table_gives_each_row_its_date_authors_id_and_section() -> None:
    found = read_file("daily-arxiv_table_cv-slam-sfm.md")
    assert found.format == "markdown-table"
    first = found.papers[0]
    assert first.title == "LEXI-SG: Monocular 3D Scene Graph Mapping with Room-Guided Feed-Forward Reconstruction"
    assert (first.arxiv, first.authors, first.published, first.tags) == (
        "2605.13741", ("Christina Kassab",), dt.date(2026, 5, 13), ("SLAM",))
    assert all(paper.links == () for paper in found.papers)  # `null` code cells are empty
    assert not any("Updated" in tag for paper in found.papers for tag in paper.tags)


def test_a_table_without_a_header_row_is_read_by_what_its_cells_hold() -> None:
    found = read_file("daily-arxiv_table_nlp-2023-05.md")
    curiam = next(p for p in found.papers if p.arxiv == "2305.14719")
    assert curiam.title == "CuRIAM: Corpus re Interpretation and Metalanguage in U.S. Supreme Court Opinions"
    assert curiam.authors == ("Michael Kranzlein",)
    assert curiam.tags == ("Legal NLP",)
    active = next(p for p in found.papers if p.arxiv == "2305.20045")
    assert active.links == (("code", "https://github.com/mainlp/activeaed"),)


def test_header_names_decide_the_columns_in_any_order() -> None:
    found = read(
        "# Reading group\n\n## Language Models\n\n"
        "| Keywords | URL | Title | Date | Authors | Abstract | Code |\n"
        "|---|---|---|---|---|---|---|\n"
        "| transformer; attention | [1706.03762](https://arxiv.org/abs/1706.03762) | Attention Is All You Need"
        " | 2017-06-12 | Ashish Vaswani, Noam Shazeer | We propose a new simple network architecture. | - |\n"
        "| - | [2501.00001](https://arxiv.org/abs/2501.00001) | A Second Paper Of Ours | 2025-01-02 |"
        " Jane Doe | null | [code](https://github.com/org/repo) |\n"
        "\n## Vision\n\n"
        "| Title | PDF |\n|---|---|\n"
        "| Deep Residual Learning for Image Recognition | [pdf](https://arxiv.org/pdf/1512.03385) |\n")
    assert found.format == "markdown-table"
    attention, second, resnet = found.papers
    assert attention.title == "Attention Is All You Need" and attention.arxiv == "1706.03762"
    assert attention.authors == ("Ashish Vaswani", "Noam Shazeer")
    assert attention.published == dt.date(2017, 6, 12)
    assert attention.abstract == "We propose a new simple network architecture."
    assert attention.tags == ("Language Models", "transformer", "attention")
    assert second.abstract == "" and second.links == (("code", "https://github.com/org/repo"),)
    assert resnet.arxiv == "1512.03385" and resnet.tags == ("Vision",)
    assert found.digests[0].title == "Reading group"


# ---- markdown-list on real text ----------------------------------------------------------------


def test_an_awesome_list_gives_title_authors_venue_code_and_section() -> None:
    found = read_file("awesome-list_long-context.md")
    assert found.format == "markdown-list"
    papers = by_title(found)
    rnn = papers["Transformers are RNNs: Fast Autoregressive Transformers with Linear Attention"]
    assert rnn.arxiv == "2006.16236" and rnn.venue == "ICML 2020"
    assert rnn.authors == ("Angelos Katharopoulos", "Apoorv Vyas", "Nikolaos Pappas", "François Fleuret")
    assert rnn.links == (("code", "https://github.com/idiap/fast-transformers"),)  # not the badge
    assert rnn.tags == ("Linear Attention",)
    openreview = papers["Robustifying State-space Models for Long Sequences via Approximate Diagonalization"]
    assert openreview.arxiv is None and openreview.venue == "ICLR 2024 Spotlight"


def test_a_quote_nested_under_an_item_is_its_commentary() -> None:
    found = read_file("awesome-list_llm-evaluation.md")
    translator = by_title(found)["Is ChatGPT A Good Translator? A Preliminary Study"]
    (lang, (note,)), = translator.commentary
    assert lang == "en" and note.endswith("since there is no available API.")
    assert not note.startswith(">")
    assert not any(paper.tags for paper in found.papers)  # `### 2023` and `## Papers` are no tags


def test_list_items_in_the_ways_people_write_them() -> None:
    found = read(
        "## Reasoning\n"
        "- [Towards Reasoning Era](https://arxiv.org/abs/2503.09567) - Qiguang Chen, Libo Qin (2025)\n"
        "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) - Ashish Vaswani, Noam Shazeer (2017)\n"
        "  - The paper that started transformers.\n"
        "* **Deep Residual Learning for Image Recognition** Kaiming He et al. "
        "[[paper]](https://arxiv.org/abs/1512.03385) [[code]](https://github.com/KaimingHe/deep-residual-networks)\n")
    assert found.format == "markdown-list"
    reasoning, attention, resnet = found.papers
    assert reasoning.authors == ("Qiguang Chen", "Libo Qin") and reasoning.tags == ("Reasoning",)
    assert attention.commentary == (("en", ("The paper that started transformers.",)),)
    assert resnet.title == "Deep Residual Learning for Image Recognition"
    assert (resnet.arxiv, resnet.authors) == ("1512.03385", ("Kaiming He",))
    assert resnet.links == (("code", "https://github.com/KaimingHe/deep-residual-networks"),)


def test_plain_titles_before_a_paper_link_and_authors_nested_below() -> None:
    found = read(
        "## Meta Learning\n"
        "1. Attention Is All You Need. Ashish Vaswani, Noam Shazeer. NeurIPS 2017. [pdf](https://arxiv.org/pdf/1706.03762)\n"
        "* Model-based Lookahead Reinforcement Learning [[Paper]](https://arxiv.org/abs/1908.06012v1)\n"
        "    * Zhang-Wei Hong, Joni Pajarinen, Jan Peters\n"
        "    * TU Darmstadt\n"
        "* Model Based Policy Optimization: Reviewing recent advances [[Blog]](http://taylorliu.com/x/)\n"
        "* Deep Residual Learning for Image Recognition [[Paper]](https://arxiv.org/abs/1512.03385)\n")
    attention, lookahead, resnet = found.papers
    assert (attention.title, attention.authors, attention.venue) == (
        "Attention Is All You Need", ("Ashish Vaswani", "Noam Shazeer"), "NeurIPS 2017")
    assert attention.arxiv == "1706.03762"
    assert lookahead.authors == ("Zhang-Wei Hong", "Joni Pajarinen", "Jan Peters")
    assert lookahead.commentary == (("en", ("TU Darmstadt",)),)
    assert resnet.arxiv == "1512.03385"
    assert [text for _, text in found.unplaced] == [  # a blog post is no paper, nor a note of one
        "* Model Based Policy Optimization: Reviewing recent advances [[Blog]](http://taylorliu.com/x/)"]


# ---- markdown-notes on real text ---------------------------------------------------------------


def test_paper_notes_under_linked_headings_with_author_links() -> None:
    found = read_file("notes_mapf-ja.md")
    assert found.format == "markdown-notes"
    assert len(found.papers) == 8
    gpt = by_title(found)["MAPF-GPT: Imitation Learning for Multi-Agent Pathfinding at Scale"]
    assert gpt.arxiv == "2409.00134" and gpt.authors == ("AntonAndreychuk",)
    assert gpt.links == (("project", "https://sites.google.com/view/mapf-gpt/"),)
    assert gpt.abstract == ""  # a quoted link line is a link, not an abstract
    years = {text for _, text in found.unplaced}
    assert {"### 2015", "### 2025"} <= years  # year headings are no papers


def test_numbered_headings_with_labelled_fields_are_papers_and_the_fields_their_facts() -> None:
    found = read_file("notes_dailyir-2025-06-18.md")
    assert found.format == "markdown-notes"  # `- **Authors**:` items are fields, not a list of papers
    first = found.papers[0]
    assert first.title.startswith("Identifying economic narratives")  # without its `1. `
    assert first.arxiv == "2506.15041" and first.published == dt.date(2025, 6, 18)
    assert first.tags == ("ir", "search")  # `Topic Keywords`, never the `Topic:` of a summary
    assert first.abstract.startswith("As interest in economic narratives")
    assert len(found.papers) == 8


def test_a_quoted_abstract_loses_its_quote_marks() -> None:
    (paper,) = read_file("notes_robotarena-zh.md").papers
    assert paper.abstract.startswith("The pursuit of robot generalists")
    assert ">" not in paper.abstract
    assert paper.authors[0] == "Yash Jangir" and len(paper.authors) == 9
    assert "机器人基准测试" in paper.tags


def test_an_obsidian_literature_note_is_one_paper_from_its_front_matter() -> None:
    (paper,) = read_file("obsidian-note_webgpt.md").papers
    assert paper.title == "WebGPT: Browser-assisted question-answering with human feedback"
    assert paper.authors[:2] == ("Reiichiro Nakano", "Jacob Hilton")
    assert paper.tags == ("Language_Models", "RL", "Preferences")
    (lang, notes), = paper.commentary
    assert lang == "en" and not any("Screen Shot" in note for note in notes)  # embeds are images


# ---- the failure patterns of the issue ---------------------------------------------------------


EMPHASISED = """\
*Attention Is All You Need* (Ashish Vaswani, Noam Shazeer, Niki Parmar)
> The dominant sequence transduction models are based on complex recurrent networks.
> We propose a new simple network architecture, the Transformer.
https://arxiv.org/abs/1706.03762

*Deep Residual Learning for Image Recognition* (Kaiming He, Xiangyu Zhang)
> Deeper neural networks are more difficult to train.
https://arxiv.org/abs/1512.03385
"""


def test_an_emphasised_title_with_authors_is_split_into_title_and_authors() -> None:
    found = read(EMPHASISED)
    assert found.format == "markdown-notes"
    attention, resnet = found.papers
    assert attention.title == "Attention Is All You Need"
    assert attention.authors == ("Ashish Vaswani", "Noam Shazeer", "Niki Parmar")
    assert attention.abstract == ("The dominant sequence transduction models are based on complex "
                                  "recurrent networks. We propose a new simple network architecture, "
                                  "the Transformer.")
    assert (attention.arxiv, resnet.arxiv) == ("1706.03762", "1512.03385")  # links after their paper


def test_a_plain_title_with_authors_under_its_link_is_the_papers_title() -> None:
    found = read_file("notes_rosinality-arxiv-today_2021-bylines.md")
    assert found.format == "markdown-notes"
    titles = [(p.arxiv, p.title, p.authors[-1]) for p in found.papers]
    assert titles[0] == ("2103.13076", "Finetuning Pretrained Transformers into RNNs", "Noah A. Smith")
    assert titles[3][1] == "How Much More Data Do I Need? Estimating Requirements for Downstream Tasks"
    commentary = dict(found.papers[1].commentary)["ko"]
    assert "3. 하이퍼파라미터 최적화를 제대로 하지 않는 것" in commentary  # a numbered list keeps its numbers


@pytest.mark.parametrize("line", [
    "Results at ICLR (Oral)",  # one word: no name
    "Results at a venue (ICLR 2024)",  # digits: no name
    "꽤 흥미롭지만 formulation 자체도 좀 다르긴 함. (output을 lateral connection과 다시 더한다)",
])
def test_a_line_under_a_link_that_names_no_authors_is_no_title(line: str) -> None:
    assert markdown_notes.byline_title(line) is None
    assert formats.detect_format(["https://arxiv.org/abs/2207.07611", "", line, "", "#tag"]) != "markdown-notes"


DATED_NOTE = """\
## 2025년 3월 12일

### Attention Is All You Need (https://arxiv.org/abs/1706.03762)
Authors: Ashish Vaswani, Noam Shazeer
> The dominant sequence transduction models are based on complex recurrent networks.
<korean>트랜스포머가 시작된 논문.</korean>
<english>Where transformers began.</english>
#transformer

# Links
- [[Transformer]]
- [[Attention]]
"""


def test_a_korean_date_heading_dates_the_notes_and_wrappers_pick_the_language() -> None:
    found = read(DATED_NOTE)
    assert found.format == "markdown-notes"  # not taken by bilingual-daily's Korean date lines
    (digest,) = found.digests
    assert digest.date == dt.date(2025, 3, 12)
    (paper,) = digest.papers
    assert paper.title == "Attention Is All You Need" and paper.arxiv == "1706.03762"
    assert paper.commentary == (("ko", ("트랜스포머가 시작된 논문.",)), ("en", ("Where transformers began.",)))
    assert paper.tags == ("transformer",)


def test_a_links_section_of_wikilinks_is_no_paper() -> None:
    found = read(DATED_NOTE)
    assert [p.title for p in found.papers] == ["Attention Is All You Need"]
    assert {text for _, text in found.unplaced} == {"# Links", "- [[Transformer]]", "- [[Attention]]"}


def test_wrappers_never_reach_the_page(tmp_path: Path) -> None:
    raw = tmp_path / "notes.md"
    raw.write_text(DATED_NOTE, encoding="utf-8")
    run_import([raw], tmp_path / "content")
    (paper,) = load_content(tmp_path / "content").papers
    texts = " ".join(c.text for c in paper.commentary) + paper.abstract
    assert "<english>" not in texts and "</korean>" not in texts and ">" not in paper.abstract


LINK_FIRST = """\
# Papers I read

https://arxiv.org/pdf/2503.09567
## Towards Reasoning Era: A Survey of Long Chain-of-Thought
Authors: Qiguang Chen, Libo Qin
Long chain-of-thought is what makes reasoning models work.

https://arxiv.org/pdf/1706.03762
## Attention Is All You Need
Authors: Ashish Vaswani
Attention alone is enough.
"""


def test_in_a_link_first_file_each_link_goes_to_the_paper_below() -> None:
    reasoning, attention = read(LINK_FIRST).papers
    assert reasoning.arxiv == "2503.09567" and attention.arxiv == "1706.03762"
    assert reasoning.title == "Towards Reasoning Era: A Survey of Long Chain-of-Thought"
    assert attention.commentary == (("en", ("Attention alone is enough.",)),)


def test_a_pdf_url_is_never_a_title() -> None:
    found = read("## https://arxiv.org/pdf/2503.09567.pdf\nAuthors: Qiguang Chen, Libo Qin\n"
                 "> Long chain-of-thought reasoning is surveyed here.\n")
    (paper,) = found.papers
    assert paper.arxiv == "2503.09567"
    assert paper.title == "" and "http" not in paper.title
    assert paper.abstract == "Long chain-of-thought reasoning is surveyed here."


def test_a_bold_remark_alone_is_not_a_paper() -> None:
    lines = clean.split_lines("**Remember to read more.**\nBuy milk.\n")
    assert not markdown_notes.detect(lines)
    assert markdown_notes.fit(lines).lacks != ""


# ---- properties: mutated real Markdown never breaks an import -----------------------------------

MARKDOWN_FILES = sorted(p for p in CORPUS.glob("*.md") if p.name != "SOURCES.md")
MARKDOWN_NEAR_MISSES = ["# Links", "- [[Transformer]]", "> a quoted line", "|a|b|", "|---|---|",
                        "*Title Words* (Ann Lee, Bo Kim)", "**Bold Title Here**", "<english>x</english>",
                        "<korean>가나</korean>", "https://arxiv.org/pdf/2401.00001", "## 2025년 3월 12일",
                        "# 2025-03-12", "---", "tags: [a, b]", "Authors: Ann Lee", "- **URL**: <http://x.y>",
                        "1. [**T.**](https://arxiv.org/abs/2401.00002) _A, B._ ICML 2024.", "```"]


@st.composite
def mutated_markdown(draw: st.DrawFn) -> tuple[Path, str, str | None]:
    """(source, mutated text, a forced Markdown shape or None)."""
    source = draw(st.sampled_from(MARKDOWN_FILES))
    lines = source.read_text(encoding="utf-8").split("\n")
    changes = st.one_of(mutations, st.builds(Mutation, st.just("insert"), st.integers(0, 200),
                                             text=st.sampled_from(MARKDOWN_NEAR_MISSES)))
    for change in draw(st.lists(changes, max_size=6)):
        lines = mutate(lines, change)
    shape = draw(st.sampled_from([None, None, "markdown-notes", "markdown-list", "markdown-table"]))
    return source, "\n".join(lines), shape


def test_mutated_markdown_is_refused_or_imported_with_every_line_accounted() -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutated_markdown())
    def check(example: tuple[Path, str, str | None]) -> None:
        source, text, shape = example
        with workspace() as root:
            raw = root / source.name
            raw.write_text(text, encoding="utf-8")
            content = root / "content"
            try:
                report = run_import([raw], content, fmt=shape)
            except LitdigestError:
                assert not content.exists() or not any(content.rglob("*.md"))
                return
            lines = clean.split_lines(text)
            found = formats.parse(lines, shape or report.files[0].format)
            assert formats.unaccounted(lines, found) == []
            assert check_content(content)[0] == []
            assert run_import([raw], content, fmt=shape).written == ()  # a second import is a no-op

    check()
