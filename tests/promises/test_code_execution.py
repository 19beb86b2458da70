"""The promise that code from a folder never runs: `.litdigest-cache/` is data. A cache file
planted by someone else (a cache committed to a repository, a folder from a stranger) — a pickle
that runs a command, a compiled template whose code runs one — is ignored, and the build succeeds
as if there were no cache (each of these ran the command before).
"""

from __future__ import annotations

import marshal
import os
import pickle
import re
import shlex
import shutil
from pathlib import Path
from typing import Callable

import pytest
from jinja2.bccache import bc_magic

from litdigest.incremental import store
from tests.helpers.commands import litdigest, litdigest_ok
from tests.helpers.paths import TEMPLATES

JINJA_MAGIC = bc_magic  # what starts every file of Jinja's bytecode cache


class _RunsACommand:
    """Unpickling this runs `command` (what a planted pickle can do)."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (self.command,)


@pytest.fixture
def project(tmp_path: Path, content_copy: Path) -> Path:
    """The example content with its own templates, built once (so the cache is there)."""
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    litdigest_ok("build", cwd=tmp_path)
    return tmp_path


def build(project: Path) -> None:
    result = litdigest("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert (project / "site" / "index.html").is_file()


def touch_command(marker: Path) -> str:
    return f"touch {shlex.quote(str(marker))}"


@pytest.mark.parametrize("name", ["index.pickle", "last-build.pickle", "bodies-0.pickle",
                                  store.INDEX, store.LAST_BUILD, store.BODIES.format(0)])
def test_a_pickle_planted_in_the_cache_never_runs(project: Path, name: str) -> None:
    marker = project / "ran"
    cache = store.cache_dir(project / "site")
    (cache / name).write_bytes(pickle.dumps(_RunsACommand(touch_command(marker))))
    shutil.rmtree(project / "site")  # a full build, which reads every file of the cache
    build(project)
    assert not marker.exists(), f"a pickle planted as {name} ran"


@pytest.mark.parametrize("payload", ["pickled checksum", "marshalled code"])
def test_a_compiled_template_planted_in_the_cache_never_runs(project: Path, payload: str) -> None:
    marker = project / "ran"
    planted = 0
    for path in sorted((store.cache_dir(project / "site") / "templates").glob("__jinja2_*")):
        data = path.read_bytes()  # the build's own file: its checksum is the template's
        checksum = re.search(rb"[0-9a-f]{40}", data[data.index(JINJA_MAGIC):])
        assert checksum is not None
        if payload == "pickled checksum":
            evil = JINJA_MAGIC + pickle.dumps(_RunsACommand(touch_command(marker)), 2)
        else:
            code = compile(f"import os\nos.system({touch_command(marker)!r})\n", "planted", "exec")
            evil = JINJA_MAGIC + pickle.dumps(checksum.group().decode(), 2) + marshal.dumps(code)
        path.write_bytes(evil)
        planted += 1
    assert planted, "the build left no compiled templates to plant over"
    paper = next((project / "content" / "papers").glob("*.md"))
    paper.write_text(paper.read_text("utf-8").replace('title: "', 'title: "Changed ', 1), "utf-8")
    build(project)  # an update: it compiles the templates, from the cache if it may
    assert not marker.exists(), f"a compiled template planted with {payload} ran"
    assert "Changed" in (project / "site" / "papers" / paper.stem / "index.html").read_text("utf-8")


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))


def make_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def make_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize("spoil", [truncate, flip_a_byte, make_fifo, make_folder],
                         ids=["truncated", "a-byte-changed", "fifo", "folder"])
@pytest.mark.parametrize("name", [store.INDEX, store.LAST_BUILD, store.BODIES.format(0)])
def test_an_odd_cache_file_is_ignored(project: Path, name: str,
                                      spoil: Callable[[Path], None]) -> None:
    spoil(store.cache_dir(project / "site") / name)
    shutil.rmtree(project / "site")
    build(project)
