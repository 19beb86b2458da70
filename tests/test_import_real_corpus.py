"""The importer on real text that nobody here wrote: the corpus in tests/fixtures/real/ (where each
file came from is in its SOURCES.md), each file with the facts of its papers written down by hand
from the source (`<stem>.expected.yaml`, format in tests/helpers/fidelity.py). `python
bench/fidelity.py -v` prints the same figures, and every fact lost."""

from __future__ import annotations

import pytest

import yaml

from tests.helpers.fidelity import CORPUS, corpus_files, golden_path, measure, measure_corpus

FILES = corpus_files()


def test_the_corpus_is_real_and_varied():
    """Every file names its source; at least 15 files and 100 papers in at least 10 shapes."""
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for raw in FILES:
        assert f"`{raw.name}`" in sources, f"{raw.name} has no source in SOURCES.md"
    goldens = [yaml.safe_load(golden_path(raw).read_text(encoding="utf-8")) for raw in FILES]
    assert len(FILES) >= 15 and sum(len(g["papers"]) for g in goldens) >= 100
    assert len({g["shape"] for g in goldens}) >= 10


@pytest.mark.parametrize("raw", FILES, ids=[p.name for p in FILES])
def test_each_file_is_read_in_its_shape_with_every_paper(raw):
    result = measure(raw)
    assert result.detected is not None, f"refused: {result.refusal}"
    assert result.detected == result.shape
    assert result.found == result.papers, [m for m in result.misses if m.fact in ("arxiv", "doi", "title")]
    assert result.spurious == ()


def test_the_corpus_keeps_98_percent_of_its_facts():
    results = measure_corpus()
    facts = sum(f.facts for f in results)
    kept = sum(f.kept for f in results)
    assert kept >= 0.98 * facts, [(f.name, m) for f in results for m in f.misses]
