"""Identity and deduplication: one paper, one page, whichever digests list it and however they
spell its id; a paper seen again gains what it lacked and loses nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.helpers.raw_digests import fixture, import_text, loaded, raw_file, sample, write_raw
from litdigest.importer import identity as ids
from litdigest.importer.run import run_import

ABSTRACT = ("We propose Zephyrine, a method for aligning small language models with distilled preferences. "
            "It needs no human labels and no reinforcement learning, and it beats larger chat models on MT-Bench. "
            "We release code, data and checkpoints so others can reproduce every number in this paper.")


def daily(title: str, reference: str = "", abstract: str = ABSTRACT, day: int = 6,
          commentary: tuple[str, ...] = ("한국어 코멘트.", "An English comment."), tags: str = "#alignment",
          authors: str = "(Ann Lee, Bo Kim)") -> str:
    lines = [f"2025년 1월 {day}일", title, *([reference] if reference else []), authors, abstract,
             *commentary, tags]
    return "\n".join(lines) + "\n"


# ---- ids, however they are written -----------------------------------------------------------------

ARXIV_SPELLINGS = [
    "arXiv:2501.01234", "arXiv:2501.01234v3", "arXiv: 2501.01234v1", "https://arxiv.org/abs/2501.01234",
    "https://arxiv.org/abs/2501.01234v2", "https://arxiv.org/pdf/2501.01234v2", "arxiv.org/pdf/2501.01234v2.pdf",
    "http://www.arxiv.org/abs/2501.01234", "https://arxiv.org/html/2501.01234v1", "[arXiv:2501.01234]",
    "(https://arxiv.org/abs/2501.01234)", "ARXIV:2501.01234V2".replace("V2", "v2"),
    "arXiv: https://arxiv.org/abs/2501.01234", "PDF: https://arxiv.org/pdf/2501.01234",
]


@pytest.mark.parametrize("spelling", ARXIV_SPELLINGS)
def test_every_arxiv_spelling_names_the_same_id(spelling: str) -> None:
    from litdigest.importer.formats.references import reference

    found = reference(spelling)
    assert found is not None and (found.kind, found.value) == ("arxiv", "2501.01234")


@pytest.mark.parametrize("spelling, number", [
    ("arXiv:cs/0601001", "cs/0601001"), ("arXiv:cs/0601001v2", "cs/0601001"),
    ("https://arxiv.org/abs/hep-th/9711200v3", "hep-th/9711200"), ("arXiv:math.gt/0309136", "math.GT/0309136"),
    ("https://arxiv.org/pdf/math.GT/0309136v1.pdf", "math.GT/0309136"), ("arXiv:1501.00001", "1501.00001"),
])
def test_old_style_and_four_digit_arxiv_ids(spelling: str, number: str) -> None:
    assert ids.arxiv_id(spelling) == number


@pytest.mark.parametrize("spelling", ["doi:10.1145/3597503.ABC", "DOI: 10.1145/3597503.abc",
                                      "https://doi.org/10.1145/3597503.abc", "http://dx.doi.org/10.1145/3597503.abc",
                                      "doi.org/10.1145/3597503.ABC", "10.1145/3597503.abc", "DOI: 10.1145/3597503.abc."])
def test_every_doi_spelling_names_the_same_id(spelling: str) -> None:
    assert ids.doi_id(spelling) == "10.1145/3597503.abc"


def test_doi_parentheses_are_kept_when_they_belong_to_it() -> None:
    assert ids.doi_id("https://doi.org/10.1016/S0140-6736(20)30183-5") == "10.1016/s0140-6736(20)30183-5"


def test_many_digests_many_spellings_one_page(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    files = [write_raw(raw, f"d{n}.txt", daily(f"Zephyrine {n}" if n % 2 else "Zephyrine", spelling, day=n + 1))
             for n, spelling in enumerate(ARXIV_SPELLINGS[:8])]
    files.append(write_raw(raw, "markers.txt", ABSTRACT + "arXiv:2501.01234v9\n"))
    report = run_import(files, tmp_path / "content")
    (paper,) = loaded(tmp_path / "content").papers
    assert paper.id == "arxiv:2501.01234"
    assert paper.link("arxiv") == "https://arxiv.org/abs/2501.01234"
    assert len(paper.digests) == 9
    assert [f.new for f in report.files].count(1) == 1


def test_old_style_ids_and_dois_across_digests(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    old = write_raw(raw, "old.txt", "Some old abstract about strings. It has two sentences for sure.\n"
                                    "arXiv:hep-th/9711200v3\n")
    again = write_raw(raw, "again.txt", daily("The Large N Limit of Superconformal Field Theories",
                                              "https://arxiv.org/abs/hep-th/9711200"))
    fold = "Protein structures predicted with atomic accuracy. A network trained on known structures."
    doi_one = write_raw(raw, "doi1.txt", daily("AlphaFold", "doi:10.1038/S41586-021-03819-2", fold, day=7))
    doi_two = write_raw(raw, "doi2.txt", daily("Highly accurate protein structure prediction",
                                               "https://doi.org/10.1038/s41586-021-03819-2", day=8,
                                               abstract="Another summary of it. Written from memory."))
    run_import([old, again, doi_one, doi_two], tmp_path / "content")
    pages = {p.id: p for p in loaded(tmp_path / "content").papers}
    assert set(pages) == {"arxiv:hep-th/9711200", "doi:10.1038/s41586-021-03819-2"}
    assert pages["arxiv:hep-th/9711200"].title == "The Large N Limit of Superconformal Field Theories"
    assert pages["doi:10.1038/s41586-021-03819-2"].link("doi") == "https://doi.org/10.1038/s41586-021-03819-2"
    assert len(pages["doi:10.1038/s41586-021-03819-2"].digests) == 2


# ---- papers without ids: the normalized title -------------------------------------------------------

@pytest.mark.parametrize("spelling", [
    "Sören's Great Model: A Study", "SOREN'S GREAT MODEL -- A STUDY", "soren's  great\tmodel: a study.",
    r"S\"oren's \textit{Great} Model: A Study".replace('\\"o', "ö"), "Sören’s Great Model — A Study?",
    "Sören's\u00a0Great\u2009Model: A\u3000Study", r"Sören's \textbf{Great} Model~: A Study",
])
def test_titles_match_with_case_punctuation_spacing_latex_and_accents_folded(tmp_path: Path, spelling: str) -> None:
    raw = tmp_path / "raw"
    first = write_raw(raw, "first.txt", "Listing\nSören's Great Model: A Study\n" + ABSTRACT + "\n")
    second = write_raw(raw, "second.txt", daily(spelling, abstract="A different abstract. Written by someone else."))
    run_import([first, second], tmp_path / "content")
    (paper,) = loaded(tmp_path / "content").papers
    assert paper.title == "Sören's Great Model: A Study"
    assert paper.digests == ("first", "second-2025-01-06")


def test_normalized_folds_what_identifies_nothing() -> None:
    assert ids.normalized(r"\textit{Über}: the ``LLM''—era?") == ids.normalized("uber the llm era")
    assert ids.normalized("대규모 언어 모델!") == "대규모 언어 모델"


def test_two_papers_with_one_title_but_different_arxiv_ids_stay_two(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    one = write_raw(raw, "one.txt", daily("Attention Is All You Need", "arXiv:1706.03762"))
    two = write_raw(raw, "two.txt", daily("Attention is all you need", "arXiv:2401.99999", day=7,
                                          abstract="A parody paper with the same title. Nothing else in common."))
    run_import([one, two], tmp_path / "content")
    assert sorted(p.id for p in loaded(tmp_path / "content").papers) == ["arxiv:1706.03762", "arxiv:2401.99999"]


def test_an_abstract_cut_short_still_finds_its_paper(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    full = write_raw(raw, "full.txt", f"Abstract: {ABSTRACT}\n")
    cut = write_raw(raw, "cut.txt", f"Listing\nZephyrine: Distilled Preferences\n{ABSTRACT[:230]}…\n")
    run_import([full, cut], tmp_path / "content")
    (paper,) = loaded(tmp_path / "content").papers
    assert paper.title == "Zephyrine: Distilled Preferences"
    assert paper.abstract == ABSTRACT


def test_listings_of_one_paper_in_one_digest_find_its_page_whatever_their_order(tmp_path: Path) -> None:
    """The Korean profile lists LoRA twice: by title alone, then with its arXiv id in the venue.
    The arXiv page made earlier from another digest must be found from the first listing too."""
    for order in ([fixture("markers_urls"), fixture("profile_korean")],
                  [fixture("profile_korean"), fixture("markers_urls")]):
        content = tmp_path / f"content-{order[0].stem}"
        for path in order:
            run_import([path], content)
        lora = [p for p in loaded(content).papers if "arxiv:2106.09685" in ids.identifiers(p.id, p.links)]
        assert len(lora) == 1
        assert lora[0].title == "LoRA: Low-Rank Adaptation of Large Language Models"
        assert set(lora[0].digests) == {"markers-urls", "profile-korean"}
        assert len(loaded(content).papers) == 5  # four markers papers, plus the Korean one


def test_the_same_paper_twice_in_one_digest_is_one_page_and_reported(tmp_path: Path) -> None:
    text = f"Abstract: {ABSTRACT}\narXiv:2501.01234\nAbstract: {ABSTRACT}\n"
    report = import_text(tmp_path, "twice.txt", text)
    (file_report,) = report.files
    assert (file_report.papers, file_report.new, file_report.repeated) == (2, 1, ((3, 1),))
    assert "line 3: the same paper as line 1, merged into it" in report.text()
    (paper,) = loaded(tmp_path / "content").papers
    assert paper.id == "arxiv:2501.01234"
    (digest,) = loaded(tmp_path / "content").digests
    assert digest.papers == ("arxiv:2501.01234",)


def test_a_page_first_known_by_title_gains_an_arxiv_id_and_is_found_by_it(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    titled = write_raw(raw, "titled.txt", "Listing\nZephyrine: Distilled Preferences\n" + ABSTRACT + "\n")
    with_id = write_raw(raw, "with_id.txt", daily("Zephyrine: distilled preferences", "arXiv:2501.01234",
                                                  abstract="Another abstract. Nothing like the first."))
    by_id_only = write_raw(raw, "by_id.txt", "A third abstract, unrelated text. Really unrelated.\narXiv:2501.01234v2\n")
    for path in (titled, with_id, by_id_only):
        run_import([path], tmp_path / "content")
    (paper,) = loaded(tmp_path / "content").papers
    assert paper.id.startswith("title:")  # ids never change once written
    assert paper.link("arxiv") == "https://arxiv.org/abs/2501.01234"
    assert paper.digests == ("titled", "with-id-2025-01-06", "by-id")


# ---- a paper seen again gains what it lacked, and loses nothing ------------------------------------


def test_a_real_title_replaces_a_derived_one_and_keeps_the_page(raw_dir: Path, content_dir: Path,
                                                                tmp_path: Path) -> None:
    run_import([raw_file(raw_dir, "000")], content_dir)
    first_abstract = sample("000").read_text("utf-8").split("\n")[0]
    listing = write_raw(tmp_path, "llm.txt", f"Alignment\nBaichuan Alignment Technical Report\n{first_abstract}\n")
    report = run_import([listing], content_dir)
    assert (report.files[0].new, report.files[0].merged) == (0, 1)
    paper = next(p for p in loaded(content_dir).papers if p.id == "arxiv:2410.14940")
    assert (paper.title, paper.title_derived, paper.slug) == ("Baichuan Alignment Technical Report", False,
                                                              "baichuan-alignment")
    assert paper.tags == ("alignment",)
    assert paper.digests == ("000", "llm")
    assert paper.link("arxiv") == "https://arxiv.org/abs/2410.14940"


def test_a_paper_gains_commentary_authors_and_digest(raw_dir: Path, content_dir: Path,
                                                          tmp_path: Path) -> None:
    run_import([raw_file(raw_dir, "002")], content_dir)
    daily_file = write_raw(tmp_path, "daily.txt", (
        "2025년 1월 3일\nKVQuant: Towards 10 Million Context Length LLM Inference with KV Cache "
        "Quantization\n(Coleman Hooper, Sehoon Kim)\nA different abstract. It should not win.\n"
        "좋은 논문입니다.\nA good paper.\n#quantization\n"))
    run_import([daily_file], content_dir)
    content = loaded(content_dir)
    (paper,) = [p for p in content.papers if p.title.startswith("KVQuant")]
    assert paper.authors == ("Coleman Hooper", "Sehoon Kim")
    assert paper.date is None  # its own (neither file gives one), not the daily's 2025-01-03
    assert paper.tags == ("large-language-model", "quantization")
    assert paper.digests == ("002", "daily-2025-01-03")
    assert paper.languages == ("ko", "en")
    assert paper.abstract.startswith("LLMs are seeing growing use")
    assert len(content.papers) == 10


def test_commentary_from_a_second_digest_is_added_as_its_own_not_lost(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    first = write_raw(raw, "a.txt", daily("Zephyrine", commentary=("첫 번째 코멘트.", "First comment.")))
    second = write_raw(raw, "b.txt", daily("Zephyrine", day=9, commentary=("두 번째 코멘트.",), tags="#rlhf"))
    run_import([first], tmp_path / "content")
    report = run_import([second], tmp_path / "content")
    assert report.files[0].merged == 1
    (paper,) = loaded(tmp_path / "content").papers
    assert [(c.digest, c.lang, c.text) for c in paper.commentary] == [
        ("a-2025-01-06", "ko", "첫 번째 코멘트."), ("a-2025-01-06", "en", "First comment."),
        ("b-2025-01-09", "ko", "두 번째 코멘트.")]
    assert paper.tags == ("alignment", "rlhf")
    assert paper.date is None  # its own: the dailies give none
    again = run_import([first, second], tmp_path / "content")
    assert again.written == ()


def test_a_taken_slug_gets_a_number(raw_dir: Path, content_dir: Path, tmp_path: Path) -> None:
    run_import([raw_file(raw_dir, "000")], content_dir)
    other = write_raw(tmp_path, "other.txt",
                      "Abstract: Stuff happens. This paper presents Malleus, a different thing entirely.\n")
    run_import([other], content_dir)
    pages = {p.slug: p for p in loaded(content_dir).papers}
    assert pages["malleus"].id == "arxiv:2410.13333"
    assert pages["malleus-2"].title == "Malleus" and pages["malleus-2"].id.startswith("abstract:")


def test_a_new_page_takes_its_best_id_from_any_listing(tmp_path: Path) -> None:
    text = (f"Zephyrine: Distilled Preferences\nAbstract: {ABSTRACT}\n"
            f"Zephyrine: Distilled Preferences\nAbstract: {ABSTRACT}\ndoi:10.5555/ZEPH.1\n")
    import_text(tmp_path, "two.txt", text)
    (paper,) = loaded(tmp_path / "content").papers
    assert paper.id == "doi:10.5555/zeph.1"
