"""Publishing: a site built for the address it is published at, given on the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers.commands import litdigest, litdigest_ok
from tests.helpers.paths import CONTENT, TEMPLATES


def _project(tmp_path: Path) -> Path:
    shutil.copytree(CONTENT, tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


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
