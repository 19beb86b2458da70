"""The promise of data: no typo in a command loses anything. Output is never input: `build` refuses
an output folder that is, contains or lies inside content/ or templates/, that holds the project,
or that is a non-empty folder litdigest did not make — exit 1, one line naming it, nothing
written anywhere. A site/ that is a symbolic link or a mount point is updated in place.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

MARKER = ".litdigest-site"  # the marker every site litdigest makes holds
from tests.helpers.commands import fresh_site, litdigest, litdigest_ok
from tests.helpers.paths import CONTENT, ROOT, TEMPLATES
from tests.helpers.serving import free_port
from tests.helpers.trees import snapshot


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: copies of the example content/ and templates/, no site yet."""
    shutil.copytree(CONTENT, tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def assert_refused(project: Path, output: str, why: str, cwd: Path | None = None) -> None:
    """`build --output OUTPUT` exits 1 with one message naming it, and changes nothing at all."""
    before = snapshot(project)
    result = litdigest("build", "--output", output, cwd=cwd or project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"error: {output}: refusing to write the site here: {why}" in result.stderr, result.stderr
    assert snapshot(project) == before


def test_the_content_folder_given_as_output_is_refused_and_kept(project: Path) -> None:
    assert_refused(project, "content", "it overlaps the content folder content")


def test_the_templates_folder_given_as_output_is_refused_and_kept(project: Path) -> None:
    assert_refused(project, "templates", "it overlaps the templates folder templates")


def test_a_folder_inside_content_given_as_output_is_refused(project: Path) -> None:
    assert_refused(project, "content/papers", "it overlaps the content folder content")


def test_a_folder_holding_content_given_as_output_is_refused(project: Path) -> None:
    inner = project / "inner"
    shutil.move(project / "content", inner / "content")
    shutil.move(project / "templates", inner / "templates")
    result = litdigest("build", "--content", "inner/content", "--templates", "inner/templates",
                       "--output", "inner", cwd=project)
    assert result.returncode == 1 and "refusing to write the site here" in result.stderr
    assert not (project / "inner" / ".gitignore").exists() and (inner / "content" / "site.yaml").exists()


def test_the_project_root_given_as_output_is_refused_without_writing_a_gitignore(project: Path) -> None:
    assert_refused(project, ".", "it overlaps the content folder content")
    assert not (project / ".gitignore").exists()


def test_the_folder_above_the_project_given_as_output_is_refused(project: Path) -> None:
    workdir = project / "work"
    workdir.mkdir()
    result = litdigest("build", "--content", "../content", "--templates", "../templates",
                       "--output", "..", cwd=workdir)
    assert result.returncode == 1 and "refusing to write the site here" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_current_folder_is_refused_even_when_content_lives_elsewhere(project: Path) -> None:
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    result = litdigest("build", "--content", str(project / "content"), "--templates",
                       str(project / "templates"), "--output", ".", cwd=elsewhere)
    assert result.returncode == 1
    assert "refusing to write the site here: it holds the project folder" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_symbolic_link_to_content_given_as_output_is_refused(project: Path) -> None:
    (project / "public").symlink_to(project / "content")
    assert_refused(project, "public", "it overlaps the content folder content")


def test_a_non_empty_folder_litdigest_did_not_make_is_refused(project: Path) -> None:
    docs = project / "docs"
    docs.mkdir()
    (docs / "notes.md").write_text("my notes\n", encoding="utf-8")
    assert_refused(project, "docs", "it is not empty and litdigest did not make it "
                                    "(no .litdigest-site marker)")


def test_a_file_given_as_output_is_refused(project: Path) -> None:
    (project / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert_refused(project, "notes.txt", "it is not empty and litdigest did not make it "
                                         "(no .litdigest-site marker)")


def test_an_empty_folder_becomes_the_site_with_the_marker(project: Path) -> None:
    (project / "public").mkdir()
    litdigest_ok("build", "--output", "public", cwd=project)
    assert (project / "public" / MARKER).is_file() and (project / "public" / "index.html").is_file()


def test_a_site_built_before_the_marker_existed_is_still_rebuilt(project: Path) -> None:
    litdigest_ok("build", cwd=project)
    (project / "site" / MARKER).unlink()  # as a site of an earlier litdigest
    litdigest_ok("build", "--fresh", cwd=project)
    assert (project / "site" / MARKER).is_file()


def test_serve_refuses_the_content_folder_too(project: Path) -> None:
    before = snapshot(project)
    try:
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--output",
                                 "content", "--port", str(free_port())], cwd=project, capture_output=True,
                                text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("serve took content/ as its output and kept serving it")
    assert result.returncode == 1 and "refusing to write the site here" in result.stderr
    assert snapshot(project) == before


def edit_a_paper(project: Path) -> None:
    paper = sorted((project / "content" / "papers").glob("*.md"))[0]
    paper.write_text(paper.read_text("utf-8").replace("\n---\n", "\n---\nAn added line.\n\n", 1),
                     encoding="utf-8")


def test_a_site_that_is_a_symbolic_link_is_updated_in_place(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "real-site"
    real.mkdir()
    (project / "site").symlink_to(real)
    litdigest_ok("build", cwd=project)
    (real / "stale.html").write_bytes(b"from an older site")
    litdigest_ok("build", "--fresh", cwd=project)
    edit_a_paper(project)
    litdigest_ok("build", cwd=project)
    assert (project / "site").is_symlink() and os.readlink(project / "site") == str(real)
    assert snapshot(real) == fresh_site(project)


def _mount_tmpfs(folder: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "none", str(folder)],
                          capture_output=True).returncode == 0


def test_a_site_that_is_a_mount_point_is_updated_in_place(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    site.mkdir()
    if not _mount_tmpfs(site):
        pytest.skip("cannot mount a file system here")
    try:
        result = litdigest("build", cwd=project)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        edit_a_paper(project)
        litdigest_ok("build", cwd=project)
        litdigest_ok("build", "--fresh", cwd=project)
        assert os.path.ismount(site)
        assert snapshot(site) == fresh_site(project)
        assert not [p for p in project.iterdir() if p.name.startswith(".site.")]
    finally:
        subprocess.run(["umount", str(site)], check=False)
