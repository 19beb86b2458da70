"""Re-import is safe: importing the same files again changes no byte; what a person edited keeps
the edit (and the report says so where the digest disagrees); what a person removed never comes
back; a correction made in the raw file reaches a page nobody edited; slugs never change."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.commands import litdigest
from tests.helpers.paths import CONTENT
from tests.helpers.raw_digests import all_raw, fixture, fixture_names, fixtures, loaded, raw_file, write_raw
from tests.helpers.trees import snapshot
from litdigest.content.pages import digest_text, paper_text, parse_digest, parse_paper, parse_tag, tag_text
from litdigest.errors import LitdigestError
from litdigest.importer.run import run_import
from litdigest.importer.state import STATE_FILE

DAILY = "\n".join([
    "2025년 1월 6일",
    "Zephyrine: Distilled Preferences for Small Models",
    "(Ann Lee, Bo Kim)",
    "We propose Zephyrine, a method for aligning small models. It needs no human labels at all.",
    "작은 모델 정렬에 대한 좋은 연구.",
    "두 번째 문단입니다.",
    "A good study on aligning small models.",
    "#alignment #distillation",
]) + "\n"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def daily_import(tmp_path: Path) -> tuple[Path, Path, Path]:
    """One small bilingual digest imported: (raw file, content folder, the paper's page)."""
    raw = write_raw(tmp_path / "raw", "notes.txt", DAILY)
    content = tmp_path / "content"
    run_import([raw], content)
    return raw, content, content / "papers" / "zephyrine-distilled-preferences-for-small-models.md"


# ---- the same files twice -------------------------------------------------------------------------


def test_importing_the_samples_twice_changes_nothing(raw_dir: Path, content_dir: Path) -> None:
    run_import(all_raw(raw_dir), content_dir)
    before = snapshot(content_dir)
    times = {p: p.stat().st_mtime_ns for p in content_dir.rglob("*")}
    report = run_import(all_raw(raw_dir), content_dir)
    assert [(f.new, f.merged, f.unchanged) for f in report.files] == [
        (0, 0, 10), (0, 0, 10), (0, 0, 10), (0, 0, 7), (0, 0, 7)]
    assert sum(f.unchanged for f in report.files) == 44
    assert report.written == ()
    assert snapshot(content_dir) == before
    assert {p: p.stat().st_mtime_ns for p in content_dir.rglob("*")} == times
    assert "44 papers from 5 files: 0 new, 0 merged, 44 unchanged; 1 line not placed; 0 files written" in report.text()


def test_the_committed_content_is_exactly_what_importing_the_samples_gives(raw_dir: Path, tmp_path: Path) -> None:
    """…and the Korean names its author gave the tags: the importer never writes one, nor
    changes one a person wrote."""
    content = tmp_path / "fresh"
    content.mkdir()
    shutil.copy(CONTENT / "site.yaml", content / "site.yaml")
    run_import(all_raw(raw_dir), content)
    committed = {k: v for k, v in snapshot(CONTENT).items() if not k.startswith("raw/")}
    named = {k: v for k, v in committed.items() if k.startswith("tags/") and b'ko: ""' not in v}
    assert len(named) == 11
    unnamed = {k: re.sub(rb'\nko: "[^"\n]*"\n', b'\nko: ""\n', v) for k, v in named.items()}
    assert snapshot(content) == {**committed, **unnamed}


def test_importing_the_samples_into_the_committed_content_changes_nothing(raw_dir: Path, content_copy: Path) -> None:
    before = snapshot(content_copy)
    report = run_import(all_raw(raw_dir), content_copy)
    assert sum(f.unchanged for f in report.files) == 44 and report.written == ()
    assert snapshot(content_copy) == before


def test_the_cli_twice_on_a_copy_of_the_repository(tmp_path: Path) -> None:
    """`litdigest import content/raw/*.txt` in a copy of the repository, twice: `git status` is clean."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    copy = tmp_path / "repo"
    shutil.copytree(CONTENT, copy / "content")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-C", str(copy)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "content"], check=True)
    raws = sorted(str(p.relative_to(copy)) for p in (copy / "content" / "raw").glob("*.txt"))
    for _ in range(2):
        result = litdigest("import", *raws, cwd=copy)
        assert result.returncode == 0, result.stderr
        assert result.stdout.endswith("44 papers from 5 files: 0 new, 0 merged, 44 unchanged; "
                                      "1 line not placed; 0 files written\n")
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True, check=True)
    assert status.stdout == ""


@pytest.mark.parametrize("name", fixture_names())
def test_every_realistic_digest_imported_twice_changes_nothing(tmp_path: Path, name: str) -> None:
    content = tmp_path / "content"
    run_import([fixture(name)], content)
    before = snapshot(content)
    report = run_import([fixture(name)], content)
    assert report.written == () and snapshot(content) == before
    assert report.files[0].new == report.files[0].merged == 0


def test_every_written_file_reads_back_to_the_same_bytes(raw_dir: Path, content_dir: Path) -> None:
    report = run_import([*all_raw(raw_dir), *fixtures()], content_dir)
    kinds = {"papers": (parse_paper, paper_text), "tags": (parse_tag, tag_text),
             "digests": (parse_digest, digest_text)}
    for path in report.written:
        if path.name == STATE_FILE:
            continue
        parse, write = kinds[path.parent.name]
        text = path.read_text("utf-8")
        assert write(parse(text, path)) == text, path


def test_the_state_file_is_deterministic(raw_dir: Path, tmp_path: Path) -> None:
    texts = []
    for name in ("one", "two"):
        run_import(all_raw(raw_dir), tmp_path / name)
        texts.append((tmp_path / name / STATE_FILE).read_bytes())
    assert texts[0] == texts[1]
    assert texts[0].endswith(b"\n") and b'"version": 1' in texts[0]


# ---- a person's edits survive ---------------------------------------------------------------------


def test_a_fixed_title_rewritten_commentary_and_removed_tag_survive(daily_import: tuple[Path, Path, Path]) -> None:
    raw, content, page = daily_import
    edit(page, 'title: "Zephyrine: Distilled Preferences for Small Models"', 'title: "Zephyrine"')
    edit(page, "작은 모델 정렬에 대한 좋은 연구.", "고쳐 쓴 코멘트.")
    edit(page, "tags: [alignment, distillation]", "tags: [distillation]")
    before = snapshot(content)
    report = run_import([raw], content)
    assert report.written == () and snapshot(content) == before
    assert report.files[0].unchanged == 1
    kept = {(k.field, k.page_value, k.source_value) for k in report.files[0].kept}
    assert kept == {("title", "Zephyrine", "Zephyrine: Distilled Preferences for Small Models"),
                    ("commentary:ko@notes-2025-01-06", "고쳐 쓴 코멘트.\n\n두 번째 문단입니다.",
                     "작은 모델 정렬에 대한 좋은 연구.\n\n두 번째 문단입니다."),
                    ("tag", "", "alignment")}
    text = report.text()
    assert "1 paper (0 new, 0 merged, 1 unchanged), 3 edits kept:" in text
    assert ("line 2: kept your edit of papers/zephyrine-distilled-preferences-for-small-models.md: title\n"
            "      yours:  Zephyrine\n"
            "      digest: Zephyrine: Distilled Preferences for Small Models\n") in text  # whole, not cut
    assert "tag 'alignment' stays removed" in text
    assert text.endswith("3 edits kept; 0 files written")


def test_a_removed_tag_commentary_link_and_author_list_never_come_back(daily_import: tuple[Path, Path, Path],
                                                                        tmp_path: Path) -> None:
    raw, content, page = daily_import
    text = page.read_text("utf-8")
    text = text.replace("tags: [alignment, distillation]", "tags: []")
    text = text.replace("authors: [Ann Lee, Bo Kim]", "authors: []")
    text = text[:text.index("::: commentary en")].rstrip() + "\n"
    page.write_text(text, encoding="utf-8")
    before = snapshot(content)
    run_import([raw], content)
    assert snapshot(content) == before
    (paper,) = loaded(content).papers
    assert (paper.tags, paper.authors, paper.languages) == ((), (), ("ko",))
    assert not (content / "tags" / "alignment.md").read_text("utf-8") == ""  # the tag page is kept


def test_a_correction_in_the_raw_file_reaches_a_page_nobody_edited(daily_import: tuple[Path, Path, Path]) -> None:
    raw, content, page = daily_import
    edit(raw, "A good study on aligning small models.", "A good study on aligning small language models.")
    edit(raw, "#alignment #distillation", "#alignment #distillation #small-models")
    report = run_import([raw], content)
    assert (report.files[0].merged, report.files[0].kept) == (1, ())
    (paper,) = loaded(content).papers
    assert dict((c.lang, c.text) for c in paper.commentary)["en"] == "A good study on aligning small language models."
    assert paper.tags == ("alignment", "distillation", "small-models")
    assert (content / "tags" / "small-models.md").exists()
    assert page.exists() and paper.slug == page.stem


def test_where_the_raw_file_changes_and_a_person_edited_too_the_edit_wins(daily_import: tuple[Path, Path, Path]) -> None:
    raw, content, page = daily_import
    edit(page, "A good study on aligning small models.", "My own English comment.")
    edit(raw, "A good study on aligning small models.", "A corrected English comment.")
    report = run_import([raw], content)
    (paper,) = loaded(content).papers
    assert dict((c.lang, c.text) for c in paper.commentary)["en"] == "My own English comment."
    ((field, mine, theirs),) = [(k.field, k.page_value, k.source_value) for k in report.files[0].kept]
    assert (field, mine, theirs) == ("commentary:en@notes-2025-01-06", "My own English comment.",
                                     "A corrected English comment.")
    assert "kept your edit of papers/zephyrine-distilled-preferences-for-small-models.md: " \
           "commentary (en) of digest notes-2025-01-06\n" in report.text()


def test_an_edited_digest_title_and_reordered_papers_survive(raw_dir: Path, content_dir: Path) -> None:
    run_import([raw_file(raw_dir, "003")], content_dir)
    digest = content_dir / "digests" / "003.md"
    text = digest.read_text("utf-8").replace('title: "Digest 003"\ntitle_derived: true', 'title: "Week 3"')
    assert 'title: "Week 3"' in text
    lines = text.split("\n")
    papers = [line for line in lines if line.startswith("  - ")]
    digest.write_text(text.replace("\n".join(papers), "\n".join(reversed(papers[1:]))), encoding="utf-8")
    before = snapshot(content_dir)
    report = run_import([raw_file(raw_dir, "003")], content_dir)
    assert snapshot(content_dir) == before
    assert [(k.field, k.source_value) for k in report.files[0].kept] == [("paper", papers[0][4:])]


def test_a_title_written_over_a_derived_one_is_kept_without_a_word(raw_dir: Path, content_dir: Path) -> None:
    """A derived title (a paper's from its abstract, a digest's from its file) is the importer's
    guess, not the digest's word: a person's title replaces it for good, later imports say
    nothing about it, and the page keeps its bytes (`title_derived: true` is the person's to
    delete, as the preview's note says)."""
    run_import([raw_file(raw_dir, "003")], content_dir)
    edit(content_dir / "digests" / "003.md", 'title: "Digest 003"', 'title: "Week 3"')
    paper = content_dir / "papers" / "adaptive-message-wise-rlhf.md"
    edit(paper, 'title: "Adaptive Message-wise RLHF"', 'title: "Message-wise RLHF"')
    before = snapshot(content_dir)
    report = run_import([raw_file(raw_dir, "003")], content_dir)
    assert report.written == () and snapshot(content_dir) == before
    assert report.files[0].kept == () and "kept your edit" not in report.text()
    assert report.files[0].untitled == ()  # it has a title of its own now: nothing to ask


def test_what_a_person_wrote_in_tag_and_digest_pages_survives(raw_dir: Path, content_dir: Path) -> None:
    run_import([raw_file(raw_dir, "004")], content_dir)
    page = content_dir / "papers" / "alignment-faking-in-large-language-models.md"
    edit(page, "참 Anthropic스러운 연구네요.", "고친 코멘트.")
    edit(page, 'title: "Alignment faking in large language models"', 'title: "Alignment Faking"')
    tag = content_dir / "tags" / "alignment.md"
    tag.write_text('---\nname: alignment\nko: "정렬"\nen: "Alignment"\n---\n\nHand written.\n', encoding="utf-8")
    edit(content_dir / "digests" / "004-2024-12-19.md", 'title: "2024년 12월 19일"', 'title: "Thursday"')
    before = snapshot(content_dir)
    report = run_import([raw_file(raw_dir, "004")], content_dir)
    assert report.written == ()
    assert snapshot(content_dir) == before
    assert {k.field for k in report.files[0].kept} == {"title", "commentary:ko@004-2024-12-19", "heading"}
    assert "kept your edit of digests/004-2024-12-19.md: title\n" in report.text()  # a digest's, too


def test_a_page_formatted_by_hand_is_left_byte_for_byte(raw_dir: Path, content_dir: Path) -> None:
    run_import([raw_file(raw_dir, "000"), raw_file(raw_dir, "002")], content_dir)
    page = content_dir / "papers" / "malleus.md"
    edit(page, "tags: []", "tags:   [ ]   # none yet")
    before = page.read_bytes()
    run_import([raw_file(raw_dir, "002")], content_dir)
    run_import([raw_file(raw_dir, "000")], content_dir)
    assert page.read_bytes() == before


def test_without_a_state_file_a_reimport_only_fills_in_what_is_missing(daily_import: tuple[Path, Path, Path]) -> None:
    raw, content, page = daily_import
    (content / STATE_FILE).unlink()
    edit(page, "작은 모델 정렬에 대한 좋은 연구.", "고쳐 쓴 코멘트.")
    edit(page, 'title: "Zephyrine: Distilled Preferences for Small Models"', 'title: "Zephyrine"')
    edit(page, "authors: [Ann Lee, Bo Kim]", "authors: []")
    run_import([raw], content)
    (paper,) = loaded(content).papers
    assert paper.title == "Zephyrine"
    assert paper.commentary[0].text.startswith("고쳐 쓴 코멘트.")
    assert paper.authors == ("Ann Lee", "Bo Kim")  # it lacked them
    again = snapshot(content)
    run_import([raw], content)
    assert snapshot(content) == again


def test_a_broken_state_file_is_reported_not_guessed(daily_import: tuple[Path, Path, Path]) -> None:
    raw, content, _page = daily_import
    (content / STATE_FILE).write_text("{not json", encoding="utf-8")
    before = snapshot(content)
    with pytest.raises(LitdigestError, match="unreadable import state .* delete the file"):
        run_import([raw], content)
    assert snapshot(content) == before


# ---- slugs never change ---------------------------------------------------------------------------


def test_an_existing_page_keeps_its_slug_and_file(raw_dir: Path, content_dir: Path) -> None:
    run_import([raw_file(raw_dir, "000")], content_dir)
    old = content_dir / "papers" / "malleus.md"
    moved = content_dir / "papers" / "my-own-name.md"
    moved.write_text(old.read_text("utf-8").replace("slug: malleus", "slug: my-own-name"), encoding="utf-8")
    old.unlink()
    report = run_import([raw_file(raw_dir, "000")], content_dir)
    assert report.written == ()
    assert not old.exists()


def test_a_new_real_title_does_not_change_the_slug(daily_import: tuple[Path, Path, Path]) -> None:
    raw, content, page = daily_import
    edit(raw, "Zephyrine: Distilled Preferences for Small Models", "Zephyrine: A Completely Renamed Paper")
    run_import([raw], content)
    (paper,) = loaded(content).papers
    assert paper.title == "Zephyrine: A Completely Renamed Paper"
    assert (paper.slug, sorted(p.name for p in (content / "papers").iterdir())) == (page.stem, [page.name])


def test_a_deleted_page_stays_removed_and_keeps_its_slug(raw_dir: Path, content_dir: Path) -> None:
    """Deleting a page is removing its paper (tests/test_removal.py): no import writes it again,
    and no other paper takes its slug, which `litdigest restore` gives back."""
    run_import([raw_file(raw_dir, "000")], content_dir)
    page = content_dir / "papers" / "malleus.md"
    page.unlink()
    report = run_import([raw_file(raw_dir, "000")], content_dir)
    assert report.files[0].new == 0 and report.files[0].removed
    run_import([write_raw(content_dir.parent / "raw2", "later.txt",
                          "Malleus\nAbstract: Malleus is a new method for hammering text into "
                          "shape, and we show it beats every baseline on three benchmarks.\n")],
               content_dir, fmt="abstract-lines")
    assert not page.exists() and (content_dir / "papers" / "malleus-2.md").is_file()


def test_a_page_whose_arxiv_link_a_person_removed_is_still_found_by_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    run_import([fixture("markers_urls")], content)
    page = content / "papers" / "low-rank-adaptation.md"
    edit(page, 'links: {arxiv: "https://arxiv.org/abs/2106.09685"}', "links: {}")
    text = page.read_text("utf-8")
    page.write_text(text[:text.index("---\n\n") + 5] + "My own summary of LoRA.\n", encoding="utf-8")
    report = run_import([fixture("profile_korean")], content)
    assert report.files[0].new == 1  # the Korean paper only; LoRA is found by its remembered arXiv id
    lora = [p for p in loaded(content).papers if "profile-korean" in p.digests and "markers-urls" in p.digests]
    assert len(lora) == 1 and lora[0].links == () and lora[0].abstract == "My own summary of LoRA."


GPT4 = ("This report describes GPT-4, a large multimodal model that takes images and text as input "
        "and produces text. Although it is less capable than people in many real-world situations, "
        "GPT-4 performs at a human level on a range of professional and academic benchmarks.")
GPT4_CUT = GPT4[:84]  # too short to be recognised as a cut-short copy of the whole abstract


def test_a_listing_recognised_once_is_recognised_again(tmp_path: Path) -> None:
    """Found by hypothesis: a cut-short abstract that matched a page's (equally cut-short)
    abstract must still name that page after the page gained the whole abstract, or the second
    import of the same file makes it a page of its own."""
    content, raw = tmp_path / "content", tmp_path / "dupes.txt"
    raw.write_text(f"Abstract: {GPT4_CUT}\narXiv:2303.08774v6\n", encoding="utf-8")
    run_import([raw], content)
    raw.write_text(f"Abstract: {GPT4}\narXiv:2303.08774v6\nAbstract: {GPT4_CUT}\n", encoding="utf-8")
    first = run_import([raw], content)
    again = run_import([raw], content)
    assert (first.files[0].new, first.files[0].repeated) == (0, ((3, 1),))
    assert (again.files[0].new, again.written) == (0, ())
    assert len(list((content / "papers").glob("*.md"))) == 1


def test_a_second_digest_that_says_otherwise_is_reported_not_silently_dropped(tmp_path: Path) -> None:
    category, title, abstract = next((CONTENT / "raw").glob("002_*.txt")).read_text("utf-8").splitlines()[:3]
    other = "A different account of the same paper, as a second digest gives it. " * 3
    content, first, second = tmp_path / "content", tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(f"{category}\n{title}\n{abstract}\n", encoding="utf-8")
    second.write_text(f"{category}\n{title}\n{other.strip()}\n", encoding="utf-8")
    run_import([first], content)
    report = run_import([second], content)
    ((kept,),) = [f.kept for f in report.files]
    assert (kept.field, kept.source_value, kept.by) == ("abstract", other.strip(), "earlier digest")
    assert kept.page_value.startswith("This paper concerns the problem of aligning samples")
    text = report.text()
    assert "1 paper (0 new, 1 merged, 0 unchanged), 1 value not used:" in text
    assert "abstract stays as an earlier digest gave it; this one's is not used\n" in text
    shown = " ".join(line.strip() for line in text.splitlines() if line.startswith("      "))
    assert " ".join(kept.page_value.split()) in shown  # both values whole, wrapped
    assert f"not used: {' '.join(other.split())}" in shown
    assert all(len(line) <= 100 for line in text.splitlines() if line.startswith("      "))
    assert "1 value not used; " in text
    page = next((content / "papers").glob("*.md")).read_text("utf-8")
    assert "This paper concerns the problem" in page and "A different account" not in page


# ---- one file, one digest ---------------------------------------------------------------------------

def test_another_file_that_would_make_the_same_digest_is_refused_not_merged(tmp_path: Path) -> None:
    sample = next((CONTENT / "raw").glob("003_*.txt"))  # undated: its digest is named by the file
    other_sample = next((CONTENT / "raw").glob("002_*.txt"))
    content = tmp_path / "content"
    first = tmp_path / "week1" / "003.txt"
    first.parent.mkdir()
    shutil.copy(sample, first)
    run_import([first], content)
    before = snapshot(content)
    a_week_later = tmp_path / "week2" / "003.txt"  # the same name, other papers
    a_week_later.parent.mkdir()
    shutil.copy(other_sample, a_week_later)
    with pytest.raises(LitdigestError) as refused:
        run_import([a_week_later], content)
    assert "would be merged into digest '003', which lists 7 other papers, none of this file's" \
        in str(refused.value)
    assert "rename this file (say 003-2.txt)" in str(refused.value)
    renamed = tmp_path / "week1" / "003.md"  # another file that makes the digest '003'
    shutil.copy(sample, renamed)
    with pytest.raises(LitdigestError) as clash:
        run_import([renamed], content)
    assert "which was imported from 003.txt" in str(clash.value)
    assert snapshot(content) == before  # nothing merged, nothing written
    run_import([first], content)  # the file it came from, again: the same digest
    assert snapshot(content) == before


# ---- --diff: what an import would change -----------------------------------------------------------

def test_diff_shows_what_an_import_would_change_and_writes_nothing(daily_import: tuple[Path, Path, Path]) -> None:
    raw, content, page = daily_import
    edit(raw, "Zephyrine: Distilled Preferences for Small Models", "Zephyrine: Distilled Preferences")
    before = snapshot(content)
    report = run_import([raw], content, dry_run=True)
    assert snapshot(content) == before
    changed = [change.splitlines()[1] for change in report.changes]
    assert changed == [f"+++ b/content/papers/{page.name}", "+++ b/content/.import-state.json"]
    assert '-title: "Zephyrine: Distilled Preferences for Small Models"\n' in report.changes[0]
    assert '+title: "Zephyrine: Distilled Preferences"\n' in report.changes[0]
    assert report.text().endswith("2 files would change (--diff: nothing written)")
    written = run_import([raw], content).written
    assert sorted(p.name for p in written) == sorted([page.name, ".import-state.json"])


def test_the_cli_prints_the_diff(daily_import: tuple[Path, Path, Path]) -> None:
    raw, content, _ = daily_import
    result = litdigest("import", "--diff", "--content", str(content), str(raw))
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("0 files would change (--diff: nothing written)\n")


def test_a_tag_the_raw_digest_drops_leaves_a_page_nobody_retagged(daily_import: tuple[Path, Path, Path]) -> None:
    raw, content, page = daily_import
    edit(raw, "#alignment #distillation", "#alignment")
    run_import([raw], content)
    assert parse_paper(page.read_text("utf-8"), page).tags == ("alignment",)
    run_import([raw], content)  # and stays gone
    assert parse_paper(page.read_text("utf-8"), page).tags == ("alignment",)


def test_a_tag_the_raw_digest_drops_stays_where_a_person_edited_the_tags(
        daily_import: tuple[Path, Path, Path]) -> None:
    raw, content, page = daily_import
    edit(page, "tags: [alignment, distillation]", "tags: [alignment, distillation, small-models]")
    edit(raw, "#alignment #distillation", "#alignment")
    run_import([raw], content)
    assert parse_paper(page.read_text("utf-8"), page).tags == ("alignment", "distillation", "small-models")
