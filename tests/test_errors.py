"""Bad input: `path[:line]: message`, exit status 1, no traceback, and nothing changed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.commands import litdigest
from tests.helpers.paths import TEMPLATES
from tests.helpers.trees import tree_digest


@pytest.fixture
def workspace(tmp_path: Path, content_copy: Path) -> Path:
    """A content/ copy with a built site/ beside it."""
    result = litdigest("build", "--content", str(content_copy), "--output", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    return tmp_path


def assert_user_error(result: subprocess.CompletedProcess[str], where: str) -> None:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert f"error: {where}" in result.stderr, result.stderr


def assert_unchanged(workspace: Path, before: tuple[dict[str, str], dict[str, str]]) -> None:
    assert (tree_digest(workspace / "content"), tree_digest(workspace / "site")) == before


def snapshot(workspace: Path) -> tuple[dict[str, str], dict[str, str]]:
    return tree_digest(workspace / "content"), tree_digest(workspace / "site")


def import_file(workspace: Path, name: str, data: bytes) -> subprocess.CompletedProcess[str]:
    raw = workspace / name
    raw.write_bytes(data)
    return litdigest("import", str(raw), "--content", str(workspace / "content"))


def test_an_empty_file_is_refused(workspace: Path) -> None:
    before = snapshot(workspace)
    result = import_file(workspace, "empty.txt", b"")
    assert_user_error(result, f"{workspace / 'empty.txt'}")
    assert "empty" in result.stderr
    assert_unchanged(workspace, before)


def test_a_file_in_no_known_format_is_refused_with_a_hint_to_force_one(workspace: Path) -> None:
    before = snapshot(workspace)
    result = import_file(workspace, "notes.txt", b"shopping list\n\n- eggs\n- milk\n")
    assert_user_error(result, f"{workspace / 'notes.txt'}: no shape fits")
    assert "--format" in result.stderr
    assert_unchanged(workspace, before)


def test_a_file_not_in_utf8_is_refused_at_its_line(workspace: Path) -> None:
    before = snapshot(workspace)
    data = "Abstract:We propose X.\nAbstract:한국어 초록\n".encode("cp949")
    result = import_file(workspace, "euckr.txt", data)
    assert_user_error(result, f"{workspace / 'euckr.txt'}:2:")
    assert "UTF-8" in result.stderr
    assert_unchanged(workspace, before)


def test_one_bad_file_among_good_ones_writes_nothing(workspace: Path) -> None:
    before = snapshot(workspace)
    (workspace / "empty.txt").write_bytes(b"")
    good = workspace / "good.txt"
    good.write_text("Abstract:We propose Zebra, a new thing. It works.\n", encoding="utf-8")
    result = litdigest("import", str(good), str(workspace / "empty.txt"),
                       "--content", str(workspace / "content"))
    assert_user_error(result, str(workspace / "empty.txt"))
    assert_unchanged(workspace, before)


def test_broken_front_matter_stops_the_build_at_its_page(workspace: Path) -> None:
    page = sorted((workspace / "content" / "papers").glob("*.md"))[0]
    page.write_text(page.read_text().replace("tags: [", "tags: [[", 1))
    before = snapshot(workspace)
    result = litdigest("build", "--content", str(workspace / "content"),
                       "--output", str(workspace / "site"))
    assert_user_error(result, f"{page}:")
    assert "YAML" in result.stderr
    assert_unchanged(workspace, before)


def test_every_problem_is_reported_not_just_the_first(workspace: Path) -> None:
    pages = sorted((workspace / "content" / "papers").glob("*.md"))[:2]
    for page in pages:
        page.write_text(page.read_text().replace("title_derived: ", "title_derived: maybe", 1))
    result = litdigest("build", "--content", str(workspace / "content"),
                       "--output", str(workspace / "site"))
    assert result.returncode == 1
    for page in pages:
        assert f"{page}:5: 'title_derived' must be true or false" in result.stderr


def test_a_broken_template_stops_the_build_at_its_line(workspace: Path) -> None:
    templates = workspace / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "tag.html").write_text("{% block main %}{{ oops( }}{% endblock %}")
    before = snapshot(workspace)
    result = litdigest("build", "--content", str(workspace / "content"),
                       "--templates", str(templates), "--output", str(workspace / "site"))
    assert_user_error(result, f"{templates / 'tag.html'}:1:")
    assert_unchanged(workspace, before)
