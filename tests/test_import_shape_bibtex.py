"""BibTeX files import as a user exports them: every entry a paper with its title, authors, date,
abstract, arXiv id, DOI, link, keywords, venue and notes; LaTeX turned into text; macros
expanded; an entry bibtexparser cannot read reported with its line while the rest import; and
a paper keeps its arXiv id and DOI, so the same paper from another shape merges into its page.

The entries are real: the corpus files (tests/fixtures/real/, sources in SOURCES.md) and
citations as arXiv, Google Scholar, NASA ADS and the ACL Anthology export them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from litdigest.content.folder import load_content
from litdigest.importer import clean
from litdigest.importer.formats import FORMATS, bibtex, detect_format, parse, unaccounted
from tests.helpers.commands import litdigest_ok
from tests.helpers.fidelity import CORPUS

# arXiv's "Export BibTeX Citation" (abs page of 2303.08774)
ARXIV_EXPORT = """@misc{openai2024gpt4technicalreport,
      title={GPT-4 Technical Report},
      author={OpenAI and Josh Achiam and Steven Adler and Sandhini Agarwal},
      year={2024},
      eprint={2303.08774},
      archivePrefix={arXiv},
      primaryClass={cs.CL},
      url={https://arxiv.org/abs/2303.08774},
}
"""
# Google Scholar's "Cite → BibTeX": lower-cased title, authors cut short with `and others`
GOOGLE_SCHOLAR = """@article{touvron2023llama,
  title={Llama 2: Open foundation and fine-tuned chat models},
  author={Touvron, Hugo and Martin, Louis and Stone, Kevin and Albert, Peter and Almahairi, Amjad and Babaei, Yasmine and Bashlykov, Nikolay and Batra, Soumya and Bhargava, Prajjwal and Bhosale, Shruti and others},
  journal={arXiv preprint arXiv:2307.09288},
  year={2023}
}
"""
# NASA ADS (as a README quotes it): braced last names, a quoted title, arXiv in `eprint`
ADS_EXPORT = """@ARTICLE{2015arXiv150603099B,
       author = {{Bengio}, Samy and {Vinyals}, Oriol and {Jaitly}, Navdeep and
         {Shazeer}, Noam},
        title = "{Scheduled Sampling for Sequence Prediction with Recurrent Neural Networks}",
      journal = {arXiv e-prints},
     keywords = {Computer Science - Machine Learning, Computer Science - Computation and Language, Computer Science - Computer Vision and Pattern Recognition},
         year = "2015",
        month = "Jun",
          eid = {arXiv:1506.03099},
        pages = {arXiv:1506.03099},
archivePrefix = {arXiv},
       eprint = {1506.03099},
 primaryClass = {cs.LG},
       adsurl = {https://ui.adsabs.harvard.edu/abs/2015arXiv150603099B},
      adsnote = {Provided by the SAO/NASA Astrophysics Data System}
}
"""
# the ACL Anthology's entry (wtpsplit's README): `{'}`, `{\\'c}`, `{\\%}`, `--`, `month = jul`
ACL_ANTHOLOGY = r"""@inproceedings{minixhofer-etal-2023-wheres,
    title = "Where{'}s the Point? Self-Supervised Multilingual Punctuation-Agnostic Sentence Segmentation",
    author = "Minixhofer, Benjamin  and
      Pfeiffer, Jonas  and
      Vuli{\'c}, Ivan",
    booktitle = "Proceedings of the 61st Annual Meeting of the Association for Computational Linguistics (Volume 1: Long Papers)",
    month = jul,
    year = "2023",
    address = "Toronto, Canada",
    publisher = "Association for Computational Linguistics",
    url = "https://aclanthology.org/2023.acl-long.398",
    pages = "7215--7235",
    abstract = "The main results indicate that our method outperforms all the prior best sentence-segmentation tools by an average of 6.1{\%} F1 points.",
}
"""


def papers_of(text: str):
    lines = clean.split_lines(text)
    assert detect_format(lines) == "bibtex"
    found = parse(lines, "bibtex")
    assert unaccounted(lines, found) == []
    return found


def corpus_lines(name: str) -> list[str]:
    return clean.split_lines((CORPUS / name).read_text(encoding="utf-8"))


def test_a_zotero_biblatex_export_gives_every_field_of_an_entry():
    lines = corpus_lines("zotero_biblatex_rl-library.bib")
    assert detect_format(lines) == "bibtex"
    first = parse(lines, "bibtex").papers[0]
    assert first.title == "Learning to Win by Reading Manuals in a Monte-Carlo Framework"
    assert first.authors == ("S. R. K. Branavan", "David Silver", "Regina Barzilay")
    assert (first.arxiv, first.doi) == ("1401.5390", "10.1613/jair.3484")
    assert first.published == dt.date(2012, 4, 30)
    assert first.venue == "Journal of Artificial Intelligence Research"
    assert first.tags[0] == "Computer Science - Artificial Intelligence"
    assert first.abstract.startswith("Domain knowledge is crucial")
    assert first.lines == tuple(range(1, 21))  # the entry's lines, its closing brace too


def test_zotero_bibtex_notes_that_only_repeat_the_arxiv_id_are_not_commentary():
    papers = parse(corpus_lines("zotero_bibtex_nli-contradiction.bib"), "bibtex").papers
    demszky = papers[1]  # note = {arXiv:1809.02922 [cs]\ntype: article}
    assert demszky.arxiv == "1809.02922" and demszky.commentary == ()
    assert demszky.published is None  # `month = sep, year = {2018}` names no day


def test_an_arxiv_export_keeps_its_arxiv_id_and_a_one_word_author():
    paper = papers_of(ARXIV_EXPORT).papers[0]
    assert paper.arxiv == "2303.08774" and paper.links == ()  # the url is the arXiv link
    assert paper.authors == ("OpenAI", "Josh Achiam", "Steven Adler", "Sandhini Agarwal")


def test_google_scholar_and_others_names_no_one_and_its_arxiv_journal_is_the_id_not_the_venue():
    paper = papers_of(GOOGLE_SCHOLAR).papers[0]
    assert len(paper.authors) == 10 and paper.authors[-1] == "Shruti Bhosale"
    assert paper.arxiv == "2307.09288" and paper.venue is None


def test_ads_braced_names_and_quoted_titles_become_plain_text():
    paper = papers_of(ADS_EXPORT).papers[0]
    assert paper.title == "Scheduled Sampling for Sequence Prediction with Recurrent Neural Networks"
    assert paper.authors == ("Samy Bengio", "Oriol Vinyals", "Navdeep Jaitly", "Noam Shazeer")
    assert paper.arxiv == "1506.03099" and paper.venue is None


def test_latex_accents_escapes_and_dashes_become_text():
    paper = papers_of(ACL_ANTHOLOGY).papers[0]
    assert paper.title.startswith("Where's the Point?")
    assert paper.authors[-1] == "Ivan Vulić"
    assert "6.1% F1 points" in paper.abstract
    assert bibtex.text_of(r"{BERT}: Pre-training -- M{\"u}ller $\alpha$-nets") == (
        "BERT: Pre-training – Müller $\\alpha$-nets")
    assert bibtex.authors_of("von Glehn, Tamara and {American Psychological Association}") == (
        "Tamara von Glehn", "American Psychological Association")


def test_string_macros_are_expanded_and_comments_are_shown_as_not_imported():
    text = ('@string{acl = "Proceedings of the 61st Annual Meeting of the Association for'
            ' Computational Linguistics"}\n\n% exported by hand\n' + ACL_ANTHOLOGY.replace(
                '"Proceedings of the 61st Annual Meeting of the Association for Computational'
                ' Linguistics (Volume 1: Long Papers)"', "acl"))
    found = papers_of(text)
    assert found.papers[0].venue == ("Proceedings of the 61st Annual Meeting of the Association"
                                     " for Computational Linguistics")
    assert found.digests[0].lines == (1,)  # the macro: its value is in the paper's venue
    assert found.unplaced == ((3, "% exported by hand"),)  # a comment is shown, not dropped


def test_a_broken_entry_is_reported_with_its_lines_and_the_others_import(tmp_path: Path):
    raw = tmp_path / "mine.bib"
    broken = "@article{broken,\n  title = {Never closed\n  author = {Nobody}\n\n"
    raw.write_text(ARXIV_EXPORT + "\n" + broken + GOOGLE_SCHOLAR + "stray words\n", encoding="utf-8")
    result = litdigest_ok("import", str(raw), "--content", str(tmp_path / "content"))
    assert "2 papers" in result.stdout
    assert "line 11: @article{broken," in result.stdout and "line 13: author = {Nobody}" in result.stdout
    assert "line 21: stray words" in result.stdout
    assert result.stderr == ""  # bibtexparser's own complaint is not printed: the lines are
    ids = sorted(p.id for p in load_content(tmp_path / "content").papers)
    assert ids == ["arxiv:2303.08774", "arxiv:2307.09288"]


def test_a_bib_paper_and_the_same_paper_from_another_shape_share_one_page(tmp_path: Path):
    content = tmp_path / "content"
    bib, notes = tmp_path / "library.bib", tmp_path / "notes.txt"
    bib.write_text(ADS_EXPORT + "\n" + ACL_ANTHOLOGY.replace(
        '    url = "https://aclanthology.org/2023.acl-long.398",\n',
        '    url = "https://aclanthology.org/2023.acl-long.398",\n    doi = "10.18653/v1/2023.acl-long.398",\n'),
        encoding="utf-8")
    notes.write_text("Scheduled Sampling\nAbstract: We propose a curriculum learning strategy to"
                     " gently change the training process from a fully guided scheme.\n"
                     "arXiv:1506.03099\n\nWtP\nAbstract: Sentence segmentation without"
                     " punctuation, in 85 languages, trained on newlines.\n"
                     "https://doi.org/10.18653/v1/2023.acl-long.398\n", encoding="utf-8")
    litdigest_ok("import", str(bib), "--content", str(content))
    litdigest_ok("import", str(notes), "--content", str(content))
    papers = {p.id: p for p in load_content(content).papers}
    assert sorted(papers) == ["arxiv:1506.03099", "doi:10.18653/v1/2023.acl-long.398"]
    assert all(p.digests == ("library", "notes") for p in papers.values())


def test_bibtex_goes_with_the_record_formats_first_and_steals_no_other_shape():
    assert bibtex in FORMATS[:3]
    for other in ("000", "001", "002", "003", "004"):
        sample = next(Path(__file__).resolve().parent.parent.joinpath("content", "raw").glob(f"{other}*"))
        assert not bibtex.detect(clean.split_lines(sample.read_text(encoding="utf-8")))
    assert bibtex.fit(["Title", "Abstract: text"]).lacks
    assert bibtex.fit(["See @article{x, below", "@article{x, title={T}}"]).lacks
    assert bibtex.fit(["#reading-list", "@article{x, title={T}}"]).lacks  # a #tag is no heading


def test_a_jabref_file_with_its_header_parenthesised_entries_and_a_full_date():
    text = ("% This file was created with JabRef 2.10.\n% Encoding: UTF8\n\n\n"
            "@ARTICLE(Smith2020,\n  Title = {A Study of {S}omething},\n"
            "  Author = {Smith, John and M\\\"uller, Anna},\n  Journal = {Journal of Things},\n"
            "  Year = {2020},\n  Month = {June},\n  Day = {15},\n  Doi = {10.1000/abc\\_def},\n"
            "  Url = {https://example.org/a\\_b},\n  Keywords = {things; stuff}\n)\n\n"
            "@Comment{jabref-meta: databaseType:bibtex;}\n")
    found = papers_of(text)
    [paper] = found.papers
    assert paper.title == "A Study of Something" and paper.authors == ("John Smith", "Anna Müller")
    assert paper.published == dt.date(2020, 6, 15) and paper.doi == "10.1000/abc_def"
    assert paper.links == (("web", "https://example.org/a_b"),) and paper.tags == ("things", "stuff")
    assert [n for n, _ in found.unplaced] == [1, 2, 17]  # JabRef's header and its meta comment


def test_a_readmes_citations_section_reads_with_its_code_fences_as_markup():
    lines = corpus_lines("bibtex_readme-citations_x-transformers.md")
    assert detect_format(lines) == "bibtex"
    found = parse(lines, "bibtex")
    assert found.unplaced == ((1, "## Citations"),) and unaccounted(lines, found) == []
    assert all(lines[n - 1].startswith("```") for n in found.digests[0].lines)
    persistent = found.papers[1]  # `Herv{\'{e}} J{\'{e}}gou`, DBLP's `journal = {CoRR}`
    assert "Hervé Jégou" in persistent.authors and persistent.arxiv == "1907.01470"
    assert found.papers[2].arxiv == "1910.05895"  # `eprint = {arXiv:1910.05895}`, no archivePrefix


def test_a_markdown_note_that_quotes_a_citation_is_not_a_bib_file():
    note = ("# Attention Is All You Need\n\nThe transformer paper; read for the related work.\n\n"
            "```bibtex\n" + ARXIV_EXPORT + "```\n")
    assert not bibtex.detect(clean.split_lines(note))


def test_an_entry_with_nothing_to_make_a_page_of_is_reported_not_imported():
    lines = clean.split_lines("@misc{onlyurl, url = {https://example.org/x}}\n\n@misc{empty,}\n\n"
                              + GOOGLE_SCHOLAR)
    found = parse(lines, "bibtex")
    assert [p.arxiv for p in found.papers] == ["2307.09288"]
    assert [n for n, _ in found.unplaced] == [1, 3]
