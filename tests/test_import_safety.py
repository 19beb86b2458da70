"""Safety: titles, tags, ids and raw file names never become paths outside content/ (`../`, `/`,
NUL, reserved device names, `.`, `..`); script, HTML and `javascript:` links in abstracts and
commentary are kept as the text they are (the site's renderer escapes them); text that looks like
YAML or like a page's own `:::` markers cannot break a page."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.helpers.raw_digests import import_text, loaded, write_raw
from tests.helpers.trees import snapshot
from litdigest.content import journal
from litdigest.content.pages import paper_text, parse_paper
from litdigest.errors import LitdigestError
from litdigest.importer.identity import is_safe_name
from litdigest.importer.run import run_import
from litdigest.importer.state import STATE_FILE

RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
HOSTILE = ["../../../etc/passwd", "/etc/passwd", "..", ".", "CON", "nul", "COM1", "LPT9", "a\x00b",
           "..\\..\\windows\\system32", "~/.ssh/authorized_keys", "NUL.txt", "con.md", "-rf", "*", "$(rm -rf /)",
           "%2e%2e%2f", "\u202e", "../" * 40 + "x" * 300]


def assert_only_content_changed(root: Path, before: dict[str, bytes]) -> None:
    """Outside content/ nothing changed; inside it, only the three page folders and the state."""
    after = snapshot(root)
    outside = {k: v for k, v in after.items() if not k.startswith("content/")}
    assert outside == {k: v for k, v in before.items() if not k.startswith("content/")}
    for name in after:
        if not name.startswith("content/"):
            continue
        parts = Path(name).relative_to("content").parts
        assert parts == (STATE_FILE,) or (len(parts) == 2 and parts[0] in ("papers", "tags", "digests")), name
        if len(parts) == 2:
            stem = parts[1][:-3]
            assert parts[1].endswith(".md") and is_safe_name(stem) and stem.lower() not in RESERVED, name


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_titles_and_tags_never_become_paths_outside(tmp_path: Path, hostile: str) -> None:
    (tmp_path / "outside.txt").write_text("keep me", encoding="utf-8")
    before = snapshot(tmp_path)
    text = (f"2025년 1월 2일\n{hostile}\n(Ann Lee)\nAn abstract. Of two sentences.\n코멘트.\n"
            f"#{hostile.replace(' ', '-')} #ok\n"
            f"Listing title\n(Bo Kim)\nAnother abstract. Two sentences.\n#{hostile.split('/')[-1] or 'x'}\n")
    try:
        import_text(tmp_path, "notes.txt", text)
    except LitdigestError:
        pass
    before["raw/notes.txt"] = (tmp_path / "raw" / "notes.txt").read_bytes()
    assert_only_content_changed(tmp_path, before)


@pytest.mark.parametrize("name", ["CON.txt", "nul.txt", "..txt", "...txt", ".hidden.txt", "com1.md.txt",
                                  "-.txt", "\u202e.txt", "여기 저기.txt"])
def test_hostile_raw_file_names_make_safe_digest_ids(tmp_path: Path, name: str) -> None:
    before = snapshot(tmp_path)
    raw = write_raw(tmp_path / "raw", name, "Abstract: An abstract. Two sentences.\n")
    before[f"raw/{name}"] = raw.read_bytes()
    run_import([raw], tmp_path / "content")
    assert_only_content_changed(tmp_path, before)
    (digest,) = loaded(tmp_path / "content").digests
    assert is_safe_name(digest.id) and digest.id.lower() not in RESERVED


# ---- script, HTML and javascript: kept as text -------------------------------------------------------

PAYLOADS = ['<script>alert("x")</script>', "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))",
            '<a href="javascript:alert(1)">link</a>', "<iframe src=//evil.example></iframe>",
            "javascript:alert(document.cookie)", "<svg/onload=alert(1)>", "</textarea><b>bold</b>"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_abstract_and_commentary_is_kept_literally(tmp_path: Path, payload: str) -> None:
    text = (f"2025년 1월 2일\nA Title {payload}\n(Ann Lee)\nAn abstract with {payload} in it. Two sentences.\n"
            f"한국어로 쓴 짧은 코멘트입니다 {payload}\nA comment with {payload}.\n#x\n")
    import_text(tmp_path, "notes.txt", text)
    (paper,) = loaded(tmp_path / "content").papers
    assert paper.title == f"A Title {payload}"
    assert payload in paper.abstract
    assert [payload in c.text for c in paper.commentary] == [True, True]
    page = (tmp_path / "content" / "papers" / f"{paper.slug}.md").read_text("utf-8")
    assert page.count(payload) >= 3  # abstract and both commentaries verbatim; the title JSON-quoted


def test_a_latex_url_to_javascript_stays_text(tmp_path: Path) -> None:
    import_text(tmp_path, "notes.txt", "Abstract: Code at \\url{javascript:alert(1)}. Two sentences.\n")
    (paper,) = loaded(tmp_path / "content").papers
    assert "javascript:alert(1)" in paper.abstract


def test_lines_that_look_like_commentary_markers_cannot_split_a_page(tmp_path: Path) -> None:
    text = ("2025년 1월 2일\nA Title\n(Ann Lee)\n::: commentary ko\n:::\n"
            "::: commentary en\nAn English line.\n#x\n")
    import_text(tmp_path, "notes.txt", text)
    (paper,) = loaded(tmp_path / "content").papers
    assert paper.abstract == "\\::: commentary ko"
    assert [(c.lang, c.text) for c in paper.commentary] == [("en", "\\:::\n\n\\::: commentary en\n\nAn English line.")]
    before = snapshot(tmp_path / "content")
    assert run_import([tmp_path / "raw" / "notes.txt"], tmp_path / "content").written == ()
    assert snapshot(tmp_path / "content") == before


YAMLISH = ["key: value", "- item", "#comment", "'single'", '"double"', "{a: b}", "[x, y]", "null", "true", "~",
           "&anchor", "*alias", "!tag", "%directive", "@at", "`tick`", "|", ">", "---", "...", "0x1F", "1e3",
           "2024-12-19", "no", "Yes", "a: b: c", "tab\there", "back\\slash", "uni\u2028code"]


@pytest.mark.parametrize("value", YAMLISH)
def test_values_that_look_like_yaml_round_trip_exactly(tmp_path: Path, value: str) -> None:
    tag = re.sub(r"\W", "", value) or "x"
    text = (f"2025년 1월 2일\nTitle {value}\n(Ann {value.replace(',', '')}, Bo Kim)\nAn abstract. Two sentences.\n"
            f"#{tag}\n")
    import_text(tmp_path, "notes.txt", text)
    (paper,) = loaded(tmp_path / "content").papers
    assert paper.title == f"Title {value}".replace("\t", " ").replace("\u2028", " ")
    page = tmp_path / "content" / "papers" / f"{paper.slug}.md"
    reread = parse_paper(page.read_text("utf-8"), page)
    assert reread == paper and paper_text(reread) == page.read_text("utf-8")


# ---- writing never leaves content/ --------------------------------------------------------------------


def test_a_papers_folder_linked_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    content = tmp_path / "content"
    content.mkdir()
    os.symlink(outside, content / "papers")
    raw = write_raw(tmp_path / "raw", "notes.txt", "Abstract: An abstract. Two sentences.\n")
    with pytest.raises(LitdigestError, match="refusing to write outside"):
        run_import([raw], content)
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in content.iterdir()) == ["papers"]


@pytest.mark.parametrize("target", ["../escape.md", "/tmp/escape.md", "papers/../../escape.md", "."])
def test_a_tampered_journal_cannot_send_a_rollback_outside(tmp_path: Path, target: str) -> None:
    content = tmp_path / "content"
    (content / journal.STAGING).mkdir(parents=True)
    (tmp_path / "escape.md").write_text("keep me", encoding="utf-8")
    (content / journal.JOURNAL).write_text(json.dumps({"entries": [[target, "1.new", None]], "folders": []}),
                                           encoding="utf-8")
    with pytest.raises(LitdigestError, match="unreadable journal"):
        journal.recover(content)
    assert (tmp_path / "escape.md").read_text("utf-8") == "keep me"


@pytest.mark.parametrize("path", ["../x.md", "papers/../../x.md", ".import-staging/x", ".import-journal.json"])
def test_write_all_refuses_paths_outside_or_its_own(tmp_path: Path, path: str) -> None:
    content = tmp_path / "content"
    content.mkdir()
    with pytest.raises(LitdigestError, match="refusing"):
        journal.write_all(content, [(content / path, b"x")])
    assert not (tmp_path / "x.md").exists() and list(content.iterdir()) == []


@pytest.mark.parametrize("value", ["2025-02-30", "2025-13-01", "2024-12-19"])
def test_a_title_slug_or_tag_that_looks_like_a_date_is_quoted(tmp_path: Path, value: str) -> None:
    """Found by the property test: PyYAML raised ValueError on `2025-02-30` when checking a slug."""
    import_text(tmp_path, "listing.txt", f"Listing\n{value}\n{'A long abstract sentence. ' * 12}\n")
    (paper,) = loaded(tmp_path / "content").papers
    assert (paper.title, paper.slug) == (value, value)
