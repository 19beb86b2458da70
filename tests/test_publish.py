"""Publishing: `litdigest init`, the theme that ships inside the package (overridden file by file),
and a site built for the address it is published at."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

from litdigest.content.config import parse_config

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


# ---- litdigest init ----------------------------------------------------------------------------

INIT_FILES = ("content/site.yaml", "content/README.md", "content/raw/.gitkeep", ".gitignore",
              "requirements.txt", ".github/workflows/pages.yml")


def test_init_starts_a_site_that_builds_and_says_what_it_wrote(tmp_path: Path) -> None:
    result = litdigest_ok("init", "notes", "--title", 'Kim\'s "notes" </script> \\ 논문',
                          "--base-url", "https://kim.github.io/notes/", "--language", "ko",
                          cwd=tmp_path)
    site = tmp_path / "notes"
    for name in INIT_FILES:
        assert f"wrote notes/{name}" in result.stdout
        assert (site / name).is_file()
    config = parse_config((site / "content/site.yaml").read_text(), "site.yaml")
    assert (config.title, config.base_url, config.default_language) == (
        'Kim\'s "notes" </script> \\ 논문', "https://kim.github.io/notes/", "ko")
    assert (site / "requirements.txt").read_text().splitlines()[-1] == f"litdigest=={version('litdigest')}"
    assert {"/site/", ".litdigest-cache/"} <= set((site / ".gitignore").read_text().splitlines())
    assert (site / ".github/workflows/pages.yml").read_bytes() == (ROOT / ".github/workflows/pages.yml").read_bytes()
    built = litdigest_ok("build", cwd=site)
    assert "pages (0 papers, 0 tags, 0 digests)" in built.stdout and built.stderr == ""
    assert "&lt;/script&gt;" in (site / "site/index.html").read_text()


def test_init_never_overwrites_a_file(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/site.yaml").write_text("title: mine\n")
    (tmp_path / ".gitignore").symlink_to(tmp_path / "elsewhere")  # not even through a link
    result = litdigest_ok("init", cwd=tmp_path)
    assert "kept  content/site.yaml (it was there already)" in result.stdout
    assert "kept  .gitignore" in result.stdout and "wrote requirements.txt" in result.stdout
    assert (tmp_path / "content/site.yaml").read_text() == "title: mine\n"
    assert not (tmp_path / "elsewhere").exists()
    again = litdigest_ok("init", cwd=tmp_path)
    assert again.stdout.count("kept ") == len(INIT_FILES)


def test_init_refuses_settings_a_build_would_refuse(tmp_path: Path) -> None:
    for args, said in ((["--base-url", "kim.github.io/notes"], "http(s) address"),
                       (["--language", "fr"], "'fr' is not one of"),
                       (["--title", ""], "not a title"),
                       (["--title", "two\nlines"], "not a title")):
        result = litdigest("init", "notes", *args, cwd=tmp_path)
        assert result.returncode == 2 and said in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert not (tmp_path / "notes").exists()


def test_a_site_without_site_yaml_says_it_uses_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = litdigest_ok("build", cwd=tmp_path)
    assert result.stderr == ("litdigest: no content/site.yaml: using the default settings (title "
                             "'litdigest', base_url http://localhost:8000/); `litdigest init` writes one\n")
