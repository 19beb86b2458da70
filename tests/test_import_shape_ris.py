"""RIS exports import as reference managers write them: every `TY` … `ER` record a paper with its
title, authors, abstract, DOI, links, keywords, venue and notes; values wrapped onto following
lines read whole; lines outside a record reported, never lost; and the arXiv id found where
exports put it, so the same paper from another shape merges into its page.

The records are real: the corpus files (tests/fixtures/real/, sources in SOURCES.md).
"""

from __future__ import annotations

from pathlib import Path

from litdigest.content.folder import load_content
from litdigest.importer import clean
from litdigest.importer.formats import FORMATS, detect_format, parse, ris, unaccounted
from tests.helpers.commands import litdigest_ok
from tests.helpers.fidelity import CORPUS

# a record as an RIS file of arXiv papers writes it (DuHeng0128/Code-to-Everything, references.ris)
ARXIV_RECORD = """TY  - RPRT
ID  - AgentWorkflowMemory
TI  - Agent Workflow Memory
AU  - Wang, Zora Zhiruo
AU  - Mao, Jiayuan
AU  - Fried, Daniel
AU  - Neubig, Graham
PY  - 2024
UR  - https://arxiv.org/abs/2409.07429
AB  - Extracts reusable workflows from experience; compare workflow reuse with reusable executable skills.
DO  - 10.48550/arXiv.2409.07429
JO  - arXiv
N1  - arXiv: 2409.07429
KW  - foundations
KW  - tools
ER  -
"""


def corpus_lines(name: str) -> list[str]:
    return clean.split_lines((CORPUS / name).read_text(encoding="utf-8"))


def test_a_pubmed_fed_export_gives_every_field_and_reads_wrapped_values_whole():
    lines = corpus_lines("ris_pubmed-graph-review.ris")
    assert detect_format(lines) == "ris"
    found = parse(lines, "ris")
    assert unaccounted(lines, found) == [] and found.unplaced == ()
    mixhop, alborzi = found.papers[:2]
    assert mixhop.title == ("MixHop: Higher-Order Graph Convolutional Architectures via Sparsified"
                            " Neighborhood Mixing")  # TI wrapped onto an indented line
    assert mixhop.authors[-2:] == ("Greg Ver Steeg", "Aram Galstyan")
    assert mixhop.lines == tuple(range(1, 30))
    assert alborzi.doi == "10.1371/journal.pcbi.1008844" and alborzi.venue == "PLoS Comput Biol"
    assert alborzi.links == (("web", "https://www.ncbi.nlm.nih.gov/pubmed/34370723"),)  # not dx.doi.org
    assert alborzi.commentary[0][0] == "en" and "eCollection 2021 Aug." in alborzi.commentary[0][1][0]


def test_an_export_with_a_bom_and_no_blank_lines_between_records():
    lines = corpus_lines("ris_mendeley-gait-insole.ris")
    assert detect_format(lines) == "ris"
    papers = parse(lines, "ris").papers
    assert len(papers) == 10
    assert papers[0].venue == "Engineering in Medicine and Biology Society (EMBC)"  # BT
    assert papers[0].authors[3] == "P. Reberšek"
    assert papers[0].published is None  # `DA  - 2012//` names no day


def test_the_arxiv_id_comes_from_the_link_and_the_id_note_is_not_commentary():
    lines = clean.split_lines(ARXIV_RECORD)
    paper = parse(lines, "ris").papers[0]
    assert (paper.arxiv, paper.doi) == ("2409.07429", "10.48550/arxiv.2409.07429")
    assert paper.venue is None and paper.links == () and paper.commentary == ()
    assert paper.tags == ("foundations", "tools")
    assert paper.authors[0] == "Zora Zhiruo Wang"


def test_lines_outside_a_record_are_unplaced_and_an_unclosed_record_is_still_a_paper():
    text = ARXIV_RECORD + "copied from my reference manager\n" + ARXIV_RECORD.replace(
        "ER  -\n", "").replace("2409.07429", "2409.07430")
    lines = clean.split_lines(text)
    found = parse(lines, "ris")
    assert [p.arxiv for p in found.papers] == ["2409.07429", "2409.07430"]
    assert found.unplaced == ((17, "copied from my reference manager"),)
    assert unaccounted(lines, found) == []


def test_an_ris_paper_and_the_same_paper_from_a_bib_file_share_one_page(tmp_path: Path):
    content = tmp_path / "content"
    (tmp_path / "zotero-export.ris").write_text(ARXIV_RECORD, encoding="utf-8")
    (tmp_path / "library.bib").write_text(
        "@misc{wang2024agentworkflowmemory,\n  title={Agent Workflow Memory},\n"
        "  author={Zora Zhiruo Wang and Jiayuan Mao and Daniel Fried and Graham Neubig},\n"
        "  year={2024},\n  eprint={2409.07429},\n  archivePrefix={arXiv},\n}\n", encoding="utf-8")
    litdigest_ok("import", str(tmp_path / "zotero-export.ris"), "--content", str(content))
    litdigest_ok("import", str(tmp_path / "library.bib"), "--content", str(content))
    [page] = load_content(content).papers
    assert page.id == "arxiv:2409.07429" and page.digests == ("zotero-export", "library")


def test_ris_needs_a_record_from_its_first_line():
    assert ris in FORMATS[:3]  # the record formats go first
    assert ris.fit(["Title", "Abstract: text"]).lacks
    assert ris.fit(["My references:", "TY  - JOUR", "TI  - T", "ER  -"]).lacks
    assert not ris.fit(["TY  - JOUR", "TI  - T", "ER  -"]).lacks


def test_a_record_with_nothing_to_make_a_page_of_is_reported_not_imported():
    lines = clean.split_lines("TY  - GEN\nPY  - 2020\nER  -\n\n" + ARXIV_RECORD)
    found = parse(lines, "ris")
    assert [p.arxiv for p in found.papers] == ["2409.07429"]
    assert [n for n, _ in found.unplaced] == [1, 2, 3]
