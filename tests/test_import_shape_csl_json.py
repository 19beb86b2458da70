"""CSL JSON imports as Zotero, Better BibTeX and Manubot export it: every item of the array a
paper with its title, authors, date, abstract, DOI, links, keywords and venue; the arXiv id found
wherever the exporter put it, so the same paper from another shape merges into its page; what is
not a paper reported with its lines, never lost; and a file that only looks like JSON left to
the other shapes.

The items are real: the corpus files (tests/fixtures/real/, sources in SOURCES.md), and the
snippets below, each from the exporter named beside it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from litdigest.content.folder import load_content
from litdigest.importer import clean
from litdigest.importer.formats import FORMATS, csl_json, detect_format, parse, unaccounted
from tests.helpers.commands import litdigest, litdigest_ok
from tests.helpers.fidelity import CORPUS

# Zotero's CSL JSON of an arXiv preprint, as a public Zotero plugin's source quotes it (found with
# the search tool's file index); its abstract cut to the first sentence, one author of five kept
ZOTERO_ITEM = """[
  {
    "id": 5,
    "type": "article",
    "abstract": "Neural fields have achieved impressive advancements in view synthesis and scene reconstruction.",
    "note": "arXiv:2306.13455 [cs]",
    "number": "arXiv:2306.13455",
    "publisher": "arXiv",
    "source": "arXiv.org",
    "title": "DreamEditor: Text-Driven 3D Scene Editing with Neural Fields",
    "title-short": "DreamEditor",
    "URL": "http://arxiv.org/abs/2306.13455",
    "author": [
      { "family": "Zhuang", "given": "Jingyu" },
      { "family": "Wang", "given": "Chen" }
    ],
    "accessed": { "date-parts": [["2023", 7, 11]] },
    "issued": { "date-parts": [["2023", 6, 29]] }
  }
]"""


def corpus_lines(name: str) -> list[str]:
    return clean.split_lines((CORPUS / name).read_text(encoding="utf-8"))


def test_a_better_bibtex_library_one_item_a_line_gives_every_field():
    lines = corpus_lines("csl-json_better-bibtex_graph-stats-library.json")
    assert detect_format(lines) == "csl-json"
    found = parse(lines, "csl-json")
    assert unaccounted(lines, found) == [] and found.unplaced == ()
    assert found.digests[0].lines == (1, 13)  # the array's brackets
    first, _, _, semiparametric, survey, _, book = found.papers[:7]
    assert (first.arxiv, first.line, first.lines) == ("1701.08140", 2, (2,))
    assert first.authors[0] == "Jesús D. Arroyo-Relión" and first.published == dt.date(2017, 1, 27)
    assert first.venue is None  # `container-title: arXiv:1701.08140 [stat]` names arXiv, no venue
    assert semiparametric.doi == "10.1080/10618600.2016.1193505"
    assert semiparametric.venue == "Journal of Computational and Graphical Statistics"
    assert semiparametric.links == (  # the publisher's page: not the DOI's own link
        ("web", "https://amstat.tandfonline.com/doi/full/10.1080/10618600.2016.1193505"),)
    assert survey.published is None  # `[[2018]]`: a year dates no page
    assert survey.links == (("web", "http://jmlr.org/papers/v18/17-448.html"),)
    assert book.venue == "Undergraduate Texts in Mathematics"  # a book's series


def test_a_manubot_bibliography_pretty_printed_keeps_each_items_lines():
    lines = corpus_lines("csl-json_manubot_context-review-references.json")
    assert detect_format(lines) == "csl-json"
    found = parse(lines, "csl-json")
    assert unaccounted(lines, found) == [] and found.unplaced == ()
    book, thesis, graph = found.papers[:3]
    assert book.lines == tuple(range(2, 29)) and thesis.line == 29  # `  {` to `  },`
    assert graph.arxiv == "1210.7665" and graph.published == dt.date(2013, 4, 23)
    assert graph.commentary == ()  # Manubot's provenance `note` is not the reader's words
    assert graph.abstract.startswith("Many real world network problems")


def test_zoteros_export_names_the_arxiv_id_and_the_note_that_repeats_it_is_no_commentary():
    paper = parse(clean.split_lines(ZOTERO_ITEM), "csl-json").papers[0]
    assert (paper.arxiv, paper.doi) == ("2306.13455", None)
    assert paper.published == dt.date(2023, 6, 29)  # date parts written as strings and numbers
    assert paper.authors == ("Jingyu Zhuang", "Chen Wang") and paper.links == ()
    assert paper.commentary == () and paper.venue is None


def test_semantic_scholars_arxiv_volume_rich_text_names_and_keywords():
    text = ('[{"type": "article-journal", "title": "Transformers as <i>Support Vector</i> Machines",'
            ' "container-title": "ArXiv", "volume": "abs/2308.16898",'
            ' "abstract": "<jats:title>Abstract</jats:title><jats:p>We show that attention.</jats:p>",'
            ' "author": [{"family": "Waals", "non-dropping-particle": "van der", "given": "J. D."},'
            ' {"literal": "The LIGO Scientific Collaboration"}],'
            ' "keyword": "attention; SVM", "issued": {"raw": "2023-08-31"}},'
            ' {"type": "webpage", "URL": "https://example.org/"}]')
    lines = clean.split_lines(text)
    found = parse(lines, "csl-json")
    [paper] = found.papers
    assert paper.arxiv == "2308.16898" and paper.venue is None
    assert paper.title == "Transformers as Support Vector Machines"
    assert paper.abstract == "Abstract We show that attention."
    assert paper.authors == ("J. D. van der Waals", "The LIGO Scientific Collaboration")
    assert paper.tags == ("attention", "SVM") and paper.published == dt.date(2023, 8, 31)
    assert found.unplaced == ((1, text),)  # the item that names no paper: its line is shown


def test_json_that_is_not_a_csl_array_is_left_to_the_other_shapes():
    assert csl_json in FORMATS[:3]  # the record formats go first
    assert csl_json.fit(['{"title": "an object, not an array"}']).lacks
    assert csl_json.fit(["[1, 2, 3]"]).lacks
    assert csl_json.fit(["[Attention Is All You Need](https://arxiv.org/abs/1706.03762)"]).lacks
    assert csl_json.fit(['[{"title": "T"}', "trailing text"]).lacks
    for sample in sorted(Path(__file__).resolve().parent.parent.joinpath("content", "raw").iterdir()):
        assert not csl_json.detect(clean.split_lines(sample.read_text(encoding="utf-8")))


def test_a_csl_paper_and_the_same_paper_from_a_bib_file_share_one_page(tmp_path: Path):
    content = tmp_path / "content"
    (tmp_path / "my-library.json").write_text(ZOTERO_ITEM, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(
        "@misc{zhuang2023dreameditor,\n  title={DreamEditor: Text-Driven 3D Scene Editing with"
        " Neural Fields},\n  author={Zhuang, Jingyu and Wang, Chen},\n  year={2023},\n"
        "  eprint={2306.13455},\n  archivePrefix={arXiv},\n}\n", encoding="utf-8")
    litdigest_ok("import", str(tmp_path / "my-library.json"), "--content", str(content))
    litdigest_ok("import", str(tmp_path / "refs.bib"), "--content", str(content))
    [page] = load_content(content).papers
    assert page.id == "arxiv:2306.13455" and page.digests == ("my-library", "refs")


def test_a_cut_off_export_is_refused_not_imported_as_an_empty_digest(tmp_path: Path):
    """Cut mid-item, the file is no JSON array; what another shape makes of it holds no paper,
    and a file that gives no paper is refused, naming the shape it was read as."""
    whole = (CORPUS / "csl-json_better-bibtex_graph-stats-library.json").read_text(encoding="utf-8")
    cut = tmp_path / "library.json"
    cut.write_text(whole[:3000], encoding="utf-8")
    content = tmp_path / "content"
    refused = litdigest("import", str(cut), "--content", str(content))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "library.json: read as" in refused.stderr and "it gives no paper" in refused.stderr
    assert not content.exists() or not any(content.rglob("*.md"))
