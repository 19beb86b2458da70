"""Shared fixtures: the example content, a built copy of the example site, a served site, a browser."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from litdigest.build import build_site

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
TEMPLATES = ROOT / "templates"
RAW = CONTENT / "raw"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def tree_digest(folder: Path) -> dict[str, str]:
    """Path → sha256 of every file below a folder: to prove nothing changed."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the example content/, safe to change."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example content built once per test session."""
    out = tmp_path_factory.mktemp("example") / "site"
    build_site(CONTENT, TEMPLATES, out)
    return out


@contextmanager
def serve_folder(folder: Path, prefix: str = "") -> Iterator[str]:
    """Serve a folder on a free loopback port, optionally under a sub-path like GitHub Pages."""
    root = folder
    if prefix:
        root = folder.parent / f"{folder.name}-mount"
        (root / prefix).parent.mkdir(parents=True, exist_ok=True)
        if not (root / prefix).exists():
            os.symlink(folder, root / prefix)
    handler = partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{prefix + '/' if prefix else ''}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served_site(example_site: Path) -> Iterator[str]:
    """The example site over real HTTP on loopback; yields its base URL."""
    with serve_folder(example_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright; skipped locally without it unless required."""
    if not Path(CHROMIUM).exists():
        message = ("Chromium is not installed: `apt-get install chromium fonts-nanum` "
                   "(Debian) to run the browser tests")
        if os.environ.get("LITDIGEST_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield instance
        instance.close()
