"""Shared fixtures: the example content, a built copy of the example site, a served site, a browser.

Also the hostile site (the example plus a raw digest full of markup, imported and built with the
real command line) and the summary line the judging tests print: how many pages the HTML
validator, the crawler, the accessibility checker and the browser judged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections import Counter
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import settings

from litdigest.build.pipeline import build_site

# In CI (CI set, as GitHub Actions and .ci/run do) hypothesis draws the same examples on every
# run, so a red run is a repeatable failure of the change, never a rare example found by chance;
# a run by hand draws new ones (LITDIGEST_HYPOTHESIS_EXAMPLES raises the count for a search).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
TEMPLATES = ROOT / "templates"
RAW = CONTENT / "raw"
HOSTILE_RAW = ROOT / "tests" / "fixtures" / "hostile" / "hostile_daily.txt"
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


def required() -> bool:
    """Whether the judging tools must be present (CI) rather than skipped where missing."""
    return bool(os.environ.get("LITDIGEST_REQUIRE_BROWSER"))


def missing_tool(message: str) -> None:
    """Fail with `message` where the tools are required, else skip with it."""
    if required():
        pytest.fail(message)
    pytest.skip(message)


def litdigest_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real command line, `python build.py ARGS…`, and fail the test on exit status ≠ 0."""
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, f"litdigest {' '.join(args)} failed:\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example content plus tests/fixtures/hostile/, imported by `litdigest import`, built."""
    base = tmp_path_factory.mktemp("hostile")
    content = base / "content"
    shutil.copytree(CONTENT, content)
    litdigest_cli("import", "--strict", str(HOSTILE_RAW), "--content", str(content))
    litdigest_cli("build", "--content", str(content), "--templates", str(TEMPLATES),
                  "--output", str(base / "site"))
    return base / "site"


# ---- the summary line: what the real clients judged ------------------------------------------
# A judging test records its counts with `record_property("judged:<what>", n)`; the properties
# travel with the test's report (also from pytest-xdist workers), and are summed here.

JUDGED = (
    ("judged:validated", "pages passed the Nu HTML Checker"),
    ("judged:validated-hostile", "pages of the hostile site passed the Nu HTML Checker"),
    ("judged:crawled", "pages crawled over HTTP (at / and under a sub-path)"),
    ("judged:accessible", "page views passed axe-core (light/dark × 한국어/English/both)"),
    ("judged:hostile", "hostile pages opened in Chromium with no script run"),
    ("judged:screenshots", "screenshots written to tests/artifacts/"),
)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    totals: Counter[str] = Counter()
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call" or not getattr(report, "passed", False):
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name.startswith("judged:"):
                    totals[name] += int(value)
    if not totals:
        return
    parts = [f"{totals[name]} {label}" for name, label in JUDGED if totals[name]]
    terminalreporter.write_sep("-", "judged by real clients")
    for part in parts:
        terminalreporter.write_line(part)
