"""The promise of a message, for templates: a template that fails — an error in its code, bytes
that are not UTF-8, an include of itself, a link in templates/ that loops, leads to a folder or
out of the folder, a FIFO — is reported as `templates/…[:line]: what is wrong — fix the template`,
exit status 1, no traceback, the site left as it was (each of these was a traceback before).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import pytest

from tests.helpers.commands import litdigest, litdigest_ok
from tests.helpers.paths import TEMPLATES
from tests.helpers.trees import tree_digest


@pytest.fixture
def project(tmp_path: Path, content_copy: Path) -> Path:
    """The example content and a copy of the templates, built once."""
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    litdigest_ok("build", cwd=tmp_path)
    return tmp_path


def append(name: str, data: bytes) -> Callable[[Path], None]:
    def change(templates: Path) -> None:
        with open(templates / name, "ab") as f:
            f.write(data)
    return change


def divide_by_zero(templates: Path) -> None:
    tag = templates / "tag.html"
    tag.write_text(tag.read_text("utf-8").replace("<h1>", "<h1>{{ 1/0 }}", 1), "utf-8")


def link_loop(templates: Path) -> None:
    os.symlink("loop2", templates / "static" / "loop1")
    os.symlink("loop1", templates / "static" / "loop2")


def folder_link(templates: Path) -> None:
    (templates / "static" / "d").mkdir()
    os.symlink("..", templates / "static" / "d" / "up")


def outside_link(templates: Path) -> None:
    os.symlink("/etc/passwd", templates / "static" / "passwd")


def fifo(templates: Path) -> None:
    os.mkfifo(templates / "static" / "pipe")



@pytest.mark.parametrize("change, where, words", [
    (divide_by_zero, "templates/tag.html:10:", "ZeroDivisionError: division by zero"),
    (append("tag.html", b"\n\xff\xfe{{ x }}\n"), "templates/tag.html:", "not UTF-8 text (byte 0xff)"),
    (append("tag.html", b'{% include "tag.html" %}\n'), "templates/tag.html:",
     "include, extend or call themselves without end"),
    (link_loop, "templates/static/loop1:", "Too many levels of symbolic links"),
    (folder_link, "templates/static/d/up:", "a link to a folder"),
    (outside_link, "templates/static/passwd:", "a link to a file outside the folder"),
    (fifo, "templates/static/pipe:", "not a regular file"),
], ids=["code", "not-utf8", "self-include", "link-loop", "folder-link", "outside-link", "fifo"])
def test_a_broken_template_is_reported_and_the_site_kept(project: Path, change: Callable[[Path], None],
                                                         where: str, words: str) -> None:
    before = tree_digest(project / "site")
    change(project / "templates")
    result = litdigest("build", cwd=project)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert f"error: {where}" in result.stderr, result.stderr
    assert words in result.stderr and "fix the template" in result.stderr, result.stderr
    assert tree_digest(project / "site") == before
