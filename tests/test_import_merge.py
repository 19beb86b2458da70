"""The import run as a whole: merging with content/, writing only what changed, the report, and
refusing bad input without touching content/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from import_fixtures import content_dir, raw_dir, raw_file, sample, snapshot  # noqa: F401
from litdigest.content import (digest_text, load_content, paper_text, parse_digest, parse_paper,
                               parse_tag, tag_text)
from litdigest.errors import LitdigestError
from litdigest.importer import ImportReport, run_import
from litdigest.state import STATE_FILE


def all_raw(raw_dir: Path) -> list[Path]:
    return sorted(raw_dir.glob("*.txt"))


# ---- a first import and a second one -----------------------------------------------------------------


def test_importing_the_samples(raw_dir: Path, content_dir: Path) -> None:
    report = run_import(all_raw(raw_dir), content_dir)
    assert [(f.format, f.papers, f.new, f.updated, f.unchanged) for f in report.files] == [
        ("arxiv-markers", 10, 10, 0, 0), ("author-profile", 10, 10, 0, 0),
        ("category-listing", 10, 10, 0, 0), ("abstract-lines", 7, 7, 0, 0),
        ("bilingual-daily", 7, 7, 0, 0)]
    assert report.unplaced_count == 1
    assert report.files[1].unplaced == ((1, "Plotting"),)
    content = load_content(content_dir)
    assert len(content.papers) == 44
    assert sorted(d.id for d in content.digests) == ["000", "001", "002", "003", "004-2024-12-19"]
    assert {d.source for d in content.digests} == {p.name for p in all_raw(raw_dir)}
    assert len(report.written) == 44 + 11 + 5 + 1  # pages, tags, digests, the import state


def test_the_report_text(raw_dir: Path, content_dir: Path) -> None:
    text = run_import(all_raw(raw_dir), content_dir).text()
    path_001 = raw_file(raw_dir, "001")
    assert (f"{path_001}: author-profile, 10 papers (10 new, 0 merged, 0 unchanged), "
            "1 line not placed:\n  line 1: Plotting\n") in text
    assert text.endswith("44 papers from 5 files: 44 new, 0 merged, 0 unchanged; "
                         "1 line not placed; 61 files written")


def test_importing_twice_changes_nothing(raw_dir: Path, content_dir: Path) -> None:
    run_import(all_raw(raw_dir), content_dir)
    before = snapshot(content_dir)
    times = {p: p.stat().st_mtime_ns for p in content_dir.rglob("*.md")}
    report = run_import(all_raw(raw_dir), content_dir)
    assert [(f.new, f.updated, f.unchanged) for f in report.files] == [
        (0, 0, 10), (0, 0, 10), (0, 0, 10), (0, 0, 7), (0, 0, 7)]
    assert report.written == ()
    assert snapshot(content_dir) == before
    assert {p: p.stat().st_mtime_ns for p in content_dir.rglob("*.md")} == times


def test_every_written_page_reads_back_to_the_same_bytes(raw_dir: Path, content_dir: Path) -> None:
    report = run_import(all_raw(raw_dir), content_dir)
    kinds = {"papers": (parse_paper, paper_text), "tags": (parse_tag, tag_text),
             "digests": (parse_digest, digest_text)}
    for path in report.written:
        if path.name == STATE_FILE:
            continue
        parse, write = kinds[path.parent.name]
        text = path.read_text("utf-8")
        page, problems = parse(text, path)
        assert problems == [] and page is not None
        assert write(page) == text, path


def test_no_temporary_files_are_left(raw_dir: Path, content_dir: Path) -> None:
    run_import(all_raw(raw_dir), content_dir)
    assert [p.name for p in content_dir.rglob("*") if p.name.startswith(".")] == [STATE_FILE]


def test_the_same_file_twice_in_one_run_counts_once(raw_dir: Path, content_dir: Path) -> None:
    report = run_import([raw_file(raw_dir, "003"), raw_file(raw_dir, "003")], content_dir)
    assert len(report.files) == 1


# ---- merging with what content/ holds -----------------------------------------------------------------


def test_a_real_title_replaces_a_derived_one_and_keeps_the_page(raw_dir: Path, content_dir: Path,
                                                                tmp_path: Path) -> None:
    run_import([raw_file(raw_dir, "000")], content_dir)
    first_abstract = sample("000").read_text("utf-8").split("\n")[0]
    listing = tmp_path / "llm.txt"
    listing.write_text(f"Alignment\nBaichuan Alignment Technical Report\n{first_abstract}\n", encoding="utf-8")
    report = run_import([listing], content_dir)
    assert (report.files[0].new, report.files[0].updated) == (0, 1)
    paper = next(p for p in load_content(content_dir).papers if p.id == "arxiv:2410.14940")
    assert (paper.title, paper.title_derived, paper.slug) == ("Baichuan Alignment Technical Report", False,
                                                              "baichuan-alignment")
    assert paper.tags == ("alignment",)
    assert paper.digests == ("000", "llm")
    assert paper.link("arxiv") == "https://arxiv.org/abs/2410.14940"


def test_a_paper_gains_commentary_authors_date_and_digest(raw_dir: Path, content_dir: Path,
                                                          tmp_path: Path) -> None:
    run_import([raw_file(raw_dir, "002")], content_dir)
    daily = tmp_path / "daily.txt"
    daily.write_text("2025년 1월 3일\nKVQuant: Towards 10 Million Context Length LLM Inference with KV Cache "
                     "Quantization\n(Coleman Hooper, Sehoon Kim)\nA different abstract. It should not win.\n"
                     "좋은 논문입니다.\nA good paper.\n#quantization\n", encoding="utf-8")
    run_import([daily], content_dir)
    content = load_content(content_dir)
    (paper,) = [p for p in content.papers if p.title.startswith("KVQuant")]
    assert paper.authors == ("Coleman Hooper", "Sehoon Kim")
    assert paper.date == dt.date(2025, 1, 3)
    assert paper.tags == ("large-language-model", "quantization")
    assert paper.digests == ("002", "daily-2025-01-03")
    assert paper.languages == ("ko", "en")
    assert paper.abstract.startswith("LLMs are seeing growing use")
    assert len(content.papers) == 10


def test_what_a_person_wrote_survives_a_reimport(raw_dir: Path, content_dir: Path) -> None:
    run_import([raw_file(raw_dir, "004")], content_dir)
    page = content_dir / "papers" / "alignment-faking-in-large-language-models.md"
    edited = page.read_text("utf-8").replace("참 Anthropic스러운 연구네요.", "고친 코멘트.")
    edited = edited.replace('title: "Alignment faking in large language models"', 'title: "Alignment Faking"')
    page.write_text(edited, encoding="utf-8")
    tag = content_dir / "tags" / "alignment.md"
    tag.write_text('---\nname: alignment\nko: "정렬"\nen: "Alignment"\n---\n\nHand written.\n', encoding="utf-8")
    digest = content_dir / "digests" / "004-2024-12-19.md"
    digest.write_text(digest.read_text("utf-8").replace('title: "2024년 12월 19일"', 'title: "Thursday"'),
                      encoding="utf-8")
    before = snapshot(content_dir)
    report = run_import([raw_file(raw_dir, "004")], content_dir)
    assert report.written == ()
    assert snapshot(content_dir) == before


def test_an_existing_page_keeps_its_slug_and_file(raw_dir: Path, content_dir: Path) -> None:
    run_import([raw_file(raw_dir, "000")], content_dir)
    old = content_dir / "papers" / "malleus.md"
    moved = content_dir / "papers" / "my-own-name.md"
    moved.write_text(old.read_text("utf-8").replace("slug: malleus", "slug: my-own-name"), encoding="utf-8")
    old.unlink()
    report = run_import([raw_file(raw_dir, "000")], content_dir)
    assert report.written == ()
    assert not old.exists()


def test_a_taken_slug_gets_a_number(raw_dir: Path, content_dir: Path, tmp_path: Path) -> None:
    run_import([raw_file(raw_dir, "000")], content_dir)
    other = tmp_path / "other.txt"
    other.write_text("Abstract: Stuff happens. This paper presents Malleus, a different thing entirely.\n",
                     encoding="utf-8")
    run_import([other], content_dir)
    pages = {p.slug: p for p in load_content(content_dir).papers}
    assert pages["malleus"].id == "arxiv:2410.13333"
    assert pages["malleus-2"].title == "Malleus" and pages["malleus-2"].id.startswith("abstract:")


# ---- refusing bad input ------------------------------------------------------------------------------


def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": b"",
        "blank": b" \r\n\t\n",
        "unknown": b"Just a note.\nAnother one.\n",
        "cp949": "2024년 12월 19일\nTitle\n".encode("cp949"),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_bytes(data)
    return paths


def test_bad_inputs_are_all_reported_and_nothing_is_written(raw_dir: Path, content_dir: Path,
                                                             tmp_path: Path) -> None:
    run_import([raw_file(raw_dir, "002")], content_dir)
    before = snapshot(content_dir)
    bad = bad_inputs(tmp_path)
    with pytest.raises(LitdigestError) as caught:
        run_import([*all_raw(raw_dir), *bad.values()], content_dir)
    lines = str(caught.value).splitlines()
    assert lines == sorted(lines, key=lambda line: line.split(":")[0])
    assert f"{bad['empty']}: empty file — put a digest in it or leave it out" in lines
    assert f"{bad['blank']}: empty file — put a digest in it or leave it out" in lines
    assert (f"{bad['unknown']}:1: format not recognised — pass --format NAME (one of arxiv-markers, "
            "author-profile, category-listing, abstract-lines, bilingual-daily)") in lines
    assert f"{bad['cp949']}:1: not UTF-8 — save as UTF-8 or pass --encoding cp949" in lines
    assert len(caught.value.problems) == 4
    assert snapshot(content_dir) == before


def test_the_line_of_a_decoding_error(tmp_path: Path, content_dir: Path) -> None:
    raw = tmp_path / "x.txt"
    raw.write_bytes(b"Abstract: fine\r\nAbstract: fine\r\nAbstract: \xff\xfe bad\r\n")
    with pytest.raises(LitdigestError) as caught:
        run_import([raw], content_dir)
    assert caught.value.problems[0].line == 3


def test_a_named_encoding_is_used(tmp_path: Path, content_dir: Path) -> None:
    raw = tmp_path / "daily.txt"
    raw.write_bytes("2024년 12월 19일\nA Title\n(Ann Lee)\nAn abstract. Two sentences.\n코멘트.\n#태그\n"
                    .encode("cp949"))
    report = run_import([raw], content_dir, encoding="cp949")
    assert report.files[0].papers == 1
    (paper,) = load_content(content_dir).papers
    assert paper.tags == ("태그",) and paper.commentary[0].text == "코멘트."


def test_utf16_with_a_bom_is_read(tmp_path: Path, content_dir: Path) -> None:
    raw = tmp_path / "notes.txt"
    raw.write_bytes("Abstract: We propose Zebra, a thing. It works.\r\n".encode("utf-16"))
    run_import([raw], content_dir)
    assert [p.title for p in load_content(content_dir).papers] == ["Zebra"]


@pytest.mark.parametrize("options, message", [
    ({"fmt": "csv"}, "--format: unknown format 'csv' — use one of: arxiv-markers, author-profile, "
                     "category-listing, abstract-lines, bilingual-daily"),
    ({"encoding": "klingon"}, "--encoding: unknown encoding 'klingon'"),
])
def test_bad_options(raw_dir: Path, content_dir: Path, options: dict[str, str], message: str) -> None:
    with pytest.raises(LitdigestError) as caught:
        run_import(all_raw(raw_dir), content_dir, **options)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)
    assert snapshot(content_dir) == {}


def test_a_forced_format(raw_dir: Path, content_dir: Path) -> None:
    report = run_import([raw_file(raw_dir, "003")], content_dir, fmt="abstract-lines")
    assert report.files[0].papers == 7


def test_strict_refuses_unplaced_lines(raw_dir: Path, content_dir: Path) -> None:
    with pytest.raises(LitdigestError) as caught:
        run_import(all_raw(raw_dir), content_dir, strict=True)
    path = raw_file(raw_dir, "001")
    assert str(caught.value) == (f"{path}:1: line not placed: Plotting — "
                                 "fix or remove the line, or import without --strict")
    assert snapshot(content_dir) == {}
    report = run_import([raw_file(raw_dir, "000")], content_dir, strict=True)
    assert isinstance(report, ImportReport) and report.unplaced_count == 0


def test_a_broken_page_in_content_stops_the_import(raw_dir: Path, content_dir: Path) -> None:
    (content_dir / "papers").mkdir()
    broken = content_dir / "papers" / "broken.md"
    broken.write_text("---\nid: [unclosed\n---\n", encoding="utf-8")
    with pytest.raises(LitdigestError) as caught:
        run_import(all_raw(raw_dir), content_dir)
    assert str(broken) in str(caught.value)
    assert snapshot(content_dir) == {"papers/broken.md": b"---\nid: [unclosed\n---\n"}


def test_two_raw_files_may_not_make_one_digest(raw_dir: Path, content_dir: Path) -> None:
    copy = raw_dir / "003_0123456789abcdef.txt"
    copy.write_bytes(raw_file(raw_dir, "003").read_bytes())
    with pytest.raises(LitdigestError, match="digest '003' is also made by"):
        run_import(all_raw(raw_dir), content_dir)
    assert snapshot(content_dir) == {}
