"""The importer tried as a new user would: realistic raw digests in the five shapes that are not
the samples, three per shape, each with its own quirks (tests/fixtures/import/README.md lists
them), imported one at a time and all together, in any order, then built into a site.

Each digest has a folder, tests/fixtures/import/<name>/, holding beside the raw file <name>.txt
(named so: the digest's id and `source` come from the file's name) what importing it alone into
an empty content/ gives:

    report.txt    what `litdigest import <name>.txt --content content` prints, run in that folder
    expected/     the content/ it writes: papers/*.md, tags/*.md, digests/*.md, .import-state.json

and one parametrised test compares them byte for byte. After a change meant to alter them,

    LITDIGEST_UPDATE_EXPECTED=1 python -m pytest tests/test_import_realistic_digests.py

writes the new report and pages in place; `git diff tests/fixtures/import` then shows what changed,
to read before committing.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers.commands import litdigest
from tests.helpers.expected_output import compare_or_update
from tests.helpers.paths import TEMPLATES
from tests.helpers.raw_digests import fixture, fixture_folder, fixture_names, fixtures, loaded, parsed_file, samples
from tests.helpers.trees import snapshot
from litdigest.build.pipeline import build_site
from litdigest.check.content import check_all
from litdigest.cli import main
from litdigest.importer import formats
from litdigest.importer.run import run_import

REPORT = "report.txt"
EXPECTED = "expected"


def test_there_are_three_realistic_digests_per_shape() -> None:
    shapes = Counter(parsed_file(path)[1].format for path in fixtures())
    assert shapes == Counter({name: 3 for name in formats.FORMAT_NAMES[:5]})  # the five samples' shapes


@pytest.mark.parametrize("name", fixture_names())
def test_importing_a_digest_alone_gives_its_expected_report_and_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    content = tmp_path / "content"
    content.mkdir()
    monkeypatch.chdir(fixture_folder(name))  # the report names the raw file as given: <name>.txt
    result = CliRunner().invoke(main, ["import", fixture(name).name, "--content", str(content)])
    assert result.exit_code == 0, result.output
    written = {f"{EXPECTED}/{path}": data for path, data in snapshot(content).items()}
    compare_or_update(fixture_folder(name), {REPORT: result.stdout_bytes, **written},
                      inputs={fixture(name).name})


# ---- all of them together ---------------------------------------------------------------------------------

ALL = [*samples(), *fixtures()]


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
    result = litdigest("import", *map(str, ALL), "--content", str(content))
    assert result.returncode == 0, result.stderr
    for path in ALL:
        assert f"{path}: " in result.stdout
    assert "93 papers from 20 files: 84 new, 7 merged, 0 unchanged; 14 lines not placed;" in result.stdout
    build_site(content, TEMPLATES, site)
    assert check_all(content, site).startswith("ok: 84 papers")
