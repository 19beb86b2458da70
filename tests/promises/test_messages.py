"""The promise of a message: a wrong value in `site.yaml` or a page is reported as
`path:line: what is wrong — what to do`, exit status 1, no traceback, the site left as it was —
never a crash, and never silently taken (each case here crashed or was taken before).
"""

from __future__ import annotations

from pathlib import Path
from subprocess import CompletedProcess

import pytest

from litdigest.content.model import Paper
from litdigest.content.pages import paper_text, parse_paper
from tests.helpers.commands import litdigest
from tests.helpers.paths import ROOT
from tests.helpers.trees import tree_digest


@pytest.fixture
def project(tmp_path: Path, content_copy: Path) -> Path:
    """The example content with a built site beside it."""
    result = litdigest("build", "--content", str(content_copy), "--templates",
                       str(ROOT / "templates"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path


def build(project: Path) -> CompletedProcess[str]:
    return litdigest("build", "--templates", str(ROOT / "templates"), cwd=project)


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
    ('page_size: "ten"', "'page_size' must be a whole number"),
    ("page_size: 1.5", "'page_size' must be a whole number"),
    ("page_size: -1", "'page_size' must be a whole number"),
    ("page_size: true", "'page_size' must be a whole number"),
    ("feed_size: -1", "'feed_size' must be a whole number from 0"),
    ("base_url: 5", "'base_url' must be the http(s) address"),
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
    text = page.read_text("utf-8").replace("digests: ", f"date: {date}\ndigests: ", 1)
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
