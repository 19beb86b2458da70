"""The arXiv shapes and the labelled-fields shape on real text (tests/fixtures/real/, sources in
its SOURCES.md): an abstract page as a browser copies it, a listing page, blocks of labelled
fields; and the failure patterns of issue #13 these shapes meet — a link line before its paper,
labelled fields glued into an abstract, a listing read as an author profile, a repeated `View
PDF` line made a title. Fidelity over the whole corpus is tests/test_import_real_corpus.py's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from litdigest.importer import clean, formats
from litdigest.importer.formats import ParsedFile, arxiv_abs_page, arxiv_listing, labelled_fields
from tests.helpers.fidelity import CORPUS
from tests.helpers.raw_digests import import_text, loaded, parsed_file, sample

BROWSER_PAGES = CORPUS / "arxiv-abs_browser-copies_3-pages.txt"
CLIPPED_PAGES = CORPUS / "arxiv-abs_web-clipper_3-pages.txt"
NEW_LISTING = CORPUS / "arxiv-list_q-fin.tr_new_2026-09-09.txt"
MAILING = CORPUS / "labelled_arxiv-mailing_cs_2024-11-21.txt"
TOOL_OUTPUT = CORPUS / "labelled_langchain-arxiv-tool_caprice-stanley.txt"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def parse(text: str) -> tuple[str | None, ParsedFile]:
    lines = clean.split_lines(text)
    name = formats.detect_format(lines)
    assert name is not None
    return name, formats.parse(lines, name)


def pages(path: Path) -> list[str]:
    """The pages of a corpus file of abstract pages, each as its own text."""
    return read(path).split("\n\n")


# ---- arxiv-abstract-page ---------------------------------------------------------------------------


def test_an_abstract_page_copied_from_a_browser_gives_every_field() -> None:
    _, found = parsed_file(BROWSER_PAGES)
    assert found.format == "arxiv-abstract-page"
    first = found.papers[0]
    assert first.arxiv == "2412.02674"
    assert first.doi == "10.48550/arxiv.2412.02674"
    assert first.title == "Mind the Gap: Examining the Self-Improvement Capabilities of Large Language Models"
    assert first.authors == ("Yuda Song", "Hanlin Zhang", "Carson Eisenach", "Sham Kakade",
                             "Dean Foster", "Udaya Ghai")
    assert first.tags == ("cs.CL", "cs.LG")
    assert first.published == dt.date(2024, 12, 3)  # v1, not the last revision
    assert first.abstract.startswith("Self-improvement is a mechanism")
    assert first.abstract.endswith("its capabilities and boundaries.")
    assert first.commentary == (("en", ("ICLR 2025; 41 pages, 19 figures",)),)  # the authors' comments
    assert found.unplaced == ()


def test_labels_glued_to_their_values_stay_out_of_title_and_abstract() -> None:
    _, found = parsed_file(CLIPPED_PAGES)
    titles = [p.title for p in found.papers]
    assert titles[0] == "ODMA: On-Demand Memory Allocation Strategy for LLM Serving on LPDDR-Class Accelerators"
    for paper in found.papers:
        assert not paper.title.startswith("Title")
        for glued in ("View PDF", "HTML (experimental)", "Abstract:", "Submission history", "arXivLabs"):
            assert glued not in paper.abstract, (paper.title, glued)
    assert [p.published for p in found.papers] == [dt.date(2025, 12, 10), dt.date(2026, 4, 1),
                                                   dt.date(2026, 3, 19)]


def test_view_pdf_on_every_page_is_furniture_never_a_title(tmp_path: Path) -> None:
    import_text(tmp_path, "pages.txt", read(BROWSER_PAGES))
    papers = loaded(tmp_path / "content").papers
    assert len(papers) == 3
    assert all("View" not in p.title and not p.title_derived for p in papers)


def test_a_link_line_above_a_page_belongs_to_that_page(tmp_path: Path) -> None:
    # as a reader pastes: the page's address, then the page (the clipped pages carry no id)
    first, second, third = pages(CLIPPED_PAGES)
    text = (f"https://arxiv.org/abs/2512.09427\n{first}\n\nhttps://arxiv.org/abs/2604.00473\n{second}\n\n"
            f"https://arxiv.org/abs/2603.18558\n{third}")
    import_text(tmp_path, "linked.txt", text)
    by_id = {p.id: p.title for p in loaded(tmp_path / "content").papers}
    assert by_id["arxiv:2512.09427"].startswith("ODMA")
    assert by_id["arxiv:2604.00473"].startswith("Phase space integrity")
    assert by_id["arxiv:2603.18558"].startswith("HiMu")


def test_prose_between_pages_is_commentary_on_the_page_above() -> None:
    first, second, _ = pages(CLIPPED_PAGES)
    note = "LPDDR 가속기에서 메모리 할당을 예측으로 푸는 점이 흥미롭다."
    name, found = parse(f"{first}\n{note}\n\n{second}")
    assert name == "arxiv-abstract-page"
    assert found.papers[0].commentary == (("ko", (note,)),)
    assert found.papers[1].commentary == ()
    assert found.unplaced == ()


def test_the_classic_layout_with_tabbed_labels_and_a_related_doi() -> None:
    # the abstract page of the listing's arXiv:1510.03928, its fields as that listing gives them
    page = ("Mathematics > Numerical Analysis\n"
            "[Submitted on 13 Oct 2015 (v1), last revised 2 Feb 2026 (this version, v9)]\n"
            "Title:Weakly chained matrices, policy iteration, and impulse control\n"
            "Authors:Parsiad Azimzadeh, Peter A. Forsyth\n"
            "View PDF\n"
            "Abstract:This work is motivated by numerical solutions to Hamilton-Jacobi-Bellman "
            "quasi-variational inequalities (HJBQVIs) associated with combined stochastic and "
            "impulse control problems.\n"
            "Subjects:\tNumerical Analysis (math.NA); Computational Finance (q-fin.CP)\n"
            "Journal reference:\tSIAM.J.Numer.Anal. 54.3 (2016) 1341-1364\n"
            "Related DOI:\thttps://doi.org/10.1137/15M1043637\n"
            "Cite as:\tarXiv:1510.03928 [math.NA]\n"
            " \t(or arXiv:1510.03928v9 [math.NA] for this version)\n"
            "https://doi.org/10.48550/arXiv.1510.03928\n")
    name, found = parse(page)
    assert name == "arxiv-abstract-page"
    (paper,) = found.papers
    assert paper.arxiv == "1510.03928" and paper.doi == "10.1137/15m1043637"
    assert paper.venue == "SIAM.J.Numer.Anal. 54.3 (2016) 1341-1364"
    assert paper.tags == ("math.NA", "q-fin.CP")
    assert paper.published == dt.date(2015, 10, 13)
    assert found.unplaced == ()


def test_a_page_copied_without_its_labels_reads_title_authors_abstract_in_order() -> None:
    # the clipped page of arXiv:2604.00473 as a copy of its visible header gives it, no labels
    clipped = pages(CLIPPED_PAGES)[1].splitlines()
    title = clipped[2].removeprefix("Title:")
    abstract = clipped[3].split("Abstract:", 1)[1]
    text = "\n".join([clipped[0], clipped[1], title, "Abrari Noor Hasmi", "View PDF",
                      "HTML (experimental)", abstract])
    name, found = parse(text)
    assert name == "arxiv-abstract-page"
    (paper,) = found.papers
    assert (paper.title, paper.authors) == (title, ("Abrari Noor Hasmi",))
    assert paper.abstract == abstract
    assert paper.published == dt.date(2026, 4, 1)


def test_a_line_no_page_explains_is_reported_not_swallowed() -> None:
    first, *_ = pages(CLIPPED_PAGES)
    _, found = parse(f"{first}\nzq-7 glitch")
    assert [text for _, text in found.unplaced] == ["zq-7 glitch"]


# ---- arxiv-listing ---------------------------------------------------------------------------------


def test_a_new_listing_is_a_dated_digest_of_its_entries_not_an_author_profile() -> None:
    _, found = parsed_file(NEW_LISTING)
    assert found.format == "arxiv-listing"
    (digest,) = found.digests
    assert digest.date == dt.date(2026, 9, 9)  # "Showing new listings for Wednesday, 9 September 2026"
    assert digest.title == "Trading and Market Microstructure"
    assert len(digest.papers) == 7
    for paper in digest.papers:
        assert paper.arxiv and paper.authors and paper.abstract and paper.tags
        assert not paper.title.startswith(("Total of", "[", "Showing", "Title:"))
    last = digest.papers[-1]
    assert last.arxiv == "2601.02310"
    assert last.venue == "BILT Student Research Journal, Issue 7, 2026"
    assert last.tags == ("cs.LG", "q-fin.TR")
    assert found.unplaced == ()


def recent_listing() -> str:
    """The new listing's first three entries laid out as /recent shows them: a day heading, the
    entries without their abstracts (the lines after each `Subjects:`)."""
    kept, in_abstract = [], False
    for line in read(NEW_LISTING).splitlines():
        if line.startswith("[4] "):
            break
        if line.startswith("[") and " arXiv:" in line:
            in_abstract = False
            kept.append(line)
        elif kept and not in_abstract:
            kept.append(line)
            in_abstract = line.startswith("Subjects:")
    return ("Trading and Market Microstructure\nAuthors and titles for recent submissions\n"
            "Wed, 9 Sep 2026 (showing 3 of 3 entries )\n" + "\n".join(kept) + "\nTotal of 3 entries\n")


def test_a_recent_listing_without_abstracts_dates_its_papers_by_their_day() -> None:
    name, found = parse(recent_listing())
    assert name == "arxiv-listing"
    (digest,) = found.digests
    assert digest.date == dt.date(2026, 9, 9)
    assert [p.arxiv for p in digest.papers] == ["2609.06085", "2609.07989", "2609.08881"]
    assert all(p.abstract == "" and p.title and p.authors for p in digest.papers)
    assert digest.papers[0].authors == ("Manuel Naviglio", "Fabrizio Lillo")


def test_search_results_give_the_date_tags_and_the_shown_abstract() -> None:
    text = (
        "Showing 1–1 of 1 results for all: self-improvement generation-verification gap\n"
        "arXiv:2412.02674 [pdf, other] cs.CL cs.LG\n"
        "Mind the Gap: Examining the Self-Improvement Capabilities of Large Language Models\n"
        "Authors: Yuda Song, Hanlin Zhang, Carson Eisenach, Sham Kakade, Dean Foster, Udaya Ghai\n"
        "Abstract: Self-improvement is a mechanism in Large Language Model (LLM) pre-training, "
        "post-training and test-time inference. … ▽ More\n"
        "Submitted 25 February, 2025; v1 submitted 3 December, 2024; originally announced December 2024.\n"
        "Comments: ICLR 2025; 41 pages, 19 figures\n")
    name, found = parse(text)
    assert name == "arxiv-listing"
    (paper,) = found.papers
    assert paper.title.startswith("Mind the Gap")
    assert paper.tags == ("cs.CL", "cs.LG")
    assert paper.abstract.endswith("test-time inference.")
    assert paper.published == dt.date(2024, 12, 3)  # the v1 date
    assert found.unplaced == ()


# ---- labelled-fields -------------------------------------------------------------------------------


def test_labelled_blocks_are_papers_with_each_field_in_its_place() -> None:
    _, found = parsed_file(TOOL_OUTPUT)
    assert found.format == "labelled-fields"
    assert [p.published for p in found.papers] == [dt.date(2017, 10, 10), dt.date(2016, 5, 26),
                                                   dt.date(2003, 3, 18)]
    second = found.papers[1]
    assert second.title == "Heat-bath random walks with Markov bases"
    assert second.authors == ("Caprice Stanley", "Tobias Windisch")
    assert second.abstract.startswith("Graphs on lattice points")
    for paper in found.papers:  # never glued: the next block's labels stay out of an abstract
        assert "Published:" not in paper.abstract and "Title:" not in paper.abstract


def test_an_arxiv_mail_gives_ids_tags_venue_and_doi() -> None:
    _, found = parsed_file(MAILING)
    first, second = found.papers
    assert (first.arxiv, second.arxiv) == ("2411.13560", "2411.13566")
    assert first.title.endswith("Using Knowledge Graph RAG")  # the wrapped line joined
    assert "Yaxing Wang" in first.authors
    assert first.tags == ("cs.AI", "cs.ET", "eess.SP")
    assert second.doi == "10.1016/j.jenvman.2024.122526"
    assert second.venue == "Journal of Environmental Management, Volume 370, 2024, ISSN 0301-4797"
    assert second.abstract.startswith("Managing resources effectively")
    assert [text for _, text in found.unplaced] == ["ACM-class: J.m; I.2.1; I.4.9"]


def test_korean_labels_and_notes_in_any_order_with_the_link_first() -> None:
    text = ("https://arxiv.org/abs/2412.02674\n"
            "제목: Mind the Gap: Examining the Self-Improvement Capabilities of Large Language Models\n"
            "날짜: 2024년 12월 3일\n"
            "코멘트: 생성-검증 격차가 사전학습 연산량에 따라 커진다는 관찰이 핵심.\n"
            "저자: Yuda Song, Hanlin Zhang, Carson Eisenach\n"
            "Tags: self-improvement, 검증\n\n"
            "https://arxiv.org/abs/2401.05054\n"
            "제목: Generating Diverse and High-Quality Texts by Minimum Bayes Risk Decoding\n"
            "저자: Yuu Jinnai, Ukyo Honda\n"
            "Notes: MBR with a diversity objective.\n")
    name, found = parse(text)
    assert name == "labelled-fields"
    first, second = found.papers
    assert (first.arxiv, second.arxiv) == ("2412.02674", "2401.05054")
    assert first.published == dt.date(2024, 12, 3)
    assert first.tags == ("self-improvement", "검증")
    assert first.commentary == (("ko", ("생성-검증 격차가 사전학습 연산량에 따라 커진다는 관찰이 핵심.",)),)
    assert second.commentary == (("en", ("MBR with a diversity objective.",)),)
    assert found.unplaced == ()


def test_the_abstract_lines_sample_stays_abstract_lines() -> None:
    lines = clean.split_lines(sample("003").read_text(encoding="utf-8"))
    assert formats.detect_format(lines) == "abstract-lines"


def test_each_shape_names_what_a_file_lacks_and_fits_its_own_files() -> None:
    prose = clean.split_lines("Just a note to myself.\nBuy milk.\n")
    for shape, own in ((arxiv_abs_page, BROWSER_PAGES), (arxiv_listing, NEW_LISTING),
                       (labelled_fields, TOOL_OUTPUT)):
        assert shape.fit(clean.split_lines(read(own))).lacks == ""
        missing = shape.fit(prose)
        assert missing.lacks and missing.share < 1
        assert shape.EXAMPLE
