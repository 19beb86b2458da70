"""The promise of locks: two builds of the same site at once never mix it and never crash — the
second says whose build it waits for, waits, then builds; a killed build's lock is free at once.
Real processes, real `flock`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.helpers.commands import fresh_site, litdigest_ok
from tests.helpers.paths import CONTENT, ROOT, TEMPLATES
from tests.helpers.trees import snapshot

# A build that, once it has rendered the new site, says so (the file READY) and waits for the
# file GO before putting it in place: it holds the site's lock all that time.
PAUSED_BUILD = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from litdigest.build import output

    real = output.swap_into_place
    def paused(*args):
        Path(os.environ["READY"]).write_text(str(os.getpid()))
        while not Path(os.environ["GO"]).exists():
            time.sleep(0.02)
        return real(*args)
    output.swap_into_place = paused
    from litdigest.cli import run
    run()
""").format(root=str(ROOT))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(CONTENT, folder / "content")
    shutil.copytree(TEMPLATES, folder / "templates")
    return folder


def wait_for(condition, what: str, seconds: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def start(project: Path, script: list[str], stderr: Path, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, *script], cwd=project, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=stderr.open("wb"))


def paused_build(project: Path, tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    ready, go = tmp_path / "ready", tmp_path / "go"
    first = start(project, ["-c", PAUSED_BUILD, "build", "--fresh"], tmp_path / "first.err",
                  READY=str(ready), GO=str(go))
    wait_for(ready.exists, "the first build to render")
    return first, go


def test_a_second_build_waits_for_the_first_naming_it(project: Path, tmp_path: Path) -> None:
    litdigest_ok("build", cwd=project)
    first, go = paused_build(project, tmp_path)
    second_err = tmp_path / "second.err"
    second = start(project, [str(ROOT / "build.py"), "build", "--fresh"], second_err)
    wait_for(lambda: b"waiting for" in second_err.read_bytes(), "the second build to wait")
    assert f"waiting for the build of PID {first.pid} to finish".encode() in second_err.read_bytes()
    assert second.poll() is None  # it waits, and has written nothing yet
    go.write_text("go")
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    assert b"Traceback" not in second_err.read_bytes() + (tmp_path / "first.err").read_bytes()
    assert snapshot(project / "site") == fresh_site(project)
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]


def test_a_killed_build_leaves_its_lock_free(project: Path, tmp_path: Path) -> None:
    litdigest_ok("build", cwd=project)
    first, _ = paused_build(project, tmp_path)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=60)
    started = time.monotonic()
    result = litdigest_ok("build", cwd=project)
    assert "waiting" not in result.stderr and time.monotonic() - started < 60
    assert snapshot(project / "site") == fresh_site(project)
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]


def test_two_updates_at_once_never_crash_nor_mix_the_site(project: Path, tmp_path: Path) -> None:
    litdigest_ok("build", cwd=project)
    papers = sorted((project / "content" / "papers").glob("*.md"))
    for round_number, paper in enumerate(papers[:5]):
        paper.write_text(paper.read_text("utf-8").replace("\n---\n", "\n---\nEdited.\n\n", 1),
                         encoding="utf-8")
        errs = [tmp_path / f"{round_number}-{n}.err" for n in range(2)]
        builds = [start(project, [str(ROOT / "build.py"), "build"], err) for err in errs]
        assert [b.wait(timeout=120) for b in builds] == [0, 0], [e.read_text() for e in errs]
        assert not any("Traceback" in e.read_text() for e in errs)
    assert snapshot(project / "site") == fresh_site(project)
    assert not list((project / "site").rglob("*.litdigest-new"))
