"""serve: a real server on loopback that rebuilds and serves the new page after a change."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from tests.helpers.paths import ROOT, TEMPLATES
from tests.helpers.serving import free_port

EXAMPLE_PATH = "/litdigest/"  # the path of the example's base_url: serve shows the site there


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 15.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


class Output:
    """What a server process prints, read as it comes, so a test can wait for a line: the page of
    a rebuild is on disk a moment before the rebuild prints its summary."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.reader.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.append(line)

    def text(self) -> str:
        return "".join(self.lines)


def start_serve(content: Path, site: Path, port: int) -> subprocess.Popen[str]:
    """`litdigest serve`, printing every deprecation warning, which the tests look for: from
    Python 3.12 on, one says that a process running threads forked (the child may deadlock), as
    serve's builds must never do. (Not `-W error`: Python drops that warning when it is one.)"""
    return subprocess.Popen(
        [sys.executable, "-W", "always::DeprecationWarning", str(ROOT / "build.py"), "serve",
         "--content", str(content), "--templates", str(TEMPLATES), "--output", str(site),
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_serve_rebuilds_on_change(tmp_path: Path, content_copy: Path) -> None:
    port = free_port()
    site = tmp_path / "site"
    server = start_serve(content_copy, site, port)
    output = Output(server)
    try:
        base = f"http://127.0.0.1:{port}{EXAMPLE_PATH}"
        page = sorted((content_copy / "papers").glob("*.md"))[0]
        url = f"{base}papers/{page.stem}/"
        assert wait_for(lambda: "<article" in fetch(url)), "server did not start"
        html = fetch(url)
        assert "livereload.js" in html  # the preview reloads the browser
        page.write_text(page.read_text().replace("title: \"", "title: \"Edited: ", 1))
        assert wait_for(lambda: "Edited: " in fetch(url)), "the change was not rebuilt"
        assert "Edited: " in fetch(base)  # listings follow too
        assert wait_for(lambda: output.text().count("built ") >= 2), output.text()  # and it says so
        assert "DeprecationWarning" not in output.text()
    finally:
        server.terminate()
        server.wait(timeout=10)
        output.reader.join(10)


def in_own_thread(action):  # type: ignore[no-untyped-def]
    """Run an asyncio program away from any event loop this worker's other tests left running."""
    import threading

    box = {}
    thread = threading.Thread(target=lambda: box.update(result=action()))
    thread.start()
    thread.join(60)
    return box["result"]


def test_a_burst_of_saves_is_one_rebuild_and_the_reload_comes_after_the_files(
        tmp_path: Path, content_copy: Path) -> None:
    import asyncio
    import json

    from tornado.websocket import websocket_connect

    port = free_port()
    site = tmp_path / "site"
    server = start_serve(content_copy, site, port)
    papers = sorted((content_copy / "papers").glob("*.md"))[:5]
    edited = [(p, p.read_text().replace('title: "', 'title: "Burst: ', 1)) for p in papers]

    async def edit_and_wait_for_reload() -> dict[str, object]:
        conn = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
        await conn.write_message(json.dumps(
            {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        await conn.read_message()
        await conn.write_message(json.dumps({"command": "info",
                                             "url": f"http://127.0.0.1:{port}{EXAMPLE_PATH}"}))
        await asyncio.sleep(1.0)  # the server registers the browser (slowly on a busy CI machine)
        for path, text in edited:  # five saves at once, as a `git checkout` or a search-and-replace
            path.write_text(text)
        message = await asyncio.wait_for(conn.read_message(), 30)
        return json.loads(message)

    try:
        first = f"http://127.0.0.1:{port}{EXAMPLE_PATH}papers/{papers[0].stem}/"
        assert wait_for(lambda: "<article" in fetch(first))
        message = in_own_thread(lambda: asyncio.run(edit_and_wait_for_reload()))
        assert message["command"] == "reload"
        for path, _ in edited:  # every page was on disk when the browser was told to reload
            assert "Burst: " in (site / "papers" / path.stem / "index.html").read_text()
        assert (site / "index.html").read_text().count("Burst: ") >= 1
        time.sleep(1.0)  # anything still to come would come now
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert output.count("built ") == 2, output  # the first build and one rebuild for the burst
    assert "DeprecationWarning" not in output


def test_a_broken_save_keeps_the_last_good_site_served(tmp_path: Path, content_copy: Path) -> None:
    port = free_port()
    server = start_serve(content_copy, tmp_path / "site", port)
    page = sorted((content_copy / "papers").glob("*.md"))[0]
    url = f"http://127.0.0.1:{port}{EXAMPLE_PATH}papers/{page.stem}/"
    try:
        assert wait_for(lambda: "<article" in fetch(url))
        good = page.read_text()
        page.write_text(good.replace("title_derived:", "title_derived: [oops", 1))
        time.sleep(1.0)
        assert "<article" in fetch(url)
        page.write_text(good.replace('title: "', 'title: "Fixed: ', 1))
        assert wait_for(lambda: "Fixed: " in fetch(url))
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert "the build failed; still serving the last good site" in output
    assert f"{page}:5:" in output
    assert "DeprecationWarning" not in output
