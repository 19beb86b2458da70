"""Removing a paper is the author's act, and it sticks: `litdigest remove` (or deleting the page
by hand) takes it off the site and out of its digests, no later import brings it back, and
`litdigest restore` puts it back where it was. Taking a paper off one digest's list takes it off
that digest only. Run through the command line, as an author would."""

from __future__ import annotations

import json
from pathlib import Path

from litdigest.content.folder import load_content
from litdigest.importer.run import run_import
from litdigest.importer.state import STATE_FILE
from tests.helpers.commands import litdigest, litdigest_ok
from tests.helpers.raw_digests import all_raw, raw_file
from tests.helpers.trees import snapshot

RLHF = "adaptive-message-wise-rlhf"  # a paper of digest 003 (abstract-lines) only


def imported(raw_dir: Path, content: Path) -> dict[str, bytes]:
    run_import(all_raw(raw_dir), content)
    return snapshot(content)


def digest_papers(content: Path, name: str) -> tuple[str, ...]:
    return next(d.papers for d in load_content(content).digests if d.id == name)


def paper_id(content: Path, slug: str) -> str:
    return next(p.id for p in load_content(content).papers if p.slug == slug)


def site_digest(tmp_path: Path, content: Path, name: str) -> str:
    site = tmp_path / "site"
    litdigest_ok("build", "--content", str(content), "--output", str(site))
    return (site / "digests" / name / "index.html").read_text(encoding="utf-8")


def test_a_removed_paper_leaves_the_site_and_its_digests_and_no_import_brings_it_back(
        tmp_path: Path, raw_dir: Path, content_dir: Path) -> None:
    imported(raw_dir, content_dir)
    pid = paper_id(content_dir, RLHF)
    said = litdigest_ok("remove", RLHF, "--content", str(content_dir)).stdout
    assert f"removed papers/{RLHF}.md, taken out of digests/003.md" in said
    assert not (content_dir / "papers" / f"{RLHF}.md").exists()
    assert (content_dir / ".removed" / f"{RLHF}.md").is_file()
    assert pid not in digest_papers(content_dir, "003")
    assert f"papers/{RLHF}/" not in site_digest(tmp_path, content_dir, "003")
    litdigest_ok("check", "--content", str(content_dir), "--output", str(tmp_path / "site"))

    again = run_import([raw_file(raw_dir, "003")], content_dir)
    assert again.files[0].removed == ((1, RLHF),) and again.files[0].new == 0
    assert "papers/adaptive-message-wise-rlhf.md was removed by you, not re-added" in again.text()
    assert not (content_dir / "papers" / f"{RLHF}.md").exists()
    assert pid not in digest_papers(content_dir, "003")
    assert run_import(all_raw(raw_dir), content_dir).written == ()  # and again: a no-op


def test_deleting_a_page_by_hand_removes_the_paper_as_remove_does(
        tmp_path: Path, raw_dir: Path, content_dir: Path) -> None:
    imported(raw_dir, content_dir)
    pid = paper_id(content_dir, RLHF)
    (content_dir / "papers" / f"{RLHF}.md").unlink()
    report = run_import(all_raw(raw_dir), content_dir)
    assert [f.removed for f in report.files if f.removed] == [((1, RLHF),)]
    assert not (content_dir / "papers" / f"{RLHF}.md").exists()
    assert pid not in digest_papers(content_dir, "003")  # the digest page follows
    state = json.loads((content_dir / STATE_FILE).read_text(encoding="utf-8"))
    assert state["papers"][pid]["removed"] is True
    litdigest_ok("build", "--content", str(content_dir), "--output", str(tmp_path / "site"))
    litdigest_ok("check", "--content", str(content_dir), "--output", str(tmp_path / "site"))
    assert run_import(all_raw(raw_dir), content_dir).written == ()


def test_restore_puts_a_removed_paper_back_where_it_was(raw_dir: Path, content_dir: Path) -> None:
    before = imported(raw_dir, content_dir)
    slugs = [RLHF, "alignment-faking-in-large-language-models"]
    litdigest_ok("remove", *slugs, "--content", str(content_dir))
    said = litdigest_ok("restore", *slugs, "--content", str(content_dir)).stdout
    assert f"restored papers/{RLHF}.md, back in digests/003.md" in said
    assert snapshot(content_dir) == before  # every byte, each paper at its place in its digest
    assert run_import(all_raw(raw_dir), content_dir).written == ()


def test_restoring_a_page_deleted_by_hand_lets_the_next_import_write_it_anew(
        raw_dir: Path, content_dir: Path) -> None:
    before = imported(raw_dir, content_dir)
    (content_dir / "papers" / f"{RLHF}.md").unlink()
    run_import(all_raw(raw_dir), content_dir)
    said = litdigest_ok("restore", RLHF, "--content", str(content_dir)).stdout
    assert "deleted by hand" in said
    report = run_import(all_raw(raw_dir), content_dir)
    assert sum(f.new for f in report.files) == 1
    assert (content_dir / "papers" / f"{RLHF}.md").is_file()  # under its slug again
    assert paper_id(content_dir, RLHF) in digest_papers(content_dir, "003")
    assert set(snapshot(content_dir)) == set(before)
    assert run_import(all_raw(raw_dir), content_dir).written == ()


def test_a_paper_taken_off_one_digests_list_leaves_that_digest_only(
        tmp_path: Path, raw_dir: Path, content_dir: Path) -> None:
    week_later = raw_dir / "005.txt"  # the same papers posted again a week later
    week_later.write_bytes(raw_file(raw_dir, "003").read_bytes())
    imported(raw_dir, content_dir)
    paper = next(p for p in load_content(content_dir).papers if p.slug == RLHF)
    pid, (first, other) = paper.id, paper.digests
    page = content_dir / "digests" / f"{first}.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(f"  - {json.dumps(pid)}\n", "").replace(f"  - {pid}\n", ""),
                    encoding="utf-8")
    assert pid not in digest_papers(content_dir, first)
    html = site_digest(tmp_path, content_dir, first)
    assert f"papers/{paper.slug}/" not in html  # the digest page follows its list
    assert f"papers/{paper.slug}/" in site_digest(tmp_path, content_dir, other)
    report = run_import(all_raw(raw_dir), content_dir)
    assert pid not in digest_papers(content_dir, first)  # the import keeps it off
    assert "stays removed" in report.text()
    assert (content_dir / "papers" / f"{paper.slug}.md").is_file()


def test_removing_or_restoring_what_is_not_there_changes_nothing(
        raw_dir: Path, content_dir: Path) -> None:
    before = imported(raw_dir, content_dir)
    refused = litdigest("remove", RLHF, "no-such-paper", "--content", str(content_dir))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "no-such-paper.md: no paper page 'no-such-paper'" in refused.stderr
    refused = litdigest("restore", RLHF, "--content", str(content_dir))
    assert refused.returncode == 1 and f"no removed paper '{RLHF}'" in refused.stderr
    for path in ("../papers/" + RLHF, "../../outside"):  # a path is no slug, whatever it names
        refused = litdigest("restore", path, "--content", str(content_dir))
        assert refused.returncode == 1 and "is not a slug" in refused.stderr
    assert snapshot(content_dir) == before
