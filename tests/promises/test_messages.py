"""The promise of a message: a wrong value in `site.yaml` or a page is reported as
`path:line: what is wrong — what to do`, exit status 1, no traceback, the site left as it was —
never a crash, and never silently taken (each case here crashed or was taken before).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from subprocess import CompletedProcess
from typing import Callable

import click
import pytest
from click.testing import CliRunner

from litdigest.failures import report_errors
from litdigest.content.model import Paper
from litdigest.content.pages import paper_text, parse_paper
from tests.helpers.commands import litdigest
from tests.helpers.paths import ROOT, TEMPLATES
from tests.helpers.trees import tree_digest


@pytest.fixture
def project(tmp_path: Path, content_copy: Path) -> Path:
    """The example content with a built site beside it."""
    result = litdigest("build", "--content", str(content_copy), "--templates",
                       str(TEMPLATES), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path


def build(project: Path) -> CompletedProcess[str]:
    return litdigest("build", "--templates", str(TEMPLATES), cwd=project)


def set_setting(project: Path, line: str) -> None:
    config = project / "content" / "site.yaml"
    key = line.split(":", 1)[0]
    kept = [row for row in config.read_text("utf-8").splitlines() if not row.startswith(f"{key}:")]
    config.write_text("\n".join([*kept, line]) + "\n", encoding="utf-8")


def assert_reported(project: Path, result: CompletedProcess[str], where: str,
                    words: str, site_before: dict[str, str]) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert f"error: {where}" in result.stderr, result.stderr
    assert words in result.stderr, result.stderr
    assert tree_digest(project / "site") == site_before


@pytest.mark.parametrize("line, words", [
    ("page_size: 0", "'page_size' must be a whole number from 1"),
    ("page_size: ten", "'page_size' must be a whole number"),
    ('page_size: "ten"', "'page_size' must be a whole number"),
    ("page_size: 1.5", "'page_size' must be a whole number"),
    ("page_size: -1", "'page_size' must be a whole number"),
    ("page_size: true", "'page_size' must be a whole number"),
    ("feed_size: -1", "'feed_size' must be a whole number from 0"),
    ("feed_size: -5", "'feed_size' must be a whole number from 0"),
    ("base_url: 5", "'base_url' must be the http(s) address"),
    ("base_url: 42", "'base_url' must be the http(s) address"),
    ('base_url: "user.github.io/notes/"', "'base_url' must be the http(s) address"),
    ('base_url: ""', "'base_url' must be the http(s) address"),
    ('base_url: "https://"', "'base_url' must be the http(s) address"),
    ('base_url: "javascript:alert(1)//"', "'base_url' must be the http(s) address"),
    ("title: [a, b]", "'title' must be text"),
    ("default_language: de", "'default_language' must be ko, en or both"),
    ("colour: red", "unknown setting 'colour'"),
])
def test_a_wrong_setting_is_reported_on_its_line(project: Path, line: str, words: str) -> None:
    before = tree_digest(project / "site")
    set_setting(project, line)
    config = project / "content" / "site.yaml"
    number = config.read_text("utf-8").splitlines().index(line) + 1
    assert_reported(project, build(project), f"{config.relative_to(project)}:{number}:", words, before)


def test_site_yaml_that_is_not_a_mapping_is_reported(project: Path) -> None:
    before = tree_digest(project / "site")
    (project / "content" / "site.yaml").write_text("- a\n- b\n", encoding="utf-8")
    assert_reported(project, build(project), "content/site.yaml:1:", "not a mapping", before)


def test_a_setting_given_twice_is_reported_where_it_is_repeated(project: Path) -> None:
    before = tree_digest(project / "site")
    config = project / "content" / "site.yaml"
    config.write_text(config.read_text("utf-8") + 'title: "again"\n', encoding="utf-8")
    number = len(config.read_text("utf-8").splitlines())
    assert_reported(project, build(project), f"content/site.yaml:{number}:", "'title' is given twice",
                    before)


def test_a_null_setting_takes_its_default(project: Path) -> None:
    set_setting(project, "title: null")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "<title>None" not in (project / "site" / "index.html").read_text("utf-8")
    assert "None" not in (project / "site" / "feed.xml").read_text("utf-8").split("<entry>")[0]


@pytest.mark.parametrize("date, words", [
    ("2024-02-30", "'2024-02-30' is not a real date (day is out of range for month)"),
    ("2024-13-01", "'2024-13-01' is not a real date (month must be in 1..12)"),
])
def test_an_impossible_date_is_reported_on_its_line(project: Path, date: str, words: str) -> None:
    before = tree_digest(project / "site")
    page = project / "content" / "papers" / "malleus.md"
    text = re.sub(r"^date: .*$", f"date: {date}", page.read_text("utf-8"), count=1, flags=re.M)
    page.write_text(text, encoding="utf-8")
    number = text.splitlines().index(f"date: {date}") + 1
    assert_reported(project, build(project), f"content/papers/malleus.md:{number}:", words, before)


def test_a_front_matter_key_given_twice_is_reported(project: Path) -> None:
    before = tree_digest(project / "site")
    page = project / "content" / "papers" / "malleus.md"
    text = page.read_text("utf-8").replace("venue: null\n", 'venue: null\nvenue: "NeurIPS"\n', 1)
    page.write_text(text, encoding="utf-8")
    number = text.splitlines().index('venue: "NeurIPS"') + 1
    assert_reported(project, build(project), f"content/papers/malleus.md:{number}:",
                    "'venue' is given twice", before)


@pytest.mark.parametrize("title", ["C4\x7f\x85end", "line\u2028separator", "tab\tand\x01control",
                                   "not a character\ufffe"])
def test_every_title_litdigest_writes_reads_back(title: str) -> None:
    paper = Paper(id="hash:1", slug="p", title=title)
    text = paper_text(paper)
    assert parse_paper(text, "p.md") == paper
    assert "\x7f" not in text and "\x85" not in text and "\u2028" not in text


# ---- odd files in content/ and site/, odd options (issue #11): a message, never a traceback ----

RAW_FILE = sorted((ROOT / "content" / "raw").glob("*.txt"))[0]


def assert_message(result: CompletedProcess[str], where: str, words: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert f"error: {where}" in result.stderr and words in result.stderr, result.stderr


def make_odd(path: Path, kind: str) -> str:
    """Put an odd thing at `path`: a folder, or a symbolic link to nothing. Its expected words."""
    path.unlink(missing_ok=True)
    if kind == "folder":
        path.mkdir()
        return "a folder, not a regular file"
    os.symlink(path.parent / "nowhere", path)
    return "a symbolic link to nothing"


@pytest.mark.parametrize("kind", ["folder", "dangling link"])
@pytest.mark.parametrize("rel", ["papers/x.md", "digests/x.md", "site.yaml"])
def test_an_odd_file_in_content_is_a_message_for_check(project: Path, rel: str, kind: str) -> None:
    words = make_odd(project / "content" / rel, kind)
    assert_message(litdigest("check", "--no-site", cwd=project), f"content/{rel}", words)


@pytest.mark.parametrize("kind", ["folder", "dangling link"])
@pytest.mark.parametrize("rel", ["papers/x.md", "tags/x.md", "digests/x.md", "site.yaml"])
def test_an_odd_file_in_content_is_a_message_for_build(project: Path, rel: str, kind: str) -> None:
    words = make_odd(project / "content" / rel, kind)
    result = litdigest("build", "--templates", str(TEMPLATES), cwd=project)
    assert_message(result, f"content/{rel}", words)


@pytest.mark.parametrize("kind", ["folder", "dangling link"])
@pytest.mark.parametrize("rel", ["papers/x.md", "digests/x.md", ".import-state.json"])
def test_an_odd_file_in_content_is_a_message_for_import(project: Path, rel: str, kind: str) -> None:
    words = make_odd(project / "content" / rel, kind)
    before = tree_digest(project / "content")
    result = litdigest("import", str(RAW_FILE), cwd=project)
    assert_message(result, f"content/{rel}", words)
    assert tree_digest(project / "content") == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file all the same")
def test_an_unreadable_page_is_a_message(project: Path) -> None:
    page = sorted((project / "content" / "papers").glob("*.md"))[0]
    page.chmod(0)
    assert_message(litdigest("check", "--no-site", cwd=project), f"content/papers/{page.name}",
                   "Permission denied")


def test_junk_in_site_is_a_message_for_check(project: Path) -> None:
    site = project / "site"
    (site / "bytes.html").write_bytes(b"<p>\n\xff\xfe</p>")
    (site / "folder.html").mkdir()
    os.symlink(site / "nowhere", site / "link.html")
    os.mkfifo(site / "pipe.html")
    result = litdigest("check", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    for line in ["error: site/bytes.html:2: not UTF-8 text", "error: site/folder.html: a folder",
                 "error: site/link.html: cannot read it", "error: site/pipe.html: a named pipe (FIFO)"]:
        assert line in result.stderr, result.stderr


@pytest.mark.parametrize("encoding", ["rot13", "base64", "nosuch"])
def test_an_encoding_that_does_not_decode_text_is_a_message(project: Path, encoding: str) -> None:
    result = litdigest("import", "--encoding", encoding, str(RAW_FILE), cwd=project)
    assert_message(result, "--encoding", f"unknown encoding '{encoding}'")


# ---- the one gate: a bug says so in one line, a failing disk is a message ----------------------


BUG_EXIT = 70  # EX_SOFTWARE: litdigest.failures.BUG_EXIT
DEBUG_VARIABLE = "LITDIGEST_DEBUG"


def gated(action: Callable[[], object]) -> click.Command:
    """A real click command whose work runs through the CLI's one gate."""
    @click.command()
    def command() -> None:
        report_errors(action)
    return command


def divide_by_zero() -> object:
    return 1 // len("")


def test_an_unexpected_exception_is_reported_as_a_bug_with_its_traceback_in_a_file(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.delenv(DEBUG_VARIABLE, raising=False)
    tempfile.tempdir = None  # read TMPDIR again
    try:
        result = CliRunner().invoke(gated(divide_by_zero), [])
    finally:
        tempfile.tempdir = None
    assert result.exit_code == BUG_EXIT
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert "this is a bug in litdigest (ZeroDivisionError: integer division or modulo by zero)" in lines[0]
    assert "please report it with the command you ran" in lines[0]
    (saved,) = tmp_path.glob("litdigest-bug-*.txt")
    assert str(saved) in lines[0]
    assert "Traceback" in saved.read_text("utf-8") and "divide_by_zero" in saved.read_text("utf-8")


def test_litdigest_debug_shows_the_traceback_of_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DEBUG_VARIABLE, "1")
    result = CliRunner().invoke(gated(divide_by_zero), [])
    assert result.exit_code == BUG_EXIT
    assert "Traceback" in result.output and "this is a bug in litdigest" in result.output


def write_to_a_full_disk() -> object:
    with open("/dev/full", "wb") as full:  # every write fails: no space left on device
        full.write(b"x")
        full.flush()
    return None


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_a_message_not_a_bug() -> None:
    result = CliRunner().invoke(gated(write_to_a_full_disk), [])
    assert result.exit_code == 1, result.output
    assert "cannot write: No space left on device — free some space" in result.output
    assert "bug" not in result.output and "Traceback" not in result.output


def test_the_bug_exit_status_here_is_the_one_litdigest_uses() -> None:
    from litdigest import failures
    assert (failures.BUG_EXIT, failures.DEBUG_VARIABLE) == (BUG_EXIT, DEBUG_VARIABLE)
