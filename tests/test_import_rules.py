"""The five shapes follow the file, not the samples (issue #13): link lines stand before or after
their paper as the file shows, labelled fields go to their field, abstracts cut short in a
listing are still abstracts, a line repeated over every paper is furniture, never a title; and a
file no shape fits is refused naming the two nearest shapes and what each lacks, `--format`
alone lists every shape, `--skip-unreadable` imports the rest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.helpers.commands import litdigest
from tests.helpers.raw_digests import import_text, sample, write_raw
from litdigest.content.folder import load_content
from litdigest.errors import LitdigestError
from litdigest.importer import clean, formats
from litdigest.importer.run import run_import

PAPERS = [  # (arXiv id, title, an abstract of about 300 characters)
    ("1706.03762", "Attention Is All You Need",
     "The dominant sequence transduction models are based on complex recurrent or convolutional "
     "neural networks in an encoder-decoder configuration. We propose a new simple network "
     "architecture, the Transformer, based solely on attention mechanisms, dispensing with "
     "recurrence and convolutions entirely."),
    ("1810.04805", "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
     "We introduce a new language representation model called BERT, which stands for Bidirectional "
     "Encoder Representations from Transformers. Unlike recent language representation models, BERT "
     "is designed to pre-train deep bidirectional representations from unlabeled text by jointly "
     "conditioning on both left and right context in all layers."),
    ("2106.09685", "LoRA: Low-Rank Adaptation of Large Language Models",
     "An important paradigm of natural language processing consists of large-scale pre-training on "
     "general domain data and adaptation to particular tasks or domains. As we pre-train larger "
     "models, full fine-tuning, which retrains all model parameters, becomes less feasible. We "
     "propose Low-Rank Adaptation, or LoRA, which freezes the pre-trained model weights."),
]


def parsed(text: str, fmt: str | None = None) -> formats.ParsedFile:
    lines = clean.split_lines(text)
    found = fmt or formats.detect_format(lines)
    assert found is not None, formats.refusal(lines)
    return formats.parse(lines, found)


def ids_by_title(found: formats.ParsedFile) -> dict[str, str | None]:
    return {paper.title: paper.arxiv for paper in found.papers}


EXPECTED = {title: number for number, title, _ in PAPERS}


# ---- link lines before or after their paper ---------------------------------------------------------


LAYOUTS = {  # shape: (header, a paper's lines, what stands between a link line and its paper)
    "abstract-lines": ("", ["{t}", "Abstract: {a}"], "\n"),
    "category-listing": ("Computation and Language\n", ["{t}", "{a}"], "\n"),
    "author-profile": ("Publications\n\n", ["{t}", "", "arXiv preprint", "", "{a}"], "\n\n"),
    "bilingual-daily": ("2025년 1월 6일\n", ["{t}", "(Ann Lee, Bo Kim)", "{a}", "좋은 논문.", "#nlp"], "\n"),
}


def with_links(shape: str, first: bool) -> str:
    """The three papers in `shape`, each with its arXiv link line above its title (`first`) or
    below its last line."""
    header, layout, gap = LAYOUTS[shape]
    text = header
    for number, title, abstract in PAPERS:
        body = "\n".join(line.format(t=title, a=abstract) for line in layout)
        link = f"https://arxiv.org/abs/{number}"
        text += gap.join([link, body] if first else [body, link]) + gap
    return text


def link_first(shape: str) -> str:
    return with_links(shape, first=True)


SHAPES = ["abstract-lines", "category-listing", "author-profile", "bilingual-daily"]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_file_whose_links_stand_before_their_papers_gives_each_paper_its_own_id(shape: str) -> None:
    found = parsed(link_first(shape))
    assert found.format == shape
    assert ids_by_title(found) == EXPECTED
    assert found.unplaced == ()


@pytest.mark.parametrize("shape", SHAPES)
def test_a_file_whose_links_stand_after_their_papers_gives_each_paper_its_own_id(shape: str) -> None:
    found = parsed(with_links(shape, first=False))
    assert found.format == shape
    assert ids_by_title(found) == EXPECTED
    assert found.unplaced == ()


def test_a_link_first_file_imports_each_id_onto_the_right_page(tmp_path: Path) -> None:
    import_text(tmp_path, "links-first.txt", link_first("abstract-lines"))
    papers = {p.title: p.id for p in load_content(tmp_path / "content").papers}
    assert papers == {title: f"arxiv:{number}" for title, number in EXPECTED.items()}


# ---- labelled fields ---------------------------------------------------------------------------------


LABELLED = "".join(
    f"Title: {t}\nAuthors: Ann Lee, Bo Kim\n[Submitted on 1{i} Mar 2025]\nAbstract: {a}\n"
    f"Comments: 12 pages, 3 figures\nSubjects: Computation and Language (cs.CL)\n"
    f"Cite as: arXiv:{n}\n"
    for i, (n, t, a) in enumerate(PAPERS))


def test_labelled_fields_go_to_their_field_and_never_into_the_abstract() -> None:
    found = parsed(LABELLED, "abstract-lines")
    assert [p.title for p in found.papers] == [t for _, t, _ in PAPERS]
    assert [p.abstract for p in found.papers] == [a for _, _, a in PAPERS]
    assert [p.arxiv for p in found.papers] == [n for n, _, _ in PAPERS]
    assert {p.authors for p in found.papers} == {("Ann Lee", "Bo Kim")}
    assert [p.published for p in found.papers] == [dt.date(2025, 3, 10 + i) for i in range(3)]
    assert {p.tags for p in found.papers} == {("cs.CL",)}
    assert [text for _, text in found.unplaced] == ["Comments: 12 pages, 3 figures"] * 3


def test_a_labelled_remark_in_a_listing_is_neither_title_nor_abstract() -> None:
    text = "Robotics\n" + "".join(f"{t}\nComments: Accepted at ICLR\n{a}\n" for _, t, a in PAPERS)
    found = parsed(text)
    assert found.format == "category-listing"
    assert [p.title for p in found.papers] == [t for _, t, _ in PAPERS]
    assert all("Comments" not in p.abstract for p in found.papers)


# ---- abstracts cut short in a listing ---------------------------------------------------------------


def test_a_listing_with_abstracts_cut_to_150_to_290_characters_is_read_every_paper() -> None:
    cut = [(n, t, a[:150 + 60 * i].rsplit(" ", 1)[0] + "…") for i, (n, t, a) in enumerate(PAPERS)]
    text = "Computation and Language\n" + "".join(f"[{n}] {t}\n{a}\n" for n, t, a in cut * 2)
    text = text.replace("[1706.03762] Attention", "[1706.03763] Attention", 1)
    found = parsed(text)
    assert found.format == "category-listing"
    assert len(found.papers) == 6
    assert [p.abstract for p in found.papers[:3]] == [a for _, _, a in cut]


# ---- a line repeated over every paper is furniture -------------------------------------------------


@pytest.mark.parametrize("fmt", ["abstract-lines", "category-listing", None])
def test_a_line_repeated_over_every_paper_is_never_a_title(fmt: str | None) -> None:
    abstract = "Abstract: " if fmt == "abstract-lines" else ""
    text = "".join(f"{t}\nView PDF\n{abstract}{a}\nhttps://arxiv.org/abs/{n}\n" for n, t, a in PAPERS)
    found = parsed(text, fmt)
    titles = [p.title for p in found.papers]
    assert "View PDF" not in titles
    assert ids_by_title(found) == EXPECTED


def test_papers_under_the_same_furniture_line_are_not_merged(tmp_path: Path) -> None:
    text = "".join(f"[pdf]\nAbstract: {a}\n" for _, _, a in PAPERS)
    import_text(tmp_path, "furniture.txt", text, fmt="abstract-lines")
    papers = load_content(tmp_path / "content").papers
    assert len(papers) == 3
    assert "[pdf]" not in {p.title for p in papers}


# ---- refusal that helps ------------------------------------------------------------------------------


def test_a_file_no_shape_fits_is_refused_naming_the_two_nearest_and_what_each_lacks(tmp_path: Path) -> None:
    number, title, abstract = PAPERS[0]
    text = f"{title}\nAbstract: {abstract}\n" + "".join(f"a note of mine, {i}\n" for i in range(4))
    raw = write_raw(tmp_path, "notes.txt", text)
    with pytest.raises(LitdigestError) as caught:
        run_import([raw], tmp_path / "content")
    (problem,) = caught.value.problems
    assert problem.path == str(raw)
    assert problem.message.startswith("no shape fits; nearest: ")
    named = [name for name in formats.FORMAT_NAMES if f"{name} (lacks: " in problem.message]
    assert len(named) == 2
    assert "--format" in problem.hint


def test_a_file_with_no_mark_of_any_shape_is_told_so_not_given_arbitrary_nearest_ones(tmp_path: Path) -> None:
    raw = write_raw(tmp_path, "notes.txt", "Some notes of mine.\nNothing here is a paper.\n")
    with pytest.raises(LitdigestError) as caught:
        run_import([raw], tmp_path / "content")
    (problem,) = caught.value.problems
    assert problem.message.startswith("no shape fits: it shows no mark of any")
    assert "nearest" not in problem.message and "--format" in problem.hint


def test_the_nearest_shapes_are_the_ones_the_file_almost_has() -> None:
    number, title, abstract = PAPERS[0]
    text = f"{title}\nAbstract: {abstract}\n" + "".join(f"a note of mine, {i}\n" for i in range(4))
    lines = clean.split_lines(text)
    assert formats.detect_format(lines) is None
    near = dict(formats.nearest(lines))
    # a labelled abstract under a title is half a block of fields, half a title and abstract pair
    assert set(near) == {"labelled-fields", "category-listing"}
    assert near["labelled-fields"].lacks.startswith('one field of a paper ("Title:" or "Abstract:")')
    assert near["category-listing"].lacks.startswith("only 1 title and abstract pairs")
    fits = {f.NAME: f.fit(lines) for f in formats.FORMATS}
    assert fits["abstract-lines"].lacks == 'only 1 of 6 lines start with "Abstract:" (half should)'



def test_every_shape_has_an_example_and_a_fit_that_agrees_with_detect() -> None:
    for shape in formats.FORMATS:
        assert shape.EXAMPLE and "\n" not in shape.EXAMPLE
        for path in [sample(n) for n in ("000", "001", "002", "003", "004")]:
            lines = clean.split_lines(path.read_text("utf-8"))
            assert (shape.fit(lines).lacks == "") == shape.detect(lines)
            assert 0.0 <= shape.fit(lines).share <= 1.0


def test_format_alone_lists_every_shape_with_its_example() -> None:
    result = litdigest("import", "--format")
    assert result.returncode == 0, result.stderr
    for name, example in formats.examples():
        assert f"{name}" in result.stdout and example in result.stdout
    help_text = litdigest("import", "--help").stdout
    assert all(name in help_text for name in formats.FORMAT_NAMES)


def test_a_refused_file_among_several_is_named_and_skip_unreadable_imports_the_rest(tmp_path: Path) -> None:
    good = write_raw(tmp_path / "raw", "good.txt", link_first("abstract-lines"))
    bad = write_raw(tmp_path / "raw", "bad.txt", "just a note\n")
    refused = litdigest("import", "--content", str(tmp_path / "content"), str(good), str(bad))
    assert refused.returncode == 1
    assert f"{bad}: no shape fits" in refused.stderr and "--skip-unreadable" in refused.stderr
    assert not (tmp_path / "content").exists()
    done = litdigest("import", "--skip-unreadable", "--content", str(tmp_path / "content"),
                     str(good), str(bad))
    assert done.returncode == 0, done.stderr
    assert f"skipped {bad}: no shape fits" in done.stdout
    assert "1 file skipped" in done.stdout
    assert len(load_content(tmp_path / "content").papers) == 3


def test_a_publication_page_byline_goes_to_its_fields_and_its_short_description_is_the_abstract() -> None:
    text = ("A Short Method for Long Problems\nAnn Lee, Bo Kim,\nCy Park, Di Wu\nNature Astronomy\n"
            "project page / arXiv / code\nA short method solves long problems in one pass.\n"
            "Another Method\nBo Kim, Ann Lee\nICLR, 2025   (Oral)\npdf  abstract  bibtex\n"
            "Another method, described in a single short sentence here.\n")
    found = parsed(text)
    assert found.format == "category-listing"
    assert [(p.title, p.authors, p.venue) for p in found.papers] == [
        ("A Short Method for Long Problems", ("Ann Lee", "Bo Kim", "Cy Park", "Di Wu"), "Nature Astronomy"),
        ("Another Method", ("Bo Kim", "Ann Lee"), "ICLR, 2025   (Oral)")]
    assert found.papers[1].abstract == "Another method, described in a single short sentence here."
    assert [text for _, text in found.unplaced] == ["project page / arXiv / code", "pdf  abstract  bibtex"]
