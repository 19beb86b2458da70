"""serve: a real server on loopback that rebuilds and serves the new page after a change."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT, free_port


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


def test_serve_rebuilds_on_change(tmp_path: Path, content_copy: Path) -> None:
    port = free_port()
    site = tmp_path / "site"
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content_copy),
         "--templates", str(ROOT / "templates"), "--output", str(site), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        page = sorted((content_copy / "papers").glob("*.md"))[0]
        url = f"{base}papers/{page.stem}/"
        assert wait_for(lambda: "<article" in fetch(url)), "server did not start"
        html = fetch(url)
        assert "livereload.js" in html  # the preview reloads the browser
        page.write_text(page.read_text().replace("title: \"", "title: \"Edited: ", 1))
        assert wait_for(lambda: "Edited: " in fetch(url)), "the change was not rebuilt"
        assert "Edited: " in fetch(base)  # listings follow too
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert output.count("built ") >= 2, output
