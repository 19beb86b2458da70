"""Publishing: the theme that ships inside the package, overridden file by file, and a site built
for the address it is published at."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.helpers.commands import fresh_site, litdigest, litdigest_ok
from tests.helpers.paths import CONTENT, ROOT, TEMPLATES
from tests.helpers.trees import snapshot


def _project(tmp_path: Path) -> Path:
    shutil.copytree(CONTENT, tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


# ---- the default theme, inside the package -----------------------------------------------------

def test_a_site_without_templates_of_its_own_builds_with_the_default_theme(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    litdigest_ok("build", cwd=tmp_path)
    with_theme_copied = fresh_site(_project(tmp_path / "copied"))
    assert snapshot(tmp_path / "site") == with_theme_copied


def test_a_file_in_the_sites_templates_replaces_the_themes_file_of_that_name(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    own = tmp_path / "templates"
    (own / "static").mkdir(parents=True)
    (own / "static" / "style.css").write_text("body { color: rebeccapurple; }\n")
    (own / "404.html").write_text('{% extends "base.html" %}{% block main %}<h1>Lost</h1>{% endblock %}\n')
    litdigest_ok("build", cwd=tmp_path)
    site = tmp_path / "site"
    assert (site / "static" / "style.css").read_text() == "body { color: rebeccapurple; }\n"
    assert (site / "static" / "litdigest.js").read_bytes() == (TEMPLATES / "static" / "litdigest.js").read_bytes()
    assert "<h1>Lost</h1>" in (site / "404.html").read_text()
    assert 'class="site-title"' in (site / "404.html").read_text()  # base.html: the theme's
    (own / "404.html").unlink()  # the theme's file again
    litdigest_ok("build", cwd=tmp_path)
    assert "<h1>Lost</h1>" not in (site / "404.html").read_text()


def test_a_templates_folder_given_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    result = litdigest("build", "--templates", "templtes", cwd=tmp_path)
    assert result.returncode == 2 and "no folder 'templtes'" in result.stderr
    assert not (tmp_path / "site").exists()


def test_the_wheel_carries_the_theme(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: building writes build/ and egg-info beside the code
    shutil.copytree(ROOT / "litdigest", source / "litdigest",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(source)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("litdigest-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = {f"litdigest/theme/{p.relative_to(TEMPLATES).as_posix()}"
             for p in TEMPLATES.rglob("*") if p.is_file()}
    assert theme <= names and "litdigest/theme/static/style.css" in theme


# ---- the address the site is published at ----------------------------------------------------

def test_base_url_on_the_command_line_is_used_over_site_yaml(tmp_path: Path) -> None:
    project = _project(tmp_path)
    litdigest_ok("build", "--base-url", "https://user.github.io/notes/", cwd=project)
    feed = (project / "site" / "feed.xml").read_text()
    assert "https://user.github.io/notes/papers/" in feed
    assert "example.github.io" not in feed
    not_found = (project / "site" / "404.html").read_text()
    assert 'href="/notes/static/style.css"' in not_found


def test_another_base_url_rebuilds_and_the_same_one_changes_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path)
    litdigest_ok("build", "--base-url", "https://user.github.io/notes/", cwd=project)
    again = litdigest_ok("build", "--base-url", "https://user.github.io/notes/", cwd=project)
    assert "nothing changed" in again.stdout
    litdigest_ok("build", "--base-url", "https://other.example/", cwd=project)
    assert "https://other.example/papers/" in (project / "site" / "feed.xml").read_text()
    litdigest_ok("build", cwd=project)  # back to site.yaml's
    assert "https://example.github.io/litdigest/" in (project / "site" / "feed.xml").read_text()


def test_a_base_url_that_is_not_a_web_address_is_refused(tmp_path: Path) -> None:
    project = _project(tmp_path)
    for wrong in ("ftp://host/", "user.github.io/notes", "", "javascript:alert(1)//"):
        result = litdigest("build", "--base-url", wrong, cwd=project)
        assert result.returncode == 2, wrong
        assert "--base-url" in result.stderr and "http(s) address" in result.stderr
        assert "Traceback" not in result.stderr
        assert not (project / "site").exists()
