"""Nothing dropped silently: every non-blank line of an input ends up in a paper or digest, or is
listed in the report as unplaced with its file and line; `--strict` fails when any is; the report
counts, per file, papers, new, merged and unchanged ones and the lines not placed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.helpers.commands import litdigest
from tests.helpers.placed_words import line_words, parsed_texts
from tests.helpers.raw_digests import (all_raw, fixture, fixtures, import_text, loaded, parsed_file, raw_file,
                                       samples, write_raw)
from tests.helpers.trees import snapshot
from litdigest.importer import formats
from litdigest.errors import LitdigestError
from litdigest.importer.report import ImportReport
from litdigest.importer.run import run_import

ALL_INPUTS = [*samples(), *fixtures()]


@pytest.mark.parametrize("path", ALL_INPUTS, ids=lambda p: p.stem)
def test_every_non_blank_line_is_placed_or_unplaced(path: Path) -> None:
    lines, found = parsed_file(path)
    non_blank = {number for number, text in enumerate(lines, 1) if text}
    assert found.placed() | {n for n, _ in found.unplaced} == non_blank
    assert formats.unaccounted(lines, found) == []
    assert found.placed() <= non_blank


@pytest.mark.parametrize("path", ALL_INPUTS, ids=lambda p: p.stem)
def test_every_placed_line_gives_its_words_to_a_paper_or_digest(path: Path) -> None:
    """Placed means kept: each word of a placed line is in what the parser made of the file
    (arXiv versions, list words such as `and`, and the `Abstract:` label aside)."""
    lines, found = parsed_file(path)
    kept = " ".join(parsed_texts(found)).casefold()
    for number in sorted(found.placed()):
        for word in line_words(lines[number - 1]):
            assert word in kept, (path.name, number, word)


# ---- what each shape cannot place ------------------------------------------------------------------


@pytest.mark.parametrize("text, unplaced", [
    # arxiv-markers: text after the last marker, and a Code line with no abstract before its marker
    ("An abstract. It ends here.\narXiv:2401.00001\nA stray footer\n", [(3, "A stray footer")]),
    ("Code: https://example.org/x\narXiv:2401.00001\nAn abstract. Two sentences.\narXiv:2401.00002\n",
     [(1, "Code: https://example.org/x"), (2, "arXiv:2401.00001")]),
    # author-profile: the header above the author's name, a separator, a footer
    ("Junk header\n\nThe Author\n\n\nA Title\n\nSome Venue 2024\n\n" + "Long abstract text. " * 15
     + "\n\n\n* * *\n\n\nShow more\n", [(1, "Junk header"), (13, "* * *"), (16, "Show more")]),
    # category-listing: a labelled remark between a title and its abstract (never the title),
    # an abstract without a title
    ("Robotics\nA Title\nComments: 12 pages, 3 figures\n" + "Long abstract text. " * 15 + "\n",
     [(3, "Comments: 12 pages, 3 figures")]),
    ("Robotics\n" + "Long abstract text. " * 15 + "\nA Title\n", [(3, "A Title")]),
    # abstract-lines: an empty Abstract with its title, a separator, a footer
    ("Abstract: one paper. It is short.\nA Title\nAbstract:\nAbstract: another. It is short too.\n---\nbye\n",
     [(2, "A Title"), (3, "Abstract:"), (5, "---"), (6, "bye")]),
    # bilingual-daily: a lone line, a tag naming nothing, a second different arXiv id for one paper
    ("2025년 1월 6일\nA Title\n(Ann Lee)\nAbstract here. It has two sentences.\n코멘트.\n#rl #🔥\nlonely line\n",
     [(6, "#🔥"), (7, "lonely line")]),
    ("2025년 1월 6일\nA Title\narXiv:2401.00001\narXiv:2401.00002\n(Ann Lee)\nAn abstract. Two sentences.\n#rl\n",
     [(4, "arXiv:2401.00002")]),    # labelled-fields: a date label repeated alone opens a block that gives no paper (the
    # Markdown mutation test found it: `year: 2022` twice in an Obsidian note's fields)
    ("title: WebGPT\nauthors: Reiichiro Nakano\nyear: 2022\nyear: 2022\ntags:\n  - RL\n",
     [(4, "year: 2022"), (5, "tags:"), (6, "- RL")]),
])
def test_what_each_shape_reports_as_unplaced(tmp_path: Path, text: str, unplaced: list[tuple[int, str]]) -> None:
    report = import_text(tmp_path, "digest.txt", text)
    assert list(report.files[0].unplaced) == unplaced
    lines, found = parsed_file(tmp_path / "raw" / "digest.txt")
    assert formats.unaccounted(lines, found) == []


def test_the_category_line_of_a_second_section_is_a_tag_not_a_title(tmp_path: Path) -> None:
    one, two = "Long abstract text. " * 15, "Another long abstract. " * 15
    report = import_text(tmp_path, "listing.txt", f"Robotics\nOne\n{one}\nVision\nTwo\n{two}\n")
    assert report.files[0].unplaced == ()
    assert {p.title: p.tags for p in loaded(tmp_path / "content").papers} == {"One": ("robotics",),
                                                                              "Two": ("vision",)}


def test_a_line_a_parser_forgot_is_still_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The importer's safety net: a parser bug that loses a line cannot drop it silently."""
    real_parse = formats.parse

    def forgetful(lines: list[str], fmt: str) -> formats.ParsedFile:
        found = real_parse(lines, fmt)
        (digest,) = found.digests
        first = dataclasses.replace(digest.papers[0], lines=digest.papers[0].lines[1:])
        return dataclasses.replace(found, digests=(dataclasses.replace(digest, papers=(first, *digest.papers[1:])),))

    monkeypatch.setattr(formats, "parse", forgetful)
    report = import_text(tmp_path, "notes.txt", "A Title\nAbstract: An abstract. Two sentences.\n")
    assert report.files[0].unplaced == ((1, "A Title"),)


# ---- the report ------------------------------------------------------------------------------------


def test_importing_the_samples(raw_dir: Path, content_dir: Path) -> None:
    report = run_import(all_raw(raw_dir), content_dir)
    assert [(f.format, f.papers, f.new, f.merged, f.unchanged) for f in report.files] == [
        ("arxiv-markers", 10, 10, 0, 0), ("author-profile", 10, 10, 0, 0),
        ("category-listing", 10, 10, 0, 0), ("abstract-lines", 7, 7, 0, 0),
        ("bilingual-daily", 7, 7, 0, 0)]
    assert report.unplaced_count == 1
    assert report.files[1].unplaced == ((1, "Plotting"),)
    assert len(report.written) == 44 + 11 + 5 + 1  # pages, tags, digests, the import state


def test_the_report_text(raw_dir: Path, content_dir: Path) -> None:
    text = run_import(all_raw(raw_dir), content_dir).text()
    path_001 = raw_file(raw_dir, "001")
    assert (f"{path_001}: author-profile, 10 papers (10 new, 0 merged, 0 unchanged), "
            "1 line not placed:\n  line 1: Plotting\n") in text
    assert text.endswith("44 papers from 5 files: 44 new, 0 merged, 0 unchanged; "
                         "1 line not placed; 61 files written")


def test_the_report_counts_merged_papers_per_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    run_import([fixture("markers_urls")], content)
    report = run_import([fixture("listing_links"), fixture("daily_undated_crlf")], content)
    counts = {f.path.stem: (f.papers, f.new, f.merged, f.unchanged, len(f.unplaced)) for f in report.files}
    assert counts == {"daily_undated_crlf": (2, 1, 1, 0, 0), "listing_links": (3, 2, 1, 0, 0)}
    assert "3 new, 2 merged, 0 unchanged" in report.text().splitlines()[-1]


def test_a_long_unplaced_line_is_shortened_in_the_report(tmp_path: Path) -> None:
    footer = "A remark that goes on and on " * 4  # long to quote, too short to be a paragraph
    report = import_text(tmp_path, "notes.txt", f"Abstract: one. Two.\n{footer}\n")
    (line,) = [row for row in report.text().splitlines() if row.startswith("  line 2: ")]
    assert line.endswith("…") and len(line) <= len("  line 2: ") + 72


# ---- --strict -----------------------------------------------------------------------------------------


def test_strict_refuses_unplaced_lines(raw_dir: Path, content_dir: Path) -> None:
    with pytest.raises(LitdigestError) as caught:
        run_import(all_raw(raw_dir), content_dir, strict=True)
    path = raw_file(raw_dir, "001")
    assert str(caught.value) == (f"{path}:1: line not placed: Plotting — "
                                 "fix or remove the line, or import without --strict")
    assert snapshot(content_dir) == {}
    report = run_import([raw_file(raw_dir, "000")], content_dir, strict=True)
    assert isinstance(report, ImportReport) and report.unplaced_count == 0


def test_strict_lists_every_unplaced_line_of_every_file(tmp_path: Path) -> None:
    files = [fixture("profile_scholar"), fixture("markers_urls"), fixture("daily_iso_dates")]
    with pytest.raises(LitdigestError) as caught:
        run_import(files, tmp_path / "content", strict=True)
    where = [(p.path.rsplit("/", 1)[-1], p.line) for p in caught.value.problems]
    assert where == [("daily_iso_dates.txt", 6), ("markers_urls.txt", 8), ("profile_scholar.txt", 1),
                     ("profile_scholar.txt", 2), ("profile_scholar.txt", 3), ("profile_scholar.txt", 35)]
    assert not (tmp_path / "content").exists()


def test_strict_on_the_command_line(tmp_path: Path) -> None:
    raw = write_raw(tmp_path, "notes.txt", "Abstract: one paper. Two sentences.\nA footer\n")
    command = ["import", str(raw), "--content", str(tmp_path / "c")]
    strict = litdigest(*command, "--strict")
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert f"error: {raw}:2: line not placed: A footer" in strict.stderr
    assert not (tmp_path / "c").exists()
    relaxed = litdigest(*command)
    assert relaxed.returncode == 0
    assert f"{raw}: abstract-lines, 1 paper (1 new, 0 merged, 0 unchanged), 1 line not placed:\n  line 2: A footer\n" \
        in relaxed.stdout
