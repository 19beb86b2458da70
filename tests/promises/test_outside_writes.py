"""The promise that nothing is written outside `content/`: the import's journal is data, and
every path it names must stay inside `content/` once symbolic links are followed; a folder of
`content/` linked elsewhere is never written through. Each case here wrote or deleted outside
`content/` before (and said "nothing was changed").
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from litdigest.content import journal
from tests.helpers.commands import litdigest
from tests.helpers.paths import RAW
from tests.helpers.trees import snapshot

RAW_FILE = sorted(RAW.glob("*.txt"))[0]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "victim.txt").write_text("precious", encoding="utf-8")
    return folder


def plant_journal(content: Path, entries: list[list[str | None]], folders: list[str] = ()) -> None:
    (content / journal.STAGING).mkdir(exist_ok=True)
    (content / journal.STAGING / "1.old").write_text("planted", encoding="utf-8")
    (content / journal.JOURNAL).write_text(json.dumps({"entries": entries, "folders": list(folders)}),
                                           encoding="utf-8")


@pytest.mark.parametrize("raw", ["missing.txt", str(RAW_FILE)], ids=["a missing file", "a real digest"])
def test_a_planted_journal_through_a_linked_folder_touches_nothing_outside(
        tmp_path: Path, content_copy: Path, outside: Path, raw: str) -> None:
    os.symlink(outside, content_copy / "papers" / "evil")
    plant_journal(content_copy, [["papers/evil/victim.txt", "1.new", None],
                                 ["papers/evil/created.txt", "2.new", "1.old"]])
    before = snapshot(outside), snapshot(content_copy)
    result = litdigest("import", raw, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "error: content/.import-journal.json: unreadable journal of an interrupted import" in result.stderr
    assert "leads outside the folder through a symbolic link" in result.stderr
    assert (snapshot(outside), snapshot(content_copy)) == before


def test_a_planted_journal_naming_a_linked_page_is_refused(content_copy: Path, outside: Path) -> None:
    os.symlink(outside / "victim.txt", content_copy / "papers" / "linked.md")
    plant_journal(content_copy, [["papers/linked.md", "1.new", "1.old"]])
    with pytest.raises(journal.LitdigestError, match="leads outside the folder"):
        journal.recover(content_copy)
    assert (outside / "victim.txt").read_text("utf-8") == "precious"


def test_a_planted_journal_with_a_linked_staging_folder_is_refused(content_copy: Path, outside: Path) -> None:
    planted = {"entries": [["papers/x.md", "1.new", "victim.txt"]], "folders": []}
    (content_copy / journal.JOURNAL).write_text(json.dumps(planted), encoding="utf-8")
    os.symlink(outside, content_copy / journal.STAGING)
    with pytest.raises(journal.LitdigestError, match="is a symbolic link"):
        journal.recover(content_copy)
    assert snapshot(outside) == {"victim.txt": b"precious"}
    assert not (content_copy / "papers" / "x.md").exists()


def test_pages_are_never_written_through_a_folder_linked_outside(tmp_path: Path, content_copy: Path,
                                                                 outside: Path) -> None:
    digests = content_copy / "digests"
    for page in digests.iterdir():
        page.rename(outside / page.name)
    digests.rmdir()
    os.symlink(outside, digests)
    (outside / "000.md").unlink()  # the import would write it again
    before = snapshot(outside)
    result = litdigest("import", str(RAW_FILE), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "refusing to write outside content: a symbolic link leads elsewhere" in result.stderr
    assert snapshot(outside) == before
