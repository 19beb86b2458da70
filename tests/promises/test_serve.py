"""The promise of serve: it keeps previewing when a watched folder is replaced as a whole, refuses
an address it cannot listen on in one line (before building anything), and answers malformed
URLs with 400 or 404 — never a traceback, never a file outside `site/`, never the URL's control
characters written to the terminal. Each runs a real `litdigest serve` on a free loopback port
(each case here failed before: serve went deaf, announced a port it did not listen on, or
answered 500 with a traceback).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers.paths import ROOT, TEMPLATES
from tests.helpers.serving import free_port, serving, wait_for


@pytest.fixture
def project(tmp_path: Path, content_copy: Path) -> Path:
    """The example content and a copy of the templates, in a folder of their own."""
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def page_of(project: Path, paper: Path) -> Path:
    return project / "site" / "papers" / paper.stem / "index.html"


def replace_as_a_whole(folder: Path) -> None:
    """`mv folder folder.old && cp -r folder.old folder`: the same files in a new folder; then a
    pause, as a user's before the next edit (a rebuild the replacement itself started is over)."""
    old = folder.with_name(folder.name + ".old")
    folder.rename(old)
    shutil.copytree(old, folder)
    time.sleep(1.5)


# ---- a watched folder replaced as a whole ------------------------------------------------------

def test_content_replaced_as_a_whole_folder_is_watched_again_and_rebuilt(project: Path) -> None:
    with serving(project) as served:
        paper = sorted((project / "content" / "papers").glob("*.md"))[0]
        replace_as_a_whole(project / "content")
        paper.write_text(paper.read_text().replace('title: "', 'title: "Replaced: ', 1))
        assert wait_for(lambda: "Replaced: " in page_of(project, paper).read_text()), \
            served.stdout() + served.stderr()
        paper.write_text(paper.read_text().replace('title: "', 'title: "Later: ', 1))
        assert wait_for(lambda: "Later: " in page_of(project, paper).read_text()), \
            "an edit after the replacement was not seen"
        old = project / "content.old" / "papers" / paper.name  # the old folder is not watched
        old.write_text(old.read_text().replace('title: "', 'title: "Old: ', 1))
        time.sleep(1.0)
        assert "Old: " not in page_of(project, paper).read_text()
    assert "Traceback" not in served.stderr()


def test_content_gone_and_back_is_said_and_rebuilt(project: Path) -> None:
    with serving(project) as served:
        paper = sorted((project / "content" / "papers").glob("*.md"))[0]
        (project / "content").rename(project / "away")
        assert wait_for(lambda: "content: gone" in served.stderr()), served.stderr()
        shutil.copytree(project / "away", project / "content")
        time.sleep(0.5)
        paper.write_text(paper.read_text().replace('title: "', 'title: "Back: ', 1))
        assert wait_for(lambda: "Back: " in page_of(project, paper).read_text()), \
            served.stdout() + served.stderr()
    assert "Traceback" not in served.stderr()


def test_templates_replaced_as_a_whole_folder_are_watched_again_and_rebuilt(project: Path) -> None:
    with serving(project) as served:
        replace_as_a_whole(project / "templates")
        base = next(p for p in sorted((project / "templates").rglob("*.html"))
                    if "</body>" in p.read_text())
        base.write_text(base.read_text().replace("</body>", "<p>Replaced templates</p></body>", 1))
        assert wait_for(lambda: "Replaced templates" in (project / "site" / "index.html").read_text()), \
            served.stdout() + served.stderr()
    assert "Traceback" not in served.stderr()


# ---- an address serve cannot listen on ---------------------------------------------------------

def serve_refusing(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`litdigest serve ARGS…`, expected to refuse and end: one that serves instead is stopped
    after a while (and the test then fails on its exit status)."""
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--templates", "templates", *args]
    with subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as process:
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.terminate()
            out, err = process.communicate(timeout=20)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


@pytest.mark.parametrize("port", ["99999", "65536", "0", "-1"])
def test_a_port_out_of_range_is_refused_as_a_usage_error(project: Path, port: str) -> None:
    result = serve_refusing(project, "--port", port)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--port" in result.stderr and "1<=x<=65535" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_a_port_in_use_is_one_line_and_nothing_is_built(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve_refusing(project, "--port", str(port))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"port {port} is in use — pick another with --port" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 2, result.stderr  # the problem, and the tally
    assert "serving" not in result.stdout  # nothing announced
    assert not (project / "site").exists()  # nor built


@pytest.mark.parametrize("host", ["nosuch.invalid", "999.1.1.1", "192.0.2.1"])
def test_a_host_that_is_not_this_machine_is_one_line(project: Path, host: str) -> None:
    result = serve_refusing(project, "--host", host, "--port", str(free_port()))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"--host {host}: " in result.stderr and "— give one of its addresses with --host" \
        in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 2, result.stderr
    assert not (project / "site").exists()


# ---- malformed and hostile URLs ----------------------------------------------------------------

MALFORMED = [
    b"/%00", b"/index.html%00.txt", b"/papers/%00/", b"/a\x00b", b"/%", b"/%zz", b"/%ff%fe",
    b"/%c0%ae%c0%ae/secret.txt", b"/a%0ab", b"/" + b"a" * 5000, b"/" + b"a/" * 2000,
    b"/" + b"%2e%2e/" * 8 + b"etc/passwd",
]
OUTSIDE = [
    b"/../secret.txt", b"/..%2fsecret.txt", b"/%2e%2e/secret.txt", b"/%2e%2e%2fsecret.txt",
    b"/..%2f..%2fetc/passwd", b"//etc/passwd", b"/%2fetc/passwd", b"/papers/../../secret.txt",
    b"/..\\secret.txt", b"/" + b"..%2f" * 30 + b"etc/passwd",
]


def test_malformed_urls_get_400_or_404_and_no_traceback(project: Path) -> None:
    """At the server's root and under the site's path (the example's base_url has one)."""
    (project / "secret.txt").write_text("SECRET beside site/\n")
    with serving(project) as served:
        site = urlsplit(served.url).path.encode()
        assert site != b"/" and served.get(site)[0] == 200
        targets = MALFORMED + OUTSIDE + [site[:-1] + target for target in MALFORMED + OUTSIDE]
        answers = {target: served.get(target) for target in targets}
        assert served.get(site)[0] == 200  # and the server still serves
    for target, (status, answer) in answers.items():
        assert status in (400, 404), (target, answer[:300])
        assert b"SECRET" not in answer and b"root:" not in answer, target
    errors = served.stderr()
    assert "Traceback" not in errors and "Uncaught exception" not in errors, errors[-3000:]
    assert " 500 " not in errors and "500 GET" not in errors


def test_a_urls_control_characters_never_reach_the_terminal(project: Path) -> None:
    with serving(project) as served:
        for target in (b"/%1b]0;pwned%07/../../x", b"/%1b[31mred%1b[0m", b"/%9b31m/../..",
                       b"/a\x1b[2Jb"):
            assert served.get(target)[0] in (400, 404), target
    errors = served.stderr()
    assert "\x1b" not in errors and "\x07" not in errors and "\x9b" not in errors, repr(errors)
